"""Result and status types shared by all integrators."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray


class Status(enum.Enum):
    """Outcome of an integration; each member's value says what to do next (diffrax style)."""

    SUCCESSFUL = "integration reached the final time"
    SOLVER_FAILED = (
        "the adaptive solver stopped before the final time (step size underflow or a non-finite "
        "right-hand side); loosen rtol/atol, check the state for NaN, or use a smaller max_step"
    )
    NON_FINITE = (
        "the state became non-finite (NaN or inf); reduce the step (RK4: smaller dt) or check "
        "the parameters for an unphysical regime"
    )
    INTERRUPTED = "the run was stopped after the last completed segment; resume from it"


@dataclass(frozen=True)
class EvolutionResult:
    """Trajectory returned by :func:`nupair.numerics.evolve`.

    Attributes
    ----------
    t : ndarray, shape (n_saved,)
        Save times reached so far (the unit of the caller's time variable).
    y : ndarray, shape (n_saved, *state_shape)
        State at each save time (or the observables ``observe`` returned).
    t_reached : float
        Last segment boundary reached (equals t[-1] when the run completed).
    y_reached : ndarray, shape state_shape
        State at ``t_reached`` (the restart point of a resumed run).
    segments_done : int
        Number of completed segments (checkpoint granularity).
    status : Status
        Outcome; ``status.value`` explains what to do on failure.
    message : str
        Details (time of failure, solver message).
    stats : dict
        ``n_rhs`` (right-hand-side evaluations), ``n_steps`` (accepted steps, fixed-step solvers
        and estimates for adaptive ones), ``wall_s`` (wall time in seconds, this call only).
    """

    t: NDArray[np.float64]
    y: NDArray
    t_reached: float
    y_reached: NDArray
    segments_done: int
    status: Status
    message: str = ""
    stats: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """True when the integration reached the final time."""
        return self.status is Status.SUCCESSFUL


def result_to_arrays(result: EvolutionResult) -> dict[str, np.ndarray]:
    """Plain arrays of a (partial) result, for checkpoint files (inverse: result_from_arrays)."""
    return {
        "t": result.t,
        "y": result.y,
        "t_reached": np.asarray(result.t_reached),
        "y_reached": result.y_reached,
        "segments_done": np.asarray(result.segments_done),
    }


def result_from_arrays(arrays: dict[str, np.ndarray]) -> EvolutionResult:
    """Rebuild a partial :class:`EvolutionResult` from :func:`result_to_arrays` output."""
    return EvolutionResult(
        t=np.asarray(arrays["t"]),
        y=np.asarray(arrays["y"]),
        t_reached=float(arrays["t_reached"]),
        y_reached=np.asarray(arrays["y_reached"]),
        segments_done=int(arrays["segments_done"]),
        status=Status.INTERRUPTED,
        message="restored from checkpoint",
    )
