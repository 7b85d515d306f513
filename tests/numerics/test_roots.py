"""power_law_root against pure power laws (exact roots) and its failure statuses."""

import math

import pytest

from nupair.numerics import power_law_root
from nupair.results import Status


@pytest.mark.parametrize("k, c, power, power_range", [(2.0, 3e5, 2.0, (0.5, 4.0)), (4.0, 1e-3, 2.0, (0.5, 4.0)),
                                                      (1.0, 2.0, 1.0, (0.05, 1.0)), (0.3, 5.0, 1.0, (0.05, 1.0))])
def test_pure_power_laws(k, c, power, power_range):
    target = 9.0
    r = power_law_root(lambda p: c * p**k, 1.0, target, tol=1e-10, power=power, power_range=power_range, max_step=1e6)
    assert r.ok and r.value == pytest.approx((target / c) ** (1 / k), rel=1e-9)
    assert r.iterations < 15


def test_non_finite_and_no_convergence():
    assert power_law_root(lambda p: math.nan, 1.0, 9.0).status is Status.NON_FINITE
    # a statistic that never reaches the target within the step budget
    r = power_law_root(lambda p: 1.0 - 1.0 / (1.0 + p), 1.0, 9.0, max_iter=5)
    assert r.status is Status.MAX_ITERATIONS_REACHED and not r.ok
    with pytest.raises(ValueError, match="start"):
        power_law_root(lambda p: p, -1.0, 9.0)


def test_phase_along_segment_counts_zeros_by_the_argument_principle():
    """The phase of p(z) = (z - 0.3j)(z + 0.2 - 0.1j)(z - 2) around the unit square's boundary turns
    by 2 pi times the number of zeros inside (two of three), from two coarse samples per edge."""
    import numpy as np

    from nupair.numerics import phase_along_segment
    from nupair.results import SolverError

    def p(z):
        return (z - 0.3j) * (z + 0.2 - 0.1j) * (z - 2.0)

    corners = [1 - 1j, 1 + 1j, -1 + 1j, -1 - 1j, 1 - 1j]
    total = 0.0
    for z0, z1 in zip(corners[:-1], corners[1:]):
        t = np.array([0.0, 1.0])
        _, phase = phase_along_segment(p, z0, z1, t, p(z0 + (z1 - z0) * t))
        total += phase[-1]
    assert abs(total / (2 * np.pi) - 2.0) < 1e-12
    with pytest.raises(SolverError, match="contour"):  # a zero on the segment: no count is returned
        t = np.array([0.0, 1.0])
        phase_along_segment(lambda z: z - 0.3j, -1 + 0.3j, 1 + 0.3j, t, 2 * t - 1.0 + 0j)
