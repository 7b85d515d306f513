"""Radiative emission of neutrino pairs (RENP) from excited atoms.

Spec ``shared/spec/renp.md`` (Dinh, Petcov, Sasao, Tanaka & Yoshimura 2013; Huang, Sasao, Xing &
Yoshimura 2020; Ge & Pasquini 2022, 2023).

* Spectrum: ``thresholds``, ``spectrum`` (Dirac/Majorana, orderings, mixing, non-unitarity,
  ``ZPrime`` and ``Scalar`` mediators), ``phase_space_factor``, ``kinematic_function``.
* Atoms: ``Atom`` records, ``ATOMS`` (Yb).
* Rates: ``rate_normalization`` (Gamma_0), ``photon_rate``, ``expected_events``.
* Dipole moments (spec 4.4, photon-mediated spectrum derived in ``nupair.renp.dipole``): ``DipoleMoments``
  (pass as ``mediator=``), ``dipole_kinematic_functions``, ``required_dipole_moment``.
* Statistics: ``Hypothesis``, ``Experiment``, ``chi2_poisson``, ``chi2_gauss``, ``delta_chi2``,
  ``required_exposure``.
"""

from nupair.renp.atoms import ATOMS, Atom, get_atom
from nupair.renp.dipole import (
    DIPOLE_BRACKET_SCALE,
    DIPOLE_MOMENT_BOUNDS,
    DipoleBound,
    DipoleMoments,
    dipole_kinematic_functions,
)
from nupair.renp.mediators import OnResonance, Scalar, ZPrime, resonant_energies
from nupair.renp.rates import expected_events, photon_rate, rate_normalization
from nupair.renp.reach import power_law_root, required_coupling, required_dipole_moment
from nupair.renp.new_physics import (
    BoundComparison,
    DipoleReach,
    MediatorReach,
    compare_with_bounds,
    dipole_reach,
    mediator_reach,
    spectrum_distortion,
)
from nupair.renp.statistics import (
    OSCILLATION_PRIOR_SIGMA,
    Experiment,
    Exposure,
    Hypothesis,
    chi2_gauss,
    chi2_poisson,
    default_trigger_energies,
    delta_chi2,
    required_exposure,
)
from nupair.renp.spectrum import (
    coupling_matrix,
    kinematic_function,
    nonunitary_mixing,
    pair_invariant,
    phase_space_factor,
    resolve_masses,
    resolve_mixing,
    spectral_function,
    spectrum,
    threshold_table,
    thresholds,
)

__all__ = [
    "power_law_root",
    "required_coupling",
    "DIPOLE_MOMENT_BOUNDS",
    "DIPOLE_BRACKET_SCALE",
    "dipole_kinematic_functions",
    "required_dipole_moment",
    "MediatorReach",
    "mediator_reach",
    "DipoleReach",
    "dipole_reach",
    "spectrum_distortion",
    "BoundComparison",
    "compare_with_bounds",
    "OnResonance",
    "threshold_table",
    "DipoleBound",
    "DipoleMoments",
    "expected_events",
    "photon_rate",
    "rate_normalization",
    "OSCILLATION_PRIOR_SIGMA",
    "Experiment",
    "Exposure",
    "Hypothesis",
    "chi2_gauss",
    "chi2_poisson",
    "default_trigger_energies",
    "delta_chi2",
    "required_exposure",
    "ATOMS",
    "Atom",
    "get_atom",
    "Scalar",
    "ZPrime",
    "resonant_energies",
    "coupling_matrix",
    "kinematic_function",
    "nonunitary_mixing",
    "pair_invariant",
    "phase_space_factor",
    "resolve_masses",
    "resolve_mixing",
    "spectral_function",
    "spectrum",
    "thresholds",
]
