"""pairing-flavor-interplay: flavor vs pairing instabilities in two flavors."""

import numpy as np
import pytest

from nupair import pairing
from nupair.scenarios.runner import run_scenario


def test_tiny_run_names_the_winner_and_checks_the_two_beam(tmp_path):
    s = run_scenario("pairing-flavor-interplay", {"coupling_per_MeV2": 1e-4, "t_end_mu": 6.0, "n_save": 61,
                                                  "include_188": False}, out_dir=tmp_path, seed=1).summary
    mu = 1e-4 * 20.0**3
    # two-beam: the bipolar rate sqrt(4 omega mu - omega^2) = sqrt(3) mu' (omega = mu'), no pairing mode
    assert s["growth_rate_flavor_no_pairing_MeV"]["two-beam"] == pytest.approx(np.sqrt(3) * mu, rel=1e-8)
    assert s["growth_rate_pairing_MeV"]["two-beam"] == 0.0
    assert "two-beam: flavor wins" in s["verdict"]
    # HW (1,1,4) in two flavors: a pairing mode, slower than HW's single-flavor one (the empty nu_x
    # pairs take part), and the fastest eigenvector is pairing
    assert s["pairing_weight_of_fastest_mode"]["hw-1-1-4"] > 0.99
    grid = pairing.Grid(1, 1, 4)
    single = pairing.growth_rates(pairing.hw_initial_state(grid, seed=1), grid, pairing.PairingParams(1e-4))
    assert 0.0 < s["growth_rate_pairing_MeV"]["hw-1-1-4"] < single.max_growth_rate
    assert "hw-1-1-4: pairing wins" in s["verdict"]
    assert s["max_mean_occupation_x"]["hw-1-1-4"] > 1e-4  # nu_x nubar_x pairs are made


def test_flavor_mode_through_pairing_scales_as_mu_sqrt_mu_over_e():
    """The pairing-induced flavor mode of HW's case A in two flavors (pairing off: marginal) grows
    at 2 sqrt(2) mu sqrt(mu/E) in the linearization (F12): a singular O(mu^2/E) effect."""
    grid = pairing.Grid.two_pair(1.0, 1.0)
    s1 = pairing.PairState(np.array([1.0, 0.0]), np.array([1.0, 0.0]), np.zeros(2))
    for mu in (1e-4, 1e-5):
        r = pairing.growth_rates(pairing.FlavorPairState.from_single_flavor(s1, 2), grid, pairing.PairingParams(mu))
        assert r.growth_rate_flavor_MeV / (mu * np.sqrt(mu)) == pytest.approx(2 * np.sqrt(2), rel=1e-3)
