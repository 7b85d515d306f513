"""Trapped neutrino sea, removal rates, heating vs cooling (spec ``shared/spec/gradient.md`` section 4).

Produced neutrinos have total energy below the top of the well (V on the low-density side of the
step, <= 0) and stay bound; antineutrinos are pushed out and escape. The sea fills in about a
light-crossing time, so in steady state the pair rate equals the removal rate of trapped
neutrinos (Pauli blocking, spec 4.2). Removal by scattering on thermal matter lifts the neutrino
to ~T and it escapes (cooling); absorption leaves its energy in the star (heating).

The rates here are the spec's order-of-magnitude estimates, "[derived here, NOT from the paper]"
(Tanin & Wang 2026 was not available): every coefficient is an explicit, documented input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair import constants as const
from nupair import validation as _v

__all__ = ["sea_density_cm3", "trapped_number", "scattering_rate_per_s", "GradientHeating"]


def sea_density_cm3(fermi_momentum_eV: ArrayLike) -> NDArray:
    """Single-helicity degenerate neutrino sea n = p_F^3 / (6 pi^2) [cm^-3] (spec 4.2; 2.198e15 cm^-3
    at p_F = 10 eV)."""
    p = _v.finite_array("fermi_momentum_eV", fermi_momentum_eV, "eV", low=0.0)
    return p**3 / (6 * math.pi**2) * const.cm**3


def trapped_number(r_km: ArrayLike, potential_eV: ArrayLike, top_eV: float, *, metric_factor: ArrayLike | None = None) -> float:
    """N_trap = int 4 pi r^2 n(r) dr with p_F(r) = max(top - V(r), 0) (spec 4.2), r in km.
    ``metric_factor`` (optional): proper-volume factor 1/sqrt(1 - 2m/r) on the same grid."""
    r = np.asarray(r_km, dtype=float) * const.km_to_cm
    pf = np.maximum(float(top_eV) - np.asarray(potential_eV, dtype=float), 0.0)
    integrand = 4 * math.pi * r * r * sea_density_cm3(pf)
    if metric_factor is not None:
        integrand = integrand * np.asarray(metric_factor, dtype=float)
    return float(np.trapezoid(integrand, r)) if hasattr(np, "trapezoid") else float(np.trapz(integrand, r))


def scattering_rate_per_s(temperature_K: ArrayLike, coefficient_per_s: float = 1e-3) -> NDArray:
    """Gamma_sc ~ G_F^2 m_n* p_Fn T^3 / pi^3 ~ coefficient (T / 1e8 K)^3 [s^-1] (spec 4.3 estimate,
    factor-of-few uncertainty)."""
    t = _v.finite_array("temperature_K", temperature_K, "K", low=0.0)
    return _v.non_negative("coefficient_per_s", coefficient_per_s, "s^-1") * (t / 1e8) ** 3


@dataclass(frozen=True)
class GradientHeating:
    """H(T) = N_trap [Gamma_abs eps_dep - Gamma_sc(T) eps_out(T)] [erg/s] (spec 4.2).

    trapped_number: N_trap; absorption_rate_per_s: Gamma_abs (unquantified in the spec: a free
    parameter, 0 by default); deposited_energy_eV: eps_dep (<= Delta V); scattering_coefficient_per_s:
    Gamma_sc at 1e8 K; escaping_energy_eV: |omega| of the escaping antineutrino, added to the ~T
    carried away by the scattered neutrino. Positive = heating."""

    trapped_number: float
    absorption_rate_per_s: float = 0.0
    deposited_energy_eV: float = 0.0
    scattering_coefficient_per_s: float = 1e-3
    escaping_energy_eV: float = 0.0

    def __post_init__(self):
        for name in ("trapped_number", "absorption_rate_per_s", "deposited_energy_eV", "scattering_coefficient_per_s",
                     "escaping_energy_eV"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v >= 0):
                raise ValueError(_v.refused(f"{name}={v!r}", "must be finite and >= 0"))

    def pair_rate_per_s(self, temperature_K: ArrayLike) -> NDArray:
        """Steady-state pair production [s^-1]: the full sea is Pauli blocked, so pairs are made as
        fast as trapped neutrinos are removed, N_trap (Gamma_abs + Gamma_sc(T)) (spec 4.2)."""
        return self.trapped_number * (self.absorption_rate_per_s
                                      + scattering_rate_per_s(temperature_K, self.scattering_coefficient_per_s))

    def __call__(self, temperature_K: ArrayLike) -> NDArray:
        t = np.asarray(temperature_K, dtype=float)
        heat = self.absorption_rate_per_s * self.deposited_energy_eV
        t_ev = t * const.kelvin / const.eV
        cool = scattering_rate_per_s(t, self.scattering_coefficient_per_s) * (t_ev + self.escaping_energy_eV)
        return self.trapped_number * (heat - cool) * const.eV_to_erg
