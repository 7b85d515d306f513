"""The secular (co-rotating, averaged) pairing equations (docs/secular.md) against the full ones.

References: HW eq. 16 (two pairs: 2 mu sqrt(-S_x S_z), exact in the secular model); the full
model's stability matrix and nonlinear evolution (independent equations, same state); the
invariants of spec 3.2 (|P|^2, lepton number) and the secular energy (S7).
"""

import numpy as np
import pytest

from nupair import pairing
from nupair.numerics import JitDOP853, fit_growth_rate
from nupair.pairing import secular as sec



def _params_for(mu_over_e: float, e_max: float = 20.0) -> pairing.PairingParams:
    """g' with mu' = g' e_max^3 = mu_over_e x e_max."""
    return pairing.PairingParams(mu_over_e * e_max / e_max**3)


def test_two_pair_secular_rate_is_hw_eq16_exactly():
    grid = pairing.Grid.two_pair(1000.0, 1.0)
    pp = pairing.PairingParams(1.0)
    rng = np.random.default_rng(3)
    for _ in range(200):
        occ = rng.uniform(0, 1, 4)
        st = pairing.PairState(occ[[0, 2]], occ[[1, 3]], np.zeros(2, complex))
        rate = pairing.growth_rates(st, grid, pp, model="secular").max_growth_rate
        sx, sz = occ[0] + occ[1] - 1, occ[2] + occ[3] - 1
        assert rate == pytest.approx(2 * np.sqrt(max(-sx * sz, 0.0)), abs=1e-9)  # round-off of 2E = 2000


def test_two_pair_secular_matches_full_eigenvalue_to_order_mu_over_e():
    # the check: |secular - full| <= 0.0085 mu^2/E over random occupations
    rng = np.random.default_rng(4)
    for e in (1e2, 1e3):
        for _ in range(300):
            occ = rng.uniform(0, 1, 4)
            sx, sz = occ[0] + occ[1] - 1, occ[2] + occ[3] - 1
            sec_rate = 2 * np.sqrt(max(-sx * sz, 0.0))
            full = pairing.two_pair_growth_rate(*occ, 1.0, e)
            assert abs(sec_rate - full) <= 0.0085 / e + 1e-12


@pytest.mark.parametrize("shape", [(1, 1, 4), (1, 1, 32), (1, 8, 8), (2, 1, 4), (3, 1, 4), (4, 1, 4)])
def test_hw_growth_rates_converge_to_secular_linearly_in_mu_over_e(shape):
    grid = pairing.Grid(*shape, e_max=20.0)
    st = pairing.hw_initial_state(grid, seed=1)
    diffs, rates = [], []
    for moe in (1e-3, 1e-4, 1e-5):
        pp = _params_for(moe)
        mu = pp.mu_MeV(grid)
        full = pairing.growth_rates(st, grid, pp, return_eigenvectors=False).max_growth_rate / mu
        secular = pairing.growth_rates(st, grid, pp, model="secular", return_eigenvectors=False).max_growth_rate / mu
        diffs.append(abs(full - secular))
        rates.append((full, secular))
    # N_E <= 3 within 1 % at mu/E = 1e-3; N_E = 4 (rate 0.43 mu) within 2.5 %
    limit = 0.025 if shape[0] == 4 else 0.01
    assert abs(rates[0][0] - rates[0][1]) / rates[0][1] < limit
    slopes = np.diff(np.log10(diffs)) / np.diff(np.log10([1e-3, 1e-4, 1e-5]))
    assert np.all(np.abs(slopes - 1.0) < 0.05), slopes


@pytest.mark.parametrize("n_energy", [5, 6])
def test_hw_fig3_cutoff_survives_in_the_secular_model(n_energy):
    grid = pairing.Grid(n_energy, 1, 4, e_max=20.0)
    st = pairing.hw_initial_state(grid, seed=1)
    pp = pairing.PairingParams(1e-6)
    assert not pairing.growth_rates(st, grid, pp).unstable
    assert not pairing.growth_rates(st, grid, pp, model="secular").unstable


def test_kernel_equals_numpy_rhs_with_near_couplings():
    grid = pairing.Grid(3, 4, 8, e_max=20.0)
    pp = pairing.PairingParams(1e-3)
    y = pairing.hw_initial_state(grid, seed=1, seed_amplitude=0.1).to_array()
    for cutoff in (0.0, 1.0, 1e4):  # 1e4 mu couples all three energy groups
        groups = sec.secular_groups(grid, pp, cutoff)
        a = sec.secular_rhs(0.37, y, grid, pp, cutoff)
        b = sec.secular_rhs_flat(0.37, y.ravel(), sec.kernel_args(grid, pp, groups)).reshape(4, -1)
        np.testing.assert_allclose(b, a, rtol=0, atol=1e-13 * np.max(np.abs(a)))


def test_secular_rhs_is_the_time_average_of_the_full_rhs():
    # average the full right-hand side, moved to the co-rotating frame, over many fast periods:
    # the result is the secular right-hand side up to O(mu/E)
    grid = pairing.Grid(1, 1, 8, e_max=20.0)
    pp = _params_for(1e-4)
    st = pairing.hw_initial_state(grid, seed=2, seed_amplitude=0.05).to_array()
    e = grid.energy_MeV
    period = np.pi / e[0]
    ts = np.linspace(0, 50 * period, 4001)[:-1]
    acc = np.zeros_like(st)
    for t in ts:
        lab = sec.to_lab_frame(st, grid, t)
        d = pairing.rhs(lab, grid, pp)
        dk = (d[2] + 1j * d[3]) * np.exp(2j * e * t) + 2j * e * (lab[2] + 1j * lab[3]) * np.exp(2j * e * t)
        acc += np.stack([d[0], d[1], dk.real, dk.imag])
    acc /= ts.size
    want = sec.secular_rhs(0.0, st, grid, pp)
    scale = np.max(np.abs(want))
    assert np.max(np.abs(acc - want)) < 2e-3 * scale


def test_invariants_conserved_and_cost_independent_of_e():
    grid = pairing.Grid(1, 1, 4, e_max=20.0)
    out = {}
    for moe in (1e-3, 1e-12):
        pp = _params_for(moe)
        mu = pp.mu_MeV(grid)
        st = pairing.hw_initial_state(grid, seed=1)
        evo = pairing.evolve(st, grid, pp, 20.0 / mu, n_save=401, model="secular", solver=JitDOP853(1e-11, 1e-14))
        assert evo.ok
        assert evo.bloch_norm2_drift.max() < 1e-9
        assert evo.lepton_drift.max() < 1e-12
        assert evo.energy_drift_relative.max() < 1e-9
        fit = fit_growth_rate(evo.t, evo.mean_abs_kappa)
        out[moe] = (fit.rate / mu, evo.stats["n_rhs"])
    assert out[1e-12][1] == out[1e-3][1]  # the same steps in units of 1/mu
    limit = pairing.growth_rates(pairing.hw_initial_state(grid, seed=1), grid, _params_for(1e-12),
                                 model="secular").max_growth_rate / _params_for(1e-12).mu_MeV(grid)
    assert out[1e-12][0] == pytest.approx(limit, rel=0.02)


@pytest.mark.parametrize("case, occ", [("A", (1.0, 1.0, 0.0, 0.0)), ("B", (1.0, 0.3, 0.1, 0.1))])
def test_two_pair_trajectories_agree_to_order_mu_over_e(case, occ):
    # HW Fig. 1 from kappa = 0 through saturation: the secular start subtracts kappa_fp (S10)
    errs = []
    for moe in (1e-3, 1e-4):
        grid = pairing.Grid.two_pair(1.0 / moe, 1.0)
        pp = pairing.PairingParams(1.0)
        st = pairing.PairState(np.array(occ[0::2]), np.array(occ[1::2]), np.zeros(2, complex))
        full = pairing.evolve(st, grid, pp, 12.0, n_save=601, solver=JitDOP853(1e-11, 1e-14),
                              subtract_fixed_point=False).modes
        y0 = pairing.secular_initial_state(st, grid, pp)
        sst = pairing.PairState(y0[0], y0[1], y0[2] + 1j * y0[3])
        s = pairing.evolve(sst, grid, pp, 12.0, n_save=601, model="secular",
                           solver=JitDOP853(1e-11, 1e-14)).modes
        dk = np.abs(np.hypot(full[:, 2], full[:, 3]) - np.hypot(s[:, 2], s[:, 3]))  # modes: (t, 4, N)
        dr = np.abs(full[:, 0] - s[:, 0])
        errs.append(max(float(dk.max()), float(dr.max())))
        assert errs[-1] < 50 * moe
    assert errs[1] < errs[0] / 4  # shrinks with mu/E
