"""OILE model 1: one foreground neutrino meeting a uniform background, encounter after encounter.

Kost, Johns & Duan, arXiv:2402.05022 ([K1]); spec ``shared/spec/oile.md`` section 5. Every
partner is fresh, so the foreground's reduced state obeys the exact recurrence

    P_{n+1} = c^2 P_n + s^2 P_bg + c s (P_bg x P_n)

with closed form (spec 5.2) D_n = P_n - P_bg: D_par(n) = (c^2)^n D_par(0),
D_perp(n) = z^n D_perp(0), z = c^2 + i c s b (b = |P_bg|, n_hat x acting as i).
When gamma varies from encounter to encounter (random angles between the partners' velocities,
gamma_eff = gamma (1 - v.v')), the ensemble mean obeys the same recurrence with the averaged
coefficients <c^2>, <s^2>, <c s> (the map is affine in P_n with independent coefficients).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba
import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair.oile.directions import IsotropicDirections
from nupair.oile.encounter import _check_gamma, check_bloch_vectors, encounter_coefficients, structure_constants
from nupair import validation as _v

__all__ = [
    "foreground_map",
    "foreground_closed_form",
    "isotropic_coefficients",
    "ForegroundRates",
    "foreground_rates",
    "foreground_monte_carlo",
    "ForegroundEnsemble",
    "fit_precession_relaxation",
]


def _vec3(name: str, v: ArrayLike) -> NDArray:
    p = check_bloch_vectors(v, name)
    if p.shape != (3,):
        raise ValueError(f"{name} must be a 3-vector (two flavors), got shape {p.shape}")
    return p


def foreground_map(p0: ArrayLike, p_bg: ArrayLike, coefficients: tuple[float, float, float],
                   n_encounters: int) -> NDArray:
    """Iterate the foreground recurrence; returns (n_encounters + 1, d), d = 3 or 8.

    Two flavors (3-vectors): P_{n+1} = c2 P_n + s2 P_bg + cs (P_bg x P_n). Three flavors
    (Gell-Mann 8-vectors): P_{n+1} = c2 P_n + s2 P_bg - cs f(P_n, P_bg) with the SU(3) structure
    constants (the same encounter map, spec 3.2). ``coefficients`` = (c2, s2, cs): cos^2, sin^2,
    cos*sin of gamma (``encounter_coefficients``) or their angle averages (``isotropic_coefficients``).
    """
    p = check_bloch_vectors(p0, "p0").copy()
    bg = check_bloch_vectors(p_bg, "p_bg")
    if p.shape != bg.shape or p.ndim != 1:
        raise ValueError(f"p0 and p_bg must be vectors of equal length 3 or 8 (got {p.shape}, {bg.shape})")
    c2, s2, cs = (float(x) for x in coefficients)
    f = structure_constants(3 if p.size == 8 else 2)
    out = np.empty((int(n_encounters) + 1, p.size))
    out[0] = p
    for n in range(1, out.shape[0]):  # sequential recurrence (the closed form is vectorized)
        p = c2 * p + s2 * bg - cs * np.einsum("klm,k,l->m", f, p, bg)
        out[n] = p
    return out


def foreground_closed_form(p0: ArrayLike, p_bg: ArrayLike, coefficients: tuple[float, float, float],
                           n: ArrayLike) -> NDArray:
    """Closed form of the recurrence after n encounters (spec 5.2), array (len(n), 3).

    P_n = P_bg + c2^n D_par(0) + |z|^n [cos(n phi) D_perp(0) + sin(n phi) (n_hat x D_perp(0))],
    z = c2 + i cs b, phi = arg z.
    """
    p = _vec3("p0", p0)
    bg = _vec3("p_bg", p_bg)
    c2, _, cs = (float(x) for x in coefficients)
    b = float(np.linalg.norm(bg))
    nn = np.asarray(n, dtype=float)[:, None]
    d0 = p - bg
    if b == 0.0:
        return bg + c2**nn * d0
    nhat = bg / b
    dpar = (d0 @ nhat) * nhat
    dperp = d0 - dpar
    z = complex(c2, cs * b)
    return (bg + c2**nn * dpar + abs(z) ** nn * (np.cos(nn * np.angle(z)) * dperp
                                                 + np.sin(nn * np.angle(z)) * np.cross(nhat, dperp)))


def isotropic_coefficients(gamma: float) -> tuple[float, float, float]:
    """<cos^2>, <sin^2>, <cos sin> of gamma_eff = gamma (1 - u), u = v.v' uniform in [-1, 1].

    Background velocities isotropic relative to the foreground's (angle factor of spec 3.1):
    <cos^2> = 1/2 + sin(4 gamma)/(8 gamma), <cos sin> = (1 - cos 4 gamma)/(8 gamma).
    (One implementation with the gas's directions law: ``IsotropicDirections.mean_coefficients``,
    written without the cancellation of 1 - cos 4 gamma at small gamma.)
    """
    return IsotropicDirections().mean_coefficients(float(_check_gamma(gamma)))


@dataclass(frozen=True)
class ForegroundRates:
    """Per-encounter precession angle and relaxation rates of the foreground (spec 5.2-5.3).

    Attributes
    ----------
    precession_per_encounter : float   phi = arg(c2 + i cs b) [rad]
    relaxation_perp_per_encounter : float   -ln|z|
    relaxation_par_per_encounter : float    -ln c2
    """

    precession_per_encounter: float
    relaxation_perp_per_encounter: float
    relaxation_par_per_encounter: float

    def per_time(self, encounter_rate: float) -> "ForegroundRates":
        """The same rates per unit time for ``encounter_rate`` encounters per unit time
        (back-to-back encounters: rate = mu / gamma)."""
        return ForegroundRates(*(x * encounter_rate for x in (
            self.precession_per_encounter, self.relaxation_perp_per_encounter,
            self.relaxation_par_per_encounter)))


def foreground_rates(p_bg_norm: float, coefficients: tuple[float, float, float]) -> ForegroundRates:
    """Analytic rates of the recurrence with coefficients (c2, s2, cs) and |P_bg| = b (spec 5.2)."""
    c2, _, cs = coefficients
    z = complex(c2, cs * p_bg_norm)
    return ForegroundRates(float(np.angle(z)), float(-math.log(abs(z))), float(-math.log(c2)))


@numba.njit(cache=True)
def _mc_steps(p, bg, u, gamma, out_mean, out_sq, batch, n_batch, save_every, offset):
    """Advance the ensemble p (M, 3) by u.shape[0] encounters with gamma_eff = gamma (1 - u)."""
    m = p.shape[0]
    bx, by, bz = bg[0], bg[1], bg[2]
    for n in range(u.shape[0]):
        for k in range(m):
            g = gamma * (1.0 - u[n, k])
            c = math.cos(g)
            s = math.sin(g)
            c2, s2, cs = c * c, s * s, c * s
            x, y, z = p[k, 0], p[k, 1], p[k, 2]
            # P <- c2 P + s2 P_bg + cs (P_bg x P)
            p[k, 0] = c2 * x + s2 * bx + cs * (by * z - bz * y)
            p[k, 1] = c2 * y + s2 * by + cs * (bz * x - bx * z)
            p[k, 2] = c2 * z + s2 * bz + cs * (bx * y - by * x)
        step = offset + n + 1
        if step % save_every == 0:
            row = step // save_every
            for k in range(m):
                j = batch[k]
                for d in range(3):
                    out_mean[row, j, d] += p[k, d]
                    out_sq[row, j, d] += p[k, d] * p[k, d]


@dataclass(frozen=True)
class ForegroundEnsemble:
    """Monte Carlo ensemble of foreground neutrinos (model 1 with random encounter angles).

    Attributes
    ----------
    n : ndarray (n_save,)              encounter numbers of the saved points
    mean : ndarray (n_save, 3)         ensemble mean of P
    stderr : ndarray (n_save, 3)       standard error of the mean
    batch_means : ndarray (n_save, n_batches, 3)  means of independent sub-ensembles (for errors of fits)
    n_ensemble : int
    seed : int or None
    """

    n: NDArray
    mean: NDArray
    stderr: NDArray
    batch_means: NDArray
    n_ensemble: int
    seed: int | None


def foreground_monte_carlo(p0: ArrayLike, p_bg: ArrayLike, gamma: float, n_encounters: int, *,
                           n_ensemble: int = 2000, seed: int | None = None, save_every: int = 1,
                           n_batches: int = 40, chunk: int = 256) -> ForegroundEnsemble:
    """Ensemble of foregrounds, each meeting background neutrinos with isotropic relative angles.

    Each encounter of each member draws u = v.v' uniform in [-1, 1] (NumPy Generator, ``seed``)
    and uses gamma_eff = gamma (1 - u). The ensemble mean converges to the recurrence with
    :func:`isotropic_coefficients`; batch means give honest standard errors.
    """
    p = np.tile(_vec3("p0", p0), (int(n_ensemble), 1))
    bg = _vec3("p_bg", p_bg)
    encounter_coefficients(gamma)  # validates gamma
    if n_ensemble < 2 * n_batches:
        raise ValueError(_v.refused(f"n_ensemble={n_ensemble}", "need at least 2 members per batch "
                         f"({2 * n_batches})"))
    if n_encounters < 1 or save_every < 1:
        raise ValueError("n_encounters and save_every must be >= 1")
    rng = np.random.default_rng(seed)
    n_save = n_encounters // save_every + 1
    batch = np.arange(n_ensemble) % n_batches
    sums = np.zeros((n_save, n_batches, 3))
    sq = np.zeros((n_save, n_batches, 3))
    counts = np.bincount(batch, minlength=n_batches).astype(float)
    for j in range(n_batches):
        sums[0, j] = p[0] * counts[j]
        sq[0, j] = p[0] ** 2 * counts[j]
    done = 0
    while done < n_encounters:
        k = min(chunk, n_encounters - done)
        u = rng.uniform(-1.0, 1.0, (k, n_ensemble))
        _mc_steps(p, bg, u, float(gamma), sums, sq, batch, n_batches, save_every, done)
        done += k
    batch_means = sums / counts[None, :, None]
    mean = sums.sum(axis=1) / n_ensemble
    var = np.maximum(sq.sum(axis=1) / n_ensemble - mean**2, 0.0)
    return ForegroundEnsemble(n=np.arange(n_save) * save_every, mean=mean,
                              stderr=np.sqrt(var / (n_ensemble - 1)), batch_means=batch_means,
                              n_ensemble=int(n_ensemble), seed=seed)


def _fit_components(n: NDArray, d: NDArray, p_bg: NDArray, floor: float):
    """Precession and relaxation per encounter from D_n = P_n - P_bg (n_save, 3)."""
    b = np.linalg.norm(p_bg)
    nhat = p_bg / b
    e1 = np.cross(nhat, [0.0, 0.0, 1.0])
    if np.linalg.norm(e1) < 1e-8:
        e1 = np.cross(nhat, [1.0, 0.0, 0.0])
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(nhat, e1)
    w = d @ e1 + 1j * (d @ e2)
    par = d @ nhat
    if np.abs(w[0]) == 0.0 or par[0] == 0.0:
        # the start has no transverse (or no longitudinal) deviation from the background
        # direction: that rate is not defined by this ensemble
        nan = float("nan")
        if np.abs(w[0]) == 0.0 and par[0] == 0.0:
            return nan, nan, nan
    keep = np.abs(w) > floor * np.abs(w[0])
    last = int(np.argmin(keep)) if not keep.all() else len(w)
    last = max(last, 3)
    x = n[:last].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if np.abs(w[0]) > 0.0 and np.all(np.abs(w[:last]) > 0):
            phase = np.unwrap(np.angle(w[:last]))
            phi = np.polyfit(x, phase, 1)[0]
            perp = -np.polyfit(x, np.log(np.abs(w[:last])), 1)[0]
        else:
            phi = perp = float("nan")
        keep_par = np.abs(par) > floor * abs(par[0])
        lp = max(int(np.argmin(keep_par)) if not keep_par.all() else len(par), 3)
        if par[0] != 0.0 and np.all(np.abs(par[:lp]) > 0):
            rpar = -np.polyfit(n[:lp].astype(float), np.log(np.abs(par[:lp])), 1)[0]
        else:
            rpar = float("nan")
    return float(phi), float(perp), float(rpar)


def fit_precession_relaxation(ens: ForegroundEnsemble, p_bg: ArrayLike, floor: float = 1e-2) -> dict:
    """Fit the precession angle and the two relaxation rates per encounter to the ensemble mean,
    with standard errors from the spread of the same fit over independent batches.

    The fit uses the encounters before |D| falls below ``floor`` of its start (noise floor).
    Returns a dict with ``precession``, ``relaxation_perp``, ``relaxation_par`` and ``*_stderr``.
    """
    bg = _vec3("p_bg", p_bg)
    best = _fit_components(ens.n, ens.mean - bg, bg, floor)
    per_batch = np.array([_fit_components(ens.n, ens.batch_means[:, j] - bg, bg, floor)
                          for j in range(ens.batch_means.shape[1])])
    k = per_batch.shape[0]
    err = per_batch.std(axis=0, ddof=1) / math.sqrt(k)
    names = ("precession", "relaxation_perp", "relaxation_par")
    out = {name: v for name, v in zip(names, best)}
    out.update({f"{name}_stderr": float(e) for name, e in zip(names, err)})
    return out
