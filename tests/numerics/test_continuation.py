"""Continuation helpers (numerics.continuation) against curves whose tangent is known exactly."""

import numpy as np

from nupair.numerics import finite_difference_jacobian, null_tangent


def test_jacobian_of_a_smooth_map_matches_the_analytic_one():
    def f(z):
        x, y, s = z
        return np.array([x * x * y - np.sin(s), np.exp(x) + y * s])

    z = np.array([0.3, -1.2, 0.7])
    x, y, s = z
    exact = np.array([[2 * x * y, x * x, -np.cos(s)], [np.exp(x), s, y]])
    assert np.allclose(finite_difference_jacobian(f, z), exact, rtol=1e-8, atol=1e-9)


def test_null_tangent_follows_the_unit_circle_and_keeps_its_orientation():
    # F(x, y) = x^2 + y^2 - 1: the tangent at (cos a, sin a) is +-(-sin a, cos a)
    def f(z):
        return np.array([z[0] ** 2 + z[1] ** 2 - 1.0])

    for a in np.linspace(0.1, 6.0, 7):
        z = np.array([np.cos(a), np.sin(a)])
        previous = np.array([-np.sin(a), np.cos(a)]) + 0.3 * z  # roughly forward
        t = null_tangent(f, z, previous)
        assert np.allclose(t, [-np.sin(a), np.cos(a)], atol=1e-8)
        assert np.allclose(null_tangent(f, z, -previous), -t)
