"""Sensitivity reach for light mediators: the coupling product an RENP scan can exclude.

Spec ``shared/spec/renp.md`` section 4 (Ge & Pasquini, EPJC 82 (2022) 208): Asimov data of
"SM + mediator" against the SM hypothesis (lightest mass free, normalisation free, oscillation
priors), Delta chi^2 = significance^2.
"""

from __future__ import annotations


from nupair import validation as _v
import numpy as np

from nupair.renp.dipole import DipoleMoments
from nupair.renp.mediators import Scalar, ZPrime
from nupair.renp.hypotheses import _as_hypothesis
from nupair.renp.statistics import Experiment, Hypothesis, delta_chi2
from nupair.numerics.roots import power_law_root
from nupair.results import RootResult

__all__ = ["required_coupling", "required_dipole_moment", "dipole_moments_for", "power_law_root"]


def _checked(h_sm, experiment) -> tuple[Hypothesis, Experiment]:
    """``h_sm`` as a Hypothesis (or a dict of its fields); ``experiment`` an Experiment (None: the default)."""
    h = _as_hypothesis(h_sm, "h_sm")
    if experiment is None:
        return h, Experiment()
    return h, _v.instance_of("experiment", experiment, Experiment, "a nupair.renp.Experiment (or None for the default)")


def _mediator(kind: str, mass_eV: float, product: float):
    return ZPrime(mass_eV, product, 1.0, 0.0) if kind == "vector" else Scalar(mass_eV, product, 1.0, 0.0)


def required_coupling(kind: str, mass_eV: float, h_sm: Hypothesis, experiment: Experiment, time_s: float,
                      significance: float = 3.0) -> RootResult:
    """Coupling product excluded at ``significance`` sigma after ``time_s`` [s] of scanning.

    ``kind`` "vector" (Z', product |g^e g^nu| with g^nu_L = g^nu x identity) or "scalar" (phi,
    |y^e y^nu_S|), mediator mass ``mass_eV`` [eV]. Solved first with every nuisance fixed (one
    spectrum per step), then refined with the profiled chi^2 of :func:`delta_chi2`
    (:func:`power_law_root` both times). Returns a :class:`~nupair.results.RootResult` whose
    ``value`` is the coupling product. A mediator exactly at resonance raises ``ValueError``.
    """
    _v.one_of("kind", kind, ("vector", "scalar"))
    h_sm, experiment = _checked(h_sm, experiment)
    mass = _v.positive("mass_eV", mass_eV, "eV")
    t = _v.positive("time_s", time_s, "s")
    z = _v.positive("significance", significance, "sigma")
    return _two_stage_root(lambda p: Hypothesis("normal", "dirac", h_sm.lightest_mass_eV,
                                                mediator=_mediator(kind, mass, p)),
                           h_sm, "dirac", experiment, t, z * z, 1e-22 if kind == "vector" else 1e-12)


def _two_stage_root(hyp, h_sm: Hypothesis, nature: str, experiment: Experiment, time_s: float, target: float,
                    start: float) -> RootResult:
    """The strength p with Delta chi^2(hyp(p) vs the SM) = target: first with every nuisance fixed
    (one spectrum per step), then refined with the profiled chi^2 of :func:`delta_chi2`."""
    fixed = Hypothesis("normal", nature, h_sm.lightest_mass_eV, free_lightest_mass=False)
    exp_fixed = Experiment(omega_eV=experiment.omega_eV, n_bins=experiment.n_bins, oscillation_priors=False)
    first = power_law_root(lambda p: delta_chi2(hyp(p), fixed, exp_fixed, time_s=time_s), start, target)
    if not first.ok:
        return first
    final = power_law_root(lambda p: delta_chi2(hyp(p), h_sm, experiment, time_s=time_s), first.value, target)
    return RootResult(final.status, final.message, final.value, first.iterations + final.iterations)


def dipole_moments_for(kind: str, element: tuple[int, int], value_muB: float, nature: str = "dirac") -> DipoleMoments:
    """A single transition moment |mu_ij| (kind "magnetic") or |eps_ij| ("electric") [mu_B], i != j
    (1-based), with its partner element: mu_ji = mu_ij^* (Dirac) or -mu_ij (Majorana)."""
    _v.one_of("kind", kind, ("magnetic", "electric"))
    i, j = (int(x) - 1 for x in element)
    if not (0 <= i < 3 and 0 <= j < 3 and i != j):
        raise ValueError(_v.refused(f"element={element!r}", "two different mass indices in 1..3"))
    m = np.zeros((3, 3), complex)
    m[i, j] = value_muB
    m[j, i] = -value_muB if nature == "majorana" else value_muB
    return DipoleMoments(m, None, nature) if kind == "magnetic" else DipoleMoments(np.zeros((3, 3)), m, nature)


def required_dipole_moment(kind: str, h_sm: Hypothesis, experiment: Experiment, time_s: float,
                           element: tuple[int, int] = (1, 2), significance: float = 3.0) -> RootResult:
    """Transition moment |mu_ij| (kind "magnetic") or |eps_ij| ("electric") [mu_B] excluded at
    ``significance`` sigma after ``time_s`` [s] (spec 4.4; spectrum of :mod:`nupair.renp.dipole`).

    Asimov data "SM + moment" (nature of ``h_sm``) against the SM hypothesis, as
    :func:`required_coupling`: first with the nuisances fixed, then profiled. Delta chi^2 grows like
    the fourth power of the moment (no interference with the weak term), which
    :func:`power_law_root` follows.
    """
    _v.one_of("kind", kind, ("magnetic", "electric"))
    h_sm, experiment = _checked(h_sm, experiment)
    t = _v.positive("time_s", time_s, "s")
    z = _v.positive("significance", significance, "sigma")
    nature = h_sm.nature
    return _two_stage_root(lambda p: Hypothesis("normal", nature, h_sm.lightest_mass_eV,
                                                mediator=dipole_moments_for(kind, element, p, nature)),
                           h_sm, nature, experiment, t, z * z, 1e-10)
