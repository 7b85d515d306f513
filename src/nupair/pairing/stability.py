"""Linear stability of the N-mode pairing equations around kappa = 0 (frozen occupations).

Spec ``shared/spec/pairing.md`` section 6 (derived there from HW eqs. 3-7; for two pairs it is
HW eq. 14). Linearizing eq. (7) with V = N1 + K, K = sum_q w_q 2 Re(eps_q kappa_q):

.. math::
    i\\dot\\kappa_p = a_p\\kappa_p + 2S_p\\,\\epsilon_p^*\\cdot K[\\kappa] + s_p,\\qquad
    a_p = 2E_p - 4\\hat p\\cdot N_1 .

In real variables (x, y) = (Re kappa, Im kappa) this is d/dt (x, y) = J (x, y) + const with
J = J0 + U W: J0 is block-diagonal (each mode rotates at a_p) and U W has rank 3 (K is a real
3-vector). Eigenvalues lambda of J: perturbations grow like exp(Re lambda t); Im lambda ~ -+2E.
Dense LAPACK for N <= 2000; above, shift-invert Arnoldi (ARPACK) around lambda = -2 i E_j of every
energy bin, with (J - sigma)^-1 applied in O(N) through the Woodbury identity.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigs

from nupair.results import SolverError, Status

from nupair.pairing.grid import Grid
from nupair.pairing.qke import PairingParams, _as_array
from nupair.pairing.secular import DEFAULT_SECULAR_CUTOFF, secular_blocks, secular_matrix

__all__ = ["StabilityResult", "stability_matrix", "growth_rates", "eigenvalues_near", "linear_fixed_point",
           "linear_prediction", "DENSE_MAX_MODES", "GROWTH_NOISE_FLOOR_MeV"]

#: Largest N solved with dense LAPACK by ``growth_rates(method="auto")``.
DENSE_MAX_MODES = 2000
#: Growth rates below this are eigen-solver noise, not instabilities (spec section 6).
GROWTH_NOISE_FLOOR_MeV = 1e-9


def _linear_parts(state, grid: Grid, params: PairingParams):
    y = _as_array(state)
    if y.shape[1] != grid.n_modes:
        raise ValueError(f"state has {y.shape[1]} modes, grid has {grid.n_modes}")
    w = grid.weights(params.coupling_MeV2)
    rt = y[0] + y[1]
    n1 = (w * rt) @ grid.p_hat
    a = 2.0 * grid.energy_MeV - 4.0 * (grid.p_hat @ n1)
    s = rt - 1.0
    # K = W (x, y): W is 3 x 2N ; output U (2N x 3) adds -i 2 S conj(eps).K in real form
    wmat = 2.0 * np.concatenate([(w[:, None] * grid.eps.real), -(w[:, None] * grid.eps.imag)]).T
    umat = np.concatenate([-2.0 * s[:, None] * grid.eps.imag, -2.0 * s[:, None] * grid.eps.real])
    return a, umat, wmat


def _assemble(a, umat, wmat) -> NDArray[np.float64]:
    n = a.size
    j = umat @ wmat
    idx = np.arange(n)
    j[idx, n + idx] += a  # dx/dt = a y
    j[n + idx, idx] -= a  # dy/dt = -a x
    return j


def stability_matrix(state, grid: Grid, params: PairingParams, *, model: str = "full",
                     secular_cutoff: float = DEFAULT_SECULAR_CUTOFF) -> NDArray[np.float64]:
    """Real matrix J (2N, 2N) of the linearized equations for (Re kappa, Im kappa) [MeV].

    Ordering: (Re kappa_1..N, Im kappa_1..N). Occupations are taken from ``state`` (its kappa is
    ignored: the expansion is around kappa = 0). For the two-pair grid J is HW's eq. (14) up to
    the ordering of the variables. O(N^2) memory: use :func:`growth_rates` for large N.

    ``model="secular"``: the same real form of the secular system (``docs/secular.md`` S8),
    d kappa/dt = -i A kappa with A = :func:`~nupair.pairing.secular.secular_matrix`; its
    eigenvalues are those of -iA and their complex conjugates.
    """
    if model == "secular":
        m = -1j * secular_matrix(state, grid, params, secular_cutoff)
        return np.block([[m.real, -m.imag], [m.imag, m.real]])
    if model != "full":
        raise ValueError(f"model={model!r} is not allowed; allowed: 'full', 'secular'")
    return _assemble(*_linear_parts(state, grid, params))


def _source(y, grid: Grid, params: PairingParams) -> NDArray[np.float64]:
    """Constant term c (2N,) of the linearized equations: d kappa/dt = -i s, s = 2 S conj(eps).N1."""
    w = grid.weights(params.coupling_MeV2)
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
    sol = -np.linalg.solve(stability_matrix(y, grid, params), _source(y, grid, params))
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
    vals, vecs = np.linalg.eig(stability_matrix(y, grid, params))
    coef = np.linalg.solve(vecs, np.concatenate([delta0.real, delta0.imag]))
    t = np.asarray(t_MeV, dtype=float)
    xy = (vecs[None, :, :] * (coef * np.exp(np.outer(t, vals)))[:, None, :]).sum(axis=2).real
    return xy[:, :n] + 1j * xy[:, n:]


@dataclass(frozen=True)
class StabilityResult:
    """Eigenvalues of the linearized pairing equations, largest real part first.

    Attributes
    ----------
    eigenvalues : ndarray (k,), complex
        lambda [MeV]: perturbations ~ exp(lambda t); Re lambda is the growth rate, Im lambda the
        oscillation frequency (~ -+2E of the hosting energy bin).
    mode_weights : ndarray (k, N) or None
        |Re kappa_p|^2 + |Im kappa_p|^2 of each eigenvector, normalized to sum 1 over modes.
    method : str
        "dense" (LAPACK) or "arnoldi" (ARPACK shift-invert).
    kappa_vectors : ndarray (m, N) complex or None
        The m <= 10 leading eigenvectors mapped back to modes. For an eigenvector (x, y) of J the
        solution is kappa(t) = [(x + i y) e^{lambda t} + (conj x + i conj y) e^{conj lambda t}]/2;
        for Im lambda ~ -2E the first, co-rotating term dominates, and its amplitude
        kappa_p = x_p + i y_p is stored (normalized to sum |kappa_p|^2 = 1).
    """

    eigenvalues: NDArray[np.complex128]
    mode_weights: NDArray[np.float64] | None
    method: str
    kappa_vectors: NDArray[np.complex128] | None = None

    @property
    def max_growth_rate(self) -> float:
        """Largest Re lambda [MeV] (>= 0 up to solver noise)."""
        return float(self.eigenvalues.real[0])

    @property
    def unstable(self) -> bool:
        """True if the largest growth rate exceeds GROWTH_NOISE_FLOOR_MeV."""
        return self.max_growth_rate > GROWTH_NOISE_FLOOR_MeV

    def dominant_modes(self, i: int = 0) -> NDArray[np.float64]:
        """Weights of eigenvector i over modes (shape (N,))."""
        if self.mode_weights is None:
            raise ValueError("eigenvectors were not computed (return_eigenvectors=False)")
        return self.mode_weights[i]


def _secular_rates(state, grid: Grid, params: PairingParams, cutoff: float, return_eigenvectors: bool):
    """Eigenvalues of -iA per block of coupled energy groups (A: secular_matrix), with conjugates."""
    n = grid.n_modes
    vals_all, vecs_all = [], []
    for idx, e_frame, a in secular_blocks(state, grid, params, cutoff):
        # A is written in the frame turning at 2 E_f: a diagonal 2E >> mu would otherwise cost the
        # growth rates (imaginary parts, ~mu) their precision at small mu/E
        if return_eigenvectors:
            vals, vecs = np.linalg.eig(-1j * a)
            full = np.zeros((n, idx.size), complex)
            full[idx] = vecs
            vecs_all.append(full)
        else:
            vals = np.linalg.eigvals(-1j * a)
        vals_all.append(vals - 2j * e_frame)
    vals = np.concatenate(vals_all)
    vals = np.concatenate([vals, np.conj(vals)])
    order = np.argsort(-vals.real, kind="stable")
    if not return_eigenvectors:
        return StabilityResult(vals[order], None, "secular")
    vecs = np.concatenate(vecs_all, axis=1)
    vecs = np.concatenate([vecs, np.conj(vecs)], axis=1)[:, order]
    weights = (np.abs(vecs) ** 2 / np.sum(np.abs(vecs) ** 2, axis=0, keepdims=True)).T
    kv = vecs[:, :10].T
    return StabilityResult(vals[order], weights, "secular", kv / np.linalg.norm(kv, axis=1, keepdims=True))


def _mode_weights(vecs: NDArray, n: int) -> NDArray:
    wts = np.abs(vecs[:n]) ** 2 + np.abs(vecs[n:]) ** 2  # (N, k)
    return (wts / np.sum(wts, axis=0, keepdims=True)).T


def _kappa_vectors(vecs: NDArray, n: int, m: int = 10) -> NDArray:
    kv = (vecs[:n, :m] + 1j * vecs[n:, :m]).T
    return kv / np.linalg.norm(kv, axis=1, keepdims=True)


def _dense(state, grid, params, return_eigenvectors):
    j = stability_matrix(state, grid, params)
    if return_eigenvectors:
        vals, vecs = np.linalg.eig(j)
    else:
        vals, vecs = np.linalg.eigvals(j), None
    order = np.argsort(-vals.real, kind="stable")
    vals = vals[order]
    if vecs is None:
        return StabilityResult(vals, None, "dense")
    vecs = vecs[:, order]
    return StabilityResult(vals, _mode_weights(vecs, grid.n_modes), "dense", _kappa_vectors(vecs, grid.n_modes))


def _shift_invert(op, a, umat, wmat, sigma: complex, k_per_bin: int):
    """ARPACK eigenpairs of J nearest sigma, (J - sigma)^-1 applied in O(N) by Woodbury."""
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
    # a fixed start vector: ARPACK's default is random, and results must not change between runs
    v0 = np.cos(np.arange(2 * n) * 0.7390851332) + 1j * np.sin(np.arange(2 * n) * 0.5772156649)
    return eigs(op, k=int(min(k_per_bin, 2 * n - 2)), sigma=sigma, OPinv=opinv, which="LM", tol=1e-12, v0=v0)


def eigenvalues_near(state, grid: Grid, params: PairingParams, sigma_MeV: complex, k: int = 6) -> NDArray:
    """The k eigenvalues lambda [MeV] of the linearized system nearest ``sigma_MeV`` (ARPACK
    shift-invert, (J - sigma)^-1 applied in O(N) by the Woodbury identity), largest real part first.

    For checking a root found otherwise, e.g. by :func:`~nupair.pairing.dispersion_growth_rate`.
    """
    a, umat, wmat = _linear_parts(state, grid, params)
    n = grid.n_modes

    def matvec(v):
        v = np.asarray(v).ravel()
        return np.concatenate([a * v[n:], -a * v[:n]]) + umat @ (wmat @ v)

    op = LinearOperator((2 * n, 2 * n), matvec=matvec, dtype=complex)
    try:
        vals, _ = _shift_invert(op, a, umat, wmat, complex(sigma_MeV), k)
    except ArpackNoConvergence as exc:
        raise SolverError(f"ARPACK found {len(exc.eigenvalues)} of {k} eigenvalues near {sigma_MeV:.4g} MeV",
                          Status.MAX_ITERATIONS_REACHED) from None
    return vals[np.argsort(-vals.real, kind="stable")]


def _arnoldi(state, grid, params, return_eigenvectors, k_per_bin):
    a, umat, wmat = _linear_parts(state, grid, params)
    n = grid.n_modes

    def matvec(v):
        v = np.asarray(v).ravel()
        x, y = v[:n], v[n:]
        return np.concatenate([a * y, -a * x]) + umat @ (wmat @ v)

    op = LinearOperator((2 * n, 2 * n), matvec=matvec, dtype=complex)
    coupling_scale = float(np.max(np.abs(umat))) * float(np.max(np.abs(wmat))) * umat.shape[1]
    # no eigenvalue has Re lambda above ||U|| ||W||; a shift much beyond a tenth of it leaves many
    # eigenvalues at nearly equal distance and ARPACK stalls (strong coupling, g' ~ 1e-4 MeV^-2)
    shift_cap = 0.1 * float(np.linalg.norm(umat, 2) * np.linalg.norm(wmat, 2))
    energies = np.round(grid.energy_MeV, 12)
    vals_all, vecs_all = [], []
    for e in np.unique(energies):
        # Unstable modes of a bin sit near -2iE (and the mirror +2iE) within the spread of the
        # detunings a_p; shifting by a real part larger than that spread makes "nearest to sigma"
        # mean "largest real part" among the bin's eigenvalues.
        a_bin = a[energies == e]
        sigma = (2.0 * float(a_bin.max() - a_bin.min()) + 10.0 * coupling_scale) - 1j * float(np.mean(a_bin))
        try:
            vals, vecs = _shift_invert(op, a, umat, wmat, sigma, k_per_bin)
        except ArpackNoConvergence:
            # retry closer to the imaginary axis, where the eigenvalues near sigma separate
            try:
                vals, vecs = _shift_invert(op, a, umat, wmat, min(sigma.real, shift_cap) + 1j * sigma.imag,
                                           k_per_bin)
            except ArpackNoConvergence as exc:
                raise SolverError(f"ARPACK found {len(exc.eigenvalues)} eigenvalues near {sigma:.4g} MeV",
                                  Status.MAX_ITERATIONS_REACHED) from None
        vals_all.append(vals)
        vecs_all.append(vecs)
    vals = np.concatenate(vals_all)
    vecs = np.concatenate(vecs_all, axis=1)
    order = np.argsort(-vals.real, kind="stable")
    if not return_eigenvectors:
        return StabilityResult(vals[order], None, "arnoldi")
    vecs = vecs[:, order]
    return StabilityResult(vals[order], _mode_weights(vecs, n), "arnoldi", _kappa_vectors(vecs, n))


def growth_rates(state, grid: Grid, params: PairingParams, *, method: str = "auto",
                 return_eigenvectors: bool = True, k_per_bin: int = 12, model: str = "full",
                 secular_cutoff: float = DEFAULT_SECULAR_CUTOFF) -> StabilityResult:
    """Eigenvalues (largest real part first) and eigenvector mode weights of the linearized system.

    Parameters
    ----------
    state : PairState or array (4, N)
        Occupations to linearize around (kappa is set to 0).
    grid, params : Grid, PairingParams
    method : {"auto", "dense", "arnoldi"}
        "auto": dense LAPACK for N <= DENSE_MAX_MODES, otherwise Arnoldi.
    return_eigenvectors : bool
        Compute the mode weights of every eigenvector.
    k_per_bin : int
        Arnoldi only: eigenvalues requested near each energy bin's -2 i E_j.
    model : {"full", "secular"}
        "secular": eigenvalues of the secular system (``docs/secular.md`` S8), block by block over
        the energy groups the cutoff couples (dense LAPACK per block: O(sum n_block^3), so grids
        far beyond the full model's reach); eigenvalues -i alpha of -iA and their conjugates.
    secular_cutoff : float
        Secular model only (units of mu), as in :func:`~nupair.pairing.secular.secular_groups`.

    Returns
    -------
    StabilityResult
    """
    if model == "secular":
        return _secular_rates(state, grid, params, secular_cutoff, return_eigenvectors)
    if model != "full":
        raise ValueError(f"model={model!r} is not allowed; allowed: 'full', 'secular'")
    if method not in ("auto", "dense", "arnoldi"):
        raise ValueError(f"method={method!r} is not allowed; allowed: 'auto', 'dense', 'arnoldi'")
    if method == "dense" or (method == "auto" and grid.n_modes <= DENSE_MAX_MODES):
        return _dense(state, grid, params, return_eigenvectors)
    return _arnoldi(state, grid, params, return_eigenvectors, k_per_bin)
