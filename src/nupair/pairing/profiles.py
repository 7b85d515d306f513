"""Occupation profiles rho(E, phi) = rhobar(E, phi) of the continuum-limit study.

Spec ``shared/spec/pairing.md`` section 7.1. ``step`` is Huang & Wu's (arXiv:2604.25687,
Fig. 2): 0.9 for 0 < phi < pi/2 and 0.1 elsewhere, at every energy.
"""

from __future__ import annotations

import numpy as np

from nupair import validation as _v
from nupair.pairing.grid import Grid

__all__ = ["OCCUPATION_PROFILES", "occupation_profile"]

#: Names accepted by :func:`occupation_profile`.
OCCUPATION_PROFILES = ("step", "tanh", "sine", "smooth-energy")


def occupation_profile(family: str, grid: Grid, *, tanh_width_rad: float = 0.2,
                       smooth_energy_T_MeV: float = 2.0) -> np.ndarray:
    """rho = rhobar of each mode, shape (N,), for an occupation family (spec 7.1).

    * ``step``: 0.9 in the first phi quadrant, 0.1 elsewhere (HW);
    * ``tanh``: the same quadrant window with tanh edges of width ``tanh_width_rad`` [rad];
    * ``sine``: 0.5 + 0.4 sin(phi);
    * ``smooth-energy``: 0.1 + 0.8 / (1 + exp((E - 10 MeV)/T)) in the first quadrant, 0.1 elsewhere
      (profile S of spec 7.1), T = ``smooth_energy_T_MeV`` [MeV].
    """
    _v.one_of("family", family, OCCUPATION_PROFILES)
    phi = grid.phi
    first = grid.quadrant() == 0
    if family == "step":
        return np.where(first, 0.9, 0.1)
    if family == "tanh":
        width = _v.positive("tanh_width_rad", tanh_width_rad, "rad")
        dist = np.abs(np.angle(np.exp(1j * (phi - np.pi / 4))))  # angular distance to the quadrant centre
        return 0.1 + 0.4 * (1.0 + np.tanh((np.pi / 4 - dist) / width))
    if family == "sine":
        return 0.5 + 0.4 * np.sin(phi)
    temperature = _v.positive("smooth_energy_T_MeV", smooth_energy_T_MeV, "MeV")
    f = 0.1 + 0.8 / (1.0 + np.exp(np.minimum((grid.energy_MeV - 10.0) / temperature, 700.0)))
    return np.where(first, f, 0.1)
