"""Other quantum forces for comparison with two-neutrino exchange (spec forces.md section 5).

* Dimensional rule: if the product of the two couplings has mass dimension -d, the static
  potential falls as 1/r^{d+1} (G_F^2: d = 4, 1/r^5; (1/Lambda_a)(1/Lambda_b): d = 2, 1/r^3).
* Two-scalar exchange through the operator -(1/Lambda) fbar f phi^2 (real scalar phi of mass m;
  Brax, Fichet & Pignol, PRD 97 (2018) 115034 give the 1/r^3 form). Second-order perturbation
  theory with static sources [derived here, Euclidean]: the cross term of the energy is
      V(r) = -(1/(Lambda_a Lambda_b)) int dtau <phi^2(tau, x_a) phi^2(0, x_b)>_c
           = -(2/(Lambda_a Lambda_b)) int dtau G_E(sqrt(tau^2 + r^2))^2,
  G_E(X) = m K_1(m X) / (4 pi^2 X). Massless: V = -1/(16 pi^3 Lambda_a Lambda_b r^3) (attractive);
  massive: V = V_massless (4/pi) int_0^inf [z K_1(z)]^2 sech^3(u) du, z = m r cosh u.
* Feynman's scalar toy model (quoted in the spec): E = (pi/2) G'^2 m_1 m_2 / r^3.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import kve, roots_legendre

from nupair.forces.vacuum import _r_natural
from nupair import validation as _v

__all__ = ["power_law_exponent", "scalar_pair_potential", "feynman_scalar_potential"]

_U_MAX = 40.0  # sech^3(40) ~ 1e-51: the u integral is complete there
_NODES, _WEIGHTS = roots_legendre(400)


def power_law_exponent(coupling_mass_dimension: int) -> int:
    """n of V ~ 1/r^n for a coupling product of mass dimension -d: n = d + 1 (spec 5)."""
    if not isinstance(coupling_mass_dimension, (int, np.integer)) or coupling_mass_dimension < 0:
        raise ValueError(_v.refused(f"coupling_mass_dimension={coupling_mass_dimension!r}", "integer d >= 0 "
                         "(the coupling product has mass dimension -d)"))
    return int(coupling_mass_dimension) + 1


def scalar_pair_potential(r_m: ArrayLike, lambda_a_eV: float, lambda_b_eV: float, *,
                          scalar_mass_eV: float = 0.0) -> NDArray:
    """Two-scalar-exchange potential [eV] between sources with -(1/Lambda) fbar f phi^2 couplings.

    Massless: -1/(16 pi^3 Lambda_a Lambda_b r^3); massive: times the shape of the module docstring
    (-> e^{-2 m r} at m r >> 1). r in metres, Lambda and m in eV.
    """
    la, lb = _v.positive("lambda_a_eV", lambda_a_eV, "eV"), _v.positive("lambda_b_eV", lambda_b_eV, "eV")
    m = _v.non_negative("scalar_mass_eV", scalar_mass_eV, "eV")
    r = _r_natural(r_m)
    v0 = -1.0 / (16 * math.pi**3 * la * lb * r**3)
    if m == 0.0:
        return v0
    u = _U_MAX / 2 * (_NODES + 1)
    w = _U_MAX / 2 * _WEIGHTS
    z = m * np.asarray(r)[..., None] * np.cosh(u)
    # [z K1(z)]^2 = (z kve(1, z))^2 e^{-2z}; beyond z = 400 it is below 1e-340 (and kve returns
    # NaN for z >~ 1e13), so it is set to zero there
    zc = np.minimum(z, 400.0)
    zk = zc * kve(1, zc)
    shape = (4 / math.pi) * np.sum(np.where(z < 400.0, w * zk * zk * np.exp(-2 * zc), 0.0) / np.cosh(u) ** 3, axis=-1)
    return v0 * shape


def feynman_scalar_potential(r_m: ArrayLike, coupling_per_eV: float, mass_a_eV: float, mass_b_eV: float) -> NDArray:
    """Feynman's scalar toy model E = (pi/2) G'^2 m_a m_b / r^3 [eV] (spec 5), G' in eV^-1."""
    r = _r_natural(r_m)
    g = _v.finite("coupling_per_eV", coupling_per_eV, "eV^-1")
    ma, mb = _v.positive("mass_a_eV", mass_a_eV, "eV"), _v.positive("mass_b_eV", mass_b_eV, "eV")
    return (math.pi / 2) * g**2 * ma * mb / r**3
