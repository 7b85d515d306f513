"""renp-spectrum (Dinh et al. 2013; spec renp.md sections 1-3)."""

import pytest

from nupair.scenarios.runner import run_scenario


def test_renp_spectrum(tmp_path):
    s = run_scenario("renp-spectrum", {"n_omega": 600, "fit": "nufit-5.2"}, out_dir=tmp_path).summary
    assert s["endpoint_eV"] == pytest.approx(1.071745, abs=1e-6)
    # spec targets 4, 5 (NuFIT 5.2, m0 = 0)
    assert s["threshold_shifts_ueV"]["normal"]["0"]["33"] == pytest.approx(2342.9, abs=0.1)
    assert s["threshold_shifts_ueV"]["inverted"]["0"]["22"] == pytest.approx(2330.8, abs=0.1)
    # Majorana never exceeds Dirac with zero phases (target 12: differences 1e-4..1e-2)
    for ordering in ("normal", "inverted"):
        for m0, r in s["majorana_over_dirac_min"][ordering].items():
            assert 0.95 < r <= 1.0
    assert s["majorana_over_dirac_min"]["normal"]["0.05"] < s["majorana_over_dirac_min"]["normal"]["0.01"]
    assert (tmp_path / "figure.png").exists()
