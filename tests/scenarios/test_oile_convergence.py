"""oile-convergence: the Monte Carlo scatters about the large-N mean map as N^-1/2 (central limit)."""

import numpy as np
import pytest

from nupair.scenarios.runner import run_scenario


def test_deviation_is_statistical(tmp_path):
    s = run_scenario("oile-convergence", {"n_min": 100, "n_max": 10000, "points_per_decade": 2, "t_end_mu": 5.0},
                     out_dir=tmp_path, seed=3).summary
    assert s["n_neutrinos"][0] == 100 and s["n_neutrinos"][-1] == 10000
    # the rms deviation from the mean map is the size of the group means' standard error
    ratio = np.array(s["deviation_over_expected"])
    assert np.all((ratio > 0.3) & (ratio < 3.0)), ratio
    assert s["deviation_slope"] == pytest.approx(-0.5, abs=0.25)
    assert all(r > 0 for r in s["encounters_per_second"])
