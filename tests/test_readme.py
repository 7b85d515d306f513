"""The README says what the package does (issue 27, item 7): its commands name real scenarios and
valid parameters, a command that confirms a long run is one, and its runtime column is the
measurement that ``nupair show`` prints (benchmarks/readme_runtimes.py writes both)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from nupair.scenarios import REGISTRY, get_scenario
from nupair.scenarios._parameters import DEFAULT_MAX_COST_S, measured_runtimes, resolve_parameters, runtime_text
from nupair.scenarios.runner import parse_set_option

README = Path(__file__).resolve().parents[1] / "README.md"


def _commands() -> list[list[str]]:
    """``nupair run|show|sweep`` command lines of the README's bash blocks (comments dropped)."""
    text = README.read_text()
    found = []
    for block in re.findall(r"```bash\n(.*?)```", text, flags=re.S):
        joined = block.replace("\\\n", " ")
        for line in joined.splitlines():
            line = line.split(" #")[0].strip()
            if line.startswith("nupair ") and len(line.split()) > 2:
                found.append(shlex.split(line))
    return found


def _overrides(words: list[str], flag: str = "--set") -> dict:
    return dict(parse_set_option(words[i + 1]) for i, w in enumerate(words) if w == flag)


def test_the_readme_has_commands_to_check():
    assert len([c for c in _commands() if c[1] == "run"]) >= 4


@pytest.mark.parametrize("words", [c for c in _commands() if c[1] in ("run", "show")], ids=lambda c: " ".join(c[1:4]))
def test_each_command_names_a_scenario_and_valid_parameters(words):
    scenario = get_scenario(words[2])
    overrides = _overrides(words)
    values, _ = resolve_parameters(scenario, overrides, seed=0)
    defaults = scenario.parameters()
    for key in overrides:  # every --set changes what runs (a no-op example misleads)
        assert getattr(values, key) != getattr(defaults, key), key
    if "--yes" in words:  # "confirm a long run": the run must need the confirmation
        assert scenario.cost_s(values) > DEFAULT_MAX_COST_S
        assert scenario.cost_s(values) > scenario.cost_s(defaults)


def test_runtime_column_is_the_measurement_nupair_show_prints():
    measured = measured_runtimes()["wall_s"]
    rows = [line for line in README.read_text().splitlines() if line.startswith("| `")]
    listed = set()
    for line in rows:
        cells = line.split("|")
        names = [n for n in re.findall(r"`([a-z0-9-]+)`", cells[1]) if n in REGISTRY]
        if not names:
            continue
        listed.update(names)
        expected = runtime_text(max(measured[n] for n in names)) + (" each" if len(names) > 1 else "")
        assert cells[-2].strip() == expected, line
    assert listed == set(REGISTRY), set(REGISTRY) ^ listed  # every scenario in the table, none unknown
