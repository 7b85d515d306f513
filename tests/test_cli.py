"""Command line: list/show/run/--version, and a one-line error with exit code 2 for bad input."""

import pytest

from nupair.cli import main


def run_cli(args, capsys):
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_version(capsys):
    import nupair

    code, out, _ = run_cli(["--version"], capsys)
    assert code == 0 and nupair.__version__ in out


def test_list_and_show(capsys):
    code, out, _ = run_cli(["list"], capsys)
    assert code == 0 and "pairing-two-pair" in out
    code, out, _ = run_cli(["show", "pairing-two-pair"], capsys)
    assert code == 0 and "mu_over_energy" in out and "1/mu" in out and "arXiv:2604.25687" in out


def test_run_writes_outputs(tmp_path, capsys):
    out = tmp_path / "run"
    code, stdout, err = run_cli(["run", "pairing-two-pair", "--set", "mu_over_energy=0.01",
                                 "--set", "t_end_mu=3", "--out", str(out)], capsys)
    assert code == 0, err
    assert {p.name for p in out.iterdir()} == {"result.nc", "summary.json", "figure.png", "config.toml"}


BAD = [
    (["run", "pairing-two-pear"], "did you mean 'pairing-two-pair'"),
    (["show", "pairing-two-pear"], "did you mean 'pairing-two-pair'"),
    (["run", "pairing-two-pair", "--set", "mu_over_energi=0.01"], "unknown parameter 'mu_over_energi'"),
    (["run", "pairing-two-pair", "--set", "n_save=many"], "parameter 'n_save': value 'many'"),
    (["run", "pairing-two-pair", "--set", "mu_over_energy=5"], "parameter 'mu_over_energy': value 5"),
    (["run", "pairing-two-pair", "--set", "mu_over_energy=nan"], "mu_over_energy"),
    (["run", "pairing-two-pair", "--set", "t_end_mu=inf"], "t_end_mu"),
    (["run", "pairing-two-pair", "--set", "case_b=[1.0, 1.3, 0.1, 0.1]"], "case_b"),
    (["run", "pairing-two-pair", "--set", "novalue"], "key=value"),
    (["run", "pairing-two-pair", "--config", "missing.toml"], "does not exist"),
]


@pytest.mark.parametrize("args, message", BAD)
def test_bad_input_one_line_exit_2_nothing_written(args, message, tmp_path, capsys):
    out = tmp_path / "out"
    code, _, err = run_cli(args + ["--out", str(out)] if args[0] == "run" else args, capsys)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize("content, message", [
    ("this is = = not toml", "cannot be read"),
    ('scenario = "oile-foreground"\n', "is for scenario"),
    ("[parameters]\nrtol = -1.0\n", "parameter 'rtol'"),
])
def test_bad_config_file(content, message, tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_text(content)
    code, _, err = run_cli(["run", "pairing-two-pair", "--config", str(cfg), "--out",
                            str(tmp_path / "out")], capsys)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_binary_config_file(tmp_path, capsys):
    cfg = tmp_path / "c.toml"
    cfg.write_bytes(b"\xff\xfe\x00binary")
    code, _, err = run_cli(["run", "pairing-two-pair", "--config", str(cfg)], capsys)
    assert code == 2 and "cannot be read" in err


def test_negative_seed_is_usage_error(capsys):
    code, _, err = run_cli(["run", "pairing-two-pair", "--seed", "-3"], capsys)
    assert code == 2 and "seed" in err.lower()


def test_every_registered_scenario_can_be_shown(capsys):
    from nupair.scenarios import REGISTRY

    for name in REGISTRY:
        code, out, err = run_cli(["show", name], capsys)
        assert code == 0, err
        assert name in out and "summary.json keys" in out


def test_scenario_specific_parameter_validation(tmp_path, capsys):
    code, _, err = run_cli(["run", "pairing-multi-phi4", "--set", "volume_rule=trapezoid",
                            "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "volume_rule" in err and len(err.strip().splitlines()) == 1
    code, _, err = run_cli(["run", "pairing-multi-phi4", "--set", "n_phi=0", "--out", str(tmp_path / "o")], capsys)
    assert code == 2 and "n_phi" in err and not (tmp_path / "o").exists()


def test_show_keeps_bracketed_units(capsys):
    # units are written as "[km]", "[eV]": they must not be eaten as rich markup
    code, out, _ = run_cli(["show", "gradient-star"], capsys)
    assert code == 0
    assert "radius [km]" in " ".join(out.split())


def test_help_is_printed_literally_with_flags_as_flags():
    """Issue 27, item 6: bracketed words and units survive ("[parameters]", "[s]"), and on/off
    options are shown as flags (no "<bool>" that invites "--resume true")."""
    import subprocess
    import sys

    def helptext(*cmd):
        return subprocess.run([sys.executable, "-m", "nupair", *cmd, "--help"], capture_output=True, text=True,
                              env={"COLUMNS": "100", "PATH": ""}).stdout

    run_help, sweep_help = helptext("run"), helptext("sweep")
    assert "TOML file with [parameters]" in run_help and "Per-point time limit [s]" in sweep_help
    assert "<bool>" not in run_help + sweep_help and "--resume " in run_help and "--set KEY=VALUE" in run_help


@pytest.mark.parametrize("value, words", [("[0.9,0.9,0.2]", "needs 4 values, got 3"),
                                          ("[0.9,0.9,0.2,0.2,0.1]", "needs 4 values, got 5")])
def test_a_vector_of_the_wrong_length_says_how_many(tmp_path, capsys, value, words):
    code, _, err = run_cli(["run", "pairing-two-pair", "--set", f"case_b={value}", "--out", str(tmp_path / "r")], capsys)
    assert code == 2 and words in err and "Field required" not in err
