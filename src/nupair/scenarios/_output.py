"""The runner's output folder: validated, locked, staged and committed as a whole.

:class:`OutputFolder` is a context manager. Constructed, it checks the folder before anything is
written (a path nupair can use, only nupair's own files in it, no other run holding its lock).
Entered, it creates the folder, takes its lock (``OUT/.nupair.lock``, an ``flock`` holding the
PID; a lock left by a dead process is free) and removes half-written temporaries of a killed run.
:meth:`OutputFolder.commit` writes the outputs into a staging folder and swaps it into place in
one rename (Linux ``renameat2``), so a reader never sees a partial or mixed set. On exit without
a commit the folder is left as it was before the run — unless a checkpoint holds work that
``--resume`` can continue — and the lock is released.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import signal
from pathlib import Path
from typing import Callable, Iterator

from nupair import io
from nupair.scenarios._base import UserInputError
from nupair.scenarios._checkpoint import CHECKPOINT_NAME

__all__ = ["OutputFolder", "signals_as_interrupts", "LOCK_NAME", "OUTPUT_FILES"]

LOCK_NAME = ".nupair.lock"
OUTPUT_FILES = ("result.nc", "summary.json", "figure.png", "config.toml")
#: Files the runner may find in an output folder (anything else: the folder is not ours).
_OWN_FILES = set(OUTPUT_FILES) | {CHECKPOINT_NAME, LOCK_NAME, "checkpoint.npz"}


class OutputFolder:
    """The folder a run writes to (module docstring). ``has_work`` tells, at exit, whether the
    checkpoint holds finished work worth keeping for ``--resume``."""

    def __init__(self, out: Path, has_work: Callable[[], bool] = lambda: False):
        self.out = Path(out)
        self.has_work = has_work
        self.existed = _check_out_dir(self.out)
        if self.existed:
            _refuse_if_busy(self.out / LOCK_NAME)  # before judging its files: a running run's checkpoint is not ours
        self.checkpoint_path = self.out / CHECKPOINT_NAME
        self.had_checkpoint = self.checkpoint_path.exists()
        self.staging = self.out.parent / f".staging-{self.out.name}-{os.getpid()}"
        self.committed = False
        self._lock_fd: int | None = None

    def __enter__(self) -> "OutputFolder":
        try:
            self.out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UserInputError(f"output folder {str(self.out)!r} cannot be created: {exc.strerror}") from None
        try:
            self._lock_fd = _fd_lock(self.out / LOCK_NAME)
        except UserInputError:
            raise
        except OSError as exc:
            if not self.existed:
                shutil.rmtree(self.out, ignore_errors=True)
            raise UserInputError(f"output folder {str(self.out)!r}: cannot take its lock ({exc.strerror}); "
                                 "nothing was changed") from None
        for stale in self.out.iterdir():  # half-written files of a killed run: the renamed ones are whole
            if _is_own_temporary(stale.name):
                stale.unlink(missing_ok=True)
        return self

    def commit(self, write: Callable[[Path], None]) -> None:
        """``write(folder)`` the outputs into a fresh staging folder, then swap it into place."""
        with io.file_errors("write into", self.staging):
            if self.staging.exists():
                shutil.rmtree(self.staging)
            self.staging.mkdir()
        write(self.staging)
        with io.file_errors("move the outputs into", self.out):
            _commit(self.staging, self.out)
        self.committed = True

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.staging.exists():
            shutil.rmtree(self.staging, ignore_errors=True)
        if not self.committed:
            self._restore(interrupted=exc_type is not None and issubclass(exc_type, KeyboardInterrupt))
        lock_path = self.out / LOCK_NAME
        with contextlib.suppress(OSError):
            if lock_path.exists() and os.stat(lock_path).st_ino == os.fstat(self._lock_fd).st_ino:
                lock_path.unlink()
        os.close(self._lock_fd)

    def _restore(self, interrupted: bool) -> None:
        """A run that did not commit keeps its checkpoint when it can be resumed (an interrupt, or
        a failure after finished work); otherwise the folder is left as it was before the run."""
        ckpt = self.checkpoint_path
        if ckpt.exists() and (interrupted or self.has_work()):
            return
        if not self.existed:
            shutil.rmtree(self.out, ignore_errors=True)
        elif not self.had_checkpoint and ckpt.exists():
            ckpt.unlink()


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
def signals_as_interrupts() -> Iterator[None]:
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
