"""t-channel short-distance model (spec forces.md section 3)."""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from nupair import constants as const
from nupair import forces
from nupair.forces.short_range import _X_SERIES


def _fourier_shape(x, big_l):
    """V/V_0 by direct numerical Fourier transform of V(q) (QUADPACK QAWF), independent of the
    closed form: V/V_0 = x^4/(6 pi) int_0^inf k^3 (ln k^2 + L) sin(k x) / (1 + k^2)^2 dk."""
    f = lambda k: 0.0 if k == 0 else k**3 * (math.log(k * k) + big_l) / (1 + k * k) ** 2  # noqa: E731
    head = quad(f, 0, 50, weight="sin", wvar=x, limit=500)[0]
    tail = quad(f, 50, np.inf, weight="sin", wvar=x, limlst=200)[0]
    return x**4 * (head + tail) / (6 * math.pi)


@pytest.mark.parametrize("big_l", [0.0, 1.3, -2.0])
@pytest.mark.parametrize("x", [1e-3, 0.1, 1.0, 3.0, 10.0])
def test_closed_form_equals_numerical_fourier_transform(x, big_l):
    assert forces.t_channel_shape(x, big_l) == pytest.approx(_fourier_shape(x, big_l), rel=1e-7, abs=1e-15)


def test_long_distance_is_feinberg_sucher_and_scale_independent():
    # r >> 1/M: V -> V_0 (1 + 40/x^2 + ...), independent of mu_R
    x = np.array([1e3, 1e5, 1e8])
    for big_l in (0.0, 3.0):
        assert np.allclose(forces.t_channel_shape(x, big_l), 1 + 40 / x**2 + 2520 / x**4, rtol=1e-12)
    r = np.array([1e-12, 1e-6, 1.0, 1e10])
    v = forces.t_channel_potential(r, "electron", "electron")
    assert np.allclose(v, forces.potential(r, "electron", "electron"), rtol=1e-10)


def test_short_distance_is_coulomb_like_with_the_spec_logarithm():
    # spec 3: V(r << 1/M) = -(C G_F^2 M^4 / (24 pi^3 r)) [ln(mu_R r) + gamma_E]
    m, mu = const.m_Z, 3.0 * const.m_Z
    r_m = np.array([1e-27, 1e-25, 1e-23])
    r = r_m * const.meter
    c = forces.coupling_sum("proton", "proton")
    expected = -(c * const.G_F**2 * m**4 / (24 * math.pi**3 * r)) * (np.log(mu * r) + np.euler_gamma)
    got = forces.t_channel_potential(r_m, "proton", "proton", renormalization_scale_eV=mu)
    # the next order is a constant (relative O(M r / ln(M r)); M r = 4.6e-10 ... 4.6e-6)
    assert np.all(np.abs(got / expected - 1) < 2 * m * r)


def test_branches_agree_at_the_switch():
    x = np.array([_X_SERIES * (1 - 1e-12), _X_SERIES * (1 + 1e-12)])
    v = forces.t_channel_shape(x)
    assert v[0] == pytest.approx(v[1], rel=1e-9)


def test_finite_and_signed_over_forty_decades():
    r = np.geomspace(1e-30, 1e10, 4001)
    v = forces.t_channel_potential(r, "neutron", "neutron")
    assert np.all(np.isfinite(v))
    # repulsive couplings: positive beyond ~ 5/M (overshoot region) and negative-log Coulomb at r -> 0
    assert np.all(v[r > 20 / const.m_Z / const.meter] > 0)
    assert v[0] > 0  # -(ln(mu r) + gamma) > 0 for mu r << 1


def test_bad_input():
    with pytest.raises(ValueError, match="mediator_mass_eV"):
        forces.t_channel_potential(1e-18, "electron", "electron", mediator_mass_eV=-1.0)
    with pytest.raises(ValueError, match="renormalization_scale_eV"):
        forces.t_channel_potential(1e-18, "electron", "electron", renormalization_scale_eV=0.0)
    with pytest.raises(ValueError, match="r_m"):
        forces.t_channel_potential(0.0, "electron", "electron")
