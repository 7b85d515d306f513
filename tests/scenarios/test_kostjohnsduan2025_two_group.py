"""oile-two-group (Kost, Johns & Duan 2025; spec oile.md section 6)."""

import pytest

from nupair.scenarios.runner import run_scenario


def test_two_group_summary(tmp_path):
    s = run_scenario("oile-two-group", {"n_neutrinos": 4000, "t_end_mu": 150.0, "checkpoint_every_steps": 4000},
                     out_dir=tmp_path, seed=1).summary
    for key in ("max_deviation_mc_vs_miscodynamics", "max_deviation_mc_vs_meanfield", "final_abs_P_A", "final_abs_P_B"):
        assert key in s
    assert s["max_b_total_drift"] < 1e-12
    assert s["max_deviation_mc_vs_mean_map"] < 8 * s["max_stderr"]
    assert s["max_deviation_mc_vs_miscodynamics"] < 0.03
    assert s["max_deviation_mc_vs_meanfield_early"] < 0.1 < s["max_deviation_mc_vs_meanfield"]


def test_two_group_resume_is_identical(tmp_path):
    params = {"n_neutrinos": 1000, "t_end_mu": 40.0, "checkpoint_every_steps": 500}
    full = run_scenario("oile-two-group", params, out_dir=tmp_path / "full", seed=3)

    def interrupt(fraction, description=""):
        if fraction > 0.5:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_scenario("oile-two-group", params, out_dir=tmp_path / "cut", seed=3, progress=interrupt)
    resumed = run_scenario("oile-two-group", params, out_dir=tmp_path / "cut", seed=3, resume=True)
    assert resumed.summary["final_abs_P_A"] == full.summary["final_abs_P_A"]


def test_odd_n_is_a_clear_error(tmp_path):
    from nupair.scenarios import UserInputError

    with pytest.raises(UserInputError, match="even"):
        run_scenario("oile-two-group", {"n_neutrinos": 1001}, out_dir=tmp_path)
