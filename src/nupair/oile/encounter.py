"""The once-in-a-lifetime encounter: two neutrinos under U = exp(-i gamma S), then separated.

Kost, Johns & Duan, arXiv:2402.05022 ([K1]) and the OILE poster (LA-UR-25-22229); spec
``shared/spec/oile.md`` sections 3.1-3.2. With c = cos(gamma), s = sin(gamma) and the product
input rho_a (x) rho_b, the partners' reduced states after the encounter are (spec 3.2)

    rho_a' = c^2 rho_a + s^2 rho_b + i c s [rho_a, rho_b]
    rho_b' = c^2 rho_b + s^2 rho_a + i c s [rho_b, rho_a]

for any number of flavors; in Bloch form P' = c^2 P_a + s^2 P_b - c s f(P_a, P_b) with
f(P, Q)_m = f_klm P_k Q_l (SU(n) structure constants), which for two flavors is
P_a' = c^2 P_a + s^2 P_b + c s (P_b x P_a). No matrix exponential is needed.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair import flavor
from nupair import validation as _v

__all__ = ["encounter_pairs_numpy", "rotate", 
    "encounter",
    "encounter_bloch",
    "encounter_coefficients",
    "structure_constants",
    "flavor_product",
    "check_density_matrices",
    "check_bloch_vectors",
    "DENSITY_TOLERANCE",
]

#: Tolerance of the checks of Hermiticity, unit trace and positivity of input states.
DENSITY_TOLERANCE = 1e-10


def structure_constants(n_flavor: int) -> NDArray[np.float64]:
    """Totally antisymmetric f_klm of SU(n) (n = 2: Levi-Civita; n = 3: Gell-Mann), shape (d, d, d).

    f_klm = -(i/4) tr([lambda_k, lambda_l] lambda_m) with tr(lambda_k lambda_l) = 2 delta_kl.
    """
    lam = flavor.su_generators(n_flavor)
    comm = np.einsum("kij,ljm->klim", lam, lam) - np.einsum("lij,kjm->klim", lam, lam)
    return np.real(-0.25j * np.einsum("klim,nmi->kln", comm, lam))


_F3 = structure_constants(3)
_F2 = structure_constants(2)  # the Levi-Civita symbol


def flavor_product(p: ArrayLike, q: ArrayLike) -> NDArray:
    """f(P, Q)_m = f_klm P_k Q_l over the last axis: P x Q for two flavors (3 components), the
    SU(3) structure constants for three (8 Gell-Mann components). dP/dt = flavor_product(h, P) is
    the one-body precession under H = h . lambda / 2."""
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    if p.shape[-1] == 3:
        return np.cross(p, q)
    return np.einsum("klm,...k,...l->...m", _F3, p, q)


def _check_gamma(gamma: ArrayLike) -> NDArray[np.float64]:
    """The impact parameter gamma >= 0 [rad] as a float array."""
    return _v.finite_array("gamma", gamma, "rad", low=0.0)


def encounter_coefficients(gamma: ArrayLike) -> tuple[NDArray, NDArray, NDArray]:
    """(cos^2 gamma, sin^2 gamma, cos gamma sin gamma) of the encounter map (spec 3.1)."""
    g = _check_gamma(gamma)
    c, s = np.cos(g), np.sin(g)
    return c * c, s * s, c * s


def _smallest_eigenvalue(r: NDArray) -> NDArray:
    """Smallest eigenvalue of Hermitian (..., n, n) matrices, n in {2, 3}, for error messages.

    n = 2 in closed form, lambda_min = tr/2 - sqrt(((a - d)/2)^2 + |b|^2); n = 3 by LAPACK.
    """
    if r.shape[-1] == 2:
        d = np.real(np.diagonal(r, axis1=-2, axis2=-1))
        return 0.5 * (d[..., 0] + d[..., 1]) - np.hypot(0.5 * (d[..., 0] - d[..., 1]), np.abs(r[..., 0, 1]))
    return np.linalg.eigvalsh(0.5 * (r + np.conj(np.swapaxes(r, -1, -2))))[..., 0]


@numba.njit(cache=True)
def _density_checks(r, tol, uncertain):
    """One pass over density matrices r (m, n, n), n in {2, 3}: (max |r - r^dagger|, index of the
    largest |tr r - 1|, index of the first matrix that is not positive within tol, or -1), and
    ``uncertain[k]`` set where rounding cannot decide (below).

    Positivity in closed form: lambda_min(R) >= -tol exactly when R + tol 1 is positive
    semidefinite, i.e. when all the coefficients of its characteristic polynomial -- the
    elementary symmetric functions E_1 = tr, E_2 = sum of principal 2x2 minors, E_3 = det of the
    eigenvalues -- are >= 0 (a Hermitian matrix with real eigenvalues has no negative one iff its
    characteristic polynomial has no sign change). Computed on the Hermitian part. For a nearly
    pure 3 x 3 state E_3 ~ tol^2 is below the rounding of its O(1) terms: where E_3 is not clearly
    positive (< 64 eps E_1^3) the matrix is marked ``uncertain`` and the caller asks LAPACK."""
    m, n = r.shape[0], r.shape[1]
    herm = 0.0
    worst_trace, worst_trace_dev = 0, -1.0
    bad = -1
    for k in range(m):
        for i in range(n):
            for j in range(i, n):
                d = abs(r[k, i, j] - r[k, j, i].conjugate())
                if d > herm:
                    herm = d
                elif not d <= herm:  # NaN (an inf entry gives inf or NaN here): reported as non-finite
                    herm = np.inf
        a = r[k, 0, 0].real + tol
        b = r[k, 1, 1].real + tol
        x01 = 0.5 * (r[k, 0, 1] + r[k, 1, 0].conjugate())
        if n == 2:
            dev = abs(r[k, 0, 0].real + r[k, 1, 1].real - 1.0)
            e1 = a + b
            e2 = a * b - (x01.real * x01.real + x01.imag * x01.imag)
            e3 = 0.0
        else:
            c = r[k, 2, 2].real + tol
            x02 = 0.5 * (r[k, 0, 2] + r[k, 2, 0].conjugate())
            x12 = 0.5 * (r[k, 1, 2] + r[k, 2, 1].conjugate())
            n01 = x01.real * x01.real + x01.imag * x01.imag
            n02 = x02.real * x02.real + x02.imag * x02.imag
            n12 = x12.real * x12.real + x12.imag * x12.imag
            dev = abs(r[k, 0, 0].real + r[k, 1, 1].real + r[k, 2, 2].real - 1.0)
            e1 = a + b + c
            e2 = a * b + a * c + b * c - n01 - n02 - n12
            e3 = a * b * c + 2.0 * (x01 * x12 * x02.conjugate()).real - a * n12 - b * n02 - c * n01
        if dev > worst_trace_dev:
            worst_trace_dev = dev
            worst_trace = k
        if e1 < 0.0 or e2 < 0.0:
            if bad < 0:
                bad = k
        elif n == 3 and e3 < 1.4210854715202004e-14 * e1 * e1 * e1:  # 64 eps E_1^3
            uncertain[k] = True
    return herm, worst_trace, bad


def check_density_matrices(rho: ArrayLike, name: str = "rho", tol: float = DENSITY_TOLERANCE) -> NDArray:
    """Validate density matrices (..., n, n), n in {2, 3}: Hermitian, unit trace, positive (tol).

    One compiled pass with closed forms (2 x 2: trace and determinant; 3 x 3: the invariants of
    the characteristic polynomial), so a check costs a small fraction of the encounter it guards;
    LAPACK runs only to word the message of a matrix that failed."""
    r = np.asarray(rho, dtype=complex)
    if r.ndim < 2 or r.shape[-1] != r.shape[-2] or r.shape[-1] not in (2, 3):
        raise ValueError(f"{name} has shape {r.shape}: must be (..., n, n) with n_flavor = n in {{2, 3}}")
    if not r.size:
        return r
    flat = np.ascontiguousarray(r.reshape(-1, r.shape[-1], r.shape[-1]))
    uncertain = np.zeros(flat.shape[0], dtype=np.bool_)
    herm, worst_trace, bad = _density_checks(flat, float(tol), uncertain)
    if not math.isfinite(herm):
        raise ValueError(f"{name} contains non-finite entries")
    if herm > tol:
        raise ValueError(f"{name} is not Hermitian (max |rho - rho^dagger| = {herm:.3g} > {tol:g})")
    tr = float(np.trace(flat[worst_trace]).real)
    if abs(tr - 1.0) > tol or not math.isfinite(tr):
        raise ValueError(f"{name} does not have unit trace (trace = {tr:.12g}, tolerance {tol:g})")
    if bad < 0 and uncertain.any():  # nearly pure 3 x 3 states: the exact spectrum decides
        low = _smallest_eigenvalue(flat[uncertain])
        if np.min(low) < -tol:
            bad = int(np.flatnonzero(uncertain)[np.argmin(low)])
    if bad >= 0:
        low = float(_smallest_eigenvalue(flat[bad]))
        raise ValueError(f"{name} is not positive (smallest eigenvalue {low:.3g} < -{tol:g})")
    return r


def check_bloch_vectors(p: ArrayLike, name: str = "P", tol: float = DENSITY_TOLERANCE) -> NDArray:
    """Validate Bloch vectors (..., 3) (two flavors, |P| <= 1) or (..., 8) (three flavors, positive rho)."""
    v = np.asarray(p, dtype=float)
    if v.ndim < 1 or v.shape[-1] not in (3, 8):
        raise ValueError(f"{name} has shape {v.shape}: the last axis must be 3 (two flavors) or 8 (three)")
    if not np.all(np.isfinite(v)):
        raise ValueError(f"{name} contains non-finite values")
    if v.shape[-1] == 3:
        norm = np.linalg.norm(v, axis=-1)
        if v.size and np.max(norm) > 1.0 + tol:
            raise ValueError(f"{name} has |P| = {np.max(norm):.12g} > 1: not a physical state")
    elif v.size:
        check_density_matrices(flavor.bloch_to_density(v), name=f"{name} (as a density matrix)", tol=tol)
    return v


def encounter(rho_a: ArrayLike, rho_b: ArrayLike, gamma: ArrayLike, *, check: bool = True):
    """Reduced density matrices of both partners after one encounter.

    Parameters
    ----------
    rho_a, rho_b : array (..., n, n), complex, n = 2 or 3
        Density matrices (Hermitian, unit trace, positive); leading axes broadcast.
    gamma : float or array (...)
        Impact parameter gamma = mu t_int (times the angular factor 1 - v.v' if used), >= 0.
    check : bool
        Validate the inputs (tolerance ``DENSITY_TOLERANCE``); internal fast paths skip it.

    Returns
    -------
    (rho_a', rho_b') : arrays (..., n, n)

    Notes
    -----
    Spec oile.md section 3.2 (derived from U = cos(gamma) 1 - i sin(gamma) S, [K1]):

    .. math::
        \\rho_a' = c^2\\rho_a + s^2\\rho_b + i c s[\\rho_a, \\rho_b],\\qquad
        \\rho_b' = c^2\\rho_b + s^2\\rho_a + i c s[\\rho_b, \\rho_a].
    """
    if check:
        ra = check_density_matrices(rho_a, "rho_a")
        rb = check_density_matrices(rho_b, "rho_b")
        if ra.shape[-1] != rb.shape[-1]:
            raise ValueError(f"rho_a and rho_b have different numbers of flavors ({ra.shape[-1]}, {rb.shape[-1]})")
    else:
        ra, rb = np.asarray(rho_a, dtype=complex), np.asarray(rho_b, dtype=complex)
    c2, s2, cs = (x[..., None, None] for x in encounter_coefficients(gamma))
    comm = ra @ rb - rb @ ra
    return c2 * ra + s2 * rb + 1j * cs * comm, c2 * rb + s2 * ra - 1j * cs * comm


def encounter_bloch(p_a: ArrayLike, p_b: ArrayLike, gamma: ArrayLike, *, check: bool = True):
    """Bloch vectors of both partners after one encounter (two flavors: (..., 3); three: (..., 8)).

    P_a' = c^2 P_a + s^2 P_b - c s f(P_a, P_b), P_b' = c^2 P_b + s^2 P_a + c s f(P_a, P_b), with
    f(P, Q)_m = f_klm P_k Q_l; for two flavors f(P, Q) = P x Q (spec oile.md 3.2). The pair sum
    P_a + P_b is conserved exactly.
    """
    if check:
        pa, pb = check_bloch_vectors(p_a, "P_a"), check_bloch_vectors(p_b, "P_b")
        if pa.shape[-1] != pb.shape[-1]:
            raise ValueError(f"P_a and P_b have different lengths ({pa.shape[-1]}, {pb.shape[-1]})")
    else:
        pa, pb = np.asarray(p_a, dtype=float), np.asarray(p_b, dtype=float)
    c2, s2, cs = (x[..., None] for x in encounter_coefficients(gamma))
    f = flavor_product(pa, pb)
    return c2 * pa + s2 * pb - cs * f, c2 * pb + s2 * pa + cs * f


# --------------------------------------------------------------------------------------------
# Fast in-place kernels for Monte Carlo gases (two flavors, arrays of pairs)
# --------------------------------------------------------------------------------------------
@numba.njit(inline="always")
def encounter_pair3(p, i, j, c2, s2, cs):
    """Encounter of rows i and j of the two-flavor Bloch vectors p (N, 3), in place (f = P_i x P_j).
    The one arithmetic of every compiled two-flavor kernel (pairs by index, adjacent rows, the gas)."""
    ax, ay, az = p[i, 0], p[i, 1], p[i, 2]
    bx, by, bz = p[j, 0], p[j, 1], p[j, 2]
    fx = ay * bz - az * by
    fy = az * bx - ax * bz
    fz = ax * by - ay * bx
    p[i, 0] = c2 * ax + s2 * bx - cs * fx
    p[i, 1] = c2 * ay + s2 * by - cs * fy
    p[i, 2] = c2 * az + s2 * bz - cs * fz
    p[j, 0] = c2 * bx + s2 * ax + cs * fx
    p[j, 1] = c2 * by + s2 * ay + cs * fy
    p[j, 2] = c2 * bz + s2 * az + cs * fz


@numba.njit(cache=True)
def encounter_pairs_inplace(p, a, b, c2, s2, cs):
    """Apply one encounter to every pair (a[k], b[k]) of the Bloch vectors p (N, 3), in place.

    ``c2, s2, cs`` are arrays (one value per pair; constant gamma: fill them once). The same map
    as :func:`encounter_bloch`; O(number of pairs), no temporaries.
    """
    for k in range(a.size):
        encounter_pair3(p, a[k], b[k], c2[k], s2[k], cs[k])


@numba.njit(cache=True)
def encounter_adjacent_inplace(p, c2, s2, cs):
    """Encounter of every adjacent pair of rows (0, 1), (2, 3), ... of p (N, 3), in place.

    The Monte Carlo first gathers the particles in the order of a random permutation (one random
    memory pass), after which every pair is contiguous: this kernel then streams through memory.
    Scalar coefficients (one gamma for the whole gas).
    """
    for k in range(0, p.shape[0] - 1, 2):
        encounter_pair3(p, k, k + 1, c2, s2, cs)


def encounter_pairs_numpy(p: NDArray, a: NDArray, b: NDArray, c2, s2, cs) -> None:
    """NumPy fallback of :func:`encounter_pairs_inplace` (same arithmetic, vectorized)."""
    pa, pb = p[a], p[b]
    f = np.cross(pa, pb)
    c2, s2, cs = (np.asarray(x)[..., None] if np.ndim(x) else x for x in (c2, s2, cs))
    p[a] = c2 * pa + s2 * pb - cs * f
    p[b] = c2 * pb + s2 * pa + cs * f


def rotate(p: NDArray, axis: NDArray, angle: ArrayLike) -> NDArray:
    """Rotate Bloch vectors p (N, 3) right-handedly about the unit ``axis`` (3,) by ``angle`` (N,)
    or scalar: Rodrigues' formula, the exact one-body precession dP/dt = omega B x P over omega dt
    (spec oile.md 3.3)."""
    ang = np.asarray(angle, dtype=float)
    c, s = np.cos(ang)[..., None], np.sin(ang)[..., None]
    k = np.asarray(axis, dtype=float)
    kp = p @ k
    return p * c + np.cross(k, p) * s + np.outer(kp, k) * (1.0 - c)

