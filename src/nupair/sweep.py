"""Parameter sweeps of any scenario over a Cartesian grid, on Dask distributed.

``nupair sweep NAME --grid key=start:stop:num[:log] ...`` evaluates the scenario's ``summary`` at
every grid point. Points are grouped into tasks and run on an embedded ``LocalCluster`` or on an
existing Dask cluster (``--scheduler tcp://host:port``). Each finished task appends its points to
``OUT/points.jsonl`` (flushed and fsync'ed), so a killed sweep loses nothing already computed;
``--resume`` skips the finished points. At the end the points are assembled into one
``xarray.Dataset`` with one dimension per grid axis (``OUT/sweep.nc`` or ``OUT/sweep.zarr``),
numeric summary values as variables, and a per-point ``status`` ("done" or "failed: ...").
"""

from __future__ import annotations

import contextlib
import itertools
import json
import math
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from nupair import io
from nupair.scenarios import UserInputError, describe_parameters, get_scenario
from nupair.scenarios._parameters import check_memory
from nupair.scenarios.runner import compute, parse_set_option, resolve_parameters

__all__ = ["GridAxis", "parse_grid_option", "evaluate_point", "overhead_probe", "run_sweep", "SweepOutcome",
           "load_sweep", "assemble"]

POINTS_FILE = "points.jsonl"
DEFINITION_FILE = "sweep.toml"
#: Grids with more points than this need ``allow_large`` (``--yes``).
MAX_POINTS = 1_000_000


@dataclass(frozen=True)
class GridAxis:
    """One sweep axis: a parameter name and its values (numbers or strings)."""

    name: str
    values: tuple

    def as_array(self) -> np.ndarray:
        return np.array(self.values)


def parse_grid_option(text: str, parameter_names) -> GridAxis:
    """Parse ``key=start:stop:num[:log]`` or ``key=v1,v2,...`` into a :class:`GridAxis`."""
    if "=" not in text:
        raise UserInputError(f"--grid {text!r}: expected key=start:stop:num[:log] or key=v1,v2,...")
    key, spec = (s.strip() for s in text.split("=", 1))
    for field_name, field_info in getattr(parameter_names, "items", lambda: [])():
        if (getattr(field_info, "json_schema_extra", None) or {}).get("also") == key:
            key = field_name
    if key not in parameter_names:
        import difflib

        close = difflib.get_close_matches(key, list(parameter_names), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise UserInputError(f"--grid: unknown parameter {key!r}{hint}")
    if not spec:
        raise UserInputError(f"--grid {text!r}: empty range")
    if ":" in spec:
        parts = spec.split(":")
        if len(parts) not in (3, 4) or (len(parts) == 4 and parts[3] not in ("log", "lin")):
            raise UserInputError(f"--grid {text!r}: expected start:stop:num or start:stop:num:log")
        try:
            start, stop, num = float(parts[0]), float(parts[1]), int(parts[2])
        except ValueError:
            raise UserInputError(f"--grid {text!r}: start and stop must be numbers, num an integer") from None
        if not (math.isfinite(start) and math.isfinite(stop)):
            raise UserInputError(f"--grid {text!r}: start and stop must be finite")
        if num < 1 or num > 10 * MAX_POINTS:
            raise UserInputError(f"--grid {text!r}: num = {num} must be in [1, {10 * MAX_POINTS:,}]")
        if len(parts) == 4 and parts[3] == "log":
            if start <= 0 or stop <= 0:
                raise UserInputError(f"--grid {text!r}: a log range needs start and stop > 0")
            values = np.geomspace(start, stop, num)
        else:
            values = np.linspace(start, stop, num)
        return GridAxis(key, tuple(float(v) for v in values))
    items = [s.strip() for s in spec.split(",") if s.strip()]
    if not items:
        raise UserInputError(f"--grid {text!r}: empty list")
    values = [parse_set_option(f"{key}={item}")[1] for item in items]
    return GridAxis(key, tuple(values))


def _flatten(summary: dict, prefix: str = "") -> dict[str, float]:
    """Numeric scalars of a (nested) summary, keys joined with '.'; booleans become 0/1."""
    out: dict[str, float] = {}
    for k, v in summary.items():
        name = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, f"{name}."))
        elif isinstance(v, (bool, np.bool_)):
            out[name] = float(v)
        elif isinstance(v, (int, float, np.integer, np.floating)) and v is not None:
            out[name] = float(v)
    return out


def evaluate_point(name: str, params: dict, seed: int, timeout_s: float | None = None) -> dict:
    """Run one scenario point and return {"status": ..., "values": {...}} (never raises).

    A point fails (and is recorded as such) on invalid parameters, an exception, a NaN in the
    summary or when it runs longer than ``timeout_s`` (checked cooperatively at every progress
    report of the scenario).
    """
    t0 = time.perf_counter()
    try:
        scenario = get_scenario(name)
        p, s = resolve_parameters(scenario, params, seed=seed)

        def progress(fraction, description=""):
            if timeout_s is not None and time.perf_counter() - t0 > timeout_s:
                raise TimeoutError(f"time-out after {timeout_s:g} s")

        _, summary = compute(scenario, p, s, progress)
        values = _flatten(summary)
        if timeout_s is not None and time.perf_counter() - t0 > timeout_s:
            return {"status": f"failed: time-out after {timeout_s:g} s", "values": {}}
        return {"status": "done", "values": values}
    except TimeoutError as exc:
        return {"status": f"failed: {exc}", "values": {}}
    except Exception as exc:  # a failing point is data, not a crash of the sweep
        return {"status": f"failed: {type(exc).__name__}: {exc}".replace("\n", " ")[:500], "values": {}}


def overhead_probe(name: str, params: dict, seed: int, timeout_s: float | None = None) -> dict:
    """A trivial point evaluation (sum of the numeric parameters) for measuring sweep overhead."""
    return {"status": "done", "values": {"sum": float(sum(v for v in params.values() if isinstance(v, (int, float))))}}


def _evaluate_chunk(name, chunk, seed, timeout_s, evaluate):
    fn = evaluate or evaluate_point
    return [(index, fn(name, params, seed, timeout_s)) for index, params in chunk]


@dataclass(frozen=True)
class SweepOutcome:
    """Where the sweep wrote its dataset, and its counts."""

    out_dir: Path
    dataset_path: Path
    n_points: int
    n_done: int
    n_failed: int
    wall_s: float
    dashboard: str | None


def _read_points(path: Path, shape: tuple[int, ...]) -> dict[tuple, dict]:
    """The point records of ``points.jsonl`` that belong to a grid of ``shape`` (data only: JSON)."""
    done: dict[tuple, dict] = {}
    if not path.exists():
        return done
    with io.file_errors("read", path), open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            try:
                rec = json.loads(line)
            except (json.JSONDecodeError, RecursionError):  # a line torn by a kill: recomputed on resume
                continue
            if _is_record(rec) and len(rec["index"]) == len(shape) and all(
                    0 <= i < n for i, n in zip(rec["index"], shape)):  # anything else: not ours, recomputed
                done[tuple(rec["index"])] = rec
    return done


def _is_record(rec: Any) -> bool:
    """A point record as :func:`_record_as_completed` writes it: index, status, numeric values."""
    return (isinstance(rec, dict) and isinstance(rec.get("index"), list)
            and all(isinstance(i, int) and not isinstance(i, bool) for i in rec["index"])
            and isinstance(rec.get("status"), str) and (rec["status"] == "done" or rec["status"].startswith("failed"))
            and isinstance(rec.get("values", {}), dict)
            and all(isinstance(v, (int, float)) or v is None for v in rec.get("values", {}).values()))


def _connect(scheduler: str | None, workers: int | None, quiet: bool):
    from distributed import Client, LocalCluster

    if scheduler is None:
        cluster = LocalCluster(n_workers=workers or max(1, os.cpu_count() or 1), threads_per_worker=1,
                               processes=True, dashboard_address=":0", silence_logs=50)
        return Client(cluster), cluster
    try:
        client = Client(scheduler, timeout="5s")
    except (OSError, TimeoutError) as exc:
        raise UserInputError(f"--scheduler {scheduler!r}: cannot connect within 5 s ({type(exc).__name__})") from None
    return client, None


def run_sweep(name: str, axes: list[GridAxis], fixed: dict[str, Any] | None = None, *,
              out_dir: str | Path | None = None, scheduler: str | None = None, workers: int | None = None,
              resume: bool = False, fmt: str = "netcdf", timeout_s: float | None = None, seed: int = 0,
              quiet: bool = True, chunk_size: int | None = None,
              evaluate: Callable | None = None, progress: Callable | None = None,
              on_start: Callable | None = None, allow_large: bool = False,
              on_size: Callable[[int], None] | None = None) -> SweepOutcome:
    """Evaluate scenario ``name`` over the Cartesian product of ``axes`` (see the module doc).

    ``evaluate`` replaces :func:`evaluate_point` (benchmarks use a trivial one); ``progress``
    receives (done, failed, total) after every finished task; ``on_start(total, already_done,
    dashboard_link)`` is called once the cluster is up; ``on_size(n_points)`` before anything
    runs. Grids above :data:`MAX_POINTS` points are refused unless ``allow_large``.
    """
    scenario = get_scenario(name)
    fixed = dict(fixed or {})
    _validate_sweep(scenario, axes, fixed, fmt, seed, allow_large, on_size,
                    0 if scheduler is not None else (workers or max(1, os.cpu_count() or 1)))
    out = Path(out_dir) if out_dir is not None else Path("sweeps") / name
    definition = {"scenario": name, "seed": seed, "fixed": fixed,
                  "axes": {a.name: list(a.values) for a in axes}}
    def_path = out / DEFINITION_FILE
    if resume and def_path.exists() and _read_definition(def_path) != json.loads(json.dumps(definition)):
        raise UserInputError(f"{def_path} describes another sweep; run without --resume or use another --out")
    points_path = out / POINTS_FILE
    shape = tuple(len(a.values) for a in axes)
    all_points = [(idx, {**fixed, **{a.name: a.values[i] for a, i in zip(axes, idx)}})
                  for idx in itertools.product(*[range(n) for n in shape])]
    done = _read_points(points_path, shape) if resume else {}
    todo = [(idx, p) for idx, p in all_points if done.get(idx, {}).get("status") != "done"]

    t0 = time.perf_counter()
    dashboard = None
    n_done = sum(1 for r in done.values() if r["status"] == "done")
    # connect before anything is written: an unreachable scheduler leaves no trace
    client, cluster = _connect(scheduler, workers, quiet) if todo else (None, None)
    with _faults_lose_nothing(out, points_path), _closing(client, cluster):
        with io.file_errors("write into", out):
            out.mkdir(parents=True, exist_ok=True)
            if not resume and points_path.exists():
                points_path.unlink()
        io.write_toml(def_path, definition)
        if client is not None:
            try:
                dashboard = client.dashboard_link
            except Exception:  # no dashboard (bokeh missing or disabled)
                dashboard = None
            if on_start is not None:
                on_start(len(all_points), n_done, dashboard)
            n_workers = max(1, len(client.scheduler_info().get("workers", {})) or (workers or 1))
            size = chunk_size or max(1, min(200, len(todo) // (8 * n_workers)))
            chunks = [todo[i:i + size] for i in range(0, len(todo), size)]
            futures = [client.submit(_evaluate_chunk, name, c, seed, timeout_s, evaluate, pure=False) for c in chunks]
            _record_as_completed(futures, points_path, n_done, len(all_points), progress)
    with _faults_lose_nothing(out, points_path):
        ds = assemble(name, axes, fixed, seed, _read_points(points_path, shape), scenario.reference)
        target = _write_dataset(ds, out, fmt)
    n_failed = int(np.sum(ds["status"].values != "done"))
    return SweepOutcome(out, target, len(all_points), len(all_points) - n_failed, n_failed,
                        time.perf_counter() - t0, dashboard)


@contextlib.contextmanager
def _closing(client, cluster) -> Iterator[None]:
    try:
        yield
    finally:
        if client is not None:
            client.close()
        if cluster is not None:
            cluster.close()


@contextlib.contextmanager
def _faults_lose_nothing(out: Path, points_path: Path) -> Iterator[None]:
    """A :class:`~nupair.io.FileFault` (disk full, read-only, permission) says what was kept; a
    folder this sweep created and could not use is removed."""
    existed = out.exists()
    try:
        yield
    except io.FileFault as exc:
        if points_path.exists() and points_path.stat().st_size > 0:
            kept = (f"nothing was lost: the points finished so far are in {str(points_path)!r}; once fixed, "
                    f"continue with --resume --out {out}")
        else:
            kept = "no point had finished"
            if not existed:
                shutil.rmtree(out, ignore_errors=True)
        raise io.FileFault(f"{exc}; {kept}", exc.path, exc.errno) from None


def _read_definition(path: Path) -> Any:
    """The sweep definition (``sweep.toml``) of a folder being resumed (data only: TOML)."""
    try:
        return io.read_toml(path)
    except (OSError, io.tomllib.TOMLDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise UserInputError(f"{str(path)!r} cannot be read ({type(exc).__name__}); remove the folder's sweep files "
                             "or choose another --out to start afresh") from None


def _validate_sweep(scenario, axes: list[GridAxis], fixed: dict, fmt: str, seed: int, allow_large: bool,
                    on_size: Callable[[int], None] | None, local_workers: int = 0) -> None:
    """Refuse a bad sweep before anything runs or is written: axes, format, size, and the fixed
    parameters and every corner of the grid validated as a run would validate them, their memory
    times the ``local_workers`` running side by side included (0: a remote scheduler's machines)."""
    if not axes:
        raise UserInputError("a sweep needs at least one --grid axis")
    names = [a.name for a in axes]
    if len(set(names)) != len(names):
        raise UserInputError(f"--grid: a parameter appears twice ({names})")
    overlap = set(names) & set(fixed)
    if overlap:
        raise UserInputError(f"parameter {sorted(overlap)[0]!r} is both swept (--grid) and fixed (--set)")
    if fmt not in ("netcdf", "zarr"):
        raise UserInputError(f"--format {fmt!r}: allowed 'netcdf' or 'zarr'")
    n_total = math.prod(len(a.values) for a in axes)
    if n_total > MAX_POINTS and not allow_large:
        raise UserInputError(f"the grid has {n_total:,} points (more than {MAX_POINTS:,}); add --yes to run it anyway")
    if on_size is not None:
        on_size(n_total)
    resolve_parameters(scenario, fixed, seed=seed)
    for corner in itertools.product(*[(a.values[0], a.values[-1]) for a in axes]):
        values, _ = resolve_parameters(scenario, {**fixed, **dict(zip(names, corner))}, seed=seed)
        if local_workers:  # the points run side by side on this machine
            check_memory(scenario.name, scenario, values, allow_large, copies=local_workers)


def _record_as_completed(futures, points_path: Path, n_done: int, n_total: int, progress: Callable | None) -> None:
    """Append every finished chunk's records to ``points.jsonl`` at once (fsync'd: a killed sweep
    resumes from them), reporting (done, failed, total) after each chunk."""
    from distributed import as_completed

    n_failed = 0
    with io.file_errors("write", points_path), open(points_path, "a", encoding="utf-8") as fh:
        for fut in as_completed(futures):
            for idx, rec in fut.result():
                fh.write(json.dumps({"index": list(idx), **rec}) + "\n")
                if rec["status"] == "done":
                    n_done += 1
                else:
                    n_failed += 1
            fh.flush()
            os.fsync(fh.fileno())
            fut.release()
            if progress is not None:
                progress(n_done, n_failed, n_total)


def _write_dataset(ds, out: Path, fmt: str) -> Path:
    """``out/sweep.nc`` (atomic) or ``out/sweep.zarr`` (written aside, then renamed into place)."""
    target = out / ("sweep.zarr" if fmt == "zarr" else "sweep.nc")
    if fmt == "zarr":
        tmp = out / ".sweep.zarr.tmp"
        with io.file_errors("write", target):
            if tmp.exists():
                shutil.rmtree(tmp)
            ds.to_zarr(tmp, mode="w")
            if target.exists():
                shutil.rmtree(target)
            os.replace(tmp, target)
    else:
        io.write_netcdf(target, ds)
    return target


def assemble(name, axes, fixed, seed, records: dict[tuple, dict], reference: str):
    """One Dataset from the point records: a dimension per axis, NaN where a point failed."""
    import xarray as xr

    shape = tuple(len(a.values) for a in axes)
    dims = tuple(a.name for a in axes)
    keys = sorted({k for r in records.values() for k in r.get("values", {})})
    data = {k: np.full(shape, np.nan) for k in keys}
    status = np.full(shape, "missing", dtype=object)
    for idx, rec in records.items():
        status[idx] = rec["status"]
        for k, v in rec.get("values", {}).items():
            data[k][idx] = v
    # a summary value named like a swept parameter (the summary echoing its input) must not
    # collide with the grid coordinate: the coordinate wins, the echo is kept as NAME__summary
    variables = {}
    for k, v in data.items():
        var_name = k.replace(".", "__")
        if var_name in dims or var_name == "status":
            var_name = f"{var_name}__summary"
        variables[var_name] = xr.Variable(dims, v, _summary_attrs(name, k))
    variables["status"] = xr.Variable(dims, status.astype(str), {"units": "1", "long_name": "point status"})
    described = {row["name"]: row for row in describe_parameters(get_scenario(name).parameters)}
    coords = {}
    for a in axes:
        row = described.get(a.name, {})
        coords[a.name] = xr.Variable((a.name,), a.as_array(),
                                     {"units": row.get("unit") or "1", "long_name": row.get("description") or a.name})
    ds = xr.Dataset(variables, coords)
    params = {"fixed": fixed, "axes": {a.name: list(a.values) for a in axes}}
    ds.attrs.update(io.provenance(name, params, seed, reference))
    ds.attrs["sweep_axes"] = ",".join(dims)
    return ds


def _summary_attrs(name: str, key: str) -> dict[str, str]:
    """Units and meaning of a summary value from the scenario's ``summary_keys``: the meaning's
    last bracket is the unit ("... [MeV]"); a nested key ("a.b") takes its parent's entry."""
    keys = get_scenario(name).summary_keys
    top = key.split(".")[0]
    meaning = keys.get(key) or next((v for k, v in keys.items() if k.split("/")[0] == top or k == top), "")
    match = re.search(r"\[([^\[\]]+)\]\s*$", meaning)
    unit = match.group(1) if match else "1"
    if unit in ("1", "dimensionless"):
        unit = "1"
    return {"units": unit, "long_name": f"{key}: {meaning}" if meaning else key}


def load_sweep(path: str | Path):
    """Open a sweep's dataset (netCDF or Zarr): the sweep folder, or the dataset itself
    (``SweepOutcome.dataset_path``)."""
    import xarray as xr

    path = Path(path)
    if path.name in ("sweep.nc", "sweep.zarr"):
        path = path.parent
    for target, kind in ((path / "sweep.zarr", "Zarr store"), (path / "sweep.nc", "netCDF file")):
        if not target.exists():
            continue
        try:
            if kind == "Zarr store":
                return xr.open_zarr(target).load()
            with xr.open_dataset(target, engine="h5netcdf") as ds:
                return ds.load()
        except OSError as exc:
            if exc.errno is not None:
                raise io.fault_from_os_error(exc, "read", target) from None
            raise io.FileFault(f"cannot read {str(target)!r}: it is not a {kind} (damaged or of another kind: "
                               f"{exc}); rerun the sweep with --out elsewhere", target) from None
        except (ValueError, KeyError, TypeError) as exc:
            raise io.FileFault(f"cannot read {str(target)!r}: it is not a {kind} nupair wrote ({type(exc).__name__}: "
                               f"{exc}); rerun the sweep with --out elsewhere", target) from None
    raise UserInputError(f"{str(path)!r} holds no sweep.nc or sweep.zarr")
