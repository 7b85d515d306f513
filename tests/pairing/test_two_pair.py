"""Two-pair model (Huang & Wu 2026, eqs. 8-16; spec pairing.md section 4, test targets 2, 4-9)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

from nupair import pairing
from nupair.numerics import Adaptive, evolve

# Pair modes of the two-pair model (spec section 4): direction p_hat and polarization eps_p.
P_HAT = {"x": np.array([1.0, 0.0, 0.0]), "z": np.array([0.0, 0.0, 1.0])}
EPS = {"x": np.array([0.0, -1j, -1.0]), "z": np.array([1.0, -1j, 0.0])}


def reference_rhs(y, mu, energy):
    """i dR_p/dt = [H_p, R_p] with H_p from the double sums of HW eqs. (3)-(5) (index
    convention of spec section 2: the antineutrino of mode q flies along -q_hat)."""
    rho = {"x": y[0], "z": y[2]}
    rhobar = {"x": y[1], "z": y[3]}
    kappa = {"x": y[4] + 1j * y[5], "z": y[6] + 1j * y[7]}
    out = {}
    for p in "xz":
        gnn, gbb, vec = energy, -energy, np.zeros(3, complex)
        for q in "xz":
            ph, qh = P_HAT[p], P_HAT[q]
            pair = 2 * np.real(EPS[q] * kappa[q])
            gnn += 2 * mu * (rho[q] * (1 - ph @ qh) - rhobar[q] * (1 + ph @ qh) - ph @ pair)
            gbb += 2 * mu * (rho[q] * (1 + ph @ qh) - rhobar[q] * (1 - ph @ qh) + ph @ pair)
            vec += mu * (qh * rho[q] - (-qh) * rhobar[q] + pair)
        gnb = -2 * np.conj(EPS[p]) @ vec
        h = np.array([[gnn, gnb], [np.conj(gnb), gbb]])
        r = np.array([[rho[p], kappa[p]], [np.conj(kappa[p]), 1 - rhobar[p]]])
        out[p] = -1j * (h @ r - r @ h)
    dx, dz = out["x"], out["z"]
    return np.array([dx[0, 0].real, -dx[1, 1].real, dz[0, 0].real, -dz[1, 1].real,
                     dx[0, 1].real, dx[0, 1].imag, dz[0, 1].real, dz[0, 1].imag])


def test_polarization_vectors():
    # spec test target 1: eps.p_hat = 0, conj(eps).eps = 2, eps.eps = 0
    for p in "xz":
        assert abs(EPS[p] @ P_HAT[p]) == 0 and np.conj(EPS[p]) @ EPS[p] == 2 and EPS[p] @ EPS[p] == 0


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_rhs_equals_commutator_form_of_eqs_3_to_7(seed):
    # spec test target 2: eqs. (8)-(11) follow from eqs. (3)-(7), term by term.
    rng = np.random.default_rng(seed)
    y = np.concatenate([rng.uniform(0, 1, 4), rng.normal(0, 0.3, 4)])
    mu, energy = rng.uniform(0.1, 2), rng.uniform(1, 100)
    ref = reference_rhs(y, mu, energy)
    fast = pairing.two_pair_rhs(0.0, y, mu, energy)
    assert np.max(np.abs(fast - ref)) <= 1e-13 * max(1.0, np.max(np.abs(ref)))


def test_rhs_vectorized_over_systems():
    rng = np.random.default_rng(3)
    ys = np.concatenate([rng.uniform(0, 1, (4, 6)), rng.normal(0, 0.1, (4, 6))])
    many = pairing.two_pair_rhs(0.0, ys, 1.0, 50.0)
    one_by_one = np.stack([pairing.two_pair_rhs(0.0, ys[:, k], 1.0, 50.0) for k in range(6)], axis=1)
    assert np.allclose(many, one_by_one, rtol=0, atol=1e-14)


def test_rhs_linearization_is_eqs_12_to_14():
    # For kappa -> 0 the kappa part of the RHS is M kvec + c (eqs. 12-14, exact, Et = E - 2 mu).
    occ, mu, energy = (0.8, 0.3, 0.1, 0.4), 1.0, 20.0
    m = pairing.two_pair_stability_matrix(*occ, mu, energy)
    c = pairing.two_pair_source(*occ, mu)
    k = np.array([1e-7, -2e-7, 3e-7, 0.5e-7])
    f = pairing.two_pair_rhs(0.0, np.concatenate([occ, k]), mu, energy)[4:]
    assert np.allclose(f, m @ k + c, rtol=0, atol=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(0, 1), st.floats(1e-4, 0.2))
def test_eigenvalues_of_eq_14_match_eq_15(rx, bx, rz, bz, mu_over_e):
    # spec test target 4
    m = pairing.two_pair_stability_matrix(rx, bx, rz, bz, mu_over_e, 1.0)
    closed = pairing.two_pair_eigenvalues(rx, bx, rz, bz, mu_over_e, 1.0)
    scale = max(1.0, np.linalg.norm(m, 2))
    for lam in closed:
        # lam is an eigenvalue iff M - lam 1 is singular; the smallest singular value tests this
        # without the sqrt(eps) sensitivity of eigvals at degenerate (Jordan-block) points
        smallest = np.linalg.svd(m - lam * np.eye(m.shape[0]), compute_uv=False)[-1]
        assert smallest < 1e-12 * scale


def test_case_a_exact_rate():
    # spec test target 5: exact eigenvalue 1.99999900 mu at mu/E = 1e-3; eq. 16 gives 2 mu.
    rate = pairing.two_pair_growth_rate(1, 1, 0, 0, mu=1.0, energy=1e3)
    assert rate == pytest.approx(1.99999900, abs=5e-9)
    assert pairing.two_pair_growth_rate_approx(1, 1, 0, 0, mu=1.0) == 2.0


def test_case_b_rate_follows_the_equations_not_the_quoted_value():
    # spec test target 6: 2 sqrt(0.24) mu = 0.97980 mu from eqs. 14-16 (HW's text: 0.490 mu).
    rate = pairing.two_pair_growth_rate(1.0, 0.3, 0.1, 0.1, mu=1.0, energy=1e3)
    assert rate == pytest.approx(2 * np.sqrt(0.24), rel=1e-6)
    assert rate == pytest.approx(0.97980, abs=5e-6)


def test_rate_scales_with_mu():
    # spec test target 13 (two-pair form): E >> mu, doubling mu doubles the rate.
    r1 = pairing.two_pair_growth_rate(1, 1, 0, 0, mu=1e-3, energy=10.0)
    r2 = pairing.two_pair_growth_rate(1, 1, 0, 0, mu=2e-3, energy=10.0)
    assert r2 / r1 == pytest.approx(2.0, rel=1e-6)


def test_same_sign_epns_are_stable():
    # spec test target 7: rt - 1 of equal sign -> purely imaginary eigenvalues.
    lam = np.linalg.eigvals(pairing.two_pair_stability_matrix(0.9, 0.9, 0.8, 0.8, 1.0, 1e3))
    assert np.max(np.abs(lam.real)) < 1e-10
    assert pairing.two_pair_growth_rate_approx(0.9, 0.9, 0.8, 0.8, 1.0) == 0.0


def test_linear_fixed_point():
    occ, mu, energy = (1.0, 0.3, 0.1, 0.1), 1.0, 1e3
    kx, kz = pairing.two_pair_linear_fixed_point(*occ, mu, energy)
    k = np.array([kx.real, kx.imag, kz.real, kz.imag])
    m = pairing.two_pair_stability_matrix(*occ, mu, energy)
    assert np.allclose(m @ k + pairing.two_pair_source(*occ, mu), 0, atol=1e-14)


def _run(occ, mu_over_e, t_end, n=2001, seeds=(0j, 0j)):
    y0 = pairing.two_pair_initial_state(*occ, kappa_x=seeds[0], kappa_z=seeds[1])
    t = np.linspace(0, t_end, n)
    res = evolve(pairing.two_pair_rhs, y0, t, solver=Adaptive(rtol=1e-11, atol=1e-13),
                 args=(1.0, 1.0 / mu_over_e))
    assert res.ok
    return res.t, res.y.T


def test_early_evolution_follows_linear_solution():
    # kappa(t) = e^{Mt}(kappa0 + M^-1 c) - M^-1 c (spec 4.1, eqs. 12-14) up to the neglected
    # O(kappa^2) terms: halving mu/E halves kappa (~ mu/E) and must quarter the difference.
    occ = (0.9, 0.9, 0.2, 0.1)
    errors, sizes = [], []
    for mu_over_e in (1e-2, 5e-3):
        t, y = _run(occ, mu_over_e, 0.2, n=41)
        m = pairing.two_pair_stability_matrix(*occ, 1.0, 1.0 / mu_over_e)
        minv_c = np.linalg.solve(m, pairing.two_pair_source(*occ, 1.0))
        lin = np.stack([expm(m * tt) @ minv_c - minv_c for tt in t])
        errors.append(np.max(np.abs(y[4:].T - lin)))
        sizes.append(np.max(np.abs(lin)))
    assert errors[0] < 0.02 * sizes[0]
    assert errors[0] / errors[1] == pytest.approx(4.0, rel=0.15)


def test_invariants_conserved():
    # spec section 3.2, invariants 1-3; spec test target 10 (<= 1e-8 relative).
    t, y = _run((1.0, 0.3, 0.1, 0.1), 1e-2, 15.0)
    inv = pairing.two_pair_invariants(y, 1.0, 100.0)
    assert np.max(np.abs(inv.lepton_x - 0.7)) < 1e-12 and np.max(np.abs(inv.lepton_z)) < 1e-12
    for arr in (inv.bloch_norm2_x, inv.bloch_norm2_z):
        assert np.max(np.abs(arr - arr[0])) < 1e-8 * max(abs(arr[0]), 1e-2)
    assert np.max(np.abs(inv.energy - inv.energy[0])) < 1e-8 * abs(inv.energy[0])
    # the evolution did something: kappa grew to O(0.1)
    assert np.max(np.hypot(y[6], y[7])) > 0.1


def test_case_a_full_pair_conversion():
    # spec test target 8 (HW Fig. 1a): x pair converted completely into a z pair; rho_x = rhobar_x;
    # |kappa| peaks at 1/2 (invariant 2) when each pair is half filled.
    t, y = _run((1, 1, 0, 0), 1e-3, 7.0, n=3501)
    assert np.min(y[0]) < 1e-3 and np.max(y[2]) > 0.999
    assert np.max(np.abs(y[0] - y[1])) < 1e-10 and np.max(np.abs(y[2] - y[3])) < 1e-10
    assert np.max(np.hypot(y[4], y[5])) == pytest.approx(0.5, abs=1e-3)


def test_case_b_conversion_limited_by_rhobar_x():
    # spec test target 9: rho_x - rhobar_x = 0.7 and rho_z = rhobar_z throughout; rho_x >= 0.7.
    t, y = _run((1.0, 0.3, 0.1, 0.1), 1e-2, 12.0)
    assert np.max(np.abs(y[0] - y[1] - 0.7)) < 1e-10 and np.max(np.abs(y[2] - y[3])) < 1e-10
    assert np.min(y[0]) >= 0.7 - 1e-8
    assert np.min(y[0]) < 0.71  # nearly all convertible pairs move from x to z


def test_stable_configuration_stays_small():
    # spec test target 7: kappa stays O(mu/E) for same-sign EPNs.
    t, y = _run((0.9, 0.9, 0.8, 0.8), 1e-2, 20.0)
    assert np.max(np.hypot(y[4], y[5])) < 0.1 and np.max(np.hypot(y[6], y[7])) < 0.1


def test_mu_from_density():
    # spec section 4: n = 1e33 cm^-3, rho0 = 1 -> mu = 1.2674e-10 MeV (sqrt2 G_F (hbar c)^3 n).
    assert pairing.mu_from_number_density(1e33) * 1e-6 == pytest.approx(1.2674e-10, rel=1e-4)


@pytest.mark.parametrize("bad", [dict(rho_x=1.5), dict(rhobar_z=-0.1), dict(rho_z=float("nan"))])
def test_bad_occupations_rejected(bad):
    occ = dict(rho_x=1.0, rhobar_x=1.0, rho_z=0.0, rhobar_z=0.0) | bad
    name = next(iter(bad))
    with pytest.raises(ValueError, match=name):
        pairing.two_pair_stability_matrix(**occ, mu=1.0, energy=1e3)
    with pytest.raises(ValueError, match=name):
        pairing.two_pair_initial_state(**occ)


def test_bad_coupling_rejected():
    with pytest.raises(ValueError, match="mu"):
        pairing.two_pair_growth_rate(1, 1, 0, 0, mu=-1.0, energy=1e3)


def test_compiled_rhs_equals_the_numpy_rhs():
    """The kernel two_pair_evolve integrates (pairing._kernels.two_pair_rhs_flat) is the same
    arithmetic as two_pair_rhs: equal to round-off on random states."""
    from nupair.pairing._kernels import two_pair_rhs_flat

    rng = np.random.default_rng(11)
    for _ in range(20):
        y = np.concatenate([rng.uniform(0, 1, 4), rng.normal(0, 0.3, 4)])
        np.testing.assert_allclose(two_pair_rhs_flat(0.0, y, (0.7, 300.0)), pairing.two_pair_rhs(0.0, y, 0.7, 300.0),
                                   rtol=1e-14, atol=1e-12)
