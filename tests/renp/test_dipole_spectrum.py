"""Photon-mediated (dipole-moment) RENP spectrum against Dirac traces over the pair phase space.

The closed form of :mod:`nupair.renp.dipole` was derived from the Lagrangian of spec renp 4.4 (the
stored copy of Ge & Pasquini arXiv:2306.12953 holds no formulas); here every trace is evaluated
numerically with explicit gamma matrices at points of the two-body phase space in the atom frame,
without the covariance argument of the derivation, and averaged by quadrature.
"""

import numpy as np
import pytest

from nupair import constants as const
from nupair import renp

I2, SX, SY, SZ = np.eye(2), np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.diag([1.0, -1.0])
Z2 = np.zeros((2, 2))
GAMMA = np.array([np.block([[I2, Z2], [Z2, -I2]])] + [np.block([[Z2, s], [-s, Z2]]) for s in (SX, SY, SZ)], complex)
G5 = 1j * GAMMA[0] @ GAMMA[1] @ GAMMA[2] @ GAMMA[3]
METRIC = np.diag([1.0, -1.0, -1.0, -1.0])
SIGMA = 0.5j * (GAMMA[:, None] @ GAMMA[None, :] - GAMMA[None, :] @ GAMMA[:, None])  # (4, 4, 4, 4)
E_EG = renp.get_atom("Yb").E_eg_eV


def _slash(p):  # p (n, 4) -> (n, 4, 4)
    return np.einsum("nm,m,mab->nab", p, np.diag(METRIC), GAMMA)


def _phase_space(omega, mi, mj, n=24):
    """Pair momenta (n^2, 4) each in the atom frame, equal-weight average over the pair decay angles."""
    s = E_EG * (E_EG - 2 * omega)
    root_s = np.sqrt(s)
    k = np.sqrt((s - (mi + mj) ** 2) * (s - (mi - mj) ** 2)) / (2 * root_s)
    e1, e2 = (s + mi**2 - mj**2) / (2 * root_s), (s + mj**2 - mi**2) / (2 * root_s)
    x, wx = np.polynomial.legendre.leggauss(n)
    phi = (np.arange(n) + 0.5) * 2 * np.pi / n
    c, ph = np.meshgrid(x, phi, indexing="ij")
    st = np.sqrt(1 - c**2)
    dirs = np.stack([st * np.cos(ph), st * np.sin(ph), c], axis=-1).reshape(-1, 3)
    weights = np.repeat(wx / 2, n) / n
    q0 = E_EG - omega
    gam, beta = q0 / root_s, omega / q0  # boost along +z: q = (E_eg - omega, 0, 0, omega)

    def boost(e, p):
        return np.column_stack([gam * (e + beta * p[:, 2]), p[:, 0], p[:, 1], gam * (p[:, 2] + beta * e)])

    p1 = boost(np.full(len(dirs), e1), k * dirs)
    p2 = boost(np.full(len(dirs), e2), -k * dirs)
    return p1, p2, weights, np.array([q0, 0.0, 0.0, omega]), s


def _tensor(p1, p2, mi, mj, gam_a, gam_b):
    """Sum over spins of J_a^k J_b^l*: Tr[(p1/ + mi) A^k (p2/ - mj) Bbar^l], shape (n, 3, 3)."""
    pa = _slash(p1) + mi * np.eye(4)
    pb = _slash(p2) - mj * np.eye(4)
    return np.einsum("nab,kbc,ncd,lda->nkl", pa, gam_a[1:], pb, gam_b[1:])


def _dipole_vertex(q, c_mu, c_eps, conj=False):
    """Gamma^nu = sigma^{nu rho} q_rho (mu + i eps gamma5); conj: the barred vertex (mu* + i eps* gamma5)."""
    sq = np.einsum("nrab,r->nab", SIGMA, METRIC @ q)
    a, b = (np.conj(c_mu), np.conj(c_eps)) if conj else (c_mu, c_eps)
    return sq @ (a * np.eye(4) + 1j * b * G5)


def _weak_vertex(conj=False):
    return np.array([g @ (np.eye(4) - G5) for g in GAMMA])  # gamma^mu (1 - gamma5) is its own bar


CASES = [(0.3, 0.01, 0.05), (0.8, 0.0, 0.0), (0.9, 0.05, 0.06), (1.0, 0.02, 0.1)]


@pytest.mark.parametrize("omega, mi, mj", CASES)
def test_weak_normalisation_is_eight_times_the_kinematic_function(omega, mi, mj):
    # the convention the dipole term is normalised against: (1/3) sum_k sum_spins |J_w^k|^2 = 8 I_ij
    p1, p2, w, q, s = _phase_space(omega, mi, mj)
    t = _tensor(p1, p2, mi, mj, _weak_vertex(), _weak_vertex())
    avg = np.sum(w * np.einsum("nkk->n", t).real) / 3
    assert avg / 8 == pytest.approx(float(renp.kinematic_function(omega, mi, mj)), rel=1e-10)


@pytest.mark.parametrize("omega, mi, mj", CASES)
@pytest.mark.parametrize("c_mu, c_eps", [(1.0, 0.0), (0.0, 1.0), (0.6, 0.8j)])
def test_dipole_bracket_equals_the_traces(omega, mi, mj, c_mu, c_eps):
    p1, p2, w, q, s = _phase_space(omega, mi, mj)
    t = _tensor(p1, p2, mi, mj, _dipole_vertex(q, c_mu, c_eps), _dipole_vertex(q, c_mu, c_eps, conj=True))
    qv = q[1:]
    proj = qv @ qv * np.eye(3) - np.outer(qv, qv)  # |q x J|^2 = (|q|^2 delta - q q) J J*
    avg = np.sum(w * np.einsum("kl,nkl->n", proj, t).real) / 3
    # amplitude mu_B^2 <S>.(q x J)/q^2 against the weak sqrt2 G_F a <S>.J_w (= 8 I_ij per |a|^2)
    numeric = const.mu_B**4 / (2 * const.G_F**2) * avg / s**2 / 8
    f_mu, f_eps = renp.dipole_kinematic_functions(omega, s, mi, mj)
    assert numeric == pytest.approx(abs(c_mu) ** 2 * f_mu + abs(c_eps) ** 2 * f_eps, rel=1e-10)


@pytest.mark.parametrize("omega, mi, mj", CASES)
def test_no_interference_with_the_weak_term_for_unpolarised_atoms(omega, mi, mj):
    p1, p2, w, q, s = _phase_space(omega, mi, mj)
    dip, weak = _dipole_vertex(q, 0.7, 0.3 + 0.2j, conj=True), _weak_vertex()
    t = _tensor(p1, p2, mi, mj, weak, dip)  # J_w^a (J_dip^m)*
    eps = np.zeros((3, 3, 3))
    for a, b, c in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
        eps[a, b, c], eps[a, c, b] = 1.0, -1.0
    cross = np.einsum("akm,k,nam->n", eps, q[1:], t)  # sum_a J_w^a (q x J_dip)^a*
    mixed = abs(np.sum(w * cross))
    size = np.sqrt(np.sum(w * np.abs(np.einsum("nkk->n", t))) ** 2)
    assert mixed < 1e-12 * max(size, 1.0)


def test_spectrum_features():
    masses = renp.resolve_masses(lightest_mass_eV=0.05)
    th = renp.thresholds(masses)
    omega = np.linspace(0.02, 1.07, 400)
    sm = renp.spectrum(omega, masses_eV=masses)
    mu13 = renp.spectrum(omega, masses_eV=masses, mediator=renp.reach.dipole_moments_for("magnetic", (1, 3), 1e-9))
    eps13 = renp.spectrum(omega, masses_eV=masses, mediator=renp.reach.dipole_moments_for("electric", (1, 3), 1e-9))
    # element (1, 3) changes the spectrum only below its channel threshold omega_13
    above = omega > th[(1, 3)]
    assert np.all(mu13[above] == sm[above]) and np.all(mu13[~above] > sm[~above])
    # near the threshold the mu term rises like Delta (finite bracket), the eps term like Delta^3
    near = th[(1, 3)] - np.geomspace(1e-4, 1e-9, 12)
    d = renp.phase_space_factor(near, masses[0], masses[2])
    extra_mu = renp.spectrum(near, masses_eV=masses, mediator=renp.reach.dipole_moments_for("magnetic", (1, 3), 1e-9)) \
        - renp.spectrum(near, masses_eV=masses)
    extra_eps = renp.spectrum(near, masses_eV=masses, mediator=renp.reach.dipole_moments_for("electric", (1, 3), 1e-9)) \
        - renp.spectrum(near, masses_eV=masses)
    assert np.ptp(np.log(extra_mu / d)) < 0.05 and np.ptp(np.log(extra_eps / d**3)) < 0.05
    assert np.ptp(np.log(extra_mu / d**3)) > 5.0  # the two shapes differ (Delta spans 2.5 decades)
    # massless pair: mu and eps give the same bracket, mu_B^4 omega^2 |mu|^2 / (36 G_F^2)
    f_mu, f_eps = renp.dipole_kinematic_functions(0.5, E_EG * (E_EG - 1.0), 0.0, 0.0)
    assert f_mu == pytest.approx(f_eps, rel=1e-14)
    assert f_mu == pytest.approx(const.mu_B**4 * 0.25 / (36 * const.G_F**2), rel=1e-14)


def test_majorana_transition_moment_counts_twice_and_natures_must_agree():
    masses = renp.resolve_masses(lightest_mass_eV=0.05)
    omega = np.array([0.4, 0.9])
    dirac = renp.spectrum(omega, masses_eV=masses, mediator=renp.reach.dipole_moments_for("magnetic", (1, 2), 1e-9))
    sm_d = renp.spectrum(omega, masses_eV=masses)
    maj = renp.spectrum(omega, masses_eV=masses, nature="majorana",
                        mediator=renp.reach.dipole_moments_for("magnetic", (1, 2), 1e-9, "majorana"))
    sm_m = renp.spectrum(omega, masses_eV=masses, nature="majorana")
    assert maj - sm_m == pytest.approx(2 * (dirac - sm_d), rel=1e-10)
    with pytest.raises(ValueError, match="natures must agree"):
        renp.spectrum(omega, masses_eV=masses, mediator=renp.reach.dipole_moments_for("magnetic", (1, 2), 1e-9,
                                                                                       "majorana"))


def test_dipole_reach_improves_with_exposure_and_checks_elements():
    from nupair.renp.statistics import Experiment, Hypothesis

    h, e = Hypothesis("normal", "dirac", 0.01), Experiment()
    year = 3.15576e7
    one = renp.required_dipole_moment("magnetic", h, e, year)
    sixteen = renp.required_dipole_moment("magnetic", h, e, 16 * year)
    assert one.ok and sixteen.ok and sixteen.value < one.value
    with pytest.raises(ValueError, match="element"):
        renp.reach.dipole_moments_for("magnetic", (2, 2), 1e-10)
