"""Potentials from two-neutrino exchange in vacuum: massless (Feinberg-Sucher) and massive
(Dirac and Majorana, summed over mass eigenstates with mixing).

Spec ``shared/spec/forces.md`` sections 0-2 and 7.1. Internally natural units with energies in
eV (G_F in eV^-2, r in eV^-1); the public functions take r in metres and return eV.
Sign convention: V > 0 repulsive.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import kve, roots_genlaguerre

from nupair import constants as const
from nupair import flavor
from nupair import validation as _v

__all__ = [
    "Body",
    "vector_charges",
    "coupling_matrix",
    "massless_potential",
    "spectral_potential",
    "potential",
    "crossing_radius",
    "source_mass_eV",
    "constituent_count",
    "SIN2_THETA_W_DEFAULT",
]

#: Default s_W^2 of the forces spec (MS-bar at m_Z as quoted there; a user parameter).
SIN2_THETA_W_DEFAULT = const.sin2_theta_W_MSbar_mZ_2022

_PARTICLES = ("electron", "positron", "muon", "antimuon", "proton", "neutron")

#: Charged leptons: flavor index of the W-exchange (charged-current) term and its sign.
_CHARGED_CURRENT = {"electron": (0, 1.0), "positron": (0, -1.0), "muon": (1, 1.0), "antimuon": (1, -1.0)}


@dataclass(frozen=True)
class Body:
    """A source of the neutrino force: Z protons, N neutrons, n_electrons electrons (default Z,
    i.e. neutral). Per-constituent couplings are summed (spec 0.2); mass without binding energy."""

    Z: int
    N: int
    n_electrons: int | None = None

    def __post_init__(self):
        for name in ("Z", "N"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
                raise ValueError(_v.refused(f"{name}={v!r}", "must be an integer >= 0"))
        if self.n_electrons is not None and (not isinstance(self.n_electrons, (int, np.integer)) or self.n_electrons < 0):
            raise ValueError(_v.refused(f"n_electrons={self.n_electrons!r}", "must be an integer >= 0"))

    @property
    def electrons(self) -> int:
        return self.Z if self.n_electrons is None else int(self.n_electrons)

    @property
    def mass_eV(self) -> float:
        """Rest mass [eV] of the constituents (binding neglected)."""
        return self.Z * const.m_p + self.N * const.m_n + self.electrons * const.m_e


def _constituents(source) -> dict[str, int]:
    if isinstance(source, Body):
        return {"proton": source.Z, "neutron": source.N, "electron": source.electrons}
    if isinstance(source, str) and source in _PARTICLES:
        return {source: 1}
    raise ValueError(f"body {source!r} is not known; allowed: {', '.join(_PARTICLES)} or nupair.forces.Body(Z, N)")


def constituent_count(source) -> int:
    """Number of constituents (electrons, protons, neutrons) of a particle name or a Body."""
    return sum(_constituents(source).values())


def source_mass_eV(source) -> float:
    """Rest mass [eV] of a particle name or a Body (binding neglected)."""
    _constituents(source)  # validates the name
    if isinstance(source, Body):
        return source.mass_eV
    return {"electron": const.m_e, "positron": const.m_e, "muon": const.m_mu, "antimuon": const.m_mu,
            "proton": const.m_p, "neutron": const.m_n}[source]


def _nc(particle: str, s2w: float) -> float:
    s2w = _v.in_range("sin2_theta_w", s2w, 0.0, 1.0)
    lepton = -0.5 + 2 * s2w  # Z coupling of a charged lepton (vector part)
    return {"electron": lepton, "positron": -lepton, "muon": lepton, "antimuon": -lepton,
            "proton": 0.5 - 2 * s2w, "neutron": -0.5}[particle]


def vector_charges(source, sin2_theta_w: float = SIN2_THETA_W_DEFAULT) -> NDArray[np.float64]:
    """Vector charges (g_V^{nu_e}, g_V^{nu_mu}, g_V^{nu_tau}) of a particle or body (spec 0.2).

    Electron: (1/2 + 2 s^2, -1/2 + 2 s^2, -1/2 + 2 s^2); muon: the charged-current +1 sits on
    nu_mu instead; proton 1/2 - 2 s^2; neutron -1/2;
    antiparticles opposite. Neutral matter: Q^e = Z - N/2, Q^mu = Q^tau = -N/2.
    """
    q = np.zeros(3)
    for particle, count in _constituents(source).items():
        nc = _nc(particle, sin2_theta_w)
        q += count * nc
        if particle in _CHARGED_CURRENT:  # W exchange with the lepton's own flavor only
            index, sign = _CHARGED_CURRENT[particle]
            q[index] += count * sign
    return q


def coupling_matrix(source, mixing: NDArray, sin2_theta_w: float = SIN2_THETA_W_DEFAULT) -> NDArray:
    """Hermitian 3x3 coupling g_ij of a source to the pair (nubar_i, nu_j) (spec 0.3):
    g_ij = g_NC delta_ij + delta_{f,l} U*_li U_lj (l = e for electrons, mu for muons), summed over
    constituents."""
    g = np.zeros((3, 3), dtype=complex)
    u = np.asarray(mixing)
    for particle, count in _constituents(source).items():
        g += count * _nc(particle, sin2_theta_w) * np.eye(3)
        if particle in _CHARGED_CURRENT:
            index, sign = _CHARGED_CURRENT[particle]
            g += count * sign * np.outer(np.conj(u[index]), u[index])
    return g


def _r_natural(r_m: ArrayLike, name: str = "r_m") -> NDArray:
    """Distances [m] (finite, > 0) in natural units [eV^-1]."""
    return _v.finite_array(name, r_m, "m", low=0.0, low_open=True) * const.meter


def massless_potential(r_m: ArrayLike, coupling_product: float = 1.0) -> NDArray:
    """V_0 = g_a g_b G_F^2 / (4 pi^3 r^5) [eV] (Feinberg & Sucher 1968; spec section 1)."""
    r = _r_natural(r_m)
    return _v.finite("coupling_product", coupling_product) * const.G_F**2 / (4 * math.pi**3 * r**5)


def _bessel_diagonal(r: NDArray, m: float, kind: str) -> NDArray:
    """Closed forms for m_i = m_j = m (Grifols, Masso & Toldra 1996; spec 2.1), per unit coupling.
    Dirac: G_F^2 m^3 K_3(2mr)/(4 pi^3 r^2); axial (Majorana): G_F^2 m^2 K_2(2mr)/(2 pi^3 r^3).
    Exponentially scaled Bessel functions keep every factor finite."""
    x = 2.0 * m * np.asarray(r, dtype=float)
    small = x < 1e-4  # series: x^3 K_3 = 8 (1 - x^2/8 + O(x^4 ln x)), x^2 K_2 = 2 (1 - x^2/4 + ...)
    huge = x > 745.0  # e^{-x} underflows: the potential is 0 in double precision
    xs = np.where(small | huge, 1.0, x)
    with np.errstate(over="ignore", under="ignore"):
        if kind == "dirac":
            shape = np.where(small, 1.0 - x * x / 8.0, xs**3 * kve(3, xs) * np.exp(-xs) / 8.0)
        else:
            shape = np.where(small, 1.0 - x * x / 4.0, xs**2 * kve(2, xs) * np.exp(-xs) / 2.0)
    shape = np.where(huge, 0.0, shape)
    return const.G_F**2 * shape / (4.0 * math.pi**3 * r**5)


_LAG_X, _LAG_W = roots_genlaguerre(64, 0.5)


def _reduced_spectral(r: NDArray, mi: float, mj: float, sx: float) -> NDArray:
    """e^{mu0 r} r^5 W_X(r) 4 pi^3 / G_F^2 (-> 1 as r -> 0), generalized Gauss-Laguerre in
    s = (mu - mu0) r with weight s^{1/2} e^{-s}; r (natural units) of any shape."""
    r = np.asarray(r, dtype=float)[..., None]
    mu0, delta = mi + mj, abs(mi - mj)
    mu = mu0 + _LAG_X / r
    t = mu * mu
    # sqrt(lambda) = sqrt(mu - mu0) sqrt(mu + mu0) sqrt(t - delta^2); sqrt(mu - mu0) = sqrt(s/r) -> weight
    sqrt_rest = np.sqrt(mu + mu0) * np.sqrt(np.maximum(t - delta * delta, 0.0)) / np.sqrt(r)
    bracket = t * (1 - (mi * mi + mj * mj) / (2 * t) - (mi * mi - mj * mj) ** 2 / (2 * t * t)) + sx * 3 * mi * mj
    # V = (1/(4 pi^2 r)) Int 2 mu rho e^{-mu r} d mu, rho = G_F^2/(12 pi) sqrt(lambda)/t bracket, d mu = ds/r
    integrand = 2 * mu * sqrt_rest / t * bracket / r
    return (integrand @ _LAG_W) * r[..., 0] ** 4 / 12.0


def spectral_potential(r_m: ArrayLike, m_i_eV: float, m_j_eV: float, kind: str = "dirac") -> NDArray:
    """W_X(r; m_i, m_j) [eV] per unit coupling from the dispersive integral (spec 1.1, 2.2).

    V(r) = (1/(4 pi^2 r)) Int_{mu0}^inf 2 mu rho_X(mu^2) e^{-mu r} d mu, mu0 = m_i + m_j, with
    rho_X = (G_F^2/(12 pi)) (sqrt(lambda)/t) [3 E1 E2 + |p|^2 + s_X 3 m_i m_j], s_D = 0,
    s_A = -1, s_V = +1. Evaluated with 64-point generalized Gauss-Laguerre quadrature in
    s = (mu - mu0) r (weight s^{1/2} e^{-s} absorbs the threshold square root), vectorized over r.
    """
    sx = {"dirac": 0.0, "axial": -1.0, "vector": 1.0}.get(kind)
    if sx is None:
        _v.one_of("kind", kind, ("dirac", "axial", "vector"))
    for name, m in (("m_i_eV", m_i_eV), ("m_j_eV", m_j_eV)):
        _v.non_negative(name, m, "eV")
    r = _r_natural(r_m)
    mi, mj = float(m_i_eV), float(m_j_eV)
    with np.errstate(under="ignore"):
        return const.G_F**2 / (4 * math.pi**3 * r**5) * _reduced_spectral(r, mi, mj, sx) * np.exp(-(mi + mj) * r)


def _spectral_shape(r_nat: NDArray, m_i: float, m_j: float, kind: str) -> NDArray:
    """W_X r^5 / (G_F^2 / (4 pi^3)) (-> 1 for r -> 0), by spline interpolation in log r of a
    table computed once with :func:`spectral_potential` (relative interpolation error < 1e-9)."""
    from scipy.interpolate import CubicSpline

    mu0 = m_i + m_j
    if mu0 == 0.0:
        return np.ones_like(r_nat)
    lo, hi = 1e-6 / mu0, 750.0 / mu0  # below: massless limit to 1e-12; above: e^{-750} underflows
    grid = np.geomspace(lo, hi, 1200)
    sx = {"dirac": 0.0, "axial": -1.0, "vector": 1.0}[kind]
    table = _reduced_spectral(grid, m_i, m_j, sx)
    spline = CubicSpline(np.log(grid), np.log(table))
    rc = np.clip(r_nat, lo, hi)
    with np.errstate(under="ignore"):
        out = np.exp(spline(np.log(rc)) - mu0 * rc)
    out = np.where(r_nat < lo, table[0], out)
    return np.where(r_nat > hi, 0.0, out)


_DIRECT_MAX_POINTS = 20_000


def _diagonal_shape(r_nat: NDArray, m: float, kind: str) -> NDArray:
    """W(m, m) r^5 4 pi^3 / G_F^2 from the Bessel closed form: directly for small arrays, and for
    large ones by spline interpolation in log r of the exact values (kve is the costly part;
    interpolation error < 1e-10 relative, tested)."""
    v0 = const.G_F**2 / (4 * math.pi**3 * r_nat**5)
    if r_nat.size <= _DIRECT_MAX_POINTS or m == 0.0:
        return _bessel_diagonal(r_nat, m, kind) / v0
    from scipy.interpolate import CubicSpline

    lo, hi = 1e-4 / (2 * m), 745.0 / (2 * m)
    grid = np.geomspace(lo, hi, 1500)
    xg = 2 * m * grid
    scaled = xg**3 * kve(3, xg) / 8.0 if kind == "dirac" else xg**2 * kve(2, xg) / 2.0  # shape * e^{x}
    spline = CubicSpline(np.log(grid), np.log(scaled))
    rc = np.clip(r_nat, lo, hi)
    with np.errstate(under="ignore"):
        out = np.exp(spline(np.log(rc)) - 2 * m * rc)
    x = 2 * m * r_nat
    series = 1.0 - x * x / (8.0 if kind == "dirac" else 4.0)
    return np.where(r_nat < lo, series, np.where(r_nat > hi, 0.0, out))


def potential(r_m: ArrayLike, a, b, *, masses_eV: ArrayLike | None = None, nature: str = "dirac",
              mixing: NDArray | None = None, flavors: int = 3,
              sin2_theta_w: float = SIN2_THETA_W_DEFAULT) -> NDArray:
    """Two-neutrino-exchange potential between sources a and b [eV] at distance r [m].

    Parameters
    ----------
    r_m : float or array
        Distance [m], > 0.
    a, b : "electron", "positron", "muon", "antimuon", "proton", "neutron" or Body
    masses_eV : (3,) array, optional
        Neutrino masses m_1..m_3 [eV]; None: massless (Feinberg-Sucher 1/r^5).
    nature : {"dirac", "majorana"}
    mixing : (3, 3) complex, optional
        PMNS matrix (default: NuFIT 6.0 normal ordering, ``flavor.pmns_from_fit``).
    flavors : int
        Massless case only: number of flavors in the loop (1 = nu_e only, as in the talk's e-e).
    sin2_theta_w : float

    Notes
    -----
    Massless: V = C_ab G_F^2 / (4 pi^3 r^5), C_ab = sum_alpha g_V^{a,alpha} g_V^{b,alpha} (spec 1).
    Massive (spec 2.3): Dirac V = sum_ij Re(g^a_ij g^b_ji) W_D(m_i, m_j); Majorana
    V = sum_i g^a_ii g^b_ii W_A(m_i, m_i) + sum_{i<j} 2 [Re g^a_ij Re g^b_ij W_A + Im g^a_ij Im g^b_ij W_V].
    Diagonal terms use the Bessel closed forms, off-diagonal ones the dispersive integral
    (tabulated once per mass pair and interpolated in log r, so 10^6 distances cost ~0.1 s).
    """
    _v.one_of("nature", nature, ("dirac", "majorana"))
    if masses_eV is None:
        _v.one_of("flavors", flavors, (1, 2, 3))
        qa, qb = vector_charges(a, sin2_theta_w), vector_charges(b, sin2_theta_w)
        return massless_potential(r_m, float(np.dot(qa[:flavors], qb[:flavors])))
    m = np.asarray(masses_eV, dtype=float)
    if m.shape != (3,) or not np.all(np.isfinite(m)) or np.any(m < 0):
        raise ValueError(_v.refused(f"masses_eV={masses_eV!r}", "three finite masses >= 0 [eV]"))
    u = flavor.pmns_from_fit() if mixing is None else np.asarray(mixing, dtype=complex)
    ga, gb = coupling_matrix(a, u, sin2_theta_w), coupling_matrix(b, u, sin2_theta_w)
    r_nat = _r_natural(r_m)
    v0 = const.G_F**2 / (4 * math.pi**3 * r_nat**5)  # per unit coupling
    total = np.zeros_like(r_nat)
    for i in range(3):
        for j in range(3):
            if nature == "dirac":
                if j < i:  # W_D is symmetric in (i, j): the (j, i) term is added with (i, j)
                    continue
                c = float(np.real(ga[i, j] * gb[j, i]))
                if i != j:
                    c += float(np.real(ga[j, i] * gb[i, j]))
                if c == 0.0:
                    continue
                w = v0 * (_diagonal_shape(r_nat, m[i], "dirac") if i == j else
                          _spectral_shape(r_nat, m[i], m[j], "dirac"))
                total = total + c * w
            elif i == j:
                total = total + float(np.real(ga[i, i] * gb[i, i])) * v0 * _diagonal_shape(r_nat, m[i], "axial")
            elif i < j:
                cr = 2 * float(ga[i, j].real * gb[i, j].real)
                ci = 2 * float(ga[i, j].imag * gb[i, j].imag)
                if cr:
                    total = total + cr * v0 * _spectral_shape(r_nat, m[i], m[j], "axial")
                if ci:
                    total = total + ci * v0 * _spectral_shape(r_nat, m[i], m[j], "vector")
    return total


def crossing_radius(a, b, *, flavors: int = 3, sin2_theta_w: float = SIN2_THETA_W_DEFAULT) -> float:
    """Distance [m] where the massless neutrino force equals Newtonian gravity in magnitude:
    r_x = [|C_ab| G_F^2 / (4 pi^3 G_N m_a m_b)]^(1/4) (spec 7.1)."""
    _v.one_of("flavors", flavors, (1, 2, 3))
    qa, qb = vector_charges(a, sin2_theta_w), vector_charges(b, sin2_theta_w)
    c = abs(float(np.dot(qa[:flavors], qb[:flavors])))
    r_nat = (c * const.G_F**2 / (4 * math.pi**3 * const.G_N * source_mass_eV(a) * source_mass_eV(b))) ** 0.25
    return r_nat / const.meter
