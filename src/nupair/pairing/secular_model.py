"""The secular pairing model: co-rotating, averaged equations for mu << E (step set by mu).

Equations (S5)-(S6) of ``docs/secular.md`` (:mod:`nupair.pairing.secular`): kappa is carried
in the frame turning at 2E (kappa = exp(-2 i E t) kappa~, S1), terms turning faster than
``cutoff`` x mu are averaged away, slower ones kept with their phase; error O(mu/E) (S9). Its
conserved energy is W_sec (S7), its linearization the block-diagonal matrix A of (S8).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nupair import validation as _v
from nupair.pairing.grid import Grid
from nupair.pairing.kmodes import is_homogeneous, pair_detuning_MeV
from nupair.pairing.linear import StabilityResult
from nupair.pairing.model import PairingModel, PairingSystem
from nupair.pairing.qke import PairingParams
from nupair.pairing.secular import (
    DEFAULT_SECULAR_CUTOFF,
    kernel_args,
    secular_blocks,
    secular_groups,
    secular_initial_state,
    secular_matrix,
    secular_rhs,
    secular_rhs_flat,
    to_rotating_frame,
)

__all__ = ["SecularModel"]


@dataclass(frozen=True)
class SecularModel(PairingModel):
    """The secular equations of ``docs/secular.md`` (S5)-(S6).

    Attributes
    ----------
    cutoff : float
        Couplings between energies with |2 (E_p - E_q)| below ``cutoff`` x mu are kept with their
        explicit phase (``pairing.secular_groups``); faster ones are averaged away. Units of mu.
    """

    cutoff: float = DEFAULT_SECULAR_CUTOFF
    name = "secular"

    def __post_init__(self):
        object.__setattr__(self, "cutoff", _v.non_negative("secular_cutoff", self.cutoff, "mu"))

    @classmethod
    def from_options(cls, secular_cutoff: float = DEFAULT_SECULAR_CUTOFF, **options) -> "SecularModel":
        return cls(secular_cutoff)

    def bind(self, grid: Grid, params: PairingParams) -> "_SecularSystem":
        return _SecularSystem(self, grid, params)


class _SecularSystem(PairingSystem):
    methods = ("auto", "dense")

    def __init__(self, model: SecularModel, grid, params):
        super().__init__(model, grid, params)
        self.groups = secular_groups(grid, params, model.cutoff)
        self._w = grid.weights(params.coupling_per_MeV2)
        n, ng = grid.n_modes, self.groups.n_groups
        self._g_onehot = np.zeros((n, ng))
        self._g_onehot[np.arange(n), self.groups.group] = 1.0
        k = np.arange(ng)[None, :]
        self._g_near = (k >= self.groups.lo[:, None]) & (k < self.groups.hi[:, None])

    def kernel(self):
        return secular_rhs_flat, kernel_args(self.grid, self.params, self.groups)

    def rhs(self, t_MeV, y):
        return secular_rhs(t_MeV, y, self.grid, self.params, groups=self.groups)

    def to_lab(self, t_MeV, ys):
        k = (ys[:, 2] + 1j * ys[:, 3]) * np.exp(-2j * np.outer(t_MeV, self.grid.energy_MeV))
        out = ys.copy()
        out[:, 2], out[:, 3] = k.real, k.imag
        return out

    def from_lab(self, t_MeV, y):
        return to_rotating_frame(y, self.grid, t_MeV)

    def matched_start(self, state):
        """kappa~(0) = kappa(0) - kappa_fp (S10): the source-driven fast part removed."""
        return secular_initial_state(state, self.grid, self.params)

    def conserved_energy(self, ys_lab, inv):
        """W_sec (S7) = kinetic - 2 |N1|^2 - 4 Re sum_{j, k near} J_j . conj(J_k), per state."""
        w, g = self._w, self.grid
        kappa = ys_lab[:, 2] + 1j * ys_lab[:, 3]
        rt = ys_lab[:, 0] + ys_lab[:, 1]
        n1 = (w * rt) @ g.p_hat
        jg = np.einsum("tn,na,ng->tga", w * kappa, g.eps, self._g_onehot)
        cross = np.einsum("tja,jk,tka->t", np.conj(jg), self._g_near, jg).real
        return np.sum(2.0 * w * g.energy_MeV * (rt - 1.0), axis=1) - 2.0 * np.sum(n1 * n1, axis=1) - 4.0 * cross

    def fixed_point(self, state):
        return np.zeros(self.grid.n_modes, complex)  # no source term in (S5): the fixed point is kappa = 0

    def _detuning(self, k_MeV):
        k = self.wave_vector(k_MeV)
        return None if is_homogeneous(k) else pair_detuning_MeV(self.grid, k)

    def stability_matrix(self, state, k_MeV=None):
        m = -1j * secular_matrix(state, self.grid, self.params, self.model.cutoff,
                                 detuning_MeV=self._detuning(k_MeV))
        return np.block([[m.real, -m.imag], [m.imag, m.real]])

    def growth_rates(self, state, method, return_eigenvectors, k_per_bin, k_MeV=None):
        """Eigenvalues of -iA per block of coupled energy groups (A: secular_matrix, S8), with their
        conjugates; dense LAPACK per block, O(sum n_block^3). At wave vector k the diagonal of A
        carries the pair detuning (docs/k-modes.md K9)."""
        n = self.grid.n_modes
        vals_all, vecs_all = [], []
        for idx, e_frame, a in secular_blocks(state, self.grid, self.params, self.model.cutoff,
                                              self._detuning(k_MeV)):
            # A is written in the frame turning at 2 E_f: a diagonal 2E >> mu would otherwise cost
            # the growth rates (imaginary parts, ~mu) their precision at small mu/E
            if return_eigenvectors:
                vals, vecs = np.linalg.eig(-1j * a)
                full = np.zeros((n, idx.size), complex)
                full[idx] = vecs
                vecs_all.append(full)
            else:
                vals = np.linalg.eigvals(-1j * a)
            vals_all.append(vals - 2j * e_frame)
        vals = np.concatenate(vals_all)
        vals = np.concatenate([vals, np.conj(vals)])
        order = np.argsort(-vals.real, kind="stable")
        if not return_eigenvectors:
            return StabilityResult(vals[order], None, "secular")
        vecs = np.concatenate(vecs_all, axis=1)
        vecs = np.concatenate([vecs, np.conj(vecs)], axis=1)[:, order]
        weights = (np.abs(vecs) ** 2 / np.sum(np.abs(vecs) ** 2, axis=0, keepdims=True)).T
        kv = vecs[:, :10].T
        return StabilityResult(vals[order], weights, "secular", kv / np.linalg.norm(kv, axis=1, keepdims=True))

