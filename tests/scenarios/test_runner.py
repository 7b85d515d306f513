"""Runner: config round trip, checkpoint/resume, atomic outputs."""

import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import xarray as xr

from nupair.scenarios.runner import run_scenario

QUICK = {"mu_over_energy": 1e-2, "t_end_mu": 6.0, "n_save": 301, "checkpoint_interval_mu": 0.5,
         "seed_amplitude": 1e-6}


def _load(path):
    with xr.open_dataset(path / "result.nc", engine="h5netcdf") as ds:
        return ds.load()


def test_interrupted_run_resumes_to_the_same_result(tmp_path):
    full = run_scenario("pairing-two-pair", QUICK, out_dir=tmp_path / "full", seed=7)

    class Stop(Exception):
        pass

    def interrupt(fraction, description=""):
        if fraction > 0.6:  # inside case B, after several checkpoints
            raise Stop

    with pytest.raises(Stop):
        run_scenario("pairing-two-pair", QUICK, out_dir=tmp_path / "cut", seed=7, progress=interrupt)
    assert (tmp_path / "cut" / "checkpoint.pkl").exists()
    assert not (tmp_path / "cut" / "result.nc").exists()
    resumed = run_scenario("pairing-two-pair", QUICK, out_dir=tmp_path / "cut", seed=7, resume=True)
    assert resumed.resumed
    a, b = _load(full.out_dir), _load(resumed.out_dir)
    for name in ("rho_x", "kappa_x_re", "kappa_z_im", "delta_kappa"):
        assert np.array_equal(a[name].values, b[name].values), name


def test_resume_with_other_parameters_is_refused(tmp_path):
    def interrupt(fraction, description=""):
        if fraction > 0.2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_scenario("pairing-two-pair", QUICK, out_dir=tmp_path, seed=1, progress=interrupt)
    from nupair.scenarios import UserInputError

    with pytest.raises(UserInputError, match="checkpoint"):
        run_scenario("pairing-two-pair", QUICK, out_dir=tmp_path, seed=2, resume=True)


def test_config_round_trip(tmp_path):
    first = run_scenario("pairing-two-pair", QUICK, out_dir=tmp_path / "a", seed=3)
    again = run_scenario("pairing-two-pair", config_path=first.out_dir / "config.toml",
                         out_dir=tmp_path / "b")
    assert again.summary["seed"] == 3 and again.summary["parameters"] == first.summary["parameters"]
    assert np.array_equal(_load(first.out_dir)["rho_z"].values, _load(again.out_dir)["rho_z"].values)


def test_seed_changes_stochastic_run(tmp_path):
    a = run_scenario("pairing-two-pair", QUICK, out_dir=tmp_path / "a", seed=1)
    b = run_scenario("pairing-two-pair", QUICK, out_dir=tmp_path / "b", seed=2)
    assert not np.array_equal(_load(a.out_dir)["kappa_x_re"].values, _load(b.out_dir)["kappa_x_re"].values)


def test_killed_process_leaves_no_truncated_output_and_resumes(tmp_path):
    params = dict(QUICK, t_end_mu=40.0, checkpoint_interval_mu=0.25)
    sets = [f"--set={k}={v}" for k, v in params.items()]
    cmd = [sys.executable, "-m", "nupair", "run", "pairing-two-pair", *sets, "--quiet", "--seed", "5"]
    proc = subprocess.Popen(cmd + ["--out", str(tmp_path / "killed")], start_new_session=True)
    ckpt = tmp_path / "killed" / "checkpoint.pkl"
    deadline = time.time() + 60
    while not ckpt.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert ckpt.exists(), "the run finished or failed before it could be killed"
    assert not (tmp_path / "killed" / "result.nc").exists()
    assert not (tmp_path / "killed" / "summary.json").exists()
    assert subprocess.run(cmd + ["--out", str(tmp_path / "killed"), "--resume"]).returncode == 0
    assert subprocess.run(cmd + ["--out", str(tmp_path / "clean")]).returncode == 0
    a, b = _load(tmp_path / "killed"), _load(tmp_path / "clean")
    assert np.array_equal(a["kappa_z_re"].values, b["kappa_z_re"].values)


@pytest.mark.parametrize("name, params", [
    ("pairing-multi-phi4", {"t_end_MeV": 200.0, "n_save": 201, "checkpoint_interval_MeV": 20.0}),
    ("pairing-energy-bins", {"n_energy_max": 3, "t_end_MeV": 200.0, "n_save": 101,
                             "checkpoint_interval_MeV": 20.0}),
])
def test_multi_pair_scenarios_resume_bit_identically(name, params, tmp_path):
    full = run_scenario(name, params, out_dir=tmp_path / "full", seed=4)

    def interrupt(fraction, description=""):
        if fraction > 0.55:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_scenario(name, params, out_dir=tmp_path / "cut", seed=4, progress=interrupt)
    resumed = run_scenario(name, params, out_dir=tmp_path / "cut", seed=4, resume=True)
    a, b = _load(full.out_dir), _load(resumed.out_dir)
    assert np.array_equal(a["mean_abs_kappa"].values, b["mean_abs_kappa"].values)
    assert resumed.summary["max_growth_rate_MeV"] == full.summary["max_growth_rate_MeV"]


def test_a_half_written_checkpoint_of_a_killed_run_does_not_block_resume(tmp_path):
    # a SIGKILL during io.atomic_write leaves ".checkpoint.pkl.XXXX.tmp" next to the last whole checkpoint
    def interrupt(fraction, description=""):
        if fraction > 0.6:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_scenario("pairing-two-pair", QUICK, out_dir=tmp_path, seed=7, progress=interrupt)
    (tmp_path / ".checkpoint.pkl.abc123.tmp").write_bytes(b"torn")
    done = run_scenario("pairing-two-pair", QUICK, out_dir=tmp_path, seed=7, resume=True)
    assert done.resumed and not (tmp_path / ".checkpoint.pkl.abc123.tmp").exists()
