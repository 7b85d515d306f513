"""Pairing and flavor instabilities together: which grows faster on the same distribution?

A study no paper has done (Huang & Wu, arXiv:2604.25687, outlook: "the potential interplay of
pairing instabilities with flavor instabilities should be pursued"): in two flavors, for HW's
(1,1,4) and (1,8,8) set-ups (nu_e carries HW's distribution, nu_x is empty) and for an
ELN-crossing nu_e/nubar_e two-beam with a vacuum term, the linear analysis with and without the
pairing terms (fastest rate of the flavor and of the pairing branch, eigenvector weights) and
the nonlinear evolutions. Equations: ``docs/flavor-pairing.md`` (F1-F12).
"""

from __future__ import annotations

from functools import partial

import numpy as np
import xarray as xr

from nupair import pairing
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import Scenario, ScenarioParameters, Task, TaskContext, finite_or_none, param, variable

__all__ = ["Parameters", "tasks", "cost_s", "assemble", "plot", "summary", "SCENARIO", "SUMMARY_KEYS", "REFERENCE"]

REFERENCE = ("nupair study (docs: Pairing with flavor) on Huang & Wu, arXiv:2604.25687, Figs. 1-2 set-ups, "
             "and the two-beam model of Emu's fast-flavor test")

SETUPS = pairing.INTERPLAY_SETUPS


class Parameters(ScenarioParameters):
    """Flavor-pairing interplay parameters."""

    coupling_per_MeV2: float = param(1e-5, unit="MeV^-2", ge=1e-8, le=1e-4,
                                     description="HW's g' (mu' = g' e_max^3; rates scale with it while mu' << E)")
    t_end_mu: float = param(30.0, unit="1/mu'", gt=0.0, le=200.0, description="end of the evolutions, in units of 1/mu'")
    n_save: int = param(601, unit="1", ge=51, le=20_000, description="saved time samples per evolution")
    seed_amplitude: float = param(1e-5, unit="1", ge=1e-12, le=1e-2, description="kappa_ee seeds: Re, Im uniform in [0, amplitude]")
    flavor_seed_amplitude: float = param(1e-5, unit="1", ge=1e-12, le=1e-2,
                                         description="flavor coherence seed (random rotation; the two-beam's mixing angle [rad])")
    include_188: bool = param(True, unit="1", description="also run HW's (1,8,8) grid (64 modes, the slowest)")
    rtol: float = param(1e-10, unit="1", ge=1e-13, le=1e-5, description="DOP853 relative tolerance")


def _setups(params: Parameters) -> tuple[str, ...]:
    return tuple(s for s in SETUPS if params.include_188 or s != "hw-1-8-8")


def _run(params: Parameters, setup: str, ctx: TaskContext) -> pairing.FlavorInterplay:
    return pairing.flavor_interplay(setup, params.coupling_per_MeV2, t_end_mu=params.t_end_mu, n_save=params.n_save,
                                    seed=ctx.seed, seed_amplitude=params.seed_amplitude,
                                    flavor_seed_amplitude=params.flavor_seed_amplitude, rtol=params.rtol)


_MODES = {"hw-1-1-4": 4, "hw-1-8-8": 64, "two-beam": 1}


def _cost(params: Parameters, setup: str) -> float:
    """~30 right-hand sides per radian of 2E (pairing on), 0.65 us per mode each, at g' = 1e-5."""
    if setup == "two-beam":
        return 0.3
    n_rhs = 30 * params.t_end_mu * (1e-5 / params.coupling_per_MeV2) * 280.0 * (1e-10 / params.rtol) ** 0.125
    return 0.2 + n_rhs * (2e-6 + 0.65e-6 * _MODES[setup])


def tasks(params: Parameters, seed) -> list[Task]:
    """One task per set-up."""
    return [Task(s, partial(_run, params, s), cost=_cost(params, s)) for s in _setups(params)]


def cost_s(params: Parameters) -> float:
    """Estimated wall time [s] (default ~15 s)."""
    return 4.0 + sum(_cost(params, s) for s in _setups(params))


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    names = _setups(params)
    n_t = params.n_save
    rates = np.full((len(names), 3), np.nan)
    weights = np.full(len(names), np.nan)
    series = {k: np.full((len(names), n_t), np.nan) for k in ("kappa", "coh", "coh0", "nux", "nue")}
    verdicts = []
    for i, name in enumerate(names):
        r = results[name]
        rates[i] = [r.growth_rate_flavor_MeV / r.mu_MeV, r.growth_rate_pairing_MeV / r.mu_MeV,
                    r.growth_rate_flavor_no_pairing_MeV / r.mu_MeV]
        weights[i] = r.pairing_weight_of_fastest_mode
        wp, wo = r.with_pairing, r.without_pairing
        m = min(n_t, wp.t.size)
        series["kappa"][i, :m] = wp.mean_abs_kappa[:m]
        series["coh"][i, :m] = wp.mean_flavor_coherence[:m]
        series["nux"][i, :m] = wp.mean_occupation[:m, 1]
        series["nue"][i, :m] = wp.mean_occupation[:m, 0]
        m0 = min(n_t, wo.t.size)
        series["coh0"][i, :m0] = wo.mean_flavor_coherence[:m0]
        verdicts.append(r.verdict)
    dims = ("setup", "t_mu")
    return xr.Dataset(
        {"growth_rate": variable(("setup", "branch"), rates, "mu'", "fastest growth rate of each branch / mu'"),
         "pairing_weight_of_fastest_mode": variable(("setup",), weights, "1", "pairing share of the fastest eigenvector"),
         "mean_abs_kappa": variable(dims, series["kappa"], "1", "<|kappa|>, pairing on"),
         "mean_flavor_coherence": variable(dims, series["coh"], "1", "<|rho_ex|>, pairing on"),
         "mean_flavor_coherence_no_pairing": variable(dims, series["coh0"], "1", "<|rho_ex|>, standard QKE"),
         "mean_occupation_x": variable(dims, series["nux"], "1", "<rho_xx>, pairing on"),
         "mean_occupation_e": variable(dims, series["nue"], "1", "<rho_ee>, pairing on"),
         "verdict": variable(("setup",), np.array(verdicts), "1", "which instability wins, in words")},
        coords={"setup": variable(("setup",), np.array(names), "1", "set-up"),
                "branch": variable(("branch",), np.array(["flavor", "pairing", "flavor, no pairing"]), "1",
                                   "eigenvector family"),
                "t_mu": variable(("t_mu",), np.linspace(0.0, params.t_end_mu, n_t), "1/mu'", "time mu' t")},
        attrs={"coupling_per_MeV2": params.coupling_per_MeV2},
    )


def plot(ds: xr.Dataset):
    """Per set-up: the three branch rates (top), and kappa, flavor coherence, nu_x occupation (bottom)."""
    names = list(ds["setup"].values)
    fig, axes = new_figure(2, len(names), width_in=4.6 * len(names), height_in=7.6,
                           title=f"Flavor vs pairing instabilities, two flavors (g' = {ds.attrs['coupling_per_MeV2']:g} MeV^-2)")
    t = ds["t_mu"].values
    colors = ("C0", "C3", "C7")
    for j, name in enumerate(names):
        d = ds.sel(setup=name)
        ax = axes[0, j]
        vals = d["growth_rate"].values
        ax.bar(np.arange(3), vals, color=colors)
        ax.set_xticks(np.arange(3), ["flavor", "pairing", "flavor\n(no pairing)"], fontsize=8)
        for k, v in enumerate(vals):
            ax.text(k, v, f"{v:.3g}", ha="center", va="bottom", fontsize=8)
        ax.set_ylabel(axis_label("max Re lambda / mu'", None))
        ax.set_title(f"{name}: pairing weight of fastest mode {float(d['pairing_weight_of_fastest_mode']):.3g}",
                     fontsize=9)
        ax = axes[1, j]
        floor = 1e-12
        ax.semilogy(t, np.maximum(d["mean_abs_kappa"], floor), color="C3", lw=2, label="<|kappa|> (pairing on)")
        ax.semilogy(t, np.maximum(d["mean_flavor_coherence"], floor), color="C0", lw=2, label="<|rho_ex|> (pairing on)")
        ax.semilogy(t, np.maximum(d["mean_flavor_coherence_no_pairing"], floor), color="C0", ls="--", lw=1.5,
                    label="<|rho_ex|> (no pairing)")
        ax.semilogy(t, np.maximum(d["mean_occupation_x"], floor), color="C2", ls=":", lw=2, label="<rho_xx> (pairing on)")
        ax.set_ylim(1e-8, 2.0)
        ax.set_xlabel(axis_label("mu' t", None))
        ax.set_ylabel(axis_label("amplitude", None))
        ax.legend(fontsize=7, loc="lower right")
    return fig


SUMMARY_KEYS = {
    "growth_rate_flavor_MeV": "per set-up: fastest growth rate of the flavor-coherence branch, pairing on [MeV]",
    "growth_rate_pairing_MeV": "per set-up: fastest growth rate of the pairing branch [MeV]",
    "growth_rate_flavor_no_pairing_MeV": "per set-up: fastest flavor growth rate of the standard QKE [MeV]",
    "pairing_weight_of_fastest_mode": "per set-up: pairing share of the fastest eigenvector (0 flavor, 1 pairing)",
    "mu_MeV": "HW's scale mu' = g' e_max^3 [MeV]",
    "max_mean_abs_kappa": "per set-up: largest <|kappa|> of the nonlinear run",
    "max_mean_occupation_x": "per set-up: largest <rho_xx> (nu_x made from nu_e nubar_e pairs)",
    "verdict": "one line in words: which instability wins in each set-up",
}


def summary(ds: xr.Dataset) -> dict:
    names = [str(s) for s in ds["setup"].values]
    mu = ds.attrs["coupling_per_MeV2"] * 20.0**3

    def per(values, scale=1.0):
        return {n: finite_or_none(float(v) * scale) for n, v in zip(names, values)}

    rates = ds["growth_rate"].values
    return {
        "growth_rate_flavor_MeV": per(rates[:, 0], mu),
        "growth_rate_pairing_MeV": per(rates[:, 1], mu),
        "growth_rate_flavor_no_pairing_MeV": per(rates[:, 2], mu),
        "pairing_weight_of_fastest_mode": per(ds["pairing_weight_of_fastest_mode"].values),
        "mu_MeV": mu,
        "max_mean_abs_kappa": per(np.nanmax(ds["mean_abs_kappa"].values, axis=1)),
        "max_mean_occupation_x": per(np.nanmax(ds["mean_occupation_x"].values, axis=1)),
        "verdict": "; ".join(str(v) for v in ds["verdict"].values),
    }


SCENARIO = Scenario(
    name="pairing-flavor-interplay",
    description="Pairing and flavor instabilities together in two flavors: which grows faster (HW set-ups, two-beam)",
    reference=REFERENCE,
    parameters=Parameters,
    tasks=tasks,
    assemble=assemble,
    plot=plot,
    summary=summary,
    summary_keys=SUMMARY_KEYS,
    cost_s=cost_s,
)
