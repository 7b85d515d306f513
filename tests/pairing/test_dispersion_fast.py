"""The fast dispersion solver (docs/k-modes.md K12-K14) against dense eigenvalues and ARPACK."""

import numpy as np
import pytest

from nupair import pairing as P
from nupair.pairing.dispersion_fast import CauchyDispersion, dispersion_rates
from nupair.pairing.linear import dense_rates, linear_parts
from nupair.pairing.kmodes import pair_detuning_MeV

FLOOR_MeV = 2e-4  # growth rates searched down to (the cost of a stable verdict grows like 1/floor)


def _random_cases(n_cases=24, seed=20261203):
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(n_cases):
        grid = P.Grid(int(rng.choice([1, 2, 3, 4, 6, 8])), int(rng.choice([1, 1, 2])), int(rng.choice([4, 8, 16])))
        family = P.OCCUPATION_PROFILES[i % len(P.OCCUPATION_PROFILES)]
        coupling = float(rng.choice([1e-6, 1e-5, 1e-4]))
        k = rng.normal(size=3) * float(rng.choice([0.0, 0.3, 1.0, 3.0]))
        cases.append((grid, family, coupling, k))
    return cases


def _operator(grid, family, coupling, k):
    state = P.initial_state_from_occupation(P.occupation_profile(family, grid), seed=1)
    return linear_parts(state, grid, P.PairingParams(coupling), pair_detuning_MeV(grid, k) if k.any() else None)


def test_cauchy_form_equals_the_dispersion_relation_and_its_fft_lines():
    grid = P.Grid(8, 1, 16)
    state = P.initial_state_from_occupation(P.occupation_profile("window", grid), seed=1)
    pp = P.PairingParams(1e-5)
    d = CauchyDispersion.from_operator(linear_parts(state, grid, pp))
    lam = np.array([1e-3 - 31.0j, 0.02 - 5.0j, 0.3 + 0.1j])
    np.testing.assert_allclose(d(lam), P.dispersion_relation(state, grid, pp)(lam), rtol=1e-12)
    # an FFT line (anterpolation + split kernel, K13) against exact sums
    x, h, m = 1e-3, 2.5e-4, 160_000
    fft = d._line_g_fft(x, -40.0, h, m)
    idx = np.linspace(0, m - 1, 400).astype(int)
    exact = d.g(x + 1j * (-40.0 + h * idx))
    err = np.max(np.abs(fft[idx] - exact).reshape(400, -1), axis=1) / np.max(np.abs(exact).reshape(400, -1), axis=1)
    assert np.max(err) < 2e-3


@pytest.mark.parametrize("case", range(24))
def test_fast_solver_equals_dense_eigenvalues(case):
    """>= 20 random grids (profiles, couplings, wave vectors): the fastest growth rate to 1e-8
    relative, and 'stable' (no root above the floor) where dense eigenvalues find no growth."""
    grid, family, coupling, k = _random_cases()[case]
    op = _operator(grid, family, coupling, k)
    dense = dense_rates(op.dense(), return_eigenvectors=True)
    fast = dispersion_rates(op, rate_floor_MeV=FLOOR_MeV)
    assert fast.method == "dispersion" and fast.rate_floor_MeV >= FLOOR_MeV
    rate = dense.max_growth_rate
    if rate > 2 * fast.rate_floor_MeV:
        assert fast.max_growth_rate == pytest.approx(rate, rel=1e-8)
        assert abs(fast.eigenvalues[0].imag) == pytest.approx(abs(dense.eigenvalues[0].imag), rel=1e-10)
        # the eigenvector from the null vector of 1 + G (mode weights) matches LAPACK's
        i = int(np.argmin(np.abs(dense.eigenvalues - fast.eigenvalues[0])))
        np.testing.assert_allclose(fast.mode_weights[0], dense.mode_weights[i], atol=1e-7)
    elif rate < P.GROWTH_NOISE_FLOOR_MeV:
        assert fast.max_growth_rate == 0.0 and fast.eigenvalues.size == 0
        assert "no root" in fast.message
    else:  # between the noise floor and the solver's floor: may or may not be resolved
        assert fast.max_growth_rate == 0.0 or fast.max_growth_rate == pytest.approx(rate, rel=1e-8)


def test_random_cases_cover_both_verdicts():
    """The random set above holds stable and unstable grids alike (else it tests half a solver)."""
    rates = [dense_rates(_operator(*c).dense(), False).max_growth_rate for c in _random_cases()]
    assert sum(r > 2 * FLOOR_MeV for r in rates) >= 8
    assert sum(r < P.GROWTH_NOISE_FLOOR_MeV for r in rates) >= 8


def test_large_grid_root_is_an_eigenvalue_by_arpack():
    """At N = 16384 (beyond dense) the root is confirmed by shift-invert Arnoldi around it."""
    grid = P.Grid(1024, 1, 16)
    state = P.initial_state_from_occupation(P.occupation_profile("window", grid), seed=1)
    pp = P.PairingParams(1e-4)
    res = P.growth_rates(state, grid, pp, method="dispersion", return_eigenvectors=False)
    assert res.unstable and res.method == "dispersion"
    near = P.eigenvalues_near(state, grid, pp, res.eigenvalues[0], k=3)
    assert np.min(np.abs(near - res.eigenvalues[0])) < 1e-10 * abs(res.eigenvalues[0])
    # "auto" picks this solver above ARNOLDI_MAX_MODES
    assert P.growth_rates(state, grid, pp, return_eigenvectors=False).method == "dispersion"


def test_bad_floor_is_a_clear_error():
    op = _operator(P.Grid(1, 1, 4), "step", 1e-6, np.zeros(3))
    with pytest.raises(ValueError, match="rate_floor_MeV"):
        dispersion_rates(op, rate_floor_MeV=-1.0)
