"""The pairing-model interface: what :func:`~nupair.pairing.evolve` and
:func:`~nupair.pairing.growth_rates` need from a model of the pairing equations.

A *model* (:class:`PairingModel`) is a set of equations of motion and its options — the full
HW eqs. (6)-(7) (:class:`~nupair.pairing.FullModel`), the secular equations of
``docs/secular.md`` (:class:`~nupair.pairing.SecularModel`), and whatever comes next (flavor,
k != 0). Bound to a grid and a coupling it becomes a *system* (:class:`PairingSystem`), the object
the drivers talk to, in the manner of diffrax's terms: a compiled right-hand side, its NumPy twin,
the frame maps between the model's variables and the lab frame, the model's conserved energy,
the fixed point of its linearization, and its linear stability operator and solvers. The drivers
never branch on a model: a new model is a new file with a new subclass, registered under its
``name`` (the string accepted by ``model=``) by being defined.
"""

from __future__ import annotations

import abc
from typing import Callable, ClassVar

import numpy as np
from numpy.typing import NDArray

from nupair import validation as _v
from nupair.pairing.grid import Grid
from nupair.pairing.kmodes import as_k_vector
from nupair.pairing.linear import StabilityResult
from nupair.pairing.qke import Invariants, PairingParams, _as_array

__all__ = ["PairingModel", "PairingSystem", "resolve_model", "registered_models"]

_REGISTRY: dict[str, type["PairingModel"]] = {}

#: Names of the four real state rows, in order (the layout every model shares).
STATE_ROWS = ("rho", "rhobar", "Re kappa", "Im kappa")


class PairingModel(abc.ABC):
    """A model of the pairing equations (its options are its fields; frozen dataclass subclasses).

    Subclasses set ``name`` and implement :meth:`bind` and :meth:`from_options`.
    """

    name: ClassVar[str]

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "name" in cls.__dict__:
            _REGISTRY[cls.name] = cls

    @classmethod
    @abc.abstractmethod
    def from_options(cls, **options) -> "PairingModel":
        """The model built from the drivers' keyword options (e.g. ``secular_cutoff``); options
        that do not concern the model are ignored."""

    @abc.abstractmethod
    def bind(self, grid: Grid, params: PairingParams) -> "PairingSystem":
        """This model on ``grid`` at coupling ``params``."""


class PairingSystem(abc.ABC):
    """A pairing model bound to a grid and a coupling: the operations the drivers call.

    States are real arrays (4, N) = (rho, rhobar, Re kappa, Im kappa) in the model's own
    variables (``from_lab`` / ``to_lab`` map to and from the lab frame). Times in MeV^-1,
    rates and frequencies in MeV.
    """

    #: ``method=`` values accepted by :meth:`growth_rates`.
    methods: ClassVar[tuple[str, ...]] = ("auto", "dense")

    def __init__(self, model: PairingModel, grid: Grid, params: PairingParams):
        self.model, self.grid, self.params = model, grid, params

    @property
    def name(self) -> str:
        return self.model.name

    # --- equations of motion -------------------------------------------------------------
    @abc.abstractmethod
    def kernel(self) -> tuple[Callable, tuple]:
        """(compiled ``rhs(t, y_flat, args)``, ``args``) for :class:`~nupair.numerics.JitDOP853`."""

    @abc.abstractmethod
    def rhs(self, t_MeV: float, y: NDArray) -> NDArray:
        """dy/dt (4, N) of a state y (4, N) at time ``t_MeV`` (NumPy; same equations as the kernel)."""

    def checked_rhs(self) -> Callable:
        """:meth:`rhs` as ``f(t, y)``, stopping with the time and the component of a non-finite value."""
        def f(t, y):
            d = self.rhs(t, y)
            if not np.all(np.isfinite(d)):
                bad = int(np.flatnonzero(~np.isfinite(d))[0])
                raise FloatingPointError(f"non-finite derivative at t = {t:.6g} MeV^-1 in {self.describe_component(bad)}")
            return d
        return f

    def to_lab(self, t_MeV: NDArray, ys: NDArray) -> NDArray:
        """Lab-frame states (n_t, 4, N) of model states ``ys`` (n_t, 4, N) at times ``t_MeV`` (n_t,)."""
        return ys

    def from_lab(self, t_MeV: float, y: NDArray) -> NDArray:
        """Model state (4, N) of a lab-frame state y (4, N) at time ``t_MeV``."""
        return y

    def check_state(self, state):
        """``state`` as this model's state type, or a clear error (wrong shape, type, modes)."""
        y = _as_array(state)
        if y.shape[1] != self.grid.n_modes:
            raise ValueError(f"state has {y.shape[1]} modes, grid has {self.grid.n_modes}")
        return y

    def matched_start(self, state) -> NDArray:
        """The model's initial state (4, N) for the physical start ``state`` (a full-model, lab-frame
        state at t = 0), so that trajectories of different models from one start are comparable."""
        return np.array(_as_array(state), dtype=float)

    # --- invariants ----------------------------------------------------------------------
    @abc.abstractmethod
    def conserved_energy(self, ys_lab: NDArray, inv: Invariants) -> NDArray:
        """The model's conserved energy (n_t,) of lab-frame states (n_t, 4, N) [MeV^2 x weight units];
        ``inv`` holds their :func:`~nupair.pairing.invariants` (lepton number and |P|^2 are
        conserved by every model)."""

    # --- linearization around kappa = 0 --------------------------------------------------
    @abc.abstractmethod
    def fixed_point(self, state) -> NDArray[np.complex128]:
        """kappa_fp (N,) that the model's linearized equations relax to (lab frame)."""

    @abc.abstractmethod
    def stability_matrix(self, state, k_MeV=None) -> NDArray:
        """Matrix [MeV] of the linearized equations for perturbations ~ exp(i k . x) (k = 0 if None:
        real (2N, 2N), ordering (Re kappa, Im kappa), for the single-flavor models)."""

    @abc.abstractmethod
    def growth_rates(self, state, method: str, return_eigenvectors: bool, k_per_bin: int,
                     k_MeV=None) -> StabilityResult:
        """Eigenvalues of the linearized equations at wave vector ``k_MeV`` (3,) [MeV] (None: k = 0),
        largest real part first (``method`` in ``methods``)."""

    def wave_vector(self, k_MeV) -> NDArray:
        """``k_MeV`` as a checked vector (3,) [MeV] (zeros for None); docs/k-modes.md."""
        return as_k_vector(k_MeV)

    # --- naming --------------------------------------------------------------------------
    def describe_component(self, index: int) -> str:
        """Which mode and variable the flattened state component ``index`` is."""
        n, g = self.grid.n_modes, self.grid
        mode, row = index % n, STATE_ROWS[index // n]
        return (f"mode {mode}, {row} (E = {g.energy_MeV[mode]:.4g} MeV, theta = {g.theta[mode]:.4g}, "
                f"phi = {g.phi[mode]:.4g})")


def registered_models() -> tuple[str, ...]:
    """Names accepted by ``model=`` (every defined :class:`PairingModel` subclass)."""
    return tuple(_REGISTRY)


def resolve_model(model, **options) -> PairingModel:
    """A :class:`PairingModel` from a model object or a registered name (with ``options``).

    Options are checked whether or not the model uses them (a wrong value is a mistake even where
    it would be ignored): ``secular_cutoff`` must be a number >= 0 [mu].
    """
    if "secular_cutoff" in options:
        _v.non_negative("secular_cutoff", options["secular_cutoff"], "mu")
    if isinstance(model, PairingModel):
        return model
    if not isinstance(model, str):
        raise TypeError(f"model={model!r} is not a PairingModel or the name of one "
                        f"({', '.join(map(repr, registered_models()))})")
    return _REGISTRY[_v.one_of("model", model, registered_models())].from_options(**options)
