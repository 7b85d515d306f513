"""Extended quantum kinetic equations with neutrino-antineutrino pairing correlations.

Huang & Wu, arXiv:2604.25687; spec ``shared/spec/pairing.md``. Public API: the two-pair toy
model (HW eqs. 8-16). The N-mode equations, stability analysis and continuum study follow.
"""

from nupair.pairing.two_pair import (
    STATE_LABELS,
    TwoPairInvariants,
    mu_from_number_density,
    two_pair_eigenvalues,
    two_pair_growth_rate,
    two_pair_growth_rate_approx,
    two_pair_initial_state,
    two_pair_invariants,
    two_pair_linear_fixed_point,
    two_pair_rhs,
    two_pair_source,
    two_pair_stability_matrix,
)

__all__ = [
    "STATE_LABELS",
    "TwoPairInvariants",
    "mu_from_number_density",
    "two_pair_eigenvalues",
    "two_pair_growth_rate",
    "two_pair_growth_rate_approx",
    "two_pair_initial_state",
    "two_pair_invariants",
    "two_pair_linear_fixed_point",
    "two_pair_rhs",
    "two_pair_source",
    "two_pair_stability_matrix",
]
