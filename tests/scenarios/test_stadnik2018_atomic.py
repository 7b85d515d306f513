"""forces-atomic scenario (spec forces.md section 7.2)."""

import pytest

from nupair import constants as const
from nupair.scenarios.runner import run_scenario


def test_atomic_summary(tmp_path):
    s = run_scenario("forces-atomic", {"n_scale": 3}, out_dir=tmp_path).summary
    # 10 Hz (Parthey et al. 2011) is h * 10 Hz in eV
    assert s["uncertainty_eV"]["hydrogen 1S-2S"] == pytest.approx(10 * 2 * 3.141592653589793 * const.hbar_eV_s, rel=1e-12)
    # neither treatment reaches the precision of any measurement with the Standard-Model scales
    assert s["best_ratio_to_precision"] < 1
    # the t-channel model is suppressed by ~ 1/(M a) relative to the cutoff estimate
    ratio = abs(s["t_channel_over_cutoff"]["hydrogen 1S-2S"])
    a0_m_z = const.m_Z / (const.alpha * const.m_e)
    assert 0.1 / a0_m_z < ratio < 10 / a0_m_z
    assert (tmp_path / "figure.png").exists()
