"""Pair production by a potential step (spec ``shared/spec/gradient.md`` section 3).

Natural units (eV). A step V(x) rising by V0 > 0 over a width L: modes (omega, p_perp) with
pi_perp = sqrt(m^2 + p_perp^2), k_L = sqrt(omega^2 - pi_perp^2), k_R = sqrt((V0 - omega)^2 - pi_perp^2),
produced only in the Klein zone pi_perp <= omega <= V0 - pi_perp.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import roots_legendre

from nupair import constants as const
from nupair import validation as _v

__all__ = [
    "pairs_per_mode",
    "sharp_step_pairs",
    "rate_per_area",
    "spectrum_per_area",
    "lcfa_rate_per_area",
    "schwinger_rate_per_volume",
    "flux_eV3_to_cm2_s",
    "rate_eV4_to_cm3_s",
]

#: 1 eV^3 as a flux [cm^-2 s^-1] and 1 eV^4 as a rate per volume [cm^-3 s^-1].
flux_eV3_to_cm2_s = (1.0 / const.cm) ** -2 * (1.0 / const.second) ** -1
#: 1 eV^4 as a rate per volume [cm^-3 s^-1].
rate_eV4_to_cm3_s = (1.0 / const.cm) ** -3 * (1.0 / const.second) ** -1


def _log_sinh_minus_x(x: NDArray) -> NDArray:
    """ln sinh(x) - x for x > 0: ln(1 - e^{-2x}) - ln 2, and ln(x) - x + x^2/6 - x^4/180 near 0.
    Separating the linear part lets the large terms of ln N cancel analytically."""
    x = np.asarray(x, dtype=float)
    small = x < 1e-3
    xs = np.where(small, x, 1.0)
    xl = np.where(small, 1.0, x)
    return np.where(small, np.log(xs) - xs + xs * xs / 6 - xs**4 / 180, np.log1p(-np.exp(-2 * xl)) - math.log(2.0))


def _klein(omega, p_perp, v0, m):
    pi2 = m * m + p_perp * p_perp
    kl2 = omega * omega - pi2
    kr2 = (v0 - omega) ** 2 - pi2
    inside = (kl2 > 0) & (kr2 > 0)
    return np.sqrt(np.where(inside, kl2, 0.0)), np.sqrt(np.where(inside, kr2, 0.0)), inside


def sharp_step_pairs(omega: ArrayLike, p_perp: ArrayLike, V0: float, m: float = 0.0) -> NDArray:
    """N = 4 k_L k_R / [V0^2 - (k_L - k_R)^2] for a discontinuous step (Klein; spec 3.2 limit 2)."""
    v0, mass = _v.positive("V0", V0, "eV"), _v.non_negative("m", m, "eV")
    w = _v.finite_array("omega", omega, "eV")
    p = _v.finite_array("p_perp", p_perp, "eV", low=0.0)
    kl, kr, inside = _klein(w, p, v0, mass)
    den = v0 * v0 - (kl - kr) ** 2
    return np.where(inside, 4 * kl * kr / np.where(inside, den, 1.0), 0.0)


def pairs_per_mode(omega: ArrayLike, p_perp: ArrayLike, V0: float, L: float, m: float = 0.0) -> NDArray:
    """Mean number of pairs per mode, exact for the tanh step V = (V0/2)(1 + tanh(x/L)) (Sauter 1932;
    Nikishov 1970; Gavrilov & Gitman, PRD 93 (2016) 045002; spec 3.2):

        N = sinh(pi L k_L) sinh(pi L k_R) / [sinh(pi L (V0 + k_L - k_R)/2) sinh(pi L (V0 - k_L + k_R)/2)]

    inside the Klein zone, 0 outside; per spin state coupled to V. omega from the low side [eV],
    p_perp [eV], V0 > 0 [eV], L >= 0 [1/eV] (0: sharp step), m >= 0 [eV]. Evaluated with ln sinh,
    so any L works."""
    v0 = float(_v.positive("V0", V0, "eV"))
    length = float(_v.non_negative("L", L, "1/eV"))
    mass = float(_v.non_negative("m", m, "eV"))
    w, p = np.broadcast_arrays(np.asarray(omega, float), np.asarray(p_perp, float))
    if length == 0.0:
        return sharp_step_pairs(w, p, v0, mass)
    kl, kr, inside = _klein(w, p, v0, mass)
    a = math.pi * length
    safe = lambda x: np.where(inside, x, 1.0)  # noqa: E731
    # linear parts: a (k_L + k_R - V0) = -a pi_perp^2 [1/(omega + k_L) + 1/(V0 - omega + k_R)], no cancellation
    pi2 = mass * mass + p * p
    linear = -a * pi2 * (1 / safe(w + kl) + 1 / safe(v0 - w + kr))
    log_n = (linear + _log_sinh_minus_x(safe(a * kl)) + _log_sinh_minus_x(safe(a * kr))
             - _log_sinh_minus_x(safe(a * (v0 + kl - kr) / 2)) - _log_sinh_minus_x(safe(a * (v0 - kl + kr) / 2)))
    return np.where(inside, np.exp(np.minimum(log_n, 0.0)), 0.0)


_GL = roots_legendre(160)


def _klein_zone_integral(v0: float, length: float, m: float, weight=None) -> float:
    """int_0^{p_max} p dp int d omega N (x weight(omega)), Gauss-Legendre with omega = V0/2 + h sin(phi)
    (h = V0/2 - pi_perp) so that the square-root edges of the Klein zone are smooth."""
    p_max2 = (v0 / 2) ** 2 - m * m
    if p_max2 <= 0:
        return 0.0
    p_max = math.sqrt(p_max2)
    x, wx = _GL
    p = p_max * (x + 1) / 2
    wp = wx * p_max / 2
    phi = x * math.pi / 2
    wphi = wx * math.pi / 2
    h = v0 / 2 - np.sqrt(m * m + p * p)
    omega = v0 / 2 + h[:, None] * np.sin(phi)[None, :]
    jac = h[:, None] * np.cos(phi)[None, :]
    n = pairs_per_mode(omega, p[:, None], v0, length, m)
    if weight is not None:
        n = n * weight(omega)
    return float(np.sum(wp[:, None] * p[:, None] * wphi[None, :] * jac * n))


def _one_of_two(new_name: str, new, old_name: str, old, default=None):
    """The value given under the unit-suffixed name or its short form (not both)."""
    if new is not None and old is not None:
        raise ValueError(f"give {new_name} (or its short form {old_name}), not both")
    value = new if new is not None else old
    if value is None and default is None:
        raise TypeError(f"missing argument {new_name}")
    return default if value is None else value


def rate_per_area(V0_eV: float | None = None, L_per_eV: float | None = None, m_eV: float | None = None, *,
                  g: int = 1, V0: float | None = None, L: float | None = None, m: float | None = None) -> float:
    """Pairs per unit time and interface area [eV^3] in vacuum (no Pauli blocking; spec 3.3):
    g int d omega/(2 pi) int d^2 p_perp/(2 pi)^2 N. g = 1 per Standard-Model neutrino species.

    ``V0_eV``: the potential step [eV]; ``L_per_eV``: its width L [eV^-1] (0: sharp); ``m_eV``: the
    neutrino mass [eV] (``V0``, ``L``, ``m`` are the short forms). Zero if V0 <= 2m. Multiply by
    ``flux_eV3_to_cm2_s`` for cm^-2 s^-1. Sharp massless: 6.5233e-4 V0^3."""
    V0 = _one_of_two("V0_eV", V0_eV, "V0", V0)
    L = _one_of_two("L_per_eV", L_per_eV, "L", L, 0.0)
    m = _one_of_two("m_eV", m_eV, "m", m, 0.0)
    v0 = float(_v.positive("V0_eV", V0, "eV"))
    if v0 <= 2 * float(_v.non_negative("m_eV", m, "eV")):
        return 0.0
    return g / (2 * math.pi) / (2 * math.pi) * _klein_zone_integral(v0, float(_v.non_negative("L_per_eV", L, "1/eV")),
                                                                    float(m))


def spectrum_per_area(omega: ArrayLike, V0: float, L: float = 0.0, m: float = 0.0, *, g: int = 1) -> NDArray:
    """d(rate)/(dA d omega) [eV^2] = (g/2 pi) int d^2 p_perp/(2 pi)^2 N(omega, p_perp) (spec 3.3);
    neutrino energy omega measured from the low side, symmetric about V0/2."""
    w = np.atleast_1d(np.asarray(omega, dtype=float))
    v0 = float(_v.positive("V0", V0, "eV"))
    x, wx = _GL
    out = np.zeros_like(w)
    for k, om in enumerate(w):
        pi_max2 = min(om, v0 - om) ** 2 - m * m
        if pi_max2 <= 0:
            continue
        p_max = math.sqrt(pi_max2)
        # p = p_max sin(theta): smooth at the p_max edge where k_L or k_R ~ sqrt
        th = (x + 1) * math.pi / 4
        p = p_max * np.sin(th)
        jac = p_max * np.cos(th) * wx * math.pi / 4
        out[k] = np.sum(jac * p * pairs_per_mode(om, p, v0, L, m)) / (2 * math.pi)
    return g * out / (2 * math.pi)


def lcfa_rate_per_area(V0_eV: float | None = None, L_per_eV: float | None = None, m_eV: float | None = None, *,
                       g: int = 1, V0: float | None = None, L: float | None = None, m: float | None = None) -> float:
    """Locally-constant-field (Schwinger) approximation for the tanh step [eV^3] (spec 3.3):
    g int dx E(x)^2 exp(-pi m^2/E(x)) / (8 pi^3), E = (V0/2L) sech^2(x/L); massless: g V0^2 / (24 pi^3 L).
    An upper bound that diverges as L -> 0. Arguments as :func:`rate_per_area` (L required)."""
    V0 = _one_of_two("V0_eV", V0_eV, "V0", V0)
    L = _one_of_two("L_per_eV", L_per_eV, "L", L)
    m = float(_one_of_two("m_eV", m_eV, "m", m, 0.0))
    v0, length = float(_v.positive("V0_eV", V0, "eV")), float(_v.positive("L_per_eV", L, "1/eV"))
    x, wx = _GL
    # x = L artanh(u), u in (-1, 1): sech^2 = 1 - u^2, dx = L du / (1 - u^2)
    e = v0 / (2 * length) * (1 - x * x)
    return g * float(np.sum(wx * length / (1 - x * x) * e * e * np.exp(-math.pi * m * m / e))) / (8 * math.pi**3)


def schwinger_rate_per_volume(E_eV2: ArrayLike, m: float = 0.0, *, g: int = 1) -> NDArray:
    """Pairs per volume per time in a constant field E [eV^2]: g E^2 exp(-pi m^2/E) / (8 pi^3) [eV^4]
    (Nikishov 1970; spec 3.3)."""
    e = _v.finite_array("E_eV2", E_eV2, "eV^2", low=0.0)
    m = _v.non_negative("m", m, "eV")
    g = _v.positive_int("g", g)
    es = np.where(e > 0, e, 1.0)
    return np.where(e > 0, g * es * es * np.exp(-math.pi * m * m / es) / (8 * math.pi**3), 0.0)
