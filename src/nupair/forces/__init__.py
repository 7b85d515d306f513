"""Potentials from two-neutrino exchange (spec ``shared/spec/forces.md``).

Vacuum potentials (massless; massive Dirac/Majorana with mixing; the short-distance t-channel
model), crossing radius with gravity, neutrino-background corrections (relic, directional,
tabulated), experimental probes (inverse-square-law tests, extended bodies, atomic levels) and the
scalar-exchange comparison.
"""

from nupair.forces.atomic import (
    SPECTROSCOPY_MEASUREMENTS,
    SYSTEMS,
    BoundSystem,
    SpectroscopyMeasurement,
    hydrogenic_form_factor,
    hydrogenic_radial,
    level_shift,
    level_shift_position_space,
    transition_shift,
)
from nupair.forces.background import (
    RELIC_TEMPERATURE_K,
    BeamSpectrum,
    DirectionalFlux,
    beam_kernel,
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
from nupair.forces.comparison import feynman_scalar_potential, power_law_exponent, scalar_pair_potential
from nupair.forces.short_range import coupling_sum, t_channel_momentum_potential, t_channel_potential, t_channel_shape
from nupair.forces.vacuum import (
    SIN2_THETA_W_DEFAULT,
    Body,
    coupling_matrix,
    crossing_radius,
    massless_potential,
    potential,
    source_mass_eV,
    constituent_count,
    spectral_potential,
    vector_charges,
)

__all__ = [
    "SPECTROSCOPY_MEASUREMENTS",
    "SYSTEMS",
    "BoundSystem",
    "SpectroscopyMeasurement",
    "hydrogenic_form_factor",
    "hydrogenic_radial",
    "level_shift",
    "level_shift_position_space",
    "transition_shift",
    "feynman_scalar_potential",
    "power_law_exponent",
    "scalar_pair_potential",
    "coupling_sum",
    "t_channel_momentum_potential",
    "t_channel_potential",
    "t_channel_shape",
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
    "BeamSpectrum",
    "beam_kernel",
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
    "constituent_count",
    "spectral_potential",
    "vector_charges",
]
