"""Neutrino pairs produced at a star's interfaces: rates, spectra and the trapped sea per flavour.

Combines the exact tanh-step production (spec ``shared/spec/gradient.md`` section 3, Sauter;
Nikishov; Gavrilov & Gitman) integrated over each interface's area with the trapping well of
section 4, for the steps found by :func:`~nupair.gradient.find_interfaces`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair import constants as const
from nupair import validation as _v
from nupair.gradient.interfaces import FLAVORS, Interface, potential_profile
from nupair.gradient.production import flux_eV3_to_cm2_s, rate_per_area, spectrum_per_area
from nupair.gradient.trapping import trapped_number

__all__ = ["InterfacePairs", "interface_pair_rates"]


@dataclass(frozen=True)
class InterfacePairs:
    """Pair production at each interface of a star.

    Attributes
    ----------
    rate_per_s : ndarray, shape (n_interfaces, 3, n_masses)
        Pairs per second in vacuum (filling rate) per flavour (e, mu, tau) and mass state.
    spectrum_per_s_eV : ndarray, shape (n_interfaces, 3, n_spectrum)
        Neutrino spectrum dN/dt dE [s^-1 eV^-1] of the lightest mass state.
    energy_eV : ndarray, shape (n_interfaces, 3, n_spectrum)
        Energies of the spectrum above the low side of the step [eV].
    trapped_number : ndarray, shape (n_interfaces, 3)
        Neutrinos in the full trapped sea per flavour.
    """

    rate_per_s: NDArray
    spectrum_per_s_eV: NDArray
    energy_eV: NDArray
    trapped_number: NDArray


def interface_pair_rates(star, interfaces: list[Interface], neutrino_masses_eV: ArrayLike,
                         n_spectrum: int = 200) -> InterfacePairs:
    """Pair rates Gamma = (rate per area) x 4 pi r^2 at every interface (spec 3.3 and 5.4), the
    spectrum of the lightest state and the trapped-sea size (spec 4) per flavour.

    ``neutrino_masses_eV``: the mass states [eV] (e.g. ``flavor.masses_from_lightest``);
    ``n_spectrum``: energies in each spectrum (>= 2).
    """
    masses = _v.finite_array("neutrino_masses_eV", neutrino_masses_eV, "eV", low=0.0).ravel()
    n_spec = _v.positive_int("n_spectrum", n_spectrum, minimum=2)
    pots = np.array([potential_profile(star, f) for f in FLAVORS])
    n_itf = len(interfaces)
    rate = np.zeros((n_itf, 3, masses.size))
    spec = np.zeros((n_itf, 3, n_spec))
    energies = np.zeros((n_itf, 3, n_spec))
    trapped = np.zeros((n_itf, 3))
    for k, itf in enumerate(interfaces):
        area_cm2 = 4 * math.pi * (itf.r_km * const.km_to_cm) ** 2
        length = itf.width_fm * const.fm
        for a, f in enumerate(FLAVORS):
            dv = abs(itf.delta_V_eV[f])
            if dv > 0:
                for i, m in enumerate(masses):
                    rate[k, a, i] = rate_per_area(dv, length, m) * flux_eV3_to_cm2_s * area_cm2
                w = np.linspace(0, dv, n_spec)
                energies[k, a] = w
                spec[k, a] = spectrum_per_area(w, dv, length, masses[0]) * flux_eV3_to_cm2_s * area_cm2
            trapped[k, a] = trapped_number(star.r_km, pots[a], itf.V_outer_eV[f])
    return InterfacePairs(rate, spec, energies, trapped)
