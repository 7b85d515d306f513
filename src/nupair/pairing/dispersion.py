"""Unstable roots of the pairing dispersion relation, located by bisection with root counts.

An eigen-solver-free check of :func:`~nupair.pairing.growth_rates` (spec ``pairing.md`` sections 6
and 7.1: "bisection on the dispersion relation"). The linearized system d/dt (x, y) = J (x, y) has
J = J0 + U W with J0 block-diagonal (mode p rotates at a_p) and U W of rank 3 (section 6 and the
:mod:`~nupair.pairing.stability` module docstring). By the matrix determinant lemma

.. math::
    \\det(J - \\lambda) = \\det(J_0 - \\lambda)\\, D(\\lambda),\\qquad
    D(\\lambda) = \\det\\bigl(1_3 + W (J_0 - \\lambda)^{-1} U\\bigr),

and det(J0 - lambda) = prod_p (lambda^2 + a_p^2) vanishes only on the imaginary axis, so the
unstable eigenvalues (Re lambda > 0) are exactly the zeros of the 3 x 3 determinant D in the right
half-plane. D costs O(N) per point:

.. math::
    W (J_0 - \\lambda)^{-1} U = \\sum_p \\frac{-\\lambda A_p + a_p B_p}{\\lambda^2 + a_p^2},

with A_p = w^x_p (u^x_p)^T + w^y_p (u^y_p)^T and B_p = w^y_p (u^x_p)^T - w^x_p (u^y_p)^T (3 x 3).

The zeros inside a rectangle of the lambda plane are counted by the argument principle (the phase
of D followed along the boundary, with adaptive sampling until no step turns it by more than
pi/4). The frequency band is bisected on the real-frequency axis (Im lambda) until each window
holding roots spans a few resonances 2E, then the growth-rate bracket is bisected in each such
window; the fastest root wins. Only the lower half-plane (Im lambda <= 0, where the modes of
positive energy put their roots; the upper half holds the complex conjugates) is searched.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nupair import validation as _v
from nupair.numerics.roots import phase_along_segment
from nupair.results import SolverError, Status, StatusMixin

from nupair.pairing.grid import Grid
from nupair.pairing.qke import PairingParams
from nupair.pairing.linear import GROWTH_NOISE_FLOOR_MeV, linear_parts

__all__ = ["DispersionRelation", "DispersionRoot", "dispersion_relation", "dispersion_growth_rate"]

_MAX_TURN = np.pi / 4  # largest phase step accepted between neighbouring contour samples
_MAX_LEVELS = 60  # halvings of a contour segment before giving up
_CHUNK = 2048  # contour points evaluated per matrix product
_SAMPLE_BUDGET = 400_000  # contour samples of the automatic resolution


@dataclass(frozen=True)
class DispersionRelation:
    """D(lambda) = det(1 + W (J0 - lambda)^-1 U) of one linearized pairing system.

    Attributes
    ----------
    a : ndarray (N,)
        Mode frequencies a_p = 2 E_p - 4 p_hat . N1 [MeV] (poles of D at lambda = -+ i a_p).
    a_terms, b_terms : ndarray (N, 9)
        The 3 x 3 matrices A_p and B_p of the module docstring, flattened row-major [MeV].
    growth_bound_MeV : float
        ||U|| ||W|| (spectral norms): no eigenvalue has Re lambda above it.
    """

    a: NDArray[np.float64]
    a_terms: NDArray[np.float64]
    b_terms: NDArray[np.float64]
    growth_bound_MeV: float

    def __call__(self, lam) -> NDArray[np.complex128]:
        """D at the points ``lam`` [MeV] (any shape, complex); O(N) per point."""
        lam = np.asarray(lam, dtype=complex)
        flat = lam.ravel()
        out = np.empty(flat.size, dtype=complex)
        for s in range(0, flat.size, _CHUNK):
            z = flat[s:s + _CHUNK, None]
            den = z * z + self.a[None, :] ** 2
            g = (-z / den) @ self.a_terms + (self.a[None, :] / den) @ self.b_terms  # (M, 9)
            g = g.reshape(-1, 3, 3) + np.eye(3)
            out[s:s + _CHUNK] = np.linalg.det(g)
        return out.reshape(lam.shape)


def dispersion_relation(state, grid: Grid, params: PairingParams) -> DispersionRelation:
    """The dispersion function D(lambda) of the linearized equations around kappa = 0 (spec 6).

    ``state`` gives the occupations (kappa ignored), as for :func:`~nupair.pairing.growth_rates`.
    """
    op = linear_parts(state, grid, params)
    a, umat, wmat = op.a, op.umat, op.wmat
    n = a.size
    ux, uy = umat[:n], umat[n:]  # (N, 3): columns of U for Re kappa, Im kappa
    wx, wy = wmat[:, :n].T, wmat[:, n:].T  # (N, 3): rows of W
    a_terms = (wx[:, :, None] * ux[:, None, :] + wy[:, :, None] * uy[:, None, :]).reshape(n, 9)
    b_terms = (wy[:, :, None] * ux[:, None, :] - wx[:, :, None] * uy[:, None, :]).reshape(n, 9)
    bound = float(np.linalg.norm(umat, 2) * np.linalg.norm(wmat, 2))
    return DispersionRelation(a, a_terms, b_terms, bound)


def _phase_profile(d: DispersionRelation, start: complex, stop: complex, seeds: NDArray):
    """Samples t in [0, 1] of the segment start -> stop and the cumulative change of arg D [rad].

    ``seeds`` are parameter values to sample from the outset. Steps are halved until no step
    turns the phase by more than pi/4; a segment that will not resolve (a zero on the contour)
    raises SolverError rather than return a wrong count.
    """
    t = np.unique(np.concatenate([np.linspace(0.0, 1.0, 17), seeds[(seeds > 0.0) & (seeds < 1.0)]]))
    return phase_along_segment(d, start, stop, t, d(start + (stop - start) * t), max_turn=_MAX_TURN,
                               max_halvings=_MAX_LEVELS)


def _phase_change(d: DispersionRelation, start: complex, stop: complex, seeds: NDArray) -> float:
    return float(_phase_profile(d, start, stop, seeds)[1][-1])


class _Counter:
    """Root counts of D in rectangles [x0, x1] x [y0, y1] of the lambda = x + i y plane.

    Close to the imaginary axis D(x + iy) ~ D(iy) - i x dD/dy with D(iy) real (the spectrum of J
    is symmetric under lambda -> -conj(lambda)), so every zero or pole of D on the axis turns the
    phase by pi within a distance ~x of its passage. Stable zeros sit within the growth bound of a
    pole (Bauer-Fike: J0 is normal), so the vertical edges are sampled with step x/2 there: two
    such passages can then not cancel inside one step unnoticed.
    """

    def __init__(self, d: DispersionRelation, band: tuple[float, float], max_samples: int = 4_000_000):
        self.d = d
        self.poles = np.sort(np.concatenate([-np.abs(d.a), np.abs(d.a)]))
        self.max_samples = max_samples
        self._profiles: dict = {}
        self._band = band  # the frequency window whose edge profiles are cached

    def _edge_seeds(self, x: float, y0: float, y1: float) -> NDArray:
        reach = self.d.growth_bound_MeV + 4.0 * x
        lo = np.clip(self.poles - reach, y0, y1)
        hi = np.clip(self.poles + reach, y0, y1)
        keep = hi > lo
        lo, hi = lo[keep], hi[keep]
        if lo.size == 0:
            return np.empty(0)
        # union of the neighbourhoods (poles sorted, so the intervals are too)
        starts = np.concatenate([[True], lo[1:] > np.maximum.accumulate(hi)[:-1]])
        ulo = lo[starts]
        uhi = np.maximum.reduceat(hi, np.flatnonzero(starts))
        step = 0.5 * x
        total = int(np.sum(np.ceil((uhi - ulo) / step))) + ulo.size
        if total > self.max_samples:
            raise SolverError(f"resolving growth rates down to {x:.3g} MeV needs {total} samples of the "
                              f"dispersion function (> {self.max_samples}); raise rate_floor_MeV",
                              Status.SOLVER_FAILED)
        ys = np.concatenate([np.linspace(a, b, int(np.ceil((b - a) / step)) + 1) for a, b in zip(ulo, uhi)])
        return (ys - y0) / (y1 - y0)

    def _vertical(self, x: float, y0: float, y1: float) -> float:
        """Phase change of D along x + i[y0 -> y1], from a cached profile of the whole band."""
        if x not in self._profiles:
            if (y0, y1) != self._band:
                return _phase_change(self.d, complex(x, y0), complex(x, y1), self._edge_seeds(x, y0, y1))
            t, cum = _phase_profile(self.d, complex(x, y0), complex(x, y1), self._edge_seeds(x, y0, y1))
            self._profiles[x] = (y0 + (y1 - y0) * t, cum)
        ys, cum = self._profiles[x]
        i0, i1 = np.searchsorted(ys, [y0, y1])
        if ys[min(i0, ys.size - 1)] != y0 or ys[min(i1, ys.size - 1)] != y1:
            return _phase_change(self.d, complex(x, y0), complex(x, y1), self._edge_seeds(x, y0, y1))
        return float(cum[i1] - cum[i0])

    def _horizontal(self, y: float, x0: float, x1: float) -> float:
        dist = np.min(np.abs(self.poles - y)) if self.poles.size else 1.0
        seeds = (dist * np.tan(np.linspace(0.05, 1.4, 9)) - x0) / (x1 - x0)
        return _phase_change(self.d, complex(x0, y), complex(x1, y), seeds)

    def count(self, x0: float, x1: float, y0: float, y1: float) -> int:
        """Number of zeros of D inside the rectangle (counter-clockwise boundary)."""
        turn = (self._horizontal(y0, x0, x1) + self._vertical(x1, y0, y1)
                - self._horizontal(y1, x0, x1) - self._vertical(x0, y0, y1))
        n = turn / (2 * np.pi)
        if abs(n - round(n)) > 0.1:
            raise SolverError(f"argument-principle count {n:.3f} is not an integer", Status.SOLVER_FAILED)
        return int(round(n))

    def split_point(self, x: float, y0: float, y1: float) -> float:
        """A sampled frequency of the edge at x near the middle of [y0, y1], between two poles."""
        mid = 0.5 * (y0 + y1)
        inside = self.poles[(self.poles > y0) & (self.poles < y1)]
        if inside.size >= 2:
            k = int(np.clip(np.searchsorted(inside, mid), 1, inside.size - 1))
            mid = 0.5 * (inside[k - 1] + inside[k])
        if x in self._profiles:
            ys = self._profiles[x][0]
            ys = ys[(ys > y0) & (ys < y1)]
            if ys.size:
                mid = float(ys[np.argmin(np.abs(ys - mid))])
        return mid


@dataclass(frozen=True)
class DispersionRoot(StatusMixin):
    """Fastest unstable root of D found by bisection.

    Attributes
    ----------
    growth_rate_MeV : float
        Re lambda of the fastest root [MeV]; 0.0 if no root lies above ``rate_floor_MeV``.
    growth_rate_bracket_MeV : (float, float)
        Interval known to contain it (the root count changes across it).
    frequency_MeV : float
        |Im lambda| of that root [MeV] (midpoint of its final bracket; nan if stable).
    frequency_bracket_MeV : (float, float)
    n_unstable_roots : int
        Roots in the searched half-plane with Re lambda > rate_floor_MeV.
    rate_floor_MeV : float
    status : Status
        SUCCESSFUL (a search that cannot bracket the root raises
        :class:`~nupair.results.SolverError`).
    message : str
    """

    growth_rate_MeV: float
    growth_rate_bracket_MeV: tuple[float, float]
    frequency_MeV: float
    frequency_bracket_MeV: tuple[float, float]
    n_unstable_roots: int
    rate_floor_MeV: float
    status: Status = Status.SUCCESSFUL
    message: str = ""

    @property
    def unstable(self) -> bool:
        return self.n_unstable_roots > 0


def dispersion_growth_rate(state, grid: Grid, params: PairingParams, *,
                           rate_floor_MeV: float = GROWTH_NOISE_FLOOR_MeV, rtol: float = 1e-9,
                           resolution_MeV: float | None = None, leaf_poles: int = 64) -> DispersionRoot:
    """Fastest growth rate of the linearized pairing equations from the dispersion relation.

    Independent of the eigen-solvers of :func:`~nupair.pairing.growth_rates`: the unstable roots
    are zeros of D(lambda) (module docstring), counted by the argument principle in the strip
    Re lambda in [rate_floor_MeV, growth bound], Im lambda in [-(max|a_p| + bound + 1 MeV), 0].
    The strip is bisected in frequency until each window with roots holds at most ``leaf_poles``
    poles; in each such window the growth rate of its fastest root is bracketed by bisection to
    relative width ``rtol``, and that root's frequency by bisection of the final strip.

    Roots slower than the resolution are not resolved: near the imaginary axis the phase of D
    turns by pi within a distance ~x of every stable eigenvalue, so the contour at Re lambda = x
    is sampled with step x/2 near the poles. ``resolution_MeV=None`` picks the finest x whose
    contour takes ~4e5 samples (4 band / 4e5, at least 1e-6 of the growth bound); the result
    reports it as ``rate_floor_MeV`` (never below ``rate_floor_MeV`` given).

    Returns
    -------
    DispersionRoot
        ``growth_rate_MeV`` = 0.0 and ``n_unstable_roots`` = 0 when no root exceeds the floor.
    """
    leaf_poles = _v.positive_int("leaf_poles", leaf_poles, 1)
    floor = _v.positive("rate_floor_MeV", rate_floor_MeV, "MeV")
    _v.in_range("rtol", rtol, 1e-14, 1e-2)
    d = dispersion_relation(state, grid, params)
    a_max = float(np.max(np.abs(d.a)))
    if resolution_MeV is None:  # finest resolution whose contour fits the sample budget
        band = a_max + max(1.01 * d.growth_bound_MeV, 2.0 * floor) + 1.0
        resolution_MeV = max(1e-6 * d.growth_bound_MeV, 4.0 * band / _SAMPLE_BUDGET)
    floor = max(floor, _v.positive("resolution_MeV", resolution_MeV, "MeV"))
    x_top = max(1.01 * d.growth_bound_MeV, 2.0 * floor)
    y_lo = -(a_max + x_top + 1.0)
    y_hi = 0.5 * float(np.min(np.abs(d.a))) if np.min(np.abs(d.a)) > 0 else 1e-3 * x_top

    counter = _Counter(d, (y_lo, y_hi))
    total = counter.count(floor, x_top, y_lo, y_hi)
    if total == 0:
        return DispersionRoot(0.0, (0.0, floor), float("nan"), (float("nan"), float("nan")), 0, floor)

    # bisection on the real-frequency axis: windows with roots, refined until small
    leaves, stack = [], [(y_lo, y_hi, total)]
    while stack:
        y0, y1, n = stack.pop()
        n_poles = np.count_nonzero((counter.poles > y0) & (counter.poles < y1))
        if n_poles <= leaf_poles or y1 - y0 < 1e-9 * (abs(y0) + abs(y1)):
            leaves.append((y0, y1))
            continue
        ym = counter.split_point(floor, y0, y1)
        n_low = counter.count(floor, x_top, y0, ym)
        if n_low:
            stack.append((y0, ym, n_low))
        if n - n_low:
            stack.append((ym, y1, n - n_low))

    best = None
    for y0, y1 in leaves:
        lo, hi = floor, x_top  # count(lo) >= 1, count(hi) = 0
        while hi - lo > rtol * hi:
            mid = 0.5 * (lo + hi)
            if counter.count(mid, x_top, y0, y1):
                lo = mid
            else:
                hi = mid
        if best is None or lo > best[0]:
            best = (lo, hi, y0, y1)
    lo, hi, y0, y1 = best
    # the root sits in [lo, hi] x [y0, y1]; bisect its frequency
    xa, xb = lo, x_top
    for _ in range(200):
        if y1 - y0 <= max(rtol * abs(y0), 1e-12):
            break
        ym = 0.5 * (y0 + y1)
        if counter.count(xa, xb, y0, ym):
            y1 = ym
        else:
            y0 = ym
    return DispersionRoot(0.5 * (lo + hi), (lo, hi), -0.5 * (y0 + y1), (-y1, -y0), total, floor)
