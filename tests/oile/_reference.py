"""Reference encounter: dense exp(-i gamma S) on the n^2-dimensional pair space + partial traces."""

import numpy as np
from scipy.linalg import expm


def swap(n):
    s = np.zeros((n * n, n * n))
    for i in range(n):
        for j in range(n):
            s[j * n + i, i * n + j] = 1.0
    return s


def encounter_expm(rho_a, rho_b, gamma):
    n = rho_a.shape[-1]
    u = expm(-1j * gamma * swap(n))
    r = u @ np.kron(rho_a, rho_b) @ u.conj().T
    r = r.reshape(n, n, n, n)
    return np.einsum("ijkj->ik", r), np.einsum("jijk->ik", r)
