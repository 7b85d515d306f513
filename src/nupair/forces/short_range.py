"""The neutrino force below the electroweak length: opening the contact vertex (t-channel model).

Spec ``shared/spec/forces.md`` section 3 (Xu & Yu, arXiv:2112.03060; Ghosh, Grossman, Sieng & Yu,
arXiv:2410.19059). The four-fermion 1/r^5 law holds for r >> 1/M. Here each contact vertex is
opened by a t-channel (Z-like) mediator of mass M: in momentum space the contact potential is
multiplied by the two propagator factors,

    V(q) = K q^2 ln(q^2 / mu_R^2) [M^2 / (M^2 + q^2)]^2,   K = C_ab G_F^2 / (12 pi^2),   (spec 3)

(C_ab = sum over flavors of g_a g_b). For M -> infinity its Fourier transform is the
Feinberg-Sucher 3K/(pi r^5) = C_ab G_F^2 / (4 pi^3 r^5); for r << 1/M it is Coulomb-like,
-(K M^4 / (2 pi r)) [ln(mu_R r) + gamma_E]. mu_R is the renormalisation scale of the contact
amplitude: it multiplies a short-range (exponentially decaying) term only, so r >> 1/M does not
depend on it. This is the spec's *illustrative* model, not the full Standard-Model result
(box and penguin diagrams of 2410.19059); the s-channel (W-like) opening with its 1/r^4 and 1/r^2
regimes is not modelled (the spec leaves its coefficients open).

Closed form [derived here]. Writing ln(q^2/mu^2) = int_0^inf ds [1/(s + mu^2) - 1/(s + q^2)] and
transforming each rational term gives, with x = M r and L = ln(M^2 / mu_R^2),

    V(r) = (K M^4 / (4 pi r)) B(x),
    B(x) = (1 - x/2) e^{-x} [L - Ei(x)] + (1 + x/2) e^{x} E_1(x) + e^{-x} - 1,

and for x >> 1 the asymptotic series V / V_0 = sum_{n>=2} (n-1)(2n-1)!/(6 x^{2n-4}) + O(e^{-x})
= 1 + 40/x^2 + 2520/x^4 + ... (V_0 the Feinberg-Sucher potential).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import exp1, expi

from nupair import constants as const
from nupair import validation as _v
from nupair.forces.vacuum import SIN2_THETA_W_DEFAULT, _r_natural, vector_charges

__all__ = [
    "t_channel_shape",
    "t_channel_momentum_potential",
    "t_channel_potential",
    "coupling_sum",
]

#: Above this x = M r the asymptotic series is used: its smallest term (n ~ x/2) and the round-off
#: of the closed form (~x^4 eps / 12) are both ~2e-11 relative at x = 40.
_X_SERIES = 40.0
_N_SERIES = 20  # terms n = 2 .. 20 (2n <= 40: the series is still decreasing at x = 40)
#: c_n = (n-1)(2n-1)!/6 of V/V_0 = sum_n c_n x^{-(2n-4)}, highest first for Horner in y = 1/x^2.
_SERIES_COEFFS = np.array([(n - 1) * math.factorial(2 * n - 1) / 6.0 for n in range(_N_SERIES, 1, -1)])


def coupling_sum(a, b, *, flavors: int = 3, sin2_theta_w: float = SIN2_THETA_W_DEFAULT) -> float:
    """C_ab = sum_{alpha <= flavors} g_V^{a,alpha} g_V^{b,alpha} (spec 1), dimensionless."""
    _v.one_of("flavors", flavors, (1, 2, 3))
    qa, qb = vector_charges(a, sin2_theta_w), vector_charges(b, sin2_theta_w)
    return float(np.dot(qa[:flavors], qb[:flavors]))


def _check_scales(mediator_mass_eV: float, renormalization_scale_eV: float | None) -> tuple[float, float]:
    m = _v.positive("mediator_mass_eV", mediator_mass_eV, "eV")
    mu = m if renormalization_scale_eV is None else _v.positive("renormalization_scale_eV", renormalization_scale_eV, "eV")
    return m, mu


def t_channel_shape(x: ArrayLike, log_mass_ratio: float = 0.0) -> NDArray:
    """V(r) / V_0(r) of the t-channel model as a function of x = M r (dimensionless, x > 0).

    ``log_mass_ratio`` is L = ln(M^2 / mu_R^2) (0: mu_R = M). Closed form B(x) x^4 / 12 for
    x < 40 (module docstring), asymptotic series above; -> 1 for x -> inf, ~ -(x^4/6)(ln x + gamma_E
    - L/2) for x -> 0 (Coulomb-like 1/r).
    """
    x = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(x)) or np.any(x <= 0):
        raise ValueError("x = M r must be finite and > 0")
    out = np.empty_like(x)
    small = x < _X_SERIES
    xs = x[small]
    b = ((1 - xs / 2) * np.exp(-xs) * (log_mass_ratio - expi(xs)) + (1 + xs / 2) * np.exp(xs) * exp1(xs)
         + np.exp(-xs) - 1.0)
    out[small] = b * xs**4 / 12.0
    xl = x[~small]
    if xl.size:
        y = 1.0 / (xl * xl)
        series = np.zeros_like(xl)
        for c in _SERIES_COEFFS:  # Horner in y: fixed 19 terms, all decreasing for x >= 40
            series = series * y + c
        expo = np.exp(-xl) * (1 + (1 - xl / 2) * log_mass_ratio) * xl**4 / 12.0
        out[~small] = series + expo
    return out


def t_channel_momentum_potential(q_eV: ArrayLike, coupling: float = 1.0, *, mediator_mass_eV: float = const.m_Z,
                                 renormalization_scale_eV: float | None = None) -> NDArray:
    """V(q) [eV^-2] of the t-channel model (spec 3): K q^2 ln(q^2/mu^2) [M^2/(M^2+q^2)]^2,
    K = coupling G_F^2 / (12 pi^2). q in eV (q > 0)."""
    m, mu = _check_scales(mediator_mass_eV, renormalization_scale_eV)
    q = _v.finite_array("q_eV", q_eV, "eV", low=0.0, low_open=True)
    k = _v.finite("coupling", coupling) * const.G_F**2 / (12 * math.pi**2)
    return k * q * q * np.log((q / mu) ** 2) * (m * m / (m * m + q * q)) ** 2


def t_channel_potential(r_m: ArrayLike, a, b, *, mediator_mass_eV: float = const.m_Z,
                        renormalization_scale_eV: float | None = None, flavors: int = 3,
                        sin2_theta_w: float = SIN2_THETA_W_DEFAULT) -> NDArray:
    """Two-neutrino-exchange potential [eV] between a and b at r [m] with the contact vertex
    opened by a t-channel mediator (spec 3; Xu & Yu, arXiv:2112.03060, illustrative model).

    V = C_ab G_F^2 / (4 pi^3 r^5) * t_channel_shape(M r, ln(M^2/mu_R^2)); massless neutrinos.
    1/r^5 for r >> 1/M, Coulomb-like -(C_ab G_F^2 M^4 / (24 pi^3 r)) [ln(mu_R r) + gamma_E] for
    r << 1/M. Default M = m_Z and mu_R = M. Positive = repulsive.
    """
    m, mu = _check_scales(mediator_mass_eV, renormalization_scale_eV)
    r = _r_natural(r_m)
    c = coupling_sum(a, b, flavors=flavors, sin2_theta_w=sin2_theta_w)
    v0 = c * const.G_F**2 / (4 * math.pi**3 * r**5)
    return v0 * t_channel_shape(m * r, 2 * math.log(m / mu))
