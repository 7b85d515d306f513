"""Model 2 (spec oile.md section 6; test targets 12-17)."""

import numpy as np
import pytest

from nupair import oile


def test_conservation_and_mean_map_agreement():
    # targets 12 and 14: B . sum P conserved; MC group means = mean map within a few 1/sqrt(N)
    gas = oile.TwoGroupGas(n=100_000, gamma=0.05)
    tr = oile.run_two_group(gas, 600, seed=1, save_every=60)
    assert np.max(tr.b_total_drift) < 1e-12
    _, mm = oile.mean_map(gas, 600, save_every=60)
    assert np.max(np.abs(tr.mean - mm)) < 6 / np.sqrt(gas.n // 2)


def test_sum_conserved_without_one_body_terms():
    gas = oile.TwoGroupGas(n=2000, gamma=0.3, omega_a=0.0, omega_b=0.0, p_a=np.array([0.6, 0.0, 0.8]))
    p0 = np.where(np.arange(2000)[:, None] < 1000, gas.p_a, gas.p_b).sum(axis=0)
    tr = oile.run_two_group(gas, 50, seed=2, save_every=50)
    assert np.allclose(tr.state[:, :3].sum(axis=0), p0, atol=1e-11)


def test_asymptotes():
    # target 13: without one-body terms all P_i -> Pbar(0); with omega_A != omega_B -> (B . Pbar(0)) B
    gas = oile.TwoGroupGas(n=2000, gamma=0.6, omega_a=0.0, omega_b=0.0, p_a=np.array([0.0, 0.6, 0.8]))
    tr = oile.run_two_group(gas, 400, seed=3, save_every=400)
    pbar0 = 0.5 * (gas.p_a + gas.p_b)
    assert np.max(np.abs(tr.state[:, :3] - pbar0)) < 1e-6
    gas = oile.TwoGroupGas(n=2000, gamma=0.6, p_a=np.array([0.0, 0.6, 0.8]))
    tr = oile.run_two_group(gas, 3000, seed=3, save_every=3000)
    target = (gas.b_axis @ (0.5 * (gas.p_a + gas.p_b))) * gas.b_axis
    assert np.max(np.abs(tr.state[:, :3].mean(axis=0) - target)) < 1e-3


def test_equal_groups_length_difference_rule():
    # target 16: encounter step multiplies |P_A|^2 - |P_B|^2 of the group means by cos^2 gamma
    gas = oile.TwoGroupGas(n=2, gamma=0.4, omega_a=0.0, omega_b=0.0, p_a=np.array([0.1, 0.5, 0.3]),
                           p_b=np.array([-0.2, 0.1, 0.6]))
    _, mm = oile.mean_map(gas, 1)
    before = gas.p_a @ gas.p_a - gas.p_b @ gas.p_b
    after = mm[1, 0] @ mm[1, 0] - mm[1, 1] @ mm[1, 1]
    assert after == pytest.approx(np.cos(0.4) ** 2 * before, rel=1e-12)


def test_mean_field_limit():
    # target 15: for gamma mu t << 1 the group means follow the mean-field equation
    gas = oile.TwoGroupGas(n=50_000, gamma=1e-3, p_a=np.array([1.0, 0.0, 0.0]))
    tr = oile.run_two_group(gas, 2000, seed=4, save_every=200)  # gamma mu t = 2e-3
    mf = oile.mean_field(gas, tr.t)
    assert np.max(np.abs(tr.mean - mf)) < 5e-3
    assert np.max(np.abs(np.linalg.norm(tr.mean, axis=2) - 1)) < 5e-3


def test_miscidynamics_tracks_the_gas():
    # target 17 (default poster configuration: opposite flavors, omega_A = -omega_B)
    gas = oile.TwoGroupGas(n=20_000, gamma=1e-2)
    n_steps = 20_000  # gamma mu t = 2
    t_ref = np.linspace(0, 20, 201)
    path = oile.miscidynamic_path(gas, n_steps * gas.dt, reference=(t_ref, oile.mean_field(gas, t_ref)))
    tm, mm = oile.mean_map(gas, n_steps, save_every=200)
    lengths = np.linalg.norm(mm, axis=2)
    pred = np.stack([np.interp(tm, path.t, path.length[:, g]) for g in range(2)], axis=1)
    late = gas.gamma * tm >= 1.0
    assert np.max(np.abs(lengths[late] - pred[late])) < 0.02


def test_rng_state_resume_is_identical():
    gas = oile.TwoGroupGas(n=1000, gamma=0.05)
    full = oile.run_two_group(gas, 40, seed=9, save_every=10)
    first = oile.run_two_group(gas, 20, seed=9, save_every=10)
    second = oile.run_two_group(gas, 20, seed=9, save_every=10, state=first.state,
                                rng_state=first.rng_state, step0=20)
    assert np.array_equal(np.concatenate([first.mean, second.mean]), full.mean)


@pytest.mark.parametrize("kwargs, match", [({"n": 1001}, "even"), ({"n": 100, "gamma": -1.0}, "gamma"),
                                           ({"n": 100, "p_a": np.array([0, 0, 1.1])}, r"\|P\|"),
                                           ({"n": 100, "fraction_a": 1.0}, "fraction_a")])
def test_bad_gas(kwargs, match):
    with pytest.raises(ValueError, match=match):
        oile.TwoGroupGas(**kwargs)


def test_numpy_fallback_equals_compiled_permutation_engine():
    """Same random stream (a NumPy permutation per step), compiled vs NumPy arithmetic."""
    gas = oile.TwoGroupGas(n=2000, gamma=0.05, matter=0.3)
    a = oile.run_two_group(gas, 30, seed=6, save_every=10, engine="permutation")
    b = oile.run_two_group(gas, 30, seed=6, save_every=10, engine="numpy")
    assert np.allclose(a.state, b.state, atol=1e-13, rtol=0)


def test_matter_term_enters_mean_map_and_mc_alike():
    gas = oile.TwoGroupGas(n=100_000, gamma=0.05, matter=0.7, p_a=np.array([1.0, 0.0, 0.0]))
    tr = oile.run_two_group(gas, 300, seed=7, save_every=30)
    _, mm = oile.mean_map(gas, 300, save_every=30)
    assert np.max(np.abs(tr.mean - mm)) < 6 / np.sqrt(gas.n // 2)
    _, mm0 = oile.mean_map(oile.TwoGroupGas(n=100_000, gamma=0.05, p_a=np.array([1.0, 0.0, 0.0])), 300, save_every=30)
    assert np.max(np.abs(mm - mm0)) > 0.1  # the matter term matters


def test_chunked_run_interrupted_and_resumed_equals_one_run():
    # the checkpointed Monte Carlo: stopped after its second chunk and resumed from the saved
    # state, it continues the one random stream (bit-identical to a run straight through)
    gas = oile.TwoGroupGas(n=400, fraction_a=0.5, gamma=0.05)
    whole = oile.run_two_group(gas, 230, seed=5, save_every=10)
    saved = []
    oile.run_two_group_chunked(gas, 230, seed=5, save_every=10, chunk_steps=50,
                               on_chunk=lambda state, fraction: saved.append((state, fraction)))
    assert [f for _, f in saved] == pytest.approx([50 / 230, 100 / 230, 150 / 230, 200 / 230])
    resumed = oile.run_two_group_chunked(gas, 230, seed=5, save_every=10, chunk_steps=50, resume=saved[1][0])
    for name in ("t", "mean", "stderr", "spread", "mean_length", "b_total_drift"):
        assert np.array_equal(getattr(resumed, name), getattr(whole, name)), name
    assert np.array_equal(resumed.state, whole.state)
