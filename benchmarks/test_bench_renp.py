"""RENP: vectorized 6-channel spectrum against a naive per-photon-energy loop, and a required-
exposure scan over lightest masses.

Run:  python3 -m pytest benchmarks/test_bench_renp.py --benchmark-only
Compare per-point times: extra_info['us_per_point'].
"""

import math

import numpy as np
import pytest

from nupair import renp

YB = renp.ATOMS["Yb"]
MASSES = renp.resolve_masses(lightest_mass_eV=0.02)
A = renp.coupling_matrix(renp.resolve_mixing())
OMEGA = YB.E_eg_eV / 2 - np.linspace(1e-7, 5e-3, 10**5)


def _naive_point(w, m, a, majorana):
    """The spec 2.2 formula for one photon energy, nine ordered channels, plain Python."""
    q2 = YB.E_eg_eV * (YB.E_eg_eV - 2 * w)
    total = 0.0
    for i in range(3):
        for j in range(3):
            if q2 <= (m[i] + m[j]) ** 2:
                continue
            d = math.sqrt((q2 - (m[i] + m[j]) ** 2) * (q2 - (m[i] - m[j]) ** 2)) / q2
            kin = (q2 + w * w / 2 - w * w * d * d / 6 - (m[i] ** 2 + m[j] ** 2) / 2
                   - (m[i] ** 2 - m[j] ** 2) ** 2 * (YB.E_eg_eV - w) ** 2 / (2 * q2 * q2)) / 3
            br = abs(a[i, j]) ** 2 * kin - (1.0 if majorana else 0.0) * (a[i, j] ** 2).real * m[i] * m[j]
            total += d * br / (YB.E_vg_eV - w) ** 2
    return total


def test_naive_agrees():
    w = OMEGA[::5000]
    fast = renp.spectrum(w, masses_eV=MASSES, nature="majorana")
    assert np.allclose(fast, [_naive_point(x, MASSES, A, True) for x in w], rtol=1e-12, atol=0)


@pytest.mark.benchmark(group="RENP spectrum, 1e5 photon energies")
def test_vectorized_spectrum(benchmark):
    benchmark.pedantic(renp.spectrum, args=(OMEGA,), kwargs={"masses_eV": MASSES, "nature": "majorana"},
                       rounds=5, iterations=1)
    benchmark.extra_info["us_per_point"] = 1e6 * benchmark.stats.stats.mean / OMEGA.size


@pytest.mark.benchmark(group="RENP spectrum, 1e5 photon energies")
def test_naive_loop_spectrum(benchmark):
    w = OMEGA[::50]
    benchmark.pedantic(lambda: [_naive_point(x, MASSES, A, True) for x in w], rounds=1, iterations=1)
    benchmark.extra_info["us_per_point"] = 1e6 * benchmark.stats.stats.mean / w.size


@pytest.mark.benchmark(group="RENP required exposure")
def test_exposure_scan_50_masses(benchmark):
    masses = np.geomspace(1e-3, 0.1, 50)

    def scan():
        return [renp.required_exposure(renp.Hypothesis("normal", "dirac", m), renp.Hypothesis("inverted", "dirac", m)).events
                for m in masses]

    benchmark.pedantic(scan, rounds=1, iterations=1)
    benchmark.extra_info["s_per_mass"] = benchmark.stats.stats.mean / masses.size
