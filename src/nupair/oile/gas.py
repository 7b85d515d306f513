"""OILE model 2: a gas of N neutrinos in two groups, random pairwise encounters every step.

Kost, Johns & Duan, arXiv:2402.05022, arXiv:2508.14331 ([K2]); Johns, arXiv:2401.15247;
spec ``shared/spec/oile.md`` section 6. Per step of duration dt = t_int = gamma/mu every neutrino
takes part in exactly one encounter with a random partner (a uniformly random perfect matching,
drawn inside the compiled kernel by a bucket shuffle with a counter-based generator: see
``nupair.oile._gas_kernel``); the one-body precession dP_i/dt = h_i x P_i (two flavors) or
dP_c/dt = f_abc h_a P_b (three flavors, Gell-Mann components) is applied with Strang splitting
(half rotation, encounters, half rotation; spec 3.3).

The large-N mean map and the mean-field equations are in :mod:`nupair.oile.mean_field`, the
miscidynamic path along equilibria in :mod:`nupair.oile.miscidynamics`.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Callable

import numba
import numpy as np
from numpy.typing import NDArray
from scipy.linalg import expm

from nupair.oile import _gas_kernel
from nupair.oile.encounter import (
    _F2,
    _F3,
    _check_gamma,
    check_bloch_vectors,
    encounter_adjacent_inplace,
    encounter_coefficients,
    encounter_pairs_inplace,
)
from nupair import validation as _v
from nupair.oile.directions import EncounterDirections, resolve_directions
from nupair.results import SolverError, Status, StatusMixin

__all__ = [
    "TwoGroupGas",
    "GasTrajectory",
    "vacuum_axis",
    "run_two_group",
    "run_two_group_chunked",
    "random_matching",
    "matter_axis",
    "ENGINES",
]

#: Monte Carlo engines of :func:`run_two_group`: "numba" (bucket-shuffle kernel, all cores,
#: counter-based generator; the default), "permutation" (a NumPy permutation and gather per step,
#: then the compiled step: the earlier implementation, kept as the statistical reference) and
#: "numpy" (the same as "permutation" in NumPy arithmetic; two flavors).
ENGINES = ("numba", "permutation", "numpy")


def matter_axis(n_components: int) -> NDArray:
    """Bloch vector of the matter Hamiltonian diag(1, 0[, 0]) per unit lambda: z for two flavors;
    lambda_3 + lambda_8 / sqrt(3) for three (h_a = tr(H lambda_a))."""
    if n_components == 3:
        return np.array([0.0, 0.0, 1.0])
    out = np.zeros(8)
    out[2], out[7] = 1.0, 1.0 / math.sqrt(3.0)
    return out


def vacuum_axis(theta_v: float) -> NDArray:
    """Unit vector B = (sin 2 theta_v, 0, -cos 2 theta_v) of the vacuum Hamiltonian (spec 3.3)."""
    return np.array([math.sin(2 * theta_v), 0.0, -math.cos(2 * theta_v)])


@dataclass(frozen=True)
class TwoGroupGas:
    """A two-group neutrino gas (spec 6.1), two or three flavors.

    Attributes
    ----------
    n : int                 number of neutrinos (even: every one meets a partner each step)
    fraction_a : float      share of group A
    p_a, p_b : ndarray (d,) initial Bloch vectors of the groups: d = 3 (two flavors) or 8 (three
                            flavors, P_a = tr(rho lambda_a) with the Gell-Mann matrices)
    omega_a, omega_b : float  vacuum frequencies [mu] (negative: opposite ordering / antineutrino-like)
    b_axis : ndarray (d,)   unit vector B of the vacuum Hamiltonian (three flavors: the Bloch
                            vector of the traceless vacuum Hamiltonian, normalized)
    gamma : float           impact parameter mu t_int
    mu : float              interaction strength [1/time unit]; times are in units of 1/mu for mu = 1
    matter : float          matter potential lambda = sqrt2 G_F n_e [mu] along L = ``matter_axis(d)``
                            (spec 3.3; 0: off)
    directions : str or EncounterDirections
                            relative directions of the partners: "fixed" (every encounter has
                            gamma; the default) or "isotropic" (gamma (1 - cos Theta) with cos Theta
                            uniform on [-1, 1] per encounter, as in Kost, Johns & Duan's own
                            simulations); see :mod:`nupair.oile.directions`. Stored as the object.
    """

    n: int
    fraction_a: float = 0.5
    p_a: NDArray = field(default_factory=lambda: np.array([0.0, 0.0, 1.0]))
    p_b: NDArray = field(default_factory=lambda: np.array([0.0, 0.0, -1.0]))
    omega_a: float = 0.5
    omega_b: float = -0.5
    b_axis: NDArray = field(default_factory=lambda: vacuum_axis(0.1))
    gamma: float = 1e-2
    mu: float = 1.0
    matter: float = 0.0
    directions: str | EncounterDirections = "fixed"

    def __post_init__(self):
        if isinstance(self.n, bool) or not isinstance(self.n, (int, np.integer)) or self.n < 2 or self.n % 2:
            raise ValueError(_v.refused(f"n={self.n!r}", "a perfect matching needs an even number >= 2"))
        _v.in_range("fraction_a", self.fraction_a, 0.0, 1.0, low_open=True, high_open=True)
        n_a = int(round(self.fraction_a * self.n))
        if not 1 <= n_a <= self.n - 1:  # an empty group has no mean: refuse rather than fill the record with NaN
            raise ValueError(_v.refused(f"fraction_a={self.fraction_a!r} with n={self.n}",
                                        f"round(fraction_a n) = {n_a} leaves a group empty; need 1 <= "
                                        "round(fraction_a n) <= n - 1"))
        for name in ("p_a", "p_b"):
            v = check_bloch_vectors(getattr(self, name), name)
            if v.shape not in ((3,), (8,)):
                raise ValueError(f"{name} has shape {v.shape}: must be a 3-vector (two flavors) or an 8-vector (three)")
            object.__setattr__(self, name, v)
        d = self.p_a.size
        if self.p_b.size != d:
            raise ValueError(f"p_a and p_b have {d} and {self.p_b.size} components: both 3 (two flavors) or both 8")
        b = np.asarray(self.b_axis, dtype=float)
        if d == 8 and b.shape == (3,):  # the two-flavor default axis, embedded in the e-mu block
            b = np.concatenate([b, np.zeros(5)])
        if b.shape != (d,) or not np.isclose(np.linalg.norm(b), 1.0, atol=1e-12):
            raise ValueError(_v.refused(f"b_axis={self.b_axis!r}", f"must be a unit vector with {d} components"))
        object.__setattr__(self, "b_axis", b)
        _check_gamma(self.gamma)
        for name in ("omega_a", "omega_b", "mu", "matter"):
            _v.finite(name, getattr(self, name))
        _v.positive("mu", self.mu)
        object.__setattr__(self, "directions", resolve_directions(self.directions))

    @property
    def dt(self) -> float:
        """Step duration t_int = gamma / mu."""
        return self.gamma / self.mu

    @property
    def n_components(self) -> int:
        """3 (two flavors) or 8 (three flavors)."""
        return int(self.p_a.size)

    def one_body_field(self, group: int) -> NDArray:
        """h = omega B + lambda L of group 0 (A) or 1 (B): dP/dt = flavor_product(h, P)."""
        omega = self.omega_a if group == 0 else self.omega_b
        return omega * self.b_axis + self.matter * matter_axis(self.n_components)

    @property
    def n_a(self) -> int:
        """Number of neutrinos in group A."""
        return int(round(self.fraction_a * self.n))


def _rotation_matrix(axis: NDArray, angle: float) -> NDArray:
    if np.linalg.norm(axis) == 0.0:
        return np.eye(3)
    k = axis / np.linalg.norm(axis)
    kx = np.array([[0, -k[2], k[1]], [k[2], 0, -k[0]], [-k[1], k[0], 0]])
    return np.eye(3) + math.sin(angle) * kx + (1 - math.cos(angle)) * kx @ kx


def _precession_generator(h: NDArray) -> NDArray:
    """G with dP/dt = G P = flavor_product(h, P): G_cb = f_abc h_a (d x d, antisymmetric)."""
    return np.einsum("abc,a->cb", _F3, h)


def _half_rotations(gas: TwoGroupGas) -> NDArray:
    """Rotation matrices (2, d, d) of the one-body precession over dt/2 (Strang half steps):
    Rodrigues' formula for two flavors, the exponential of the SU(3) generator for three."""
    half = gas.dt / 2
    fields = (gas.one_body_field(0), gas.one_body_field(1))
    if gas.n_components == 3:
        return np.stack([_rotation_matrix(h, np.linalg.norm(h) * half) for h in fields])
    return np.stack([expm(_precession_generator(h) * half) for h in fields])


@numba.njit(cache=True)
def _half_rotation(p, group, rot):
    for i in range(p.shape[0]):
        r = rot[group[i]]
        x, y, z = p[i, 0], p[i, 1], p[i, 2]
        p[i, 0] = r[0, 0] * x + r[0, 1] * y + r[0, 2] * z
        p[i, 1] = r[1, 0] * x + r[1, 1] * y + r[1, 2] * z
        p[i, 2] = r[2, 0] * x + r[2, 1] * y + r[2, 2] * z


@numba.njit(cache=True)
def _gas_step(p, group, rot, c2, s2, cs):
    """Half rotation, encounters of the adjacent pairs (rows 2k, 2k+1), half rotation; in place.

    The caller has gathered the particles in random-permutation order, so adjacent rows form a
    uniformly random perfect matching and the kernel streams through memory.
    """
    _half_rotation(p, group, rot)
    encounter_adjacent_inplace(p, c2, s2, cs)
    _half_rotation(p, group, rot)


def random_matching(rng: np.random.Generator, n: int) -> NDArray:
    """A uniformly random perfect matching of n (even) particles: pairs (m[0::2], m[1::2])."""
    return rng.permutation(n)


@dataclass(frozen=True)
class GasTrajectory(StatusMixin):
    """Monte Carlo record of a two-group gas (d = 3 components for two flavors, 8 for three).

    Attributes
    ----------
    t : ndarray (n_save,)                 time [1/mu]
    mean : ndarray (n_save, 2, d)         group means of P (A, B)
    stderr : ndarray (n_save, 2, d)       standard errors of the group means (spread / sqrt(N_g))
    spread : ndarray (n_save, 2, d)       within-group standard deviation of the components
    mean_length : ndarray (n_save, 2)     group mean of |P_i|
    b_total_drift : ndarray (n_save,)     |B . sum P(t) - B . sum P(0)| / N (conserved: spec 6.2)
    state : ndarray (N, d + 1)            final Bloch vectors and group labels (last column); empty
                                          when the run was asked not to return it
    rng_state : dict                      generator state after the last step (for resuming)
    wall_s : float                        wall time of the steps and records [s]
    status : Status                       SUCCESSFUL (a non-finite record raises SolverError)
    message : str
    """

    t: NDArray
    mean: NDArray
    stderr: NDArray
    spread: NDArray
    mean_length: NDArray
    b_total_drift: NDArray
    state: NDArray
    rng_state: dict
    wall_s: float = 0.0
    status: Status = Status.SUCCESSFUL
    message: str = ""


def _record(p, group):
    masks = (group == 0, group == 1)
    mean = np.stack([p[m].mean(axis=0) for m in masks])
    spread = np.stack([p[m].std(axis=0, ddof=1) for m in masks])
    stderr = spread / np.sqrt([m.sum() for m in masks])[:, None]
    length = np.array([np.linalg.norm(p[m], axis=1).mean() for m in masks])
    return mean, stderr, spread, length


@numba.njit(cache=True)
def _gas_step_drawn(p, group, rot, c2, s2, cs):
    """:func:`_gas_step` with one set of coefficients per adjacent pair (arrays (N/2,): drawn
    relative directions)."""
    _half_rotation(p, group, rot)
    encounter_pairs_inplace(p, np.arange(0, p.shape[0], 2), np.arange(1, p.shape[0], 2), c2, s2, cs)
    _half_rotation(p, group, rot)


def _gas_step_numpy(p, group, rot, c2, s2, cs):
    """NumPy fallback of the compiled step (same arithmetic): rotation, adjacent encounters, rotation.
    Scalar coefficients, or arrays (N/2,) with one set per adjacent pair."""
    c2, s2, cs = (np.asarray(x)[:, None] if np.ndim(x) else x for x in (c2, s2, cs))
    for _ in range(2):
        if _:
            a, b = p[0::2].copy(), p[1::2].copy()
            f = np.cross(a, b)
            p[0::2] = c2 * a + s2 * b - cs * f
            p[1::2] = c2 * b + s2 * a + cs * f
        p[:] = np.einsum("nij,nj->ni", rot[group], p)


def _seed_key(seed: int | None) -> int:
    """64-bit key of the counter-based generator from a seed (None: fresh entropy)."""
    entropy = np.random.SeedSequence(seed).generate_state(2, dtype=np.uint32)
    return int(entropy[0]) << 32 | int(entropy[1])


def _initial_arrays(gas: TwoGroupGas, state):
    d = gas.n_components
    if state is None:
        group = np.zeros(gas.n, dtype=np.uint8)
        group[gas.n_a:] = 1
        p = np.empty((gas.n, d))
        p[:gas.n_a] = gas.p_a
        p[gas.n_a:] = gas.p_b
        return p, group
    st = np.asarray(state, dtype=float)
    if st.shape != (gas.n, d + 1):
        raise ValueError(f"state has shape {st.shape}: must be ({gas.n}, {d + 1}) (Bloch vectors and group label)")
    return np.ascontiguousarray(st[:, :d]), st[:, d].astype(np.uint8)


def run_two_group(gas: TwoGroupGas, n_steps: int, *, seed: int | None = None, save_every: int = 10,
                  state: NDArray | None = None, rng_state: dict | None = None, step0: int = 0,
                  b_reference: float | None = None, engine: str = "numba",
                  return_state: bool = True) -> GasTrajectory:
    """Monte Carlo of the two-group gas for ``n_steps`` steps (spec 6.2), O(N) per step.

    Every step: a uniformly random perfect matching, then (Strang splitting) half a one-body
    precession, the encounters, the other half. ``engine`` (see :data:`ENGINES`): "numba" runs the
    bucket-shuffle kernel of ``nupair.oile._gas_kernel`` on all cores (bit-identical on any
    number of threads); "permutation"/"numpy" draw a NumPy permutation per step (two flavors; the
    earlier implementation, kept as the reference: same statistics, another random stream).

    ``state``/``rng_state``/``step0`` continue an earlier run exactly (checkpoints): the
    continuation does not record step0 again, and ``b_reference`` (B . sum P at the very start)
    keeps the conservation monitor referred to the original initial state. ``state`` is the
    (N, d + 1) array of ``GasTrajectory.state``. Statistics are streamed (group means, spreads,
    mean lengths at every ``save_every`` steps): no per-particle history is kept, and with
    ``return_state=False`` not even the final state is copied out (for N ~ 1e8).
    Memory: ~51 bytes per neutrino in two flavors at N = 1e6 (two row buffers, segment tables, per-thread
    scratch buckets; ~49 at 1e8), ~137 in three.
    """
    import time

    _v.one_of("engine", engine, ENGINES)
    if engine != "numba" and gas.n_components != 3:
        raise ValueError(f"engine={engine!r} handles two flavors only; use engine='numba' for three")
    n_steps = _v.positive_int("n_steps", n_steps, 1)
    save_every = _v.positive_int("save_every", save_every, 1)
    step0 = _v.positive_int("step0", step0, 0)
    start = time.perf_counter()
    # the kernel's buffers, ~51 bytes per neutrino in two flavors and ~137 in three (docstring),
    # with the state array of (N, d) doubles: refused before anything is allocated
    per_neutrino = (60.0 if gas.n_components == 3 else 150.0) + 8.0 * gas.n_components
    _v.require_memory(gas.n * per_neutrino, "n", f"{gas.n:.3g} neutrinos")
    p, group = _initial_arrays(gas, state)
    run = _Run(gas, n_steps, save_every, step0, state is None, return_state, _half_rotations(gas),
               tuple(float(x) for x in encounter_coefficients(gas.gamma)),
               float(np.sum(p @ gas.b_axis)) if b_reference is None else float(b_reference))
    final, new_rng_state = _ENGINE_RUNS[engine](run, p, group, seed, rng_state)
    return run.trajectory(final, new_rng_state, time.perf_counter() - start)


_RECORD_FIELDS = ("t", "mean", "stderr", "spread", "mean_length", "b_total_drift")


def run_two_group_chunked(gas: TwoGroupGas, n_steps: int, *, seed: int | None = None, save_every: int = 10,
                          chunk_steps: int = 5000, resume: dict | None = None,
                          on_chunk: Callable[[dict, float], None] | None = None, engine: str = "numba",
                          return_state: bool = True) -> GasTrajectory:
    """:func:`run_two_group` in chunks of ``chunk_steps`` steps, resumable after any chunk.

    After every chunk but the last, ``on_chunk(state, fraction_done)`` receives a picklable dict
    (the records so far, the Bloch vectors, the step and the generator state); passed back as
    ``resume`` it continues the run exactly where it stopped, so a run interrupted and resumed is
    bit-identical to one run straight through (the chunks continue one random stream). The
    conservation monitor stays referred to the very first state.

    Returns the whole run's :class:`GasTrajectory` (``state`` empty with ``return_state=False``;
    ``wall_s`` counts this call's chunks only).
    """
    n_steps = _v.positive_int("n_steps", n_steps, 1)
    chunk_steps = _v.positive_int("chunk_steps", chunk_steps, 1)
    if resume is not None:
        acc, state, step, rng_state = (resume[k] for k in ("acc", "state", "step", "rng_state"))
    else:
        acc, state, step, rng_state = None, None, 0, None
    p0 = np.where(np.arange(gas.n)[:, None] < gas.n_a, gas.p_a, gas.p_b)
    b_ref = float(np.sum(p0 @ gas.b_axis))
    wall = 0.0
    part = None
    while step < n_steps:
        k = min(chunk_steps, n_steps - step)
        last = step + k >= n_steps
        part = run_two_group(gas, k, seed=seed, save_every=save_every, state=state, rng_state=rng_state,
                             step0=step, b_reference=b_ref, engine=engine, return_state=return_state or not last)
        new = {f: getattr(part, f) for f in _RECORD_FIELDS}
        acc = new if acc is None else {f: np.concatenate([acc[f], new[f]]) for f in _RECORD_FIELDS}
        state, rng_state, step, wall = part.state, part.rng_state, step + k, wall + part.wall_s
        if not last and on_chunk is not None:
            on_chunk({"acc": acc, "state": state, "step": step, "rng_state": rng_state}, step / n_steps)
    if part is None:  # resumed after the last chunk had been recorded: nothing left to run
        part_state = state if return_state else np.empty((0, gas.n_components + 1))
        return GasTrajectory(**acc, state=part_state, rng_state=rng_state, wall_s=0.0)
    return GasTrajectory(**acc, state=part.state, rng_state=part.rng_state, wall_s=wall)


@dataclass
class _Run:
    """What every engine of :func:`run_two_group` shares: the gas, the step range, the rotations
    and encounter coefficients, the conservation reference, and the rows recorded so far."""

    gas: TwoGroupGas
    n_steps: int
    save_every: int
    step0: int
    fresh: bool  # not a continuation: record step0 too
    return_state: bool
    rot: NDArray
    coefficients: tuple[float, float, float]
    b_total0: float
    rows: list = field(default_factory=list)

    @property
    def steps(self) -> range:
        return range(self.step0 + 1, self.step0 + self.n_steps + 1)

    def record(self, step: int, mean, stderr, spread, length, b_total: float) -> None:
        self.rows.append((step * self.gas.dt, mean, stderr, spread, length, abs(b_total - self.b_total0) / self.gas.n))

    def final_state(self, p, group) -> NDArray:
        d = self.gas.n_components
        return np.column_stack([p, group.astype(float)]) if self.return_state else np.empty((0, d + 1))

    def trajectory(self, final, rng_state, wall: float) -> GasTrajectory:
        d = self.gas.n_components
        if not self.rows:
            return GasTrajectory(np.empty(0), np.empty((0, 2, d)), np.empty((0, 2, d)), np.empty((0, 2, d)),
                                 np.empty((0, 2)), np.empty(0), final, rng_state, wall)
        t, mean, stderr, spread, length, drift = (np.array(x) for x in zip(*self.rows))
        if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(drift))):
            raise SolverError("the gas record became non-finite", Status.NON_FINITE)
        return GasTrajectory(t, mean, stderr, spread, length, drift, final, rng_state, wall)


def _run_bucket_engine(run: _Run, p, group, seed, rng_state):
    """The "numba" engine: the bucket-shuffle kernel, counter-based generator (exact resumes)."""
    gas, d = run.gas, run.gas.n_components
    starts = None
    if rng_state is not None:
        if rng_state.get("generator") != "splitmix64-bucket":
            raise ValueError("rng_state comes from another engine: resume with the engine that wrote it")
        key = int(rng_state["key"])
        starts = rng_state.get("starts")  # the rows are in the bucket layout of the next step
    else:
        key = _seed_key(seed)
    kernel = _gas_kernel.GasKernel(p, group, key, run.rot, run.coefficients,
                                   _gas_kernel.structure_lists(_F3 if d == 8 else _F2),
                                   starts=starts, first_step=run.step0 + 1,
                                   direction_span=gas.directions.kernel_span(gas.gamma))
    del p, group

    def save(step, stats=None):
        count, mean, m2, length = kernel.statistics() if stats is None else stats
        spread = np.sqrt(np.maximum(m2, 0.0) / np.maximum(count - 1, 1)[:, None])
        run.record(step, mean, spread / np.sqrt(count)[:, None], spread, length / count,
                   float((count[:, None] * mean).sum(axis=0) @ gas.b_axis))

    if run.fresh and run.step0 % run.save_every == 0:
        save(run.step0)
    if rng_state is not None and rng_state.get("shift") is not None:  # exactly as the run that stopped
        kernel.shift_c = np.array(rng_state["shift"], dtype=float).reshape(2, d)
    elif not run.fresh:  # the shift of the record sums: the state's own group means
        kernel.statistics()
    for step in run.steps:  # steps are sequential; each is one kernel call
        stats = kernel.step(step, record=step % run.save_every == 0)
        if stats is not None:
            save(step, stats)
    kernel.compact()  # the single-block layout that ``starts`` describes (exact resumes)
    return run.final_state(kernel.p, kernel.group), {
        "generator": "splitmix64-bucket", "key": key, "starts": [int(x) for x in kernel.starts],
        "shift": kernel.shift_c.ravel().tolist()}


def _run_permutation_engine(step_fn, run: _Run, p, group, seed, rng_state):
    """The "permutation"/"numpy" engines: a NumPy permutation per step (the statistical reference).
    Drawn directions: after the permutation, one uniform u per pair from the same generator."""
    gas = run.gas
    directions = gas.directions
    step = _DRAWN_STEPS.get(step_fn, step_fn) if directions.draws else step_fn
    rng = np.random.default_rng(seed)
    if rng_state is not None:
        rng.bit_generator.state = rng_state
    group = group.astype(np.int64)

    def save(step):
        run.record(step, *_record(p, group), float(np.sum(p @ gas.b_axis)))

    if run.fresh and run.step0 % run.save_every == 0:
        save(run.step0)
    for k in run.steps:
        perm = rng.permutation(gas.n)  # uniformly random perfect matching: adjacent rows pair up
        p, group = p[perm], group[perm]
        step(p, group, run.rot, *directions.draw(gas.gamma, rng, gas.n // 2))
        if k % run.save_every == 0:
            save(k)
    return run.final_state(p, group), rng.bit_generator.state


#: The compiled step with per-pair coefficients, for drawn directions (NumPy's step takes both).
_DRAWN_STEPS = {_gas_step: _gas_step_drawn}

#: The engine behind each name of :data:`ENGINES`.
_ENGINE_RUNS = {
    "numba": _run_bucket_engine,
    "permutation": functools.partial(_run_permutation_engine, _gas_step),
    "numpy": functools.partial(_run_permutation_engine, _gas_step_numpy),
}
