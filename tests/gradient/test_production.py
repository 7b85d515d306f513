"""Pair production by a potential step (spec gradient.md section 3; targets 5-10)."""

import math

import numpy as np
import pytest
from scipy.integrate import dblquad

from nupair import gradient as g


@pytest.mark.parametrize("L", [1e-3, 0.3, 7.0, 1e3, 1e7])
def test_massless_normal_incidence_is_perfect_tunnelling(L):
    # target 5
    w = np.linspace(1e-6, 1 - 1e-6, 101)
    assert np.allclose(g.pairs_per_mode(w, 0.0, 1.0, L, 0.0), 1.0, rtol=0, atol=1e-10)


def test_sharp_step_limit():
    # target 6: V0 = 1, m = 0.2, p_perp = 0, omega = 0.5 -> 0.84; the exact formula tends to it as L -> 0
    assert g.pairs_per_mode(0.5, 0.0, 1.0, 0.0, 0.2) == pytest.approx(0.84, rel=1e-10)
    rng = np.random.default_rng(3)
    w, p = rng.uniform(0, 1, 200), rng.uniform(0, 0.5, 200)
    assert np.allclose(g.pairs_per_mode(w, p, 1.0, 1e-7, 0.1), g.sharp_step_pairs(w, p, 1.0, 0.1), rtol=1e-8, atol=1e-12)


def test_schwinger_limit():
    # target 7: V0 = 1, L = 200, m = 0.02: N = 0.6048 vs exp(-pi m^2/E) = 0.6049
    n = float(g.pairs_per_mode(0.5, 0.0, 1.0, 200.0, 0.02))
    assert n == pytest.approx(0.6048, abs=1e-4)
    # L -> inf at fixed E = V0/(2L) = 1/400, mode at the centre of the Klein zone
    errors = []
    for length in (200.0, 2e3, 2e4):
        v0 = length / 200
        errors.append(abs(float(g.pairs_per_mode(v0 / 2, 0.0, v0, length, 0.02)) / math.exp(-math.pi * 0.02**2 * 400) - 1))
    assert errors[2] < errors[1] < errors[0] < 3e-4
    assert errors[2] < 1e-5


def test_edges_of_the_klein_zone_and_pauli_bound():
    m, v0 = 0.1, 1.0
    w = np.linspace(0, 1, 2001)
    n = g.pairs_per_mode(w, 0.05, v0, 3.0, m)
    assert np.all((n >= 0) & (n <= 1))
    pi_perp = math.hypot(m, 0.05)
    assert np.all(n[(w <= pi_perp) | (w >= v0 - pi_perp)] == 0)  # target 4 of 3.2: N -> 0 at the edges


def test_sharp_massless_rate_and_physical_units():
    # target 8: 6.523e-4 V0^3 per helicity; V0 = 10 eV: 2.545e24 cm^-2 s^-1
    assert g.rate_per_area(1.0) == pytest.approx(6.5233e-4, rel=1e-4)
    assert g.rate_per_area(10.0) * g.flux_eV3_to_cm2_s == pytest.approx(2.545e24, rel=1e-3)


def test_rate_against_independent_quadrature():
    # the 2-D integral by scipy dblquad (adaptive) against the Gauss-Legendre Klein-zone rule
    v0, m, length = 1.0, 0.2, 1.0
    f = lambda w, p: p * float(g.pairs_per_mode(w, p, v0, length, m))  # noqa: E731
    p_max = math.sqrt(0.25 - m * m)
    val = dblquad(f, 0, p_max, lambda p: math.hypot(m, p), lambda p: v0 - math.hypot(m, p), epsrel=1e-9)[0]
    assert g.rate_per_area(v0, length, m) == pytest.approx(val / (4 * math.pi**2), rel=1e-6)


def test_massive_and_finite_width_rates():
    # spec 3.3 numbers
    assert g.rate_per_area(1.0, m=0.2) == pytest.approx(3.349e-4, rel=1e-3)
    assert g.rate_per_area(1.0, m=0.4) == pytest.approx(2.14e-5, rel=5e-3)
    for vl, c in [(0.1, 6.510e-4), (1, 5.551e-4), (3, 3.261e-4), (10, 1.2213e-4), (30, 4.339e-5)]:
        assert g.rate_per_area(1.0, vl) == pytest.approx(c, rel=1e-3)


def test_lcfa_limit():
    # target 9: exact / LCFA -> 1 as V0 L -> inf (0.97 at 30); massless LCFA = V0^2 / (24 pi^3 L)
    assert g.lcfa_rate_per_area(1.0, 30.0) == pytest.approx(1 / (24 * math.pi**3 * 30), rel=1e-10)
    r = [g.rate_per_area(1.0, vl) / g.lcfa_rate_per_area(1.0, vl) for vl in (10, 30, 100)]
    assert r[0] == pytest.approx(0.91, abs=0.01) and r[1] == pytest.approx(0.97, abs=0.01)
    assert r[0] < r[1] < r[2] < 1


def test_threshold():
    # target 10
    assert g.rate_per_area(1.0, 0.0, 0.5) == 0.0
    assert g.rate_per_area(1.0, 2.0, 0.6) == 0.0


def test_spectrum_integrates_to_the_rate_and_is_symmetric():
    v0, length, m = 1.0, 2.0, 0.1
    w = np.linspace(0, v0, 801)
    s = g.spectrum_per_area(w, v0, length, m)
    assert np.allclose(s, s[::-1], rtol=1e-9, atol=1e-15)
    assert np.trapezoid(s, w) == pytest.approx(g.rate_per_area(v0, length, m), rel=2e-3)


def test_constant_field_rate():
    e = np.array([0.0, 1e-3, 1.0])
    got = g.schwinger_rate_per_volume(e, 0.05)
    assert got[0] == 0.0
    assert got[2] == pytest.approx(math.exp(-math.pi * 0.0025) / (8 * math.pi**3), rel=1e-14)


def test_bad_input():
    with pytest.raises(ValueError, match="L="):
        g.pairs_per_mode(0.5, 0.0, 1.0, -1.0)
    with pytest.raises(ValueError, match="V0_eV="):
        g.rate_per_area(-1.0)
    with pytest.raises(ValueError, match="m="):
        g.pairs_per_mode(0.5, 0.0, 1.0, 1.0, -0.1)


def test_unit_suffixed_arguments_and_short_forms_agree():
    assert g.rate_per_area(V0_eV=1.0, L_per_eV=3.0, m_eV=0.1) == g.rate_per_area(1.0, 3.0, 0.1) \
        == g.rate_per_area(V0=1.0, L=3.0, m=0.1)
    assert g.lcfa_rate_per_area(V0_eV=1.0, L_per_eV=30.0) == g.lcfa_rate_per_area(1.0, 30.0)
    with pytest.raises(ValueError, match="not both"):
        g.rate_per_area(1.0, V0=1.0)
