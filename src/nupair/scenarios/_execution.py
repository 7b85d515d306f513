"""The runner's execution layer: the one task loop (with its checkpoints) and the summary check.

:func:`compute` runs a scenario's tasks in order, resuming finished ones and the running one's
saved segment from a :class:`~nupair.scenarios._checkpoint.CheckpointStore`, then assembles and
summarises. Every way of running a scenario (``nupair run``, ``nupair.run``, sweeps) goes through it.
"""

from __future__ import annotations

import math
import os
import time
from typing import Any, Callable

from nupair.results import SolverError
from nupair.scenarios._base import Scenario, TaskContext, UserInputError
from nupair.scenarios._checkpoint import CheckpointStore

__all__ = ["compute", "check_summary"]


def _test_pause() -> None:
    """Test seam: sleep after each checkpoint so that a test can kill the run at a known point."""
    pause = os.environ.get("NUPAIR_TEST_PAUSE_AFTER_CHECKPOINT_S")
    if pause:
        time.sleep(float(pause))


def compute(scenario: Scenario, params, seed: int | None, progress: Callable | None = None,
            checkpoint: CheckpointStore | None = None) -> tuple[Any, dict]:
    """Run the scenario's tasks (resuming finished ones from ``checkpoint``), assemble and
    summarise. Returns ``(dataset, summary)``; the summary is checked by :func:`check_summary`."""
    tasks = scenario.tasks(params, seed)
    names = [t.name for t in tasks]
    if len(set(names)) != len(names):  # pragma: no cover - a scenario bug
        raise RuntimeError(f"scenario {scenario.name}: duplicate task names {names}")
    total = sum(t.cost for t in tasks) or 1.0
    done_cost = 0.0
    results: dict[str, Any] = {}
    for task in tasks:
        if checkpoint is not None and task.name in checkpoint.done:
            results[task.name] = checkpoint.done[task.name]
            done_cost += task.cost
            continue

        def report(fraction, detail="", base=done_cost, task=task):
            if progress is not None:
                f = min(max(float(fraction), 0.0), 1.0)
                progress((base + task.cost * f) / total, detail or task.name)

        def save(state, task=task):
            if checkpoint is not None:
                checkpoint.partial = {task.name: state}
                checkpoint.save()
                _test_pause()

        resume = checkpoint.partial.get(task.name) if checkpoint is not None else None
        result = _run_task(task, TaskContext(seed, resume, save, report, results), checkpoint)
        results[task.name] = result
        done_cost += task.cost
        if checkpoint is not None:
            checkpoint.done[task.name] = result
            checkpoint.partial = {}
            checkpoint.save()
            _test_pause()
        if progress is not None:
            progress(done_cost / total, task.name)
    dataset = scenario.assemble(params, results)
    summary = scenario.summary(dataset)
    check_summary(summary)
    return dataset, summary


def _run_task(task, ctx: TaskContext, checkpoint: CheckpointStore | None) -> Any:
    """``task.fn(ctx)``; a saved partial state the task cannot use (keys missing, wrong types: a
    damaged or foreign-version checkpoint) is refused as a checkpoint problem, not a crash."""
    if ctx.resume is None:
        return task.fn(ctx)
    try:
        return task.fn(ctx)
    except (KeyError, TypeError, IndexError, AttributeError) as exc:
        raise UserInputError(f"checkpoint {checkpoint.path}: the saved state of task {task.name!r} cannot be used "
                             f"({type(exc).__name__}: {exc}); remove the checkpoint to start afresh") from None


def check_summary(summary: dict, prefix: str = "") -> None:
    """Raise :class:`SolverError` if any number in the summary is NaN or infinite."""
    for key, value in summary.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            check_summary(value, f"{name}.")
            continue
        items = value if isinstance(value, (list, tuple)) else [value]
        for v in items:
            if isinstance(v, dict):
                check_summary(v, f"{name}.")
            elif isinstance(v, float) and not math.isfinite(v):
                raise SolverError(f"summary value {name!r} is {v!r}: the computation did not give a finite "
                                  "number for these parameters")
            elif hasattr(v, "dtype") and getattr(v, "dtype").kind == "f":
                import numpy as np

                if not np.all(np.isfinite(v)):
                    raise SolverError(f"summary value {name!r} is not finite")
