"""The flavor-pairing model: HW's pairing equations with n_f = 1, 2, 3 flavors, behind the
:class:`~nupair.pairing.PairingModel` interface.

Equations: :mod:`nupair.pairing.flavor_qke` (``docs/flavor-pairing.md`` F1-F10). Linear
stability (F12): around kappa = 0 and the given occupations, every component of the perturbation
of R_p (occupations, flavor coherence, pairing) is a variable, and the products of the
zeroth-order abnormal field Delta^(0) with perturbations are dropped: exactly HW's frozen
occupations (spec 6) for n_f = 1, for every flavor alike. Those terms couple perturbations at
frequency ~0 to ones at ~2E and shift eigenvalues by O(mu^2/E). The off-diagonal vacuum term and
Delta^(0) are the forcing of the linear system (they seed; they do not set the rates).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from nupair import flavor as _flavor
from nupair import validation as _v
from nupair.numerics import JIT_INTEGRATORS, JitDOP853, evolve as _integrate
from nupair.pairing._flavor_kernels import flavor_rhs_flat
from nupair.pairing.flavor_qke import (
    MAX_FLAVORS,
    FlavorPairState,
    FlavorPhysics,
    _mean_field,
    flavor_energy,
    flavor_rhs,
)
from nupair.pairing.grid import Grid
from nupair.pairing.kmodes import _half_shifts as _kinetic_shifts, is_homogeneous
from nupair.pairing.linear import GROWTH_NOISE_FLOOR_MeV, StabilityResult
from nupair.pairing.model import PairingModel, PairingSystem
from nupair.pairing.qke import PairingParams, PairState
from nupair.results import Status, StatusMixin

__all__ = ["FlavorModel", "FlavorStabilityResult", "FlavorEvolution", "FLAVOR_DENSE_MAX"]

#: Largest number of real linear variables (N (2 n_f)^2) solved by dense LAPACK.
FLAVOR_DENSE_MAX = 6000


@dataclass(frozen=True)
class FlavorModel(PairingModel):
    """Pairing with flavor (``docs/flavor-pairing.md``): n_f x n_f rho, rhobar, kappa per mode.

    ``FlavorModel.two_flavor(dm2_eV2, theta_rad)`` and ``FlavorModel.three_flavor(ordering)``
    build the usual vacuum terms (the latter from the NuFIT tables of ``nupair.constants``).

    Parameters
    ----------
    n_flavors : int
        1, 2 or 3. n_f = 1 is HW's model (the same growth rates as ``FullModel``).
    mass_squared_eV2 : tuple of float
        m_i^2 [eV^2] of the n_f mass states (only differences matter); () for massless (HW).
    mixing : tuple of tuples, optional
        The n_f x n_f unitary U_{alpha i} (flavor alpha, mass i); default the identity.
    matter_potential_MeV : float
        sqrt(2) G_F n_e [MeV] on the electron flavor (flavor 0) (F3).
    pairing : bool
        False: kappa held at 0 and the abnormal mean field dropped: the standard QKE (Emu's
        equations); the initial kappa must then be 0.
    """

    name = "flavor"

    n_flavors: int = 2
    mass_squared_eV2: tuple = ()
    mixing: tuple | None = None
    matter_potential_MeV: float = 0.0
    pairing: bool = True

    def __post_init__(self):
        nf = _v.positive_int("n_flavors", self.n_flavors, 1, MAX_FLAVORS)
        m2 = tuple(float(_v.finite("mass_squared_eV2", x, "eV^2")) for x in self.mass_squared_eV2)
        _v.require(not m2 or len(m2) == nf, "mass_squared_eV2", repr(self.mass_squared_eV2),
                   f"must hold n_flavors = {nf} values [eV^2] (or none, for massless neutrinos)")
        object.__setattr__(self, "mass_squared_eV2", m2)
        if self.mixing is not None:
            u = np.asarray(self.mixing, dtype=complex)
            _v.require(u.shape == (nf, nf) and np.allclose(u @ np.conj(u.T), np.eye(nf), atol=1e-10), "mixing",
                       repr(self.mixing), f"must be a unitary {nf} x {nf} matrix")
            object.__setattr__(self, "mixing", tuple(tuple(complex(x) for x in row) for row in u))
        _v.finite("matter_potential_MeV", self.matter_potential_MeV, "MeV")
        _v.one_of("pairing", self.pairing, (True, False))
        _v.require(isinstance(self.pairing, (bool, np.bool_)), "pairing", repr(self.pairing), "must be True or False")

    @classmethod
    def two_flavor(cls, dm2_eV2: float = 0.0, theta_rad: float = 0.0, *, matter_potential_MeV: float = 0.0,
                   pairing: bool = True) -> "FlavorModel":
        """Two flavors (e, x): m_1^2 = 0, m_2^2 = ``dm2_eV2`` [eV^2] (negative: nu_e mostly the
        heavier state, as in Emu's test inputs), nu_e = cos(theta) nu_1 + sin(theta) nu_2."""
        dm2 = _v.finite("dm2_eV2", dm2_eV2, "eV^2")
        th = _v.finite("theta_rad", theta_rad, "rad")
        c, s = np.cos(th), np.sin(th)
        return cls(2, (0.0, dm2), ((c, s), (-s, c)), matter_potential_MeV, pairing)

    @classmethod
    def three_flavor(cls, ordering: str = "normal", fit: str = "nufit-6.0", *, lightest_mass_eV: float = 0.0,
                     matter_potential_MeV: float = 0.0, pairing: bool = True) -> "FlavorModel":
        """Three flavors with the PMNS matrix and masses of a global fit (``nupair.constants``)."""
        u = _flavor.pmns_from_fit(ordering, fit)
        m = _flavor.masses_from_lightest(lightest_mass_eV, ordering, fit)
        return cls(3, tuple(float(x) ** 2 for x in m), tuple(map(tuple, u)), matter_potential_MeV, pairing)

    @classmethod
    def from_options(cls, **options) -> "FlavorModel":
        return cls(n_flavors=options.get("n_flavors", 2))

    def bind(self, grid: Grid, params: PairingParams) -> "_FlavorSystem":
        return _FlavorSystem(self, grid, params)

    def physics(self, grid: Grid, params: PairingParams) -> FlavorPhysics:
        nf = self.n_flavors
        m2 = self.mass_squared_eV2 or (0.0,) * nf
        u = np.eye(nf) if self.mixing is None else np.asarray(self.mixing, dtype=complex)
        return FlavorPhysics.build(grid, params.coupling_per_MeV2, nf, m2, u, self.matter_potential_MeV,
                                   self.pairing)


# --- real coordinates of Hermitian matrices ------------------------------------------------

def _herm_index(m: int):
    iu, ju = np.triu_indices(m, 1)
    return iu, ju


def _herm_coords(x: NDArray) -> NDArray:
    """Real coordinates (..., m^2) of Hermitian (..., m, m): diagonal, then Re and Im above it."""
    m = x.shape[-1]
    iu, ju = _herm_index(m)
    d = np.einsum("...ii->...i", x).real
    off = x[..., iu, ju]
    return np.concatenate([d, off.real, off.imag], axis=-1)


def _herm_basis(m: int) -> NDArray:
    """Basis (m^2, m, m) dual to :func:`_herm_coords`."""
    iu, ju = _herm_index(m)
    k = len(iu)
    b = np.zeros((m * m, m, m), complex)
    b[np.arange(m), np.arange(m), np.arange(m)] = 1.0
    b[m + np.arange(k), iu, ju] = 1.0
    b[m + np.arange(k), ju, iu] = 1.0
    b[m + k + np.arange(k), iu, ju] = 1j
    b[m + k + np.arange(k), ju, iu] = -1j
    return b


def _elementary_basis(m: int) -> NDArray:
    """The m^2 matrix units E_ab (m^2, m, m), row-major: the basis of complex delta R_k (K10)."""
    return np.eye(m * m, dtype=complex).reshape(m * m, m, m)


def _flat_coords(x: NDArray) -> NDArray:
    """Entries (..., m^2) of (..., m, m), row-major: dual to :func:`_elementary_basis`."""
    return x.reshape(x.shape[:-2] + (-1,))


def _entry_kinds(nf: int) -> NDArray:
    """Kind of each entry of a 2n_f x 2n_f matrix, row-major: 0 occupation, 1 flavor coherence, 2 pairing."""
    m = 2 * nf
    a, b = np.divmod(np.arange(m * m), m)
    same_block = (a < nf) == (b < nf)
    return np.where(~same_block, 2, np.where(a == b, 0, 1))


def _coordinate_kinds(nf: int) -> NDArray:
    """Kind of each coordinate of a 2n_f x 2n_f Hermitian: 0 occupation, 1 flavor coherence, 2 pairing."""
    m = 2 * nf
    iu, ju = _herm_index(m)
    same_block = (iu < nf) == (ju < nf)
    same_flavor = (iu % nf) == (ju % nf)
    off = np.where(~same_block, 2, np.where(same_flavor, 0, 1))
    # a same-block, same-flavor off-diagonal entry cannot occur (iu != ju inside one block means
    # different flavors); 0 there only if n_f = 1, where no such entry exists
    return np.concatenate([np.zeros(m, int), off, off])


@dataclass(frozen=True)
class FlavorStabilityResult(StabilityResult):
    """Eigenvalues of the linearized flavor-pairing equations (F12), largest real part first.

    Besides :class:`~nupair.pairing.StabilityResult`: the share of each eigenvector (squared
    moduli of its components, summed to 1) in ``flavor_weights`` (flavor coherence: off-diagonal rho, rhobar),
    ``pairing_weights`` (kappa) and ``occupation_weights`` (diagonal rho, rhobar), each (k,).
    """

    flavor_weights: NDArray | None = None
    pairing_weights: NDArray | None = None
    occupation_weights: NDArray | None = None

    def _branch_rate(self, pairing: bool) -> float:
        if self.pairing_weights is None:
            raise ValueError("eigenvectors were not computed (return_eigenvectors=False)")
        mask = (self.pairing_weights > self.flavor_weights) if pairing else (self.flavor_weights >= self.pairing_weights)
        mask &= self.eigenvalues.real > GROWTH_NOISE_FLOOR_MeV
        return float(self.eigenvalues.real[mask][0]) if np.any(mask) else 0.0

    @property
    def growth_rate_flavor_MeV(self) -> float:
        """Fastest growth rate [MeV] of the eigenvectors mostly flavor coherence (0 if none grows)."""
        return self._branch_rate(pairing=False)

    @property
    def growth_rate_pairing_MeV(self) -> float:
        """Fastest growth rate [MeV] of the eigenvectors mostly pairing (0 if none grows)."""
        return self._branch_rate(pairing=True)

    @property
    def pairing_weight_of_fastest_mode(self) -> float:
        """Pairing share of the fastest-growing eigenvector (0: pure flavor, 1: pure pairing)."""
        if self.pairing_weights is None:
            raise ValueError("eigenvectors were not computed (return_eigenvectors=False)")
        return float(self.pairing_weights[0])


class _FlavorSystem(PairingSystem):
    methods = ("auto", "dense")

    def __init__(self, model: FlavorModel, grid: Grid, params: PairingParams):
        super().__init__(model, grid, params)
        self.phys = model.physics(grid, params)
        self.nf = model.n_flavors

    # --- states -------------------------------------------------------------------------
    def check_state(self, state) -> FlavorPairState:
        if isinstance(state, PairState) and self.nf == 1:
            state = FlavorPairState.from_single_flavor(state, 1)
        _v.instance_of("state", state, FlavorPairState, "a nupair.pairing.FlavorPairState for the flavor model "
                       "(e.g. FlavorPairState.from_single_flavor(pair_state))")
        if state.n_modes != self.grid.n_modes:
            raise ValueError(f"state has {state.n_modes} modes, grid has {self.grid.n_modes}")
        if state.n_flavors != self.nf:
            raise ValueError(f"state has {state.n_flavors} flavors, the model n_flavors = {self.nf}")
        return state

    def _r(self, y: NDArray) -> NDArray:
        """Complex R (..., N, 2n_f, 2n_f) of real flat states (..., 2 N (2n_f)^2)."""
        m = 2 * self.nf
        v = np.asarray(y, dtype=float)
        v = v.reshape(v.shape[:-1] + (self.grid.n_modes, m, m, 2))
        return v[..., 0] + 1j * v[..., 1]

    @staticmethod
    def _pack(r: NDArray) -> NDArray:
        return np.stack([r.real, r.imag], axis=-1).reshape(r.shape[:-3] + (-1,))

    # --- equations of motion ------------------------------------------------------------
    def kernel(self):
        p = self.phys
        return flavor_rhs_flat, (p.energy_MeV, p.w_MeV, np.ascontiguousarray(p.p_hat),
                                 np.ascontiguousarray(p.eps.real), np.ascontiguousarray(p.eps.imag),
                                 np.ascontiguousarray(p.vacuum_MeV.real), np.ascontiguousarray(p.vacuum_MeV.imag),
                                 np.ascontiguousarray(p.matter_MeV, dtype=float), 1.0 if p.pairing else 0.0)

    def rhs(self, t_MeV, y):
        return self._pack(flavor_rhs(self._r(y), self.phys))

    def conserved_energy(self, ys_lab, inv=None):
        """W (F10) of flat states (n_t, 2 N (2n_f)^2)."""
        return flavor_energy(self._r(ys_lab), self.phys)

    def describe_component(self, index: int) -> str:
        m = 2 * self.nf
        mode, rest = divmod(index // 2, m * m)
        a, b = divmod(rest, m)
        g = self.grid
        return (f"mode {mode}, R[{a}, {b}] {'Re' if index % 2 == 0 else 'Im'} (E = {g.energy_MeV[mode]:.4g} MeV, "
                f"theta = {g.theta[mode]:.4g}, phi = {g.phi[mode]:.4g})")

    # --- linearization (F12; at wave vector k, K10) -------------------------------------
    def _local_action(self, r0: NDArray, basis: NDArray, k: NDArray | None) -> tuple[NDArray, NDArray]:
        """(-i [h0, B] per mode and basis matrix (n, n_basis, m, m), the full background H (n, m, m)):
        the mode-local part of F12, at wave vector k with the kinetic term of K3 (None: k = 0)."""
        nf, phys = self.nf, self.phys
        n, m = self.grid.n_modes, 2 * self.nf
        complex_form = k is not None
        h_full = _mean_field(r0, phys)
        e = phys.energy_MeV[:, None, None] * np.eye(nf)
        h_full[:, :nf, :nf] += e
        h_full[:, nf:, nf:] -= e
        h0 = h_full.copy()
        h0[:, :nf, nf:] = 0.0  # Delta^(0) x perturbation dropped (frozen occupations, HW spec 6)
        h0[:, nf:, :nf] = 0.0
        if complex_form:
            # kinetic part at k, H0(p + k/2) B - B H0(p - k/2) with H0(q) = |q| tau_3 (K3), entry by
            # entry (adding E to H would round the vacuum term away, as in flavor_qke._with_kinetic):
            # nu block p+ - p-, kappa block p+ + p-, and minus those for the lower blocks
            dp, dm = _kinetic_shifts(self.grid, k)
            stream, pair_e = dp - dm, 2.0 * phys.energy_MeV + dp + dm
            kin = np.empty((n, m, m))
            kin[:, :nf, :nf] = stream[:, None, None]
            kin[:, nf:, nf:] = -stream[:, None, None]
            kin[:, :nf, nf:] = pair_e[:, None, None]
            kin[:, nf:, :nf] = -pair_e[:, None, None]
            hk = _mean_field(r0, phys)
            hk[:, :nf, nf:] = 0.0  # Delta^(0) dropped, as above
            hk[:, nf:, :nf] = 0.0
            act = -1j * (hk[:, None] @ basis[None] - basis[None] @ hk[:, None] + kin[:, None] * basis[None])
        else:
            act = -1j * (h0[:, None] @ basis[None] - basis[None] @ h0[:, None])
        return act, h_full

    def _linear_system(self, state: FlavorPairState, k: NDArray | None = None) -> tuple[NDArray, NDArray, NDArray]:
        """(L, c, kinds): d x/dt = L x + c for the coordinates x of delta R, all modes.

        k = None (or 0): real coordinates of Hermitian delta R (diagonal, Re and Im above it).
        k != 0: the complex entries of delta R_k (not Hermitian: delta R(x) = delta R_k e^{ikx} + h.c.),
        on which the same equations act complex-linearly, the kinetic commutator replaced by
        H0(p + k/2) delta R_k - delta R_k H0(p - k/2) (docs/k-modes.md K3, K10). At k = 0 the
        complex operator is the complexification of the real one (same eigenvalues).
        """
        nf, m, phys = self.nf, 2 * self.nf, self.phys
        n = self.grid.n_modes
        kk = m * m
        complex_form = k is not None and not is_homogeneous(k)
        if n * kk > FLAVOR_DENSE_MAX:
            raise ValueError(f"the flavor stability matrix has N (2 n_f)^2 = {n * kk} variables, which is not "
                             f"allowed: at most {FLAVOR_DENSE_MAX} (dense LAPACK); use fewer modes")
        if complex_form:
            basis, fb = _elementary_basis(m), _elementary_basis(nf)
            coords = _flat_coords
        else:
            basis, fb = _herm_basis(m), _herm_basis(nf)
            coords = _herm_coords
        r0 = state.generalized()
        r0[:, :nf, nf:] = 0.0
        r0[:, nf:, :nf] = 0.0
        act, h_full = self._local_action(r0, basis, k if complex_form else None)
        local = coords(act)  # (n, k_in, k_out)
        dtype = complex if complex_form else float
        big = np.zeros((n * kk, n * kk), dtype)
        for p in range(n):
            big[p * kk:(p + 1) * kk, p * kk:(p + 1) * kk] = local[p].T
        # currents of each basis perturbation (q, b): delta F^mu = T(delta J^mu), F4-F5; written
        # without complex conjugation of delta R, so complex-linear (what k != 0 needs)
        buu, bul, blu, bll = basis[:, :nf, :nf], basis[:, :nf, nf:], basis[:, nf:, :nf], basis[:, nf:, nf:]
        w = phys.w_MeV
        pair = 1.0 if phys.pairing else 0.0
        dj = np.empty((4, n, kk, nf, nf), complex)
        dj[0] = w[:, None, None, None] * (buu + bll)[None]
        for i in range(3):
            dj[1 + i] = w[:, None, None, None] * (phys.p_hat[:, i, None, None, None] * (buu - bll)[None]
                                                  + pair * (phys.eps[:, i, None, None, None] * bul[None]
                                                            + np.conj(phys.eps[:, i, None, None, None]) * blu[None]))
        tr = np.trace(dj, axis1=-2, axis2=-1)
        df = dj + tr[..., None, None] * np.eye(nf)
        dmat = coords(df).transpose(0, 3, 1, 2).reshape(4 * nf * nf, n * kk)  # delta F coords
        # response of every mode to a unit delta F^mu along fb[j]: -i [delta H_p, R0_p]
        resp = np.empty((n, kk, 4, nf * nf), dtype)
        for mu in range(4):
            dh = np.zeros((n, nf * nf, m, m), complex)
            if mu == 0:
                dh[:, :, :nf, :nf] = fb[None]
                dh[:, :, nf:, nf:] = fb[None]
            else:
                i = mu - 1
                ph = phys.p_hat[:, i, None, None, None]
                ec = np.conj(phys.eps[:, i, None, None, None])
                dh[:, :, :nf, :nf] = -ph * fb[None]
                dh[:, :, nf:, nf:] = ph * fb[None]
                dh[:, :, :nf, nf:] = -pair * ec * fb[None]
                dh[:, :, nf:, :nf] = -pair * np.conj(ec) * fb[None]
            out = -1j * (dh @ r0[:, None] - r0[:, None] @ dh)
            resp[:, :, mu, :] = coords(out).transpose(0, 2, 1)
        cmat = resp.reshape(n * kk, 4 * nf * nf)
        big += cmat @ dmat
        source = coords(-1j * (h_full @ r0 - r0 @ h_full)).reshape(n * kk)
        kinds = np.tile(_coordinate_kinds(nf) if not complex_form else _entry_kinds(nf), n)
        if not phys.pairing:
            keep = kinds != 2
            big, source, kinds = big[np.ix_(keep, keep)], source[keep], kinds[keep]
        return big, source, kinds

    def stability_matrix(self, state, k_MeV=None) -> NDArray:
        """Matrix (n_var, n_var) [MeV] of the linearized equations (F12): at k = 0 real, variables
        the real coordinates of delta R_p mode by mode (diagonal, then Re and Im above it); at
        k != 0 complex, variables the entries of delta R_k row by row (K10)."""
        k = self.wave_vector(k_MeV)
        return self._linear_system(self.check_state(state), None if is_homogeneous(k) else k)[0]

    def fixed_point(self, state) -> NDArray[np.complex128]:
        """kappa_fp (N, n_f, n_f) the linearized equations are driven to (least squares: the
        occupation zero modes carry no source)."""
        state = self.check_state(state)
        big, src, kinds = self._linear_system(state)
        x = np.linalg.lstsq(big, -src, rcond=None)[0]
        return self._kappa_from_coords(x, kinds)

    def _kappa_from_coords(self, x: NDArray, kinds: NDArray) -> NDArray:
        nf, m, n = self.nf, 2 * self.nf, self.grid.n_modes
        if not self.phys.pairing:
            return np.zeros((n, nf, nf), complex)
        basis = _herm_basis(m)
        r = np.einsum("pk,kab->pab", x.reshape(n, m * m), basis)
        return r[:, :nf, nf:]

    def growth_rates(self, state, method, return_eigenvectors, k_per_bin, k_MeV=None):
        state = self.check_state(state)
        k = self.wave_vector(k_MeV)
        big, _, kinds = self._linear_system(state, None if is_homogeneous(k) else k)
        n = self.grid.n_modes
        if return_eigenvectors:
            vals, vecs = np.linalg.eig(big)
        else:
            vals, vecs = np.linalg.eigvals(big), None
        order = np.argsort(-vals.real, kind="stable")
        vals = vals[order]
        if vecs is None:
            return FlavorStabilityResult(vals, None, "dense")
        p2 = np.abs(vecs[:, order]) ** 2
        p2 /= np.sum(p2, axis=0, keepdims=True)
        share = [np.sum(p2[kinds == kind], axis=0) for kind in (0, 1, 2)]
        per_mode = p2.reshape(n, -1, p2.shape[1]).sum(axis=1).T  # every mode keeps the same coordinates
        return FlavorStabilityResult(vals, per_mode, "dense", None, flavor_weights=share[1],
                                     pairing_weights=share[2], occupation_weights=share[0])

    # --- evolution ------------------------------------------------------------------------
    def evolve(self, initial_state, t_final, *, n_save, solver, segment_length, resume, on_segment,
               store_modes, subtract_fixed_point) -> "FlavorEvolution":
        state = self.check_state(initial_state)
        if not self.phys.pairing and np.any(state.kappa != 0):
            raise ValueError("the model has pairing=False (the standard QKE): the initial kappa must be 0")
        n, nf, m = self.grid.n_modes, self.nf, 2 * self.nf
        r0 = state.generalized()
        store = n <= 4096 if store_modes is None else bool(store_modes)
        subtract = (n * m * m <= FLAVOR_DENSE_MAX) if subtract_fixed_point is None else bool(subtract_fixed_point)
        kappa_fp = self.fixed_point(state) if (subtract and self.phys.pairing) else np.zeros((n, nf, nf), complex)
        diagnostics = _FlavorDiagnostics(self, r0, kappa_fp)
        solver = solver or JitDOP853(rtol=1e-12, atol=1e-14)
        if isinstance(solver, JIT_INTEGRATORS):
            rhs, args = self.kernel()
        else:
            rhs, args = self.checked_rhs(), ()
        y0 = self._pack(r0)

        def observe(t, y):
            with np.errstate(over="ignore", invalid="ignore"):
                return diagnostics(self._r(y)[None])[0]

        result = _integrate(rhs, y0, np.linspace(0.0, t_final, n_save), solver=solver, args=args,
                            segment_length=segment_length, resume=resume, on_segment=on_segment,
                            observe=None if store else observe)
        if store:
            rs = self._r(np.asarray(result.y).reshape(len(result.t), -1))
            with np.errstate(over="ignore", invalid="ignore"):
                diag = diagnostics(rs)
        else:
            rs, diag = None, np.asarray(result.y)
        message = result.message or result.status.value
        if "failed_component" in result.stats:
            message = f"{message}: {self.describe_component(result.stats['failed_component'])}"
        r_end = self._r(np.asarray(result.y_reached))
        return FlavorEvolution(status=result.status, message=message, t=np.asarray(result.t), diagnostics=diag,
                               n_flavors=nf, modes_r=rs, r0=r0, r_reached=r_end, t_reached=float(result.t_reached),
                               coupling_per_MeV2=self.params.coupling_per_MeV2, grid_description=self.grid.describe(),
                               model=repr(self.model), stats=dict(result.stats))


class _FlavorDiagnostics:
    """Recorded series of states R (n_t, N, M, M): see :class:`FlavorEvolution` for the columns."""

    def __init__(self, system: _FlavorSystem, r0: NDArray, kappa_fp: NDArray):
        self.system, self.kappa_fp = system, kappa_fp
        nf = system.nf
        self.iu = np.triu_indices(nf, 1)
        self.volume = system.grid.volume_MeV3
        self.tr0 = np.trace(r0, axis1=-2, axis2=-1).real
        self.pur0 = np.einsum("pab,pba->p", r0, r0).real
        self.lep0 = self._lepton(r0[None])[0]
        self.w0 = flavor_energy(r0[None], system.phys)[0]
        phys = system.phys
        # the size of W's terms: kinetic sum_p w_p E_p (2 n_f) and interaction (sum_p w_p)^2 (2 n_f)
        self.energy_scale = float(np.sum(phys.w_MeV * phys.energy_MeV) + np.sum(phys.w_MeV) ** 2) * 2 * nf

    def _lepton(self, rs):
        nf = self.system.nf
        rho = np.einsum("tpaa->tpa", rs[..., :nf, :nf]).real
        rhobar = 1.0 - np.einsum("tpaa->tpa", rs[..., nf:, nf:]).real
        return np.einsum("p,tpa->ta", self.volume, rho - rhobar)

    def __call__(self, rs: NDArray) -> NDArray:
        nf = self.system.nf
        rho, kap, low = rs[..., :nf, :nf], rs[..., :nf, nf:], rs[..., nf:, nf:]
        absk = np.sqrt(np.sum(np.abs(kap) ** 2, axis=(-2, -1)))
        absd = np.sqrt(np.sum(np.abs(kap - self.kappa_fp) ** 2, axis=(-2, -1)))
        coh = np.sqrt(np.sum(np.abs(rho[..., self.iu[0], self.iu[1]]) ** 2, axis=-1))
        cohb = np.sqrt(np.sum(np.abs(low[..., self.iu[0], self.iu[1]]) ** 2, axis=-1))
        occ = np.einsum("tpaa->ta", rho).real / rs.shape[1]
        occb = 1.0 - np.einsum("tpaa->ta", low).real / rs.shape[1]
        lep = self._lepton(rs)
        tr = np.max(np.abs(np.trace(rs, axis1=-2, axis2=-1).real - self.tr0), axis=1)
        pur = np.max(np.abs(np.einsum("tpab,tpba->tp", rs, rs).real - self.pur0), axis=1)
        w = flavor_energy(rs, self.system.phys)
        return np.column_stack([absk.mean(axis=1), absd.mean(axis=1), coh.mean(axis=1), cohb.mean(axis=1),
                                occ, occb, lep, tr, pur, np.abs(w - self.w0) / self.energy_scale])


@dataclass(frozen=True)
class FlavorEvolution(StatusMixin):
    """Result of :func:`~nupair.pairing.evolve` for a :class:`FlavorPairState`.

    Attributes
    ----------
    status, message : the run's :class:`~nupair.results.Status` and its explanation.
    t : ndarray (n_t,)          save times reached [MeV^-1]
    diagnostics : ndarray (n_t, 7 + 3 n_f)   the series below, in this order
    modes_r : ndarray (n_t, N, 2n_f, 2n_f) complex or None   R_p at every save (if stored)
    r0, r_reached : ndarray (N, 2n_f, 2n_f)  R at t = 0 and at ``t_reached``
    """

    status: Status
    message: str
    t: NDArray
    diagnostics: NDArray
    n_flavors: int
    modes_r: NDArray | None
    r0: NDArray
    r_reached: NDArray
    t_reached: float
    coupling_per_MeV2: float
    grid_description: str
    model: str
    stats: dict = field(default_factory=dict)

    @property
    def mean_abs_kappa(self) -> NDArray:
        """Mean over modes of the Frobenius norm |kappa_p| (HW's <|kappa|>_a for n_f = 1), (n_t,)."""
        return self.diagnostics[:, 0]

    @property
    def mean_abs_delta_kappa(self) -> NDArray:
        """Mean |kappa_p - kappa_fp| (kappa_fp: the linear fixed point), (n_t,)."""
        return self.diagnostics[:, 1]

    @property
    def mean_flavor_coherence(self) -> NDArray:
        """Mean over modes of sqrt(sum_{a<b} |rho_ab|^2) (|rho_ex| for two flavors), (n_t,)."""
        return self.diagnostics[:, 2]

    @property
    def mean_flavor_coherence_bar(self) -> NDArray:
        """The same for rhobar, (n_t,)."""
        return self.diagnostics[:, 3]

    @property
    def mean_occupation(self) -> NDArray:
        """Mean over modes of rho_aa, (n_t, n_f)."""
        return self.diagnostics[:, 4:4 + self.n_flavors]

    @property
    def mean_occupation_bar(self) -> NDArray:
        """Mean over modes of rhobar_aa, (n_t, n_f)."""
        return self.diagnostics[:, 4 + self.n_flavors:4 + 2 * self.n_flavors]

    @property
    def lepton_number(self) -> NDArray:
        """sum_p Delta V_p (rho_aa - rhobar_aa) per flavor [MeV^3] (conserved without mixing), (n_t, n_f)."""
        return self.diagnostics[:, 4 + 2 * self.n_flavors:4 + 3 * self.n_flavors]

    @property
    def trace_drift(self) -> NDArray:
        """max over modes |Tr R_p(t) - Tr R_p(0)| (Tr rho - Tr rhobar per mode), (n_t,)."""
        return self.diagnostics[:, 4 + 3 * self.n_flavors]

    @property
    def purity_drift(self) -> NDArray:
        """max over modes |Tr R_p^2(t) - Tr R_p^2(0)| (unitarity per mode), (n_t,)."""
        return self.diagnostics[:, 5 + 3 * self.n_flavors]

    @property
    def energy_drift_relative(self) -> NDArray:
        """|W(t) - W(0)| / scale (F10), (n_t,)."""
        return self.diagnostics[:, 6 + 3 * self.n_flavors]

    def states(self) -> list[FlavorPairState] | None:
        """The stored states as :class:`FlavorPairState` objects (None if not stored)."""
        if self.modes_r is None:
            return None
        return [FlavorPairState.from_generalized(r) for r in self.modes_r]
