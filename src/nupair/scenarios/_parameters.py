"""The runner's parameter layer: defaults < config file < ``--set``, validated into one model.

Every message is one line naming the parameter, the value given and what is allowed
(:class:`~nupair.scenarios.UserInputError`); the cost estimate is checked here too, before the
disk is touched.
"""

from __future__ import annotations

import difflib
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from pydantic import ValidationError

from nupair import io
from nupair import validation as _v
from nupair.scenarios._base import Scenario, UserInputError, allowed_range

__all__ = ["parse_set_option", "resolve_parameters", "check_cost", "check_memory", "human_s",
           "human_bytes", "DEFAULT_MAX_COST_S"]

#: Runs estimated to take longer than this [s] need ``--yes`` (``allow_expensive=True``).
DEFAULT_MAX_COST_S = 900.0
_CONFIG_KEYS = {"scenario", "seed", "parameters"}
_RANGE_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}


def parse_set_option(item: str) -> tuple[str, Any]:
    """Parse ``key=value``; the value is read as a TOML value (1e-3, true, [1, 0.3]) or a string."""
    if "=" not in item:
        raise UserInputError(f"--set {item!r}: expected key=value")
    key, raw = (s.strip() for s in item.split("=", 1))
    if not key:
        raise UserInputError(f"--set {item!r}: empty parameter name")
    try:
        value = io.tomllib.loads(f"v = {raw}")["v"]
    except io.tomllib.TOMLDecodeError:
        value = raw
    return key, value


def _tuple_length(field) -> int | None:
    """Number of entries of a fixed-length tuple field (``tuple[float, float, float]``, possibly
    inside ``Annotated``), else None."""
    import typing

    ann = getattr(field, "annotation", None)
    while typing.get_origin(ann) is typing.Annotated:
        ann = typing.get_args(ann)[0]
    args = typing.get_args(ann) if typing.get_origin(ann) is tuple else ()
    return len(args) if args and Ellipsis not in args else None


def _format_validation_error(err: ValidationError, model) -> str:
    """One line naming the (first) bad parameter, the value given and what is allowed."""
    errors = err.errors()
    e = errors[0]
    loc = [str(p) for p in e["loc"]]
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    if not loc:  # a cross-field rule (model validator): its message names the parameters
        msg = str(e.get("msg", "")).removeprefix("Value error, ")
        return f"{msg}{more}"
    name = loc[0]
    if e["type"] == "extra_forbidden":
        known = list(model.model_fields)
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown parameter {name!r}{hint} (allowed: {', '.join(known)}){more}"
    field = model.model_fields.get(name)
    allowed = str(e["msg"]).removeprefix("Value error, ")
    if field is not None and e["type"] in _RANGE_ERRORS and len(loc) == 1:
        unit = (field.json_schema_extra or {}).get("unit", "")
        unit_text = f" [{unit}]" if unit not in ("", "1") else ""
        return (f"parameter {name!r}: value {e.get('input')!r} is out of range; allowed: "
                f"{allowed_range(field)}{unit_text}{more}")
    if ((e["type"] == "missing" and len(loc) == 2) or (e["type"] == "too_long" and len(loc) == 1)) \
            and isinstance(e.get("input"), (list, tuple)):
        # a fixed-length vector with too few or too many entries: say how many, not "element 3: Field required"
        want = _tuple_length(field)
        given = e["input"]
        return _v.refused(f"parameter {name!r}: value {list(given)!r}",
                          f"needs {want if want else 'a different number of'} values, got {len(given)}{more}")
    if not loc[1:] and e["type"] == "value_error":  # a field rule's own message names the parameter
        return f"{allowed}{more}"
    if field is not None:
        unit = (field.json_schema_extra or {}).get("unit", "")
        allowed += f"; allowed range: {allowed_range(field)}" + (f" [{unit}]" if unit not in ("", "1") else "")
    where = f" (element {'.'.join(loc[1:])})" if len(loc) > 1 else ""
    return _v.refused(f"parameter {name!r}{where}: value {e.get('input')!r}", f"{allowed}{more}")


def _check_finite(values: Any, name: str) -> None:
    if isinstance(values, float) and not math.isfinite(values):
        raise UserInputError(_v.refused(f"parameter {name!r}: value {values!r}", "must be finite"))
    if isinstance(values, (list, tuple)):
        for v in values:
            _check_finite(v, name)


def _check_seed(seed: Any) -> int:
    if seed is None:
        return 0
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)) or not 0 <= int(seed) < 2**63:
        raise UserInputError(_v.refused(f"seed {seed!r}", "must be an integer in [0, 2^63)"))
    return int(seed)  # NumPy integers are integers


def resolve_parameters(scenario: Scenario, overrides: dict[str, Any] | None = None,
                       config_path: str | Path | None = None, seed: int | None = None):
    """Validated parameter model and seed from defaults < config file < overrides.

    Returns ``(params, seed)``. Raises :class:`UserInputError` with a one-line message.
    """
    values: dict[str, Any] = {}
    config_seed = None
    if config_path is not None:
        try:
            cfg = io.read_toml(config_path)
        except FileNotFoundError:
            raise UserInputError(f"config file {str(config_path)!r} does not exist") from None
        except IsADirectoryError:
            raise UserInputError(f"config file {str(config_path)!r} is a folder") from None
        except (OSError, io.tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UserInputError(f"config file {str(config_path)!r} cannot be read: {exc}") from None
        except RecursionError:  # tomllib recurses into nested arrays; no parameter is nested
            raise UserInputError(f"config file {str(config_path)!r} cannot be read: its arrays are nested too "
                                 "deeply (a parameter is a number, a string or a flat list)") from None
        unknown = sorted(set(cfg) - _CONFIG_KEYS)
        if unknown:
            raise UserInputError(f"config file {str(config_path)!r}: unknown key {unknown[0]!r} "
                                 f"(allowed: {', '.join(sorted(_CONFIG_KEYS))})")
        name = cfg.get("scenario", scenario.name)
        if name != scenario.name:
            raise UserInputError(
                f"config file {str(config_path)!r} is for scenario {name!r}, not {scenario.name!r}"
            )
        params_table = cfg.get("parameters", {})
        if not isinstance(params_table, dict):
            raise UserInputError(f"config file {str(config_path)!r}: [parameters] must be a table")
        values.update(params_table)
        config_seed = cfg.get("seed")
    values.update(overrides or {})
    for k, v in values.items():
        _check_finite(v, k)
    try:
        params = scenario.parameters(**values)
    except ValidationError as err:
        raise UserInputError(_format_validation_error(err, scenario.parameters)) from None
    except (ValueError, TypeError) as err:  # a rule raised outside pydantic's wrapping
        raise UserInputError(str(err)) from None
    final_seed = _check_seed(seed if seed is not None else config_seed)
    return params, final_seed


def check_cost(name: str, scenario: Scenario, params, allow_expensive: bool, max_cost_s: float | None,
               flag: str = "add --yes") -> float:
    """The run's estimated time [s]; UserInputError above the limit unless ``allow_expensive``.

    The memory comes first (:func:`check_memory`): a run that cannot fit is refused before it
    allocates, however short it would be."""
    check_memory(name, scenario, params, allow_expensive, flag)
    limit = max_cost_s if max_cost_s is not None else float(os.environ.get("NUPAIR_MAX_COST_S", DEFAULT_MAX_COST_S))
    cost = float(scenario.cost_s(params))
    if cost > limit and not allow_expensive:
        raise UserInputError(f"{name}: estimated run time ~{human_s(cost)} exceeds {human_s(limit)}; "
                             f"{flag} to run it anyway (or lower the resolution)")
    return cost


def check_memory(name: str, scenario: Scenario, params, allow_expensive: bool, flag: str = "add --yes",
                 copies: int = 1) -> float:
    """The run's estimated peak memory [bytes] (times ``copies`` runs at once, for a sweep's
    workers); UserInputError naming the bytes and the parameters to lower when it exceeds the
    memory available on this machine, unless ``allow_expensive``."""
    need = float(scenario.memory_bytes(params)) * copies
    have = _v.available_memory_bytes()
    if have is not None and need > have and not allow_expensive:
        lower = ", ".join(scenario.memory_parameters) or "the resolution"
        times = f" ({copies} runs at once)" if copies > 1 else ""
        raise UserInputError(f"{name}: the run would need ~{human_bytes(need)} of memory{times} ({need:.3g} bytes) "
                             f"but this machine has {human_bytes(have)} available; lower {lower}, or {flag} to "
                             "try anyway")
    return need


human_bytes = _v.human_bytes


def measured_runtimes() -> dict:
    """Measured wall times [s] of every scenario's default run in a fresh process (import and
    compilation included), with the machine and date they were measured on: the file
    ``runtimes.toml`` that ``benchmarks/readme_runtimes.py`` writes. The README's table and
    ``nupair show`` quote these numbers. Empty when the file is missing."""
    from importlib import resources

    try:
        text = resources.files("nupair.scenarios").joinpath("runtimes.toml").read_text()
    except (FileNotFoundError, OSError):
        return {}
    return io.tomllib.loads(text)


def runtime_text(seconds: float) -> str:
    """A measured run time as the README and ``nupair show`` print it: "< 1 s", "~8 s", "~3 min"."""
    if seconds < 1.0:
        return "< 1 s"
    if seconds < 120:
        return f"~{seconds:.0f} s"
    return f"~{seconds / 60:.0f} min"


def human_s(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"
