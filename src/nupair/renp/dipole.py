"""Neutrino magnetic and electric dipole moments in RENP — experimental (spec
``shared/spec/renp.md`` section 4.4; Ge & Pasquini arXiv:2306.12953 [GP23], NuFact 2022 talk [T22]).

The photon-mediated RENP spectral function is given in [GP23] and is not yet transcribed into the
spec; as the spec directs, this module implements only what is specified:

* the transition-moment matrices (mass basis, units of the Bohr magneton mu_B) with their
  symmetry (Hermitian for Dirac, antisymmetric for Majorana);
* where each element can show up: element (i, j) contributes only for omega < omega_ij
  ([T22] "Notice (2)"), so a deviation between two thresholds points to specific elements;
* the effective moments probed elsewhere:
  nu-e scattering, flavour alpha: (mu_alpha^eff)^2 = sum_j |sum_k U_ak^* (mu_jk - i eps_jk)|^2;
  stellar plasmon decay: (mu^star)^2 = sum_ij (|mu_ij|^2 + |eps_ij|^2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair.renp.atoms import Atom
from nupair.renp.spectrum import thresholds

__all__ = ["DipoleMoments", "DipoleBound", "DIPOLE_MOMENT_BOUNDS"]


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
        if self.nature not in ("dirac", "majorana"):
            raise ValueError(f"nature={self.nature!r} is not allowed; allowed: 'dirac', 'majorana'")
        for name in ("mu_muB", "eps_muB"):
            value = getattr(self, name)
            m = np.zeros((3, 3), complex) if value is None else _as_matrix(name, value)
            if self.nature == "majorana" and not np.allclose(m, -m.T, atol=1e-15 * max(1.0, np.abs(m).max())):
                raise ValueError(f"{name} is not allowed for Majorana neutrinos: must be antisymmetric (transition "
                                 "moments only)")
            if self.nature == "dirac" and not np.allclose(m, m.conj().T, atol=1e-15 * max(1.0, np.abs(m).max())):
                raise ValueError(f"{name} is not allowed for Dirac neutrinos: must be Hermitian")

    @property
    def mu(self) -> NDArray[np.complex128]:
        return _as_matrix("mu_muB", self.mu_muB)

    @property
    def eps(self) -> NDArray[np.complex128]:
        return np.zeros((3, 3), complex) if self.eps_muB is None else _as_matrix("eps_muB", self.eps_muB)

    def effective_scattering(self, flavor: str, mixing: ArrayLike) -> float:
        """mu_alpha^eff [mu_B] for nu-e scattering of flavour alpha (spec 4.4)."""
        if flavor not in _FLAVOR_ROW:
            raise ValueError(f"flavor={flavor!r} is not allowed; allowed: 'e', 'mu', 'tau'")
        u = np.asarray(mixing, dtype=complex)[_FLAVOR_ROW[flavor]]
        amp = (self.mu - 1j * self.eps) @ np.conj(u)  # sum_k (mu_jk - i eps_jk) U_ak^*
        return float(np.sqrt(np.sum(np.abs(amp) ** 2)))

    def effective_stellar(self) -> float:
        """mu^star [mu_B] = sqrt(sum_ij |mu_ij|^2 + |eps_ij|^2) (plasmon decay; spec 4.4)."""
        return float(np.sqrt(np.sum(np.abs(self.mu) ** 2 + np.abs(self.eps) ** 2)))

    def contributing_elements(self, omega_eV: ArrayLike, masses_eV: ArrayLike, atom: Atom | str = "Yb") -> NDArray:
        """Boolean (3, 3, n): element (i, j) is non-zero and its channel is open (omega < omega_ij)."""
        w = np.atleast_1d(np.asarray(omega_eV, dtype=float))
        th = thresholds(masses_eV, atom)
        nonzero = (np.abs(self.mu) > 0) | (np.abs(self.eps) > 0)
        out = np.zeros((3, 3, w.size), dtype=bool)
        for (i, j), w_ij in th.items():
            for a, b in ((i - 1, j - 1), (j - 1, i - 1)):
                out[a, b] = nonzero[a, b] & (w < w_ij)
        return out
