"""Compiled sums of the pairing dispersion function (:mod:`nupair.pairing.dispersion_fast`).

G(lambda) = sum_p (-lambda A_p + a_p B_p) / (lambda^2 + a_p^2) with real 3 x 3 matrices A_p, B_p
(docs/k-modes.md K12): in partial fractions, sources i a_p with residue alpha_p = -(A_p + i B_p)/2
and -i a_p with conj(alpha_p). Modes are stored as a (N,) and ab (N, 18) = (A_p, B_p) row-major:
one pass over 144 bytes per mode, whatever the evaluation. Pure loops over arrays.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["cauchy_direct", "cauchy_with_derivative", "spread_sources", "lagrange_interpolate", "det_one_plus"]


@njit(cache=True, fastmath=True)
def cauchy_direct(lam, a, ab):  # pragma: no cover - compiled
    """G (M, 9) complex at the points lam (M,): direct sums over the N modes."""
    m = lam.size
    out = np.zeros((m, 9), np.complex128)
    for i in range(m):
        z = lam[i]
        acc = np.zeros(9, np.complex128)
        for p in range(a.size):
            inv = 1.0 / (z * z + a[p] * a[p])
            fa = -z * inv
            fb = a[p] * inv
            for c in range(9):
                acc[c] += fa * ab[p, c] + fb * ab[p, 9 + c]
        out[i] = acc
    return out


@njit(cache=True, fastmath=True)
def cauchy_with_derivative(z, a, ab):  # pragma: no cover - compiled
    """(G, dG/dlambda), each (9,) complex, at one point z."""
    g = np.zeros(9, np.complex128)
    dg = np.zeros(9, np.complex128)
    for p in range(a.size):
        inv = 1.0 / (z * z + a[p] * a[p])
        fa = -z * inv
        fb = a[p] * inv
        # d/dz of -z/(z^2+a^2) and a/(z^2+a^2)
        dfa = -inv + 2.0 * z * z * inv * inv
        dfb = -2.0 * z * a[p] * inv * inv
        for c in range(9):
            g[c] += fa * ab[p, c] + fb * ab[p, 9 + c]
            dg[c] += dfa * ab[p, c] + dfb * ab[p, 9 + c]
    return g, dg


@njit(cache=True)
def _inverse_denominators(order):  # pragma: no cover - compiled
    """1 / prod_{l != j} (j - l) (order,): the node-independent part of the Lagrange weights."""
    inv_den = np.empty(order)
    for j in range(order):
        den = 1.0
        for l in range(order):
            if l != j:
                den *= j - l
        inv_den[j] = 1.0 / den
    return inv_den


@njit(cache=True, fastmath=True)
def _lagrange_weights(f, inv_den, wts):  # pragma: no cover - compiled
    """Weights (in place, wts (order,)) of the nodes 0..order-1 at the point f (node units)."""
    for j in range(wts.size):
        num = inv_den[j]
        for l in range(wts.size):
            if l != j:
                num *= f - l
        wts[j] = num


@njit(cache=True, fastmath=True)
def _stencil(u, half, inv_den, wts):  # pragma: no cover - compiled
    """First node of the Lagrange stencil around u (node units); its weights are written to wts."""
    base = int(np.floor(u)) - half + 1
    _lagrange_weights(u - base, inv_den, wts)
    return base


@njit(cache=True, fastmath=True)
def spread_sources(a, ab, y0, h, n_nodes, order, y_min, y_max):  # pragma: no cover - compiled
    """Lagrange anterpolation of the sources (+a_p: alpha_p; -a_p: conj alpha_p) with y in
    [y_min, y_max] onto the nodes y0 + l h, l = 0..n_nodes-1.

    Every source becomes ``order`` node charges with the Lagrange weights of its position, so that
    sum_l C_l K(y - y_l) interpolates sum_s c_s K(y - y_s) for a kernel K smooth on the scale of h.
    Returns C (n_nodes, 18) float: 9 complex charges as interleaved (re, im).
    """
    grid = np.zeros((n_nodes, 18))
    half = order // 2
    inv_den = _inverse_denominators(order)
    wts = np.empty(order)
    for p in range(a.size):
        for sign in (1.0, -1.0):
            ys = sign * a[p]
            if ys < y_min or ys > y_max:
                continue
            base = _stencil((ys - y0) / h, half, inv_den, wts)
            for j in range(order):
                node = base + j
                if 0 <= node < n_nodes:
                    wr = -0.5 * wts[j]
                    wi = -0.5 * sign * wts[j]
                    for c in range(9):
                        grid[node, 2 * c] += wr * ab[p, c]
                        grid[node, 2 * c + 1] += wi * ab[p, 9 + c]
    return grid


@njit(cache=True, fastmath=False)
def lagrange_interpolate(values, y0, h, y, order):  # pragma: no cover - compiled
    """Lagrange interpolation of samples (n, 9) at y0 + i h to the points y (M,), ``order`` nodes."""
    out = np.zeros((y.size, values.shape[1]), np.complex128)
    half = order // 2
    n = values.shape[0]
    for i in range(y.size):
        u = (y[i] - y0) / h
        base = int(np.floor(u)) - half + 1
        for j in range(order):
            wj = 1.0
            for l in range(order):
                if l != j:
                    wj *= (u - (base + l)) / (j - l)
            node = min(max(base + j, 0), n - 1)
            for c in range(values.shape[1]):
                out[i, c] += wj * values[node, c]
    return out


@njit(cache=True, fastmath=False)
def det_one_plus(g):  # pragma: no cover - compiled
    """det(1 + G) (M,) of matrices G (M, 9) (3 x 3 row-major), complex."""
    out = np.empty(g.shape[0], np.complex128)
    for i in range(g.shape[0]):
        a, b, c = 1.0 + g[i, 0], g[i, 1], g[i, 2]
        d, e, f = g[i, 3], 1.0 + g[i, 4], g[i, 5]
        p, q, r = g[i, 6], g[i, 7], 1.0 + g[i, 8]
        out[i] = a * (e * r - f * q) - b * (d * r - f * p) + c * (d * q - e * p)
    return out


@njit(cache=True, fastmath=True)
def spread_charges(pos, charges, y0, h, n_nodes, order):  # pragma: no cover - compiled
    """Lagrange anterpolation of complex charges (S, 18: interleaved re, im of 9) at positions
    pos (S,) onto the nodes y0 + l h (coarsening a finer grid of charges). Returns (n_nodes, 18)."""
    grid = np.zeros((n_nodes, 18))
    half = order // 2
    inv_den = _inverse_denominators(order)
    wts = np.empty(order)
    for s in range(pos.size):
        base = _stencil((pos[s] - y0) / h, half, inv_den, wts)
        for j in range(order):
            node = base + j
            if 0 <= node < n_nodes:
                for c in range(18):
                    grid[node, c] += wts[j] * charges[s, c]
    return grid
