"""The Numba DOP853 against closed forms and against SciPy's DOP853 (same tableau)."""

import numba
import numpy as np
import pytest

from nupair.numerics import Adaptive, JitDOP853, Status, evolve


@numba.njit
def oscillator(t, y, args):
    (omega,) = args
    return np.array([y[1], -omega * omega * y[0]])


@numba.njit
def van_der_pol(t, y, args):
    (m,) = args
    return np.array([y[1], m * (1 - y[0] ** 2) * y[1] - y[0]])


@numba.njit
def blows_up(t, y, args):
    return y * y


def test_harmonic_oscillator():
    t = np.linspace(0, 20, 101)
    res = evolve(oscillator, np.array([1.0, 0.0]), t, solver=JitDOP853(1e-12, 1e-14), args=(2.0,))
    assert res.ok
    assert np.max(np.abs(res.y[:, 0] - np.cos(2 * t))) < 1e-10


def test_agrees_with_scipy_dop853():
    t = np.linspace(0, 10, 21)
    jit = evolve(van_der_pol, np.array([2.0, 0.0]), t, solver=JitDOP853(1e-10, 1e-12), args=(1.0,))
    ref = evolve(lambda t, y: van_der_pol(t, y, (1.0,)), np.array([2.0, 0.0]), t,
                 solver=Adaptive("DOP853", rtol=1e-10, atol=1e-12))
    assert np.max(np.abs(jit.y - ref.y)) < 1e-8


def test_non_finite_reported_with_component():
    res = evolve(blows_up, np.array([1.0, 10.0]), np.linspace(0, 1, 5), solver=JitDOP853())
    assert res.status is Status.NON_FINITE or res.status is Status.SOLVER_FAILED
    assert "t = " in res.message


def test_bad_tolerance():
    with pytest.raises(ValueError, match="rtol"):
        JitDOP853(rtol=0.0)
