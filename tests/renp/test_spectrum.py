"""RENP spectrum (spec renp.md sections 1-3 and test targets 1-11, 14)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad

from nupair import flavor, renp

YB = renp.ATOMS["Yb"]
HALF = YB.E_eg_eV / 2
FIT = "nufit-5.2"  # the spec's test targets are computed with NuFIT 5.2


def _pair_phase_space_average(omega, mi, mj):
    """Delta_ij I_ij by explicit kinematics: the pair decays isotropically in its rest frame; boost
    each direction to the atom frame (pair momentum omega, energy E_eg - omega) and average
    E1 E2 - p1.p2/3 over cos(theta*) with scipy quad; Delta = 2 p*/sqrt(q^2) is the phase-space
    volume relative to massless neutrinos."""
    q0, qv = YB.E_eg_eV - omega, omega
    q2 = q0 * q0 - qv * qv
    sq = math.sqrt(q2)
    e1s = (q2 + mi * mi - mj * mj) / (2 * sq)
    e2s = (q2 - mi * mi + mj * mj) / (2 * sq)
    ps = math.sqrt((q2 - (mi + mj) ** 2) * (q2 - (mi - mj) ** 2)) / (2 * sq)
    gamma, bg = q0 / sq, qv / sq

    def f(c):
        s2 = 1 - c * c
        e1, p1z = gamma * e1s + bg * ps * c, gamma * ps * c + bg * e1s
        e2, p2z = gamma * e2s - bg * ps * c, -gamma * ps * c + bg * e2s
        return e1 * e2 - (p1z * p2z - ps * ps * s2) / 3

    avg = quad(f, -1, 1, epsabs=0, epsrel=1e-13)[0] / 2
    return 2 * ps / sq * avg


@settings(max_examples=40, deadline=None)
@given(mi=st.floats(0.0, 0.3), mj=st.floats(0.0, 0.3), frac=st.floats(1e-6, 1.0))
def test_closed_form_phase_space_equals_numerical_integration(mi, mj, frac):
    # issue 5 item 5: Delta_ij I_ij against a direct integration over the pair phase space (1e-8)
    w_th = HALF - (mi + mj) ** 2 / (2 * YB.E_eg_eV)
    omega = max(w_th * (1 - frac), 1e-3)  # below threshold, from its edge down to ~0
    closed = renp.phase_space_factor(omega, mi, mj) * renp.kinematic_function(omega, mi, mj)
    assert float(closed) == pytest.approx(_pair_phase_space_average(omega, mi, mj), rel=1e-8, abs=1e-14)


def test_yb_endpoint_and_threshold_formula():
    assert HALF == pytest.approx(1.071745, abs=1e-6)  # target 1
    m = np.array([0.01, 0.02, 0.05])
    th = renp.thresholds(m)
    assert len(th) == 6
    for (i, j), w in th.items():
        assert w == pytest.approx(HALF - (m[i - 1] + m[j - 1]) ** 2 / (2 * YB.E_eg_eV), rel=1e-15)


@pytest.mark.parametrize(("ordering", "expected"), [
    ("normal", {(1, 1): 0.0, (1, 2): 17.28, (2, 2): 69.14, (1, 3): 585.7, (2, 3): 804.3, (3, 3): 2342.9}),
    ("inverted", {(3, 3): 0.0, (1, 3): 565.4, (2, 3): 582.7, (1, 1): 2261.6, (1, 2): 2296.1, (2, 2): 2330.8}),
])
def test_threshold_shifts_at_zero_lightest_mass(ordering, expected):
    # spec targets 4 and 5 (micro-eV, NuFIT 5.2)
    m = renp.resolve_masses(lightest_mass_eV=0.0, ordering=ordering, fit=FIT)
    th = renp.thresholds(m)
    for k, v in expected.items():
        assert (HALF - th[k]) * 1e6 == pytest.approx(v, abs=0.06)


def test_massless_limit_and_unitarity_sum_rule():
    # targets 2 and 3: all thresholds at E_eg/2, I = (1/4)(Q2 + omega^2/3)/(E_vg - omega)^2 for any U
    w = np.linspace(0.1, HALF * 0.999, 50)
    q2 = renp.pair_invariant(w)
    rng = np.random.default_rng(1)
    for _ in range(3):
        u = flavor.pmns(*rng.uniform(0, 2 * np.pi, 6))
        a = renp.coupling_matrix(u)
        assert np.sum(np.abs(a) ** 2) == pytest.approx(0.75, rel=1e-14)
        got = renp.spectrum(w, masses_eV=[0, 0, 0], mixing=u, nature="majorana")
        assert np.allclose(got, 0.25 * (q2 + w**2 / 3) / (YB.E_vg_eV - w) ** 2, rtol=1e-13)


def test_diagonal_couplings_are_dpsty_b_ii():
    # spec 2.3: |a_ii|^2 = (|U_ei|^2 - 1/2)^2 and off-diagonal |U_ei|^2 |U_ej|^2
    u = flavor.pmns_from_fit("normal", FIT)
    a = renp.coupling_matrix(u)
    ue2 = np.abs(u[0]) ** 2
    assert np.allclose(np.abs(np.diag(a)) ** 2, (ue2 - 0.5) ** 2, rtol=1e-14)
    assert abs(a[0, 1]) ** 2 == pytest.approx(ue2[0] * ue2[1], rel=1e-14)


def test_vanishes_above_highest_threshold_and_at_end_point():
    # target 6: NO, m0 = 0.05 eV: I = 0 for dw < 2332.6 micro-eV; and 0 (not NaN) above E_eg/2
    m = renp.resolve_masses(lightest_mass_eV=0.05, ordering="normal", fit=FIT)
    dw = np.array([0.0, 1000.0, 2332.0, 2333.5]) * 1e-6
    i = renp.spectrum(HALF - dw, masses_eV=m, fit=FIT)
    assert np.all(i[:3] == 0.0) and i[3] > 0
    above = renp.spectrum(np.array([HALF, HALF + 0.1, 2.0]), lightest_mass_eV=0.0)
    assert np.all(above == 0.0)


def test_square_root_onset():
    # target 7: just below omega_ij the channel grows like sqrt(omega_ij - omega)
    m = np.array([0.02, 0.03, 0.06])
    w12 = renp.thresholds(m)[(1, 2)]
    d = np.array([1e-12, 4e-12])
    _, parts = renp.spectrum(w12 - d, masses_eV=m, channels=True)
    assert parts[(1, 2)][1] / parts[(1, 2)][0] == pytest.approx(2.0, rel=1e-4)


def test_dirac_equals_majorana_where_a_massless_state_is_in_every_open_channel():
    # target 8: NO, m0 = 0: for dw < 69.14 micro-eV only 11, 12, 21 are open
    m = renp.resolve_masses(lightest_mass_eV=0.0, ordering="normal", fit=FIT)
    w = HALF - np.linspace(1e-6, 69e-6, 30)
    d = renp.spectrum(w, masses_eV=m, nature="dirac", fit=FIT)
    mj = renp.spectrum(w, masses_eV=m, nature="majorana", majorana_phases=(1.0, 2.0), fit=FIT)
    assert np.array_equal(d, mj)


def test_single_diagonal_channel_ratio():
    # target 9: NO, m0 = 0.01 eV, dw = 110 micro-eV: I_M / I_D = 1 - m1^2 / I_11 ~ 0.99945
    m = renp.resolve_masses(lightest_mass_eV=0.01, ordering="normal", fit=FIT)
    w = HALF - 110e-6
    th = renp.thresholds(m)
    assert [k for k, v in th.items() if v >= w] == [(1, 1)]
    ratio = renp.spectrum(w, masses_eV=m, nature="majorana", fit=FIT) / renp.spectrum(w, masses_eV=m, fit=FIT)
    assert ratio == pytest.approx(1 - m[0] ** 2 / renp.kinematic_function(w, m[0], m[0]), rel=1e-14)
    assert ratio == pytest.approx(0.99945, abs=5e-6)
    # independent of the mixing matrix
    u = flavor.pmns(0.3, 0.2, 0.9, 1.0)
    r2 = renp.spectrum(w, masses_eV=m, nature="majorana", mixing=u) / renp.spectrum(w, masses_eV=m, mixing=u)
    assert r2 == pytest.approx(ratio, rel=1e-14)


def test_majorana_phases_enter_only_through_re_a_squared():
    # target 10 and spec 3.1: Re(a_12^2) = c12^2 s12^2 c13^4 cos(alpha21); flipping alpha21 by pi
    # reverses the 12 Majorana term
    p = flavor.pmns_from_fit("normal", FIT)
    for a21 in (0.0, 1.1, np.pi):
        u = p * np.exp(0.5j * np.array([0, a21, 0]))
        a = renp.coupling_matrix(u)
        c13 = math.sqrt(1 - abs(p[0, 2]) ** 2)
        c12, s12 = abs(p[0, 0]) / c13, abs(p[0, 1]) / c13
        assert np.real(a[0, 1] ** 2) == pytest.approx(c12**2 * s12**2 * c13**4 * np.cos(a21), abs=1e-14)
    m = renp.resolve_masses(lightest_mass_eV=0.05, ordering="normal", fit=FIT)
    w = renp.thresholds(m)[(1, 2)] - 1e-4
    _, d = renp.spectrum(w, masses_eV=m, fit=FIT, channels=True)
    _, m0 = renp.spectrum(w, masses_eV=m, nature="majorana", fit=FIT, channels=True)
    _, mpi = renp.spectrum(w, masses_eV=m, nature="majorana", majorana_phases=(np.pi, 0.0), fit=FIT, channels=True)
    assert (m0[(1, 2)] - d[(1, 2)]) == pytest.approx(-(mpi[(1, 2)] - d[(1, 2)]), rel=1e-10)
    assert mpi[(1, 2)] > d[(1, 2)]  # I_M / I_D > 1 in that channel


def test_dirac_spectrum_is_phase_and_theta23_blind():
    # target 11
    m = renp.resolve_masses(lightest_mass_eV=0.03, ordering="normal")
    w = HALF - np.linspace(1e-6, 4e-3, 200)
    ref = renp.spectrum(w, masses_eV=m, mixing=flavor.pmns(0.58, 0.15, 0.8, 0.0))
    for args in [(0.58, 0.15, 0.3, 2.0, 1.0, 0.5), (0.58, 0.15, 1.2, 4.0, 3.0, 2.0)]:
        assert np.allclose(renp.spectrum(w, masses_eV=m, mixing=flavor.pmns(*args)), ref, rtol=1e-13, atol=0)


def test_thresholds_do_not_depend_on_mixing_or_new_physics():
    # target 14: the first nonzero bin below each threshold is the same
    m = np.array([0.01, 0.02, 0.05])
    w = HALF - np.linspace(0, 3e-3, 3001)
    alpha = np.array([[0.01, 0, 0], [0.002 + 0.001j, 0.005, 0], [0.001, 0.003j, 0.02]])
    base = renp.spectrum(w, masses_eV=m) > 0
    assert np.array_equal(base, renp.spectrum(w, masses_eV=m, non_unitarity=alpha) > 0)
    assert np.array_equal(base, renp.spectrum(w, masses_eV=m, mixing=flavor.pmns(1.0, 0.3, 0.2)) > 0)


def test_nonunitarity_breaks_the_sum_rule_and_vanishes_at_zero():
    # target 3 and 13
    u = flavor.pmns_from_fit()
    alpha = np.array([[0.01, 0, 0], [0.002, 0.005, 0], [0.001, 0.003, 0.02]])
    n = renp.nonunitary_mixing(alpha, u)
    assert np.sum(np.abs(renp.coupling_matrix(n)) ** 2) != pytest.approx(0.75, abs=1e-6)
    w = HALF - np.linspace(1e-6, 3e-3, 100)
    ref = renp.spectrum(w, lightest_mass_eV=0.02)
    assert np.array_equal(renp.spectrum(w, lightest_mass_eV=0.02, non_unitarity=np.zeros((3, 3))), ref)


def test_channels_sum_to_total():
    w = HALF - np.linspace(1e-6, 3e-3, 100)
    total, parts = renp.spectrum(w, lightest_mass_eV=0.02, nature="majorana", majorana_phases=(0.4, 1.0), channels=True)
    assert len(parts) == 6
    assert np.allclose(sum(parts.values()), total, rtol=1e-14, atol=0)


def test_bad_input():
    with pytest.raises(ValueError, match="omega_eV"):
        renp.spectrum([0.5, -1.0], lightest_mass_eV=0.0)
    with pytest.raises(ValueError, match="omega_eV"):
        renp.spectrum(0.0, lightest_mass_eV=0.0)
    with pytest.raises(ValueError, match="masses_eV"):
        renp.spectrum(0.5, masses_eV=[0.0, -0.01, 0.05])
    with pytest.raises(ValueError, match="atom"):
        renp.spectrum(0.5, lightest_mass_eV=0.0, atom="Xq")
    with pytest.raises(ValueError, match="ordering"):
        renp.spectrum(0.5, lightest_mass_eV=0.0, ordering="normal-ish")
    with pytest.raises(ValueError, match="singular value"):
        renp.spectrum(0.5, lightest_mass_eV=0.0, non_unitarity=np.diag([-0.1, 0.0, 0.0]))
    with pytest.raises(ValueError, match="lower triangular"):
        renp.spectrum(0.5, lightest_mass_eV=0.0, non_unitarity=np.triu(np.full((3, 3), 0.01)))
    with pytest.raises(ValueError, match="not both"):
        renp.spectrum(0.5, masses_eV=[0, 0.01, 0.05], lightest_mass_eV=0.0)
    # neither: the lightest mass defaults to 0
    assert renp.spectrum(0.5) == renp.spectrum(0.5, lightest_mass_eV=0.0)
    with pytest.raises(ValueError, match="nature"):
        renp.spectrum(0.5, lightest_mass_eV=0.0, nature="weyl")
