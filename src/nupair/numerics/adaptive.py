"""Adaptive Runge-Kutta integration through scipy.integrate.solve_ivp."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from nupair import validation as _v
from scipy.integrate import solve_ivp

__all__ = ["Adaptive"]

_ORDERS = {"DOP853": 8, "RK45": 5, "RK23": 3, "Radau": 5, "BDF": 5, "LSODA": 12}


@dataclass(frozen=True)
class Adaptive:
    """Adaptive step-size solver from ``scipy.integrate.solve_ivp``.

    Parameters
    ----------
    method : str
        A ``solve_ivp`` method. Default "DOP853": the explicit Runge-Kutta method of order 8 of
        Dormand & Prince (Hairer, Norsett & Wanner, "Solving Ordinary Differential Equations I",
        2nd ed., Springer 1993, sec. II.10), the right choice for smooth oscillatory problems at
        tight tolerances such as the pairing equations.
    rtol, atol : float
        Relative and absolute local error tolerances.
    max_step : float
        Largest step allowed (time units of the problem); inf lets the controller choose.
    """

    method: str = "DOP853"
    rtol: float = 1e-10
    atol: float = 1e-12
    max_step: float = np.inf

    def __post_init__(self):
        _v.one_of("method", self.method, _ORDERS)
        for name in ("rtol", "atol"):
            _v.in_range(name, getattr(self, name), 0.0, 1.0, low_open=True, high_open=True)
        if not (isinstance(self.max_step, float) and self.max_step == np.inf):  # inf: no limit
            _v.in_range("max_step", self.max_step, 0.0, None, low_open=True)

    @property
    def order(self) -> int:
        """Order of accuracy of the method."""
        return _ORDERS[self.method]

    def integrate(self, rhs: Callable, t0: float, t1: float, y0: np.ndarray, t_eval: np.ndarray,
                  args: tuple) -> tuple[np.ndarray, np.ndarray, dict, str | None]:
        """Integrate from t0 to t1; return (y at t_eval, y at t1, stats, error message or None).

        ``y0`` may have any shape (flattened for solve_ivp and restored on return).
        """
        shape = y0.shape

        def flat_rhs(t, y):
            return np.asarray(rhs(t, y.reshape(shape), *args)).ravel()

        times = np.append(t_eval, t1) if (len(t_eval) == 0 or t_eval[-1] != t1) else t_eval
        sol = solve_ivp(flat_rhs, (t0, t1), y0.ravel(), method=self.method, t_eval=times,
                        rtol=self.rtol, atol=self.atol, max_step=self.max_step)
        stats = {"n_rhs": int(sol.nfev)}
        if sol.status != 0:
            return None, None, stats, f"{sol.message} (t reached = {sol.t[-1] if sol.t.size else t0})"
        ys = sol.y.T.reshape((-1,) + shape)
        return ys[: len(t_eval)], ys[-1], stats, None
