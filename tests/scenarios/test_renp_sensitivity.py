"""renp-sensitivity (spec renp.md section 5)."""

import numpy as np

from nupair.scenarios.runner import run_scenario


def test_renp_sensitivity(tmp_path):
    s = run_scenario("renp-sensitivity", {"n_masses": 3, "m_min_eV": 0.01, "m_max_eV": 0.05}, out_dir=tmp_path).summary
    ev = s["events_at_10meV"]
    # ordering and m0 need O(100) events, Dirac vs Majorana far more (spec 5.1: >~ 1e3)
    assert 10 < ev["normal_vs_inverted"] < 1e4
    assert ev["dirac_vs_majorana"] > 1e3 * ev["normal_vs_inverted"]
    days = s["required_days"]["normal_vs_inverted"]
    events = s["required_events"]["normal_vs_inverted"]
    assert all(np.isfinite(list(days.values()))) and all(v > 0 for v in events.values())
