"""Neutron-star structure (spec gradient.md section 5; targets 11, 12)."""

import math

import numpy as np
import pytest

from nupair import gradient as g
from nupair.gradient.eos import GEO_LENGTH_KM


def test_polytrope_reference_star():
    # target 11: K = 100, Gamma = 2, rho_c = 1.28e-3: M = 1.400 M_sun, R = 9.586 (code units)
    s = g.star(g.Polytrope(100.0, 2.0), 1.28e-3)
    assert s.mass_msun == pytest.approx(1.400, rel=1e-3)
    assert s.radius_km / GEO_LENGTH_KM == pytest.approx(9.586, rel=1e-3)


def test_polytrope_newtonian_limit_is_lane_emden_n1():
    # Gamma = 2 is n = 1: rho = rho_c sin(xi)/xi, R = pi sqrt(K/(2 pi)), M = 4 pi^2 alpha^3 rho_c (G = 1)
    k, rho_c = 100.0, 1e-7
    s = g.star(g.Polytrope(k, 2.0), rho_c)
    alpha = math.sqrt(k / (2 * math.pi))
    # GR and internal-energy corrections are O(M/R) ~ O(K rho_c) ~ 1e-5
    assert s.radius_km / GEO_LENGTH_KM == pytest.approx(math.pi * alpha, rel=1e-4)
    assert s.mass_msun == pytest.approx(4 * math.pi**2 * alpha**3 * rho_c, rel=1e-4)


def test_polytrope_maximum_mass():
    m_max, rho_max = g.maximum_mass(g.Polytrope(100.0, 2.0))
    assert m_max == pytest.approx(1.637, rel=1e-3)
    assert rho_max == pytest.approx(3.18e-3, rel=0.01)


def test_sly_maximum_mass_and_canonical_radius():
    # target 12: M_max = 2.05 M_sun (Douchin & Haensel 2001), R(1.4) = 11.7 km (1 %)
    m_max, rho = g.maximum_mass(g.SLy())
    assert m_max == pytest.approx(2.05, rel=0.01)
    assert g.star(g.SLy(), mass_msun=1.4).radius_km == pytest.approx(11.7, rel=0.01)


def test_sly_canonical_star_fast():
    # the same targets from two stars near the known central densities (fast subset for CI)
    s = g.star(g.SLy(), 9.86e14)
    assert s.mass_msun == pytest.approx(1.4, rel=0.01) and s.radius_km == pytest.approx(11.7, rel=0.01)
    assert g.star(g.SLy(), 2.86e15).mass_msun == pytest.approx(2.05, rel=0.01)


def test_profiles_are_consistent():
    s = g.star(g.SLy(), 1e15)
    assert np.all(np.diff(s.pressure_dyn_cm2) <= 0) and np.all(np.diff(s.mass_enclosed_msun) >= 0)
    assert s.mass_enclosed_msun[-1] == pytest.approx(s.mass_msun, rel=1e-6)
    # metric potential matched to the exterior Schwarzschild solution
    assert s.phi[-1] == pytest.approx(0.5 * math.log(1 - s.compactness), rel=1e-12)
    # baryon number exceeds the gravitational mass in baryon units (binding energy > 0)
    from nupair import constants as const
    assert s.baryon_number * const.m_u > s.mass_msun * const.M_sun
    b = g.beta_equilibrium(s.n_B_fm3)
    assert np.allclose(s.n_n_fm3, b["n_n"])


def test_hybrid_star_has_a_quark_core_and_a_density_jump():
    h = g.Hybrid(g.SLy(), 1e35, 0.4, 1 / 3)
    s = g.star(h, 2e15)
    itf = {i.name: i for i in g.find_interfaces(s)}
    assert set(itf) == {"crust-core", "hadron-quark"}
    hq = itf["hadron-quark"]
    assert 0 < hq.r_km < s.radius_km
    assert 3 < hq.delta_V_eV["e"] < 30  # spec 5.4: ~3-10 eV per flavour for Delta n_B ~ (0.3-1) n_0
    assert hq.sharpness["e"] < 1e-5  # a sharp Klein step for eV neutrinos
    # crust-core: 1 % jump -> ~0.05 eV (spec 5.4)
    assert itf["crust-core"].delta_V_eV["e"] == pytest.approx(0.05, rel=0.2)


def test_mass_radius_curve():
    mr = g.mass_radius(g.Polytrope(100.0, 2.0), n=30)
    assert mr.maximum_mass_msun == pytest.approx(1.637, rel=2e-3)
    assert np.all(np.isfinite(mr.radius_km))


def test_bad_input():
    with pytest.raises(ValueError, match="central_density"):
        g.star(g.SLy(), 1e17)
    with pytest.raises(ValueError, match="maximum mass"):
        g.star(g.Polytrope(100.0, 2.0), mass_msun=2.0)
    with pytest.raises(ValueError, match="gamma"):
        g.Polytrope(100.0, 0.9)
    with pytest.raises(ValueError, match="cs2"):
        g.Hybrid(g.SLy(), 1e35, 0.4, 1.5)
    bad = g.eos.HaenselPotekhinFit((6.22, -6.121) + (0.0,) * 16, "decreasing")
    with pytest.raises(ValueError, match="not monotonic"):
        bad.energy_density(1e-4)
    with pytest.raises(ValueError, match="exactly one"):
        g.star(g.SLy())
