"""chi^2 of an RENP scan and its minimum over the nuisance parameters (spec ``shared/spec/renp.md`` 5.2).

    chi^2_Poisson = 2 sum_k [N_k(H) - N_k(H_t) + N_k(H_t) ln(N_k(H_t) / N_k(H))]   (spec 5.2)
    chi^2_Gauss   = sum_k (N_k(H) - N_k(H_t))^2 / N_k(H_t)

The normalisation, when free, is profiled analytically (Poisson: s = sum N_t / sum N_H); the
lightest mass and the oscillation parameters (Gaussian priors) numerically.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize

from nupair import constants as const
from nupair.renp.atoms import Atom, get_atom
from nupair.results import Status, StatusMixin
from nupair.renp.hypotheses import Experiment, Hypothesis, _as_hypothesis, default_trigger_energies
from nupair import validation as _v

__all__ = ["OSCILLATION_PRIOR_SIGMA", "chi2_poisson", "chi2_gauss", "delta_chi2"]


#: Approximate 1-sigma widths of the global-fit priors (NuFIT 6.0 ranges, symmetrised; verify
#: against the official table): sin^2 theta12, sin^2 theta13, Delta m^2_21 [eV^2], |Delta m^2_3l| [eV^2].
OSCILLATION_PRIOR_SIGMA = {"sin2_theta12": 0.012, "sin2_theta13": 0.00057, "dm2_21_eV2": 0.20e-5, "dm2_3l_eV2": 0.027e-3}
_OFFSET = 10.0
_NUISANCE = ("sin2_theta12", "sin2_theta13", "dm2_21_eV2", "dm2_3l_eV2")


def _poisson_deviance(h: NDArray, t: NDArray) -> NDArray:
    """Per-bin 2 [h - t + t ln(t/h)] without cancellation: with u = (h - t)/t it is
    2 t [u - ln(1 + u)], summed as a series for |u| < 0.01 (the direct form loses all digits when
    h ~ t, which is where fits live); bins with t = 0 give 2 h."""
    h = np.asarray(h, dtype=float)
    t = np.asarray(t, dtype=float)
    pos = t > 0
    ts = np.where(pos, t, 1.0)
    u = np.where(pos, (h - t) / ts, 0.0)
    small = np.abs(u) < 1e-2
    series = u * u * (1 / 2 - u * (1 / 3 - u * (1 / 4 - u * (1 / 5 - u * (1 / 6 - u * (1 / 7 - u / 8))))))
    with np.errstate(divide="ignore", invalid="ignore"):
        direct = u - np.log1p(np.maximum(u, -1 + 1e-300))
    per_t = np.where(small, series, direct)
    return np.where(pos, 2 * ts * per_t, 2 * h)


def chi2_poisson(n_test: ArrayLike, n_true: ArrayLike) -> float:
    """2 sum [N_H - N_t + N_t ln(N_t / N_H)] (spec 5.2); bins with N_t = 0 contribute 2 N_H
    (evaluated without cancellation, see ``_poisson_deviance``)."""
    return float(np.sum(_poisson_deviance(n_test, n_true)))


def chi2_gauss(n_test: ArrayLike, n_true: ArrayLike) -> float:
    """sum (N_H - N_t)^2 / N_t over bins with N_t > 0 (spec 5.2)."""
    h, t = np.asarray(n_test, dtype=float), np.asarray(n_true, dtype=float)
    keep = t > 0
    return float(np.sum((h[keep] - t[keep]) ** 2 / t[keep]))


@dataclass(frozen=True)
class _Fit(StatusMixin):
    """A profile fit: minimum Delta chi^2, best nuisances; MAX_ITERATIONS_REACHED if least_squares
    stopped on its evaluation budget."""

    delta_chi2: float
    lightest_mass_eV: float
    normalization: float
    x: NDArray
    oscillation: dict = field(default_factory=dict)
    status: Status = Status.SUCCESSFUL
    message: str = ""

    @property
    def converged(self) -> bool:
        return self.ok


def _residuals_poisson(h: NDArray, t: NDArray) -> NDArray:
    """Signed deviance residuals: sum r^2 = chi2_poisson(h, t)."""
    return np.sign(h - t) * np.sqrt(np.maximum(_poisson_deviance(h, t), 0.0))


class _ProfileProblem:
    """chi^2 (+ Gaussian priors) of h_test's spectrum against Asimov data N_k = events_scale
    I_true(omega_k), as least-squares residuals of the fit variables x = (nuisances in units of
    their prior widths, lightest mass in units of 0.01 eV, [log normalisation / its prior width])."""

    M0_SCALE = 0.01

    def __init__(self, h_true: Hypothesis, h_test: Hypothesis, exp: Experiment, events_scale: float,
                 omega: NDArray, atom: Atom):
        self.n_true = events_scale * h_true.shape(omega, atom)
        if not np.all(np.isfinite(self.n_true)):
            raise ValueError("the true hypothesis gives a non-finite spectrum (a mediator close to resonance?)")
        self.h_true, self.h_test, self.exp = h_true, h_test, exp
        self.events_scale, self.omega, self.atom = events_scale, omega, atom
        self.centre = h_test.central()
        self.names = list(_NUISANCE) if exp.oscillation_priors else []
        self.k_m0 = len(self.names)
        self.poisson = exp.statistic == "poisson"
        self.keep = self.n_true > 0
        self.sqrt_t = np.sqrt(np.where(self.keep, self.n_true, 1.0))
        self.n_par = self.k_m0 + 1 + (exp.normalization_prior is not None)
        self.lower = np.full(self.n_par, -np.inf)
        self.lower[self.k_m0] = 0.0
        self.x0 = np.zeros(self.n_par)
        self.x0[self.k_m0] = h_test.lightest_mass_eV / self.M0_SCALE

    def unpack(self, x):
        osc = dict(self.centre)
        for k, name in enumerate(self.names):
            osc[name] = self.centre[name] + OSCILLATION_PRIOR_SIGMA[name] * x[k]
        m0 = x[self.k_m0] * self.M0_SCALE if self.h_test.free_lightest_mass else self.h_test.lightest_mass_eV
        return m0, osc

    def _normalization(self, x, shape, priors: list) -> float:
        """The free normalisation profiled analytically, or the one of x under its prior."""
        n_true, keep = self.n_true, self.keep
        if self.exp.normalization_prior is not None:
            priors.append(x[-1])
            return math.exp(x[-1] * self.exp.normalization_prior)
        if self.poisson:
            return n_true.sum() / shape.sum() if shape.sum() > 1e-250 * n_true.sum() else 1.0
        den = np.sum(np.where(keep, shape**2 / self.sqrt_t**2, 0.0))
        return float(np.sum(np.where(keep, shape, 0.0)) / den) if den > 0 else 1.0

    def residuals(self, x, return_norm=False):
        m0, osc = self.unpack(x)
        priors = list(x[:self.k_m0])
        valid = (0 < osc["sin2_theta12"] < 1 and 0 < osc["sin2_theta13"] < 1 and osc["dm2_21_eV2"] > 0
                 and osc["dm2_3l_eV2"] > osc["dm2_21_eV2"])
        shape = (self.events_scale * self.h_test.shape(self.omega, self.atom, m0, osc) if valid
                 else np.zeros_like(self.n_true))
        s = self._normalization(x, shape, priors)
        h = s * shape
        data = (_residuals_poisson(h, self.n_true) if self.poisson
                else np.where(self.keep, (h - self.n_true) / self.sqrt_t, 0.0))
        r = np.concatenate([data, np.asarray(priors, dtype=float)])
        # far from any sensible fit (all channels closed, overflow) keep the optimizer finite
        r = np.where(np.isfinite(r), r, 1e30)
        return (r, s) if return_norm else r

    def start(self, x_start: NDArray | None) -> NDArray:
        """The optimiser's start: the caller's, or (free lightest mass, its least constrained
        direction) the best point of a coarse scan in m0."""
        if x_start is not None:
            return np.asarray(x_start, dtype=float)
        if not self.h_test.free_lightest_mass:
            return self.x0
        grid = np.concatenate([[0.0], np.geomspace(1e-3, 0.3, 24),
                               [self.h_true.lightest_mass_eV, self.h_test.lightest_mass_eV]]) / self.M0_SCALE
        costs = []
        for g in grid:
            x = self.x0.copy()
            x[self.k_m0] = g
            costs.append(float(np.sum(self.residuals(x) ** 2)))
        x = self.x0.copy()
        x[self.k_m0] = grid[int(np.argmin(costs))]
        return x

    def fit_at(self, x, status: Status = Status.SUCCESSFUL, message: str = "") -> _Fit:
        r, s = self.residuals(x, return_norm=True)
        m0, osc = self.unpack(x)
        return _Fit(float(np.sum(r**2)), float(m0), float(s), x, osc, status, message)


def _profile(h_true: Hypothesis, h_test: Hypothesis, exp: Experiment, events_scale: float, omega: NDArray,
             atom: Atom, x_start: NDArray | None = None) -> _Fit:
    """Minimum over the test hypothesis' nuisance parameters of chi^2 (+ Gaussian priors) for Asimov
    data of h_true with N_k = events_scale I(omega_k). Least squares on deviance residuals (trust
    region, bounds); the normalisation is profiled analytically when free. Nuisances are in units
    of their prior widths; the lightest mass in units of 0.01 eV (bounded below by 0)."""
    prob = _ProfileProblem(h_true, h_test, exp, events_scale, omega, atom)
    if prob.n_par == 1 and not h_test.free_lightest_mass:  # nothing to fit: the normalisation is analytic
        return prob.fit_at(prob.x0)
    xs = np.maximum(prob.start(x_start), prob.lower)
    if not h_test.free_lightest_mass:
        xs[prob.k_m0] = 0.0
    # least_squares takes finite-difference steps relative to |x|: shift the variables away
    # from 0 so that the steps are ~1e-5 prior widths everywhere
    best = optimize.least_squares(lambda y: prob.residuals(y - _OFFSET), xs + _OFFSET,
                                  bounds=(prob.lower + _OFFSET, np.inf), method="trf", diff_step=1e-6,
                                  xtol=1e-12, ftol=1e-12, gtol=1e-10, max_nfev=600)
    if best.status > 0:
        return prob.fit_at(best.x - _OFFSET)
    return prob.fit_at(best.x - _OFFSET, Status.MAX_ITERATIONS_REACHED,
                       f"the profile fit (least_squares) did not converge: {best.message}")


def delta_chi2(h_true: Hypothesis, h_test: Hypothesis, experiment: Experiment | None = None, *,
               time_s: float = const.year_s) -> float:
    """Minimum chi^2 of h_test against Asimov data of h_true after ``time_s`` [s] of total scan time
    (equal time at each trigger energy), profiled over the nuisance parameters (spec 5.2)."""
    h_true, h_test = _as_hypothesis(h_true, "h_true"), _as_hypothesis(h_test, "h_test")
    exp = Experiment() if experiment is None else experiment
    atom = get_atom(exp.atom)
    omega = np.asarray(exp.omega_eV, dtype=float) if exp.omega_eV is not None else default_trigger_energies(
        h_true, h_test, atom=atom, n_bins=exp.n_bins)
    t = _v.positive("time_s", time_s, "s")
    fit = _profile(h_true, h_test, exp, exp.rate_s * t / omega.size, omega, atom)
    return fit.unwrap("delta_chi2").delta_chi2  # an unconverged minimum is no Delta chi^2


