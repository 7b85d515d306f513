"""The runner's checkpoint store: ``OUT/checkpoint.pkl``, authenticated before it is read.

A checkpoint holds the finished tasks' results and the running task's partial state as a pickle
(which keeps every result exactly, so a resumed run is bit-identical to a clean one). Unpickling
can run code, and run folders are shared (a collaborator's ``runs/``, a cluster scratch, an
archive), so nupair reads back only what nupair wrote under this account: each file carries an
HMAC-SHA256 of its payload under a per-user secret (``~/.config/nupair/checkpoint-key``, 32
random bytes, mode 0600, made on first use; ``NUPAIR_CONFIG_DIR`` moves it), and the tag is
verified before a single byte is unpickled. A file that fails is refused with one line (foreign
or tampered), and nothing else happens.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
from pathlib import Path
from typing import Any, Callable

from nupair import io
from nupair._version import __version__
from nupair.scenarios._base import UserInputError

__all__ = ["CheckpointStore", "CHECKPOINT_NAME", "checkpoint_key_path"]

CHECKPOINT_NAME = "checkpoint.pkl"
_MAGIC = b"nupair checkpoint 2 hmac-sha256\n"
_TAG_BYTES = 32
_KEY_BYTES = 32


def checkpoint_key_path() -> Path:
    """Where this user's checkpoint secret lives (``NUPAIR_CONFIG_DIR`` or the XDG config folder)."""
    base = os.environ.get("NUPAIR_CONFIG_DIR")
    if base:
        return Path(base) / "checkpoint-key"
    xdg = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(xdg) / "nupair" / "checkpoint-key"


def _secret() -> bytes:
    """This user's secret, created (0600, in a 0700 folder) on first use."""
    path = checkpoint_key_path()
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(_KEY_BYTES))
        key = path.read_bytes()
    except OSError as exc:
        raise UserInputError(f"checkpoint key {str(path)!r} cannot be created or read ({exc.strerror}); set "
                             "NUPAIR_CONFIG_DIR to a private folder you can write") from None
    if len(key) != _KEY_BYTES:
        raise UserInputError(f"checkpoint key {str(path)!r} is damaged ({len(key)} bytes, expected {_KEY_BYTES}); "
                             "remove it (checkpoints written under it can then no longer be resumed)")
    return key


def _tag(key: bytes, payload: bytes) -> bytes:
    return hmac.new(key, payload, hashlib.sha256).digest()


class CheckpointStore:
    """``OUT/checkpoint.pkl``: finished task results (``done``) and the running task's partial
    state (``partial``), tagged with the configuration hash and authenticated (module docstring)."""

    def __init__(self, path: Path, config_hash: str, on_save: Callable[[], None] | None = None):
        self.path = path
        self.config_hash = config_hash
        self.done: dict[str, Any] = {}
        self.partial: dict[str, Any] = {}
        self.on_save = on_save

    @property
    def has_work(self) -> bool:
        """True when something finished or saved would be lost without the file."""
        return bool(self.done or self.partial)

    def _refuse(self, why: str) -> UserInputError:
        return UserInputError(f"checkpoint {self.path} {why}; remove it to start afresh")

    def _verified_payload(self) -> bytes:
        try:
            blob = self.path.read_bytes()
        except OSError as exc:
            raise self._refuse(f"cannot be read ({exc.strerror})") from None
        if not blob.startswith(_MAGIC):
            raise self._refuse("is not a checkpoint this version of nupair wrote (foreign, older or damaged): "
                               "it is not read")
        tag, payload = blob[len(_MAGIC): len(_MAGIC) + _TAG_BYTES], blob[len(_MAGIC) + _TAG_BYTES:]
        if not hmac.compare_digest(tag, _tag(_secret(), payload)):
            raise self._refuse("was not written by nupair under this account (foreign or tampered): it is not read")
        return payload

    def load(self) -> bool:
        """Read the file if present; True when something was restored."""
        if not self.path.exists():
            return False
        payload = self._verified_payload()
        try:
            data = pickle.loads(payload)  # authenticated: written by nupair under this account
        except Exception as exc:  # torn write of our own file: refuse rather than guess
            raise self._refuse(f"cannot be read ({type(exc).__name__})") from None
        if not (isinstance(data, dict) and isinstance(data.get("done", {}), dict)
                and isinstance(data.get("partial", {}), dict)):
            raise self._refuse("does not hold a run's state")
        if data.get("config_hash") != self.config_hash:
            raise UserInputError(
                f"checkpoint {self.path} was written for other parameters or another seed "
                f"(hash {data.get('config_hash')} != {self.config_hash}); run without --resume into another "
                "folder, or remove the checkpoint to start afresh")
        self.done = dict(data.get("done", {}))
        self.partial = dict(data.get("partial", {}))
        return True

    def save(self) -> None:
        """Write the state atomically (a reader sees the old file or the new one, never a torn one)."""
        doc = {"format": 2, "config_hash": self.config_hash, "nupair_version": __version__,
               "done": self.done, "partial": self.partial}
        payload = pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL)
        with io.atomic_write(self.path) as tmp:
            with open(tmp, "wb") as fh:
                fh.write(_MAGIC + _tag(_secret(), payload) + payload)
        if self.on_save is not None:
            self.on_save()
