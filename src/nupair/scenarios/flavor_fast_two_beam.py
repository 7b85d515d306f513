"""Emu's homogeneous fast-flavor test (two beams) reproduced by nupair's flavor sector.

AMReX-Astro/Emu ``Scripts/tests/fast_flavor_test.py`` with ``sample_inputs/inputs_fast_flavor``
and the generator ``st2_2beam_fast_flavor.py``: nu_e along +z and nubar_e along -z, E = 50 MeV,
m_1^2 - m_2^2 = 7.39e-5 eV^2 (nu_e mostly the heavier state), theta12 = 1e-6 degrees, each beam
of density V/(2 sqrt(2) G_F) with V = dm2/(2E). Theory: Chakraborty et al. 2016 eq. 2.7 with
a = 0, mu = V/2: Im Omega = V/hbar. The rate is measured as Emu's script measures it; Emu's
tolerance is 2 %. ``docs/flavor-pairing.md``, section "Emu's test problems".
"""

from __future__ import annotations

from functools import partial

import numpy as np
import xarray as xr

from nupair import pairing
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import Scenario, ScenarioParameters, Task, TaskContext, finite_or_none, param, variable

__all__ = ["Parameters", "tasks", "cost_s", "assemble", "plot", "summary", "SCENARIO", "SUMMARY_KEYS", "REFERENCE"]

REFERENCE = ("AMReX-Astro/Emu Scripts/tests/fast_flavor_test.py (inputs_fast_flavor, st2_2beam_fast_flavor.py); "
             "Chakraborty, Hansen, Izaguirre & Raffelt 2016, eq. 2.7")

#: Emu's tolerance on the relative error of each measured rate.
EMU_TOLERANCE = 2e-2


class Parameters(ScenarioParameters):
    """Emu's fast-flavor test parameters (defaults: Emu's inputs)."""

    energy_MeV: float = param(50.0, unit="MeV", ge=1e-3, le=1e4, description="neutrino energy E")
    dm2_eV2: float = param(7.39e-5, unit="eV^2", gt=0.0, le=1.0,
                           description="m_1^2 - m_2^2 (nu_e mostly the heavier state, as Emu's mass1_eV)")
    theta_deg: float = param(1e-6, unit="deg", gt=0.0, le=1e-3,
                             description="mixing angle theta12 (the seed; small, so that the linear phase is clean)")
    t_end_over_V: float = param(24.0, unit="1/V", ge=12.0, le=200.0, description="end time, in units of hbar/V")
    n_save: int = param(241, unit="1", ge=41, le=100_000, description="saved time samples")


def _run(params: Parameters, ctx: TaskContext) -> pairing.EmuFastFlavor:
    return pairing.emu_fast_flavor(params.energy_MeV, params.dm2_eV2, params.theta_deg,
                                   t_end_over_V=params.t_end_over_V, n_save=params.n_save)


def tasks(params: Parameters, seed) -> list[Task]:
    """One run (deterministic: the seed is the mixing angle)."""
    return [Task("two-beam", partial(_run, params), cost=cost_s(params))]


def cost_s(params: Parameters) -> float:
    """~30 right-hand sides per 1/V of a one-mode system: the time is the compiled integrator's set-up (~8 s)."""
    return 8.0 + 3e-6 * 30 * params.t_end_over_V + 2e-5 * params.n_save


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    r = results["two-beam"]
    return xr.Dataset(
        {"f01_abs": variable(("t",), r.f01_abs, "1", "|rho_ex| (Emu's f01)"),
         "f01bar_abs": variable(("t",), r.f01bar_abs, "1", "|rhobar_ex| (Emu's f01bar)"),
         "rho_ee": variable(("t",), r.rho_ee, "1", "nu_e occupation"),
         "growth_rate_components": variable(("component",), r.growth_rate_components_per_s, "1/s",
                                            "rates from Re f01, Im f01, Re f01bar, Im f01bar")},
        coords={"t": variable(("t",), r.t_s, "s", "time"),
                "component": variable(("component",), np.array(["Re f01", "Im f01", "Re f01bar", "Im f01bar"]), "1",
                                      "which series")},
        attrs={"growth_rate_per_s": r.growth_rate_per_s, "growth_rate_analytic_per_s": r.growth_rate_analytic_per_s,
               "growth_rate_linear_per_s": r.growth_rate_linear_per_s, "i0": r.i0, "i1": r.i1,
               "energy_MeV": r.energy_MeV, "status": r.status.value},
    )


def plot(ds: xr.Dataset):
    """|f01|(t) against the analytic exponential, and the nu_e occupation."""
    fig, axes = new_figure(1, 2, width_in=11.0, height_in=4.2,
                           title="Emu's fast-flavor two-beam test in nupair (E = "
                                 f"{ds.attrs['energy_MeV']:g} MeV)")
    t = ds["t"].values * 1e3
    ax = axes[0, 0]
    ax.semilogy(t, ds["f01_abs"], color="C0", lw=2, label="|f01| (nu)")
    ax.semilogy(t, ds["f01bar_abs"], color="C1", ls="--", lw=1.5, label="|f01bar| (nubar)")
    i0, i1 = ds.attrs["i0"], ds.attrs["i1"]
    rate = ds.attrs["growth_rate_analytic_per_s"]
    ref = ds["f01_abs"].values[i0] * np.exp(rate * (ds["t"].values - ds["t"].values[i0]))
    window = slice(max(i0 - 20, 0), i1 + 5)
    ax.semilogy(t[window], ref[window], color="k", ls=":", lw=1.5, label=f"analytic e^(V t/hbar), {rate:.1f}/s")
    ax.axvspan(t[i0], t[i1], color="0.9", label="measured window (Emu's method)")
    ax.set_xlabel(axis_label("t", "ms"))
    ax.set_ylabel(axis_label("flavor coherence", None))
    ax.set_title(f"measured {ds.attrs['growth_rate_per_s']:.1f}/s vs analytic {rate:.1f}/s", fontsize=9)
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    ax.plot(t, ds["rho_ee"], color="C2", lw=2)
    ax.set_xlabel(axis_label("t", "ms"))
    ax.set_ylabel(axis_label("nu_e occupation rho_ee", None))
    return fig


SUMMARY_KEYS = {
    "growth_rate_per_s": "nupair's rate measured as Emu's script measures it (mean of the four series) [1/s]",
    "growth_rate_analytic_per_s": "Chakraborty et al. 2016 eq. 2.7 (a = 0, mu = V/2): V/hbar [1/s]",
    "growth_rate_components_per_s": "rates from Re f01, Im f01, Re f01bar, Im f01bar [1/s]",
    "growth_rate_linear_per_s": "max Re lambda of nupair's linearized equations [1/s]",
    "relative_error": "|measured - analytic| / analytic of the worst series",
    "emu_tolerance": "Emu's tolerance (2e-2)",
    "within_emu_tolerance": "every series within Emu's tolerance",
}


def summary(ds: xr.Dataset) -> dict:
    comps = ds["growth_rate_components"].values
    analytic = ds.attrs["growth_rate_analytic_per_s"]
    errs = np.abs(comps - analytic) / analytic
    worst = float(np.max(errs)) if np.all(np.isfinite(errs)) else None
    return {
        "growth_rate_per_s": finite_or_none(ds.attrs["growth_rate_per_s"]),
        "growth_rate_analytic_per_s": float(analytic),
        "growth_rate_components_per_s": [finite_or_none(v) for v in comps],
        "growth_rate_linear_per_s": float(ds.attrs["growth_rate_linear_per_s"]),
        "relative_error": worst,
        "emu_tolerance": EMU_TOLERANCE,
        "within_emu_tolerance": bool(worst is not None and worst < EMU_TOLERANCE),
    }


SCENARIO = Scenario(
    name="flavor-fast-two-beam",
    description="Emu's homogeneous fast-flavor two-beam test: nupair's measured growth rate beside the analytic one",
    reference=REFERENCE,
    parameters=Parameters,
    tasks=tasks,
    assemble=assemble,
    plot=plot,
    summary=summary,
    summary_keys=SUMMARY_KEYS,
    cost_s=cost_s,
)
