r"""Neutrino magnetic and electric (transition) dipole moments in RENP (spec ``shared/spec/renp.md``
section 4.4; Ge & Pasquini arXiv:2306.12953 [GP23], NuFact 2022 talk [T22]).

The stored copy of [GP23] that this package could consult holds its abstract and introduction but
not its formulas, so the photon-mediated spectral function here is derived from the Lagrangian of
spec 4.4, L = -(1/2) nubar_i sigma^{mu nu} (mu_ij + i eps_ij gamma5) nu_j F_{mu nu}, and checked
against a direct numerical evaluation of the Dirac traces over the pair phase space (tests):

* atom side: the virtual photon couples to the atomic magnetization mu_B (L + 2S) (an M1
  transition 3P0 -> 3P1, as the weak spin current); between J = 0 and J = 1 the matrix element of
  L + 2S = J + S is that of S, so the current is j = i mu_B q x <S>, transverse;
* amplitude M = mu_B^2 <S> . (q x J)/q^2, J^nu = ubar_i sigma^{nu rho} q_rho (mu + i eps gamma5) v_j,
  q^2 = Q2 = E_eg (E_eg - 2 omega), |q| = omega (moments in units of mu_B);
* pair tensor: the trace gives sum_spins J.J* = -2 [ |mu|^2 (Q2 - (m_i - m_j)^2)(Q2 + 2 (m_i + m_j)^2)
  + |eps|^2 (Q2 - (m_i + m_j)^2)(Q2 + 2 (m_i - m_j)^2) ] (no mu-eps cross term), J is conserved,
  so the phase-space average is A (q^mu q^nu - Q2 g^{mu nu}) with A = -(J.J*)/(3 Q2), and the
  atom-orientation average of |<S>.(q x J)|^2 is (2/3) A Q2 omega^2 |<S>|^2;
* normalised like the weak term (amplitude sqrt2 G_F a_ij <S>.J_w, whose same average is
  8 |a|^2 I_ij |<S>|^2), the bracket of spec 2.2 gains

  .. math::
      \delta I^{\rm EM}_{ij} = (1 + \delta_M)\,\frac{\mu_B^4}{36 G_F^2}\,\frac{\omega^2}{Q_2^2}
      \bigl[|\mu_{ij}|^2 (Q_2 - (m_i-m_j)^2)(Q_2 + 2(m_i+m_j)^2)
      + |\epsilon_{ij}|^2 (Q_2 - (m_i+m_j)^2)(Q_2 + 2(m_i-m_j)^2)\bigr];

* interference with the weak term vanishes for unpolarised atoms: both pair tensors depend on q
  alone, so they are symmetric, and the transverse coupling contracts them with the
  antisymmetric epsilon^{akm} q^k (checked numerically in the tests). Magnetic-field or
  polarisation observables would be needed to see it;
* Majorana: mu and eps antisymmetric; the two orderings (ij), (ji) of the Lagrangian give the
  same spinor structure and add coherently, so each ordered channel carries twice the Dirac
  value (the factor 1 + delta_M above) for the same matrix element.

Consequences ([T22], [GP23] abstract): element (i, j) contributes only below omega_ij, so the
section of the spectrum where a deviation shows points to the element; near its threshold the
mu term rises like the phase space Delta_ij (the bracket is finite there) and the eps term like
Delta_ij^3 (its bracket vanishes with Q2 - (m_i + m_j)^2), which separates mu from eps; for a
massless pair both give mu_B^4 omega^2 (|mu|^2 + |eps|^2)/(36 G_F^2). The photon propagator makes
the term grow like 1/Q2 towards the end point. Charge radius and anapole (q^2-suppressed form
factors: contact terms with the same transverse coupling) are not implemented.

Also here: the effective moments probed elsewhere, nu-e scattering of flavour alpha,
(mu_alpha^eff)^2 = sum_j |sum_k U_ak^* (mu_jk - i eps_jk)|^2, and stellar plasmon decay,
(mu^star)^2 = sum_ij (|mu_ij|^2 + |eps_ij|^2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair import constants as const
from nupair.renp.atoms import Atom
from nupair.renp.kinematics import thresholds
from nupair import validation as _v

__all__ = ["DipoleMoments", "DipoleBound", "DIPOLE_MOMENT_BOUNDS", "DIPOLE_BRACKET_SCALE", "dipole_kinematic_functions"]

#: mu_B^4 / (36 G_F^2), dimensionless: the scale of the dipole bracket for moments in mu_B
DIPOLE_BRACKET_SCALE = const.mu_B**4 / (36.0 * const.G_F**2)


def dipole_kinematic_functions(omega_eV, q2_eV2, m_i, m_j):
    """(f_mu, f_eps) [eV^2] with delta I^EM_ij = (1 + delta_M) (|mu_ij|^2 f_mu + |eps_ij|^2 f_eps).

    f_mu = S omega^2 (Q2 - (m_i - m_j)^2)(Q2 + 2 (m_i + m_j)^2) / Q2^2, f_eps the same with
    m_j -> -m_j, S = DIPOLE_BRACKET_SCALE (module docstring). Arrays broadcast.
    """
    w2 = _v.finite_array("omega_eV", omega_eV, "eV", low=0.0) ** 2
    q2 = np.asarray(q2_eV2, dtype=float)
    f_mu = DIPOLE_BRACKET_SCALE * w2 * (q2 - (m_i - m_j) ** 2) * (q2 + 2 * (m_i + m_j) ** 2) / q2**2
    f_eps = DIPOLE_BRACKET_SCALE * w2 * (q2 - (m_i + m_j) ** 2) * (q2 + 2 * (m_i - m_j) ** 2) / q2**2
    return f_mu, f_eps


@dataclass(frozen=True)
class DipoleBound:
    """An upper limit on an effective magnetic moment [mu_B]."""

    probe: str
    kind: str  # "scattering" (flavour given) or "stellar"
    flavor: str | None
    limit_muB: float
    reference: str


#: Effective-moment limits used for comparison (values as published, 90 % C.L. unless noted;
#: re-check before quoting).
DIPOLE_MOMENT_BOUNDS = (
    DipoleBound("XENONnT electron recoils (solar pp)", "scattering", "e", 6.3e-12,
                "XENON collaboration, PRL 129 (2022) 161805"),
    DipoleBound("Borexino Phase-II (solar)", "scattering", "e", 2.8e-11,
                "Borexino collaboration, PRD 96 (2017) 091103"),
    DipoleBound("GEMMA (reactor antineutrinos)", "scattering", "e", 2.9e-11,
                "Beda et al., Adv. High Energy Phys. 2012 (2012) 350150"),
    DipoleBound("red-giant branch tip (plasmon decay, 95 % C.L.)", "stellar", None, 1.2e-12,
                "Capozzi & Raffelt, PRD 102 (2020) 083007"),
)

_FLAVOR_ROW = {"e": 0, "mu": 1, "tau": 2}


def _as_matrix(name: str, value) -> NDArray[np.complex128]:
    m = np.asarray(value, dtype=complex)
    if m.shape != (3, 3) or not np.all(np.isfinite(m)):
        raise ValueError(f"{name} must be a finite (3, 3) matrix in the mass basis [mu_B]; got shape {m.shape}")
    return m


@dataclass(frozen=True)
class DipoleMoments:
    """Transition magnetic (mu) and electric (eps) dipole moments [mu_B], (3, 3) in the mass basis."""

    mu_muB: object
    eps_muB: object = None
    nature: str = "dirac"

    def __post_init__(self):
        _v.one_of("nature", self.nature, ("dirac", "majorana"))
        for name in ("mu_muB", "eps_muB"):
            value = getattr(self, name)
            m = np.zeros((3, 3), complex) if value is None else _as_matrix(name, value)
            if self.nature == "majorana" and not np.allclose(m, -m.T, atol=1e-15 * max(1.0, np.abs(m).max())):
                raise ValueError(_v.refused(f"{name} (Majorana neutrinos)",
                                             "must be antisymmetric (transition moments only)"))
            if self.nature == "dirac" and not np.allclose(m, m.conj().T, atol=1e-15 * max(1.0, np.abs(m).max())):
                raise ValueError(_v.refused(f"{name} (Dirac neutrinos)", "must be Hermitian"))

    @property
    def mu(self) -> NDArray[np.complex128]:
        return _as_matrix("mu_muB", self.mu_muB)

    @property
    def eps(self) -> NDArray[np.complex128]:
        return np.zeros((3, 3), complex) if self.eps_muB is None else _as_matrix("eps_muB", self.eps_muB)

    def effective_scattering(self, flavor: str, mixing: ArrayLike) -> float:
        """mu_alpha^eff [mu_B] for nu-e scattering of flavour alpha (spec 4.4)."""
        _v.one_of("flavor", flavor, _FLAVOR_ROW)
        u = np.asarray(mixing, dtype=complex)[_FLAVOR_ROW[flavor]]
        amp = (self.mu - 1j * self.eps) @ np.conj(u)  # sum_k (mu_jk - i eps_jk) U_ak^*
        return float(np.sqrt(np.sum(np.abs(amp) ** 2)))

    def effective_stellar(self) -> float:
        """mu^star [mu_B] = sqrt(sum_ij |mu_ij|^2 + |eps_ij|^2) (plasmon decay; spec 4.4)."""
        return float(np.sqrt(np.sum(np.abs(self.mu) ** 2 + np.abs(self.eps) ** 2)))

    def delta_bracket(self, omega: NDArray, q2: NDArray, m: NDArray, a: NDArray, majorana: bool) -> NDArray:
        """delta I^EM_ij(omega), shape (3, 3, n) [eV^2], added to the bracket of spec 2.2 (module docstring).

        ``a`` is unused (no interference with the weak term for unpolarised atoms).
        """
        if majorana != (self.nature == "majorana"):
            raise ValueError(f"DipoleMoments(nature={self.nature!r}) used in a "
                             f"{'Majorana' if majorana else 'Dirac'} spectrum: the natures must agree")
        mi, mj = m[:, None, None], m[None, :, None]
        f_mu, f_eps = dipole_kinematic_functions(omega, q2, mi, mj)
        factor = 2.0 if majorana else 1.0
        return factor * (np.abs(self.mu[:, :, None]) ** 2 * f_mu + np.abs(self.eps[:, :, None]) ** 2 * f_eps)

    def contributing_elements(self, omega_eV: ArrayLike, masses_eV: ArrayLike, atom: Atom | str = "Yb") -> NDArray:
        """Boolean (3, 3, n): element (i, j) is non-zero and its channel is open (omega < omega_ij)."""
        w = np.atleast_1d(_v.finite_array("omega_eV", omega_eV, "eV", low=0.0))
        th = thresholds(masses_eV, atom)
        nonzero = (np.abs(self.mu) > 0) | (np.abs(self.eps) > 0)
        out = np.zeros((3, 3, w.size), dtype=bool)
        for (i, j), w_ij in th.items():
            for a, b in ((i - 1, j - 1), (j - 1, i - 1)):
                out[a, b] = nonzero[a, b] & (w < w_ij)
        return out
