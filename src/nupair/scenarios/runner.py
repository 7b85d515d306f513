"""Run a scenario end to end: resolve parameters, run with progress and checkpoints, write files.

Done once here for every scenario: parameter resolution (defaults < config file < --set),
validation with one-line errors, progress display, checkpoint/resume, provenance attributes,
and atomic writing of ``result.nc``, ``summary.json``, ``figure.png`` and ``config.toml``.
"""

from __future__ import annotations

import difflib
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from pydantic import ValidationError

from nupair import io
from nupair.scenarios import get_scenario
from nupair.scenarios._base import Scenario, UserInputError, allowed_range

__all__ = ["RunOutcome", "resolve_parameters", "run_scenario", "parse_set_option", "RichProgress"]

CHECKPOINT_NAME = "checkpoint.npz"


@dataclass(frozen=True)
class RunOutcome:
    """Where a run wrote its files, and its summary."""

    out_dir: Path
    summary: dict
    wall_s: float
    resumed: bool


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


def _format_validation_error(err: ValidationError, model) -> str:
    """One line naming the (first) bad parameter, the value given and what is allowed."""
    errors = err.errors()
    e = errors[0]
    loc = [str(p) for p in e["loc"]]
    name = loc[0] if loc else "?"
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    if e["type"] == "extra_forbidden":
        known = list(model.model_fields)
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"unknown parameter {name!r}{hint} (allowed: {', '.join(known)}){more}"
    field = model.model_fields.get(name)
    allowed = e["msg"]
    if field is not None:
        unit = (field.json_schema_extra or {}).get("unit", "")
        allowed += f"; allowed range: {allowed_range(field)}" + (f" [{unit}]" if unit not in ("", "1") else "")
    where = f" (element {'.'.join(loc[1:])})" if len(loc) > 1 else ""
    return f"parameter {name!r}{where}: value {e.get('input')!r} is not allowed: {allowed}{more}"


def _check_finite(values: Any, name: str) -> None:
    if isinstance(values, float) and not math.isfinite(values):
        raise UserInputError(f"parameter {name!r}: value {values!r} is not allowed: must be finite")
    if isinstance(values, (list, tuple)):
        for v in values:
            _check_finite(v, name)


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
        except (OSError, io.tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise UserInputError(f"config file {str(config_path)!r} cannot be read: {exc}") from None
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
    final_seed = seed if seed is not None else config_seed
    if final_seed is None:
        final_seed = 0
    if isinstance(final_seed, bool) or not isinstance(final_seed, int) or final_seed < 0:
        raise UserInputError(f"seed {final_seed!r} is not allowed: must be an integer >= 0")
    return params, final_seed


class RichProgress:
    """Progress callback ``(fraction, description)`` showing a rich bar once a run passes ~1 s.

    Disabled with ``enabled=False`` (``--quiet``) or when stderr is not a terminal.
    """

    def __init__(self, label: str, enabled: bool = True, delay_s: float = 1.0):
        self.label = label
        self.enabled = enabled and sys.stderr.isatty()
        self.delay_s = delay_s
        self._start = time.perf_counter()
        self._progress = None
        self._task = None

    def __call__(self, fraction: float, description: str = "") -> None:
        if not self.enabled:
            return
        if self._progress is None:
            if time.perf_counter() - self._start < self.delay_s:
                return
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                      TextColumn("{task.percentage:>5.1f}%"), TimeElapsedColumn(),
                                      TimeRemainingColumn(), transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=1.0)
        self._progress.update(self._task, completed=min(max(fraction, 0.0), 1.0),
                              description=f"{self.label} {description}".strip())

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


def run_scenario(
    name: str,
    overrides: dict[str, Any] | None = None,
    *,
    config_path: str | Path | None = None,
    out_dir: str | Path | None = None,
    seed: int | None = None,
    resume: bool = False,
    quiet: bool = True,
    progress: Callable[[float, str], None] | None = None,
) -> RunOutcome:
    """Run scenario ``name`` and write its outputs to ``out_dir`` (default ``runs/NAME``).

    Nothing is written before the parameters validate. With ``resume`` the run continues from
    ``out_dir/checkpoint.npz`` when it exists (same parameters and seed required). ``progress``
    overrides the progress callback (tests use it to interrupt a run).
    """
    scenario = get_scenario(name)
    params, seed = resolve_parameters(scenario, overrides, config_path, seed)
    out = Path(out_dir) if out_dir is not None else Path("runs") / name
    if out.exists() and not out.is_dir():
        raise UserInputError(f"output folder {str(out)!r} exists and is not a folder")
    param_dict = params.model_dump(mode="json")
    config_hash = io.parameters_hash(param_dict, seed)
    ckpt_path = out / CHECKPOINT_NAME
    resumed = resume and ckpt_path.exists()
    checkpoint = io.Checkpoint(ckpt_path, config_hash, resume=resume)
    try:
        checkpoint.load()
    except ValueError as exc:
        raise UserInputError(str(exc)) from None
    out.mkdir(parents=True, exist_ok=True)

    bar = RichProgress(name, enabled=not quiet) if progress is None else None
    callback = progress if progress is not None else bar
    t0 = time.perf_counter()
    try:
        dataset = scenario.run(params, seed, callback, checkpoint=checkpoint)
    finally:
        if bar is not None:
            bar.close()
    wall = time.perf_counter() - t0

    dataset.attrs.update(io.provenance(name, param_dict, seed, scenario.reference))
    io.check_units(dataset)
    summary = scenario.summary(dataset)
    summary_doc = {
        "scenario": name,
        "nupair_version": dataset.attrs["nupair_version"],
        "seed": seed,
        "parameters": param_dict,
        "reference": scenario.reference,
        "wall_time_s": wall,
        **summary,
    }
    figure = scenario.plot(dataset)
    io.write_netcdf(out / "result.nc", dataset)
    io.write_json(out / "summary.json", summary_doc)
    io.write_figure(out / "figure.png", figure)
    io.write_toml(out / "config.toml", {"scenario": name, "seed": seed, "parameters": param_dict})
    checkpoint.remove()
    return RunOutcome(out_dir=out, summary=summary_doc, wall_s=wall, resumed=resumed)
