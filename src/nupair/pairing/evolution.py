"""Nonlinear evolution of N pair modes, with diagnostics and conservation monitors.

Integrates a pairing model (by default HW eqs. (6)-(7) in O(N) moment form, spec
``shared/spec/pairing.md`` sections 2-3; the models are in :mod:`nupair.pairing.model`) and
records the averages HW plot (spec 5.3) and the drift of the invariants of spec 3.2.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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


def _checked_rhs(system: PairingSystem) -> Callable:
    """The system's NumPy right-hand side, stopping with the time and mode of a non-finite value."""
    def f(t, y):
        d = system.rhs(t, y)
        if not np.all(np.isfinite(d)):
            bad = int(np.flatnonzero(~np.isfinite(d))[0])
            raise FloatingPointError(f"non-finite derivative at t = {t:.6g} MeV^-1 in {system.describe_component(bad)}")
        return d
    return f


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
    model="full",
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
    model : PairingModel or str
        A :class:`~nupair.pairing.PairingModel` or a registered name. "full" (default):
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
    initial_state = _as_pair_state(initial_state, grid)
    t_final = _v.positive("t_final", t_final, "MeV^-1")
    n_save = _v.positive_int("n_save", n_save, 2)
    system = resolve_model(model, secular_cutoff=secular_cutoff).bind(grid, params)
    n = grid.n_modes
    store = n <= STORE_MODES_MAX if store_modes is None else bool(store_modes)
    subtract = n <= DENSE_MAX_MODES if subtract_fixed_point is None else bool(subtract_fixed_point)
    y0 = initial_state.to_array()
    diagnostics = _Diagnostics(system, y0, system.fixed_point(initial_state) if subtract else np.zeros(n, complex))

    def observe(t, y):  # large N: diagnostics and nothing else at each save (memory O(N))
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run shows as inf drift
            return diagnostics(system.to_lab(np.array([t]), y[None]))[0]

    solver = solver or JitDOP853(rtol=1e-12, atol=1e-14)
    rhs, args = system.kernel() if isinstance(solver, JIT_INTEGRATORS) else (_checked_rhs(system), ())
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
        volume_rule=grid.volume_rule, coupling_MeV2=params.coupling_MeV2, mu_MeV=params.mu_MeV(grid),
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
    coupling_MeV2: float
    mu_MeV: float
    mode_coords: dict = field(default_factory=dict)
    stats: dict = field(default_factory=dict)
    model: str = "full"


    def to_dataset(self) -> xr.Dataset:
        """The run as an ``xarray.Dataset`` (variables as listed in :func:`evolve`)."""
        cached = self.__dict__.get("_dataset")
        if cached is None:
            cached = _dataset(self)
            object.__setattr__(self, "_dataset", cached)
        return cached

    # Dataset-like access, so that code written for the Dataset that evolve() used to return works
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


def _dataset(evo: PairEvolution) -> xr.Dataset:
    n, n_e, t = evo.n_modes, evo.n_energy_bins, evo.t
    obs = evo.observables
    if evo.stored_modes:
        modes, obs = obs[:, : 4 * n].reshape(-1, 4, n), obs[:, 4 * n:]
    y0 = evo.y0

    def var(dims, data, units, long_name):
        return xr.Variable(dims, data, {"units": units, "long_name": long_name})

    data = {
        "mean_abs_kappa": var(("t",), obs[:, 0], "1", "<|kappa|>_a: mean |kappa| over modes (HW)"),
        "mean_abs_delta_kappa": var(("t",), obs[:, 1], "1",
                                    "mean |kappa - kappa_fp| (kappa_fp: linear fixed point)"),
        "mean_rho_quadrant": var(("t", "quadrant"), obs[:, 2:6], "1",
                                 "<rho>_i: mean rho over modes with phi in quadrant i (HW)"),
        "mean_abs_kappa_energy": var(("t", "energy_bin"), obs[:, 6: 6 + n_e], "1",
                                     "<|kappa|>_j: mean |kappa| over directions of energy bin j (HW)"),
        "mean_abs_delta_kappa_energy": var(("t", "energy_bin"), obs[:, 6 + n_e: 6 + 2 * n_e], "1",
                                           "mean |kappa - kappa_fp| over directions of energy bin j"),
        "lepton_drift": var(("t",), obs[:, 6 + 2 * n_e], "1",
                            "max over modes |(rho - rhobar)(t) - (rho - rhobar)(0)| (invariant 1)"),
        "bloch_norm2_drift": var(("t",), obs[:, 7 + 2 * n_e], "1",
                                 "max over modes of the relative drift of |P|^2 = S^2 + 4|kappa|^2 (invariant 2)"),
        "energy_drift_relative": var(("t",), obs[:, 8 + 2 * n_e], "1",
                                     "|W(t) - W(0)| / (sum 2 w E |S| + 2|V|^2) (invariant 3)"),
        "rho_initial": var(("mode",), y0[0], "1", "initial neutrino occupation"),
        "rhobar_initial": var(("mode",), y0[1], "1", "initial antineutrino occupation"),
        "rho_final": var(("mode",), evo.y_reached[0], "1", "neutrino occupation at the last time reached"),
        "rhobar_final": var(("mode",), evo.y_reached[1], "1", "antineutrino occupation at the last time reached"),
        "kappa_re_final": var(("mode",), evo.y_reached[2], "1", "Re kappa at the last time reached"),
        "kappa_im_final": var(("mode",), evo.y_reached[3], "1", "Im kappa at the last time reached"),
    }
    if evo.stored_modes:
        for i, (name, long_name) in enumerate([("rho", "neutrino occupation"), ("rhobar", "antineutrino occupation"),
                                               ("kappa_re", "Re kappa (pairing correlation)"),
                                               ("kappa_im", "Im kappa (pairing correlation)")]):
            data[name] = var(("t", "mode"), modes[:, i, :], "1", long_name)
    mc = evo.mode_coords
    coords = {
        "t": var(("t",), t, "MeV^-1", "time"),
        "mode": var(("mode",), np.arange(n), "1", "pair-mode index"),
        "energy_MeV": var(("mode",), mc["energy_MeV"], "MeV", "mode energy"),
        "theta": var(("mode",), mc["theta"], "rad", "polar angle of the neutrino"),
        "phi": var(("mode",), mc["phi"], "rad", "azimuthal angle of the neutrino"),
        "volume_MeV3": var(("mode",), mc["volume_MeV3"], "MeV^3", "phase-space volume Delta V"),
        "quadrant": var(("quadrant",), np.arange(4), "1", "azimuthal quadrant (0: 0 < phi < pi/2)"),
        "energy_bin": var(("energy_bin",), evo.energy_bin_centres_MeV, "MeV", "energy-bin centre"),
    }
    ds = xr.Dataset(data, coords)
    ds.attrs.update({
        "grid": evo.grid_description,
        "volume_rule": evo.volume_rule,
        "coupling_MeV2": evo.coupling_MeV2,
        "mu_MeV": evo.mu_MeV,
        "status": "successful" if evo.ok else evo.status.name.lower(),
        "message": evo.message,
        "n_rhs_evaluations": int(evo.stats.get("n_rhs", 0)),
        "t_reached_MeV^-1": float(evo.t_reached),
        "model": evo.model,
    })
    return ds


def fit_linear_growth(ds: xr.Dataset, energy_bin: int | None = None, **fit_options):
    """Fitted exponential growth rate [MeV] of the nonlinear evolution returned by :func:`evolve`.

    Fits (:func:`nupair.numerics.fit_growth_rate`) the mean distance from the linear fixed point,
    |kappa - kappa_fp| (which removes the source-driven floor, spec section 6), averaged over
    all modes or, with ``energy_bin``, over the directions of one energy bin: use the bin that
    hosts the instability when other bins only add a non-growing floor (spec 5.3, HW Fig. 3b).
    """
    if energy_bin is None:
        series = ds["mean_abs_delta_kappa"].values
    else:
        series = ds["mean_abs_delta_kappa_energy"].isel(energy_bin=energy_bin).values
    return fit_growth_rate(ds["t"].values, series, **fit_options)
