"""Classic fixed-step fourth-order Runge-Kutta for large vectorized systems."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np

from nupair import validation as _v

__all__ = ["RK4"]


@dataclass(frozen=True)
class RK4:
    """Fixed-step classical Runge-Kutta method of order 4 (Kutta 1901; Hairer, Norsett & Wanner,
    "Solving Ordinary Differential Equations I", 2nd ed., sec. II.1, Table 1.2 right).

    Works on states of any shape and dtype (complex included) without flattening, so one call
    advances millions of independent modes in vectorized NumPy.

    Parameters
    ----------
    dt : float
        Largest step (time units of the problem). Each interval between save times is split into
        ceil(interval / dt) equal steps so that every save time is hit exactly.
    """

    dt: float

    def __post_init__(self):
        if not (math.isfinite(self.dt) and self.dt > 0):
            raise ValueError(_v.refused(f"dt={self.dt!r}", "must be a finite number > 0"))

    order = 4

    def integrate(self, rhs: Callable, t0: float, t1: float, y0: np.ndarray, t_eval: np.ndarray,
                  args: tuple) -> tuple[np.ndarray, np.ndarray, dict, str | None]:
        """Integrate from t0 to t1; return (y at t_eval, y at t1, stats, error message or None)."""
        marks = np.append(t_eval, t1) if (len(t_eval) == 0 or t_eval[-1] != t1) else t_eval
        y = np.array(y0, copy=True)
        # overflow is detected below and reported through the status, not as a warning
        with np.errstate(over="ignore", invalid="ignore"):
            return self._steps(rhs, t0, marks, len(t_eval), y, args)

    def _steps(self, rhs, t0, marks, n_eval, y, args):
        t = t0
        out = []
        n_steps = 0
        for t_next in marks:
            n = max(1, math.ceil((t_next - t) / self.dt - 1e-12))
            h = (t_next - t) / n
            for _ in range(n):
                k1 = rhs(t, y, *args)
                k2 = rhs(t + 0.5 * h, y + 0.5 * h * k1, *args)
                k3 = rhs(t + 0.5 * h, y + 0.5 * h * k2, *args)
                k4 = rhs(t + h, y + h * k3, *args)
                y = y + (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
                t += h
            n_steps += n
            t = float(t_next)
            if not np.all(np.isfinite(y)):
                stats = {"n_rhs": 4 * n_steps, "n_steps": n_steps}
                return None, None, stats, f"non-finite state at t = {t}"
            out.append(y.copy())
        stats = {"n_rhs": 4 * n_steps, "n_steps": n_steps}
        ys = np.stack(out)
        return ys[:n_eval], ys[-1], stats, None
