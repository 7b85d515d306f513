"""pairing-continuum-k: the continuum limit at every wave vector k (docs/k-modes.md)."""

import numpy as np
import pytest

from nupair import pairing
from nupair.scenarios.runner import run_scenario

TINY = {"n_phi_max": 16, "n_energy_max": 8, "n_k": 1}
CATEGORIES = {"removes the instability at every k", "moves it to k != 0", "keeps it at k = 0",
              "keeps it, fastest at k != 0", "not converged"}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    return run_scenario("pairing-continuum-k", TINY, out_dir=tmp_path_factory.mktemp("ck"), seed=1).summary


def test_k_zero_column_is_the_homogeneous_analysis(tiny):
    """Index 0 of every row is k = 0: HW's (1,1,4) step grid at g' = 1e-6 gives growth_rates' value."""
    grid = pairing.Grid(1, 1, 4)
    state = pairing.initial_state_from_occupation(pairing.occupation_profile("step", grid), seed_amplitude=0.0)
    rate = pairing.growth_rates(state, grid, pairing.PairingParams(1e-6)).max_growth_rate
    assert tiny["wave_vectors_MeV"]["1e-06"][0] == [0.0, 0.0, 0.0]
    assert tiny["growth_rate_vs_k"]["step"]["1e-06"]["phi"][0][0] == pytest.approx(rate, rel=1e-12)


def test_normal_wave_vector_detunes_one_energy_bin_uniformly(tiny):
    """With N_E = 1 a k normal to the plane of the modes detunes every pair by the same
    2 sqrt(E^2 + k^2/4) - 2E (K6): the growth rate is the homogeneous one up to the O(mu/E)
    non-resonant terms."""
    for family in ("step", "tanh", "window"):
        for row in tiny["growth_rate_vs_k"][family]["1e-06"]["phi"]:
            k0, kz = row[0], row[-1]  # the last wave vector is along z
            assert kz == pytest.approx(k0, rel=1e-3, abs=1e-12)


def test_verdicts_are_stated_for_every_family_coupling_and_sequence(tiny):
    assert tiny["couplings_MeV2"] == [1e-6, 1e-4]
    for family in pairing.OCCUPATION_PROFILES:
        for lab in ("1e-06", "0.0001"):
            for seq in ("phi", "energy"):
                v = tiny["verdict_k"][family][lab][seq]
                assert v["category"] in CATEGORIES
                assert v["floor_MeV"] >= pairing.GROWTH_NOISE_FLOOR_MeV
            assert tiny["verdict_k_sentence"][family][lab].startswith(f"{family}, g' = {lab}")
    # the smooth-in-energy profile has no instability at any k at HW's coupling (FRS)
    assert tiny["verdict_k"]["smooth-energy"]["1e-06"]["energy"]["category"] == "removes the instability at every k"


def test_sine_profile_is_unstable_only_at_k_not_zero(tiny):
    """0.5 + 0.4 sin(phi) is stable at k = 0 (pairing-continuum: 'absent'), but an in-plane k
    detunes the directions differently (k^2 sin^2 phi / 4E) and opens a growing mode."""
    rows = tiny["growth_rate_vs_k"]["sine"]["1e-06"]["phi"]
    assert all(r[0] == 0.0 for r in rows)
    assert max(r[1] for r in rows) > 0.1 * 1e-6 * 20.0 ** 3
    idx = int(np.argmax([r[1] for r in rows]))
    assert tiny["fastest_k_MeV"]["sine"]["1e-06"]["phi"][idx][0] > 0
