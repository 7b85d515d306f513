"""Extended quantum kinetic equations with neutrino-antineutrino pairing correlations.

Huang & Wu, arXiv:2604.25687 (HW); critique Fiorillo, Raffelt & Sigl, arXiv:2605.27506;
spec ``shared/spec/pairing.md``.

* Two-pair toy model (HW eqs. 8-16): ``two_pair_evolve`` (one call: trajectory and growth),
  ``two_pair_rhs``, ``two_pair_stability_matrix``,
  ``two_pair_growth_rate`` and friends.
* N modes in any directions and energies (HW eqs. 1-7) in O(N) per step: ``Grid``,
  ``PairState``, ``PairingParams``, ``rhs``, ``evolve``, ``invariants``.
* Linear stability (spec 6): ``stability_matrix``, ``growth_rates`` (dense, Arnoldi, and the
  fast O(N) dispersion solver ``method="dispersion"``), also at wave vector k != 0
  (docs/k-modes.md): ``growth_rates(..., k_MeV=)``, ``growth_rate_vs_k``.
* Models of the equations behind one interface (``PairingModel``; ``pairing.model``):
  ``FullModel`` (HW eqs. 6-7) and ``SecularModel``; ``evolve`` and ``growth_rates`` take a
  model object or its registered name.
* Pairing with flavor (n_f = 1, 2, 3; docs/flavor-pairing.md): ``FlavorModel``,
  ``FlavorPairState``; ``evolve`` and ``growth_rates`` take the flavor state (flavor and pairing
  weights of every eigenvector).
* Secular (co-rotating, averaged) equations for mu << E (docs/secular.md): ``secular_rhs``,
  ``evolve(..., model="secular")``, ``growth_rates(..., model="secular")``.
"""

from nupair.pairing.dispersion import (
    DispersionRelation,
    DispersionRoot,
    dispersion_growth_rate,
    dispersion_relation,
)
from nupair.pairing.evolution import PairEvolution, evolve, fit_linear_growth
from nupair.pairing.full_model import FullModel
from nupair.pairing.flavor_model import FlavorEvolution, FlavorModel, FlavorStabilityResult
from nupair.pairing.flavor_studies import (
    INTERPLAY_SETUPS,
    EmuFastFlavor,
    EmuFastFlavorK,
    FlavorInterplay,
    emu_fast_flavor,
    emu_fast_flavor_k,
    flavor_interplay,
    interplay_setup,
)
from nupair.pairing.flavor_qke import (
    FlavorPairState,
    FlavorPhysics,
    flavor_currents,
    flavor_energy,
    flavor_fields,
    flavor_hamiltonians,
    flavor_rhs,
    flavor_rhs_pairwise,
)
from nupair.pairing.model import PairingModel, PairingSystem, registered_models, resolve_model
from nupair.pairing.secular_model import SecularModel
from nupair.pairing.grid import VOLUME_RULES, Grid, polarization_vectors
from nupair.pairing.profiles import OCCUPATION_PROFILES, occupation_profile
from nupair.pairing.qke import (
    Invariants,
    PairingParams,
    PairState,
    hamiltonians,
    hw_initial_state,
    initial_state_from_occupation,
    invariants,
    moments,
    rhs,
)
from nupair.pairing.secular import (
    DEFAULT_SECULAR_CUTOFF,
    SecularGroups,
    secular_energy,
    secular_groups,
    secular_initial_state,
    secular_matrix,
    secular_rhs,
    to_lab_frame,
    to_rotating_frame,
)
from nupair.pairing.box import BoxEvolution, PeriodicBox, box_state, evolve_box
from nupair.pairing.dispersion_fast import CauchyDispersion, dispersion_rates
from nupair.pairing.kmodes import pair_detuning_MeV, streaming_frequency_MeV
from nupair.pairing.stability import (
    DENSE_MAX_MODES,
    GROWTH_NOISE_FLOOR_MeV,
    GrowthRateVsK,
    StabilityResult,
    eigenvalues_near,
    growth_rate_vs_k,
    growth_rates,
    linear_fixed_point,
    linear_prediction,
    stability_matrix,
)
from nupair.pairing.measurement import (
    FastestMode,
    GrowthMeasurement,
    GrowthStudy,
    fastest_mode,
    growth_study,
    measure_growth,
)
from nupair.pairing.two_pair_run import TwoPairEvolution, two_pair_evolve
from nupair.pairing.two_pair import (
    STATE_LABELS,
    TwoPairInvariants,
    mu_from_number_density,
    mu_eV_from_number_density,
    two_pair_eigenvalues,
    two_pair_fixed_point,
    two_pair_growth_rate,
    two_pair_growth_rate_approx,
    two_pair_growth_rate_full,
    two_pair_jacobian,
    two_pair_initial_state,
    two_pair_invariants,
    two_pair_linear_fixed_point,
    two_pair_rhs,
    two_pair_source,
    two_pair_stability_matrix,
)

__all__ = [
    "FullModel",
    "FlavorModel",
    "FlavorPairState",
    "FlavorPhysics",
    "FlavorEvolution",
    "FlavorStabilityResult",
    "INTERPLAY_SETUPS",
    "EmuFastFlavor",
    "FlavorInterplay",
    "emu_fast_flavor",
    "flavor_interplay",
    "interplay_setup",
    "flavor_currents",
    "flavor_energy",
    "flavor_fields",
    "flavor_hamiltonians",
    "flavor_rhs",
    "flavor_rhs_pairwise",
    "PairingModel",
    "PairingSystem",
    "SecularModel",
    "registered_models",
    "resolve_model",
    "DEFAULT_SECULAR_CUTOFF",
    "SecularGroups",
    "secular_energy",
    "secular_groups",
    "secular_initial_state",
    "secular_matrix",
    "secular_rhs",
    "to_lab_frame",
    "to_rotating_frame",
    "DENSE_MAX_MODES",
    "DispersionRelation",
    "DispersionRoot",
    "dispersion_growth_rate",
    "dispersion_relation",
    "GROWTH_NOISE_FLOOR_MeV",
    "Grid",
    "Invariants",
    "PairState",
    "PairingParams",
    "STATE_LABELS",
    "StabilityResult",
    "TwoPairInvariants",
    "VOLUME_RULES",
    "evolve",
    "occupation_profile",
    "OCCUPATION_PROFILES",
    "PairEvolution",
    "fit_linear_growth",
    "growth_rates",
    "growth_rate_vs_k",
    "PeriodicBox",
    "BoxEvolution",
    "box_state",
    "evolve_box",
    "EmuFastFlavorK",
    "emu_fast_flavor_k",
    "GrowthRateVsK",
    "CauchyDispersion",
    "dispersion_rates",
    "pair_detuning_MeV",
    "streaming_frequency_MeV",
    "eigenvalues_near",
    "hamiltonians",
    "hw_initial_state",
    "initial_state_from_occupation",
    "invariants",
    "linear_fixed_point",
    "linear_prediction",
    "moments",
    "mu_from_number_density",
    "mu_eV_from_number_density",
    "polarization_vectors",
    "rhs",
    "stability_matrix",
    "two_pair_eigenvalues",
    "two_pair_growth_rate",
    "two_pair_growth_rate_approx",
    "two_pair_initial_state",
    "two_pair_invariants",
    "two_pair_evolve",
    "GrowthMeasurement",
    "measure_growth",
    "GrowthStudy",
    "growth_study",
    "FastestMode",
    "fastest_mode",
    "TwoPairEvolution",
    "two_pair_linear_fixed_point",
    "two_pair_fixed_point",
    "two_pair_jacobian",
    "two_pair_growth_rate_full",
    "two_pair_rhs",
    "two_pair_source",
    "two_pair_stability_matrix",
]
