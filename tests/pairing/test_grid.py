"""Mode grids (spec pairing.md sections 1.1, 5.1)."""

import numpy as np
import pytest

from nupair.pairing import Grid, polarization_vectors


def test_shape_and_ordering():
    g = Grid(2, 3, 8)
    assert g.n_modes == 48 and g.shape == (2, 3, 8)
    assert np.allclose(g.energy_MeV[:24], 5.0) and np.allclose(g.energy_MeV[24:], 15.0)
    assert np.allclose(g.phi[:8], (np.arange(8) + 0.5) * 2 * np.pi / 8)
    assert np.allclose(np.cos(g.theta[::8][:3]), [-2 / 3, 0.0, 2 / 3])


def test_exact_volumes_fill_the_sphere():
    g = Grid(3, 4, 6, e_max=20.0)
    assert g.volume_MeV3.sum() == pytest.approx(4 * np.pi * 20.0**3 / 3, rel=1e-13)
    mid = Grid(3, 4, 6, e_max=20.0, volume_rule="midpoint")
    assert mid.volume_MeV3.sum() < g.volume_MeV3.sum()  # midpoint rule underestimates sum E^2 dE
    # HW's mu' = g' (20 MeV)^3 = 0.008 MeV for g' = 1e-6 MeV^-2 (spec 5.1)
    from nupair.pairing import PairingParams

    assert PairingParams(1e-6).mu_MeV(g) == pytest.approx(0.008)


def test_polarization_identities_random_directions():
    # spec test target 1
    rng = np.random.default_rng(0)
    p, eps = polarization_vectors(np.arccos(rng.uniform(-1, 1, 200)), rng.uniform(0, 2 * np.pi, 200))
    assert np.allclose(np.einsum("ni,ni->n", eps, p), 0, atol=1e-14)
    assert np.allclose(np.einsum("ni,ni->n", eps.conj(), eps), 2, atol=1e-14)
    assert np.allclose(np.einsum("ni,ni->n", eps, eps), 0, atol=1e-14)


def test_grid_closed_under_inversion_for_even_n_phi():
    g = Grid(1, 4, 6)
    for ph in g.p_hat:
        assert np.min(np.linalg.norm(g.p_hat + ph, axis=1)) < 1e-12


def test_two_pair_modes():
    g = Grid.two_pair(energy_MeV=10.0)
    assert np.allclose(g.p_hat, [[1, 0, 0], [0, 0, 1]], atol=1e-15)
    assert np.allclose(g.eps, [[0, -1j, -1], [1, -1j, 0]], atol=1e-15)  # spec section 4


@pytest.mark.parametrize("args, name", [((0, 1, 4), "n_energy"), ((1, -2, 4), "n_theta"),
                                        ((1, 1, 2.5), "n_phi"), ((1, 1, True), "n_phi")])
def test_bad_sizes(args, name):
    with pytest.raises(ValueError, match=name):
        Grid(*args)


@pytest.mark.parametrize("e_max", [0.0, -1.0, float("nan"), float("inf")])
def test_bad_e_max(e_max):
    with pytest.raises(ValueError, match="e_max"):
        Grid(1, 1, 4, e_max=e_max)


def test_bad_volume_rule_and_modes():
    with pytest.raises(ValueError, match="volume_rule"):
        Grid(1, 1, 4, volume_rule="trapezoid")
    with pytest.raises(ValueError, match="energy_MeV"):
        Grid.from_modes([1.0, -1.0], [0, 0], [0, 0], [1, 1])


def test_e_max_has_its_unit_in_its_name():
    a, b = Grid(2, 1, 4, e_max_MeV=30.0), Grid(2, 1, 4, 30.0)
    assert np.array_equal(a.volume_MeV3, b.volume_MeV3) and a.e_max_MeV == b.e_max == 30.0
    assert Grid(1, 1, 4).e_max_MeV == 20.0  # HW's default
    with pytest.raises(ValueError, match="not both"):
        Grid(1, 1, 4, 20.0, e_max_MeV=20.0)
