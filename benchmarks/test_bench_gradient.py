"""gradient: mass-radius curve with the compiled TOV against a solve_ivp reference, a cooling curve
to 1e7 yr, and the tanh-step pair rate.

Run:  python3 -m pytest benchmarks/test_bench_gradient.py --benchmark-only
"""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from nupair import gradient as g
from nupair.gradient import structure

EOS = g.SLy()
RHO = np.geomspace(2e14, 3e15, 200)


def _reference_point(eos, rho_c, rtol=1e-10):
    """Adaptive DOP853 (solve_ivp, Python right-hand side) in x = ln(P_c/P): the reference."""
    p_c = eos.central_pressure(rho_c)
    eps_c = float(eos.energy_density(p_c))
    r0 = 1e-6
    p0 = p_c - 2 * math.pi / 3 * (eps_c + p_c) * (eps_c + 3 * p_c) * r0**2

    def rhs(x, y):
        r, m = y
        p = p_c * math.exp(-x)
        eps = float(eos.energy_density(p))
        drdx = p * r * (r - 2 * m) / ((eps + p) * (m + 4 * math.pi * r**3 * p))
        return [drdx, 4 * math.pi * r * r * eps * drdx]

    sol = solve_ivp(rhs, (math.log(p_c / p0), math.log(p_c / max(eos.surface_pressure, 1e-14 * p_c))),
                    [r0, 4 * math.pi / 3 * r0**3 * eps_c], method="DOP853", rtol=rtol, atol=1e-14)
    return sol.y[1, -1], sol.y[0, -1] * g.eos.GEO_LENGTH_KM


def test_compiled_tov_agrees_with_reference():
    for rho in RHO[::50]:
        m_ref, r_ref = _reference_point(EOS, rho)
        m, r = structure._mass_radius_point(EOS, rho)
        assert m == pytest.approx(m_ref, rel=1e-6) and r == pytest.approx(r_ref, rel=1e-6)


@pytest.mark.benchmark(group="mass-radius, SLy")
def test_compiled_mass_radius_200(benchmark):
    g.mass_radius(EOS, 2)  # compile / load the cache
    benchmark.pedantic(g.mass_radius, args=(EOS,), kwargs={"n": 200}, rounds=3, iterations=1)
    benchmark.extra_info["ms_per_star"] = 1e3 * benchmark.stats.stats.mean / 200


@pytest.mark.benchmark(group="mass-radius, SLy")
def test_reference_solve_ivp_20(benchmark):
    benchmark.pedantic(lambda: [_reference_point(EOS, x, 1e-8) for x in RHO[::10]], rounds=1, iterations=1)
    benchmark.extra_info["ms_per_star"] = 1e3 * benchmark.stats.stats.mean / 20


@pytest.mark.benchmark(group="cooling curve to 1e7 yr")
def test_cooling_curve(benchmark):
    s = g.star(EOS, 9.86e14)
    co = g.cooling_coefficients(s)
    benchmark.pedantic(g.cool, args=(s,), kwargs={"t_span": (1e-2, 1e7), "coefficients": co}, rounds=5, iterations=1)


@pytest.mark.benchmark(group="tanh-step rate per area")
def test_rate_per_area(benchmark):
    benchmark(g.rate_per_area, 10.0, 0.5, 0.05)
