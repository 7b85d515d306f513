"""The exact many-body evolution beside OILE: the same encounters, with and without correlations.

OILE (Kost, Johns & Duan, arXiv:2402.05022, arXiv:2508.14331; spec ``shared/spec/oile.md``
section 4) keeps one-body states only: after every encounter the two-body state is replaced by the
product of its marginals. Here the N two-flavor neutrinos of a :class:`~nupair.oile.TwoGroupGas`
(N <= 20) are evolved twice under one and the same schedule of encounters (the matching of every
step, every encounter's gamma, the vacuum rotations):

* **many-body**: the state vector |psi> of 2^N amplitudes (qubit k = neutrino k, |0> = nu_e),
  updated matrix-free (docs/oile-many-body.md, O5-O7):

      encounter (i, j):  |psi> -> cos(gamma_ij) |psi> - i sin(gamma_ij) S_ij |psi>,        (O5)

  S_ij |psi> being |psi> with the axes of qubits i and j exchanged (U = exp(-i gamma S), S^2 = 1,
  spec 3.1); one-body precession of qubit k over tau (H_k = h_k . sigma / 2, spec 3.3):

      |psi> -> [cos(|h| tau/2) - i sin(|h| tau/2) h_hat . sigma]_k |psi>,                 (O6)

  both O(2^N) per operation, no 2^N x 2^N matrix. Observables: each neutrino's reduced density
  matrix rho_k = Tr_{not k} |psi><psi|, its Bloch vector P_k and its entanglement entropy with
  the rest (the global state stays pure)

      S_k = -sum_{+-} p_+- log2 p_+-,   p_+- = (1 +- |P_k|)/2   [bits].                    (O7)

* **OILE**: the product state of N Bloch vectors with the closed-form encounter map (spec 3.2)
  for the same pairs and gammas and the same rotations.

Both conserve B . sum_k P_k (the swap commutes with total flavor, the rotations are about B).
For N = 2 one encounter from a product state gives both the same reduced states (OILE is exact
for the first meeting); a second meeting of the same pair is where they part.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np
from numpy.typing import NDArray

from nupair import flavor
from nupair import validation as _v
from nupair.oile.encounter import encounter_bloch
from nupair.oile.gas import TwoGroupGas, _half_rotations
from nupair.results import SolverError, Status, StatusMixin

__all__ = ["EncounterSchedule", "encounter_schedule", "ManyBodyRun", "evolve_many_body", "evolve_product_state",
           "ManyBodyComparison", "many_body_vs_oile",
           "MAX_MANY_BODY_NEUTRINOS", "pure_state", "one_body_bloch", "entanglement_entropy_bits"]

#: Largest N of the state-vector evolution (2^20 amplitudes, 16 MiB per copy).
MAX_MANY_BODY_NEUTRINOS = 20
#: Largest |1 - <psi|psi>| accepted before the run is declared non-unitary.
UNITARITY_TOLERANCE = 1e-10


@dataclass(frozen=True)
class EncounterSchedule:
    """Who meets whom, and how hard, at every step: shared by the many-body and the OILE runs.

    Attributes
    ----------
    pairs : ndarray (n_steps, N/2, 2) int   the perfect matching of every step
    gammas : ndarray (n_steps, N/2)         each encounter's impact parameter gamma_ij [rad]
    seed : int or None                      the seed that drew it
    """

    pairs: NDArray
    gammas: NDArray
    seed: int | None


def encounter_schedule(gas: TwoGroupGas, n_steps: int, seed: int | None = None) -> EncounterSchedule:
    """A uniformly random perfect matching per step and each encounter's gamma from the gas's
    directions law (``gas.directions``: gamma for fixed directions, gamma (1 - cos Theta) for
    isotropic ones), drawn exactly as the gas's "permutation" engine draws them with the same seed
    (a permutation of the current row order per step, then one uniform per pair): the OILE run
    under this schedule is that Monte Carlo, step for step."""
    n_steps = _v.positive_int("n_steps", n_steps, 1)
    if seed is not None:
        seed = _v.positive_int("seed", seed, 0)
    rng = np.random.default_rng(seed)
    half = gas.n // 2
    pairs = np.empty((n_steps, half, 2), dtype=np.int64)
    gammas = np.empty((n_steps, half))
    span = gas.directions.kernel_span(gas.gamma)
    order = np.arange(gas.n)  # which neutrino sits at each position, as the gas engine reorders its rows
    for s in range(n_steps):  # one permutation per step: the draws themselves are the schedule
        order = order[rng.permutation(gas.n)]
        pairs[s, :, 0], pairs[s, :, 1] = order[0::2], order[1::2]
        gammas[s] = span * rng.random(half) if span > 0 else gas.gamma
    return EncounterSchedule(pairs, gammas, seed)


@dataclass(frozen=True)
class ManyBodyRun(StatusMixin):
    """Record of one evolution (many-body or OILE product state) of a two-group gas.

    Attributes
    ----------
    t : ndarray (n_save,)             time [1/mu]
    bloch : ndarray (n_save, N, 3)    every neutrino's Bloch vector P_k
    group : ndarray (N,) int          0 = group A, 1 = group B
    entropy_bits : ndarray (n_save, N)  one-neutrino entanglement entropy S_k (O7) [bits]; for the
                                      product state the same function of |P_k| (its mixedness)
    norm_error : ndarray (n_save,)    |<psi|psi> - 1| (many-body; zeros for the product state)
    method : str                      "many-body" or "oile"
    status, message
    """

    t: NDArray
    bloch: NDArray
    group: NDArray
    entropy_bits: NDArray
    norm_error: NDArray
    method: str
    status: Status = Status.SUCCESSFUL
    message: str = ""

    def group_means(self) -> NDArray:
        """(n_save, 2, 3) group means of P."""
        return np.stack([self.bloch[:, self.group == g].mean(axis=1) for g in (0, 1)], axis=1)

    def mean_abs_p(self) -> NDArray:
        """(n_save, 2) group means of the one-body purity |P_k|."""
        lengths = np.linalg.norm(self.bloch, axis=2)
        return np.stack([lengths[:, self.group == g].mean(axis=1) for g in (0, 1)], axis=1)


def _check_gas(gas: TwoGroupGas) -> None:
    _v.instance_of("gas", gas, TwoGroupGas, "a nupair.oile.TwoGroupGas")
    _v.require(gas.n_components == 3, "gas", f"a {gas.n_components}-component gas", "two flavors (3-vectors)")
    _v.require(gas.n <= MAX_MANY_BODY_NEUTRINOS, "gas.n", str(gas.n),
               f"<= {MAX_MANY_BODY_NEUTRINOS} neutrinos for the state vector (2^N amplitudes)")


def _check_schedule(gas: TwoGroupGas, schedule: EncounterSchedule) -> None:
    _v.instance_of("schedule", schedule, EncounterSchedule, "an EncounterSchedule (encounter_schedule)")
    _v.require(schedule.pairs.shape[1:] == (gas.n // 2, 2), "schedule", f"pairs of shape {schedule.pairs.shape}",
               f"(n_steps, {gas.n // 2}, 2) for this gas")


def pure_state(p: NDArray) -> NDArray:
    """The qubit (2,) with Bloch vector p, |p| = 1: (cos(theta/2), e^{i phi} sin(theta/2))."""
    p = np.asarray(p, dtype=float)
    _v.require(abs(np.linalg.norm(p) - 1.0) < 1e-12, "p", f"|P| = {np.linalg.norm(p):.6g}",
               "|P| = 1 (the many-body evolution starts from a pure product state)")
    theta = math.acos(max(-1.0, min(1.0, p[2])))
    phi = math.atan2(p[1], p[0])
    return np.array([math.cos(theta / 2), complex(math.cos(phi), math.sin(phi)) * math.sin(theta / 2)])


def _product_state(vectors: NDArray) -> NDArray:
    psi = np.ones(1, dtype=complex)
    for v in vectors:  # N <= 20 Kronecker products build the start once
        psi = np.kron(psi, pure_state(v))
    return psi


def _precession_unitaries(gas: TwoGroupGas) -> NDArray:
    """(2, 2, 2) half-step unitaries of groups A and B (O6 with tau = dt/2): the SU(2) images of
    the rotations that the gas applies (``_half_rotations``)."""
    out = np.empty((2, 2, 2), dtype=complex)
    sigma = flavor.su_generators(2)  # the Pauli matrices
    for g in (0, 1):
        h = gas.one_body_field(g)
        size = float(np.linalg.norm(h))
        angle = 0.5 * size * gas.dt / 2
        axis = h / size if size > 0 else np.zeros(3)
        out[g] = math.cos(angle) * np.eye(2) - 1j * math.sin(angle) * np.einsum("a,aij->ij", axis, sigma)
    return out


@numba.njit(cache=True)
def _apply_one_qubit(psi, u, k, n):
    """u (2, 2) acting on qubit k of psi (2^n,), in place (qubit 0 is the most significant bit)."""
    mask = 1 << (n - 1 - k)
    u00, u01, u10, u11 = u[0, 0], u[0, 1], u[1, 0], u[1, 1]
    for hi in range(0, psi.size, 2 * mask):  # blocks [hi, hi + mask) with the bit clear
        for idx in range(hi, hi + mask):
            a = psi[idx]
            b = psi[idx + mask]
            psi[idx] = u00 * a + u01 * b
            psi[idx + mask] = u10 * a + u11 * b


@numba.njit(cache=True)
def _apply_encounter(psi, i, j, gamma, n):
    """(O5) in place: cos(gamma) psi - i sin(gamma) S_ij psi. Amplitudes whose bits i and j agree
    are eigenvectors of S_ij (eigenvalue 1): they take the phase e^{-i gamma}; the others mix in
    pairs (..0_i..1_j.., ..1_i..0_j..)."""
    mi = 1 << (n - 1 - i)
    mj = 1 << (n - 1 - j)
    c = math.cos(gamma)
    s = math.sin(gamma)
    phase = complex(c, -s)
    for idx in range(psi.size):
        bi = idx & mi != 0
        bj = idx & mj != 0
        if bi == bj:
            psi[idx] = phase * psi[idx]
        elif not bi:
            other = idx ^ mi ^ mj
            a = psi[idx]
            b = psi[other]
            psi[idx] = c * a - 1j * s * b
            psi[other] = c * b - 1j * s * a


@numba.njit(cache=True)
def _step(psi, half, group, pairs, gammas, n):
    """One step in place: half precession of every qubit, the step's encounters, half precession."""
    for k in range(n):
        _apply_one_qubit(psi, half[group[k]], k, n)
    for e in range(pairs.shape[0]):
        _apply_encounter(psi, pairs[e, 0], pairs[e, 1], gammas[e], n)
    for k in range(n):
        _apply_one_qubit(psi, half[group[k]], k, n)


@numba.njit(cache=True)
def _one_body_bloch(psi, n, out):
    for k in range(n):
        mask = 1 << (n - 1 - k)
        r01 = 0j
        p0 = 0.0
        p1 = 0.0
        for idx in range(psi.size):
            if idx & mask == 0:
                a = psi[idx]
                b = psi[idx | mask]
                r01 += a * b.conjugate()
                p0 += a.real * a.real + a.imag * a.imag
                p1 += b.real * b.real + b.imag * b.imag
        out[k, 0] = 2 * r01.real
        out[k, 1] = -2 * r01.imag
        out[k, 2] = p0 - p1


def one_body_bloch(psi: NDArray, n: int) -> NDArray:
    """(n, 3) Bloch vectors of the reduced one-neutrino states of the pure state psi (2^n,):
    P_x = 2 Re rho_01, P_y = -2 Im rho_01, P_z = rho_00 - rho_11 (rho_k = Tr_{not k} |psi><psi|)."""
    psi = np.ascontiguousarray(psi, dtype=complex)
    _v.require(psi.shape == (2**n,), "psi", f"shape {psi.shape}", f"(2^n,) = ({2**n},)")
    out = np.empty((n, 3))
    _one_body_bloch(psi, n, out)
    return out


def entanglement_entropy_bits(bloch: NDArray) -> NDArray:
    """(O7) von Neumann entropy [bits] of one-neutrino states with Bloch vectors (..., 3)."""
    r = np.clip(np.linalg.norm(np.asarray(bloch, dtype=float), axis=-1), 0.0, 1.0)
    p = np.stack([(1 + r) / 2, (1 - r) / 2])
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log2(np.where(p > 0, p, 1.0)), 0.0)
    return terms.sum(axis=0)


def _groups(gas: TwoGroupGas) -> NDArray:
    group = np.zeros(gas.n, dtype=np.int64)
    group[gas.n_a:] = 1
    return group


def _record_steps(n_steps: int, save_every: int) -> list[int]:
    return [s for s in range(n_steps + 1) if s % save_every == 0 or s == n_steps]


def evolve_many_body(gas: TwoGroupGas, schedule: EncounterSchedule, *, save_every: int = 1) -> ManyBodyRun:
    """The exact state-vector evolution of the gas under ``schedule`` (O5, O6; Strang splitting as
    the gas: half precession, the step's encounters, half precession). Starts from the pure
    product state of the groups' Bloch vectors (|P_A| = |P_B| = 1). Raises SolverError
    (NON_FINITE) if the norm drifts beyond 1e-10 (it stays ~1e-14: every operation is unitary).
    Cost: ~(N/2 + 2N) passes over 2^N amplitudes per step."""
    _check_gas(gas)
    _check_schedule(gas, schedule)
    save_every = _v.positive_int("save_every", save_every, 1)
    n, group = gas.n, _groups(gas)
    half = _precession_unitaries(gas)
    psi = _product_state(np.where(group[:, None] == 0, gas.p_a, gas.p_b))
    n_steps = schedule.pairs.shape[0]
    keep = set(_record_steps(n_steps, save_every))
    rows, norms, times = [], [], []

    def record(step):
        bloch = one_body_bloch(psi, n)
        rows.append(bloch)
        norms.append(abs(float(np.vdot(psi, psi).real) - 1.0))
        times.append(step * gas.dt)

    record(0)
    pairs = np.ascontiguousarray(schedule.pairs, dtype=np.int64)
    gammas = np.ascontiguousarray(schedule.gammas, dtype=float)
    for s in range(n_steps):  # steps are sequential; every operation inside is one O(2^N) pass
        _step(psi, half, group, pairs[s], gammas[s], n)
        if s + 1 in keep:
            record(s + 1)
            if norms[-1] > UNITARITY_TOLERANCE or not np.isfinite(norms[-1]):
                raise SolverError(f"the many-body state lost its norm (|<psi|psi> - 1| = {norms[-1]:.3g})",
                                  Status.NON_FINITE)
    bloch = np.array(rows)
    return ManyBodyRun(np.array(times), bloch, group, entanglement_entropy_bits(bloch), np.array(norms), "many-body")


def evolve_product_state(gas: TwoGroupGas, schedule: EncounterSchedule, *, save_every: int = 1) -> ManyBodyRun:
    """OILE's product-state update under the same ``schedule``: every step the same half
    rotations, then the closed-form encounter map (spec 3.2) for the step's pairs and gammas
    (vectorized over the pairs), then the other half rotation."""
    _check_gas(gas)
    _check_schedule(gas, schedule)
    save_every = _v.positive_int("save_every", save_every, 1)
    group = _groups(gas)
    rot = _half_rotations(gas)[group]  # (N, 3, 3)
    p = np.where(group[:, None] == 0, gas.p_a, gas.p_b).astype(float)
    n_steps = schedule.pairs.shape[0]
    keep = set(_record_steps(n_steps, save_every))
    rows, times = [p.copy()], [0.0]
    for s in range(n_steps):
        p = np.einsum("nij,nj->ni", rot, p)
        a, b = schedule.pairs[s, :, 0], schedule.pairs[s, :, 1]
        p[a], p[b] = encounter_bloch(p[a], p[b], schedule.gammas[s], check=False)
        p = np.einsum("nij,nj->ni", rot, p)
        if s + 1 in keep:
            rows.append(p.copy())
            times.append((s + 1) * gas.dt)
    bloch = np.array(rows)
    return ManyBodyRun(np.array(times), bloch, group, entanglement_entropy_bits(bloch), np.zeros(len(times)), "oile")


@dataclass(frozen=True)
class ManyBodyComparison(StatusMixin):
    """One schedule of encounters, evolved exactly and by OILE (:func:`many_body_vs_oile`).

    Attributes
    ----------
    many_body : ManyBodyRun     the state-vector evolution
    oile : ManyBodyRun          OILE's product-state update under the same schedule
    seed : int or None          the schedule's seed
    wall_s : float              wall time of both evolutions [s]
    status, message
    """

    many_body: ManyBodyRun
    oile: ManyBodyRun
    seed: int | None
    wall_s: float = 0.0
    status: Status = Status.SUCCESSFUL
    message: str = ""


def many_body_vs_oile(gas: TwoGroupGas, n_steps: int, *, seed: int | None = None,
                      save_every: int = 1) -> ManyBodyComparison:
    """The gas (N <= 20, two flavors, pure starting states) evolved for ``n_steps`` steps of
    t_int = gamma/mu twice under one schedule (:func:`encounter_schedule` with ``seed``): exactly
    (:func:`evolve_many_body`) and by OILE (:func:`evolve_product_state`). Records every
    ``save_every`` steps and at the end. Cost ~1.2e-8 (2.5 N + 0.5) 2^N s per step."""
    import time

    start = time.perf_counter()
    _check_gas(gas)
    schedule = encounter_schedule(gas, n_steps, seed)
    exact = evolve_many_body(gas, schedule, save_every=save_every)
    product = evolve_product_state(gas, schedule, save_every=save_every)
    return ManyBodyComparison(exact, product, seed, time.perf_counter() - start)
