"""Experimental probes of the neutrino force: gravity tests, extended bodies, atomic levels.

Spec ``shared/spec/forces.md`` sections 6 and 7. Energies in eV, lengths in metres at the
interface.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair import constants as const
from nupair import validation as _v
from nupair.forces.vacuum import SIN2_THETA_W_DEFAULT, _r_natural, source_mass_eV, vector_charges

__all__ = [
    "GravityLimit",
    "INVERSE_SQUARE_LAW_LIMITS",
    "ratio_to_gravity",
    "power_law_beta5",
    "point_halfspace_potential",
    "plates_energy_per_area",
    "s_state_density_at_origin",
    "s_state_shift_cutoff",
    "plasma_photon_mass",
]


@dataclass(frozen=True)
class GravityLimit:
    """A bound on delta V / V_grav at a typical separation (spec 7.1 table, from X.-J. Xu's talk)."""

    experiment: str
    bound: float
    separation_m: float


#: Inverse-square-law bounds quoted in spec forces.md section 7.1 (the talk's table); typical
#: separations as quoted there (ranges represented by their geometric middle).
INVERSE_SQUARE_LAW_LIMITS = (
    GravityLimit("Washington 2007", 3.2e-16, 6.4e6),
    GravityLimit("Washington 1999", 3.0e-9, 0.3),
    GravityLimit("Irvine 1985 (2-5 cm)", 0.7e-4, math.sqrt(0.02 * 0.05)),
    GravityLimit("Irvine 1985 (5-105 cm)", 2.7e-4, math.sqrt(0.05 * 1.05)),
    GravityLimit("Wuhan 2012", 1e-3, 2e-3),
    GravityLimit("Wuhan 2020", 3e-2, 1e-4),
    GravityLimit("Washington 2020", 1.0, 52e-6),
    GravityLimit("future levitated optomechanics", 1e4, 1e-6),
)


def ratio_to_gravity(r_m: ArrayLike, a, b, potential_eV: ArrayLike | None = None) -> NDArray:
    """|V| / (G_N m_a m_b / r) for the massless vacuum force (or a given potential [eV]).

    For the vacuum force this is (r_x / r)^4 with the crossing radius r_x (spec 7.1).
    """
    r = _r_natural(r_m)
    grav = const.G_N * source_mass_eV(a) * source_mass_eV(b) / r
    if potential_eV is None:
        qa, qb = vector_charges(a), vector_charges(b)
        potential_eV = float(np.dot(qa, qb)) * const.G_F**2 / (4 * math.pi**3 * r**5)
    return np.abs(_v.finite_array("potential_eV", potential_eV, "eV")) / grav


def power_law_beta5(a, b, r0_m: float = 1e-3, *, sin2_theta_w: float = SIN2_THETA_W_DEFAULT) -> float:
    """beta_5 of V = -G m_a m_b / r [1 + beta_5 (r0/r)^4] matching the vacuum neutrino force:
    beta_5 = -C G_F^2 / (4 pi^3 G_N m_a m_b r0^4) (negative: repulsive; spec 7.1)."""
    qa, qb = vector_charges(a, sin2_theta_w), vector_charges(b, sin2_theta_w)
    r0 = float(_r_natural(_v.positive("r0_m", r0_m, "m"), "r0_m"))
    return -float(np.dot(qa, qb)) * const.G_F**2 / (4 * math.pi**3 * const.G_N * source_mass_eV(a) * source_mass_eV(b) * r0**4)


def point_halfspace_potential(d_m: ArrayLike, coupling_sum: float, density_m3: float) -> NDArray:
    """V [eV] of a point constituent at distance d from a half-space of number density n [m^-3]:
    kappa n pi / (3 d^2), kappa = C G_F^2 / (4 pi^3) (spec 7.1, integral of 1/r^5 over the half-space)."""
    d = _r_natural(d_m)
    n = density_m3 / const.meter**3
    return coupling_sum * const.G_F**2 / (4 * math.pi**3) * n * math.pi / (3 * d * d)


def plates_energy_per_area(d_m: ArrayLike, coupling_sum: float, density_a_m3: float, density_b_m3: float) -> NDArray:
    """Energy per unit area [eV/m^2] of two half-spaces at gap d: kappa n_a n_b pi / (3 d) (spec 7.1)."""
    d = _r_natural(d_m)
    na, nb = density_a_m3 / const.meter**3, density_b_m3 / const.meter**3
    per_area_natural = coupling_sum * const.G_F**2 / (4 * math.pi**3) * na * nb * math.pi / (3 * d)
    return per_area_natural * const.meter**2


def s_state_density_at_origin(n: int, z: int, reduced_mass_eV: float) -> float:
    """|psi_ns(0)|^2 = (Z mu alpha)^3 / (pi n^3) [eV^3] of a hydrogen-like s state."""
    return (z * reduced_mass_eV * const.alpha) ** 3 / (math.pi * n**3)


def s_state_shift_cutoff(n: int, z: int, reduced_mass_eV: float, coupling_sum: float, cutoff_m: float) -> float:
    """First-order shift [eV] of an ns level by the 1/r^5 force with a hard cutoff r_c (spec 7.2):
    delta E = C G_F^2 |psi(0)|^2 / (2 pi^2 r_c^2). Cutoff dominated: always quote r_c with it."""
    rc = float(_r_natural(cutoff_m))
    return coupling_sum * const.G_F**2 * s_state_density_at_origin(n, z, reduced_mass_eV) / (2 * math.pi**2 * rc * rc)


def plasma_photon_mass(n_e_m3: float) -> float:
    """Photon mass [eV] in a non-relativistic electron plasma: m^2 = 4 pi alpha n_e / m_e (spec 6)."""
    n = _v.non_negative("n_e_m3", n_e_m3, "m^-3") / const.meter**3
    return math.sqrt(4 * math.pi * const.alpha * n / const.m_e)
