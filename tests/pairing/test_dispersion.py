"""Dispersion relation of the linearized pairing equations vs the eigen-solvers (spec 6, 7.1)."""

import numpy as np
import pytest

from nupair import pairing


def _random_state(grid, rng, same_sign=False):
    occ = rng.uniform(0.55, 0.95, grid.n_modes) if same_sign else rng.uniform(0.05, 0.95, grid.n_modes)
    return pairing.initial_state_from_occupation(occ, seed_amplitude=0.0)


def test_dispersion_function_is_the_determinant_ratio():
    # matrix determinant lemma: det(J - lam) = prod_p (lam^2 + a_p^2) D(lam)
    rng = np.random.default_rng(1)
    grid = pairing.Grid(3, 2, 4)
    state = _random_state(grid, rng)
    p = pairing.PairingParams(1e-4)
    d = pairing.dispersion_relation(state, grid, p)
    j = pairing.stability_matrix(state, grid, p)
    for lam in (0.3 - 7j, 2.0 + 11.5j, 0.01 - 25.0j):
        lhs = np.linalg.det(j - lam * np.eye(j.shape[0])) / np.prod(lam**2 + d.a**2)
        assert d(lam) == pytest.approx(lhs, rel=1e-9)


def test_two_pair_case_a_rate():
    # HW case A (spec 8 item 5): rho_x = rhobar_x = 1, rho_z = rhobar_z = 0, mu/E = 1e-3:
    # max Re lambda = 1.99999900 mu from HW eq. (15)
    energy, mu = 10.0, 1e-2
    grid = pairing.Grid.two_pair(energy, volume_MeV3=mu)
    params = pairing.PairingParams(1.0)
    state = pairing.initial_state_from_occupation(np.array([1.0, 0.0]), seed_amplitude=0.0)
    root = pairing.dispersion_growth_rate(state, grid, params)
    assert root.growth_rate_MeV == pytest.approx(1.99999900 * mu, rel=1e-8)
    assert root.growth_rate_MeV == pytest.approx(pairing.two_pair_growth_rate(1.0, 1.0, 0.0, 0.0, mu, energy), rel=1e-9)


@pytest.mark.parametrize("coupling", [1e-6, 1e-4])
def test_agrees_with_dense_eigenvalues_on_random_grids(coupling):
    rng = np.random.default_rng(7)
    for shape in ((4, 1, 4), (2, 2, 6), (8, 1, 8)):
        grid = pairing.Grid(*shape)
        state = _random_state(grid, rng)
        p = pairing.PairingParams(coupling)
        dense = pairing.growth_rates(state, grid, p, method="dense", return_eigenvectors=False)
        root = pairing.dispersion_growth_rate(state, grid, p)
        vals = dense.eigenvalues
        resolved = vals[(vals.real > root.rate_floor_MeV) & (vals.imag <= 0)]
        assert root.n_unstable_roots == resolved.size, shape
        if resolved.size:
            assert root.growth_rate_MeV == pytest.approx(dense.max_growth_rate, rel=1e-7)
            lo, hi = root.growth_rate_bracket_MeV
            assert lo <= dense.max_growth_rate * (1 + 1e-12) and dense.max_growth_rate <= hi * (1 + 1e-12)


def test_same_sign_occupations_have_no_root():
    # spec 8 item 7: same-sign EPNs (rho + rhobar > 1 everywhere) are stable
    rng = np.random.default_rng(3)
    grid = pairing.Grid(4, 1, 8)
    state = _random_state(grid, rng, same_sign=True)
    root = pairing.dispersion_growth_rate(state, grid, pairing.PairingParams(1e-4))
    assert not root.unstable and root.growth_rate_MeV == 0.0
    assert np.isnan(root.frequency_MeV)


def test_bad_arguments():
    grid = pairing.Grid(1, 1, 4)
    state = _random_state(grid, np.random.default_rng(0))
    with pytest.raises(ValueError, match="rate_floor_MeV"):
        pairing.dispersion_growth_rate(state, grid, pairing.PairingParams(1e-6), rate_floor_MeV=-1.0)
    with pytest.raises(ValueError, match="rtol"):
        pairing.dispersion_growth_rate(state, grid, pairing.PairingParams(1e-6), rtol=2.0)


def test_energy_jump_profiles_are_exact_on_bin_edges_and_volume_averages_otherwise():
    # spec 7.1 profile D: 10 MeV is a bin edge for every even N_E on [0, 20] MeV
    grid = pairing.Grid(8, 1, 4)
    first = grid.quadrant() == 0
    d = pairing.occupation_profile("fermi-edge", grid)
    assert np.array_equal(d[first], np.where(grid.energy_MeV[first] < 10.0, 0.9, 0.1))
    assert np.all(d[~first] == 0.1)
    # profile B2: 15 and 17.5 MeV are bin edges when N_E is a multiple of 8
    b2 = pairing.occupation_profile("window", grid)
    inside = (grid.energy_MeV > 15.0) & (grid.energy_MeV < 17.5)
    assert np.array_equal(b2[first], np.where(inside[first], 0.9, 0.1))
    # one energy bin: the phase-space average 0.1 + 0.8 (10^3 / 20^3) and 0.1 + 0.8 (17.5^3 - 15^3) / 20^3
    one = pairing.Grid(1, 1, 4)
    f1 = one.quadrant() == 0
    assert pairing.occupation_profile("fermi-edge", one)[f1] == pytest.approx(0.1 + 0.8 / 8)
    assert pairing.occupation_profile("window", one)[f1] == pytest.approx(0.1 + 0.8 * (17.5**3 - 15**3) / 20**3)
    with pytest.raises(ValueError, match="window_MeV"):
        pairing.occupation_profile("window", grid, window_MeV=(17.0, 15.0))
