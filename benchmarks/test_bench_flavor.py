"""Pairing with flavor: the two-flavor right-hand side (F8, Numba) against the single-flavor one
at N = 1e4 and 1e5 modes, and against the straightforward O(N^2) double sum (F9), each pair in
the same run. The ratios (``extra_info``) are the figures to quote.

Run:  python3 -m pytest benchmarks/test_bench_flavor.py --benchmark-only --benchmark-group-by=group
"""

import time

import numpy as np
import pytest

from nupair import pairing
from nupair.pairing._flavor_kernels import flavor_rhs_flat
from nupair.pairing._kernels import rhs_flat

PARAMS = pairing.PairingParams(1e-6)


def _setup(n):
    rng = np.random.default_rng(0)
    grid = pairing.Grid.from_modes(rng.uniform(1, 20, n), np.arccos(rng.uniform(-1, 1, n)),
                                   rng.uniform(0, 2 * np.pi, n), rng.uniform(0.5, 2, n))
    single = pairing.initial_state_from_occupation(rng.uniform(0, 1, n), seed=1, seed_amplitude=1e-3)
    state = pairing.FlavorPairState.from_single_flavor(single, 2).with_flavor_seed(1e-3, seed=2)
    system = pairing.FlavorModel.two_flavor(7.4e-5, 0.58).bind(grid, PARAMS)
    _, fargs = system.kernel()
    y_flavor = system._pack(state.generalized())
    _, sargs = pairing.FullModel().bind(grid, PARAMS).kernel()
    return grid, system, state, y_flavor, fargs, single.to_array().ravel().copy(), sargs


def _mean_time(fn, *args, repeat=5):
    fn(*args)
    t0 = time.perf_counter()
    for _ in range(repeat):
        fn(*args)
    return (time.perf_counter() - t0) / repeat


@pytest.mark.parametrize("n", [10_000, 100_000])
def test_two_flavor_rhs_against_single_flavor(benchmark, n):
    """Both compiled kernels, same modes: the ratio is the cost of flavor (O(n_f^3) per mode)."""
    grid, system, state, y, fargs, y1, sargs = _setup(n)
    flavor_rhs_flat(0.0, y, fargs)  # compile outside the timing
    benchmark.group = f"flavor rhs, N = {n:.0e}"
    benchmark(flavor_rhs_flat, 0.0, y, fargs)
    single = _mean_time(rhs_flat, 0.0, y1, sargs, repeat=20)
    benchmark.extra_info["two_flavor_over_single_flavor"] = benchmark.stats.stats.mean / single
    benchmark.extra_info["mode_updates_per_s"] = n / benchmark.stats.stats.mean


@pytest.mark.parametrize("n", [1_000, 4_000])
def test_moments_against_pairwise_double_sum(benchmark, n):
    """O(N) moments (Numba) against the O(N^2) pairwise sum (NumPy, chunked); same result."""
    grid, system, state, y, fargs, _, _ = _setup(n)
    flavor_rhs_flat(0.0, y, fargs)
    benchmark.group = f"flavor rhs vs O(N^2), N = {n:.0e}"
    benchmark(flavor_rhs_flat, 0.0, y, fargs)
    r = state.generalized()
    t0 = time.perf_counter()
    ref = pairing.flavor_rhs_pairwise(r, system.phys)
    pairwise = time.perf_counter() - t0
    fast = system._r(flavor_rhs_flat(0.0, y, fargs))
    assert np.max(np.abs(fast - ref)) <= 1e-12 * np.max(np.abs(ref))
    benchmark.extra_info["ratio_to_pairwise_double_sum"] = pairwise / benchmark.stats.stats.mean
