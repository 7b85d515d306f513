"""One entry point for time integration: :func:`evolve`."""

from __future__ import annotations

import math
import time
from typing import Callable, Union

import numpy as np
from numpy.typing import ArrayLike

from nupair import validation as _v
from nupair.numerics._result import EvolutionResult, Status
from nupair.numerics.adaptive import Adaptive
from nupair.numerics.rk4 import RK4

Solver = Union[Adaptive, RK4]

__all__ = ["evolve", "segment_boundaries"]


def segment_boundaries(t0: float, t_final: float, segment_length: float | None) -> np.ndarray:
    """Segment end times t0 + k L (k = 1, 2, ...), the last one clipped to t_final.

    The grid depends only on (t0, t_final, L), so a resumed run restarts the solver at exactly
    the same times as an uninterrupted one and reproduces it to the last bit.
    """
    if segment_length is None or segment_length >= t_final - t0:
        return np.array([t_final])
    n = math.ceil((t_final - t0) / segment_length - 1e-9)
    ends = t0 + segment_length * np.arange(1, n + 1)
    ends[-1] = t_final
    return ends


def evolve(
    rhs: Callable,
    y0: ArrayLike,
    t_save: ArrayLike,
    *,
    solver: Solver | None = None,
    args: tuple = (),
    segment_length: float | None = None,
    resume: EvolutionResult | None = None,
    on_segment: Callable[[EvolutionResult], None] | None = None,
    observe: Callable[[float, np.ndarray], np.ndarray] | None = None,
) -> EvolutionResult:
    """Integrate dy/dt = rhs(t, y, *args) and return the state at the save times.

    Parameters
    ----------
    rhs : callable
        ``rhs(t, y, *args) -> dy/dt`` with the shape of y.
    y0 : array
        Initial state at ``t_save[0]`` (any shape; real or complex).
    t_save : array, shape (n_t,)
        Strictly increasing save times; the first is the initial time.
    solver : Adaptive or RK4
        Integrator and its options; default ``Adaptive("DOP853", rtol=1e-10, atol=1e-12)``.
    args : tuple
        Extra arguments passed to ``rhs``.
    segment_length : float, optional
        Split [t0, t_final] into segments of this length; the solver restarts at each boundary,
        ``on_segment`` is called after each, and a run can be resumed from any of them.
    resume : EvolutionResult, optional
        A partial result (from ``on_segment``) to continue from; must come from a run with the
        same ``t_save`` and ``segment_length``.
    on_segment : callable, optional
        Called with the partial result after every completed segment (checkpointing, progress).
        An exception raised there stops the integration and propagates.
    observe : callable, optional
        ``observe(t, y) -> array`` of fixed shape: what is stored at each save time instead of
        the full state (keeps memory O(N) for large systems); ``y_reached`` is always the state.

    Returns
    -------
    EvolutionResult
        With ``status`` SUCCESSFUL, or SOLVER_FAILED / NON_FINITE and the trajectory up to the
        last completed segment.
    """
    solver = solver or Adaptive()
    t_save = np.asarray(t_save, dtype=float)
    if t_save.ndim != 1 or t_save.size < 2 or not np.all(np.diff(t_save) > 0):
        raise ValueError("t_save must be a strictly increasing 1-D array with at least 2 times")
    if not np.all(np.isfinite(t_save)):
        raise ValueError("t_save must be finite")
    if segment_length is not None and not (math.isfinite(segment_length) and segment_length > 0):
        raise ValueError(_v.refused(f"segment_length={segment_length!r}", "must be > 0"))
    y0 = np.asarray(y0)
    if not np.all(np.isfinite(y0)):
        raise ValueError("y0 contains non-finite values")

    t0, t_final = float(t_save[0]), float(t_save[-1])
    ends = segment_boundaries(t0, t_final, segment_length)
    if resume is not None:
        if resume.segments_done > len(ends) or resume.t.size == 0 or resume.t[0] != t0:
            raise ValueError("resume does not belong to this time grid (t_save/segment_length differ)")
        saved_t = list(resume.t)
        saved_y = list(resume.y)
        y = np.asarray(resume.y_reached)
        t_start = resume.t_reached
        k0 = resume.segments_done
    else:
        first = observe(t0, y0) if observe else y0.copy()
        # the saved samples are kept twice at the end (the list and the stacked array)
        _v.require_memory(2.0 * t_save.size * np.asarray(first).nbytes, "t_save",
                          f"({t_save.size} samples of a state of {np.asarray(first).size} values)")
        saved_t, saved_y = [t0], [first]
        y, t_start, k0 = y0.copy(), t0, 0

    stats = {"n_rhs": 0, "n_segments": 0}
    wall0 = time.perf_counter()
    status, message = Status.SUCCESSFUL, ""
    for k in range(k0, len(ends)):
        t_end = float(ends[k])
        inside = t_save[(t_save > t_start) & (t_save <= t_end)]
        try:
            ys, y_end, seg_stats, err = solver.integrate(rhs, t_start, t_end, y, inside, args)
        except FloatingPointError as exc:  # raised by a right-hand side that checks its output
            ys, y_end, seg_stats, err = None, None, {}, f"non-finite: {exc}"
        stats["n_rhs"] += seg_stats.get("n_rhs", 0)
        if "failed_component" in seg_stats:  # flattened index of the component that went bad
            stats["failed_component"] = seg_stats["failed_component"]
        if err is None and not np.all(np.isfinite(y_end)):
            err = f"non-finite state at t = {t_end}"
        if err is not None:
            status = Status.NON_FINITE if "non-finite" in err else Status.SOLVER_FAILED
            message = f"segment [{t_start}, {t_end}]: {err}"
            break
        saved_t.extend(inside.tolist())
        saved_y.extend([observe(tt, yy) for tt, yy in zip(inside, ys)] if observe else list(ys))
        y, t_start = y_end, t_end
        stats["n_segments"] += 1
        if on_segment is not None:
            on_segment(
                EvolutionResult(
                    t=np.array(saved_t), y=np.stack(saved_y), t_reached=t_start, y_reached=y,
                    segments_done=k + 1, status=Status.INTERRUPTED,
                    message=f"segment {k + 1} of {len(ends)} done", stats=dict(stats),
                )
            )
    stats["wall_s"] = time.perf_counter() - wall0
    return EvolutionResult(
        t=np.array(saved_t), y=np.stack(saved_y), t_reached=t_start, y_reached=y,
        segments_done=k0 + stats["n_segments"], status=status, message=message, stats=stats,
    )
