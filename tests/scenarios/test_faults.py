"""Faults of the machine and damaged files are the user's environment, not nupair bugs (issues 28
and 29): each gets one line naming the file and what to do, exit 2, and loses nothing.

Faults are injected two ways: at the operating-system call (an ``OSError`` with the errno the
kernel would give, so every check runs as non-root and anywhere), and for real on a small tmpfs
or a read-only mount where this machine lets the test mount one (root in a container; skipped
with the reason otherwise).
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import uuid
from pathlib import Path

import pytest

from nupair import cli, io
from nupair.scenarios import runner
from nupair.scenarios._checkpoint import CheckpointStore

FAST = "pairing-two-pair-stability"
TASKS = "pairing-two-pair"  # two tasks with checkpoints between them
TASKS_SET = ["--set", "t_end_mu=3", "--set", "n_save=201"]


def _cli(capsys, *args) -> tuple[int, str]:
    code = cli.main(list(args))
    err = capsys.readouterr().err
    return code, err


def _one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert "internal error" not in lines[0] and "Traceback" not in err
    return lines[0]


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}


def _fail_writes_of(monkeypatch, name: str, code: int) -> None:
    """Every atomic write whose target is ``name`` fails as the kernel would (errno ``code``)."""
    real = io.atomic_write

    def failing(path):
        if Path(path).name == name:
            raise io.fault_from_os_error(OSError(code, os.strerror(code)), "write", path)
        return real(path)

    monkeypatch.setattr(io, "atomic_write", failing)


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EROFS, errno.EACCES, errno.EDQUOT])
def test_disk_fault_at_the_final_commit_keeps_previous_outputs_and_the_checkpoint(tmp_path, capsys, monkeypatch,
                                                                                   code):
    out = tmp_path / "run"
    assert _cli(capsys, "run", TASKS, *TASKS_SET, "--out", str(out), "--quiet")[0] == 0
    before = _snapshot(out)
    _fail_writes_of(monkeypatch, "result.nc", code)
    status, err = _cli(capsys, "run", TASKS, *TASKS_SET, "--set", "mu_over_energy=2e-3", "--out", str(out), "--quiet")
    line = _one_line(err)
    assert status == 2 and "result.nc" in line and "nothing was lost" in line and "untouched" in line
    assert "--resume" in line  # the finished tasks are kept
    assert {k: v for k, v in _snapshot(out).items() if k != "checkpoint.pkl"} == before
    monkeypatch.undo()
    # the fault fixed, --resume finishes from the checkpoint with the same numbers as a clean run
    assert _cli(capsys, "run", TASKS, *TASKS_SET, "--set", "mu_over_energy=2e-3", "--out", str(out), "--quiet",
                "--resume")[0] == 0
    clean = tmp_path / "clean"
    assert _cli(capsys, "run", TASKS, *TASKS_SET, "--set", "mu_over_energy=2e-3", "--out", str(clean), "--quiet")[0] == 0
    a, b = (json.loads((d / "summary.json").read_text()) for d in (out, clean))
    assert {k: v for k, v in a.items() if k != "wall_time_s"} == {k: v for k, v in b.items() if k != "wall_time_s"}


def test_disk_full_while_checkpointing_says_what_was_kept(tmp_path, capsys, monkeypatch):
    _fail_writes_of(monkeypatch, "checkpoint.pkl", errno.ENOSPC)
    out = tmp_path / "new"
    status, err = _cli(capsys, "run", TASKS, *TASKS_SET, "--out", str(out), "--quiet")
    line = _one_line(err)
    assert status == 2 and "no space left" in line and "checkpoint.pkl" in line
    assert not out.exists()  # a folder this run created and could not use is removed


@pytest.mark.parametrize("code, words", [(errno.EROFS, "read-only"), (errno.EACCES, "permission denied")])
def test_an_output_folder_that_cannot_be_written(tmp_path, capsys, monkeypatch, code, words):
    import tempfile

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    status, err = _cli(capsys, "run", FAST, "--out", str(tmp_path / "ro"), "--quiet")
    assert status == 2 and words in _one_line(err)


def test_plot_to_a_place_that_cannot_hold_files(tmp_path, capsys):
    sweep = tmp_path / "sw"
    assert _cli(capsys, "sweep", FAST, "--grid", "rho_x=0.1:0.5:2", "--out", str(sweep), "--quiet",
                "--workers", "1")[0] == 0
    status, err = _cli(capsys, "plot", str(sweep), "--out", "/proc/forbidden.png")
    assert status == 2 and "/proc/forbidden.png" in _one_line(err)
    status, err = _cli(capsys, "plot", str(sweep), "--var", "nope")
    line = _one_line(err)
    assert status == 2 and "'nope'" in line and "available:" in line and "KeyError" not in line


@pytest.mark.parametrize("fmt, content", [("sweep.nc", b"not a netCDF file\n"), ("sweep.nc", b""),
                                          ("sweep.zarr", None)])
def test_a_damaged_sweep_file_is_named(tmp_path, capsys, fmt, content):
    folder = tmp_path / "bad"
    folder.mkdir()
    if content is None:
        (folder / fmt).mkdir()
        (folder / fmt / "zarr.json").write_text("{ not json")
    else:
        (folder / fmt).write_bytes(content)
    status, err = _cli(capsys, "plot", str(folder))
    line = _one_line(err)
    assert status == 2 and fmt in line and "cannot read" in line


def test_a_config_with_deeply_nested_arrays(tmp_path, capsys):
    cfg = tmp_path / "deep.toml"
    cfg.write_text("[parameters]\nrho_x = " + "[" * 5000 + "]" * 5000 + "\n")
    status, err = _cli(capsys, "run", FAST, "--config", str(cfg), "--out", str(tmp_path / "o"), "--quiet")
    assert status == 2 and "nested too deeply" in _one_line(err)
    assert not (tmp_path / "o").exists()


def test_a_checkpoint_whose_partial_state_is_garbage(tmp_path, capsys):
    """A checkpoint nupair wrote (its tag verifies) but whose saved state the task cannot use
    (an older layout, a damaged state): refused naming the checkpoint, kept for inspection."""
    out = tmp_path / "run"
    params = {"t_end_mu": 3.0, "n_save": 201}
    values, seed = runner.resolve_parameters(runner.get_scenario(TASKS), params, seed=0)
    store = CheckpointStore(out / "checkpoint.pkl", io.parameters_hash(values.model_dump(mode="json"), seed))
    out.mkdir()
    for garbage in ({"case A": "not a state"}, {"case A": {"no": "keys"}}):
        store.partial = garbage
        store.save()
        status, err = _cli(capsys, "run", TASKS, *TASKS_SET, "--out", str(out), "--quiet", "--resume")
        line = _one_line(err)
        assert status == 2 and "checkpoint" in line and "cannot be used" in line and "start afresh" in line
        assert (out / "checkpoint.pkl").exists()


def test_a_crafted_points_file_is_data_not_code(tmp_path, capsys):
    """``points.jsonl`` is JSON: records that are not the sweep's own are recomputed on resume."""
    sweep = tmp_path / "sw"
    assert _cli(capsys, "sweep", FAST, "--grid", "rho_x=0.1:0.5:3", "--out", str(sweep), "--quiet",
                "--workers", "1")[0] == 0
    good = (sweep / "sweep.nc").read_bytes()
    lines = (sweep / "points.jsonl").read_text().splitlines()
    junk = ['{"index": [7], "status": "done", "values": {"x": 1}}', '{"index": "a"}', '[1, 2]',
            '{"index": [0], "status": "done", "values": {"growth_rate_over_mu": "__import__(\'os\')"}}', "{" * 3000]
    (sweep / "points.jsonl").write_text("\n".join(junk + lines[1:]) + "\n")
    assert _cli(capsys, "sweep", FAST, "--grid", "rho_x=0.1:0.5:3", "--out", str(sweep), "--quiet",
                "--workers", "1", "--resume")[0] == 0
    import xarray as xr

    with xr.open_dataset(sweep / "sweep.nc", engine="h5netcdf") as ds:
        assert (ds["status"].values == "done").all() and ds.sizes["rho_x"] == 3
    assert len(good) > 0


def test_sweep_disk_full_keeps_the_finished_points(tmp_path, capsys, monkeypatch):
    sweep = tmp_path / "sw"
    _fail_writes_of(monkeypatch, "sweep.nc", errno.ENOSPC)
    status, err = _cli(capsys, "sweep", FAST, "--grid", "rho_x=0.1:0.5:2", "--out", str(sweep), "--quiet",
                       "--workers", "1")
    line = _one_line(err)
    assert status == 2 and "no space left" in line and "points.jsonl" in line and "--resume" in line
    monkeypatch.undo()
    assert _cli(capsys, "sweep", FAST, "--grid", "rho_x=0.1:0.5:2", "--out", str(sweep), "--quiet",
                "--workers", "1", "--resume")[0] == 0


def test_a_refused_sweep_leaves_no_folder(tmp_path, capsys):
    for args in (["--grid", "rho_x=0.1:0.5:0"], ["--grid", "nope=1:2:2"], ["--grid", "rho_x=0.1:0.5:2",
                                                                           "--scheduler", "tcp://127.0.0.1:9"]):
        out = tmp_path / uuid.uuid4().hex
        status, err = _cli(capsys, "sweep", FAST, *args, "--out", str(out), "--quiet")
        assert status == 2 and not out.exists(), err


# --- the same on real file systems, where this machine lets the test mount them ---------------

def _mount(target: Path, options: str) -> None:
    target.mkdir()
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({proc.stderr.strip() or 'not permitted'}): the injected-fault "
                    "tests above cover the same paths")


@pytest.fixture(params=[("tiny", "size=1m")], ids=["1MB"])
def tiny_tmpfs(request, tmp_path):
    yield from _mounted(tmp_path / request.param[0], request.param[1])


@pytest.fixture(params=[("ro", "ro,size=1m")], ids=["read-only"])
def read_only_tmpfs(request, tmp_path):
    yield from _mounted(tmp_path / request.param[0], request.param[1])


def _mounted(target: Path, options: str):
    _mount(target, options)
    yield target
    subprocess.run(["umount", "-l", str(target)], capture_output=True)


def test_a_full_disk_for_real(tiny_tmpfs, capsys):
    (tiny_tmpfs / "fill").write_bytes(b"\0" * (1024 * 1024 - 64 * 1024))
    status, err = _cli(capsys, "run", TASKS, *TASKS_SET, "--out", str(tiny_tmpfs / "r"), "--quiet")
    line = _one_line(err)
    assert status == 2 and ("no space left" in line or "No space left" in line)


def test_a_read_only_file_system_for_real(read_only_tmpfs, capsys):
    status, err = _cli(capsys, "run", FAST, "--out", str(read_only_tmpfs / "r"), "--quiet")
    assert status == 2 and "read-only" in _one_line(err).lower()
    status, err = _cli(capsys, "sweep", FAST, "--grid", "rho_x=0.1:0.5:2", "--out", str(read_only_tmpfs / "s"),
                       "--quiet", "--workers", "1")
    assert status == 2 and "read-only" in _one_line(err).lower()
