"""The exposure an RENP scan needs: the scan time at which the minimum Delta chi^2 reaches
significance^2 (one degree of freedom; spec ``shared/spec/renp.md`` section 5).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from nupair import constants as const
from nupair.renp.atoms import get_atom
from nupair.numerics import power_law_root
from nupair.results import Status, StatusMixin
from nupair.renp.hypotheses import Experiment, Hypothesis, _as_hypothesis, default_trigger_energies
from nupair.renp.profile import _profile
from nupair import validation as _v

__all__ = ["Exposure", "required_exposure"]


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

