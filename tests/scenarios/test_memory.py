"""Memory before time (issue 29, item 5; issue 28, item 4): every scenario estimates its peak
memory beside its time; a run, a sweep or a capability call that would not fit in the memory
this machine has available is refused before it allocates, naming the bytes and what to lower."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import nupair
from nupair import cli, oile, validation
from nupair.scenarios import UserInputError, available, get_scenario

HUGE = ["--set", "n_phi=65536", "--set", "n_save=1000000"]  # (1e6 samples) x (65536 modes): ~8 TB


def test_every_scenario_estimates_its_memory_and_show_prints_it(capsys):
    for name in available():
        s = get_scenario(name)
        need = float(s.memory_bytes(s.parameters()))
        assert 100 * 2**20 < need < 16 * 2**30, name  # the defaults run on a laptop
        for p in s.memory_parameters:
            assert p in s.parameters.model_fields, (name, p)
    assert cli.main(["show", "pairing-multi-phi4"]) == 0
    assert "estimated peak memory with the defaults" in capsys.readouterr().out


def test_a_run_that_cannot_fit_is_refused_before_it_starts(tmp_path, capsys):
    out = tmp_path / "huge"
    assert cli.main(["run", "pairing-multi-phi4", *HUGE, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "bytes" in err and "n_save" in err and "n_phi" in err and "memory" in err
    assert not out.exists()
    with pytest.raises(UserInputError, match="of memory"):
        nupair.run("pairing-multi-phi4", n_phi=65536, n_save=1_000_000)


def test_a_sweep_whose_workers_cannot_fit_is_refused_and_leaves_no_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("NUPAIR_AVAILABLE_MEMORY_BYTES", str(400 * 2**20))  # a small machine
    out = tmp_path / "sw"
    code = cli.main(["sweep", "pairing-two-pair-stability", "--grid", "rho_x=0.1:0.5:2", "--workers", "2",
                     "--out", str(out), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "2 runs at once" in err and not out.exists()


@pytest.mark.parametrize("n", [10**9, 10**10])
def test_the_gas_at_a_billion_neutrinos_is_refused_before_it_allocates(n, monkeypatch):
    monkeypatch.setenv("NUPAIR_AVAILABLE_MEMORY_BYTES", str(24 * 2**30))  # the 24 GB machine
    assert validation.available_memory_bytes() == 24 * 2**30
    gas = oile.TwoGroupGas(n=n)
    with pytest.raises(ValueError, match=r"^n=.*bytes.*lower n"):
        oile.run_two_group(gas, 10, seed=1)


def test_evolve_refuses_a_record_that_cannot_fit():
    from nupair import numerics

    import numpy as np

    with pytest.raises(ValueError, match="t_save.*memory"):
        numerics.evolve(lambda t, y: -y, np.ones(10**6), np.linspace(0.0, 1.0, 10**7))


def _peak(name: str, params: dict) -> tuple[float, float]:
    """(estimated, measured) peak memory [bytes] of one run in a fresh process."""
    code = ("import json, resource, sys, nupair\n"
            "from nupair.scenarios import get_scenario\n"
            "from nupair.scenarios._parameters import resolve_parameters\n"
            "name, params = sys.argv[1], json.loads(sys.argv[2])\n"
            "values, _ = resolve_parameters(get_scenario(name), params, seed=0)\n"
            "est = float(get_scenario(name).memory_bytes(values))\n"
            "nupair.run(name, allow_expensive=True, **params)\n"
            "print(json.dumps([est, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024]))\n")
    proc = subprocess.run([sys.executable, "-c", code, name, json.dumps(params)], capture_output=True, text=True,
                          timeout=600, env=dict(os.environ, MPLBACKEND="Agg"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    est, peak = json.loads(proc.stdout.strip().splitlines()[-1])
    return est, peak


def test_the_estimate_holds_for_a_large_gas():
    est, peak = _peak("oile-two-group", {"n_neutrinos": 3_000_000, "t_end_mu": 1.0, "settle_time_mu": 0.5})
    assert 0.5 <= est / peak <= 2.0, (est, peak)


@pytest.mark.slow
@pytest.mark.parametrize("name, params", [
    ("pairing-multi-phi4", {"n_phi": 1024, "t_end_MeV": 20.0, "n_save": 8001, "checkpoint_interval_MeV": 20.0}),
    ("pairing-multi-phi4", {"n_phi": 1024, "t_end_MeV": 20.0, "n_save": 2001, "checkpoint_interval_MeV": 20.0}),
    ("oile-convergence", {"n_min": 1_000_000, "n_max": 20_000_000, "t_end_mu": 2.0}),
    ("oile-foreground", {"n_ensemble": 2_000_000, "n_gamma": 2, "max_encounters": 200}),
    ("renp-spectrum", {"n_omega": 1_000_000}),
    ("forces-potentials", {"n_r": 1_000_000}),
])
def test_the_estimates_hold_where_memory_matters(name, params):
    est, peak = _peak(name, params)
    assert 0.5 <= est / peak <= 2.0, (est, peak)


def test_estimate_points_file_names_real_parameters():
    import tomllib

    points = tomllib.loads((Path(__file__).parents[2] / "benchmarks" / "estimate_points.toml").read_text())["point"]
    for p in points:
        fields = get_scenario(p["scenario"]).parameters.model_fields
        assert set(p.get("params", {})) <= set(fields), p
