"""OILE encounter kernel: Numba in-place pairs vs NumPy vs the dense-expm reference, same run.

Run:  python3 -m pytest benchmarks/ --benchmark-only --benchmark-group-by=group
``extra_info['encounters_per_s']`` is the throughput; ratios within a group are the speed-ups.
"""

import numpy as np
import pytest

from nupair import flavor, oile
from nupair.oile.encounter import encounter_adjacent_inplace, encounter_pairs_inplace, encounter_pairs_numpy
from tests.oile._reference import encounter_expm

N = 1_000_000
RNG = np.random.default_rng(0)
P = RNG.normal(size=(N, 3))
P /= np.maximum(1, np.linalg.norm(P, axis=1))[:, None]
PERM = RNG.permutation(N)
A, B = PERM[0::2].copy(), PERM[1::2].copy()
COEF = tuple(np.full(N // 2, x) for x in oile.encounter_coefficients(0.01))


C2, S2, CS = (float(x) for x in oile.encounter_coefficients(0.01))


@pytest.mark.benchmark(group="2-flavor encounters")
def test_numba_adjacent_pairs(benchmark):
    """The Monte Carlo kernel: particles gathered in matching order, pairs in adjacent rows."""
    p = P[PERM].copy()
    encounter_adjacent_inplace(p, C2, S2, CS)
    benchmark(encounter_adjacent_inplace, p, C2, S2, CS)
    benchmark.extra_info["encounters_per_s"] = (N // 2) / benchmark.stats.stats.mean


@pytest.mark.benchmark(group="2-flavor encounters")
def test_numba_indexed_pairs(benchmark):
    """Pairs by index into the unsorted array (random memory access)."""
    p = P.copy()
    encounter_pairs_inplace(p, A, B, *COEF)  # compile outside the timing
    benchmark(encounter_pairs_inplace, p, A, B, *COEF)
    benchmark.extra_info["encounters_per_s"] = (N // 2) / benchmark.stats.stats.mean


@pytest.mark.benchmark(group="2-flavor encounters")
def test_numpy_pairs(benchmark):
    p = P.copy()
    benchmark(encounter_pairs_numpy, p, A, B, *COEF)
    benchmark.extra_info["encounters_per_s"] = (N // 2) / benchmark.stats.stats.mean


@pytest.mark.benchmark(group="2-flavor encounters")
def test_expm_reference_1000_pairs(benchmark):
    rho = flavor.bloch_to_density(P[:2000])

    def run():
        return [encounter_expm(rho[2 * k], rho[2 * k + 1], 0.01) for k in range(1000)]

    benchmark.pedantic(run, rounds=3, iterations=1)
    benchmark.extra_info["encounters_per_s"] = 1000 / benchmark.stats.stats.mean
