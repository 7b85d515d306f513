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
    return run_scenario("pairing-continuum", {"n_phi_max": 128, "n_energy_max": 32, "n_phi_max_secular": 256,
                                              "n_energy_max_secular": 1024, "n_energy_check": 32},
                        out_dir=tmp_path_factory.mktemp("cont")).summary


def test_secular_column_agrees_with_the_full_equations_and_reaches_further(summary):
    # same verdicts; rates equal to O(mu/E) = 4e-4 on the grids both ran (docs/secular.md S9)
    for family in summary["verdict"]:
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


def test_energy_jumps_at_the_weak_coupling(summary):
    # spec 7.1 profiles D and B2 at HW's g' = 1e-6: a BCS-like rate would be exponentially small, so
    # the discretized instability drops to the noise floor within a few refinements
    for family in ("fermi-edge", "window"):
        assert summary["extrapolated_growth_rate"][family]["energy"]["verdict"] == "disappears"
        assert summary["growth_rate_vs_n_energy"][family][-1] == 0.0
    # both are unstable on some coarse grid (the discretization artefact FRS describe)
    assert max(summary["growth_rate_vs_n_energy"]["fermi-edge"]) > 0
    assert summary["growth_rate_vs_n_energy"]["window"][3] > 0  # N_E = 8: the window is one bin


def test_coupling_axis_has_its_own_verdicts(summary):
    assert summary["couplings_MeV2"] == [1e-6, 1e-4]
    assert set(summary["verdict_by_coupling"]) == {"1e-06", "0.0001"}
    # at HW's g' = 1e-6 energy refinement removes the instability of the sharp profiles (FRS)
    weak = summary["extrapolated_growth_rate_by_coupling"]["1e-06"]
    assert all(weak[f]["energy"]["verdict"] in ("disappears", "absent") for f in ("fermi-edge", "window"))
    strong = summary["growth_rate_by_coupling"]["0.0001"]["energy"]
    # at g' = 1e-4 (mu' = 0.8 MeV) the window keeps a growth on the finest grid run here
    assert strong["window"][-1] > 1e-3 * 0.8


def test_dispersion_relation_confirms_the_eigen_solver(summary):
    for coupling, rows in summary["dispersion_check"].items():
        for family, row in rows.items():
            assert row["agree"], (coupling, family, row)
            if row["dispersion_growth_rate_MeV"] > 0:
                assert row["dispersion_growth_rate_MeV"] == pytest.approx(row["eigen_growth_rate_MeV"], rel=1e-6)
                assert row["dispersion_frequency_MeV"] == pytest.approx(row["eigen_frequency_MeV"], rel=1e-6)
                assert row["arpack_growth_rate_MeV"] == pytest.approx(row["dispersion_growth_rate_MeV"], rel=1e-6)
    assert any(r["dispersion_growth_rate_MeV"] > 0 for r in summary["dispersion_check"]["0.0001"].values())
