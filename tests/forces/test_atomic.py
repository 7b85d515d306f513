"""Atomic level shifts by the neutrino force (spec forces.md section 7.2)."""

import math

import numpy as np
import pytest
from scipy.integrate import quad

from nupair import constants as const
from nupair import forces


@pytest.mark.parametrize(("n", "l"), [(1, 0), (2, 0), (2, 1), (3, 2), (4, 1)])
def test_form_factor_closed_form_against_quadrature(n, l):
    a = 1.0
    assert forces.hydrogenic_form_factor(0.0, n, l, a) == pytest.approx(1.0, rel=1e-13)  # normalisation
    for q in (0.3, 1.7, 9.0):
        num = quad(lambda r: forces.hydrogenic_radial(r, n, l, a) ** 2 * np.sinc(q * r / np.pi) * r * r, 0, 400,
                   limit=400, epsabs=1e-15)[0]
        assert forces.hydrogenic_form_factor(q, n, l, a) == pytest.approx(num, rel=1e-9, abs=1e-14)


def test_1s_form_factor_is_the_textbook_dipole():
    q = np.geomspace(1e-3, 1e3, 50)
    assert np.allclose(forces.hydrogenic_form_factor(q, 1, 0, 1.0), 1 / (1 + q * q / 4) ** 2, rtol=1e-12)


@pytest.mark.parametrize("system", ["hydrogen", "positronium", "muonium"])
@pytest.mark.parametrize(("n", "l"), [(1, 0), (2, 0), (2, 1)])
def test_momentum_and_position_space_agree(system, n, l):
    value, err = forces.level_shift(system, n, l, return_error=True)
    assert err < 1e-8 * abs(value)
    assert value == pytest.approx(forces.level_shift_position_space(system, n, l), rel=1e-8)


def test_volume_integral_of_the_t_channel_potential_vanishes():
    # V(q = 0) = 0: int 4 pi r^2 V dr = 0 (the reason the s-state shift is not cutoff dominated)
    m = const.m_Z
    f = lambda lr: math.exp(lr) ** 3 * forces.t_channel_shape(m * math.exp(lr)) / math.exp(lr) ** 5  # noqa: E731
    edges = [math.log(1e-12 / m), math.log(1 / m), math.log(100 / m), math.log(1e12 / m)]
    pieces = [quad(f, x0, x1, limit=400, epsrel=1e-12)[0] for x0, x1 in zip(edges[:-1], edges[1:])]
    assert abs(sum(pieces)) < 1e-9 * max(map(abs, pieces))


def test_cutoff_shift_is_the_spec_formula():
    # spec 7.2: delta E = C G_F^2 |psi(0)|^2 / (2 pi^2 r_c^2), |psi_ns(0)|^2 = (Z mu alpha)^3 / (pi n^3)
    rc = 1.0 / const.m_W
    mu = const.m_e * const.m_p / (const.m_e + const.m_p)
    c = forces.coupling_sum("proton", "electron")
    expected = c * const.G_F**2 * (mu * const.alpha) ** 3 / (math.pi * 8) / (2 * math.pi**2 * rc * rc)
    assert forces.level_shift("hydrogen", 2, 0, model="cutoff") == pytest.approx(expected, rel=1e-12)


def test_p_state_cutoff_and_model_agree_for_a_log_divergence():
    # l = 1: the contact integrand ~ r^{-1} near 0 (log divergent); with r_c = 1/M the two
    # treatments differ only by O(1) in the logarithm ln(M a) ~ 17: within 10 %
    t = forces.level_shift("hydrogen", 2, 1)
    c = forces.level_shift("hydrogen", 2, 1, model="cutoff", cutoff_m=1 / (const.m_Z * const.meter))
    assert t == pytest.approx(c, rel=0.1)


def test_positronium_sign_is_opposite_to_hydrogen_like_repulsion():
    # e+ e- couplings have opposite signs (spec T16): the force is attractive, the cutoff shift negative
    assert forces.level_shift("positronium", 1, 0, model="cutoff") < 0


def test_bad_input():
    with pytest.raises(ValueError, match="system"):
        forces.level_shift("helium", 1, 0)
    with pytest.raises(ValueError, match="l=2"):
        forces.level_shift("hydrogen", 2, 2)
    with pytest.raises(ValueError, match="model"):
        forces.level_shift("hydrogen", 1, 0, model="contact")
    with pytest.raises(ValueError, match="cutoff_m"):
        forces.level_shift("hydrogen", 1, 0, model="cutoff", cutoff_m=-1.0)
