"""The measured growth of an N-mode run: where the fastest eigenmode lives and how fast the
nonlinear (and the linearized) evolution grows there (spec pairing.md 5.3 and section 6).

Other energy bins only add a non-growing floor to the mean |kappa - kappa_fp| (HW Fig. 3b), so
the growth is fitted on the bin that hosts the fastest eigenvector: the bin with the largest
share of its weight |eigenvector|^2.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from nupair import validation as _v
from nupair.numerics import GrowthFit, fit_growth_rate
from nupair.pairing.evolution import PairEvolution, evolve
from nupair.pairing.grid import Grid
from nupair.pairing.linear import StabilityResult
from nupair.pairing.model import resolve_model
from nupair.pairing.stability import growth_rates
from nupair.results import Result

__all__ = ["FastestMode", "GrowthMeasurement", "GrowthStudy", "fastest_mode", "growth_study", "measure_growth"]


@dataclass(frozen=True)
class GrowthMeasurement(Result):
    """Growth of one run measured in the energy bin that hosts the fastest eigenmode.

    Attributes
    ----------
    host_energy_bin : int
        Energy bin j (0 = lowest) with the largest weight of the fastest eigenvector.
    growth_signal : ndarray, shape (n_t,)
        Mean |kappa - kappa_fp| over the directions of the host bin (nonlinear evolution).
    linear_growth_signal : ndarray, shape (n_t,), or None
        The same for the linearized equations from the same state (None: not computed).
    fit : GrowthFit
        Growth rate [MeV] fitted on ``growth_signal``; status NO_SOLUTION when no exponential
        window exists (a stable or saturated run), with NaN numbers.
    linear_fit : GrowthFit or None
        The same for ``linear_growth_signal``.
    """

    host_energy_bin: int = 0
    growth_signal: NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    linear_growth_signal: NDArray[np.float64] | None = None
    fit: GrowthFit | None = None
    linear_fit: GrowthFit | None = None


def measure_growth(stability: StabilityResult, evolution: PairEvolution, grid: Grid,
                   linear_abs_kappa: NDArray | None = None) -> GrowthMeasurement:
    """Fit the growth of ``evolution`` in the energy bin hosting the fastest eigenmode.

    Parameters
    ----------
    stability : StabilityResult
        Eigenvalues and eigenvector weights of the same initial state (``growth_rates``).
    evolution : PairEvolution
        The nonlinear run (``evolve``).
    grid : Grid
        The grid of both (its ``energy_index`` maps modes to energy bins).
    linear_abs_kappa : ndarray, shape (n_t, N), optional
        |kappa - kappa_fp| of the linearized evolution (``abs(linear_prediction(...))``) on the
        same save times.

    Returns
    -------
    GrowthMeasurement
    """
    e_index = grid.energy_index
    host = int(np.argmax(np.bincount(e_index, weights=stability.dominant_modes(0))))
    signal = evolution.mean_abs_delta_kappa_energy[:, host]
    fit = fit_growth_rate(evolution.t, signal, failure="status")
    linear_signal = linear_fit = None
    if linear_abs_kappa is not None:
        linear_signal = linear_abs_kappa[:, e_index == host].mean(axis=1)
        linear_fit = fit_growth_rate(evolution.t, linear_signal, failure="status")
    return GrowthMeasurement(host_energy_bin=host, growth_signal=signal, linear_growth_signal=linear_signal,
                             fit=fit, linear_fit=linear_fit)


@dataclass(frozen=True)
class GrowthStudy(Result):
    """One model's growth at one set-up: the linear-stability rate beside the evolution's.

    Attributes
    ----------
    model : str
        Registered name of the pairing model (``"full"``, ``"secular"``, ...).
    mu_MeV : float
        mu' = g' e_max^3 of the grid [MeV] (the unit HW quote rates in).
    growth_rate_MeV : float
        Largest Re lambda of the model's linearized equations [MeV] (spec 6; docs/secular.md S8).
    evolution : PairEvolution
        The nonlinear run from the model's matched start (the secular model starts from
        kappa - kappa_fp, docs/secular.md S10).
    fit : GrowthFit
        Growth rate [MeV] fitted on the evolution's mean |kappa - kappa_fp|; status NO_SOLUTION
        (NaN numbers) when no exponential window exists.
    """

    model: str = ""
    mu_MeV: float = float("nan")
    growth_rate_MeV: float = float("nan")
    evolution: PairEvolution | None = None
    fit: GrowthFit | None = None


def growth_study(state, grid: Grid, params, t_end_MeV: float, *, model="full", n_save: int = 601,
                 solver=None) -> GrowthStudy:
    """Linear growth rate and nonlinear evolution of one model from one state, with the fit.

    Parameters
    ----------
    state : PairState or array (4, N)
        Initial state (lab frame); the model's ``matched_start`` maps it for the evolution.
    grid, params : Grid, PairingParams
    t_end_MeV : float
        End of the evolution [MeV^-1].
    model : PairingModel or str
    n_save : int
        Saved time samples.
    solver : integrator, optional
        As in :func:`nupair.pairing.evolve`.

    Returns
    -------
    GrowthStudy
        Raises :class:`~nupair.results.SolverError` if the evolution fails.
    """
    t_end_MeV = _v.positive("t_end_MeV", t_end_MeV, "MeV^-1")
    model = resolve_model(model)
    rate = growth_rates(state, grid, params, model=model, return_eigenvectors=False).max_growth_rate
    start = model.bind(grid, params).matched_start(state)
    options = {} if solver is None else {"solver": solver}
    evo = evolve(start, grid, params, t_end_MeV, n_save=n_save, model=model, **options)
    evo.unwrap(f"{model.name} evolution on the {grid.describe()} grid")
    fit = fit_growth_rate(evo.t, evo.mean_abs_delta_kappa, failure="status")
    return GrowthStudy(model=model.name, mu_MeV=params.mu_MeV(grid), growth_rate_MeV=rate, evolution=evo, fit=fit)


@dataclass(frozen=True)
class FastestMode(Result):
    """The fastest eigenmode of one grid's linearized equations (spec 6).

    Attributes
    ----------
    n_modes : int
        Pair modes N of the grid.
    growth_rate_MeV : float
        max Re lambda [MeV] (solver noise below ``GROWTH_NOISE_FLOOR_MeV`` included as computed).
    frequency_MeV : float
        |Im lambda| of that mode [MeV] (~2E of its energy bin).
    host_energy_bin : int
        Energy bin with the largest weight of its eigenvector (0 when not located).
    """

    n_modes: int = 0
    growth_rate_MeV: float = float("nan")
    frequency_MeV: float = float("nan")
    host_energy_bin: int = 0


def fastest_mode(state, grid: Grid, params, *, model="full", locate_host: bool = False) -> FastestMode:
    """Growth rate, frequency (and optionally the hosting energy bin) of the fastest mode.

    Parameters
    ----------
    state, grid, params : as :func:`nupair.pairing.growth_rates`
    model : PairingModel or str
    locate_host : bool
        Compute eigenvectors and name the energy bin that carries most of the fastest one.
    """
    res = growth_rates(state, grid, params, model=model, return_eigenvectors=locate_host)
    # the fast dispersion solver lists no eigenvalue when nothing grows above its floor
    host = (int(np.argmax(np.bincount(grid.energy_index, weights=res.dominant_modes(0))))
            if locate_host and res.eigenvalues.size else 0)
    frequency = abs(res.eigenvalues[0].imag) if res.eigenvalues.size else float("nan")
    return FastestMode(n_modes=grid.n_modes, growth_rate_MeV=res.max_growth_rate, frequency_MeV=float(frequency),
                       host_energy_bin=host)
