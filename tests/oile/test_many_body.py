"""The exact many-body reference beside OILE (nupair.oile.many_body; docs/oile-many-body.md)."""

import math

import numpy as np
import pytest
from scipy.linalg import expm

from nupair import oile
from nupair.oile import many_body as mb

SWAP = np.array([[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0], [0, 0, 0, 1]], dtype=complex)


def _rho(p):
    return 0.5 * np.array([[1 + p[2], p[0] - 1j * p[1]], [p[0] + 1j * p[1], 1 - p[2]]])


def _bloch(r):
    return np.array([2 * r[0, 1].real, -2 * r[0, 1].imag, (r[0, 0] - r[1, 1]).real])


def test_two_neutrinos_equal_the_two_body_closed_form_and_expm():
    """N = 2, no one-body terms: every step the same pair meets, so k encounters are exp(-i (sum
    gamma) S) on |a b> (S^2 = 1): the exact reduced states are the closed form (spec 3.2) at the
    summed gamma -- and also expm of the 4x4 swap. OILE equals it after the first encounter only."""
    pa, pb = np.array([0.6, 0.0, 0.8]), np.array([0.0, -1.0, 0.0])
    gas = oile.TwoGroupGas(n=2, gamma=0.3, p_a=pa, p_b=pb, omega_a=0.0, omega_b=0.0)
    sched = mb.encounter_schedule(gas, 3, seed=1)
    run = mb.evolve_many_body(gas, sched)
    prod = mb.evolve_product_state(gas, sched)
    psi0 = np.kron(mb.pure_state(pa), mb.pure_state(pb))
    for k in range(1, 4):
        g = 0.3 * k
        ra, rb = oile.encounter(_rho(pa), _rho(pb), g)
        assert np.allclose(run.bloch[k, 0], _bloch(ra), atol=1e-13)
        assert np.allclose(run.bloch[k, 1], _bloch(rb), atol=1e-13)
        psi = expm(-1j * g * SWAP) @ psi0
        m = psi.reshape(2, 2)  # psi[a, b]: rho_A = sum_b psi[a, b] psi*[a', b]
        assert np.allclose(_bloch(m @ m.conj().T), run.bloch[k, 0], atol=1e-13)
    assert np.allclose(prod.bloch[1], run.bloch[1], atol=1e-13)
    assert not np.allclose(prod.bloch[2], run.bloch[2], atol=1e-3)  # the second meeting: OILE forgot


def test_first_step_is_exact_in_oile():
    # every pair of the first step is uncorrelated: OILE's one-body states are exact there
    gas = oile.TwoGroupGas(n=12, gamma=0.2, omega_a=0.7, omega_b=-0.3, directions="isotropic")
    sched = mb.encounter_schedule(gas, 1, seed=4)
    a, b = mb.evolve_many_body(gas, sched), mb.evolve_product_state(gas, sched)
    assert np.allclose(a.bloch, b.bloch, atol=1e-13)


def test_unitary_and_conserving_the_total_bloch_vector_along_b():
    gas = oile.TwoGroupGas(n=10, gamma=0.1, omega_a=0.5, omega_b=-0.5, p_a=np.array([0.0, 0.6, 0.8]))
    cmp = oile.many_body_vs_oile(gas, 200, seed=2, save_every=20)
    assert cmp.many_body.norm_error.max() < 1e-12
    b = gas.b_axis
    for run in (cmp.many_body, cmp.oile):
        total = run.bloch.sum(axis=1) @ b
        assert np.max(np.abs(total - total[0])) < 1e-12
    # without one-body terms all of sum P is conserved
    gas0 = oile.TwoGroupGas(n=8, gamma=0.1, omega_a=0.0, omega_b=0.0, p_a=np.array([0.0, 0.6, 0.8]))
    cmp0 = oile.many_body_vs_oile(gas0, 50, seed=3, save_every=10)
    for run in (cmp0.many_body, cmp0.oile):
        assert np.allclose(run.bloch.sum(axis=1), run.bloch[0].sum(axis=0), atol=1e-12)


def test_one_body_precession_matches_the_gas_rotation():
    # no encounters (gamma tiny, one neutrino per group would still meet): compare the SU(2)
    # half-step unitaries with the SO(3) rotations the gas applies, on a random Bloch vector
    gas = oile.TwoGroupGas(n=2, gamma=0.7, omega_a=1.3, omega_b=-0.4, matter=0.2)
    u = mb._precession_unitaries(gas)
    r = oile.gas._half_rotations(gas)
    p = np.array([0.3, -0.5, 0.8]) / np.linalg.norm([0.3, -0.5, 0.8])
    for g in (0, 1):
        assert np.allclose(_bloch(u[g] @ _rho(p) @ u[g].conj().T), r[g] @ p, atol=1e-14)


def test_small_gamma_both_approach_the_mean_field():
    """gamma -> 0 at fixed mu t = 2: OILE and the many-body run approach the two-group mean field
    (with the self-exclusion N/(N - 1) of a finite gas, D5); the deviations shrink with gamma."""
    gas_kw = dict(n=12, omega_a=0.5, omega_b=-0.5, p_a=np.array([0.0, 0.6, 0.8]), p_b=np.array([0.6, 0.0, -0.8]))
    devs = {}
    for gamma in (0.2, 0.02):
        gas = oile.TwoGroupGas(gamma=gamma, **gas_kw)
        n = int(round(2.0 / gamma))
        runs = [oile.many_body_vs_oile(gas, n, seed=s, save_every=max(1, n // 10)) for s in range(3)]
        t = runs[0].many_body.t
        mf = oile.mean_field(gas, t, finite_n=True)
        devs[gamma] = [np.max(np.abs(np.mean([getattr(r, m).group_means() for r in runs], axis=0) - mf))
                       for m in ("many_body", "oile")]
    # measured: many-body 0.44 -> 0.13 (the rest is the finite-N quantum correction at N = 12),
    # OILE 0.32 -> 0.028 (its collision term mu gamma over mu t = 2)
    assert devs[0.02][0] < 0.5 * devs[0.2][0] and devs[0.02][1] < 0.2 * devs[0.2][1], devs
    assert devs[0.02][1] < 0.05, devs


def test_entropy_and_bad_input():
    assert mb.entanglement_entropy_bits(np.zeros(3)) == pytest.approx(1.0)
    assert mb.entanglement_entropy_bits(np.array([0.0, 0.0, 1.0])) == pytest.approx(0.0)
    assert mb.entanglement_entropy_bits(np.array([0.6, 0, 0])) == pytest.approx(
        -(0.8 * math.log2(0.8) + 0.2 * math.log2(0.2)))
    with pytest.raises(ValueError, match="gas.n"):
        oile.many_body_vs_oile(oile.TwoGroupGas(n=22), 1)
    with pytest.raises(ValueError, match=r"\|P\| = 1"):
        oile.many_body_vs_oile(oile.TwoGroupGas(n=4, p_a=np.array([0.0, 0.0, 0.5])), 1)
    s1 = mb.encounter_schedule(oile.TwoGroupGas(n=6), 5, seed=9)
    s2 = mb.encounter_schedule(oile.TwoGroupGas(n=6), 5, seed=9)
    assert np.array_equal(s1.pairs, s2.pairs) and np.array_equal(s1.gammas, s2.gammas)


@pytest.mark.parametrize("directions", ["fixed", "isotropic"])
def test_oile_side_is_the_gas_monte_carlo_with_the_same_seed(directions):
    # the schedule draws what the gas's permutation engine draws (a permutation per step, then one
    # uniform per pair): OILE's product-state run is that Monte Carlo, step for step
    gas = oile.TwoGroupGas(n=12, gamma=0.2, omega_a=0.4, omega_b=-0.7, directions=directions)
    mc = oile.run_two_group(gas, 40, seed=5, save_every=10, engine="permutation")
    prod = mb.evolve_product_state(gas, mb.encounter_schedule(gas, 40, seed=5), save_every=10)
    assert np.allclose(prod.group_means(), mc.mean, atol=1e-12)
