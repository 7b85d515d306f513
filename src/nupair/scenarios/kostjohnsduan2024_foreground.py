"""A. L. Kost, L. Johns, H. Duan, "Once-in-a-lifetime encounter models for neutrino media: From
coherent oscillations to flavor equilibration", arXiv:2402.05022 (2024), and the OILE poster
(LA-UR-25-22229): model 1, a foreground neutrino in a uniform background, from coherent
mean-field precession (gamma -> 0) to decoherence (gamma ~ 1).

Spec ``shared/spec/oile.md`` section 5. For each impact parameter gamma on a log grid, an ensemble
of foreground neutrinos meets background neutrinos of polarization P_bg with isotropic relative
velocities (angle factor 1 - v.v' of spec 3.1, so gamma_eff = gamma (1 - u), u uniform in
[-1, 1]). The precession angle and the two relaxation rates per encounter fitted to the Monte
Carlo mean (errors from independent batches) are compared with the exact recurrence, whose
coefficients are the angle averages <cos^2>, <sin^2>, <cos sin> (section 5.2). Per unit time
(back-to-back encounters, t = n gamma / mu) the rates approach the continuum limit of 5.3:
precession Omega -> mu |P_bg| <1 - u> = mu |P_bg| and relaxation ~ mu gamma.
"""

from __future__ import annotations

from functools import partial
from typing import Annotated

import numpy as np
import xarray as xr
from pydantic import Field, model_validator

from nupair import oile
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import (
    Scenario,
    ScenarioParameters,
    Task,
    TaskContext,
    bloch_norm_rule,
    finite_or_none,
    param,
    variable,
)

__all__ = ["Parameters", "tasks", "cost_s", "memory_bytes", "MEMORY_PARAMETERS", "assemble", "plot", "summary", "SCENARIO", "SUMMARY_KEYS"]

Component = Annotated[float, Field(ge=-1.0, le=1.0)]
Vector3 = tuple[Component, Component, Component]


class Parameters(ScenarioParameters):
    """Model 1 parameters."""

    p0: Vector3 = param((0.0, 0.0, 1.0), unit="1", allowed="components in [-1, 1], |P| <= 1",
                        description="initial foreground Bloch vector (pure nu_e)")
    p_bg: Vector3 = param((0.5, 0.0, 0.0), unit="1", allowed="components in [-1, 1], 0 < |P| <= 1",
                          description="background Bloch vector P_bg")
    gamma_min: float = param(1e-4, unit="1", gt=0.0, le=1.5708, description="smallest impact parameter")
    gamma_max: float = param(1.5707963267948966, unit="1", gt=0.0, le=1.5708,
                             description="largest impact parameter (pi/2: full swap)")
    n_gamma: int = param(13, unit="1", ge=2, le=200, description="gamma values (log grid)")
    n_ensemble: int = param(2000, unit="1", ge=20, le=10_000_000, description="foreground neutrinos")
    max_encounters: int = param(20000, unit="1", ge=10, le=10_000_000,
                                description="cap on encounters per gamma (small gamma: 2 precession turns "
                                            "or 5 relaxation times otherwise)")
    mu: float = param(1.0, unit="1/time", ge=1e-6, le=1e6, description="interaction strength (time unit 1/mu)")

    @model_validator(mode="after")
    def _rules(self):
        bloch_norm_rule("p0", self.p0)
        bloch_norm_rule("p_bg", self.p_bg, allow_zero=False)
        if self.gamma_min > self.gamma_max:
            raise ValueError(f"gamma_min = {self.gamma_min:g} must be <= gamma_max = {self.gamma_max:g}")
        return self


def _n_encounters(gamma: float, b: float, rates: oile.ForegroundRates, cap: int) -> int:
    turns = 4 * np.pi / max(rates.precession_per_encounter, 1e-300)
    decay = 5.0 / max(rates.relaxation_perp_per_encounter, 1e-300)
    return int(np.clip(min(turns, decay), 12, cap))


def _gamma_point(params: Parameters, gamma: float, seed_int: int, ctx: TaskContext) -> dict:
    """Monte Carlo ensemble, fitted rates, exact recurrence and trajectories at one gamma."""
    p0, bg = np.array(params.p0), np.array(params.p_bg)
    b = float(np.linalg.norm(bg))
    coef = oile.isotropic_coefficients(gamma)
    rates = oile.foreground_rates(b, coef)
    n = _n_encounters(gamma, b, rates, params.max_encounters)
    every = max(1, n // 400)
    ens = oile.foreground_monte_carlo(p0, bg, gamma, n, n_ensemble=params.n_ensemble, seed=seed_int,
                                      save_every=every)
    fit = oile.fit_precession_relaxation(ens, bg)
    out = {"n": n}
    for key, attr in (("precession", "precession_per_encounter"),
                      ("relaxation_perp", "relaxation_perp_per_encounter"),
                      ("relaxation_par", "relaxation_par_per_encounter")):
        out[key] = fit[key]
        out[f"{key}_stderr"] = fit[f"{key}_stderr"]
        out[f"{key}_analytic"] = getattr(rates, attr)
    # trajectories resampled on a common grid in units of the encounter count fraction
    idx = np.linspace(0, len(ens.n) - 1, N_TRAJ).round().astype(int)
    out["traj_mc"] = np.concatenate([ens.mean[idx], ens.stderr[idx]], axis=1)
    exact = oile.foreground_closed_form(p0, bg, coef, ens.n[idx])
    out["traj_exact"] = np.concatenate([exact, ens.n[idx, None] * gamma / params.mu], axis=1)
    return out


N_TRAJ = 200


def _gammas(params: Parameters) -> np.ndarray:
    return np.geomspace(params.gamma_min, params.gamma_max, params.n_gamma)


def tasks(params: Parameters, seed) -> list[Task]:
    """One task per impact parameter (independent seeds spawned from ``seed``)."""
    gammas = _gammas(params)
    seeds = np.random.SeedSequence(seed).spawn(len(gammas))
    return [Task(f"{i}: gamma={g:.6g}", partial(_gamma_point, params, float(g), int(seeds[i].generate_state(1)[0])))
            for i, g in enumerate(gammas)]


def cost_s(params: Parameters) -> float:
    """Estimated wall time [s]: ~1.8 s of start-up and ~1.2e-8 s per neutrino-encounter, with each
    gamma's own encounter count (as the run chooses it; default ~4 s; calibrated in
    benchmarks/estimates.py)."""
    b = float(np.linalg.norm(params.p_bg))
    encounters = sum(_n_encounters(g, b, oile.foreground_rates(b, oile.isotropic_coefficients(g)), params.max_encounters)
                     for g in _gammas(params))
    return 1.8 + 1.2e-8 * params.n_ensemble * encounters


MEMORY_PARAMETERS = ("n_ensemble",)


def memory_bytes(params: Parameters) -> float:
    """Estimated peak memory [bytes]: the interpreter (~330 MiB) and ~1.6 kB per ensemble member
    (the ensemble's Bloch vectors and the per-encounter draws of a batch; measured 3.3 GiB at
    n_ensemble = 2e6, benchmarks/estimates.py)."""
    return 330 * 2**20 + 1600.0 * params.n_ensemble


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    """Fitted and exact rates per gamma, and the sampled trajectories."""
    gammas = _gammas(params)
    b = float(np.linalg.norm(params.p_bg))
    pts = [results[t.name] for t in tasks(params, 0)]
    rows = {k: [p[k] for p in pts] for k in ("precession", "relaxation_perp", "relaxation_par")}
    errs = {k: [p[f"{k}_stderr"] for p in pts] for k in rows}
    ana = {k: [p[f"{k}_analytic"] for p in pts] for k in rows}
    n_enc = [p["n"] for p in pts]
    traj_mc = [p["traj_mc"] for p in pts]
    traj_exact = [p["traj_exact"] for p in pts]
    n_traj = N_TRAJ
    enc_rate = params.mu / gammas  # back-to-back encounters per unit time
    data = {}
    for key, label in (("precession", "precession angle"), ("relaxation_perp", "transverse relaxation"),
                       ("relaxation_par", "longitudinal relaxation")):
        data[f"{key}_fit"] = variable(("gamma",), rows[key], "1/encounter", f"{label} per encounter, Monte Carlo fit")
        data[f"{key}_stderr"] = variable(("gamma",), errs[key], "1/encounter", f"standard error of the {label} fit")
        data[f"{key}_analytic"] = variable(("gamma",), ana[key], "1/encounter", f"{label} per encounter, exact recurrence")
        data[f"{key}_per_time_analytic"] = variable(("gamma",), np.array(ana[key]) * enc_rate, "mu",
                                               f"{label} per unit time (back-to-back encounters)")
    data["n_encounters"] = variable(("gamma",), n_enc, "1", "encounters simulated")
    tm = np.stack(traj_mc)
    te = np.stack(traj_exact)
    data["mc_mean_p"] = variable(("gamma", "sample", "component"), tm[..., :3], "1", "Monte Carlo mean Bloch vector")
    data["mc_stderr_p"] = variable(("gamma", "sample", "component"), tm[..., 3:], "1", "standard error of the mean")
    data["exact_p"] = variable(("gamma", "sample", "component"), te[..., :3], "1", "exact mean recurrence (closed form)")
    data["time_mu"] = variable(("gamma", "sample"), te[..., 3], "1/mu", "time mu t = n gamma (back-to-back)")
    coords = {
        "gamma": variable(("gamma",), gammas, "1", "impact parameter gamma = mu t_int"),
        "sample": variable(("sample",), np.arange(n_traj), "1", "saved point"),
        "component": variable(("component",), np.array(["x", "y", "z"]), "1", "Bloch-vector component"),
    }
    ds = xr.Dataset(data, coords)
    ds.attrs.update({"p_bg_norm": b, "n_ensemble": params.n_ensemble})
    return ds


def plot(ds: xr.Dataset):
    """Rates vs gamma (MC with error bars over the exact curves) and trajectories for three gammas."""
    fig, axes = new_figure(1, 2, width_in=11.0, height_in=4.2,
                           title="OILE model 1: coherent precession -> decoherence (Kost, Johns & Duan)")
    g = ds["gamma"].values
    ax = axes[0, 0]
    for key, color, label in (("precession", "C0", "precession angle"), ("relaxation_perp", "C1", "transverse relaxation"),
                              ("relaxation_par", "C2", "longitudinal relaxation")):
        ax.loglog(g, ds[f"{key}_analytic"], color=color, label=f"{label} (exact)")
        ax.errorbar(g, np.abs(ds[f"{key}_fit"]), yerr=ds[f"{key}_stderr"], fmt="o", ms=3, color=color)
    ax.set_xlabel(axis_label("gamma", None))
    ax.set_ylabel(axis_label("per encounter", "rad or 1"))
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    picks = sorted({0, len(g) // 2, len(g) - 2})
    for j, i in enumerate(picks):
        t = ds["time_mu"].isel(gamma=i).values
        z = ds["mc_mean_p"].isel(gamma=i).sel(component="z").values
        dz = ds["mc_stderr_p"].isel(gamma=i).sel(component="z").values
        ax.fill_between(t, z - dz, z + dz, color=f"C{j}", alpha=0.3)
        ax.plot(t, z, color=f"C{j}", lw=1, label=f"MC, gamma = {g[i]:.2g}")
        ax.plot(t, ds["exact_p"].isel(gamma=i).sel(component="z"), "k--", lw=0.7)
    ax.set_xscale("log")
    ax.set_xlabel(axis_label("mu t", None))
    ax.set_ylabel(axis_label("P_z of the foreground", None))
    ax.legend(fontsize=7, title="dashed: exact recurrence", title_fontsize=7)
    return fig


SUMMARY_KEYS = {
    "per_gamma": "list over gamma: fitted and exact precession angle / relaxation rates per encounter, "
                 "standard errors, z-scores, and the same per unit time",
    "max_abs_z_score": "largest |fit - exact| / stderr over all gammas and quantities",
    "all_within_3_sigma": "every fit within 3 standard errors of the exact value",
    "continuum_limit": "small-gamma per-time rates: precession -> mu |P_bg|, relaxation_par -> (4/3) mu gamma",
}


def summary(ds: xr.Dataset) -> dict:
    """Per-gamma comparison of Monte Carlo fits with the exact recurrence."""
    per = []
    zmax = 0.0
    for i, g in enumerate(ds["gamma"].values):
        row = {"gamma": float(g), "n_encounters": int(ds["n_encounters"][i])}
        for key in ("precession", "relaxation_perp", "relaxation_par"):
            fit, err = float(ds[f"{key}_fit"][i]), float(ds[f"{key}_stderr"][i])
            exact = float(ds[f"{key}_analytic"][i])
            # no scatter (err = 0) and a different value: no z-score (null), never inf
            z = (fit - exact) / err if err > 0 else (0.0 if fit == exact else None)
            if z is not None and np.isfinite(z):
                zmax = max(zmax, abs(z))
            elif z is not None:
                z = None
            row[f"{key}_fit"] = finite_or_none(fit)
            row[f"{key}_stderr"] = finite_or_none(err)
            row[f"{key}_analytic"] = exact
            row[f"{key}_z"] = z
            row[f"{key}_per_time_analytic_mu"] = float(ds[f"{key}_per_time_analytic"][i])
        per.append(row)
    b = float(ds.attrs["p_bg_norm"])
    g0 = float(ds["gamma"][0])
    return {
        "per_gamma": per,
        "max_abs_z_score": zmax,
        "all_within_3_sigma": bool(zmax <= 3.0),
        "continuum_limit": {
            "gamma": g0,
            "precession_per_time_mu": float(ds["precession_per_time_analytic"][0]),
            "mean_field_precession_mu": b,
            "relaxation_par_per_time_mu": float(ds["relaxation_par_per_time_analytic"][0]),
            "small_gamma_relaxation_par_mu": 4.0 / 3.0 * g0,
        },
    }


SCENARIO = Scenario(
    name="oile-foreground",
    description="OILE model 1: foreground neutrino in a uniform background, gamma from 1e-4 to pi/2",
    reference="Kost, Johns & Duan, arXiv:2402.05022; OILE poster LA-UR-25-22229",
    parameters=Parameters,
    tasks=tasks,
    assemble=assemble,
    cost_s=cost_s,
    memory_bytes=memory_bytes,
    memory_parameters=MEMORY_PARAMETERS,
    plot=plot,
    summary=summary,
    summary_keys=SUMMARY_KEYS,
)
