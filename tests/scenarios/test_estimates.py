"""Time estimates that hold across the declared ranges, not only at the defaults (issue 28, item 2).

The fuzz runs of the trust issue found oile-two-group estimated at ~3 s and running 25 s to past
120 s: the mean map's per-step loop, the mean-field ODE at large frequencies or matter terms,
and the miscidynamic path at large gamma t were not in the estimate. Each point runs in a fresh
process (``nupair.run`` in memory, import and compiled-kernel loading included), as a user's run
would; the estimate must lie within [0.5, 2] of the wall time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

_CHILD = ("import json, sys, time\n"
          "t0 = time.perf_counter()\n"
          "import nupair\n"
          "from nupair.scenarios import get_scenario\n"
          "from nupair.scenarios._parameters import resolve_parameters\n"
          "name, params = sys.argv[1], json.loads(sys.argv[2])\n"
          "values, _ = resolve_parameters(get_scenario(name), params, seed=0)\n"
          "est = float(get_scenario(name).cost_s(values))\n"
          "nupair.run(name, allow_expensive=True, **params)\n"
          "print(json.dumps([est, time.perf_counter() - t0]))\n")


def _estimate_and_wall(name: str, params: dict) -> tuple[float, float]:
    """(estimate, wall) [s] of one run in a fresh process. The estimates describe an installed
    package whose disk-cached kernels exist (the first run after installing compiles them once):
    the tests before this one have run every scenario in this installation, so they do."""
    proc = subprocess.run([sys.executable, "-c", _CHILD, name, json.dumps(params)], capture_output=True,
                          text=True, timeout=900, env=dict(os.environ, MPLBACKEND="Agg"))
    assert proc.returncode == 0, proc.stderr[-2000:]
    return tuple(json.loads(proc.stdout.strip().splitlines()[-1]))


_QUICK = [("forces-atomic", {}), ("forces-potentials", {"n_r": 20000}), ("gradient-star", {}),
          ("pairing-two-pair-stability", {}), ("renp-spectrum", {}), ("oile-foreground", {"n_ensemble": 500}),
          # the first fuzz point scaled down: N = 28 over a long time (per-step costs dominate)
          ("oile-two-group", {"n_neutrinos": 28, "t_end_mu": 600.0})]


@pytest.fixture(scope="module")
def quick_ratios() -> dict:
    """est / wall of every quick point, measured one after the other in this run."""
    return {name: _estimate_and_wall(name, params) for name, params in _QUICK}


def _machine_factor(ratios: dict) -> float:
    """The median est / wall of the sample: how fast this machine is against the one the estimates
    were calibrated on (a shared 2-core VM runs 2-3x slower at busy times; the estimates cannot
    know that, but they must agree with each other)."""
    return float(np.median([est / wall for est, wall in ratios.values()]))


@pytest.mark.parametrize("name", [n for n, _ in _QUICK])
def test_quick_scenarios_are_estimated_within_a_factor_2(name, quick_ratios):
    """A fixed sample of the cheap scenarios (the whole table: benchmarks/estimates.py): each
    estimate within a factor 2 of its wall time once the machine's speed (the sample's median
    ratio) is divided out, and that speed within a factor 4 of the calibration machine's."""
    est, wall = quick_ratios[name]
    factor = _machine_factor(quick_ratios)
    assert 0.25 <= factor <= 4.0, factor
    assert 0.5 <= est / wall / factor <= 2.0, (est, wall, factor)


@pytest.mark.slow
@pytest.mark.parametrize("params", [
    {"n_neutrinos": 28, "t_end_mu": 3000.0},                                      # fuzz: 3.2 s estimated, 25 s run
    {"n_neutrinos": 240, "gamma": 1.399, "fraction_a": 0.30},                     # fuzz: past 120 s
    {"n_neutrinos": 240, "omega_a": 50.0, "omega_b": -80.0, "p_a": [0.3, -0.5, 0.6], "p_b": [-0.2, 0.7, 0.1],
     "t_end_mu": 100.0},                                                          # fuzz: large |omega_b|
    {"n_neutrinos": 240, "matter_mu": 500.0, "t_end_mu": 50.0},
    {"n_neutrinos": 1000, "gamma": 1.0, "t_end_mu": 3000.0, "p_a": [0.5, 0.5, 0.5], "p_b": [0.1, -0.6, 0.2]},
    {},
])
def test_two_group_estimates_hold_at_the_corners(params):
    est, wall = _estimate_and_wall("oile-two-group", params)
    assert 0.5 <= est / wall <= 2.0, (est, wall)
