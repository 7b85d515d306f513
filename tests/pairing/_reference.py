"""Naive O(N^2) reference of the N-mode pairing equations: HW eqs. (3)-(7) as double sums.

Index convention of spec section 2: the antineutrino of mode q flies along -q_hat, so
Int d^3q F(q_hat)(rho_q - rhobar_-q) -> sum_q w_q [rho_q F(q_hat) - rhobar_q F(-q_hat)].
Kept out of the package on purpose: it exists to prove the O(N) moment form right.
"""

import numpy as np


def naive_hamiltonians(y, grid, coupling):
    rho, rhobar, kappa = y[0], y[1], y[2] + 1j * y[3]
    w = coupling * grid.volume_MeV3
    pair = 2.0 * np.real(grid.eps * kappa[:, None])  # (N, 3): 2 Re(eps_q kappa_q)
    n = grid.n_modes
    gnn, gbb, gnb = np.empty(n), np.empty(n), np.empty(n, complex)
    for p in range(n):  # explicit outer loop: O(N^2) work
        ph = grid.p_hat[p]
        dot = grid.p_hat @ ph  # p_hat . q_hat for all q
        gnn[p] = grid.energy_MeV[p] + 2.0 * np.sum(w * (rho * (1 - dot) - rhobar * (1 + dot) - pair @ ph))
        gbb[p] = -grid.energy_MeV[p] + 2.0 * np.sum(w * (rho * (1 + dot) - rhobar * (1 - dot) + pair @ ph))
        vec = np.sum(w[:, None] * (grid.p_hat * rho[:, None] - (-grid.p_hat) * rhobar[:, None] + pair), axis=0)
        gnb[p] = -2.0 * np.conj(grid.eps[p]) @ vec
    return gnn, gbb, gnb


def naive_rhs(y, grid, coupling):
    """dy/dt from eqs. (6)-(7) with the Hamiltonians of eqs. (3)-(5), O(N^2)."""
    gnn, gbb, gnb = naive_hamiltonians(y, grid, coupling)
    rho, rhobar, kappa = y[0], y[1], y[2] + 1j * y[3]
    drho = 2.0 * np.imag(gnb * np.conj(kappa))
    dkappa = -1j * ((gnn - gbb) * kappa - (rho + rhobar - 1.0) * gnb)
    return np.stack([drho, drho, dkappa.real, dkappa.imag])
