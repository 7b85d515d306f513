"""Shared pieces of the multi-pair scenarios (HW Figs. 2-3): parameters, one run, its numbers."""

from __future__ import annotations

from typing import Literal

import numpy as np
import xarray as xr

from nupair import pairing
from nupair.numerics import JitDOP853, fit_growth_rate, result_from_arrays, result_to_arrays
from nupair.scenarios._base import ScenarioParameters, param

REFERENCE_HW = "S.-J. Huang & M.-R. Wu, arXiv:2604.25687 (2026)"


class MultiPairParameters(ScenarioParameters):
    """Parameters of HW's multi-pair runs (spec pairing.md sections 5.1-5.2)."""

    coupling_MeV2: float = param(1e-6, unit="MeV^-2", gt=0.0, le=1.0,
                                 description="coupling g' (HW: 1e-6; physical sqrt2 G_F/(2pi)^3 = 6.65e-14)")
    e_max_MeV: float = param(20.0, unit="MeV", gt=0.0, le=1e4, description="upper edge of the energy grid")
    occupation_high: float = param(0.9, unit="1", ge=0.0, le=1.0,
                                   description="rho = rhobar for 0 < phi < pi/2")
    occupation_low: float = param(0.1, unit="1", ge=0.0, le=1.0, description="rho = rhobar elsewhere")
    seed_amplitude: float = param(1e-5, unit="1", ge=0.0, le=1e-2,
                                  description="kappa seeds: Re and Im uniform in [0, amplitude]")
    volume_rule: Literal["exact", "midpoint"] = param(
        "exact", unit="", allowed="'exact' or 'midpoint'",
        description="phase-space volume of a bin (spec 5.1: 'exact' reproduces HW)")
    t_end_MeV: float = param(1500.0, unit="MeV^-1", gt=0.0, le=1e7, description="end time")
    n_save: int = param(1501, unit="1", ge=11, le=1_000_000, description="saved time samples")
    rtol: float = param(1e-12, unit="1", gt=0.0, le=1e-4, description="DOP853 relative tolerance")
    atol: float = param(1e-14, unit="1", gt=0.0, le=1e-4, description="DOP853 absolute tolerance")
    checkpoint_interval_MeV: float = param(100.0, unit="MeV^-1", gt=0.0,
                                           description="checkpoint (and solver restart) interval")


def load_store(checkpoint) -> dict:
    """Arrays of an interrupted run (empty when not resuming); shared by the runs of a scenario."""
    return dict(checkpoint.load() or {}) if checkpoint is not None else {}


def run_one(params: MultiPairParameters, shape: tuple[int, int, int], seed, progress, checkpoint,
            store: dict, key: str, fraction: tuple[float, float]) -> xr.Dataset:
    """Stability analysis + nonlinear evolution + linear prediction of one grid.

    ``store`` holds the checkpoint arrays of all runs of the scenario, ``key`` names this run in
    it; ``fraction`` is the (start, width) of this run in the overall progress. A run finished
    before an interruption resumes at its end and costs nothing.
    """
    grid = pairing.Grid(*shape, e_max=params.e_max_MeV, volume_rule=params.volume_rule)
    pp = pairing.PairingParams(params.coupling_MeV2)
    state = pairing.hw_initial_state(grid, seed=seed, seed_amplitude=params.seed_amplitude,
                                     high=params.occupation_high, low=params.occupation_low)
    stab = pairing.growth_rates(state, grid, pp)
    prefix = f"{key}/"
    resume = None
    if f"{prefix}t" in store:
        resume = result_from_arrays({k[len(prefix):]: v for k, v in store.items() if k.startswith(prefix)})

    def on_segment(partial):
        if checkpoint is not None:
            store.update({prefix + k: v for k, v in result_to_arrays(partial).items()})
            checkpoint.save(store)
        progress(fraction[0] + fraction[1] * partial.t_reached / params.t_end_MeV, key)

    ds = pairing.evolve(state, grid, pp, params.t_end_MeV, n_save=params.n_save,
                        solver=JitDOP853(params.rtol, params.atol),
                        segment_length=min(params.checkpoint_interval_MeV, params.t_end_MeV),
                        resume=resume, on_segment=on_segment)
    mu = pp.mu_MeV(grid)
    t = ds["t"].values
    k_show = min(12, stab.eigenvalues.size)
    ds["eigenvalue_re"] = xr.Variable(("eigen",), stab.eigenvalues.real[:k_show],
                                      {"units": "MeV", "long_name": "growth rate Re lambda (largest first)"})
    ds["eigenvalue_im"] = xr.Variable(("eigen",), stab.eigenvalues.imag[:k_show],
                                      {"units": "MeV", "long_name": "frequency Im lambda"})
    ds["fastest_mode_weight"] = xr.Variable(("mode",), stab.dominant_modes(0),
                                            {"units": "1", "long_name": "|eigenvector|^2 of the fastest mode per pair mode"})
    ds = ds.assign_coords(eigen=xr.Variable(("eigen",), np.arange(k_show),
                                            {"units": "1", "long_name": "eigenvalue index"}))
    # the energy bin hosting the fastest eigenmode; other bins only add a non-growing floor
    e_index = grid.energy_index
    host = int(np.argmax(np.bincount(e_index, weights=stab.dominant_modes(0))))
    ds["growth_signal"] = xr.Variable(
        ("t",), ds["mean_abs_delta_kappa_energy"].isel(energy_bin=host).values,
        {"units": "1", "long_name": f"mean |kappa - kappa_fp| in energy bin {host} (hosts the fastest mode)"})
    if grid.n_modes <= pairing.DENSE_MAX_MODES:
        lin = np.abs(pairing.linear_prediction(state, grid, pp, t))
        ds["linear_growth_signal"] = xr.Variable(
            ("t",), lin[:, e_index == host].mean(axis=1),
            {"units": "1", "long_name": "growth_signal of the linearized equations from the same state"})
    ds.attrs.update({"max_growth_rate_MeV": stab.max_growth_rate, "mu_prime_MeV": mu,
                     "unstable": int(stab.unstable), "host_energy_bin": host,
                     "seed": -1 if seed is None else int(seed)})
    return ds


def _fit(t, series):
    try:
        f = fit_growth_rate(t, series)
        return f.rate, f.uncertainty, (f.t_start, f.t_end)
    except ValueError:
        return float("nan"), float("nan"), (float("nan"), float("nan"))


def headline(ds: xr.Dataset) -> dict:
    """The summary numbers of one run (keys of the issue plus diagnostics)."""
    mu = float(ds.attrs["mu_prime_MeV"])
    t = ds["t"].values
    rate, err, window = _fit(t, ds["growth_signal"].values)
    out = {
        "grid": ds.attrs["grid"],
        "mu_prime_MeV": mu,
        "max_growth_rate_MeV": float(ds.attrs["max_growth_rate_MeV"]),
        "max_growth_rate_over_mu": float(ds.attrs["max_growth_rate_MeV"]) / mu,
        "unstable": bool(ds.attrs["unstable"]),
        "fitted_growth_rate_over_mu": rate / mu,
        "fitted_growth_rate_uncertainty_over_mu": err / mu,
        "fit_window_MeV^-1": list(window),
        "host_energy_bin": int(ds.attrs["host_energy_bin"]),
    }
    if "linear_growth_signal" in ds:
        lrate, _, _ = _fit(t, ds["linear_growth_signal"].values)
        out["linear_prediction_growth_rate_over_mu"] = lrate / mu
    rho0 = ds["rho_initial"].values
    if "rho" in ds:
        conversion = np.max(np.abs(ds["rho"].values - rho0) / rho0)
    else:
        conversion = np.max(np.abs(ds["rho_final"].values - rho0) / rho0)
    out["max_pair_conversion"] = float(conversion)
    out["max_mean_abs_kappa"] = float(ds["mean_abs_kappa"].max())
    out["mean_rho_quadrant_initial"] = [float(v) for v in ds["mean_rho_quadrant"].values[0]]
    out["mean_rho_quadrant_final"] = [float(v) for v in ds["mean_rho_quadrant"].values[-1]]
    out["max_invariant_drift"] = invariant_drifts(ds)
    out["status"] = ds.attrs["status"]
    return out


def invariant_drifts(ds: xr.Dataset) -> dict:
    """Largest drift of each invariant of spec 3.2 over the whole dataset."""
    return {
        "lepton": float(ds["lepton_drift"].max()),
        "bloch_norm2": float(ds["bloch_norm2_drift"].max()),
        "energy_relative": float(ds["energy_drift_relative"].max()),
    }
