"""Energy shifts of hydrogen-like levels by the neutrino force (first-order perturbation theory).

Spec ``shared/spec/forces.md`` section 7.2 (Stadnik, PRL 120 (2018) 223202). Two treatments of the
r -> 0 region, which dominates s states:

* ``"cutoff"`` (spec 7.2 option 1): the 1/r^5 potential cut off at r_c,
  delta E = C G_F^2 |psi(0)|^2 / (2 pi^2 r_c^2) for s states; cutoff dominated.
* ``"t-channel"`` (spec 7.2 option 2, preferred): the all-distance t-channel model of
  ``nupair.forces.short_range``. The shift is evaluated in momentum space,

      delta E = (1 / (2 pi^2)) int_0^inf q^2 V(q) F_nl(q) dq,

  with F_nl(q) = int R_nl(r)^2 j_0(q r) r^2 dr the (m-averaged) form factor of the level, known
  in closed form for hydrogenic states. No cancellation occurs there; in position space the
  s-state integral is a difference of two O(K M^2 |psi(0)|^2) pieces (V(q -> 0) = 0, so the
  volume integral of V vanishes) — ``level_shift_position_space`` does it that way as the
  independent check.

Systems are two-body bound states with reduced mass mu and a Coulomb coupling Z alpha; the neutrino
potential acts between the two constituents.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import integrate
from scipy.special import eval_genlaguerre, factorial, genlaguerre, roots_legendre

from nupair import constants as const
from nupair.forces.probes import s_state_shift_cutoff
from nupair.forces.short_range import _check_scales, coupling_sum, t_channel_momentum_potential, t_channel_shape
from nupair.forces.vacuum import SIN2_THETA_W_DEFAULT, source_mass_eV
from nupair import validation as _v

__all__ = [
    "BoundSystem",
    "SYSTEMS",
    "SpectroscopyMeasurement",
    "SPECTROSCOPY_MEASUREMENTS",
    "hydrogenic_form_factor",
    "hydrogenic_radial",
    "level_shift",
    "level_shift_position_space",
    "transition_shift",
]


@dataclass(frozen=True)
class BoundSystem:
    """A hydrogen-like two-body system: constituents a, b (names for ``nupair.forces``), charge Z."""

    name: str
    a: str
    b: str
    z: int = 1

    @property
    def reduced_mass_eV(self) -> float:
        ma, mb = source_mass_eV(self.a), source_mass_eV(self.b)
        return ma * mb / (ma + mb)

    @property
    def bohr_radius_per_eV(self) -> float:
        """a = 1 / (Z alpha mu) [eV^-1]."""
        return 1.0 / (self.z * const.alpha * self.reduced_mass_eV)


#: The bound systems with neutrino-force level shifts: hydrogen, positronium, muonium (spec forces.md 7.2).
SYSTEMS = {
    "hydrogen": BoundSystem("hydrogen", "proton", "electron"),
    "positronium": BoundSystem("positronium", "positron", "electron"),
    "muonium": BoundSystem("muonium", "antimuon", "electron"),
}


@dataclass(frozen=True)
class SpectroscopyMeasurement:
    """A measured transition and its 1-sigma uncertainty [Hz] (values as published; see reference)."""

    system: str
    lower: tuple[int, int]  # (n, l)
    upper: tuple[int, int]
    frequency_Hz: float
    uncertainty_Hz: float
    reference: str

    @property
    def uncertainty_eV(self) -> float:
        return 2 * math.pi * self.uncertainty_Hz * const.hbar_eV_s


#: Transitions used by the ``forces-atomic`` scenario (values as I know them from the papers;
#: re-check against the publications before quoting a bound).
SPECTROSCOPY_MEASUREMENTS = (
    SpectroscopyMeasurement("hydrogen", (1, 0), (2, 0), 2_466_061_413_187_035.0, 10.0,
                            "Parthey et al., PRL 107 (2011) 203001"),
    SpectroscopyMeasurement("hydrogen", (2, 1), (2, 0), 909.8717e6, 3.2e3,
                            "Bezginov et al., Science 365 (2019) 1007 (2S1/2-2P1/2 Lamb shift)"),
    SpectroscopyMeasurement("positronium", (1, 0), (2, 0), 1_233_607_216.4e6, 3.2e6,
                            "Fee et al., PRL 70 (1993) 1397"),
    SpectroscopyMeasurement("muonium", (1, 0), (2, 0), 2_455_528_941.0e6, 9.8e6,
                            "Meyer et al., PRL 84 (2000) 1136"),
)


def _check_level(n: int, l: int) -> None:
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(_v.refused(f"n={n!r}", "principal quantum number, integer >= 1"))
    if not isinstance(l, (int, np.integer)) or not 0 <= l < n:
        raise ValueError(_v.refused(f"l={l!r}", f"integer with 0 <= l < n = {n}"))


def _system(system) -> BoundSystem:
    if isinstance(system, BoundSystem):
        return system
    if system in SYSTEMS:
        return SYSTEMS[system]
    raise ValueError(f"system={system!r} is not known; allowed: {', '.join(SYSTEMS)} or a BoundSystem")


def hydrogenic_radial(r: ArrayLike, n: int, l: int, a: float) -> NDArray:
    """R_nl(r) of the Coulomb problem with Bohr radius a (units of r^-3/2), int R^2 r^2 dr = 1."""
    _check_level(n, l)
    rho = 2 * np.asarray(r, dtype=float) / (n * a)
    norm = math.sqrt((2 / (n * a)) ** 3 * math.factorial(n - l - 1) / (2 * n * math.factorial(n + l)))
    return norm * rho**l * np.exp(-rho / 2) * eval_genlaguerre(n - l - 1, 2 * l + 1, rho)


def hydrogenic_form_factor(q: ArrayLike, n: int, l: int, a: float) -> NDArray:
    """F_nl(q) = int_0^inf R_nl^2 j_0(q r) r^2 dr (dimensionless; F(0) = 1), q in units of 1/a.

    Exact: with rho = 2r/(n a), R^2 r^2 dr = c rho^{2l+2} L(rho)^2 e^{-rho} d rho = sum_k c_k rho^k
    e^{-rho} d rho, and int rho^k e^{-rho} j_0(s rho) d rho = (k-1)! (1+s^2)^{-k/2} sin(k atan s)/s,
    s = q n a / 2 (evaluated as a sinc so that s -> 0 is exact).
    """
    _check_level(n, l)
    s = np.asarray(q, dtype=float) * n * a / 2
    poly = np.poly1d([1.0] + [0.0] * (2 * l + 2)) * genlaguerre(n - l - 1, 2 * l + 1) ** 2
    coeffs = poly.coeffs[::-1]  # c_k of rho^k
    pref = math.factorial(n - l - 1) / (2 * n * math.factorial(n + l))
    theta = np.arctan(s)
    atan_over_s = np.where(s < 1e-4, 1 - s * s / 3, theta / np.where(s == 0, 1.0, s))
    out = np.zeros_like(s)
    for k, ck in enumerate(coeffs):
        if ck == 0.0 or k == 0:
            continue
        sin_over_s = k * np.sinc(k * theta / math.pi) * atan_over_s
        out += ck * factorial(k - 1) * (1 + s * s) ** (-k / 2) * sin_over_s
    return pref * out


def level_shift(system, n: int, l: int = 0, *, model: str = "t-channel", mediator_mass_eV: float = const.m_Z,
                renormalization_scale_eV: float | None = None, cutoff_m: float | None = None,
                flavors: int = 3, sin2_theta_w: float = SIN2_THETA_W_DEFAULT, return_error: bool = False):
    """First-order shift <nl| V_nu |nl> [eV] of a hydrogen-like level (spec 7.2).

    model="t-channel": all-distance model (default M = m_Z, mu_R = M), momentum-space integral
    (Gauss-Legendre panels in ln q, ``return_error=True`` also returns the error estimate [eV]).
    model="cutoff": the 1/r^5 force cut off at r_c (default 1/m_W) — closed form for s states,
    C G_F^2 |psi(0)|^2 / (2 pi^2 r_c^2); for l >= 1 the integral int_{r_c} R^2 V r^2 dr is done
    numerically. Positive = level pushed up.
    """
    sysm = _system(system)
    _check_level(n, l)
    a = sysm.bohr_radius_per_eV
    c = coupling_sum(sysm.a, sysm.b, flavors=flavors, sin2_theta_w=sin2_theta_w)
    if model == "cutoff":
        rc = (1.0 / const.m_W) if cutoff_m is None else _v.positive("cutoff_m", cutoff_m, "m") * const.meter
        kappa = c * const.G_F**2 / (4 * math.pi**3)
        if l == 0:  # leading order in r_c / a (|psi|^2 taken constant over r_c << a)
            value, err = s_state_shift_cutoff(n, sysm.z, sysm.reduced_mass_eV, c, rc / const.meter), 0.0
        else:
            f = lambda lr: math.exp(lr) ** 3 * hydrogenic_radial(math.exp(lr), n, l, a) ** 2 * kappa / math.exp(lr) ** 5
            value, err = integrate.quad(f, math.log(rc), math.log(a * n * 200), limit=400, epsrel=1e-11)
        return (value, err) if return_error else value
    _v.one_of("model", model, ("t-channel", "cutoff"))
    m, mu = _check_scales(mediator_mass_eV, renormalization_scale_eV)

    def integrand(lq):
        q = np.exp(lq)
        vq = t_channel_momentum_potential(q, c, mediator_mass_eV=m, renormalization_scale_eV=mu)
        return q**3 * vq * hydrogenic_form_factor(q, n, l, a) / (2 * math.pi**2)

    lo, hi = math.log(1e-6 / (n * a)), math.log(1e6 * m)
    breaks = sorted({math.log(1 / (n * a)), math.log(m), math.log(mu)})
    value, err = _log_panels(integrand, [lo, *[x for x in breaks if lo < x < hi], hi])
    return (value, err) if return_error else value


_GL_HI = roots_legendre(48)
_GL_LO = roots_legendre(24)


def _log_panels(f, edges, width: float = 0.5) -> tuple[float, float]:
    """int f(x) dx over [edges[0], edges[-1]] by Gauss-Legendre on panels of width <= ``width``
    (f smooth in x = ln q), vectorized; the error estimate is |48-point - 24-point| summed."""
    cuts = []
    for x0, x1 in zip(edges[:-1], edges[1:]):
        k = max(1, math.ceil((x1 - x0) / width))
        cuts.extend(np.linspace(x0, x1, k + 1)[:-1])
    cuts = np.append(np.array(cuts), edges[-1])
    half, mid = np.diff(cuts)[:, None] / 2, (cuts[1:] + cuts[:-1])[:, None] / 2
    hi = np.sum(half * _GL_HI[1] * f(mid + half * _GL_HI[0]))
    lo = np.sum(half * _GL_LO[1] * f(mid + half * _GL_LO[0]))
    return float(hi), float(abs(hi - lo))


def level_shift_position_space(system, n: int, l: int = 0, *, mediator_mass_eV: float = const.m_Z,
                               renormalization_scale_eV: float | None = None, flavors: int = 3,
                               sin2_theta_w: float = SIN2_THETA_W_DEFAULT) -> float:
    """Independent check of ``level_shift(model="t-channel")`` in position space [eV]:
    int_0^inf V(r) [R_nl(r)^2 - R_nl(0)^2] r^2 dr, using int V d^3r = V(q=0) = 0 (s states; for
    l >= 1, R(0) = 0 and this is the plain expectation value)."""
    sysm = _system(system)
    _check_level(n, l)
    m, mu = _check_scales(mediator_mass_eV, renormalization_scale_eV)
    a = sysm.bohr_radius_per_eV
    c = coupling_sum(sysm.a, sysm.b, flavors=flavors, sin2_theta_w=sin2_theta_w)
    big_l = 2 * math.log(m / mu)
    r0sq = float(hydrogenic_radial(0.0, n, l, a)) ** 2
    lag = genlaguerre(n - l - 1, 2 * l + 1)
    tail = np.poly1d(lag.coeffs[:-1]) if lag.order > 0 else np.poly1d([0.0])  # L(rho) - L(0), divided by rho
    l0 = float(lag(0.0))

    def density_minus_origin(r):
        """R^2 - R(0)^2 without cancellation at r << a (s states): R0^2 [expm1(-rho) q^2 + (q - 1)(q + 1)],
        q = L(rho)/L(0), q - 1 = rho tail(rho) / L(0)."""
        rho = 2 * r / (n * a)
        if l > 0:
            return float(hydrogenic_radial(r, n, l, a)) ** 2
        qm1 = rho * float(tail(rho)) / l0
        q = 1 + qm1
        return r0sq * (math.expm1(-rho) * q * q + qm1 * (q + 1))

    def integrand(lr):
        r = math.exp(lr)
        v = c * const.G_F**2 / (4 * math.pi**3 * r**5) * float(t_channel_shape(m * r, big_l))
        return r**3 * v * density_minus_origin(r)

    lo, hi = math.log(1e-8 / m), math.log(1e4 * n * a)
    edges = [lo, math.log(1 / m), math.log(100 / m), math.log(n * a), hi]
    return sum(integrate.quad(integrand, x0, x1, limit=400, epsabs=0.0, epsrel=1e-10)[0]
               for x0, x1 in zip(edges[:-1], edges[1:]))


def transition_shift(system, lower: tuple[int, int], upper: tuple[int, int], **kwargs) -> float:
    """Shift of the transition energy E(upper) - E(lower) [eV] (same keywords as ``level_shift``)."""
    return level_shift(system, *upper, **kwargs) - level_shift(system, *lower, **kwargs)
