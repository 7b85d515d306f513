"""Potentials from two-neutrino exchange (spec ``shared/spec/forces.md``).

Work in progress (issue 6): vacuum potentials (massless; massive Dirac/Majorana with mixing),
crossing radius with gravity, neutrino-background corrections (relic, directional, tabulated).
Experimental probes, atomic shifts and scenarios follow.
"""

from nupair.forces.background import (
    RELIC_TEMPERATURE_K,
    DirectionalFlux,
    RelicBackground,
    TabulatedBackground,
    background_potential,
    fermi_dirac_bracket,
)
from nupair.forces.probes import (
    INVERSE_SQUARE_LAW_LIMITS,
    GravityLimit,
    plasma_photon_mass,
    plates_energy_per_area,
    point_halfspace_potential,
    power_law_beta5,
    ratio_to_gravity,
    s_state_density_at_origin,
    s_state_shift_cutoff,
)
from nupair.forces.vacuum import (
    SIN2_THETA_W_DEFAULT,
    Body,
    coupling_matrix,
    crossing_radius,
    massless_potential,
    potential,
    source_mass_eV,
    spectral_potential,
    vector_charges,
)

__all__ = [
    "INVERSE_SQUARE_LAW_LIMITS",
    "GravityLimit",
    "plasma_photon_mass",
    "plates_energy_per_area",
    "point_halfspace_potential",
    "power_law_beta5",
    "ratio_to_gravity",
    "s_state_density_at_origin",
    "s_state_shift_cutoff",
    "RELIC_TEMPERATURE_K",
    "DirectionalFlux",
    "RelicBackground",
    "TabulatedBackground",
    "background_potential",
    "fermi_dirac_bracket",
    "SIN2_THETA_W_DEFAULT",
    "Body",
    "coupling_matrix",
    "crossing_radius",
    "massless_potential",
    "potential",
    "source_mass_eV",
    "spectral_potential",
    "vector_charges",
]
