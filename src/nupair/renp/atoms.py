"""Atomic data for RENP: Lambda-type level schemes |e> -> |v> (weak spin current) -> |g> (E1).

Spec ``shared/spec/renp.md`` section 1.1. Adding an atom means adding an :class:`Atom` record
(or passing one to any function that takes ``atom=``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from nupair import validation as _v

__all__ = ["Atom", "ATOMS", "get_atom"]


@dataclass(frozen=True)
class Atom:
    """An RENP level scheme.

    Attributes
    ----------
    name : str
    E_eg_eV : float
        Energy of the metastable initial level |e> above the ground state [eV].
    E_vg_eV : float
        Energy of the intermediate level |v> [eV] (E_vg > E_eg/2, so E_vg - omega never vanishes).
    gamma_vg_per_s : float
        E1 decay rate of |v> -> |g> [s^-1].
    J_v : int
        Angular momentum of |v>.
    C_ev : float
        Dimensionless spin matrix-element factor of the weak e -> v vertex (spec 2.1).
    reference : str
    """

    name: str
    E_eg_eV: float
    E_vg_eV: float
    gamma_vg_per_s: float
    J_v: int
    C_ev: float
    reference: str = ""

    def __post_init__(self):
        for field in ("E_eg_eV", "E_vg_eV", "gamma_vg_per_s", "C_ev"):
            v = getattr(self, field)
            if not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
                raise ValueError(_v.refused(f"Atom {self.name!r}: {field}={v!r}", "must be finite and > 0"))
        if self.E_vg_eV <= self.E_eg_eV / 2:
            raise ValueError(_v.refused(f"Atom {self.name!r}: E_vg_eV={self.E_vg_eV!r}", "must exceed E_eg/2 = "
                             f"{self.E_eg_eV / 2!r} eV"))
        if not isinstance(self.J_v, int) or self.J_v < 0:
            raise ValueError(_v.refused(f"Atom {self.name!r}: J_v={self.J_v!r}", "integer >= 0"))

    @property
    def endpoint_eV(self) -> float:
        """Massless kinematic end point E_eg/2 [eV]."""
        return self.E_eg_eV / 2


#: Built-in level schemes. Yb: 6s^2 1S0 (g), 6s6p 3P0 (e), 6s6p 3P1 (v), energies from [DPSTY]
#: (Dinh, Petcov, Sasao, Tanaka & Yoshimura, PLB 719 (2013) 154) as quoted in spec 1.1; the 3P1
#: decay rate is the 556 nm intercombination line, natural width 182 kHz (gamma = 2 pi x 182 kHz,
#: lifetime ~ 870 ns); C_ev = 2/3 as in the spec (marked "to be verified" there).
ATOMS: dict[str, Atom] = {
    "Yb": Atom("Yb", E_eg_eV=2.14349, E_vg_eV=2.23072, gamma_vg_per_s=2 * math.pi * 182.0e3, J_v=1, C_ev=2.0 / 3.0,
               reference="Dinh et al., PLB 719 (2013) 154; C_ev = 2/3 for the J_v = 1 intermediate level"),
}


def get_atom(atom) -> Atom:
    """An :class:`Atom` from a name in ``ATOMS`` or the record itself."""
    if isinstance(atom, Atom):
        return atom
    if isinstance(atom, str) and atom in ATOMS:
        return ATOMS[atom]
    raise ValueError(f"atom={atom!r} is not known; allowed: {', '.join(ATOMS)} or a nupair.renp.Atom record")
