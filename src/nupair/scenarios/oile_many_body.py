"""OILE beside the exact many-body evolution: where does the once-in-a-lifetime assumption hold?

Kost, Johns & Duan (OILE poster LA-UR-25-22229: "The final asymptotic state agrees with
predictions of many-body models"; arXiv:2402.05022, arXiv:2508.14331). A two-group gas of
N <= 20 neutrinos, pure e and pure x by default, meets in random pairs every step; each schedule
of encounters (matchings, gammas, vacuum rotations) is evolved exactly as a 2^N state vector and
by OILE's product-state update (``nupair.oile.many_body``), for ``n_replicas`` schedules (error
bars: the replicas' standard error). Beside them the continuum equation (D4 + D5 of
``nupair.oile.directions``). ``docs/oile-many-body.md``.
"""

from __future__ import annotations

import math
from functools import partial
from typing import Annotated, Literal

import numpy as np
import xarray as xr
from pydantic import Field, model_validator

from nupair import oile
from nupair import validation as _v
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import Scenario, ScenarioParameters, Task, TaskContext, param, variable

__all__ = ["Parameters", "tasks", "cost_s", "memory_bytes", "MEMORY_PARAMETERS", "assemble", "summary", "plot",
           "SCENARIO", "SUMMARY_KEYS", "REFERENCE"]

REFERENCE = "Kost, Johns & Duan, OILE poster LA-UR-25-22229; arXiv:2402.05022; arXiv:2508.14331"

Component = Annotated[float, Field(ge=-1.0, le=1.0)]
Vector3 = tuple[Component, Component, Component]


class Parameters(ScenarioParameters):
    """A small two-group gas (pure starting states), evolved exactly and by OILE."""

    n_neutrinos: int = param(14, unit="1", ge=2, le=oile.MAX_MANY_BODY_NEUTRINOS,
                             description="N (even; the state vector has 2^N amplitudes)")
    gamma: float = param(0.05, unit="1", gt=0.0, le=1.5708, description="impact parameter mu t_int")
    fraction_a: float = param(0.5, unit="1", gt=0.0, lt=1.0, description="share of group A")
    p_a: Vector3 = param((0.0, 0.0, 1.0), unit="1", allowed="|P| = 1", description="initial (pure) P of group A")
    p_b: Vector3 = param((0.0, 0.0, -1.0), unit="1", allowed="|P| = 1", description="initial (pure) P of group B")
    omega_a: float = param(0.5, unit="mu", ge=-100.0, le=100.0, description="vacuum frequency of group A")
    omega_b: float = param(-0.5, unit="mu", ge=-100.0, le=100.0, description="vacuum frequency of group B")
    theta_v: float = param(0.1, unit="rad", ge=0.0, le=1.5708, description="vacuum mixing angle of B")
    directions: Literal["fixed", "isotropic"] = param("fixed", unit="", allowed="'fixed' or 'isotropic'",
                                                      description="relative directions of encounter partners")
    t_end_mu: float = param(60.0, unit="1/mu", gt=0.0, le=1e5, description="end time (gamma mu t = 3 by default)")
    n_replicas: int = param(8, unit="1", ge=2, le=1000, description="independent schedules (error bars)")
    save_every_steps: int = param(10, unit="1", ge=1, le=1_000_000, description="record every this many steps")

    @model_validator(mode="after")
    def _rules(self):
        _v.require(self.n_neutrinos % 2 == 0, "n_neutrinos", str(self.n_neutrinos),
                   "an even number (a random perfect matching)")
        n_a = int(round(self.fraction_a * self.n_neutrinos))
        _v.require(1 <= n_a <= self.n_neutrinos - 1, "fraction_a", f"{self.fraction_a:g}",
                   f"a share that leaves both groups non-empty with n_neutrinos = {self.n_neutrinos}")
        for name in ("p_a", "p_b"):
            norm = math.sqrt(sum(c * c for c in getattr(self, name)))
            _v.require(abs(norm - 1.0) <= 1e-9, name, f"{getattr(self, name)!r} (|P| = {norm:.6g})",
                       "a pure state, |P| = 1 (the many-body evolution starts from pure states)")
        return self


def _gas(params: Parameters) -> oile.TwoGroupGas:
    return oile.TwoGroupGas(n=params.n_neutrinos, fraction_a=params.fraction_a, p_a=np.array(params.p_a),
                            p_b=np.array(params.p_b), omega_a=params.omega_a, omega_b=params.omega_b,
                            b_axis=oile.vacuum_axis(params.theta_v), gamma=params.gamma,
                            directions=params.directions)


def _n_steps(params: Parameters) -> int:
    return max(1, int(round(params.t_end_mu / params.gamma)))


def _replica(params: Parameters, seed: int, ctx: TaskContext) -> oile.ManyBodyComparison:
    return oile.many_body_vs_oile(_gas(params), _n_steps(params), seed=seed, save_every=params.save_every_steps)


def _continuum(params: Parameters, times: np.ndarray, ctx: TaskContext) -> np.ndarray:
    return oile.mean_field(_gas(params), times, collisions=True, finite_n=True)


def _record_times(params: Parameters) -> np.ndarray:
    n, every = _n_steps(params), params.save_every_steps
    steps = [s for s in range(n + 1) if s % every == 0 or s == n]
    return np.array(steps) * params.gamma


def _replica_cost_s(params: Parameters) -> float:
    """One replica: ~4.5e-9 s per amplitude and pass, 2.5 N + 0.5 passes per step (the exact run;
    OILE's update is ~1e-4 s per step), N passes per record."""
    n = params.n_neutrinos
    steps = _n_steps(params)
    return (4.5e-9 * 2**n * ((2.5 * n + 0.5) * steps + n * steps / params.save_every_steps)
            + 1.2e-4 * steps)


def tasks(params: Parameters, seed) -> list[Task]:
    """One task per replica (schedule seeds drawn from the run's seed), then the continuum."""
    seeds = np.random.SeedSequence(seed).generate_state(params.n_replicas)
    each = _replica_cost_s(params)
    out = [Task(f"replica {r}", partial(_replica, params, int(seeds[r])), cost=each) for r in range(params.n_replicas)]
    out.append(Task("continuum", partial(_continuum, params, _record_times(params)), cost=0.5))
    out.append(Task("gas", partial(_gas_task, params), cost=0.01))
    return out


def _gas_task(params: Parameters, ctx: TaskContext) -> oile.TwoGroupGas:
    """The gas itself (its B axis is recorded with the run)."""
    return _gas(params)


def cost_s(params: Parameters) -> float:
    """Wall time [s] on one core: ~2.5 s of start-up and kernel loading plus the replicas."""
    return 2.5 + params.n_replicas * _replica_cost_s(params)


MEMORY_PARAMETERS = ("n_neutrinos", "t_end_mu", "n_replicas")


def memory_bytes(params: Parameters) -> float:
    """Peak memory [bytes]: the interpreter (~330 MiB), two state vectors of 2^N complex numbers and
    the records (N Bloch vectors per record, two runs per replica)."""
    records = _record_times(params).size
    return 330 * 2**20 + 32.0 * 2**params.n_neutrinos + params.n_replicas * records * params.n_neutrinos * 2 * 32.0


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    """Per replica: group means, mean |P| per group and mean one-neutrino entropy, for both runs."""
    reps = [results[f"replica {r}"] for r in range(params.n_replicas)]
    dims = ("replica", "t", "group", "component")

    def stack(method: str, what: str):
        return np.array([getattr(getattr(c, method), what)() for c in reps])

    def entropy(method: str):
        return np.array([getattr(c, method).entropy_bits.mean(axis=1) for c in reps])

    ds = xr.Dataset(
        {
            "mb_mean": variable(dims, stack("many_body", "group_means"), "1", "many-body group-mean Bloch vector"),
            "oile_mean": variable(dims, stack("oile", "group_means"), "1", "OILE group-mean Bloch vector"),
            "mb_abs_p": variable(dims[:3], stack("many_body", "mean_abs_p"), "1",
                                 "group mean of the one-body purity |P_k| (many-body)"),
            "oile_abs_p": variable(dims[:3], stack("oile", "mean_abs_p"), "1", "group mean of |P_k| (OILE)"),
            "mb_entropy": variable(("replica", "t"), entropy("many_body"), "bit",
                                   "one-neutrino entanglement entropy, mean over neutrinos (many-body, eq. O7)"),
            "oile_entropy": variable(("replica", "t"), entropy("oile"), "bit",
                                     "the same function of OILE's |P_k| (its mixedness)"),
            "mb_norm_error": variable(("replica", "t"), np.array([c.many_body.norm_error for c in reps]), "1",
                                      "|<psi|psi> - 1| of the many-body state"),
            "continuum": variable(dims[1:], results["continuum"], "1",
                                  "continuum equation D4 with self-exclusion D5 (collisions, finite N)"),
        },
        coords={
            "t": variable(("t",), reps[0].many_body.t, "1/mu", "time mu t"),
            "replica": variable(("replica",), np.arange(params.n_replicas), "1", "schedule index"),
            "group": variable(("group",), np.array(["A", "B"]), "1", "neutrino group"),
            "component": variable(("component",), np.array(["x", "y", "z"]), "1", "Bloch-vector component"),
        },
    )
    gas = results["gas"]
    ds.attrs.update({"gamma": params.gamma, "n_neutrinos": params.n_neutrinos, "b_axis": gas.b_axis.tolist(),
                     "directions": params.directions, "seeds": [int(c.seed) for c in reps]})
    return ds


def _mean_se(da: xr.DataArray):
    n = da.sizes["replica"]
    return da.mean("replica").values, da.std("replica", ddof=1).values / math.sqrt(n)


def summary(ds: xr.Dataset) -> dict:
    """Replica-averaged comparisons (standard errors from the replicas' scatter)."""
    mb, mb_se = _mean_se(ds["mb_mean"])
    ol, ol_se = _mean_se(ds["oile_mean"])
    diff, diff_se = _mean_se(ds["mb_mean"] - ds["oile_mean"])  # paired: one schedule each
    z = np.abs(diff) / (diff_se + 1e-12)
    gmt = float(ds.attrs["gamma"]) * ds["t"].values
    apart = np.nonzero(np.any(z > 3.0, axis=(1, 2)))[0]
    abs_mb, abs_mb_se = _mean_se(ds["mb_abs_p"].mean("group"))
    abs_ol, abs_ol_se = _mean_se(ds["oile_abs_p"].mean("group"))
    ent, ent_se = _mean_se(ds["mb_entropy"])
    b = np.asarray(ds.attrs["b_axis"])
    return {
        "max_deviation_oile_vs_many_body": float(np.max(np.abs(mb - ol))),
        "max_deviation_oile_vs_many_body_stderr": float(diff_se.reshape(-1)[np.argmax(np.abs(diff))]),
        "first_disagreement_gamma_mu_t": float(gmt[apart[0]]) if apart.size else None,
        "final_abs_P_many_body": float(abs_mb[-1]),
        "final_abs_P_many_body_stderr": float(abs_mb_se[-1]),
        "final_abs_P_oile": float(abs_ol[-1]),
        "final_abs_P_oile_stderr": float(abs_ol_se[-1]),
        "entanglement_entropy_final": float(ent[-1]),
        "entanglement_entropy_final_stderr": float(ent_se[-1]),
        "final_b_component_many_body": [float(x) for x in mb[-1] @ b],
        "final_b_component_oile": [float(x) for x in ol[-1] @ b],
        "max_deviation_many_body_vs_continuum": float(np.max(np.abs(mb - ds["continuum"].values))),
        "max_deviation_oile_vs_continuum": float(np.max(np.abs(ol - ds["continuum"].values))),
        "max_norm_error": float(ds["mb_norm_error"].max()),
    }


def plot(ds: xr.Dataset):
    """B . <P> per group, mean one-body purity |P| and entanglement entropy against gamma mu t:
    many-body and OILE with replica error bands (2 standard errors), continuum dotted."""
    fig, axes = new_figure(1, 3, width_in=13.0, height_in=4.2,
                           title=f"OILE vs exact many-body evolution: N = {ds.attrs['n_neutrinos']}, "
                                 f"gamma = {ds.attrs['gamma']:g}, {ds.sizes['replica']} schedules")
    x = float(ds.attrs["gamma"]) * ds["t"].values
    b = np.asarray(ds.attrs["b_axis"])

    def band(ax, mean, se, color, label, **style):
        ax.fill_between(x, mean - 2 * se, mean + 2 * se, color=color, alpha=0.25, lw=0)
        ax.plot(x, mean, color=color, label=label, **style)

    for gi, name in enumerate(("A", "B")):
        for key, color, style, label in (("mb_mean", f"C{gi}", dict(lw=2.2), "many-body"),
                                          ("oile_mean", f"C{gi + 2}", dict(lw=1.0, ls="--"), "OILE")):
            m, se = _mean_se(ds[key].isel(group=gi) @ xr.DataArray(b, dims="component"))
            band(axes[0, 0], m, se, color, f"{label} {name}", **style)
        axes[0, 0].plot(x, ds["continuum"].values[:, gi] @ b, color="k", lw=0.7, ls=":",
                        label="continuum (D4, D5)" if gi == 0 else None)
    for key, color, style, label in (("mb_abs_p", "C0", dict(lw=2.2), "many-body"),
                                      ("oile_abs_p", "C3", dict(lw=1.0, ls="--"), "OILE")):
        m, se = _mean_se(ds[key].mean("group"))
        band(axes[0, 1], m, se, color, label, **style)
    for key, color, style, label in (("mb_entropy", "C0", dict(lw=2.2), "many-body: entanglement"),
                                      ("oile_entropy", "C3", dict(lw=1.0, ls="--"), "OILE: S(|P|)")):
        m, se = _mean_se(ds[key])
        band(axes[0, 2], m, se, color, label, **style)
    axes[0, 0].set_ylabel(axis_label("B . <P> per group", None))
    axes[0, 1].set_ylabel(axis_label("mean one-body |P_k|", None))
    axes[0, 2].set_ylabel(axis_label("one-neutrino entropy", "bit"))
    for ax in axes.flat:
        ax.set_xlabel(axis_label("gamma mu t", None))
        ax.legend(fontsize=7)
    return fig


SUMMARY_KEYS = {
    "max_deviation_oile_vs_many_body": "max |<P>_many-body - <P>_OILE| of the replica-averaged group means",
    "first_disagreement_gamma_mu_t": "first gamma mu t where the paired difference exceeds 3 standard errors",
    "final_abs_P_many_body, final_abs_P_oile": "mean one-body purity |P_k| at the end (with *_stderr)",
    "entanglement_entropy_final": "mean one-neutrino entanglement entropy at the end [bit] (with *_stderr)",
    "final_b_component_many_body, final_b_component_oile": "B . <P> per group at the end",
    "max_deviation_many_body_vs_continuum, max_deviation_oile_vs_continuum": "against D4 + D5",
    "max_norm_error": "max |<psi|psi> - 1| (unitarity)",
}


SCENARIO = Scenario(
    name="oile-many-body",
    description="OILE beside the exact many-body evolution of the same encounters (N <= 20)",
    reference=REFERENCE,
    parameters=Parameters,
    tasks=tasks,
    assemble=assemble,
    cost_s=cost_s,
    memory_bytes=memory_bytes,
    memory_parameters=MEMORY_PARAMETERS,
    plot=plot,
    summary=summary,
    summary_keys=SUMMARY_KEYS,
    notes="The many-body state keeps every correlation that OILE discards; both share the schedule of "
          "encounters. Error bars are the replicas' standard errors.",
)
