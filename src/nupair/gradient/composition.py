"""Composition and neutrino matter potentials of neutron-star matter.

Spec ``shared/spec/gradient.md`` sections 2 and 5.3. Densities in fm^-3, potentials in eV.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair import constants as const
from nupair import validation as _v

__all__ = ["SQRT2_GF_EV_FM3", "beta_equilibrium", "matter_potential_eV", "fermi_momentum_MeV"]

#: sqrt(2) G_F x (1 fm^-3) in eV (= 126.740 eV; spec 1).
SQRT2_GF_EV_FM3 = math.sqrt(2.0) * const.G_F / const.fm**3
_HBARC = const.hbarc_MeV_fm
_MN, _MP, _ME, _MMU = const.m_n / const.MeV, const.m_p / const.MeV, const.m_e / const.MeV, const.m_mu / const.MeV


def fermi_momentum_MeV(n_fm3: ArrayLike) -> NDArray:
    """k_F = hbar c (3 pi^2 n)^(1/3) [MeV] of one species with two spin states, n in fm^-3."""
    return _HBARC * np.cbrt(3 * math.pi**2 * _v.finite_array("n_fm3", n_fm3, "fm^-3", low=0.0))


def _density_from_k(k_mev: NDArray) -> NDArray:
    return (np.maximum(k_mev, 0.0) / _HBARC) ** 3 / (3 * math.pi**2)


def beta_equilibrium(n_baryon_fm3: ArrayLike, *, muons: bool = False) -> dict[str, NDArray]:
    """Ideal (free Fermi gas) npe(mu) matter in beta equilibrium (spec 5.3).

    mu_n = mu_p + mu_e, mu_mu = mu_e, n_p = n_e + n_mu, n_B = n_n + n_p, mu_i = sqrt(k_i^2 + m_i^2)
    (rest masses included). Solved by vectorized bisection in mu_e (the residual
    mu_n - mu_p - mu_e decreases monotonically with mu_e).

    Returns a dict of arrays shaped like n_B: ``Y_p``, ``Y_e``, ``n_n``, ``n_p``, ``n_e``,
    ``n_mu`` (fm^-3; n_mu = 0 without muons), ``Y_mu``.
    """
    nb = _v.finite_array("n_baryon_fm3", n_baryon_fm3, "fm^-3", low=0.0, low_open=True)

    def lepton_densities(mu_e):
        n_e = _density_from_k(np.sqrt(np.maximum(mu_e**2 - _ME**2, 0.0)))
        n_mu = _density_from_k(np.sqrt(np.maximum(mu_e**2 - _MMU**2, 0.0))) if muons else np.zeros_like(mu_e)
        return n_e, n_mu

    def residual(mu_e):
        n_e, n_mu = lepton_densities(mu_e)
        n_p = np.minimum(n_e + n_mu, nb)
        n_n = nb - n_p
        mu_n = np.hypot(fermi_momentum_MeV(n_n), _MN)
        mu_p = np.hypot(fermi_momentum_MeV(n_p), _MP)
        return mu_n - mu_p - mu_e

    lo = np.full_like(nb, _ME)
    # at most every baryon is a proton (n_e = n_B): at low density ideal matter is pure p + e
    hi = np.hypot(fermi_momentum_MeV(nb), _ME)
    for _ in range(80):
        mid = 0.5 * (lo + hi)
        pos = residual(mid) > 0
        lo = np.where(pos, mid, lo)
        hi = np.where(pos, hi, mid)
    mu_e = 0.5 * (lo + hi)
    n_e, n_mu = lepton_densities(mu_e)
    n_p = np.minimum(n_e + n_mu, nb)
    return {"Y_p": n_p / nb, "Y_e": n_e / nb, "Y_mu": n_mu / nb, "n_n": nb - n_p, "n_p": n_p, "n_e": n_e, "n_mu": n_mu}


def matter_potential_eV(n_n_fm3: ArrayLike, n_p_fm3: ArrayLike, n_e_fm3: ArrayLike, flavor: str = "e",
                        antineutrino: bool = False, *, n_mu_fm3: ArrayLike = 0.0,
                        sin2_theta_w: float = const.sin2_theta_W_MSbar_mZ_2022) -> NDArray:
    """Matter potential V [eV] of a neutrino (or antineutrino: -V) of flavour e, mu or tau.

    V = sqrt(2) G_F [n_l (charged current, l = flavour) + sum_f n_f (T3_f - 2 Q_f s_W^2)]
    (Wolfenstein 1978; spec 2.1). Neutral matter: V_e = sqrt2 G_F (n_e - n_n/2),
    V_mu = sqrt2 G_F (n_mu - n_n/2), V_tau = -sqrt2 G_F n_n/2 (s_W^2 cancels).
    """
    _v.one_of("flavor", flavor, ("e", "mu", "tau"))
    dens = [_v.finite_array(name, x, "fm^-3", low=0.0)
            for name, x in zip(("n_n_fm3", "n_p_fm3", "n_e_fm3", "n_mu_fm3"), (n_n_fm3, n_p_fm3, n_e_fm3, n_mu_fm3))]
    sin2_theta_w = _v.in_range("sin2_theta_w", sin2_theta_w, 0.0, 1.0)
    n_n, n_p, n_e, n_mu = dens
    lepton_nc = -0.5 + 2 * sin2_theta_w
    v = n_p * (0.5 - 2 * sin2_theta_w) - 0.5 * n_n + lepton_nc * (n_e + n_mu)
    v = v + {"e": n_e, "mu": n_mu, "tau": 0.0 * n_e}[flavor]
    v = SQRT2_GF_EV_FM3 * v
    return -v if antineutrino else v
