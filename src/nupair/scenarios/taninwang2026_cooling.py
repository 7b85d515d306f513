"""Thermal history with and without gradient-produced neutrinos against observed neutron stars
(picture of Tanin & Wang, arXiv:2604.21968; cooling model and data of spec
``shared/spec/gradient.md`` sections 4 and 6).

Three curves for one star: passive cooling (modified Urca + photons through the GPE envelope),
the gradient term as the spec's order-of-magnitude model H = N_trap [Gamma_abs eps_dep -
Gamma_sc(T)(T + eps_esc)] (absorption heats, scattering cools; Gamma_abs is not quantified in the
spec and is the free "coupling" here), and the largest heating allowed by the coldest old star
(PSR J2144-3933 upper limit). The chi^2 of each curve against the shipped table is reported.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import xarray as xr

from nupair import gradient
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import Scenario, Task, TaskContext, finite_or_none, param, variable
from nupair.scenarios._gradient_common import StarParameters, build_star, interfaces

__all__ = ["Parameters", "tasks", "cost_s", "assemble", "plot", "summary", "SCENARIO", "SUMMARY_KEYS"]


class Parameters(StarParameters):
    """gradient-cooling parameters."""

    t_end_yr: float = param(1e10, unit="yr", gt=1.0, le=1e11, description="end of the cooling curve")
    absorption_rate_per_s: float = param(1e-15, unit="s^-1", ge=0.0, le=1e6,
                                         description="absorption rate Gamma_abs of a trapped neutrino")
    scattering_coefficient_per_s: float = param(1e-3, unit="s^-1", ge=0.0, le=1e3,
                                                description="Gamma_sc at T = 1e8 K (T^3 scaling)")
    urca_multiplier: float = param(1.0, unit="1", ge=0.0, le=10.0, description="modified-Urca multiplier")
    n_eval: int = param(300, unit="1", ge=20, le=100_000, description="points on each curve")


def _star_and_well(params: Parameters, ctx: TaskContext) -> dict:
    """The star, its cooling coefficients and the nu_e well of its outermost interface."""
    s = build_star(params)
    return {"star": s, "coefficients": gradient.cooling_coefficients(s, urca_multiplier=params.urca_multiplier),
            "well": gradient.trapping_well(s, interfaces(params, s), "e")}


def _max_heating(params: Parameters, ctx: TaskContext):
    sw = ctx.results["star and well"]
    return gradient.max_allowed_heating(sw["star"], sw["coefficients"], t_end_yr=params.t_end_yr, n_eval=params.n_eval)


def _curve(params: Parameters, model: str, ctx: TaskContext) -> gradient.CurveComparison:
    """One cooling curve and its chi^2 against the observed stars."""
    sw = ctx.results["star and well"]
    heating = None
    if model == "gradient":
        heating = sw["well"].heating(params.absorption_rate_per_s, params.scattering_coefficient_per_s)
    elif model == "max_allowed_heating":
        heating = ctx.results["max heating"].value
    curve = gradient.cool(sw["star"], heating=heating, t_span=(1e-2, params.t_end_yr), coefficients=sw["coefficients"],
                          n_eval=params.n_eval)
    return gradient.compare_with_observed(curve)


def _observed(params: Parameters, ctx: TaskContext) -> dict:
    """The observed stars and their temperatures seen from infinity (local ones redshifted with this star)."""
    obs = gradient.observed_stars()
    star = ctx.results["star and well"]["star"]
    return {"stars": obs, "T_inf_K": [o.redshifted_temperature_K(star.compactness) for o in obs]}


MODELS = ("passive", "gradient", "max_allowed_heating")


def tasks(params: Parameters, seed) -> list[Task]:
    """Star and trapping well, the largest allowed heating, and the three cooling curves."""
    return [Task("star and well", partial(_star_and_well, params), cost=1.0),
            Task("max heating", partial(_max_heating, params), cost=4.0),
            *[Task(f"curve {m}", partial(_curve, params, m), cost=0.3) for m in MODELS],
            Task("observed stars", partial(_observed, params), cost=0.01)]


def cost_s(params: Parameters) -> float:
    """Estimated wall time [s]: ~25 cooling curves of n_eval points (default ~2 s with start-up; calibrated in benchmarks/estimates.py)."""
    return 1.6 + 25 * 0.02 * params.n_eval / 300.0


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    """The three curves, their chi^2 and the observed stars."""
    sw = results["star and well"]
    s, well = sw["star"], sw["well"]
    hm = results["max heating"]
    h_max = hm.value
    fits = {m: results[f"curve {m}"] for m in MODELS}
    curves = {m: f.curve for m, f in fits.items()}
    names = list(curves)
    obs = results["observed stars"]["stars"]
    t = curves["passive"].t_yr
    return xr.Dataset(
        {"T_s_inf": variable(("model", "t"), [c.T_s_inf_K for c in curves.values()], "K", "redshifted surface temperature"),
         "T_s": variable(("model", "t"), [c.T_s_K for c in curves.values()], "K", "local surface temperature"),
         "T_internal_inf": variable(("model", "t"), [c.T_internal_inf_K for c in curves.values()], "K", "redshifted internal temperature"),
         "L_nu": variable(("model", "t"), [c.L_nu_inf for c in curves.values()], "erg s^-1", "neutrino luminosity at infinity"),
         "L_gamma": variable(("model", "t"), [c.L_gamma_inf for c in curves.values()], "erg s^-1", "photon luminosity at infinity"),
         "H": variable(("model", "t"), [c.H_inf for c in curves.values()], "erg s^-1", "heating (gradient term) at infinity"),
         "chi2": variable(("model",), [f.chi2 for f in fits.values()], "1", "chi^2 against the observed stars"),
         "obs_age": variable(("star",), [o.age_yr for o in obs], "yr", "age"),
         "obs_T": variable(("star",), [o.temperature_K for o in obs], "K", "observed surface temperature"),
         "obs_T_inf": variable(("star",), results["observed stars"]["T_inf_K"], "K",
                               "observed temperature seen from infinity (local values redshifted with this star)"),
         "obs_kind": variable(("star",), np.array([o.temperature_kind for o in obs]), "1", "local or redshifted"),
         "obs_upper_limit": variable(("star",), [o.upper_limit for o in obs], "1", "upper limit"),
         "obs_sigma_dex": variable(("star",), [o.temperature_sigma_dex for o in obs], "dex", "temperature uncertainty")},
        coords={"model": variable(("model",), np.array(names), "1", "cooling model"),
                "t": variable(("t",), t, "yr", "age"),
                "star": variable(("star",), np.array([o.name for o in obs]), "1", "observed star")},
        attrs={"mass_msun": s.mass_msun, "radius_km": s.radius_km, "trapped_number": well.trapped_number,
               "well_depth_eV": well.depth_eV,
               "max_heating_erg_s": h_max, "max_heating_status": hm.status.name.lower(), "absorption_rate_per_s": params.absorption_rate_per_s,
               "deposited_energy_eV": well.deposited_energy_eV,
               "max_absorption_rate_per_s": well.absorption_rate_for_heating(h_max) if hm.ok else float("nan"),
               "chi2_parts": str({n: f.parts for n, f in fits.items()})},
    )


def plot(ds: xr.Dataset):
    """Left: T_s^inf vs age with the observed stars (one convention: seen from infinity, local
    values redshifted with this star); right: luminosities (colour = model, line style = carrier)."""
    from matplotlib.lines import Line2D

    fig, axes = new_figure(1, 2, width_in=12.0, height_in=4.8, title="Neutron-star cooling with gradient-produced neutrinos")
    ax = axes[0, 0]
    t = ds["t"].values
    # curves that coincide for most of the history: the first drawn wide and pale, the next dashed
    styles = [dict(lw=5.0, alpha=0.35), dict(lw=2.0, ls="--"), dict(lw=1.2)]
    for k, m in enumerate(ds["model"].values):
        ax.loglog(t, ds["T_s_inf"].sel(model=m), color=f"C{k}", label=f"{m} (chi2 = {float(ds['chi2'][k]):.1f})",
                  **styles[k % len(styles)])
    temps = ds["obs_T_inf"].values if "obs_T_inf" in ds else ds["obs_T"].values
    for j in range(ds.sizes["star"]):
        age, temp = float(ds["obs_age"][j]), float(temps[j])
        if bool(ds["obs_upper_limit"][j]):
            ax.errorbar(age, temp, yerr=0.3 * temp, uplims=True, fmt="kv", ms=4)
        else:
            ax.errorbar(age, temp, yerr=[[temp * (1 - 10 ** -float(ds["obs_sigma_dex"][j]))],
                                         [temp * (10 ** float(ds["obs_sigma_dex"][j]) - 1)]], fmt="ko", ms=3)
        # numbers at the markers (names of neighbours would overlap), the key in the empty corner
        ax.annotate(str(j + 1), (age, temp), xytext=(3, 2), textcoords="offset points", fontsize=7, color="0.2")
    key = "\n".join(f"{j + 1}  {name}" for j, name in enumerate(ds["star"].values))
    ax.text(0.98, 0.97, "observed stars\n" + key, transform=ax.transAxes, ha="right", va="top", fontsize=6.5, multialignment="left",
            family="monospace", bbox=dict(facecolor="white", edgecolor="0.8", alpha=0.9))
    ax.set_xlabel(axis_label("age", "yr"))
    ax.set_ylabel(axis_label("surface temperature seen from infinity T_s^inf", "K"))
    ax.set_xlim(1e1, 4.0 * t[-1])
    ax.set_ylim(1e4, 1e7)
    ax.legend(fontsize=7, loc="lower left")
    ax = axes[0, 1]
    for name, ls in (("L_nu", "-"), ("L_gamma", "--")):
        for k, m in enumerate(ds["model"].values):
            ax.loglog(t, np.abs(ds[name].sel(model=m)), color=f"C{k}", ls=ls, **({"lw": 4.0, "alpha": 0.35} if k == 0 else {}))
    ax.loglog(t, np.abs(ds["H"].sel(model="gradient")), color="C1", ls=":")
    handles = [Line2D([], [], color=f"C{k}", lw=2, label=str(m)) for k, m in enumerate(ds["model"].values)]
    handles += [Line2D([], [], color="k", ls="-", label="neutrinos L_nu"),
                Line2D([], [], color="k", ls="--", label="photons L_gamma"),
                Line2D([], [], color="C1", ls=":", label="|H| gradient heating")]
    ax.set_xlabel(axis_label("age", "yr"))
    ax.set_ylabel(axis_label("luminosity at infinity", "erg s^-1"))
    ax.set_xlim(1e1, t[-1])
    ax.set_ylim(1e20, 1e45)
    ax.legend(handles=handles, fontsize=7, loc="upper right")
    return fig


SUMMARY_KEYS = {
    "chi2": "model -> chi^2 against the observed stars (passive, gradient, max_allowed_heating)",
    "trapped_number": "neutrinos in the trapped sea (nu_e, below the outermost interface)",
    "well_depth_eV": "depth of the trapping well [eV]",
    "max_heating_erg_s": "largest constant heating allowed by the PSR J2144-3933 upper limit [erg/s] (null: not bracketed)",
    "max_heating_status": "outcome of the bisection (successful, not_bracketed, ...)",
    "max_absorption_rate_per_s": "largest Gamma_abs allowed (heating N_trap Gamma_abs eps_dep at most max_heating) [s^-1]",
    "T_s_inf_at_1e6yr_K": "model -> T_s^inf at 1e6 yr [K]",
}


def summary(ds: xr.Dataset) -> dict:
    t = ds["t"].values
    out = {"chi2": {str(m): float(c) for m, c in zip(ds["model"].values, ds["chi2"].values)},
           "trapped_number": ds.attrs["trapped_number"], "well_depth_eV": ds.attrs["well_depth_eV"],
           "max_heating_status": ds.attrs["max_heating_status"]}
    found = ds.attrs["max_heating_status"] == "successful"
    out["max_heating_erg_s"] = float(ds.attrs["max_heating_erg_s"]) if found else None
    out["max_absorption_rate_per_s"] = finite_or_none(ds.attrs["max_absorption_rate_per_s"]) if found else None
    if t[0] <= 1e6 <= t[-1]:
        out["T_s_inf_at_1e6yr_K"] = {str(m): float(np.exp(np.interp(np.log(1e6), np.log(t), np.log(ds["T_s_inf"].sel(model=m).values))))
                                     for m in ds["model"].values}
    return out


SCENARIO = Scenario(
    name="gradient-cooling",
    description="Cooling curves with and without gradient-produced neutrinos vs observed neutron stars",
    reference="Tanin & Wang arXiv:2604.21968 (picture); Yakovlev et al. Phys. Rep. 354 (2001) 1; Gudmundsson, Pethick & Epstein 1983; Potekhin et al. MNRAS 496 (2020) 5052",
    parameters=Parameters, tasks=tasks, assemble=assemble, cost_s=cost_s, plot=plot, summary=summary, summary_keys=SUMMARY_KEYS,
)
