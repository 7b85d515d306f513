"""S.-J. Huang and M.-R. Wu, "Collective neutrino-antineutrino pair oscillations",
arXiv:2604.25687 (2026), Fig. 1: the two-pair model, cases A and B.

Spec: ``shared/spec/pairing.md`` sections 4, 4.1, 4.2. Integrates HW eqs. (8)-(11) from
kappa = 0 (the source term of eq. 13 seeds kappa) with mu/E = 1e-3, time in units of 1/mu, and
compares the growth rate fitted on the nonlinear evolution with the eigenvalues of eq. (14).

Note on case B: HW's text quotes 0.490 mu, but their own eqs. (14)-(16) give
2 sqrt(0.24) mu = 0.980 mu and the nonlinear evolution grows at that rate. The paper's number is
reported as ``growth_rate_paper_over_mu``; the code follows the equations.
"""

from __future__ import annotations

import warnings
from functools import partial
from typing import Annotated

import numpy as np
import xarray as xr
from pydantic import Field, model_validator

from nupair import pairing
from nupair.plotting import axis_label, new_figure, overlay_exponential
from nupair.results import FitWarning
from nupair.scenarios._base import (Scenario, ScenarioParameters, Task, TaskContext, finite_or_none, fit_agreement,
                                   param)

__all__ = [
    "Parameters",
    "cost_s",
    "tasks",
    "assemble",
    "plot",
    "summary",
    "SCENARIO",
    "SUMMARY_KEYS",
    "REFERENCE",
]

Occupation = Annotated[float, Field(ge=0.0, le=1.0)]
Occupations = tuple[Occupation, Occupation, Occupation, Occupation]

#: Growth rates quoted in HW's text for Fig. 1 [units of mu] (HW, discussion of Fig. 1).
PAPER_GROWTH_RATE_OVER_MU = {"A": 2.0, "B": 0.490}

REFERENCE = (
    "S.-J. Huang & M.-R. Wu, arXiv:2604.25687 (2026), Fig. 1 and eqs. (8)-(16)"
)


class Parameters(ScenarioParameters):
    """Parameters of the two-pair scenario (HW Fig. 1)."""

    mu_over_energy: float = param(1e-3, unit="1", ge=1e-12, le=0.1,
                                  description="coupling over neutrino energy mu/E (HW: 1e-3)")
    t_end_mu: float = param(15.0, unit="1/mu", gt=0.0, le=1000.0,
                            description="end time of the integration, in units of 1/mu")
    n_save: int = param(3001, unit="1", ge=101, le=1_000_000,
                        description="number of saved time samples (including t = 0)")
    case_a: Occupations = param((1.0, 1.0, 0.0, 0.0), unit="1", allowed="each in [0, 1]",
                                description="case A initial (rho_x, rhobar_x, rho_z, rhobar_z)")
    case_b: Occupations = param((1.0, 0.3, 0.1, 0.1), unit="1", allowed="each in [0, 1]",
                                description="case B initial (rho_x, rhobar_x, rho_z, rhobar_z)")
    seed_amplitude: float = param(0.0, unit="1", ge=0.0, le=1e-2,
                                  description="extra random kappa seeds: Re and Im uniform in "
                                              "[0, amplitude] (0 = start from kappa = 0 as HW)")
    rtol: float = param(1e-10, unit="1", ge=1e-14, le=1e-4, description="DOP853 relative tolerance")
    atol: float = param(1e-12, unit="1", ge=1e-30, le=1e-4, description="DOP853 absolute tolerance")
    checkpoint_interval_mu: float = param(1.0, unit="1/mu", ge=1e-3, le=1e6,
                                          description="checkpoint (and solver restart) interval")
    fit_ceiling_fraction: float = param(0.1, unit="1", gt=0.0, le=1.0,
                                        description="growth fit stops where |delta kappa| first "
                                                    "exceeds this fraction of its maximum")

    @model_validator(mode="after")
    def _rules(self):
        if self.t_end_mu / self.checkpoint_interval_mu > 1e5:
            raise ValueError(f"t_end_mu / checkpoint_interval_mu = {self.t_end_mu / self.checkpoint_interval_mu:.3g} "
                             "checkpoints is too many: at most 1e5")
        return self


CASES = ("A", "B")


def cost_s(params: Parameters) -> float:
    """Wall time [s] on one core: DOP853 takes ~29 right-hand sides per radian of the fastest
    phase 2E at rtol = 1e-12 (x (1e-12/rtol)^(1/8)), ~0.25 us each compiled; ~6 s to compile the
    adaptive loop once per process, ~2 s to write and plot; two cases (default ~8 s)."""
    n_rhs = 2 * 29.0 * (1e-12 / params.rtol) ** 0.125 * params.t_end_mu * 2.0 / params.mu_over_energy
    segments = 2 * params.t_end_mu / params.checkpoint_interval_mu
    return 8.0 + 2.5e-7 * n_rhs + 1e-5 * params.n_save + 2e-3 * segments


def _occupations(params: Parameters) -> dict[str, tuple[float, float, float, float]]:
    return {"A": tuple(params.case_a), "B": tuple(params.case_b)}


def tasks(params: Parameters, seed: int | None) -> list[Task]:
    """One task per case: :func:`nupair.pairing.two_pair_evolve` (mu = 1, E = 1/(mu/E)),
    checkpointed per segment."""
    rng = np.random.default_rng(seed)
    seeds = rng.uniform(0.0, params.seed_amplitude, size=(len(CASES), 4))
    occupations = _occupations(params)
    return [Task(f"case {case}", partial(_evolve_case, params, occupations[case], seeds[ci]), cost=1.0)
            for ci, case in enumerate(CASES)]


def _evolve_case(params: Parameters, occupation, seed_values, ctx: TaskContext) -> pairing.TwoPairEvolution:
    """One case's evolution and growth analysis; resumes from the last saved segment."""
    s = seed_values

    def on_segment(state, fraction):
        ctx.save(state)
        ctx.progress(fraction)

    return pairing.two_pair_evolve(
        occupation, params.mu_over_energy, params.t_end_mu, params.n_save,
        kappa_seed=(complex(s[0], s[1]), complex(s[2], s[3])), rtol=params.rtol, atol=params.atol,
        segment_length_mu=params.checkpoint_interval_mu, fit_ceiling_fraction=params.fit_ceiling_fraction,
        resume=ctx.resume, on_segment=on_segment)


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    """Trajectories, invariants and growth rates of both cases, packaged (no computation)."""
    runs = [results[f"case {case}"] for case in CASES]
    ys = np.stack([r.y for r in runs])  # (case, t, 8)
    kx = ys[..., 4] + 1j * ys[..., 5]
    kz = ys[..., 6] + 1j * ys[..., 7]
    dims = ("case", "t")

    def var(data, units, long_name, d=dims):
        return xr.Variable(d, np.asarray(data), {"units": units, "long_name": long_name})

    def per_case(values, units, long_name):
        return var(values, units, long_name, ("case",))

    data_vars = {
        "rho_x": var(ys[..., 0], "1", "neutrino occupation of the x pair"),
        "rhobar_x": var(ys[..., 1], "1", "antineutrino occupation of the x pair"),
        "rho_z": var(ys[..., 2], "1", "neutrino occupation of the z pair"),
        "rhobar_z": var(ys[..., 3], "1", "antineutrino occupation of the z pair"),
        "kappa_x_re": var(kx.real, "1", "Re kappa_x (pairing correlation, x pair)"),
        "kappa_x_im": var(kx.imag, "1", "Im kappa_x (pairing correlation, x pair)"),
        "kappa_z_re": var(kz.real, "1", "Re kappa_z (pairing correlation, z pair)"),
        "kappa_z_im": var(kz.imag, "1", "Im kappa_z (pairing correlation, z pair)"),
        "abs_kappa_x": var(np.abs(kx), "1", "|kappa_x|"),
        "abs_kappa_z": var(np.abs(kz), "1", "|kappa_z|"),
        "delta_kappa": var(np.stack([r.delta_kappa for r in runs]), "1",
                           "|kappa - kappa_fp|: distance from the linear fixed point -M^-1 c (eqs. 12-14)"),
        "mode_amplitude": var(np.stack([r.mode_amplitude for r in runs]), "1",
                              "|w . (y - y*)|: amplitude of the fastest eigenmode of the whole linearization "
                              "(the fitted series)"),
        "energy_invariant": var(np.stack([r.invariants.energy for r in runs]), "mu^2",
                                "W = sum 2 mu E S - 2|V|^2 (conserved energy of HW eqs. 8-11), mu = 1"),
        "bloch_norm2_x": var(np.stack([r.invariants.bloch_norm2_x for r in runs]), "1",
                             "S_x^2 + 4|kappa_x|^2 (invariant 2)"),
        "bloch_norm2_z": var(np.stack([r.invariants.bloch_norm2_z for r in runs]), "1",
                             "S_z^2 + 4|kappa_z|^2 (invariant 2)"),
        "initial_occupations": var(np.array([r.occupations for r in runs]), "1",
                                   "initial (rho_x, rhobar_x, rho_z, rhobar_z)", ("case", "occupation")),
        "growth_rate_fit_over_mu": per_case([r.fit.rate for r in runs], "mu",
                                            "growth rate fitted on the fastest eigenmode's amplitude"),
        "growth_rate_linear_over_mu": per_case([r.growth_rate_linear for r in runs], "mu",
                                               "max Re eigenvalue of the whole linearized system (occupations "
                                               "not frozen) about its fixed point"),
        "fit_deviation_sigma": per_case([r.fit_assessment()[0] for r in runs], "1",
                                        "(fit - whole linearization) / fit uncertainty"),
        "fit_efolds": per_case([r.fit.efolds for r in runs], "1", "e-folds of growth spanned by the fit window"),
        "growth_rate_fit_uncertainty_over_mu": per_case([r.fit.uncertainty for r in runs], "mu",
                                                        "1-sigma uncertainty of the fitted rate"),
        "fit_window_start_mu": per_case([r.fit.t_start for r in runs], "1/mu", "start of the exponential fit window"),
        "fit_window_end_mu": per_case([r.fit.t_end for r in runs], "1/mu", "end of the exponential fit window"),
        "growth_rate_analytic_over_mu": per_case([r.growth_rate_analytic for r in runs], "mu",
                                                 "max Re eigenvalue of M, HW eq. 14 (exact)"),
        "growth_rate_eq16_over_mu": per_case([r.growth_rate_eq16 for r in runs], "mu", "HW eq. 16 (E >> mu) growth rate"),
        "growth_rate_paper_over_mu": per_case([PAPER_GROWTH_RATE_OVER_MU.get(c, np.nan) for c in CASES],
                                              "mu", "growth rate quoted in HW's text"),
    }
    coords = {
        "case": xr.Variable(("case",), np.array(CASES), {"units": "1", "long_name": "HW Fig. 1 case"}),
        "t": xr.Variable(("t",), runs[0].t_mu, {"units": "1/mu", "long_name": "time mu t"}),
        "occupation": xr.Variable(("occupation",), np.array(["rho_x", "rhobar_x", "rho_z", "rhobar_z"]),
                                  {"units": "1", "long_name": "occupation label"}),
    }
    ds = xr.Dataset(data_vars, coords)
    ds.attrs["mu_over_energy"] = params.mu_over_energy
    return ds


def plot(ds: xr.Dataset):
    """|kappa| (log) and occupations against mu t for both cases, with analytic slopes."""
    fig, axes = new_figure(2, len(CASES), width_in=9.0, height_in=6.0,
                           title=f"Two-pair model (Huang & Wu 2026, Fig. 1), mu/E = "
                                 f"{ds.attrs.get('mu_over_energy', float('nan')):g}")
    t = ds["t"].values
    for j, case in enumerate(ds["case"].values):
        c = ds.sel(case=case)
        ax = axes[0, j]
        ax.semilogy(t, c["abs_kappa_x"], lw=1.6, alpha=0.7, label="|kappa_x|")
        ax.semilogy(t, c["abs_kappa_z"], lw=0.8, label="|kappa_z|")
        ax.semilogy(t, c["delta_kappa"], lw=0.8, color="0.5", label="|kappa - kappa_fp|")
        ax.semilogy(t, c["mode_amplitude"], lw=1.0, color="C2", ls=":", label="fastest eigenmode (fitted)")
        rate = float(c["growth_rate_linear_over_mu"])
        t0, t1 = float(c["fit_window_start_mu"]), float(c["fit_window_end_mu"])
        if np.isfinite(t0) and rate > 0:
            y0 = float(c["mode_amplitude"].interp(t=t0))
            tt = np.linspace(0.0, t1 + 0.3 * (t1 - t0), 50)
            overlay_exponential(ax, tt, t0, y0, rate, f"linearization: exp({rate:.3f} mu t)")
            fit = float(c["growth_rate_fit_over_mu"])
            ax.axvspan(t0, t1, color="C2", alpha=0.08, label=f"fit window: {fit:.3f} mu")
        paper = float(c["growth_rate_paper_over_mu"])
        eq14 = float(c["growth_rate_analytic_over_mu"])
        ax.set_title(f"case {case}: linear rate {rate:.4f} mu, eq. 14 {eq14:.4f} mu\n(HW text quotes {paper:g} mu)",
                     fontsize=9)
        ax.set_ylim(1e-5, 1.0)
        ax.set_xlabel(axis_label("mu t", None))
        ax.set_ylabel(axis_label("|kappa|", None))
        ax.legend(loc="lower center", fontsize=7)
        ax = axes[1, j]
        # rho and rhobar coincide when the pair starts symmetric (case A): antineutrinos dashed on
        # top of wider neutrino lines, so that both stay visible and the legend says which is which
        for name, color, style in (("rho_x", "C0", dict(lw=2.4, alpha=0.6)), ("rhobar_x", "C0", dict(lw=1.0, ls="--")),
                                   ("rho_z", "C3", dict(lw=2.4, alpha=0.6)), ("rhobar_z", "C3", dict(lw=1.0, ls="--"))):
            ax.plot(t, c[name], color=color, label=name, **style)
        ax.set_xlabel(axis_label("mu t", None))
        ax.set_ylabel(axis_label("occupation", None))
        ax.set_ylim(-0.02, 1.02)
        ax.legend(loc="center right")
    return fig


SUMMARY_KEYS = {
    "<case>.growth_rate_fit_over_mu": "rate fitted on the nonlinear evolution [mu]",
    "<case>.growth_rate_fit_uncertainty_over_mu": "1-sigma uncertainty of the fit [mu]",
    "<case>.growth_rate_linear_over_mu": "max Re eigenvalue of the whole linearized system, occupations "
                                         "included (the rate the evolution must show) [mu]",
    "<case>.fit_deviation_sigma": "(fit - whole linearization) / fit uncertainty",
    "<case>.fit_vs_linear_relative": "fit / whole linearization - 1",
    "<case>.growth_rate_analytic_over_mu": "max Re eigenvalue of HW eq. 14 (occupations frozen) [mu]",
    "<case>.growth_rate_eq16_over_mu": "HW eq. 16 (E >> mu) [mu]",
    "<case>.growth_rate_paper_over_mu": "value quoted in HW's text [mu]",
    "<case>.fit_vs_analytic_relative": "fit / analytic - 1",
    "<case>.fit_window_mu": "[start, end] of the fit window [1/mu]",
    "<case>.min_rho_x, max_rho_z, max_abs_kappa_x, max_abs_kappa_z": "extrema of the evolution",
    "<case>.max_energy_drift_relative": "max |W(t) - W(0)| / max(|W(0)|, 2 mu E) (invariant 3)",
    "mu_over_energy": "mu/E of the run",
}


def summary(ds: xr.Dataset) -> dict:
    """Headline numbers per case (keys documented in SUMMARY_KEYS)."""
    out: dict = {"mu_over_energy": float(ds.attrs.get("mu_over_energy", np.nan))}
    energy = 1.0 / out["mu_over_energy"]
    for case in ds["case"].values:
        c = ds.sel(case=case)
        fit = float(c["growth_rate_fit_over_mu"])
        analytic = float(c["growth_rate_analytic_over_mu"])
        w = c["energy_invariant"].values
        linear = float(c["growth_rate_linear_over_mu"])
        _warn_about_fit(str(case), c, out["mu_over_energy"])
        out[str(case)] = {
            "initial_occupations": [float(v) for v in c["initial_occupations"].values],
            "growth_rate_fit_over_mu": finite_or_none(fit),
            "growth_rate_fit_uncertainty_over_mu": finite_or_none(c["growth_rate_fit_uncertainty_over_mu"]),
            "growth_rate_linear_over_mu": linear,
            "fit_deviation_sigma": finite_or_none(c["fit_deviation_sigma"]),
            "fit_vs_linear_relative": finite_or_none(fit / linear - 1.0) if linear > 0 else None,
            "growth_rate_analytic_over_mu": analytic,
            "growth_rate_eq16_over_mu": float(c["growth_rate_eq16_over_mu"]),
            "growth_rate_paper_over_mu": finite_or_none(c["growth_rate_paper_over_mu"]),
            "fit_vs_analytic_relative": finite_or_none(fit / analytic - 1.0) if analytic > 0 else None,
            "fit_window_mu": [finite_or_none(c["fit_window_start_mu"]), finite_or_none(c["fit_window_end_mu"])],
            "min_rho_x": float(c["rho_x"].min()),
            "max_rho_z": float(c["rho_z"].max()),
            "max_abs_kappa_x": float(c["abs_kappa_x"].max()),
            "max_abs_kappa_z": float(c["abs_kappa_z"].max()),
            "max_energy_drift_relative": float(np.max(np.abs(w - w[0])) / max(abs(w[0]), 2 * energy)),
        }
    return out


def _warn_about_fit(case: str, c: xr.Dataset, mu_over_energy: float) -> None:
    """FitWarning (recorded in summary.json) for a fit that should not be read as it stands, and
    where HW eq. 14 (occupations frozen) departs from the whole linearization by more than 1 %."""
    linear = float(c["growth_rate_linear_over_mu"])
    analytic = float(c["growth_rate_analytic_over_mu"])
    fit_agreement(f"case {case}", float(c["growth_rate_fit_over_mu"]), float(c["growth_rate_fit_uncertainty_over_mu"]),
                  (float(c["fit_window_start_mu"]), float(c["fit_window_end_mu"])), linear,
                  what="the whole linearization (occupations included)")
    if analytic > 0 and abs(linear / analytic - 1.0) > 0.01:
        warnings.warn(FitWarning(f"case {case}: HW eq. 14 freezes the occupations and gives {analytic:.4g} mu; with "
                                 f"their response the linear rate is {linear:.4g} mu ({linear / analytic - 1:+.1%}) at "
                                 f"mu/E = {mu_over_energy:g}: compare the fit with growth_rate_linear_over_mu"),
                      stacklevel=2)


SCENARIO = Scenario(
    name="pairing-two-pair",
    description="Two-pair nu-nubar pairing instability, cases A and B (Huang & Wu 2026, Fig. 1)",
    reference=REFERENCE,
    parameters=Parameters,
    tasks=tasks,
    assemble=assemble,
    cost_s=cost_s,
    plot=plot,
    summary=summary,
    summary_keys=SUMMARY_KEYS,
    notes="HW's text quotes 0.490 mu for case B; their eqs. (14)-(16) give 2 sqrt(0.24) mu = 0.980 mu (0.97980 mu exactly at mu/E = 1e-3), and the nonlinear evolution grows at that rate up to the occupations' O(mu/E) response (0.9768 mu at mu/E = 1e-3: growth_rate_linear_over_mu, the whole linearization). nupair follows the equations and reports all three numbers (growth_rate_analytic_over_mu, growth_rate_linear_over_mu, growth_rate_paper_over_mu).",
)
