"""The runner's progress display: a rich bar on a terminal once a run passes ~1 s; off a terminal
(a log file, a batch job) one plain line every ~10 s."""

from __future__ import annotations

import sys
import time

__all__ = ["RichProgress"]


class RichProgress:
    """Progress callback ``(fraction, description)`` showing a rich bar once a run passes ~1 s.

    The time left is the elapsed time times (1 - f)/f, f the fraction of the run's estimated
    work done (task costs from the scenario, the running task's own fraction inside it). Disabled
    with ``enabled=False`` (``--quiet``). When stderr is not a terminal, a plain line
    ``label: 42.0 % done, ~12 s left`` every ``line_interval_s`` instead of the bar (a log shows
    the run is alive and when it will end).
    """

    def __init__(self, label: str, enabled: bool = True, delay_s: float = 1.0, line_interval_s: float = 10.0):
        self.label = label
        self.enabled = enabled
        self.tty = sys.stderr.isatty()
        self.delay_s = delay_s
        self.line_interval_s = line_interval_s
        self._last_line = time.perf_counter()
        self._start = time.perf_counter()
        self._progress = None
        self._task = None
        self._first: tuple[float, float] | None = None

    def eta_s(self, fraction: float) -> float | None:
        """Seconds left at ``fraction`` of the estimated work done: the time since the first
        report times (1 - f)/f (None until 1 % is done: earlier guesses mislead)."""
        now = time.perf_counter()
        if self._first is None:
            self._first = (now, fraction)
            return None
        t_first, f_first = self._first
        done = fraction - f_first
        if fraction < 0.01 or done <= 0:
            return None
        return (now - t_first) * (1.0 - fraction) / done

    def __call__(self, fraction: float, description: str = "") -> None:
        if not self.enabled:
            return
        fraction = min(max(fraction, 0.0), 1.0)
        eta = self.eta_s(fraction)
        if not self.tty:
            now = time.perf_counter()
            if now - self._last_line >= self.line_interval_s:
                self._last_line = now
                left = "" if eta is None else f", ~{eta:,.0f} s left"
                print(f"{self.label}: {100 * fraction:.1f} % done{left}", file=sys.stderr, flush=True)
            return
        if self._progress is None:
            if time.perf_counter() - self._start < self.delay_s:
                return
            from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

            self._progress = Progress(TextColumn("{task.description}", markup=False), BarColumn(),
                                      TextColumn("{task.percentage:>5.1f}%"), TimeElapsedColumn(),
                                      TextColumn("{task.fields[left]}", markup=False), transient=True)
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=1.0, left="")
        left = "" if eta is None else f"~{eta:,.0f} s left"
        self._progress.update(self._task, completed=fraction, left=left,
                              description=f"{self.label} {description}".strip())

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
