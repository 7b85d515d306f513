"""Neutrino-force potentials over thirty decades of distance: X.-J. Xu, "Neutrino forces and
experimental probes" (talk, based on arXiv:2112.03060, 2203.05455, 2209.07082); Feinberg & Sucher,
Phys. Rev. 166 (1968) 1638; Grifols, Masso & Toldra, PLB 389 (1996) 563.

Spec ``shared/spec/forces.md`` sections 1, 2 and 7.1. V(r) for electron-electron, proton-proton,
neutron-neutron and a tungsten-atom pair, for massive Dirac or Majorana neutrinos with NuFIT 6.0
mixing, with Newtonian gravity on the same plot and the regimes labelled: r < 1/m_W (the contact
approximation fails; the spec-3 t-channel model, Coulomb-like 1/r, is drawn dashed), the 1/r^5 window, and r > 1/(2 m_nu) where the
force is cut off exponentially.
"""

from __future__ import annotations

from functools import partial
from typing import Literal

import numpy as np
import xarray as xr

from nupair import constants as const
from nupair import flavor, forces
from nupair.plotting import axis_label, new_figure
from pydantic import model_validator

from nupair.scenarios._base import Scenario, ScenarioParameters, Task, TaskContext, param, variable

__all__ = ["Parameters", "tasks", "cost_s", "memory_bytes", "MEMORY_PARAMETERS", "assemble", "plot", "summary", "SCENARIO", "SUMMARY_KEYS"]

PAIRS = {
    "e-e": ("electron", "electron"),
    "p-p": ("proton", "proton"),
    "n-n": ("neutron", "neutron"),
    "W184-W184": (forces.Body(74, 110), forces.Body(74, 110)),
}


class Parameters(ScenarioParameters):
    """Potential-curve parameters."""

    lightest_mass_eV: float = param(0.01, unit="eV", ge=0.0, le=1.0, description="lightest neutrino mass")
    ordering: Literal["normal", "inverted"] = param("normal", unit="", allowed="'normal' or 'inverted'",
                                                     description="mass ordering")
    nature: Literal["dirac", "majorana"] = param("dirac", unit="", allowed="'dirac' or 'majorana'",
                                                  description="neutrino nature")
    r_min_m: float = param(1e-20, unit="m", ge=1e-25, le=1e26, description="smallest distance")
    r_max_m: float = param(1e-3, unit="m", ge=1e-25, le=1e26, description="largest distance")
    n_r: int = param(601, unit="1", ge=10, le=1_000_000, description="distances (log grid)")
    mediator_mass_eV: float = param(const.m_Z, unit="eV", ge=1e3, le=1e15,
                                    description="t-channel mediator mass M (short-distance model)")
    scalar_lambda_eV: float = param(1e13, unit="eV", ge=1.0, le=1e28,
                                    description="scale Lambda of the -(1/Lambda) fbar f phi^2 comparison force (per constituent)")

    @model_validator(mode="after")
    def _rules(self):
        if self.r_max_m <= self.r_min_m:
            raise ValueError(f"r_max_m = {self.r_max_m:g} must exceed r_min_m = {self.r_min_m:g}")
        return self


def _r(params: Parameters) -> np.ndarray:
    return np.geomspace(params.r_min_m, params.r_max_m, params.n_r)


def _pair(params: Parameters, name: str, ctx: TaskContext) -> dict:
    """Massive, massless, short-distance and scalar-comparison potentials and gravity for one pair."""
    a, b = PAIRS[name]
    r = _r(params)
    masses = flavor.masses_from_lightest(params.lightest_mass_eV, params.ordering)
    # per-constituent couplings add: 1/Lambda_body = (number of constituents) / Lambda
    na, nb = forces.constituent_count(a), forces.constituent_count(b)
    return {"v": forces.potential(r, a, b, masses_eV=masses, nature=params.nature),
            "v0": forces.potential(r, a, b),
            "vt": forces.t_channel_potential(r, a, b, mediator_mass_eV=params.mediator_mass_eV),
            "vs": forces.scalar_pair_potential(r, params.scalar_lambda_eV / na, params.scalar_lambda_eV / nb),
            "grav": -const.G_N * forces.source_mass_eV(a) * forces.source_mass_eV(b) / (r * const.meter),
            "crossing_radius_m": forces.crossing_radius(a, b)}


def tasks(params: Parameters, seed) -> list[Task]:
    """One task per source pair."""
    return [Task(name, partial(_pair, params, name)) for name in PAIRS]


def cost_s(params: Parameters) -> float:
    """Estimated wall time [s]: ~1 us per distance and pair (default ~1.4 s, mostly start-up and
    figure; calibrated in benchmarks/estimates.py)."""
    return 1.4 + 4 * params.n_r * 1e-6


MEMORY_PARAMETERS = ("n_r",)


def memory_bytes(params: Parameters) -> float:
    """Estimated peak memory [bytes]: the interpreter (~330 MiB) and ~900 bytes per distance (the
    potentials of every variant; measured 1.13 GiB at n_r = 1e6, benchmarks/estimates.py)."""
    return 330 * 2**20 + 900.0 * params.n_r


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    """Massless and massive potentials and gravity for every pair (packaging only)."""
    r = _r(params)
    masses = flavor.masses_from_lightest(params.lightest_mass_eV, params.ordering)
    v, v0, vt, vs, grav = ([results[name][k] for name in PAIRS] for k in ("v", "v0", "vt", "vs", "grav"))
    names = np.array(list(PAIRS))
    ds = xr.Dataset(
        {
            "potential": variable(("pair", "r"), np.array(v), "eV", f"two-neutrino-exchange potential ({params.nature}, massive)"),
            "potential_massless": variable(("pair", "r"), np.array(v0), "eV", "massless limit C G_F^2 / (4 pi^3 r^5)"),
            "potential_short_range": variable(("pair", "r"), np.array(vt), "eV",
                                              "massless, contact vertex opened by a t-channel mediator (illustrative)"),
            "scalar_potential": variable(("pair", "r"), np.array(vs), "eV",
                                         "comparison: two-scalar exchange -1/(16 pi^3 Lambda_a Lambda_b r^3) "),
            "gravity": variable(("pair", "r"), np.array(grav), "eV", "Newtonian gravity -G m_a m_b / r"),
            "crossing_radius": variable(("pair",), [results[name]["crossing_radius_m"] for name in PAIRS], "m",
                                        "distance where |V_nu| = |V_grav| (massless)"),
            "masses": variable(("mass_state",), masses, "eV", "neutrino masses m_1, m_2, m_3"),
        },
        coords={"pair": variable(("pair",), names, "1", "source pair"),
                "r": variable(("r",), r, "m", "distance"),
                "mass_state": variable(("mass_state",), np.arange(1, 4), "1", "mass eigenstate")},
    )
    ds.attrs.update({"nature": params.nature, "ordering": params.ordering,
                     "r_weak_m": (1.0 / const.m_W) / const.meter,
                     "r_mediator_m": (1.0 / params.mediator_mass_eV) / const.meter,
                     "scalar_lambda_eV": params.scalar_lambda_eV,
                     "r_mass_m": (1.0 / (2.0 * masses.max())) / const.meter if masses.max() > 0 else np.inf})
    return ds


def plot(ds: xr.Dataset):
    """(a) |V(r)| on log-log axes with gravity and the regimes; (b) the effective coupling
    4 pi^3 r^5 |V| / G_F^2, which is the constant C_ab of Feinberg & Sucher where the contact
    1/r^5 law holds, so that pairs whose |V| coincide on 100 decades stay distinct."""
    from matplotlib.ticker import FixedLocator, NullLocator

    fig, axes = new_figure(1, 2, width_in=12.0, height_in=5.0,
                           title=f"Neutrino force vs gravity ({ds.attrs['nature']}, {ds.attrs['ordering']} ordering)")
    r = ds["r"].values
    ax = axes[0, 0]
    for k, name in enumerate(ds["pair"].values):
        # e-e and n-n differ by 25 % on a 130-decade axis: e-e drawn wide and pale underneath
        wide = {"lw": 5.0, "alpha": 0.4} if k == 0 else {"lw": 1.5}
        ax.loglog(r, np.abs(ds["potential"].sel(pair=name)), color=f"C{k}", label=f"|V_nu| {name}", **wide)
        ax.loglog(r, np.abs(ds["gravity"].sel(pair=name)), color=f"C{k}", ls=":", lw=0.9)
        ax.loglog(r, np.abs(ds["potential_short_range"].sel(pair=name)), color=f"C{k}", ls="--", lw=0.8)
    ax.loglog(r, np.abs(ds["scalar_potential"].sel(pair="p-p")), color="0.3", ls="-.", lw=0.8,
              label=f"two-scalar exchange p-p (1/r^3, Lambda = {ds.attrs['scalar_lambda_eV']:.0e} eV)")
    ax.set_ylim(1e-110, 1e30)
    ax.yaxis.set_major_locator(FixedLocator(10.0 ** np.arange(-110, 31, 20)))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.set_xlabel(axis_label("r", "m"))
    ax.set_ylabel(axis_label("|V|", "eV"))
    ax.legend(fontsize=7, loc="lower left",
              title="solid: neutrino pair; dotted: gravity;\ndashed: t-channel short-distance model", title_fontsize=7)
    ax = axes[0, 1]
    scale = 4.0 * np.pi**3 * (r * const.meter) ** 5 / const.G_F**2
    for k, name in enumerate(ds["pair"].values):
        ax.loglog(r, np.abs(ds["potential"].sel(pair=name)) * scale, color=f"C{k}", lw=1.5, label=name)
        ax.loglog(r, np.abs(ds["potential_short_range"].sel(pair=name)) * scale, color=f"C{k}", ls="--", lw=0.8)
    ax.set_ylim(1e-4, 1e6)
    ax.set_xlabel(axis_label("r", "m"))
    ax.set_ylabel(axis_label("4 pi^3 r^5 |V| / G_F^2  (= C_ab in the 1/r^5 regime)", None))
    for x, text in ((ds.attrs["r_weak_m"], "1/m_W"), (ds.attrs["r_mass_m"], "1/(2 m_3)")):
        if np.isfinite(x):
            for a in axes[0]:
                a.axvline(x, color="0.5", ls="--", lw=0.8)
            ax.text(x * 1.5, 5e5, text, fontsize=8, va="top")
    ax.legend(fontsize=7, loc="center", bbox_to_anchor=(0.5, 0.6), title="solid: full; dashed: t-channel model\ncontact 1/r^5 law between 1/m_W and 1/(2 m_3)",
              title_fontsize=7)
    return fig


SUMMARY_KEYS = {
    "crossing_radius_m": "pair -> distance where the massless force equals gravity [m]",
    "potential_at_1nm_eV": "pair -> V(1 nm) [eV] (massive)",
    "ratio_to_gravity_at_1um": "pair -> |V_nu / V_grav| at 1 micrometre (massive)",
    "massive_over_massless_at_1um": "pair -> suppression by the neutrino masses at 1 micrometre",
    "short_range_over_contact_at_1e-19m": "pair -> t-channel model / 1/r^5 law at r = 1e-19 m (< 1/m_Z)",
}


def summary(ds: xr.Dataset) -> dict:
    """Crossing radii and potentials at reference distances."""
    out = {"crossing_radius_m": {}, "potential_at_1nm_eV": {}, "ratio_to_gravity_at_1um": {},
           "massive_over_massless_at_1um": {}, "short_range_over_contact_at_1e-19m": {}}
    for name in ds["pair"].values:
        p = ds.sel(pair=name)
        out["crossing_radius_m"][str(name)] = float(p["crossing_radius"])
        logr = np.log(ds["r"].values)
        interp = lambda v, x: float(np.exp(np.interp(np.log(x), logr, np.log(np.abs(v)))))  # noqa: E731
        if ds["r"].values[0] <= 1e-9 <= ds["r"].values[-1]:
            out["potential_at_1nm_eV"][str(name)] = interp(p["potential"].values, 1e-9)
        if ds["r"].values[0] <= 1e-6 <= ds["r"].values[-1]:
            out["ratio_to_gravity_at_1um"][str(name)] = interp(p["potential"].values, 1e-6) / interp(p["gravity"].values, 1e-6)
            out["massive_over_massless_at_1um"][str(name)] = interp(p["potential"].values, 1e-6) / interp(p["potential_massless"].values, 1e-6)
        if ds["r"].values[0] <= 1e-19 <= ds["r"].values[-1]:
            out["short_range_over_contact_at_1e-19m"][str(name)] = (
                interp(p["potential_short_range"].values, 1e-19) / interp(p["potential_massless"].values, 1e-19))
    return out


SCENARIO = Scenario(
    name="forces-potentials",
    description="Neutrino-force potentials e-e, p-p, n-n, W-W over many decades, with gravity (Xu talk; Grifols et al.)",
    reference="X.-J. Xu, talk 'Neutrino forces and experimental probes'; Feinberg & Sucher 1968; Grifols, Masso & Toldra 1996",
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
