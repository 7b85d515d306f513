"""Numba kernel of the flavor-pairing right-hand side (eq. F8 of ``docs/flavor-pairing.md``).

Same equations as :func:`nupair.pairing.flavor_qke.flavor_rhs`, fused into two O(N) passes
(currents, then per-mode commutator); the tests check the two agree to round-off.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def flavor_rhs_flat(t, y, args):
    """dy/dt of the flattened generalized density matrices.

    ``y`` holds R (N, M, M), M = 2 n_f, as interleaved (Re, Im) float64, length 2 N M^2.
    ``args`` = (energy (N,), w (N,), p_hat (N, 3), eps_re (N, 3), eps_im (N, 3),
    vac_re (N, n_f, n_f), vac_im (N, n_f, n_f), matter (n_f,), pairing (1.0 or 0.0)).
    """
    energy, w, p_hat, eps_re, eps_im, vac_re, vac_im, matter, pairing = args
    n = energy.size
    nf = matter.size
    m = 2 * nf
    rr = y.reshape((n, m, m, 2))
    # currents J^0 and J^i (flavor matrices), eq. F4
    j = np.zeros((4, nf, nf), dtype=np.complex128)
    for q in range(n):
        wq = w[q]
        for a in range(nf):
            for b in range(nf):
                uu = rr[q, a, b, 0] + 1j * rr[q, a, b, 1]
                ll = rr[q, nf + a, nf + b, 0] + 1j * rr[q, nf + a, nf + b, 1]
                one = 1.0 if a == b else 0.0
                j[0, a, b] += wq * (uu + ll - one)
                norm = uu - ll + one
                ul = rr[q, a, nf + b, 0] + 1j * rr[q, a, nf + b, 1]
                lu = rr[q, nf + a, b, 0] + 1j * rr[q, nf + a, b, 1]
                for i in range(3):
                    e = eps_re[q, i] + 1j * eps_im[q, i]
                    j[1 + i, a, b] += wq * (p_hat[q, i] * norm
                                            + pairing * (e * ul + np.conj(e) * lu))
    # fields F = Tr(J) 1 + J, eq. F5
    for mu in range(4):
        tr = 0.0j
        for a in range(nf):
            tr += j[mu, a, a]
        for a in range(nf):
            j[mu, a, a] += tr
    out = np.empty(n * m * m * 2)
    oo = out.reshape((n, m, m, 2))
    h = np.zeros((m, m), dtype=np.complex128)
    r = np.zeros((m, m), dtype=np.complex128)
    for p in range(n):
        for a in range(m):
            for b in range(m):
                r[a, b] = rr[p, a, b, 0] + 1j * rr[p, a, b, 1]
        for a in range(nf):
            for b in range(nf):
                pf = 0.0j
                ef = 0.0j
                for i in range(3):
                    pf += p_hat[p, i] * j[1 + i, a, b]
                    ef += (eps_re[p, i] - 1j * eps_im[p, i]) * j[1 + i, a, b]
                vac = vac_re[p, a, b] + 1j * vac_im[p, a, b]
                common = j[0, a, b] + (matter[a] if a == b else 0.0)
                h[a, b] = vac + common - pf
                h[nf + a, nf + b] = -vac + common + pf
                h[a, nf + b] = -pairing * ef
        for a in range(nf):
            for b in range(nf):
                h[nf + a, b] = np.conj(h[b, nf + a])
        e2 = 2.0 * energy[p]
        for a in range(m):
            for b in range(m):
                acc = 0.0j
                for c in range(m):
                    acc += h[a, c] * r[c, b] - r[a, c] * h[c, b]
                d = -1j * acc
                if a < nf and b >= nf:
                    d += -1j * e2 * r[a, b]
                elif a >= nf and b < nf:
                    d += 1j * e2 * r[a, b]
                oo[p, a, b, 0] = d.real
                oo[p, a, b, 1] = d.imag
    return out
