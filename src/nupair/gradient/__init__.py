"""Gradient-produced neutrino pairs in neutron stars.

Spec ``shared/spec/gradient.md`` (Tanin & Wang 2026 for the picture; Sauter/Nikishov step
production; TOV structure with polytropes, the SLy fit of Haensel & Potekhin 2004 and hybrid
stars; Yakovlev et al. cooling; Liu, Liu, Shkerin, Shu & Zhao 2026 for the gauge variant).

* EOS and structure: ``Polytrope``, ``SLy``, ``FPS``, ``Hybrid``, ``star``, ``mass_radius``, ``maximum_mass``.
* Composition and potentials: ``beta_equilibrium``, ``matter_potential_eV``, ``potential_profile``,
  ``find_interfaces``.
* Production: ``pairs_per_mode``, ``rate_per_area``, ``spectrum_per_area``, ``lcfa_rate_per_area``,
  ``schwinger_rate_per_volume``.
* Trapping and heating: ``sea_density_cm3``, ``trapped_number``, ``GradientHeating``.
* Thermal evolution: ``cool``, ``cooling_coefficients``, ``observed_stars``, ``cooling_chi2``.
* Gauge variant: ``GaugeForce``.
"""

from nupair.gradient.composition import SQRT2_GF_EV_FM3, beta_equilibrium, fermi_momentum_MeV, matter_potential_eV
from nupair.gradient.cooling import CoolingCoefficients, CoolingCurve, cool, cooling_coefficients, gpe_surface_temperature
from nupair.gradient.eos import FPS, Hybrid, Polytrope, SLy
from nupair.gradient.gauge import GAUGE_CHARGES, GaugeForce, point_charge_potential
from nupair.gradient.interfaces import Interface, find_interfaces, potential_profile
from nupair.gradient.observed import (
    CurveComparison,
    ObservedStar,
    compare_with_observed,
    cooling_chi2,
    max_allowed_heating,
    observed_stars,
)
from nupair.gradient.production import (
    flux_eV3_to_cm2_s,
    lcfa_rate_per_area,
    pairs_per_mode,
    rate_eV4_to_cm3_s,
    rate_per_area,
    schwinger_rate_per_volume,
    sharp_step_pairs,
    spectrum_per_area,
)
from nupair.gradient.structure import MassRadius, Star, mass_radius, maximum_mass, star
from nupair.gradient.trapping import GradientHeating, scattering_rate_per_s, sea_density_cm3, trapped_number
from nupair.gradient.pairs import InterfacePairs, interface_pair_rates
from nupair.gradient.well import MEAN_SEA_MOMENTUM_FRACTION, TrappingWell, trapping_well

__all__ = [
    "SQRT2_GF_EV_FM3", "beta_equilibrium", "fermi_momentum_MeV", "matter_potential_eV",
    "CoolingCoefficients", "CoolingCurve", "cool", "cooling_coefficients", "gpe_surface_temperature",
    "FPS", "Hybrid", "Polytrope", "SLy",
    "GAUGE_CHARGES", "GaugeForce", "point_charge_potential",
    "Interface", "find_interfaces", "potential_profile", "InterfacePairs", "interface_pair_rates",
    "ObservedStar", "cooling_chi2", "observed_stars", "max_allowed_heating",
    "flux_eV3_to_cm2_s", "lcfa_rate_per_area", "pairs_per_mode", "rate_eV4_to_cm3_s", "rate_per_area",
    "schwinger_rate_per_volume", "sharp_step_pairs", "spectrum_per_area",
    "MassRadius", "Star", "mass_radius", "maximum_mass", "star",
    "TrappingWell", "trapping_well", "MEAN_SEA_MOMENTUM_FRACTION", "CurveComparison", "compare_with_observed",
    "GradientHeating", "scattering_rate_per_s", "sea_density_cm3", "trapped_number",
]
