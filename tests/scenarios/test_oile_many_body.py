"""oile-many-body: OILE beside the exact many-body evolution (Kost, Johns & Duan's poster)."""

import numpy as np
import pytest

from nupair.scenarios.runner import run_scenario
from nupair.scenarios._base import UserInputError


def test_small_run_summary(tmp_path):
    s = run_scenario("oile-many-body", {"n_neutrinos": 8, "t_end_mu": 20.0, "n_replicas": 3},
                     out_dir=tmp_path).summary
    for key in ("max_deviation_oile_vs_many_body", "final_abs_P_many_body", "final_abs_P_oile",
                "entanglement_entropy_final"):
        assert np.isfinite(s[key])
    assert s["max_norm_error"] < 1e-12  # unitarity
    # pure e and pure x in equal numbers: B . Pbar is conserved; both runs keep group B's
    # B-component the mirror image of group A's (B . (P_A + P_B) = 0 at all times)
    assert s["final_b_component_many_body"][0] == pytest.approx(-s["final_b_component_many_body"][1], abs=1e-12)
    assert s["final_b_component_oile"][0] == pytest.approx(-s["final_b_component_oile"][1], abs=1e-12)
    assert 0.0 < s["entanglement_entropy_final"] <= 1.0
    assert (tmp_path / "figure.png").exists()


def test_mixed_start_is_refused(tmp_path):
    with pytest.raises(UserInputError, match="p_a"):
        run_scenario("oile-many-body", {"p_a": (0.0, 0.0, 0.5)}, out_dir=tmp_path)
