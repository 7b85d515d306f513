"""renp-new-physics (Ge & Pasquini; spec renp.md section 4)."""

import pytest

from nupair.scenarios.runner import run_scenario


def test_renp_new_physics(tmp_path):
    s = run_scenario("renp-new-physics", {"n_mass": 3, "mass_min_eV": 1e-3, "mass_max_eV": 1e3}, out_dir=tmp_path).summary
    # Ge & Pasquini (2022) abstract: |g^e g^nu| down to 1e-15 .. 1e-26, |y^e y^nu| down to 1e-9 .. 1e-19
    # over 1e-3 .. 1e4 eV; the light-mediator end and the 1 keV point fall inside those ranges
    vec, sca = s["reach_vector"], s["reach_scalar"]
    assert 1e-28 < vec["0.001"] < 1e-25 and 1e-25 < vec["1"] < 1e-22
    assert 1e-21 < sca["0.001"] < 1e-18 and 1e-12 < sca["1000"] < 1e-9
    # heavy mediators: contact limit, reach grows as M^2 (up to O(Q2/M^2) ~ 2 % at M = 1 eV)
    assert vec["1000"] / vec["1"] == pytest.approx(1e6, rel=0.1)
    assert s["dipole_spectrum"].startswith("implemented")
    # every element has a reach; with massive pairs the eps term is suppressed near each threshold
    # (bracket ~ Q2 - (m_i + m_j)^2), so the same scan constrains mu_ij better than eps_ij
    for el in ("12", "13", "23"):
        assert 0 < s["dipole_reach_muB"]["magnetic"][el] < s["dipole_reach_muB"]["electric"][el] < 1e-8
