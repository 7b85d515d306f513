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

import numpy as np
import xarray as xr

from nupair import forces
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import Scenario, ScenarioParameters, param, variable


class BackgroundParameters(ScenarioParameters):
    """Background scenario parameters (illustrative beam fluxes)."""

    relic_temperature_K: float = param(1.945, unit="K", gt=0.0, le=1e12, description="relic neutrino temperature")
    reactor_flux_cm2_s: float = param(1e13, unit="cm^-2 s^-1", gt=0.0, description="reactor antineutrino flux")
    reactor_energy_MeV: float = param(3.0, unit="MeV", gt=0.0, description="reactor neutrino energy")
    solar_flux_cm2_s: float = param(6.0e10, unit="cm^-2 s^-1", gt=0.0, description="solar neutrino flux")
    solar_energy_MeV: float = param(0.4, unit="MeV", gt=0.0, description="solar neutrino energy")
    supernova_flux_cm2_s: float = param(1e12, unit="cm^-2 s^-1", gt=0.0, description="galactic supernova flux")
    supernova_energy_MeV: float = param(15.0, unit="MeV", gt=0.0, description="supernova neutrino energy")
    r_min_m: float = param(1e-12, unit="m", gt=0.0, description="smallest distance")
    r_max_m: float = param(1.0, unit="m", gt=0.0, description="largest distance")
    n_r: int = param(400, unit="1", ge=10, le=1_000_000, description="distances (log grid)")


def _beams(p: BackgroundParameters) -> dict:
    return {
        "reactor": forces.DirectionalFlux(p.reactor_flux_cm2_s, p.reactor_energy_MeV, 0.0, "e"),
        "solar": forces.DirectionalFlux(p.solar_flux_cm2_s, p.solar_energy_MeV, 0.0, "e"),
        "supernova": forces.DirectionalFlux(p.supernova_flux_cm2_s, p.supernova_energy_MeV, 0.0, "e"),
    }


def run_backgrounds(params: BackgroundParameters, seed, progress, checkpoint=None) -> xr.Dataset:
    """V_vac and V_bkg(r) between two neutrons for each background."""
    from nupair.scenarios._base import UserInputError

    if params.r_max_m <= params.r_min_m:
        raise UserInputError(f"parameter 'r_max_m': value {params.r_max_m!r} is not allowed: must exceed r_min_m")
    r = np.geomspace(params.r_min_m, params.r_max_m, params.n_r)
    names = ["relic", *list(_beams(params))]
    bkgs = [forces.RelicBackground(params.relic_temperature_K), *_beams(params).values()]
    v = np.array([forces.background_potential(r, "neutron", "neutron", b) for b in bkgs])
    progress(1.0, "backgrounds")
    return xr.Dataset(
        {"background_potential": variable(("background", "r"), v, "eV", "background correction V_bkg (n-n)"),
         "vacuum_potential": variable(("r",), forces.potential(r, "neutron", "neutron"), "eV", "vacuum potential (massless, n-n)")},
        coords={"background": variable(("background",), np.array(names), "1", "neutrino background"),
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

    reactor_flux_cm2_s: float = param(1e13, unit="cm^-2 s^-1", gt=0.0, description="forward beam flux")
    reactor_energy_MeV: float = param(3.0, unit="MeV", gt=0.0, description="beam energy")


def run_bounds(params: BoundsParameters, seed, progress, checkpoint=None) -> xr.Dataset:
    """Predicted |delta V / V_grav| (neutron pair) at each experiment's separation."""
    lim = forces.INVERSE_SQUARE_LAW_LIMITS
    r = np.array([x.separation_m for x in lim])
    vac = forces.ratio_to_gravity(r, "neutron", "neutron")
    beam = forces.DirectionalFlux(params.reactor_flux_cm2_s, params.reactor_energy_MeV, 0.0, "e")
    vb = forces.background_potential(r, "neutron", "neutron", beam)
    beam_ratio = forces.ratio_to_gravity(r, "neutron", "neutron", potential_eV=vb)
    progress(1.0, "bounds")
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
    ax.loglog(r, ds["bound"], "kv", label="bound (spec 7.1 table)")
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
        reference="Horowitz & Pantaleone 1993; Ghosh, Grossman, Tangarife, Xu & Yu, arXiv:2209.07082; spec forces.md section 4",
        parameters=BackgroundParameters, run=run_backgrounds, plot=plot_backgrounds, summary=summary_backgrounds,
        summary_keys={"background_exceeds_vacuum_beyond_m": "background -> distance beyond which |V_bkg| > |V_vac| [m]"},
    ),
    "forces-bounds": Scenario(
        name="forces-bounds",
        description="Predicted neutrino-force strength against inverse-square-law bounds",
        reference="X.-J. Xu talk table; spec forces.md section 7.1",
        parameters=BoundsParameters, run=run_bounds, plot=plot_bounds, summary=summary_bounds,
        summary_keys={"vacuum_over_bound": "experiment -> prediction / bound (vacuum force, point neutrons)",
                      "ratio_to_nearest_limit": "largest prediction / bound", "nearest_limit": "that experiment",
                      "forward_beam_over_gravity": "|V_bkg / V_grav| of a forward reactor beam (r-independent)"},
    ),
}
