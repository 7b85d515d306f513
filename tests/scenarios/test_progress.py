"""The runner's progress off a terminal (issue 27, item 6): a batch job's log shows plain lines."""

import io
import sys
import time

from nupair.scenarios._progress import RichProgress


def test_plain_lines_at_the_interval_when_stderr_is_not_a_terminal(monkeypatch):
    buf = io.StringIO()
    monkeypatch.setattr(sys, "stderr", buf)
    progress = RichProgress("demo", line_interval_s=0.05)
    for i in range(1, 11):
        time.sleep(0.02)
        progress(i / 10)
    progress.close()
    lines = buf.getvalue().splitlines()
    assert 2 <= len(lines) <= 6  # one per ~0.05 s of a 0.2 s run, none before the first interval
    assert all(line.startswith("demo: ") and "% done" in line for line in lines)
    assert "s left" in lines[-1]


def test_quiet_prints_nothing(monkeypatch):
    buf = io.StringIO()
    monkeypatch.setattr(sys, "stderr", buf)
    progress = RichProgress("demo", enabled=False, line_interval_s=0.0)
    progress(0.5)
    progress.close()
    assert buf.getvalue() == ""
