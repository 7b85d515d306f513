"""How the partners of an encounter move relative to each other: the angular factor of gamma.

The OILE pair Hamiltonian is H_ij = mu (1 - v_i . v_j) S_ij (poster LA-UR-25-22229; spec
``shared/spec/oile.md`` 3.1), so one encounter of duration t_int has the impact parameter

    gamma_ij = gamma x_ij,    x_ij = 1 - cos Theta_ij,    gamma = mu t_int.           (D1)

A directions model says how x is distributed; the gas, its large-N mean map, its continuum
equation and the miscidynamic kicks read everything they need from it (no branches on names):

* :class:`FixedDirections` ("fixed"): x = 1 for every encounter (the poster's simple models, the
  angular factor absorbed into gamma).
* :class:`IsotropicDirections` ("isotropic"): cos Theta uniform on [-1, 1] for every encounter,
  independently, so x = 2u with u uniform on [0, 1) -- the relative directions of Kost, Johns &
  Duan's own simulations (their public ``cooking-simulation`` scripts, ``approach2``, where an
  encounter applies exp(-i l (1 - cos Theta) S) up to a phase, l being gamma here).

Angle averages (x uniform on [0, 2]):

    <x> = 1,   <x^2> = 4/3,                                                          (D2)
    <cos^2 gamma x> = 1/2 + sin(4 gamma)/(8 gamma),   <sin^2 gamma x> = 1/2 - sin(4 gamma)/(8 gamma),
    <cos gamma x sin gamma x> = (1 - cos 4 gamma)/(8 gamma).                          (D3)

Because the encounter map is affine in each partner with coefficients independent of the states,
the large-N group means follow the map with the averaged coefficients (D3) (spec 6.3 with
c^2, s^2, cs -> their averages). Expanding it for gamma -> 0, M = 1 + gamma <x> A + gamma^2 <x^2> C
+ O(gamma^3) with A P = Pbar x P and C P = Pbar - P, so log M / t_int (t_int = gamma/mu) gives the
continuum equation (docs/oile-many-body.md)

    dP_g/dt = (h_g + mu <x> Pbar) x P_g + <x^2> mu gamma (Pbar - P_g)
              - kappa <x>^2 (mu gamma/2) Pbar x (Pbar x P_g) + O(mu gamma^2),            (D4)

the fixed-direction equation of spec 6.3 with the collision term weighted by <x^2> = 4/3.

A gas of N neutrinos differs from this at O(1/N) because nobody meets itself: the partner of a
group-g neutrino is drawn from the other N - 1, whose mean is (N Pbar - P_g)/(N - 1), so

    Pbar - P_g -> N/(N - 1) (Pbar - P_g),   Pbar x P_g -> N/(N - 1) Pbar x P_g,         (D5)

i.e. mu -> mu N/(N - 1) in every encounter term (``mean_map``/``mean_field(finite_n=True)``).
Measured: at N = 2000 this removes a 3-8 standard-error bias of 16 replicas at gamma mu t = 1
(tests/oile/test_directions.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nupair import validation as _v
from nupair.oile.encounter import encounter_coefficients

__all__ = ["EncounterDirections", "FixedDirections", "IsotropicDirections", "DIRECTIONS", "resolve_directions"]


@dataclass(frozen=True)
class EncounterDirections:
    """Interface of a directions model: the law of x = gamma_ij / gamma (eq. D1).

    Subclasses give ``name``, ``mean_x`` = <x>, ``mean_x2`` = <x^2> (the continuum's coherent and
    collision weights, eq. D4), :meth:`mean_coefficients` (the angle-averaged encounter
    coefficients of the mean map) and :meth:`coefficients` (per-encounter coefficients from
    uniform draws). ``kernel_span`` tells the compiled gas kernel how to draw: 0 means "every
    encounter has x = 1"; s > 0 means gamma_ij = s u with u uniform on [0, 1).
    """

    name = "abstract"
    mean_x = 1.0
    mean_x2 = 1.0

    def mean_coefficients(self, gamma: float) -> tuple[float, float, float]:  # pragma: no cover - interface
        raise NotImplementedError

    def coefficients(self, gamma: float, u: NDArray) -> tuple[NDArray, NDArray, NDArray]:  # pragma: no cover
        raise NotImplementedError

    def kernel_span(self, gamma: float) -> float:  # pragma: no cover - interface
        raise NotImplementedError

    def draw(self, gamma: float, rng: np.random.Generator, n_pairs: int):
        """Coefficients (c^2, s^2, c s) for ``n_pairs`` encounters of one Monte Carlo step: arrays
        (n_pairs,) drawn from ``rng`` when the law draws, else the three constants (no draw, so
        the generator's stream is that of a fixed-gamma run)."""
        if not self.draws:
            return self.mean_coefficients(gamma)
        return self.coefficients(gamma, rng.random(n_pairs))

    @property
    def draws(self) -> bool:
        """Whether an encounter needs a random draw."""
        return self.kernel_span(1.0) > 0.0


@dataclass(frozen=True)
class FixedDirections(EncounterDirections):
    """x = 1 for every encounter: gamma_ij = gamma (spec 6.1)."""

    name = "fixed"
    mean_x = 1.0
    mean_x2 = 1.0

    def mean_coefficients(self, gamma: float) -> tuple[float, float, float]:
        """(cos^2 gamma, sin^2 gamma, cos gamma sin gamma)."""
        return tuple(float(x) for x in encounter_coefficients(gamma))

    def coefficients(self, gamma: float, u: NDArray) -> tuple[NDArray, NDArray, NDArray]:
        """The same coefficients for every draw (u is ignored)."""
        n = np.shape(u)
        return tuple(np.full(n, c) for c in self.mean_coefficients(gamma))

    def kernel_span(self, gamma: float) -> float:
        return 0.0


@dataclass(frozen=True)
class IsotropicDirections(EncounterDirections):
    """cos Theta uniform on [-1, 1] per encounter: gamma_ij = gamma (1 - cos Theta) = 2 gamma u."""

    name = "isotropic"
    mean_x = 1.0
    mean_x2 = 4.0 / 3.0

    def mean_coefficients(self, gamma: float) -> tuple[float, float, float]:
        """Angle averages (D3); their gamma -> 0 limits (1, 0, 0) where 4 gamma underflows."""
        g = float(_v.finite("gamma", gamma, "rad"))
        if g == 0.0:
            return 1.0, 0.0, 0.0
        q = 4.0 * g
        sinc = math.sin(q) / q
        # (1 - cos q)/(2q) = sin^2(q/2)/q without the cancellation at small q
        cs = math.sin(0.5 * q) ** 2 / q
        return 0.5 + 0.5 * sinc, 0.5 - 0.5 * sinc, cs

    def coefficients(self, gamma: float, u: NDArray) -> tuple[NDArray, NDArray, NDArray]:
        """Per-encounter coefficients of gamma_ij = 2 gamma u, u uniform on [0, 1) (arrays like u)."""
        return encounter_coefficients(2.0 * float(gamma) * np.asarray(u, dtype=float))

    def kernel_span(self, gamma: float) -> float:
        return 2.0 * float(gamma)


#: The directions models by name (``TwoGroupGas(directions=...)``, scenario parameter ``directions``).
DIRECTIONS: dict[str, EncounterDirections] = {"fixed": FixedDirections(), "isotropic": IsotropicDirections()}


def resolve_directions(directions) -> EncounterDirections:
    """A directions model from its name or itself."""
    if isinstance(directions, EncounterDirections):
        return directions
    return DIRECTIONS[_v.one_of("directions", directions, tuple(DIRECTIONS))]
