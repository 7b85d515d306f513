"""A run folder from someone else cannot run code: checkpoints are authenticated before unpickling.

The recipe of the trust issue: run, replace ``checkpoint.pkl`` by a pickle whose ``__reduce__``
calls ``os.system("touch MARKER")``, resume. The marker must not appear, the resume must be
refused with one line and exit 2 — for a bare pickle, for one dressed in nupair's header with a
forged tag, and for a genuine checkpoint written under another account's secret.
"""

from __future__ import annotations

import os
import pickle
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from nupair.scenarios._checkpoint import _MAGIC, CheckpointStore, checkpoint_key_path
from nupair.scenarios._base import UserInputError

SCENARIO = "pairing-two-pair-stability"


class _Payload:
    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def _nupair(*args, env):
    return subprocess.run([sys.executable, "-m", "nupair", *args], env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture()
def interrupted_folder(tmp_path):
    """A folder holding a genuine checkpoint (as an interrupted run leaves it) and the env that wrote it."""
    env = dict(os.environ, NUPAIR_CONFIG_DIR=str(tmp_path / "mine"))
    out = tmp_path / "shared"
    out.mkdir()
    store = CheckpointStore(out / "checkpoint.pkl", "x")
    old = os.environ.get("NUPAIR_CONFIG_DIR")
    os.environ["NUPAIR_CONFIG_DIR"] = env["NUPAIR_CONFIG_DIR"]
    try:
        store.done = {"a": 1}
        store.save()
    finally:
        os.environ["NUPAIR_CONFIG_DIR"] = old
    return out, env


@pytest.mark.parametrize("dressed", [False, True], ids=["bare-pickle", "forged-tag"])
def test_a_crafted_checkpoint_runs_no_code(tmp_path, dressed):
    env = dict(os.environ, NUPAIR_CONFIG_DIR=str(tmp_path / "cfg"))
    out, marker = tmp_path / "pk", tmp_path / "MARKER"
    first = _nupair("run", SCENARIO, "--out", str(out), "--quiet", env=env)
    assert first.returncode == 0, first.stderr
    evil = pickle.dumps(_Payload(marker))
    (out / "checkpoint.pkl").write_bytes(_MAGIC + b"\0" * 32 + evil if dressed else evil)
    done = _nupair("run", SCENARIO, "--out", str(out), "--resume", "--quiet", env=env)
    lines = [x for x in done.stderr.splitlines() if x.strip()]
    assert done.returncode == 2 and len(lines) == 1, done.stderr
    assert "it is not read" in lines[0] and ("tampered" in lines[0]) == dressed
    assert not marker.exists()
    assert (out / "summary.json").exists()  # the finished outputs are untouched


def test_another_accounts_checkpoint_is_refused(interrupted_folder, tmp_path):
    out, _ = interrupted_folder
    env = dict(os.environ, NUPAIR_CONFIG_DIR=str(tmp_path / "someone-else"))
    done = _nupair("run", SCENARIO, "--out", str(out), "--resume", "--quiet", env=env)
    assert done.returncode == 2 and "foreign or tampered" in done.stderr, done.stderr
    assert (out / "checkpoint.pkl").exists()  # refused, not removed: it is someone's work


def test_own_checkpoint_round_trips_and_the_secret_is_private(tmp_path, monkeypatch):
    monkeypatch.setenv("NUPAIR_CONFIG_DIR", str(tmp_path / "cfg"))
    store = CheckpointStore(tmp_path / "checkpoint.pkl", "hash")
    store.done, store.partial = {"t": [1.0, 2.5]}, {"u": {"y": b"\x00\x01"}}
    store.save()
    back = CheckpointStore(tmp_path / "checkpoint.pkl", "hash")
    assert back.load() and back.done == store.done and back.partial == store.partial
    mode = stat.S_IMODE(checkpoint_key_path().stat().st_mode)
    assert mode == 0o600
    with pytest.raises(UserInputError, match="other parameters"):
        CheckpointStore(tmp_path / "checkpoint.pkl", "other").load()
    # a torn file (truncated payload) is refused, not half-read
    blob = (tmp_path / "checkpoint.pkl").read_bytes()
    (tmp_path / "checkpoint.pkl").write_bytes(blob[:-5])
    with pytest.raises(UserInputError, match="foreign or tampered"):
        back.load()


def test_a_crafted_pickle_in_a_sweep_folder_runs_no_code(tmp_path):
    """A sweep folder holds only data nupair reads as data (sweep.toml, points.jsonl, sweep.nc):
    pickles planted under every name a sweep might look at, and a points file whose lines are
    pickle bytes, run nothing on --resume; the sweep recomputes what it cannot read."""
    env = dict(os.environ, NUPAIR_CONFIG_DIR=str(tmp_path / "cfg"))
    out, marker = tmp_path / "sw", tmp_path / "MARKER"
    args = ("sweep", SCENARIO, "--grid", "rho_x=0.1:0.5:3", "--workers", "1", "--quiet", "--out", str(out))
    assert _nupair(*args, env=env).returncode == 0
    evil = pickle.dumps(_Payload(marker))
    for name in ("checkpoint.pkl", "state.pkl", "sweep.pkl"):
        (out / name).write_bytes(evil)
    (out / "points.jsonl").write_bytes(evil + b"\n" + evil)
    resumed = _nupair(*args, "--resume", env=env)
    assert resumed.returncode == 0, resumed.stderr
    assert not marker.exists()
