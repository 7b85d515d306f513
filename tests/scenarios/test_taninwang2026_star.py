"""gradient-star (spec gradient.md sections 1-3)."""

import pytest

from nupair.scenarios.runner import run_scenario


def test_gradient_star(tmp_path):
    s = run_scenario("gradient-star", {"n_spectrum": 40}, out_dir=tmp_path).summary
    assert s["mass_msun"] == pytest.approx(1.4, rel=1e-6)
    hq, cc = s["interfaces"]["hadron-quark"], s["interfaces"]["crust-core"]
    assert hq["r_km"] < cc["r_km"] < s["radius_km"]
    # sharp steps: the vacuum pair rate is the sharp-step V0^3 law times the area (spec 3.3, 3.4)
    import math
    from nupair import gradient
    expected = 6.5233e-4 * hq["delta_V_eV"]["e"] ** 3 * gradient.flux_eV3_to_cm2_s * 4 * math.pi * (hq["r_km"] * 1e5) ** 2
    assert hq["pair_rate_per_s"]["e"] == pytest.approx(3 * expected, rel=1e-3)  # three massless-ish states
    assert s["central_potential_eV"]["e"] < -30  # well depth ~10-70 eV at the centre (spec 2.2)
    assert (tmp_path / "figure.png").exists()
