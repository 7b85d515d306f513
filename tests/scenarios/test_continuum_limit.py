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
    return run_scenario("pairing-continuum", {"n_phi_max": 128, "n_energy_max": 16},
                        out_dir=tmp_path_factory.mktemp("cont")).summary


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
