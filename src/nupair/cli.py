"""The ``nupair`` command line: list, show and run scenarios.

Bad input (unknown scenario or parameter, wrong type, out-of-range or non-finite value,
unreadable config) ends with a one-line message on stderr and exit code 2, and nothing is
written to the output folder.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import List, Optional

import typer
from rich.markup import escape
from rich.console import Console
from rich.table import Table

import nupair
from nupair.scenarios import UserInputError, describe_parameters, get_scenario, list_scenarios

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


@app.command("list")
def list_cmd() -> None:
    """List the built-in scenarios with one-line descriptions."""
    table = Table(show_header=True, header_style="bold")
    table.add_column("scenario")
    table.add_column("description")
    for name, desc in list_scenarios():
        table.add_row(escape(name), escape(desc))
    _out.print(table)


@app.command("show")
def show_cmd(name: str = typer.Argument(..., help="Scenario name (see 'nupair list').")) -> None:
    """Show a scenario's parameters (defaults, units, ranges), summary keys and reference."""
    scenario = get_scenario(name)
    _out.print(f"[bold]{scenario.name}[/bold]: {scenario.description}")
    _out.print(f"reproduces: {scenario.reference}")
    table = Table(title="parameters", show_header=True, header_style="bold")
    for col in ("name", "default", "unit", "allowed", "description"):
        table.add_column(col)
    for row in describe_parameters(scenario.parameters):
        table.add_row(*(escape(str(row[k])) for k in ("name", "default", "unit", "range", "description")))
    _out.print(table)
    keys = Table(title="summary.json keys", show_header=True, header_style="bold")
    keys.add_column("key")
    keys.add_column("meaning")
    for k, v in scenario.summary_keys.items():
        keys.add_row(escape(k), escape(v))
    _out.print(keys)


@app.command("run")
def run_cmd(
    name: str = typer.Argument(..., help="Scenario name (see 'nupair list')."),
    set_: Optional[List[str]] = typer.Option(None, "--set", help="Override a parameter: key=value (repeatable)."),
    config: Optional[Path] = typer.Option(None, "--config", help="TOML file with [parameters] (e.g. a run's config.toml)."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default runs/NAME)."),
    seed: Optional[int] = typer.Option(None, "--seed", min=0, help="Random seed (default: config's, else 0)."),
    resume: bool = typer.Option(False, "--resume", help="Continue from the folder's checkpoint if there is one."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar or report."),
) -> None:
    """Run a scenario; write result.nc, summary.json, figure.png and config.toml."""
    from nupair.scenarios.runner import parse_set_option, run_scenario

    overrides = dict(parse_set_option(item) for item in (set_ or []))
    outcome = run_scenario(name, overrides, config_path=config, out_dir=out, seed=seed,
                           resume=resume, quiet=quiet)
    if not quiet:
        verb = "resumed and finished" if outcome.resumed else "finished"
        _out.print(f"{name} {verb} in {outcome.wall_s:.1f} s -> {outcome.out_dir}/"
                   " (result.nc, summary.json, figure.png, config.toml)")


@app.command("sweep")
def sweep_cmd(
    name: str = typer.Argument(..., help="Scenario name (see 'nupair list')."),
    grid: List[str] = typer.Option(..., "--grid", help="Axis: key=start:stop:num[:log] or key=v1,v2,... (repeatable)."),
    set_: Optional[List[str]] = typer.Option(None, "--set", help="Fixed parameter: key=value (repeatable)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Address of a running Dask scheduler (tcp://host:port)."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1, help="Workers of the embedded LocalCluster."),
    out: Optional[Path] = typer.Option(None, "--out", help="Output folder (default sweeps/NAME)."),
    resume: bool = typer.Option(False, "--resume", help="Skip the points already finished in OUT."),
    fmt: str = typer.Option("netcdf", "--format", help="netcdf (sweep.nc) or zarr (sweep.zarr)."),
    timeout: Optional[float] = typer.Option(None, "--timeout", min=0.0, help="Per-point time limit [s]."),
    seed: int = typer.Option(0, "--seed", min=0, help="Seed passed to every point."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar or report."),
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
                            fmt=fmt, timeout_s=timeout, seed=seed, quiet=quiet, progress=bar,
                            on_start=bar.start)
    finally:
        bar.close()
    if not quiet:
        _out.print(f"{outcome.n_done} of {outcome.n_points} points done, {outcome.n_failed} failed, "
                   f"{outcome.wall_s:.1f} s -> {outcome.dataset_path}")


class _SweepProgress:
    """Rich bar: points done/failed with time left; prints the Dask dashboard address."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self._progress = None
        self._task = None

    def start(self, total: int, already: int, dashboard: str | None) -> None:
        if not self.enabled:
            return
        if dashboard:
            _err.print(f"Dask dashboard: {dashboard}", markup=False, highlight=False)
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self._progress = Progress(TextColumn("sweep"), BarColumn(), MofNCompleteColumn(),
                                  TextColumn("{task.fields[failed]} failed"), TimeRemainingColumn(),
                                  console=_err, transient=True)
        self._progress.start()
        self._task = self._progress.add_task("sweep", total=total, completed=already, failed=0)

    def __call__(self, done: int, failed: int, total: int) -> None:
        if self._progress is not None:
            self._progress.update(self._task, completed=done + failed, failed=failed)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()


@app.command("plot")
def plot_cmd(
    path: Path = typer.Argument(..., help="A sweep folder (holding sweep.nc or sweep.zarr)."),
    var: Optional[str] = typer.Option(None, "--var", help="Variable to plot (default: the first numeric one)."),
    out: Optional[Path] = typer.Option(None, "--out", help="PNG file (default PATH/sweep.png)."),
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
    _out.print(f"wrote {target}")


def main(argv: list[str] | None = None) -> int:
    """Console entry point: run the app, turning user-input errors into exit code 2."""
    try:
        app(args=argv, prog_name="nupair", standalone_mode=False)
    except UserInputError as exc:
        _err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        _err.print("aborted", markup=False)
        return 130
    except _CLICK_ERRORS as exc:  # usage errors: bad option, missing argument, wrong type
        exc.show()
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def _console() -> None:
    """Entry point of the installed ``nupair`` script."""
    sys.exit(main())
