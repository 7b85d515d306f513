"""Secular (co-rotating, averaged) pairing equations: the E >> mu limit at a cost set by mu.

Derivation in ``docs/secular.md`` (equations S1-S9 cited below). Every pairing correlation turns
at twice its energy, kappa_p = exp(-2 i E_p t) kappa~_p. In the co-rotating variables the
equations of motion of HW eqs. (6)-(7) (spec ``shared/spec/pairing.md`` sections 2-3) carry
phases exp(+-4 i E t) (counter-rotating products with conj kappa), exp(+-2 i E t) (the source
term and the kappa-kappa products in p.V) and exp(+-2 i (E_p - E_q) t) (couplings between
energies). Averaging every term whose frequency exceeds the cutoff, and keeping the slow ones
exactly with their explicit phase, gives (S5)-(S6):

    i dkappa~_p/dt = -4 (p_hat . N1) kappa~_p + 2 S_p conj(eps_p) . C_j(t),
    d rho_p/dt = d rhobar_p/dt = 4 Im( kappa~_p conj(conj(eps_p) . C_j(t)) ),

for a mode p of energy group j, with N1 = sum_q w_q q_hat (rho_q + rhobar_q),
J_k = sum_{q in group k} w_q eps_q kappa~_q and C_j = sum_{k near j} exp(2 i (E_j - E_k) t) J_k,
"near" meaning |2 (E_j - E_k)| <= cutoff. The error of the averaged terms is O(mu/E) (S9).

The evaluation is O(N) from moments (one pass for N1 and the J_k, one for the right-hand side),
as for the full equations; a Numba kernel does both passes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np
from numpy.typing import NDArray

from nupair import validation as _v
from nupair.pairing.grid import Grid
from nupair.pairing.linear import linear_fixed_point
from nupair.pairing.qke import PairingParams, _as_array

__all__ = ["kernel_args", "SecularGroups", "secular_groups", "secular_rhs", "secular_matrix", "secular_energy",
           "to_lab_frame", "to_rotating_frame", "secular_initial_state", "secular_blocks",
           "DEFAULT_SECULAR_CUTOFF"]

#: Default cutoff [units of mu]: couplings between energy groups turning slower than this are kept.
DEFAULT_SECULAR_CUTOFF = 1.0


@dataclass(frozen=True)
class SecularGroups:
    """Modes grouped by energy, and which groups are coupled (|2 (E_j - E_k)| <= cutoff).

    Attributes
    ----------
    group : ndarray (N,) int
        Group index of every mode (groups sorted by energy).
    energy_MeV : ndarray (G,)
        Energy of each group [MeV].
    lo, hi : ndarray (G,) int
        Group j is coupled to the groups lo[j] <= k < hi[j] (itself included).
    cutoff_MeV : float
        The cutoff frequency [MeV].
    """

    group: NDArray[np.int64]
    energy_MeV: NDArray[np.float64]
    lo: NDArray[np.int64]
    hi: NDArray[np.int64]
    cutoff_MeV: float

    @property
    def n_groups(self) -> int:
        return int(self.energy_MeV.size)


def secular_groups(grid: Grid, params: PairingParams, secular_cutoff: float = DEFAULT_SECULAR_CUTOFF) -> SecularGroups:
    """Energy groups of ``grid`` and their coupling windows for a cutoff in units of mu (S7).

    Modes whose energies agree to 1e-12 relative form one group (they are exactly degenerate:
    their couplings carry no phase). Groups j, k are coupled when |2 (E_j - E_k)| <= cutoff x mu
    (mu = ``params.mu_MeV(grid)``).
    """
    cut = _v.non_negative("secular_cutoff", secular_cutoff, "mu")
    energies = grid.energy_MeV
    scale = max(float(np.max(np.abs(energies))), 1e-300)
    keys = np.round(energies / scale, 12)
    uniq, group = np.unique(keys, return_inverse=True)
    g_energy = np.array([energies[group == g].mean() for g in range(uniq.size)])
    cutoff_MeV = cut * params.mu_MeV(grid)
    lo = np.searchsorted(g_energy, g_energy - 0.5 * cutoff_MeV, side="left")
    hi = np.searchsorted(g_energy, g_energy + 0.5 * cutoff_MeV, side="right")
    return SecularGroups(group.astype(np.int64), g_energy, lo.astype(np.int64), hi.astype(np.int64), cutoff_MeV)


def to_rotating_frame(state, grid: Grid, t_MeV: float) -> NDArray[np.float64]:
    """(rho, rhobar, Re kappa~, Im kappa~) with kappa~ = exp(+2 i E t) kappa (S1); shape (4, N)."""
    y = np.array(_as_array(state), dtype=float)
    k = (y[2] + 1j * y[3]) * np.exp(2j * grid.energy_MeV * float(t_MeV))
    y[2], y[3] = k.real, k.imag
    return y


def to_lab_frame(state, grid: Grid, t_MeV: float) -> NDArray[np.float64]:
    """Inverse of :func:`to_rotating_frame`: kappa = exp(-2 i E t) kappa~ (S1); shape (4, N)."""
    y = np.array(_as_array(state), dtype=float)
    k = (y[2] + 1j * y[3]) * np.exp(-2j * grid.energy_MeV * float(t_MeV))
    y[2], y[3] = k.real, k.imag
    return y


def _moments(y, grid: Grid, w, groups: SecularGroups):
    n1 = (w * (y[0] + y[1])) @ grid.p_hat
    kappa = y[2] + 1j * y[3]
    jg = np.zeros((groups.n_groups, 3), dtype=complex)
    np.add.at(jg, groups.group, (w * kappa)[:, None] * grid.eps)
    return n1, jg


def _coupled(jg, groups: SecularGroups, t: float) -> NDArray[np.complex128]:
    """C_j = sum_{k near j} exp(2 i (E_j - E_k) t) J_k (S4), shape (G, 3)."""
    if np.all(groups.hi - groups.lo == 1):  # only exact degeneracies: no phases
        return jg
    phase_out = np.exp(-2j * groups.energy_MeV * t)  # exp(-2 i E_k t)
    cum = np.concatenate([np.zeros((1, 3), complex), np.cumsum(jg * phase_out[:, None], axis=0)])
    window = cum[groups.hi] - cum[groups.lo]
    return window * np.exp(2j * groups.energy_MeV * t)[:, None]


def secular_rhs(t_MeV: float, state, grid: Grid, params: PairingParams,
                secular_cutoff: float = DEFAULT_SECULAR_CUTOFF, groups: SecularGroups | None = None) -> NDArray:
    """Time derivative (4, N) of (rho, rhobar, Re kappa~, Im kappa~) in the secular model (S5-S6).

    ``state`` holds the co-rotating kappa~ (:func:`to_rotating_frame`); ``t_MeV`` [MeV^-1] enters
    only through the phases of couplings between different (near) energies. O(N).
    """
    y = _as_array(state)
    groups = groups or secular_groups(grid, params, secular_cutoff)
    w = grid.weights(params.coupling_per_MeV2)
    n1, jg = _moments(y, grid, w, groups)
    c = _coupled(jg, groups, float(t_MeV))[groups.group]  # (N, 3)
    proj = np.einsum("na,na->n", np.conj(grid.eps), c)  # conj(eps_p) . C_j
    kappa = y[2] + 1j * y[3]
    s = y[0] + y[1] - 1.0
    om = -4.0 * (grid.p_hat @ n1)
    dkappa = -1j * (om * kappa + 2.0 * s * proj)  # (S5)
    drho = 4.0 * np.imag(kappa * np.conj(proj))  # (S6)
    return np.stack([drho, drho, dkappa.real, dkappa.imag])


@numba.njit(cache=True)
def secular_rhs_flat(t, y, args):
    """Numba kernel of :func:`secular_rhs` on the flattened state (length 4N), O(N) per call.

    ``args`` = (w (N,), p_hat (N, 3), eps_re (N, 3), eps_im (N, 3), group (N,), g_energy (G,),
    lo (G,), hi (G,)).
    """
    w, p_hat, eps_re, eps_im, group, g_energy, lo, hi = args
    n = w.size
    ng = g_energy.size
    n1 = np.zeros(3)
    jr = np.zeros((ng, 3))
    ji = np.zeros((ng, 3))
    for q in range(n):
        rt = y[q] + y[n + q]
        kr = y[2 * n + q]
        ki = y[3 * n + q]
        wq = w[q]
        g = group[q]
        for a in range(3):
            n1[a] += wq * p_hat[q, a] * rt
            jr[g, a] += wq * (eps_re[q, a] * kr - eps_im[q, a] * ki)
            ji[g, a] += wq * (eps_re[q, a] * ki + eps_im[q, a] * kr)
    cr = np.zeros((ng, 3))
    ci = np.zeros((ng, 3))
    for j in range(ng):
        for k in range(lo[j], hi[j]):
            if k == j:
                for a in range(3):
                    cr[j, a] += jr[k, a]
                    ci[j, a] += ji[k, a]
            else:
                ph = 2.0 * (g_energy[j] - g_energy[k]) * t
                c, s = np.cos(ph), np.sin(ph)
                for a in range(3):
                    cr[j, a] += c * jr[k, a] - s * ji[k, a]
                    ci[j, a] += s * jr[k, a] + c * ji[k, a]
    out = np.empty(4 * n)
    for p in range(n):
        g = group[p]
        # conj(eps_p) . C_g = (eps_re - i eps_im) . (cr + i ci)
        pr = 0.0
        pi = 0.0
        pv = 0.0
        for a in range(3):
            pr += eps_re[p, a] * cr[g, a] + eps_im[p, a] * ci[g, a]
            pi += eps_re[p, a] * ci[g, a] - eps_im[p, a] * cr[g, a]
            pv += p_hat[p, a] * n1[a]
        kr = y[2 * n + p]
        ki = y[3 * n + p]
        s = y[p] + y[n + p] - 1.0
        om = -4.0 * pv
        drho = 4.0 * (ki * pr - kr * pi)
        out[p] = drho
        out[n + p] = drho
        out[2 * n + p] = om * ki + 2.0 * s * pi
        out[3 * n + p] = -(om * kr + 2.0 * s * pr)
    return out


def kernel_args(grid: Grid, params: PairingParams, groups: SecularGroups) -> tuple:
    """The ``args`` tuple of :func:`secular_rhs_flat`."""
    return (grid.weights(params.coupling_per_MeV2), np.ascontiguousarray(grid.p_hat),
            np.ascontiguousarray(grid.eps.real), np.ascontiguousarray(grid.eps.imag),
            groups.group, groups.energy_MeV, groups.lo, groups.hi)


def secular_matrix(state, grid: Grid, params: PairingParams,
                   secular_cutoff: float = DEFAULT_SECULAR_CUTOFF, modes: NDArray | None = None,
                   frame_energy_MeV: float = 0.0, detuning_MeV: NDArray | None = None) -> NDArray[np.complex128]:
    """Complex matrix A (N, N) [MeV] of the linearized secular equations in the lab frame (S8):

        i dkappa_p/dt = sum_q A_pq kappa_q,
        A_pq = (2 E_p - 4 p_hat . N1) delta_pq + 2 S_p w_q conj(eps_p) . eps_q [q near p],

    occupations frozen at ``state``'s (N1 from every mode). The growth rates are Im of its
    eigenvalues; kappa turns at -Re. Block diagonal over groups not coupled by the cutoff;
    ``modes`` (indices) returns the block of those modes only. ``frame_energy_MeV`` E_f writes A
    in a frame turning at 2 E_f (diagonal 2 (E_p - E_f) - 4 p_hat . N1, formed without round-off
    from 2E): the eigenvalues shift by -2 E_f, the growth rates keep full precision at tiny mu/E.
    ``detuning_MeV`` (N,) is added to the diagonal: a perturbation with wave vector k has the pair
    detuning |p + k/2| + |p - k/2| - 2 E_p there (docs/k-modes.md K9).
    """
    y = _as_array(state)
    groups = secular_groups(grid, params, secular_cutoff)
    w = grid.weights(params.coupling_per_MeV2)
    n1 = (w * (y[0] + y[1])) @ grid.p_hat
    idx = np.arange(grid.n_modes) if modes is None else np.asarray(modes)
    return _block(y, grid, w, n1, groups, idx, _v.finite("frame_energy_MeV", frame_energy_MeV, "MeV"), detuning_MeV)


def _block(y, grid: Grid, w, n1, groups: SecularGroups, idx, frame_energy_MeV: float,
           detuning_MeV: NDArray | None = None) -> NDArray[np.complex128]:
    s = y[0, idx] + y[1, idx] - 1.0
    grp = groups.group[idx]
    gp, gq = grp[:, None], grp[None, :]
    near = (gq >= groups.lo[gp]) & (gq < groups.hi[gp])
    eps = grid.eps[idx]
    a = 2.0 * s[:, None] * w[idx][None, :] * (np.conj(eps) @ eps.T) * near
    a[np.diag_indices_from(a)] += 2.0 * (grid.energy_MeV[idx] - frame_energy_MeV) - 4.0 * (grid.p_hat[idx] @ n1)
    if detuning_MeV is not None:
        a[np.diag_indices_from(a)] += detuning_MeV[idx]
    return a


def secular_blocks(state, grid: Grid, params: PairingParams, secular_cutoff: float = DEFAULT_SECULAR_CUTOFF,
                   detuning_MeV: NDArray | None = None):
    """Yield (mode indices, frame energy E_f [MeV], block of A in the frame turning at 2 E_f) for
    every set of energy groups the cutoff couples (S8); O(N) set-up, then one block at a time.
    ``detuning_MeV`` as in :func:`secular_matrix`. The arguments are checked at the call, before
    the first block is asked for."""
    y = _as_array(state)
    groups = secular_groups(grid, params, secular_cutoff)
    return _iter_blocks(y, grid, params, groups, detuning_MeV)


def _iter_blocks(y, grid: Grid, params: PairingParams, groups: SecularGroups, detuning_MeV):
    """The blocks of :func:`secular_blocks` (a generator over checked arguments)."""
    w = grid.weights(params.coupling_per_MeV2)
    n1 = (w * (y[0] + y[1])) @ grid.p_hat
    block_of_group = np.zeros(groups.n_groups, dtype=int)
    reach, b = -1, -1
    for j in range(groups.n_groups):
        if j >= reach:
            b += 1
        block_of_group[j] = b
        reach = max(reach, int(groups.hi[j]))
    block = block_of_group[groups.group]
    order = np.argsort(block, kind="stable")
    bounds = np.searchsorted(block[order], np.arange(b + 2))
    for bi in range(b + 1):
        idx = order[bounds[bi]:bounds[bi + 1]]
        e_frame = float(np.min(grid.energy_MeV[idx]))
        yield idx, e_frame, _block(y, grid, w, n1, groups, idx, e_frame, detuning_MeV)


def secular_energy(state, grid: Grid, params: PairingParams, t_MeV: float = 0.0,
                   secular_cutoff: float = DEFAULT_SECULAR_CUTOFF, groups: SecularGroups | None = None) -> float:
    """Conserved energy of the secular model [MeV^2 x weight units] (S7):

        W_sec = sum_p 2 w_p E_p S_p - 2 |N1|^2 - 4 Re sum_{j, k near} J_j . conj(J_k)  (lab frame),

    the time average of the full model's W = sum 2 w E S - 2 |V|^2 (spec 3.2, invariant 3).
    ``state`` holds co-rotating kappa~ at time ``t_MeV``.
    """
    t_MeV = _v.finite("t_MeV", t_MeV, "MeV^-1")
    y = to_lab_frame(state, grid, t_MeV) if t_MeV else _as_array(state)
    groups = groups or secular_groups(grid, params, secular_cutoff)
    w = grid.weights(params.coupling_per_MeV2)
    n1, jg = _moments(y, grid, w, groups)
    cum = np.concatenate([np.zeros((1, 3), complex), np.cumsum(jg, axis=0)])
    window = cum[groups.hi] - cum[groups.lo]
    kinetic = float(np.sum(2.0 * w * grid.energy_MeV * (y[0] + y[1] - 1.0)))
    return kinetic - 2.0 * float(n1 @ n1) - 4.0 * float(np.real(np.sum(np.conj(jg) * window)))


def secular_initial_state(state, grid: Grid, params: PairingParams) -> NDArray[np.float64]:
    """The secular model's initial state for a full-model state (S10): kappa~(0) = kappa(0) - kappa_fp.

    The full equations' source term drives kappa to the linear fixed point kappa_fp (a constant
    in the lab frame, turning at 2E in the co-rotating one, amplitude ~ mu S/E): it is the fast
    part that the averaging removes. Subtracting it is the first-order near-identity transform, so
    that secular and full trajectories from the same physical start agree to O(mu/E) — including
    HW's kappa = 0 starts, which only the source term seeds. Returns an array (4, N).
    """
    y = np.array(_as_array(state), dtype=float)
    k = (y[2] + 1j * y[3]) - linear_fixed_point(y, grid, params)
    y[2], y[3] = k.real, k.imag
    return y
