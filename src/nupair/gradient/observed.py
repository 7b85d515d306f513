"""Observed neutron-star temperatures shipped with the package (``data/observed_neutron_stars.csv``;
spec ``shared/spec/gradient.md`` section 6.3) and the chi^2 of a cooling curve against them."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from importlib import resources

import numpy as np

__all__ = ["ObservedStar", "observed_stars", "cooling_chi2"]


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
