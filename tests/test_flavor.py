"""PMNS matrix, mass spectra and the SU(2)/SU(3) algebra."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nupair import constants as c
from nupair import flavor

angle = st.floats(-10.0, 10.0, allow_nan=False)


@settings(max_examples=200, deadline=None)
@given(angle, angle, angle, angle, angle, angle)
def test_pmns_unitary_for_any_angles(t12, t13, t23, d, a21, a31):
    u = flavor.pmns(t12, t13, t23, d, a21, a31)
    assert np.max(np.abs(u @ u.conj().T - np.eye(3))) < 1e-13
    assert np.max(np.abs(u.conj().T @ u - np.eye(3))) < 1e-13


def test_pmns_pdg_elements():
    # PDG eq. (14.34): U_e2 = s12 c13 e^{i a21/2}, U_e3 = s13 e^{-i delta} e^{i a31/2}, U_mu3 = s23 c13.
    t12, t13, t23, d, a21, a31 = 0.59, 0.15, 0.84, 3.7, 0.4, 1.1
    u = flavor.pmns(t12, t13, t23, d, a21, a31)
    assert u[0, 1] == pytest.approx(np.sin(t12) * np.cos(t13) * np.exp(0.5j * a21), abs=1e-15)
    assert u[0, 2] == pytest.approx(np.sin(t13) * np.exp(-1j * d) * np.exp(0.5j * a31), abs=1e-15)
    assert u[1, 2] == pytest.approx(np.sin(t23) * np.cos(t13) * np.exp(0.5j * a31), abs=1e-15)


def test_majorana_phases_only_rephase_columns():
    u0 = flavor.pmns(0.6, 0.15, 0.8, 1.0)
    u1 = flavor.pmns(0.6, 0.15, 0.8, 1.0, 0.7, -2.0)
    assert np.allclose(np.abs(u0), np.abs(u1), atol=1e-15)
    # Oscillation-relevant products U_ai U*_bi do not change.
    assert np.allclose(u0 * u0[0].conj(), u1 * u1[0].conj(), atol=1e-15)


def test_pmns_broadcasts_over_arrays():
    t12 = np.linspace(0, 1, 5)
    u = flavor.pmns(t12, 0.1, 0.7)
    assert u.shape == (5, 3, 3)
    assert np.allclose(u[2], flavor.pmns(t12[2], 0.1, 0.7))


def test_pmns_rejects_nan():
    with pytest.raises(ValueError, match="theta13"):
        flavor.pmns(0.5, float("nan"), 0.7)


@pytest.mark.parametrize("ordering", ["normal", "inverted"])
@pytest.mark.parametrize("m0", [0.0, 1e-3, 0.05, 0.3])
def test_mass_spectrum_reproduces_splittings(ordering, m0):
    m = flavor.masses_from_lightest(m0, ordering)
    p = c.oscillation_parameters(ordering)
    assert m[1] ** 2 - m[0] ** 2 == pytest.approx(p.dm2_21_eV2, rel=1e-9)
    if ordering == "normal":
        assert m[0] == m0 and m[0] < m[1] < m[2]
        assert m[2] ** 2 - m[0] ** 2 == pytest.approx(p.dm2_3l_eV2, rel=1e-9)
    else:
        assert m[2] == m0 and m[2] < m[0] < m[1]
        assert m[2] ** 2 - m[1] ** 2 == pytest.approx(p.dm2_3l_eV2, rel=1e-9)


def test_mass_spectrum_rejects_negative_mass():
    with pytest.raises(ValueError, match="lightest_mass_eV"):
        flavor.masses_from_lightest(-0.1)


@pytest.mark.parametrize("n", [2, 3])
def test_generators_orthonormal_and_traceless(n):
    lam = flavor.su_generators(n)
    gram = np.einsum("aij,bji->ab", lam, lam)
    assert np.allclose(gram, 2 * np.eye(n * n - 1), atol=1e-14)
    assert np.allclose(np.trace(lam, axis1=1, axis2=2), 0)
    assert np.allclose(lam, lam.conj().transpose(0, 2, 1))


def test_su3_structure_constants():
    lam = flavor.gell_mann_matrices()
    comm = lambda a, b: lam[a] @ lam[b] - lam[b] @ lam[a]  # noqa: E731
    assert np.allclose(comm(0, 1), 2j * lam[2])  # f_123 = 1
    assert np.allclose(comm(3, 4), 2j * (0.5 * lam[2] + np.sqrt(3) / 2 * lam[7]))  # f_453, f_458


def _random_density(rng, n, pure=False):
    z = rng.normal(size=(n, n if not pure else 1)) + 1j * rng.normal(size=(n, n if not pure else 1))
    rho = z @ z.conj().T
    return rho / np.trace(rho).real


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([2, 3]))
def test_density_bloch_round_trip(seed, n):
    rng = np.random.default_rng(seed)
    rho = _random_density(rng, n)
    p = flavor.density_to_bloch(rho)
    assert p.shape == (n * n - 1,)
    assert np.allclose(flavor.bloch_to_density(p), rho, atol=1e-13)


@pytest.mark.parametrize("n, norm2", [(2, 1.0), (3, 4.0 / 3.0)])
def test_pure_state_bloch_length(n, norm2):
    # tr rho^2 = 1/n + |P|^2/2 = 1 for a pure state.
    rho = _random_density(np.random.default_rng(1), n, pure=True)
    assert np.sum(flavor.density_to_bloch(rho) ** 2) == pytest.approx(norm2, rel=1e-12)


def test_two_flavor_convention_is_half_one_plus_p_sigma():
    p = np.array([0.3, -0.4, 0.5])
    rho = flavor.bloch_to_density(p)
    sigma = flavor.pauli_matrices()
    assert np.allclose(rho, 0.5 * (np.eye(2) + np.einsum("a,aij->ij", p, sigma)))


def test_bloch_vectorized_over_leading_axes():
    rng = np.random.default_rng(2)
    rhos = np.stack([_random_density(rng, 3) for _ in range(6)]).reshape(2, 3, 3, 3)
    p = flavor.density_to_bloch(rhos)
    assert p.shape == (2, 3, 8)
    assert np.allclose(flavor.bloch_to_density(p), rhos, atol=1e-13)
