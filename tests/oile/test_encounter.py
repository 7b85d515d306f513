"""The encounter map (spec oile.md sections 3.1-3.4; test targets 1-7)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

from nupair import flavor, oile
from nupair.oile.encounter import encounter_adjacent_inplace, encounter_pairs_inplace, encounter_pairs_numpy, rotate
from tests.oile._reference import encounter_expm, swap


def random_rho(rng, n, batch=()):
    z = rng.normal(size=batch + (n, n)) + 1j * rng.normal(size=batch + (n, n))
    r = z @ np.conj(np.swapaxes(z, -1, -2))
    return r / np.trace(r, axis1=-2, axis2=-1)[..., None, None].real


def test_unitary_closed_form():
    # target 1: exp(-i gamma S) = cos(gamma) 1 - i sin(gamma) S
    for n in (2, 3):
        s = swap(n)
        for g in (0.3, 1.2, -2.5):
            u = expm(-1j * g * s)
            assert np.max(np.abs(u - (np.cos(g) * np.eye(n * n) - 1j * np.sin(g) * s))) < 1e-12


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([2, 3]), st.floats(0.0, 3.0))
def test_closed_form_equals_expm(seed, n, gamma):
    # target 3
    rng = np.random.default_rng(seed)
    ra, rb = random_rho(rng, n), random_rho(rng, n)
    a, b = oile.encounter(ra, rb, gamma)
    a_ref, b_ref = encounter_expm(ra, rb, gamma)
    assert np.max(np.abs(a - a_ref)) < 1e-12 and np.max(np.abs(b - b_ref)) < 1e-12
    # Bloch form agrees
    pa, pb = oile.encounter_bloch(flavor.density_to_bloch(ra), flavor.density_to_bloch(rb), gamma)
    assert np.max(np.abs(flavor.bloch_to_density(pa) - a_ref)) < 1e-12


def test_vectorized_broadcasting():
    rng = np.random.default_rng(1)
    ra, rb = random_rho(rng, 2, (5, 4)), random_rho(rng, 2, (5, 4))
    gam = np.linspace(0.1, 1.4, 4)
    a, b = oile.encounter(ra, rb, gam)
    a_ref, _ = encounter_expm(ra[3, 2], rb[3, 2], gam[2])
    assert a.shape == (5, 4, 2, 2) and np.max(np.abs(a[3, 2] - a_ref)) < 1e-12


def test_cptp_outputs():
    # target 2: unit trace, Hermitian, positive
    rng = np.random.default_rng(2)
    for n in (2, 3):
        a, b = oile.encounter(random_rho(rng, n, (200,)), random_rho(rng, n, (200,)), 0.8)
        for r in (a, b):
            assert np.allclose(np.trace(r, axis1=-2, axis2=-1), 1, atol=1e-13)
            assert np.allclose(r, np.conj(np.swapaxes(r, -1, -2)), atol=1e-14)
            assert np.min(np.linalg.eigvalsh(r)) > -1e-13


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1), st.floats(0.0, 3.0))
def test_pair_sum_and_purity(seed, gamma):
    # targets 4, 7: P_a + P_b conserved; total purity never increases (exact formula of 3.2)
    rng = np.random.default_rng(seed)
    pa = rng.normal(size=3) * rng.uniform(0, 1) / 1.8
    pb = rng.normal(size=3) * rng.uniform(0, 1) / 1.8
    pa, pb = pa / max(1, np.linalg.norm(pa)), pb / max(1, np.linalg.norm(pb))
    qa, qb = oile.encounter_bloch(pa, pb, gamma)
    assert np.max(np.abs(qa + qb - pa - pb)) < 1e-14
    loss = qa @ qa + qb @ qb - pa @ pa - pb @ pb
    c2s2 = (np.cos(gamma) * np.sin(gamma)) ** 2
    expected = -2 * c2s2 * ((pa - pb) @ (pa - pb) - np.cross(pa, pb) @ np.cross(pa, pb))
    assert loss == pytest.approx(expected, abs=1e-14) and loss <= 1e-15


def test_special_values():
    # targets 5, 6
    pa, pb = np.array([0.3, -0.2, 0.6]), np.array([-0.5, 0.1, 0.2])
    assert np.allclose(oile.encounter_bloch(pa, pb, 0.0), (pa, pb), atol=1e-15)
    qa, qb = oile.encounter_bloch(pa, pb, np.pi / 2)
    assert np.allclose(qa, pb, atol=1e-15) and np.allclose(qb, pa, atol=1e-15)
    qa, _ = oile.encounter_bloch(pa, pb, np.pi / 4)
    assert np.allclose(qa, (pa + pb + np.cross(pb, pa)) / 2, atol=1e-15)
    qa, qb = oile.encounter_bloch(pa, pa, 0.7)
    assert np.allclose(qa, pa, atol=1e-15) and np.allclose(qb, pa, atol=1e-15)


def test_three_flavor_with_empty_flavor_reduces_to_two():
    rng = np.random.default_rng(3)
    ra2, rb2 = random_rho(rng, 2), random_rho(rng, 2)
    embed = lambda r: np.pad(r, ((0, 1), (0, 1)))  # noqa: E731 - third flavor unpopulated
    a3, b3 = oile.encounter(embed(ra2), embed(rb2), 0.9)
    a2, b2 = oile.encounter(ra2, rb2, 0.9)
    assert np.allclose(a3[:2, :2], a2, atol=1e-14) and np.allclose(a3[2], 0) and np.allclose(b3[:2, :2], b2, atol=1e-14)


def test_fast_kernels_agree_with_the_map():
    rng = np.random.default_rng(4)
    p = rng.normal(size=(1000, 3))
    p /= np.maximum(1, np.linalg.norm(p, axis=1))[:, None]
    perm = rng.permutation(1000)
    a, b = perm[0::2], perm[1::2]
    c2, s2, cs = (np.full(500, x) for x in oile.encounter_coefficients(0.37))
    ref_a, ref_b = oile.encounter_bloch(p[a], p[b], 0.37)
    q1, q2 = p.copy(), p.copy()
    encounter_pairs_inplace(q1, a, b, c2, s2, cs)
    encounter_pairs_numpy(q2, a, b, c2, s2, cs)
    q3 = p[perm].copy()  # gathered in matching order: pairs are adjacent rows
    encounter_adjacent_inplace(q3, *oile.encounter_coefficients(0.37))
    q3_back = np.empty_like(q3)
    q3_back[perm] = q3
    for q in (q1, q2, q3_back):
        assert np.allclose(q[a], ref_a, atol=1e-15) and np.allclose(q[b], ref_b, atol=1e-15)


def test_rotation_is_right_handed():
    # dP/dt = omega B x P: rotating +x about +z by pi/2 gives +y
    assert np.allclose(rotate(np.array([[1.0, 0, 0]]), np.array([0, 0, 1.0]), np.pi / 2), [[0, 1, 0]], atol=1e-15)


@pytest.mark.parametrize("gamma", [-0.1, float("nan"), float("inf")])
def test_bad_gamma(gamma):
    with pytest.raises(ValueError, match="gamma"):
        oile.encounter_bloch([0, 0, 1.0], [1.0, 0, 0], gamma)


def test_bad_states():
    with pytest.raises(ValueError, match=r"\|P\| = "):
        oile.encounter_bloch([0, 0, 1.2], [1.0, 0, 0], 0.1)
    with pytest.raises(ValueError, match="Hermitian"):
        oile.encounter(np.array([[0.5, 0.3], [0.1, 0.5]]), np.eye(2) / 2, 0.1)
    with pytest.raises(ValueError, match="trace"):
        oile.encounter(np.eye(2), np.eye(2) / 2, 0.1)
    with pytest.raises(ValueError, match="positive"):
        oile.encounter(np.array([[1.2, 0], [0, -0.2]]), np.eye(2) / 2, 0.1)
    with pytest.raises(ValueError, match="n_flavor"):
        oile.encounter(np.eye(4) / 4, np.eye(4) / 4, 0.1)


def test_positivity_check_in_closed_form_matches_lapack():
    # the 2x2 check uses lambda_min = tr/2 - sqrt(((a - d)/2)^2 + |b|^2): equal to eigvalsh
    from nupair.oile.encounter import _smallest_eigenvalue

    rng = np.random.default_rng(4)
    for n in (2, 3):
        a = rng.normal(size=(500, n, n)) + 1j * rng.normal(size=(500, n, n))
        h = a @ np.conj(np.swapaxes(a, -1, -2)) - 0.3 * np.eye(n)  # some not positive
        assert np.allclose(_smallest_eigenvalue(h), np.linalg.eigvalsh(h)[:, 0], rtol=0, atol=1e-13)
    pure = np.array([[0.5, 0.5j], [-0.5j, 0.5]])  # a pure state: lambda_min = 0 exactly
    oile.check_density_matrices(np.broadcast_to(pure, (4, 2, 2)))
    with pytest.raises(ValueError, match="not positive"):
        oile.check_density_matrices(np.array([[1.2, 0.0], [0.0, -0.2]]))


@pytest.mark.parametrize("n", [2, 3])
def test_closed_form_positivity_check_decides_as_the_spectrum_does(n):
    """The one-pass check (trace/determinant for 2 x 2, characteristic-polynomial invariants for
    3 x 3, LAPACK only where rounding cannot decide) against eigvalsh: pure states pass, a matrix
    with an eigenvalue 1e-9 below zero is refused, 1e-11 below zero is within the tolerance."""
    rng = np.random.default_rng(n)
    for _ in range(200):
        q, _ = np.linalg.qr(rng.normal(size=(n, n)) + 1j * rng.normal(size=(n, n)))
        lam = rng.dirichlet(np.ones(n))
        for low in (0.0, -1e-11, -1e-9):
            spec = lam.copy()
            spec[0] = low
            spec[1:] *= (1 - low) / spec[1:].sum()
            r = (q * spec) @ q.conj().T
            r = 0.5 * (r + r.conj().T)
            if low >= -1e-10:
                oile.check_density_matrices(r)
            else:
                with pytest.raises(ValueError, match="not positive"):
                    oile.check_density_matrices(r)
    # pure states (rank 1), many at once
    v = rng.normal(size=(500, n)) + 1j * rng.normal(size=(500, n))
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    oile.check_density_matrices(np.einsum("ki,kj->kij", v, v.conj()))
