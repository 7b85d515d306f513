"""nupair study: how fast does the OILE Monte Carlo of the two-group gas converge to its large-N
limit? Kost, Johns & Duan, arXiv:2508.14331 (model 2) define the gas; its large-N limit is the
closed mean map of the group means (the encounters average over a partner drawn from the whole
gas). For N from n_min to n_max (log-spaced), one Monte Carlo run per N (same seed) is compared
with the mean map at every record: the root-mean-square deviation over times, groups and
components should fall as 1/sqrt(N) and match the Monte Carlo's own standard errors. Each point
also reports its wall time and encounter throughput (the kernel runs on all cores).
"""

from __future__ import annotations

from functools import partial

import numpy as np
import xarray as xr
from pydantic import model_validator

from nupair import oile
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import Scenario, ScenarioParameters, Task, TaskContext, param, variable

__all__ = [
    "Parameters",
    "sizes",
    "tasks",
    "memory_bytes",
    "MEMORY_PARAMETERS",
    "cost_s",
    "assemble",
    "plot",
    "summary",
    "SCENARIO",
    "SUMMARY_KEYS",
]


class Parameters(ScenarioParameters):
    """Gas of the OILE poster (groups starting as pure e and pure x), a ladder of sizes N."""

    n_min: int = param(1000, unit="1", ge=10, le=100_000_000, description="smallest N (rounded to even)")
    n_max: int = param(1_000_000, unit="1", ge=10, le=100_000_000, description="largest N (1e8 needs ~5 GB)")
    points_per_decade: int = param(1, unit="1", ge=1, le=10, description="sizes per decade of N")
    gamma: float = param(0.05, unit="1", gt=0.0, le=1.5708, description="impact parameter mu t_int")
    omega_a: float = param(0.5, unit="mu", ge=-100.0, le=100.0, description="vacuum frequency of group A")
    omega_b: float = param(-0.5, unit="mu", ge=-100.0, le=100.0, description="vacuum frequency of group B")
    theta_v: float = param(0.1, unit="rad", ge=0.0, le=1.5708, description="vacuum mixing angle of B")
    t_end_mu: float = param(20.0, unit="1/mu", gt=0.0, le=1e4, description="end time")
    save_every_steps: int = param(20, unit="1", ge=1, le=1_000_000, description="record every this many steps")

    @model_validator(mode="after")
    def _rules(self):
        if self.n_min > self.n_max:
            raise ValueError(f"n_min = {self.n_min} > n_max = {self.n_max}: the ladder of sizes would be empty")
        if self.t_end_mu / self.gamma > 1e7:
            raise ValueError(f"t_end_mu / gamma = {self.t_end_mu / self.gamma:.3g} steps: at most 1e7")
        return self


def sizes(params: Parameters) -> list[int]:
    """The even sizes N, log-spaced from n_min to n_max (points_per_decade per decade)."""
    lo, hi = np.log10(params.n_min), np.log10(params.n_max)
    count = max(1, int(round((hi - lo) * params.points_per_decade)) + 1)
    out = sorted({int(2 * round(10 ** x / 2)) for x in np.linspace(lo, hi, count)})
    return [max(n, 4) for n in out]


def _gas(params: Parameters, n: int) -> oile.TwoGroupGas:
    return oile.TwoGroupGas(n=n, gamma=params.gamma, omega_a=params.omega_a, omega_b=params.omega_b,
                            b_axis=oile.vacuum_axis(params.theta_v))


def _steps(params: Parameters) -> tuple[int, int]:
    n_steps = max(1, int(round(params.t_end_mu / params.gamma)))
    return n_steps, min(params.save_every_steps, n_steps)


def _mean_map(params: Parameters, ctx: TaskContext) -> dict:
    n_steps, every = _steps(params)
    t, means = oile.mean_map(_gas(params, 1000), n_steps, save_every=every)
    return {"t": t, "mean": means}


def _monte_carlo(params: Parameters, n: int, ctx: TaskContext) -> dict:
    n_steps, every = _steps(params)
    # compile the kernels (both the one-thread and the all-core variants) outside the timing
    oile.run_two_group(_gas(params, 2 * (1 << 17)), 2, seed=0, save_every=1, return_state=False)
    oile.run_two_group(_gas(params, 1000), 2, seed=0, save_every=1, return_state=False)
    tr = oile.run_two_group(_gas(params, n), n_steps, seed=ctx.seed, save_every=every, return_state=False)
    ctx.progress(1.0)
    return {"t": tr.t, "mean": tr.mean, "stderr": tr.stderr, "wall_s": tr.wall_s,
            "encounters": n_steps * (n // 2)}


def tasks(params: Parameters, seed) -> list[Task]:
    n_steps, _ = _steps(params)
    out = [Task("mean map", partial(_mean_map, params), cost=1e-5 * n_steps)]
    out += [Task(f"N = {n}", partial(_monte_carlo, params, n), cost=3e-8 * n * n_steps + 1e-5 * n_steps)
            for n in sizes(params)]
    return out


def cost_s(params: Parameters) -> float:
    """Estimated wall time [s]: ~1.5e-8 s per encounter on one core (the kernel uses all cores), plus
    the records and ~5 s of compilation and figure."""
    n_steps, every = _steps(params)
    return 5.0 + sum(1.5e-8 * n * n_steps / 2 + 2e-9 * n * n_steps / every for n in sizes(params))


MEMORY_PARAMETERS = ("n_max",)


def memory_bytes(params: Parameters) -> float:
    """Estimated peak memory [bytes]: the interpreter (~330 MiB) and ~75 bytes per neutrino of the
    largest gas (one gas at a time; measured 1.7 GiB at n_max = 2e7, benchmarks/estimates.py)."""
    return 330 * 2**20 + 75.0 * params.n_max


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    """Deviation from the mean map, its expectation from the standard errors, throughput per N."""
    mm = results["mean map"]["mean"]
    ns = sizes(params)
    dev, expect, rate, wall = [], [], [], []
    for n in ns:
        r = results[f"N = {n}"]
        diff = r["mean"][1:] - mm[1:]  # the start is exact
        dev.append(float(np.sqrt(np.mean(diff**2))))
        expect.append(float(np.sqrt(np.mean(r["stderr"][1:] ** 2))))
        rate.append(r["encounters"] / r["wall_s"])
        wall.append(r["wall_s"])
    # timings are attributes, not variables: the physics in the variables is reproducible to the
    # bit (a resumed run gives the same dataset), the wall clock is not
    return xr.Dataset(
        {"deviation": variable(("n",), dev, "1", "rms deviation of the Monte Carlo group means from the mean map"),
         "expected_deviation": variable(("n",), expect, "1", "rms standard error of the Monte Carlo group means")},
        coords={"n": variable(("n",), np.array(ns), "1", "number of neutrinos N")},
        attrs={"gamma": params.gamma, "t_end_mu": params.t_end_mu, "n_steps": _steps(params)[0],
               "encounters_per_second": np.array(rate), "wall_time_s": np.array(wall)},
    )


def _slope(ds: xr.Dataset) -> float | None:
    n, d = ds["n"].values.astype(float), ds["deviation"].values
    if n.size < 2:
        return None
    return float(np.polyfit(np.log(n), np.log(d), 1)[0])


def plot(ds: xr.Dataset):
    """(a) deviation from the mean map vs N with the standard-error expectation and N^-1/2;
    (b) encounter throughput vs N."""
    fig, axes = new_figure(1, 2, width_in=10.0, height_in=4.0,
                           title="OILE two-group gas: Monte Carlo vs large-N mean map")
    n = ds["n"].values.astype(float)
    ax = axes[0, 0]
    ax.loglog(n, ds["deviation"], "o-", label="rms |MC - mean map|")
    ax.loglog(n, ds["expected_deviation"], "s--", mfc="none", label="rms standard error of the MC means")
    ax.loglog(n, ds["deviation"].values[0] * (n / n[0]) ** -0.5, ":", color="0.4", label="N^-1/2")
    slope = _slope(ds)
    if slope is not None:
        ax.set_title(f"fitted slope {slope:.3f}", fontsize=9)
    ax.set_xlabel(axis_label("N", None))
    ax.set_ylabel(axis_label("deviation of the group means", None))
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    ax.semilogx(n, np.asarray(ds.attrs["encounters_per_second"], dtype=float), "o-")
    ax.set_xlabel(axis_label("N", None))
    ax.set_ylabel(axis_label("encounters per second", "s^-1"))
    ax.set_ylim(0, None)
    return fig


SUMMARY_KEYS = {
    "n_neutrinos": "the sizes N of the ladder",
    "deviation_from_mean_map": "rms |MC group means - mean map| over records, groups and components, per N",
    "expected_deviation": "rms standard error of the MC group means, per N (the 1/sqrt(N) prediction)",
    "deviation_over_expected": "ratio of the two, per N (~1: the scatter is statistical)",
    "deviation_slope": "log-log slope of the deviation vs N (1/sqrt(N): -0.5)",
    "encounters_per_second": "encounters per second of wall time, per N [s^-1]",
    "wall_time_per_point_s": "wall time of each Monte Carlo run [s]",
}


def summary(ds: xr.Dataset) -> dict:
    """The ladder's deviations, their expectation, the slope and the throughput."""
    dev, exp = ds["deviation"].values, ds["expected_deviation"].values
    return {"n_neutrinos": [int(x) for x in ds["n"].values],
            "deviation_from_mean_map": [float(x) for x in dev],
            "expected_deviation": [float(x) for x in exp],
            "deviation_over_expected": [float(a / b) for a, b in zip(dev, exp)],
            "deviation_slope": _slope(ds),
            "encounters_per_second": [float(x) for x in np.atleast_1d(ds.attrs["encounters_per_second"])],
            "wall_time_per_point_s": [float(x) for x in np.atleast_1d(ds.attrs["wall_time_s"])]}


SCENARIO = Scenario(
    name="oile-convergence",
    description="OILE two-group gas: Monte Carlo deviation from the large-N mean map vs N (1/sqrt(N)), with throughput",
    reference="nupair study of the model-2 gas of Kost, Johns & Duan, arXiv:2508.14331",
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
