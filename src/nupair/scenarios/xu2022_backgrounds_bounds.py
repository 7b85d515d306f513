"""Neutrino forces in neutrino backgrounds, and against inverse-square-law bounds.

X.-J. Xu, talk "Neutrino forces and experimental probes" (arXiv:2209.07082 for backgrounds);
Horowitz & Pantaleone, PLB 1993 (hep-ph/9306222); spec ``shared/spec/forces.md`` sections 4
and 7.1.

* ``forces-backgrounds``: the vacuum potential between two neutrons next to the corrections from
  the relic background (Fermi-Dirac, T = 1.945 K) and from directional beams (reactor, solar,
  supernova; fluxes and energies are illustrative parameters, forward beams alpha = 0).
* ``forces-bounds``: the predicted strength of the vacuum force relative to gravity between
  nucleons (point-particle estimate (r_x/r)^4) against the inverse-square-law bounds of the spec's
  table, with the ratio to the nearest bound. A forward beam gives an r-independent ratio that
  competes with equivalence-principle tests, not with these (spec 7.1); it is reported apart,
  with the no-smearing angle that makes it unrealistic for real reactor spectra (spec 4.3).
"""

from __future__ import annotations

from functools import partial

import numpy as np
import xarray as xr
from pydantic import model_validator

from nupair import forces
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import Scenario, ScenarioParameters, Task, TaskContext, param, variable

__all__ = [
    "BackgroundParameters",
    "tasks_backgrounds",
    "cost_backgrounds",
    "assemble_backgrounds",
    "plot_backgrounds",
    "summary_backgrounds",
    "BoundsParameters",
    "tasks_bounds",
    "assemble_bounds",
    "plot_bounds",
    "summary_bounds",
    "SCENARIOS",
]


class BackgroundParameters(ScenarioParameters):
    """Background scenario parameters (illustrative beam fluxes)."""

    relic_temperature_K: float = param(1.945, unit="K", gt=0.0, le=1e12, description="relic neutrino temperature")
    reactor_flux_cm2_s: float = param(1e13, unit="cm^-2 s^-1", ge=1.0, le=1e30, description="reactor antineutrino flux")
    reactor_energy_MeV: float = param(3.0, unit="MeV", ge=1e-3, le=1e3, description="reactor neutrino energy")
    solar_flux_cm2_s: float = param(6.0e10, unit="cm^-2 s^-1", ge=1.0, le=1e30, description="solar neutrino flux")
    solar_energy_MeV: float = param(0.4, unit="MeV", ge=1e-3, le=1e3, description="solar neutrino energy")
    supernova_flux_cm2_s: float = param(1e12, unit="cm^-2 s^-1", ge=1.0, le=1e30, description="galactic supernova flux")
    supernova_energy_MeV: float = param(15.0, unit="MeV", ge=1e-3, le=1e3, description="supernova neutrino energy")
    r_min_m: float = param(1e-12, unit="m", ge=1e-20, le=1e10, description="smallest distance")
    r_max_m: float = param(1.0, unit="m", ge=1e-20, le=1e10, description="largest distance")
    n_r: int = param(400, unit="1", ge=10, le=1_000_000, description="distances (log grid)")

    @model_validator(mode="after")
    def _rules(self):
        if self.r_max_m <= self.r_min_m:
            raise ValueError(f"r_max_m = {self.r_max_m:g} must exceed r_min_m = {self.r_min_m:g}")
        return self


def _beams(p: BackgroundParameters) -> dict:
    return {
        "reactor": forces.DirectionalFlux(p.reactor_flux_cm2_s, p.reactor_energy_MeV, 0.0, "e"),
        "solar": forces.DirectionalFlux(p.solar_flux_cm2_s, p.solar_energy_MeV, 0.0, "e"),
        "supernova": forces.DirectionalFlux(p.supernova_flux_cm2_s, p.supernova_energy_MeV, 0.0, "e"),
    }


def _r(params: BackgroundParameters) -> np.ndarray:
    return np.geomspace(params.r_min_m, params.r_max_m, params.n_r)


def _background(params: BackgroundParameters, name: str, ctx: TaskContext) -> np.ndarray:
    """V_bkg(r) between two neutrons for one background [eV]."""
    bkg = forces.RelicBackground(params.relic_temperature_K) if name == "relic" else _beams(params)[name]
    return forces.background_potential(_r(params), "neutron", "neutron", bkg)


def _vacuum(params: BackgroundParameters, ctx: TaskContext) -> np.ndarray:
    """V_vac(r) between two neutrons, massless (Feinberg-Sucher) [eV]."""
    return forces.potential(_r(params), "neutron", "neutron")


def tasks_backgrounds(params: BackgroundParameters, seed) -> list[Task]:
    """One task per background (the relic one by adaptive quadrature costs the most), then vacuum."""
    return ([Task(name, partial(_background, params, name), cost=3.0 if name == "relic" else 1.0)
             for name in BACKGROUNDS]
            + [Task("vacuum", partial(_vacuum, params), cost=0.1)])


BACKGROUNDS = ("relic", "reactor", "solar", "supernova")


def cost_backgrounds(params: BackgroundParameters) -> float:
    """Estimated wall time [s] (default ~1.5 s, mostly start-up; calibrated in benchmarks/estimates.py)."""
    return 1.5 + 4 * params.n_r * 1e-5


def assemble_backgrounds(params: BackgroundParameters, results: dict) -> xr.Dataset:
    """V_vac and V_bkg(r) between two neutrons for each background."""
    r = _r(params)
    v = np.array([results[name] for name in BACKGROUNDS])
    return xr.Dataset(
        {"background_potential": variable(("background", "r"), v, "eV", "background correction V_bkg (n-n)"),
         "vacuum_potential": variable(("r",), results["vacuum"], "eV", "vacuum potential (massless, n-n)")},
        coords={"background": variable(("background",), np.array(BACKGROUNDS), "1", "neutrino background"),
                "r": variable(("r",), r, "m", "distance")},
    )


def plot_backgrounds(ds: xr.Dataset):
    fig, axes = new_figure(1, 1, width_in=7.0, height_in=4.8, title="Neutron-neutron neutrino force in backgrounds")
    ax = axes[0, 0]
    r = ds["r"].values
    ax.loglog(r, np.abs(ds["vacuum_potential"]), "k", label="vacuum (1/r^5)")
    for k, name in enumerate(ds["background"].values):
        ax.loglog(r, np.abs(ds["background_potential"].sel(background=name)), color=f"C{k}", label=f"|V_bkg| {name}")
    ax.set_xlabel(axis_label("r", "m"))
    ax.set_ylabel(axis_label("|V|", "eV"))
    ax.legend(fontsize=7)
    return fig


def summary_backgrounds(ds: xr.Dataset) -> dict:
    """Distance beyond which each background correction exceeds the vacuum force."""
    r = ds["r"].values
    vac = np.abs(ds["vacuum_potential"].values)
    out = {"background_exceeds_vacuum_beyond_m": {}}
    for name in ds["background"].values:
        above = np.abs(ds["background_potential"].sel(background=name).values) > vac
        out["background_exceeds_vacuum_beyond_m"][str(name)] = float(r[np.argmax(above)]) if above.any() else None
    return out


class BoundsParameters(ScenarioParameters):
    """Bounds scenario parameters."""

    reactor_flux_cm2_s: float = param(1e13, unit="cm^-2 s^-1", ge=1.0, le=1e30, description="forward beam flux")
    reactor_energy_MeV: float = param(3.0, unit="MeV", ge=1e-3, le=1e3, description="beam energy")


def _bounds(params: BoundsParameters, ctx: TaskContext) -> dict:
    """Predicted |delta V / V_grav| (neutron pair) at each experiment's separation, vacuum and beam."""
    r = np.array([x.separation_m for x in forces.INVERSE_SQUARE_LAW_LIMITS])
    beam = forces.DirectionalFlux(params.reactor_flux_cm2_s, params.reactor_energy_MeV, 0.0, "e")
    vb = forces.background_potential(r, "neutron", "neutron", beam)
    return {"vacuum": forces.ratio_to_gravity(r, "neutron", "neutron"),
            "beam": forces.ratio_to_gravity(r, "neutron", "neutron", potential_eV=vb)}


def tasks_bounds(params: BoundsParameters, seed) -> list[Task]:
    """One task: the ratios at the separations of the bounds table."""
    return [Task("ratios", partial(_bounds, params))]


def assemble_bounds(params: BoundsParameters, results: dict) -> xr.Dataset:
    """Bounds and predicted ratios per experiment."""
    lim = forces.INVERSE_SQUARE_LAW_LIMITS
    r = np.array([x.separation_m for x in lim])
    vac, beam_ratio = results["ratios"]["vacuum"], results["ratios"]["beam"]
    return xr.Dataset(
        {"bound": variable(("experiment",), [x.bound for x in lim], "1", "measured bound on delta V / V_grav"),
         "separation": variable(("experiment",), r, "m", "typical separation"),
         "vacuum_ratio": variable(("experiment",), vac, "1", "|V_nu / V_grav|, vacuum, point neutrons"),
         "beam_ratio": variable(("experiment",), beam_ratio, "1", "|V_bkg / V_grav|, forward reactor beam")},
        coords={"experiment": variable(("experiment",), np.array([x.experiment for x in lim]), "1", "experiment")},
    )


def plot_bounds(ds: xr.Dataset):
    fig, axes = new_figure(1, 1, width_in=7.0, height_in=4.8, title="Neutrino force vs inverse-square-law bounds")
    ax = axes[0, 0]
    r = ds["separation"].values
    ax.loglog(r, ds["bound"], "kv", label="bound (X.-J. Xu's table)")
    ax.loglog(r, ds["vacuum_ratio"], "o", label="vacuum force, point neutrons")
    ax.axhline(float(ds["beam_ratio"].values[0]), color="C1", ls="--",
               label="forward reactor beam (r-independent; an EP-test comparison)")
    ax.set_xlabel(axis_label("separation", "m"))
    ax.set_ylabel(axis_label("|delta V / V_grav|", None))
    ax.legend(fontsize=7)
    return fig


def summary_bounds(ds: xr.Dataset) -> dict:
    """Prediction / bound per experiment and the nearest approach."""
    vac = ds["vacuum_ratio"].values / ds["bound"].values
    names = [str(x) for x in ds["experiment"].values]
    return {
        "vacuum_over_bound": dict(zip(names, map(float, vac))),
        "ratio_to_nearest_limit": float(vac.max()),
        "nearest_limit": names[int(np.argmax(vac))],
        "forward_beam_over_gravity": float(ds["beam_ratio"].values[0]),
        "forward_beam_note": "r-independent: compare with equivalence-principle tests; needs alpha below the "
                             "no-smearing angle (4.5e-6 rad at 1 cm for 3 MeV with 100 % spread)",
    }


SCENARIOS = {
    "forces-backgrounds": Scenario(
        name="forces-backgrounds",
        description="Neutrino force in vacuum vs relic, reactor, solar and supernova backgrounds (n-n)",
        reference="Horowitz & Pantaleone 1993; Ghosh, Grossman, Tangarife, Xu & Yu, arXiv:2209.07082",
        parameters=BackgroundParameters, tasks=tasks_backgrounds, assemble=assemble_backgrounds,
        cost_s=cost_backgrounds, plot=plot_backgrounds, summary=summary_backgrounds,
        summary_keys={"background_exceeds_vacuum_beyond_m": "background -> distance beyond which |V_bkg| > |V_vac| [m]"},
    ),
    "forces-bounds": Scenario(
        name="forces-bounds",
        description="Predicted neutrino-force strength against inverse-square-law bounds",
        reference="X.-J. Xu talk table",
        parameters=BoundsParameters, tasks=tasks_bounds, assemble=assemble_bounds,
        cost_s=lambda params: 1.5, plot=plot_bounds, summary=summary_bounds,
        summary_keys={"vacuum_over_bound": "experiment -> prediction / bound (vacuum force, point neutrons)",
                      "ratio_to_nearest_limit": "largest prediction / bound", "nearest_limit": "that experiment",
                      "forward_beam_over_gravity": "|V_bkg / V_grav| of a forward reactor beam (r-independent)"},
    ),
}
