"""HW Fig. 2 scenarios at the paper's parameters (spec 5, test target 11)."""

import json

import pytest

from nupair.scenarios.runner import run_scenario

KEYS = ("max_growth_rate_MeV", "max_growth_rate_over_mu", "fitted_growth_rate_over_mu", "max_pair_conversion")


@pytest.mark.parametrize("name, t_end", [("pairing-multi-phi4", 900.0), ("pairing-multi-phi32", 900.0)])
def test_fitted_growth_equals_max_eigenvalue(name, t_end, tmp_path):
    out = run_scenario(name, {"t_end_MeV": t_end, "n_save": int(t_end) + 1}, out_dir=tmp_path, seed=1)
    s = json.loads((out.out_dir / "summary.json").read_text())
    for key in KEYS:
        assert key in s
    assert s["mu_prime_MeV"] == pytest.approx(0.008)  # HW: mu' = g' (20 MeV)^3
    assert s["fitted_growth_rate_over_mu"] == pytest.approx(s["max_growth_rate_over_mu"], rel=0.05)
    assert s["max_mean_abs_kappa"] > 0.1  # HW Fig. 2a: saturation at <|kappa|>_a >~ 0.1
    assert s["mean_rho_quadrant_final"][0] < 0.9 - 0.1  # HW Fig. 2b: <rho>_1 decreases
    assert s["max_invariant_drift"]["energy_relative"] < 1e-8
    assert s["max_invariant_drift"]["bloch_norm2"] < 1e-8


def test_8x8_fit_follows_the_linear_prediction(tmp_path):
    out = run_scenario("pairing-multi-8x8", {"t_end_MeV": 900.0, "n_save": 901}, out_dir=tmp_path, seed=1)
    s = out.summary
    assert s["fitted_growth_rate_over_mu"] == pytest.approx(s["linear_prediction_growth_rate_over_mu"], rel=0.05)
    assert s["max_growth_rate_over_mu"] > 1.2 * s["fitted_growth_rate_over_mu"]
