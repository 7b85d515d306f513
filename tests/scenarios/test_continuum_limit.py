"""Continuum-limit study (spec 7): refinement sequences and verdicts."""

import pytest

from nupair.scenarios.continuum_limit import extrapolate
from nupair.scenarios.runner import run_scenario


def test_extrapolation_rules():
    ns = [4, 8, 16, 32]
    # converging sequence Gamma = 1 + 1/N: Richardson recovers 1
    v = extrapolate(ns, [1 + 1 / n for n in ns])
    assert v["verdict"] == "persists" and v["value_MeV"] == pytest.approx(1.0, rel=1e-6)
    # Gamma ~ 1/N: vanishes
    assert extrapolate(ns, [1.0 / n for n in ns])["verdict"] == "disappears"
    # gone at the finest grids
    v = extrapolate(ns, [0.3, 0.1, 0.0, 1e-14])
    assert v["verdict"] == "disappears" and "N >= 16" in v["detail"]
    assert extrapolate(ns, [0.0] * 4)["verdict"] == "absent"


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    return run_scenario("pairing-continuum", {"n_phi_max": 128, "n_energy_max": 16, "n_phi_max_secular": 256,
                                              "n_energy_max_secular": 1024},
                        out_dir=tmp_path_factory.mktemp("cont")).summary


def test_secular_column_agrees_with_the_full_equations_and_reaches_further(summary):
    # same verdicts; rates equal to O(mu/E) = 4e-4 on the grids both ran (docs/secular.md S9)
    for family in ("step", "tanh", "sine", "smooth-energy"):
        for seq in ("phi", "energy"):
            assert (summary["extrapolated_growth_rate_secular"][family][seq]["verdict"]
                    == summary["extrapolated_growth_rate"][family][seq]["verdict"]), (family, seq)
        full, sec = summary["growth_rate_vs_n_phi"][family], summary["growth_rate_secular_vs_n_phi"][family]
        for a, b in zip(full, sec):
            assert b == pytest.approx(a, rel=5e-3, abs=1e-9)
    assert summary["n_energy_values_secular"][-1] == 1024
    assert max(summary["growth_rate_secular_vs_n_energy"]["step"][3:]) == 0.0  # stable from N_E = 8 to 1024


def test_hw_step_profile(summary):
    step = summary["extrapolated_growth_rate"]["step"]
    # one energy bin: the angular step keeps an instability as N_phi grows ...
    assert step["phi"]["verdict"] == "persists"
    # ... N_phi = 4 reproduces HW's (1, 1, 4) rate 2.233 mu' and refinement converges near 1.90 mu'
    assert summary["growth_rate_vs_n_phi"]["step"][0] / summary["mu_prime_MeV"] == pytest.approx(2.233, rel=1e-3)
    # refining the energy grid removes it (HW: gone for N_E > 4)
    assert step["energy"]["verdict"] == "disappears"
    assert summary["growth_rate_vs_n_energy"]["step"][3] == 0.0  # N_E = 8


def test_smooth_profiles(summary):
    assert summary["extrapolated_growth_rate"]["sine"]["phi"]["verdict"] == "absent"
    assert summary["extrapolated_growth_rate"]["smooth-energy"]["energy"]["verdict"] == "disappears"
    for family, line in summary["verdict"].items():
        assert line.startswith(family) and "\n" not in line


@pytest.mark.slow
def test_full_resolution(tmp_path):
    s = run_scenario("pairing-continuum", out_dir=tmp_path).summary
    assert s["n_phi_values"][-1] >= 1024 and s["n_energy_values"][-1] >= 64
    assert s["extrapolated_growth_rate"]["step"]["phi"]["verdict"] == "persists"
    assert s["extrapolated_growth_rate"]["step"]["energy"]["verdict"] == "disappears"
