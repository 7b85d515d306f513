"""Exponential growth-rate fitting with automatic detection of the linear-regime window."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from nupair import validation as _v
from nupair.results import SolverError, Status, StatusMixin

__all__ = ["GrowthFit", "NoGrowthFound", "fit_growth_rate"]


class NoGrowthFound(SolverError, ValueError):
    """The amplitude has no exponential stretch to fit (status NO_SOLUTION).

    A :class:`~nupair.results.SolverError` (the fit failed, not the input); also a ``ValueError``
    so that code written for earlier versions keeps catching it."""

    def __init__(self, message: str):
        super().__init__(message, Status.NO_SOLUTION)


@dataclass(frozen=True)
class GrowthFit(StatusMixin):
    """Result of :func:`fit_growth_rate`.

    Attributes
    ----------
    rate : float
        Fitted exponential growth rate Gamma of amplitude ~ exp(Gamma t) [1 / time unit of t].
    uncertainty : float
        One-sigma uncertainty [same unit]: the larger of the regression standard error and half
        the difference between the rates fitted on the two halves of the window (a measure of
        curvature, i.e. of how exponential the window really is).
    t_start, t_end : float
        The window [t_start, t_end] used for the fit.
    n_points : int
        Samples inside the window.
    efolds : float
        rate * (t_end - t_start): how many e-folds of growth the window spans.
    status : Status
        SUCCESSFUL, or NO_SOLUTION (``failure="status"`` and no exponential window: every number
        is NaN and ``message`` says why).
    message : str
    """

    rate: float
    uncertainty: float
    t_start: float
    t_end: float
    n_points: int
    efolds: float
    status: Status = Status.SUCCESSFUL
    message: str = ""

    def agreement(self, expected_rate: float, *, min_efolds: float = 1.5, max_sigma: float = 2.0,
                  what: str = "the linear theory") -> tuple[float, list[str]]:
        """How this fit stands beside a predicted rate: (deviation in sigma, reasons to distrust).

        The deviation is (rate - expected_rate) / uncertainty (NaN when either is missing). A reason
        is returned when the fit failed while growth was predicted, when its window spans fewer
        than ``min_efolds`` e-folds (an onset or a saturation can then pass for the slope), or when
        it misses ``expected_rate`` [same unit] by more than ``max_sigma`` of its own uncertainty.
        A caller reports the reasons (e.g. as warnings in a summary) instead of a bare number.
        """
        expected_rate = _v.finite("expected_rate", expected_rate)
        reasons = []
        if not self.ok:
            if expected_rate > 0:
                why = f" ({self.message})" if self.message else ""
                reasons.append(f"no exponential window was found although {what} gives growth at "
                               f"{expected_rate:.4g}{why}")
            return float("nan"), reasons
        sigma = (self.rate - expected_rate) / self.uncertainty if self.uncertainty > 0 else float("nan")
        if self.efolds < min_efolds:
            reasons.append(f"the fit window spans only {self.efolds:.2f} e-folds (< {min_efolds:g}): the linear "
                           "phase is too short to measure a rate")
        if not abs(sigma) <= max_sigma:
            reasons.append(f"the fitted rate {self.rate:.4g} +- {self.uncertainty:.2g} misses {what} "
                           f"({expected_rate:.4g}) by {sigma:+.1f} sigma")
        return float(sigma), reasons

    @classmethod
    def failed(cls, why: SolverError) -> "GrowthFit":
        """A fit that found no exponential window: NaN numbers, the reason in ``message``."""
        nan = float("nan")
        return cls(nan, nan, nan, nan, 0, nan, why.status, why.detail)


def _window_slopes(t: np.ndarray, z: np.ndarray, i0: np.ndarray, i1: np.ndarray) -> np.ndarray:
    """Least-squares slopes of z(t) over the sample ranges [i0, i1) (arrays), O(1) each."""
    def c(a):
        return np.concatenate(([0.0], np.cumsum(a)))

    st, sz, stt, stz = c(t), c(z), c(t * t), c(t * z)
    n = (i1 - i0).astype(float)
    s_t, s_z = st[i1] - st[i0], sz[i1] - sz[i0]
    s_tt, s_tz = stt[i1] - stt[i0], stz[i1] - stz[i0]
    return (n * s_tz - s_t * s_z) / (n * s_tt - s_t * s_t)


def _linfit(t: np.ndarray, z: np.ndarray) -> tuple[float, float]:
    """Slope and its standard error of a straight-line least-squares fit."""
    tm = t - t.mean()
    sxx = float(np.sum(tm * tm))
    slope = float(np.sum(tm * (z - z.mean())) / sxx)
    resid = z - z.mean() - slope * tm
    dof = max(len(t) - 2, 1)
    return slope, float(np.sqrt(np.sum(resid * resid) / dof / sxx))


def fit_growth_rate(
    t: ArrayLike,
    amplitude: ArrayLike,
    *,
    ceiling_fraction: float = 0.1,
    straightness: float = 0.02,
    min_efolds: float = 1.0,
    n_grid: int = 48,
    failure: str = "raise",
) -> GrowthFit:
    """Fit the exponential growth rate of ``amplitude(t)`` in its linear (exponential) window.

    Parameters
    ----------
    t : array, shape (n,)
        Strictly increasing times.
    amplitude : array, shape (n,)
        Positive amplitude (e.g. |kappa|); non-positive samples are ignored.
    ceiling_fraction : float
        The linear regime ends when the amplitude first exceeds this fraction of its maximum
        (nonlinear saturation sets in near the maximum).
    straightness : float
        A window is exponential when the slopes of log(amplitude) fitted on its three thirds
        agree with the slope of the whole window within this relative tolerance.
    min_efolds : float
        Minimum growth the window must span; otherwise a ``ValueError`` says why.
    n_grid : int
        Number of candidate window boundaries (windows are searched on this grid).
    failure : {"raise", "status"}
        No exponential window: raise :class:`NoGrowthFound` ("raise") or return a
        :class:`GrowthFit` with status NO_SOLUTION, NaN numbers and the reason ("status", for
        callers that report a stable configuration rather than stop on it). Bad input always
        raises ``ValueError``.

    Returns
    -------
    GrowthFit

    Notes
    -----
    Algorithm: (1) cut the series at the first crossing of ``ceiling_fraction * max``;
    (2) on a grid of candidate windows [t_a, t_b], fit straight lines to log(amplitude) on the
    whole window and on its three thirds (O(1) per window from cumulative sums); (3) keep the
    windows whose thirds agree with the whole within ``straightness`` (an onset, a saturation
    or an S-shape fails this test; fast oscillations average out over a third) and take the one
    spanning the most e-folds; (4) report its least-squares slope. If no window is straight
    enough, the straightest window spanning ``min_efolds`` is used and its curvature enters the
    uncertainty.
    """
    _v.one_of("failure", failure, ("raise", "status"))
    t, a = _checked_series(t, amplitude, ceiling_fraction, straightness)
    try:
        return _fit(t, a, ceiling_fraction, straightness, min_efolds, n_grid)
    except NoGrowthFound as why:
        if failure == "raise":
            raise
        return GrowthFit.failed(why)


def _checked_series(t, amplitude, ceiling_fraction: float, straightness: float):
    t = np.asarray(t, dtype=float)
    a = np.asarray(amplitude, dtype=float)
    if t.ndim != 1 or t.shape != a.shape:
        raise ValueError(f"t and amplitude must be 1-D of equal length (got {t.shape}, {a.shape})")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(a))):
        raise ValueError("t and amplitude must be finite")
    if not np.all(np.diff(t) > 0):
        raise ValueError("t must be strictly increasing")
    if not 0 < ceiling_fraction <= 1:
        raise ValueError(_v.refused(f"ceiling_fraction={ceiling_fraction!r}", "must lie in (0, 1]"))
    if not 0 < straightness < 1:
        raise ValueError(_v.refused(f"straightness={straightness!r}", "must lie in (0, 1)"))
    return t, a


def _fit(t, a, ceiling_fraction: float, straightness: float, min_efolds: float, n_grid: int) -> GrowthFit:
    """The window search of :func:`fit_growth_rate` on checked input."""
    keep = a > 0
    t, a = t[keep], a[keep]
    if t.size < 12:
        raise NoGrowthFound("fewer than 12 positive amplitude samples: nothing to fit")
    above = np.nonzero(a >= ceiling_fraction * a.max())[0]
    i_end = int(above[0]) + 1 if above.size else t.size
    t, z = t[:i_end], np.log(a[:i_end])
    if t.size < 12:
        raise NoGrowthFound(
            "the amplitude reaches the saturation ceiling within the first 12 samples: sample "
            "the early evolution more densely or lower ceiling_fraction"
        )
    grid = np.unique(np.linspace(0, t.size, min(n_grid, t.size // 3) + 1).astype(int))
    ia, ib = np.meshgrid(grid, grid, indexing="ij")
    ok = ib - ia >= 9
    ia, ib = ia[ok], ib[ok]
    third = (ib - ia) // 3
    whole = _window_slopes(t, z, ia, ib)
    parts = np.stack([_window_slopes(t, z, ia + k * third, ia + (k + 1) * third if k < 2 else ib)
                      for k in range(3)])
    efolds = whole * (t[ib - 1] - t[ia])
    with np.errstate(divide="ignore", invalid="ignore"):
        mismatch = np.max(np.abs(parts - whole), axis=0) / whole
    long_enough = (whole > 0) & (efolds >= min_efolds)
    if not np.any(whole > 0):
        raise NoGrowthFound("no exponential growth found: the amplitude never grows")
    if not np.any(long_enough):
        raise NoGrowthFound(
            f"no growing window spans min_efolds={min_efolds} e-folds before the ceiling: run "
            "longer, start from a smaller seed, or lower min_efolds"
        )
    straight = long_enough & (mismatch <= straightness)
    if np.any(straight):
        j = int(np.argmax(np.where(straight, efolds, -np.inf)))
    else:
        j = int(np.argmin(np.where(long_enough, mismatch, np.inf)))
    tw, zw = t[ia[j]: ib[j]], z[ia[j]: ib[j]]
    rate, stderr = _linfit(tw, zw)
    curvature = float(np.max(np.abs(parts[:, j] - whole[j])))
    return GrowthFit(
        rate=rate,
        uncertainty=max(stderr, curvature / 2.0),
        t_start=float(tw[0]),
        t_end=float(tw[-1]),
        n_points=int(len(tw)),
        efolds=float(rate * (tw[-1] - tw[0])),
    )
