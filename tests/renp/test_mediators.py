"""Light mediators and dipole moments (spec renp.md 4.2-4.4, target 13, 15)."""

import math

import numpy as np
import pytest

from nupair import constants as const
from nupair import flavor, renp

HALF = renp.ATOMS["Yb"].E_eg_eV / 2
W = HALF - np.linspace(1e-6, 4e-3, 400)


@pytest.mark.parametrize("nature", ["dirac", "majorana"])
def test_zero_couplings_reduce_exactly_to_the_standard_model(nature):
    ref = renp.spectrum(W, lightest_mass_eV=0.03, nature=nature, majorana_phases=(0.3, 1.2))
    for med in (renp.ZPrime(1e-2, 0.0, 1.0, 1.0), renp.ZPrime(10.0, 1e-12, 0.0, 0.0),
                renp.Scalar(1e-2, 0.0, 1.0, 1.0), renp.Scalar(1.0, 1e-9, 0.0, 0.0)):
        got = renp.spectrum(W, lightest_mass_eV=0.03, nature=nature, majorana_phases=(0.3, 1.2), mediator=med)
        assert np.allclose(got, ref, rtol=1e-14, atol=0)


def test_heavy_zprime_is_a_contact_shift_of_a():
    # M^2 >> Q2: a^L -> a - g^e g_L / (sqrt2 G_F M^2), a constant shift of the couplings
    m_z, g = 1e4, 1e-20
    u = flavor.pmns_from_fit()
    a = renp.coupling_matrix(u)
    shift = -g / (math.sqrt(2) * const.G_F * m_z**2)
    masses = renp.resolve_masses(lightest_mass_eV=0.03)
    contact = renp.spectral_function(W, masses, a + shift * np.eye(3), False, renp.ATOMS["Yb"]).sum(axis=(0, 1))
    got = renp.spectrum(W, masses_eV=masses, mediator=renp.ZPrime(m_z, g, 1.0))
    assert np.allclose(got, contact, rtol=1e-8)


def test_light_zprime_amplitude_scales_as_one_over_q2():
    # M^2 << Q2: the new amplitude ~ 1/Q2, i.e. the pure-Z' part of a channel ~ g^2 / Q2^2
    masses = np.zeros(3)
    g = 1e-24
    pure = []
    for w in (0.8, 0.9):
        sm = renp.spectrum(w, masses_eV=masses)
        z1 = renp.spectrum(w, masses_eV=masses, mediator=renp.ZPrime(1e-6, g, 1.0))
        z2 = renp.spectrum(w, masses_eV=masses, mediator=renp.ZPrime(1e-6, 2 * g, 1.0))
        # quadratic in g: z(g) = sm + b g + c g^2 -> c from two couplings
        c = (z2 - 2 * z1 + sm) / (2 * g * g)
        pure.append(c * renp.pair_invariant(w) ** 2)
    # c Q2^2 carries the remaining omega dependence of (I_kin Delta / (E_vg - w)^2), which is the same as the SM's
    sm_shape = [renp.spectrum(w, masses_eV=masses) for w in (0.8, 0.9)]
    assert pure[0] / pure[1] == pytest.approx(sm_shape[0] / sm_shape[1], rel=1e-6)


def test_resonant_photon_energy():
    med = renp.ZPrime(0.1, 1e-20, 1.0)
    w = renp.resonant_energies(med, renp.ATOMS["Yb"].E_eg_eV)
    assert renp.pair_invariant(w) == pytest.approx(0.01, rel=1e-12)
    assert renp.resonant_energies(renp.ZPrime(3.0, 1.0, 1.0), renp.ATOMS["Yb"].E_eg_eV) is None


def test_scalar_pseudoscalar_part_is_absent_for_majorana():
    med = renp.Scalar(1e-2, 1e-12, 0.0, 1e-6)
    m = renp.resolve_masses(lightest_mass_eV=0.03)
    d_sm = renp.spectrum(W, masses_eV=m, nature="majorana")
    assert np.allclose(renp.spectrum(W, masses_eV=m, nature="majorana", mediator=med), d_sm, rtol=1e-14, atol=0)
    assert not np.allclose(renp.spectrum(W, masses_eV=m, nature="dirac", mediator=med), renp.spectrum(W, masses_eV=m))


def test_mediator_bad_input():
    with pytest.raises(ValueError, match="mass_eV"):
        renp.ZPrime(-1.0, 1.0)
    with pytest.raises(ValueError, match="g_nu_L"):
        renp.ZPrime(1.0, 1.0, np.ones((2, 2)))
    with pytest.raises(ValueError, match="mediator"):
        renp.spectrum(0.5, lightest_mass_eV=0.0, mediator="Z'")


def test_dipole_elements_switch_on_below_their_threshold():
    # target 15
    m = np.array([0.01, 0.02, 0.05])
    mu = np.zeros((3, 3))
    mu[0, 2], mu[2, 0] = 1e-11, -1e-11
    d = renp.DipoleMoments(mu, nature="majorana")
    w13 = renp.thresholds(m)[(1, 3)]
    on = d.contributing_elements(np.array([w13 + 1e-7, w13 - 1e-7]), m)
    assert not on[..., 0].any()
    assert on[0, 2, 1] and on[2, 0, 1] and on[..., 1].sum() == 2


def test_effective_moments():
    u = flavor.pmns_from_fit()
    mu = np.array([[0, 2e-12, 0], [-2e-12, 0, 1e-12], [0, -1e-12, 0]], dtype=complex)
    d = renp.DipoleMoments(mu, nature="majorana")
    assert d.effective_stellar() == pytest.approx(math.sqrt(2 * (4e-24 + 1e-24)), rel=1e-12)
    direct = math.sqrt(sum(abs(sum(np.conj(u[0, k]) * mu[j, k] for k in range(3))) ** 2 for j in range(3)))
    assert d.effective_scattering("e", u) == pytest.approx(direct, rel=1e-12)
    # unitarity: summing (mu_alpha^eff)^2 over flavours gives sum |mu_jk|^2 (no eps)
    total = sum(d.effective_scattering(f, u) ** 2 for f in ("e", "mu", "tau"))
    assert total == pytest.approx(d.effective_stellar() ** 2, rel=1e-12)
    with pytest.raises(ValueError, match="antisymmetric"):
        renp.DipoleMoments(np.eye(3) * 1e-12, nature="majorana")
    with pytest.raises(ValueError, match="Hermitian"):
        renp.DipoleMoments(mu * 1j + np.triu(np.ones((3, 3))), nature="dirac")
