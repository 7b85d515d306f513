"""HW Fig. 3 scenario (spec 5.3, test target 12)."""

import pytest

from nupair.scenarios.runner import run_scenario


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    return run_scenario("pairing-energy-bins", out_dir=tmp_path_factory.mktemp("fig3"), seed=0).summary


def test_instability_only_for_n_energy_le_4(summary):
    unstable = summary["unstable_by_n_energy"]
    assert [unstable[str(n)] for n in range(1, 7)] == [True] * 4 + [False] * 2
    assert summary["largest_unstable_n_energy"] == 4
    r = summary["growth_rate_MeV_by_n_energy"]
    assert r["1"] > r["2"] > r["3"] > r["4"] > 0 and r["5"] == r["6"] == 0.0


def test_instability_lives_in_the_top_energy_bin(summary):
    for n in ("1", "2", "3", "4"):
        assert summary["top_bin_weight_by_n_energy"][n] > 0.99


def test_fits_match_eigenvalues(summary):
    # N_E = 1..3 within 5 %. N_E = 4 (0.43 mu') grows 9 % slower than linear theory at g' = 1e-6:
    # an O(kappa^2) effect of the source-driven background; at g' = 1e-7 the two agree (slow test).
    for n in ("1", "2", "3"):
        assert summary["fitted_growth_rate_over_mu_by_n_energy"][n] == pytest.approx(
            summary["growth_rate_over_mu_by_n_energy"][n], rel=0.05)
    assert summary["fitted_growth_rate_over_mu_by_n_energy"]["4"] == pytest.approx(
        summary["growth_rate_over_mu_by_n_energy"]["4"], rel=0.15)


@pytest.mark.slow
def test_n_energy_4_agrees_at_weaker_coupling(tmp_path):
    s = run_scenario("pairing-energy-bins", {"coupling_MeV2": 1e-7, "seed_amplitude": 1e-6,
                                             "t_end_MeV": 60000.0, "n_save": 3001,
                                             "checkpoint_interval_MeV": 2000.0},
                     out_dir=tmp_path, seed=0).summary
    assert s["fitted_growth_rate_over_mu_by_n_energy"]["4"] == pytest.approx(
        s["growth_rate_over_mu_by_n_energy"]["4"], rel=0.05)
