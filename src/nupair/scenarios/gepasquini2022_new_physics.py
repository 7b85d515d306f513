"""New physics in RENP: spectral distortions and sensitivity reach for a light vector Z' and a
light scalar phi, and the transition dipole moments against the effective-moment bounds
(Ge & Pasquini, EPJC 82 (2022) 208 [GP22], arXiv:2306.12953 [GP23], NuFact 2022 talk; spec
``shared/spec/renp.md`` section 4).

Reach: the coupling product (|g^e g^nu| for Z' with g^nu_L = g^nu x identity; |y^e y^nu_S| for
phi) at which Asimov data of "SM + mediator" exclude the SM (lightest mass free, normalisation
free, oscillation priors) at the chosen significance for a given scan time. Tree-level mediator
propagators have no width: masses with M^2 inside the scanned Q2 range are resonant and flagged.
Dipole moments: the photon-mediated spectrum of :mod:`nupair.renp.dipole` (derived from the
Lagrangian of spec 4.4, checked against Dirac traces over the phase space) gives the transition
moment |mu_ij| or |eps_ij| (one element at a time, Dirac like the true hypothesis) that the same
scan excludes; its effective moments are compared with the published bounds.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import xarray as xr
from pydantic import model_validator

from nupair import constants as const
from nupair import renp
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import Scenario, ScenarioParameters, Task, TaskContext, param, variable

__all__ = ["Parameters", "tasks", "cost_s", "assemble", "plot", "summary", "SCENARIO", "SUMMARY_KEYS"]

MEDIATORS = ("vector", "scalar")


class Parameters(ScenarioParameters):
    """New-physics parameters."""

    lightest_mass_eV: float = param(0.01, unit="eV", ge=0.0, le=1.0, description="true lightest mass (normal ordering, Dirac)")
    mass_min_eV: float = param(1e-3, unit="eV", ge=1e-9, le=1e9, description="lightest mediator mass")
    mass_max_eV: float = param(1e4, unit="eV", ge=1e-9, le=1e9, description="heaviest mediator mass")
    n_mass: int = param(15, unit="1", ge=2, le=500, description="mediator masses (log grid)")
    exposure_days: float = param(365.25, unit="day", ge=1e-3, le=1e5, description="total scan time")
    significance: float = param(3.0, unit="sigma", gt=0.0, le=10.0, description="required significance")
    n_bins: int = param(60, unit="1", ge=4, le=2000, description="trigger settings (bins in omega)")
    transition_moment_muB: float = param(1e-11, unit="mu_B", ge=0.0, le=1e-6,
                                         description="example Majorana transition moment mu_12 = -mu_21")

    @model_validator(mode="after")
    def _rules(self):
        if self.mass_max_eV <= self.mass_min_eV:
            raise ValueError(f"mass_max_eV = {self.mass_max_eV:g} must exceed mass_min_eV = {self.mass_min_eV:g}")
        return self


def _setup(params: Parameters):
    atom = renp.ATOMS["Yb"]
    h_sm = renp.Hypothesis("normal", "dirac", params.lightest_mass_eV)
    omega = renp.default_trigger_energies(h_sm, atom=atom, n_bins=params.n_bins)
    return atom, h_sm, omega, renp.Experiment(n_bins=params.n_bins, omega_eV=omega)


def _masses(params: Parameters) -> np.ndarray:
    return np.geomspace(params.mass_min_eV, params.mass_max_eV, params.n_mass)


def _reach(params: Parameters, mass: float, ctx: TaskContext) -> tuple:
    """The vector and the scalar reach at one mass (renp.mediator_reach each)."""
    _, h_sm, _, exp = _setup(params)
    return tuple(renp.mediator_reach(kind, mass, h_sm, exp, params.exposure_days * const.day_s, params.significance)
                 for kind in MEDIATORS)


DIPOLE_KINDS = renp.new_physics.DIPOLE_KINDS
DIPOLE_ELEMENTS = renp.new_physics.DIPOLE_ELEMENTS


def _dipole_reach(params: Parameters, ctx: TaskContext) -> renp.DipoleReach:
    """|mu_ij| and |eps_ij| [mu_B] excluded at the significance (nan where the solve failed)."""
    _, h_sm, _, exp = _setup(params)
    return renp.dipole_reach(h_sm, exp, params.exposure_days * const.day_s, params.significance)


def _distortions(params: Parameters, ctx: TaskContext) -> np.ndarray:
    """I(SM + mediator at its reach) / I(SM) at the lightest mediator mass, (mediator, omega)."""
    _, _, omega, _ = _setup(params)
    first = ctx.results[_reach_task_name(0, float(_masses(params)[0]))]
    out = np.full((len(MEDIATORS), omega.size), np.nan)
    for a, r in enumerate(first):
        if r.ok:
            out[a] = renp.spectrum_distortion(omega, params.lightest_mass_eV, r.kind, r.mass_eV, r.value)
    return out


def _bounds(params: Parameters, ctx: TaskContext) -> renp.BoundComparison:
    """Effective moments of the example Majorana moment mu_12 = -mu_21 and of the dipole reach."""
    mu = np.zeros((3, 3))
    mu[0, 1], mu[1, 0] = params.transition_moment_muB, -params.transition_moment_muB
    return renp.compare_with_bounds(renp.DipoleMoments(mu, nature="majorana"), ctx.results["dipole moments"])


def _standard_model(params: Parameters, ctx: TaskContext) -> dict:
    """The SM reference of the scan: Q2 at the trigger energies [eV^2], the SM spectrum I(omega)
    and the thresholds (channels, omega_ij [eV]) of the true masses."""
    atom, _, omega, exp = _setup(params)
    return {"omega_eV": omega, "rate_s": exp.rate_s, "q2_eV2": renp.pair_invariant(omega, atom),
            "spectrum": renp.spectrum(omega, lightest_mass_eV=params.lightest_mass_eV),
            "thresholds": renp.threshold_table([params.lightest_mass_eV], "normal")}


def _reach_task_name(k: int, mass: float) -> str:
    return f"{k}: M={mass:.6g}"


def tasks(params: Parameters, seed) -> list[Task]:
    """One task per mediator mass (the vector and scalar reach), the dipole-moment reach, then the
    distortions at the reach and the comparison with the published bounds."""
    return ([Task(_reach_task_name(k, float(m)), partial(_reach, params, float(m))) for k, m in enumerate(_masses(params))]
            + [Task("dipole moments", partial(_dipole_reach, params), cost=1.0),
               Task("distortions", partial(_distortions, params), cost=0.05),
               Task("bounds", partial(_bounds, params), cost=0.01),
               Task("standard model", partial(_standard_model, params), cost=0.01)])


def cost_s(params: Parameters) -> float:
    """Estimated wall time [s]: ~0.2 s per mass and mediator with 60 bins (default ~6 s)."""
    return 3.0 + params.n_mass * 2 * 0.1 * (params.n_bins / 60.0)


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    """Reach curves, example distortions and the dipole-moment comparison (packaging only)."""
    sm_ref = results["standard model"]
    omega = sm_ref["omega_eV"]
    q2, sm = sm_ref["q2_eV2"], sm_ref["spectrum"]
    channels, threshold_rows = sm_ref["thresholds"]
    masses = _masses(params)
    time_s = params.exposure_days * const.day_s
    rows = [results[_reach_task_name(k, float(m))] for k, m in enumerate(masses)]
    reach = np.array([[r[a].value for r in rows] for a in range(len(MEDIATORS))])
    outcome = np.array([[r[a].outcome for r in rows] for a in range(len(MEDIATORS))])
    resonant = (masses**2 >= q2.min()) & (masses**2 <= q2.max())
    comparison: renp.BoundComparison = results["bounds"]
    bounds = comparison.bounds
    return xr.Dataset(
        {"reach": variable(("mediator", "mass"), reach, "1", "coupling product excluded at the significance"),
         "reach_status": variable(("mediator", "mass"), outcome.astype(str), "1",
                                  "outcome of the reach solve (successful, resonant, non_finite, ...)"),
         "resonant": variable(("mass",), resonant, "1", "M^2 inside the scanned Q2 range (tree formula singular)"),
         "distortion": variable(("mediator", "omega"), results["distortions"], "1",
                                "I(SM + mediator at its reach, lightest mediator mass) / I(SM)"),
         "effective_moment": variable(("bound",), comparison.example_effective_muB, "mu_B",
                                      "effective moment of the example transition moment"),
         "bound_limit": variable(("bound",), [b.limit_muB for b in bounds], "mu_B", "published upper limit"),
         "bound_reference": variable(("bound",), np.array([b.reference for b in bounds]), "1", "reference"),
         "threshold_12": variable((), threshold_rows[0][channels.index("12")], "eV",
                                  "omega_12: mu_12 contributes only below it"),
         "threshold": variable(("channel",), threshold_rows[0], "eV", "threshold omega_ij of the true spectrum"),
         "dipole_reach": variable(("dipole_kind", "element"), results["dipole moments"].value_muB, "mu_B",
                                  "transition moment |mu_ij| or |eps_ij| excluded at the significance (Dirac)"),
         "dipole_reach_effective": variable(("dipole_kind", "element", "bound"), comparison.reach_effective_muB, "mu_B",
                                            "effective moment of that reach for each probe")},
        coords={"mediator": variable(("mediator",), np.array(MEDIATORS), "1", "mediator type"),
                "mass": variable(("mass",), masses, "eV", "mediator mass"),
                "omega": variable(("omega",), omega, "eV", "photon (trigger) energy"),
                "bound": variable(("bound",), np.array([b.probe for b in bounds]), "1", "probe"),
                "channel": variable(("channel",), np.array(channels), "1", "mass channel ij"),
                "dipole_kind": variable(("dipole_kind",), np.array(DIPOLE_KINDS), "1", "magnetic (mu) or electric (eps)"),
                "element": variable(("element",), np.array([f"{i}{j}" for i, j in DIPOLE_ELEMENTS]), "1",
                                    "mass-basis element ij")},
        attrs={"exposure_days": params.exposure_days, "lightest_mass_eV": params.lightest_mass_eV, "significance": params.significance,
               "events_sm": float(sm_ref["rate_s"] * time_s * sm.mean()), "transition_moment_muB": params.transition_moment_muB},
    )


def plot(ds: xr.Dataset):
    fig, axes = new_figure(1, 3, width_in=15.0, height_in=4.6, title="RENP new physics: light mediators and dipole moments")
    ax = axes[0, 0]
    m = ds["mass"].values
    for a, kind in enumerate(ds["mediator"].values):
        ax.loglog(m, ds["reach"].sel(mediator=kind), "o-", color=f"C{a}",
                  label="|g^e g^nu| (vector)" if kind == "vector" else "|y^e y^nu| (scalar)")
    res = ds["resonant"].values
    if res.any():
        ax.axvspan(m[res].min(), m[res].max(), color="0.85", label="resonant (no width)")
    ax.set_xlabel(axis_label("mediator mass", "eV"))
    ax.set_ylabel(axis_label(f"coupling product ({ds.attrs['significance']:g} sigma, {ds.attrs['exposure_days']:g} d)", None))
    ax.legend(fontsize=7)
    ax = axes[0, 1]
    half = float(ds["omega"].max())
    for a, kind in enumerate(ds["mediator"].values):
        ax.plot((half - ds["omega"].values) * 1e6, ds["distortion"].sel(mediator=kind), color=f"C{a}", label=str(kind))
    ax.set_xlabel(axis_label("omega_max - omega", "micro-eV"))
    ax.set_ylabel(axis_label("I / I_SM at the reach", None))
    ax.legend(fontsize=7)
    ax = axes[0, 2]
    x = np.arange(ds.sizes["bound"])
    ax.bar(x - 0.2, ds["bound_limit"], 0.4, label="published limit")
    ax.bar(x + 0.2, ds["effective_moment"], 0.4, label=f"mu_12 = {ds.attrs['transition_moment_muB']:.1e} mu_B (effective)")
    if "dipole_reach_effective" in ds:
        for a, kind in enumerate(ds["dipole_kind"].values):
            ax.plot(x, ds["dipole_reach_effective"].sel(dipole_kind=kind, element="12"), "v^"[a], ms=8, color="k",
                    mfc="none" if a else "k", label=f"RENP reach, {kind} 12 ({ds.attrs['exposure_days']:g} d)")
    ax.set_yscale("log")
    ax.set_xticks(x, [str(b)[:22] for b in ds["bound"].values], rotation=20, fontsize=6)
    ax.set_ylabel(axis_label("magnetic moment", "mu_B"))
    ax.legend(fontsize=7)
    return fig


SUMMARY_KEYS = {
    "oscillation_fit": "the oscillation parameters used (default NuFIT 6.0, column 'IC24 with SK atmospheric data')",
    "reach_vector": "mediator mass [eV] -> |g^e g^nu| excluded at the significance (NaN: no sensitivity)",
    "reach_scalar": "mediator mass [eV] -> |y^e y^nu| excluded at the significance",
    "best_reach_vector": "smallest |g^e g^nu| over non-resonant masses", "best_reach_scalar": "smallest |y^e y^nu| over non-resonant masses",
    "resonant_masses_eV": "mediator masses with M^2 inside the scanned Q2 range (tree formula singular there)",
    "events_sm": "expected SM events in the scan",
    "reach_<kind>_failed": "mediator mass [eV] -> why no reach was found there (resonant, non_finite, max_iterations_reached)",
    "effective_moment_over_bound": "probe -> effective moment of the example transition moment / published limit",
    "dipole_spectrum": "status of the dipole-moment RENP spectral function",
    "dipole_reach_muB": "magnetic/electric -> element ij -> |mu_ij| or |eps_ij| [mu_B] excluded at the significance (Dirac)",
    "dipole_reach_over_bound": "magnetic/electric -> element ij -> probe -> effective moment of the reach / published limit",
    "thresholds_eV": "channel ij -> omega_ij [eV] of the true spectrum (normal ordering, Yb)",
}


def summary(ds: xr.Dataset) -> dict:
    m = ds["mass"].values
    res = ds["resonant"].values
    out = {}
    out["oscillation_fit"] = const.FIT_LABELS[const.DEFAULT_FIT]
    for kind in ds["mediator"].values:
        r = ds["reach"].sel(mediator=kind).values
        out[f"reach_{kind}"] = {f"{x:.4g}": (float(v) if np.isfinite(v) else None) for x, v in zip(m, r)}
        ok = np.isfinite(r) & ~res
        out[f"best_reach_{kind}"] = float(r[ok].min()) if ok.any() else None
        st = ds["reach_status"].sel(mediator=kind).values
        out[f"reach_{kind}_failed"] = {f"{x:.4g}": str(v) for x, v in zip(m, st) if v != "successful"}
    out["resonant_masses_eV"] = [float(x) for x in m[res]]
    out["events_sm"] = ds.attrs["events_sm"]
    out["effective_moment_over_bound"] = {str(b): float(e / lim) for b, e, lim in zip(
        ds["bound"].values, ds["effective_moment"].values, ds["bound_limit"].values)}
    out["thresholds_eV"] = {str(c): float(v) for c, v in zip(ds["channel"].values, ds["threshold"].values)}
    out["dipole_spectrum"] = ("implemented (nupair.renp.dipole): derived from the Lagrangian of arXiv:2306.12953 "
                              "(the stored copy holds no formulas), checked against Dirac traces over the phase space; "
                              "no interference with the weak term for unpolarised atoms")
    out["dipole_reach_muB"] = {str(k): {str(e): (float(v) if np.isfinite(v) else None)
                                        for e, v in zip(ds["element"].values, ds["dipole_reach"].sel(dipole_kind=k).values)}
                               for k in ds["dipole_kind"].values}
    out["dipole_reach_over_bound"] = {
        str(k): {str(e): {str(b): float(v / lim) for b, v, lim in zip(
            ds["bound"].values, ds["dipole_reach_effective"].sel(dipole_kind=k, element=e).values,
            ds["bound_limit"].values) if np.isfinite(v)} for e in ds["element"].values}
        for k in ds["dipole_kind"].values}
    return out


SCENARIO = Scenario(
    name="renp-new-physics",
    description="RENP reach for light Z'/scalar mediators and dipole moments vs effective-moment bounds (Ge & Pasquini)",
    reference="S.-F. Ge, P. Pasquini, EPJC 82 (2022) 208; arXiv:2306.12953",
    parameters=Parameters,
    tasks=tasks,
    assemble=assemble,
    cost_s=cost_s,
    plot=plot,
    summary=summary,
    summary_keys=SUMMARY_KEYS,
)
