"""Pairing (and flavor) equations in a 1D periodic box: the nonlinear check of the k-modes.

docs/k-modes.md (K3, K7, K15-K17). The state is the generalized matrix R(x, p) (F1) of every mode
p at N_x points of a periodic line along the unit vector ``axis`` (length ``length_per_MeV``
[MeV^-1]); n_f = 1 is HW's single-flavor pairing (the flavor model with n_f = 1 is HW's equations,
``docs/flavor-pairing.md``). Each spatial Fourier component k_n = 2 pi n / L of R evolves freely
with the exact energies of K3, block by block:

    rho_k    turns at   |p + k/2| - |p - k/2|    (the neutrino streams along +p_hat),
    rhobar_k turns at -(|p + k/2| - |p - k/2|)   (the antineutrino, at -p, streams along -p_hat),
    kappa_k  turns at   |p + k/2| + |p - k/2|    (the pair: no streaming, the detuning K6),

and at every point the vacuum, matter and mean-field Hamiltonian acts locally (K7):
dR/dt = -i [H_mf(x), R(x)] with H_mf of F6-F7 built from the moments at x (K15).

Time stepping (K16): the integrating-factor (Lawson) fourth-order Runge-Kutta scheme, the free part
exact in Fourier space, the local part by RK4 in the frame of the free motion; fixed step, order
4 (measured in the tests). Exact invariants of the semi-discrete equations (K17), for every mode
p: the box sums of Tr R_p (lepton number) and of Tr R_p^2.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair import validation as _v
from nupair.pairing.flavor_model import FlavorModel
from nupair.pairing.flavor_qke import FlavorPairState, FlavorPhysics
from nupair.pairing.grid import Grid
from nupair.pairing.kmodes import _half_shifts
from nupair.pairing.qke import PairingParams, PairState
from nupair.results import Status, StatusMixin

__all__ = ["PeriodicBox", "BoxEvolution", "box_state", "evolve_box"]


@dataclass(frozen=True)
class PeriodicBox:
    """A periodic line of ``n_x`` points and length ``length_per_MeV`` [MeV^-1] along ``axis``.

    Attributes
    ----------
    grid : Grid
        The pair modes at every point.
    params : PairingParams
    n_x : int
        Points (even, >= 4).
    length_per_MeV : float
        Box length L [MeV^-1] (1 MeV^-1 = 197.327 fm); wave numbers 2 pi n / L [MeV].
    axis : array (3,)
        Direction of the line (normalized on construction).
    model : FlavorModel
        The equations at every point: default ``FlavorModel(1)``, HW's single-flavor pairing;
        ``FlavorModel.two_flavor(...)`` etc. for flavor (``pairing=False``: the standard QKE).
    """

    grid: Grid
    params: PairingParams
    n_x: int
    length_per_MeV: float
    axis: tuple = (1.0, 0.0, 0.0)
    model: FlavorModel = field(default_factory=lambda: FlavorModel(1))
    _cache: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self):
        n_x = _v.positive_int("n_x", self.n_x, 4)
        _v.require(n_x % 2 == 0, "n_x", str(n_x), "must be even")
        _v.positive("length_per_MeV", self.length_per_MeV, "MeV^-1")
        ax = _v.finite_array("axis", self.axis)
        norm = float(np.linalg.norm(ax)) if ax.shape == (3,) else 0.0
        _v.require(ax.shape == (3,) and norm > 0, "axis", repr(self.axis), "must be a nonzero 3-vector")
        _v.instance_of("model", self.model, FlavorModel, "a nupair.pairing.FlavorModel (FlavorModel(1): HW)")
        object.__setattr__(self, "axis", tuple(ax / norm))

    @property
    def n_flavors(self) -> int:
        return self.model.n_flavors

    @property
    def physics(self) -> FlavorPhysics:
        if "phys" not in self._cache:
            self._cache["phys"] = self.model.physics(self.grid, self.params)
        return self._cache["phys"]

    @property
    def x_per_MeV(self) -> NDArray[np.float64]:
        """Positions (n_x,) [MeV^-1]."""
        return np.arange(self.n_x) * (self.length_per_MeV / self.n_x)

    @property
    def wavenumbers_MeV(self) -> NDArray[np.float64]:
        """k_n = 2 pi n / L (n_x,) [MeV] in FFT order."""
        return 2.0 * np.pi * np.fft.fftfreq(self.n_x, d=self.length_per_MeV / self.n_x)

    def free_frequencies(self) -> NDArray[np.float64]:
        """omega (n_x, N, 2n_f, 2n_f) [MeV] of every entry of R_k (K3): stream on the nu block,
        minus it on the antineutrino block, +-(pair energy) on kappa and its adjoint. The densities
        do not stream in the Nyquist row (a real field on an even grid has a real Nyquist
        coefficient); the phases keep modulus 1, so the invariants stay exact."""
        if "omega" not in self._cache:
            nf, n = self.n_flavors, self.grid.n_modes
            om = np.empty((self.n_x, n, 2 * nf, 2 * nf))
            for i, k in enumerate(self.wavenumbers_MeV):
                dp, dm = _half_shifts(self.grid, k * np.asarray(self.axis))
                stream = np.zeros(n) if i == self.n_x // 2 else dp - dm
                pair = 2.0 * self.grid.energy_MeV + dp + dm
                om[i, :, :nf, :nf] = stream[:, None, None]
                om[i, :, nf:, nf:] = -stream[:, None, None]
                om[i, :, :nf, nf:] = pair[:, None, None]
                om[i, :, nf:, :nf] = -pair[:, None, None]
            self._cache["omega"] = om
        return self._cache["omega"]


def box_state(background, box: PeriodicBox, *, k_index: int = 1, amplitude: float = 1e-7,
              component: str = "pairing", seed: int = 0, kappa0: ArrayLike | None = None) -> NDArray[np.complex128]:
    """R (n_x, N, 2n_f, 2n_f) of the homogeneous ``background`` at every point plus a wave.

    ``background``: a PairState (n_f = 1) or a FlavorPairState. ``kappa0`` (N,) or (N, n_f, n_f)
    replaces the background's kappa (e.g. the linear fixed point, so that the homogeneous part
    does not move at linear order). The wave ``amplitude`` x exp(i k_n x) x c_p, n = ``k_index``,
    c_p random unit phases (``seed``), is added to kappa (``component="pairing"``) or to the
    flavor coherence rho_01 and rhobar_01 with its Hermitian partner (``"flavor"``).
    """
    _v.instance_of("box", box, PeriodicBox, "a nupair.pairing.PeriodicBox")
    n = _v.positive_int("k_index", k_index, 1, box.n_x // 2 - 1)
    amp = _v.non_negative("amplitude", amplitude)
    _v.one_of("component", component, ("pairing", "flavor"))
    nf = box.n_flavors
    if isinstance(background, PairState):
        background = FlavorPairState.from_single_flavor(background, nf)
    _v.instance_of("background", background, FlavorPairState, "a PairState or a FlavorPairState")
    r0 = background.generalized()
    if kappa0 is not None:
        k0 = np.asarray(kappa0, dtype=complex).reshape(box.grid.n_modes, nf, nf)
        r0[:, :nf, nf:] = k0
        r0[:, nf:, :nf] = np.conj(np.swapaxes(k0, -1, -2))
    rng = np.random.default_rng(seed)
    c = np.exp(2j * np.pi * rng.uniform(size=box.grid.n_modes))
    wave = amp * np.exp(2j * np.pi * n * np.arange(box.n_x) / box.n_x)[:, None] * c[None, :]  # (n_x, N)
    r = np.repeat(r0[None], box.n_x, axis=0)
    if component == "pairing":
        r[:, :, :nf, nf:] += wave[..., None, None] * np.eye(nf)
        r[:, :, nf:, :nf] += np.conj(wave)[..., None, None] * np.eye(nf)
    else:
        _v.require(nf >= 2, "component", "'flavor'", "needs n_flavors >= 2")
        for lo in (0, nf):  # rho_01 and the antineutrino block's (1 - rhobar^T)_01
            r[:, :, lo, lo + 1] += wave
            r[:, :, lo + 1, lo] += np.conj(wave)
    return r


def _local_rhs(r: NDArray, phys: FlavorPhysics) -> NDArray:
    """-i [H_mf(x), R(x)] (n_x, N, m, m): F6-F7 at every point from the moments there (K15)."""
    nf = phys.n_flavors
    eye = np.eye(nf)
    uu, ul, lu, ll = r[..., :nf, :nf], r[..., :nf, nf:], r[..., nf:, :nf], r[..., nf:, nf:]
    w = phys.w_MeV
    j0 = np.einsum("q,xqab->xab", w, uu + ll - eye)
    j = np.einsum("q,qi,xqab->xiab", w, phys.p_hat, uu - ll + eye)
    if phys.pairing:
        j = j + np.einsum("q,qi,xqab->xiab", w, phys.eps, ul) + np.einsum("q,qi,xqab->xiab", w, np.conj(phys.eps), lu)
    f0 = j0 + np.trace(j0, axis1=-2, axis2=-1)[:, None, None] * eye
    f = j + np.trace(j, axis1=-2, axis2=-1)[..., None, None] * eye
    pf = np.einsum("pi,xiab->xpab", phys.p_hat, f)
    common = (np.diag(phys.matter_MeV) + f0)[:, None]
    h = np.zeros(r.shape, complex)
    h[..., :nf, :nf] = phys.vacuum_MeV[None] + common - pf
    h[..., nf:, nf:] = -phys.vacuum_MeV[None] + common + pf
    if phys.pairing:
        delta = -np.einsum("pi,xiab->xpab", np.conj(phys.eps), f)
        h[..., :nf, nf:] = delta
        h[..., nf:, :nf] = np.conj(np.swapaxes(delta, -1, -2))
    return -1j * (h @ r - r @ h)


@dataclass(frozen=True)
class BoxEvolution(StatusMixin):
    """A box run: saved times, Fourier amplitudes, and the drifts of the exact invariants.

    Attributes
    ----------
    t_MeV : ndarray (n_t,)
    r_fourier : ndarray (n_t, n_x, N, m, m) complex
        R_k(p) = (1/n_x) sum_x R(x, p) exp(-i k x), FFT order of k (m = 2 n_f).
    max_abs : ndarray (n_t, m, m)
        max over x and p of |R(x, p)_ab| (Emu's diagnostic: max over particles).
    trace_drift, purity_drift : ndarray (n_t,)
        max over p of |sum_x Tr R_p - initial| / n_x and of |sum_x Tr R_p^2 - initial| / n_x (K17).
    final : ndarray (n_x, N, m, m)
    dt_MeV : float
    """

    t_MeV: NDArray[np.float64]
    r_fourier: NDArray[np.complex128]
    max_abs: NDArray[np.float64]
    trace_drift: NDArray[np.float64]
    purity_drift: NDArray[np.float64]
    final: NDArray[np.complex128]
    dt_MeV: float
    status: Status = Status.SUCCESSFUL
    message: str = ""

    def pairing_amplitude(self, k_index: int) -> NDArray[np.float64]:
        """sqrt(sum_p ||kappa_k(p)||^2) (n_t,) at the wave number k_n, n = ``k_index``."""
        nf = self.r_fourier.shape[-1] // 2
        return np.sqrt(np.sum(np.abs(self.r_fourier[:, k_index, :, :nf, nf:]) ** 2, axis=(1, 2, 3)))

    def flavor_amplitude(self, k_index: int) -> NDArray[np.float64]:
        """sqrt(sum_p |rho_01,k(p)|^2) (n_t,) at the wave number k_n."""
        return np.sqrt(np.sum(np.abs(self.r_fourier[:, k_index, :, 0, 1]) ** 2, axis=1))


def _invariants(r: NDArray) -> tuple[NDArray, NDArray]:
    tr = np.trace(r, axis1=-2, axis2=-1).real.sum(axis=0)
    pur = np.sum(np.abs(r) ** 2, axis=(0, 2, 3))  # Tr R^2 = sum |R_ab|^2 for Hermitian R
    return tr, pur


def evolve_box(r0: NDArray, box: PeriodicBox, t_final_MeV: float, *, dt_MeV: float,
               n_save: int = 200) -> BoxEvolution:
    """Evolve R (n_x, N, m, m) to ``t_final_MeV`` [MeV^-1] with Lawson RK4 (K16), step ``dt_MeV``.

    The free evolution (K3) is exact per Fourier component, the local part (K15) fourth-order
    Runge-Kutta in the frame of the free motion. ``n_save`` saves keep the Fourier components of
    R, Emu's max-over-points diagnostic and the invariant drifts (K17).
    """
    _v.instance_of("box", box, PeriodicBox, "a nupair.pairing.PeriodicBox")
    t_final = _v.positive("t_final_MeV", t_final_MeV, "MeV^-1")
    dt = _v.positive("dt_MeV", dt_MeV, "MeV^-1")
    n_save = _v.positive_int("n_save", n_save, 2)
    m = 2 * box.n_flavors
    shape = (box.n_x, box.grid.n_modes, m, m)
    r = np.array(r0, dtype=complex)
    _v.require(r.shape == shape, "r0", f"array of shape {r.shape}", f"must have shape (n_x, N, 2n_f, 2n_f) = {shape}")
    n_steps = max(1, int(np.ceil(t_final / dt)))
    dt = t_final / n_steps
    omega = box.free_frequencies()
    e_half, e_full = np.exp(-0.5j * dt * omega), np.exp(-1j * dt * omega)
    phys = box.physics

    def free(y, phases):  # exact free evolution over the time the phases belong to
        return np.fft.ifft(np.fft.fft(y, axis=0) * phases, axis=0)

    tr0, pur0 = _invariants(r)
    save_at = set(np.unique(np.linspace(0, n_steps, n_save).round().astype(int)).tolist())
    ts, rf, mx, dtr, dpu = [], [], [], [], []
    for step in range(n_steps + 1):
        if step in save_at:
            tr, pur = _invariants(r)
            ts.append(step * dt)
            rf.append(np.fft.fft(r, axis=0) / box.n_x)
            mx.append(np.max(np.abs(r), axis=(0, 1)))
            dtr.append(np.max(np.abs(tr - tr0)) / box.n_x)
            dpu.append(np.max(np.abs(pur - pur0)) / box.n_x)
        if step == n_steps:
            break
        k1 = _local_rhs(r, phys)
        rh = free(r, e_half)
        k2 = _local_rhs(rh + 0.5 * dt * free(k1, e_half), phys)
        k3 = _local_rhs(rh + 0.5 * dt * k2, phys)
        k4 = _local_rhs(free(r, e_full) + dt * free(k3, e_half), phys)
        r = free(r + dt / 6.0 * k1, e_full) + free(dt / 3.0 * (k2 + k3), e_half) + dt / 6.0 * k4
        r = 0.5 * (r + np.conj(np.swapaxes(r, -1, -2)))  # Hermitian to round-off
        if not np.all(np.isfinite(r)):
            raise FloatingPointError(f"non-finite box state at t = {(step + 1) * dt:.6g} MeV^-1")
    return BoxEvolution(np.array(ts), np.array(rf), np.array(mx), np.array(dtr), np.array(dpu), r, dt)
