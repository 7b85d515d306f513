"""pairing-physical-coupling: the secular equations are the mu/E -> 0 limit of the full ones."""

import numpy as np
import pytest

from nupair import pairing
from nupair.scenarios.runner import run_scenario


def _rates(mu_over_energy: float) -> tuple[float, float]:
    """(full, secular) max Re lambda / mu' on HW's (1,1,4) set-up at one mu/E."""
    grid = pairing.Grid(1, 1, 4, e_max_MeV=20.0)
    state = pairing.hw_initial_state(grid, seed=1, seed_amplitude=0.0)
    pp = pairing.PairingParams(mu_over_energy * 20.0 / 20.0**3)
    mu = pp.mu_MeV(grid)
    return tuple(pairing.growth_rates(state, grid, pp, model=m, return_eigenvectors=False).max_growth_rate / mu
                 for m in ("full", "secular"))


def test_secular_rate_is_the_limit_of_the_full_equations():
    # two independent linear operators: the full equations' rate approaches the secular one
    # linearly in mu/E (docs/secular.md S9); Richardson from mu/E = 1e-5 and 1e-6 gives the limit
    f5, s5 = _rates(1e-5)
    f6, s6 = _rates(1e-6)
    limit = f6 - (f5 - f6) / 9.0
    assert s5 == pytest.approx(s6, rel=1e-12)  # the secular rate does not depend on mu/E
    assert s6 == pytest.approx(limit, rel=1e-8)
    assert limit == pytest.approx(2.2299677, abs=1e-6)  # the value pinned in scenario_references.toml
    # the O(mu/E) shift has a constant coefficient, (f - s) / (mu/E), over four decades
    coefficients = [(f - s) / moe for moe, (f, s) in ((m, _rates(m)) for m in (1e-3, 1e-4, 1e-5))]
    assert np.ptp(coefficients) < 0.02 * np.mean(coefficients)


def test_scenario_reports_both_models_and_their_difference(tmp_path):
    s = run_scenario("pairing-physical-coupling", {"log10_mu_over_energy_max": -2.0, "log10_mu_over_energy_min": -6.0,
                                                   "n_points": 3, "full_min_mu_over_energy": 1e-2, "t_end_mu": 6.0,
                                                   "n_save": 101}, out_dir=tmp_path).summary
    secular = s["growth_rate_secular_over_mu"]
    assert np.ptp(secular) < 1e-9 and secular[0] == pytest.approx(2.2299677, abs=1e-6)
    full = s["growth_rate_full_over_mu"]
    assert full[0] == pytest.approx(_rates(1e-2)[0], rel=1e-9) and full[1] is None  # full only at mu/E >= 1e-2
    assert s["max_abs_difference_over_mu"] == pytest.approx(abs(full[0] - secular[0]), rel=1e-9)
