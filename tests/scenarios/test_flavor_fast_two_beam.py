"""flavor-fast-two-beam: Emu's homogeneous fast-flavor test (Scripts/tests/fast_flavor_test.py)."""

import pytest

from nupair.scenarios.runner import run_scenario


def test_default_run_is_within_emus_tolerance(tmp_path):
    """Emu's inputs (E = 50 MeV, dm2 = 7.39e-5 eV^2, theta12 = 1e-6 deg): every measured series
    within 2e-2 of V/hbar = 1122.74 s^-1 (Chakraborty et al. 2016 eq. 2.7, a = 0, mu = V/2)."""
    s = run_scenario("flavor-fast-two-beam", {}, out_dir=tmp_path).summary
    assert s["growth_rate_analytic_per_s"] == pytest.approx(1122.74, rel=1e-5)
    assert s["within_emu_tolerance"] is True
    for rate in s["growth_rate_components_per_s"]:
        assert abs(rate - 1122.74) / 1122.74 < 2e-2
    assert s["growth_rate_linear_per_s"] == pytest.approx(s["growth_rate_analytic_per_s"], rel=1e-10)


def test_rate_follows_v_over_hbar_at_another_energy(tmp_path):
    """V = dm2/(2E): at E = 25 MeV the rate doubles."""
    s = run_scenario("flavor-fast-two-beam", {"energy_MeV": 25.0}, out_dir=tmp_path).summary
    assert s["growth_rate_analytic_per_s"] == pytest.approx(2 * 1122.74, rel=1e-5)
    assert s["relative_error"] < 2e-2
