"""Two-pair right-hand side: the fast path against the reference implementation, same run.

Run:  python3 -m pytest benchmarks/ --benchmark-only --benchmark-group-by=group
Compare the 'mean' column within a group: the ratio is the speed-up on this machine.
"""

import numpy as np
import pytest

from nupair import pairing
from tests.pairing.test_two_pair import reference_rhs

Y = np.array([0.9, 0.6, 0.2, 0.1, 0.01, -0.02, 0.03, 0.005])
MU, ENERGY = 1.0, 1000.0


@pytest.mark.benchmark(group="two-pair rhs, one system")
def test_rhs_fast(benchmark):
    out = benchmark(pairing.two_pair_rhs, 0.0, Y, MU, ENERGY)
    assert np.allclose(out, reference_rhs(Y, MU, ENERGY), atol=1e-12)


@pytest.mark.benchmark(group="two-pair rhs, one system")
def test_rhs_reference_commutator(benchmark):
    benchmark(reference_rhs, Y, MU, ENERGY)


YS = np.repeat(Y[:, None], 10_000, axis=1)


@pytest.mark.benchmark(group="two-pair rhs, 10^4 systems")
def test_rhs_vectorized_10k(benchmark):
    benchmark(pairing.two_pair_rhs, 0.0, YS, MU, ENERGY)


@pytest.mark.benchmark(group="two-pair rhs, 10^4 systems")
def test_rhs_loop_10k(benchmark):
    benchmark.pedantic(lambda: [pairing.two_pair_rhs(0.0, YS[:, k], MU, ENERGY) for k in range(YS.shape[1])],
                       rounds=3, iterations=1)


T_SAVE = np.linspace(0.0, 15.0, 1501)  # HW Fig. 1 at mu/E = 1e-3, case A


def _evolve_compiled():
    from nupair.numerics import JitDOP853, evolve
    from nupair.pairing._kernels import two_pair_rhs_flat

    y0 = pairing.two_pair_initial_state(1.0, 1.0, 0.0, 0.0)
    return evolve(two_pair_rhs_flat, y0, T_SAVE, solver=JitDOP853(rtol=1e-10, atol=1e-12), args=(MU, ENERGY)).y


def _evolve_solve_ivp():
    from nupair.numerics import Adaptive, evolve

    y0 = pairing.two_pair_initial_state(1.0, 1.0, 0.0, 0.0)
    return evolve(pairing.two_pair_rhs, y0, T_SAVE, solver=Adaptive("DOP853", rtol=1e-10, atol=1e-12),
                  args=(MU, ENERGY)).y


@pytest.mark.benchmark(group="two-pair evolution, HW Fig. 1 case A (15/mu at mu/E = 1e-3)")
def test_evolution_compiled(benchmark):
    """What two_pair_evolve runs (compiled DOP853; compilation outside the timing) against the
    solve_ivp reference measured in the same run; ratio in extra_info."""
    import time

    _evolve_compiled()  # compile once
    y = benchmark.pedantic(_evolve_compiled, rounds=5, iterations=1)
    t0 = time.perf_counter()
    y_ref = _evolve_solve_ivp()
    reference_s = time.perf_counter() - t0
    assert np.max(np.abs(y - y_ref)) < 1e-6  # the same trajectory to the tolerance
    benchmark.extra_info["ratio_to_solve_ivp"] = reference_s / benchmark.stats.stats.mean
