"""Light mediators in RENP: a vector Z' and a scalar phi (Ge & Pasquini, EPJC 82 (2022) 208,
arXiv:2110.03510 [GP22]; spec ``shared/spec/renp.md`` sections 4.2 and 4.3).

Both act through the electron spin (axial / pseudo-scalar) vertex with the mediator propagator at
the pair invariant q^2 = Q2(omega) = E_eg (E_eg - 2 omega); they switch off exactly when their
couplings vanish (tests).

Z' normalisation [derived here]: for L = g^e ebar gamma^mu gamma5 e Z'_mu
+ nubar gamma^mu (g_L P_L + g_R P_R) nu Z'_mu, integrating the Z' out at momentum q gives
L_eff = J_e . J_nu / (q^2 - M^2); the SM Fierzed operator is (G_F/sqrt 2) a_ij
(ebar gamma^mu gamma5 e)(nubar_i gamma_mu (1 - gamma5) nu_j) (spec 2.3). With P_L = (1 - gamma5)/2,

    a^L_ij = a_ij + g^e g^nu_{L,ij} / (sqrt(2) G_F (Q2 - M^2)),
    a^R_ij =        g^e g^nu_{R,ij} / (sqrt(2) G_F (Q2 - M^2)),

i.e. the spec's convention factor c = +1 for the Lagrangian as written there (``sign`` keeps it
adjustable for other conventions). At M^2 = Q2 the tree formula is singular (no width): such
photon energies are reported by :func:`resonant_energies`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nupair import constants as const
from nupair import validation as _v

__all__ = ["ZPrime", "Scalar", "resonant_energies", "OnResonance"]


class OnResonance(ValueError):
    """A photon energy puts a light mediator on resonance (Q2(omega) = M^2): the tree-level
    propagator has no width, so the spectrum is not defined there (spec renp.md 4.2)."""


def _check_off_resonance(den: NDArray, mass_eV: float) -> None:
    if np.any(np.abs(den) <= 1e-12 * max(mass_eV**2, 1e-300)):
        raise OnResonance(f"a photon energy puts the mediator (mass {mass_eV!r} eV) on resonance, Q2(omega) = M^2: "
                         "the tree-level propagator has no width there; move omega or the mass")


def _matrix(name: str, value, *, hermitian: bool = False) -> NDArray[np.complex128]:
    m = np.asarray(value, dtype=complex)
    if m.ndim == 0:
        m = m * np.eye(3)
    if m.shape != (3, 3) or not np.all(np.isfinite(m)):
        raise ValueError(f"{name} must be a finite number or a (3, 3) matrix in the mass basis; got shape {m.shape}")
    return m


def _mass(name: str, value: float) -> float:
    return _v.non_negative(name, value, "eV")


@dataclass(frozen=True)
class ZPrime:
    """Light vector mediator (spec 4.2): mass [eV], electron axial coupling g^e, neutrino couplings
    g^nu_L, g^nu_R (numbers -> times the identity, or (3, 3) in the mass basis)."""

    mass_eV: float
    g_e: float
    g_nu_L: object = 0.0
    g_nu_R: object = 0.0
    sign: float = 1.0

    def __post_init__(self):
        _mass("mass_eV", self.mass_eV)
        _v.finite("g_e", self.g_e)
        _matrix("g_nu_L", self.g_nu_L)
        _matrix("g_nu_R", self.g_nu_R)

    def shifts(self, q2: NDArray) -> tuple[NDArray, NDArray]:
        """(delta a^L, a^R), each (3, 3, n): the Z' additions at pair invariants q2 [eV^2], shape (n,)."""
        den = q2 - self.mass_eV**2
        _check_off_resonance(den, self.mass_eV)
        prop = self.sign * self.g_e / (math.sqrt(2.0) * const.G_F * den)
        gl, gr = _matrix("g_nu_L", self.g_nu_L), _matrix("g_nu_R", self.g_nu_R)
        return gl[:, :, None] * prop, gr[:, :, None] * prop


@dataclass(frozen=True)
class Scalar:
    """Light scalar mediator (spec 4.3, [GP22] eq. (29)): mass [eV], electron pseudo-scalar coupling
    y^e_P, neutrino scalar and pseudo-scalar couplings y_S, y_P (numbers or (3, 3)). For Majorana
    neutrinos pass the symmetrised couplings y' of [GP22]."""

    mass_eV: float
    y_e: float
    y_S: object = 0.0
    y_P: object = 0.0

    def __post_init__(self):
        _mass("mass_eV", self.mass_eV)
        _v.finite("y_e", self.y_e)
        _matrix("y_S", self.y_S)
        _matrix("y_P", self.y_P)

    def delta_bracket(self, omega: NDArray, q2: NDArray, m: NDArray, a: NDArray, majorana: bool) -> NDArray:
        """dI_ij(omega) of spec 4.3 ([GP22] eq. (29)), shape (3, 3, n) [eV^2].

        dI = |y^e|^2 omega^2 {[|y_S|^2 + (1-d_M)|y_P|^2] Q2 - |y_S|^2 (m_i+m_j)^2
              - (1-d_M)|y_P|^2 (m_i-m_j)^2} / (24 m_e^2 G_F^2 (Q2 - m_phi^2)^2)
           + y^e omega^2 / (6 sqrt2 G_F m_e (Q2 - m_phi^2)) {Re(a y_S)(m_i - m_j)[1 - (m_i+m_j)^2/Q2]
              - (1-d_M) Im(a y_P)(m_i + m_j)[1 - (m_i-m_j)^2/Q2]}
        """
        ys, yp = _matrix("y_S", self.y_S)[:, :, None], _matrix("y_P", self.y_P)[:, :, None]
        keep_p = 0.0 if majorana else 1.0
        mi, mj = m[:, None, None], m[None, :, None]
        den = q2 - self.mass_eV**2
        _check_off_resonance(den, self.mass_eV)
        pure = (self.y_e**2 * omega**2 * ((np.abs(ys) ** 2 + keep_p * np.abs(yp) ** 2) * q2
                                          - np.abs(ys) ** 2 * (mi + mj) ** 2 - keep_p * np.abs(yp) ** 2 * (mi - mj) ** 2)
                / (24 * const.m_e**2 * const.G_F**2 * den**2))
        a3 = a if a.ndim == 3 else a[:, :, None]
        interference = (self.y_e * omega**2 / (6 * math.sqrt(2.0) * const.G_F * const.m_e * den)
                        * (np.real(a3 * ys) * (mi - mj) * (1 - (mi + mj) ** 2 / q2)
                           - keep_p * np.imag(a3 * yp) * (mi + mj) * (1 - (mi - mj) ** 2 / q2)))
        return pure + interference


def resonant_energies(mediator, atom_E_eg_eV: float) -> float | None:
    """Photon energy [eV] where Q2(omega) = M^2 (tree formula singular there), or None if outside
    0 < omega < E_eg/2."""
    m2 = mediator.mass_eV**2
    if not 0 < m2 < atom_E_eg_eV**2:
        return None
    return (atom_E_eg_eV - m2 / atom_E_eg_eV) / 2
