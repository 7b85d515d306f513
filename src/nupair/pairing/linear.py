"""Linearization of the full N-mode pairing equations around kappa = 0, and the eigen-solvers.

Spec ``shared/spec/pairing.md`` section 6 (derived there from HW eqs. 3-7; for two pairs it is
HW eq. 14). Linearizing eq. (7) with V = N1 + K, K = sum_q w_q 2 Re(eps_q kappa_q):

.. math::
    i\\dot\\kappa_p = a_p\\kappa_p + 2S_p\\,\\epsilon_p^*\\cdot K[\\kappa] + s_p,\\qquad
    a_p = 2E_p - 4\\hat p\\cdot N_1 .

In real variables (x, y) = (Re kappa, Im kappa) this is d/dt (x, y) = J (x, y) + c with
J = J0 + U W: J0 is block-diagonal (each mode rotates at a_p) and U W has rank 3 (K is a real
3-vector). Eigenvalues lambda of J: perturbations grow like exp(Re lambda t); Im lambda ~ -+2E.

This module holds what every pairing model's linear analysis shares: the low-rank parts of the
full model's operator, its source term and fixed point, the result type, and the solvers (dense
LAPACK; shift-invert Arnoldi with (J - sigma)^-1 applied in O(N) through the Woodbury identity).
It imports no model, so the models (``full_model``, ``secular_model``) and the dispatchers
(``stability``) can all import it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigs

from nupair import validation as _v
from nupair.results import SolverError, Status, StatusMixin

from nupair.pairing.grid import Grid
from nupair.pairing.qke import PairingParams, _as_array

__all__ = ["StabilityResult", "LowRankOperator", "linear_parts", "full_stability_matrix", "linear_source",
           "linear_fixed_point", "linear_prediction", "dense_rates", "arnoldi_rates", "eigenvalues_near",
           "DENSE_MAX_MODES", "ARNOLDI_MAX_MODES", "GROWTH_NOISE_FLOOR_MeV"]

#: Largest N solved with dense LAPACK by ``growth_rates(method="auto")``.
DENSE_MAX_MODES = 2000
#: Largest N solved by shift-invert Arnoldi under ``method="auto"``; above it the fast dispersion
#: solver (:mod:`nupair.pairing.dispersion_fast`), O(N) with N-independent D evaluations.
ARNOLDI_MAX_MODES = 8000
#: Growth rates below this are eigen-solver noise, not instabilities (spec section 6).
GROWTH_NOISE_FLOOR_MeV = 1e-9


@dataclass(frozen=True)
class LowRankOperator:
    """J = J0 + U W of the linearized full equations (spec 6), in real variables (Re kappa, Im kappa).

    Attributes
    ----------
    a : ndarray (N,)
        Detunings a_p = 2 E_p - 4 p_hat . N1 [MeV]: J0 turns mode p at a_p.
    umat : ndarray (2N, 3)
        U [MeV^0]: how the real 3-vector K feeds back on every mode (-i 2 S conj(eps) . K).
    wmat : ndarray (3, 2N)
        W [MeV]: K = W (x, y).
    """

    a: NDArray[np.float64]
    umat: NDArray[np.float64]
    wmat: NDArray[np.float64]

    @property
    def n_modes(self) -> int:
        return int(self.a.size)

    def matvec(self, v: NDArray) -> NDArray:
        """J v for a vector v (2N,), O(N)."""
        n = self.n_modes
        v = np.asarray(v).ravel()
        return np.concatenate([self.a * v[n:], -self.a * v[:n]]) + self.umat @ (self.wmat @ v)

    def dense(self) -> NDArray[np.float64]:
        """J as a dense matrix (2N, 2N)."""
        n = self.n_modes
        j = self.umat @ self.wmat
        idx = np.arange(n)
        j[idx, n + idx] += self.a  # dx/dt = a y
        j[n + idx, idx] -= self.a  # dy/dt = -a x
        return j


def linear_parts(state, grid: Grid, params: PairingParams,
                 detuning_MeV: NDArray | None = None) -> LowRankOperator:
    """The low-rank form J = J0 + U W of the full model's linearized equations (spec 6).

    ``detuning_MeV`` (N,): added to every a_p; a perturbation with wave vector k has the pair
    detuning delta_p(k) = |p + k/2| + |p - k/2| - 2 E_p there and nothing else changes
    (docs/k-modes.md, K9; :func:`~nupair.pairing.kmodes.pair_detuning_MeV`).
    """
    y = _as_array(state)
    if y.shape[1] != grid.n_modes:
        raise ValueError(f"state has {y.shape[1]} modes, grid has {grid.n_modes}")
    w = grid.weights(params.coupling_per_MeV2)
    rt = y[0] + y[1]
    n1 = (w * rt) @ grid.p_hat
    a = 2.0 * grid.energy_MeV - 4.0 * (grid.p_hat @ n1)
    if detuning_MeV is not None:
        a = a + detuning_MeV
    s = rt - 1.0
    # K = W (x, y): W is 3 x 2N ; output U (2N x 3) adds -i 2 S conj(eps).K in real form
    wmat = 2.0 * np.concatenate([(w[:, None] * grid.eps.real), -(w[:, None] * grid.eps.imag)]).T
    umat = np.concatenate([-2.0 * s[:, None] * grid.eps.imag, -2.0 * s[:, None] * grid.eps.real])
    return LowRankOperator(a, umat, wmat)


def full_stability_matrix(state, grid: Grid, params: PairingParams,
                          detuning_MeV: NDArray | None = None) -> NDArray[np.float64]:
    """Real matrix J (2N, 2N) [MeV] of the full model's linearized equations (spec 6; HW eq. 14
    for two pairs), ordering (Re kappa_1..N, Im kappa_1..N); ``detuning_MeV`` as in
    :func:`linear_parts` (a wave vector k != 0)."""
    return linear_parts(state, grid, params, detuning_MeV).dense()


def linear_source(state, grid: Grid, params: PairingParams) -> NDArray[np.float64]:
    """Constant term c (2N,) of the linearized equations: d kappa/dt = -i s, s = 2 S conj(eps).N1."""
    y = _as_array(state)
    w = grid.weights(params.coupling_per_MeV2)
    n1 = (w * (y[0] + y[1])) @ grid.p_hat
    src = 2.0 * (y[0] + y[1] - 1.0) * (np.conj(grid.eps) @ n1)
    return np.concatenate([src.imag, -src.real])


def linear_fixed_point(state, grid: Grid, params: PairingParams) -> NDArray[np.complex128]:
    """kappa_fp (N,) complex: the stationary point -J^-1 c of the linearized equations (spec 6).

    The source s_p = 2 S_p conj(eps_p).N1 drives kappa to this point (amplitude ~ w S / E);
    kappa - kappa_fp is a pure sum of eigenmodes, the clean quantity for growth fits (for two
    pairs it is ``two_pair_linear_fixed_point``).
    """
    y = _as_array(state)
    sol = -np.linalg.solve(full_stability_matrix(y, grid, params), linear_source(y, grid, params))
    n = grid.n_modes
    return sol[:n] + 1j * sol[n:]


def linear_prediction(state, grid: Grid, params: PairingParams, t_MeV: NDArray) -> NDArray:
    """Linear-theory evolution of kappa - kappa_fp from ``state``: array (n_t, N) complex.

    delta kappa(t) = exp(J t) delta kappa(0), evaluated through the eigendecomposition of J
    (dense, N <= DENSE_MAX_MODES). Compared with the nonlinear evolution from the same state it
    tests the stability analysis including which eigenmodes the initial condition excites.
    """
    y = _as_array(state)
    n = grid.n_modes
    if n > DENSE_MAX_MODES:
        raise ValueError(f"linear_prediction needs a dense eigendecomposition: N = {n} > {DENSE_MAX_MODES}")
    delta0 = (y[2] + 1j * y[3]) - linear_fixed_point(y, grid, params)
    vals, vecs = np.linalg.eig(full_stability_matrix(y, grid, params))
    coef = np.linalg.solve(vecs, np.concatenate([delta0.real, delta0.imag]))
    t = np.asarray(t_MeV, dtype=float)
    # sum_k vecs[i, k] c_k e^{lambda_k t} as one product: (n_t, 2N) memory, not (n_t, 2N, 2N)
    xy = ((coef * np.exp(np.outer(t, vals))) @ vecs.T).real
    return xy[:, :n] + 1j * xy[:, n:]


@dataclass(frozen=True)
class StabilityResult(StatusMixin):
    """Eigenvalues of the linearized pairing equations, largest real part first.

    Attributes
    ----------
    eigenvalues : ndarray (k,), complex
        lambda [MeV]: perturbations ~ exp(lambda t); Re lambda is the growth rate, Im lambda the
        oscillation frequency (~ -+2E of the hosting energy bin).
    mode_weights : ndarray (k, N) or None
        |Re kappa_p|^2 + |Im kappa_p|^2 of each eigenvector, normalized to sum 1 over modes.
    method : str
        "dense" (LAPACK), "arnoldi" (ARPACK shift-invert) or "secular" (dense per block).
    kappa_vectors : ndarray (m, N) complex or None
        The m <= 10 leading eigenvectors mapped back to modes. For an eigenvector (x, y) of J the
        solution is kappa(t) = [(x + i y) e^{lambda t} + (conj x + i conj y) e^{conj lambda t}]/2;
        for Im lambda ~ -2E the first, co-rotating term dominates, and its amplitude
        kappa_p = x_p + i y_p is stored (normalized to sum |kappa_p|^2 = 1).
    status : Status
        SUCCESSFUL (a failed eigen-solve raises :class:`~nupair.results.SolverError`).
    message : str
    rate_floor_MeV : float or None
        None for the eigen-solvers (every eigenvalue, or every one near the shifts). For
        ``method="dispersion"`` the growth rate [MeV] down to which roots were searched: the
        eigenvalues listed are the fastest roots (and their conjugates), none if no root lies
        above the floor (``max_growth_rate`` is then 0: stable down to the floor).
    """

    eigenvalues: NDArray[np.complex128]
    mode_weights: NDArray[np.float64] | None
    method: str
    kappa_vectors: NDArray[np.complex128] | None = None
    status: Status = Status.SUCCESSFUL
    message: str = ""
    rate_floor_MeV: float | None = None

    @property
    def max_growth_rate(self) -> float:
        """Largest Re lambda [MeV] (>= 0 up to solver noise; 0.0 if no eigenvalue is listed)."""
        return float(self.eigenvalues.real[0]) if self.eigenvalues.size else 0.0

    @property
    def unstable(self) -> bool:
        """True if the largest growth rate exceeds GROWTH_NOISE_FLOOR_MeV."""
        return self.max_growth_rate > GROWTH_NOISE_FLOOR_MeV

    def dominant_modes(self, i: int = 0) -> NDArray[np.float64]:
        """Weights of eigenvector i over modes (shape (N,))."""
        if self.mode_weights is None:
            raise ValueError("eigenvectors were not computed (return_eigenvectors=False)")
        return self.mode_weights[i]


def _mode_weights(vecs: NDArray, n: int) -> NDArray:
    wts = np.abs(vecs[:n]) ** 2 + np.abs(vecs[n:]) ** 2  # (N, k)
    return (wts / np.sum(wts, axis=0, keepdims=True)).T


def _kappa_vectors(vecs: NDArray, n: int, m: int = 10) -> NDArray:
    kv = (vecs[:n, :m] + 1j * vecs[n:, :m]).T
    norm = np.linalg.norm(kv, axis=1, keepdims=True)
    # a mirror-branch eigenvector (Im lambda ~ +2E) can have no co-rotating part: keep it zero
    return np.divide(kv, norm, out=np.zeros_like(kv), where=norm > 0)


def _sorted_result(vals: NDArray, vecs: NDArray | None, n: int, method: str) -> StabilityResult:
    """Eigenpairs of a real-form operator (2N) sorted by growth rate, as a StabilityResult."""
    order = np.argsort(-vals.real, kind="stable")
    if vecs is None:
        return StabilityResult(vals[order], None, method)
    vecs = vecs[:, order]
    return StabilityResult(vals[order], _mode_weights(vecs, n), method, _kappa_vectors(vecs, n))


def dense_rates(j: NDArray, return_eigenvectors: bool) -> StabilityResult:
    """Every eigenvalue of a real-form operator J (2N, 2N) by dense LAPACK."""
    if return_eigenvectors:
        vals, vecs = np.linalg.eig(j)
    else:
        vals, vecs = np.linalg.eigvals(j), None
    return _sorted_result(vals, vecs, j.shape[0] // 2, "dense")


def _shift_invert(op: LowRankOperator, sigma: complex, k_per_bin: int):
    """ARPACK eigenpairs of J nearest sigma, (J - sigma)^-1 applied in O(N) by Woodbury."""
    a, umat, wmat = op.a, op.umat, op.wmat
    n = a.size
    det = sigma * sigma + a * a

    def j0inv(b):  # (J0 - sigma)^-1, J0 = [[0, a], [-a, 0]] per mode
        bx, by = b[:n], b[n:]
        return np.concatenate([(-sigma * bx - a * by) / det, (a * bx - sigma * by) / det])

    m = np.stack([j0inv(umat[:, i].astype(complex)) for i in range(umat.shape[1])], axis=1)
    small_inv = np.linalg.inv(np.eye(umat.shape[1]) + wmat @ m)

    def solve(v):  # Woodbury: (J0 + U W - sigma)^-1 v
        z = j0inv(np.asarray(v).ravel())
        return z - m @ (small_inv @ (wmat @ z))

    opinv = LinearOperator((2 * n, 2 * n), matvec=solve, dtype=complex)
    jop = LinearOperator((2 * n, 2 * n), matvec=op.matvec, dtype=complex)
    # a fixed start vector: ARPACK's default is random, and results must not change between runs
    v0 = np.cos(np.arange(2 * n) * 0.7390851332) + 1j * np.sin(np.arange(2 * n) * 0.5772156649)
    return eigs(jop, k=int(min(k_per_bin, 2 * n - 2)), sigma=sigma, OPinv=opinv, which="LM", tol=1e-12, v0=v0)


def eigenvalues_near(state, grid: Grid, params: PairingParams, sigma_MeV: complex, k: int = 6) -> NDArray:
    """The k eigenvalues lambda [MeV] of the linearized system nearest ``sigma_MeV`` (ARPACK
    shift-invert, (J - sigma)^-1 applied in O(N) by the Woodbury identity), largest real part first.

    For checking a root found otherwise, e.g. by :func:`~nupair.pairing.dispersion_growth_rate`.
    """
    _v.require(isinstance(sigma_MeV, (int, float, complex, np.number)) and not isinstance(sigma_MeV, (bool, np.bool_))
               and np.isfinite(sigma_MeV), "sigma_MeV", repr(sigma_MeV), "must be a finite (complex) number [MeV]")
    k = _v.positive_int("k", k)
    op = linear_parts(state, grid, params)
    try:
        vals, _ = _shift_invert(op, complex(sigma_MeV), k)
    except ArpackNoConvergence as exc:
        raise SolverError(f"ARPACK found {len(exc.eigenvalues)} of {k} eigenvalues near {sigma_MeV:.4g} MeV",
                          Status.MAX_ITERATIONS_REACHED) from None
    return vals[np.argsort(-vals.real, kind="stable")]


def _bin_shift(op: LowRankOperator, in_bin: NDArray, coupling_scale: float) -> complex:
    """Shift for one energy bin: its unstable modes sit near -2iE (and the mirror +2iE) within the
    spread of the detunings a_p; a real part larger than that spread makes "nearest to sigma" mean
    "largest real part" among the bin's eigenvalues."""
    a_bin = op.a[in_bin]
    return (2.0 * float(a_bin.max() - a_bin.min()) + 10.0 * coupling_scale) - 1j * float(np.mean(a_bin))


def arnoldi_rates(op: LowRankOperator, energy_MeV: NDArray, return_eigenvectors: bool,
                  k_per_bin: int) -> StabilityResult:
    """``k_per_bin`` eigenvalues of J near each energy bin's -2 i E_j (shift-invert ARPACK, O(N) per
    iteration); ``energy_MeV`` (N,) are the modes' energies."""
    coupling_scale = float(np.max(np.abs(op.umat))) * float(np.max(np.abs(op.wmat))) * op.umat.shape[1]
    # no eigenvalue has Re lambda above ||U|| ||W||; a shift much beyond a tenth of it leaves many
    # eigenvalues at nearly equal distance and ARPACK stalls (strong coupling, g' ~ 1e-4 MeV^-2)
    shift_cap = 0.1 * float(np.linalg.norm(op.umat, 2) * np.linalg.norm(op.wmat, 2))
    energies = np.round(energy_MeV, 12)
    vals_all, vecs_all = [], []
    for e in np.unique(energies):
        sigma = _bin_shift(op, energies == e, coupling_scale)
        try:
            vals, vecs = _shift_invert(op, sigma, k_per_bin)
        except ArpackNoConvergence:
            # retry closer to the imaginary axis, where the eigenvalues near sigma separate
            try:
                vals, vecs = _shift_invert(op, min(sigma.real, shift_cap) + 1j * sigma.imag, k_per_bin)
            except ArpackNoConvergence as exc:
                raise SolverError(f"ARPACK found {len(exc.eigenvalues)} eigenvalues near {sigma:.4g} MeV",
                                  Status.MAX_ITERATIONS_REACHED) from None
        vals_all.append(vals)
        vecs_all.append(vecs)
    vecs = np.concatenate(vecs_all, axis=1) if return_eigenvectors else None
    return _sorted_result(np.concatenate(vals_all), vecs, op.n_modes, "arnoldi")
