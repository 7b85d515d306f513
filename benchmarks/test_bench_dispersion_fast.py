"""Fastest pairing growth rate: the fast dispersion solver (docs/k-modes.md K12-K14) against dense
eigenvalues and today's bisection (pairing.dispersion_growth_rate), at 1e3, 1e4, 1e5 and 1e6
modes in one run, on the continuum study's window profile (B2), N_phi = 4, at g' = 1e-4 MeV^-2
(unstable) and g' = 1e-6 (stable: every solver must search down to its floor).

Dense eigenvalues run at 1e3 only (O(N^3), 1e4 would take an hour) and the bisection at 1e3 and
1e4 (its cost grows like N x samples); the ratios fast/reference are in ``extra_info`` and the
1e6 test records (and prints) the scaling exponent of the fast solver's time in N (target <= 1.1).

Run:  python3 -m pytest benchmarks/test_bench_dispersion_fast.py --benchmark-only --benchmark-group-by=group -s
"""

import time

import numpy as np
import pytest

from nupair import pairing
from nupair.pairing.dispersion_fast import dispersion_rates
from nupair.pairing.linear import dense_rates, linear_parts
from nupair.results import SolverError

pairing_errors = (SolverError,)

SIZES = {1_000: 256, 10_000: 2560, 100_000: 25_600, 1_000_000: 256_000}  # modes -> N_E (N_phi = 4)
TIMES: dict = {}


def _setup(n_modes, coupling):
    grid = pairing.Grid(SIZES[n_modes], 1, 4)
    state = pairing.initial_state_from_occupation(pairing.occupation_profile("window", grid), seed_amplitude=0.0)
    return grid, state, pairing.PairingParams(coupling)


def _fast(grid, state, params):
    return dispersion_rates(linear_parts(state, grid, params), return_eigenvectors=False)


@pytest.mark.parametrize("coupling", [1e-4, 1e-6])
@pytest.mark.parametrize("n_modes", list(SIZES))
def test_fast_dispersion_solver(benchmark, n_modes, coupling):
    grid, state, params = _setup(n_modes, coupling)
    _fast(*_setup(1_000, coupling))  # compile outside the timing
    benchmark.group = f"fastest growth rate, g' = {coupling:g}"
    res = benchmark.pedantic(_fast, args=(grid, state, params), rounds=1, iterations=1)
    TIMES[(coupling, n_modes)] = benchmark.stats.stats.mean
    benchmark.extra_info.update(growth_rate_MeV=res.max_growth_rate, rate_floor_MeV=res.rate_floor_MeV)
    if n_modes == 1_000:
        t0 = time.perf_counter()
        dense = dense_rates(linear_parts(state, grid, params).dense(), False)
        benchmark.extra_info["dense_over_fast"] = (time.perf_counter() - t0) / benchmark.stats.stats.mean
        benchmark.extra_info["dense_growth_rate_MeV"] = dense.max_growth_rate
    if n_modes <= 10_000:
        t0 = time.perf_counter()
        try:
            root = pairing.dispersion_growth_rate(state, grid, params)
            benchmark.extra_info["bisection_over_fast"] = (time.perf_counter() - t0) / benchmark.stats.stats.mean
            benchmark.extra_info["bisection_growth_rate_MeV"] = root.growth_rate_MeV
        except pairing_errors as exc:  # today's bisection can stop on a root on its contour
            benchmark.extra_info["bisection_failed"] = str(exc)[:80]
    ns = [n for n in (10_000, 100_000, 1_000_000) if (coupling, n) in TIMES]
    if n_modes == 1_000_000 and len(ns) >= 2:
        # scaling exponent of the fast solver's time in N, 1e4 -> 1e6 modes (target <= 1.1)
        slope = float(np.polyfit(np.log(ns), np.log([TIMES[(coupling, n)] for n in ns]), 1)[0])
        benchmark.extra_info["scaling_exponent_in_N"] = slope
        print(f"\ng' = {coupling:g}: fast solver time ~ N^{slope:.2f} from 1e4 to 1e6 modes "
              f"({', '.join(f'{TIMES[(coupling, n)]:.2f} s' for n in ns)})")
