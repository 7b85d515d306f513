"""The trapping well of a star: the outermost interface, the neutrino sea trapped below its top,
and the heating that sea gives (spec ``shared/spec/gradient.md`` sections 4.1-4.2).

The widest well is bounded by the outermost interface (the crust-core step): neutrinos made
below the top of the potential V_top = V_outer cannot escape and fill a degenerate sea with
p_F(r) = V_top - V(r). An absorbed neutrino deposits the mean energy of that sea: for an
ultra-relativistic, completely degenerate sea <p> = int p^3 dp / int p^2 dp = (3/4) p_F, taken
at the deepest point, eps_dep = (3/4) Delta V with Delta V = V_top - min V.
"""

from __future__ import annotations

from dataclasses import dataclass

from nupair import constants as const
from nupair.gradient.interfaces import Interface, potential_profile
from nupair.gradient.trapping import GradientHeating, trapped_number
from nupair.results import Result

__all__ = ["TrappingWell", "trapping_well", "MEAN_SEA_MOMENTUM_FRACTION"]

#: <p>/p_F of a completely degenerate ultra-relativistic Fermi sea: int p^3 dp / (p_F int p^2 dp) = 3/4.
MEAN_SEA_MOMENTUM_FRACTION = 0.75


@dataclass(frozen=True)
class TrappingWell(Result):
    """The widest well of a star for one flavor and the sea trapped in it.

    Attributes
    ----------
    flavor : str
        "e", "mu" or "tau".
    outer : Interface
        The outermost interface (its V_outer_eV is the top of the well).
    trapped_number : float
        N_trap of the sea below the top (spec 4.2), dimensionless.
    depth_eV : float
        Delta V = V_top - min V [eV].
    """

    flavor: str = "e"
    outer: Interface | None = None
    trapped_number: float = 0.0
    depth_eV: float = 0.0

    @property
    def deposited_energy_eV(self) -> float:
        """eps_dep = (3/4) Delta V [eV]: the mean energy of the degenerate sea (module docstring)."""
        return MEAN_SEA_MOMENTUM_FRACTION * self.depth_eV

    def heating(self, absorption_rate_per_s: float, scattering_coefficient_per_s: float) -> GradientHeating:
        """H(T) of this sea (spec 4.2): absorption deposits eps_dep, scattering lets a neutrino and
        its antineutrino partner (energy |V_top|) escape."""
        return GradientHeating(self.trapped_number, absorption_rate_per_s, self.deposited_energy_eV,
                               scattering_coefficient_per_s, abs(self.outer.V_outer_eV[self.flavor]))

    def absorption_rate_for_heating(self, heating_erg_s: float) -> float:
        """Gamma_abs [s^-1] at which absorption alone gives ``heating_erg_s``: H / (N_trap eps_dep);
        NaN for an empty or flat well."""
        denom = self.trapped_number * self.deposited_energy_eV * const.eV_to_erg
        return heating_erg_s / denom if denom > 0 else float("nan")


def trapping_well(star, interfaces, flavor: str = "e") -> TrappingWell:
    """The well bounded by the outermost of ``interfaces`` (``find_interfaces(star)``) for ``flavor``.

    Parameters
    ----------
    star : Star
    interfaces : list of Interface
        Must not be empty.
    flavor : str
    """
    if not interfaces:
        raise ValueError("interfaces is empty: a trapping well needs at least one interface")
    outer = max(interfaces, key=lambda i: i.r_km)
    v = potential_profile(star, flavor)
    top = outer.V_outer_eV[flavor]
    return TrappingWell(flavor=flavor, outer=outer, trapped_number=trapped_number(star.r_km, v, top),
                        depth_eV=float(top - v.min()))
