"""N-mode extended quantum kinetic equations with nu-nubar pairing, evaluated in O(N).

Huang & Wu, arXiv:2604.25687 (HW), eqs. (1)-(7); spec ``shared/spec/pairing.md`` sections 2-3.
The Hamiltonians Gamma^{nu nu}, Gamma^{nubar nubar}, Gamma^{nu nubar} of every mode follow from
one real 3-vector V built from angular moments of the distribution (spec 2.1), so one step costs
O(N) instead of the O(N^2) double sum over modes of eqs. (3)-(5).

State layout: a real array ``y`` of shape (4, N) = (rho, rhobar, Re kappa, Im kappa), or a
:class:`PairState`. Energies in MeV, coupling g in MeV^-2, weights w = g DeltaV in MeV, times in
MeV^-1.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair.pairing.grid import Grid
from nupair import validation as _v

__all__ = [
    "PairingParams",
    "PairState",
    "moments",
    "rhs",
    "rhs_array",
    "hamiltonians",
    "invariants",
    "Invariants",
    "hw_initial_state",
    "initial_state_from_occupation",
]


def _deprecated(old: str, new: str) -> None:
    # Python's default filters show a DeprecationWarning once per calling location
    warnings.warn(f"{old} is deprecated: use {new}", DeprecationWarning, stacklevel=3)


@dataclass(frozen=True, init=False)
class PairingParams:
    """Interaction strength of the pairing equations.

    Attributes
    ----------
    coupling_per_MeV2 : float
        g of HW eqs. (3)-(5) [MeV^-2]. Physical value sqrt(2) G_F/(2 pi)^3 = 6.650e-14 MeV^-2;
        HW's multi-pair runs use g' = 1e-6 MeV^-2 (results scale with g, spec 5.1). The earlier
        name ``coupling_MeV2`` (keyword and attribute) still works and warns (deprecated).
    """

    coupling_per_MeV2: float = 1e-6

    def __init__(self, coupling_per_MeV2: float | None = None, *, coupling_MeV2: float | None = None):
        if coupling_MeV2 is not None:
            if coupling_per_MeV2 is not None:
                raise ValueError("give coupling_per_MeV2 or its deprecated name coupling_MeV2, not both")
            _deprecated("PairingParams(coupling_MeV2=...)", "PairingParams(coupling_per_MeV2=...)")
            coupling_per_MeV2 = coupling_MeV2
        g = 1e-6 if coupling_per_MeV2 is None else coupling_per_MeV2
        _v.positive("coupling_per_MeV2", g, "MeV^-2")
        object.__setattr__(self, "coupling_per_MeV2", g)

    @property
    def coupling_MeV2(self) -> float:
        """Deprecated name of :attr:`coupling_per_MeV2` (the unit is MeV^-2)."""
        _deprecated("PairingParams.coupling_MeV2", "PairingParams.coupling_per_MeV2")
        return self.coupling_per_MeV2

    def mu_MeV(self, grid: Grid) -> float:
        """HW's potential scale mu' = g e_max^3 [MeV] (0.008 MeV for g' = 1e-6, e_max = 20 MeV);
        for grids without e_max, the largest mode weight g DeltaV."""
        if grid.e_max is not None:
            return self.coupling_per_MeV2 * grid.e_max**3
        return float(np.max(grid.weights(self.coupling_per_MeV2)))


@dataclass(frozen=True)
class PairState:
    """Occupations and pairing correlations of N pair modes.

    Attributes
    ----------
    rho : ndarray (N,)      neutrino occupation at +p, in [0, 1]
    rhobar : ndarray (N,)   antineutrino occupation at -p, in [0, 1]
    kappa : ndarray (N,)    complex pairing correlation
    """

    rho: NDArray[np.float64]
    rhobar: NDArray[np.float64]
    kappa: NDArray[np.complex128]

    def __post_init__(self):
        for name in ("rho", "rhobar"):
            a = np.asarray(getattr(self, name), dtype=float)
            if a.ndim != 1:
                raise ValueError(f"{name} must be 1-D (one value per mode), got shape {a.shape}")
            if not np.all(np.isfinite(a)) or np.any(a < 0) or np.any(a > 1):
                bad = a[~(np.isfinite(a) & (a >= 0) & (a <= 1))][0]
                raise ValueError(f"{name} contains {bad!r}: occupations must lie in [0, 1]")
            object.__setattr__(self, name, a)
        k = np.asarray(self.kappa, dtype=complex)
        if k.shape != self.rho.shape or self.rhobar.shape != self.rho.shape:
            raise ValueError("rho, rhobar and kappa must have the same length")
        if not np.all(np.isfinite(k)):
            raise ValueError("kappa contains non-finite values")
        object.__setattr__(self, "kappa", k)

    @property
    def n_modes(self) -> int:
        return int(self.rho.size)

    def to_array(self) -> NDArray[np.float64]:
        """Real array (4, N) = (rho, rhobar, Re kappa, Im kappa)."""
        return np.stack([self.rho, self.rhobar, self.kappa.real, self.kappa.imag])

    @classmethod
    def from_array(cls, y: ArrayLike) -> "PairState":
        y = np.asarray(y, dtype=float)
        return cls(y[0], y[1], y[2] + 1j * y[3])


def moments(y: NDArray, w: NDArray, p_hat: NDArray, eps: NDArray) -> NDArray[np.float64]:
    """V = N1 + K [MeV], the real 3-vector that carries all mode-mode coupling (spec 2.1).

    N1 = sum_q w_q q_hat (rho_q + rhobar_q) (the antineutrino flies along -q_hat),
    K = sum_q w_q 2 Re(eps_q kappa_q). N0 (net lepton moment) shifts Gnn and Gbb equally and
    drops out of every equation of motion.
    """
    rho, rhobar, kr, ki = y[0], y[1], y[2], y[3]
    n1 = (w * (rho + rhobar)) @ p_hat
    k = 2.0 * ((w * kr) @ eps.real - (w * ki) @ eps.imag)
    return n1 + k


def rhs_array(y: NDArray, energy: NDArray, w: NDArray, p_hat: NDArray, eps: NDArray) -> NDArray:
    """dy/dt for y = (rho, rhobar, Re kappa, Im kappa), shape (4, N), in O(N).

    Notes
    -----
    HW eqs. (6)-(7) in moment form (spec section 3):

    .. math::
        \\dot\\rho_p = \\dot{\\bar\\rho}_p = 4\\,\\mathrm{Im}[(\\epsilon_p\\cdot V)\\kappa_p], \\qquad
        i\\dot\\kappa_p = (2E_p - 4\\hat p\\cdot V)\\kappa_p + 2S_p(\\epsilon_p^*\\cdot V),

    with S_p = rho_p + rhobar_p - 1 and V from :func:`moments`.
    """
    rho, rhobar, kr, ki = y[0], y[1], y[2], y[3]
    v = moments(y, w, p_hat, eps)
    ev = eps @ v  # eps_p . V (complex, N)
    pv = p_hat @ v
    drho = 4.0 * (ev.real * ki + ev.imag * kr)
    s = rho + rhobar - 1.0
    omega = 2.0 * energy - 4.0 * pv
    # F = omega kappa + 2 S conj(eps.V); d kappa/dt = -i F
    f_re = omega * kr + 2.0 * s * ev.real
    f_im = omega * ki - 2.0 * s * ev.imag
    return np.stack([drho, drho, f_im, -f_re])


def _as_array(state) -> NDArray[np.float64]:
    if isinstance(state, PairState):
        return state.to_array()
    y = np.asarray(state, dtype=float)
    if y.ndim != 2 or y.shape[0] != 4:
        raise ValueError(f"state must be a PairState or an array of shape (4, N), got {y.shape}")
    return y


def rhs(state, grid: Grid, params: PairingParams) -> NDArray[np.float64]:
    """Time derivative [per MeV^-1] of a state on a grid: array (4, N) (d rho, d rhobar, d Re kappa,
    d Im kappa)/dt. O(N) moment evaluation of HW eqs. (3)-(7) (spec sections 2.1, 3)."""
    y = _as_array(state)
    if y.shape[1] != grid.n_modes:
        raise ValueError(f"state has {y.shape[1]} modes, grid has {grid.n_modes}")
    return rhs_array(y, grid.energy_MeV, grid.weights(params.coupling_per_MeV2), grid.p_hat, grid.eps)


def hamiltonians(state, grid: Grid, params: PairingParams) -> tuple[NDArray, NDArray, NDArray]:
    """(Gnn, Gbb, Gnb) of every mode [MeV] from the moments (spec 2.1), each shape (N,).

    Gnn = E + 2(N0 - p_hat.V), Gbb = -E + 2(N0 + p_hat.V), Gnb = -2 conj(eps).V.
    """
    y = _as_array(state)
    w = grid.weights(params.coupling_per_MeV2)
    v = moments(y, w, grid.p_hat, grid.eps)
    n0 = float(np.sum(w * (y[0] - y[1])))
    pv = grid.p_hat @ v
    return (grid.energy_MeV + 2 * (n0 - pv), -grid.energy_MeV + 2 * (n0 + pv),
            -2.0 * (np.conj(grid.eps) @ v))


@dataclass(frozen=True)
class Invariants:
    """Conserved quantities (spec 3.2) of one state or a trajectory (leading axis = time).

    Attributes
    ----------
    lepton : ndarray (..., N)        rho_p - rhobar_p (invariant 1)
    bloch_norm2 : ndarray (..., N)   S_p^2 + 4|kappa_p|^2 (invariant 2)
    energy_MeV2 : ndarray (...)      W = sum_p 2 w_p E_p S_p - 2|V|^2 [MeV^2] (invariant 3)
    energy_scale_MeV2 : ndarray (...) sum_p 2 w_p E_p |S_p| + 2|V|^2, the size W is compared with
    """

    lepton: NDArray
    bloch_norm2: NDArray
    energy_MeV2: NDArray
    energy_scale_MeV2: NDArray


def invariants(y: NDArray, grid: Grid, params: PairingParams) -> Invariants:
    """Invariants 1-3 of spec 3.2 for a state (4, N) or a trajectory (n_t, 4, N)."""
    y = np.asarray(y, dtype=float)
    w = grid.weights(params.coupling_per_MeV2)
    rho, rhobar, kr, ki = (y[..., i, :] for i in range(4))
    s = rho + rhobar - 1.0
    n1 = (w * (rho + rhobar)) @ grid.p_hat
    k = 2.0 * ((w * kr) @ grid.eps.real - (w * ki) @ grid.eps.imag)
    v2 = np.sum((n1 + k) ** 2, axis=-1)
    kinetic = 2.0 * w * grid.energy_MeV * s
    return Invariants(
        lepton=rho - rhobar,
        bloch_norm2=s * s + 4.0 * (kr * kr + ki * ki),
        energy_MeV2=np.sum(kinetic, axis=-1) - 2.0 * v2,
        energy_scale_MeV2=np.sum(np.abs(kinetic), axis=-1) + 2.0 * v2,
    )


def initial_state_from_occupation(occupation: ArrayLike, *, seed: int | None = None,
                                  seed_amplitude: float = 1e-5,
                                  occupation_bar: ArrayLike | None = None) -> PairState:
    """State with rho = occupation (and rhobar = occupation_bar, default the same) and kappa
    seeds whose real and imaginary parts are drawn uniformly in [0, seed_amplitude] (HW; spec 5.2)."""
    occ = np.asarray(occupation, dtype=float)
    occ_bar = occ if occupation_bar is None else np.asarray(occupation_bar, dtype=float)
    _v.non_negative("seed_amplitude", seed_amplitude)
    rng = np.random.default_rng(seed)
    kappa = rng.uniform(0.0, seed_amplitude, occ.size) + 1j * rng.uniform(0.0, seed_amplitude, occ.size)
    return PairState(occ.copy(), occ_bar.copy(), kappa)


def hw_initial_state(grid: Grid, *, seed: int | None = None, seed_amplitude: float = 1e-5,
                     high: float = 0.9, low: float = 0.1) -> PairState:
    """HW's multi-pair initial condition (spec 5.2): rho = rhobar = ``high`` for 0 < phi < pi/2,
    ``low`` elsewhere; kappa seeds uniform in [0, seed_amplitude] for Re and Im."""
    occ = np.where(grid.quadrant() == 0, _v.in_range("high", high, 0.0, 1.0), _v.in_range("low", low, 0.0, 1.0))
    return initial_state_from_occupation(occ, seed=seed, seed_amplitude=seed_amplitude)
