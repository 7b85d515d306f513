"""gradient-cooling (spec gradient.md sections 4 and 6)."""


from nupair.scenarios.runner import run_scenario


def test_gradient_cooling(tmp_path):
    s = run_scenario("gradient-cooling", {"n_eval": 120, "eos": "SLy"}, out_dir=tmp_path).summary
    # spec 6.3: the J2144-3933 limit caps heating at a few 1e27 erg/s
    assert 1e27 < s["max_heating_erg_s"] < 2e28
    assert s["chi2"]["max_allowed_heating"] < s["chi2"]["passive"]
    assert s["trapped_number"] > 1e34  # whole-star well ~1e35 (spec 4.3)
