"""OILE model 2: a gas of N neutrinos in two groups, random pairwise encounters every step.

Kost, Johns & Duan, arXiv:2402.05022, arXiv:2508.14331 ([K2]); Johns, arXiv:2401.15247;
spec ``shared/spec/oile.md`` section 6. Per step of duration dt = t_int = gamma/mu every neutrino
takes part in exactly one encounter with a random partner (a uniformly random perfect matching,
drawn inside the compiled kernel by a bucket shuffle with a counter-based generator: see
``nupair.oile._gas_kernel``); the one-body precession dP_i/dt = h_i x P_i (two flavors) or
dP_c/dt = f_abc h_a P_b (three flavors, Gell-Mann components) is applied with Strang splitting
(half rotation, encounters, half rotation; spec 3.3).

Also here: the large-N mean map and its continuum limit (spec 6.3), the mean-field two-group
equation (gamma -> 0), and the miscidynamic path along equilibria (spec 6.4).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.integrate import solve_ivp
from scipy.optimize import fsolve

from scipy.linalg import expm

from nupair.oile import _gas_kernel
from nupair.oile.encounter import (
    _F2,
    _F3,
    _check_gamma,
    check_bloch_vectors,
    encounter_adjacent_inplace,
    encounter_coefficients,
    flavor_product,
)
from nupair import validation as _v
from nupair.results import SolverError, Status, StatusMixin

__all__ = [
    "TwoGroupGas",
    "GasTrajectory",
    "vacuum_axis",
    "run_two_group",
    "mean_map",
    "mean_field",
    "miscidynamic_path",
    "MiscidynamicEvent",
    "MiscidynamicPath",
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

    def __post_init__(self):
        if isinstance(self.n, bool) or not isinstance(self.n, (int, np.integer)) or self.n < 2 or self.n % 2:
            raise ValueError(f"n={self.n!r} is not allowed: a perfect matching needs an even number >= 2")
        if not 0.0 < self.fraction_a < 1.0:
            raise ValueError(f"fraction_a={self.fraction_a!r} is not allowed: must lie in (0, 1)")
        n_a = int(round(self.fraction_a * self.n))
        if not 1 <= n_a <= self.n - 1:  # an empty group has no mean: refuse rather than fill the record with NaN
            raise ValueError(f"fraction_a={self.fraction_a!r} is not allowed with n={self.n}: round(fraction_a n) = "
                             f"{n_a} leaves a group empty; need 1 <= round(fraction_a n) <= n - 1")
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
            raise ValueError(f"b_axis={self.b_axis!r} is not allowed: must be a unit vector with {d} components")
        object.__setattr__(self, "b_axis", b)
        _check_gamma(self.gamma)
        for name in ("omega_a", "omega_b", "mu", "matter"):
            if not math.isfinite(getattr(self, name)):
                raise ValueError(f"{name}={getattr(self, name)!r} is not allowed: must be finite")
        if not self.mu > 0:
            raise ValueError(f"mu={self.mu!r} is not allowed: must be > 0")

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


def _gas_step_numpy(p, group, rot, c2, s2, cs):
    """NumPy fallback of the compiled step (same arithmetic): rotation, adjacent encounters, rotation."""
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

    if engine not in ENGINES:
        raise ValueError(f"engine={engine!r} is not allowed; allowed: {', '.join(map(repr, ENGINES))}")
    if engine != "numba" and gas.n_components != 3:
        raise ValueError(f"engine={engine!r} handles two flavors only; use engine='numba' for three")
    if isinstance(n_steps, bool) or not isinstance(n_steps, (int, np.integer)) or n_steps < 1:
        raise ValueError(f"n_steps={n_steps!r} is not allowed: must be an integer >= 1")
    if isinstance(save_every, bool) or not isinstance(save_every, (int, np.integer)) or save_every < 1:
        raise ValueError(f"save_every={save_every!r} is not allowed: must be an integer >= 1")
    start = time.perf_counter()
    p, group = _initial_arrays(gas, state)
    d = gas.n_components
    rot = _half_rotations(gas)
    c2, s2, cs = (float(x) for x in encounter_coefficients(gas.gamma))
    b_total0 = float(np.sum(p @ gas.b_axis)) if b_reference is None else float(b_reference)
    rows = []

    if engine == "numba":
        starts = None
        if rng_state is not None:
            if rng_state.get("generator") != "splitmix64-bucket":
                raise ValueError("rng_state comes from another engine: resume with the engine that wrote it")
            key = int(rng_state["key"])
            starts = rng_state.get("starts")  # the rows are in the bucket layout of the next step
        else:
            key = _seed_key(seed)
        kernel = _gas_kernel.GasKernel(p, group, key, rot, (c2, s2, cs),
                                       _gas_kernel.structure_lists(_F3 if d == 8 else _F2),
                                       starts=starts, first_step=step0 + 1)
        del p, group

        def save(step, stats=None):
            count, mean, m2, length = kernel.statistics() if stats is None else stats
            spread = np.sqrt(np.maximum(m2, 0.0) / np.maximum(count - 1, 1)[:, None])
            total = float((count[:, None] * mean).sum(axis=0) @ gas.b_axis)
            rows.append((step * gas.dt, mean, spread / np.sqrt(count)[:, None], spread, length / count,
                         abs(total - b_total0) / gas.n))

        if state is None and step0 % save_every == 0:
            save(step0)
        if rng_state is not None and rng_state.get("shift") is not None:  # exactly as the run that stopped
            kernel.shift_c = np.array(rng_state["shift"], dtype=float).reshape(2, d)
        elif state is not None:  # the shift of the record sums: the state's own group means
            kernel.statistics()
        for step in range(step0 + 1, step0 + n_steps + 1):  # steps are sequential; each is one kernel call
            stats = kernel.step(step, record=step % save_every == 0)
            if stats is not None:
                save(step, stats)
        kernel.compact()  # the single-block layout that ``starts`` describes (exact resumes)
        final = np.column_stack([kernel.p, kernel.group.astype(float)]) if return_state else np.empty((0, d + 1))
        new_rng_state = {"generator": "splitmix64-bucket", "key": key,
                         "starts": [int(x) for x in kernel.starts],
                         "shift": kernel.shift_c.ravel().tolist()}
    else:
        step_fn = _gas_step if engine == "permutation" else _gas_step_numpy
        rng = np.random.default_rng(seed)
        if rng_state is not None:
            rng.bit_generator.state = rng_state
        group = group.astype(np.int64)

        def save(step):
            rows.append((step * gas.dt, *_record(p, group), abs(float(np.sum(p @ gas.b_axis)) - b_total0) / gas.n))

        if state is None and step0 % save_every == 0:
            save(step0)
        for step in range(step0 + 1, step0 + n_steps + 1):
            perm = rng.permutation(gas.n)  # uniformly random perfect matching: adjacent rows pair up
            p, group = p[perm], group[perm]
            step_fn(p, group, rot, c2, s2, cs)
            if step % save_every == 0:
                save(step)
        final = np.column_stack([p, group.astype(float)]) if return_state else np.empty((0, d + 1))
        new_rng_state = rng.bit_generator.state
    wall = time.perf_counter() - start
    if not rows:
        return GasTrajectory(np.empty(0), np.empty((0, 2, d)), np.empty((0, 2, d)), np.empty((0, 2, d)),
                             np.empty((0, 2)), np.empty(0), final, new_rng_state, wall)
    t, mean, stderr, spread, length, drift = (np.array(x) for x in zip(*rows))
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(drift))):
        raise SolverError("the gas record became non-finite", Status.NON_FINITE)
    return GasTrajectory(t, mean, stderr, spread, length, drift, final, new_rng_state, wall)


def mean_map(gas: TwoGroupGas, n_steps: int, save_every: int = 1) -> tuple[NDArray, NDArray]:
    """Large-N group means by the closed mean map (spec 6.3) with the same Strang splitting.

    P_A <- c^2 P_A + s^2 Pbar + c s f(Pbar, P_A), Pbar = f_A P_A + f_B P_B (encounter part;
    f = ``flavor_product``: the cross product for two flavors, SU(3) for three).
    Returns (t (n_save,), means (n_save, 2, d)).
    """
    c2, s2, cs = (float(x) for x in encounter_coefficients(gas.gamma))
    ra, rb = _half_rotations(gas)
    fa = gas.n_a / gas.n
    pa, pb = gas.p_a.copy(), gas.p_b.copy()
    out, ts = [np.stack([pa, pb])], [0.0]
    for step in range(1, n_steps + 1):  # two 3-vectors per step: the loop is the algorithm
        pa, pb = ra @ pa, rb @ pb
        pbar = fa * pa + (1 - fa) * pb
        pa, pb = (c2 * pa + s2 * pbar + cs * flavor_product(pbar, pa), c2 * pb + s2 * pbar + cs * flavor_product(pbar, pb))
        pa, pb = ra @ pa, rb @ pb
        if step % save_every == 0:
            out.append(np.stack([pa, pb]))
            ts.append(step * gas.dt)
    return np.array(ts), np.array(out)


def mean_field(gas: TwoGroupGas, t: ArrayLike, *, collisions: bool = False, kappa: float = 1.0,
               rtol: float = 1e-10, atol: float = 1e-12) -> NDArray:
    """Two-group mean-field equation (gamma -> 0) or, with ``collisions``, its OILE continuum form.

    dP_A/dt = (h_A + mu Pbar) x P_A [+ mu gamma (Pbar - P_A) - kappa (mu gamma/2) Pbar x (Pbar x P_A)]
    (spec 6.3; kappa = 1 for synchronous encounters as in the Monte Carlo), with x the
    ``flavor_product`` (three flavors: SU(3) structure constants). Returns (len(t), 2, d).
    """
    t = np.asarray(t, dtype=float)
    fa = gas.n_a / gas.n
    mu, g = gas.mu, gas.gamma
    d = gas.n_components
    h_a, h_b = gas.one_body_field(0), gas.one_body_field(1)

    def rhs(_, y):
        pa, pb = y[:d], y[d:]
        pbar = fa * pa + (1 - fa) * pb
        da = flavor_product(h_a + mu * pbar, pa)
        db = flavor_product(h_b + mu * pbar, pb)
        if collisions:
            da += mu * g * (pbar - pa) - kappa * 0.5 * mu * g * flavor_product(pbar, flavor_product(pbar, pa))
            db += mu * g * (pbar - pb) - kappa * 0.5 * mu * g * flavor_product(pbar, flavor_product(pbar, pb))
        return np.concatenate([da, db])

    sol = solve_ivp(rhs, (t[0], t[-1]), np.concatenate([gas.p_a, gas.p_b]), t_eval=t,
                    method="DOP853", rtol=rtol, atol=atol)
    if sol.status != 0:
        raise SolverError(f"mean-field integration failed: {sol.message}", Status.SOLVER_FAILED)
    return sol.y.T.reshape(-1, 2, d)


@dataclass(frozen=True)
class MiscidynamicEvent:
    """Something that happened to the equilibrium branch of a miscidynamic path.

    kind: "fold" (the branch turns back in the lengths: the gas cannot follow it), "branch switch"
    (the path continues on another equilibrium at the same lengths), "joins static state" (the
    transverse Pbar shrank to zero: both groups along +-B), "leaves static state", or "lost"
    (no equilibrium to continue on). t in [1/mu]; lengths (|P_A|, |P_B|) at the event.
    """

    t: float
    kind: str
    lengths: tuple[float, float]
    detail: str = ""


@dataclass(frozen=True)
class MiscidynamicPath:
    """Path along mean-field equilibria (spec 6.4), frame-independent quantities.

    Attributes
    ----------
    t : ndarray (n,)               time [1/mu]
    length : ndarray (n, 2)        |P_A|, |P_B|
    b_component : ndarray (n, 2)   B . P_A, B . P_B
    transverse : ndarray (n, 2)    |P_A - (B . P_A) B|, same for B
    omega : ndarray (n,)           collective precession frequency Omega [mu] (nan when static)
    branch : tuple                 ("transverse" or "aligned", (eps_A, eps_B)) at the end
    status : Status                SUCCESSFUL, or NO_SOLUTION when the continuation was lost
    message : str                  "reached t_end", or where the continuation was lost
    events : tuple of MiscidynamicEvent   folds and branch switches, in time order
    """

    t: NDArray
    length: NDArray
    b_component: NDArray
    transverse: NDArray
    omega: NDArray
    branch: tuple
    status: Status = Status.SUCCESSFUL
    message: str = "reached t_end"
    events: tuple = ()

    @property
    def ok(self) -> bool:
        """True when the path reached t_end."""
        return self.status is Status.SUCCESSFUL

    @property
    def code(self) -> Status:
        """Deprecated alias of ``status`` (which was once the message string)."""
        return self.status


class _Equilibria:
    """Co-rotating equilibria of spec 6.4 in the frame B = (0, 1), transverse direction (1, 0).

    x = (Omega, p_perp); lengths l = (l_A, l_B); branch signs eps. The one-body fields are
    omega_g B plus the matter term projected on B (its transverse part averages out over the
    fast precession about B: exact when the matter axis is B, a rotating-wave approximation
    otherwise); a field common to both groups only shifts Omega.
    """

    def __init__(self, gas: TwoGroupGas):
        self.fa = gas.n_a / gas.n
        self.mu = gas.mu
        shift = gas.matter * float(matter_axis(3) @ gas.b_axis)
        self.omega = (gas.omega_a + shift, gas.omega_b + shift)
        self.big_l = self.fa * float(gas.p_a @ gas.b_axis) + (1 - self.fa) * float(gas.p_b @ gas.b_axis)

    def units(self, x, eps):
        """Directions eps_g H_g / |H_g| of the two group vectors (2-vectors (perp, along B))."""
        om, pp = x
        out = []
        for g in range(2):
            h = np.array([self.mu * pp, self.omega[g] - om + self.mu * self.big_l])
            size = np.linalg.norm(h)
            # a vanishing effective field has no direction: not an equilibrium (fsolve may probe it)
            out.append(eps[g] * h / size if size > 0 else np.full(2, np.nan))
        return out

    def vectors(self, x, lengths, eps):
        ua, ub = self.units(x, eps)
        return ua * lengths[0], ub * lengths[1]

    def residual(self, x, lengths, eps):
        pa, pb = self.vectors(x, lengths, eps)
        total = self.fa * pa + (1 - self.fa) * pb
        return np.array([total[1] - self.big_l, total[0] - x[1]])

    def solve(self, guess, lengths, eps):
        sol, _, ier, _ = fsolve(self.residual, guess, args=(lengths, eps), full_output=True, xtol=1e-13)
        ok = ier == 1 and sol[1] > 1e-9 and np.max(np.abs(self.residual(sol, lengths, eps))) < 1e-10
        return sol, ok

    def aligned(self, lengths, signs, tol):
        if abs(self.fa * signs[0] * lengths[0] + (1 - self.fa) * signs[1] * lengths[1] - self.big_l) > tol:
            return None
        return np.array([0.0, signs[0] * lengths[0]]), np.array([0.0, signs[1] * lengths[1]])

    def all_states(self, lengths, tol):
        """Every equilibrium found at these lengths: (branch, x, P_A, P_B)."""
        found = []
        lo = min(self.omega) - 2 * self.mu - abs(self.mu * self.big_l)
        hi = max(self.omega) + 2 * self.mu + abs(self.mu * self.big_l)
        for signs in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
            st = self.aligned(lengths, signs, tol)
            if st is not None:
                found.append((("aligned", signs), np.array([np.nan, 0.0]), *st))
            for om0 in np.linspace(lo, hi, 13):
                for pp0 in (0.02, 0.1, 0.3, 0.7):
                    sol, ok = self.solve([om0, pp0], lengths, signs)
                    if ok and not any(f[0] == ("transverse", signs) and np.allclose(f[1], sol, atol=1e-7) for f in found):
                        found.append((("transverse", signs), sol, *self.vectors(sol, lengths, signs)))
        return found

    def rates(self, ua, ub, lengths, kappa, gamma):
        """d l_g/dt = mu gamma (u_g . Pbar - l_g + kappa l_g |Pbar x u_g|^2 / 2) (spec 6.4), u_g = P_g/l_g.

        Written with the unit vectors u_g so that a group at zero length still has its rate.
        """
        pbar = self.fa * ua * lengths[0] + (1 - self.fa) * ub * lengths[1]
        out = []
        for u, lg in ((ua, lengths[0]), (ub, lengths[1])):
            cross = pbar[0] * u[1] - pbar[1] * u[0]
            out.append(self.mu * gamma * (u @ pbar - lg + kappa * lg * cross**2 / 2))
        return np.array(out)


def _arclength_step(eq: _Equilibria, x0, l0, direction, eps, tangent, h):
    """One pseudo-arclength step along F(x, l0 + sigma direction) = 0 in z = (Omega, p_perp, sigma).

    Returns (z, new tangent) or None when Newton's corrector does not converge.
    """
    def f(z):
        return eq.residual(z[:2], l0 + z[2] * direction, eps)

    z0 = np.array([x0[0], x0[1], 0.0])
    z = z0 + h * tangent
    for _ in range(30):
        r = np.concatenate([f(z), [tangent @ (z - z0) - h]])
        if np.max(np.abs(r)) < 1e-12:
            break
        jac = np.vstack([_jacobian(f, z), tangent])
        try:
            z = z - np.linalg.solve(jac, r)
        except np.linalg.LinAlgError:
            return None
    else:
        return None
    return z, _tangent(f, z, tangent)


def _jacobian(f, z):
    """Central-difference Jacobian (2, 3) of the residual f at z = (Omega, p_perp, sigma)."""
    jac = np.empty((2, 3))
    for k in range(3):
        dz = np.zeros(3)
        dz[k] = 1e-7 * max(1.0, abs(z[k]))
        jac[:, k] = (f(z + dz) - f(z - dz)) / (2 * dz[k])
    return jac


def _tangent(f, z, previous):
    """Unit null vector of the 2 x 3 Jacobian of f at z, oriented like ``previous``."""
    t = np.linalg.svd(_jacobian(f, z))[2][-1]
    return t if t @ previous >= 0 else -t


def miscidynamic_path(gas: TwoGroupGas, t_end: float, *, n_kicks: int = 400, kappa: float = 1.0,
                      reference: tuple[NDArray, NDArray] | None = None) -> MiscidynamicPath:
    """Miscidynamic prediction (spec 6.4): the lengths drift with the collision term evaluated on
    the current equilibrium, and the equilibrium is followed by pseudo-arclength continuation.

    Equilibria are the co-rotating states of spec 6.4 (each group along its effective field
    H = (omega - Omega) B + mu Pbar, common Omega, B . Pbar = L fixed), with a transverse Pbar or
    static with both groups along +-B. The initial one is the equilibrium whose B-components best
    match the time average of ``reference`` = (t, group means), e.g. the mean-field solution over
    the first few 1/mu (the state the gas settles around). Length drift (derived in spec 6.4 from
    the mean map): d l_A/dt = mu gamma (P_hat_A . Pbar - l_A + kappa |Pbar x P_A|^2 / (2 l_A)),
    integrated with Heun's rule over ``n_kicks`` steps.

    Each step solves F(Omega, p_perp; l + sigma dl) = 0 with the arclength constraint (Keller's
    pseudo-arclength method), so a fold of the branch (the lengths would have to run backwards to
    stay on it) is detected rather than missed: it is reported as an event and the path switches to
    the equilibrium at the fold's lengths closest to the state there (another branch). A transverse
    branch whose p_perp reaches zero joins the static state. ``events`` lists all of it. Two flavors;
    a matter term enters through its projection on B (see ``_Equilibria``).
    """
    if gas.n_components != 3:
        raise ValueError("miscidynamic_path handles two-flavor gases (3-component Bloch vectors) only")
    _v.positive("t_end", t_end, "1/mu")
    n_kicks = _v.positive_int("n_kicks", n_kicks, minimum=1)
    eq = _Equilibria(gas)
    b = gas.b_axis
    lengths = np.array([float(np.linalg.norm(gas.p_a)), float(np.linalg.norm(gas.p_b))])
    target = np.mean(reference[1] @ b, axis=0) if reference is not None else np.array([gas.p_a @ b, gas.p_b @ b])
    tol = 1e-9 * max(1.0, abs(eq.big_l))
    candidates = eq.all_states(lengths, tol)
    if not candidates:
        raise SolverError("no mean-field equilibrium found for the initial lengths", Status.NO_SOLUTION)
    mode, x, pa, pb = min(candidates, key=lambda c: float(np.sum((np.array([c[2][1], c[3][1]]) - target) ** 2)))
    dt = t_end / n_kicks
    t = 0.0
    rows = [(t, *lengths, pa[1], pb[1], abs(pa[0]), abs(pb[0]), x[0])]
    events: list[MiscidynamicEvent] = []
    status = "reached t_end"
    tangent = None

    def switch(at_t, why):
        nonlocal mode, x, pa, pb, tangent
        here = np.concatenate([pa, pb])
        others = [c for c in eq.all_states(lengths, 1e-6)
                  if not (c[0] == mode and (mode[0] == "aligned" or np.allclose(c[1], x, atol=1e-5)))]
        if not others:
            return False
        new = min(others, key=lambda c: float(np.sum((np.concatenate([c[2], c[3]]) - here) ** 2)))
        events.append(MiscidynamicEvent(at_t, "branch switch", tuple(lengths),
                                        f"{why}: from {mode[0]} {mode[1]} to {new[0][0]} {new[0][1]}"))
        mode, x, pa, pb = new
        tangent = None
        return True

    def units_of(mode_, x_):
        if mode_[0] == "aligned":
            return np.array([0.0, float(mode_[1][0])]), np.array([0.0, float(mode_[1][1])])
        return eq.units(x_, mode_[1])

    def lose(at_t, why):
        nonlocal status
        status = f"equilibrium lost at t = {at_t:.4g} ({why}); path ends there"
        events.append(MiscidynamicEvent(at_t, "lost", tuple(lengths), why))

    while t < t_end * (1 - 1e-12):
        step = min(dt, t_end - t)
        ua, ub = units_of(mode, x)
        rate = eq.rates(ua, ub, lengths, kappa, gas.gamma)
        # a group length that would cross zero: stop there (the vector passes through the origin)
        shrink = rate < 0
        limit = np.min(np.where(shrink, lengths / np.maximum(-rate, 1e-300), np.inf))
        step = min(step, limit) if limit > 1e-14 * t_end else step
        direction = rate * step
        if mode[0] == "aligned":
            if eq.aligned(lengths + direction, mode[1], 1e-6) is None:
                events.append(MiscidynamicEvent(t, "leaves static state", tuple(lengths)))
                if not switch(t, "static state no longer has B . Pbar = L"):
                    lose(t, "no continuation found")
                    break
                continue
            rate2 = eq.rates(ua, ub, np.maximum(lengths + direction, 0.0), kappa, gas.gamma)  # Heun
            lengths = np.maximum(lengths + 0.5 * (rate + rate2) * step, 0.0)
            t += step
        else:
            def f(z, l0=lengths.copy(), d=direction.copy(), eps=mode[1]):
                return eq.residual(z[:2], l0 + z[2] * d, eps)

            tangent = _tangent(f, np.array([x[0], x[1], 0.0]),
                               np.array([0.0, 0.0, 1.0]) if tangent is None else tangent)
            if tangent[2] <= 0:
                events.append(MiscidynamicEvent(t, "fold", tuple(lengths),
                                                f"{mode[0]} branch {mode[1]} turns back (Omega = {x[0]:.6g} mu)"))
                if not switch(t, "fold"):
                    lose(t, "fold with no other branch")
                    break
                continue
            h = min(1.0 / tangent[2],  # arclength that advances sigma by one step ...
                    0.05 * gas.mu / max(float(np.linalg.norm(tangent[:2])), 1e-300))  # ... or Omega, p_perp by 0.05
            result = None
            for _ in range(12):
                result = _arclength_step(eq, x, lengths, direction, mode[1], tangent, h)
                if result is not None and 0.0 < result[0][2] <= 1.0 + 1e-9:
                    break
                h *= 0.5
                result = None
            if result is None:
                events.append(MiscidynamicEvent(t, "fold", tuple(lengths), "continuation stalls (corrector fails)"))
                if not switch(t, "fold"):
                    lose(t, "no continuation found")
                    break
                continue
            z, tangent = result
            sigma = float(z[2])
            new_lengths = np.maximum(lengths + sigma * direction, 0.0)
            rate2 = eq.rates(*eq.units(z[:2], mode[1]), new_lengths, kappa, gas.gamma)  # Heun
            lengths = np.maximum(lengths + 0.5 * (rate + rate2) * sigma * step, 0.0)
            t += sigma * step
            if z[1] <= 1e-7:
                events.append(MiscidynamicEvent(t, "joins static state", tuple(lengths),
                                                f"p_perp -> 0 on the transverse branch {mode[1]}"))
                qa, qb = eq.units(z[:2], mode[1])
                signs = (int(np.sign(qa[1]) or 1), int(np.sign(qb[1]) or 1))
                mode, x, tangent = ("aligned", signs), np.array([np.nan, 0.0]), None
                if eq.aligned(lengths, signs, 1e-5) is None and not switch(t, "static state inconsistent"):
                    lose(t, "static state inconsistent")
                    break
            else:
                x_new, ok = eq.solve(z[:2], lengths, mode[1])  # polish at the Heun lengths
                x = x_new if ok else z[:2]
        # a group at zero length re-emerges on the other side: its branch sign flips
        for g in range(2):
            if lengths[g] <= 1e-12 * max(1.0, float(np.max(lengths))) and eq.rates(
                    *units_of(mode, x), lengths, kappa, gas.gamma)[g] < 0:
                lengths[g] = 0.0
                signs = list(mode[1])
                signs[g] = -signs[g]
                events.append(MiscidynamicEvent(t, "branch switch", tuple(lengths),
                                                f"group {'AB'[g]} passes through zero length: eps flips to {signs[g]:+d}"))
                mode, tangent = (mode[0], tuple(signs)), None
        pa, pb = (u * l for u, l in zip(units_of(mode, x), lengths))
        rows.append((t, *lengths, pa[1], pb[1], abs(pa[0]), abs(pb[0]), x[0]))
    arr = np.array(rows)
    if not np.all(np.isfinite(arr[:, :7])):  # never hand back a path with NaNs in it
        raise SolverError("the miscidynamic path produced non-finite values", Status.NON_FINITE)
    return MiscidynamicPath(t=arr[:, 0], length=arr[:, 1:3], b_component=arr[:, 3:5], transverse=arr[:, 5:7],
                            omega=arr[:, 7], branch=mode,
                            status=Status.SUCCESSFUL if status == "reached t_end" else Status.NO_SOLUTION,
                            message=status, events=tuple(events))
