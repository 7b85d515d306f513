"""Scalar-exchange comparison force (spec forces.md section 5)."""

import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import kv

from nupair import constants as const
from nupair import forces


def test_dimensional_rule():
    assert forces.power_law_exponent(4) == 5  # G_F^2 -> 1/r^5
    assert forces.power_law_exponent(2) == 3  # 1/(Lambda_a Lambda_b) -> 1/r^3
    with pytest.raises(ValueError, match="coupling_mass_dimension"):
        forces.power_law_exponent(-1)


def test_massless_scalar_pair_is_attractive_inverse_cube():
    r = np.array([1e-9, 2e-9])
    v = forces.scalar_pair_potential(r, 1e12, 2e12)
    assert np.all(v < 0)
    assert v[0] / v[1] == pytest.approx(8.0, rel=1e-14)


@pytest.mark.parametrize("r_m", [1e-12, 1e-9, 1e-7])
def test_massive_equals_euclidean_propagator_integral(r_m):
    # independent route: V = -(2/(La Lb)) int dtau G_E(sqrt(tau^2 + r^2))^2 with the massive
    # Euclidean propagator m K1(m X) / (4 pi^2 X)
    m, la, lb = 1.0, 1e3, 2e3
    r = r_m * const.meter
    g = lambda t: m * kv(1, m * math.hypot(t, r)) / (4 * math.pi**2 * math.hypot(t, r))  # noqa: E731
    direct = -2 / (la * lb) * 2 * quad(lambda t: g(t) ** 2, 0, np.inf, limit=500, epsrel=1e-12)[0]
    assert forces.scalar_pair_potential(r_m, la, lb, scalar_mass_eV=m) == pytest.approx(direct, rel=1e-9)


def test_massive_scalar_pair_falls_as_exp_minus_2mr():
    # (z K1)^2 ~ (pi z / 2) e^{-2z}: V/V_0 -> sqrt(pi m r) e^{-2 m r} (1 + O(1/(m r)))
    x = 200.0
    r_m = x / const.meter
    ratio = forces.scalar_pair_potential(r_m, 1.0, 1.0, scalar_mass_eV=1.0) / forces.scalar_pair_potential(r_m, 1.0, 1.0)
    assert ratio / (math.sqrt(math.pi * x) * math.exp(-2 * x)) == pytest.approx(1.0, rel=5e-3)


def test_bad_input():
    with pytest.raises(ValueError, match="lambda_a_eV"):
        forces.scalar_pair_potential(1e-9, -1.0, 1.0)
    with pytest.raises(ValueError, match="scalar_mass_eV"):
        forces.scalar_pair_potential(1e-9, 1.0, 1.0, scalar_mass_eV=-2.0)
