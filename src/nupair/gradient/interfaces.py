"""Neutrino potentials along a star and its steep interfaces (spec ``shared/spec/gradient.md``
sections 2.3 and 5.4).

* ``potential_profile``: V_nu(r) [eV] for a flavour (antineutrinos: -V), with hadronic matter from
  the star's composition and quark matter (hybrid stars, r below the transition) as symmetric
  three-flavour matter, V = -sqrt2 G_F n_B / 2 (spec 2.1).
* ``find_interfaces``: the crust-core boundary (a weak first-order transition at n_cc with a
  relative density jump, both parameters; Douchin & Haensel 2001: n_cc = 0.076 fm^-3, ~1 %) and, for
  a hybrid EOS, the hadron-quark (Maxwell) interface; each with Delta V per flavour, a width L and
  the effective field Delta V / L.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nupair import constants as const
from nupair.gradient.composition import SQRT2_GF_EV_FM3, matter_potential_eV
from nupair.gradient.eos import GEO_PRESSURE_DYN_CM2
from nupair import validation as _v

__all__ = ["Interface", "potential_profile", "find_interfaces", "quark_phase_mask"]

FLAVORS = ("e", "mu", "tau")


def quark_phase_mask(star) -> NDArray:
    """True where the star is in the quark phase (hybrid EOS, P >= P_t)."""
    p_t = getattr(star.eos, "p_t", None)
    if p_t is None:
        return np.zeros(star.r_km.shape, dtype=bool)
    return star.pressure_dyn_cm2 / GEO_PRESSURE_DYN_CM2 >= p_t


def potential_profile(star, flavor: str = "e", antineutrino: bool = False) -> NDArray:
    """V_nu(r) [eV] on ``star.r_km`` (spec 2.1)."""
    v = matter_potential_eV(star.n_n_fm3, star.n_p_fm3, star.n_e_fm3, flavor, n_mu_fm3=star.n_mu_fm3)
    v = np.where(quark_phase_mask(star), -0.5 * SQRT2_GF_EV_FM3 * star.n_B_fm3, v)
    return -v if antineutrino else v


@dataclass(frozen=True)
class Interface:
    """A steep step of the neutrino potential.

    name; r_km (position); delta_V_eV: flavour -> |V_inner - V_outer| for neutrinos [eV];
    V_outer_eV: flavour -> V on the low-density side [eV] (top of the trapping well);
    width_fm (L of the tanh step); field_eV2: flavour -> Delta V / (2 L) [eV^2] (peak field)."""

    name: str
    r_km: float
    delta_V_eV: dict
    V_outer_eV: dict
    width_fm: float

    @property
    def field_eV2(self) -> dict:
        length = self.width_fm * const.fm
        return {f: dv / (2 * length) for f, dv in self.delta_V_eV.items()}

    @property
    def sharpness(self) -> dict:
        """Delta V L per flavour (<< 1: a sharp Klein step for the produced neutrinos; spec 2.3)."""
        length = self.width_fm * const.fm
        return {f: dv * length for f, dv in self.delta_V_eV.items()}


def find_interfaces(star, *, crust_core_n_fm3: float = 0.076, crust_core_density_jump: float = 0.01,
                    crust_core_width_fm: float = 10.0, quark_width_fm: float = 5.0) -> list[Interface]:
    """Interfaces of a solved star (spec 5.4). The crust-core jump is a model parameter (the smooth
    EOS fits have none): Delta n_n = jump x n_n(n_cc), Delta V = sqrt2 G_F Delta n_n / 2 for every
    flavour (the composition-change term for nu_e is model dependent and left out). The
    hadron-quark step is read off the profile at the Maxwell transition."""
    for name, value in (("crust_core_density_jump", crust_core_density_jump), ("crust_core_width_fm", crust_core_width_fm),
                        ("quark_width_fm", quark_width_fm), ("crust_core_n_fm3", crust_core_n_fm3)):
        if not (math.isfinite(value) and value >= 0):
            raise ValueError(_v.refused(f"{name}={value!r}", "must be finite and >= 0"))
    out = []
    nb = star.n_B_fm3
    pots = {f: potential_profile(star, f) for f in FLAVORS}
    if nb[0] > crust_core_n_fm3 > nb[-1]:
        r_cc = float(np.interp(crust_core_n_fm3, nb[::-1], star.r_km[::-1]))  # n_B decreases outward
        n_n = float(np.interp(r_cc, star.r_km, star.n_n_fm3))
        dv = SQRT2_GF_EV_FM3 * crust_core_density_jump * n_n / 2
        v_out = {f: float(np.interp(r_cc, star.r_km, pots[f])) for f in FLAVORS}
        out.append(Interface("crust-core", r_cc, {f: dv for f in FLAVORS}, v_out, crust_core_width_fm))
    q = quark_phase_mask(star)
    if q.any() and not q.all():
        j = int(np.argmin(q))  # first hadronic point
        r_t = 0.5 * (star.r_km[j - 1] + star.r_km[j])
        dv = {f: float(pots[f][j] - pots[f][j - 1]) for f in FLAVORS}
        out.append(Interface("hadron-quark", r_t, dv, {f: float(pots[f][j]) for f in FLAVORS}, quark_width_fm))
    return sorted(out, key=lambda itf: itf.r_km)
