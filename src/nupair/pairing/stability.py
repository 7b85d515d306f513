"""Linear stability of the pairing equations around kappa = 0 (frozen occupations), any model.

Spec ``shared/spec/pairing.md`` section 6 (HW eq. 14 for two pairs). The drivers
:func:`stability_matrix` and :func:`growth_rates` take a model (an object or a registered name,
:mod:`nupair.pairing.model`) and ask its bound system; the linear algebra they share (the
low-rank operator J = J0 + U W, the fixed point, the dense and Arnoldi solvers) is in
:mod:`nupair.pairing.linear`.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nupair import validation as _v

# the built-in models register themselves by being imported
from nupair.pairing import flavor_model as _flavor_model  # noqa: F401
from nupair.pairing import full_model as _full_model, secular_model as _secular_model  # noqa: F401
from nupair.pairing.grid import Grid
from nupair.pairing.kmodes import as_k_vectors, is_homogeneous
from nupair.pairing.linear import (
    DENSE_MAX_MODES,
    GROWTH_NOISE_FLOOR_MeV,
    StabilityResult,
    eigenvalues_near,
    linear_fixed_point,
    linear_prediction,
)
from nupair.pairing.model import resolve_model
from nupair.pairing.qke import PairingParams
from nupair.pairing.secular import DEFAULT_SECULAR_CUTOFF

__all__ = ["StabilityResult", "GrowthRateVsK", "stability_matrix", "growth_rates", "growth_rate_vs_k", "eigenvalues_near", "linear_fixed_point",
           "linear_prediction", "DENSE_MAX_MODES", "GROWTH_NOISE_FLOOR_MeV"]


def _with_k(system, call: str, k, *args):
    """``system.<call>(*args)`` at k = 0, ``system.<call>(*args, k_MeV=k)`` otherwise: a model
    written before wave vectors existed keeps working for homogeneous perturbations."""
    if is_homogeneous(k):
        return getattr(system, call)(*args)
    _v.require("k_MeV" in inspect.signature(getattr(system, call)).parameters, "k_MeV", repr(tuple(k)),
               f"the model {system.name!r} has no linear analysis at wave vector k != 0 (its stability "
               "methods take no k_MeV)")
    return getattr(system, call)(*args, k_MeV=k)


def _system(state, grid, params, model, secular_cutoff):
    if model is None:  # the equations the state belongs to (a FlavorPairState: "flavor")
        model = getattr(state, "default_model", "full")
    return resolve_model(model, secular_cutoff=secular_cutoff, **getattr(state, "model_options", {})).bind(grid, params)


def stability_matrix(state, grid: Grid, params: PairingParams, *, model=None,
                     secular_cutoff: float = DEFAULT_SECULAR_CUTOFF, k_MeV=None) -> NDArray:
    """Real matrix J (2N, 2N) of the linearized equations for (Re kappa, Im kappa) [MeV].

    ``k_MeV`` (3,): the wave vector [MeV] of perturbations ~ exp(i k . x) about the homogeneous
    state (docs/k-modes.md; None or 0: homogeneous). For the single-flavor models J(k) is J with
    the pair detuning |p + k/2| + |p - k/2| - 2E added to every a_p (K9); for the flavor model
    the matrix is complex (K10).

    Ordering: (Re kappa_1..N, Im kappa_1..N). Occupations are taken from ``state`` (its kappa is
    ignored: the expansion is around kappa = 0). For the two-pair grid and the full model J is
    HW's eq. (14) up to the ordering of the variables. O(N^2) memory: use :func:`growth_rates`
    for large N.

    ``model``: a :class:`~nupair.pairing.PairingModel` or a registered name (``"full"``;
    ``"secular"``: the real form of d kappa/dt = -i A kappa with A =
    :func:`~nupair.pairing.secular_matrix`, ``docs/secular.md`` S8, its eigenvalues those of -iA
    and their complex conjugates). ``secular_cutoff`` [units of mu] applies to the name
    ``"secular"``.
    """
    system = _system(state, grid, params, model, secular_cutoff)
    k = system.wave_vector(k_MeV)
    return _with_k(system, "stability_matrix", k, system.check_state(state))


def growth_rates(state, grid: Grid, params: PairingParams, *, method: str = "auto",
                 return_eigenvectors: bool = True, k_per_bin: int = 12, model=None,
                 secular_cutoff: float = DEFAULT_SECULAR_CUTOFF, k_MeV=None) -> StabilityResult:
    """Eigenvalues (largest real part first) and eigenvector mode weights of the linearized system.

    Parameters
    ----------
    state : PairState or array (4, N)
        Occupations to linearize around (kappa is set to 0).
    grid, params : Grid, PairingParams
    method : str
        One of the model's methods. Full model: "auto" (dense LAPACK for N <= DENSE_MAX_MODES,
        Arnoldi up to ARNOLDI_MAX_MODES, the fast dispersion solver above), "dense", "arnoldi",
        "dispersion" (:func:`~nupair.pairing.dispersion_fast.dispersion_rates`: the fastest roots
        of the dispersion relation, O(N), D evaluations independent of N; the result's
        ``rate_floor_MeV`` is the growth rate it searched down to). Secular model: "auto" or "dense" (dense LAPACK
        per block of the energy groups the cutoff couples, O(sum n_block^3), so grids far beyond
        the full model's reach; eigenvalues -i alpha of -iA and their conjugates).
    return_eigenvectors : bool
        Compute the mode weights of every eigenvector.
    k_per_bin : int
        Arnoldi only: eigenvalues requested near each energy bin's -2 i E_j (>= 1).
    model : PairingModel or str, optional
        A :class:`~nupair.pairing.PairingModel` or a registered name: "full" (HW eqs. 6-7; the
        default for a PairState), "secular" (``docs/secular.md`` S8), "flavor" (the default for a
        :class:`~nupair.pairing.FlavorPairState`: a :class:`~nupair.pairing.FlavorModel`, which
        returns a :class:`~nupair.pairing.FlavorStabilityResult` with flavor and pairing weights).
    secular_cutoff : float
        For ``model="secular"`` (units of mu), as in :func:`~nupair.pairing.secular_groups`.
    k_MeV : array (3,), optional
        Wave vector [MeV] of the perturbation ~ exp(i k . x) about the homogeneous state
        (docs/k-modes.md K8-K10); None (default) or zeros: the homogeneous analysis, unchanged.

    Returns
    -------
    StabilityResult
    """
    system = _system(state, grid, params, model, secular_cutoff)
    _v.one_of("method", method, system.methods)
    k_per_bin = _v.positive_int("k_per_bin", k_per_bin, 1)
    k = system.wave_vector(k_MeV)
    return _with_k(system, "growth_rates", k, system.check_state(state), method, bool(return_eigenvectors), k_per_bin)


@dataclass(frozen=True)
class GrowthRateVsK:
    """Fastest growth rate of the linearized equations at each wave vector of a scan.

    Attributes
    ----------
    k_MeV : ndarray (n_k, 3)
        Wave vectors [MeV].
    growth_rate_MeV : ndarray (n_k,)
        max Re lambda at each k [MeV] (0 where nothing grows above the method's floor).
    frequency_MeV : ndarray (n_k,)
        |Im lambda| of that eigenvalue [MeV] (nan where stable).
    method : str
        The solver used at each k (``growth_rates``' method).
    rate_floor_MeV : ndarray (n_k,)
        The growth rate down to which the solver searched [MeV] (the noise floor 1e-9 MeV for the
        eigen-solvers).
    """

    k_MeV: NDArray[np.float64]
    growth_rate_MeV: NDArray[np.float64]
    frequency_MeV: NDArray[np.float64]
    method: str
    rate_floor_MeV: NDArray[np.float64]

    @property
    def k_abs_MeV(self) -> NDArray[np.float64]:
        """|k| (n_k,) [MeV]."""
        return np.linalg.norm(self.k_MeV, axis=1)

    @property
    def fastest_index(self) -> int:
        return int(np.argmax(self.growth_rate_MeV))

    @property
    def fastest_k_MeV(self) -> NDArray[np.float64]:
        """The wave vector (3,) [MeV] of the fastest growth (the first of equal maxima)."""
        return self.k_MeV[self.fastest_index]

    @property
    def fastest_growth_rate_MeV(self) -> float:
        return float(self.growth_rate_MeV[self.fastest_index])

    @property
    def homogeneous_growth_rate_MeV(self) -> float:
        """The growth rate at k = 0 [MeV] if the scan holds k = 0, else nan."""
        zero = np.flatnonzero(~np.any(self.k_MeV, axis=1))
        return float(self.growth_rate_MeV[zero[0]]) if zero.size else float("nan")

    @property
    def unstable(self) -> NDArray[np.bool_]:
        """Growth above max(floor, GROWTH_NOISE_FLOOR_MeV) at each k."""
        return self.growth_rate_MeV > np.maximum(self.rate_floor_MeV, GROWTH_NOISE_FLOOR_MeV)


def growth_rate_vs_k(state, grid: Grid, params: PairingParams, k_MeV, *, direction=(1.0, 0.0, 0.0),
                     method: str = "auto", model=None,
                     secular_cutoff: float = DEFAULT_SECULAR_CUTOFF) -> GrowthRateVsK:
    """The fastest growth rate of perturbations ~ exp(i k . x) over a scan of wave vectors k.

    Parameters
    ----------
    state, grid, params, method, model, secular_cutoff
        As for :func:`growth_rates` (one linear analysis per k, docs/k-modes.md K8-K10).
    k_MeV : array (n_k,) or (n_k, 3)
        Magnitudes |k| [MeV] along ``direction``, or the wave vectors themselves.
    direction : array (3,)
        Direction of the scan for magnitudes (normalized here). Default x.

    Returns
    -------
    GrowthRateVsK
        ``fastest_k_MeV`` is where the growth is fastest; k = 0 is the homogeneous analysis.
    """
    ks = as_k_vectors(k_MeV, direction)
    system = _system(state, grid, params, model, secular_cutoff)
    _v.one_of("method", method, system.methods)
    checked = system.check_state(state)
    rates, freqs, floors = np.empty(len(ks)), np.empty(len(ks)), np.empty(len(ks))
    used = set()
    for i, k in enumerate(ks):
        res = _with_k(system, "growth_rates", system.wave_vector(k), checked, method, False, 12)
        used.add(res.method)
        rates[i] = max(res.max_growth_rate, 0.0)
        freqs[i] = abs(res.eigenvalues[0].imag) if res.eigenvalues.size and rates[i] > GROWTH_NOISE_FLOOR_MeV else np.nan
        floors[i] = res.rate_floor_MeV if res.rate_floor_MeV is not None else GROWTH_NOISE_FLOOR_MeV
    return GrowthRateVsK(ks, rates, freqs, "+".join(sorted(used)), floors)
