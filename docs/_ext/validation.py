"""Sphinx extension: the validation page, generated from the table the tests read
(tests/data/scenario_references.toml), so that the page and the tests cannot disagree."""

from __future__ import annotations

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


def generate(app) -> None:
    root = Path(app.srcdir).parent
    table = tomllib.loads((root / "tests" / "data" / "scenario_references.toml").read_text())
    lines = ["# Validation", "",
             "Every scenario is run at a tiny size in the test suite (`tests/scenarios/test_run_contract.py`) and",
             "must reproduce these values; the table below is generated from the same file the tests read,",
             "`tests/data/scenario_references.toml`. Capability tests (`tests/<capability>/`) check many more",
             "analytic limits and cross-method agreements; each names its source in its docstring.", "",
             "| scenario | summary key | expected | tolerance | source |", "|---|---|---|---|---|"]
    for c in table["check"]:
        if "equals" in c:
            expected, tol = f"`{c['equals']}`", "exact"
        elif "range" in c:
            expected, tol = f"in [{c['range'][0]:g}, {c['range'][1]:g}]", "range"
        elif "rel" in c:
            expected, tol = f"{c['value']:g}", f"rel {c['rel']:g}"
        else:
            expected, tol = f"{c['value']:g}", f"abs {c['abs']:g}"
        source = c["source"].replace("|", "/")
        lines.append(f"| `{c['scenario']}` | `{c['key']}` | {expected} | {tol} | {source} |")
    (Path(app.srcdir) / "validation.md").write_text("\n".join(lines) + "\n")


def setup(app):
    app.connect("builder-inited", generate)
    return {"version": "1", "parallel_read_safe": True}
