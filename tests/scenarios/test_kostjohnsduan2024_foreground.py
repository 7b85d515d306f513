"""oile-foreground (Kost, Johns & Duan 2024; spec oile.md sections 3-5)."""

import pytest

from nupair.scenarios.runner import run_scenario


def test_foreground_fits_agree_with_recurrence(tmp_path):
    s = run_scenario("oile-foreground", {"n_gamma": 6, "max_encounters": 4000, "n_ensemble": 1000},
                     out_dir=tmp_path, seed=2).summary
    assert len(s["per_gamma"]) == 6
    assert s["all_within_3_sigma"], s["max_abs_z_score"]
    # continuum limit (spec 5.3): per-time precession -> mu |P_bg| at small gamma
    assert s["continuum_limit"]["precession_per_time_mu"] == pytest.approx(0.5, rel=1e-3)
