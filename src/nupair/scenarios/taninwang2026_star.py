"""One neutron star's profiles, its steep interfaces and the neutrino pairs they produce
(picture of Tanin & Wang, arXiv:2604.21968; formulas of spec ``shared/spec/gradient.md``
sections 2-5: matter potentials, exact tanh-step production, trapping).
"""

from __future__ import annotations

from functools import partial
from typing import Literal

import numpy as np
import xarray as xr

from nupair import flavor, gradient
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import Scenario, Task, TaskContext, param, variable
from nupair.scenarios._gradient_common import StarParameters, build_star, interfaces

__all__ = ["Parameters", "tasks", "cost_s", "assemble", "plot", "summary", "SCENARIO", "SUMMARY_KEYS"]

FLAVORS = ("e", "mu", "tau")


class Parameters(StarParameters):
    """gradient-star parameters."""

    lightest_mass_eV: float = param(0.0, unit="eV", ge=0.0, le=1.0, description="lightest neutrino mass (normal ordering)")
    n_spectrum: int = param(200, unit="1", ge=10, le=100_000, description="neutrino energies in the spectrum")
    gauge_charge: Literal["B-L", "Lmu-Ltau", "Le-Lmu"] = param("Lmu-Ltau", unit="", allowed="'B-L', 'Lmu-Ltau' or 'Le-Lmu'",
                                                               description="gauged U(1)' of the gauge-force variant")
    gauge_coupling: float = param(1e-18, unit="1", ge=0.0, le=1.0, description="U(1)' coupling g")
    gauge_mediator_mass_eV: float = param(0.0, unit="eV", ge=0.0, le=1e9, description="U(1)' mediator mass")


def _star(params: Parameters, ctx: TaskContext):
    return build_star(params, muons=True)


def _pairs(params: Parameters, ctx: TaskContext) -> dict:
    star = ctx.results["star"]
    itfs = interfaces(params, star)
    masses = flavor.masses_from_lightest(params.lightest_mass_eV, "normal")
    return {"interfaces": itfs, "pairs": gradient.interface_pair_rates(star, itfs, masses, params.n_spectrum)}


def _potentials(params: Parameters, ctx: TaskContext) -> np.ndarray:
    """Neutrino matter potential V_f(r) [eV] of each flavour on the star's grid, (flavor, r)."""
    return np.array([gradient.potential_profile(ctx.results["star"], f) for f in FLAVORS])


def _gauge(params: Parameters, ctx: TaskContext) -> dict:
    star = ctx.results["star"]
    gauge = gradient.GaugeForce(params.gauge_charge, params.gauge_coupling, params.gauge_mediator_mass_eV)
    return {"profile": gauge.profile(star), "rate": gauge.pair_rate_per_s(star, 0.0)}


def tasks(params: Parameters, seed) -> list[Task]:
    """TOV star, pair production at its interfaces, gauge-force variant."""
    return [Task("star", partial(_star, params), cost=1.0),
            Task("interfaces", partial(_pairs, params), cost=1.0),
            Task("potentials", partial(_potentials, params), cost=0.05),
            Task("gauge", partial(_gauge, params), cost=0.5)]


def cost_s(params: Parameters) -> float:
    """Estimated wall time [s] (default ~2 s, mostly start-up and the figure; calibrated in
    benchmarks/estimates.py)."""
    return 2.0 + 1e-4 * params.n_spectrum


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    """Profiles, interfaces, pair rates and the gauge-force profile (packaging only)."""
    s = results["star"]
    itfs = results["interfaces"]["interfaces"]
    pairs = results["interfaces"]["pairs"]
    rate, spec, energies, trapped = pairs.rate_per_s, pairs.spectrum_per_s_eV, pairs.energy_eV, pairs.trapped_number
    gprof, gauge_rate = results["gauge"]["profile"], results["gauge"]["rate"]
    masses = flavor.masses_from_lightest(params.lightest_mass_eV, "normal")
    pots = results["potentials"]
    names = np.array([i.name for i in itfs])
    return xr.Dataset(
        {"pressure": variable(("r",), s.pressure_dyn_cm2, "dyn cm^-2", "pressure"),
         "energy_density": variable(("r",), s.energy_density_g_cm3, "g cm^-3", "energy density / c^2"),
         "n_B": variable(("r",), s.n_B_fm3, "fm^-3", "baryon density"),
         "n_n": variable(("r",), s.n_n_fm3, "fm^-3", "neutron density (hadronic phase)"),
         "n_p": variable(("r",), s.n_p_fm3, "fm^-3", "proton density"),
         "n_e": variable(("r",), s.n_e_fm3, "fm^-3", "electron density"),
         "mass_enclosed": variable(("r",), s.mass_enclosed_msun, "M_sun", "enclosed mass"),
         "potential": variable(("flavor", "r"), pots, "eV", "neutrino matter potential (antineutrinos: -V)"),
         "interface_radius": variable(("interface",), [i.r_km for i in itfs], "km", "interface radius"),
         "delta_V": variable(("interface", "flavor"), [[i.delta_V_eV[f] for f in FLAVORS] for i in itfs], "eV", "potential step"),
         "field": variable(("interface", "flavor"), [[i.field_eV2[f] for f in FLAVORS] for i in itfs], "eV^2", "peak field Delta V / 2L"),
         "pair_rate": variable(("interface", "flavor", "mass_state"), rate, "s^-1", "pairs per second in vacuum (filling rate)"),
         "spectrum": variable(("interface", "flavor", "energy_index"), spec, "s^-1 eV^-1", "neutrino spectrum (lightest state)"),
         "energy": variable(("interface", "flavor", "energy_index"), energies, "eV", "neutrino energy above the low side"),
         "trapped_number": variable(("interface", "flavor"), trapped, "1", "neutrinos in the full trapped sea"),
         "gauge_potential": variable(("r",), gprof["potential_eV"], "eV", "U(1)' potential energy of a unit charge"),
         "gauge_field": variable(("r",), gprof["field_eV2"], "eV^2", "U(1)' field")},
        coords={"r": variable(("r",), s.r_km, "km", "radius"),
                "flavor": variable(("flavor",), np.array(FLAVORS), "1", "flavour"),
                "interface": variable(("interface",), names, "1", "interface"),
                "mass_state": variable(("mass_state",), np.arange(1, 4), "1", "mass eigenstate")},
        attrs={"mass_msun": s.mass_msun, "radius_km": s.radius_km, "eos": params.eos,
               "gauge_charge": params.gauge_charge, "gauge_pair_rate_per_s": gauge_rate,
               "gauge_charge_number": float(gprof["charge_enclosed"][-1]),
               "masses_eV": [float(x) for x in masses]},
    )


def plot(ds: xr.Dataset):
    fig, axes = new_figure(1, 3, width_in=15.0, height_in=4.6,
                           title=f"{ds.attrs['eos']} star, M = {ds.attrs['mass_msun']:.3f} M_sun, R = {ds.attrs['radius_km']:.2f} km")
    r = ds["r"].values
    ax = axes[0, 0]
    for name in ("n_B", "n_n", "n_p", "n_e"):
        ax.semilogy(r, np.maximum(ds[name].values, 1e-12), label=name)
    ax.set_xlabel(axis_label("r", "km"))
    ax.set_ylabel(axis_label("density", "fm^-3"))
    ax.set_ylim(1e-8, None)
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    for f in ds["flavor"].values:
        ax.plot(r, ds["potential"].sel(flavor=f), label=f"V(nu_{f})")
    for k, name in enumerate(ds["interface"].values):
        ax.axvline(float(ds["interface_radius"][k]), color="k", ls="--", lw=0.8)
        ax.text(float(ds["interface_radius"][k]), ax.get_ylim()[0] * 0.95, f" {name}", fontsize=7, rotation=90)
    ax.set_xlabel(axis_label("r", "km"))
    ax.set_ylabel(axis_label("V", "eV"))
    ax.legend(fontsize=7)
    ax = axes[0, 2]
    for k, name in enumerate(ds["interface"].values):
        ax.plot(ds["energy"].isel(interface=k).sel(flavor="e"), ds["spectrum"].isel(interface=k).sel(flavor="e"), label=f"{name} (nu_e)")
    ax.set_yscale("log")
    ax.set_xlabel(axis_label("neutrino energy above the low side", "eV"))
    ax.set_ylabel(axis_label("dN/dt d omega", "s^-1 eV^-1"))
    ax.legend(fontsize=7)
    return fig


SUMMARY_KEYS = {
    "mass_msun": "gravitational mass [M_sun]", "radius_km": "radius [km]",
    "central_potential_eV": "flavour -> V_nu at the centre [eV]",
    "gauge": "U(1)' variant: charge, total charge number, central depth [eV], largest field [eV^2], pair rate [s^-1] (massless nu)",
    "interfaces": "name -> {r_km, delta_V_eV (flavour), field_eV2 (flavour), pair_rate_per_s (flavour, summed over mass states), trapped_number}",
}


def summary(ds: xr.Dataset) -> dict:
    out = {"mass_msun": ds.attrs["mass_msun"], "radius_km": ds.attrs["radius_km"],
           "central_potential_eV": {str(f): float(ds["potential"].sel(flavor=f)[0]) for f in ds["flavor"].values},
           "interfaces": {},
           "gauge": {"charge": ds.attrs["gauge_charge"], "charge_number": ds.attrs["gauge_charge_number"],
                     "central_depth_eV": float(ds["gauge_potential"][0]), "max_field_eV2": float(ds["gauge_field"].max()),
                     "pair_rate_per_s": ds.attrs["gauge_pair_rate_per_s"]}}
    for k, name in enumerate(ds["interface"].values):
        sel = ds.isel(interface=k)
        out["interfaces"][str(name)] = {
            "r_km": float(sel["interface_radius"]),
            "delta_V_eV": {str(f): float(sel["delta_V"].sel(flavor=f)) for f in ds["flavor"].values},
            "field_eV2": {str(f): float(sel["field"].sel(flavor=f)) for f in ds["flavor"].values},
            "pair_rate_per_s": {str(f): float(sel["pair_rate"].sel(flavor=f).sum()) for f in ds["flavor"].values},
            "trapped_number": {str(f): float(sel["trapped_number"].sel(flavor=f)) for f in ds["flavor"].values},
        }
    return out


SCENARIO = Scenario(
    name="gradient-star",
    description="Neutron-star profiles, steep interfaces and gradient-produced neutrino pairs (Tanin & Wang 2026)",
    reference="Tanin & Wang arXiv:2604.21968 (picture); Haensel & Potekhin 2004 (SLy); Alford, Han & Prakash 2013 (hybrid)",
    parameters=Parameters, tasks=tasks, assemble=assemble, cost_s=cost_s, plot=plot, summary=summary, summary_keys=SUMMARY_KEYS,
)
