"""Secular against full pairing equations (docs/secular.md), measured in the same run.

* HW Fig. 2 (1, 1, 4) run at g' = 1e-6 over 1500 MeV^-1 (12/mu'), scenario tolerances: the whole
  evolution (integration and diagnostics), full and secular; extra_info carries the right-hand-side
  counts, whose ratio is the ~(E/mu) speed-up the secular model is for.
* One right-hand-side evaluation at N = 1e5 (Numba kernels), full and secular.

Run:  python3 -m pytest benchmarks/test_bench_secular.py --benchmark-only --benchmark-group-by=group
"""

import numpy as np
import pytest

from nupair import pairing
from nupair.numerics import JitDOP853
from nupair.pairing import secular as sec
from nupair.pairing._kernels import rhs_flat

HW_GRID = pairing.Grid(1, 1, 4, e_max=20.0)
HW_PARAMS = pairing.PairingParams(1e-6)
HW_STATE = pairing.hw_initial_state(HW_GRID, seed=1)


def _run(model):
    return pairing.evolve(HW_STATE, HW_GRID, HW_PARAMS, 1500.0, n_save=101, model=model,
                          solver=JitDOP853(1e-12, 1e-14))


for _model in ("full", "secular"):
    _run(_model)  # compile outside the timing


@pytest.mark.benchmark(group="HW (1,1,4) run at g' = 1e-6, 12/mu'")
@pytest.mark.parametrize("model", ["full", "secular"])
def test_hw_run(benchmark, model):
    evo = benchmark.pedantic(_run, args=(model,), rounds=3, iterations=1)
    benchmark.extra_info["n_rhs"] = evo.stats["n_rhs"]
    assert evo.ok


BIG = pairing.Grid(25, 20, 200, e_max=20.0)
BIG_PARAMS = pairing.PairingParams(1e-6)
_rng = np.random.default_rng(0)
BIG_Y = np.concatenate([_rng.uniform(0, 1, (2, BIG.n_modes)), _rng.normal(0, 1e-3, (2, BIG.n_modes))]).ravel()
FULL_ARGS = (BIG.energy_MeV, BIG.weights(BIG_PARAMS.coupling_per_MeV2), np.ascontiguousarray(BIG.p_hat),
             np.ascontiguousarray(BIG.eps.real), np.ascontiguousarray(BIG.eps.imag))
SEC_ARGS = sec.kernel_args(BIG, BIG_PARAMS, sec.secular_groups(BIG, BIG_PARAMS))


@pytest.mark.benchmark(group="one right-hand side, N = 1e5 (Numba)")
def test_rhs_full_1e5(benchmark):
    rhs_flat(0.0, BIG_Y, FULL_ARGS)
    benchmark(rhs_flat, 0.0, BIG_Y, FULL_ARGS)
    benchmark.extra_info["mode_updates_per_s"] = BIG.n_modes / benchmark.stats.stats.mean


@pytest.mark.benchmark(group="one right-hand side, N = 1e5 (Numba)")
def test_rhs_secular_1e5(benchmark):
    sec.secular_rhs_flat(0.0, BIG_Y, SEC_ARGS)
    benchmark(sec.secular_rhs_flat, 0.0, BIG_Y, SEC_ARGS)
    benchmark.extra_info["mode_updates_per_s"] = BIG.n_modes / benchmark.stats.stats.mean
