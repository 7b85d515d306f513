"""Sphinx extension: one gallery page per registered scenario, generated from the registry.

Each page: what it reproduces, the parameter table (names, defaults, units, ranges from the
parameter model), the figure made with the defaults (cached by a hash of the parameters and the
package's source, so rebuilds are fast and a code change remakes the figures), the summary values, the command that made it. A new
scenario appears without editing the docs. NUPAIR_DOCS_FAST=1 skips scenarios whose figure is
not cached (placeholder text instead).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path


def _source_digest() -> str:
    """Digest of every source file of the installed package: a figure is stale when any code
    that could change it (physics, plot, summary) changes, not only the version number."""
    import nupair

    h = hashlib.sha256()
    for path in sorted(Path(nupair.__file__).parent.rglob("*")):
        if path.suffix in (".py", ".csv", ".toml") and "__pycache__" not in path.parts:
            h.update(str(path.relative_to(Path(nupair.__file__).parent)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def _hash(name: str, params: dict, source: str) -> str:
    import nupair

    text = json.dumps({"name": name, "params": params, "version": nupair.__version__, "source": source},
                      sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _table(rows, columns) -> str:
    out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for r in rows:
        out.append("| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |")
    return "\n".join(out)


def _summary_lines(summary: dict, prefix: str = "", depth: int = 0) -> list[str]:
    lines = []
    for k, v in summary.items():
        if k in ("parameters", "warnings"):
            continue
        if isinstance(v, dict) and depth < 1:
            lines.extend(_summary_lines(v, f"{prefix}{k}.", depth + 1))
        else:
            text = json.dumps(v, default=str)
            lines.append(f"| `{prefix}{k}` | {text[:160] + ('…' if len(text) > 160 else '')} |")
    return lines


def _run_one(name: str, folder: str) -> str:
    """Run one scenario with its defaults into ``folder`` (staged, then renamed: a killed build
    leaves no half-written cache entry). In a worker process."""
    from nupair.scenarios.runner import run_scenario

    cdir = Path(folder)
    tmp = cdir.parent / f".{cdir.name}-tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    run_scenario(name, out_dir=tmp, allow_expensive=True)
    shutil.rmtree(cdir, ignore_errors=True)  # an incomplete entry (a build killed mid-way) is replaced
    os.replace(tmp, cdir)
    return name


def _run_missing(names: list[str], folders: dict) -> None:
    """The scenarios without a cached figure, longest first, on one worker process per core: the
    gallery is the documentation build's slowest step, and its runs are independent."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from nupair.scenarios import get_scenario

    def cost(n):
        sc = get_scenario(n)
        return sc.cost_s(sc.parameters()) if sc.cost_s else 0.0

    order = sorted(names, key=cost, reverse=True)
    workers = max(1, min(len(order), os.cpu_count() or 1))
    # one thread per worker: BLAS (and Numba) pools of their own in every worker would put
    # cores x cores busy-waiting threads on the machine and run slower than one process alone
    # (the scenarios' results do not depend on the thread count)
    single = {k: "1" for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS")}
    saved = {k: os.environ.get(k) for k in single}
    if workers > 1:
        os.environ.update(single)  # spawned workers read the environment when they start
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            for done in pool.map(_run_one, order, [str(folders[n]) for n in order]):
                print(f"gallery: ran {done}", flush=True)
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def generate(app) -> None:
    from nupair.scenarios import REGISTRY, describe_parameters, get_scenario

    src = Path(app.srcdir)
    gallery = src / "gallery"
    gallery.mkdir(exist_ok=True)
    cache = Path(app.outdir).parent / "gallery-cache"
    cache.mkdir(parents=True, exist_ok=True)
    fast = os.environ.get("NUPAIR_DOCS_FAST") == "1"
    names = sorted(REGISTRY)
    source = _source_digest()
    index = ["# Gallery", "", "Every built-in scenario, generated from the registry: its figure with the default",
             "parameters, the command that made it, its parameters and its headline numbers.", "",
             "| scenario | reproduces | estimated time |", "|---|---|---|"]
    for name in names:
        sc = get_scenario(name)
        cost = sc.cost_s(sc.parameters()) if sc.cost_s else float("nan")
        index.append(f"| [`{name}`]({name}) | {sc.reference.replace('|', '/')} | {cost:.0f} s |")
    index += ["", "```{toctree}", ":hidden:", ":maxdepth: 1", "", *names, "```", ""]
    (gallery / "index.md").write_text("\n".join(index))
    folders = {name: cache / f"{name}-{_hash(name, get_scenario(name).parameters().model_dump(mode='json'), source)}"
               for name in names}
    missing = [n for n in names if not (folders[n] / "summary.json").exists()]
    if missing and not fast:
        _run_missing(missing, folders)
    for name in names:
        sc = get_scenario(name)
        cdir = folders[name]
        lines = [f"# {name}", "", sc.description, "", f"**Reproduces:** {sc.reference}", "",
                 "```bash", f"nupair run {name}", "```", ""]
        if sc.notes:
            lines += ["```{note}", f"**Where nupair and the paper differ.** {sc.notes}", "```", ""]
        if (cdir / "figure.png").exists():
            shutil.copy(cdir / "figure.png", gallery / f"{name}.png")
            lines += [f"![{name}]({name}.png)", ""]
        else:
            lines += ["*(figure not built in fast mode)*", ""]
        rows = [[f"`{r['name']}`", r["default"], r["unit"], r["range"], r["description"]]
                for r in describe_parameters(sc.parameters)]
        lines += ["## Parameters", "", _table(rows, ["name", "default", "unit", "allowed", "description"]), ""]
        lines += ["## summary.json keys", "", _table([[f"`{k}`", v] for k, v in sc.summary_keys.items()], ["key", "meaning"]), ""]
        if (cdir / "summary.json").exists():
            summary = json.loads((cdir / "summary.json").read_text())
            lines += ["## Values with the defaults", "", "| key | value |", "|---|---|", *_summary_lines(summary), ""]
            lines += [f"Estimated run time {summary.get('estimated_time_s', 0):.0f} s; this build: "
                      f"{summary.get('wall_time_s', 0):.1f} s of computation.", ""]
        (gallery / f"{name}.md").write_text("\n".join(lines))


def setup(app):
    app.connect("builder-inited", generate)
    return {"version": "1", "parallel_read_safe": True}
