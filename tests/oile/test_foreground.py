"""Model 1 (spec oile.md section 5; test targets 8-11)."""

import numpy as np
import pytest

from nupair import oile
from tests.oile._reference import encounter_expm

P0, PBG = np.array([0.0, 0.0, 1.0]), np.array([0.5, 0.0, 0.0])


def test_closed_form_equals_iterated_map_and_expm():
    # target 8
    g = 0.3
    coef = oile.encounter_coefficients(g)
    it = oile.foreground_map(P0, PBG, coef, 40)
    cf = oile.foreground_closed_form(P0, PBG, coef, np.arange(41))
    assert np.max(np.abs(it - cf)) < 1e-12
    rho = (np.eye(2) + P0[2] * np.diag([1, -1])) / 2
    rbg = np.array([[0.5, 0.25], [0.25, 0.5]])
    for _ in range(40):
        rho, _ = encounter_expm(rho, rbg, g)
    p_expm = np.array([2 * rho[0, 1].real, -2 * rho[0, 1].imag, (rho[0, 0] - rho[1, 1]).real])
    assert np.max(np.abs(p_expm - it[-1])) < 1e-10
    assert np.allclose(oile.foreground_map(PBG, PBG, coef, 5), PBG)  # fixed point


def test_mean_field_limit_period():
    # target 9: gamma = 1e-3: first precession period 2 pi / (gamma b) encounters to 1e-3
    g, b = 1e-3, 0.5
    coef = oile.encounter_coefficients(g)
    n_period = 2 * np.pi / (g * b)
    n = np.arange(int(1.2 * n_period))
    p = oile.foreground_closed_form(P0, PBG, coef, n)
    phase = np.unwrap(np.arctan2(-p[:, 1], p[:, 2]))  # rotation about +x, starting at +z toward -y
    first = np.interp(2 * np.pi, phase, n)
    assert first == pytest.approx(n_period, rel=1e-3)
    lengths = np.linalg.norm(p[: int(n_period)], axis=1)
    assert np.max(np.abs(lengths - 1)) < g * 2 * np.pi / b


def test_decay_rates_exact():
    # target 10
    g = 0.2
    c = np.cos(g)
    coef = oile.encounter_coefficients(g)
    n = np.arange(30)
    d = oile.foreground_closed_form(P0, PBG, coef, n) - PBG
    assert np.allclose(np.abs(d[:, 0]), 0.5 * c ** (2 * n), rtol=1e-12)
    perp = np.linalg.norm(d[:, 1:], axis=1)
    assert np.allclose(perp, np.abs(c) ** n * (c**2 + 0.25 * np.sin(g) ** 2) ** (n / 2), rtol=1e-12)


def test_large_gamma_decoheres():
    # target 11
    p = oile.foreground_map(P0, PBG, oile.encounter_coefficients(1.3), 30)
    assert np.linalg.norm(p[-1] - PBG) < 1e-6


def test_isotropic_averages():
    g = 0.4
    u = np.linspace(-1, 1, 200001)
    ge = g * (1 - u)
    ref = [np.trapezoid(f, u) / 2 for f in (np.cos(ge) ** 2, np.sin(ge) ** 2, np.cos(ge) * np.sin(ge))]
    assert np.allclose(oile.isotropic_coefficients(g), ref, atol=1e-9)


def test_monte_carlo_mean_matches_recurrence_within_errors():
    for g in (0.01, 0.3):
        coef = oile.isotropic_coefficients(g)
        ens = oile.foreground_monte_carlo(P0, PBG, g, 300, n_ensemble=4000, seed=5, save_every=3)
        exact = oile.foreground_closed_form(P0, PBG, coef, ens.n)
        z = np.abs(ens.mean - exact) / np.maximum(ens.stderr, 1e-12)
        assert np.mean(z < 3) > 0.97  # about 99.7 % for a correct mean; 3 % slack for correlations
        fit = oile.fit_precession_relaxation(ens, PBG)
        rates = oile.foreground_rates(0.5, coef)
        assert abs(fit["precession"] - rates.precession_per_encounter) < 4 * fit["precession_stderr"]


def test_reproducible_with_seed():
    a = oile.foreground_monte_carlo(P0, PBG, 0.1, 20, n_ensemble=100, seed=3)
    b = oile.foreground_monte_carlo(P0, PBG, 0.1, 20, n_ensemble=100, seed=3)
    c = oile.foreground_monte_carlo(P0, PBG, 0.1, 20, n_ensemble=100, seed=4)
    assert np.array_equal(a.mean, b.mean) and not np.array_equal(a.mean, c.mean)


def test_three_flavor_foreground_map():
    # the 3-flavor recurrence equals repeated 9x9 expm encounters, and a background with the
    # third flavor empty reproduces the 2-flavor map
    from nupair import flavor

    rng = np.random.default_rng(8)
    z = rng.normal(size=(3, 3)) + 1j * rng.normal(size=(3, 3))
    rho0 = z @ z.conj().T
    rho0 /= np.trace(rho0).real
    rbg = np.diag([0.6, 0.3, 0.1]).astype(complex)
    g = 0.25
    p = oile.foreground_map(flavor.density_to_bloch(rho0), flavor.density_to_bloch(rbg), oile.encounter_coefficients(g), 15)
    r = rho0
    for _ in range(15):
        r, _ = encounter_expm(r, rbg, g)
    assert np.max(np.abs(flavor.bloch_to_density(p[-1]) - r)) < 1e-12
    embed = lambda m: np.pad(m, ((0, 1), (0, 1)))  # noqa: E731
    r2a = np.array([[0.7, 0.2 + 0.1j], [0.2 - 0.1j, 0.3]])
    r2b = np.array([[0.4, -0.1], [-0.1, 0.6]], dtype=complex)
    p3 = oile.foreground_map(flavor.density_to_bloch(embed(r2a)), flavor.density_to_bloch(embed(r2b)),
                             oile.encounter_coefficients(g), 10)
    p2 = oile.foreground_map(flavor.density_to_bloch(r2a), flavor.density_to_bloch(r2b), oile.encounter_coefficients(g), 10)
    assert np.max(np.abs(flavor.bloch_to_density(p3[-1])[:2, :2] - flavor.bloch_to_density(p2[-1]))) < 1e-13
