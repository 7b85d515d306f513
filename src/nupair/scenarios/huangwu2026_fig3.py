"""S.-J. Huang and M.-R. Wu, "Collective neutrino-antineutrino pair oscillations",
arXiv:2604.25687 (2026), Fig. 3: the instability against the number of energy bins.

Spec ``shared/spec/pairing.md`` sections 5.3, 6 and 7 (orientation). Grids (N_E, 1, 4) with
N_E = 1..6 on [0, 20] MeV, otherwise HW's multi-pair set-up (g' = 1e-6 MeV^-2, occupations 0.9 in
the first phi quadrant and 0.1 elsewhere, kappa seeds in [0, 1e-5]). Reproduces that the growth
rate falls with N_E, that the unstable mode lives in the highest energy bin, and that the
instability is gone for N_E > 4 (with the exact bin-volume rule; spec 5.1).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from nupair import pairing
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import Scenario, finite_or_none, fit_agreement, param
from nupair.scenarios._pairing_common import (
    REFERENCE_HW,
    MultiPairParameters,
    grid_dataset,
    grid_tasks,
    headline,
    invariant_drifts,
    multi_pair_cost_s,
    multi_pair_memory_bytes,
)

__all__ = ["Parameters", "tasks", "assemble", "cost_s", "memory_bytes", "MEMORY_PARAMETERS", "plot", "summary", "SCENARIO", "SUMMARY_KEYS"]


class Parameters(MultiPairParameters):
    """HW Fig. 3 parameters."""

    n_energy_max: int = param(6, unit="1", ge=1, le=64, description="largest N_E (runs N_E = 1..n_energy_max)")
    n_phi: int = param(4, unit="1", ge=1, le=4096, description="phi bins N_phi")
    t_end_MeV: float = param(4000.0, unit="MeV^-1", gt=0.0, le=1e7, description="end time")
    n_save: int = param(2001, unit="1", ge=11, le=1_000_000, description="saved time samples")


def _shapes(params: Parameters) -> list[tuple[int, int, int]]:
    return [(ne, 1, params.n_phi) for ne in range(1, params.n_energy_max + 1)]


def tasks(params: Parameters, seed) -> list:
    """Stability, evolution and linear prediction for every N_E."""
    return [t for shape in _shapes(params) for t in grid_tasks(params, shape, f"ne{shape[0]}/", weight=shape[0])]


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    """The per-N_E datasets stacked along ``n_energy``."""
    return _stack([grid_dataset(params, shape, results, f"ne{shape[0]}/") for shape in _shapes(params)])


def cost_s(params: Parameters) -> float:
    """Estimated wall time [s] (see ``multi_pair_cost_s``)."""
    return multi_pair_cost_s(params, _shapes(params))


MEMORY_PARAMETERS = ("n_save", "n_energy_max", "n_phi")


def memory_bytes(params) -> float:
    """Estimated peak memory [bytes] (see ``multi_pair_memory_bytes``)."""
    return multi_pair_memory_bytes(params, _shapes(params))


def _stack(runs: list[xr.Dataset]) -> xr.Dataset:
    """One dataset: time series on a common t, per-N_E scalars; energy-bin series padded with NaN."""
    n_e = len(runs)
    t = runs[0]["t"]
    rows = {name: [] for name in ("mean_abs_kappa", "mean_abs_delta_kappa", "growth_signal",
                                  "linear_growth_signal", "lepton_drift", "bloch_norm2_drift",
                                  "energy_drift_relative")}
    kappa_energy = np.full((n_e, t.size, n_e), np.nan)
    quadrant = np.full((n_e, t.size, 4), np.nan)
    for i, ds in enumerate(runs):
        for name in rows:
            rows[name].append(ds[name].values)
        kappa_energy[i, :, : ds.sizes["energy_bin"]] = ds["mean_abs_kappa_energy"].values
        quadrant[i] = ds["mean_rho_quadrant"].values
    out = xr.Dataset(coords={
        "n_energy": xr.Variable(("n_energy",), np.arange(1, n_e + 1), {"units": "1", "long_name": "number of energy bins N_E"}),
        "t": t,
        "energy_bin_index": xr.Variable(("energy_bin_index",), np.arange(n_e), {"units": "1", "long_name": "energy bin j (0 = lowest)"}),
        "quadrant": runs[0]["quadrant"],
    })
    for name, vals in rows.items():
        out[name] = xr.Variable(("n_energy", "t"), np.stack(vals), runs[0][name].attrs)
    out["mean_abs_kappa_energy"] = xr.Variable(("n_energy", "t", "energy_bin_index"), kappa_energy,
                                               runs[0]["mean_abs_kappa_energy"].attrs)
    out["mean_rho_quadrant"] = xr.Variable(("n_energy", "t", "quadrant"), quadrant, runs[0]["mean_rho_quadrant"].attrs)
    scal = {
        "max_growth_rate_MeV": ("MeV", "largest Re eigenvalue of the linearized equations"),
        "fastest_mode_top_bin_weight": ("1", "weight of the fastest eigenvector in the highest energy bin"),
        "max_pair_conversion": ("1", "max |rho(t) - rho(0)| / rho(0)"),
        "fitted_growth_rate_MeV": ("MeV", "growth rate fitted on growth_signal (NaN: no exponential window)"),
        "fitted_growth_rate_uncertainty_MeV": ("MeV", "1-sigma uncertainty of the fitted rate (NaN: no fit)"),
        "fit_window_start_MeV^-1": ("MeV^-1", "start of the fit window (NaN: no fit)"),
        "fit_window_end_MeV^-1": ("MeV^-1", "end of the fit window (NaN: no fit)"),
    }
    values = {k: [] for k in scal}
    for ds in runs:
        values["max_growth_rate_MeV"].append(ds.attrs["max_growth_rate_MeV"])
        top = ds["energy_MeV"].values >= ds["energy_MeV"].values.max() - 1e-9
        values["fastest_mode_top_bin_weight"].append(float(ds["fastest_mode_weight"].values[top].sum()))
        values["max_pair_conversion"].append(headline(ds)["max_pair_conversion"])
        for k in ("fitted_growth_rate_MeV", "fitted_growth_rate_uncertainty_MeV", "fit_window_start_MeV^-1",
                  "fit_window_end_MeV^-1"):
            values[k].append(ds.attrs[k])
    for k, (unit, long_name) in scal.items():
        out[k] = xr.Variable(("n_energy",), np.array(values[k]), {"units": unit, "long_name": long_name})
    out.attrs.update({"mu_prime_MeV": runs[0].attrs["mu_prime_MeV"],
                      "grids": "; ".join(ds.attrs["grid"] for ds in runs),
                      "statuses": "; ".join(ds.attrs["status"] for ds in runs)})
    return out


def plot(ds: xr.Dataset):
    """(a) rate vs N_E, (b) <|kappa|>_a(t) per N_E, (c) <|kappa|>_j per energy bin for N_E = 3."""
    fig, axes = new_figure(1, 3, width_in=13.0, height_in=3.8,
                           title="Pairing instability vs number of energy bins (Huang & Wu 2026, Fig. 3)")
    mu = float(ds.attrs["mu_prime_MeV"])
    ne = ds["n_energy"].values
    rates = ds["max_growth_rate_MeV"].values / mu
    ax = axes[0, 0]
    ax.plot(ne, np.where(rates > pairing.GROWTH_NOISE_FLOOR_MeV / mu, rates, 0.0), "o-")
    ax.set_xlabel(axis_label("N_E", None))
    ax.set_ylabel(axis_label("max Re lambda / mu'", None))
    ax.set_title("stability matrix")
    ax = axes[0, 1]
    t = ds["t"].values
    for n in ne:
        ax.semilogy(t, ds["mean_abs_kappa"].sel(n_energy=n), lw=0.9, label=f"N_E = {n}")
    ax.set_xlabel(axis_label("t", "MeV^-1"))
    ax.set_ylabel(axis_label("<|kappa|>_a", None))
    ax.legend(fontsize=7)
    ax = axes[0, 2]
    n_show = 3 if 3 in ne else int(ne[-1])
    for j in range(n_show):
        ax.semilogy(t, ds["mean_abs_kappa_energy"].sel(n_energy=n_show, energy_bin_index=j),
                    lw=0.9, label=f"<|kappa|>_{j + 1}")
    ax.set_title(f"N_E = {n_show}: per energy bin")
    ax.set_xlabel(axis_label("t", "MeV^-1"))
    ax.legend(fontsize=7)
    return fig


SUMMARY_KEYS = {
    "growth_rate_MeV_by_n_energy": "N_E -> largest Re eigenvalue [MeV] (0 below the noise floor 1e-9 MeV)",
    "growth_rate_over_mu_by_n_energy": "the same over mu'",
    "fitted_growth_rate_over_mu_by_n_energy": "N_E -> rate fitted on the evolution [mu'] (null: no growth)",
    "fit_deviation_sigma_by_n_energy": "N_E -> (fitted - largest eigenvalue) / fit uncertainty (null: no fit)",
    "unstable_by_n_energy": "N_E -> growth above the noise floor",
    "top_bin_weight_by_n_energy": "N_E -> share of the fastest eigenvector in the highest energy bin",
    "max_growth_rate_MeV, max_growth_rate_over_mu, fitted_growth_rate_over_mu, max_pair_conversion":
        "for N_E = 1 (HW Fig. 2 set-up)",
    "largest_unstable_n_energy": "largest N_E with an instability",
}


def summary(ds: xr.Dataset) -> dict:
    """Headline numbers (keys in SUMMARY_KEYS)."""
    mu = float(ds.attrs["mu_prime_MeV"])
    out: dict = {"mu_prime_MeV": mu}
    rates, fits, unstable, top, sigmas = {}, {}, {}, {}, {}
    for n in ds["n_energy"].values:
        d = ds.sel(n_energy=n)
        r = float(d["max_growth_rate_MeV"])
        is_unstable = r > pairing.GROWTH_NOISE_FLOOR_MeV
        rates[str(n)] = r if is_unstable else 0.0
        unstable[str(n)] = bool(is_unstable)
        fits[str(n)] = finite_or_none(float(d["fitted_growth_rate_MeV"]) / mu) if is_unstable else None
        sigmas[str(n)] = fit_agreement(f"N_E = {n}: fitted growth", float(d["fitted_growth_rate_MeV"]),
                                       float(d["fitted_growth_rate_uncertainty_MeV"]),
                                       (float(d["fit_window_start_MeV^-1"]), float(d["fit_window_end_MeV^-1"])),
                                       r if is_unstable else 0.0,
                                       what="the largest eigenvalue of the linearized equations")
        top[str(n)] = float(d["fastest_mode_top_bin_weight"])
    out["growth_rate_MeV_by_n_energy"] = rates
    out["growth_rate_over_mu_by_n_energy"] = {k: v / mu for k, v in rates.items()}
    out["fitted_growth_rate_over_mu_by_n_energy"] = fits
    out["fit_deviation_sigma_by_n_energy"] = sigmas
    out["unstable_by_n_energy"] = unstable
    out["top_bin_weight_by_n_energy"] = top
    out["largest_unstable_n_energy"] = max((int(k) for k, v in unstable.items() if v), default=0)
    out["max_growth_rate_MeV"] = rates["1"]
    out["max_growth_rate_over_mu"] = rates["1"] / mu
    out["fitted_growth_rate_over_mu"] = fits["1"]
    out["max_pair_conversion"] = float(ds["max_pair_conversion"].sel(n_energy=1))
    out["max_pair_conversion_by_n_energy"] = {str(n): float(ds["max_pair_conversion"].sel(n_energy=n))
                                              for n in ds["n_energy"].values}
    out["max_invariant_drift"] = invariant_drifts(ds)
    return out


SCENARIO = Scenario(
    name="pairing-energy-bins",
    description="Instability vs number of energy bins N_E = 1..6, N_phi = 4 (Huang & Wu 2026, Fig. 3)",
    reference=f"{REFERENCE_HW}, Fig. 3",
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
