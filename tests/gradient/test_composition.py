"""Matter potentials and beta equilibrium (spec gradient.md sections 1, 2, 5.3; targets 1-4)."""

import math

import numpy as np
import pytest

from nupair import constants as const
from nupair import gradient as g


def test_sqrt2_gf_conversions():
    # target 1: sqrt2 G_F x 1 fm^-3 = 126.74 eV; per g cm^-3 (times Y): 7.6325e-14 eV
    assert g.SQRT2_GF_EV_FM3 == pytest.approx(126.740, rel=1e-4)
    per_g = math.sqrt(2) * const.G_F * const.cm**-3 * const.gram / const.m_u
    assert per_g == pytest.approx(7.6325e-14, rel=1e-4)


def test_pure_neutron_matter():
    # target 2: -10.14 eV for every flavour, antineutrinos +10.14 eV
    for f in ("e", "mu", "tau"):
        assert g.matter_potential_eV(0.16, 0.0, 0.0, f) == pytest.approx(-10.14, abs=0.005)
        assert g.matter_potential_eV(0.16, 0.0, 0.0, f, antineutrino=True) == pytest.approx(10.14, abs=0.005)


def test_ye_005_matter():
    # target 3: n_B = 0.16, Y_e = 0.05: V_e = -8.618 eV, V_mu = -9.632 eV; s_W^2 drops out in neutral matter
    n_p = 0.05 * 0.16
    for s2 in (0.2, 0.23121, 0.25):
        assert g.matter_potential_eV(0.16 - n_p, n_p, n_p, "e", sin2_theta_w=s2) == pytest.approx(-8.618, rel=1e-3)
        assert g.matter_potential_eV(0.16 - n_p, n_p, n_p, "mu", sin2_theta_w=s2) == pytest.approx(-9.632, rel=1e-3)


def test_ideal_beta_equilibrium():
    # target 4 and spec 5.3: Y_p = 0.00270, 0.00487, 0.00859, 0.01178
    b = g.beta_equilibrium(np.array([0.08, 0.16, 0.32, 0.48]))
    assert np.allclose(b["Y_p"], [0.00270, 0.00487, 0.00859, 0.01178], rtol=0.01)
    # the defining conditions hold
    mn = np.hypot(g.fermi_momentum_MeV(b["n_n"]), const.m_n / const.MeV)
    mp = np.hypot(g.fermi_momentum_MeV(b["n_p"]), const.m_p / const.MeV)
    me = np.hypot(g.fermi_momentum_MeV(b["n_e"]), const.m_e / const.MeV)
    assert np.allclose(mn, mp + me, rtol=1e-12)
    # spec 2.2 values of V_e along ideal matter
    v = g.matter_potential_eV(b["n_n"], b["n_p"], b["n_e"])
    assert np.allclose(v, [-5.03, -9.99, -19.76, -29.34], atol=0.01)


def test_muons_appear_above_threshold():
    b = g.beta_equilibrium(np.array([0.05, 0.5]), muons=True)
    assert b["n_mu"][0] == 0.0 and b["n_mu"][1] > 0
    assert np.allclose(b["n_p"], b["n_e"] + b["n_mu"], rtol=1e-12)


def test_bad_input():
    with pytest.raises(ValueError, match="flavor"):
        g.matter_potential_eV(0.1, 0.0, 0.0, "sterile")
    with pytest.raises(ValueError, match="n_n_fm3"):
        g.matter_potential_eV(-0.1, 0.0, 0.0)
    with pytest.raises(ValueError, match="n_baryon_fm3"):
        g.beta_equilibrium(0.0)
