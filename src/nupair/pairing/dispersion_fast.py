"""Fast unstable roots of the pairing dispersion relation: O(N) work, D evaluations independent of N.

The linearized pairing system d/dt (x, y) = J (x, y), J = J0 + U W (spec ``pairing.md`` section 6,
:class:`~nupair.pairing.linear.LowRankOperator`; at wave vector k the detunings a_p carry the pair
detuning, docs/k-modes.md K9) has its unstable eigenvalues at the zeros of

.. math::
    D(\\lambda) = \\det\\bigl(1_3 + G(\\lambda)\\bigr),\\qquad
    G(\\lambda) = W (J_0 - \\lambda)^{-1} U
      = \\sum_p \\Bigl[\\frac{\\alpha_p}{\\lambda - i a_p} + \\frac{\\bar\\alpha_p}{\\lambda + i a_p}\\Bigr],
    \\qquad \\alpha_p = -\\tfrac12 (A_p + i B_p)

(matrix determinant lemma; A_p, B_p of :mod:`nupair.pairing.dispersion`). G is a Cauchy sum over
2N sources on the imaginary axis. Along a vertical line Re lambda = x it is the convolution of the
source measure with K_x(t) = 1/(x + i t), smooth on the scale x: the sources are spread onto a
uniform grid of spacing h = x/4 by sixth-order Lagrange anterpolation and convolved by FFT, so a
whole line of samples costs O(N + L log L) with L ~ (frequency band)/h, whatever N is.

Algorithm (:func:`dispersion_rates`):

1. Zeros of D in the strip x <= Re lambda <= X (X above the growth bound ||U|| ||W||, where no
   root lies), Im lambda in [y_lo, y_hi] (the lower half-plane and a sliver above 0: the roots
   of the upper half are their complex conjugates), are counted by the argument principle; the
   phase along each edge is followed with steps below pi/4 (bisected where larger).
2. x descends X/2, X/4, ... until the count is positive (or x reaches the resolution floor): the
   fastest roots then have Re lambda in [x, 2x].
3. |D| is tabulated on three lines across that strip (FFT), its local minima are Newton starts;
   Newton's method on D with the analytic derivative D'/D = Tr((1 + G)^{-1} G') polishes them to
   machine precision (O(N) per step, exact sums). The roots found are checked against the count.

The number of D evaluations depends on the band and the growth rate, not on N. Roots slower than
the resolution floor (4 x band / ``max_nodes``, or ``rate_floor_MeV`` if larger) are not resolved;
the result says so, and "no root above the floor" is what "stable" means for this method.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.fft as _fft
from numpy.typing import NDArray

from nupair import validation as _v
from nupair.pairing._dispersion_kernels import (
    cauchy_direct,
    cauchy_with_derivative,
    det_one_plus,
    lagrange_interpolate,
    spread_charges,
    spread_sources,
)
from nupair.pairing.linear import (
    GROWTH_NOISE_FLOOR_MeV,
    LowRankOperator,
    StabilityResult,
    _kappa_vectors,
    _mode_weights,
)
from nupair.numerics.roots import phase_along_segment
from nupair.results import SolverError, Status

__all__ = ["CauchyDispersion", "dispersion_rates", "DEFAULT_MAX_NODES"]

_MAX_TURN = np.pi / 4   # largest accepted phase step between neighbouring samples of an edge
_MAX_HALVINGS = 40      # bisections of one contour step before the edge is declared singular
_ORDER = 6              # Lagrange order of the anterpolation onto the FFT grid
_H_OVER_X = 0.25        # FFT grid spacing / distance of the line from the sources
_T_OVER_X = 64.0        # width of the Gaussian window that splits the kernel / distance of the line
_WINDOW_REACH = 6.2     # the near kernel is cut where exp(-(t/T)^2) < 2e-17
_BASE_RATIO = 8.0       # a line may coarsen the base grid's charges if its spacing is this much wider
#: Largest FFT grid of one line (sets the resolution floor: 4 x band / DEFAULT_MAX_NODES).
DEFAULT_MAX_NODES = 2 ** 20


@dataclass(frozen=True)
class CauchyDispersion:
    """D(lambda) = det(1 + G(lambda)), G = sum_p (-lambda A_p + a_p B_p) / (lambda^2 + a_p^2) (K12).

    Attributes
    ----------
    a : ndarray (N,)
        Detunings a_p [MeV]: sources (poles of D) at lambda = +- i a_p.
    ab : ndarray (N, 18)
        A_p and B_p (3 x 3, row-major) [MeV]; residues alpha_p = -(A_p + i B_p)/2 at i a_p.
    y : ndarray (2N,)
        Source frequencies [MeV]: +a_p then -a_p.
    growth_bound_MeV : float
        ||U||_2 ||W||_2: no eigenvalue has Re lambda above it.
    """

    a: NDArray[np.float64]
    ab: NDArray[np.float64]
    y: NDArray[np.float64]
    growth_bound_MeV: float

    @classmethod
    def from_operator(cls, op: LowRankOperator) -> "CauchyDispersion":
        n = op.n_modes
        ux, uy = op.umat[:n], op.umat[n:]
        wx, wy = op.wmat[:, :n].T, op.wmat[:, n:].T
        a_t = wx[:, :, None] * ux[:, None, :] + wy[:, :, None] * uy[:, None, :]
        b_t = wy[:, :, None] * ux[:, None, :] - wx[:, :, None] * uy[:, None, :]
        ab = np.ascontiguousarray(np.concatenate([a_t.reshape(n, 9), b_t.reshape(n, 9)], axis=1))
        a = np.ascontiguousarray(op.a, dtype=float)
        bound = float(np.linalg.norm(op.umat, 2) * np.linalg.norm(op.wmat, 2))
        return cls(a, ab, np.concatenate([a, -a]), bound)

    # --- values -------------------------------------------------------------------------
    def g(self, lam) -> NDArray[np.complex128]:
        """G (M, 3, 3) at the points ``lam`` (M,) by direct summation, O(N M)."""
        lam = np.ascontiguousarray(np.atleast_1d(np.asarray(lam, dtype=complex)).ravel())
        return cauchy_direct(lam, self.a, self.ab).reshape(-1, 3, 3)

    def __call__(self, lam) -> NDArray[np.complex128]:
        """D at the points ``lam`` (any shape), direct summation."""
        shape = np.shape(lam)
        lam = np.ascontiguousarray(np.atleast_1d(np.asarray(lam, dtype=complex)).ravel())
        return det_one_plus(cauchy_direct(lam, self.a, self.ab)).reshape(shape)

    def line(self, x: float, y0: float, h: float, m: int) -> NDArray[np.complex128]:
        """D at x + i (y0 + j h), j = 0..m-1: FFT convolution if cheaper than direct sums."""
        if m * self.a.size <= _direct_budget(self._fft_size(y0, h, m)):
            return self(x + 1j * (y0 + h * np.arange(m)))
        return det_one_plus(self._line_g_fft(x, y0, h, m).reshape(m, 9))

    def _fft_size(self, y0: float, h: float, m: int) -> int:
        """Length of the fine FFT of one line (targets plus the Gaussian window's reach)."""
        return _fft.next_fast_len(m + 2 * int(np.ceil(_WINDOW_REACH * _T_OVER_X / _H_OVER_X)) + 2 * _ORDER + 2)

    def _line_g_fft(self, x: float, y0: float, h: float, m: int, hc: float | None = None,
                    x_reach: float | None = None) -> NDArray[np.complex128]:
        """G (m, 3, 3) along the line x + i (y0 + j h) (module docstring, "FFT lines").

        The kernel K(t) = 1/(x + i t) is split with w(t) = exp(-(t^2 + x^2)/T^2), T = 64 x:
        K_near = w K decays like a Gaussian (a short convolution on the fine grid, spacing h, only
        sources within reach), K_far = (1 - w) K is entire (w = 1 at the pole t = i x) and smooth
        on the scale T, so it is convolved on a coarse grid (spacing T/8) with every source and
        interpolated to the fine points.
        """
        t_win = _T_OVER_X * x
        reach = _WINDOW_REACH * _T_OVER_X * max(x, x_reach or x)
        g = self._conv(x, y0, h, m, t_win, reach, near=True)
        # far part on a coarse grid covering the targets (plus the interpolation stencil); lines
        # that share h and hc share their spread charges (cached)
        hc = t_win / 8.0 if hc is None else hc
        y_end = y0 + (m - 1) * h
        c0 = y0 - (_ORDER + 1) * hc
        mc = int(np.ceil((y_end - c0) / hc)) + _ORDER + 2
        coarse = self._conv(x, c0, hc, mc, t_win, None, near=False)
        g += _interpolate(coarse, c0, hc, y0 + h * np.arange(m))
        return g.reshape(m, 3, 3)

    def _conv(self, x, y0, h, m, t_win, reach, near: bool) -> NDArray[np.complex128]:
        """sum_s c_s K_part(y_i - y_s) (m, 9) at y_i = y0 + i h, sources anterpolated to spacing h."""
        if reach is not None:  # only the sources the Gaussian window reaches
            y_min, y_max = y0 - reach, y0 + (m - 1) * h + reach
        else:
            y_min, y_max = -np.inf, np.inf
        lo, n_src, charges = self._charges(y0, h, y_min, y_max)
        if n_src == 0:
            return np.zeros((m, 9), complex)
        # G_i = sum_l C_l K((i - lo - l) h): offsets d from -(lo + n_src - 1) to m - 1 - lo
        d = np.arange(-(lo + n_src - 1), m - lo)
        t = h * d
        u = (t * t + x * x) / (t_win * t_win)
        win = np.exp(-u) if near else -np.expm1(-u)
        kern = win / (x + 1j * t)
        size = _fft.next_fast_len(n_src + d.size - 1)
        # single precision: the anterpolation already limits G to ~3e-4 relative, and the counts
        # and Newton starts need far less (the roots are polished with exact double sums)
        fk = _fft.fft(kern.astype(np.complex64), size)
        fc = _fft.fft(charges, size, axis=-1)  # (9, size)
        conv = _fft.ifft(fc * fk[None, :], axis=-1).astype(np.complex128)
        return np.ascontiguousarray(conv[:, n_src - 1:n_src - 1 + m].T)

    def _charges(self, y0: float, h: float, y_min: float, y_max: float):
        """(lo, n_nodes, charges (9, n_nodes) complex64) of the sources in [y_min, y_max] spread onto
        the nodes y0 + (lo + l) h; the last few are cached (lines of one level share them)."""
        key = (y0, h, y_min, y_max)
        cache = self.__dict__.setdefault("_charge_cache", {})
        if key in cache:
            return cache[key]
        inside = self.y[(self.y >= y_min) & (self.y <= y_max)]
        if inside.size == 0:
            return 0, 0, None
        lo = int(np.floor((float(inside.min()) - y0) / h)) - _ORDER
        hi = int(np.ceil((float(inside.max()) - y0) / h)) + _ORDER
        n_src = hi - lo + 1
        base = self._base_grid()
        if base is not None and h >= _BASE_RATIO * base[1]:
            # coarsen the base grid's charges: O(base nodes) instead of O(N) per line
            pos, hb, q = base
            sel = (pos >= y_min - _ORDER * hb) & (pos <= y_max + _ORDER * hb)
            grid = spread_charges(pos[sel], q[sel], y0 + lo * h, h, n_src, _ORDER)
        else:
            grid = spread_sources(self.a, self.ab, y0 + lo * h, h, n_src, _ORDER, y_min, y_max)
        charges = np.ascontiguousarray(grid.view(np.complex128).T, dtype=np.complex64)
        if len(cache) >= 5:
            cache.pop(next(k for k in cache if k != "base"))
        cache[key] = (lo, n_src, charges)
        return cache[key]

    def _base_grid(self):
        """(node positions, spacing, charges (n, 18)) of every source spread once onto a grid of
        about N/4 nodes, or None for small N (where spreading the sources directly is cheap)."""
        cache = self.__dict__.setdefault("_charge_cache", {})
        if "base" not in cache:
            n_nodes = self.a.size // 4
            if n_nodes < 4096:
                cache["base"] = None
            else:
                lo, hi = float(self.y.min()), float(self.y.max())
                hb = (hi - lo) / (n_nodes - 2 * _ORDER - 1)
                y0 = lo - _ORDER * hb
                q = spread_sources(self.a, self.ab, y0, hb, n_nodes, _ORDER, -np.inf, np.inf)
                cache["base"] = (y0 + hb * np.arange(n_nodes), hb, q)
        return cache["base"]

    def edge(self, x: float, y0: float, y1: float) -> tuple[NDArray, NDArray]:
        """Samples (points, D) of the vertical edge x + i[y0, y1] fine enough to follow arg D.

        Every zero lies within the growth bound of a pole (Bauer-Fike: J0 is normal), so D turns
        fast only within reach = bound + 4x of a source: there the step is x/4; elsewhere a coarse
        step (reach / 2) suffices (then bisected where a step turns by more than pi/4). On dense
        spectra the neighbourhoods cover the band and the whole edge is one FFT line.
        """
        h = _H_OVER_X * x
        reach = self.growth_bound_MeV + 4.0 * x
        ys = np.sort(self.y)
        lo = np.clip(ys - reach, y0, y1)
        hi = np.clip(ys + reach, y0, y1)
        keep = hi > lo
        lo, hi = lo[keep], hi[keep]
        covered = 0.0
        if lo.size:
            starts = np.concatenate([[True], lo[1:] > np.maximum.accumulate(hi)[:-1]])
            ulo, uhi = lo[starts], np.maximum.reduceat(hi, np.flatnonzero(starts))
            covered = float(np.sum(uhi - ulo))
        m_full = int(np.ceil((y1 - y0) / h)) + 1
        n_near = covered / h
        if n_near * self.a.size > _direct_budget(self._fft_size(y0, h, m_full)):
            hh = (y1 - y0) / (m_full - 1)
            return x + 1j * (y0 + hh * np.arange(m_full)), self.line(x, y0, hh, m_full)
        pieces = [np.linspace(y0, y1, max(17, int(np.ceil((y1 - y0) / (0.5 * reach))) + 1))]
        if lo.size:
            pieces += [np.linspace(a, b, int(np.ceil((b - a) / h)) + 1) for a, b in zip(ulo, uhi)]
        yy = np.unique(np.concatenate(pieces))
        pts = x + 1j * yy
        return pts, self(pts)

    # --- Newton polishing ---------------------------------------------------------------
    def newton(self, lam0: complex, max_iter: int = 60, rtol: float = 1e-14) -> tuple[complex, bool]:
        """A zero of D from ``lam0`` (Newton on D with D'/D = Tr((1+G)^-1 G'), exact sums)."""
        lam = complex(lam0)
        for _ in range(max_iter):
            g, dg = cauchy_with_derivative(lam, self.a, self.ab)
            mat = g.reshape(3, 3) + np.eye(3)
            try:
                ratio = np.trace(np.linalg.solve(mat, dg.reshape(3, 3)))
            except np.linalg.LinAlgError:
                return lam, True  # 1 + G singular: lam is a zero
            if ratio == 0 or not np.isfinite(ratio):
                return lam, False
            step = -1.0 / ratio
            # never jump to or across the imaginary axis, where the poles are
            while lam.real + step.real <= 0.2 * lam.real:
                step *= 0.5
            lam += step
            if abs(step) <= rtol * abs(lam):
                return lam, True
        return lam, False

    def null_vector(self, lam: complex) -> NDArray[np.complex128]:
        """c (3,) with (1 + G(lam)) c = 0 (smallest right singular vector)."""
        mat = self.g(lam)[0] + np.eye(3)
        return np.conj(np.linalg.svd(mat)[2][-1])


def _direct_budget(fft_size: int) -> float:
    """Point x source products a direct evaluation may cost instead of an FFT line of this size
    (measured: ~30 ns per product, ~170 ns per n log2 n of the FFT line with its set-up)."""
    return 6.0 * fft_size * np.log2(fft_size)


def _interpolate(values: NDArray, y0: float, h: float, y: NDArray) -> NDArray:
    """Lagrange interpolation (order _ORDER + 2) of samples (n, 9) at y0 + i h to the points y."""
    return lagrange_interpolate(np.ascontiguousarray(values), y0, h, np.ascontiguousarray(y, dtype=float), _ORDER + 2)


def _phase_steps(f, z0: complex, z1: complex, vals: NDArray, t: NDArray | None = None) -> float:
    """Total change of arg D along z0 -> z1 from samples ``vals`` at parameters ``t`` in [0, 1]
    (default equispaced, both ends included), bisecting every step that turns by more than pi/4
    (direct evaluations)."""
    t = np.linspace(0.0, 1.0, vals.size) if t is None else np.asarray(t, dtype=float)
    return float(phase_along_segment(f, z0, z1, t, vals, max_turn=_MAX_TURN, max_halvings=_MAX_HALVINGS)[1][-1])


class _Strip:
    """Root counts of D in [x, X] x [y_lo, y_hi] for a descending sequence of x.

    The right edge is followed once; the horizontal edges are followed from X down to each new x
    as the descent reaches it (sampled at the levels, bisected where the phase turns fast), so an
    early stop costs only the levels visited.
    """

    def __init__(self, d: CauchyDispersion, x_top: float, y_lo: float, y_hi: float):
        self.d, self.x_top, self.y_lo, self.y_hi = d, x_top, y_lo, y_hi
        pts, vals = d.edge(x_top, y_lo, y_hi)
        self.right = _phase_steps(d, complex(x_top, y_lo), complex(x_top, y_hi), vals, (pts.imag - y_lo) / (y_hi - y_lo))
        self._last_x = x_top
        self._last_vals = d(np.array([complex(x_top, y_hi), complex(x_top, y_lo)]))
        self._top = 0.0     # phase change along y_hi from X to _last_x
        self._bottom = 0.0  # along y_lo from X to _last_x

    def _extend(self, x: float) -> None:
        """Follow both horizontal edges from the last level down to x (x below it)."""
        d = self.d
        new = d(np.array([complex(x, self.y_hi), complex(x, self.y_lo)]))
        for i, y in enumerate((self.y_hi, self.y_lo)):
            turn = _phase_steps(d, complex(self._last_x, y), complex(x, y), np.array([self._last_vals[i], new[i]]))
            if i == 0:
                self._top += turn
            else:
                self._bottom += turn
        self._last_x, self._last_vals = x, new

    def count(self, x: float) -> int:
        """Zeros of D in [x, X] x [y_lo, y_hi]; x must not increase between calls."""
        d = self.d
        if x < self._last_x:
            self._extend(x)
        pts, vals = d.edge(x, self.y_lo, self.y_hi)
        t = (pts.imag - self.y_lo) / (self.y_hi - self.y_lo)
        left_up = _phase_steps(d, complex(x, self.y_lo), complex(x, self.y_hi), vals, t)
        # counter-clockwise: bottom (x -> X), right (up), top (X -> x), left (down)
        turn = -self._bottom + self.right + self._top - left_up
        n = turn / (2.0 * np.pi)
        if abs(n - round(n)) > 0.1:
            raise SolverError(f"argument-principle count {n:.3f} is not an integer", Status.SOLVER_FAILED)
        return int(round(n))


def _candidates(d: CauchyDispersion, x0: float, x1: float, y_lo: float, y_hi: float) -> list[complex]:
    """Newton starts: local minima of |D| on a lattice of three lines across [x0, x1]."""
    xs = np.linspace(x0, x1, 3)
    h = _H_OVER_X * x0
    m = int(np.ceil((y_hi - y_lo) / h)) + 1
    h = (y_hi - y_lo) / (m - 1)
    mag = np.log(np.abs(np.stack([d.line(x, y_lo, h, m) for x in xs])) + 1e-300)  # (5, m)
    pad = np.pad(mag, 1, constant_values=np.inf)
    core = pad[1:-1, 1:-1]
    is_min = np.ones_like(core, dtype=bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                is_min &= core <= pad[1 + di:pad.shape[0] - 1 + di, 1 + dj:pad.shape[1] - 1 + dj]
    ii, jj = np.nonzero(is_min)
    order = np.argsort(core[ii, jj])
    return [complex(xs[i], y_lo + h * j) for i, j in zip(ii[order], jj[order])]


def dispersion_rates(op: LowRankOperator, return_eigenvectors: bool = True, *,
                     rate_floor_MeV: float = GROWTH_NOISE_FLOOR_MeV,
                     max_nodes: int = DEFAULT_MAX_NODES, max_candidates: int = 64) -> StabilityResult:
    """The fastest unstable eigenvalues of J = J0 + U W from the zeros of D (module docstring).

    Parameters
    ----------
    op : LowRankOperator
        The linearized system (:func:`~nupair.pairing.linear.linear_parts`).
    return_eigenvectors : bool
        Mode weights and kappa vectors of the roots found ((1 + G) c = 0, v = (J0 - lambda)^-1 U c).
    rate_floor_MeV : float
        Growth rates below this are not searched [MeV] (raised to the resolution floor).
    max_nodes : int
        Largest FFT grid of one line of the contour; sets the resolution floor 4 x band / max_nodes.

    Returns
    -------
    StabilityResult
        ``method`` "dispersion"; ``eigenvalues`` the roots found in the fastest occupied octave
        of growth rates [x, 2x] and their complex conjugates (empty if none lies above the floor),
        ``rate_floor_MeV`` the floor reached. Raises :class:`~nupair.results.SolverError` if
        the count finds roots that Newton cannot polish.
    """
    floor = _v.positive("rate_floor_MeV", rate_floor_MeV, "MeV")
    max_nodes = _v.positive_int("max_nodes", max_nodes, 1024)
    d = CauchyDispersion.from_operator(op)
    a_abs = np.abs(op.a)
    bound = d.growth_bound_MeV
    if bound <= 0.0:
        return _result(d, op, [], return_eigenvectors, floor, "no coupling: every eigenvalue is imaginary")
    x_top = 1.01 * bound
    y_lo = -(float(a_abs.max()) + x_top + 1.0)
    # top edge a little above 0, inside the source-free gap (-min|a|, min|a|) around the real axis
    pos = np.sort(np.abs(d.y))
    y_hi = 0.5 * float(pos[0]) if pos[0] > 0 else 1e-3 * x_top
    band = (y_hi - y_lo)
    x_min = max(floor, band / (_H_OVER_X * (max_nodes - 1)))
    if x_min >= 0.5 * x_top:
        x_min = 0.5 * x_top
    strip = _Strip(d, x_top, y_lo, y_hi)
    x = 0.5 * x_top
    while True:
        count = strip.count(x)
        if count > 0:
            break
        if x <= x_min * (1 + 1e-12):
            return _result(d, op, [], return_eigenvectors, x_min,
                           f"no root with growth rate above {x_min:.3g} MeV (the resolution floor)")
        x = max(0.5 * x, x_min)
    x_hi = min(2.0 * x, x_top)
    roots: list[complex] = []
    for start in _candidates(d, x, x_hi, y_lo, y_hi)[:max_candidates]:
        lam, ok = d.newton(start)
        if not ok or lam.real < x * (1 - 1e-9) or lam.real > x_top or not (y_lo <= lam.imag <= y_hi):
            continue
        if all(abs(lam - r) > 1e-8 * abs(lam) for r in roots):
            roots.append(lam)
        if len(roots) >= count:
            break
    if not roots:
        raise SolverError(f"the argument principle counts {count} root(s) with growth rate in "
                          f"[{x:.3g}, {x_hi:.3g}] MeV but Newton's method polished none", Status.SOLVER_FAILED)
    msg = (f"{len(roots)} of {count} root(s) with growth rate >= {x:.3g} MeV polished"
           + ("" if len(roots) >= count else "; the others were not reached from the starts tried"))
    return _result(d, op, roots, return_eigenvectors, x, msg)


def _result(d: CauchyDispersion, op: LowRankOperator, roots: list[complex], return_eigenvectors: bool,
            floor: float, message: str) -> StabilityResult:
    n = op.n_modes
    lam = np.array(roots, dtype=complex)
    vals = np.concatenate([lam, np.conj(lam)])
    order = np.argsort(-vals.real, kind="stable")
    vals = vals[order]
    if not return_eigenvectors or vals.size == 0:
        return StabilityResult(vals, None if not return_eigenvectors else np.zeros((0, n)), "dispersion",
                               None if not return_eigenvectors else np.zeros((0, n), complex),
                               message=message, rate_floor_MeV=floor)
    vecs = []
    for v in vals:
        c = d.null_vector(v)
        uc = op.umat @ c
        det = v * v + op.a * op.a
        bx, by = uc[:n], uc[n:]
        vecs.append(np.concatenate([(-v * bx - op.a * by) / det, (op.a * bx - v * by) / det]))
    vecs = np.stack(vecs, axis=1)
    return StabilityResult(vals, _mode_weights(vecs, n), "dispersion", _kappa_vectors(vecs, n),
                           message=message, rate_floor_MeV=floor)
