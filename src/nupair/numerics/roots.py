"""Roots of monotone power laws: the strength at which a statistic reaches its target.

A Delta chi^2 grows like a power of a coupling (quadratic for an interfering amplitude, quartic
for a squared one) or of an exposure (linear without priors, slower where priors saturate it).
:func:`power_law_root` steps with the local power measured from the last two iterates (a secant
in log-log), which converges in a few evaluations when the law is a pure power.
"""

from __future__ import annotations

import math
from typing import Callable

from nupair import validation as _v
from nupair.results import RootResult, Status

__all__ = ["power_law_root"]


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
