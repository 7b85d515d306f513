"""Thermal evolution of an isothermal-core neutron star (spec ``shared/spec/gradient.md`` section 6).

    C(T~) dT~/dt = -L_nu^inf(T~) - L_gamma^inf(T_s) + H^inf(T~),

T~ = T e^{Phi} the redshifted internal temperature (uniform after ~100 yr). Ingredients:

* heat capacity of degenerate n, p, e (mu): c_v = m* k_F T / 3 per species (Yakovlev & Pethick,
  ARA&A 42 (2004) 169), integrated over the proper volume, C = C~ T~;
* modified Urca, neutron branch (Yakovlev et al., Phys. Rep. 354 (2001) 1):
  Q = 8.1e21 (m_n*/m_n)^3 (m_p*/m_p) (n_e/n_0)^{1/3} alpha_n beta_n T9^8 erg cm^-3 s^-1,
  alpha_n = 1.76 - 0.63 (n_0/n_n)^{2/3}, beta_n = 0.68; proton branch of the same form
  (8.0e21) where its threshold k_Fn < 3 k_Fp + k_Fe holds; an overall multiplier (arXiv:2406.18640
  finds reductions up to 2);
* optional direct Urca, Q = 4.0e27 (n_e/n_0)^{1/3} T9^6 erg cm^-3 s^-1 where k_Fn <= k_Fp + k_Fe
  (Lattimer, Pethick, Prakash & Haensel, PRL 66 (1991) 2701);
* photons through the iron envelope of Gudmundsson, Pethick & Epstein, ApJ 272 (1983) 286:
  T_s = 0.87e6 K g_s14^{1/4} (T_b / 1e8 K)^{0.55}, L_gamma = 4 pi R^2 sigma T_s^4,
  L^inf = L (1 - 2GM/Rc^2), T_s^inf = T_s sqrt(1 - 2GM/Rc^2); T_b = T~ e^{-Phi(R)};
* a heating term H (constant [erg/s] or a callable of the local core temperature [K] returning the
  local power [erg/s]; redshifted with e^{2 Phi_c}), e.g. ``GradientHeating``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from numpy.typing import NDArray
from scipy.integrate import solve_ivp

from nupair.results import SolverError, Status, StatusMixin
from nupair import constants as const
from nupair.gradient.composition import fermi_momentum_MeV
from nupair import validation as _v

__all__ = ["CoolingCoefficients", "CoolingCurve", "cooling_coefficients", "cool", "gpe_surface_temperature"]

_N0 = const.n_saturation_fm3
_YEAR = const.year_s


def gpe_surface_temperature(T_b_K, g_s14: float):
    """T_s [K] = 0.87e6 g_s14^{1/4} (T_b/1e8 K)^{0.55} (Gudmundsson, Pethick & Epstein 1983; spec 6.1)."""
    return 0.87e6 * g_s14**0.25 * (np.asarray(T_b_K, dtype=float) / 1e8) ** 0.55


@dataclass(frozen=True)
class CoolingCoefficients:
    """Temperature-independent integrals of a star: C = heat_capacity T~ [erg/K], L_MU^inf =
    murca T~9^8 [erg/s], L_DU^inf = durca T~9^6 [erg/s]; surface data; Phi at centre and surface."""

    heat_capacity: float
    murca: float
    durca: float
    radius_km: float
    compactness: float
    g_s14: float
    phi_center: float
    phi_surface: float


def cooling_coefficients(star, *, effective_mass_ratio: float = 1.0, urca_multiplier: float = 1.0,
                         direct_urca: bool = False, core_n_fm3: float = 0.076) -> CoolingCoefficients:
    """Integrate the heat capacity and the Urca emissivities over a solved star (core: n_B > core_n_fm3)."""
    for name, v in (("effective_mass_ratio", effective_mass_ratio), ("urca_multiplier", urca_multiplier)):
        if not (math.isfinite(v) and v >= 0):
            raise ValueError(_v.refused(f"{name}={v!r}", "must be finite and >= 0"))
    r_cm = star.r_km * const.km_to_cm
    m_geo = star.mass_enclosed_msun * const.GM_sun_over_c2_m * 100.0
    metric = 1.0 / np.sqrt(np.maximum(1 - 2 * m_geo / np.maximum(r_cm, 1e-30), 1e-12))
    dv = 4 * math.pi * r_cm**2 * metric  # proper volume per dr [cm^2]
    phi = star.phi
    # heat capacity per volume per K at T_local = 1 K: sum m* k_F k_B^2 / 3 in erg cm^-3 K^-2
    kf = {s: fermi_momentum_MeV(getattr(star, f"n_{s}_fm3")) * 1e6 for s in ("n", "p", "e", "mu")}  # eV
    mstar = {"n": effective_mass_ratio * const.m_n, "p": effective_mass_ratio * const.m_p,
             "e": np.hypot(kf["e"], const.m_e), "mu": np.hypot(kf["mu"], const.m_mu)}
    kb = const.kelvin / const.eV  # eV per K
    eV3_to_cm3 = (1.0 / const.cm) ** -3  # 1 eV^3 in cm^-3
    cv = sum(mstar[s] * kf[s] / 3 for s in kf) * kb * kb * eV3_to_cm3 * const.eV_to_erg  # erg cm^-3 K^-2
    # C dT~/dt with T = T~ e^{-Phi}: C = T~ int cv e^{-2 Phi} ... (energy per local T, times dT/dT~)
    heat_capacity = float(np.trapezoid(cv * np.exp(-2 * phi) * dv, r_cm))
    core = star.n_B_fm3 > core_n_fm3
    n_n, n_e = star.n_n_fm3, star.n_e_fm3
    ratio = np.where(n_n > 0, _N0 / np.maximum(n_n, 1e-30), np.inf)
    alpha = 1.76 - 0.63 * ratio ** (2 / 3)
    base = urca_multiplier * (n_e / _N0) ** (1 / 3) * 0.68 * np.maximum(alpha, 0.0) * effective_mass_ratio**4
    q_n = 8.1e21 * base
    proton_open = kf["n"] < 3 * kf["p"] + kf["e"]
    q_p = np.where(proton_open, 8.0e21 * base, 0.0)
    # local T9^8 = T~9^8 e^{-8 Phi}; L^inf gets e^{2 Phi}
    murca = float(np.trapezoid(np.where(core, (q_n + q_p) * np.exp(-6 * phi), 0.0) * dv, r_cm))
    durca = 0.0
    if direct_urca:
        open_du = core & (kf["n"] <= kf["p"] + kf["e"])
        q_du = 4.0e27 * urca_multiplier * (n_e / _N0) ** (1 / 3) * effective_mass_ratio**2
        durca = float(np.trapezoid(np.where(open_du, q_du * np.exp(-4 * phi), 0.0) * dv, r_cm))
    compact = star.compactness
    return CoolingCoefficients(heat_capacity, murca, durca, star.radius_km, compact, star.surface_gravity_cm_s2 / 1e14,
                               float(phi[0]), float(phi[-1]))


@dataclass(frozen=True)
class CoolingCurve(StatusMixin):
    """t [yr], T~ (redshifted internal) [K], T_b [K], T_s and T_s^inf [K], luminosities at infinity
    [erg/s] (neutrino, photon, heating). ``status`` SUCCESSFUL (a failed integration raises
    :class:`~nupair.results.SolverError`), ``message`` how many samples the integrator took."""

    t_yr: NDArray
    T_internal_inf_K: NDArray
    T_b_K: NDArray
    T_s_K: NDArray
    T_s_inf_K: NDArray
    L_nu_inf: NDArray
    L_gamma_inf: NDArray
    H_inf: NDArray
    status: Status = Status.SUCCESSFUL
    message: str = ""


def cool(star, heating: float | Callable | None = None, t_span: tuple[float, float] = (1e-2, 1e7), *,
         T0_K: float = 1e10, n_eval: int = 300, coefficients: CoolingCoefficients | None = None,
         **coefficient_kwargs) -> CoolingCurve:
    """Cooling curve of ``star`` over ``t_span`` [yr] from T~(t0) = T0_K (spec 6.1).

    ``heating``: None, a constant [erg/s, local] or a callable H(T_core_local_K) -> erg/s (local).
    Other keywords go to :func:`cooling_coefficients` (effective_mass_ratio, urca_multiplier,
    direct_urca). The ODE is solved in (ln t, ln T~) with LSODA; < 0.1 s for 1e-2 .. 1e7 yr.
    """
    t0, t1 = (float(x) for x in t_span)
    if not (0 < t0 < t1 and math.isfinite(t1)):
        raise ValueError(_v.refused(f"t_span={t_span!r}", "need 0 < t_start < t_end [yr]"))
    if not (math.isfinite(T0_K) and T0_K > 0):
        raise ValueError(_v.refused(f"T0_K={T0_K!r}", "must be finite and > 0 [K]"))
    co = coefficients or cooling_coefficients(star, **coefficient_kwargs)
    red_s = math.exp(co.phi_surface)  # sqrt(1 - 2M/R)
    area = 4 * math.pi * (co.radius_km * const.km_to_cm) ** 2
    if heating is None:
        heat = lambda t_loc: 0.0  # noqa: E731
    elif callable(heating):
        heat = heating
    else:
        h = float(heating)
        if not math.isfinite(h) or h < 0:
            raise ValueError(_v.refused(f"heating={heating!r}", "a finite power >= 0 [erg/s] or a callable"))
        heat = lambda t_loc: h  # noqa: E731
    e2c = math.exp(2 * co.phi_center)

    def lum(tt):
        t_b = tt / red_s
        t_s = gpe_surface_temperature(t_b, co.g_s14)
        l_g = area * const.sigma_SB_cgs * t_s**4 * red_s**2
        l_nu = co.murca * (tt / 1e9) ** 8 + co.durca * (tt / 1e9) ** 6
        h_inf = float(np.asarray(heat(tt * math.exp(-co.phi_center)))) * e2c
        return l_nu, l_g, h_inf, t_b, t_s

    def rhs(s, y):
        tt = math.exp(y[0])
        l_nu, l_g, h_inf, _, _ = lum(tt)
        t = math.exp(s) * _YEAR
        return [t * (h_inf - l_nu - l_g) / (co.heat_capacity * tt * tt)]

    s_eval = np.linspace(math.log(t0), math.log(t1), int(n_eval))
    sol = solve_ivp(rhs, (s_eval[0], s_eval[-1]), [math.log(T0_K)], method="LSODA", t_eval=s_eval, rtol=1e-8,
                    atol=1e-10)
    if sol.status != 0:
        raise SolverError(f"cooling integration failed: {sol.message}", Status.SOLVER_FAILED)
    if not np.all(np.isfinite(sol.y)):
        raise SolverError("cooling integration gave a non-finite temperature", Status.NON_FINITE)
    tt = np.exp(sol.y[0])
    parts = [lum(x) for x in tt]
    l_nu, l_g, h_inf, t_b, t_s = (np.array(p) for p in zip(*parts))
    return CoolingCurve(np.exp(sol.t), tt, t_b, t_s, t_s * red_s, l_nu, l_g, h_inf,
                        message=f"LSODA: {sol.nfev} right-hand sides")
