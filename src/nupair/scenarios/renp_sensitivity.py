"""Exposure needed by an RENP experiment to tell Dirac from Majorana, normal from inverted
ordering, and a non-zero lightest mass from zero, as a function of the lightest mass
(spec ``shared/spec/renp.md`` section 5; Song et al., PRD 93 (2016) 013020 [S16] for the approach;
Dinh et al. 2013 for the Yb target).

Asimov data of the true hypothesis, Poisson chi^2 with the test hypothesis' lightest mass free,
overall normalisation free, oscillation parameters within Gaussian priors; 3 sigma <-> Delta chi^2 = 9.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from nupair import renp
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import Scenario, ScenarioParameters, UserInputError, param, variable

TESTS = ("dirac_vs_majorana", "normal_vs_inverted", "lightest_mass_vs_zero")


class Parameters(ScenarioParameters):
    """Sensitivity parameters."""

    m_min_eV: float = param(1e-3, unit="eV", gt=0.0, le=1.0, description="smallest lightest mass")
    m_max_eV: float = param(0.1, unit="eV", gt=0.0, le=1.0, description="largest lightest mass")
    n_masses: int = param(20, unit="1", ge=2, le=500, description="lightest masses (log grid)")
    significance: float = param(3.0, unit="sigma", gt=0.0, le=10.0, description="required significance")
    number_density_cm3: float = param(1e21, unit="cm^-3", gt=0.0, description="excited-atom number density")
    volume_cm3: float = param(100.0, unit="cm^3", gt=0.0, description="target volume")
    eta: float = param(1.0, unit="1", gt=0.0, le=1.0, description="dynamical (macro-coherence) factor")
    n_bins: int = param(60, unit="1", ge=4, le=2000, description="trigger settings (bins in omega)")
    oscillation_priors: bool = param(True, unit="", description="float oscillation parameters within priors")


def _hypotheses(m0: float):
    h = renp.Hypothesis
    return {
        "dirac_vs_majorana": (h("normal", "majorana", m0), h("normal", "dirac", m0)),
        "normal_vs_inverted": (h("normal", "dirac", m0), h("inverted", "dirac", m0)),
        "lightest_mass_vs_zero": (h("normal", "dirac", m0), h("normal", "dirac", 0.0, free_lightest_mass=False)),
    }


def run(params: Parameters, seed, progress, checkpoint=None) -> xr.Dataset:
    """Required events and time for each test at each lightest mass (checkpointed per mass)."""
    if params.m_max_eV <= params.m_min_eV:
        raise UserInputError(f"parameter 'm_max_eV': value {params.m_max_eV!r} is not allowed: must exceed m_min_eV")
    masses = np.geomspace(params.m_min_eV, params.m_max_eV, params.n_masses)
    exp = renp.Experiment(number_density_cm3=params.number_density_cm3, volume_cm3=params.volume_cm3, eta=params.eta,
                          n_bins=params.n_bins, oscillation_priors=params.oscillation_priors)
    events = np.full((len(TESTS), masses.size), np.nan)
    days = np.full_like(events, np.nan)
    fitted = np.full_like(events, np.nan)
    done = 0
    saved = checkpoint.load() if checkpoint is not None else None
    if saved is not None:
        events, days, fitted, done = saved["events"], saved["days"], saved["fitted"], int(saved["done"])
    for k in range(done, masses.size):
        for t, (h_true, h_test) in enumerate(_hypotheses(float(masses[k])).values()):
            e = renp.required_exposure(h_true, h_test, params.significance, exp)
            events[t, k], days[t, k], fitted[t, k] = e.events, e.time_days, e.fitted_lightest_mass_eV
        if checkpoint is not None:
            checkpoint.save({"events": events, "days": days, "fitted": fitted, "done": np.array(k + 1)})
        progress((k + 1) / masses.size, f"m0 = {masses[k]:.3g} eV")
    return xr.Dataset(
        {"events": variable(("test", "lightest_mass"), events, "1", "expected events for the required significance"),
         "time": variable(("test", "lightest_mass"), days, "day", "scan time for the required significance"),
         "fitted_lightest_mass": variable(("test", "lightest_mass"), fitted, "eV", "best-fit lightest mass of the test hypothesis")},
        coords={"test": variable(("test",), np.array(TESTS), "1", "hypothesis test (true vs test)"),
                "lightest_mass": variable(("lightest_mass",), masses, "eV", "true lightest mass")},
        attrs={"significance": params.significance, "rate_normalization_per_s": exp.rate_s},
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
    "required_events": "test -> lightest mass [eV] -> expected events for the significance",
    "required_days": "test -> lightest mass [eV] -> scan time [day] (default target: n = 1e21 cm^-3, V = 100 cm^3)",
    "rate_normalization_per_s": "Gamma_0 eta [s^-1] of the target",
    "events_at_10meV": "test -> events needed at m0 = 0.01 eV (interpolated in log-log)",
    "thresholds_eV": "lightest mass [eV] -> channel ij -> omega_ij [eV] (normal ordering, Yb)",
}


def summary(ds: xr.Dataset) -> dict:
    m = ds["lightest_mass"].values
    out = {"required_events": {}, "required_days": {}, "rate_normalization_per_s": ds.attrs["rate_normalization_per_s"],
           "events_at_10meV": {}, "thresholds_eV": {}}
    for x in m:
        th = renp.thresholds(renp.resolve_masses(lightest_mass_eV=float(x), ordering="normal"))
        out["thresholds_eV"][f"{x:.4g}"] = {f"{i}{j}": float(v) for (i, j), v in th.items()}
    for test in ds["test"].values:
        ev = ds["events"].sel(test=test).values
        out["required_events"][str(test)] = {f"{x:.4g}": float(v) for x, v in zip(m, ev)}
        out["required_days"][str(test)] = {f"{x:.4g}": float(v) for x, v in zip(m, ds["time"].sel(test=test).values)}
        if m[0] <= 0.01 <= m[-1]:
            out["events_at_10meV"][str(test)] = float(np.exp(np.interp(np.log(0.01), np.log(m), np.log(ev))))
    return out


SCENARIO = Scenario(
    name="renp-sensitivity",
    description="Exposure for 3 sigma Dirac/Majorana, NO/IO and m_lightest discrimination vs lightest mass (RENP, Yb)",
    reference="spec shared/spec/renp.md section 5; Song et al. PRD 93 (2016) 013020; Dinh et al. PLB 719 (2013) 154",
    parameters=Parameters,
    run=run,
    plot=plot,
    summary=summary,
    summary_keys=SUMMARY_KEYS,
)
