"""pairing-two-pair-stability (HW eqs. 14-16): the growth rate against the closed forms."""

import math

import pytest

from nupair.scenarios.runner import run_scenario


@pytest.mark.parametrize("occ, mu_over_energy", [((1.0, 1.0, 0.0, 0.0), 1e-3), ((1.0, 0.3, 0.1, 0.1), 1e-3),
                                                 ((0.8, 0.6, 0.2, 0.3), 1e-4)])
def test_rate_approaches_eq16_and_obeys_the_criterion(tmp_path, occ, mu_over_energy):
    names = ("rho_x", "rhobar_x", "rho_z", "rhobar_z")
    s = run_scenario("pairing-two-pair-stability", dict(zip(names, occ), mu_over_energy=mu_over_energy),
                     out_dir=tmp_path).summary
    ex, ez = occ[0] + occ[1] - 1.0, occ[2] + occ[3] - 1.0
    assert s["epn_product"] == pytest.approx(ex * ez, abs=1e-15)
    # HW eq. 16 (E >> mu): 2 mu sqrt(-(rt_x - 1)(rt_z - 1)) when the excesses have opposite signs
    eq16 = 2.0 * math.sqrt(-ex * ez) if ex * ez < 0 else 0.0
    assert s["growth_rate_eq16_over_mu"] == pytest.approx(eq16, rel=1e-12, abs=1e-15)
    assert s["unstable"] is (ex * ez < 0)
    if eq16 > 0:  # the exact eigenvalue of eq. 14 differs from eq. 16 at O(mu/E)
        assert s["growth_rate_over_mu"] == pytest.approx(eq16, rel=20 * mu_over_energy)


def test_same_signs_are_stable(tmp_path):
    s = run_scenario("pairing-two-pair-stability", {"rho_x": 0.9, "rhobar_x": 0.9, "rho_z": 0.8, "rhobar_z": 0.7},
                     out_dir=tmp_path).summary
    assert s["epn_product"] > 0 and not s["unstable"] and s["growth_rate_over_mu"] <= 1e-9
