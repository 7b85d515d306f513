"""Statistical sensitivity of an RENP scan (spec ``shared/spec/renp.md`` section 5).

Asimov data from a true hypothesis, a test hypothesis fitted to it with nuisance parameters
(lightest mass, overall normalisation Gamma_0 eta, oscillation parameters within Gaussian priors),
and the exposure at which the minimum Delta chi^2 reaches significance^2 (one degree of freedom:
Z sigma <-> Delta chi^2 = Z^2).

    chi^2_Poisson = 2 sum_k [N_k(H) - N_k(H_t) + N_k(H_t) ln(N_k(H_t) / N_k(H))]   (spec 5.2)
    chi^2_Gauss   = sum_k (N_k(H) - N_k(H_t))^2 / N_k(H_t)

The normalisation, when free, is profiled analytically (Poisson: s = sum N_t / sum N_H).
"""

from nupair.renp.exposure import Exposure, required_exposure
from nupair.renp.hypotheses import Experiment, Hypothesis, default_trigger_energies
from nupair.renp.profile import OSCILLATION_PRIOR_SIGMA, chi2_gauss, chi2_poisson, delta_chi2

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
