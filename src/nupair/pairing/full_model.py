"""The full pairing model: HW eqs. (6)-(7), every phase resolved (the step is set by 2E).

Huang & Wu, arXiv:2604.25687, eqs. (1)-(7) in the O(N) moment form of spec
``shared/spec/pairing.md`` section 2.1 (:func:`~nupair.pairing.qke.rhs_array`, compiled as
``_kernels.rhs_flat``); linear stability of section 6 (:mod:`nupair.pairing.linear`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nupair.pairing._kernels import rhs_flat
from nupair.pairing.grid import Grid
from nupair.pairing.kmodes import is_homogeneous, pair_detuning_MeV
from nupair.pairing.dispersion_fast import dispersion_rates
from nupair.pairing.linear import (
    ARNOLDI_MAX_MODES,
    DENSE_MAX_MODES,
    arnoldi_rates,
    dense_rates,
    full_stability_matrix,
    linear_fixed_point,
    linear_parts,
)
from nupair.pairing.model import PairingModel, PairingSystem
from nupair.pairing.qke import PairingParams, rhs_array

__all__ = ["FullModel"]


@dataclass(frozen=True)
class FullModel(PairingModel):
    """HW eqs. (6)-(7) in the lab frame: the default model of ``evolve`` and ``growth_rates``.

    Linear stability: dense LAPACK for N <= ``DENSE_MAX_MODES`` (``method="auto"`` or
    ``"dense"``), shift-invert Arnoldi around each energy bin's -2 i E above (``"arnoldi"``).
    """

    name = "full"

    @classmethod
    def from_options(cls, **options) -> "FullModel":
        return cls()

    def bind(self, grid: Grid, params: PairingParams) -> "_FullSystem":
        return _FullSystem(self, grid, params)


class _FullSystem(PairingSystem):
    methods = ("auto", "dense", "arnoldi", "dispersion")

    def __init__(self, model, grid, params):
        super().__init__(model, grid, params)
        self._w = grid.weights(params.coupling_per_MeV2)

    def kernel(self):
        g = self.grid
        return rhs_flat, (g.energy_MeV, self._w, np.ascontiguousarray(g.p_hat),
                          np.ascontiguousarray(g.eps.real), np.ascontiguousarray(g.eps.imag))

    def rhs(self, t_MeV, y):
        g = self.grid
        return rhs_array(y, g.energy_MeV, self._w, g.p_hat, g.eps)

    def conserved_energy(self, ys_lab, inv):
        return inv.energy_MeV2  # W = sum 2 w E S - 2 |V|^2 (spec 3.2, invariant 3)

    def fixed_point(self, state):
        return linear_fixed_point(state, self.grid, self.params)

    def detuning(self, k):
        """Pair detuning (N,) [MeV] of wave vector k (docs/k-modes.md K9), None at k = 0."""
        return None if is_homogeneous(k) else pair_detuning_MeV(self.grid, k)

    def stability_matrix(self, state, k_MeV=None):
        return full_stability_matrix(state, self.grid, self.params, self.detuning(self.wave_vector(k_MeV)))

    def operator(self, state, k_MeV=None):
        """The low-rank operator J(k) = J0(k) + U W (:class:`~nupair.pairing.linear.LowRankOperator`)."""
        return linear_parts(state, self.grid, self.params, self.detuning(self.wave_vector(k_MeV)))

    def growth_rates(self, state, method, return_eigenvectors, k_per_bin, k_MeV=None):
        if method == "dense" or (method == "auto" and self.grid.n_modes <= DENSE_MAX_MODES):
            return dense_rates(self.stability_matrix(state, k_MeV), return_eigenvectors)
        if method == "auto" and self.grid.n_modes > ARNOLDI_MAX_MODES:
            method = "dispersion"
        if method == "dispersion":
            return dispersion_rates(self.operator(state, k_MeV), return_eigenvectors)
        return arnoldi_rates(self.operator(state, k_MeV), self.grid.energy_MeV, return_eigenvectors, k_per_bin)
