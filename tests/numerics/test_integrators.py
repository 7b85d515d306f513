"""Integrators against closed forms; segmented runs and resume."""

import numpy as np
import pytest

from nupair.numerics import INTEGRATORS, RK4, Adaptive, Status, evolve


def make(cls):
    return Adaptive(rtol=1e-11, atol=1e-13) if cls is Adaptive else RK4(dt=1e-3)


def oscillator(t, y, omega):
    return np.stack([y[1], -omega**2 * y[0]])


@pytest.mark.parametrize("cls", INTEGRATORS)
def test_harmonic_oscillator_closed_form(cls):
    omega = 3.0
    t = np.linspace(0, 10, 201)
    res = evolve(oscillator, np.array([1.0, 0.0]), t, solver=make(cls), args=(omega,))
    assert res.ok and res.status is Status.SUCCESSFUL
    assert np.max(np.abs(res.y[:, 0] - np.cos(omega * t))) < 1e-8
    assert np.max(np.abs(res.y[:, 1] + omega * np.sin(omega * t))) < 1e-7


@pytest.mark.parametrize("cls", INTEGRATORS)
def test_complex_vectorized_state(cls):
    # d psi/dt = -i w psi for an array of frequencies: psi = exp(-i w t).
    w = np.linspace(0.1, 2.0, 7)
    t = np.linspace(0, 5, 11)
    res = evolve(lambda t, y: -1j * w * y, np.ones(7, complex), t, solver=make(cls))
    assert np.allclose(res.y, np.exp(-1j * np.outer(t, w)), atol=1e-8)


def test_rk4_is_fourth_order():
    t = np.array([0.0, 2.0])
    errs = []
    for dt in (0.1, 0.05):
        res = evolve(oscillator, np.array([1.0, 0.0]), t, solver=RK4(dt), args=(1.0,))
        errs.append(abs(res.y[-1, 0] - np.cos(2.0)))
    assert errs[0] / errs[1] == pytest.approx(16, rel=0.1)
    assert RK4(0.1).order == 4 and Adaptive().order == 8


@pytest.mark.parametrize("cls", INTEGRATORS)
def test_resume_is_bit_identical(cls):
    t = np.linspace(0, 4, 81)
    solver = make(cls)
    full = evolve(oscillator, np.array([1.0, 0.0]), t, solver=solver, args=(2.0,), segment_length=0.7)
    partials = []

    def stop_after_two(partial):
        partials.append(partial)
        if partial.segments_done == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        evolve(oscillator, np.array([1.0, 0.0]), t, solver=solver, args=(2.0,), segment_length=0.7,
               on_segment=stop_after_two)
    resumed = evolve(oscillator, np.array([1.0, 0.0]), t, solver=solver, args=(2.0,),
                     segment_length=0.7, resume=partials[-1])
    assert np.array_equal(resumed.t, full.t) and np.array_equal(resumed.y, full.y)


def test_non_finite_state_is_reported_not_returned_silently():
    t = np.linspace(0, 1, 5)
    res = evolve(lambda t, y: y**2, np.array([10.0]), t, solver=RK4(0.01))  # blows up at t = 0.1
    assert not res.ok and res.status is Status.NON_FINITE
    assert res.t[-1] < 0.1


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="dt"):
        RK4(0.0)
    with pytest.raises(ValueError, match="rtol"):
        Adaptive(rtol=2.0)
    with pytest.raises(ValueError, match="method"):
        Adaptive(method="Euler")
    with pytest.raises(ValueError, match="increasing"):
        evolve(oscillator, np.zeros(2), np.array([0.0, 0.0, 1.0]), args=(1.0,))
