"""What a scenario is: a parameter model, run, plot, summary, and the reference it reproduces."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["Scenario", "ScenarioParameters", "param", "describe_parameters", "UserInputError", "variable"]


def variable(dims, data, units: str, long_name: str):
    """An ``xarray.Variable`` carrying the ``units`` and ``long_name`` every output variable needs."""
    import numpy as np
    import xarray as xr

    return xr.Variable(dims, np.asarray(data), {"units": units, "long_name": long_name})


class UserInputError(ValueError):
    """Bad input from a user (parameter, config file, scenario name): reported in one line."""


class ScenarioParameters(BaseModel):
    """Base of every scenario's parameter model: unknown keys, NaN and inf are rejected."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, frozen=True,
                              validate_default=True)


def param(default: Any, *, unit: str, description: str, allowed: str | None = None,
          **constraints: Any) -> Any:
    """A parameter field with its unit in the description (``"... [unit]"``) and constraints.

    ``constraints`` are pydantic's (gt, ge, lt, le, ...); they become the allowed range shown by
    ``nupair show`` and enforced on input. ``allowed`` describes a range the constraints cannot
    express (e.g. element-wise bounds of a tuple).
    """
    extra = {"unit": unit} if allowed is None else {"unit": unit, "allowed": allowed}
    return Field(default, description=f"{description} [{unit}]", json_schema_extra=extra,
                 **constraints)


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
    for name, field in model.model_fields.items():
        extra = field.json_schema_extra or {}
        desc = field.description or ""
        unit = extra.get("unit", "")
        if desc.endswith(f"[{unit}]"):
            desc = desc[: -len(unit) - 2].rstrip()
        rows.append({
            "name": name,
            "default": repr(field.default),
            "unit": unit,
            "range": allowed_range(field),
            "description": desc,
        })
    return rows


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
        Paper, figure and spec section it reproduces.
    parameters : type[ScenarioParameters]
        Pydantic model: defaults, units, ranges, descriptions.
    run : callable
        ``run(params, seed, progress, checkpoint=None) -> xarray.Dataset``; ``progress(fraction,
        description)`` reports progress, ``checkpoint`` is an ``io.Checkpoint`` or None.
    plot : callable
        ``plot(dataset) -> matplotlib.figure.Figure``.
    summary : callable
        ``summary(dataset) -> dict`` of headline numbers (written to summary.json).
    summary_keys : dict
        Documentation of the summary keys (shown by ``nupair show``).
    """

    name: str
    description: str
    reference: str
    parameters: type[ScenarioParameters]
    run: Callable
    plot: Callable
    summary: Callable
    summary_keys: dict
