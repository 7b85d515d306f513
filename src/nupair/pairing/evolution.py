"""Nonlinear evolution of N pair modes, with diagnostics and conservation monitors.

Integrates a pairing model (by default HW eqs. (6)-(7) in O(N) moment form, spec
``shared/spec/pairing.md`` sections 2-3; the models are in :mod:`nupair.pairing.model`) and
records the averages HW plot (spec 5.3) and the drift of the invariants of spec 3.2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from typing import Any, Callable

import numpy as np
import xarray as xr

from nupair import validation as _v
from nupair.numerics import JIT_INTEGRATORS, EvolutionResult, JitDOP853, evolve as _integrate, fit_growth_rate
from nupair.results import Status, StatusMixin
from nupair.pairing.grid import Grid
from nupair.pairing.linear import DENSE_MAX_MODES
from nupair.pairing.model import PairingSystem, resolve_model
from nupair.pairing.qke import PairingParams, PairState, invariants
from nupair.pairing.secular import DEFAULT_SECULAR_CUTOFF
from nupair.pairing import stability as _stability  # noqa: F401  (registers the built-in models)

__all__ = ["evolve", "fit_linear_growth", "PairEvolution"]

#: Store every mode at every save time up to this many modes (above: diagnostics + final state).
STORE_MODES_MAX = 4096


def _energy_bins(grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    if grid.shape is not None:
        centres = 0.5 * (grid.e_edges[:-1] + grid.e_edges[1:])
        return grid.energy_index, centres
    centres, index = np.unique(grid.energy_MeV, return_inverse=True)
    return index, centres


def _as_pair_state(initial_state, grid: Grid) -> PairState:
    if not isinstance(initial_state, PairState):
        y_in = np.asarray(initial_state)
        if y_in.ndim != 2 or y_in.shape[0] != 4 or not np.isrealobj(y_in):
            raise TypeError(f"initial_state must be a PairState or a real array of shape (4, N), "
                            f"got {type(initial_state).__name__} of shape {getattr(y_in, 'shape', None)}")
        initial_state = PairState.from_array(y_in)
    if initial_state.n_modes != grid.n_modes:
        raise ValueError(f"initial_state has {initial_state.n_modes} modes, grid has {grid.n_modes}")
    return initial_state


def _mean_matrix(index: np.ndarray, n_cols: int) -> np.ndarray:
    """(N, n_cols) matrix whose column c averages the modes with index == c."""
    count = np.bincount(index, minlength=n_cols).astype(float)
    m = np.zeros((index.size, n_cols))
    m[np.arange(index.size), index] = 1.0 / np.maximum(count[index], 1.0)
    return m


class _Diagnostics:
    """The recorded averages and invariant drifts of lab-frame states (n_t, 4, N): (n_t, 9 + 2 n_E)."""

    def __init__(self, system: PairingSystem, y0: np.ndarray, kappa_fp: np.ndarray):
        grid, params = system.grid, system.params
        self.system, self.kappa_fp = system, kappa_fp
        self.inv0 = invariants(y0, grid, params)
        self.bloch_ref = np.maximum(self.inv0.bloch_norm2, 1e-6)  # |P_p|^2 at t = 0, floored for empty ones
        self.energy0 = system.conserved_energy(y0[None], invariants(y0[None], grid, params))[0]
        e_index, self.energy_bin_centres = _energy_bins(grid)
        self.q_mean = _mean_matrix(grid.quadrant(), 4)
        self.e_mean = _mean_matrix(e_index, len(self.energy_bin_centres))

    def __call__(self, ys: np.ndarray) -> np.ndarray:
        kappa = ys[:, 2] + 1j * ys[:, 3]
        absk, absd = np.abs(kappa), np.abs(kappa - self.kappa_fp)
        inv = invariants(ys, self.system.grid, self.system.params)
        e_drift = np.abs(self.system.conserved_energy(ys, inv) - self.energy0)
        return np.column_stack([
            absk.mean(axis=1), absd.mean(axis=1), ys[:, 0] @ self.q_mean, absk @ self.e_mean, absd @ self.e_mean,
            np.max(np.abs(inv.lepton - self.inv0.lepton), axis=1),
            np.max(np.abs(inv.bloch_norm2 - self.inv0.bloch_norm2) / self.bloch_ref, axis=1),
            e_drift / self.inv0.energy_scale_MeV2,
        ])


def evolve(
    initial_state: PairState,
    grid: Grid,
    params: PairingParams,
    t_final: float,
    *,
    n_save: int = 1001,
    solver=None,
    segment_length: float | None = None,
    resume: EvolutionResult | None = None,
    on_segment: Callable[[EvolutionResult], None] | None = None,
    store_modes: bool | None = None,
    subtract_fixed_point: bool | None = None,
    model=None,
    secular_cutoff: float = DEFAULT_SECULAR_CUTOFF,
) -> "PairEvolution":
    """Evolve N pair modes from ``initial_state`` to ``t_final`` [MeV^-1]; return a :class:`PairEvolution`.

    Parameters
    ----------
    initial_state : PairState or ndarray, shape (4, N)
        A state, or the array (rho, rhobar, Re kappa, Im kappa) (e.g. from
        :func:`secular_initial_state`).
    grid : Grid
    params : PairingParams
    t_final : float
        End time [MeV^-1].
    n_save : int
        Number of saved times, uniform on [0, t_final].
    solver : numerics solver
        Default ``JitDOP853(rtol=1e-12, atol=1e-14)`` (invariants kept to < 1e-9 over 1e4
        fast periods) with the model's compiled right-hand side;
        ``Adaptive`` or ``RK4`` run its NumPy right-hand side instead (same equations).
    segment_length : float, optional
        Checkpoint/restart interval [MeV^-1] (see ``numerics.evolve``); ``on_segment`` and
        ``resume`` as there.
    store_modes : bool, optional
        Store every mode at every save time (default: if N <= 4096). Otherwise only averages,
        invariant drifts and the final state are kept (memory O(N)).
    subtract_fixed_point : bool, optional
        Also record the mean |kappa - kappa_fp| (kappa_fp: the model's linear fixed point);
        default if N <= DENSE_MAX_MODES. (The secular model has no source term: kappa_fp = 0.)
    model : PairingModel or str, optional
        A :class:`~nupair.pairing.PairingModel` or a registered name; default the state's own
        (``"full"`` for a PairState or array, ``"flavor"`` for a
        :class:`~nupair.pairing.FlavorPairState`, whose run returns a
        :class:`~nupair.pairing.FlavorEvolution`; ``docs/flavor-pairing.md``). "full":
        HW eqs. (6)-(7), every phase resolved (the step is set by E). "secular": the co-rotating
        averaged equations of ``docs/secular.md`` (S5)-(S6), the step set by mu, error O(mu/E);
        kappa is integrated in the co-rotating frame and recorded in the lab frame
        (kappa = exp(-2 i E t) kappa~), so both models give comparable outputs.
    secular_cutoff : float
        For ``model="secular"``: couplings between energies with |2 (E_p - E_q)| below this many
        mu are kept with their explicit phase (``pairing.secular_groups``).

    Returns
    -------
    PairEvolution
        The result (``status``, ``message``, ``stats``) with its arrays;
        ``to_dataset()`` gives an ``xarray.Dataset`` with
        dimensions ``t`` [MeV^-1], ``mode``, ``quadrant``, ``energy_bin``. Variables: the mode
        arrays ``rho``, ``rhobar``, ``kappa_re``, ``kappa_im`` (if stored), ``mean_abs_kappa``
        (<|kappa|>_a of HW), ``mean_abs_delta_kappa``, ``mean_rho_quadrant`` (<rho>_i),
        ``mean_abs_kappa_energy`` (<|kappa|>_j), ``mean_abs_delta_kappa_energy``, the invariant
        drifts ``lepton_drift``,
        ``bloch_norm2_drift``, ``energy_drift_relative``, and the final state. Attributes:
        ``status`` ("successful" or the failure) and ``message``.

    Notes
    -----
    A non-finite right-hand side stops the run with a message naming the time and the mode;
    everything integrated up to the last completed segment is returned.
    """
    t_final = _v.positive("t_final", t_final, "MeV^-1")
    n_save = _v.positive_int("n_save", n_save, 2)
    if model is None:  # the equations the state belongs to
        model = getattr(initial_state, "default_model", "full")
    system = resolve_model(model, secular_cutoff=secular_cutoff,
                           **getattr(initial_state, "model_options", {})).bind(grid, params)
    # a model with its own state type (flavor) brings its driver; the (4, N) models share this one
    driver = getattr(system, "evolve", None) or partial(_evolve_pair_modes, system)
    return driver(initial_state, t_final, n_save=n_save, solver=solver, segment_length=segment_length,
                         resume=resume, on_segment=on_segment, store_modes=store_modes,
                         subtract_fixed_point=subtract_fixed_point)


def _evolve_pair_modes(system: PairingSystem, initial_state, t_final: float, *, n_save: int, solver,
                       segment_length, resume, on_segment, store_modes, subtract_fixed_point) -> "PairEvolution":
    """The driver of the models whose state is the (4, N) array of pair modes (full, secular)."""
    grid = system.grid
    initial_state = _as_pair_state(initial_state, grid)
    n = grid.n_modes
    store = n <= STORE_MODES_MAX if store_modes is None else bool(store_modes)
    subtract = n <= DENSE_MAX_MODES if subtract_fixed_point is None else bool(subtract_fixed_point)
    y0 = initial_state.to_array()
    diagnostics = _Diagnostics(system, y0, system.fixed_point(initial_state) if subtract else np.zeros(n, complex))

    def observe(t, y):  # large N: diagnostics and nothing else at each save (memory O(N))
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run shows as inf drift
            return diagnostics(system.to_lab(np.array([t]), y[None]))[0]

    solver = solver or JitDOP853(rtol=1e-12, atol=1e-14)
    rhs, args = system.kernel() if isinstance(solver, JIT_INTEGRATORS) else (system.checked_rhs(), ())
    result = _integrate(rhs, system.from_lab(0.0, y0), np.linspace(0.0, t_final, n_save), solver=solver,
                        args=args, segment_length=segment_length, resume=resume, on_segment=on_segment,
                        observe=None if store else observe)
    if store:  # every state was kept: the diagnostics in one vectorized pass
        with np.errstate(over="ignore", invalid="ignore"):
            states = system.to_lab(result.t, np.asarray(result.y).reshape(-1, 4, n))
            observed = np.concatenate([states.reshape(len(result.t), -1), diagnostics(states)], axis=1)
    else:
        observed = result.y
    return _pair_evolution(result, observed, system, y0, store, diagnostics.energy_bin_centres)


def _pair_evolution(result: EvolutionResult, observed, system: PairingSystem, y0, store: bool,
                    e_centres) -> "PairEvolution":
    grid, params = system.grid, system.params
    message = result.message or result.status.value
    if "failed_component" in result.stats:  # name the mode and the variable that went bad
        message = f"{message}: {system.describe_component(result.stats['failed_component'])}"
    y_reached = system.to_lab(np.array([result.t_reached]), np.asarray(result.y_reached)[None])[0]
    return PairEvolution(
        status=result.status, message=message, t=result.t, observables=observed,
        n_modes=grid.n_modes, stored_modes=store, n_energy_bins=len(e_centres), energy_bin_centres_MeV=e_centres,
        y0=y0, y_reached=y_reached, t_reached=float(result.t_reached), grid_description=grid.describe(),
        volume_rule=grid.volume_rule, coupling_per_MeV2=params.coupling_per_MeV2, mu_MeV=params.mu_MeV(grid),
        mode_coords={"energy_MeV": grid.energy_MeV, "theta": grid.theta, "phi": grid.phi,
                     "volume_MeV3": grid.volume_MeV3},
        stats=dict(result.stats), model=system.name)


@dataclass(frozen=True)
class PairEvolution(StatusMixin):
    """Result of :func:`evolve`: the recorded observables of an N-mode run and its status.

    Attributes
    ----------
    status : nupair.results.Status
        SUCCESSFUL, or what stopped the run (the arrays hold everything up to ``t_reached``).
    message : str
    t : ndarray, shape (n_t,)
        Save times reached [MeV^-1].
    observables : ndarray, shape (n_t, 4 N + 9 + 2 n_E) or (n_t, 9 + 2 n_E)
        Mode arrays (if stored) followed by the diagnostics; :meth:`to_dataset` names them.
    y0, y_reached : ndarray, shape (4, N)
        (rho, rhobar, Re kappa, Im kappa) at t = 0 and at ``t_reached``.
    stats : dict
        ``n_rhs``, ``n_steps``, ``wall_s`` of the integrator.
    """

    status: Status
    message: str
    t: np.ndarray
    observables: np.ndarray
    n_modes: int
    stored_modes: bool
    n_energy_bins: int
    energy_bin_centres_MeV: np.ndarray
    y0: np.ndarray
    y_reached: np.ndarray
    t_reached: float
    grid_description: str
    volume_rule: str
    coupling_per_MeV2: float
    mu_MeV: float
    mode_coords: dict = field(default_factory=dict)
    stats: dict = field(default_factory=dict)
    model: str = "full"


    @property
    def coupling_MeV2(self) -> float:
        """Deprecated name of ``coupling_per_MeV2`` (g [MeV^-2])."""
        import warnings

        warnings.warn("PairEvolution.coupling_MeV2 is deprecated: use coupling_per_MeV2", DeprecationWarning,
                      stacklevel=2)
        return self.coupling_per_MeV2

    # The recorded series by name (the layout of ``observables``; see :func:`evolve`).
    @property
    def _diagnostics(self) -> np.ndarray:
        return self.observables[:, 4 * self.n_modes:] if self.stored_modes else self.observables

    @property
    def mean_abs_kappa(self) -> np.ndarray:
        """<|kappa|>_a(t): mean |kappa| over modes (HW), shape (n_t,)."""
        return self._diagnostics[:, 0]

    @property
    def mean_abs_delta_kappa(self) -> np.ndarray:
        """Mean |kappa - kappa_fp|(t) over modes (kappa_fp: linear fixed point), shape (n_t,)."""
        return self._diagnostics[:, 1]

    @property
    def mean_rho_quadrant(self) -> np.ndarray:
        """<rho>_i(t): mean rho over modes with phi in quadrant i (HW), shape (n_t, 4)."""
        return self._diagnostics[:, 2:6]

    @property
    def mean_abs_kappa_energy(self) -> np.ndarray:
        """<|kappa|>_j(t): mean |kappa| over the directions of energy bin j (HW), shape (n_t, n_E)."""
        return self._diagnostics[:, 6: 6 + self.n_energy_bins]

    @property
    def mean_abs_delta_kappa_energy(self) -> np.ndarray:
        """Mean |kappa - kappa_fp|(t) over the directions of energy bin j, shape (n_t, n_E)."""
        return self._diagnostics[:, 6 + self.n_energy_bins: 6 + 2 * self.n_energy_bins]

    @property
    def lepton_drift(self) -> np.ndarray:
        """max over modes |(rho - rhobar)(t) - (rho - rhobar)(0)| (invariant 1), shape (n_t,)."""
        return self._diagnostics[:, 6 + 2 * self.n_energy_bins]

    @property
    def bloch_norm2_drift(self) -> np.ndarray:
        """max over modes of the relative drift of |P|^2 = S^2 + 4|kappa|^2 (invariant 2), shape (n_t,)."""
        return self._diagnostics[:, 7 + 2 * self.n_energy_bins]

    @property
    def energy_drift_relative(self) -> np.ndarray:
        """|W(t) - W(0)| / (sum 2 w E |S| + 2|V|^2) (invariant 3), shape (n_t,)."""
        return self._diagnostics[:, 8 + 2 * self.n_energy_bins]

    @property
    def modes(self) -> np.ndarray | None:
        """(rho, rhobar, Re kappa, Im kappa) of every mode at every save time, shape (n_t, 4, N);
        None when the run stored only the diagnostics (N > STORE_MODES_MAX or store_modes=False)."""
        if not self.stored_modes:
            return None
        return self.observables[:, : 4 * self.n_modes].reshape(-1, 4, self.n_modes)

    def to_dataset(self) -> xr.Dataset:
        """Deprecated: the run as an ``xarray.Dataset``; use
        ``nupair.io.pair_evolution_dataset(evolution)`` (datasets are built at the edge, not in
        the capability). Kept so that existing scripts run; warns once."""
        import importlib
        import warnings

        warnings.warn("PairEvolution.to_dataset() and dataset-style access are deprecated: use "
                      "nupair.io.pair_evolution_dataset(evolution), or the arrays of the result "
                      "(evolution.mean_abs_kappa, ...)", DeprecationWarning, stacklevel=2)
        cached = self.__dict__.get("_dataset")
        if cached is None:
            # resolved at run time: the dataset builder lives at the I/O edge, which a capability
            # may not import (design.md); this alias goes when the deprecation ends
            cached = importlib.import_module("nupair.io").pair_evolution_dataset(self)
            object.__setattr__(self, "_dataset", cached)
        return cached

    # Dataset-like access (deprecated, as to_dataset), for code written when evolve returned a Dataset
    def __getitem__(self, name: str) -> Any:
        return self.to_dataset()[name]

    def __contains__(self, name: str) -> bool:
        return name in self.to_dataset()

    @property
    def attrs(self) -> dict:
        return self.to_dataset().attrs

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_dataset", None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)


def fit_linear_growth(ds, energy_bin: int | None = None, **fit_options):
    """Fitted exponential growth rate [MeV] of the nonlinear evolution returned by :func:`evolve`.

    Fits (:func:`nupair.numerics.fit_growth_rate`) the mean distance from the linear fixed point,
    |kappa - kappa_fp| (which removes the source-driven floor, spec section 6), averaged over
    all modes or, with ``energy_bin``, over the directions of one energy bin: use the bin that
    hosts the instability when other bins only add a non-growing floor (spec 5.3, HW Fig. 3b).
    """
    if isinstance(ds, PairEvolution):
        t = ds.t
        series = ds.mean_abs_delta_kappa if energy_bin is None else ds.mean_abs_delta_kappa_energy[:, energy_bin]
    else:
        t = ds["t"].values
        if energy_bin is None:
            series = ds["mean_abs_delta_kappa"].values
        else:
            series = ds["mean_abs_delta_kappa_energy"].isel(energy_bin=energy_bin).values
    return fit_growth_rate(t, series, **fit_options)
