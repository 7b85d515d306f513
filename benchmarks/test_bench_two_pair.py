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
