"""forces-potentials scenario (spec forces.md 1, 2, 7.1)."""

import pytest

from nupair.scenarios.runner import run_scenario


def test_potentials_summary(tmp_path):
    s = run_scenario("forces-potentials", {"n_r": 200}, out_dir=tmp_path).summary
    # T14 crossing radii (s_W^2 = 0.23121, three flavors): n-n 6.77e-8 cm, p-p 1.86e-8 cm, e-e 3.06e-6 cm
    assert s["crossing_radius_m"]["n-n"] == pytest.approx(6.77e-10, rel=2e-3)
    assert s["crossing_radius_m"]["e-e"] == pytest.approx(3.06e-8, rel=2e-3)
    # at 1 um (<< 1/(2 m_3) ~ 2 um) the masses suppress the force only slightly, and the ratio to
    # gravity is (r_x / r)^4
    for pair in ("e-e", "n-n"):
        assert 0.9 < s["massive_over_massless_at_1um"][pair] < 1.0
    assert s["ratio_to_gravity_at_1um"]["e-e"] == pytest.approx(
        (3.0646e-8 / 1e-6) ** 4 * s["massive_over_massless_at_1um"]["e-e"], rel=1e-2)


def test_potentials_short_range_regime(tmp_path):
    s = run_scenario("forces-potentials", {"n_r": 200}, out_dir=tmp_path).summary
    # r = 1e-19 m is M r = 0.046 < 1: the Coulomb-like regime, far below the 1/r^5 extrapolation
    for pair in ("e-e", "n-n"):
        assert 0 < s["short_range_over_contact_at_1e-19m"][pair] < 1e-4
