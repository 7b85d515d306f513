"""Sweep overhead: 10^4 points through Dask (LocalCluster, 2 workers) against a serial loop.

Run:  python3 -m pytest benchmarks/test_bench_sweep.py --benchmark-only
``extra_info`` holds points/s and the overhead per point; the probe points do no physics, so
their wall time per point *is* the sweep overhead (scheduling, transfer, persistence, assembly).
"""

import tempfile

import pytest

from nupair.scenarios.huangwu2026_eq15 import Parameters
from nupair.sweep import evaluate_point, overhead_probe, parse_grid_option, run_sweep

FIELDS = Parameters.model_fields
AXES = [parse_grid_option("rho_x=0:1:100", FIELDS), parse_grid_option("rho_z=0:1:100", FIELDS)]


@pytest.mark.benchmark(group="sweep of 10^4 points")
def test_dask_sweep_probe_points(benchmark):
    def run():
        with tempfile.TemporaryDirectory() as d:
            return run_sweep("pairing-two-pair-stability", AXES, out_dir=d, workers=2, evaluate=overhead_probe)

    out = benchmark.pedantic(run, rounds=1, iterations=1)
    assert out.n_done == 10_000
    wall = benchmark.stats.stats.mean
    benchmark.extra_info.update({"points_per_s": 10_000 / wall, "overhead_ms_per_point": 1e3 * wall / 10_000})


@pytest.mark.benchmark(group="sweep of 10^4 points")
def test_dask_sweep_real_points(benchmark):
    def run():
        with tempfile.TemporaryDirectory() as d:
            return run_sweep("pairing-two-pair-stability", AXES, out_dir=d, workers=2)

    out = benchmark.pedantic(run, rounds=1, iterations=1)
    assert out.n_done == 10_000
    benchmark.extra_info["points_per_s"] = 10_000 / benchmark.stats.stats.mean


@pytest.mark.benchmark(group="sweep of 10^4 points")
def test_serial_loop_real_points(benchmark):
    points = [{"rho_x": x, "rho_z": z} for x in AXES[0].values for z in AXES[1].values]

    def run():
        return [evaluate_point("pairing-two-pair-stability", p, 0) for p in points]

    benchmark.pedantic(run, rounds=1, iterations=1)
    benchmark.extra_info["points_per_s"] = 10_000 / benchmark.stats.stats.mean
