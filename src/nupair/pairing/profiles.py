"""Occupation profiles rho(E, phi) = rhobar(E, phi) of the continuum-limit study.

Spec ``shared/spec/pairing.md`` section 7.1. ``step`` is Huang & Wu's (arXiv:2604.25687,
Fig. 2): 0.9 for 0 < phi < pi/2 and 0.1 elsewhere, at every energy. ``fermi-edge`` (profile D) and
``window`` (profile B2) have jumps in energy; on a uniform grid their occupation is the average
over each energy bin's phase-space volume, so that a jump on a bin edge is exact and a coarse grid
sees the same physical distribution smeared (no dependence on where a bin centre falls).
"""

from __future__ import annotations

import numpy as np

from nupair import validation as _v
from nupair.pairing.grid import Grid

__all__ = ["OCCUPATION_PROFILES", "occupation_profile"]

#: Names accepted by :func:`occupation_profile`.
OCCUPATION_PROFILES = ("step", "tanh", "sine", "smooth-energy", "fermi-edge", "window")


def _volume_fraction(grid: Grid, lo_MeV: float, hi_MeV: float) -> np.ndarray:
    """Fraction of each mode's energy-bin volume (weight E^2 dE) inside [lo, hi] MeV, shape (N,).

    Uniform grids use the bin edges; other grids (``Grid.from_modes``) the mode energy itself.
    """
    e = grid.energy_MeV
    if grid.shape is None or grid.e_max is None:
        return ((e >= lo_MeV) & (e < hi_MeV)).astype(float)
    width = grid.e_max / grid.shape[0]
    e_lo = grid.energy_index * width
    e_hi = e_lo + width
    inside = np.clip(e_hi, lo_MeV, hi_MeV) ** 3 - np.clip(e_lo, lo_MeV, hi_MeV) ** 3
    return inside / (e_hi**3 - e_lo**3)


def occupation_profile(family: str, grid: Grid, *, tanh_width_rad: float = 0.2,
                       smooth_energy_T_MeV: float = 2.0, fermi_edge_MeV: float = 10.0,
                       window_MeV: tuple[float, float] = (15.0, 17.5)) -> np.ndarray:
    """rho = rhobar of each mode, shape (N,), for an occupation family (spec 7.1).

    * ``step``: 0.9 in the first phi quadrant, 0.1 elsewhere (HW);
    * ``tanh``: the same quadrant window with tanh edges of width ``tanh_width_rad`` [rad];
    * ``sine``: 0.5 + 0.4 sin(phi);
    * ``smooth-energy``: 0.1 + 0.8 / (1 + exp((E - 10 MeV)/T)) in the first quadrant, 0.1 elsewhere
      (profile S of spec 7.1), T = ``smooth_energy_T_MeV`` [MeV];
    * ``fermi-edge``: profile D of spec 7.1, the T -> 0 limit of ``smooth-energy``: 0.9 below
      ``fermi_edge_MeV`` and 0.1 above in the first quadrant, 0.1 elsewhere (bin-volume averaged;
      10 MeV is a bin edge of every even N_E on [0, 20] MeV);
    * ``window``: profile B2 of spec 7.1, 0.9 for E in ``window_MeV`` = (15, 17.5) MeV in the first
      quadrant, 0.1 elsewhere (bin-volume averaged; both edges are bin edges when N_E is a
      multiple of 8 on [0, 20] MeV).
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
    if family == "fermi-edge":
        edge = _v.non_negative("fermi_edge_MeV", fermi_edge_MeV, "MeV")
        return np.where(first, 0.1 + 0.8 * _volume_fraction(grid, 0.0, edge), 0.1)
    if family == "window":
        lo = _v.non_negative("window_MeV[0]", window_MeV[0], "MeV")
        hi = _v.positive("window_MeV[1]", window_MeV[1], "MeV")
        if hi <= lo:
            raise ValueError(_v.refused(f"window_MeV={tuple(window_MeV)!r}", "needs low < high [MeV]"))
        return np.where(first, 0.1 + 0.8 * _volume_fraction(grid, lo, hi), 0.1)
    temperature = _v.positive("smooth_energy_T_MeV", smooth_energy_T_MeV, "MeV")
    f = 0.1 + 0.8 / (1.0 + np.exp(np.minimum((grid.energy_MeV - 10.0) / temperature, 700.0)))
    return np.where(first, f, 0.1)
