"""S.-J. Huang and M.-R. Wu, "Collective neutrino-antineutrino pair oscillations",
arXiv:2604.25687 (2026), Fig. 2: multi-pair instability on (N_E, N_theta, N_phi) = (1, 1, 4),
(1, 1, 32) and (1, 8, 8) grids.

Spec ``shared/spec/pairing.md`` sections 5-6. Parameters as in the paper: g' = 1e-6 MeV^-2
(mu' = g' (20 MeV)^3 = 0.008 MeV), E in [0, 20] MeV, rho = rhobar = 0.9 for 0 < phi < pi/2 and
0.1 elsewhere, kappa seeds uniform in [0, 1e-5] (``--seed``). Each run computes the eigenvalues
of the linearized equations (spec 6), evolves the nonlinear equations (HW eqs. 6-7, O(N) moment
form) and fits the growth of <|kappa - kappa_fp|>, and evolves the linearized equations from the
same initial state (which eigenmodes the initial condition excites matters, see the (1, 8, 8)
note in the README).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from nupair.plotting import axis_label, new_figure, overlay_exponential
from nupair.scenarios._base import Scenario, param
from nupair.scenarios._pairing_common import (
    REFERENCE_HW,
    MultiPairParameters,
    fit_deviation,
    grid_dataset,
    grid_tasks,
    headline,
    multi_pair_cost_s,
    multi_pair_memory_bytes,
)

__all__ = ["tasks", "assemble", "cost_s", "memory_bytes", "MEMORY_PARAMETERS", "plot", "summary", "SCENARIOS", "SUMMARY_KEYS"]


def _parameters(shape: tuple[int, int, int]):
    class Parameters(MultiPairParameters):
        n_energy: int = param(shape[0], unit="1", ge=1, le=4096, description="energy bins N_E")
        n_theta: int = param(shape[1], unit="1", ge=1, le=4096, description="cos(theta) bins N_theta")
        n_phi: int = param(shape[2], unit="1", ge=1, le=65536, description="phi bins N_phi")

    Parameters.__name__ = f"Parameters_{shape[0]}x{shape[1]}x{shape[2]}"
    return Parameters


def _shape(params) -> tuple[int, int, int]:
    return (params.n_energy, params.n_theta, params.n_phi)


def tasks(params, seed) -> list:
    """One grid: stability analysis, nonlinear evolution, linearized evolution."""
    return grid_tasks(params, _shape(params), "")


def assemble(params, results) -> xr.Dataset:
    """The grid's dataset with its eigenvalues and growth signals."""
    return grid_dataset(params, _shape(params), results, "")


def cost_s(params) -> float:
    """Estimated wall time [s] (see ``multi_pair_cost_s``)."""
    return multi_pair_cost_s(params, [_shape(params)])


MEMORY_PARAMETERS = ("n_save", "n_energy", "n_theta", "n_phi")


def memory_bytes(params) -> float:
    """Estimated peak memory [bytes] (see ``multi_pair_memory_bytes``)."""
    return multi_pair_memory_bytes(params, [_shape(params)])


def plot(ds: xr.Dataset):
    """HW Fig. 2: (a) <|kappa|>_a with the eigenvalue growth, (b) <rho>_i per quadrant."""
    fig, axes = new_figure(1, 2, width_in=10.0, height_in=3.8,
                           title=f"Multi-pair instability, {ds.attrs['grid']} (Huang & Wu 2026, Fig. 2)")
    t = ds["t"].values
    mu = float(ds.attrs["mu_prime_MeV"])
    h = headline(ds)
    ax = axes[0, 0]
    ax.semilogy(t, ds["mean_abs_kappa"], label="<|kappa|>_a (nonlinear)")
    ax.semilogy(t, ds["growth_signal"], lw=0.8, label="<|kappa - kappa_fp|> (nonlinear)")
    if "linear_growth_signal" in ds:
        ax.semilogy(t, ds["linear_growth_signal"], ls=":", color="0.3", label="linearized, same start")
    rate = float(ds.attrs["max_growth_rate_MeV"])
    t0, t1 = h["fit_window_MeV^-1"]
    if t0 is not None and t1 is not None and rate > 0:
        y0 = float(ds["growth_signal"].interp(t=t0))
        overlay_exponential(ax, np.linspace(t0 - 0.3 * (t1 - t0), t1 + 0.3 * (t1 - t0), 30), t0, y0, rate,
                            f"max Re lambda = {rate / mu:.3f} mu'")
        ax.axvspan(t0, t1, color="C2", alpha=0.08,
                   label=f"fit: {h['fitted_growth_rate_over_mu']:.3f} mu'")
    ax.set_ylim(1e-6, 1.0)
    ax.set_xlabel(axis_label("t", "MeV^-1"))
    ax.set_ylabel(axis_label("mean |kappa|", None))
    ax.legend(loc="lower right", fontsize=7)
    ax = axes[0, 1]
    for q in range(4):
        ax.plot(t, ds["mean_rho_quadrant"].sel(quadrant=q), label=f"<rho>_{q + 1}")
    ax.set_xlabel(axis_label("t", "MeV^-1"))
    ax.set_ylabel(axis_label("mean rho per phi quadrant", None))
    ax.legend(fontsize=7)
    return fig


SUMMARY_KEYS = {
    "max_growth_rate_MeV": "largest Re eigenvalue of the linearized equations [MeV]",
    "max_growth_rate_over_mu": "the same over mu' = g' e_max^3 [1]",
    "fitted_growth_rate_over_mu": "growth of <|kappa - kappa_fp|> fitted on the nonlinear evolution [mu']",
    "linear_prediction_growth_rate_over_mu": "growth fitted on the linearized evolution from the same state [mu']",
    "fit_deviation_sigma": "(fitted - linear theory) / fit uncertainty; the linear theory is the linearized "
                           "evolution from the same state where it ran, else the largest eigenvalue",
    "max_pair_conversion": "largest fractional change max |rho(t) - rho(0)| / rho(0) over modes and times",
    "max_mean_abs_kappa": "saturation value of <|kappa|>_a",
    "mean_rho_quadrant_initial/final": "<rho>_i, i = 1..4, at start and end",
    "max_invariant_drift": "largest drift of the invariants (|P|^2 per pair, lepton number, energy)",
}


def summary(ds: xr.Dataset) -> dict:
    """Headline numbers (keys in SUMMARY_KEYS); a FitWarning where the fit cannot be trusted."""
    return {**headline(ds), "fit_deviation_sigma": fit_deviation(ds)}


_NOTE_8X8 = ("With HW's seeds the fitted growth is 0.98 mu', not the largest eigenvalue 1.54 mu': the source "
             "term drives a start symmetric under z -> -z, which excites only the symmetric eigenmodes. The "
             "linearized evolution from the same state reproduces the fitted rate (to 2 %).")


def _scenario(name: str, shape: tuple[int, int, int], notes: str = "") -> Scenario:
    return Scenario(
        name=name,
        description=f"Multi-pair pairing instability on (N_E, N_theta, N_phi) = {shape} (Huang & Wu 2026, Fig. 2)",
        reference=f"{REFERENCE_HW}, Fig. 2",
        parameters=_parameters(shape),
        tasks=tasks,
        assemble=assemble,
        cost_s=cost_s,
        memory_bytes=memory_bytes,
        memory_parameters=MEMORY_PARAMETERS,
        plot=plot,
        summary=summary,
        summary_keys=SUMMARY_KEYS,
        notes=notes,
    )


SCENARIOS = {
    "pairing-multi-phi4": _scenario("pairing-multi-phi4", (1, 1, 4)),
    "pairing-multi-phi32": _scenario("pairing-multi-phi32", (1, 1, 32)),
    "pairing-multi-8x8": _scenario("pairing-multi-8x8", (1, 8, 8), _NOTE_8X8),
}
