"""What happened, and what to do next: the one status and failure contract of every capability.

Every long or iterative capability function (an evolution, a Monte Carlo run, a fit, a root
find, a TOV solve, a cooling curve, an exposure) returns a frozen result dataclass whose
``status`` is a :class:`Status` member. The member's value tells the user what to do next, in the
manner of diffrax's ``RESULTS``. Nothing returns an unconverged number silently: either the
result's ``status`` says so, or the function raises :class:`SolverError` (a numerical failure —
never a :class:`ValueError`, which is reserved for bad input naming the parameter, its value and
the allowed range).

Results that a scenario task returns must be plain data (dataclasses, dicts, lists, NumPy arrays,
numbers, strings, enums, xarray objects): the runner stores them in checkpoints as they are.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Status",
    "SolverError",
    "FitWarning",
    "Result",
    "StatusMixin",
    "RootResult",
    "EvolutionResult",
    "result_to_arrays",
    "result_from_arrays",
]


class Status(enum.Enum):
    """Outcome of a numerical computation; each member's value says what to do next."""

    SUCCESSFUL = "the computation converged / reached its end"
    SOLVER_FAILED = (
        "the solver stopped before the end (step size underflow or a non-finite right-hand side); "
        "loosen rtol/atol, check the state for NaN, or use a smaller maximum step"
    )
    NON_FINITE = (
        "the state became non-finite (NaN or inf); reduce the step or check the parameters for an "
        "unphysical regime"
    )
    MAX_ITERATIONS_REACHED = (
        "the iteration limit was reached before the tolerance; raise the iteration limit, loosen "
        "the tolerance, or check that a solution exists"
    )
    NOT_BRACKETED = (
        "no sign change in the search interval: no solution there; widen the interval or check "
        "that the target is reachable"
    )
    NO_SOLUTION = "the problem has no solution for these inputs (e.g. no equilibrium, no star)"
    INTERRUPTED = "the run was stopped after the last completed segment; resume from it"

    @property
    def ok(self) -> bool:
        """True for :attr:`SUCCESSFUL`."""
        return self is Status.SUCCESSFUL


class FitWarning(UserWarning):
    """A fitted number that should not be read as it stands: its linear phase is too short, it
    misses the linear theory beyond its own uncertainty, or a prediction it is compared with
    fails at these parameters. Scenario summaries raise it with the reason; the runner records
    it in ``summary.json["warnings"]`` (it is not printed)."""


class SolverError(RuntimeError):
    """A numerical failure (not a bad input): the solver could not deliver a trustworthy answer.

    Attributes
    ----------
    status : Status
        What went wrong; ``status.value`` says what to do next.
    result : object or None
        The partial result, when there is one.
    """

    def __init__(self, message: str, status: Status = Status.SOLVER_FAILED, result: Any = None):
        super().__init__(f"{message} ({status.value})")
        self.detail = message
        self.status = status
        self.result = result


class StatusMixin:
    """``ok`` and ``unwrap`` for any result with ``status`` and ``message`` fields."""

    status: Status
    message: str

    @property
    def ok(self) -> bool:
        """True when the computation succeeded."""
        return self.status is Status.SUCCESSFUL

    def unwrap(self, what: str = "computation"):
        """Return ``self`` when successful, else raise :class:`SolverError` naming ``what``."""
        if not self.ok:
            raise SolverError(f"{what}: {self.message}" if self.message else what, self.status, self)
        return self


@dataclass(frozen=True)
class Result(StatusMixin):
    """Base of the result dataclasses: a :class:`Status` and a message.

    Subclasses add their fields; :meth:`unwrap` turns a failed result into a :class:`SolverError`.
    """

    status: Status = Status.SUCCESSFUL
    message: str = ""


@dataclass(frozen=True)
class RootResult(Result):
    """A scalar root or iterate: ``value`` with the iterations it took.

    Attributes
    ----------
    value : float
        The solution (meaningful only when ``ok``; the last iterate otherwise).
    iterations : int
        Iterations (or function evaluations) used.
    """

    value: float = float("nan")
    iterations: int = 0


@dataclass(frozen=True)
class EvolutionResult(StatusMixin):
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
        and estimates for adaptive ones), ``wall_s`` (wall time in seconds, this call only) and,
        when a solver names it, ``failed_component`` (flattened index of the state component that
        became non-finite).
    """

    t: NDArray[np.float64]
    y: NDArray
    t_reached: float
    y_reached: NDArray
    segments_done: int
    status: Status
    message: str = ""
    stats: dict = field(default_factory=dict)


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
