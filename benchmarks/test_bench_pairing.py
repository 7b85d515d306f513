"""N-mode pairing: O(N) moment right-hand side against the O(N^2) double sum, NumPy against
Numba, and the compiled DOP853 against solve_ivp, each pair measured in the same run.

Run:  python3 -m pytest benchmarks/ --benchmark-only --benchmark-group-by=group
Ratios within a group are the figures to quote; ``extra_info`` carries mode-updates per second.
"""

import numpy as np
import pytest

from nupair import pairing
from nupair.numerics import Adaptive, JitDOP853
from nupair.pairing._kernels import rhs_flat
from tests.pairing._reference import naive_rhs

PARAMS = pairing.PairingParams(1e-6)


def setup(shape):
    grid = pairing.Grid(*shape)
    rng = np.random.default_rng(0)
    y = np.concatenate([rng.uniform(0, 1, (2, grid.n_modes)), rng.normal(0, 1e-3, (2, grid.n_modes))])
    args = (grid.energy_MeV, grid.weights(PARAMS.coupling_per_MeV2), np.ascontiguousarray(grid.p_hat),
            np.ascontiguousarray(grid.eps.real), np.ascontiguousarray(grid.eps.imag))
    return grid, y, args


GRID_1E4, Y_1E4, ARGS_1E4 = setup((10, 10, 100))
GRID_1E5, Y_1E5, ARGS_1E5 = setup((25, 20, 200))


@pytest.mark.benchmark(group="pairing rhs, N = 1e4")
def test_rhs_moments_numpy_1e4(benchmark):
    benchmark(pairing.rhs, Y_1E4, GRID_1E4, PARAMS)
    benchmark.extra_info["mode_updates_per_s"] = GRID_1E4.n_modes / benchmark.stats.stats.mean


@pytest.mark.benchmark(group="pairing rhs, N = 1e4")
def test_rhs_moments_numba_1e4(benchmark):
    flat = Y_1E4.ravel().copy()
    rhs_flat(0.0, flat, ARGS_1E4)  # compile outside the timing
    benchmark(rhs_flat, 0.0, flat, ARGS_1E4)
    benchmark.extra_info["mode_updates_per_s"] = GRID_1E4.n_modes / benchmark.stats.stats.mean


@pytest.mark.benchmark(group="pairing rhs, N = 1e4")
def test_rhs_double_sum_reference_1e4(benchmark):
    out = benchmark.pedantic(naive_rhs, args=(Y_1E4, GRID_1E4, PARAMS.coupling_per_MeV2), rounds=2, iterations=1)
    ref = pairing.rhs(Y_1E4, GRID_1E4, PARAMS)
    assert np.max(np.abs(out - ref)) <= 1e-12 * np.max(np.abs(ref))


@pytest.mark.benchmark(group="pairing rhs, N = 1e5")
def test_rhs_moments_numpy_1e5(benchmark):
    benchmark(pairing.rhs, Y_1E5, GRID_1E5, PARAMS)
    benchmark.extra_info["mode_updates_per_s"] = GRID_1E5.n_modes / benchmark.stats.stats.mean


@pytest.mark.benchmark(group="pairing rhs, N = 1e5")
def test_rhs_moments_numba_1e5(benchmark):
    flat = Y_1E5.ravel().copy()
    rhs_flat(0.0, flat, ARGS_1E5)
    benchmark(rhs_flat, 0.0, flat, ARGS_1E5)
    benchmark.extra_info["mode_updates_per_s"] = GRID_1E5.n_modes / benchmark.stats.stats.mean


PHI4 = pairing.Grid(1, 1, 4)
STATE = pairing.hw_initial_state(PHI4, seed=0)


@pytest.mark.benchmark(group="HW (1,1,4) evolution to t = 300 MeV^-1")
def test_evolve_jit_dop853(benchmark):
    pairing.evolve(STATE, PHI4, PARAMS, 1.0, n_save=2)  # compile outside the timing
    benchmark.pedantic(pairing.evolve, args=(STATE, PHI4, PARAMS, 300.0),
                       kwargs={"n_save": 31, "solver": JitDOP853(1e-10, 1e-12)}, rounds=3, iterations=1)


@pytest.mark.benchmark(group="HW (1,1,4) evolution to t = 300 MeV^-1")
def test_evolve_scipy_dop853(benchmark):
    benchmark.pedantic(pairing.evolve, args=(STATE, PHI4, PARAMS, 300.0),
                       kwargs={"n_save": 31, "solver": Adaptive("DOP853", 1e-10, 1e-12)}, rounds=1, iterations=1)
