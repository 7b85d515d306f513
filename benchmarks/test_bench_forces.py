"""Neutrino-force potentials: vectorized evaluation against a naive per-distance quadrature loop.

Run:  python3 -m pytest benchmarks/test_bench_forces.py --benchmark-only
Compare per-point times: extra_info['us_per_point'].
"""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from nupair import constants as c
from nupair import forces

MASSES = [0.01, 0.0131, 0.0511]
R = np.geomspace(1e-9, 1e-4, 10**6)


@pytest.mark.benchmark(group="Majorana potential with mixing")
def test_vectorized_1e6_points(benchmark):
    forces.potential(R[:10], "electron", "electron", masses_eV=MASSES, nature="majorana")
    benchmark.pedantic(forces.potential, args=(R, "electron", "electron"),
                       kwargs={"masses_eV": MASSES, "nature": "majorana"}, rounds=3, iterations=1)
    benchmark.extra_info["us_per_point"] = 1e6 * benchmark.stats.stats.mean / R.size


def _naive_w(r_m, mi, mj):
    rn = r_m * c.meter

    def rho(t):
        lam = (t - (mi + mj) ** 2) * (t - (mi - mj) ** 2)
        br = t * (1 - (mi**2 + mj**2) / (2 * t) - (mi**2 - mj**2) ** 2 / (2 * t**2)) - 3 * mi * mj
        return c.G_F**2 / (12 * math.pi) * math.sqrt(max(lam, 0.0)) / t * br

    val = quad(lambda mu: 2 * mu * rho(mu * mu) * math.exp(-mu * rn), mi + mj, np.inf, limit=200)[0]
    return val / (4 * math.pi**2 * rn)


@pytest.mark.benchmark(group="Majorana potential with mixing")
def test_naive_quadrature_loop_200_points(benchmark):
    r = R[:: R.size // 200]
    benchmark.pedantic(lambda: [_naive_w(x, 0.01, 0.0511) for x in r], rounds=1, iterations=1)
    benchmark.extra_info["us_per_point"] = 1e6 * benchmark.stats.stats.mean / r.size
