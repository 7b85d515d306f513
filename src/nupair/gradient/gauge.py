"""New U(1)' gauge forces sourced by a neutron star and Schwinger production of charged neutrinos
(Liu, Liu, Shkerin, Shu & Zhao, arXiv:2606.20393, abstract; spec ``shared/spec/gradient.md`` section 7).

U(1)' with coupling g and mediator mass m_Z' (0: massless); charge densities for neutral npe(mu) matter:
B - L: n_n; L_mu - L_tau: n_mu; L_e - L_mu: n_e - n_mu. Flat-space electrostatics:

    phi(r) = Q(<r) / (4 pi r) + int_r^R rho_Q r' dr',   V_q = q g^2 phi,
    E(r) = g^2 Q(<r) / (4 pi r^2)   [eV^2],

and the locally-constant-field pair rate g_h E^2 exp(-pi m^2/E) / (8 pi^3) per volume (valid:
Delta V R >> 1). A massive mediator screens the potential (Yukawa Green function of
(nabla^2 - m^2), spherical source):

    phi(r) = (1/(m r)) [e^{-m r} int_0^r rho r' sinh(m r') dr' + sinh(m r) int_r^R rho r' e^{-m r'} dr'],

evaluated with non-positive exponents only (no overflow for any m R). Exclusion curves of the paper
were not read: no bounds are made up here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nupair import constants as const
from nupair.gradient.production import rate_eV4_to_cm3_s, schwinger_rate_per_volume
from nupair import validation as _v

__all__ = ["GaugeForce", "GAUGE_CHARGES", "point_charge_potential"]

#: Gauged U(1)' charges of the gauge-force variant (spec gradient.md 7).
GAUGE_CHARGES = ("B-L", "Lmu-Ltau", "Le-Lmu")


def point_charge_potential(charge_number: float, radius_km: float, coupling: float) -> tuple[float, float]:
    """(depth g^2 Q / (4 pi R) [eV], surface field g^2 Q / (4 pi R^2) [eV^2]) of a total charge Q
    (number of charged particles) inside radius R."""
    r = radius_km * const.km
    depth = coupling**2 * charge_number / (4 * math.pi * r)
    return depth, depth / r


def _yukawa_potential(r: NDArray, rho: NDArray, m: float) -> NDArray:
    """phi(r) for a spherical source rho(r) [eV^3] on the grid r [eV^-1] and a mediator of mass m [eV]:
    phi = (1 / (2 m r)) [J_-(r) - J_+(r) + K_-(r) - K_+(r)] with
    J_-+ = int_0^r rho r' e^{-m (r -+ r')}... written so that every exponent is <= 0 (J_- and K_- by
    stable recursions, trapezoid per cell); phi(0) = int_0^R rho r' e^{-m r'} dr'."""
    f = rho * r
    dr = np.diff(r)
    n = r.size
    j_minus = np.zeros(n)  # int_0^r f(r') e^{-m (r - r')} dr'
    for k in range(1, n):
        decay = math.exp(-m * dr[k - 1])
        j_minus[k] = j_minus[k - 1] * decay + 0.5 * dr[k - 1] * (f[k - 1] * decay + f[k])
    k_minus = np.zeros(n)  # int_r^R f(r') e^{-m (r' - r)} dr'
    for k in range(n - 2, -1, -1):
        decay = math.exp(-m * dr[k])
        k_minus[k] = k_minus[k + 1] * decay + 0.5 * dr[k] * (f[k] + f[k + 1] * decay)
    g = f * np.exp(-m * r)  # f e^{-m r'}
    cells = 0.5 * dr * (g[1:] + g[:-1])
    inner = np.concatenate([[0.0], np.cumsum(cells)])  # int_0^r f e^{-m r'}
    outer = inner[-1] - inner  # int_r^R f e^{-m r'}
    j_plus = np.exp(-m * r) * inner  # int_0^r f e^{-m (r + r')}
    k_plus = np.exp(-m * r) * outer  # int_r^R f e^{-m (r + r')}
    safe = np.where(r > 0, r, 1.0)
    phi = (j_minus - j_plus + k_minus - k_plus) / (2 * m * safe)
    return np.where(r > 0, phi, inner[-1])


@dataclass(frozen=True)
class GaugeForce:
    """A gauged lepton or baryon-minus-lepton number: ``charge`` in GAUGE_CHARGES, coupling ``g``."""

    charge: str
    g: float
    mediator_mass_eV: float = 0.0

    def __post_init__(self):
        if not (math.isfinite(self.mediator_mass_eV) and self.mediator_mass_eV >= 0):
            raise ValueError(_v.refused(f"mediator_mass_eV={self.mediator_mass_eV!r}", "must be finite and >= 0 [eV]"))
        _v.one_of("charge", self.charge, GAUGE_CHARGES)
        if not (math.isfinite(self.g) and self.g >= 0):
            raise ValueError(_v.refused(f"g={self.g!r}", "the coupling must be finite and >= 0"))

    def charge_density_fm3(self, star) -> NDArray:
        """rho_Q [fm^-3] on the star's grid."""
        if self.charge == "B-L":
            return star.n_n_fm3 + star.n_p_fm3 - star.n_e_fm3 - star.n_mu_fm3
        if self.charge == "Lmu-Ltau":
            return star.n_mu_fm3
        return star.n_e_fm3 - star.n_mu_fm3

    def profile(self, star) -> dict[str, NDArray]:
        """Enclosed charge Q(<r) (number), potential energy V(r) = g^2 phi(r) of a unit charge [eV] and
        field E(r) [eV^2] on ``star.r_km`` (flat space)."""
        r = star.r_km * const.km  # eV^-1
        rho = self.charge_density_fm3(star) / const.fm**3  # eV^3
        shell = 4 * math.pi * r * r * rho
        q_enc = np.concatenate([[0.0], np.cumsum(0.5 * (shell[1:] + shell[:-1]) * np.diff(r))])
        outer = r * rho
        tail = np.concatenate([np.cumsum((0.5 * (outer[1:] + outer[:-1]) * np.diff(r))[::-1])[::-1], [0.0]])
        m = self.mediator_mass_eV
        if m * r[-1] < 1e-6:  # screening negligible over the star: exact massless form
            phi = np.where(r > 0, q_enc / (4 * math.pi * np.where(r > 0, r, 1.0)), 0.0) + tail
            field = np.where(r > 0, q_enc / (4 * math.pi * np.where(r > 0, r, 1.0) ** 2), 0.0)
        else:
            phi = _yukawa_potential(r, rho, m)
            field = -np.gradient(phi, r)
        return {"charge_enclosed": q_enc, "potential_eV": self.g**2 * phi, "field_eV2": self.g**2 * field}

    def pair_rate_per_s(self, star, neutrino_mass_eV: float = 0.0, helicities: int = 1) -> float:
        """Total Schwinger pair rate [s^-1] = int 4 pi r^2 g_h E^2 e^{-pi m^2/E} / (8 pi^3) dr."""
        prof = self.profile(star)
        r_cm = star.r_km * const.km_to_cm
        # the pair rate depends on the field strength |E|, not on its direction (a screened field
        # can point inwards where the charge density falls steeply)
        per_volume = schwinger_rate_per_volume(np.abs(prof["field_eV2"]), neutrino_mass_eV, g=helicities) * rate_eV4_to_cm3_s
        return float(np.trapezoid(4 * math.pi * r_cm**2 * per_volume, r_cm))
