"""Shared pieces of the multi-pair scenarios (HW Figs. 2-3): parameters, one run, its numbers."""

from __future__ import annotations

from functools import partial
from typing import Literal

from pydantic import model_validator

import numpy as np
import xarray as xr

from nupair import io, pairing
from nupair.numerics import JitDOP853, result_from_arrays, result_to_arrays
from nupair.results import SolverError
from nupair.scenarios._base import ScenarioParameters, Task, TaskContext, finite_or_none, fit_agreement, param

REFERENCE_HW = "S.-J. Huang & M.-R. Wu, arXiv:2604.25687 (2026)"


class MultiPairParameters(ScenarioParameters):
    """Parameters of HW's multi-pair runs (spec pairing.md sections 5.1-5.2)."""

    coupling_MeV2: float = param(1e-6, unit="MeV^-2", ge=1e-20, le=1.0, also="coupling_per_MeV2",
                                 description="coupling g' (HW: 1e-6; physical sqrt2 G_F/(2pi)^3 = 6.65e-14)")
    e_max_MeV: float = param(20.0, unit="MeV", ge=0.1, le=1e4, description="upper edge of the energy grid")
    occupation_high: float = param(0.9, unit="1", ge=0.0, le=1.0,
                                   description="rho = rhobar for 0 < phi < pi/2")
    occupation_low: float = param(0.1, unit="1", ge=0.0, le=1.0, description="rho = rhobar elsewhere")
    seed_amplitude: float = param(1e-5, unit="1", ge=0.0, le=1e-2,
                                  description="kappa seeds: Re and Im uniform in [0, amplitude]")
    volume_rule: Literal["exact", "midpoint"] = param(
        "exact", unit="", allowed="'exact' or 'midpoint'",
        description="phase-space volume of a bin ('exact' reproduces HW's figures)")
    t_end_MeV: float = param(1500.0, unit="MeV^-1", gt=0.0, le=1e7, description="end time")
    n_save: int = param(1501, unit="1", ge=11, le=1_000_000, description="saved time samples")
    rtol: float = param(1e-12, unit="1", ge=1e-14, le=1e-4, description="DOP853 relative tolerance")
    atol: float = param(1e-14, unit="1", ge=1e-30, le=1e-4, description="DOP853 absolute tolerance")
    checkpoint_interval_MeV: float = param(100.0, unit="MeV^-1", ge=1e-2, le=1e7,
                                           description="checkpoint (and solver restart) interval")

    @model_validator(mode="after")
    def _rules(self):
        if self.t_end_MeV / self.checkpoint_interval_MeV > 1e5:
            raise ValueError(f"t_end_MeV / checkpoint_interval_MeV = {self.t_end_MeV / self.checkpoint_interval_MeV:.3g} "
                             "checkpoints is too many: at most 1e5")
        return self


def _setup(params: MultiPairParameters, shape: tuple[int, int, int], seed):
    grid = pairing.Grid(*shape, e_max_MeV=params.e_max_MeV, volume_rule=params.volume_rule)
    pp = pairing.PairingParams(params.coupling_MeV2)
    state = pairing.hw_initial_state(grid, seed=seed, seed_amplitude=params.seed_amplitude,
                                     high=params.occupation_high, low=params.occupation_low)
    return grid, pp, state


def _stability(params, shape, ctx: TaskContext):
    grid, pp, state = _setup(params, shape, ctx.seed)
    return pairing.growth_rates(state, grid, pp)


def _evolution(params, shape, ctx: TaskContext) -> pairing.PairEvolution:
    grid, pp, state = _setup(params, shape, ctx.seed)
    resume = result_from_arrays(ctx.resume) if ctx.resume is not None else None

    def on_segment(partial_result):
        ctx.save(result_to_arrays(partial_result))
        ctx.progress(partial_result.t_reached / params.t_end_MeV)

    evo = pairing.evolve(state, grid, pp, params.t_end_MeV, n_save=params.n_save,
                         solver=JitDOP853(params.rtol, params.atol),
                         segment_length=min(params.checkpoint_interval_MeV, params.t_end_MeV),
                         resume=resume, on_segment=on_segment)
    if not evo.ok:
        raise SolverError(f"evolution on the {grid.describe()} grid: {evo.message}", evo.status, evo)
    return evo


def _linear(params, shape, ctx: TaskContext):
    """|kappa(t)| per mode of the linearized equations from the same start (None above the dense limit)."""
    grid, pp, state = _setup(params, shape, ctx.seed)
    if grid.n_modes > pairing.DENSE_MAX_MODES:
        return None
    t = np.linspace(0.0, params.t_end_MeV, params.n_save)
    return np.abs(pairing.linear_prediction(state, grid, pp, t))


def _growth(params, shape, key: str, ctx: TaskContext) -> pairing.GrowthMeasurement:
    """The growth measured in the bin hosting the fastest mode, from the three tasks before."""
    grid = pairing.Grid(*shape, e_max_MeV=params.e_max_MeV, volume_rule=params.volume_rule)
    r = ctx.results
    return pairing.measure_growth(r[f"{key}stability"], r[f"{key}evolution"], grid, r[f"{key}linear"])


def grid_tasks(params: MultiPairParameters, shape: tuple[int, int, int], key: str, weight: float = 1.0) -> list[Task]:
    """The four tasks of one grid: stability analysis, nonlinear evolution, linearized evolution,
    and the growth measured on them."""
    return [Task(f"{key}stability", partial(_stability, params, shape), cost=0.05 * weight),
            Task(f"{key}evolution", partial(_evolution, params, shape), cost=weight),
            Task(f"{key}linear", partial(_linear, params, shape), cost=0.05 * weight),
            Task(f"{key}growth", partial(_growth, params, shape, key), cost=1e-3 * weight)]


def grid_dataset(params: MultiPairParameters, shape: tuple[int, int, int], results: dict, key: str) -> xr.Dataset:
    """Dataset of one grid from the results of :func:`grid_tasks` (packaging only)."""
    stab, evo = results[f"{key}stability"], results[f"{key}evolution"]
    growth: pairing.GrowthMeasurement = results[f"{key}growth"]
    ds = io.pair_evolution_dataset(evo)
    k_show = min(12, stab.eigenvalues.size)
    ds["eigenvalue_re"] = xr.Variable(("eigen",), stab.eigenvalues.real[:k_show],
                                      {"units": "MeV", "long_name": "growth rate Re lambda (largest first)"})
    ds["eigenvalue_im"] = xr.Variable(("eigen",), stab.eigenvalues.imag[:k_show],
                                      {"units": "MeV", "long_name": "frequency Im lambda"})
    ds["fastest_mode_weight"] = xr.Variable(("mode",), stab.dominant_modes(0),
                                            {"units": "1", "long_name": "|eigenvector|^2 of the fastest mode per pair mode"})
    ds = ds.assign_coords(eigen=xr.Variable(("eigen",), np.arange(k_show),
                                            {"units": "1", "long_name": "eigenvalue index"}))
    host = growth.host_energy_bin
    ds["growth_signal"] = xr.Variable(
        ("t",), growth.growth_signal,
        {"units": "1", "long_name": f"mean |kappa - kappa_fp| in energy bin {host} (hosts the fastest mode)"})
    if growth.linear_growth_signal is not None:
        ds["linear_growth_signal"] = xr.Variable(
            ("t",), growth.linear_growth_signal,
            {"units": "1", "long_name": "growth_signal of the linearized equations from the same state"})
    fit = growth.fit
    ds.attrs.update({"max_growth_rate_MeV": stab.max_growth_rate, "mu_prime_MeV": evo.mu_MeV,
                     "unstable": int(stab.unstable), "host_energy_bin": host,
                     "fitted_growth_rate_MeV": fit.rate, "fitted_growth_rate_uncertainty_MeV": fit.uncertainty,
                     "fit_window_start_MeV^-1": fit.t_start, "fit_window_end_MeV^-1": fit.t_end,
                     "linear_fitted_growth_rate_MeV": growth.linear_fit.rate if growth.linear_fit else np.nan})
    return ds


def multi_pair_cost_s(params: MultiPairParameters, shapes) -> float:
    """Wall time [s] on one core. DOP853 takes ~29 right-hand sides per radian of the fastest
    phase at rtol = 1e-12 (x (1e-12/rtol)^(1/8)); the fastest frequency is ~2 E_max + 15 mu'
    (mu' = g' E_max^3), each right-hand side ~1e-7 s + 1e-8 s per mode; plus the dense
    eigenproblem (2N)^3 and the saved samples. Measured on HW Fig. 2 set-ups and g' up to 1."""
    total = 4.5  # start-up, compiled-kernel loading and the figure (benchmarks/estimates.py)
    mu = params.coupling_MeV2 * params.e_max_MeV**3
    omega = 2.0 * params.e_max_MeV + 15.0 * mu
    n_rhs = 1.5 * 29.0 * (1e-12 / params.rtol) ** 0.125 * params.t_end_MeV * omega
    for shape in shapes:
        n = shape[0] * shape[1] * shape[2]
        segments = params.t_end_MeV / params.checkpoint_interval_MeV
        total += n_rhs * (1e-7 + 1e-8 * n) + 3e-9 * (2 * n) ** 3 + 2e-7 * params.n_save * n + 2e-3 * segments
    return total


def multi_pair_memory_bytes(params: MultiPairParameters, shapes) -> float:
    """Peak memory [bytes]: the interpreter (~330 MiB), ~130 bytes per saved sample and pair mode
    (the evolution's samples, the linearized prediction, the dataset and checkpoint copies; all
    grids' results are held until the dataset is built) and ~56 bytes per entry of the largest
    dense (2N)^2 stability matrix (LAPACK's eigenvectors and work space). Measured: N = 256..2048
    modes, n_save = 101..8001 (benchmarks/estimates.py)."""
    ns = [s[0] * s[1] * s[2] for s in shapes]
    dense = max((2 * n) ** 2 for n in ns if n <= pairing.DENSE_MAX_MODES) if min(ns) <= pairing.DENSE_MAX_MODES else 0
    return 330 * 2**20 + 130.0 * params.n_save * sum(ns) + 56.0 * dense


def fit_deviation(ds: xr.Dataset) -> float | None:
    """(fitted - largest eigenvalue) / fit uncertainty of one run, with a FitWarning for each reason
    not to trust the fit (:func:`nupair.scenarios._base.fit_agreement`); for summaries only."""
    expected = float(ds.attrs["max_growth_rate_MeV"]) if ds.attrs["unstable"] else 0.0
    what = "the largest eigenvalue of the linearized equations"
    linear = float(ds.attrs.get("linear_fitted_growth_rate_MeV", np.nan))
    if "linear_growth_signal" in ds and np.isfinite(linear):
        # the start may excite only some eigenmodes (a symmetric seed): the linearized evolution from
        # the same state is then the linear theory's prediction for this run
        expected, what = linear, "the linearized evolution from the same state"
    window = (float(ds.attrs["fit_window_start_MeV^-1"]), float(ds.attrs["fit_window_end_MeV^-1"]))
    return fit_agreement(f"{ds.attrs['grid']}: fitted growth", float(ds.attrs["fitted_growth_rate_MeV"]),
                         float(ds.attrs["fitted_growth_rate_uncertainty_MeV"]), window, expected, what=what)


def headline(ds: xr.Dataset) -> dict:
    """The summary numbers of one run (keys of the issue plus diagnostics)."""
    mu = float(ds.attrs["mu_prime_MeV"])
    rate, err = float(ds.attrs["fitted_growth_rate_MeV"]), float(ds.attrs["fitted_growth_rate_uncertainty_MeV"])
    window = (float(ds.attrs["fit_window_start_MeV^-1"]), float(ds.attrs["fit_window_end_MeV^-1"]))
    out = {
        "grid": ds.attrs["grid"],
        "mu_prime_MeV": mu,
        "max_growth_rate_MeV": float(ds.attrs["max_growth_rate_MeV"]),
        "max_growth_rate_over_mu": float(ds.attrs["max_growth_rate_MeV"]) / mu,
        "unstable": bool(ds.attrs["unstable"]),
        "fitted_growth_rate_over_mu": finite_or_none(rate / mu),
        "fitted_growth_rate_uncertainty_over_mu": finite_or_none(err / mu),
        "fit_window_MeV^-1": [finite_or_none(w) for w in window],
        "host_energy_bin": int(ds.attrs["host_energy_bin"]),
    }
    if "linear_growth_signal" in ds:
        lrate = float(ds.attrs["linear_fitted_growth_rate_MeV"])
        out["linear_prediction_growth_rate_over_mu"] = finite_or_none(lrate / mu)
    rho0 = ds["rho_initial"].values
    scale = np.where(rho0 > 0, rho0, 1.0)  # empty modes: the absolute change
    if "rho" in ds:
        conversion = np.max(np.abs(ds["rho"].values - rho0) / scale)
    else:
        conversion = np.max(np.abs(ds["rho_final"].values - rho0) / scale)
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
