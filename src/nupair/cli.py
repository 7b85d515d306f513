"""The ``nupair`` command line: list, show, run, sweep and plot.

Exit codes: 0 success; 2 bad input (unknown scenario or parameter, wrong type, out-of-range or
non-finite value, unreadable config, busy output folder, a run estimated too long without
``--yes``) — one plain line on stderr, nothing written; 3 a numerical failure for these
parameters (a solver that cannot deliver a trustworthy answer: one line starting "error:
numerical failure:", finished tasks kept in the checkpoint); 130 interrupted (Ctrl-C or SIGTERM; the checkpoint is kept, ``--resume`` continues);
1 an internal error (a bug: one line, the traceback with ``NUPAIR_DEBUG=1``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape
from rich.console import Console
from rich.table import Table

import nupair
from nupair import io
from nupair.results import SolverError
from nupair.scenarios import UserInputError, describe_parameters, get_scenario, list_scenarios
from nupair import validation as _v

__all__ = ["list_cmd", "show_cmd", "run_cmd", "sweep_cmd", "plot_cmd", "main"]

def _click_error_types() -> tuple[type, ...]:
    """Click's usage-error base class(es): recent typer vendors its own copy of click."""
    types = []
    try:
        from typer._click.exceptions import ClickException as Vendored

        types.append(Vendored)
    except ImportError:
        pass
    try:
        from click.exceptions import ClickException

        types.append(ClickException)
    except ImportError:
        pass
    return tuple(types)


_CLICK_ERRORS = _click_error_types()

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # help text is printed as written: "[parameters]", "[s]" are words and units, not markup
    rich_markup_mode=None,
    help="nupair: physics of neutrino-antineutrino pairs. Run 'nupair list' to see the scenarios.",
)
_out = Console()
_err = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nupair {nupair.__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """nupair: physics of neutrino-antineutrino pairs."""


def _plain() -> bool:
    """Plain text (no table art) when stdout is not a terminal: pipes, files, scripts."""
    return not _out.is_terminal


def _print_table(title: str | None, columns: list[str], rows: list[list[str]]) -> None:
    """A table whose first column (names to copy into --set) is never truncated or wrapped."""
    if _plain():
        if title:
            typer.echo(f"\n{title}:")
        for row in rows:
            typer.echo("  " + " | ".join(str(c) for c in row))
        return
    table = Table(title=title, show_header=True, header_style="bold")
    for i, col in enumerate(columns):
        if i == 0:
            table.add_column(col, no_wrap=True, overflow="fold", min_width=max(len(str(r[0])) for r in rows) if rows else None)
        else:
            table.add_column(col, overflow="fold")
    for row in rows:
        table.add_row(*(escape(str(c)) for c in row))
    _out.print(table)


@app.command("list")
def list_cmd() -> None:
    """List the built-in scenarios with one-line descriptions."""
    _print_table(None, ["scenario", "description"], [[n, d] for n, d in list_scenarios()])


@app.command("show")
def show_cmd(name: str = typer.Argument(..., metavar="NAME", help="Scenario name (see 'nupair list').")) -> None:
    """Show a scenario's parameters (defaults, units, ranges), summary keys, reference and cost."""
    from nupair.scenarios._parameters import DEFAULT_MAX_COST_S, measured_runtimes, runtime_text
    from nupair.scenarios._parameters import human_bytes as _human_bytes, human_s as _human_s

    scenario = get_scenario(name)
    typer.echo(f"{scenario.name}: {scenario.description}")
    typer.echo(f"reproduces: {scenario.reference}")
    if scenario.notes:
        typer.echo(f"note: {scenario.notes}")
    cost = float(scenario.cost_s(scenario.parameters()))
    memory = float(scenario.memory_bytes(scenario.parameters()))
    typer.echo(f"estimated run time with the defaults: ~{_human_s(cost)} on one laptop core "
               f"(runs estimated above {_human_s(DEFAULT_MAX_COST_S)} need --yes)")
    measured = measured_runtimes()
    if name in measured.get("wall_s", {}):
        typer.echo(f"measured with the defaults: {runtime_text(measured['wall_s'][name])} "
                   f"({measured.get('machine', 'reference machine')}, {measured.get('date', '')}; as in the README)")
    driven = f"; grows with {', '.join(scenario.memory_parameters)}" if scenario.memory_parameters else ""
    typer.echo(f"estimated peak memory with the defaults: ~{_human_bytes(memory)}{driven} (runs that would not "
               "fit in the available memory need --yes)")
    rows = [[r[k] for k in ("name", "default", "unit", "range", "description")]
            for r in describe_parameters(scenario.parameters)]
    _print_table("parameters", ["name", "default", "unit", "allowed", "description"], rows)
    _print_table("summary.json keys", ["key", "meaning"], [[k, v] for k, v in scenario.summary_keys.items()])


@app.command("run")
def run_cmd(
    name: str = typer.Argument(..., metavar="NAME", help="Scenario name (see 'nupair list')."),
    set_: Optional[List[str]] = typer.Option(None, "--set", metavar="KEY=VALUE", help="Override a parameter: key=value (repeatable)."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE", help="TOML file with [parameters] (e.g. a run's config.toml)."),
    out: Optional[Path] = typer.Option(None, "--out", metavar="DIR", help="Output folder (default runs/NAME)."),
    seed: Optional[str] = typer.Option(None, "--seed", metavar="INT", help="Random seed, an integer >= 0 (default: config's, else 0)."),
    resume: bool = typer.Option(False, "--resume", help="Continue from the folder's checkpoint if there is one."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar or report."),
    yes: bool = typer.Option(False, "--yes", help="Run even if the estimated run time exceeds 15 min."),
) -> None:
    """Run a scenario; write result.nc, summary.json, figure.png and config.toml."""
    from nupair.scenarios.runner import parse_set_option, run_scenario

    from nupair.scenarios.runner import RunInterrupted

    overrides = dict(parse_set_option(item) for item in (set_ or []))
    try:
        outcome = run_scenario(name, overrides, config_path=config, out_dir=out, seed=_parse_seed(seed),
                               resume=resume, quiet=quiet, allow_expensive=yes)
    except RunInterrupted as exc:  # click/typer would turn a KeyboardInterrupt into a bare exit code
        raise _Interrupted(str(exc)) from None
    if not quiet:
        verb = "resumed and finished" if outcome.resumed else "finished"
        typer.echo(f"{name} {verb} in {outcome.wall_s:.1f} s -> {outcome.out_dir}/"
                   " (result.nc, summary.json, figure.png, config.toml)")


class _Interrupted(Exception):
    """An interrupted run, carried past click's KeyboardInterrupt handling to :func:`main`."""


def _parse_seed(text: str | None) -> int | None:
    if text is None:
        return None
    try:
        value = int(text.strip())
    except ValueError:
        raise UserInputError(_v.refused(f"--seed {text!r}", "must be an integer >= 0")) from None
    if value < 0 or value >= 2**63:
        raise UserInputError(_v.refused(f"--seed {text!r}", "must be an integer in [0, 2^63)"))
    return value


@app.command("sweep")
def sweep_cmd(
    name: str = typer.Argument(..., metavar="NAME", help="Scenario name (see 'nupair list')."),
    *,
    grid: List[str] = typer.Option(..., "--grid", metavar="KEY=SPEC", help="Axis: key=start:stop:num[:log] or key=v1,v2,... (repeatable)."),
    set_: Optional[List[str]] = typer.Option(None, "--set", metavar="KEY=VALUE", help="Fixed parameter: key=value (repeatable)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", metavar="ADDRESS", help="Address of a running Dask scheduler (tcp://host:port)."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, metavar="N", help="Workers of the embedded LocalCluster."),
    out: Optional[Path] = typer.Option(None, "--out", metavar="DIR", help="Output folder (default sweeps/NAME)."),
    resume: bool = typer.Option(False, "--resume", help="Skip the points already finished in OUT."),
    fmt: str = typer.Option("netcdf", "--format", help="netcdf (sweep.nc) or zarr (sweep.zarr)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0.0, metavar="SECONDS", help="Per-point time limit [s]."),
    seed: str = typer.Option("0", "--seed", metavar="INT", help="Seed passed to every point (integer >= 0)."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar or report."),
    yes: bool = typer.Option(False, "--yes", help="Allow grids above 10^6 points."),
) -> None:
    """Run a scenario over a Cartesian parameter grid on Dask (LocalCluster or --scheduler)."""
    from nupair.scenarios import get_scenario
    from nupair.scenarios.runner import parse_set_option
    from nupair.sweep import parse_grid_option, run_sweep

    scenario = get_scenario(name)
    axes = [parse_grid_option(g, scenario.parameters.model_fields) for g in grid]
    fixed = dict(parse_set_option(item) for item in (set_ or []))
    bar = _SweepProgress(enabled=not quiet)
    try:
        outcome = run_sweep(name, axes, fixed, out_dir=out, scheduler=scheduler, workers=workers, resume=resume,
                            fmt=fmt, timeout_s=timeout, seed=_parse_seed(seed), quiet=quiet, progress=bar,
                            on_start=bar.start, allow_large=yes,
                            on_size=None if quiet else (lambda n: typer.echo(f"sweep of {n:,} points", err=True)))
    except KeyboardInterrupt:  # the same one line as an interrupted run: what is kept, how to go on
        from nupair.sweep import POINTS_FILE

        folder = out if out is not None else Path("sweeps") / name
        raise _Interrupted(f"{name} sweep interrupted; the finished points are kept in {folder / POINTS_FILE}: "
                           "the same command with --resume continues") from None
    finally:
        bar.close()
    if not quiet:
        typer.echo(f"{outcome.n_done} of {outcome.n_points} points done, {outcome.n_failed} failed, "
                   f"{outcome.wall_s:.1f} s -> {outcome.dataset_path}")


class _SweepProgress:
    """Rich bar: points done/failed with time left; prints the Dask dashboard address."""

    def __init__(self, enabled: bool, line_interval_s: float = 10.0):
        self.enabled = enabled
        self._progress = None
        self._task = None
        self._lines = False  # off a terminal: a plain line every line_interval_s
        self.line_interval_s = line_interval_s
        self._last_line = 0.0

    def start(self, total: int, already: int, dashboard: str | None) -> None:
        if not self.enabled:
            return
        if dashboard:
            _err.print(f"Dask dashboard: {dashboard}", markup=False, highlight=False)
        if not _err.is_terminal:
            import time

            self._lines, self._last_line = True, time.perf_counter()
            return
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(TextColumn("sweep"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("{task.fields[failed]} failed"), TimeRemainingColumn(),
                                  console=_err, transient=True)
        self._progress.start()
        self._task = self._progress.add_task("sweep", total=total, completed=already, failed=0)

    def __call__(self, done: int, failed: int, total: int) -> None:
        if self._lines:
            import time

            now = time.perf_counter()
            if now - self._last_line >= self.line_interval_s:
                self._last_line = now
                typer.echo(f"sweep: {done + failed:,} of {total:,} points done, {failed:,} failed", err=True)
        if self._progress is not None:
            self._progress.update(self._task, completed=done + failed, failed=failed)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


@app.command("plot")
def plot_cmd(
    path: Path = typer.Argument(..., metavar="FOLDER", help="A sweep folder (holding sweep.nc or sweep.zarr)."),
    var: Optional[str] = typer.Option(None, "--var", help="Variable to plot (default: the first numeric one)."),
    out: Optional[Path] = typer.Option(None, "--out", metavar="DIR", help="PNG file (default PATH/sweep.png)."),
) -> None:
    """Heat map (two axes) or line plot (one axis) of a sweep variable."""
    from nupair import io
    from nupair.plotting import plot_sweep
    from nupair.sweep import load_sweep

    ds = load_sweep(path)
    names = [v for v in ds.data_vars if v != "status"]
    if not names:
        raise UserInputError(f"{str(path)!r}: the sweep has no numeric variable (all points failed?)")
    choice = var or names[0]
    if choice not in ds:
        raise UserInputError(f"--var {choice!r}: not in the sweep; available: {', '.join(names)}")
    target = out or (Path(path) / "sweep.png")
    io.write_figure(target, plot_sweep(ds, choice))
    typer.echo(f"wrote {target}")


def _say(message: str) -> None:
    """One plain line on stderr (user text is never read as markup)."""
    sys.stderr.write(" ".join(str(message).split()) + "\n")
    sys.stderr.flush()


def main(argv: list[str] | None = None) -> int:
    """Console entry point: one line and an exit code for every way a command can end."""
    from nupair.scenarios.runner import RunInterrupted

    try:
        rv = app(args=argv, prog_name="nupair", standalone_mode=False)
    except _Interrupted as exc:
        _say(str(exc))
        return 130
    except (UserInputError, io.FileFault) as exc:
        _say(f"error: {exc}")
        return 2
    except SolverError as exc:
        _say(f"error: numerical failure: {exc}")
        return 3
    except RunInterrupted as exc:
        _say(str(exc))
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    except (typer.Abort, KeyboardInterrupt):
        _say("interrupted")
        return 130
    except _CLICK_ERRORS as exc:  # usage errors: bad option, missing argument, wrong type
        _say(f"error: {exc.format_message()} (see 'nupair --help')")
        return 2
    except Exception as exc:  # a bug: keep it to one line unless asked for the traceback
        if os.environ.get("NUPAIR_DEBUG"):
            raise
        _say(f"internal error: {type(exc).__name__}: {exc} (rerun with NUPAIR_DEBUG=1 for the traceback "
             "and please report it)")
        return 1
    if isinstance(rv, int) and not isinstance(rv, bool) and rv != 0:  # typer's Exit(130) on Ctrl-C
        if rv == 130:
            _say("interrupted")
        return rv
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def _console() -> None:
    """Entry point of the installed ``nupair`` script."""
    sys.exit(main())
