"""OILE model 2 with sequential encounters: one random pair at a time, as Kost, Johns & Duan run it.

Their own simulations (public repository ``schrodingers-turtle/cooking-simulation``,
``approach2/dynamics.py``, ``random_scatter``) do not match everybody every step: each
"scatter" picks one random pair (i uniform, j uniform among the others), applies the encounter
exp(-i l (1 - cos Theta) S) to it and then lets every neutrino precess for the time of one
scatter, omega_g l / M with M = N/2 (so a neutrino meets, on average, one partner per
t_int = l/mu). In nupair's words: a :class:`~nupair.oile.TwoGroupGas` with gamma = l, its
``directions`` law per encounter, and encounters spaced by

    dt_enc = 2 t_int / N = 2 gamma / (mu N).                                         (S1)

Here the precession is applied lazily: a neutrino's rotations are caught up only when it meets
a partner or is recorded (rotations of different neutrinos commute, and a neutrino's state
matters only then), so an encounter costs O(1) instead of the O(N) rotation of the whole gas,
with the same numbers (tests/oile/test_sequential.py transcribes the authors' per-scatter
algorithm with 4 x 4 unitaries and density matrices and agrees to rounding).

Each neutrino's encounters are then a Bernoulli process of rate mu/gamma rather than one per step:
the continuum equation is (D4) of :mod:`nupair.oile.directions` with kappa = 0 (spec 6.3:
"kappa = 0 for Poisson-timed encounters"), ``mean_field(gas, t, collisions=True, kappa=0)``.
Random draws are made per block of 65536 encounters from a generator keyed by (seed, block), so a
run continued from its returned state meets the same partners with the same gammas as one run
straight through (the same numbers to rounding: the caught-up rotations are split differently).
"""

from __future__ import annotations

import math
import time

import numba
import numpy as np
from numpy.typing import NDArray

from nupair import validation as _v
from nupair.oile.encounter import encounter_pair3
from nupair.oile.gas import GasTrajectory, TwoGroupGas, _initial_arrays, _record, _seed_key
from nupair.results import SolverError, Status

__all__ = ["sequential_schedule", "run_sequential", "SEQUENTIAL_BLOCK"]

#: Encounters per block of random draws (the draws of block b depend only on (seed, b)).
SEQUENTIAL_BLOCK = 65536


def sequential_schedule(gas: TwoGroupGas, start: int, stop: int, seed_key: int) -> tuple[NDArray, NDArray]:
    """Pairs (stop - start, 2) and gammas (stop - start,) of encounters start ... stop - 1:
    i uniform on [0, N), j = (i + uniform[1, N)) mod N (a uniformly random unordered pair), gamma_ij
    from ``gas.directions``. Drawn per block of :data:`SEQUENTIAL_BLOCK` from (seed_key, block)."""
    start = _v.positive_int("start", start, 0)
    stop = _v.positive_int("stop", stop, start + 1)
    seed_key = _v.positive_int("seed_key", seed_key, 0, 2**64 - 1)
    b0, b1 = start // SEQUENTIAL_BLOCK, (stop - 1) // SEQUENTIAL_BLOCK
    pairs, gammas = [], []
    span = gas.directions.kernel_span(gas.gamma)
    for b in range(b0, b1 + 1):  # blocks of 65536 encounters: the loop is over blocks
        rng = np.random.default_rng([seed_key & 0xFFFFFFFF, seed_key >> 32, b])
        i = rng.integers(0, gas.n, SEQUENTIAL_BLOCK)
        j = (i + rng.integers(1, gas.n, SEQUENTIAL_BLOCK)) % gas.n
        g = span * rng.random(SEQUENTIAL_BLOCK) if span > 0 else np.full(SEQUENTIAL_BLOCK, gas.gamma)
        lo = max(start - b * SEQUENTIAL_BLOCK, 0)
        hi = min(stop - b * SEQUENTIAL_BLOCK, SEQUENTIAL_BLOCK)
        pairs.append(np.stack([i[lo:hi], j[lo:hi]], axis=1))
        gammas.append(g[lo:hi])
    return np.concatenate(pairs), np.concatenate(gammas)


@numba.njit(inline="always")
def _rotate(p, k, h, angle_per_step, steps):
    """Rotate row k of p right-handedly about the unit axis h by steps * angle_per_step (Rodrigues)."""
    if steps == 0 or angle_per_step == 0.0:
        return
    a = angle_per_step * steps
    c, s = math.cos(a), math.sin(a)
    x, y, z = p[k, 0], p[k, 1], p[k, 2]
    hx, hy, hz = h[0], h[1], h[2]
    dot = hx * x + hy * y + hz * z
    cx, cy, cz = hy * z - hz * y, hz * x - hx * z, hx * y - hy * x
    p[k, 0] = x * c + cx * s + hx * dot * (1 - c)
    p[k, 1] = y * c + cy * s + hy * dot * (1 - c)
    p[k, 2] = z * c + cz * s + hz * dot * (1 - c)


@numba.njit(cache=True)
def _advance(p, group, axes, angles, last, pairs, gammas, s0):
    """Encounters s0 ... s0 + len(pairs) - 1 in order, each partner's precession caught up first
    (``last[k]``: the number of one-scatter rotations neutrino k has had)."""
    for e in range(pairs.shape[0]):
        s = s0 + e
        i, j = pairs[e, 0], pairs[e, 1]
        for k in (i, j):
            g = group[k]
            _rotate(p, k, axes[g], angles[g], s - last[k])
            last[k] = s
        c = math.cos(gammas[e])
        sn = math.sin(gammas[e])
        encounter_pair3(p, i, j, c * c, sn * sn, c * sn)


@numba.njit(cache=True)
def _catch_up(p, group, axes, angles, last, s):
    """Every neutrino to s rotations (after scatter s - 1)."""
    for k in range(p.shape[0]):
        g = group[k]
        _rotate(p, k, axes[g], angles[g], s - last[k])
        last[k] = s


def run_sequential(gas: TwoGroupGas, n_encounters: int, *, seed: int | None = None, save_every: int = 1000,
                   state: NDArray | None = None, encounter0: int = 0) -> GasTrajectory:
    """The gas with one encounter at a time (Kost, Johns & Duan's ``random_scatter``), O(1) each.

    ``n_encounters`` scatters of a uniformly random pair, each followed by every neutrino's
    one-body precession over dt_enc (S1); records (group means, standard errors, spreads, mean
    |P|, B . sum P drift) every ``save_every`` encounters and at the end. ``state`` (the (N, 4)
    ``GasTrajectory.state`` of an earlier call with the same seed) and ``encounter0`` continue a
    run with the same draws (equal to rounding). Two flavors. Time in 1/mu: t = encounters x dt_enc.
    """
    _v.instance_of("gas", gas, TwoGroupGas, "a nupair.oile.TwoGroupGas")
    _v.require(gas.n_components == 3, "gas", f"a {gas.n_components}-component gas", "two flavors (3-vectors)")
    n_encounters = _v.positive_int("n_encounters", n_encounters, 1)
    save_every = _v.positive_int("save_every", save_every, 1)
    encounter0 = _v.positive_int("encounter0", encounter0, 0)
    if seed is not None:
        seed = _v.positive_int("seed", seed, 0)
    start = time.perf_counter()
    key = _seed_key(seed)
    p, group8 = _initial_arrays(gas, state)
    p = np.ascontiguousarray(p, dtype=float)
    group = group8.astype(np.int64)
    dt_enc = 2.0 * gas.dt / gas.n
    fields = np.stack([gas.one_body_field(0), gas.one_body_field(1)])
    sizes = np.linalg.norm(fields, axis=1)
    axes = np.where(sizes[:, None] > 0, fields / np.where(sizes > 0, sizes, 1.0)[:, None], 0.0)
    angles = sizes * dt_enc
    last = np.full(gas.n, encounter0, dtype=np.int64)
    b_ref = float(np.sum(np.where(np.arange(gas.n)[:, None] < gas.n_a, gas.p_a, gas.p_b) @ gas.b_axis))
    rows = []

    def record(s):
        rows.append((s * dt_enc, *_record(p, group), abs(float(np.sum(p @ gas.b_axis)) - b_ref) / gas.n))

    if state is None and encounter0 == 0:
        record(0)
    s, end = encounter0, encounter0 + n_encounters
    while s < end:  # one compiled call per record interval
        stop = min(end, (s // save_every + 1) * save_every)
        pairs, gammas = sequential_schedule(gas, s, stop, key)
        _advance(p, group, axes, angles, last, pairs, gammas, s)
        s = stop
        _catch_up(p, group, axes, angles, last, s)
        record(s)
    t, mean, stderr, spread, length, drift = (np.array(x) for x in zip(*rows))
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(drift))):
        raise SolverError("the gas record became non-finite", Status.NON_FINITE)
    final = np.column_stack([p, group.astype(float)])
    return GasTrajectory(t, mean, stderr, spread, length, drift, final, {"generator": "sequential-blocks", "key": key},
                         time.perf_counter() - start)
