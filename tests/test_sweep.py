"""Parameter sweeps on Dask: grids, correctness, failures, kill/resume, external scheduler, CLI."""

import os
import signal
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

from nupair import pairing
from nupair.cli import main
from nupair.scenarios import UserInputError
from nupair.scenarios.huangwu2026_eq15 import Parameters
from nupair.sweep import evaluate_point, load_sweep, parse_grid_option, run_sweep

FIELDS = Parameters.model_fields
AXES = [parse_grid_option("rho_x=0:1:4", FIELDS), parse_grid_option("rho_z=0.1,0.9", FIELDS)]
FIXED = {"rhobar_x": 0.5, "rhobar_z": 0.5}


def test_grid_parsing():
    assert parse_grid_option("rho_x=0:1:3", FIELDS).values == (0.0, 0.5, 1.0)
    assert parse_grid_option("mu_over_energy=1e-4:1e-2:3:log", FIELDS).values == pytest.approx((1e-4, 1e-3, 1e-2))
    assert parse_grid_option("rho_z=0.1, 0.9", FIELDS).values == (0.1, 0.9)


@pytest.mark.parametrize("text, message", [("rho_y=0:1:3", "unknown parameter 'rho_y'"), ("rho_x=", "empty"),
                                           ("rho_x=0:1", "start:stop:num"), ("rho_x=a:1:3", "numbers"),
                                           ("rho_x=0:1:0", "num = 0"), ("mu_over_energy=0:1:3:log", "log range"),
                                           ("rho_x", "expected key")])
def test_grid_errors(text, message):
    with pytest.raises(UserInputError, match=message):
        parse_grid_option(text, FIELDS)


@pytest.fixture(scope="module")
def local_sweep(tmp_path_factory):
    out = tmp_path_factory.mktemp("sweep")
    outcome = run_sweep("pairing-two-pair-stability", AXES, FIXED, out_dir=out, workers=2)
    return outcome, load_sweep(out)


def test_sweep_values_equal_direct_evaluation(local_sweep):
    outcome, ds = local_sweep
    assert outcome.n_points == 8 and outcome.n_done == 8 and outcome.n_failed == 0
    assert ds["growth_rate_over_mu"].dims == ("rho_x", "rho_z")
    for i, rx in enumerate(ds["rho_x"].values):
        for j, rz in enumerate(ds["rho_z"].values):
            expect = pairing.two_pair_growth_rate(rx, 0.5, rz, 0.5, 1.0, 1e3)
            assert ds["growth_rate_over_mu"].values[i, j] == pytest.approx(expect, rel=1e-12, abs=1e-15)
    assert set(ds["status"].values.ravel()) == {"done"}
    assert load_sweep(outcome.dataset_path).identical(ds)  # the file itself opens too
    for key in ("nupair_version", "scenario", "parameters_toml", "seed"):
        assert key in ds.attrs


def test_failing_points_are_recorded_not_fatal(tmp_path):
    out = run_sweep("pairing-two-pair-stability", AXES, FIXED, out_dir=tmp_path, workers=1, timeout_s=1e-9)
    ds = load_sweep(tmp_path)
    assert out.n_failed == 8 and all(s.startswith("failed: time-out") for s in ds["status"].values.ravel())
    rec = evaluate_point("pairing-two-pair-stability", {"rho_x": 2.0}, 0)
    assert rec["status"].startswith("failed:") and "rho_x" in rec["status"]


def test_zarr_output(tmp_path):
    run_sweep("pairing-two-pair-stability", [AXES[0]], FIXED, out_dir=tmp_path, workers=1, fmt="zarr")
    assert (tmp_path / "sweep.zarr").is_dir() and load_sweep(tmp_path)["rho_x"].size == 4


def test_unreachable_scheduler_fails_fast(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    t0 = time.time()
    with pytest.raises(UserInputError, match="cannot connect"):
        run_sweep("pairing-two-pair-stability", AXES, FIXED, out_dir=tmp_path / "never",
                  scheduler=f"tcp://127.0.0.1:{port}")
    assert time.time() - t0 < 10
    assert not (tmp_path / "never").exists()  # nothing written


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_external_scheduler_and_two_workers(tmp_path, local_sweep):
    port = _free_port()
    addr = f"tcp://127.0.0.1:{port}"
    procs = [subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              start_new_session=True)]
    try:
        time.sleep(1.0)
        for _ in range(2):
            procs.append(subprocess.Popen([sys.executable, "-m", "dask", "worker", addr, "--nthreads", "1",
                                           "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True))
        from distributed import Client

        with Client(addr, timeout="20s") as client:
            client.wait_for_workers(2, timeout=60)
        run_sweep("pairing-two-pair-stability", AXES, FIXED, out_dir=tmp_path, scheduler=addr)
        remote, local = load_sweep(tmp_path), local_sweep[1]
        assert np.array_equal(remote["growth_rate_over_mu"].values, local["growth_rate_over_mu"].values)
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            p.wait(timeout=30)


def test_kill_and_resume_gives_the_same_dataset(tmp_path):
    grid = ["--grid", "rho_x=0:1:80", "--grid", "rho_z=0:1:80"]  # 6400 points: seconds of work left to kill
    cmd = [sys.executable, "-m", "nupair", "sweep", "pairing-two-pair-stability", *grid, "--set", "rhobar_x=0.5",
           "--set", "rhobar_z=0.5", "--workers", "1", "--quiet"]
    killed = tmp_path / "killed"
    proc = subprocess.Popen(cmd + ["--out", str(killed)], start_new_session=True)
    points = killed / "points.jsonl"
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if points.exists() and points.stat().st_size > 0:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert points.exists(), "the sweep never wrote a point before being killed"
    assert not (killed / "sweep.nc").exists()
    partial = sum(1 for _ in open(points))
    assert subprocess.run(cmd + ["--out", str(killed), "--resume"]).returncode == 0
    assert subprocess.run(cmd + ["--out", str(tmp_path / "clean")]).returncode == 0
    a, b = load_sweep(killed), load_sweep(tmp_path / "clean")
    assert np.array_equal(a["growth_rate_over_mu"].values, b["growth_rate_over_mu"].values)
    assert np.array_equal(a["status"].values, b["status"].values)
    assert 0 < partial < 6400


@pytest.mark.parametrize("args, message", [
    (["--grid", "rho_q=0:1:3"], "unknown parameter 'rho_q'"),
    (["--grid", "rho_x=1:0"], "start:stop:num"),
    (["--grid", "rho_x="], "empty"),
    (["--grid", "rho_x=0:2:3"], "rho_x"),
])
def test_cli_bad_sweep_input(args, message, tmp_path, capsys):
    code = main(["sweep", "pairing-two-pair-stability", *args, "--out", str(tmp_path / "o"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_cli_plot(local_sweep, capsys):
    outcome, _ = local_sweep
    assert main(["plot", str(outcome.out_dir), "--var", "growth_rate_over_mu"]) == 0
    assert (outcome.out_dir / "sweep.png").stat().st_size > 0


@pytest.mark.slow  # ~20 s: a Dask cluster starts and is interrupted
def test_ctrl_c_on_a_sweep_is_one_line_and_exit_130(tmp_path):
    """Issue 27, item 6: Ctrl-C (SIGINT to the terminal's process group, workers included) stops a
    sweep with the run's kind of line (what is kept, how to continue), no worker tracebacks."""
    out = tmp_path / "sw"
    cmd = [sys.executable, "-m", "nupair", "sweep", "pairing-two-pair", "--grid", "mu_over_energy=1e-5:2e-5:4",
           "--set", "t_end_mu=30", "--workers", "2", "--out", str(out)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
                            env=dict(os.environ, MPLBACKEND="Agg"))
    lines = []
    while not any("Dask dashboard" in line for line in lines):  # the cluster is up, points are running
        line = proc.stderr.readline()
        assert line, "".join(lines)
        lines.append(line)
    time.sleep(2.0)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    rest = [line for line in err.splitlines() if line.strip()]
    assert proc.returncode == 130
    assert len(rest) == 1 and "sweep interrupted" in rest[0] and "--resume" in rest[0], err
    assert "Traceback" not in err
