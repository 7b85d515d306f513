"""Benchmarks reuse the reference implementations kept in tests/ (repository root on sys.path)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def pytest_terminal_summary(terminalreporter, config):
    """Print the ratios each benchmark stored in ``extra_info`` (ratio_to_*, *_over_*): the numbers
    the benchmarks exist for, measured in the same run, without opening the JSON."""
    session = getattr(config, "_benchmarksession", None)
    rows = []
    for bench in getattr(session, "benchmarks", []):
        ratios = {k: v for k, v in bench.extra_info.items()
                  if isinstance(v, float) and (k.startswith("ratio_to_") or "_over_" in k) and v != 1.0}
        rate = bench.extra_info.get("encounters_per_s")
        if ratios or rate:
            rows.append((bench.name, rate, ratios))
    if not rows:
        return
    terminalreporter.section("ratios measured in this run")
    for name, rate, ratios in rows:
        text = ", ".join(f"{k} {v:.3g}" for k, v in ratios.items())
        rate_text = f" [{rate:.3g} encounters/s]" if rate else ""
        terminalreporter.write_line(f"{name}{rate_text}" + (f": {text}" if text else ""))
