"""Equations of state for neutron-star structure (spec ``shared/spec/gradient.md`` section 5.2).

All EOS objects work internally in geometric units G = c = M_sun = 1 (length 1.4766 km; density
unit M_sun / (1.4766 km)^3 = 6.18e17 g cm^-3 for energy density / c^2; pressure unit that times c^2).
Each provides ``energy_density(P)``, ``baryon_density_fm3(P)`` (both vectorized, geometric P),
``central_pressure(central_density)`` (central density in the EOS's own units: geometric rest-mass
density for :class:`Polytrope`, g cm^-3 of mass-energy for the nuclear EOSs) and the allowed range
of central densities.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair import constants as const
from nupair import validation as _v

__all__ = ["Polytrope", "SLy", "FPS", "HaenselPotekhinFit", "Hybrid", "GEO_DENSITY_G_CM3", "GEO_PRESSURE_DYN_CM2",
           "GEO_LENGTH_KM"]

_C_CGS = const.c_m_per_s * 100.0
GEO_LENGTH_KM = const.GM_sun_over_c2_m / 1e3
#: Geometric density unit in g cm^-3 (M_sun / L^3, L = GM_sun/c^2).
GEO_DENSITY_G_CM3 = const.M_sun_kg * 1e3 / (const.GM_sun_over_c2_m * 100.0) ** 3
#: Geometric pressure unit in dyn cm^-2.
GEO_PRESSURE_DYN_CM2 = GEO_DENSITY_G_CM3 * _C_CGS**2
#: Baryons per fm^3 for a rest-mass density of 1 g cm^-3 (one atomic mass unit per baryon).
_BARYON_FM3_PER_G_CM3 = 1e-39 / (const.m_u / const.gram)


@dataclass(frozen=True)
class Polytrope:
    """P = K rho^Gamma, eps = rho + P/(Gamma - 1), rho the rest-mass density (geometric units;
    spec 5.2 option 1). Test star: K = 100, Gamma = 2."""

    K: float
    gamma: float
    name: str = "polytrope"

    def __post_init__(self):
        _v.positive("K", self.K)
        if not (math.isfinite(self.gamma) and self.gamma > 1):
            raise ValueError(_v.refused(f"gamma={self.gamma!r}", "must be > 1"))

    density_units = "geometric rest-mass density (G = c = M_sun = 1)"
    central_density_range = (1e-10, 1e-1)

    def central_pressure(self, central_density: float) -> float:
        _check_range(central_density, self.central_density_range, self.density_units)
        return self.K * central_density**self.gamma

    def rest_mass_density(self, p: ArrayLike) -> NDArray:
        return (np.maximum(np.asarray(p, dtype=float), 0.0) / self.K) ** (1 / self.gamma)

    def energy_density(self, p: ArrayLike) -> NDArray:
        p = np.maximum(np.asarray(p, dtype=float), 0.0)
        return self.rest_mass_density(p) + p / (self.gamma - 1)

    def baryon_density_fm3(self, p: ArrayLike) -> NDArray:
        return self.rest_mass_density(p) * GEO_DENSITY_G_CM3 * _BARYON_FM3_PER_G_CM3

    @property
    def surface_pressure(self) -> float:
        return 0.0

    def tables(self) -> tuple[NDArray, NDArray, NDArray]:
        """(ln P, ln eps, ln n_B [fm^-3]) on a fine grid, ascending in P (for the compiled TOV)."""
        rho = np.geomspace(1e-40, 10.0, 30001)
        p = self.K * rho**self.gamma
        return np.log(p), np.log(self.energy_density(p)), np.log(self.baryon_density_fm3(p))


def _check_range(value, rng, units):
    v = float(value)
    if not (math.isfinite(v) and rng[0] <= v <= rng[1]):
        raise ValueError(_v.refused(f"central_density={v:.6g}", f"must be in [{rng[0]:g}, {rng[1]:g}] ({units})"))


@dataclass(frozen=True)
class HaenselPotekhinFit:
    """Analytic unified-EOS fit of Haensel & Potekhin, A&A 428 (2004) 191, eq. (14):
    zeta = log10(P / dyn cm^-2) as a function of xi = log10(rho / g cm^-3), rho = eps/c^2.

    Tabulated once on a fine grid in xi and inverted by interpolation of log eps against log P
    (the fit is monotonic). Baryon density from the first law, d ln n = d eps / (eps + P),
    normalised at the lowest tabulated density by n = rho / (0.99884 m_u) (iron-56 matter).
    Central densities are restricted to the causal range (dP/deps <= 1)."""

    coefficients: tuple
    name: str
    reference: str = "Haensel & Potekhin, A&A 428 (2004) 191, eq. (14) and Table 2"
    xi_min: float = 4.0
    xi_max: float = 16.2
    _table: dict = field(default=None, init=False, repr=False, compare=False)

    density_units = "g cm^-3 (mass-energy density eps/c^2)"

    def zeta(self, xi: ArrayLike) -> NDArray:
        a = (None,) + tuple(self.coefficients)  # 1-based like the paper
        x = np.asarray(xi, dtype=float)

        def f0(z):
            return 1.0 / (np.exp(np.clip(z, -700, 700)) + 1.0)

        return ((a[1] + a[2] * x + a[3] * x**3) / (1 + a[4] * x) * f0(a[5] * (x - a[6]))
                + (a[7] + a[8] * x) * f0(a[9] * (a[10] - x))
                + (a[11] + a[12] * x) * f0(a[13] * (a[14] - x))
                + (a[15] + a[16] * x) * f0(a[17] * (a[18] - x)))

    def _tables(self) -> dict:
        if self._table is None:
            xi = np.linspace(self.xi_min, self.xi_max, 24001)
            zeta = self.zeta(xi)
            if np.any(np.diff(zeta) <= 0):
                raise ValueError(f"EOS {self.name}: the fit is not monotonic on the table; non-monotonic EOS input")
            eps = 10.0**xi / GEO_DENSITY_G_CM3
            p = 10.0**zeta / GEO_PRESSURE_DYN_CM2
            cs2 = np.gradient(p, eps)
            # baryon density from the first law, trapezoid in eps
            integrand = 1.0 / (eps + p)
            ln_n = np.concatenate([[0.0], np.cumsum(0.5 * (integrand[1:] + integrand[:-1]) * np.diff(eps))])
            n0 = 10.0**self.xi_min / (0.99884 * const.m_u / const.gram) * 1e-39
            causal = cs2 <= 1.0
            last = int(np.argmin(causal)) - 1 if not causal.all() else xi.size - 1
            table = {"log_p": np.log(p), "log_eps": np.log(eps), "log_n": np.log(n0) + ln_n,
                     "xi_causal_max": float(xi[last]), "p_min": float(p[0])}
            object.__setattr__(self, "_table", table)
        return self._table

    @property
    def central_density_range(self) -> tuple[float, float]:
        return (1e13, 10.0 ** self._tables()["xi_causal_max"])

    @property
    def surface_pressure(self) -> float:
        return self._tables()["p_min"]

    def central_pressure(self, central_density: float) -> float:
        _check_range(central_density, self.central_density_range, self.density_units)
        return float(10.0 ** self.zeta(math.log10(central_density)) / GEO_PRESSURE_DYN_CM2)

    def tables(self) -> tuple[NDArray, NDArray, NDArray]:
        """(ln P, ln eps, ln n_B [fm^-3]), ascending in P (for the compiled TOV)."""
        t = self._tables()
        return t["log_p"], t["log_eps"], t["log_n"]

    def energy_density(self, p: ArrayLike) -> NDArray:
        t = self._tables()
        lp = np.log(np.maximum(np.asarray(p, dtype=float), t["p_min"]))
        return np.exp(np.interp(lp, t["log_p"], t["log_eps"]))

    def baryon_density_fm3(self, p: ArrayLike) -> NDArray:
        t = self._tables()
        lp = np.log(np.maximum(np.asarray(p, dtype=float), t["p_min"]))
        return np.exp(np.interp(lp, t["log_p"], t["log_n"]))


def SLy() -> HaenselPotekhinFit:
    """SLy (Douchin & Haensel 2001) via the Haensel-Potekhin 2004 fit (spec 5.2 option 2)."""
    return HaenselPotekhinFit((6.22, 6.121, 0.005925, 0.16326, 6.48, 11.4971, 19.105, 0.8938, 6.54, 11.4950,
                               -22.775, 1.5707, 4.3, 14.08, 27.80, -1.653, 1.50, 14.67), "SLy")


def FPS() -> HaenselPotekhinFit:
    """FPS via the Haensel-Potekhin 2004 fit (coefficients as in the spec, marked there to be checked)."""
    return HaenselPotekhinFit((6.22, 6.121, 0.006004, 0.16345, 6.50, 11.8440, 17.24, 1.065, 6.54, 11.8421,
                               -22.003, 1.5552, 9.3, 14.19, 23.73, -1.508, 1.79, 15.13), "FPS")


@dataclass(frozen=True)
class Hybrid:
    """Hadronic EOS below P_t, constant-speed-of-sound quark matter above (Alford, Han & Prakash,
    PRD 88 (2013) 083013; spec 5.2 option 3): eps(P) = eps_t + Delta eps + (P - P_t)/c_s^2 with a
    Maxwell (sharp) transition at P_t. Quark-side baryon density n = (eps + P)/mu_B with mu_B
    continuous at P_t and d ln mu = dP/(eps + P)."""

    hadronic: HaenselPotekhinFit
    transition_pressure_dyn_cm2: float
    jump_ratio: float  # Delta eps / eps_t
    cs2: float
    name: str = "hybrid"

    def __post_init__(self):
        _v.positive("transition_pressure_dyn_cm2", self.transition_pressure_dyn_cm2)
        if not (math.isfinite(self.jump_ratio) and self.jump_ratio >= 0):
            raise ValueError(_v.refused(f"jump_ratio={self.jump_ratio!r}", "Delta eps / eps_t must be >= 0"))
        if not (0 < self.cs2 <= 1):
            raise ValueError(_v.refused(f"cs2={self.cs2!r}", "the squared sound speed must be in (0, 1] (causality)"))

    density_units = "g cm^-3 (mass-energy density eps/c^2)"

    @property
    def p_t(self) -> float:
        return self.transition_pressure_dyn_cm2 / GEO_PRESSURE_DYN_CM2

    @property
    def eps_t(self) -> float:
        return float(self.hadronic.energy_density(self.p_t))

    @property
    def surface_pressure(self) -> float:
        return self.hadronic.surface_pressure

    @property
    def central_density_range(self) -> tuple[float, float]:
        return (self.hadronic.central_density_range[0], 1e16)

    def tables(self) -> tuple[NDArray, NDArray, NDArray]:
        """(ln P, ln eps, ln n_B [fm^-3]) ascending in P; the Maxwell jump sits between two nodes
        1e-12 apart in ln P (for the compiled TOV)."""
        lp, le, ln = self.hadronic.tables()
        below = lp < math.log(self.p_t) - 1e-12
        lp_h = np.append(lp[below], math.log(self.p_t) - 1e-12)
        p_q = self.p_t * np.geomspace(1.0, 1e6, 6001)
        lp_all = np.concatenate([lp_h, np.log(p_q)])
        p_all = np.exp(lp_all)
        return lp_all, np.log(self.energy_density(p_all)), np.log(self.baryon_density_fm3(p_all))

    def in_jump(self, central_density: float) -> bool:
        """Whether a central density lies inside the Maxwell density jump (not realised in a star)."""
        eps_c = central_density / GEO_DENSITY_G_CM3
        return self.eps_t < eps_c < self.eps_t * (1 + self.jump_ratio)

    def central_pressure(self, central_density: float) -> float:
        _check_range(central_density, self.central_density_range, self.density_units)
        eps_c = central_density / GEO_DENSITY_G_CM3
        if eps_c <= self.eps_t:
            return self.hadronic.central_pressure(central_density)
        if eps_c < self.eps_t * (1 + self.jump_ratio):
            raise ValueError(f"central_density={central_density!r} g cm^-3 falls inside the Maxwell density jump "
                             f"({self.eps_t * GEO_DENSITY_G_CM3:.4g} .. {self.eps_t * (1 + self.jump_ratio) * GEO_DENSITY_G_CM3:.4g})")
        return self.p_t + (eps_c - self.eps_t * (1 + self.jump_ratio)) * self.cs2

    def energy_density(self, p: ArrayLike) -> NDArray:
        p = np.asarray(p, dtype=float)
        quark = self.eps_t * (1 + self.jump_ratio) + (p - self.p_t) / self.cs2
        return np.where(p >= self.p_t, quark, self.hadronic.energy_density(p))

    def baryon_density_fm3(self, p: ArrayLike) -> NDArray:
        p = np.asarray(p, dtype=float)
        n_t = float(self.hadronic.baryon_density_fm3(self.p_t))
        a = self.eps_t * (1 + self.jump_ratio) + self.p_t
        b = 1 + 1 / self.cs2
        mu_t = (self.eps_t + self.p_t) / n_t  # continuous across the Maxwell transition
        ln_mu = np.log(np.maximum(a + b * (p - self.p_t), a) / a) / b
        n_quark = (self.energy_density(p) + p) / (mu_t * np.exp(ln_mu))
        return np.where(p >= self.p_t, n_quark, self.hadronic.baryon_density_fm3(p))
