"""Directional backgrounds evaluated exactly from the master formula (forces.beam_kernel,
DirectionalFlux, BeamSpectrum).

Checks: the exact delta-beam kernel averaged over directions reproduces the isotropic formula
(Horowitz & Pantaleone's form, derived independently) and the leading-order one does not; the
exact kernel tends to the leading order as E r -> infinity with an O(1/(E r)) difference, for E r
from 10 to 1e6 and alpha from 0 to the no-smearing limit (spec T12); at alpha = 0 it is
E + sin(2 E r)/(2 r); a spectrum is integrated to its analytic value at E r up to 1e9, its error
estimate is honest, and a narrow spectrum tends to the monochromatic beam.
"""

import math

import numpy as np
import pytest

from nupair import constants as const
from nupair import forces


def _iso_kernel(e, r):
    """Direction average of the kernel for a monochromatic isotropic background: from the isotropic
    formula -(C G_F^2 / (4 pi^3 r^4)) Int dE n(E) [sin 2Er - 2Er cos 2Er] with
    n = 2 pi^2 rho delta(E - e) / e^2 and V = -(C G_F^2 rho / (pi r)) <K>."""
    x = e * r
    return (math.sin(2 * x) - 2 * x * math.cos(2 * x)) / (2 * e * e * r**3)


@pytest.mark.parametrize("x", [0.7, 3.0, 10.0, 40.0])
def test_direction_average_of_the_exact_kernel_is_the_isotropic_formula(x):
    e, r = 1.0, x
    nodes, weights = np.polynomial.legendre.leggauss(400)  # c = cos(alpha) in [-1, 1]
    exact = sum(w * forces.beam_kernel(e, r, math.acos(c)) for c, w in zip(nodes, weights)) / 2
    lead = sum(w * forces.beam_kernel(e, r, math.acos(c), leading_order=True) for c, w in zip(nodes, weights)) / 2
    assert exact == pytest.approx(_iso_kernel(e, r), rel=1e-8, abs=1e-14)
    assert abs(lead - _iso_kernel(e, r)) > 1e-3 * abs(_iso_kernel(e, r))


def test_alpha_zero_is_the_known_closed_form():
    e = 2.0
    r = np.logspace(-1, 4, 50)
    assert np.allclose(forces.beam_kernel(e, r, 0.0), e + np.sin(2 * e * r) / (2 * r), rtol=1e-13, atol=0)


@pytest.mark.parametrize("er", [10.0, 1e2, 1e3, 1e4, 1e5, 1e6])
def test_exact_tends_to_leading_order_as_1_over_er(er):
    """Spec T12: the master formula with a delta beam reproduces the closed form as E r -> inf."""
    e = 1.0
    r = er / e
    limit = math.sqrt(math.pi / er)  # the no-smearing angle
    for alpha in np.linspace(0.0, limit, 7):
        exact = forces.beam_kernel(e, r, alpha)
        lead = forces.beam_kernel(e, r, alpha, leading_order=True)
        assert abs(exact - lead) <= (1 + 1e-9) / r  # the O(1/r) term: |c (sin - sin)| / 2r <= 1/r
        if abs(lead) >= 0.4 * e:  # away from a zero of the leading order: relative difference O(1/(E r))
            assert abs(exact / lead - 1.0) <= 2.5 / er, (er, alpha, exact / lead)


def test_leading_order_error_is_the_quoted_size():
    """At E r = 100, alpha = 0.1 the leading order is off by ~0.8 % (issue 16)."""
    e_mev = 3.0
    r_m = 100 / (e_mev * const.MeV * const.meter)
    exact = forces.background_potential(r_m, "neutron", "neutron", forces.DirectionalFlux(1e13, e_mev, 0.1))
    lead = forces.background_potential(r_m, "neutron", "neutron",
                                       forces.DirectionalFlux(1e13, e_mev, 0.1, leading_order=True))
    assert 0.005 < abs(exact / lead - 1) < 0.012


def _flat_analytic(e1, e2, alpha, r):
    """Int_{e1}^{e2} K(E, r, alpha) dE for a flat spectrum, in closed form (E in eV)."""
    c = math.cos(alpha)
    w1, w2 = math.cos(alpha / 2) ** 2, math.sin(alpha / 2) ** 2

    def int_e_cos(o):  # Int E cos(o E) dE
        if o == 0:
            return (e2**2 - e1**2) / 2
        f = lambda e: e * math.sin(o * e) / o + math.cos(o * e) / o**2  # noqa: E731
        return f(e2) - f(e1)

    def int_sin(o):  # Int sin(o E) dE
        if o == 0:
            return 0.0
        return (math.cos(o * e1) - math.cos(o * e2)) / o

    o1, o2 = (1 - c) * r, (1 + c) * r
    return w1 * int_e_cos(o1) + w2 * int_e_cos(o2) + c / (2 * r) * (int_sin(o2) - int_sin(o1))


@pytest.mark.parametrize("er, alpha", [(10.0, 0.0), (10.0, 0.7), (1e4, 0.02), (1e6, 1e-3), (1e9, 3e-5)])
def test_spectrum_matches_the_analytic_flat_integral(er, alpha):
    e1_mev, e2_mev = 2.0, 4.0
    r_eV = er / (3.0 * const.MeV)
    r_m = r_eV / const.meter
    flux_per_mev = 1e12  # cm^-2 s^-1 MeV^-1
    beam = forces.BeamSpectrum(lambda x: flux_per_mev, e1_mev, e2_mev, alpha, epsrel=1e-11)
    v, err = forces.background_potential(r_m, "neutron", "neutron", beam, return_error=True)
    qn = forces.vector_charges("neutron")[0]
    phi_unit = flux_per_mev / const.cm**2 / const.second / const.MeV
    expected = -qn * qn * const.G_F**2 * phi_unit / (math.pi * r_eV) * _flat_analytic(
        e1_mev * const.MeV, e2_mev * const.MeV, alpha, r_eV)
    assert v == pytest.approx(expected, rel=1e-8, abs=1e-9 * abs(expected) + 1e-70)
    assert err <= 1e-6 * abs(v) + 1e-70


def test_quadrature_error_estimate_is_honest():
    spectrum = lambda x: x**2 * math.exp(-x / 1.3)  # noqa: E731  a reactor-like shape [arb. units]
    r_m = 1e4 / (3.0 * const.MeV * const.meter)
    loose = forces.BeamSpectrum(spectrum, 0.5, 12.0, 0.05, epsrel=1e-6)
    tight = forces.BeamSpectrum(spectrum, 0.5, 12.0, 0.05, epsrel=1e-12)
    v1, e1 = forces.background_potential(r_m, "electron", "electron", loose, return_error=True)
    v2, _ = forces.background_potential(r_m, "electron", "electron", tight, return_error=True)
    assert abs(v1 - v2) <= max(e1, 1e-12 * abs(v2))


def test_narrow_spectrum_tends_to_the_monochromatic_beam():
    r_m = 300 / (3.0 * const.MeV * const.meter)
    mono = forces.background_potential(r_m, "neutron", "neutron", forces.DirectionalFlux(1e13, 3.0, 0.2))
    for width in (1e-2, 1e-3):
        beam = forces.BeamSpectrum(lambda x, w=width: 1e13 / w, 3.0 - width / 2,
                                   3.0 + width / 2, 0.2)
        v = forces.background_potential(r_m, "neutron", "neutron", beam)
        # the kernel's curvature over the window: relative deviation ~ (E r width / E)^2 / 24
        assert v == pytest.approx(mono, rel=(300 * width / 3.0) ** 2 / 10 + 1e-9)


def test_bad_beam_is_a_clear_error():
    with pytest.raises(ValueError, match="e_max_MeV"):
        forces.BeamSpectrum(lambda x: 1.0, 3.0, 2.0)
    with pytest.raises(ValueError, match="angle_rad"):
        forces.BeamSpectrum(lambda x: 1.0, 1.0, 2.0, angle_rad=4.0)
    with pytest.raises(ValueError, match="spectrum"):
        forces.BeamSpectrum(1.0, 1.0, 2.0)
