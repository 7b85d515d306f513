"""Helpers of numerical continuation along a curve F(z) = 0 (F: R^n -> R^(n-1)).

Keller's pseudo-arclength method needs the Jacobian of F and the curve's tangent, its null vector
(H. B. Keller, "Numerical solution of bifurcation and nonlinear eigenvalue problems", 1977).
Used by the miscidynamic path of :mod:`nupair.oile.miscidynamics`.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import NDArray

__all__ = ["finite_difference_jacobian", "null_tangent"]


def finite_difference_jacobian(f: Callable[[NDArray], NDArray], z: NDArray, rel_step: float = 1e-7) -> NDArray:
    """Central-difference Jacobian (m, n) of f: R^n -> R^m at z, step ``rel_step`` x max(1, |z_k|)."""
    z = np.asarray(z, dtype=float)
    m = np.asarray(f(z)).size
    jac = np.empty((m, z.size))
    for k in range(z.size):  # n evaluations pairs: n is the curve's dimension (3 for the gas)
        dz = np.zeros(z.size)
        dz[k] = rel_step * max(1.0, abs(z[k]))
        jac[:, k] = (f(z + dz) - f(z - dz)) / (2 * dz[k])
    return jac


def null_tangent(f: Callable[[NDArray], NDArray], z: NDArray, previous: NDArray) -> NDArray:
    """Unit null vector (n,) of the (n-1, n) Jacobian of f at z, oriented like ``previous``."""
    t = np.linalg.svd(finite_difference_jacobian(f, z))[2][-1]
    return t if t @ previous >= 0 else -t
