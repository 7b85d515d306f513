"""Linear stability of the N-mode equations (spec pairing.md section 6; test targets 12-16)."""

import numpy as np
import pytest

from nupair import pairing

G_HW = pairing.PairingParams(1e-6)


def hw(shape, **kw):
    grid = pairing.Grid(*shape, **kw)
    return grid, pairing.hw_initial_state(grid, seed=0, seed_amplitude=0.0)


def test_matrix_is_the_jacobian_of_the_rhs():
    grid, state = hw((2, 3, 6))
    y = state.to_array()
    n = grid.n_modes
    jac = pairing.stability_matrix(state, grid, G_HW)
    h = 1e-7
    base = pairing.rhs(y, grid, G_HW)[2:].ravel()
    num = np.empty_like(jac)
    for j in range(2 * n):
        yy = y.copy()
        yy[2 + j // n, j % n] += h
        num[:, j] = (pairing.rhs(yy, grid, G_HW)[2:].ravel() - base) / h
    assert np.max(np.abs(jac - num)) < 1e-6 * np.max(np.abs(jac))


@pytest.mark.parametrize("occ", [(1, 1, 0, 0), (1.0, 0.3, 0.1, 0.1), (0.9, 0.9, 0.8, 0.8), (0.2, 0.7, 0.9, 0.6)])
def test_two_pair_grid_reproduces_eq_14(occ):
    mu, energy = 1.0, 1e3
    grid = pairing.Grid.two_pair(energy, volume_MeV3=mu)
    state = pairing.PairState(np.array([occ[0], occ[2]]), np.array([occ[1], occ[3]]), np.zeros(2))
    lam = pairing.growth_rates(state, grid, pairing.PairingParams(1.0)).eigenvalues
    ref = np.linalg.eigvals(pairing.two_pair_stability_matrix(*occ, mu, energy))
    for x in ref:
        assert np.min(np.abs(lam - x)) < 1e-9 * abs(x)
    # and the matrices are the same up to the ordering (Re kx, Re kz, Im kx, Im kz)
    perm = [0, 2, 1, 3]
    jm = pairing.stability_matrix(state, grid, pairing.PairingParams(1.0))
    assert np.allclose(jm, pairing.two_pair_stability_matrix(*occ, mu, energy)[np.ix_(perm, perm)], atol=1e-12)


def test_rotating_all_directions_leaves_growth_rates_unchanged():
    grid, state = hw((1, 4, 8))
    a = np.array([[0.36, 0.48, -0.8], [-0.8, 0.6, 0.0], [0.48, 0.64, 0.6]])  # orthogonal
    r0 = pairing.growth_rates(state, grid, G_HW, return_eigenvectors=False).eigenvalues
    r1 = pairing.growth_rates(state, grid.rotated(a), G_HW, return_eigenvectors=False).eigenvalues
    assert r0[0].real > 1e-3 and r1[0].real == pytest.approx(r0[0].real, rel=1e-10)
    assert np.allclose(np.sort(r0.real), np.sort(r1.real), atol=1e-12)
    assert np.allclose(np.sort(r0.imag), np.sort(r1.imag), atol=1e-12)


def test_rephasing_a_pole_mode_changes_nothing():
    # spec test target 15: phi of a theta = 0 beam only rephases its kappa.
    rng = np.random.default_rng(2)
    theta = np.array([0.0, 1.1, 2.0, np.pi / 2])
    phi = np.array([0.0, 0.4, 3.5, 5.0])
    vol = rng.uniform(0.5, 2, 4)
    state = pairing.PairState(np.array([0.9, 0.1, 0.2, 0.8]), np.array([0.9, 0.2, 0.1, 0.7]), np.zeros(4))
    p = pairing.PairingParams(1e-2)
    base = pairing.growth_rates(state, pairing.Grid.from_modes([10.0] * 4, theta, phi, vol), p).eigenvalues
    phi2 = phi.copy()
    phi2[0] = 1.234
    moved = pairing.growth_rates(state, pairing.Grid.from_modes([10.0] * 4, theta, phi2, vol), p).eigenvalues
    assert base[0].real > 1e-3
    assert np.allclose(np.sort(base.real), np.sort(moved.real), atol=1e-12)
    assert np.allclose(np.sort(base.imag), np.sort(moved.imag), atol=1e-12)


def test_rate_scales_with_coupling_and_unstable_set_is_unchanged():
    # spec test target 13 (linear in g while mu << E: corrections are O(mu'/E) ~ 1e-3 at
    # g' = 1e-6, so the scaling is checked one decade lower)
    rates = {}
    for g in (1e-7, 2e-7):
        rates[g] = []
        for ne in (1, 2, 5):
            grid, state = hw((ne, 1, 4))
            rates[g].append(pairing.growth_rates(state, grid, pairing.PairingParams(g),
                                                 return_eigenvectors=False).max_growth_rate)
    assert rates[2e-7][0] / rates[1e-7][0] == pytest.approx(2.0, rel=1e-3)
    assert rates[2e-7][1] / rates[1e-7][1] == pytest.approx(2.0, rel=1e-3)
    assert max(rates[1e-7][2], rates[2e-7][2]) < pairing.GROWTH_NOISE_FLOOR_MeV


def test_energy_bins_hw_fig3():
    # spec test target 12 / HW Fig. 3: unstable for N_E <= 4 only, rate decreasing, top bin hosts the mode
    rates = []
    for ne in range(1, 7):
        grid, state = hw((ne, 1, 4))
        res = pairing.growth_rates(state, grid, G_HW)
        rates.append(res.max_growth_rate)
        if res.unstable:
            top = grid.energy_index == ne - 1
            assert res.dominant_modes(0)[top].sum() > 0.99
            assert abs(res.eigenvalues[0].imag) == pytest.approx(2 * grid.energy_MeV.max(), rel=0.01)
    assert all(r > pairing.GROWTH_NOISE_FLOOR_MeV for r in rates[:4])
    assert all(r < pairing.GROWTH_NOISE_FLOOR_MeV for r in rates[4:])
    assert rates[0] > rates[1] > rates[2] > rates[3]


def test_midpoint_rule_also_gives_n_e_le_4():
    # spec 5.1: both volume rules give "unstable for N_E <= 4, stable for N_E >= 5"
    unstable = []
    for ne in range(1, 7):
        grid, state = hw((ne, 1, 4), volume_rule="midpoint")
        unstable.append(pairing.growth_rates(state, grid, G_HW, return_eigenvectors=False).unstable)
    assert unstable == [True] * 4 + [False] * 2


def test_single_bin_law():
    # spec test target 16 (B1): first quadrant 0.9 only in the bin containing 15 MeV; growth
    # divided by E_i^2 DeltaE approaches a constant, and Re Omega sits at ~2 E_i.
    ratios = []
    for ne in (8, 16, 32):
        grid = pairing.Grid(ne, 1, 4)
        host = np.searchsorted(grid.e_edges, 15.0) - 1
        occ = np.where((grid.quadrant() == 0) & (grid.energy_index == host), 0.9, 0.1)
        state = pairing.initial_state_from_occupation(occ, seed_amplitude=0.0)
        res = pairing.growth_rates(state, grid, G_HW)
        e_i, de = grid.energy_MeV[grid.energy_index == host][0], 20.0 / ne
        ratios.append(res.max_growth_rate / (e_i**2 * de))
        assert abs(res.eigenvalues[0].imag) == pytest.approx(2 * e_i, rel=0.01)
    assert ratios[2] == pytest.approx(ratios[1], rel=0.05)


def test_arnoldi_agrees_with_dense():
    grid = pairing.Grid(4, 2, 32)  # 256 modes, several energy bins
    state = pairing.initial_state_from_occupation(np.where(grid.quadrant() == 0, 0.9, 0.1), seed_amplitude=0.0)
    p = pairing.PairingParams(1e-6)
    dense = pairing.growth_rates(state, grid, p, method="dense")
    arn = pairing.growth_rates(state, grid, p, method="arnoldi")
    assert dense.unstable
    assert arn.max_growth_rate == pytest.approx(dense.max_growth_rate, rel=1e-8)
    assert np.allclose(arn.dominant_modes(0), dense.dominant_modes(0), atol=1e-6)


def test_bad_method():
    grid, state = hw((1, 1, 4))
    with pytest.raises(ValueError, match="method"):
        pairing.growth_rates(state, grid, G_HW, method="qr")
