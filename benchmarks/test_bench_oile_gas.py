"""The two-group gas end to end (matching, encounters, precession, records, seed), one run.

Run:  python3 -m pytest benchmarks/test_bench_oile_gas.py --benchmark-only --benchmark-group-by=group
Each benchmark stores ``encounters_per_s`` in extra_info; the group compares, in the same run:
the bucket-shuffle kernel on one and on two threads (``run_two_group``, engine "numba"), the
earlier permutation-and-gather engine, the encounter kernel alone on pre-gathered pairs (the
memory-bandwidth yardstick: no matching, no precession), and the usual NumPy Monte Carlo with a
4 x 4 unitary per encounter (a Python loop over pairs; measured on 2000 pairs). Each rate's
``extra_info`` carries its ratio to every rate measured before it in the same run
(the bucket-shuffle rates: ``ratio_to_kernel_alone``, ``ratio_to_numpy_unitary``,
``ratio_to_permutation_engine``); ``test_thread_scaling_interleaved``
stores the two-over-one-thread ratio.
"""

import numba
import numpy as np
import pytest

from nupair import flavor, oile
from nupair.oile.encounter import encounter_adjacent_inplace
from tests.oile._reference import encounter_expm

N = 1_000_000
STEPS = 200
GAS = oile.TwoGroupGas(n=N, gamma=0.01, omega_a=0.3, omega_b=-0.4)
RESULTS = {}


def _run_gas(engine, threads):
    old = numba.get_num_threads()
    numba.set_num_threads(threads)
    try:
        return oile.run_two_group(GAS, STEPS, seed=1, save_every=10, engine=engine, return_state=False)
    finally:
        numba.set_num_threads(old)


def _record(benchmark, name, encounters):
    rate = encounters / benchmark.stats.stats.mean
    RESULTS[name] = rate
    benchmark.extra_info["encounters_per_s"] = rate
    for other, value in RESULTS.items():
        benchmark.extra_info[f"ratio_to_{other}"] = rate / value


@pytest.mark.benchmark(group="two-group gas, N = 1e6, end to end")
def test_kernel_alone_adjacent_pairs(benchmark):
    """Bandwidth yardstick: encounters of pre-gathered adjacent pairs, nothing else."""
    p = np.random.default_rng(0).normal(size=(N, 3)) * 0.5
    encounter_adjacent_inplace(p, 0.99, 0.01, 0.099)
    benchmark(encounter_adjacent_inplace, p, 0.99, 0.01, 0.099)
    _record(benchmark, "kernel_alone", N // 2)


@pytest.mark.benchmark(group="two-group gas, N = 1e6, end to end")
def test_numpy_unitary_monte_carlo_2000_pairs(benchmark):
    """The usual way: per encounter, U = exp(-i gamma S) on rho_a (x) rho_b, partial traces."""
    rng = np.random.default_rng(0)
    p = rng.normal(size=(4000, 3))
    p /= np.maximum(1.0, np.linalg.norm(p, axis=1))[:, None]
    rho = flavor.bloch_to_density(p)

    def one_step():
        perm = rng.permutation(4000)
        for k in range(2000):
            a, b = perm[2 * k], perm[2 * k + 1]
            rho[a], rho[b] = encounter_expm(rho[a], rho[b], 0.01)

    benchmark.pedantic(one_step, rounds=2, iterations=1)
    _record(benchmark, "numpy_unitary", 2000)


@pytest.mark.benchmark(group="two-group gas, N = 1e6, end to end")
def test_permutation_engine(benchmark):
    _run_gas("permutation", 1)
    benchmark.pedantic(_run_gas, args=("permutation", 1), rounds=2, iterations=1)
    _record(benchmark, "permutation_engine", STEPS * (N // 2))


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.benchmark(group="two-group gas, N = 1e6, end to end")
def test_bucket_shuffle_engine(benchmark, threads):
    _run_gas("numba", threads)  # compile outside the timing
    benchmark.pedantic(_run_gas, args=("numba", threads), rounds=3, iterations=1)
    _record(benchmark, f"bucket_shuffle_{threads}_threads", STEPS * (N // 2))


@pytest.mark.benchmark(group="two-group gas, N = 1e6, end to end")
def test_thread_scaling_interleaved(benchmark):
    """One and two threads alternated (1, 2, 1, 2, ...), so that a drift of the shared machine
    (frequency, neighbours) hits both alike; extra_info holds the medians and their ratio."""
    import time

    def timed(threads):
        start = time.perf_counter()
        _run_gas("numba", threads)
        return STEPS * (N // 2) / (time.perf_counter() - start)

    timed(1), timed(2)
    rates = {1: [], 2: []}
    for _ in range(4):
        for threads in (1, 2):
            rates[threads].append(timed(threads))
    benchmark.pedantic(_run_gas, args=("numba", 2), rounds=1, iterations=1)
    one, two = float(np.median(rates[1])), float(np.median(rates[2]))
    benchmark.extra_info.update({"encounters_per_s_1_thread": one, "encounters_per_s_2_threads": two,
                                 "two_over_one_thread": two / one})
