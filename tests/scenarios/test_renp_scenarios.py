"""renp-spectrum, renp-sensitivity and renp-new-physics scenarios (spec renp.md)."""

import numpy as np
import pytest

from nupair.scenarios.runner import run_scenario


def test_renp_spectrum(tmp_path):
    s = run_scenario("renp-spectrum", {"n_omega": 600, "fit": "nufit-5.2"}, out_dir=tmp_path).summary
    assert s["endpoint_eV"] == pytest.approx(1.071745, abs=1e-6)
    # spec targets 4, 5 (NuFIT 5.2, m0 = 0)
    assert s["threshold_shifts_ueV"]["normal"]["0"]["33"] == pytest.approx(2342.9, abs=0.1)
    assert s["threshold_shifts_ueV"]["inverted"]["0"]["22"] == pytest.approx(2330.8, abs=0.1)
    # Majorana never exceeds Dirac with zero phases (target 12: differences 1e-4..1e-2)
    for ordering in ("normal", "inverted"):
        for m0, r in s["majorana_over_dirac_min"][ordering].items():
            assert 0.95 < r <= 1.0
    assert s["majorana_over_dirac_min"]["normal"]["0.05"] < s["majorana_over_dirac_min"]["normal"]["0.01"]
    assert (tmp_path / "figure.png").exists()


def test_renp_sensitivity(tmp_path):
    s = run_scenario("renp-sensitivity", {"n_masses": 3, "m_min_eV": 0.01, "m_max_eV": 0.05}, out_dir=tmp_path).summary
    ev = s["events_at_10meV"]
    # ordering and m0 need O(100) events, Dirac vs Majorana far more (spec 5.1: >~ 1e3)
    assert 10 < ev["normal_vs_inverted"] < 1e4
    assert ev["dirac_vs_majorana"] > 1e3 * ev["normal_vs_inverted"]
    days = s["required_days"]["normal_vs_inverted"]
    events = s["required_events"]["normal_vs_inverted"]
    assert all(np.isfinite(list(days.values()))) and all(v > 0 for v in events.values())


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
