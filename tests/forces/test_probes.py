"""Probes (spec forces.md sections 6-7; targets T14, T15, T17)."""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from nupair import constants as c
from nupair import forces


def test_ratio_to_gravity_is_crossing_radius_law():
    rx = forces.crossing_radius("neutron", "neutron")
    r = np.array([0.5, 1.0, 2.0]) * rx
    assert np.allclose(forces.ratio_to_gravity(r, "neutron", "neutron"), (rx / r) ** 4, rtol=1e-12)


def test_beta5_matches_ratio_at_r0():
    r0 = 1e-3
    assert -forces.power_law_beta5("neutron", "neutron", r0) == pytest.approx(
        float(forces.ratio_to_gravity(r0, "neutron", "neutron")), rel=1e-12)


def test_t17_halfspace_closed_forms_against_volume_integrals():
    # point at distance d from a half-space z > 0: Int d^3x / |x - p|^5 = pi / (3 d^2) (per unit density)
    d = 2.0
    inner = lambda z: 2 * math.pi * quad(lambda rho: rho / (rho * rho + z * z) ** 2.5, 0, np.inf)[0]  # noqa: E731
    vol = quad(lambda z: inner(z + d), 0, np.inf)[0]
    assert vol == pytest.approx(math.pi / (3 * d * d), rel=1e-8)
    kappa = 0.75 * c.G_F**2 / (4 * math.pi**3)
    n = 1e29  # m^-3
    v = forces.point_halfspace_potential(d * 1e-9, 0.75, n)
    assert v == pytest.approx(kappa * (n / c.meter**3) * vol / (d * 1e-9 * c.meter) ** 2, rel=1e-8)
    # two half-spaces: integrate the point result over the second body's depth
    per_area = quad(lambda z: math.pi / (3 * (d + z) ** 2), 0, np.inf)[0]
    assert per_area == pytest.approx(math.pi / (3 * d), rel=1e-10)


def test_t15_plasma_photon_mass_equals_plasma_frequency():
    n_e = 1e25  # m^-3
    eps0 = c.e_C**2 / (4 * math.pi * c.alpha * c.hbar_J_s * c.c_m_per_s)  # derived from alpha
    omega_p = math.sqrt(n_e * c.e_C**2 / (eps0 * c.eV_to_kg * c.m_e))  # rad/s
    assert forces.plasma_photon_mass(n_e) == pytest.approx(c.hbar_eV_s * omega_p, rel=1e-12)


def test_s_state_density_and_cutoff_scaling():
    mu = c.m_e * c.m_p / (c.m_e + c.m_p)
    psi2 = forces.s_state_density_at_origin(1, 1, mu)
    a0 = 1 / (mu * c.alpha)
    assert psi2 == pytest.approx(1 / (math.pi * a0**3), rel=1e-12)
    s1 = forces.s_state_shift_cutoff(1, 1, mu, 0.5, 1e-18)
    s2 = forces.s_state_shift_cutoff(1, 1, mu, 0.5, 2e-18)
    assert s1 / s2 == pytest.approx(4.0) and forces.s_state_shift_cutoff(2, 1, mu, 0.5, 1e-18) == pytest.approx(s1 / 8)


def test_limits_table_is_sane():
    assert len(forces.INVERSE_SQUARE_LAW_LIMITS) == 8
    # the vacuum force at 52 um is ~1e-20 of gravity (spec 7.1), far below the 2020 bound
    assert 1e-23 < float(forces.ratio_to_gravity(52e-6, "neutron", "neutron")) < 1e-18
