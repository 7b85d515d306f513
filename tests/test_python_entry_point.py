"""nupair.run: the notebook entry point (same validation as the command line)."""

import pytest

import nupair
from nupair.scenarios import UserInputError, available


def test_run_in_memory_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = nupair.run("pairing-two-pair-stability", rho_x=1.0, rhobar_x=0.3, rho_z=0.1, rhobar_z=0.1)
    # HW eq. 16 for case B: 2 sqrt(0.24)
    assert r.summary["growth_rate_eq16_over_mu"] == pytest.approx(0.9797958971, rel=1e-9)
    assert r.out_dir is None and "eigenvalue_re" in r.dataset and r.figure is not None
    assert list(tmp_path.iterdir()) == []


def test_run_with_out_writes_the_four_files(tmp_path):
    r = nupair.run("pairing-two-pair-stability", out=tmp_path / "x")
    assert sorted(p.name for p in r.out_dir.iterdir()) == ["config.toml", "figure.png", "result.nc", "summary.json"]


def test_run_validates_like_the_cli():
    with pytest.raises(UserInputError, match="rho_x"):
        nupair.run("pairing-two-pair-stability", rho_x=2.0)
    with pytest.raises(UserInputError, match="unknown scenario"):
        nupair.run("no-such-scenario")
    assert "pairing-two-pair" in available() and len(available()) >= 19


def test_help_lists_capabilities_and_entry_point():
    doc = nupair.__doc__
    for word in ("pairing", "oile", "renp", "forces", "gradient", "nupair.run"):
        assert word in doc


def test_run_from_python_is_interruptible_and_keeps_its_checkpoint(tmp_path):
    """Ctrl-C in a notebook or script (SIGINT) stops ``nupair.run``: RunInterrupted with the resume
    instructions, the checkpoint kept; ``resume=True`` then finishes the run (issue 29, item 3)."""
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "run"
    code = ("import sys, nupair\n"
            "from nupair.scenarios.runner import RunInterrupted\n"
            "try:\n"
            f"    nupair.run('pairing-two-pair', out={str(out)!r}, t_end_mu=3.0, n_save=201)\n"
            "except RunInterrupted as exc:\n"
            "    print('INTERRUPTED', exc); sys.exit(7)\n")
    env = dict(os.environ, NUPAIR_TEST_PAUSE_AFTER_CHECKPOINT_S="30", MPLBACKEND="Agg")
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.time() + 120
    while not (out / "checkpoint.pkl").exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.1)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 7, stderr[-2000:]
    assert "INTERRUPTED" in stdout and "resume" in stdout and (out / "checkpoint.pkl").exists()
    result = nupair.run("pairing-two-pair", out=out, resume=True, t_end_mu=3.0, n_save=201)
    assert result.summary["scenario"] == "pairing-two-pair" and not (out / "checkpoint.pkl").exists()
