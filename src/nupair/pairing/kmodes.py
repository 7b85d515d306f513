"""Kinematics of perturbations with wave vector k about a homogeneous background (docs/k-modes.md).

A perturbation ~ exp(i k . x) of the Wigner-transformed generalized density R(x, p) pairs the
neutrino at p + k/2 with the antineutrino at -p + k/2 (docs/k-modes.md, K1-K4; the gradient
expansion of the generalized QKE of Serreau & Volpe, arXiv:1409.3591, and Vlasenko, Fuller &
Cirigliano, arXiv:1309.2628, taken here exactly in k for the free part). Its free
evolution is i dR_k/dt = H0(p + k/2) R_k - R_k H0(p - k/2) with H0(q) = |q| tau_3 (K3):

* normal densities stream: rho_k turns at |p + k/2| - |p - k/2| = p_hat . k + O(k^3/E^2), the
  antineutrino block (momentum -p) at minus that (K5);
* the pair correlation kappa_k does not stream (the pair's total group velocity vanishes); it is
  detuned from 2E by the pair energy |p + k/2| + |p - k/2| - 2E = k_perp^2 / (4E) + O(k^4/E^3)
  (K6), k_perp the part of k normal to p_hat.

The mean fields are local in x at leading order in k/E (K7), so the linearized equations at k are
the homogeneous ones with these kinetic terms (K8-K10). Functions here are pure kinematics on a
:class:`~nupair.pairing.Grid`: arrays (N,) in MeV.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair import validation as _v
from nupair.pairing.grid import Grid

__all__ = ["as_k_vector", "as_k_vectors", "pair_detuning_MeV", "streaming_frequency_MeV", "is_homogeneous"]


def as_k_vector(k_MeV: ArrayLike | None) -> NDArray[np.float64]:
    """A wave vector k [MeV] as an array (3,); ``None`` is k = 0 (the homogeneous mode)."""
    if k_MeV is None:
        return np.zeros(3)
    k = _v.finite_array("k_MeV", k_MeV, "MeV")
    _v.require(k.shape == (3,), "k_MeV", repr(k_MeV),
               "must be a wave vector of 3 components (k_x, k_y, k_z) [MeV], e.g. (0, 0, 0.5)")
    return k


def as_k_vectors(k_MeV: ArrayLike, direction: ArrayLike = (1.0, 0.0, 0.0)) -> NDArray[np.float64]:
    """Wave vectors (n_k, 3) [MeV] from magnitudes (n_k,) along ``direction`` or from vectors (n_k, 3)."""
    k = _v.finite_array("k_MeV", k_MeV, "MeV")
    if k.ndim == 2 and k.shape[1] == 3 and k.shape[0] >= 1:
        return k
    _v.require(k.ndim <= 1 and k.size >= 1, "k_MeV", f"array of shape {k.shape}",
               "must be magnitudes (n_k,) along `direction` or wave vectors (n_k, 3) [MeV]")
    d = _v.finite_array("direction", direction)
    norm = float(np.linalg.norm(d)) if d.shape == (3,) else 0.0
    _v.require(d.shape == (3,) and norm > 0, "direction", repr(direction), "must be a nonzero 3-vector")
    return np.atleast_1d(k)[:, None] * (d / norm)[None, :]


def is_homogeneous(k: NDArray) -> bool:
    """True for k = 0 exactly (the drivers then take the homogeneous code path unchanged)."""
    return not np.any(k)


def _half_shifts(grid: Grid, k: NDArray) -> tuple[NDArray, NDArray]:
    """(|p + k/2| - E, |p - k/2| - E) (N,) [MeV], formed without cancellation (K4)."""
    e = grid.energy_MeV
    pk = e * (grid.p_hat @ k)  # E p_hat . k
    q2 = 0.25 * float(k @ k)
    plus = np.sqrt(np.maximum(e * e + pk + q2, 0.0))
    minus = np.sqrt(np.maximum(e * e - pk + q2, 0.0))
    # |q| - E = (|q|^2 - E^2) / (|q| + E); at E = |q| = 0 both vanish
    dp = np.divide(pk + q2, plus + e, out=np.zeros_like(e), where=(plus + e) > 0)
    dm = np.divide(-pk + q2, minus + e, out=np.zeros_like(e), where=(minus + e) > 0)
    return dp, dm


def pair_detuning_MeV(grid: Grid, k_MeV: ArrayLike | None) -> NDArray[np.float64]:
    """delta_p(k) = |p + k/2| + |p - k/2| - 2 E_p (N,) [MeV]: the pair's kinetic detuning (K6).

    >= 0; k_perp^2 / (4 E_p) for k << E_p; 0 for k parallel to p_hat with |k| <= 2 E_p.
    """
    dp, dm = _half_shifts(grid, as_k_vector(k_MeV))
    return dp + dm


def streaming_frequency_MeV(grid: Grid, k_MeV: ArrayLike | None) -> NDArray[np.float64]:
    """|p + k/2| - |p - k/2| (N,) [MeV]: the frequency at which a neutrino density wave of mode p
    streams (K5); p_hat . k for k << E (the antineutrino at -p streams at minus this)."""
    dp, dm = _half_shifts(grid, as_k_vector(k_MeV))
    return dp - dm
