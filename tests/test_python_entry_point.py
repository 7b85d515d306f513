"""nupair.run: the notebook entry point (same validation as the command line)."""

import pytest

import nupair
from nupair.scenarios import UserInputError, available


def test_run_in_memory_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = nupair.run("pairing-two-pair-stability", rho_x=1.0, rhobar_x=0.3, rho_z=0.1, rhobar_z=0.1)
    # HW eq. 16 for case B: 2 sqrt(0.24)
    assert r.summary["growth_rate_eq16_over_mu"] == pytest.approx(0.9797958971, rel=1e-9)
    assert r.out_dir is None and "eigenvalue_re" in r.dataset and r.figure is not None
    assert list(tmp_path.iterdir()) == []


def test_run_with_out_writes_the_four_files(tmp_path):
    r = nupair.run("pairing-two-pair-stability", out=tmp_path / "x")
    assert sorted(p.name for p in r.out_dir.iterdir()) == ["config.toml", "figure.png", "result.nc", "summary.json"]


def test_run_validates_like_the_cli():
    with pytest.raises(UserInputError, match="rho_x"):
        nupair.run("pairing-two-pair-stability", rho_x=2.0)
    with pytest.raises(UserInputError, match="unknown scenario"):
        nupair.run("no-such-scenario")
    assert "pairing-two-pair" in available() and len(available()) >= 19


def test_help_lists_capabilities_and_entry_point():
    doc = nupair.__doc__
    for word in ("pairing", "oile", "renp", "forces", "gradient", "nupair.run"):
        assert word in doc
