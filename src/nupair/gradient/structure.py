"""Neutron-star structure: TOV integration, profiles and the mass-radius curve.

Spec ``shared/spec/gradient.md`` section 5.1 (Tolman 1939; Oppenheimer & Volkoff 1939), geometric
units G = c = M_sun = 1 inside:

    dP/dr = -(eps + P)(m + 4 pi r^3 P) / (r (r - 2m)),   dm/dr = 4 pi r^2 eps,
    dPhi/dr = -(dP/dr)/(eps + P),   dN_B/dr = 4 pi r^2 n_B / sqrt(1 - 2m/r),

integrated in x = ln(P_c/P) from r0 = 1e-6 (m = (4 pi/3) r0^3 eps_c) to the surface pressure
(a fixed end point: no root finding for the surface); Phi is matched to (1/2) ln(1 - 2M/R).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from numpy.typing import NDArray
from scipy import optimize

import numba

from nupair import validation as _v
from nupair.results import SolverError, Status
from nupair.gradient.composition import beta_equilibrium
from nupair.gradient.eos import GEO_DENSITY_G_CM3, GEO_LENGTH_KM, GEO_PRESSURE_DYN_CM2

__all__ = ["Star", "star", "mass_radius", "MassRadius", "maximum_mass"]

_R0 = 1e-6


@numba.njit(cache=True)
def _interp(x, xs, ys):
    i = np.searchsorted(xs, x)
    if i <= 0:
        return ys[0]
    if i >= xs.size:
        return ys[-1]
    w = (x - xs[i - 1]) / (xs[i] - xs[i - 1])
    return ys[i - 1] + w * (ys[i] - ys[i - 1])


@numba.njit(cache=True)
def _tov_rhs(x, y, args):
    """TOV in x = ln(P_c / P) with state y = (r, q = m / r^3, Phi, N_B): smooth through the crust,
    where P falls by many decades over a short radius; the surface is a fixed end point; q stays
    regular at the centre (q -> 4 pi eps_c / 3). args = (P_c, ln P table, ln eps table, ln n_B table)."""
    p_c, lp, le, ln = args
    r, q = y[0], y[1]
    p = p_c * math.exp(-x)
    lpv = math.log(p)
    eps = math.exp(_interp(lpv, lp, le))
    n = math.exp(_interp(lpv, lp, ln))
    two_m_over_r = 2 * q * r * r
    drdx = p * (1 - two_m_over_r) / ((eps + p) * (q + 4 * math.pi * p) * r)
    out = np.empty(4)
    out[0] = drdx
    out[1] = (4 * math.pi * eps - 3 * q) * drdx / r
    out[2] = p / (eps + p)
    out[3] = 4 * math.pi * r * r * n / math.sqrt(1 - two_m_over_r) * drdx
    return out


@numba.njit(cache=True)
def _tov_rhs_sqrt(u, y, args):
    """The TOV system in u = sqrt(x): near the centre r ~ sqrt(x), so d/du is regular there."""
    return 2 * u * _tov_rhs(u * u, y, args)


class _Solution:
    def __init__(self, t, y):
        self.t, self.y = t, y


def _tables(eos):
    return tuple(np.ascontiguousarray(a, dtype=np.float64) for a in eos.tables())


@numba.njit(cache=True)
def _rk4_segment(x0, x1, y0, n, args, out, start):
    """n classical RK4 steps in u = sqrt(x) from x0 to x1; states written to out[start + 1 .. start + n]."""
    u0, u1 = math.sqrt(x0), math.sqrt(x1)
    h = (u1 - u0) / n
    y = y0.copy()
    for k in range(n):
        x = u0 + k * h
        k1 = _tov_rhs_sqrt(x, y, args)
        k2 = _tov_rhs_sqrt(x + h / 2, y + h / 2 * k1, args)
        k3 = _tov_rhs_sqrt(x + h / 2, y + h / 2 * k2, args)
        k4 = _tov_rhs_sqrt(x + h, y + h * k3, args)
        y = y + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
        out[start + k + 1] = y
    return y


@numba.njit(cache=True)
def _tov_fixed(x0, x_t, x1, y0, n1, n2, p_c, lp, le, ln):
    """Fixed-step RK4 in x = ln(P_c/P) over [x0, x_t] and [x_t, x1] (x_t: a first-order transition,
    or any interior point): no step straddles a density jump. Compiled once and cached on disk."""
    args = (p_c, lp, le, ln)
    out = np.empty((n1 + n2 + 1, 4))
    out[0] = y0
    y = _rk4_segment(x0, x_t, y0, n1, args, out, 0)
    _rk4_segment(x_t, x1, y, n2, args, out, n1)
    return out


def _integrate(eos, p_c: float, steps_per_unit: float = 400.0):
    """Integrate from r0 (series start: P(r0) = P_c - (2 pi/3)(eps_c + P_c)(eps_c + 3 P_c) r0^2) to the
    surface pressure: compiled fixed-step RK4 in u = sqrt(ln(P_c/P)) on the EOS tables (linear
    ln P - ln eps), 400 steps per unit of u (~2500 steps; M and R agree with the adaptive DOP853
    reference to ~1e-7, benchmarks/test_bench_gradient.py). Returns (solution with t = x grid, y = (r, m, Phi, N_B)), pressures."""
    eps_c = float(eos.energy_density(p_c))
    p_surf = max(eos.surface_pressure, 1e-14 * p_c)
    p0 = p_c - 2 * math.pi / 3 * (eps_c + p_c) * (eps_c + 3 * p_c) * _R0**2
    x0, x1 = math.log(p_c / p0), math.log(p_c / p_surf)
    p_t = getattr(eos, "p_t", None)
    x_t = math.log(p_c / p_t) if p_t is not None and p_t < p0 else 0.5 * (x0 + x1)
    n1 = max(8, int(steps_per_unit * (math.sqrt(x_t) - math.sqrt(x0))))
    n2 = max(8, int(steps_per_unit * (math.sqrt(x1) - math.sqrt(x_t))))
    y0 = np.array([_R0, 4 * math.pi / 3 * eps_c, 0.0, 0.0])
    ys = _tov_fixed(x0, x_t, x1, y0, n1, n2, p_c, *_tables(eos))
    ys[:, 1] = ys[:, 1] * ys[:, 0] ** 3  # q -> m
    if not np.all(np.isfinite(ys[-1])):
        raise SolverError(f"TOV integration produced non-finite values (central pressure {p_c!r}, geometric units)",
                          Status.NON_FINITE)
    us = np.concatenate([np.linspace(math.sqrt(x0), math.sqrt(x_t), n1 + 1),
                         np.linspace(math.sqrt(x_t), math.sqrt(x1), n2 + 1)[1:]])
    xs = us * us
    return _Solution(xs, ys.T), p_c * np.exp(-xs)


@dataclass
class Star:
    """A solved star. Scalars: ``mass_msun``, ``radius_km``, ``central_density`` (EOS units),
    ``baryon_number``. Radius profiles (arrays over ``r_km``): ``pressure_dyn_cm2``,
    ``energy_density_g_cm3`` (eps/c^2), ``n_B_fm3``, ``mass_enclosed_msun``, ``phi`` (metric
    potential, g_tt = -e^{2 phi}), and composition ``n_n_fm3``, ``n_p_fm3``, ``n_e_fm3``,
    ``n_mu_fm3`` (fm^-3). ``status`` is SUCCESSFUL (a failed TOV solve raises
    :class:`~nupair.results.SolverError`), ``message`` empty."""

    eos: object
    central_density: float
    mass_msun: float
    radius_km: float
    baryon_number: float
    r_km: NDArray
    pressure_dyn_cm2: NDArray
    energy_density_g_cm3: NDArray
    n_B_fm3: NDArray
    mass_enclosed_msun: NDArray
    phi: NDArray
    composition: dict = field(default_factory=dict)
    status: Status = Status.SUCCESSFUL
    message: str = ""

    @property
    def ok(self) -> bool:
        """True: a star is returned only when the TOV solve succeeded (failures raise SolverError)."""
        return self.status is Status.SUCCESSFUL

    @property
    def n_n_fm3(self) -> NDArray:
        return self.composition["n_n"]

    @property
    def n_p_fm3(self) -> NDArray:
        return self.composition["n_p"]

    @property
    def n_e_fm3(self) -> NDArray:
        return self.composition["n_e"]

    @property
    def n_mu_fm3(self) -> NDArray:
        return self.composition["n_mu"]

    @property
    def compactness(self) -> float:
        """2GM/(R c^2)."""
        return 2 * self.mass_msun / (self.radius_km / GEO_LENGTH_KM)

    @property
    def surface_gravity_cm_s2(self) -> float:
        """g_s = GM / (R^2 sqrt(1 - 2GM/Rc^2)) [cm s^-2]."""
        from nupair import constants as const

        gm = const.GM_sun_m3_per_s2 * 1e6 * self.mass_msun
        r = self.radius_km * const.km_to_cm
        return gm / (r * r * math.sqrt(1 - self.compactness))


def _as_eos(eos):
    """An EOS object; the names 'SLy' and 'FPS' are accepted for the built-in nuclear EOSs."""
    from nupair.gradient.eos import FPS, SLy

    if isinstance(eos, str):
        named = {"sly": SLy, "fps": FPS}
        if eos.lower() not in named:
            raise ValueError(_v.refused(f"eos={eos!r}", "give an EOS object (Polytrope, SLy(), FPS(), Hybrid) "
                             "or the name 'SLy' or 'FPS'"))
        return named[eos.lower()]()
    if not (hasattr(eos, "central_pressure") and hasattr(eos, "energy_density")):
        raise ValueError(_v.refused(f"eos={eos!r}", "give an EOS object (Polytrope, SLy(), FPS(), Hybrid) "
                         "or the name 'SLy' or 'FPS'"))
    return eos


def star(eos, central_density: float | None = None, *, mass_msun: float | None = None, n_points: int = 400,
         composition: Callable | None = None, muons: bool = False) -> Star:
    """Solve the TOV equations for one star (spec 5.1).

    Give ``central_density`` (EOS units: geometric rest-mass density for ``Polytrope``, g cm^-3
    for nuclear EOSs) or ``mass_msun`` (on the stable branch; above the maximum mass is an error).
    ``composition``: callable n_B [fm^-3] -> dict with n_n, n_p, n_e, n_mu (default: ideal npe(mu)
    beta equilibrium, ``beta_equilibrium``).
    """
    eos = _as_eos(eos)
    n_points = _v.positive_int("n_points", n_points, minimum=2)
    if (central_density is None) == (mass_msun is None):
        raise ValueError("give exactly one of central_density and mass_msun")
    if mass_msun is not None:
        central_density = _central_density_for_mass(eos, float(mass_msun))
    p_c = eos.central_pressure(central_density)
    sol, p = _integrate(eos, p_c)
    r, m, phi, nb = sol.y
    radius, mass = float(r[-1]), float(m[-1])
    phi = phi - phi[-1] + 0.5 * math.log(1 - 2 * mass / radius)
    grid = np.linspace(r[0], radius, n_points)
    # pressure on the radius grid: interpolate ln P (monotone in r)
    p_g = np.exp(np.interp(grid, r, np.log(p)))
    n_b = np.asarray(eos.baryon_density_fm3(np.maximum(p_g, 0.0)))
    comp = (composition or (lambda n: beta_equilibrium(n, muons=muons)))(np.maximum(n_b, 1e-12))
    comp = {k: np.asarray(comp.get(k, np.zeros_like(n_b))) for k in ("n_n", "n_p", "n_e", "n_mu")}
    return Star(eos=eos, central_density=float(central_density), mass_msun=mass, radius_km=radius * GEO_LENGTH_KM,
                baryon_number=float(nb[-1]) * (GEO_LENGTH_KM * 1e18) ** 3,
                r_km=grid * GEO_LENGTH_KM, pressure_dyn_cm2=p_g * GEO_PRESSURE_DYN_CM2,
                energy_density_g_cm3=np.asarray(eos.energy_density(np.maximum(p_g, 0.0))) * GEO_DENSITY_G_CM3,
                n_B_fm3=n_b, mass_enclosed_msun=np.interp(grid, r, m), phi=np.interp(grid, r, phi), composition=comp)


@dataclass(frozen=True)
class MassRadius:
    """M-R curve: central densities (EOS units), masses [M_sun], radii [km]; index of M_max."""

    central_density: NDArray
    mass_msun: NDArray
    radius_km: NDArray

    @property
    def i_max(self) -> int:
        return int(np.argmax(self.mass_msun))

    @property
    def maximum_mass_msun(self) -> float:
        return float(self.mass_msun[self.i_max])


def _mass_radius_point(eos, rho_c):
    sol, _ = _integrate(eos, eos.central_pressure(rho_c))
    return float(sol.y[1, -1]), float(sol.y[0, -1]) * GEO_LENGTH_KM


def mass_radius(eos, n: int = 200, central_density_range: tuple[float, float] | None = None) -> MassRadius:
    """The mass-radius curve over ``n`` central densities, log-spaced over the EOS's range (or the
    given one)."""
    eos = _as_eos(eos)
    n = _v.positive_int("n", n, minimum=2)
    lo, hi = central_density_range or _default_scan_range(eos)
    rho = np.geomspace(lo, hi, int(n))
    if hasattr(eos, "in_jump"):  # Maxwell construction: central densities inside the jump do not exist
        rho = rho[[not eos.in_jump(x) for x in rho]]
    out = np.array([_mass_radius_point(eos, x) for x in rho])
    return MassRadius(rho, out[:, 0], out[:, 1])


def _default_scan_range(eos):
    lo, hi = eos.central_density_range
    if eos.density_units.startswith("g cm"):
        lo = max(lo, 2e14)
    else:
        lo = max(lo, 3e-4)
    return lo, hi


@functools.lru_cache(maxsize=64)
def maximum_mass(eos) -> tuple[float, float]:
    """(M_max [M_sun], central density at M_max [EOS units]) by golden-section refinement."""
    mr = mass_radius(eos, 40)
    i = mr.i_max
    a = mr.central_density[max(i - 1, 0)]
    b = mr.central_density[min(i + 1, mr.central_density.size - 1)]
    res = optimize.minimize_scalar(lambda x: -_mass_radius_point(eos, math.exp(x))[0], bounds=(math.log(a), math.log(b)),
                                   method="bounded", options={"xatol": 1e-6})
    if not res.success:
        raise SolverError(f"maximum_mass: the golden-section search did not converge ({res.message})",
                          Status.MAX_ITERATIONS_REACHED)
    return -float(res.fun), math.exp(res.x)


def _central_density_for_mass(eos, mass: float) -> float:
    m_max, rho_max = maximum_mass(eos)
    if not (math.isfinite(mass) and mass > 0):
        raise ValueError(_v.refused(f"mass_msun={mass!r}", "must be > 0"))
    if mass > m_max:
        raise ValueError(_v.refused(f"mass_msun={mass!r}", f"above the maximum mass {m_max:.4f} M_sun of EOS "
                         f"{getattr(eos, 'name', eos)!r}"))
    lo = _default_scan_range(eos)[0]
    if _mass_radius_point(eos, lo)[0] > mass:
        raise ValueError(_v.refused(f"mass_msun={mass!r}", "below the lightest star of the central-density range "
                         f"({_mass_radius_point(eos, lo)[0]:.4f} M_sun)"))
    f = lambda x: _mass_radius_point(eos, math.exp(x))[0] - mass  # noqa: E731
    return math.exp(optimize.brentq(f, math.log(lo), math.log(rho_max), xtol=1e-10))
