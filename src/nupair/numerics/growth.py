"""Exponential growth-rate fitting with automatic detection of the linear-regime window."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

__all__ = ["GrowthFit", "fit_growth_rate"]


@dataclass(frozen=True)
class GrowthFit:
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
    """

    rate: float
    uncertainty: float
    t_start: float
    t_end: float
    n_points: int
    efolds: float


def _sliding_slopes(t: np.ndarray, z: np.ndarray, w: int) -> np.ndarray:
    """Least-squares slopes of z(t) over all windows of w consecutive samples, O(n)."""
    c = lambda a: np.concatenate(([0.0], np.cumsum(a)))  # noqa: E731
    st, sz, stt, stz = c(t), c(z), c(t * t), c(t * z)
    n = w
    s_t = st[w:] - st[:-w]
    s_z = sz[w:] - sz[:-w]
    s_tt = stt[w:] - stt[:-w]
    s_tz = stz[w:] - stz[:-w]
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
    smoothing_fraction: float = 0.05,
    slope_tolerance: float = 0.05,
    min_efolds: float = 1.0,
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
    smoothing_fraction : float
        Width of the sliding windows for the local slope, as a fraction of the samples before
        the ceiling (averages out fast oscillations riding on the envelope).
    slope_tolerance : float
        A sample belongs to the exponential window when its local slope is within this relative
        tolerance of the reference slope (the 95th percentile of the local slopes).
    min_efolds : float
        Minimum growth the window must span; otherwise a ``ValueError`` says why.

    Returns
    -------
    GrowthFit

    Notes
    -----
    Algorithm: (1) cut the series at the first crossing of ``ceiling_fraction * max``;
    (2) compute local slopes of log(amplitude) by least squares over sliding windows (O(n) via
    cumulative sums); (3) keep the longest contiguous run of windows whose slope is within
    ``slope_tolerance`` of the reference slope; (4) fit a straight line to log(amplitude) over
    that run. Early transients (a source-driven plateau, beating with decaying modes) and the
    saturated phase are excluded automatically.
    """
    t = np.asarray(t, dtype=float)
    a = np.asarray(amplitude, dtype=float)
    if t.ndim != 1 or t.shape != a.shape:
        raise ValueError(f"t and amplitude must be 1-D of equal length (got {t.shape}, {a.shape})")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(a))):
        raise ValueError("t and amplitude must be finite")
    if not np.all(np.diff(t) > 0):
        raise ValueError("t must be strictly increasing")
    if not 0 < ceiling_fraction <= 1:
        raise ValueError(f"ceiling_fraction={ceiling_fraction!r} is not allowed: must lie in (0, 1]")
    if not 0 < smoothing_fraction < 0.5:
        raise ValueError(f"smoothing_fraction={smoothing_fraction!r} is not allowed: must lie in (0, 0.5)")
    keep = a > 0
    t, a = t[keep], a[keep]
    if t.size < 10:
        raise ValueError("fewer than 10 positive amplitude samples: nothing to fit")
    above = np.nonzero(a >= ceiling_fraction * a.max())[0]
    i_end = int(above[0]) + 1 if above.size else t.size
    t, z = t[:i_end], np.log(a[:i_end])
    if t.size < 10:
        raise ValueError(
            "the amplitude reaches the saturation ceiling within the first 10 samples: sample "
            "the early evolution more densely or lower ceiling_fraction"
        )
    w = max(5, int(smoothing_fraction * t.size))
    slopes = _sliding_slopes(t, z, w)
    ref = float(np.percentile(slopes, 95))
    if not ref > 0:
        raise ValueError("no exponential growth found: the local slopes are never positive")
    good = slopes >= (1.0 - slope_tolerance) * ref
    # longest contiguous run of accepted windows
    idx = np.flatnonzero(np.diff(np.concatenate(([0], good.astype(int), [0]))))
    starts, stops = idx[::2], idx[1::2]
    j = int(np.argmax(stops - starts))
    i0, i1 = int(starts[j]), int(stops[j]) - 1 + w  # sample range [i0, i1)
    tw, zw = t[i0:i1], z[i0:i1]
    rate, stderr = _linfit(tw, zw)
    half = len(tw) // 2
    if half >= 3:
        r1, _ = _linfit(tw[:half], zw[:half])
        r2, _ = _linfit(tw[half:], zw[half:])
        curvature = 0.5 * abs(r1 - r2)
    else:
        curvature = 0.0
    efolds = rate * (tw[-1] - tw[0])
    if efolds < min_efolds:
        raise ValueError(
            f"the exponential window spans only {efolds:.2f} e-folds (< min_efolds={min_efolds}): "
            "run longer, start from a smaller seed, or lower min_efolds"
        )
    return GrowthFit(
        rate=rate,
        uncertainty=max(stderr, curvature),
        t_start=float(tw[0]),
        t_end=float(tw[-1]),
        n_points=int(len(tw)),
        efolds=float(efolds),
    )
