"""Linear stability of the pairing equations around kappa = 0 (frozen occupations), any model.

Spec ``shared/spec/pairing.md`` section 6 (HW eq. 14 for two pairs). The drivers
:func:`stability_matrix` and :func:`growth_rates` take a model (an object or a registered name,
:mod:`nupair.pairing.model`) and ask its bound system; the linear algebra they share (the
low-rank operator J = J0 + U W, the fixed point, the dense and Arnoldi solvers) is in
:mod:`nupair.pairing.linear`.
"""

from __future__ import annotations

from numpy.typing import NDArray

from nupair import validation as _v

# the built-in models register themselves by being imported
from nupair.pairing import flavor_model as _flavor_model  # noqa: F401
from nupair.pairing import full_model as _full_model, secular_model as _secular_model  # noqa: F401
from nupair.pairing.grid import Grid
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

__all__ = ["StabilityResult", "stability_matrix", "growth_rates", "eigenvalues_near", "linear_fixed_point",
           "linear_prediction", "DENSE_MAX_MODES", "GROWTH_NOISE_FLOOR_MeV"]


def _system(state, grid, params, model, secular_cutoff):
    if model is None:  # the equations the state belongs to (a FlavorPairState: "flavor")
        model = getattr(state, "default_model", "full")
    return resolve_model(model, secular_cutoff=secular_cutoff, **getattr(state, "model_options", {})).bind(grid, params)


def stability_matrix(state, grid: Grid, params: PairingParams, *, model=None,
                     secular_cutoff: float = DEFAULT_SECULAR_CUTOFF) -> NDArray:
    """Real matrix J (2N, 2N) of the linearized equations for (Re kappa, Im kappa) [MeV].

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
    return system.stability_matrix(system.check_state(state))


def growth_rates(state, grid: Grid, params: PairingParams, *, method: str = "auto",
                 return_eigenvectors: bool = True, k_per_bin: int = 12, model=None,
                 secular_cutoff: float = DEFAULT_SECULAR_CUTOFF) -> StabilityResult:
    """Eigenvalues (largest real part first) and eigenvector mode weights of the linearized system.

    Parameters
    ----------
    state : PairState or array (4, N)
        Occupations to linearize around (kappa is set to 0).
    grid, params : Grid, PairingParams
    method : str
        One of the model's methods. Full model: "auto" (dense LAPACK for N <= DENSE_MAX_MODES,
        otherwise Arnoldi), "dense", "arnoldi". Secular model: "auto" or "dense" (dense LAPACK
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

    Returns
    -------
    StabilityResult
    """
    system = _system(state, grid, params, model, secular_cutoff)
    _v.one_of("method", method, system.methods)
    k_per_bin = _v.positive_int("k_per_bin", k_per_bin, 1)
    return system.growth_rates(system.check_state(state), method, bool(return_eigenvectors), k_per_bin)
