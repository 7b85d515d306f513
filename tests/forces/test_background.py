"""Background corrections (spec forces.md section 4; targets T9-T13)."""

import math

import numpy as np
import pytest

from nupair import constants as c
from nupair import forces


def r_for_rt(rt, t_k):
    """Distance [m] with r T = rt (natural units) for a temperature in K."""
    return rt / (t_k * c.kelvin) / c.meter


def test_t9_maxwell_boltzmann_closed_form_and_numerical_route():
    t_k = 1.945
    mb = forces.RelicBackground(t_k, "maxwell-boltzmann")
    for rt in (0.05, 0.5, 2.0):
        r = r_for_rt(rt, t_k)
        v = forces.background_potential(r, "neutron", "neutron", mb)
        v0 = forces.potential(r, "neutron", "neutron")
        assert v / v0 == pytest.approx(-32 * rt**4 / (1 + 4 * rt**2) ** 2, rel=1e-12)
        tab = forces.TabulatedBackground(occupation=mb.occupation, e_max_MeV=60 * mb.temperature_eV / c.MeV)
        num, err = forces.background_potential(r, "neutron", "neutron", tab, return_error=True)
        assert num == pytest.approx(v, rel=1e-8) and err < 1e-8 * abs(v)
    r = r_for_rt(0.5, t_k)
    assert forces.background_potential(r, "neutron", "neutron", mb) / forces.potential(r, "neutron", "neutron") == pytest.approx(-0.5)


def test_t10_vanishing_background():
    r = 1e-3
    cold = forces.RelicBackground(1e-9)
    assert abs(forces.background_potential(r, "electron", "electron", cold)) < 1e-30 * forces.potential(r, "electron", "electron")


def test_t11_fermi_dirac_limits_and_numerical_route():
    t_k = 1.945
    fd = forces.RelicBackground(t_k)
    t = fd.temperature_eV
    r_far = r_for_rt(20.0, t_k)
    assert forces.background_potential(r_far, "neutron", "neutron", fd) / forces.potential(r_far, "neutron", "neutron") == pytest.approx(-1, rel=1e-12)
    r_near = r_for_rt(1e-4, t_k)
    expect = -(7 * math.pi / 90) * 0.75 * c.G_F**2 * t**4 / (r_near * c.meter)
    assert forces.background_potential(r_near, "neutron", "neutron", fd) == pytest.approx(expect, rel=1e-7)
    for rt in (0.01, 0.3, 1.0):
        r = r_for_rt(rt, t_k)
        tab = forces.TabulatedBackground(occupation=fd.occupation, e_max_MeV=60 * t / c.MeV)
        assert forces.background_potential(r, "neutron", "neutron", tab) == pytest.approx(
            forces.background_potential(r, "neutron", "neutron", fd), rel=1e-8)


def test_fermi_dirac_bracket_is_smooth_across_the_series_switch():
    u = np.array([0.0999999, 0.1000001])
    b = forces.fermi_dirac_bracket(u)
    assert b[1] / b[0] == pytest.approx((u[1] / u[0]) ** 4, rel=1e-8)


def test_t13_directional_beam_is_a_1_over_r_force():
    beam = forces.DirectionalFlux(flux_cm2_s=1e13, energy_MeV=3.0, angle_rad=0.0, flavor="e")
    r = np.array([0.01, 0.02, 0.05])
    v = forces.background_potential(r, "electron", "electron", beam)
    rn = r * c.meter
    phi = 1e13 / c.cm**2 / c.second
    g2 = forces.vector_charges("electron")[0] ** 2
    assert np.allclose(v * rn, -g2 * c.G_F**2 * phi * 3.0 * c.MeV / math.pi, rtol=1e-9)  # E r >> 1


def test_t12_small_angle_formula_matches_exact_forward_beam():
    e = 3.0
    r = 0.01
    exact = forces.background_potential(r, "electron", "electron", forces.DirectionalFlux(1e13, e, 0.0))
    tiny = forces.background_potential(r, "electron", "electron", forces.DirectionalFlux(1e13, e, 1e-9))
    assert tiny == pytest.approx(exact, rel=1e-6)
    beam = forces.DirectionalFlux(1e13, e, 0.0)
    # spec example: E r = 1.5e11 for 3 MeV at 1 cm; alpha <~ 4.5e-6 rad
    assert beam.max_unsmeared_angle_rad(0.01) == pytest.approx(4.5e-6, rel=0.05)


@pytest.mark.parametrize("make", [lambda: forces.RelicBackground(-1.0), lambda: forces.DirectionalFlux(-5.0, 1.0),
                                  lambda: forces.DirectionalFlux(1.0, 1.0, 4.0), lambda: forces.DirectionalFlux(1.0, 1.0, flavor="sterile"),
                                  lambda: forces.RelicBackground(1.9, "bose")])
def test_bad_background_parameters(make):
    with pytest.raises(ValueError):
        make()
