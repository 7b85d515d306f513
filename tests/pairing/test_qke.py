"""N-mode equations of motion: O(N) moment form against the O(N^2) double sums of HW eqs. 3-7."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nupair import pairing
from nupair.pairing._kernels import rhs_flat
from tests.pairing._reference import naive_hamiltonians, naive_rhs


def random_state(rng, n, kappa_scale=0.3):
    return np.concatenate([rng.uniform(0, 1, (2, n)), rng.normal(0, kappa_scale, (2, n))])


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 3), st.integers(1, 4), st.integers(1, 7), st.floats(1e-6, 1e-3),
       st.integers(0, 2**32 - 1))
def test_moment_rhs_equals_double_sum(n_e, n_t, n_p, coupling, seed):
    # spec test target 3 (random grids and states), relative 1e-12
    grid = pairing.Grid(n_e, n_t, n_p)
    y = random_state(np.random.default_rng(seed), grid.n_modes)
    ref = naive_rhs(y, grid, coupling)
    fast = pairing.rhs(y, grid, pairing.PairingParams(coupling))
    assert np.max(np.abs(fast - ref)) <= 1e-12 * np.max(np.abs(ref))


def test_moment_hamiltonians_equal_double_sum():
    grid = pairing.Grid(2, 3, 5)
    y = random_state(np.random.default_rng(4), grid.n_modes)
    for a, b in zip(pairing.hamiltonians(y, grid, pairing.PairingParams(1e-4)), naive_hamiltonians(y, grid, 1e-4)):
        assert np.allclose(a, b, rtol=1e-12, atol=1e-12 * np.max(np.abs(b)))


def test_random_directions_and_energies():
    # "N discrete pairs in any directions and energies"
    rng = np.random.default_rng(5)
    n = 50
    grid = pairing.Grid.from_modes(rng.uniform(1, 30, n), np.arccos(rng.uniform(-1, 1, n)),
                                   rng.uniform(0, 2 * np.pi, n), rng.uniform(1, 100, n))
    y = random_state(rng, n)
    ref = naive_rhs(y, grid, 1e-3)
    assert np.max(np.abs(pairing.rhs(y, grid, pairing.PairingParams(1e-3)) - ref)) <= 1e-12 * np.max(np.abs(ref))


def test_numba_kernel_equals_numpy():
    grid = pairing.Grid(3, 4, 8)
    y = random_state(np.random.default_rng(6), grid.n_modes)
    w = grid.weights(1e-5)
    args = (grid.energy_MeV, w, np.ascontiguousarray(grid.p_hat), np.ascontiguousarray(grid.eps.real),
            np.ascontiguousarray(grid.eps.imag))
    ref = pairing.rhs(y, grid, pairing.PairingParams(1e-5))
    assert np.allclose(rhs_flat(0.0, y.ravel(), args).reshape(4, -1), ref, rtol=0, atol=1e-13 * np.max(np.abs(ref)))


@settings(max_examples=50, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_two_pair_limit(seed):
    # The generic N-mode equations on the two-pair grid with w = mu are HW eqs. 8-11 (spec 4).
    rng = np.random.default_rng(seed)
    mu, energy = rng.uniform(0.1, 2.0), rng.uniform(5, 500)
    y8 = np.concatenate([rng.uniform(0, 1, 4), rng.normal(0, 0.3, 4)])
    y = np.array([[y8[0], y8[2]], [y8[1], y8[3]], [y8[4], y8[6]], [y8[5], y8[7]]])
    d = pairing.rhs(y, pairing.Grid.two_pair(energy, volume_MeV3=mu), pairing.PairingParams(1.0))
    d8 = np.array([d[0, 0], d[1, 0], d[0, 1], d[1, 1], d[2, 0], d[3, 0], d[2, 1], d[3, 1]])
    ref = pairing.two_pair_rhs(0.0, y8, mu, energy)
    assert np.max(np.abs(d8 - ref)) <= 1e-13 * np.max(np.abs(ref))


def test_isotropic_gas_has_no_source():
    # spec test target 14: isotropic occupations, kappa = 0 -> N1 = 0 -> kappa stays exactly 0.
    grid = pairing.Grid(2, 4, 8)
    state = pairing.PairState(np.full(64, 0.7), np.full(64, 0.7), np.zeros(64))
    d = pairing.rhs(state, grid, pairing.PairingParams(1e-4))
    assert np.max(np.abs(d)) < 1e-15


@pytest.mark.parametrize("field, value", [("rho", 1.2), ("rhobar", -0.1), ("rho", np.nan)])
def test_bad_occupations(field, value):
    arrays = {"rho": np.full(4, 0.5), "rhobar": np.full(4, 0.5), "kappa": np.zeros(4)}
    arrays[field][2] = value
    with pytest.raises(ValueError, match=field):
        pairing.PairState(**arrays)


@pytest.mark.parametrize("g", [0.0, -1e-6, float("nan"), float("inf")])
def test_bad_coupling(g):
    with pytest.raises(ValueError, match="coupling_per_MeV2"):
        pairing.PairingParams(g)


def test_bad_seed_amplitude():
    with pytest.raises(ValueError, match="seed_amplitude"):
        pairing.hw_initial_state(pairing.Grid(1, 1, 4), seed_amplitude=float("nan"))


def test_seeded_initial_state_is_reproducible():
    grid = pairing.Grid(1, 1, 32)
    a = pairing.hw_initial_state(grid, seed=3)
    b = pairing.hw_initial_state(grid, seed=3)
    c = pairing.hw_initial_state(grid, seed=4)
    assert np.array_equal(a.kappa, b.kappa) and not np.array_equal(a.kappa, c.kappa)
    assert np.all((a.kappa.real >= 0) & (a.kappa.real <= 1e-5) & (a.kappa.imag >= 0) & (a.kappa.imag <= 1e-5))
    assert np.array_equal(a.rho[grid.quadrant() == 0], np.full(8, 0.9))


def test_coupling_name_and_its_deprecated_alias():
    # the unit is MeV^-2: coupling_per_MeV2 is the name; coupling_MeV2 still works and warns
    import warnings

    new = pairing.PairingParams(coupling_per_MeV2=2e-6)
    assert pairing.PairingParams(2e-6) == new and new.coupling_per_MeV2 == 2e-6
    with pytest.warns(DeprecationWarning, match="coupling_per_MeV2"):
        old = pairing.PairingParams(coupling_MeV2=2e-6)
    assert old == new
    with pytest.warns(DeprecationWarning, match="coupling_per_MeV2"):
        assert new.coupling_MeV2 == 2e-6
    with pytest.raises(ValueError, match="not both"):
        pairing.PairingParams(1e-6, coupling_MeV2=1e-6)
    with pytest.raises(ValueError, match="coupling_per_MeV2"):
        pairing.PairingParams(True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        pairing.PairingParams(np.float64(1e-6)).mu_MeV(pairing.Grid(1, 1, 4))  # no warning on the new path
