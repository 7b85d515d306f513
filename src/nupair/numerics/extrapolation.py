"""Limits of refinement sequences: does a quantity survive N -> infinity?

Used by the continuum-limit study (spec ``shared/spec/pairing.md`` section 7) for growth rates
along grids whose size N doubles at each step.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nupair import validation as _v
from nupair.results import Result, Status

__all__ = ["RefinementLimit", "refinement_limit"]


@dataclass(frozen=True)
class RefinementLimit(Result):
    """Limit of a refinement sequence.

    Attributes
    ----------
    value : float
        Estimated limit (in the unit of the input values).
    uncertainty : float
        Its uncertainty (same unit).
    verdict : str
        "persists", "disappears", "absent" (zero at every resolution) or "not converged".
    detail : str
        How the verdict was reached.
    """

    value: float = 0.0
    uncertainty: float = 0.0
    verdict: str = "absent"
    detail: str = ""


def refinement_limit(ns: ArrayLike, values: ArrayLike, floor: float) -> RefinementLimit:
    """Limit N -> infinity of a positive quantity Gamma(N) along N doubling at each step.

    Values at or below ``floor`` count as zero (solver noise). If the two finest values are zero
    the quantity has disappeared; if it falls like a power of N with exponent below -0.5 at each
    of the two finest refinements it vanishes in the limit (falling overall but not at each
    step: "not converged", erratic); otherwise Richardson extrapolation
    Gamma(N) = Gamma_inf + b N^-q (q from the three finest points, N doubling) gives Gamma_inf
    with uncertainty |Gamma_inf - Gamma(N_finest)| (at least 1e-3 relative, and at least the last
    change when the sequence oscillates instead of converging). The verdict is
    "persists" when Gamma_inf exceeds three uncertainties and "not converged" otherwise (status
    MAX_ITERATIONS_REACHED: refine further).

    Parameters
    ----------
    ns : array, shape (k,), k >= 3
        Resolutions, each twice the previous.
    values : array, shape (k,)
        The quantity at each resolution (>= 0).
    floor : float
        Noise floor (same unit as ``values``), >= 0.
    """
    n = _v.finite_array("ns", ns, low=0.0, low_open=True)
    vals = _v.finite_array("values", values)
    floor = _v.non_negative("floor", floor)
    if n.shape != vals.shape or n.ndim != 1 or n.size < 3:
        raise ValueError(f"ns and values must be 1-d of equal length >= 3 (got {n.shape} and {vals.shape})")
    r = np.where(vals > floor, vals, 0.0)
    if not np.any(r > 0):
        return RefinementLimit(verdict="absent", detail="stable at every resolution")
    if r[-1] == 0.0 and r[-2] == 0.0:
        gone_from = int(n[max(i for i in range(len(r)) if r[i] > 0) + 1])
        return RefinementLimit(verdict="disappears", detail=f"no instability for N >= {gone_from}")
    if np.any(r[-3:] == 0.0):
        return RefinementLimit(Status.MAX_ITERATIONS_REACHED, "rate jumps across the noise floor", float(r[-1]),
                               float(np.max(r[-3:])), "not converged", "rate jumps across the noise floor")
    r1, r2, r3 = r[-3:]
    slope = math.log(r3 / r1) / math.log(n[-1] / n[-3])
    steps = (math.log(r2 / r1) / math.log(n[-2] / n[-3]), math.log(r3 / r2) / math.log(n[-1] / n[-2]))
    if slope < -0.5 and max(steps) >= -0.5:  # falls overall but not at every refinement: erratic
        return RefinementLimit(Status.MAX_ITERATIONS_REACHED, "rate erratic on the finest grids", float(r3),
                               float(max(r1, r2, r3) - min(r1, r2, r3)), "not converged",
                               f"rate not falling steadily over N = {int(n[-3])}, {int(n[-2])}, {int(n[-1])}")
    if slope < -0.5:
        return RefinementLimit(value=0.0, uncertainty=float(r3), verdict="disappears",
                               detail=f"rate falls like N^{slope:.2f}")
    d1, d2 = r2 - r1, r3 - r2
    if d1 != 0.0 and d2 != 0.0 and d2 / d1 > 0 and abs(d2) < abs(d1):
        q = math.log2(d1 / d2)
        value = r3 + d2 / (2.0**q - 1.0)
    else:
        value = r3
    converging = d1 != 0.0 and d2 != 0.0 and d2 / d1 > 0 and abs(d2) < abs(d1)
    # an oscillating sequence is only known to within its last change
    err = max(abs(value - r3), 1e-3 * abs(value), 0.0 if converging else abs(d2))
    detail = f"Richardson from N = {int(n[-3])}, {int(n[-2])}, {int(n[-1])}"
    if value > 3.0 * err:
        return RefinementLimit(value=float(value), uncertainty=float(err), verdict="persists", detail=detail)
    return RefinementLimit(Status.MAX_ITERATIONS_REACHED, "not converged on the finest grids", float(value),
                           float(err), "not converged", detail)
