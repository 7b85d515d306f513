"""Linear stability at wave vector k != 0 (docs/k-modes.md K1-K11): kinematics, the k -> 0 limit,
the two-beam closed form, and the single-flavor and flavor implementations against each other."""

import numpy as np
import pytest

from nupair import pairing as P
from nupair.pairing.kmodes import pair_detuning_MeV, streaming_frequency_MeV

RNG = np.random.default_rng(20261203)


def _spectrum(vals, decimals=9):
    """Eigenvalues in a canonical order (by rounded Im, then rounded Re: near-degenerate imaginary
    eigenvalues carry ~1e-15 noise in Re, which must not decide the order)."""
    v = np.asarray(vals)
    order = np.lexsort((np.round(v.real, decimals), np.round(v.imag, decimals)))
    return v[order]


def _hw(ne=2, nth=1, nph=8, g=1e-6, family="step"):
    grid = P.Grid(ne, nth, nph)
    return grid, P.initial_state_from_occupation(P.occupation_profile(family, grid), seed=3), P.PairingParams(g)


def test_pair_detuning_small_k_limit_and_collinear_zero():
    """K6: delta = k_perp^2 / (4E) + O(k^4/E^3); exactly 0 for k along p_hat with |k| <= 2E."""
    grid = P.Grid.from_modes(RNG.uniform(1, 20, 50), RNG.uniform(0, np.pi, 50), RNG.uniform(0, 2 * np.pi, 50),
                             np.ones(50))
    k = np.array([0.3, -0.2, 0.5]) * 1e-2
    kperp2 = k @ k - (grid.p_hat @ k) ** 2
    delta = pair_detuning_MeV(grid, k)
    assert np.all(delta >= 0)
    # next order: relative O((k/E)^2) <= 4e-5 here
    np.testing.assert_allclose(delta, kperp2 / (4 * grid.energy_MeV), rtol=1e-4)
    # collinear: the two momenta stay on one line and their energies add to 2E
    for i in range(5):
        kk = 1.7 * grid.energy_MeV[i] * grid.p_hat[i]
        assert abs(pair_detuning_MeV(grid, kk)[i]) < 1e-13 * grid.energy_MeV[i]
    # streaming: a density wave of mode p moves at p_hat (K5)
    np.testing.assert_allclose(streaming_frequency_MeV(grid, k), grid.p_hat @ k, rtol=1e-5, atol=1e-15)


def test_k_zero_is_the_homogeneous_analysis_bit_for_bit():
    grid, state, pp = _hw()
    j0 = P.stability_matrix(state, grid, pp)
    assert np.array_equal(j0, P.stability_matrix(state, grid, pp, k_MeV=(0, 0, 0)))
    r0, r1 = P.growth_rates(state, grid, pp), P.growth_rates(state, grid, pp, k_MeV=np.zeros(3))
    assert np.array_equal(r0.eigenvalues, r1.eigenvalues)
    # and the k-dependence is continuous: a tiny k moves the rate by O(k^2 / E)
    r2 = P.growth_rates(state, grid, pp, k_MeV=(1e-6, 0, 0))
    assert abs(r2.max_growth_rate - r0.max_growth_rate) < 1e-9 * r0.max_growth_rate


def _case_a(e=10.0, mu_over_e=1e-3):
    mu = mu_over_e * e
    grid = P.Grid.from_modes([e, e], [np.pi / 2, 0.0], [0.0, 0.0], [mu, mu])  # x and z beams, w = mu
    state = P.PairState(np.array([1.0, 0.0]), np.array([1.0, 0.0]), np.zeros(2, complex))
    return grid, state, P.PairingParams(1.0), e, mu


@pytest.mark.parametrize("k_MeV", [0.1, 0.5, 0.9, 1.2, 1.5])
def test_two_beam_growth_follows_the_closed_form(k_MeV):
    """K11: along x the z-beam's pair is detuned by delta = 2 sqrt(E^2 + k^2/4) - 2E and the
    secular rate is sqrt(4 mu^2 - delta^2/4) (0 once delta >= 4 mu); the full model agrees to O(mu/E)."""
    grid, state, pp, e, mu = _case_a()
    delta = 2 * np.sqrt(e * e + k_MeV ** 2 / 4) - 2 * e
    expected = np.sqrt(max(4 * mu ** 2 - delta ** 2 / 4, 0.0))
    k = (k_MeV, 0.0, 0.0)
    sec = P.growth_rates(state, grid, pp, model="secular", k_MeV=k).max_growth_rate
    full = P.growth_rates(state, grid, pp, k_MeV=k).max_growth_rate
    if expected > 0:
        assert sec == pytest.approx(expected, rel=1e-10)
        assert full == pytest.approx(expected, rel=2e-3 if expected > 0.3 * mu else 2e-2)
    else:
        assert sec < 1e-12 and full < 1e-3 * mu
    # along y both pairs are detuned alike: the secular rate is exactly the homogeneous 2 mu
    assert P.growth_rates(state, grid, pp, model="secular", k_MeV=(0, k_MeV, 0)).max_growth_rate == pytest.approx(2 * mu, rel=1e-12)


def test_single_flavor_and_flavor_model_agree_at_k():
    """K9 (real low-rank J(k)) and K10 (complex generalized-matrix operator), two independent
    constructions, give the same eigenvalues for n_f = 1."""
    grid, state, pp = _hw(ne=2, nth=2, nph=4, g=1e-5, family="window")
    flavored = P.FlavorPairState.from_single_flavor(state, 1)
    for k in [(0.4, 0.0, 0.0), (0.1, -0.3, 0.7), (0.0, 0.0, 2.0)]:
        a = P.growth_rates(state, grid, pp, k_MeV=k, return_eigenvectors=False).eigenvalues
        b = P.growth_rates(flavored, grid, pp, k_MeV=k, return_eigenvectors=False).eigenvalues
        scale = np.max(np.abs(a))
        assert a[0].real == pytest.approx(b[0].real, rel=1e-8, abs=1e-12 * scale)
        # n_f = 1 adds the occupation variables (zero modes): compare the pairing spectrum
        np.testing.assert_allclose(_spectrum(a), _spectrum(b[np.abs(b) > 0.5 * np.min(np.abs(a))]), atol=1e-9 * scale)


def test_flavor_complex_operator_at_tiny_k_equals_the_real_one():
    """At k -> 0 the complex operator (K10) is the complexification of F12's real matrix."""
    grid = P.Grid(1, 1, 4)
    state = P.FlavorPairState.flavor_symmetric(P.hw_initial_state(grid, seed=1), 2)
    pp = P.PairingParams(1e-6)
    real = _spectrum(P.growth_rates(state, grid, pp, return_eigenvectors=False).eigenvalues)
    cplx = _spectrum(P.growth_rates(state, grid, pp, k_MeV=(1e-12, 0, 0), return_eigenvectors=False).eigenvalues)
    np.testing.assert_allclose(cplx, real, atol=1e-12 * np.max(np.abs(real)))


def test_growth_rate_vs_k_scan():
    grid, state, pp, e, mu = _case_a()
    scan = P.growth_rate_vs_k(state, grid, pp, np.linspace(0.0, 1.5, 7), model="secular")
    assert scan.k_MeV.shape == (7, 3) and np.allclose(scan.k_MeV[:, 1:], 0)
    assert scan.homogeneous_growth_rate_MeV == pytest.approx(2 * mu, rel=1e-12)
    np.testing.assert_array_equal(scan.fastest_k_MeV, [0, 0, 0])
    assert np.all(np.diff(scan.growth_rate_MeV) <= 1e-15)  # detuning only closes case A
    assert not scan.unstable[-1] and np.isnan(scan.frequency_MeV[-1])
    vectors = P.growth_rate_vs_k(state, grid, pp, [[0, 0.5, 0], [0.5, 0, 0]], model="secular")
    assert vectors.growth_rate_MeV[0] > vectors.growth_rate_MeV[1]


@pytest.mark.parametrize("bad", [0.5, (1, 2), [[1, 2, 3]], (0, np.nan, 0), "x"])
def test_bad_wave_vector_is_a_clear_error(bad):
    grid, state, pp = _hw()
    with pytest.raises(ValueError, match="k_MeV"):
        P.growth_rates(state, grid, pp, k_MeV=bad)
