"""Scenario registry: built-in computations that reproduce published figures.

The registry is one explicit table mapping each name to the module that implements it and a
one-line description, so ``nupair list`` never imports the physics. A scenario module defines
``SCENARIO`` (a :class:`Scenario`), or ``SCENARIOS`` (name -> Scenario) when one module serves
several published panels.
"""

from __future__ import annotations

import difflib
import importlib

from nupair.scenarios._base import (
    Scenario,
    ScenarioParameters,
    UserInputError,
    describe_parameters,
    param,
)

__all__ = [
    "REGISTRY",
    "available",
    "Scenario",
    "ScenarioParameters",
    "UserInputError",
    "describe_parameters",
    "get_scenario",
    "list_scenarios",
    "param",
]

#: name -> (module, one-line description)
REGISTRY: dict[str, tuple[str, str]] = {
    "pairing-two-pair": (
        "nupair.scenarios.huangwu2026_fig1",
        "Two-pair nu-nubar pairing instability, cases A and B (Huang & Wu 2026, Fig. 1)",
    ),
    "pairing-two-pair-stability": (
        "nupair.scenarios.huangwu2026_eq15",
        "Two-pair stability for any occupations, HW eqs. 14-16 (fast: made for sweeps)",
    ),
    "pairing-multi-phi4": (
        "nupair.scenarios.huangwu2026_fig2",
        "Multi-pair instability, (N_E, N_theta, N_phi) = (1, 1, 4) (Huang & Wu 2026, Fig. 2)",
    ),
    "pairing-multi-phi32": (
        "nupair.scenarios.huangwu2026_fig2",
        "Multi-pair instability, (N_E, N_theta, N_phi) = (1, 1, 32) (Huang & Wu 2026, Fig. 2)",
    ),
    "pairing-multi-8x8": (
        "nupair.scenarios.huangwu2026_fig2",
        "Multi-pair instability, (N_E, N_theta, N_phi) = (1, 8, 8) (Huang & Wu 2026, Fig. 2)",
    ),
    "pairing-energy-bins": (
        "nupair.scenarios.huangwu2026_fig3",
        "Instability vs number of energy bins N_E = 1..6, N_phi = 4 (Huang & Wu 2026, Fig. 3)",
    ),
    "forces-atomic": (
        "nupair.scenarios.stadnik2018_atomic",
        "Neutrino-force shifts of H, Ps and Mu transitions vs measurement precision (Stadnik 2018)",
    ),
    "renp-spectrum": (
        "nupair.scenarios.dinh2013_renp_spectrum",
        "RENP photon spectrum of Yb near thresholds: NO vs IO, Dirac vs Majorana (Dinh et al. 2013)",
    ),
    "renp-sensitivity": (
        "nupair.scenarios.renp_sensitivity",
        "Exposure for 3 sigma Dirac/Majorana, NO/IO and m_lightest discrimination vs lightest mass (RENP, Yb)",
    ),
    "renp-new-physics": (
        "nupair.scenarios.gepasquini2022_new_physics",
        "RENP reach for light Z'/scalar mediators and dipole moments vs effective-moment bounds (Ge & Pasquini)",
    ),
    "gradient-star": (
        "nupair.scenarios.taninwang2026_star",
        "Neutron-star profiles, steep interfaces and gradient-produced neutrino pairs (Tanin & Wang 2026)",
    ),
    "gradient-cooling": (
        "nupair.scenarios.taninwang2026_cooling",
        "Cooling curves with and without gradient-produced neutrinos vs observed neutron stars",
    ),
    "forces-potentials": (
        "nupair.scenarios.xu2022_potentials",
        "Neutrino-force potentials e-e, p-p, n-n, W-W over many decades, with gravity (Xu talk; Grifols et al.)",
    ),
    "forces-backgrounds": (
        "nupair.scenarios.xu2022_backgrounds_bounds",
        "Neutrino force in vacuum vs relic, reactor, solar and supernova backgrounds (n-n)",
    ),
    "forces-bounds": (
        "nupair.scenarios.xu2022_backgrounds_bounds",
        "Predicted neutrino-force strength against inverse-square-law bounds",
    ),
    "oile-foreground": (
        "nupair.scenarios.kostjohnsduan2024_foreground",
        "OILE model 1: foreground neutrino in a uniform background, gamma from 1e-4 to pi/2",
    ),
    "oile-two-group": (
        "nupair.scenarios.kostjohnsduan2025_two_group",
        "OILE model 2: two-group gas, Monte Carlo vs mean field vs miscidynamics (Kost, Johns & Duan)",
    ),
    "oile-many-body": (
        "nupair.scenarios.oile_many_body",
        "OILE beside the exact many-body evolution of the same encounters (N <= 20)",
    ),
    "oile-convergence": (
        "nupair.scenarios.oile_convergence",
        "OILE two-group gas: Monte Carlo deviation from the large-N mean map vs N (1/sqrt(N)), with throughput",
    ),
    "pairing-physical-coupling": (
        "nupair.scenarios.physical_coupling",
        "Pairing growth and saturation vs mu/E from 1e-2 to 1e-12: secular equations, checked against the full ones",
    ),
    "pairing-flavor-interplay": (
        "nupair.scenarios.flavor_interplay",
        "Pairing and flavor instabilities together in two flavors: which grows faster (HW set-ups, two-beam)",
    ),
    "flavor-fast-two-beam": (
        "nupair.scenarios.flavor_fast_two_beam",
        "Emu's homogeneous fast-flavor two-beam test: nupair's measured growth rate beside the analytic one",
    ),
    "pairing-continuum": (
        "nupair.scenarios.continuum_limit",
        "Does the pairing instability survive grid refinement? (continuum-limit study)",
    ),
    "pairing-continuum-k": (
        "nupair.scenarios.continuum_k",
        "Does grid refinement remove the pairing instability at every wave vector k, or move it to k != 0?",
    ),
}


def available() -> list[str]:
    """Names of the built-in scenarios, sorted (``nupair.run(name, ...)`` runs one)."""
    return sorted(REGISTRY)


def list_scenarios() -> list[tuple[str, str]]:
    """(name, description) of every registered scenario, sorted by name."""
    return sorted((name, desc) for name, (_, desc) in REGISTRY.items())


def get_scenario(name: str) -> Scenario:
    """Load a scenario by name; an unknown name raises UserInputError with the closest names."""
    if name not in REGISTRY:
        close = difflib.get_close_matches(name, REGISTRY, n=3, cutoff=0.4)
        hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
        raise UserInputError(
            f"unknown scenario {name!r}{hint} (see 'nupair list' for all {len(REGISTRY)})"
        )
    module = importlib.import_module(REGISTRY[name][0])
    return module.SCENARIOS[name] if hasattr(module, "SCENARIOS") else module.SCENARIO
