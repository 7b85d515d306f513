"""Measure every scenario's default run and regenerate the README's runtime column from it.

    python benchmarks/readme_runtimes.py            # measure all, write the data file and the README
    python benchmarks/readme_runtimes.py NAME ...   # re-measure some, keep the others

Each run is a fresh process (``nupair.run`` with the defaults; import, compiled-kernel loading and
per-process compilation included: what a user waits for), after the tests have filled the
package's kernel cache. The results go to
``src/nupair/scenarios/runtimes.toml`` (the numbers ``nupair show`` prints) and into the
README's scenario table (the last column of every row that names scenarios); a row naming
several scenarios shows the largest. tests/test_readme.py checks that the two agree.
"""

from __future__ import annotations

import datetime
import os
import platform
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from estimates import measure  # noqa: E402  (the same fresh-process measurement as the estimates)

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "src" / "nupair" / "scenarios" / "runtimes.toml"
README = ROOT / "README.md"


def _machine() -> str:
    return f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def write_data(wall: dict[str, float]) -> None:
    lines = ["# Wall time [s] of each scenario's default run in a fresh process (import and compilation included).",
             "# Written by benchmarks/readme_runtimes.py; the README's table and `nupair show` quote it.",
             f'machine = "{_machine()}"', f'date = "{datetime.date.today().isoformat()}"', "", "[wall_s]"]
    lines += [f'"{name}" = {wall[name]:.2f}' for name in sorted(wall)]
    DATA.write_text("\n".join(lines) + "\n")


def update_readme(wall: dict[str, float]) -> None:
    from nupair.scenarios._parameters import runtime_text

    out = []
    for line in README.read_text().splitlines():
        names = re.findall(r"`([a-z0-9-]+)`", line.split("|")[1]) if line.startswith("| `") else []
        known = [n for n in names if n in wall]
        if known:
            cells = line.split("|")
            each = " each" if len(known) > 1 else ""
            cells[-2] = f" {runtime_text(max(wall[n] for n in known))}{each} "
            line = "|".join(cells)
        out.append(line)
    README.write_text("\n".join(out) + "\n")


def main(names: list[str]) -> None:
    import tomllib

    from nupair.scenarios import REGISTRY

    wall = tomllib.loads(DATA.read_text()).get("wall_s", {}) if DATA.exists() else {}
    for name in names or sorted(REGISTRY):
        row = measure(name, {}, timeout_s=1800.0)
        if "error" in row:
            raise SystemExit(f"{name}: {row['error']}")
        wall[name] = row["wall_s"]
        print(f"{name:32s} {row['wall_s']:8.1f} s (estimate {row['estimated_s']:.1f} s)", flush=True)
    write_data(wall)
    update_readme(wall)


if __name__ == "__main__":
    main(sys.argv[1:])
