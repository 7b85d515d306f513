"""The pairing instability at physical couplings: the secular equations from mu/E = 1e-2 down
to 1e-12, checked against the full equations where those are affordable.

HW Fig. 2 set-up on the (N_E, N_theta, N_phi) = (1, 1, 4) grid (Huang & Wu, arXiv:2604.25687;
spec ``shared/spec/pairing.md`` sections 5-6): E in [0, e_max], rho = rhobar = 0.9 in the first
phi quadrant and 0.1 elsewhere, kappa seeds uniform in [0, seed_amplitude]. The coupling is set by
mu/E = mu'/e_max (mu' = g' e_max^3). For each mu/E: the growth rate of the linearized secular
equations (``docs/secular.md`` S8) and of the full ones (spec 6), and the nonlinear evolutions
over ``t_end_mu``/mu (secular everywhere, at a cost independent of mu/E; full where
mu/E >= ``full_min_mu_over_energy``). The secular evolution starts from kappa - kappa_fp (S10).
"""

from __future__ import annotations

from functools import partial

import numpy as np
import xarray as xr
from pydantic import model_validator

from nupair import pairing
from nupair.numerics import JitDOP853
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import (Scenario, ScenarioParameters, Task, TaskContext, finite_or_none, fit_agreement,
                                   param, variable)

__all__ = [
    "Parameters",
    "tasks",
    "cost_s",
    "assemble",
    "plot",
    "summary",
    "SCENARIO",
    "SUMMARY_KEYS",
    "REFERENCE",
]

REFERENCE = ("nupair study of the secular limit (docs: The secular pairing equations) on Huang & Wu, arXiv:2604.25687, Fig. 2 "
             "(1,1,4) set-up")


class Parameters(ScenarioParameters):
    """Physical-coupling scan parameters."""

    log10_mu_over_energy_max: float = param(-2.0, unit="1", ge=-3.0, le=-1.0, description="largest log10(mu/E)")
    log10_mu_over_energy_min: float = param(-12.0, unit="1", ge=-16.0, le=-2.0, description="smallest log10(mu/E)")
    n_points: int = param(11, unit="1", ge=2, le=61, description="values of mu/E (log grid)")
    full_min_mu_over_energy: float = param(1e-4, unit="1", ge=1e-6, le=1e-1,
                                           description="the full equations run only for mu/E at or above this")
    e_max_MeV: float = param(20.0, unit="MeV", ge=0.1, le=1e4, description="upper edge of the energy grid")
    n_phi: int = param(4, unit="1", ge=2, le=256, description="phi bins N_phi (N_E = N_theta = 1)")
    seed_amplitude: float = param(1e-5, unit="1", ge=1e-12, le=1e-2, description="kappa seeds: Re, Im uniform in [0, amplitude]")
    t_end_mu: float = param(15.0, unit="1/mu", gt=0.0, le=1e3, description="end of the evolutions, in units of 1/mu'")
    n_save: int = param(601, unit="1", ge=51, le=100_000, description="saved time samples per evolution")
    rtol: float = param(1e-10, unit="1", ge=1e-13, le=1e-4, description="DOP853 relative tolerance")

    @model_validator(mode="after")
    def _rules(self):
        if self.log10_mu_over_energy_min >= self.log10_mu_over_energy_max:
            raise ValueError(f"log10_mu_over_energy_min = {self.log10_mu_over_energy_min:g} must be below "
                             f"log10_mu_over_energy_max = {self.log10_mu_over_energy_max:g}")
        return self


def _ratios(params: Parameters) -> np.ndarray:
    return np.logspace(params.log10_mu_over_energy_max, params.log10_mu_over_energy_min, params.n_points)


def _setup(params: Parameters, mu_over_e: float, seed):
    grid = pairing.Grid(1, 1, params.n_phi, e_max_MeV=params.e_max_MeV)
    pp = pairing.PairingParams(mu_over_e * params.e_max_MeV / params.e_max_MeV**3)
    state = pairing.hw_initial_state(grid, seed=seed, seed_amplitude=params.seed_amplitude)
    return grid, pp, state


def _run(params: Parameters, mu_over_e: float, model: str, ctx: TaskContext) -> pairing.GrowthStudy:
    """Growth rate (linear stability) and the nonlinear evolution of one model at one mu/E."""
    grid, pp, state = _setup(params, mu_over_e, ctx.seed)
    return pairing.growth_study(state, grid, pp, params.t_end_mu / pp.mu_MeV(grid), model=model, n_save=params.n_save,
                                solver=JitDOP853(params.rtol, params.rtol * 1e-3))


def tasks(params: Parameters, seed) -> list[Task]:
    """Per mu/E: the secular model, and the full one where affordable."""
    out = []
    for i, r in enumerate(_ratios(params)):
        out.append(Task(f"secular/{i}", partial(_run, params, float(r), "secular"), cost=0.2))
        if r >= params.full_min_mu_over_energy * (1 - 1e-9):
            out.append(Task(f"full/{i}", partial(_run, params, float(r), "full"), cost=_full_cost(params, r)))
    return out


def _full_cost(params: Parameters, mu_over_e: float) -> float:
    """Full model: ~29 right-hand sides per radian of 2 e_max at rtol 1e-12, each ~0.15 us plus
    ~13 ns per pair mode (calibrated at n_phi = 4 and 222 in benchmarks/estimates.py)."""
    n_rhs = 1.5 * 29.0 * (1e-12 / params.rtol) ** 0.125 * params.t_end_mu / mu_over_e * 2.0
    return 0.05 + n_rhs * (1.5e-7 + 1.3e-8 * params.n_phi)


def cost_s(params: Parameters) -> float:
    """Estimated wall time [s] (default ~10 s)."""
    ratios = _ratios(params)
    return 5.0 + 0.2 * ratios.size + sum(_full_cost(params, r) for r in ratios if r >= params.full_min_mu_over_energy)


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    """Rates, fitted rates and saturation per mu/E; the evolutions on a common mu t grid."""
    ratios = _ratios(params)
    models = ("secular", "full")
    n_t = params.n_save
    rate = np.full((2, ratios.size), np.nan)
    fitted = np.full_like(rate, np.nan)
    fitted_err, fit_t0, fit_t1 = np.full_like(rate, np.nan), np.full_like(rate, np.nan), np.full_like(rate, np.nan)
    sat = np.full_like(rate, np.nan)
    n_rhs = np.full_like(rate, np.nan)
    kappa = np.full((2, ratios.size, n_t), np.nan)
    t_mu = np.linspace(0.0, params.t_end_mu, n_t)
    for i, r in enumerate(ratios):
        for m, model in enumerate(models):
            res = results.get(f"{model}/{i}")
            if res is None:
                continue
            rate[m, i], fitted[m, i] = res.growth_rate_MeV / res.mu_MeV, res.fit.rate / res.mu_MeV
            fitted_err[m, i] = res.fit.uncertainty / res.mu_MeV
            fit_t0[m, i], fit_t1[m, i] = res.fit.t_start * res.mu_MeV, res.fit.t_end * res.mu_MeV
            sat[m, i] = float(np.max(res.evolution.mean_abs_kappa))
            n_rhs[m, i] = int(res.evolution.stats.get("n_rhs", 0))
            kappa[m, i] = res.evolution.mean_abs_kappa
    return xr.Dataset(
        {"growth_rate": variable(("model", "mu_over_energy"), rate, "mu'", "max Re lambda of the linearized model / mu'"),
         "fitted_growth_rate": variable(("model", "mu_over_energy"), fitted, "mu'",
                                        "growth of <|kappa - kappa_fp|> fitted on the nonlinear evolution / mu'"),
         "fitted_growth_rate_uncertainty": variable(("model", "mu_over_energy"), fitted_err, "mu'",
                                                    "1-sigma uncertainty of the fitted rate / mu'"),
         "fit_window_start": variable(("model", "mu_over_energy"), fit_t0, "1/mu'", "start of the fit window mu' t"),
         "fit_window_end": variable(("model", "mu_over_energy"), fit_t1, "1/mu'", "end of the fit window mu' t"),
         "saturated_mean_abs_kappa": variable(("model", "mu_over_energy"), sat, "1", "max over time of <|kappa|>"),
         "n_rhs": variable(("model", "mu_over_energy"), n_rhs, "1", "right-hand-side evaluations of the evolution"),
         "mean_abs_kappa": variable(("model", "mu_over_energy", "t_mu"), kappa, "1", "<|kappa|>(t)")},
        coords={"model": variable(("model",), np.array(models), "1", "equations"),
                "mu_over_energy": variable(("mu_over_energy",), ratios, "1", "mu'/e_max"),
                "t_mu": variable(("t_mu",), t_mu, "1/mu'", "time mu' t")},
        attrs={"n_phi": params.n_phi},
    )


def plot(ds: xr.Dataset):
    """Growth rate and saturation vs mu/E (both models), and <|kappa|>(mu t) for a few mu/E."""
    fig, axes = new_figure(1, 3, width_in=14.0, height_in=4.2,
                           title=f"Pairing instability at physical couplings, (1, 1, {ds.attrs['n_phi']}) grid")
    x = ds["mu_over_energy"].values
    styles = {"secular": dict(color="C0", marker="o", ms=4, lw=1.5), "full": dict(color="C3", marker="x", ms=7, lw=0, mew=1.5)}
    for model in ("secular", "full"):
        d = ds.sel(model=model)
        axes[0, 0].semilogx(x, d["growth_rate"], label=f"{model} (linear)", **styles[model])
        axes[0, 1].semilogx(x, d["saturated_mean_abs_kappa"], label=model, **styles[model])
    axes[0, 0].set_xlabel(axis_label("mu/E", None))
    axes[0, 0].set_ylabel(axis_label("max Re lambda / mu'", None))
    axes[0, 1].set_xlabel(axis_label("mu/E", None))
    axes[0, 1].set_ylabel(axis_label("max <|kappa|>", None))
    ax = axes[0, 2]
    t = ds["t_mu"].values
    for k, i in enumerate(sorted({0, len(x) // 2, len(x) - 1})):
        ax.semilogy(t, ds["mean_abs_kappa"].sel(model="secular").isel(mu_over_energy=i), color=f"C{k}",
                    label=f"secular, mu/E = {x[i]:.0e}")
        full = ds["mean_abs_kappa"].sel(model="full").isel(mu_over_energy=i).values
        if np.all(np.isfinite(full)):
            ax.semilogy(t, full, color=f"C{k}", ls=":", lw=2, label=f"full, mu/E = {x[i]:.0e}")
    ax.set_xlabel(axis_label("mu' t", None))
    ax.set_ylabel(axis_label("<|kappa|>", None))
    for a in axes.flat:
        a.legend(fontsize=7)
    return fig


SUMMARY_KEYS = {
    "mu_over_energy": "list of mu/E = mu'/e_max",
    "growth_rate_secular_over_mu": "max Re lambda of the linearized secular equations / mu' (per mu/E)",
    "growth_rate_full_over_mu": "the same for the full equations (null where not run)",
    "max_abs_difference_over_mu": "largest |secular - full| growth rate / mu' where both ran",
    "fitted_growth_rate_secular_over_mu, fitted_growth_rate_full_over_mu": "rates fitted on the evolutions / mu'",
    "fit_deviation_sigma_secular, fit_deviation_sigma_full": "(fitted - linearized rate) / fit uncertainty per mu/E "
                                                            "(null: not run or no fit)",
    "saturated_mean_abs_kappa_secular, saturated_mean_abs_kappa_full": "max <|kappa|> of each evolution",
    "n_rhs_secular, n_rhs_full": "right-hand-side evaluations of each evolution",
}


def summary(ds: xr.Dataset) -> dict:
    """Per-mu/E tables (lists along mu_over_energy) and the largest secular-full difference."""
    sec, full = ds.sel(model="secular"), ds.sel(model="full")

    def listed(values):
        return [finite_or_none(v) for v in values]

    both = np.isfinite(full["growth_rate"].values)
    diff = np.abs(sec["growth_rate"].values - full["growth_rate"].values)[both]
    return {
        "mu_over_energy": [float(v) for v in ds["mu_over_energy"].values],
        "growth_rate_secular_over_mu": listed(sec["growth_rate"].values),
        "growth_rate_full_over_mu": listed(full["growth_rate"].values),
        "max_abs_difference_over_mu": float(diff.max()) if diff.size else None,
        "fitted_growth_rate_secular_over_mu": listed(sec["fitted_growth_rate"].values),
        "fitted_growth_rate_full_over_mu": listed(full["fitted_growth_rate"].values),
        "fit_deviation_sigma_secular": _deviations(sec, "secular"),
        "fit_deviation_sigma_full": _deviations(full, "full"),
        "saturated_mean_abs_kappa_secular": listed(sec["saturated_mean_abs_kappa"].values),
        "saturated_mean_abs_kappa_full": listed(full["saturated_mean_abs_kappa"].values),
        "n_rhs_secular": listed(sec["n_rhs"].values),
        "n_rhs_full": listed(full["n_rhs"].values),
    }


def _deviations(d: xr.Dataset, model: str) -> list:
    """(fitted - linear) / uncertainty per mu/E (None: not run or no fit); a FitWarning per reason
    to distrust a fit."""
    out = []
    for i, ratio in enumerate(d["mu_over_energy"].values):
        rate = float(d["growth_rate"].values[i])
        if not np.isfinite(rate):
            out.append(None)
            continue
        out.append(fit_agreement(f"{model}, mu/E = {ratio:g}", float(d["fitted_growth_rate"].values[i]),
                                 float(d["fitted_growth_rate_uncertainty"].values[i]),
                                 (float(d["fit_window_start"].values[i]), float(d["fit_window_end"].values[i])),
                                 rate if rate > 1e-6 else 0.0,  # [mu']: below, solver noise of a stable grid
                                 what=f"the linearized {model} equations"))
    return out


SCENARIO = Scenario(
    name="pairing-physical-coupling",
    description="Pairing growth and saturation vs mu/E from 1e-2 to 1e-12: secular equations, checked against the full ones",
    reference=REFERENCE,
    parameters=Parameters,
    tasks=tasks,
    assemble=assemble,
    plot=plot,
    summary=summary,
    summary_keys=SUMMARY_KEYS,
    cost_s=cost_s,
)
