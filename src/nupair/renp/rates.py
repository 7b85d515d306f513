"""Absolute RENP rates and event counts (spec ``shared/spec/renp.md`` sections 2.1 and 5.1).

    Gamma(omega) = Gamma_0 I(omega) eta,
    Gamma_0 = 3 n^3 V G_F^2 gamma_vg E_eg (2 J_v + 1) C_ev / (2 E_vg^3)     ([DPSTY] eqs. (1)-(3))

The trigger lasers fix the photon energy omega, so Gamma(omega) is the rate [s^-1] *at the
trigger setting omega*; a spectrum is measured by scanning omega, and the expected events of a
setting held for a time T_k are N_k = Gamma_0 eta I(omega_k) T_k (spec 5.1). n^3 V = N_a^2 n / V is
the macro-coherent N_a^2 enhancement times the stimulating field energy density; eta (0 <= eta <= 1)
is the dynamical macro-coherence factor, a user parameter kept out of the neutrino physics.
"""

from __future__ import annotations


import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair import constants as const
from nupair.renp.atoms import Atom, get_atom
from nupair.renp.spectrum import spectrum
from nupair import validation as _v

__all__ = ["rate_normalization", "photon_rate", "expected_events"]


def _eta(eta: float) -> float:
    """The dynamical (macro-coherence) factor, in [0, 1]."""
    return _v.in_range("eta", eta, 0.0, 1.0)


def rate_normalization(atom: Atom | str = "Yb", number_density_cm3: float = 1e21, volume_cm3: float = 100.0) -> float:
    """Gamma_0 [s^-1] = 3 n^3 V G_F^2 gamma_vg E_eg (2 J_v + 1) C_ev / (2 E_vg^3) (spec 2.1, [DPSTY]).

    n: number density of excited atoms [cm^-3]; V: target volume [cm^3]. For Yb with
    n = 1e21 cm^-3 and V = 100 cm^3 this is ~5e-4 s^-1 ([DPSTY]: "of order mHz")."""
    at = get_atom(atom)
    n = _v.positive("number_density_cm3", number_density_cm3, "cm^-3") / const.cm**3  # eV^3
    v = _v.positive("volume_cm3", volume_cm3, "cm^3") * const.cm**3  # eV^-3
    gamma_vg = at.gamma_vg_per_s / const.second  # eV
    g0 = 3 * n**3 * v * const.G_F**2 * gamma_vg * at.E_eg_eV * (2 * at.J_v + 1) * at.C_ev / (2 * at.E_vg_eV**3)
    return g0 * const.second  # eV -> s^-1 (rate in eV times 1 s in eV^-1)


def photon_rate(omega_eV: ArrayLike, *, number_density_cm3: float = 1e21, volume_cm3: float = 100.0,
                eta: float = 1.0, atom: Atom | str = "Yb", **spectrum_kwargs) -> NDArray:
    """Gamma(omega) = Gamma_0 eta I(omega) [s^-1] at trigger energies omega [eV] (spec 2.1).

    ``spectrum_kwargs`` go to :func:`nupair.renp.spectrum` (masses, nature, mixing, mediator, ...)."""
    g0 = rate_normalization(atom, number_density_cm3, volume_cm3)
    return g0 * _eta(eta) * spectrum(omega_eV, atom=atom, **spectrum_kwargs)


def expected_events(omega_eV: ArrayLike, time_per_setting_s: ArrayLike, *, number_density_cm3: float = 1e21,
                    volume_cm3: float = 100.0, eta: float = 1.0, atom: Atom | str = "Yb", **spectrum_kwargs) -> NDArray:
    """N_k = Gamma_0 eta I(omega_k) T_k (spec 5.1): expected photons per trigger setting.

    time_per_setting_s : float or array like omega — time T_k spent at each setting [s], >= 0."""
    t = _v.finite_array("time_per_setting_s", time_per_setting_s, "s", low=0.0)
    return photon_rate(omega_eV, number_density_cm3=number_density_cm3, volume_cm3=volume_cm3, eta=eta, atom=atom,
                       **spectrum_kwargs) * t
