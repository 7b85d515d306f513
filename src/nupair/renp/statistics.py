"""Statistical sensitivity of an RENP scan (spec ``shared/spec/renp.md`` section 5).

Asimov data from a true hypothesis, a test hypothesis fitted to it with nuisance parameters
(lightest mass, overall normalisation Gamma_0 eta, oscillation parameters within Gaussian priors),
and the exposure at which the minimum Delta chi^2 reaches significance^2 (one degree of freedom:
Z sigma <-> Delta chi^2 = Z^2).

    chi^2_Poisson = 2 sum_k [N_k(H) - N_k(H_t) + N_k(H_t) ln(N_k(H_t) / N_k(H))]   (spec 5.2)
    chi^2_Gauss   = sum_k (N_k(H) - N_k(H_t))^2 / N_k(H_t)

The normalisation, when free, is profiled analytically (Poisson: s = sum N_t / sum N_H).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize

from nupair import constants as const
from nupair import flavor
from nupair.renp.atoms import Atom, get_atom
from nupair.renp.dipole import DipoleMoments
from nupair.renp.mediators import Scalar, ZPrime
from nupair.renp.rates import _eta, rate_normalization
from nupair.numerics import power_law_root
from nupair.results import Status, StatusMixin
from nupair.renp.spectrum import coupling_matrix, nonunitary_mixing, spectral_function, thresholds
from nupair import validation as _v

__all__ = [
    "OSCILLATION_PRIOR_SIGMA",
    "Hypothesis",
    "Experiment",
    "Exposure",
    "chi2_poisson",
    "chi2_gauss",
    "delta_chi2",
    "required_exposure",
    "default_trigger_energies",
]

#: Approximate 1-sigma widths of the global-fit priors (NuFIT 6.0 ranges, symmetrised; verify
#: against the official table): sin^2 theta12, sin^2 theta13, Delta m^2_21 [eV^2], |Delta m^2_3l| [eV^2].
OSCILLATION_PRIOR_SIGMA = {"sin2_theta12": 0.012, "sin2_theta13": 0.00057, "dm2_21_eV2": 0.20e-5, "dm2_3l_eV2": 0.027e-3}
_OFFSET = 10.0
_NUISANCE = ("sin2_theta12", "sin2_theta13", "dm2_21_eV2", "dm2_3l_eV2")


@dataclass(frozen=True)
class Hypothesis:
    """A model of the spectrum: ordering, nature, lightest mass [eV], Majorana phases [rad],
    global fit, optional non-unitarity and mediator. ``free_lightest_mass``: whether the lightest
    mass is a nuisance parameter when this is the *test* hypothesis."""

    ordering: str = "normal"
    nature: str = "dirac"
    lightest_mass_eV: float = 0.0
    majorana_phases: tuple[float, float] = (0.0, 0.0)
    fit: str = "nufit-6.0"
    non_unitarity: object = None
    mediator: ZPrime | Scalar | DipoleMoments | None = None
    free_lightest_mass: bool = True

    def __post_init__(self):
        _v.one_of("ordering", self.ordering, ("normal", "inverted"))
        _v.one_of("nature", self.nature, ("dirac", "majorana"))
        _v.non_negative("lightest_mass_eV", self.lightest_mass_eV, "eV")

    def central(self) -> dict[str, float]:
        """Best-fit oscillation parameters of the hypothesis' fit and ordering (|Delta m^2_3l|)."""
        p = const.oscillation_parameters(self.ordering, self.fit)
        return {"sin2_theta12": p.sin2_theta12, "sin2_theta13": p.sin2_theta13, "dm2_21_eV2": p.dm2_21_eV2,
                "dm2_3l_eV2": abs(p.dm2_3l_eV2)}

    def model(self, m0: float, osc: dict[str, float]) -> tuple[NDArray, NDArray]:
        """(masses (3,) [eV], coupling matrix a (3, 3)) for lightest mass m0 and oscillation values."""
        dm21, dm3l = osc["dm2_21_eV2"], osc["dm2_3l_eV2"]
        if self.ordering == "normal":
            m = np.array([m0, math.sqrt(m0 * m0 + dm21), math.sqrt(m0 * m0 + dm3l)])
        else:
            m2 = math.sqrt(m0 * m0 + dm3l)
            m = np.array([math.sqrt(max(m2 * m2 - dm21, 0.0)), m2, m0])
        p = const.oscillation_parameters(self.ordering, self.fit)
        u = flavor.pmns(math.asin(math.sqrt(osc["sin2_theta12"])), math.asin(math.sqrt(osc["sin2_theta13"])),
                        p.theta23, p.delta_cp, *self.majorana_phases)
        if self.non_unitarity is not None:
            u = nonunitary_mixing(self.non_unitarity, u)
        return m, coupling_matrix(u)

    def shape(self, omega_eV: NDArray, atom: Atom, m0: float | None = None, osc: dict | None = None) -> NDArray:
        """I(omega_k) for this hypothesis (dimensionless)."""
        m, a = self.model(self.lightest_mass_eV if m0 is None else m0, self.central() if osc is None else osc)
        return spectral_function(omega_eV, m, a, self.nature == "majorana", atom, self.mediator).sum(axis=(0, 1))


def default_trigger_energies(*hypotheses: Hypothesis, atom: Atom | str = "Yb", n_bins: int = 60) -> NDArray:
    """Trigger energies [eV]: n_bins bin centres uniform in E_eg/2 - omega from 0 to 1.3 x the largest
    threshold shift of the hypotheses (at least 2500 micro-eV, which covers every threshold at m0 = 0)."""
    at = get_atom(atom)
    shift = 2.5e-3
    for h in hypotheses:
        m, _ = h.model(h.lightest_mass_eV, h.central())
        shift = max(shift, at.E_eg_eV / 2 - min(thresholds(m, at).values()))
    edges = np.linspace(0.0, 1.3 * shift, n_bins + 1)
    return at.E_eg_eV / 2 - (edges[1:] + edges[:-1]) / 2


@dataclass(frozen=True)
class Experiment:
    """An RENP scan: atom, target (number density [cm^-3], volume [cm^3], dynamical factor eta),
    trigger energies omega_k [eV] (None: :func:`default_trigger_energies`) with equal time at each,
    statistic ("poisson" or "gauss"), normalisation prior (None: free; else relative 1-sigma width)
    and whether oscillation parameters float within the priors of ``OSCILLATION_PRIOR_SIGMA``."""

    atom: Atom | str = "Yb"
    number_density_cm3: float = 1e21
    volume_cm3: float = 100.0
    eta: float = 1.0
    omega_eV: object = None
    n_bins: int = 60
    statistic: str = "poisson"
    normalization_prior: float | None = None
    oscillation_priors: bool = True

    def __post_init__(self):
        _v.one_of("statistic", self.statistic, ("poisson", "gauss"))
        if self.normalization_prior is not None and not (self.normalization_prior > 0):
            raise ValueError(f"normalization_prior={self.normalization_prior!r} is not allowed: > 0 or None (free)")
        _v.positive_int("n_bins", self.n_bins, 2)
        _eta(self.eta)

    @property
    def rate_s(self) -> float:
        """Gamma_0 eta [s^-1]."""
        return rate_normalization(self.atom, self.number_density_cm3, self.volume_cm3) * self.eta


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


@dataclass(frozen=True)
class Exposure(StatusMixin):
    """Result of :func:`required_exposure`: total scan time [s] and expected events (true hypothesis)
    for Delta chi^2 = significance^2, with the best-fit nuisance values of the test hypothesis."""

    time_s: float
    events: float
    delta_chi2: float
    significance: float
    fitted_lightest_mass_eV: float
    fitted_normalization: float
    status: Status = Status.SUCCESSFUL
    message: str = ""
    iterations: int = 0

    @property
    def time_days(self) -> float:
        return self.time_s / const.day_s



def _as_hypothesis(h, name: str) -> Hypothesis:
    if isinstance(h, Hypothesis):
        return h
    if isinstance(h, dict):
        try:
            return Hypothesis(**h)
        except TypeError as err:
            raise ValueError(f"{name}={h!r} is not allowed: {err}; fields: ordering, nature, lightest_mass_eV, "
                             "majorana_phases, fit, non_unitarity, mediator, free_lightest_mass") from err
    raise ValueError(f"{name}={h!r} is not allowed: a nupair.renp.Hypothesis or a dict of its fields")


def required_exposure(h_true: Hypothesis, h_test: Hypothesis, significance: float = 3.0,
                      experiment: Experiment | None = None) -> Exposure:
    """Total scan time (and events) for which the test hypothesis is excluded at ``significance``
    sigma (Delta chi^2_min = significance^2, one degree of freedom) given Asimov data of h_true.
    Hypotheses are :class:`Hypothesis` objects or dicts of their fields.

    Without priors Delta chi^2 is proportional to the exposure; with priors (oscillation
    parameters, normalisation) it is solved for by iteration on the exposure."""
    h_true, h_test = _as_hypothesis(h_true, "h_true"), _as_hypothesis(h_test, "h_test")
    z = _v.positive("significance", significance, "sigma")
    exp = Experiment() if experiment is None else experiment
    atom = get_atom(exp.atom)
    omega = np.asarray(exp.omega_eV, dtype=float) if exp.omega_eV is not None else default_trigger_energies(
        h_true, h_test, atom=atom, n_bins=exp.n_bins)
    shape_true = h_true.shape(omega, atom)
    target = z * z
    scale = shape_true.sum()  # N_k = (events / sum I) I_k
    last: dict = {}

    def chi2_of(events: float) -> float:
        # warm start from the previous fit; a fresh multi-start search on the first two (the
        # minimum can jump on the first rescaling)
        warm = last["fit"].x if last.get("calls", 0) >= 2 else None
        fit = _profile(h_true, h_test, exp, events / scale, omega, atom, warm)
        if fit.delta_chi2 <= 1e-12 * events:
            raise ValueError("the test hypothesis reproduces the true spectrum (Delta chi^2 = 0 within round-off): "
                             "no exposure distinguishes them")
        last.update(fit=fit, calls=last.get("calls", 0) + 1)
        return fit.delta_chi2

    # Delta chi^2 ~ events^k: k = 1 without priors, smaller where priors saturate it
    root = power_law_root(chi2_of, 1000.0, target, tol=1e-4, power=1.0, power_range=(0.05, 1.0), max_step=1e6)
    events, fit = root.value, last["fit"]
    status, message, iterations = root.status, root.message, root.iterations
    if status is not Status.SUCCESSFUL:
        message = f"exposure: {message} (Delta chi^2 = {fit.delta_chi2:.6g}, target {target:g})"
    elif not fit.converged:
        status, message = Status.MAX_ITERATIONS_REACHED, "the profile fit (least_squares) did not converge"
    time_s = events / (exp.rate_s * shape_true.sum() / omega.size)
    return Exposure(time_s=time_s, events=events, delta_chi2=fit.delta_chi2, significance=z,
                    fitted_lightest_mass_eV=fit.lightest_mass_eV, fitted_normalization=fit.normalization,
                    status=status, message=message, iterations=iterations)
