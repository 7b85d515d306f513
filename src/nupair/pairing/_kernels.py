"""Numba kernel of the N-mode pairing right-hand side (fused loops, O(N), no temporaries).

Same equations as :func:`nupair.pairing.qke.rhs_array` (HW eqs. 6-7 in the moment form of spec
section 2.1); the tests check the two agree to round-off.
"""

from __future__ import annotations

import numba
import numpy as np


@numba.njit(cache=True)
def rhs_flat(t, y, args):
    """dy/dt for the flattened state y = (rho, rhobar, Re kappa, Im kappa), length 4N.

    ``args`` = (energy (N,), w (N,), p_hat (N, 3), eps_re (N, 3), eps_im (N, 3)).
    """
    energy, w, p_hat, eps_re, eps_im = args
    n = energy.size
    v0 = 0.0
    v1 = 0.0
    v2 = 0.0
    for q in range(n):
        rt = y[q] + y[n + q]
        kr = y[2 * n + q]
        ki = y[3 * n + q]
        wq = w[q]
        v0 += wq * (p_hat[q, 0] * rt + 2.0 * (eps_re[q, 0] * kr - eps_im[q, 0] * ki))
        v1 += wq * (p_hat[q, 1] * rt + 2.0 * (eps_re[q, 1] * kr - eps_im[q, 1] * ki))
        v2 += wq * (p_hat[q, 2] * rt + 2.0 * (eps_re[q, 2] * kr - eps_im[q, 2] * ki))
    out = np.empty(4 * n)
    for p in range(n):
        evr = eps_re[p, 0] * v0 + eps_re[p, 1] * v1 + eps_re[p, 2] * v2
        evi = eps_im[p, 0] * v0 + eps_im[p, 1] * v1 + eps_im[p, 2] * v2
        pv = p_hat[p, 0] * v0 + p_hat[p, 1] * v1 + p_hat[p, 2] * v2
        kr = y[2 * n + p]
        ki = y[3 * n + p]
        drho = 4.0 * (evr * ki + evi * kr)
        s = y[p] + y[n + p] - 1.0
        om = 2.0 * energy[p] - 4.0 * pv
        out[p] = drho
        out[n + p] = drho
        out[2 * n + p] = om * ki - 2.0 * s * evi
        out[3 * n + p] = -(om * kr + 2.0 * s * evr)
    return out


@numba.njit(cache=True)
def two_pair_rhs_flat(t, y, args):
    """dy/dt of the two-pair model, y = (rho_x, rhobar_x, rho_z, rhobar_z, Re kx, Im kx, Re kz, Im kz).

    ``args`` = (mu, energy). Same arithmetic as :func:`nupair.pairing.two_pair.two_pair_rhs`
    (HW eqs. 8-11), compiled so that the adaptive loop of ``JitDOP853`` runs without Python
    calls; the tests check the two agree to round-off.
    """
    mu, energy = args
    rtx = y[0] + y[1]
    rtz = y[2] + y[3]
    a, b, c, d = y[4], y[5], y[6], y[7]
    drho_x = -4.0 * mu * (rtz * b + 2.0 * a * d)
    drho_z = 4.0 * mu * (rtx * d - 2.0 * c * b)
    wx = 2.0 * (energy - 2.0 * mu * rtx - 4.0 * mu * c)
    sx = 2.0 * mu * (rtx - 1.0)
    fx_re = wx * a - sx * (rtz - 2.0 * a)
    fx_im = wx * b - sx * (-2.0 * b - 2.0 * d)
    wz = 2.0 * (energy - 2.0 * mu * rtz + 4.0 * mu * a)
    sz = 2.0 * mu * (rtz - 1.0)
    fz_re = wz * c - sz * (-rtx - 2.0 * c)
    fz_im = wz * d - sz * (-2.0 * d - 2.0 * b)
    out = np.empty(8)
    out[0] = drho_x
    out[1] = drho_x
    out[2] = drho_z
    out[3] = drho_z
    out[4] = fx_im
    out[5] = -fx_re
    out[6] = fz_im
    out[7] = -fz_re
    return out
