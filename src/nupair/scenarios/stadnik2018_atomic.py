"""Neutrino-force shifts of hydrogen, positronium and muonium transitions against their measured
precision (Stadnik, PRL 120 (2018) 223202; spec ``shared/spec/forces.md`` section 7.2).

Two treatments of the short-distance region that dominates s states: the hard cutoff at r_c
(Stadnik's approach; default r_c = 1/m_W) and the t-channel all-distance model (spec 3, default
M = m_Z, mu_R = M). The second makes the volume integral of V vanish (V(q = 0) = 0), so the s-state
shift is set by the cusp of |psi|^2 at the origin and is smaller than the cutoff estimate by
~1/(M a_0), with the opposite sign. The mediator mass is scanned to show how each treatment
depends on its ultraviolet scale.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import xarray as xr
from pydantic import model_validator

from nupair import constants as const
from nupair import forces
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import Scenario, ScenarioParameters, Task, TaskContext, param, variable

__all__ = ["Parameters", "tasks", "cost_s", "assemble", "plot", "summary", "SCENARIO", "SUMMARY_KEYS"]


class Parameters(ScenarioParameters):
    """Atomic-spectroscopy scenario parameters."""

    mediator_mass_eV: float = param(const.m_Z, unit="eV", ge=1e6, le=1e16, description="t-channel mediator mass M")
    cutoff_m: float = param((1.0 / const.m_W) / const.meter, unit="m", ge=1e-31, le=1e-13,
                            description="hard cutoff r_c (below the atomic scale)")
    scale_min_eV: float = param(1e9, unit="eV", ge=1e6, le=1e16, description="smallest UV scale in the scan (M or 1/r_c)")
    scale_max_eV: float = param(1e13, unit="eV", ge=1e6, le=1e16, description="largest UV scale in the scan")
    n_scale: int = param(9, unit="1", ge=2, le=200, description="UV scales in the scan (log grid)")

    @model_validator(mode="after")
    def _rules(self):
        if self.scale_max_eV <= self.scale_min_eV:
            raise ValueError(f"scale_max_eV = {self.scale_max_eV:g} must exceed scale_min_eV = {self.scale_min_eV:g}")
        return self


def _label(m: forces.SpectroscopyMeasurement) -> str:
    letters = "SPDFG"
    return f"{m.system} {m.lower[0]}{letters[m.lower[1]]}-{m.upper[0]}{letters[m.upper[1]]}"


def _scales(params: Parameters) -> np.ndarray:
    return np.geomspace(params.scale_min_eV, params.scale_max_eV, params.n_scale)


def _transition(params: Parameters, index: int, ctx: TaskContext) -> dict:
    """Both treatments of one measured transition, at the chosen scales and over the scan."""
    m = forces.SPECTROSCOPY_MEASUREMENTS[index]
    hi = forces.level_shift(m.system, *m.upper, mediator_mass_eV=params.mediator_mass_eV, return_error=True)
    lo = forces.level_shift(m.system, *m.lower, mediator_mass_eV=params.mediator_mass_eV, return_error=True)
    scales = _scales(params)
    return {"t": hi[0] - lo[0], "t_err": hi[1] + lo[1],
            "c": forces.transition_shift(m.system, m.lower, m.upper, model="cutoff", cutoff_m=params.cutoff_m),
            "t_scan": np.array([forces.transition_shift(m.system, m.lower, m.upper, mediator_mass_eV=s) for s in scales]),
            "c_scan": np.array([forces.transition_shift(m.system, m.lower, m.upper, model="cutoff",
                                                        cutoff_m=1 / (s * const.meter)) for s in scales])}


def tasks(params: Parameters, seed) -> list[Task]:
    """One task per measured transition."""
    return [Task(_label(m), partial(_transition, params, k)) for k, m in enumerate(forces.SPECTROSCOPY_MEASUREMENTS)]


def cost_s(params: Parameters) -> float:
    """Estimated wall time [s]: ~1.4 s of start-up and figure, ~2e-3 s per transition and scale
    (default ~1.5 s; calibrated in benchmarks/estimates.py)."""
    return 1.4 + len(forces.SPECTROSCOPY_MEASUREMENTS) * (params.n_scale + 1) * 2e-3


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    """Transition shifts (both treatments) at the chosen scales and over the scale scan."""
    meas = forces.SPECTROSCOPY_MEASUREMENTS
    scales = _scales(params)
    rows = [results[_label(m)] for m in meas]
    t_shift, t_err, c_shift = [r["t"] for r in rows], [r["t_err"] for r in rows], [r["c"] for r in rows]
    t_scan, c_scan = np.array([r["t_scan"] for r in rows]), np.array([r["c_scan"] for r in rows])
    names = np.array([_label(m) for m in meas])
    return xr.Dataset(
        {"shift_t_channel": variable(("transition",), t_shift, "eV", "transition shift, t-channel model (M, mu_R = M)"),
         "shift_t_channel_error": variable(("transition",), t_err, "eV", "quadrature error estimate of shift_t_channel"),
         "shift_cutoff": variable(("transition",), c_shift, "eV", "transition shift, 1/r^5 cut off at r_c"),
         "uncertainty": variable(("transition",), [m.uncertainty_eV for m in meas], "eV", "measurement uncertainty (1 sigma)"),
         "scan_t_channel": variable(("transition", "scale"), t_scan, "eV", "transition shift vs mediator mass M"),
         "scan_cutoff": variable(("transition", "scale"), c_scan, "eV", "transition shift vs 1/r_c"),
         "reference": variable(("transition",), np.array([m.reference for m in meas]), "1", "measurement")},
        coords={"transition": variable(("transition",), names, "1", "transition"),
                "scale": variable(("scale",), scales, "eV", "UV scale: M (t-channel) or 1/r_c (cutoff)")},
        attrs={"mediator_mass_eV": params.mediator_mass_eV, "cutoff_m": params.cutoff_m},
    )


def plot(ds: xr.Dataset):
    """Left: |shift| / uncertainty per transition; right: hydrogen 1S-2S vs the UV scale."""
    fig, axes = new_figure(1, 2, width_in=11.0, height_in=4.6, title="Neutrino-force shifts of atomic transitions")
    ax = axes[0, 0]
    x = np.arange(ds.sizes["transition"])
    unc = ds["uncertainty"].values
    ax.bar(x - 0.2, np.abs(ds["shift_cutoff"].values) / unc, 0.4, label=f"cutoff r_c = {ds.attrs['cutoff_m']:.2e} m")
    ax.bar(x + 0.2, np.abs(ds["shift_t_channel"].values) / unc, 0.4,
           label=f"t-channel model, M = {ds.attrs['mediator_mass_eV']:.3g} eV")
    ax.axhline(1.0, color="k", lw=0.8)
    ax.set_yscale("log")
    ax.set_xticks(x, ds["transition"].values, rotation=20, fontsize=7)
    ax.set_ylabel(axis_label("|delta E| / sigma_exp", None))
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    s = ds["scale"].values
    for k, name in enumerate(ds["transition"].values):
        ax.loglog(s, np.abs(ds["scan_cutoff"].values[k]) / unc[k], color=f"C{k}", label=f"{name}: cutoff")
        ax.loglog(s, np.abs(ds["scan_t_channel"].values[k]) / unc[k], color=f"C{k}", ls="--", label=f"{name}: t-channel")
    ax.axhline(1.0, color="k", lw=0.8)
    ax.set_xlabel(axis_label("UV scale (M or 1/r_c)", "eV"))
    ax.set_ylabel(axis_label("|delta E| / sigma_exp", None))
    ax.legend(fontsize=6)
    return fig


SUMMARY_KEYS = {
    "shift_cutoff_eV": "transition -> shift with the hard cutoff r_c [eV]",
    "shift_t_channel_eV": "transition -> shift with the t-channel model [eV]",
    "uncertainty_eV": "transition -> measurement uncertainty [eV]",
    "cutoff_over_precision": "transition -> |shift (cutoff)| / uncertainty",
    "t_channel_over_precision": "transition -> |shift (t-channel)| / uncertainty",
    "t_channel_over_cutoff": "transition -> shift (t-channel) / shift (cutoff)",
    "best_ratio_to_precision": "largest |shift| / uncertainty over transitions and treatments",
    "cutoff_scale_for_detection_eV": "transition -> 1/r_c at which the cutoff shift equals the uncertainty [eV]",
}


def summary(ds: xr.Dataset) -> dict:
    """Shifts, ratios to the measurement precision and the detection scale of the cutoff estimate."""
    names = [str(n) for n in ds["transition"].values]
    unc, tc, cu = ds["uncertainty"].values, ds["shift_t_channel"].values, ds["shift_cutoff"].values
    rc_ev = 1.0 / (ds.attrs["cutoff_m"] * const.meter)
    return {
        "shift_cutoff_eV": dict(zip(names, map(float, cu))),
        "shift_t_channel_eV": dict(zip(names, map(float, tc))),
        "uncertainty_eV": dict(zip(names, map(float, unc))),
        "cutoff_over_precision": dict(zip(names, map(float, np.abs(cu) / unc))),
        "t_channel_over_precision": dict(zip(names, map(float, np.abs(tc) / unc))),
        "t_channel_over_cutoff": dict(zip(names, map(float, tc / cu))),
        "best_ratio_to_precision": float(max((np.abs(cu) / unc).max(), (np.abs(tc) / unc).max())),
        # s-state cutoff shifts scale as 1/r_c^2: detection when (scale/rc_ev)^2 |shift| = sigma
        "cutoff_scale_for_detection_eV": {n: float(rc_ev * math.sqrt(u / abs(c))) for n, u, c in zip(names, unc, cu)},
    }


SCENARIO = Scenario(
    name="forces-atomic",
    description="Neutrino-force shifts of H, Ps and Mu transitions vs measurement precision (Stadnik 2018)",
    reference="Y.V. Stadnik, PRL 120 (2018) 223202; Xu & Yu arXiv:2112.03060",
    parameters=Parameters,
    tasks=tasks,
    assemble=assemble,
    cost_s=cost_s,
    plot=plot,
    summary=summary,
    summary_keys=SUMMARY_KEYS,
    notes="The t-channel short-distance model's Fourier transform vanishes at q = 0, so its integral over space is zero and s-level shifts are not dominated by the cutoff: the hydrogen 1S-2S shift is 7.5e-25 eV in the model against -2.1e-17 eV with a hard cutoff at 1/m_W. Which short-distance completion holds decides the size of the shift.",
)
