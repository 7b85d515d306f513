"""Momentum grids of pair modes: energies, directions, polarization vectors, phase-space volumes.

Spec ``shared/spec/pairing.md`` sections 1.1 and 5.1 (Huang & Wu, arXiv:2604.25687, "Beyond the
two-pair model"). A pair mode p holds the neutrino at momentum +p and the antineutrino at -p.
"""

from __future__ import annotations


import numpy as np
from numpy.typing import ArrayLike, NDArray
from nupair import validation as _v

__all__ = ["Grid", "VOLUME_RULES", "polarization_vectors"]

#: Phase-space weight rules for uniform bins (spec 5.1): "exact" bin volume (default, reproduces
#: HW's monotonic decrease of the rate with N_E) or the "midpoint" rule E^2 dE dcos dphi.
VOLUME_RULES = ("exact", "midpoint")


def polarization_vectors(theta: ArrayLike, phi: ArrayLike) -> tuple[NDArray, NDArray]:
    """Unit directions p_hat (N, 3) and polarization vectors eps_p = th_hat - i ph_hat (N, 3).

    HW below eq. (5); spec section 1.1. ``phi`` is taken as given for every mode (at the poles
    it fixes the phase convention of kappa), never recomputed from a Cartesian vector.
    """
    th = np.asarray(theta, dtype=float)
    ph = np.asarray(phi, dtype=float)
    st, ct, sp, cp = np.sin(th), np.cos(th), np.sin(ph), np.cos(ph)
    p_hat = np.stack([st * cp, st * sp, ct], axis=-1)
    th_hat = np.stack([ct * cp, ct * sp, -st], axis=-1)
    ph_hat = np.stack([-sp, cp, np.zeros_like(ph)], axis=-1)
    return p_hat, th_hat - 1j * ph_hat


class Grid:
    """A set of N pair modes with energies [MeV], directions and phase-space volumes [MeV^3].

    ``Grid(n_energy, n_theta, n_phi, e_max_MeV=20.0)`` (``e_max`` is the short form) builds
    HW's uniform grid (spec 5.1): energy bins on [0, e_max], cos(theta) bins on [-1, 1], phi bins
    on [0, 2 pi], modes at bin centres, ordered with phi fastest, then theta, then energy (mode = (i_E * n_theta + i_th) * n_phi + i_ph).
    ``Grid.from_modes(...)`` takes any list of modes (e.g. the two-pair beams).

    Attributes
    ----------
    n_modes : int
    energy_MeV, theta, phi, volume_MeV3 : ndarray, shape (n_modes,)
        Energy [MeV], polar and azimuthal angle [rad], phase-space volume Delta V_p [MeV^3].
    p_hat, eps : ndarray, shape (n_modes, 3)
        Unit momentum direction (real) and polarization vector th_hat - i ph_hat (complex).
    energy_index, theta_index, phi_index : ndarray of int, shape (n_modes,)
        Bin indices (uniform grids; -1 for ``from_modes``).
    shape : tuple or None
        (n_energy, n_theta, n_phi) for uniform grids.
    e_max, e_max_MeV : float or None
        Upper energy edge [MeV] (two names of one value).
    volume_rule : str
        "exact", "midpoint" or "given".
    """

    def __init__(self, n_energy: int, n_theta: int, n_phi: int, e_max: float | None = None,
                 volume_rule: str = "exact", *, e_max_MeV: float | None = None):
        if e_max is not None and e_max_MeV is not None:
            raise ValueError("give e_max_MeV (or its short form e_max), not both")
        e_max = 20.0 if e_max is None and e_max_MeV is None else (e_max if e_max is not None else e_max_MeV)
        ne = _v.positive_int("n_energy", n_energy)
        nt = _v.positive_int("n_theta", n_theta)
        nph = _v.positive_int("n_phi", n_phi)
        _v.positive("e_max_MeV", e_max, "MeV")
        _v.one_of("volume_rule", volume_rule, VOLUME_RULES)
        e_edges = np.linspace(0.0, e_max, ne + 1)
        e_lo, e_hi = e_edges[:-1], e_edges[1:]
        e_mid = 0.5 * (e_lo + e_hi)
        dcos, dphi = 2.0 / nt, 2.0 * np.pi / nph
        cos_mid = -1.0 + (np.arange(nt) + 0.5) * dcos
        phi_mid = (np.arange(nph) + 0.5) * dphi
        radial = (e_hi**3 - e_lo**3) / 3.0 if volume_rule == "exact" else e_mid**2 * (e_hi - e_lo)
        ie, it, ip = (a.ravel() for a in np.meshgrid(np.arange(ne), np.arange(nt), np.arange(nph),
                                                      indexing="ij"))
        self._set_modes(e_mid[ie], np.arccos(cos_mid[it]), phi_mid[ip], radial[ie] * dcos * dphi)
        self.energy_index, self.theta_index, self.phi_index = ie, it, ip
        self.shape = (ne, nt, nph)
        self.e_max = float(e_max)
        self.e_edges = e_edges
        self.volume_rule = volume_rule

    @classmethod
    def from_modes(cls, energy_MeV: ArrayLike, theta: ArrayLike, phi: ArrayLike,
                   volume_MeV3: ArrayLike) -> "Grid":
        """Grid of arbitrary modes (energies [MeV], angles [rad], volumes [MeV^3], each (N,))."""
        arrays = [np.atleast_1d(np.asarray(a, dtype=float)) for a in (energy_MeV, theta, phi, volume_MeV3)]
        n = arrays[0].size
        for name, a in zip(("energy_MeV", "theta", "phi", "volume_MeV3"), arrays):
            if a.shape != (n,) or not np.all(np.isfinite(a)):
                raise ValueError(f"{name} must be a finite 1-D array of length {n}")
        if np.any(arrays[0] <= 0) or np.any(arrays[3] <= 0):
            raise ValueError("energy_MeV and volume_MeV3 must be > 0 for every mode")
        grid = cls.__new__(cls)
        grid._set_modes(*arrays)
        grid.energy_index = grid.theta_index = grid.phi_index = np.full(n, -1)
        grid.shape = None
        grid.e_max = None
        grid.e_edges = None
        grid.volume_rule = "given"
        return grid

    @classmethod
    def two_pair(cls, energy_MeV: float = 1.0, volume_MeV3: float = 1.0) -> "Grid":
        """HW's two-pair modes (spec 4): x beam (theta = pi/2, phi = 0) and z beam (theta = 0, phi = 0)."""
        return cls.from_modes([energy_MeV] * 2, [np.pi / 2, 0.0], [0.0, 0.0], [volume_MeV3] * 2)

    def _set_modes(self, energy, theta, phi, volume):
        self.energy_MeV = np.asarray(energy, dtype=float)
        self.theta = np.asarray(theta, dtype=float)
        self.phi = np.asarray(phi, dtype=float)
        self.volume_MeV3 = np.asarray(volume, dtype=float)
        self.p_hat, self.eps = polarization_vectors(self.theta, self.phi)
        self.n_modes = int(self.energy_MeV.size)

    @property
    def e_max_MeV(self) -> float | None:
        """Upper edge of the energy grid [MeV] (the same as ``e_max``; None for ``from_modes`` grids)."""
        return self.e_max

    def weights(self, coupling_per_MeV2: float) -> NDArray[np.float64]:
        """Mode weights w_p = g Delta V_p [MeV] (spec 2.1)."""
        return coupling_per_MeV2 * self.volume_MeV3

    def quadrant(self) -> NDArray[np.int64]:
        """Azimuthal quadrant 0..3 of each mode (0 < phi < pi/2 is quadrant 0; spec 5.3)."""
        return np.floor(np.mod(self.phi, 2 * np.pi) / (np.pi / 2)).astype(int)

    def rotated(self, rotation: ArrayLike) -> "Grid":
        """The same modes with all directions rotated by a 3x3 rotation matrix.

        The polarization vectors are rotated along (eps -> R eps), which keeps eps a valid
        transverse basis of the rotated direction; the physics is invariant (a test checks it).
        """
        r = np.asarray(rotation, dtype=float)
        if r.shape != (3, 3) or not np.allclose(r @ r.T, np.eye(3), atol=1e-12):
            raise ValueError("rotation must be an orthogonal 3x3 matrix")
        grid = Grid.from_modes(self.energy_MeV, self.theta, self.phi, self.volume_MeV3)
        grid.p_hat = self.p_hat @ r.T
        grid.eps = self.eps @ r.T
        grid.theta = np.arccos(np.clip(grid.p_hat[:, 2], -1, 1))
        grid.phi = np.mod(np.arctan2(grid.p_hat[:, 1], grid.p_hat[:, 0]), 2 * np.pi)
        return grid

    def describe(self) -> str:
        """One line: shape, energy range, volume rule."""
        if self.shape is None:
            return f"{self.n_modes} given modes"
        ne, nt, nph = self.shape
        return (f"(N_E, N_theta, N_phi) = ({ne}, {nt}, {nph}), {self.n_modes} modes, "
                f"E in [0, {self.e_max:g}] MeV, volume rule '{self.volume_rule}'")

    def __repr__(self) -> str:
        return f"Grid({self.describe()})"
