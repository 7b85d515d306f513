"""Pairing with flavor (docs/flavor-pairing.md): reductions to HW, Emu's test problems,
conservation laws, O(N) vs O(N^2), compiled vs NumPy, linear vs nonlinear growth."""

import numpy as np
import pytest

from nupair import constants as c
from nupair import pairing as P
from nupair.numerics import fit_growth_rate
from nupair.results import Status

RNG = np.random.default_rng(20261203)


def _random_hermitian(n, nf, scale=0.2):
    x = RNG.normal(size=(n, nf, nf)) + 1j * RNG.normal(size=(n, nf, nf))
    h = scale * 0.5 * (x + np.conj(np.swapaxes(x, -1, -2)))
    h[:, np.arange(nf), np.arange(nf)] = RNG.uniform(0.3, 0.7, (n, nf))
    return h


def _random_setup(n=7, nf=2):
    grid = P.Grid.from_modes(RNG.uniform(1, 5, n), RNG.uniform(0, np.pi, n), RNG.uniform(0, 2 * np.pi, n),
                             RNG.uniform(0.5, 2, n))
    state = P.FlavorPairState(_random_hermitian(n, nf), _random_hermitian(n, nf),
                              0.1 * (RNG.normal(size=(n, nf, nf)) + 1j * RNG.normal(size=(n, nf, nf))))
    model = (P.FlavorModel.three_flavor(matter_potential_MeV=0.3) if nf == 3 else
             P.FlavorModel.two_flavor(0.5e12, 0.3, matter_potential_MeV=0.2) if nf == 2 else P.FlavorModel(1))
    return grid, state, model, P.PairingParams(0.05)


@pytest.mark.parametrize("nf", [1, 2, 3])
def test_moments_equal_pairwise_double_sum_and_kernel(nf):
    """The O(N) moment form (F8) equals the O(N^2) double sum (F9) and the Numba kernel."""
    grid, state, model, prm = _random_setup(nf=nf)
    phys = model.physics(grid, prm)
    r = state.generalized()
    a = P.flavor_rhs(r, phys)
    assert np.max(np.abs(a - P.flavor_rhs_pairwise(r, phys))) < 1e-13 * np.max(np.abs(a))
    system = model.bind(grid, prm)
    kernel, args = system.kernel()
    y = system._pack(r)
    assert np.max(np.abs(kernel(0.0, y, args) - system.rhs(0.0, y))) < 1e-13 * np.max(np.abs(a))


def test_single_flavor_is_hw_exactly():
    """n_f = 1: F = 2J, the right-hand side is HW eqs. (6)-(7) and the growth rates are the full
    model's (HW Figs. 1-3 set-ups) to 1e-10."""
    grid, prm = P.Grid(1, 1, 4), P.PairingParams(1e-6)
    s1 = P.hw_initial_state(grid, seed=1)
    st = P.FlavorPairState.from_single_flavor(s1, 1)
    d = P.flavor_rhs(st.generalized(), P.FlavorModel(1).physics(grid, prm))
    ref = P.rhs(s1, grid, prm)
    assert np.max(np.abs(d[:, 0, 0].real - ref[0])) < 1e-18
    assert np.max(np.abs(d[:, 0, 1] - (ref[2] + 1j * ref[3]))) < 1e-15
    for shape in [(1, 1, 4), (1, 1, 32), (1, 8, 8), (3, 1, 4)]:
        grid = P.Grid(*shape)
        s1 = P.hw_initial_state(grid, seed=2)
        full = P.growth_rates(s1, grid, prm).max_growth_rate
        flav = P.growth_rates(P.FlavorPairState.from_single_flavor(s1, 1), grid, prm).max_growth_rate
        assert flav == pytest.approx(full, rel=1e-10), shape
    two = P.PairState(np.array([1.0, 0.0]), np.array([1.0, 0.0]), np.zeros(2))  # HW Fig. 1 case A
    g2 = P.Grid.two_pair(1.0, 1.0)
    rate = P.growth_rates(P.FlavorPairState.from_single_flavor(two, 1), g2, P.PairingParams(1e-3)).max_growth_rate
    assert rate == pytest.approx(P.two_pair_growth_rate(1.0, 1.0, 0.0, 0.0, mu=1e-3, energy=1.0), rel=1e-10)


@pytest.mark.parametrize("nf", [2, 3])
def test_flavor_symmetric_singlet_is_hw_at_rescaled_coupling(nf):
    """rho = rho_1 1, kappa = kappa_1 1: the singlet feels F = (n_f + 1) J_1, i.e. HW at coupling
    g (n_f + 1)/2 (F11); its growth rate is the fastest of the flavor system."""
    grid = P.Grid.two_pair(1.0, 1.0)
    s1 = P.PairState(np.array([1.0, 0.1]), np.array([0.3, 0.1]), np.zeros(2))  # HW Fig. 1 case B
    mu = 1e-3
    sym = P.growth_rates(P.FlavorPairState.flavor_symmetric(s1, nf), grid, P.PairingParams(mu))
    hw = P.growth_rates(s1, grid, P.PairingParams(mu * (nf + 1) / 2))
    assert sym.max_growth_rate == pytest.approx(hw.max_growth_rate, rel=1e-10)
    assert sym.pairing_weight_of_fastest_mode == pytest.approx(1.0, abs=1e-12)


def test_empty_second_flavor_is_sourced_by_z_mediated_pair_conversion():
    """The issue expected an empty second flavor to be inert; it is not: the direct (trace) term
    of F gives Delta_xx = -eps^* . J_ee, so at kappa = 0, i d kappa_xx/dt = Delta_xx (S_x = -1),
    half the ee field (nu_e nubar_e -> nu_x nubar_x through the Z)."""
    grid, prm = P.Grid(1, 1, 4), P.PairingParams(1e-6)
    s1 = P.hw_initial_state(grid, seed=1, seed_amplitude=0.0)
    st = P.FlavorPairState.from_single_flavor(s1, 2)
    phys = P.FlavorModel().physics(grid, prm)
    d = P.flavor_rhs(st.generalized(), phys)
    w = grid.weights(1e-6)
    n1 = (w * (s1.rho + s1.rhobar)) @ grid.p_hat  # J_ee (spatial) at kappa = 0
    delta_xx = -(np.conj(grid.eps) @ n1)
    np.testing.assert_allclose(1j * d[:, 1, 3], delta_xx, rtol=1e-12)
    np.testing.assert_allclose(1j * d[:, 0, 2], -(s1.rho + s1.rhobar - 1) * 2 * delta_xx, rtol=1e-12)


def test_conservation_laws_to_round_off():
    """Tr R_p, Tr R_p^2 (every mode), lepton number per flavor (no mixing) and W (F10)."""
    grid, mu = P.Grid.two_pair(1.0, 1.0), 1e-2  # HW Fig. 1 case A in two flavors
    prm = P.PairingParams(mu)
    s1 = P.PairState(np.array([1.0, 0.0]), np.array([1.0, 0.0]), np.full(2, 1e-4 + 1e-4j))
    st = P.FlavorPairState.from_single_flavor(s1, 2).with_flavor_seed(1e-3, seed=5)
    ev = P.evolve(st, grid, prm, 15 / mu, n_save=41, model=P.FlavorModel(matter_potential_MeV=2e-3))
    assert ev.status is Status.SUCCESSFUL
    assert np.max(np.abs(ev.mean_abs_kappa)) > 0.05  # the run went nonlinear
    assert ev.trace_drift.max() < 1e-11
    assert ev.purity_drift.max() < 1e-9
    assert np.max(np.ptp(ev.lepton_number, axis=0)) < 1e-12 * np.sum(grid.volume_MeV3)  # [MeV^3]
    assert ev.energy_drift_relative.max() < 1e-10
    # the cubic invariant Tr R^3 of every mode too (unitary evolution keeps every eigenvalue)
    r = ev.modes_r
    tr3 = np.einsum("tpab,tpbc,tpca->tp", r, r, r).real
    assert np.max(np.abs(tr3 - tr3[0])) < 1e-9


def test_emu_fast_flavor_two_beam():
    """Emu (AMReX-Astro/Emu) Scripts/tests/fast_flavor_test.py with sample_inputs/inputs_fast_flavor
    and its generator st2_2beam_fast_flavor.py: nu_e along +z, nubar_e along -z, E = 50 MeV,
    m_1^2 - m_2^2 = 7.39e-5 eV^2, theta12 = 1e-6 deg, each beam's density n = V/(2 sqrt(2) G_F).
    Theory (Chakraborty et al. 2016 eq. 2.7, a = 0, mu = V/2): Im Omega = V/hbar = 1122.7 s^-1.
    Measured as Emu does: ln(f01(t1)/f01(t0))/(t1 - t0) on Re and Im of f01 and f01bar, 2 %."""
    energy = 50.0
    v_MeV = 7.39e-5 * (c.eV / c.MeV) ** 2 / (2 * energy)
    theory_per_s = v_MeV * c.MeV / c.hbar_eV_s
    assert theory_per_s == pytest.approx(1122.7, rel=1e-4)
    grid = P.Grid.from_modes([energy], [0.0], [0.0], [1.0])
    prm = P.PairingParams(v_MeV / 2)  # w = sqrt(2) G_F n = V/2
    model = P.FlavorModel.two_flavor(-7.39e-5, np.deg2rad(1e-6), pairing=False)
    rho = np.zeros((1, 2, 2), complex)
    rho[0, 0, 0] = 1.0
    st = P.FlavorPairState(rho, rho.copy(), np.zeros((1, 2, 2)))
    assert P.growth_rates(st, grid, prm, model=model).max_growth_rate == pytest.approx(v_MeV, rel=1e-10)
    ev = P.evolve(st, grid, prm, 24 / v_MeV, model=model, n_save=241)
    f01, f01bar = ev.modes_r[:, 0, 0, 1], ev.modes_r[:, 0, 2, 3]
    i0, i1 = 60, 100  # both in the linear phase (|f01| from ~5e-6 to ~3e-4)
    assert 1e-8 < abs(f01[i0]) and abs(f01[i1]) < 1e-2
    dt_s = (ev.t[i1] - ev.t[i0]) * c.hbar_eV_s / c.MeV
    for series in (f01.real, f01.imag, f01bar.real, f01bar.imag):
        measured = np.log(series[i1] / series[i0]) / dt_s
        assert abs(measured - theory_per_s) / theory_per_s < 2e-2


def test_emu_msw_resonance():
    """Emu Scripts/tests/msw_test.py (inputs_msw_test): one nu_e/nubar_e particle, E and rho Ye at
    the resonance, theta12 = 33.82 deg, m_1^2 - m_2^2 = 7.39e-5 eV^2; survival probabilities from
    Richers et al. 2019 eq. B3 (C = cos 2theta +- 2VE/dm2). Emu's tolerance 7e-2 on max |error|."""
    th = np.deg2rad(33.82)
    dm2 = 7.39e-5  # eV^2
    hbarc_eV_cm = c.hbarc_eV_m * 100
    energy_eV = dm2 * np.sin(2 * th) / (8 * np.pi * hbarc_eV_cm)  # Emu's formula (1 cm domain)
    v_eV = 4 * np.pi * hbarc_eV_cm / np.tan(2 * th)                 # sqrt(2) G_F rho Ye / m_p at resonance
    # the inputs file's density: rho_g_ccm = 1346160134.709288 (Ye = 1)
    n_e_per_cm3 = v_eV / (np.sqrt(2) * c.G_F) / hbarc_eV_cm**3
    rho_ye = n_e_per_cm3 * c.m_p * c.eV_to_kg * 1e3  # g/cm^3
    assert rho_ye == pytest.approx(1346160134.709288, rel=1e-4)  # inputs_msw_test: rho_g_ccm (Ye = 1)
    e = energy_eV * c.eV / c.MeV
    v = v_eV * c.eV / c.MeV
    n_density = 1.0 * hbarc_eV_cm**3  # 1 cm^-3 in eV^3
    w = np.sqrt(2) * c.G_F * n_density * c.eV / c.MeV  # MeV: negligible self-interaction
    grid = P.Grid.from_modes([e], [0.0], [0.0], [1.0])
    model = P.FlavorModel.two_flavor(-dm2, th, matter_potential_MeV=v, pairing=False)
    rho = np.zeros((1, 2, 2), complex)
    rho[0, 0, 0] = 1.0
    st = P.FlavorPairState(rho, rho.copy(), np.zeros((1, 2, 2)))
    dm2_MeV2 = dm2 * (c.eV / c.MeV) ** 2
    t_end = 3 * 4 * np.pi * e / (dm2_MeV2 * np.sin(2 * th))  # three resonant periods
    ev = P.evolve(st, grid, P.PairingParams(w), t_end, model=model, n_save=301)
    r = ev.modes_r[:, 0]
    t = ev.t
    for sign, ee, xx in ((+1, r[:, 0, 0].real, r[:, 1, 1].real), (-1, 1 - r[:, 2, 2].real, 1 - r[:, 3, 3].real)):
        cc = np.cos(2 * th) + sign * 2 * v * e / dm2_MeV2
        sin2 = np.sin(2 * th) ** 2 / (np.sin(2 * th) ** 2 + cc**2)
        dm2_eff = dm2_MeV2 * np.sqrt(np.sin(2 * th) ** 2 + cc**2)
        p_surv = 1 - np.sin(t * dm2_eff / (4 * e)) ** 2 * sin2
        assert np.max(np.abs(ee - p_surv)) < 7e-2
        assert np.max(np.abs(ee - p_surv)) < 1e-6  # nupair's own accuracy, far inside Emu's tolerance
        assert np.max(np.abs(xx - (1 - p_surv))) < 1e-6
        assert np.max(np.abs(ee + xx - 1)) < 1e-10


def test_linear_growth_matches_nonlinear_flavor_and_pairing_modes():
    """Stability matrix vs the integrated equations in the linear phase, 2 %: a pairing-dominated
    mode (HW Fig. 1 case A in two flavors, started at the linear fixed point) and a
    flavor-dominated one (a nu_e/nubar_e two-beam with vacuum term, pairing on)."""
    mu = 1e-3
    grid, prm = P.Grid.two_pair(1.0, 1.0), P.PairingParams(mu)
    s1 = P.PairState(np.array([1.0, 0.0]), np.array([1.0, 0.0]), np.zeros(2))
    st = P.FlavorPairState.from_single_flavor(s1, 2).with_flavor_seed(1e-7, seed=3)
    lin = P.growth_rates(st, grid, prm)
    assert lin.pairing_weight_of_fastest_mode > 0.999
    kfp = P.FlavorModel().bind(grid, prm).fixed_point(st)
    start = P.FlavorPairState(st.rho, st.rhobar, kfp + 1e-7)
    ev = P.evolve(start, grid, prm, 20 / mu, n_save=2001)
    fit = fit_growth_rate(ev.t, ev.mean_abs_delta_kappa)
    assert fit.rate == pytest.approx(lin.growth_rate_pairing_MeV, rel=2e-2)
    omega = 2 * mu
    g1 = P.Grid.from_modes([1.0], [0.0], [0.0], [1.0])
    model = P.FlavorModel.two_flavor(-omega * 2 * 1.0 / (c.eV / c.MeV) ** 2, 1e-6)
    rho = np.zeros((1, 2, 2), complex)
    rho[0, 0, 0] = 1.0
    two_beam = P.FlavorPairState(rho, rho.copy(), np.zeros((1, 2, 2)))
    lin = P.growth_rates(two_beam, g1, P.PairingParams(mu), model=model)
    assert lin.flavor_weights[0] > 0.999 and lin.max_growth_rate == pytest.approx(omega, rel=1e-6)
    ev = P.evolve(two_beam, g1, P.PairingParams(mu), 30 / omega, model=model, n_save=1501)
    fit = fit_growth_rate(ev.t, ev.mean_flavor_coherence)
    assert fit.rate == pytest.approx(lin.growth_rate_flavor_MeV, rel=2e-2)


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="n_flavors"):
        P.FlavorModel(n_flavors=4)
    with pytest.raises(ValueError, match="mass_squared_eV2"):
        P.FlavorModel(n_flavors=2, mass_squared_eV2=(0.0, 1.0, 2.0))
    with pytest.raises(ValueError, match="mixing"):
        P.FlavorModel(n_flavors=2, mixing=((1, 1), (0, 1)))
    with pytest.raises(ValueError, match="rho"):
        P.FlavorPairState(np.full((2, 2, 2), 2.0), np.zeros((2, 2, 2)), np.zeros((2, 2, 2)))
    with pytest.raises(ValueError, match="Hermitian"):
        P.FlavorPairState(np.array([[[0.5, 0.1], [0.3, 0.5]]]), np.zeros((1, 2, 2)), np.zeros((1, 2, 2)))
    grid = P.Grid(1, 1, 4)
    with pytest.raises(TypeError, match="FlavorPairState"):
        P.growth_rates(P.hw_initial_state(grid, seed=1), grid, P.PairingParams(1e-6), model="flavor")
    st = P.FlavorPairState.from_single_flavor(P.hw_initial_state(grid, seed=1), 2)
    with pytest.raises(ValueError, match="kappa must be 0"):
        P.evolve(st, grid, P.PairingParams(1e-6), 1.0, model=P.FlavorModel(pairing=False))
    with pytest.raises(ValueError, match="flavors"):
        P.growth_rates(st, grid, P.PairingParams(1e-6), model=P.FlavorModel(3))


def test_numpy_solver_path_equals_compiled_path():
    """evolve with the SciPy-style Adaptive solver (NumPy right-hand side) gives the compiled run."""
    from nupair.numerics import Adaptive, JitDOP853

    grid, prm = P.Grid.two_pair(1.0, 1.0), P.PairingParams(1e-2)
    s1 = P.PairState(np.array([1.0, 0.0]), np.array([1.0, 0.0]), np.full(2, 1e-3 + 0j))
    st = P.FlavorPairState.from_single_flavor(s1, 2).with_flavor_seed(1e-3, seed=1)
    a = P.evolve(st, grid, prm, 50.0, n_save=11, solver=Adaptive("DOP853", rtol=1e-11, atol=1e-13))
    b = P.evolve(st, grid, prm, 50.0, n_save=11, solver=JitDOP853(rtol=1e-11, atol=1e-13))
    assert np.max(np.abs(a.r_reached - b.r_reached)) < 1e-8
