"""RENP kinematics: the pair invariant mass, the six thresholds, the phase-space factor and the
V-A pair tensor of each mass channel.

Spec ``shared/spec/renp.md`` sections 1-2 (Dinh, Petcov, Sasao, Tanaka & Yoshimura, PLB 719
(2013) 154, arXiv:1209.4808 [DPSTY]). Energies and masses in eV; omega is the photon energy.
Everything that needs only the atom and the masses lives here, so that the spectrum and the
new-physics terms (mediators, dipole moments) that it adds to can both import it.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair import validation as _v
from nupair.renp.atoms import Atom, get_atom

__all__ = ["pair_invariant", "thresholds", "phase_space_factor", "kinematic_function"]


def _omega(omega_eV: ArrayLike) -> NDArray:
    w = _v.finite_array("omega_eV", omega_eV, "eV", low=0.0)
    bad = ~np.isfinite(w) | (w <= 0)
    if np.any(bad):
        raise ValueError(f"omega_eV contains {w[bad].ravel()[0]!r}: photon energies must be finite and > 0 [eV]")
    return w


def _masses(masses_eV: ArrayLike) -> NDArray:
    m = np.asarray(masses_eV, dtype=float)
    if m.shape != (3,) or not np.all(np.isfinite(m)) or np.any(m < 0):
        raise ValueError(_v.refused(f"masses_eV={masses_eV!r}", "three finite masses >= 0 [eV] (m1, m2, m3)"))
    return m


def pair_invariant(omega_eV: ArrayLike, atom: Atom | str = "Yb") -> NDArray:
    """Q2 = E_eg (E_eg - 2 omega) [eV^2], the pair invariant mass squared (spec 1.2, [DPSTY])."""
    at = get_atom(atom)
    return at.E_eg_eV * (at.E_eg_eV - 2 * _v.finite_array("omega_eV", omega_eV, "eV", low=0.0))


def thresholds(masses_eV: ArrayLike, atom: Atom | str = "Yb") -> dict[tuple[int, int], float]:
    """The six thresholds omega_ij = E_eg/2 - (m_i + m_j)^2 / (2 E_eg) [eV], keys (i, j), i <= j
    (1-based mass indices). Channel (i, j) is open for omega <= omega_ij (spec 1.3)."""
    m = _masses(masses_eV)
    e = get_atom(atom).E_eg_eV
    return {(i + 1, j + 1): e / 2 - (m[i] + m[j]) ** 2 / (2 * e) for i in range(3) for j in range(i, 3)}


def _kinematics(w, q2, mi, mj, e_eg: float):
    """(open, Delta_ij, I_ij) broadcast over w, q2 and the masses (spec 2.2); Delta = 0 where closed."""
    open_ = q2 > (mi + mj) ** 2
    lam = (q2 - (mi + mj) ** 2) * (q2 - (mi - mj) ** 2)
    q2s = np.where(q2 > 0, q2, 1.0)
    delta = np.where(open_, np.sqrt(np.where(open_, lam, 0.0)) / q2s, 0.0)
    kin = (q2 + w**2 / 2 - w**2 * delta**2 / 6 - (mi**2 + mj**2) / 2
           - (mi**2 - mj**2) ** 2 * (e_eg - w) ** 2 / (2 * q2s**2)) / 3
    return open_, delta, kin


def phase_space_factor(omega_eV: ArrayLike, m_i: float, m_j: float, atom: Atom | str = "Yb") -> NDArray:
    """Delta_ij = sqrt([Q2 - (m_i+m_j)^2][Q2 - (m_i-m_j)^2]) / Q2 (dimensionless; spec 2.2);
    zero where the channel is closed (Q2 <= (m_i + m_j)^2)."""
    at = get_atom(atom)
    w = _v.finite_array("omega_eV", omega_eV, "eV", low=0.0)
    return _kinematics(w, pair_invariant(w, at), m_i, m_j, at.E_eg_eV)[1]


def kinematic_function(omega_eV: ArrayLike, m_i: float, m_j: float, atom: Atom | str = "Yb") -> NDArray:
    """I_ij(omega) [eV^2] (spec 2.2, [DPSTY]):
    (1/3)[Q2 + omega^2/2 - (omega^2/6) Delta^2 - (m_i^2 + m_j^2)/2 - (m_i^2 - m_j^2)^2 (E_eg - omega)^2 / (2 Q2^2)].
    Massless limit (1/3)(Q2 + omega^2/3). Meaningful where the channel is open."""
    at = get_atom(atom)
    w = _v.finite_array("omega_eV", omega_eV, "eV", low=0.0)
    return _kinematics(w, pair_invariant(w, at), m_i, m_j, at.E_eg_eV)[2]
