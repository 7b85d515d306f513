"""Extended QKE with flavor: nu-nubar pairing and flavor coherence together, in O(N).

Derivation and conventions: ``docs/flavor-pairing.md`` (equations F1-F12). For every pair mode p
(neutrino at +p, antineutrino at -p) the state is the 2 n_f x 2 n_f generalized density matrix
(F1; HW eq. 2 for n_f = 1; Volpe, Vaananen & Espinoza, arXiv:1302.2374)

.. math::
    R_p = \\begin{pmatrix}\\rho_p & \\kappa_p\\\\ \\kappa_p^\\dagger & 1-\\bar\\rho_p^{T}\\end{pmatrix},
    \\qquad i\\dot R_p = [H_p, R_p],

with (rho_p)_{ab} = <a_b^+ a_a>, (rhobar_p)_{ab} = <b_b^+ b_a>, (kappa_p)_{ab} = <b_b a_a>. The
mean field (F5-F7) follows from the flavor-universal neutral-current interaction, whose direct
(Hartree) and exchange (Fock, by the chiral Fierz identity) contractions give the fields
F^mu = Tr(J^mu) 1 + J^mu of the flavor-matrix currents (F4)

.. math::
    J^0 = \\sum_q w_q(\\rho_q - \\bar\\rho_q^T),\\qquad
    \\mathbf J = \\sum_q w_q[\\hat q(\\rho_q + \\bar\\rho_q^T) + \\epsilon_q\\kappa_q
                 + \\epsilon_q^*\\kappa_q^\\dagger],

so one step costs O(N n_f^3) (the moments trick of spec 2.1). For n_f = 1, F = 2J and the
equations are HW eqs. (3)-(7) exactly. Units: energies MeV, weights w = g Delta V in MeV, masses
squared eV^2 (converted here), times MeV^-1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair import constants as _c
from nupair import validation as _v
from nupair.pairing.grid import Grid
from nupair.pairing.qke import PairState

__all__ = [
    "FlavorPairState",
    "FlavorPhysics",
    "flavor_currents",
    "flavor_fields",
    "flavor_hamiltonians",
    "flavor_rhs",
    "flavor_rhs_pairwise",
    "flavor_energy",
    "generalized_matrix",
    "MAX_FLAVORS",
]

MAX_FLAVORS = 3
_MeV2_PER_eV2 = (_c.eV / _c.MeV) ** 2


def _hermitian_part_error(a: NDArray) -> float:
    return float(np.max(np.abs(a - np.conj(np.swapaxes(a, -1, -2))), initial=0.0))


@dataclass(frozen=True)
class FlavorPairState:
    """Flavor density matrices and pairing correlations of N pair modes.

    Attributes
    ----------
    rho : ndarray (N, n_f, n_f) complex
        Neutrino density matrix at +p, (rho)_{ab} = <a_b^+ a_a>; Hermitian, diagonal in [0, 1].
    rhobar : ndarray (N, n_f, n_f) complex
        Antineutrino density matrix at -p, (rhobar)_{ab} = <b_b^+ b_a> (same index order as rho).
    kappa : ndarray (N, n_f, n_f) complex
        Pairing correlation (kappa)_{ab} = <b_b a_a>; kappa_ee is HW's kappa.
    """

    rho: NDArray[np.complex128]
    rhobar: NDArray[np.complex128]
    kappa: NDArray[np.complex128]

    def __post_init__(self):
        arrays = {}
        for name in ("rho", "rhobar", "kappa"):
            try:
                a = np.array(getattr(self, name), dtype=complex)
            except (TypeError, ValueError):
                a = None
            _v.require(a is not None, name, type(getattr(self, name)).__name__, "must be an array of numbers (N, n_f, n_f)")
            _v.require(a.ndim == 3 and a.shape[1] == a.shape[2] and 1 <= a.shape[1] <= MAX_FLAVORS, name,
                       f"an array of shape {a.shape}", f"must have shape (N, n_f, n_f) with n_f in 1..{MAX_FLAVORS}")
            _v.require(bool(np.all(np.isfinite(a))), name, "an array with non-finite values", "must be finite")
            arrays[name] = a
        shapes = {a.shape for a in arrays.values()}
        _v.require(len(shapes) == 1, "rho, rhobar, kappa", f"arrays of shapes {sorted(shapes)}",
                   "must all have the same shape (N, n_f, n_f)")
        for name in ("rho", "rhobar"):
            a = arrays[name]
            err = _hermitian_part_error(a)
            _v.require(err <= 1e-12, name, f"a matrix with |a - a^+| = {err:.3g}", "a density matrix must be Hermitian")
            diag = np.einsum("nii->ni", a).real
            bad = diag[(diag < -1e-12) | (diag > 1 + 1e-12)]
            _v.require(bad.size == 0, name, f"a matrix with diagonal entry {bad[0] if bad.size else 0:.6g}",
                       "occupations (the diagonal) must lie in [0, 1]")
        for name, a in arrays.items():
            object.__setattr__(self, name, a)

    @property
    def n_modes(self) -> int:
        return int(self.rho.shape[0])

    @property
    def n_flavors(self) -> int:
        return int(self.rho.shape[1])

    #: ``pairing.evolve`` and ``pairing.growth_rates`` use this registered model (with
    #: :attr:`model_options`) when given this state and no ``model``.
    default_model = "flavor"

    @property
    def model_options(self) -> dict:
        """Options of the default model: a massless FlavorModel with this state's n_f (HW's world)."""
        return {"n_flavors": self.n_flavors}

    def generalized(self) -> NDArray[np.complex128]:
        """R_p (N, 2 n_f, 2 n_f) of eq. (F1)."""
        return generalized_matrix(self.rho, self.rhobar, self.kappa)

    @classmethod
    def from_generalized(cls, r: ArrayLike) -> "FlavorPairState":
        """The state of generalized density matrices R (N, 2 n_f, 2 n_f)."""
        r = np.asarray(r, dtype=complex)
        nf = r.shape[-1] // 2
        eye = np.eye(nf)
        return cls(r[:, :nf, :nf], np.swapaxes(eye - r[:, nf:, nf:], -1, -2), r[:, :nf, nf:])

    @classmethod
    def from_single_flavor(cls, state: PairState, n_flavors: int = 2, flavor: int = 0) -> "FlavorPairState":
        """``state`` (occupations and kappa of one flavor) placed in flavor ``flavor`` of an
        ``n_flavors`` system; the other flavors empty (rho = rhobar = kappa = 0)."""
        nf = _v.positive_int("n_flavors", n_flavors, 1, MAX_FLAVORS)
        a = _v.positive_int("flavor", flavor, 0, nf - 1)
        _v.instance_of("state", state, PairState, "a nupair.pairing.PairState")
        n = state.n_modes
        rho, rhobar, kappa = (np.zeros((n, nf, nf), complex) for _ in range(3))
        rho[:, a, a], rhobar[:, a, a], kappa[:, a, a] = state.rho, state.rhobar, state.kappa
        return cls(rho, rhobar, kappa)

    @classmethod
    def flavor_symmetric(cls, state: PairState, n_flavors: int = 2) -> "FlavorPairState":
        """Every flavor a copy of ``state`` (rho = rho_1 * 1, ...): the background of the exact
        singlet/adjoint reduction to HW (``docs/flavor-pairing.md``, F11)."""
        nf = _v.positive_int("n_flavors", n_flavors, 1, MAX_FLAVORS)
        eye = np.eye(nf)
        return cls(state.rho[:, None, None] * eye, state.rhobar[:, None, None] * eye,
                   state.kappa[:, None, None] * eye)

    def with_flavor_seed(self, amplitude: float = 1e-5, *, seed: int | None = None) -> "FlavorPairState":
        """The state turned by a small random flavor rotation per mode (rho -> U rho U^+, rhobar ->
        Ubar rhobar Ubar^+, kappa -> U kappa Ubar^T): seeds flavor coherence of size ~ ``amplitude``
        while keeping every eigenvalue (positivity, purity) of rho and rhobar."""
        amp = _v.non_negative("amplitude", amplitude)
        rng = np.random.default_rng(seed)
        n, nf = self.n_modes, self.n_flavors

        def rotations():
            x = amp * (rng.standard_normal((n, nf, nf)) + 1j * rng.standard_normal((n, nf, nf)))
            h = 0.5 * (x + np.conj(np.swapaxes(x, -1, -2)))
            h[:, np.arange(nf), np.arange(nf)] = 0.0
            vals, vecs = np.linalg.eigh(h)
            return np.einsum("nab,nb,ncb->nac", vecs, np.exp(1j * vals), np.conj(vecs))

        u, ub = rotations(), rotations()
        uh = np.conj(np.swapaxes(u, -1, -2))
        ubh = np.conj(np.swapaxes(ub, -1, -2))
        return FlavorPairState(u @ self.rho @ uh, ub @ self.rhobar @ ubh, u @ self.kappa @ np.swapaxes(ub, -1, -2))


def generalized_matrix(rho: NDArray, rhobar: NDArray, kappa: NDArray) -> NDArray[np.complex128]:
    """R (N, 2 n_f, 2 n_f) = [[rho, kappa], [kappa^+, 1 - rhobar^T]] (eq. F1)."""
    n, nf = rho.shape[0], rho.shape[1]
    r = np.empty((n, 2 * nf, 2 * nf), complex)
    r[:, :nf, :nf] = rho
    r[:, :nf, nf:] = kappa
    r[:, nf:, :nf] = np.conj(np.swapaxes(kappa, -1, -2))
    r[:, nf:, nf:] = np.eye(nf) - np.swapaxes(rhobar, -1, -2)
    return r


@dataclass(frozen=True)
class FlavorPhysics:
    """The flavor model's one-particle physics on a grid: what the equations need besides R.

    Attributes
    ----------
    energy_MeV, w_MeV : ndarray (N,)
        Mode energies and weights w = g Delta V [MeV].
    p_hat : ndarray (N, 3); eps : ndarray (N, 3) complex
        Directions and polarization vectors (HW, below eq. 5).
    vacuum_MeV : ndarray (N, n_f, n_f) complex
        M^2/(2E_p) in the flavor basis, U diag(m_i^2) U^+ / (2 E_p) [MeV] (F2), without E_p.
    matter_MeV : ndarray (n_f,)
        Diagonal matter potential (sqrt(2) G_F n_e on the electron flavor) [MeV] (F3).
    pairing : bool
        False: kappa is held at 0 and the abnormal field dropped (the standard QKE).
    """

    energy_MeV: NDArray
    w_MeV: NDArray
    p_hat: NDArray
    eps: NDArray
    vacuum_MeV: NDArray
    matter_MeV: NDArray
    pairing: bool

    @property
    def n_flavors(self) -> int:
        return int(self.matter_MeV.size)

    @classmethod
    def build(cls, grid: Grid, coupling_per_MeV2: float, n_flavors: int, mass_squared_eV2, mixing,
              matter_potential_MeV: float, pairing: bool) -> "FlavorPhysics":
        nf = n_flavors
        m2 = np.asarray(mass_squared_eV2, dtype=float) * _MeV2_PER_eV2
        u = np.asarray(mixing, dtype=complex)
        msq = u @ np.diag(m2) @ np.conj(u.T)
        vac = msq[None, :, :] / (2.0 * grid.energy_MeV[:, None, None])
        matter = np.zeros(nf)
        matter[0] = matter_potential_MeV
        return cls(grid.energy_MeV, grid.weights(coupling_per_MeV2), grid.p_hat, grid.eps, vac, matter,
                   bool(pairing))


def flavor_currents(r: NDArray, phys: FlavorPhysics) -> tuple[NDArray, NDArray]:
    """(J^0 (n_f, n_f), J (3, n_f, n_f)) [MeV] of eq. (F4), vacuum-subtracted, from R (N, 2n_f, 2n_f)."""
    nf = phys.n_flavors
    eye = np.eye(nf)
    uu, ul, lu, ll = r[:, :nf, :nf], r[:, :nf, nf:], r[:, nf:, :nf], r[:, nf:, nf:]
    w = phys.w_MeV
    j0 = np.einsum("q,qab->ab", w, uu + ll - eye)
    j = np.einsum("q,qi,qab->iab", w, phys.p_hat, uu - ll + eye)
    if phys.pairing:
        j = j + np.einsum("q,qi,qab->iab", w, phys.eps, ul) + np.einsum("q,qi,qab->iab", w, np.conj(phys.eps), lu)
    return j0, j


def flavor_fields(j0: NDArray, j: NDArray) -> tuple[NDArray, NDArray]:
    """F^mu = Tr(J^mu) 1 + J^mu (eq. F5): direct plus exchange (Fierz) contraction."""
    nf = j0.shape[-1]
    eye = np.eye(nf)
    return j0 + np.trace(j0) * eye, j + np.trace(j, axis1=-2, axis2=-1)[:, None, None] * eye


def _mean_field(r: NDArray, phys: FlavorPhysics) -> NDArray:
    """H_p without the kinetic E_p tau_3 term (N, 2n_f, 2n_f) [MeV] (eqs. F6-F7)."""
    nf = phys.n_flavors
    f0, f = flavor_fields(*flavor_currents(r, phys))
    pf = np.einsum("pi,iab->pab", phys.p_hat, f)
    common = np.diag(phys.matter_MeV) + f0
    h = np.zeros(r.shape, complex)
    h[:, :nf, :nf] = phys.vacuum_MeV + common - pf
    h[:, nf:, nf:] = -phys.vacuum_MeV + common + pf
    if phys.pairing:
        delta = -np.einsum("pi,iab->pab", np.conj(phys.eps), f)
        h[:, :nf, nf:] = delta
        h[:, nf:, :nf] = np.conj(np.swapaxes(delta, -1, -2))
    return h


def flavor_hamiltonians(r: NDArray, phys: FlavorPhysics) -> NDArray[np.complex128]:
    """H_p (N, 2n_f, 2n_f) [MeV]: kinetic E_p tau_3 plus vacuum, matter and mean field (F6-F7)."""
    nf = phys.n_flavors
    h = _mean_field(r, phys)
    e = phys.energy_MeV[:, None, None] * np.eye(nf)
    h[:, :nf, :nf] += e
    h[:, nf:, nf:] -= e
    return h


def _with_kinetic(dr: NDArray, r: NDArray, phys: FlavorPhysics) -> NDArray:
    # -i E [tau_3, R] has only off-diagonal blocks (2E on kappa); adding E to the diagonal blocks
    # of H instead would round the vacuum term (1e-19 MeV for Emu's test) away against E.
    nf = phys.n_flavors
    e = phys.energy_MeV[:, None, None]
    dr[:, :nf, nf:] += -2j * e * r[:, :nf, nf:]
    dr[:, nf:, :nf] += 2j * e * r[:, nf:, :nf]
    return dr


def flavor_rhs(r: NDArray, phys: FlavorPhysics) -> NDArray[np.complex128]:
    """dR/dt = -i [H_p, R_p] (N, 2n_f, 2n_f) [MeV] in O(N) from the moments (eq. F8)."""
    h = _mean_field(r, phys)
    return _with_kinetic(-1j * (h @ r - r @ h), r, phys)


def flavor_rhs_pairwise(r: NDArray, phys: FlavorPhysics) -> NDArray[np.complex128]:
    """The same dR/dt from the double sum over mode pairs (eq. F9, the flavor form of HW
    eqs. 3-5): O(N^2), an independent reference for tests and benchmarks (chunked over p)."""
    nf = phys.n_flavors
    eye = np.eye(nf)
    rho, kap, low = r[:, :nf, :nf], r[:, :nf, nf:], r[:, nf:, nf:]
    rhobar_t = eye - low  # rhobar^T
    kap_h = np.conj(np.swapaxes(kap, -1, -2))
    w, ph, eps = phys.w_MeV, phys.p_hat, phys.eps
    n = r.shape[0]
    out = np.empty_like(r)

    def t(x):  # X + Tr(X) 1 over the last two axes
        return x + np.trace(x, axis1=-2, axis2=-1)[..., None, None] * eye

    chunk = max(1, 4_000_000 // max(n * nf * nf, 1))
    for start in range(0, n, chunk):
        sl = slice(start, min(n, start + chunk))
        pq = ph[sl] @ ph.T                        # p.q (P, N)
        pe = ph[sl] @ eps.T                       # p.eps_q
        epq = np.conj(eps[sl]) @ ph.T             # eps_p^* . q
        ee = np.conj(eps[sl]) @ eps.T             # eps_p^* . eps_q
        eec = np.conj(eps[sl]) @ np.conj(eps).T   # eps_p^* . eps_q^*
        k_term = kap if phys.pairing else 0.0 * kap
        kh_term = kap_h if phys.pairing else 0.0 * kap_h
        up = np.einsum("q,pq,qab->pab", w, 1 - pq, rho) - np.einsum("q,pq,qab->pab", w, 1 + pq, rhobar_t) \
            - np.einsum("q,pq,qab->pab", w, pe, k_term) - np.einsum("q,pq,qab->pab", w, np.conj(pe), kh_term)
        dn = np.einsum("q,pq,qab->pab", w, 1 + pq, rho) - np.einsum("q,pq,qab->pab", w, 1 - pq, rhobar_t) \
            + np.einsum("q,pq,qab->pab", w, pe, k_term) + np.einsum("q,pq,qab->pab", w, np.conj(pe), kh_term)
        de = -(np.einsum("q,pq,qab->pab", w, epq, rho + rhobar_t) + np.einsum("q,pq,qab->pab", w, ee, k_term)
               + np.einsum("q,pq,qab->pab", w, eec, kh_term))
        m = len(range(*sl.indices(n)))
        h = np.zeros((m, 2 * nf, 2 * nf), complex)
        matter = np.diag(phys.matter_MeV)
        h[:, :nf, :nf] = phys.vacuum_MeV[sl] + matter + t(up)
        h[:, nf:, nf:] = -phys.vacuum_MeV[sl] + matter + t(dn)
        if phys.pairing:
            h[:, :nf, nf:] = t(de)
            h[:, nf:, :nf] = np.conj(np.swapaxes(t(de), -1, -2))
        rs = r[sl]
        out[sl] = -1j * (h @ rs - rs @ h)
    return _with_kinetic(out, r, phys)


def flavor_energy(r: NDArray, phys: FlavorPhysics) -> NDArray[np.float64]:
    """Conserved energy W (eq. F10) [MeV^2 x weight] of states R (..., N, 2n_f, 2n_f):
    W = sum_p w_p Tr(h0_p R_p) + (1/2) sum_mu eta_mu [Tr(J^mu)^2 + Tr(J^mu J^mu)], h0 the
    kinetic, vacuum and matter part, eta = (+, -, -, -). For n_f = 1 it is HW's W/2 + N0^2."""
    r = np.asarray(r)
    flat = r.reshape((-1,) + r.shape[-3:])
    nf = phys.n_flavors
    out = np.empty(flat.shape[0])
    h0 = np.zeros(flat.shape[1:], complex)
    e = phys.energy_MeV[:, None, None] * np.eye(nf)
    h0[:, :nf, :nf] = e + phys.vacuum_MeV + np.diag(phys.matter_MeV)
    h0[:, nf:, nf:] = -e - phys.vacuum_MeV + np.diag(phys.matter_MeV)
    for i, ri in enumerate(flat):
        j0, j = flavor_currents(ri, phys)
        kinetic = np.einsum("p,pab,pba->", phys.w_MeV, h0, ri).real
        inter = (np.trace(j0) ** 2 + np.trace(j0 @ j0)
                 - sum(np.trace(j[k]) ** 2 + np.trace(j[k] @ j[k]) for k in range(3)))
        out[i] = kinetic + 0.5 * inter.real
    return out.reshape(r.shape[:-3])
