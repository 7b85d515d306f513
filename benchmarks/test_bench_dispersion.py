"""Fastest pairing growth rate on one grid: bisection on the dispersion relation (O(N) per point of
the counting contour) against the dense eigen-solver (O(N^3)), same grid, same run.

Run:  python3 -m pytest benchmarks/test_bench_dispersion.py --benchmark-only --benchmark-group-by=group
Grid: the continuum study's window profile (B2), N_E = 256, N_phi = 4 (1024 modes), at the strong
coupling g' = 1e-4 MeV^-2 (unstable) and at HW's 1e-6 (stable: the bisection must sweep the band at
its finest resolution).
"""

import pytest

from nupair import pairing

GRID = pairing.Grid(256, 1, 4)
STATE = pairing.initial_state_from_occupation(pairing.occupation_profile("window", GRID), seed_amplitude=0.0)


@pytest.mark.parametrize("coupling", [1e-4, 1e-6])
@pytest.mark.benchmark(group="fastest growth rate, 1024 modes")
def test_dispersion_bisection(benchmark, coupling):
    root = benchmark.pedantic(pairing.dispersion_growth_rate, args=(STATE, GRID, pairing.PairingParams(coupling)),
                              rounds=2, iterations=1)
    benchmark.extra_info["growth_rate_MeV"] = root.growth_rate_MeV


@pytest.mark.parametrize("coupling", [1e-4, 1e-6])
@pytest.mark.benchmark(group="fastest growth rate, 1024 modes")
def test_dense_eigenvalues(benchmark, coupling):
    res = benchmark.pedantic(pairing.growth_rates, args=(STATE, GRID, pairing.PairingParams(coupling)),
                             kwargs={"method": "dense", "return_eigenvectors": False}, rounds=2, iterations=1)
    benchmark.extra_info["growth_rate_MeV"] = res.max_growth_rate
