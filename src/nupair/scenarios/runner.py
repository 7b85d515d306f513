"""Run a scenario end to end: the one place that owns everything around the physics.

For every scenario alike:

1. **Validation** of all fields and cross-field rules (defaults < config file < ``--set``),
   the seed, the output folder and the cost estimate — before anything touches the disk.
2. **Lock** on the output folder (``OUT/.nupair.lock``, an ``flock`` holding the PID): a second
   run into a busy folder is refused naming the holder; a lock left by a dead process is free.
3. **Tasks** run in order with **checkpoints** after every task and every long segment that a
   task saves (``OUT/checkpoint.pkl``: the configuration hash, the finished tasks' results and
   the running task's partial state, written atomically). ``--resume`` continues from it.
4. **Progress** from task costs and the running task's own fraction; the time left is the
   elapsed time scaled by the work left.
5. **Interrupts** (SIGINT, SIGTERM) keep the last checkpoint and end with
   :class:`RunInterrupted` (the CLI prints one line and exits 130).
6. **Output** is committed as a whole: ``result.nc``, ``summary.json``, ``figure.png`` and
   ``config.toml`` are written into a staging folder and swapped into place in one rename, so
   a reader never sees a partial or mixed folder. The figure is drawn only from a valid dataset
   and summary; a NaN or inf in the summary is a failure, never ``null``.
7. On a **failure** the folder is left as it was before the run (a folder this run created is
   removed); numerical failures are reported as :class:`nupair.results.SolverError`.
"""

from __future__ import annotations

import contextlib
import ctypes
import difflib
import errno
import math
import os
import pickle
import shutil
import signal
import sys
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from pydantic import ValidationError

from nupair import io
from nupair.results import SolverError
from nupair.scenarios import get_scenario
from nupair.scenarios._base import Scenario, TaskContext, UserInputError, allowed_range

__all__ = ["run", "RunResult", "RunOutcome", "RunInterrupted", "resolve_parameters", "run_scenario", "parse_set_option",
           "RichProgress", "compute", "check_summary", "DEFAULT_MAX_COST_S", "OUTPUT_FILES"]

CHECKPOINT_NAME = "checkpoint.pkl"
LOCK_NAME = ".nupair.lock"
OUTPUT_FILES = ("result.nc", "summary.json", "figure.png", "config.toml")
#: Files the runner may find in an output folder (anything else: the folder is not ours).
_OWN_FILES = set(OUTPUT_FILES) | {CHECKPOINT_NAME, LOCK_NAME, "checkpoint.npz"}
#: Runs estimated to take longer than this [s] need ``--yes`` (``allow_expensive=True``).
DEFAULT_MAX_COST_S = 900.0
_CONFIG_KEYS = {"scenario", "seed", "parameters"}
_RANGE_ERRORS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}


class RunInterrupted(KeyboardInterrupt):
    """The run was stopped by SIGINT/SIGTERM; its checkpoint is kept for ``--resume``."""


@dataclass(frozen=True)
class RunOutcome:
    """Where a run wrote its files, and its summary."""

    out_dir: Path
    summary: dict
    wall_s: float
    resumed: bool


# --------------------------------------------------------------------------------------------
# parameters


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
    if not loc[1:] and e["type"] == "value_error":  # a field rule's own message names the parameter
        return f"{allowed}{more}"
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


def _check_seed(seed: Any) -> int:
    if seed is None:
        return 0
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0 or seed >= 2**63:
        raise UserInputError(f"seed {seed!r} is not allowed: must be an integer in [0, 2^63)")
    return seed


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


# --------------------------------------------------------------------------------------------
# progress


class RichProgress:
    """Progress callback ``(fraction, description)`` showing a rich bar once a run passes ~1 s.

    The time left is the elapsed time times (1 - f)/f, f the fraction of the run's estimated
    work done (task costs from the scenario, the running task's own fraction inside it). Disabled with ``enabled=False`` (``--quiet``)
    or when stderr is not a terminal.
    """

    def __init__(self, label: str, enabled: bool = True, delay_s: float = 1.0):
        self.label = label
        self.enabled = enabled and sys.stderr.isatty()
        self.delay_s = delay_s
        self._start = time.perf_counter()
        self._progress = None
        self._task = None
        self._first: tuple[float, float] | None = None

    def eta_s(self, fraction: float) -> float | None:
        """Seconds left at ``fraction`` of the estimated work done: the time since the first
        report times (1 - f)/f (None until 1 % is done: earlier guesses mislead)."""
        now = time.perf_counter()
        if self._first is None:
            self._first = (now, fraction)
            return None
        t_first, f_first = self._first
        done = fraction - f_first
        if fraction < 0.01 or done <= 0:
            return None
        return (now - t_first) * (1.0 - fraction) / done

    def __call__(self, fraction: float, description: str = "") -> None:
        if not self.enabled:
            return
        fraction = min(max(fraction, 0.0), 1.0)
        eta = self.eta_s(fraction)
        if self._progress is None:
            if time.perf_counter() - self._start < self.delay_s:
                return
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(TextColumn("{task.description}", markup=False), BarColumn(),
                                      TextColumn("{task.percentage:>5.1f}%"), TimeElapsedColumn(),
                                      TextColumn("{task.fields[left]}", markup=False), transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=1.0, left="")
        left = "" if eta is None else f"~{eta:,.0f} s left"
        self._progress.update(self._task, completed=fraction, left=left,
                              description=f"{self.label} {description}".strip())

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None


# --------------------------------------------------------------------------------------------
# checkpoints


class _Checkpoint:
    """``OUT/checkpoint.pkl``: finished task results and the running task's partial state.

    Pickle keeps task results exactly (bit-identical resume); the file is only ever read back
    by the run that wrote it or its ``--resume``, and carries the configuration hash, which must
    match.
    """

    def __init__(self, path: Path, config_hash: str, on_save: Callable[[], None] | None = None):
        self.path = path
        self.config_hash = config_hash
        self.done: dict[str, Any] = {}
        self.partial: dict[str, Any] = {}
        self.on_save = on_save

    def load(self) -> bool:
        """Read the file if present; True when something was restored."""
        if not self.path.exists():
            return False
        try:
            with open(self.path, "rb") as fh:
                data = pickle.load(fh)
        except Exception as exc:  # torn or foreign file: refuse rather than guess
            raise UserInputError(f"checkpoint {self.path} cannot be read ({type(exc).__name__}); "
                                 "remove it to start afresh") from None
        if not isinstance(data, dict) or data.get("config_hash") != self.config_hash:
            found = data.get("config_hash") if isinstance(data, dict) else "?"
            raise UserInputError(
                f"checkpoint {self.path} was written for other parameters or another seed "
                f"(hash {found} != {self.config_hash}); run without --resume into another "
                "folder, or remove the checkpoint to start afresh")
        self.done = dict(data.get("done", {}))
        self.partial = dict(data.get("partial", {}))
        return True

    def save(self) -> None:
        import nupair

        doc = {"format": 1, "config_hash": self.config_hash, "nupair_version": nupair.__version__,
               "done": self.done, "partial": self.partial}
        with io.atomic_write(self.path) as tmp:
            with open(tmp, "wb") as fh:
                pickle.dump(doc, fh, protocol=pickle.HIGHEST_PROTOCOL)
        if self.on_save is not None:
            self.on_save()


def _test_pause() -> None:
    """Test seam: sleep after each checkpoint so that a test can kill the run at a known point."""
    pause = os.environ.get("NUPAIR_TEST_PAUSE_AFTER_CHECKPOINT_S")
    if pause:
        time.sleep(float(pause))


# --------------------------------------------------------------------------------------------
# running


def compute(scenario: Scenario, params, seed: int | None, progress: Callable | None = None,
            checkpoint: _Checkpoint | None = None) -> tuple[Any, dict]:
    """Run the scenario's tasks (resuming finished ones from ``checkpoint``), assemble and
    summarise. Returns ``(dataset, summary)``; the summary is checked by :func:`check_summary`."""
    tasks = scenario.tasks(params, seed)
    names = [t.name for t in tasks]
    if len(set(names)) != len(names):  # pragma: no cover - a scenario bug
        raise RuntimeError(f"scenario {scenario.name}: duplicate task names {names}")
    total = sum(t.cost for t in tasks) or 1.0
    done_cost = 0.0
    results: dict[str, Any] = {}
    for task in tasks:
        if checkpoint is not None and task.name in checkpoint.done:
            results[task.name] = checkpoint.done[task.name]
            done_cost += task.cost
            continue

        def report(fraction, detail="", base=done_cost, task=task):
            if progress is not None:
                f = min(max(float(fraction), 0.0), 1.0)
                progress((base + task.cost * f) / total, detail or task.name)

        def save(state, task=task):
            if checkpoint is not None:
                checkpoint.partial = {task.name: state}
                checkpoint.save()
                _test_pause()

        resume = checkpoint.partial.get(task.name) if checkpoint is not None else None
        result = task.fn(TaskContext(seed, resume, save, report, results))
        results[task.name] = result
        done_cost += task.cost
        if checkpoint is not None:
            checkpoint.done[task.name] = result
            checkpoint.partial = {}
            checkpoint.save()
            _test_pause()
        if progress is not None:
            progress(done_cost / total, task.name)
    dataset = scenario.assemble(params, results)
    summary = scenario.summary(dataset)
    check_summary(summary)
    return dataset, summary


def check_summary(summary: dict, prefix: str = "") -> None:
    """Raise :class:`SolverError` if any number in the summary is NaN or infinite."""
    for key, value in summary.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            check_summary(value, f"{name}.")
            continue
        items = value if isinstance(value, (list, tuple)) else [value]
        for v in items:
            if isinstance(v, dict):
                check_summary(v, f"{name}.")
            elif isinstance(v, float) and not math.isfinite(v):
                raise SolverError(f"summary value {name!r} is {v!r}: the computation did not give a finite "
                                  "number for these parameters")
            elif hasattr(v, "dtype") and getattr(v, "dtype").kind == "f":
                import numpy as np

                if not np.all(np.isfinite(v)):
                    raise SolverError(f"summary value {name!r} is not finite")


def _fd_lock(path: Path):
    """Open and flock ``path`` (non-blocking); return the fd, or raise UserInputError naming the PID."""
    import fcntl

    for _ in range(5):
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                os.close(fd)
                raise
            try:
                holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
            except OSError:
                holder = "?"
            os.close(fd)
            raise UserInputError(f"output folder {str(path.parent)!r} is in use by another nupair run "
                                 f"(PID {holder}); wait for it or choose another --out") from None
        # the file may have been removed (and replaced) by the previous holder: lock the live one
        try:
            same = os.stat(path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            return fd
        os.close(fd)
    raise UserInputError(f"output folder {str(path.parent)!r}: cannot take its lock")  # pragma: no cover


def _refuse_if_busy(path: Path) -> None:
    """Refuse (UserInputError naming the PID) if another process holds the lock; writes nothing."""
    import fcntl

    if not path.exists():
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
            raise UserInputError(f"output folder {str(path.parent)!r} is in use by another nupair run "
                                 f"(PID {holder}); wait for it or choose another --out") from None
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths (Linux renameat2 RENAME_EXCHANGE); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd = -100
    rc = fn(at_fdcwd, os.fsencode(str(a)), at_fdcwd, os.fsencode(str(b)), _RENAME_EXCHANGE)
    return rc == 0


def _commit(staging: Path, out: Path) -> None:
    """Put the staged outputs in place of ``out`` in one step; keep nothing of the old folder's
    outputs (the old folder holds only nupair's own files, checked before the run)."""
    if _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # now the old folder
        return
    old = out.with_name(f".{out.name}.old-{os.getpid()}")  # pragma: no cover - non-Linux fallback
    os.replace(out, old)  # pragma: no cover
    os.replace(staging, out)  # pragma: no cover
    shutil.rmtree(old, ignore_errors=True)  # pragma: no cover


@contextlib.contextmanager
def _signals_as_interrupts() -> Iterator[None]:
    """SIGTERM raises KeyboardInterrupt like SIGINT does (main thread only)."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum, frame):
        raise KeyboardInterrupt

    old_term = signal.signal(signal.SIGTERM, handler)
    old_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, old_term)
        signal.signal(signal.SIGINT, old_int)


def _is_own_temporary(name: str) -> bool:
    """A temporary file of io.atomic_write for one of our files (left behind by a SIGKILL mid-write)."""
    return any(name.startswith(f".{own}.") and name.endswith(".tmp") for own in _OWN_FILES)


def _check_out_dir(out: Path) -> bool:
    """Refuse an output path nupair cannot use; True when the folder exists already."""
    for parent in [out, *out.parents]:
        if parent.exists() and not parent.is_dir():
            raise UserInputError(f"output folder {str(out)!r}: {str(parent)!r} exists and is not a folder")
        if parent.exists():
            break
    if not out.exists():
        return False
    if out.resolve() == Path.cwd().resolve() or out.resolve() == Path.home().resolve():
        raise UserInputError(f"output folder {str(out)!r} is the working or home folder; choose a subfolder")
    foreign = sorted(p.name for p in out.iterdir() if p.name not in _OWN_FILES and not _is_own_temporary(p.name))
    if foreign:
        raise UserInputError(f"output folder {str(out)!r} holds files nupair did not write ({foreign[0]!r}"
                             f"{' and more' if len(foreign) > 1 else ''}); choose another --out")
    if not os.access(out, os.W_OK):
        raise UserInputError(f"output folder {str(out)!r} is not writable")
    return True


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
    allow_expensive: bool = False,
    max_cost_s: float | None = None,
) -> RunOutcome:
    """Run scenario ``name`` and write its outputs to ``out_dir`` (default ``runs/NAME``).

    Nothing is written before the parameters, the output folder and the cost estimate pass
    (:class:`UserInputError`). With ``resume`` the run continues from ``out_dir/checkpoint.pkl``
    (same parameters and seed required); without it an existing checkpoint is refused rather
    than overwritten. A run estimated above ``max_cost_s`` (default 900 s, or the environment
    variable ``NUPAIR_MAX_COST_S``) needs ``allow_expensive``. ``progress`` overrides the progress callback. An interrupt raises
    :class:`RunInterrupted` with the checkpoint kept.
    """
    scenario = get_scenario(name)
    params, seed = resolve_parameters(scenario, overrides, config_path, seed)
    cost = _check_cost(name, scenario, params, allow_expensive, max_cost_s)
    out = Path(out_dir) if out_dir is not None else Path("runs") / name
    existed = _check_out_dir(out)
    if existed:
        _refuse_if_busy(out / LOCK_NAME)  # before judging its files: a running run's checkpoint is not ours
    ckpt_path = out / CHECKPOINT_NAME
    had_checkpoint = ckpt_path.exists()
    if had_checkpoint and not resume:
        raise UserInputError(f"output folder {str(out)!r} holds the checkpoint of an interrupted run; add "
                             "--resume to continue it, or choose another --out")
    param_dict = params.model_dump(mode="json")
    config_hash = io.parameters_hash(param_dict, seed)
    checkpoint = _Checkpoint(ckpt_path, config_hash)
    if resume:
        checkpoint.load()  # validates before anything is written

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserInputError(f"output folder {str(out)!r} cannot be created: {exc.strerror}") from None
    try:
        lock_fd = _fd_lock(out / LOCK_NAME)
    except UserInputError:
        raise
    except OSError as exc:
        if not existed:
            shutil.rmtree(out, ignore_errors=True)
        raise UserInputError(f"output folder {str(out)!r}: cannot take its lock ({exc.strerror})") from None
    staging = out.parent / f".staging-{out.name}-{os.getpid()}"
    bar = RichProgress(name, enabled=not quiet) if progress is None else None
    callback = progress if progress is not None else bar
    finished = False
    t0 = time.perf_counter()
    try:
        for stale in out.iterdir():  # half-written files of a killed run: the renamed ones are whole
            if _is_own_temporary(stale.name):
                stale.unlink(missing_ok=True)
        if resume:  # re-read under the lock: another run may have finished meanwhile
            checkpoint.load()
        resumed = bool(checkpoint.done or checkpoint.partial)
        with _signals_as_interrupts(), warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                dataset, summary = compute(scenario, params, seed, callback, checkpoint)
            except KeyboardInterrupt:
                raise RunInterrupted(f"{name} interrupted; resume with: nupair run {name} --out {out} "
                                     "--resume (and the same parameters)") from None
            except SolverError as exc:
                done = len(checkpoint.done)
                kept = f"; the {done} finished task(s) are kept in {ckpt_path} for --resume" if done else ""
                raise SolverError(f"{name}: {exc.detail}{kept}", exc.status, exc.result) from None
            except UserInputError:
                checkpoint.done, checkpoint.partial = {}, {}  # the same parameters would fail again
                raise
            except ValueError as exc:  # a capability refused a combination the parameter model let through
                checkpoint.done, checkpoint.partial = {}, {}
                raise _refused(name, exc) from None
        wall = time.perf_counter() - t0
        dataset.attrs.update(io.provenance(name, param_dict, seed, scenario.reference))
        io.check_units(dataset)
        summary_doc = _summary_doc(name, scenario, dataset, summary, param_dict, seed, wall, cost, caught)
        figure = scenario.plot(dataset)
        if staging.exists():
            shutil.rmtree(staging)
        staging.mkdir()
        io.write_netcdf(staging / "result.nc", dataset)
        io.write_json(staging / "summary.json", summary_doc)
        io.write_figure(staging / "figure.png", figure)
        io.write_toml(staging / "config.toml", {"scenario": name, "seed": seed, "parameters": param_dict})
        import matplotlib.pyplot as plt

        plt.close(figure)
        _commit(staging, out)
        finished = True
        return RunOutcome(out_dir=out, summary=summary_doc, wall_s=wall, resumed=resumed)
    except RunInterrupted:
        finished = True  # the checkpoint stays: resumable
        if not existed and not ckpt_path.exists():  # nothing to resume: leave no empty folder
            shutil.rmtree(out, ignore_errors=True)
        raise
    finally:
        if bar is not None:
            bar.close()
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
        if not finished:
            # a failure keeps the work done so far (finished tasks, saved segments) for --resume;
            # with none, the folder is left as it was before the run
            kept = bool(checkpoint.done or checkpoint.partial) and ckpt_path.exists()
            if not kept:
                if not existed:
                    shutil.rmtree(out, ignore_errors=True)
                elif not had_checkpoint and ckpt_path.exists():
                    ckpt_path.unlink()
        lock_path = out / LOCK_NAME
        with contextlib.suppress(OSError):
            if lock_path.exists() and os.stat(lock_path).st_ino == os.fstat(lock_fd).st_ino:
                lock_path.unlink()
        os.close(lock_fd)


def _check_cost(name: str, scenario: Scenario, params, allow_expensive: bool, max_cost_s: float | None,
                flag: str = "add --yes") -> float:
    """The run's estimated time [s]; UserInputError above the limit unless ``allow_expensive``."""
    limit = max_cost_s if max_cost_s is not None else float(os.environ.get("NUPAIR_MAX_COST_S", DEFAULT_MAX_COST_S))
    cost = float(scenario.cost_s(params))
    if cost > limit and not allow_expensive:
        raise UserInputError(f"{name}: estimated run time ~{_human_s(cost)} exceeds {_human_s(limit)}; "
                             f"{flag} to run it anyway (or lower the resolution)")
    return cost


def _refused(name: str, exc: ValueError) -> UserInputError:
    """A capability refused a combination the parameter model let through: a one-line input error."""
    return UserInputError(f"{name}: these parameters are outside what the computation supports: {exc}")


#: summary.json keys the runner writes; a scenario's own summary may not redefine them.
RESERVED_SUMMARY_KEYS = frozenset({"scenario", "nupair_version", "seed", "parameters", "reference", "wall_time_s",
                                   "estimated_time_s", "warnings"})


def _summary_doc(name: str, scenario: Scenario, dataset, summary: dict, param_dict: dict, seed, wall: float,
                 cost: float, caught) -> dict:
    """summary.json: provenance, timing, the scenario's numbers and the numerical warnings of the run
    (part of the result, not printed to the terminal)."""
    clash = RESERVED_SUMMARY_KEYS & set(summary)
    if clash:  # a programming error of the scenario: its number would silently replace the runner's
        raise RuntimeError(f"scenario {name!r}: its summary redefines the runner's keys {sorted(clash)}")
    return {
        "scenario": name,
        "nupair_version": dataset.attrs["nupair_version"],
        "seed": seed,
        "parameters": param_dict,
        "reference": scenario.reference,
        "wall_time_s": wall,
        "estimated_time_s": cost,
        **summary,
        "warnings": sorted({f"{w.category.__name__}: {w.message} ({Path(w.filename).name}:{w.lineno})"
                            for w in caught}),
    }


def _human_s(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@dataclass(frozen=True)
class RunResult:
    """What :func:`run` returns: the dataset, the summary (as in ``summary.json``) and the figure.

    ``out_dir`` is where the files were written (None when ``out`` was not given).
    """

    dataset: Any
    summary: dict
    figure: Any
    out_dir: Path | None = None


def run(name: str, *, seed: int | None = None, out: str | Path | None = None, resume: bool = False,
        allow_expensive: bool = False, **params) -> RunResult:
    """Run scenario ``name`` from Python (notebooks): ``nupair.run("pairing-two-pair", mu_over_energy=1e-2)``.

    Parameters are keyword arguments (``nupair.scenarios.available()`` lists the scenarios,
    ``nupair show NAME`` their parameters). The same validation and errors as the command line
    (:class:`~nupair.scenarios.UserInputError` for bad input or a run estimated above 15 min
    without ``allow_expensive``; :class:`~nupair.results.SolverError` for a numerical failure).
    Files (``result.nc``, ``summary.json``, ``figure.png``, ``config.toml``) are written only when
    ``out`` is given, under the runner's full contract (lock, checkpoints, atomic commit).
    """
    import xarray as xr

    if out is not None:
        outcome = run_scenario(name, params, out_dir=out, seed=seed, resume=resume, allow_expensive=allow_expensive)
        with xr.open_dataset(Path(out) / "result.nc", engine="h5netcdf") as ds:
            dataset = ds.load()
        scenario = get_scenario(name)
        return RunResult(dataset, outcome.summary, scenario.plot(dataset), Path(out))
    scenario = get_scenario(name)
    values, seed = resolve_parameters(scenario, params, seed=seed)
    cost = _check_cost(name, scenario, values, allow_expensive, None, flag="pass allow_expensive=True")
    param_dict = values.model_dump(mode="json")
    t0 = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            dataset, summary = compute(scenario, values, seed)
        except UserInputError:
            raise
        except ValueError as exc:
            raise _refused(name, exc) from None
    dataset.attrs.update(io.provenance(name, param_dict, seed, scenario.reference))
    summary_doc = _summary_doc(name, scenario, dataset, summary, param_dict, seed, time.perf_counter() - t0, cost, caught)
    return RunResult(dataset, summary_doc, scenario.plot(dataset), None)
