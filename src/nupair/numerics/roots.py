"""Roots of monotone power laws: the strength at which a statistic reaches its target.

Also the phase of an analytic function followed along a segment of the complex plane (the
argument principle's building block, used by the pairing dispersion-relation root counters).

A Delta chi^2 grows like a power of a coupling (quadratic for an interfering amplitude, quartic
for a squared one) or of an exposure (linear without priors, slower where priors saturate it).
:func:`power_law_root` steps with the local power measured from the last two iterates (a secant
in log-log), which converges in a few evaluations when the law is a pure power.
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
from numpy.typing import NDArray

from nupair import validation as _v
from nupair.results import RootResult, SolverError, Status

__all__ = ["power_law_root", "phase_along_segment"]


def power_law_root(chi2_of: Callable[[float], float], start: float, target: float, *, tol: float = 1e-3,
                   max_iter: int = 60, power: float = 2.0, power_range: tuple[float, float] = (0.5, 4.0),
                   max_step: float = 1e4) -> RootResult:
    """p > 0 with chi2_of(p) = target, for a chi2 growing like a power of p.

    Parameters
    ----------
    chi2_of : callable p -> float
        The statistic (positive, increasing in p).
    start : float
        First p (> 0).
    target : float
        The value to reach (> 0).
    tol : float
        Converged when |ln(chi2/target)| < tol.
    max_iter : int
        Steps allowed.
    power : float
        Power assumed for the first step (2: the quadratic law of small couplings).
    power_range : (low, high)
        The measured local power is clipped to this range.
    max_step : float
        Each step changes p by at most this factor (either way).

    Returns
    -------
    RootResult
        ``value`` = p (NaN unless ``ok``: the last iterate is named in ``message``, never offered
        as an answer). Status NON_FINITE when chi2 is not a positive finite number (e.g. an
        overflowing spectrum), MAX_ITERATIONS_REACHED after ``max_iter`` steps.
    """
    p = _v.positive("start", start)
    target = _v.positive("target", target)
    lo, hi = power_range
    chi = chi2_of(p)
    k = power
    for it in range(max_iter):
        if not (chi > 0 and math.isfinite(chi)):
            return RootResult(Status.NON_FINITE, f"Delta chi^2 = {chi!r} at {p:.4g}", math.nan, it)
        if abs(math.log(chi / target)) < tol:
            return RootResult(Status.SUCCESSFUL, "", p, it)
        p_new = p * min(max((target / chi) ** (1 / k), 1.0 / max_step), max_step)
        if not (math.isfinite(p_new) and p_new > 0):
            return RootResult(Status.NON_FINITE, f"the step left the floating-point range at {p:.4g}", math.nan, it)
        chi_new = chi2_of(p_new)
        if chi_new > 0 and math.isfinite(chi_new) and chi_new != chi:
            slope = math.log(chi_new / chi) / math.log(p_new / p)
            k = min(max(slope, lo), hi) if slope > 0 else power
        p, chi = p_new, chi_new
    return RootResult(Status.MAX_ITERATIONS_REACHED, f"no convergence in {max_iter} steps (last {p:.4g})", math.nan,
                      max_iter)


def phase_along_segment(f: Callable[[NDArray], NDArray], z0: complex, z1: complex, t: NDArray, values: NDArray, *,
                        max_turn: float = np.pi / 4, max_halvings: int = 40) -> tuple[NDArray, NDArray]:
    """Follow arg f along the segment z(t) = z0 + (z1 - z0) t, t in [0, 1].

    ``t`` (m,) are increasing parameters with both ends, ``values`` (m,) complex = f(z(t)). Every
    step whose phase turns by more than ``max_turn`` [rad] is bisected (new points evaluated with
    ``f`` on a complex array) until none does, so that the unwrapped phase cannot skip a turn.

    Returns (t, phase): the final samples and the cumulative change of arg f [rad] from z0, (m',).
    A zero or a non-finite value on the segment, or a step still too fast after ``max_halvings``
    rounds (a zero on the contour), raises :class:`nupair.results.SolverError`: a count of zeros
    from a contour that touches one would be wrong, so none is returned.
    """
    t, values = np.asarray(t, dtype=float), np.asarray(values, dtype=complex)
    for _ in range(max_halvings):
        if not np.all(np.isfinite(values)) or np.any(values == 0):
            raise SolverError("the dispersion function vanishes or is singular on the counting contour",
                              Status.SOLVER_FAILED)
        steps = np.angle(values[1:] / values[:-1])
        bad = np.flatnonzero(np.abs(steps) > max_turn)
        if bad.size == 0:
            return t, np.concatenate([[0.0], np.cumsum(steps)])
        t_new = 0.5 * (t[bad] + t[bad + 1])
        values = np.insert(values, bad + 1, f(z0 + (z1 - z0) * t_new))
        t = np.insert(t, bad + 1, t_new)
    raise SolverError("the phase of the dispersion function did not resolve along the contour "
                      "(a root lies on it)", Status.SOLVER_FAILED)
