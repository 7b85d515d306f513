"""Estimate vs measurement: every scenario's run time (``cost_s``) and peak memory
(``memory_bytes``) against what a run really takes, at the defaults, the corners of the size
parameters and seeded random points of the declared ranges (issues 28 and 29).

    python benchmarks/estimates.py --points tests/data/estimate_points.toml --out estimates.json

Each point runs in a fresh process (``nupair.run`` in memory, ``allow_expensive=True``), so the
wall time is what a user waits (import and compiled-kernel loading included) and the peak
resident set (``ru_maxrss``) is the point's own. The table
prints the ratios estimate/measured; ``tests/scenarios/test_estimates.py`` holds a fixed sample
to [0.5, 2].
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

_CHILD = r"""
import json, resource, sys, time
t_start = time.perf_counter()  # the user's wait: the import and the compiled kernels' loading included
import nupair
from nupair.scenarios import get_scenario
from nupair.scenarios._parameters import resolve_parameters
name, params = sys.argv[1], json.loads(sys.argv[2])
scenario = get_scenario(name)
values, _ = resolve_parameters(scenario, params, seed=0)
est_s, est_b = float(scenario.cost_s(values)), float(scenario.memory_bytes(values))
nupair.run(name, seed=0, allow_expensive=True, **params)
wall = time.perf_counter() - t_start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"estimated_s": est_s, "wall_s": wall, "estimated_bytes": est_b, "peak_bytes": peak}))
"""


def measure(name: str, params: dict, timeout_s: float = 300.0) -> dict:
    """Run one point in a fresh process; its estimates and measurements (s, bytes)."""
    t0 = time.perf_counter()
    try:
        proc = subprocess.run([sys.executable, "-c", _CHILD, name, json.dumps(params)], capture_output=True,
                              text=True, timeout=timeout_s, env={**__import__("os").environ, "MPLBACKEND": "Agg"})
    except subprocess.TimeoutExpired:
        return {"scenario": name, "params": params, "error": [f"still running after {timeout_s:.0f} s"],
                "process_s": time.perf_counter() - t0}
    if proc.returncode != 0:
        return {"scenario": name, "params": params, "error": proc.stderr.strip().splitlines()[-1:],
                "process_s": time.perf_counter() - t0}
    row = json.loads(proc.stdout.strip().splitlines()[-1])
    row.update(scenario=name, params=params, time_ratio=row["estimated_s"] / row["wall_s"],
               memory_ratio=row["estimated_bytes"] / row["peak_bytes"])
    return row


def random_points(name: str, n: int, seed: int = 0, max_estimate_s: float = 60.0) -> list[dict]:
    """``n`` seeded random points of scenario ``name``'s declared ranges (numbers log-uniform where
    the range spans more than two decades of positive values, else uniform; other parameters at
    their defaults) that pass validation and are estimated below ``max_estimate_s``."""
    import math

    import numpy as np
    from annotated_types import Ge, Gt, Le, Lt

    from nupair.scenarios import UserInputError, get_scenario
    from nupair.scenarios._parameters import resolve_parameters

    scenario = get_scenario(name)
    rng = np.random.default_rng(seed)
    bounds = {}
    for key, info in scenario.parameters.model_fields.items():
        lo = hi = None
        for m in info.metadata:
            lo = m.ge if isinstance(m, Ge) else m.gt if isinstance(m, Gt) else lo
            hi = m.le if isinstance(m, Le) else m.lt if isinstance(m, Lt) else hi
        if lo is not None and hi is not None and isinstance(info.default, (int, float)) and not isinstance(info.default, bool):
            bounds[key] = (float(lo), float(hi), isinstance(info.default, int))
    points, tries = [], 0
    while len(points) < n and tries < 200 * n:
        tries += 1
        draw = {}
        for key, (lo, hi, is_int) in bounds.items():
            if rng.random() < 0.5:  # half the parameters stay at their defaults: one region at a time
                continue
            if lo > 0 and hi / lo > 100:
                v = math.exp(rng.uniform(math.log(lo), math.log(hi)))
            else:
                v = rng.uniform(lo, hi)
            draw[key] = int(round(v)) if is_int else float(v)
        try:
            values, _ = resolve_parameters(scenario, draw, seed=0)
        except UserInputError:
            continue
        if float(scenario.cost_s(values)) <= max_estimate_s:
            points.append(draw)
    return points


def table(row_files: list[Path]) -> str:
    """Markdown table of measured rows (JSON of :func:`measure`; a later file's row replaces an
    earlier one for the same point) against the current estimates for the same parameters."""
    from nupair.scenarios import get_scenario
    from nupair.scenarios._parameters import resolve_parameters

    rows = {}
    for f in row_files:
        for r in json.loads(Path(f).read_text()):
            rows[(r["scenario"], json.dumps(r["params"], sort_keys=True))] = r
    lines = ["| scenario | parameters | est. s | wall s | ratio | est. MiB | peak MiB | ratio |",
             "|---|---|---|---|---|---|---|---|"]
    t_ratios, m_ratios = [], []
    for _, r in sorted(rows.items()):
        ptxt = ", ".join(f"{a}={b:.3g}" if isinstance(b, float) else f"{a}={b}" for a, b in r["params"].items())
        ptxt = ptxt or "defaults"
        if "error" in r:
            why = r["error"][0][:90].replace("|", "/") if r["error"] else "failed"
            lines.append(f"| {r['scenario']} | {ptxt} | | | refused: {why} | | | |")
            continue
        scenario = get_scenario(r["scenario"])
        values, _ = resolve_parameters(scenario, r["params"], seed=0)
        est, mem = float(scenario.cost_s(values)), float(scenario.memory_bytes(values))
        tr, mr = est / r["wall_s"], mem / r["peak_bytes"]
        t_ratios.append(tr)
        m_ratios.append(mr)
        lines.append(f"| {r['scenario']} | {ptxt} | {est:.1f} | {r['wall_s']:.1f} | {tr:.2f} | {mem / 2**20:.0f} "
                     f"| {r['peak_bytes'] / 2**20:.0f} | {mr:.2f} |")
    lines += ["", f"Time ratios (estimate / measured) {min(t_ratios):.2f} to {max(t_ratios):.2f} over {len(t_ratios)} "
              f"runs; memory ratios {min(m_ratios):.2f} to {max(m_ratios):.2f}."]
    return "\n".join(lines) + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--points", type=Path, default=None, help="TOML: [[point]] scenario = ..., params = {...}")
    ap.add_argument("--random", type=int, default=0, help="also this many seeded random points per --only scenario")
    ap.add_argument("--seed", type=int, default=0, help="seed of the random points")
    ap.add_argument("--table", type=Path, nargs="+", default=None,
                    help="print the Markdown table of these measured-row JSON files and exit")
    ap.add_argument("--out", type=Path, default=None, help="JSON file for the table")
    ap.add_argument("--only", default=None, help="measure only this scenario")
    args = ap.parse_args()
    if args.table:
        print(table(args.table), end="")
        return
    import tomllib

    points = tomllib.loads(args.points.read_text())["point"] if args.points else []
    if args.random and args.only:
        points += [{"scenario": args.only, "params": p} for p in random_points(args.only, args.random, args.seed)]
    rows = []
    for p in points:
        if args.only and p["scenario"] != args.only:
            continue
        row = measure(p["scenario"], p.get("params", {}))
        rows.append(row)
        if "error" in row:
            print(f"{p['scenario']:28s} {json.dumps(p.get('params', {}))[:60]:60s} ERROR {row['error']}", flush=True)
            continue
        print(f"{p['scenario']:28s} {json.dumps(p.get('params', {}))[:60]:60s} "
              f"t {row['estimated_s']:8.2f}/{row['wall_s']:8.2f} s = {row['time_ratio']:5.2f}   "
              f"mem {row['estimated_bytes'] / 2**20:8.0f}/{row['peak_bytes'] / 2**20:8.0f} MiB = {row['memory_ratio']:5.2f}",
              flush=True)
    if args.out:
        args.out.write_text(json.dumps(rows, indent=1) + "\n")


if __name__ == "__main__":
    main()
