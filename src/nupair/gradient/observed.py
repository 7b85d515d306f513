"""Observed neutron-star temperatures shipped with the package (``data/observed_neutron_stars.csv``;
spec ``shared/spec/gradient.md`` section 6.3) and the chi^2 of a cooling curve against them."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from importlib import resources

import numpy as np

from nupair.results import Result, RootResult, Status
from nupair import validation as _v

__all__ = ["ObservedStar", "observed_stars", "cooling_chi2", "max_allowed_heating", "CurveComparison", "compare_with_observed"]


@dataclass(frozen=True)
class ObservedStar:
    """One object: age [yr] (uncertain by a factor ``age_factor``), surface temperature [K] (local or
    redshifted) with a 1-sigma width in dex, whether it is an upper limit, and the reference."""

    name: str
    age_yr: float
    age_factor: float
    temperature_K: float
    temperature_sigma_dex: float
    temperature_kind: str
    upper_limit: bool
    reference: str

    def redshifted_temperature_K(self, compactness: float) -> float:
        """The observed temperature as seen from infinity, T_s^inf [K].

        A local surface temperature is redshifted with the model star's surface factor,
        T_s^inf = T_s sqrt(1 - 2GM/(R c^2)) (``compactness`` = 2GM/(R c^2) of ``gradient.Star``);
        a table value already redshifted is returned unchanged.
        """
        if not (0.0 <= compactness < 1.0):
            raise ValueError(_v.refused(f"compactness={compactness!r}", "must lie in [0, 1) (2GM/(R c^2))"))
        if self.temperature_kind == "local":
            return self.temperature_K * (1.0 - compactness) ** 0.5
        return self.temperature_K


def observed_stars() -> list[ObservedStar]:
    """The shipped table."""
    text = resources.files("nupair.gradient").joinpath("data/observed_neutron_stars.csv").read_text()
    rows = [line for line in text.splitlines() if line and not line.startswith("#")]
    out = []
    for r in csv.DictReader(rows):
        out.append(ObservedStar(r["name"], float(r["age_yr"]), float(r["age_factor"]), float(r["temperature_K"]),
                                float(r["temperature_sigma_dex"]), r["temperature_kind"], r["upper_limit"] == "1",
                                r["reference"]))
    return out


def cooling_chi2(curve, stars: list[ObservedStar] | None = None) -> tuple[float, dict]:
    """chi^2 of a cooling curve (``nupair.gradient.CoolingCurve``) against observed stars.

    Each detection: the age is a nuisance with a Gaussian prior in log10(age) of width
    sigma_a = log10(age_factor); chi^2 = min over a within 3 sigma_a of
    [(log10 T_model(a) - log10 T_obs)^2 / sigma_T^2 + ((a - log10 age)/sigma_a)^2]
    (robust where the curve is steep, unlike a linearised slope). Local temperatures are compared with
    T_s, redshifted ones with T_s^inf. Upper limits add ((log T_model - log T_lim)/sigma_T)^2 at the
    nominal age, only when the model exceeds the limit. Stars outside the curve's age span are skipped.
    Returns (total, {name: contribution})."""
    stars = observed_stars() if stars is None else stars
    lt = np.log10(curve.t_yr)
    total, parts = 0.0, {}
    for s in stars:
        la = math.log10(s.age_yr)
        if not lt[0] <= la <= lt[-1]:
            continue
        model_t = curve.T_s_K if s.temperature_kind == "local" else curve.T_s_inf_K
        lm = np.log10(model_t)
        value = float(np.interp(la, lt, lm))
        diff = value - math.log10(s.temperature_K)
        if s.upper_limit:
            c = (diff / s.temperature_sigma_dex) ** 2 if diff > 0 else 0.0
        else:
            sa = math.log10(s.age_factor)
            ages = la + np.linspace(-3, 3, 121) * sa if sa > 0 else np.array([la])
            ages = ages[(ages >= lt[0]) & (ages <= lt[-1])]
            d = (np.interp(ages, lt, lm) - math.log10(s.temperature_K)) / s.temperature_sigma_dex
            prior = ((ages - la) / sa) ** 2 if sa > 0 else 0.0
            c = float(np.min(d * d + prior))
        parts[s.name] = c
        total += c
    return total, parts


@dataclass(frozen=True)
class CurveComparison(Result):
    """A cooling curve with its chi^2 against the observed stars (:func:`cooling_chi2`).

    Attributes
    ----------
    curve : CoolingCurve
    chi2 : float
        Total chi^2 (dimensionless).
    parts : dict
        Star name -> its contribution.
    """

    curve: object = None
    chi2: float = float("nan")
    parts: dict | None = None


def compare_with_observed(curve, stars: list[ObservedStar] | None = None) -> CurveComparison:
    """The curve and its :func:`cooling_chi2` against ``stars`` (default: the shipped table)."""
    total, parts = cooling_chi2(curve, stars)
    return CurveComparison(curve=curve, chi2=total, parts=parts)


def max_allowed_heating(star, coefficients, limit_star: ObservedStar | None = None, *, t_end_yr: float = 1e10,
                        n_eval: int = 300, bracket_erg_s: tuple[float, float] = (1e20, 1e36),
                        rel_tol: float = 1e-3, max_iter: int = 60) -> RootResult:
    """Largest constant heating H [erg/s] whose cooling curve stays below an upper-limit star.

    Bisection in log H between ``bracket_erg_s``: H is allowed while the curve's chi^2 against
    ``limit_star`` (default: the table's upper limit, PSR J2144-3933) is zero. ``value`` is 0 when
    even the lower bracket end is excluded; status NOT_BRACKETED when the upper end is allowed
    (widen the bracket), MAX_ITERATIONS_REACHED when the relative width stays above ``rel_tol``.
    """
    from nupair.gradient.cooling import cool

    lim = limit_star or next(x for x in observed_stars() if x.upper_limit)
    lo, hi = (float(x) for x in bracket_erg_s)
    if not (0 < lo < hi and math.isfinite(hi)):
        raise ValueError(_v.refused(f"bracket_erg_s={bracket_erg_s!r}", "need 0 < low < high [erg/s]"))

    def ok(h):
        c = cool(star, heating=h, t_span=(1e-2, t_end_yr), coefficients=coefficients, n_eval=n_eval)
        return cooling_chi2(c, [lim])[0] == 0.0

    if not ok(lo):
        return RootResult(Status.SUCCESSFUL, "even the smallest heating is excluded", 0.0, 1)
    if ok(hi):
        return RootResult(Status.NOT_BRACKETED, f"heating {hi:.3g} erg/s is still allowed", hi, 2)
    for it in range(max_iter):
        mid = math.sqrt(lo * hi)
        lo, hi = (mid, hi) if ok(mid) else (lo, mid)
        if hi / lo < 1 + rel_tol:
            return RootResult(Status.SUCCESSFUL, "", lo, it + 3)
    return RootResult(Status.MAX_ITERATIONS_REACHED, f"bracket [{lo:.4g}, {hi:.4g}] erg/s", lo, max_iter + 2)
