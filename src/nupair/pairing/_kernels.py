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
