"""Exposure needed by an RENP experiment to tell Dirac from Majorana, normal from inverted
ordering, and a non-zero lightest mass from zero, as a function of the lightest mass
(spec ``shared/spec/renp.md`` section 5; Song et al., PRD 93 (2016) 013020 [S16] for the approach;
Dinh et al. 2013 for the Yb target).

Asimov data of the true hypothesis, Poisson chi^2 with the test hypothesis' lightest mass free,
overall normalisation free, oscillation parameters within Gaussian priors; 3 sigma <-> Delta chi^2 = 9.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import xarray as xr
from pydantic import model_validator

from nupair import constants as const
from nupair import renp
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import Scenario, ScenarioParameters, Task, TaskContext, finite_or_none, param, variable

__all__ = ["Parameters", "tasks", "cost_s", "assemble", "plot", "summary", "SCENARIO", "SUMMARY_KEYS"]

TESTS = ("dirac_vs_majorana", "normal_vs_inverted", "lightest_mass_vs_zero")


class Parameters(ScenarioParameters):
    """Sensitivity parameters."""

    m_min_eV: float = param(1e-3, unit="eV", gt=0.0, le=1.0, description="smallest lightest mass")
    m_max_eV: float = param(0.1, unit="eV", gt=0.0, le=1.0, description="largest lightest mass")
    n_masses: int = param(20, unit="1", ge=2, le=500, description="lightest masses (log grid)")
    significance: float = param(3.0, unit="sigma", gt=0.0, le=10.0, description="required significance")
    number_density_cm3: float = param(1e21, unit="cm^-3", ge=1e15, le=1e24, description="excited-atom number density")
    volume_cm3: float = param(100.0, unit="cm^3", ge=1e-3, le=1e9, description="target volume")
    eta: float = param(1.0, unit="1", ge=1e-12, le=1.0, description="dynamical (macro-coherence) factor")
    n_bins: int = param(60, unit="1", ge=4, le=2000, description="trigger settings (bins in omega)")
    oscillation_priors: bool = param(True, unit="", description="float oscillation parameters within priors")

    @model_validator(mode="after")
    def _rules(self):
        if self.m_max_eV <= self.m_min_eV:
            raise ValueError(f"m_max_eV = {self.m_max_eV:g} must exceed m_min_eV = {self.m_min_eV:g}")
        return self


def _hypotheses(m0: float):
    h = renp.Hypothesis
    return {
        "dirac_vs_majorana": (h("normal", "majorana", m0), h("normal", "dirac", m0)),
        "normal_vs_inverted": (h("normal", "dirac", m0), h("inverted", "dirac", m0)),
        "lightest_mass_vs_zero": (h("normal", "dirac", m0), h("normal", "dirac", 0.0, free_lightest_mass=False)),
    }


def _experiment(params: Parameters) -> renp.Experiment:
    return renp.Experiment(number_density_cm3=params.number_density_cm3, volume_cm3=params.volume_cm3, eta=params.eta,
                           n_bins=params.n_bins, oscillation_priors=params.oscillation_priors)


def _masses(params: Parameters) -> np.ndarray:
    return np.geomspace(params.m_min_eV, params.m_max_eV, params.n_masses)


def _exposures(params: Parameters, m0: float, ctx: TaskContext) -> list:
    """required_exposure for the three tests at one lightest mass (each an Exposure result)."""
    exp = _experiment(params)
    return [renp.required_exposure(h_true, h_test, params.significance, exp)
            for h_true, h_test in _hypotheses(m0).values()]


def _thresholds(params: Parameters, ctx: TaskContext) -> tuple:
    """(channels, omega_ij [eV] per lightest mass, the target's rate normalisation Gamma_0 eta [s^-1]):
    the six thresholds, normal ordering, Yb."""
    return (*renp.threshold_table(_masses(params), "normal"), _experiment(params).rate_s)


def tasks(params: Parameters, seed) -> list[Task]:
    """One task per true lightest mass: the three exposure solves; then the thresholds."""
    return ([Task(f"{k}: m0={m:.6g}", partial(_exposures, params, float(m))) for k, m in enumerate(_masses(params))]
            + [Task("thresholds", partial(_thresholds, params), cost=0.01)])


def cost_s(params: Parameters) -> float:
    """Estimated wall time [s]: ~1.5 s of start-up and ~0.07 s per exposure solve, a little more with
    many bins (default ~6 s; calibrated at 20 and 118 masses in benchmarks/estimates.py)."""
    return 1.5 + params.n_masses * 3 * (0.07 + 0.05 * params.n_bins / 1000.0)


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    """Events, time and fitted lightest mass per test and mass; unconverged solves are NaN and flagged."""
    masses = _masses(params)
    shape = (len(TESTS), masses.size)
    events, days, fitted = np.full(shape, np.nan), np.full(shape, np.nan), np.full(shape, np.nan)
    converged = np.zeros(shape, dtype=bool)
    for k, t in enumerate(tasks(params, 0)[:masses.size]):
        for i, e in enumerate(results[t.name]):
            converged[i, k] = e.ok
            if e.ok:
                events[i, k], days[i, k], fitted[i, k] = e.events, e.time_days, e.fitted_lightest_mass_eV
    return xr.Dataset(
        {"events": variable(("test", "lightest_mass"), events, "1", "expected events for the required significance"),
         "time": variable(("test", "lightest_mass"), days, "day", "scan time for the required significance"),
         "fitted_lightest_mass": variable(("test", "lightest_mass"), fitted, "eV", "best-fit lightest mass of the test hypothesis"),
         "converged": variable(("test", "lightest_mass"), converged, "1", "the exposure solve converged"),
         "threshold": variable(("lightest_mass", "channel"), results["thresholds"][1], "eV",
                               "threshold omega_ij of channel ij (normal ordering, Yb)")},
        coords={"test": variable(("test",), np.array(TESTS), "1", "hypothesis test (true vs test)"),
                "channel": variable(("channel",), np.array(results["thresholds"][0]), "1", "mass channel ij"),
                "lightest_mass": variable(("lightest_mass",), masses, "eV", "true lightest mass")},
        attrs={"significance": params.significance, "rate_normalization_per_s": results["thresholds"][2]},
    )


def plot(ds: xr.Dataset):
    fig, axes = new_figure(1, 2, width_in=11.0, height_in=4.6,
                           title=f"RENP (Yb): exposure for {ds.attrs['significance']:g} sigma")
    m = ds["lightest_mass"].values
    for k, test in enumerate(ds["test"].values):
        axes[0, 0].loglog(m, ds["events"].sel(test=test), color=f"C{k}", label=str(test).replace("_", " "))
        axes[0, 1].loglog(m, ds["time"].sel(test=test), color=f"C{k}", label=str(test).replace("_", " "))
    axes[0, 0].set_ylabel(axis_label("events", None))
    axes[0, 1].set_ylabel(axis_label("scan time", "day"))
    for ax in axes[0]:
        ax.set_xlabel(axis_label("lightest neutrino mass", "eV"))
        ax.legend(fontsize=7)
    return fig


SUMMARY_KEYS = {
    "oscillation_fit": "the oscillation parameters used (default NuFIT 6.0, column 'IC24 with SK atmospheric data')",
    "required_events": "test -> lightest mass [eV] -> expected events for the significance",
    "required_days": "test -> lightest mass [eV] -> scan time [day] (default target: n = 1e21 cm^-3, V = 100 cm^3)",
    "rate_normalization_per_s": "Gamma_0 eta [s^-1] of the target",
    "events_at_10meV": "test -> events needed at m0 = 0.01 eV (interpolated in log-log)",
    "thresholds_eV": "lightest mass [eV] -> channel ij -> omega_ij [eV] (normal ordering, Yb)",
    "unconverged": "list of [test, lightest mass] whose exposure solve did not converge (null in the tables)",
}


def summary(ds: xr.Dataset) -> dict:
    m = ds["lightest_mass"].values
    out = {"required_events": {}, "required_days": {}, "rate_normalization_per_s": ds.attrs["rate_normalization_per_s"],
           "events_at_10meV": {}, "thresholds_eV": {}}
    out["oscillation_fit"] = const.FIT_LABELS[const.DEFAULT_FIT]
    channels = [str(c) for c in ds["channel"].values]
    for x, row in zip(m, ds["threshold"].values):
        out["thresholds_eV"][f"{x:.4g}"] = {c: float(v) for c, v in zip(channels, row)}
    for test in ds["test"].values:
        ev = ds["events"].sel(test=test).values
        out["required_events"][str(test)] = {f"{x:.4g}": finite_or_none(v) for x, v in zip(m, ev)}
        out["required_days"][str(test)] = {f"{x:.4g}": finite_or_none(v)
                                           for x, v in zip(m, ds["time"].sel(test=test).values)}
        ok = np.isfinite(ev)
        if m[0] <= 0.01 <= m[-1] and ok.sum() >= 2:
            out["events_at_10meV"][str(test)] = float(np.exp(np.interp(np.log(0.01), np.log(m[ok]), np.log(ev[ok]))))
    conv = ds["converged"].values
    out["unconverged"] = [[str(ds["test"].values[i]), float(m[k])] for i, k in zip(*np.nonzero(~conv))]
    return out


SCENARIO = Scenario(
    name="renp-sensitivity",
    description="Exposure for 3 sigma Dirac/Majorana, NO/IO and m_lightest discrimination vs lightest mass (RENP, Yb)",
    reference="Song et al. PRD 93 (2016) 013020; Dinh et al. PLB 719 (2013) 154",
    parameters=Parameters,
    tasks=tasks,
    assemble=assemble,
    cost_s=cost_s,
    plot=plot,
    summary=summary,
    summary_keys=SUMMARY_KEYS,
)
