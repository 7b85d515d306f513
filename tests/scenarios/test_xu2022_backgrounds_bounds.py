"""forces-backgrounds and forces-bounds scenarios (spec forces.md sections 4, 7.1)."""

import pytest

from nupair.scenarios.runner import run_scenario


def test_backgrounds(tmp_path):
    s = run_scenario("forces-backgrounds", {"n_r": 100}, out_dir=tmp_path).summary
    # the relic background only screens (|V_bkg| -> |V_vac| from below, spec 4.2); beams win at large r
    assert s["background_exceeds_vacuum_beyond_m"]["relic"] is None
    for beam in ("reactor", "solar", "supernova"):
        assert 1e-9 < s["background_exceeds_vacuum_beyond_m"][beam] < 1.0


def test_bounds(tmp_path):
    s = run_scenario("forces-bounds", out_dir=tmp_path).summary
    # the vacuum force is far below every inverse-square-law bound (spec 7.1: ~1e-20 of gravity at 52 um)
    assert s["ratio_to_nearest_limit"] < 1e-15
    assert s["forward_beam_over_gravity"] == pytest.approx(1.4e-14, rel=0.1)  # C G_F^2 Phi E / (pi G_N m^2)
