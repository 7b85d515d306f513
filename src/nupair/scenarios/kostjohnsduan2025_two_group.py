"""A. L. Kost, L. Johns, H. Duan, "Once-in-a-lifetime encounter models for neutrino media II:
Quasi-steady states and miscidynamic flavor evolution", arXiv:2508.14331 (2025), and the OILE
poster (LA-UR-25-22229): model 2, a two-group neutrino gas with random pairwise encounters.

Spec ``shared/spec/oile.md`` section 6. N neutrinos in groups A and B with vacuum frequencies
omega_A, omega_B about B = (sin 2 theta_v, 0, -cos 2 theta_v); every step (dt = gamma/mu) each
neutrino meets one random partner (random perfect matching) and precesses (Strang splitting).
Compared on one plot: the Monte Carlo group means with their standard errors, the mean-field
two-group equation (gamma -> 0, solve_ivp), the large-N mean map and the miscidynamic
path along equilibria (spec 6.4; the poster spells it "miscodynamics").
"""

from __future__ import annotations

import math

import json

from functools import partial
from typing import Annotated, Literal

import numpy as np
import xarray as xr
from pydantic import Field, model_validator

from nupair import oile
from nupair.plotting import axis_label, new_figure
from nupair.results import SolverError, Status
from nupair.scenarios._base import Scenario, ScenarioParameters, Task, TaskContext, bloch_norm_rule, param, variable
from nupair import validation as _v

__all__ = ["Parameters", "tasks", "cost_s", "memory_bytes", "MEMORY_PARAMETERS", "assemble", "summary", "plot", "SCENARIO", "SUMMARY_KEYS"]

Component = Annotated[float, Field(ge=-1.0, le=1.0)]
Vector3 = tuple[Component, Component, Component]


class Parameters(ScenarioParameters):
    """Model 2 parameters (poster: gamma = 1e-2, groups starting as pure e and pure x)."""

    n_neutrinos: int = param(20000, unit="1", ge=2, le=10_000_000, description="N (even)")
    gamma: float = param(1e-2, unit="1", gt=0.0, le=1.5708, description="impact parameter mu t_int")
    fraction_a: float = param(0.5, unit="1", gt=0.0, lt=1.0, description="share of group A")
    p_a: Vector3 = param((0.0, 0.0, 1.0), unit="1", allowed="|P| <= 1", description="initial P of group A")
    p_b: Vector3 = param((0.0, 0.0, -1.0), unit="1", allowed="|P| <= 1", description="initial P of group B")
    omega_a: float = param(0.5, unit="mu", ge=-100.0, le=100.0, description="vacuum frequency of group A")
    omega_b: float = param(-0.5, unit="mu", ge=-100.0, le=100.0, description="vacuum frequency of group B")
    theta_v: float = param(0.1, unit="rad", ge=0.0, le=1.5708, description="vacuum mixing angle of B")
    matter_mu: float = param(0.0, unit="mu", ge=-1e3, le=1e3,
                             description="matter potential lambda along z between encounters (0: off)")
    t_end_mu: float = param(300.0, unit="1/mu", gt=0.0, le=1e6, description="end time (gamma mu t ~ 3)")
    save_every_steps: int = param(50, unit="1", ge=1, le=1_000_000, description="record every this many steps")
    checkpoint_every_steps: int = param(5000, unit="1", ge=1, le=10_000_000, description="checkpoint interval in steps")
    directions: Literal["fixed", "isotropic"] = param(
        "fixed", unit="", allowed="'fixed' or 'isotropic'",
        description="relative directions of encounter partners: 'fixed' (gamma for every encounter) or "
                    "'isotropic' (gamma (1 - cos Theta), cos Theta uniform per encounter, as in Kost, Johns & "
                    "Duan's own simulations)")
    settle_time_mu: float = param(20.0, unit="1/mu", gt=0.0, le=1e4,
                                  description="mean-field averaging time that picks the initial equilibrium")

    @model_validator(mode="after")
    def _rules(self):
        if self.n_neutrinos % 2:
            raise ValueError(_v.refused(f"parameter 'n_neutrinos': value {self.n_neutrinos}", "a random "
                             "perfect matching needs an even number"))
        n_a = int(round(self.fraction_a * self.n_neutrinos))
        if min(n_a, self.n_neutrinos - n_a) < 2:
            raise ValueError(f"n_neutrinos = {self.n_neutrinos} with fraction_a = {self.fraction_a:g} leaves a group with "
                             f"{min(n_a, self.n_neutrinos - n_a)} neutrino(s): each group needs at least 2 (for its spread)")
        bloch_norm_rule("p_a", self.p_a)
        bloch_norm_rule("p_b", self.p_b)
        return self


def _gas(params: Parameters) -> oile.TwoGroupGas:
    return oile.TwoGroupGas(n=params.n_neutrinos, fraction_a=params.fraction_a, p_a=np.array(params.p_a),
                            p_b=np.array(params.p_b), omega_a=params.omega_a, omega_b=params.omega_b,
                            b_axis=oile.vacuum_axis(params.theta_v), gamma=params.gamma,
                            matter=params.matter_mu, directions=params.directions)


def _gas_task(params: Parameters, ctx: TaskContext) -> oile.TwoGroupGas:
    """The gas itself (its derived B axis and group sizes are recorded with the run)."""
    return _gas(params)


def _plan(params: Parameters) -> tuple[int, int]:
    """(number of steps, record interval in steps): at least the start and the end are recorded."""
    n_steps = max(1, int(round(params.t_end_mu * 1.0 / params.gamma)))
    return n_steps, min(params.save_every_steps, n_steps)


def _monte_carlo(params: Parameters, ctx: TaskContext) -> oile.GasTrajectory:
    """The Monte Carlo, checkpointed every ``checkpoint_every_steps`` with the RNG state."""
    n_steps, every = _plan(params)

    def on_chunk(state, fraction):
        ctx.save(state)
        ctx.progress(fraction, "Monte Carlo")

    return oile.run_two_group_chunked(_gas(params), n_steps, seed=ctx.seed, save_every=every,
                                      chunk_steps=params.checkpoint_every_steps, resume=ctx.resume,
                                      on_chunk=on_chunk, return_state=False)


def _record_times(params: Parameters) -> np.ndarray:
    n_steps, every = _plan(params)
    return np.arange(0, n_steps + 1, every) * params.gamma


def _mean_field(params: Parameters, ctx: TaskContext) -> np.ndarray:
    return oile.mean_field(_gas(params), _record_times(params))


def _mean_map(params: Parameters, ctx: TaskContext) -> np.ndarray:
    n_steps, every = _plan(params)
    return oile.mean_map(_gas(params), n_steps, save_every=every)[1]


def _miscidynamics(params: Parameters, ctx: TaskContext):
    """The miscidynamic path; an empty one (status NO_SOLUTION) when no mean-field equilibrium
    exists for the start."""
    gas = _gas(params)
    ref_t = np.linspace(0.0, params.settle_time_mu, 401)
    try:
        return oile.miscidynamic_path(gas, float(_record_times(params)[-1]), n_kicks=400,
                                      reference=(ref_t, oile.mean_field(gas, ref_t)))
    except SolverError as exc:
        if exc.status is Status.NO_SOLUTION:  # no equilibrium: an empty path (NaN), reported in the summary
            nan2 = np.full((1, 2), np.nan)
            return oile.MiscidynamicPath(t=np.array([0.0]), length=nan2, b_component=nan2, transverse=nan2,
                                         omega=np.array([np.nan]), branch=("none", (0, 0)), status=Status.NO_SOLUTION,
                                         message="no mean-field equilibrium for the initial lengths")
        raise


def tasks(params: Parameters, seed) -> list[Task]:
    """Monte Carlo (checkpointed), mean field, mean map, miscidynamic path."""
    c = _task_costs_s(params)
    return [Task("monte carlo", partial(_monte_carlo, params), cost=c["monte carlo"]),
            Task("mean field", partial(_mean_field, params), cost=c["mean field"]),
            Task("mean map", partial(_mean_map, params), cost=c["mean map"]),
            Task("miscidynamics", partial(_miscidynamics, params), cost=c["miscidynamics"]),
            Task("gas", partial(_gas_task, params), cost=0.01)]


#: the longest a miscidynamic path runs before its step budget (10 x 400 kicks + 1000 steps, ~15 ms
#: each) ends it [s]
_MISC_BUDGET_S = 75.0


def _task_costs_s(params: Parameters) -> dict[str, float]:
    """Wall time [s] of each task on one core, calibrated across the declared ranges
    (benchmarks/estimates.py; corners of N, t_end, gamma, the frequencies and the matter term):

    * Monte Carlo: ~2.5e-8 s per neutrino-step, ~1.5e-5 s per step (the kernel's launch), ~5e-8 s
      per neutrino and record;
    * mean map: ~5.5e-5 s per step (a Python loop over two 3-vectors: the algorithm);
    * mean field: the ODE takes ~1.8e-3 s per unit of mu t and of the fastest frequency
      f = mu + max(|omega_a|, |omega_b|) + |matter| (in units of mu);
    * miscidynamics: its settling reference (the same ODE over ``settle_time_mu``) and its path,
      whose continuation steps multiply with gamma mu t (~2.5e-6 (gamma mu t)^2 s: 0.2 s at
      gamma mu t = 420, 22 s at 3000; bounded by the path's step budget);
    * checkpoints of the Monte Carlo: ~2e-3 s and ~3e-8 s per neutrino each (the state pickled
      and fsync'ed when the run writes to a folder).
    """
    n_steps, every = _plan(params)
    f = 1.0 + max(abs(params.omega_a), abs(params.omega_b)) + abs(params.matter_mu)
    chunks = math.ceil(n_steps / params.checkpoint_every_steps)
    return {"monte carlo": n_steps * (params.n_neutrinos * 2.5e-8 + 1.5e-5) + n_steps / every * params.n_neutrinos * 5e-8
            + chunks * (2e-3 + 3e-8 * params.n_neutrinos),
            "mean field": 1.8e-3 * params.t_end_mu * f,
            "mean map": 5.5e-5 * n_steps,
            "miscidynamics": 0.3 + 1.8e-3 * params.settle_time_mu * f
            + min(2.5e-6 * (params.t_end_mu * params.gamma) ** 2, _MISC_BUDGET_S)}


def cost_s(params: Parameters) -> float:
    """Estimated wall time [s]: ~1.5 s of start-up and compiled-kernel loading plus the tasks'
    costs (:func:`_task_costs_s`; default ~20 s)."""
    return 1.5 + sum(_task_costs_s(params).values())


MEMORY_PARAMETERS = ("n_neutrinos",)


def memory_bytes(params: Parameters) -> float:
    """Estimated peak memory [bytes]: the interpreter (~330 MiB) and ~110 bytes per neutrino (the
    kernel's buffers and the final state; measured 731 MiB at N = 4e6, benchmarks/estimates.py)."""
    return 330 * 2**20 + 110.0 * params.n_neutrinos


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    """Monte Carlo group means with the three predictions on their time grids (packaging only)."""
    gas = results["gas"]
    n_steps, _ = _plan(params)
    mc: oile.GasTrajectory = results["monte carlo"]
    t = mc.t
    mf = results["mean field"]
    mm = results["mean map"]
    path = results["miscidynamics"]
    gdims = ("t", "group", "component")
    ds = xr.Dataset(
        {
            "mc_mean": variable(gdims, mc.mean, "1", "Monte Carlo group-mean Bloch vector"),
            "mc_stderr": variable(gdims, mc.stderr, "1", "standard error of the group mean"),
            "mc_spread": variable(gdims, mc.spread, "1", "within-group standard deviation"),
            "mc_mean_length": variable(("t", "group"), mc.mean_length, "1", "group mean of |P_i|"),
            "b_total_drift": variable(("t",), mc.b_total_drift, "1", "|B . sum P(t) - B . sum P(0)| / N (conserved)"),
            "mean_field": variable(gdims, mf, "1", "two-group mean-field equation (gamma -> 0)"),
            "mean_map": variable(gdims, mm[: len(t)], "1", "large-N mean map"),
            "misc_length": variable(("t_misc", "group"), path.length, "1", "miscidynamic |P_A|, |P_B|"),
            "misc_b_component": variable(("t_misc", "group"), path.b_component, "1", "miscidynamic B . P"),
            "misc_transverse": variable(("t_misc", "group"), path.transverse, "1", "miscidynamic transverse |P|"),
            "misc_omega": variable(("t_misc",), path.omega, "mu", "collective precession frequency Omega"),
        },
        coords={
            "t": variable(("t",), t, "1/mu", "time mu t"),
            "t_misc": variable(("t_misc",), path.t, "1/mu", "time of the miscidynamic path"),
            "group": variable(("group",), np.array(["A", "B"]), "1", "neutrino group"),
            "component": variable(("component",), np.array(["x", "y", "z"]), "1", "Bloch-vector component"),
        },
    )
    ds.attrs.update({"gamma": gas.gamma, "directions": gas.directions.name, "b_axis": gas.b_axis.tolist(), "misc_status": path.message,
                     "misc_branch": str(path.branch), "n_neutrinos": gas.n, "n_steps": n_steps,
                     "misc_events": json.dumps([{"t": float(e.t), "gamma_mu_t": float(e.t * gas.gamma * gas.mu),
                                                 "kind": e.kind, "lengths": [float(x) for x in e.lengths],
                                                 "detail": e.detail} for e in path.events])})
    return ds


def _misc_on_mc_grid(ds):
    tm = ds["t_misc"].values
    out = {}
    for name in ("misc_length", "misc_b_component"):
        out[name] = np.stack([np.interp(ds["t"].values, tm, ds[name].values[:, g], right=np.nan) for g in range(2)], axis=1)
    return out


def summary(ds: xr.Dataset) -> dict:
    """Deviations between the Monte Carlo and the predictions; final |P| per group."""
    b = np.asarray(ds.attrs["b_axis"])
    t = ds["t"].values
    gamma = float(ds.attrs["gamma"])
    mc = ds["mc_mean"].values
    misc = _misc_on_mc_grid(ds)
    late = (gamma * t >= 1.0) & np.isfinite(misc["misc_length"][:, 0])
    dev_misc = np.concatenate([np.abs(mc @ b - misc["misc_b_component"]),
                               np.abs(np.linalg.norm(mc, axis=2) - misc["misc_length"])], axis=1)
    early = gamma * t <= 0.1
    final = np.linalg.norm(mc[-1], axis=1)
    return {
        "max_deviation_mc_vs_miscodynamics": float(np.max(dev_misc[late])) if late.any() else None,
        "max_deviation_mc_vs_meanfield": float(np.max(np.abs(mc - ds["mean_field"].values))),
        "max_deviation_mc_vs_meanfield_early": float(np.max(np.abs(mc[early] - ds["mean_field"].values[early]))),
        "max_deviation_mc_vs_mean_map": float(np.max(np.abs(mc - ds["mean_map"].values))),
        "max_stderr": float(ds["mc_stderr"].max()),
        "final_abs_P_A": float(final[0]),
        "final_abs_P_B": float(final[1]),
        "final_abs_P_A_stderr": float(np.linalg.norm(ds["mc_stderr"].values[-1, 0])),
        "final_abs_P_B_stderr": float(np.linalg.norm(ds["mc_stderr"].values[-1, 1])),
        "max_b_total_drift": float(ds["b_total_drift"].max()),
        "miscodynamics_status": ds.attrs["misc_status"],
        "miscodynamics_branch": ds.attrs["misc_branch"],
        "miscodynamics_events": json.loads(ds.attrs.get("misc_events", "[]")),
    }


def plot(ds: xr.Dataset):
    """Group B-components and lengths vs gamma mu t: Monte Carlo (bands), mean field, miscidynamics."""
    fig, axes = new_figure(1, 2, width_in=11.0, height_in=4.2,
                           title=f"OILE model 2: two-group gas, gamma = {ds.attrs['gamma']:g} "
                                 f"({ds.attrs.get('directions', 'fixed')} directions), "
                                 f"N = {ds.attrs['n_neutrinos']} (Kost, Johns & Duan)")
    b = np.asarray(ds.attrs["b_axis"])
    g = float(ds.attrs["gamma"])
    x = g * ds["t"].values
    xm = g * ds["t_misc"].values
    mc = ds["mc_mean"].values
    err = ds["mc_stderr"].values
    for gi, name in enumerate(("A", "B")):
        color = f"C{gi}"
        comp = mc[:, gi] @ b
        e = np.abs(err[:, gi] @ np.abs(b))
        ax = axes[0, 0]
        ax.fill_between(x, comp - 3 * e, comp + 3 * e, color=color, alpha=0.3)
        ax.plot(x, comp, color=color, lw=1, label=f"MC group {name}")
        ax.plot(x, ds["mean_field"].values[:, gi] @ b, color=color, lw=0.6, ls=":", label=f"mean field {name}")
        ax.plot(xm, ds["misc_b_component"].values[:, gi], color="k", lw=0.9, ls="--",
                label="miscidynamics" if gi == 0 else None)
        ax = axes[0, 1]
        # the two groups' lengths coincide for symmetric starts: A wide and pale underneath, B on top
        wide = dict(lw=4.0, alpha=0.45) if gi == 0 else dict(lw=1.2)
        ax.plot(x, np.linalg.norm(mc[:, gi], axis=1), color=color, label=f"|<P>_{name}| (MC)", **wide)
        ax.plot(x, ds["mc_mean_length"].values[:, gi], color=color, lw=1.0, ls="-.", label=f"<|P_i|>_{name} (MC)")
        ax.plot(xm, ds["misc_length"].values[:, gi], color="k", lw=0.9, ls="--",
                label="miscidynamics" if gi == 0 else None)
    axes[0, 0].set_ylabel(axis_label("B . P, group mean", None))
    axes[0, 1].set_ylabel(axis_label("mean |P| and |mean P| per group", None))
    for ax in axes.flat:
        ax.set_xlabel(axis_label("gamma mu t", None))
        ax.legend(fontsize=6)
    return fig


SUMMARY_KEYS = {
    "max_deviation_mc_vs_miscodynamics": "max |MC - miscidynamics| of B . P and |P| per group for gamma mu t >= 1",
    "max_deviation_mc_vs_meanfield": "max |MC - mean field| of the group means over the whole run",
    "max_deviation_mc_vs_meanfield_early": "the same for gamma mu t <= 0.1 (mean-field regime)",
    "max_deviation_mc_vs_mean_map": "max |MC - large-N mean map| (statistical: compare with max_stderr)",
    "final_abs_P_A, final_abs_P_B": "|group mean P| at the end (with *_stderr)",
    "max_b_total_drift": "conservation of B . sum P (should be rounding only)",
    "miscodynamics_status, miscodynamics_branch": "how the continuation ended and the equilibrium branch it ended on",
    "miscodynamics_events": ("folds, branch switches and joins/leaves of the static state met by the "
                             "pseudo-arclength continuation: [{t, gamma_mu_t, kind, lengths, detail}]"),
}


SCENARIO = Scenario(
    name="oile-two-group",
    description="OILE model 2: two-group gas, Monte Carlo vs mean field vs miscidynamics (Kost, Johns & Duan)",
    reference="Kost, Johns & Duan, arXiv:2508.14331; OILE poster LA-UR-25-22229",
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
