"""Sequential encounters (nupair.oile.sequential): Kost, Johns & Duan's own algorithm.

Reference: their ``random_scatter`` (schrodingers-turtle/cooking-simulation, approach2/dynamics.py)
transcribed here in its own terms -- density matrices, the 4 x 4 unitary of every scatter by
``expm``, then every neutrino's vacuum precession for one scatter -- in nupair's sign conventions.
Their parameter set (take_data.py): M = 50 per group, omega = (0.1, 0.2) mu, theta = 0.1.
"""

import math

import numpy as np
import pytest
from scipy.linalg import expm

from nupair import oile
from nupair.oile.gas import _seed_key
from tests.oile._reference import swap

SIGMA = np.array([[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]])


def _rho(p):
    return 0.5 * (np.eye(2) + np.einsum("a,aij->ij", p, SIGMA))


def _bloch(r):
    return np.real(np.einsum("ij,aji->a", r, SIGMA))


def _authors_algorithm(gas, pairs, gammas):
    """Per scatter: exp(-i gamma_ij S) on rho_i (x) rho_j, partial traces; then every neutrino
    precesses for dt_enc = 2 t_int / N under H_g = omega_g B . sigma / 2."""
    n = gas.n
    rho = [_rho(gas.p_a if k < gas.n_a else gas.p_b) for k in range(n)]
    dt = 2 * gas.dt / n
    u1 = [expm(-0.5j * dt * np.einsum("a,aij->ij", gas.one_body_field(g), SIGMA)) for g in (0, 1)]
    s4 = swap(2)
    for (i, j), g in zip(pairs, gammas):
        u = expm(-1j * g * s4)
        r = u @ np.kron(rho[i], rho[j]) @ u.conj().T
        # the pair's trace is a product of two traces: its rounding error would grow
        # exponentially over the scatters, so the trace is renormalized, as their script does
        r = (r / np.trace(r)).reshape(2, 2, 2, 2)
        rho[i], rho[j] = np.einsum("ajbj->ab", r), np.einsum("jajb->ab", r)
        rho = [u1[0 if k < gas.n_a else 1] @ rho[k] @ u1[0 if k < gas.n_a else 1].conj().T for k in range(n)]
    return np.array([_bloch(r) for r in rho])


@pytest.mark.parametrize("directions", ["fixed", "isotropic"])
def test_equals_the_authors_per_scatter_algorithm(directions):
    gas = oile.TwoGroupGas(n=10, gamma=0.3, omega_a=0.1, omega_b=0.2, b_axis=oile.vacuum_axis(0.1),
                           directions=directions)
    tr = oile.run_sequential(gas, 300, seed=4, save_every=300)
    pairs, gammas = oile.sequential_schedule(gas, 0, 300, _seed_key(4))
    assert np.all(pairs[:, 0] != pairs[:, 1])
    want = _authors_algorithm(gas, pairs, gammas)
    assert np.allclose(tr.state[:, :3], want, atol=1e-12)


def test_continuation_agrees_to_rounding_and_b_total_conserved():
    gas = oile.TwoGroupGas(n=100, gamma=0.01, omega_a=0.1, omega_b=0.2, directions="isotropic")
    full = oile.run_sequential(gas, 200_000, seed=7, save_every=50_000)
    first = oile.run_sequential(gas, 130_000, seed=7, save_every=50_000)
    second = oile.run_sequential(gas, 70_000, seed=7, save_every=50_000, state=first.state, encounter0=130_000)
    # the same draws and the same rotations (caught up in two pieces instead of one)
    assert np.allclose(full.state, second.state, atol=1e-12, rtol=0)
    assert full.b_total_drift.max() < 1e-12
    assert full.t[-1] == pytest.approx(200_000 * 2 * gas.dt / gas.n)


def test_pairs_are_uniform():
    gas = oile.TwoGroupGas(n=6)
    pairs, _ = oile.sequential_schedule(gas, 0, 150_000, 123)
    lo, hi = np.minimum(pairs[:, 0], pairs[:, 1]), np.maximum(pairs[:, 0], pairs[:, 1])
    counts = np.bincount(lo * 6 + hi, minlength=36)[[a * 6 + b for a in range(6) for b in range(a + 1, 6)]]
    from scipy import stats
    assert stats.chisquare(counts).pvalue > 1e-3


def test_authors_parameter_set_tracks_the_poisson_continuum():
    """Their set at gamma = 0.01 to gamma mu t = 2, 12 replicas: the replica-mean group means lie
    within 3 standard errors of D4 with kappa = 0 (Poisson-like timing) and self-exclusion (D5)."""
    gas = oile.TwoGroupGas(n=100, gamma=0.01, omega_a=0.1, omega_b=0.2, b_axis=oile.vacuum_axis(0.1),
                           directions="isotropic")
    n_enc = int(round(200.0 / (2 * gas.dt / gas.n)))
    runs = [oile.run_sequential(gas, n_enc, seed=s, save_every=n_enc // 40) for s in range(12)]
    t, means = runs[0].t, np.array([r.mean for r in runs])
    se = means.std(axis=0, ddof=1) / math.sqrt(len(runs))
    cont = oile.mean_field(gas, t, collisions=True, kappa=0.0, finite_n=True)
    z = (np.abs(means.mean(axis=0) - cont) / (se + 1e-12))[1:]
    assert np.mean(z < 3) >= 0.95 and z.max() < 4.5, (np.mean(z < 3), z.max())
