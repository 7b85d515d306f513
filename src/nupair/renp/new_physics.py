"""New physics in RENP, one call each: the reach for a light mediator at one mass, the reach for
transition dipole moments, the spectral distortion at a reach, and the comparison of effective
moments with the published bounds (Ge & Pasquini, EPJC 82 (2022) 208 and arXiv:2306.12953;
spec ``shared/spec/renp.md`` sections 4.2-4.4).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from nupair import validation as _v
from nupair.renp.dipole import DIPOLE_MOMENT_BOUNDS, DipoleMoments
from nupair.renp.mediators import OnResonance, Scalar, ZPrime
from nupair.renp.reach import dipole_moments_for, required_coupling, required_dipole_moment
from nupair.renp.spectrum import resolve_mixing, spectrum
from nupair.renp.statistics import Experiment, Hypothesis
from nupair.results import Result, Status

__all__ = ["MediatorReach", "mediator_reach", "DipoleReach", "dipole_reach", "spectrum_distortion",
           "BoundComparison", "compare_with_bounds", "DIPOLE_KINDS", "DIPOLE_ELEMENTS"]

DIPOLE_KINDS = ("magnetic", "electric")
DIPOLE_ELEMENTS = ((1, 2), (1, 3), (2, 3))


@dataclass(frozen=True)
class MediatorReach(Result):
    """The coupling product an RENP scan excludes for one light mediator at one mass.

    Attributes
    ----------
    kind : str
        "vector" (Z', |g^e g^nu|) or "scalar" (phi, |y^e y^nu_S|).
    mass_eV : float
        Mediator mass [eV].
    value : float
        Excluded coupling product (dimensionless); NaN unless ``ok``.
    outcome : str
        "successful", "resonant" (a trigger energy sits on Q2 = M^2, where the tree-level
        spectrum is singular) or the lower-case name of the solver's status.
    iterations : int
        Delta chi^2 evaluations' steps of the root search.
    """

    kind: str = ""
    mass_eV: float = float("nan")
    value: float = float("nan")
    outcome: str = ""
    iterations: int = 0


def mediator_reach(kind: str, mass_eV: float, h_sm: Hypothesis, experiment: Experiment, time_s: float,
                   significance: float = 3.0) -> MediatorReach:
    """:func:`nupair.renp.required_coupling` as a result: the resonant case is an outcome
    (status NO_SOLUTION, outcome "resonant"), not an exception."""
    try:
        root = required_coupling(kind, mass_eV, h_sm, experiment, time_s, significance)
    except OnResonance as exc:
        return MediatorReach(Status.NO_SOLUTION, str(exc), kind, float(mass_eV), float("nan"), "resonant", 0)
    outcome = root.status.name.lower()
    return MediatorReach(root.status, root.message, kind, float(mass_eV), root.value if root.ok else float("nan"),
                         outcome, root.iterations)


@dataclass(frozen=True)
class DipoleReach(Result):
    """Transition moments |mu_ij| and |eps_ij| [mu_B] an RENP scan excludes, one element at a time.

    Attributes
    ----------
    kinds : tuple of str
        ("magnetic", "electric").
    elements : tuple of (i, j)
        Mass-basis elements (1-based).
    value_muB : ndarray, shape (n_kinds, n_elements)
        Excluded moment [mu_B]; NaN where the root search did not succeed.
    statuses : tuple of tuple of Status
        The root search's status per (kind, element).
    """

    kinds: tuple = DIPOLE_KINDS
    elements: tuple = DIPOLE_ELEMENTS
    value_muB: NDArray[np.float64] = field(default_factory=lambda: np.empty((0, 0)))
    statuses: tuple = ()


def dipole_reach(h_sm: Hypothesis, experiment: Experiment, time_s: float, significance: float = 3.0,
                 kinds=DIPOLE_KINDS, elements=DIPOLE_ELEMENTS) -> DipoleReach:
    """:func:`nupair.renp.required_dipole_moment` for every (kind, element) (GP23; spec 4.4)."""
    out = np.full((len(kinds), len(elements)), np.nan)
    statuses = []
    for a, kind in enumerate(kinds):
        row = []
        for b, el in enumerate(elements):
            r = required_dipole_moment(kind, h_sm, experiment, time_s, element=el, significance=significance)
            row.append(r.status)
            if r.ok:
                out[a, b] = r.value
        statuses.append(tuple(row))
    return DipoleReach(kinds=tuple(kinds), elements=tuple(tuple(e) for e in elements), value_muB=out,
                       statuses=tuple(statuses))


def _mediator(kind: str, mass_eV: float, product: float):
    return ZPrime(mass_eV, product, 1.0, 0.0) if kind == "vector" else Scalar(mass_eV, product, 1.0, 0.0)


def spectrum_distortion(omega_eV, lightest_mass_eV: float, kind: str, mass_eV: float, product: float) -> NDArray:
    """I(SM + mediator) / I(SM) at photon energies ``omega_eV`` [eV], shape of omega (NaN where
    the SM spectrum vanishes); normal ordering, Dirac, default atom (spec 4.2)."""
    omega = _v.finite_array("omega_eV", omega_eV, "eV", low=0.0)
    sm = spectrum(omega, lightest_mass_eV=lightest_mass_eV)
    s = spectrum(omega, lightest_mass_eV=lightest_mass_eV, mediator=_mediator(kind, float(mass_eV), float(product)))
    return np.where(sm > 0, s / np.where(sm > 0, sm, 1.0), np.nan)


@dataclass(frozen=True)
class BoundComparison(Result):
    """Effective moments against the published bounds (spec 4.4; GP23).

    Attributes
    ----------
    bounds : tuple of DipoleBound
        The probes compared (``DIPOLE_MOMENT_BOUNDS``).
    example_effective_muB : ndarray, shape (n_bounds,)
        Effective moment of the example moments for each probe [mu_B].
    reach_effective_muB : ndarray, shape (n_kinds, n_elements, n_bounds)
        Effective moment of each excluded transition moment for each probe [mu_B] (NaN: no reach).
    """

    bounds: tuple = ()
    example_effective_muB: NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    reach_effective_muB: NDArray[np.float64] = field(default_factory=lambda: np.empty((0, 0, 0)))


def _effective(moments: DipoleMoments, bounds, mixing) -> list[float]:
    return [moments.effective_scattering(b.flavor, mixing) if b.kind == "scattering" else moments.effective_stellar()
            for b in bounds]


def compare_with_bounds(example: DipoleMoments, reach: DipoleReach | None = None, mixing=None,
                        bounds=DIPOLE_MOMENT_BOUNDS) -> BoundComparison:
    """Effective scattering / stellar moments of ``example`` and of every moment in ``reach``
    (Dirac, one element at a time), for each bound; ``mixing`` defaults to the NuFIT PMNS matrix."""
    u = resolve_mixing(mixing)
    bounds = tuple(bounds)
    if reach is None:
        eff_reach = np.empty((0, 0, len(bounds)))
    else:
        eff_reach = np.full(reach.value_muB.shape + (len(bounds),), np.nan)
        for a, kind in enumerate(reach.kinds):
            for b, el in enumerate(reach.elements):
                if np.isfinite(reach.value_muB[a, b]):
                    d = dipole_moments_for(kind, el, float(reach.value_muB[a, b]))
                    eff_reach[a, b] = _effective(d, bounds, u)
    return BoundComparison(bounds=bounds, example_effective_muB=np.array(_effective(example, bounds, u)),
                           reach_effective_muB=eff_reach)
