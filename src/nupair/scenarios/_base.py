"""What a scenario is: a parameter model, named tasks, assemble, plot, summary, a cost estimate.

A scenario is declarative. ``tasks(params, seed)`` lists named tasks, each one call into a
capability returning a result (plain data); ``assemble(params, results)`` builds the
``xarray.Dataset`` from the results; ``plot(dataset)`` and ``summary(dataset)`` present it. The
runner (:mod:`nupair.scenarios.runner`) does everything around the physics, once for all
scenarios: validation, checkpoints after every task and long segment, progress, interrupts,
the lock on the output folder and the atomic commit of the output files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, Field, model_validator

from nupair import validation as _v

__all__ = ["Scenario", "ScenarioParameters", "Task", "TaskContext", "param", "describe_parameters",
           "UserInputError", "variable", "finite_or_none", "bloch_norm_rule", "fit_agreement"]


def bloch_norm_rule(name: str, vector, *, allow_zero: bool = True, limit: float = 1.0) -> None:
    """Cross-field rule for a Bloch-vector parameter: |P| <= limit (and > 0 unless allow_zero)."""
    import math

    norm = math.sqrt(sum(float(c) ** 2 for c in vector))
    if norm > limit * (1 + 1e-12):
        raise ValueError(_v.refused(f"parameter {name!r}: value {tuple(vector)!r}", f"|P| = {norm:.6g} "
                         f"must be <= {limit:g}"))
    if not allow_zero and norm == 0.0:
        raise ValueError(_v.refused(f"parameter {name!r}: value {tuple(vector)!r}", "|P| must be > 0"))


def finite_or_none(value):
    """``float(value)``, or None where it is NaN: a summary's "not applicable" (e.g. no growth to
    fit in a stable case). NaN is never written to a summary; the runner treats it as a failure."""
    if value is None:
        return None
    v = float(value)
    return None if v != v else v


def fit_agreement(label: str, rate: float, uncertainty: float, window: tuple[float, float], expected: float, *,
                  what: str = "the linear theory") -> float | None:
    """A fitted growth rate beside its prediction, for a summary: (rate - expected) / uncertainty
    (None where either is missing), and a :class:`nupair.results.FitWarning` naming ``label`` for
    every reason not to read the fit as it stands (:meth:`nupair.numerics.GrowthFit.agreement`:
    no window where growth is predicted, fewer than 1.5 e-folds, a miss beyond 2 sigma). The
    runner records the warnings in summary.json. ``rate``, ``uncertainty``, ``expected`` share a
    unit; ``window`` is (t_start, t_end) in its inverse.
    """
    import math
    import warnings

    from nupair.numerics import GrowthFit
    from nupair.results import FitWarning, Status

    t0, t1 = (float(w) for w in window)
    if math.isfinite(rate):
        fit = GrowthFit(float(rate), float(uncertainty), t0, t1, 0, float(rate) * (t1 - t0))
    else:
        fit = GrowthFit(math.nan, math.nan, math.nan, math.nan, 0, math.nan, Status.NO_SOLUTION, "")
    sigma, reasons = fit.agreement(float(expected), what=what)
    for reason in reasons:
        warnings.warn(FitWarning(f"{label}: {reason}"), stacklevel=2)
    return finite_or_none(sigma)


def variable(dims, data, units: str, long_name: str):
    """An ``xarray.Variable`` carrying the ``units`` and ``long_name`` every output variable needs."""
    import numpy as np
    import xarray as xr

    return xr.Variable(dims, np.asarray(data), {"units": units, "long_name": long_name})


#: Peak resident memory [bytes] of a run whose arrays are small: the interpreter with NumPy,
#: SciPy, xarray, Matplotlib and Numba loaded (measured 175-325 MiB for the fixed-size scenarios).
BASELINE_MEMORY_BYTES = 300 * 2**20


class UserInputError(ValueError):
    """Bad input from a user (parameter, config file, scenario name): reported in one line."""


class ScenarioParameters(BaseModel):
    """Base of every scenario's parameter model: unknown keys, NaN, inf and booleans given for
    numbers are rejected. Cross-field rules are ``model_validator(mode="after")`` methods that
    raise ``ValueError`` naming the parameters involved."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True,
                              validate_default=True)

    @model_validator(mode="before")
    @classmethod
    def _no_booleans_for_numbers(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            for name, field_info in cls.model_fields.items():
                also = (field_info.json_schema_extra or {}).get("also")
                if also and also in data:
                    if name in data:
                        raise ValueError(f"parameter {name!r} is given twice (also as {also!r})")
                    data[name] = data.pop(also)
            for name, value in data.items():
                field_info = cls.model_fields.get(name)
                if field_info is None or field_info.annotation is bool:
                    continue
                values = value if isinstance(value, (list, tuple)) else [value]
                reason = None
                if any(isinstance(v, bool) for v in values):
                    reason = "a boolean is not a number"
                elif _is_numeric(field_info.annotation) and any(isinstance(v, (str, bytes)) for v in values):
                    # "0.5" from Python is text: the command line parses numbers itself (TOML values)
                    reason = "a string is not a number"
                if reason:
                    raise ValueError(_v.refused(f"parameter {name!r}: value {value!r}", f"{reason}"))
        return data


def _is_numeric(annotation: Any) -> bool:
    """float or int, possibly Annotated, or a tuple of them."""
    import typing

    if typing.get_origin(annotation) is typing.Annotated:
        return _is_numeric(typing.get_args(annotation)[0])
    if annotation in (float, int):
        return True
    if typing.get_origin(annotation) is tuple:
        args = [a for a in typing.get_args(annotation) if a is not Ellipsis]
        return bool(args) and all(_is_numeric(a) for a in args)
    return False


def param(default: Any, *, unit: str, description: str, allowed: str | None = None,
          also: str | None = None, **constraints: Any) -> Any:
    """A parameter field with its unit in the description (``"... [unit]"``) and constraints.

    ``constraints`` are pydantic's (gt, ge, lt, le, ...); they become the allowed range shown by
    ``nupair show`` and enforced on input. ``allowed`` describes a range the constraints cannot
    express (e.g. element-wise bounds of a tuple). ``also`` is a second accepted name (e.g. the
    correctly suffixed ``coupling_per_MeV2`` beside the historical ``coupling_MeV2``).
    """
    extra = {"unit": unit} if allowed is None else {"unit": unit, "allowed": allowed}
    if also is not None:
        extra["also"] = also
    return Field(default, description=f"{description} [{unit}]", json_schema_extra=extra,
                 **constraints)


def canonical_name(model: type[ScenarioParameters], name: str) -> str:
    """The field name for ``name``, which may be a field's second accepted name (``also``)."""
    if name in model.model_fields:
        return name
    for field_name, field_info in model.model_fields.items():
        if (field_info.json_schema_extra or {}).get("also") == name:
            return field_name
    return name


def allowed_range(field) -> str:
    """Allowed range of a pydantic field as text, e.g. "> 0, <= 0.1" ("any" if unbounded)."""
    extra = field.json_schema_extra or {}
    if "allowed" in extra:
        return str(extra["allowed"])
    parts = []
    for m in field.metadata:
        for attr, sym in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<=")):
            if getattr(m, attr, None) is not None:
                parts.append(f"{sym} {getattr(m, attr)}")
    return ", ".join(parts) or "any"


def describe_parameters(model: type[ScenarioParameters]) -> list[dict[str, str]]:
    """One row per parameter: name, default, unit, allowed range, description."""
    rows = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra or {}
        desc = info.description or ""
        unit = extra.get("unit", "")
        if desc.endswith(f"[{unit}]"):
            desc = desc[: -len(unit) - 2].rstrip()
        if extra.get("also"):
            desc += f" (also accepted as {extra['also']})"
        rows.append({
            "name": name,
            "default": repr(info.default),
            "unit": unit,
            "range": allowed_range(info),
            "description": desc,
        })
    return rows


class TaskContext:
    """What a running task may use: its seed, its saved partial state, progress and save.

    ``resume`` is the dict of arrays the task saved with :meth:`save` before an interruption
    (None on a fresh start); ``results`` holds the results of the tasks before it. :meth:`save` checkpoints the task's partial state (the runner writes
    it atomically at once); :meth:`progress` reports the fraction of this task done.
    """

    def __init__(self, seed: int | None, resume: dict | None = None,
                 save: Callable[[dict], None] | None = None,
                 progress: Callable[[float, str], None] | None = None,
                 results: dict | None = None):
        self.seed = seed
        self.resume = resume
        #: results of the tasks before this one (name -> result), restored ones included
        self.results = results if results is not None else {}
        self._save = save
        self._progress = progress

    def save(self, state: dict) -> None:
        """Checkpoint this task's partial state (a dict of arrays and numbers)."""
        if self._save is not None:
            self._save(state)

    def progress(self, fraction: float, detail: str = "") -> None:
        """Report the fraction of this task done (0..1)."""
        if self._progress is not None:
            self._progress(fraction, detail)


@dataclass(frozen=True)
class Task:
    """One named step of a scenario: ``fn(ctx)`` calls a capability and returns its result.

    ``cost`` is the task's share of the scenario's run time (any unit; only ratios matter),
    used for the progress bar and its time estimate.
    """

    name: str
    fn: Callable[[TaskContext], Any]
    cost: float = 1.0


@dataclass(frozen=True)
class Scenario:
    """A built-in computation reproducing a published figure.

    Attributes
    ----------
    name : str
        What users type (``nupair run NAME``).
    description : str
        One line for ``nupair list``.
    reference : str
        Paper and figure it reproduces.
    parameters : type[ScenarioParameters]
        Pydantic model: defaults, units, ranges, descriptions.
    tasks : callable
        ``tasks(params, seed) -> list[Task]``: the named steps, each one call into a capability.
    assemble : callable
        ``assemble(params, results) -> xarray.Dataset``; ``results`` maps task names to results.
    plot : callable
        ``plot(dataset) -> matplotlib.figure.Figure``.
    summary : callable
        ``summary(dataset) -> dict`` of headline numbers (written to summary.json).
    summary_keys : dict
        Documentation of the summary keys (shown by ``nupair show``).
    cost_s : callable
        ``cost_s(params) -> float``: estimated wall time [s] on one laptop core (shown by
        ``nupair show``, checked by ``nupair run`` before it starts).
    memory_bytes : callable
        ``memory_bytes(params) -> float``: estimated peak resident memory [bytes] of the run,
        the interpreter and its libraries included (shown by ``nupair show``; a run that would
        not fit in the machine's available memory is refused before it allocates).
    memory_parameters : tuple of str
        The parameters that drive the memory (named in a refusal: what to lower).
    notes : str
        Where nupair and the reproduced paper disagree, and why (shown in the gallery and by
        ``nupair show``); empty when they agree.
    """

    name: str
    description: str
    reference: str
    parameters: type[ScenarioParameters]
    tasks: Callable
    assemble: Callable
    plot: Callable
    summary: Callable
    summary_keys: dict
    cost_s: Callable = field(default=lambda params: 1.0)
    notes: str = ""
    memory_bytes: Callable = field(default=lambda params: BASELINE_MEMORY_BYTES)
    memory_parameters: tuple = ()
