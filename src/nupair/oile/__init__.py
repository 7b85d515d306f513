"""Once-in-a-lifetime encounter (OILE) models of dense neutrino gases.

Kost, Johns & Duan, arXiv:2402.05022 and arXiv:2508.14331; Johns, arXiv:2401.15247;
spec ``shared/spec/oile.md``.

* ``encounter`` / ``encounter_bloch``: the two-body encounter map (2 and 3 flavors).
* Model 1 (foreground in a uniform background): ``foreground_map``, ``foreground_closed_form``,
  ``foreground_rates``, ``foreground_monte_carlo``, ``fit_precession_relaxation``.
* Sequential encounters, one random pair at a time (Kost, Johns & Duan's own algorithm):
  ``run_sequential`` (continuum: ``mean_field(..., collisions=True, kappa=0)``).
* The exact many-body reference (N <= 20, module ``nupair.oile.many_body``):
  ``many_body_vs_oile`` (one schedule of encounters evolved exactly and by OILE),
  ``encounter_schedule``, ``evolve_many_body``, ``evolve_product_state``.
* Relative directions of the partners (``TwoGroupGas(directions=...)``): ``FixedDirections``,
  ``IsotropicDirections`` (``DIRECTIONS`` by name).
* Model 2 (two-group gas): ``TwoGroupGas``, ``run_two_group`` (Monte Carlo; ``run_two_group_chunked`` resumable), ``mean_map``,
  ``mean_field``, ``miscidynamic_path`` (spelled "miscodynamics" on the poster).
"""

from nupair.oile.encounter import (
    DENSITY_TOLERANCE,
    check_bloch_vectors,
    check_density_matrices,
    encounter,
    encounter_bloch,
    encounter_coefficients,
    flavor_product,
    structure_constants,
)
from nupair.oile.gas import (
    ENGINES,
    GasTrajectory,
    TwoGroupGas,
    matter_axis,
    random_matching,
    run_two_group,
    run_two_group_chunked,
    vacuum_axis,
)
from nupair.oile.directions import (
    DIRECTIONS,
    EncounterDirections,
    FixedDirections,
    IsotropicDirections,
    resolve_directions,
)
from nupair.oile.mean_field import mean_field, mean_map
from nupair.oile.sequential import SEQUENTIAL_BLOCK, run_sequential, sequential_schedule
from nupair.oile.many_body import (
    MAX_MANY_BODY_NEUTRINOS,
    EncounterSchedule,
    ManyBodyComparison,
    ManyBodyRun,
    encounter_schedule,
    entanglement_entropy_bits,
    evolve_many_body,
    evolve_product_state,
    many_body_vs_oile,
    one_body_bloch,
    pure_state,
)
from nupair.oile.miscidynamics import MiscidynamicEvent, MiscidynamicPath, miscidynamic_path
from nupair.oile.foreground import (
    ForegroundEnsemble,
    ForegroundRates,
    fit_precession_relaxation,
    foreground_closed_form,
    foreground_map,
    foreground_monte_carlo,
    foreground_rates,
    isotropic_coefficients,
)

__all__ = [
    "SEQUENTIAL_BLOCK",
    "run_sequential",
    "sequential_schedule",
    "MAX_MANY_BODY_NEUTRINOS",
    "EncounterSchedule",
    "ManyBodyComparison",
    "ManyBodyRun",
    "encounter_schedule",
    "entanglement_entropy_bits",
    "evolve_many_body",
    "evolve_product_state",
    "many_body_vs_oile",
    "one_body_bloch",
    "pure_state",
    "DIRECTIONS",
    "EncounterDirections",
    "FixedDirections",
    "IsotropicDirections",
    "resolve_directions",
    "DENSITY_TOLERANCE",
    "ForegroundEnsemble",
    "ForegroundRates",
    "GasTrajectory",
    "MiscidynamicEvent",
    "MiscidynamicPath",
    "TwoGroupGas",
    "mean_field",
    "mean_map",
    "miscidynamic_path",
    "random_matching",
    "run_two_group",
    "run_two_group_chunked",
    "vacuum_axis",
    "ENGINES",
    "flavor_product",
    "matter_axis",
    "check_bloch_vectors",
    "check_density_matrices",
    "encounter",
    "encounter_bloch",
    "encounter_coefficients",
    "fit_precession_relaxation",
    "foreground_closed_form",
    "foreground_map",
    "foreground_monte_carlo",
    "foreground_rates",
    "isotropic_coefficients",
    "structure_constants",
]
