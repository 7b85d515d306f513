"""The hypotheses and the experiment of an RENP scan (spec ``shared/spec/renp.md`` section 5):
what the spectrum is assumed to be, and the target, trigger energies and statistic that measure it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nupair import constants as const
from nupair import flavor
from nupair.renp.atoms import Atom, get_atom
from nupair.renp.dipole import DipoleMoments
from nupair.renp.mediators import Scalar, ZPrime
from nupair.renp.rates import _eta, rate_normalization
from nupair.renp.spectrum import coupling_matrix, nonunitary_mixing, spectral_function, thresholds
from nupair import validation as _v

__all__ = ["Hypothesis", "Experiment", "default_trigger_energies"]


@dataclass(frozen=True)
class Hypothesis:
    """A model of the spectrum: ordering, nature, lightest mass [eV], Majorana phases [rad],
    global fit, optional non-unitarity and mediator. ``free_lightest_mass``: whether the lightest
    mass is a nuisance parameter when this is the *test* hypothesis."""

    ordering: str = "normal"
    nature: str = "dirac"
    lightest_mass_eV: float = 0.0
    majorana_phases: tuple[float, float] = (0.0, 0.0)
    fit: str = "nufit-6.0"
    non_unitarity: object = None
    mediator: ZPrime | Scalar | DipoleMoments | None = None
    free_lightest_mass: bool = True

    def __post_init__(self):
        _v.one_of("ordering", self.ordering, ("normal", "inverted"))
        _v.one_of("nature", self.nature, ("dirac", "majorana"))
        _v.non_negative("lightest_mass_eV", self.lightest_mass_eV, "eV")
        _v.one_of("fit", self.fit, tuple(const.FIT_LABELS))

    def central(self) -> dict[str, float]:
        """Best-fit oscillation parameters of the hypothesis' fit and ordering (|Delta m^2_3l|)."""
        p = const.oscillation_parameters(self.ordering, self.fit)
        return {"sin2_theta12": p.sin2_theta12, "sin2_theta13": p.sin2_theta13, "dm2_21_eV2": p.dm2_21_eV2,
                "dm2_3l_eV2": abs(p.dm2_3l_eV2)}

    def model(self, m0: float, osc: dict[str, float]) -> tuple[NDArray, NDArray]:
        """(masses (3,) [eV], coupling matrix a (3, 3)) for lightest mass m0 and oscillation values."""
        dm21, dm3l = osc["dm2_21_eV2"], osc["dm2_3l_eV2"]
        if self.ordering == "normal":
            m = np.array([m0, math.sqrt(m0 * m0 + dm21), math.sqrt(m0 * m0 + dm3l)])
        else:
            m2 = math.sqrt(m0 * m0 + dm3l)
            m = np.array([math.sqrt(max(m2 * m2 - dm21, 0.0)), m2, m0])
        p = const.oscillation_parameters(self.ordering, self.fit)
        u = flavor.pmns(math.asin(math.sqrt(osc["sin2_theta12"])), math.asin(math.sqrt(osc["sin2_theta13"])),
                        p.theta23, p.delta_cp, *self.majorana_phases)
        if self.non_unitarity is not None:
            u = nonunitary_mixing(self.non_unitarity, u)
        return m, coupling_matrix(u)

    def shape(self, omega_eV: NDArray, atom: Atom, m0: float | None = None, osc: dict | None = None) -> NDArray:
        """I(omega_k) for this hypothesis (dimensionless)."""
        m, a = self.model(self.lightest_mass_eV if m0 is None else m0, self.central() if osc is None else osc)
        return spectral_function(omega_eV, m, a, self.nature == "majorana", atom, self.mediator).sum(axis=(0, 1))


def default_trigger_energies(*hypotheses: Hypothesis, atom: Atom | str = "Yb", n_bins: int = 60) -> NDArray:
    """Trigger energies [eV]: n_bins bin centres uniform in E_eg/2 - omega from 0 to 1.3 x the largest
    threshold shift of the hypotheses (at least 2500 micro-eV, which covers every threshold at m0 = 0)."""
    n_bins = _v.positive_int("n_bins", n_bins, 1)
    at = get_atom(atom)
    shift = 2.5e-3
    for h in hypotheses:
        m, _ = h.model(h.lightest_mass_eV, h.central())
        shift = max(shift, at.E_eg_eV / 2 - min(thresholds(m, at).values()))
    edges = np.linspace(0.0, 1.3 * shift, n_bins + 1)
    return at.E_eg_eV / 2 - (edges[1:] + edges[:-1]) / 2


@dataclass(frozen=True)
class Experiment:
    """An RENP scan: atom, target (number density [cm^-3], volume [cm^3], dynamical factor eta),
    trigger energies omega_k [eV] (None: :func:`default_trigger_energies`) with equal time at each,
    statistic ("poisson" or "gauss"), normalisation prior (None: free; else relative 1-sigma width)
    and whether oscillation parameters float within the priors of ``OSCILLATION_PRIOR_SIGMA``."""

    atom: Atom | str = "Yb"
    number_density_cm3: float = 1e21
    volume_cm3: float = 100.0
    eta: float = 1.0
    omega_eV: object = None
    n_bins: int = 60
    statistic: str = "poisson"
    normalization_prior: float | None = None
    oscillation_priors: bool = True

    def __post_init__(self):
        _v.one_of("statistic", self.statistic, ("poisson", "gauss"))
        if self.normalization_prior is not None and not (self.normalization_prior > 0):
            raise ValueError(_v.refused(f"normalization_prior={self.normalization_prior!r}", "> 0 or None (free)"))
        _v.positive_int("n_bins", self.n_bins, 2)
        _eta(self.eta)
        get_atom(self.atom)
        _v.positive("number_density_cm3", self.number_density_cm3, "cm^-3")
        _v.positive("volume_cm3", self.volume_cm3, "cm^3")

    @property
    def rate_s(self) -> float:
        """Gamma_0 eta [s^-1]."""
        return rate_normalization(self.atom, self.number_density_cm3, self.volume_cm3) * self.eta


def _as_hypothesis(h, name: str) -> Hypothesis:
    if isinstance(h, Hypothesis):
        return h
    if isinstance(h, dict):
        try:
            return Hypothesis(**h)
        except TypeError as err:
            raise ValueError(_v.refused(f"{name}={h!r}", f"{err}; fields: ordering, nature, lightest_mass_eV, "
                             "majorana_phases, fit, non_unitarity, mediator, free_lightest_mass")) from err
    raise ValueError(_v.refused(f"{name}={h!r}", "a nupair.renp.Hypothesis or a dict of its fields"))
