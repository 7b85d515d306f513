"""The bucket-shuffle Monte Carlo kernel of the two-group gas (nupair.oile._gas_kernel).

Checked: the matching is uniform over all perfect matchings (chi-square over the 105 matchings
of 8 particles, with one bucket and with several buckets so that leftovers are paired); the run
is bit-identical on 1 and 2 threads and after a resume; statistics agree with the earlier
permutation implementation over 20 seeds; B . sum P is conserved to round-off; the three-flavor
gas reduces to the two-flavor one when the third flavor is empty, conserves sum P in the
encounters, and follows its mean map; memory per neutrino.
"""

import math

import numba
import numpy as np
import pytest
from scipy import stats

from nupair import oile
from nupair.oile import _gas_kernel as K
from nupair.oile.encounter import structure_constants


def _matchings(n):
    """Index of every perfect matching of n items (canonical sorted tuple of pairs)."""
    out = {}

    def rec(rest, acc):
        if not rest:
            out[tuple(sorted(acc))] = len(out)
            return
        a = rest[0]
        for i in range(1, len(rest)):
            rec(rest[1:i] + rest[i + 1:], acc + [(a, rest[i])])

    rec(list(range(n)), [])
    return out


def _pairs_after_step(kernel, step, n, averaging):
    """Partners met at ``step`` by particles labelled before ``step - 1``: each row holds (2^i, 0, 0)
    for particle i; step - 1 runs with identity encounters (it only lays the particles out for
    ``step``, as the previous step of a real run does), and ``step`` with gamma = pi/4, which
    averages two parallel vectors, so every row ends up holding its pair's (2^a + 2^b)/2."""
    kernel.p[:] = 0.0
    kernel.p[:, 0] = 2.0 ** np.arange(n)
    kernel.coef[:3] = 1.0, 0.0, 0.0
    kernel.step(step - 1)
    kernel.coef[:3] = averaging
    kernel.step(step)
    pairs = set()
    for v in kernel.p[:, 0]:
        bits = int(round(2 * v))
        a, b = [i for i in range(n) if bits >> i & 1]
        pairs.add((a, b))
    assert len(pairs) == n // 2
    return tuple(sorted(pairs))


@pytest.mark.parametrize("kbits", [0, 2])
def test_matching_is_uniform_over_all_perfect_matchings(kbits, monkeypatch):
    n = 8
    index = _matchings(n)
    assert len(index) == 105
    monkeypatch.setattr(K, "layout", lambda n: (kbits, K.MIN_CHUNK))
    c2, s2, cs = (float(x) for x in oile.encounter_coefficients(math.pi / 4))
    kernel = K.GasKernel(np.zeros((n, 3)), np.zeros(n, dtype=np.uint8), 2024, np.stack([np.eye(3)] * 2),
                         (c2, s2, cs), K.structure_lists(structure_constants(2)))
    counts = np.zeros(len(index))
    n_steps = 105 * 150
    for trial in range(n_steps):  # after the first step, every step runs the fused layout-to-layout pass
        counts[index[_pairs_after_step(kernel, 2 * trial + 2, n, (c2, s2, cs))]] += 1
    chi2 = float(np.sum((counts - n_steps / 105) ** 2 / (n_steps / 105)))
    p_value = stats.chi2.sf(chi2, df=104)
    assert p_value > 1e-3, (chi2, p_value)
    # and the partner of particle 0 is uniform over the 7 others at any step: no memory of the order
    assert counts.min() > 0


def test_bounded_draws_are_exact_for_awkward_ranges():
    key = np.uint64(99)
    for m in (1, 2, 3, 7, 1000, (1 << 31) + 1):
        draws = np.array([K._below(key, j, m) for j in range(2000)])
        assert draws.min() >= 0 and draws.max() < m
    draws = np.array([K._below(key, j, 6) for j in range(60_000)])
    assert stats.chisquare(np.bincount(draws, minlength=6)).pvalue > 1e-3


def _run(threads, n=300_000, steps=6, **kwargs):
    gas = oile.TwoGroupGas(n=n, gamma=0.05, **kwargs)
    old = numba.get_num_threads()
    numba.set_num_threads(threads)
    try:
        return oile.run_two_group(gas, steps, seed=11, save_every=2)
    finally:
        numba.set_num_threads(old)


def test_bit_identical_on_one_and_two_threads():
    assert K.layout(300_000)[0] >= 3 and 300_000 >= K.PARALLEL_MIN  # several buckets, the all-core kernels
    a, b = _run(1), _run(2)
    assert np.array_equal(a.state, b.state)
    assert np.array_equal(a.mean, b.mean) and np.array_equal(a.spread, b.spread)


def test_resume_is_bit_identical():
    gas = oile.TwoGroupGas(n=20_000, gamma=0.05, matter=0.2)
    full = oile.run_two_group(gas, 40, seed=9, save_every=10)
    first = oile.run_two_group(gas, 20, seed=9, save_every=10)
    second = oile.run_two_group(gas, 20, seed=9, save_every=10, state=first.state, rng_state=first.rng_state,
                                step0=20)
    assert np.array_equal(full.state, second.state)
    assert np.array_equal(full.mean[-2:], second.mean)


def test_b_dot_sum_p_conserved_to_round_off():
    gas = oile.TwoGroupGas(n=100_000, gamma=0.05, p_a=np.array([0.6, 0.0, 0.8]))
    tr = oile.run_two_group(gas, 200, seed=3, save_every=20)
    assert tr.b_total_drift.max() < 1e-12


def test_same_statistics_as_the_permutation_engine_over_20_seeds():
    """Group means after t = 300/mu (gamma = 0.1: 3000 steps), 20 seeds per engine: the two
    ensembles' averages agree within 3 combined standard errors, component by component."""
    gas = oile.TwoGroupGas(n=1000, gamma=0.1, p_a=np.array([0.0, 0.6, 0.8]))
    steps = int(round(300 / gas.dt))
    finals = {}
    for engine in ("numba", "permutation"):
        finals[engine] = np.array([oile.run_two_group(gas, steps, seed=s, save_every=steps, engine=engine,
                                                      return_state=False).mean[-1] for s in range(20)])
    m_new, m_old = finals["numba"].mean(axis=0), finals["permutation"].mean(axis=0)
    se = np.sqrt(finals["numba"].var(axis=0, ddof=1) / 20 + finals["permutation"].var(axis=0, ddof=1) / 20)
    assert np.all(np.abs(m_new - m_old) <= 3 * se + 1e-12), (m_new, m_old, se)


def _embed(v3):
    out = np.zeros(8)
    out[:3] = v3
    out[7] = 1 / math.sqrt(3)  # rho_tautau = 0: tr(rho lambda_8) = (rho_ee + rho_mumu)/sqrt(3)
    return out


def test_three_flavors_reduce_to_two_when_the_third_is_empty():
    kw = dict(n=10_000, gamma=0.07, omega_a=0.4, omega_b=-0.6)
    p_a, p_b, b = np.array([0.3, 0.1, 0.9]), np.array([0.0, -0.5, -0.7]), oile.vacuum_axis(0.2)
    two = oile.run_two_group(oile.TwoGroupGas(p_a=p_a, p_b=p_b, b_axis=b, **kw), 60, seed=5, save_every=20)
    b8 = np.concatenate([b, np.zeros(5)])
    three = oile.run_two_group(oile.TwoGroupGas(p_a=_embed(p_a), p_b=_embed(p_b), b_axis=b8, **kw), 60,
                               seed=5, save_every=20)
    assert np.allclose(three.state[:, :3], two.state[:, :3], atol=1e-12, rtol=0)
    assert np.allclose(three.state[:, 3:7], 0.0, atol=1e-14)
    assert np.allclose(three.state[:, 7], 1 / math.sqrt(3), atol=1e-14)
    assert np.allclose(three.mean[:, :, :3], two.mean, atol=1e-12)


def _random_state8(rng, n):
    """Bloch vectors of random pure three-flavor states (|P|^2 = 4/3)."""
    from nupair import flavor

    psi = rng.normal(size=(n, 3)) + 1j * rng.normal(size=(n, 3))
    psi /= np.linalg.norm(psi, axis=1)[:, None]
    return flavor.density_to_bloch(np.einsum("ni,nj->nij", psi, psi.conj()))


def test_three_flavor_encounters_conserve_sum_p_and_purity_bound():
    rng = np.random.default_rng(1)
    gas = oile.TwoGroupGas(n=2000, gamma=0.3, omega_a=0.0, omega_b=0.0,
                           p_a=_random_state8(rng, 1)[0], p_b=_random_state8(rng, 1)[0],
                           b_axis=np.eye(8)[2])
    tr = oile.run_two_group(gas, 50, seed=2, save_every=10)
    total = (tr.mean * np.array([gas.n_a, gas.n - gas.n_a])[None, :, None]).sum(axis=1)
    assert np.allclose(total, total[0], atol=1e-10 * gas.n)
    lengths = np.linalg.norm(tr.state[:, :8], axis=1)
    assert lengths.max() <= math.sqrt(4 / 3) + 1e-12


def test_three_flavor_gas_follows_its_mean_map():
    rng = np.random.default_rng(4)
    h = _random_state8(rng, 1)[0]
    gas = oile.TwoGroupGas(n=200_000, gamma=0.05, p_a=_random_state8(rng, 1)[0], p_b=_random_state8(rng, 1)[0],
                           b_axis=h / np.linalg.norm(h), omega_a=0.5, omega_b=-0.3, matter=0.2)
    tr = oile.run_two_group(gas, 200, seed=8, save_every=50)
    _, mm = oile.mean_map(gas, 200, save_every=50)
    pull = np.abs(tr.mean - mm) / np.maximum(tr.stderr, 1e-12)
    assert pull[1:].max() < 4.5  # 4.5 sigma over 4 x 16 correlated components


def test_memory_per_neutrino():
    gas = oile.TwoGroupGas(n=1_000_000)
    p = np.zeros((gas.n, 3))
    kernel = K.GasKernel(p, np.zeros(gas.n, dtype=np.uint8), 1, np.stack([np.eye(3)] * 2), (1.0, 0.0, 0.0),
                         K.structure_lists(structure_constants(2)))
    kernel.step(1)
    kernel.step(2)
    per_neutrino = sum(a.nbytes for a in vars(kernel).values() if isinstance(a, np.ndarray)) / gas.n
    assert per_neutrino <= 60, per_neutrino


def _kernel(n, seed=5):
    rng = np.random.default_rng(seed)
    p = rng.normal(size=(n, 3)) * 0.3
    group = (rng.random(n) < 0.4).astype(np.uint8)
    c = math.cos(0.1)
    rot = np.stack([np.array([[c, -math.sin(0.1), 0.0], [math.sin(0.1), c, 0.0], [0.0, 0.0, 1.0]]), np.eye(3)])
    coefficients = tuple(float(x) for x in oile.encounter_coefficients(0.05))
    return K.GasKernel(p, group, seed, rot, coefficients, K.structure_lists(structure_constants(2)))


def test_block_layout_statistics_and_records_equal_a_direct_computation():
    """After a step the rows sit in K blocks of 2K columns: the explicit statistics, the in-step
    records and NumPy on (p, group) must all agree."""
    kernel = _kernel(300_000)
    kernel.step(1)
    records = kernel.step(2, record=True)
    assert kernel.seg.shape[0] == 1 << kernel.kbits > 1
    g = kernel.group
    assert np.bincount(g).tolist() == records[0].astype(int).tolist()
    explicit = kernel.statistics()
    for gi in range(2):
        rows = kernel.p[g == gi]
        np.testing.assert_allclose(explicit[1][gi], rows.mean(axis=0), rtol=0, atol=1e-14)
        np.testing.assert_allclose(records[1][gi], rows.mean(axis=0), rtol=0, atol=1e-14)
        m2 = ((rows - rows.mean(axis=0)) ** 2).sum(axis=0)
        np.testing.assert_allclose(explicit[2][gi], m2, rtol=1e-10)
        np.testing.assert_allclose(records[2][gi], m2, rtol=1e-9)
        np.testing.assert_allclose(explicit[3][gi], np.linalg.norm(rows, axis=1).sum(), rtol=1e-12)


def test_compacted_layout_continues_bit_identically():
    """compact() (what a checkpoint stores) must not change the steps that follow."""
    a, b = _kernel(300_000), _kernel(300_000)
    for step in (1, 2, 3):
        a.step(step)
        b.step(step)
    b.compact()
    assert b.seg.shape[0] == 1 and a.seg.shape[0] > 1
    for step in (4, 5):
        a.step(step)
        b.step(step)
    assert np.array_equal(a.p, b.p) and np.array_equal(a.seg, b.seg)


def test_resume_of_a_many_bucket_gas_is_bit_identical():
    gas = oile.TwoGroupGas(n=300_000, gamma=0.05, omega_a=0.2)
    assert K.layout(gas.n)[0] >= 3
    full = oile.run_two_group(gas, 6, seed=4, save_every=3)
    first = oile.run_two_group(gas, 3, seed=4, save_every=3)
    second = oile.run_two_group(gas, 3, seed=4, save_every=3, state=first.state, rng_state=first.rng_state, step0=3)
    assert np.array_equal(full.state, second.state)
    assert np.array_equal(full.mean[-1], second.mean[-1])
