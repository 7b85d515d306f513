"""Run a scenario end to end: the one place that owns everything around the physics.

For every scenario alike:

1. **Validation** of all fields and cross-field rules (defaults < config file < ``--set``),
   the seed, the output folder and the cost estimate — before anything touches the disk.
2. **Lock** on the output folder (``OUT/.nupair.lock``, an ``flock`` holding the PID): a second
   run into a busy folder is refused naming the holder; a lock left by a dead process is free.
3. **Tasks** run in order with **checkpoints** after every task and every long segment that a
   task saves (``OUT/checkpoint.pkl``: the configuration hash, the finished tasks' results and
   the running task's partial state, written atomically). ``--resume`` continues from it.
4. **Progress** from task costs and the running task's own fraction; the time left is the
   elapsed time scaled by the work left.
5. **Interrupts** (SIGINT, SIGTERM) keep the last checkpoint and end with
   :class:`RunInterrupted` (the CLI prints one line and exits 130).
6. **Output** is committed as a whole: ``result.nc``, ``summary.json``, ``figure.png`` and
   ``config.toml`` are written into a staging folder and swapped into place in one rename, so
   a reader never sees a partial or mixed folder. The figure is drawn only from a valid dataset
   and summary; a NaN or inf in the summary is a failure, never ``null``.
7. On a **failure** the folder is left as it was before the run (a folder this run created is
   removed); numerical failures are reported as :class:`nupair.results.SolverError`.

The parts live in their own modules: parameters (``_parameters``), the task loop and the summary
check (``_execution``), the authenticated checkpoint store (``_checkpoint``), the output folder
(``_output``) and the progress bar (``_progress``); this module is the pipeline that joins them,
one for the command line and for :func:`run` alike.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from nupair import io
from nupair.results import SolverError
from nupair.scenarios import get_scenario
from nupair.scenarios._base import Scenario, UserInputError
from nupair.scenarios._checkpoint import CHECKPOINT_NAME, CheckpointStore
from nupair.scenarios._execution import check_summary, compute
from nupair.scenarios._output import LOCK_NAME, OUTPUT_FILES, OutputFolder, signals_as_interrupts  # noqa: F401
from nupair.scenarios._parameters import (
    DEFAULT_MAX_COST_S,
    check_cost as _check_cost,
    human_s as _human_s,  # noqa: F401  (kept for callers of the runner's former private name)
    parse_set_option,
    resolve_parameters,
)
from nupair.scenarios._progress import RichProgress
from nupair import validation as _v

__all__ = ["run", "RunResult", "RunOutcome", "RunInterrupted", "resolve_parameters", "run_scenario", "parse_set_option",
           "RichProgress", "compute", "check_summary", "DEFAULT_MAX_COST_S", "OUTPUT_FILES"]


class RunInterrupted(KeyboardInterrupt):
    """The run was stopped by SIGINT/SIGTERM (or Ctrl-C in a notebook); its message says how to
    resume (the checkpoint is kept when the run writes to a folder)."""


@dataclass(frozen=True)
class RunOutcome:
    """Where a run wrote its files, and its summary."""

    out_dir: Path
    summary: dict
    wall_s: float
    resumed: bool


def _scenario(name: Any) -> Scenario:
    if not isinstance(name, str):
        raise UserInputError(_v.refused(f"scenario name {name!r}", "must be a string (see 'nupair list')"))
    return get_scenario(name)


def _execute(name: str, scenario: Scenario, params, seed: int, cost: float, progress: Callable | None,
             checkpoint: CheckpointStore | None, resume_hint: str) -> tuple[Any, dict, float]:
    """The pipeline every run shares: tasks (with checkpoints), dataset and summary checked,
    provenance attached. Returns ``(dataset, summary_doc, wall_s)``."""
    param_dict = params.model_dump(mode="json")
    t0 = time.perf_counter()
    with signals_as_interrupts(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            dataset, summary = compute(scenario, params, seed, progress, checkpoint)
        except KeyboardInterrupt:
            raise RunInterrupted(f"{name} interrupted; {resume_hint}") from None
        except SolverError as exc:
            done = len(checkpoint.done) if checkpoint is not None else 0
            kept = f"; the {done} finished task(s) are kept in {checkpoint.path} for --resume" if done else ""
            raise SolverError(f"{name}: {exc.detail}{kept}", exc.status, exc.result) from None
        except UserInputError:
            if checkpoint is not None:
                checkpoint.done, checkpoint.partial = {}, {}  # the same parameters would fail again
            raise
        except ValueError as exc:  # a capability refused a combination the parameter model let through
            if checkpoint is not None:
                checkpoint.done, checkpoint.partial = {}, {}
            raise _refused(name, exc) from None
    wall = time.perf_counter() - t0
    dataset.attrs.update(io.provenance(name, param_dict, seed, scenario.reference))
    io.check_units(dataset)
    return dataset, _summary_doc(name, scenario, dataset, summary, param_dict, seed, wall, cost, caught), wall


def _write_outputs(folder: Path, name: str, scenario: Scenario, dataset, summary_doc: dict, seed, param_dict) -> None:
    import matplotlib.pyplot as plt

    figure = scenario.plot(dataset)
    try:
        io.write_netcdf(folder / "result.nc", dataset)
        io.write_json(folder / "summary.json", summary_doc)
        io.write_figure(folder / "figure.png", figure)
        io.write_toml(folder / "config.toml", {"scenario": name, "seed": seed, "parameters": param_dict})
    finally:
        plt.close(figure)


def run_scenario(
    name: str,
    overrides: dict[str, Any] | None = None,
    *,
    config_path: str | Path | None = None,
    out_dir: str | Path | None = None,
    seed: int | None = None,
    resume: bool = False,
    quiet: bool = True,
    progress: Callable[[float, str], None] | None = None,
    allow_expensive: bool = False,
    max_cost_s: float | None = None,
) -> RunOutcome:
    """Run scenario ``name`` and write its outputs to ``out_dir`` (default ``runs/NAME``).

    Nothing is written before the parameters, the output folder and the cost estimate pass
    (:class:`UserInputError`). With ``resume`` the run continues from ``out_dir/checkpoint.pkl``
    (same parameters and seed required; only a checkpoint nupair wrote under this account is
    read); without it an existing checkpoint is refused rather than overwritten. A run estimated
    above ``max_cost_s`` (default 900 s, or the environment variable ``NUPAIR_MAX_COST_S``) needs
    ``allow_expensive``. ``progress`` overrides the progress callback. An interrupt raises
    :class:`RunInterrupted` with the checkpoint kept.
    """
    scenario = _scenario(name)
    params, seed = resolve_parameters(scenario, overrides, config_path, seed)
    cost = _check_cost(name, scenario, params, allow_expensive, max_cost_s)
    out = Path(out_dir) if out_dir is not None else Path("runs") / name
    param_dict = params.model_dump(mode="json")
    checkpoint = CheckpointStore(out / CHECKPOINT_NAME, io.parameters_hash(param_dict, seed))
    folder = OutputFolder(out, has_work=lambda: checkpoint.has_work)
    if folder.had_checkpoint and not resume:
        raise UserInputError(f"output folder {str(out)!r} holds the checkpoint of an interrupted run; add "
                             "--resume to continue it, or choose another --out")
    if resume:
        checkpoint.load()  # validates before anything is written
    bar = RichProgress(name, enabled=not quiet) if progress is None else None
    try:
        with folder:
            if resume:  # re-read under the lock: another run may have finished meanwhile
                checkpoint.load()
            resumed = checkpoint.has_work
            dataset, summary_doc, wall = _execute(
                name, scenario, params, seed, cost, progress if progress is not None else bar, checkpoint,
                f"resume with: nupair run {name} --out {out} --resume (from Python: nupair.run({name!r}, "
                f"out={str(out)!r}, resume=True)), with the same parameters")
            folder.commit(lambda staging: _write_outputs(staging, name, scenario, dataset, summary_doc, seed,
                                                         param_dict))
    except io.FileFault as exc:
        raise io.FileFault(f"{exc}; {_nothing_lost(out, folder, checkpoint, name)}", exc.path, exc.errno) from None
    finally:
        if bar is not None:
            bar.close()
    return RunOutcome(out_dir=out, summary=summary_doc, wall_s=wall, resumed=resumed)


def _nothing_lost(out: Path, folder: OutputFolder, checkpoint: CheckpointStore, name: str) -> str:
    """What a run stopped by a file fault kept: the previous outputs, and the checkpoint to resume."""
    kept = []
    if folder.existed and any((out / f).exists() for f in OUTPUT_FILES):
        kept.append(f"the previous outputs in {str(out)!r} are untouched")
    if checkpoint.path.exists() and checkpoint.has_work:
        kept.append(f"the checkpoint {str(checkpoint.path)!r} keeps the work finished so far (continue it once "
                    f"fixed with: nupair run {name} --out {out} --resume)")
    if not kept:
        return "nothing had finished and nothing of an earlier run was touched"
    return "nothing was lost: " + " and ".join(kept)


def _refused(name: str, exc: ValueError) -> UserInputError:
    """A capability refused a combination the parameter model let through: a one-line input error."""
    return UserInputError(f"{name}: these parameters are outside what the computation supports: {exc}")


#: summary.json keys the runner writes; a scenario's own summary may not redefine them.
RESERVED_SUMMARY_KEYS = frozenset({"scenario", "nupair_version", "seed", "parameters", "reference", "wall_time_s",
                                   "estimated_time_s", "warnings"})


def _summary_doc(name: str, scenario: Scenario, dataset, summary: dict, param_dict: dict, seed, wall: float,
                 cost: float, caught) -> dict:
    """summary.json: provenance, timing, the scenario's numbers and the numerical warnings of the run
    (part of the result, not printed to the terminal)."""
    clash = RESERVED_SUMMARY_KEYS & set(summary)
    if clash:  # a programming error of the scenario: its number would silently replace the runner's
        raise RuntimeError(f"scenario {name!r}: its summary redefines the runner's keys {sorted(clash)}")
    return {
        "scenario": name,
        "nupair_version": dataset.attrs["nupair_version"],
        "seed": seed,
        "parameters": param_dict,
        "reference": scenario.reference,
        "wall_time_s": wall,
        "estimated_time_s": cost,
        **summary,
        "warnings": sorted({f"{w.category.__name__}: {w.message} ({Path(w.filename).name}:{w.lineno})"
                            for w in caught}),
    }


@dataclass(frozen=True)
class RunResult:
    """What :func:`run` returns: the dataset, the summary (as in ``summary.json``) and the figure.

    ``out_dir`` is where the files were written (None when ``out`` was not given).
    """

    dataset: Any
    summary: dict
    figure: Any
    out_dir: Path | None = None

    def __repr__(self) -> str:
        keys = [k for k in self.summary if k not in RESERVED_SUMMARY_KEYS]
        shown = ", ".join(keys[:6]) + (", ..." if len(keys) > 6 else "")
        where = f", out_dir={str(self.out_dir)!r}" if self.out_dir is not None else ""
        return (f"RunResult(scenario={self.summary.get('scenario')!r}, variables={len(self.dataset.data_vars)}, "
                f"summary keys: {shown}{where})")


def run(name: str, *, seed: int | None = None, out: str | Path | None = None, resume: bool = False,
        allow_expensive: bool = False, **params) -> RunResult:
    """Run scenario ``name`` from Python (notebooks): ``nupair.run("pairing-two-pair", mu_over_energy=1e-2)``.

    Parameters are keyword arguments (``nupair.scenarios.available()`` lists the scenarios,
    ``nupair show NAME`` their parameters). The same validation and errors as the command line
    (:class:`~nupair.scenarios.UserInputError` for bad input or a run estimated above 15 min
    without ``allow_expensive``; :class:`~nupair.results.SolverError` for a numerical failure).
    Files (``result.nc``, ``summary.json``, ``figure.png``, ``config.toml``) are written only when
    ``out`` is given, under the runner's full contract (lock, checkpoints, atomic commit).
    Ctrl-C (KeyboardInterrupt, SIGINT or SIGTERM) stops the run with :class:`RunInterrupted`,
    whose message says how to resume; the checkpoint is kept when ``out`` is given.
    """
    import xarray as xr

    scenario = _scenario(name)
    if out is not None and not isinstance(out, (str, Path)):
        raise UserInputError(_v.refused(f"out={out!r}", "must be a folder path (str or pathlib.Path)"))
    if resume and out is None:
        raise UserInputError("resume=True needs out=: the folder whose checkpoint to continue")
    if out is not None:
        outcome = run_scenario(name, params, out_dir=out, seed=seed, resume=resume, allow_expensive=allow_expensive)
        with xr.open_dataset(Path(out) / "result.nc", engine="h5netcdf") as ds:
            dataset = ds.load()
        return RunResult(dataset, outcome.summary, scenario.plot(dataset), Path(out))
    values, seed = resolve_parameters(scenario, params, seed=seed)
    cost = _check_cost(name, scenario, values, allow_expensive, None, flag="pass allow_expensive=True")
    dataset, summary_doc, _ = _execute(name, scenario, values, seed, cost, None, None,
                                       "nothing was kept: pass out='FOLDER' to keep a checkpoint, then "
                                       "resume=True continues it")
    return RunResult(dataset, summary_doc, scenario.plot(dataset), None)
