"""One call for the two-pair study of HW Fig. 1: integrate eqs. (8)-(11), measure the growth.

:func:`two_pair_evolve` integrates the two-pair model from given occupations (kappa seeded by
the source term of HW eq. 13, plus optional extra seeds), checkpointable per segment, and
returns a :class:`TwoPairEvolution`: the trajectory, its invariants, the distance from the
linear fixed point and the growth rate fitted on the evolution beside three predictions: the
whole linearized system (occupations included, :func:`two_pair_growth_rate_full`), HW eq. (14)
(occupations frozen) and the E >> mu approximation (HW eq. 16). Time is in units of 1/mu (mu = 1,
E = 1/(mu/E)).

The fitted series is the amplitude of the unstable eigenmode, |w . (y(t) - y*)| with w the left
eigenvector of the fastest eigenvalue of the whole linearization about the fixed point y*: in
the linear phase it is one exponential from t = 0, whereas |kappa - kappa_fp| also carries the
non-growing modes the source term excites with the same amplitude (~mu/E). Fitting the latter
read HW's case A at mu/E = 1e-2 as 1.84 mu; the eigenmode amplitude gives 1.912 mu, the whole
linearization's 1.9122 mu (eq. 14: 2.000 mu).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
from numpy.typing import NDArray

from nupair import validation
from nupair.numerics import GrowthFit, JitDOP853, evolve, fit_growth_rate, result_from_arrays, result_to_arrays
from nupair.pairing._kernels import two_pair_rhs_flat
from nupair.pairing.two_pair import (
    TwoPairInvariants,
    two_pair_fixed_point,
    two_pair_jacobian,
    two_pair_growth_rate,
    two_pair_growth_rate_approx,
    two_pair_initial_state,
    two_pair_invariants,
    two_pair_linear_fixed_point,
)
from nupair.results import Result

__all__ = ["TwoPairEvolution", "two_pair_evolve"]


@dataclass(frozen=True)
class TwoPairEvolution(Result):
    """A two-pair trajectory and its growth analysis (HW Fig. 1); time in units of 1/mu.

    Attributes
    ----------
    occupations : tuple of 4 floats
        Initial (rho_x, rhobar_x, rho_z, rhobar_z), dimensionless.
    mu_over_energy : float
        mu/E of the run.
    t_mu : ndarray, shape (n_t,)
        Saved times mu t.
    y : ndarray, shape (n_t, 8)
        States (rho_x, rhobar_x, rho_z, rhobar_z, Re kx, Im kx, Re kz, Im kz).
    fixed_point : tuple of 2 complex
        Linear fixed point (kappa_x, kappa_z) = -M^-1 c (HW eqs. 12-14).
    delta_kappa : ndarray, shape (n_t,)
        |kappa - kappa_fp|, the distance from the linear fixed point (all eigenmodes).
    mode_amplitude : ndarray, shape (n_t,)
        |w . (y - y*)|: amplitude of the fastest eigenmode of the whole linearization (the fitted
        series; equal to ``delta_kappa`` when no mode grows).
    invariants : TwoPairInvariants
        Invariants 1-3 of spec section 3.2 along the trajectory (energy in units of mu^2).
    fit : GrowthFit
        Growth rate fitted on ``mode_amplitude`` [mu]; status NO_SOLUTION for a stable set-up.
    growth_rate_linear : float
        Max Re eigenvalue of the whole linearized system about y* (occupations not frozen) [mu]:
        the rate the evolution must show in its linear phase.
    growth_rate_analytic : float
        Max Re eigenvalue of M, HW eq. (14) [mu].
    growth_rate_eq16 : float
        HW eq. (16), E >> mu [mu].
    """

    occupations: tuple = ()
    mu_over_energy: float = float("nan")
    t_mu: NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    y: NDArray[np.float64] = field(default_factory=lambda: np.empty((0, 8)))
    fixed_point: tuple = (0j, 0j)
    delta_kappa: NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    mode_amplitude: NDArray[np.float64] = field(default_factory=lambda: np.empty(0))
    invariants: TwoPairInvariants | None = None
    fit: GrowthFit | None = None
    growth_rate_linear: float = float("nan")
    growth_rate_analytic: float = float("nan")
    growth_rate_eq16: float = float("nan")

    @property
    def kappa_x(self) -> NDArray[np.complex128]:
        """kappa_x(t), shape (n_t,)."""
        return self.y[:, 4] + 1j * self.y[:, 5]

    @property
    def kappa_z(self) -> NDArray[np.complex128]:
        """kappa_z(t), shape (n_t,)."""
        return self.y[:, 6] + 1j * self.y[:, 7]

    def fit_assessment(self) -> tuple[float, list[str]]:
        """(fit - growth_rate_linear) / uncertainty and the reasons not to trust the fit
        (:meth:`nupair.numerics.GrowthFit.agreement`): a window under 1.5 e-folds, a miss beyond
        2 sigma, or no window where growth is predicted."""
        return self.fit.agreement(self.growth_rate_linear, what="the whole linearization (occupations included)")

    @property
    def max_energy_drift_relative(self) -> float:
        """max |W(t) - W(0)| / max(|W(0)|, 2 mu E): drift of invariant 3 (mu = 1)."""
        w = self.invariants.energy
        return float(np.max(np.abs(w - w[0])) / max(abs(w[0]), 2.0 / self.mu_over_energy))


def two_pair_evolve(
    occupations,
    mu_over_energy: float,
    t_end_mu: float,
    n_save: int,
    *,
    kappa_seed: tuple[complex, complex] = (0j, 0j),
    rtol: float = 1e-10,
    atol: float = 1e-12,
    segment_length_mu: float | None = None,
    fit_ceiling_fraction: float = 0.1,
    resume: dict | None = None,
    on_segment: Callable[[dict, float], None] | None = None,
) -> TwoPairEvolution:
    """Integrate HW eqs. (8)-(11) and fit the growth of |kappa - kappa_fp| (HW Fig. 1).

    Parameters
    ----------
    occupations : 4 floats in [0, 1]
        Initial (rho_x, rhobar_x, rho_z, rhobar_z).
    mu_over_energy : float
        mu/E (HW: 1e-3); time is in 1/mu, so E = 1/(mu/E).
    t_end_mu : float
        End time [1/mu]; ``n_save`` samples on [0, t_end_mu].
    kappa_seed : (complex, complex)
        Initial (kappa_x, kappa_z) (HW start from 0; the source term of eq. 13 seeds kappa).
    rtol, atol : float
        Tolerances of the compiled DOP853 (:class:`nupair.numerics.JitDOP853`).
    segment_length_mu : float, optional
        Checkpoint (and solver restart) interval [1/mu]; default one segment.
    fit_ceiling_fraction : float
        Growth fit stops where |delta kappa| first exceeds this fraction of its maximum.
    resume : dict, optional
        State saved by ``on_segment`` (a checkpointed partial run) to continue from.
    on_segment : callable(state, fraction_done), optional
        Called after each segment with a picklable state (pass it back as ``resume``).

    Returns
    -------
    TwoPairEvolution
        Raises :class:`~nupair.results.SolverError` if the integration fails.
    """
    occupations = tuple(validation.finite_array("occupations", occupations, low=0.0, high=1.0).tolist())
    if len(occupations) != 4:
        raise ValueError(f"occupations has {len(occupations)} entries: must be 4 (rho_x, rhobar_x, rho_z, rhobar_z)")
    mu_over_energy = validation.positive("mu_over_energy", mu_over_energy)
    t_end_mu = validation.positive("t_end_mu", t_end_mu, "1/mu")
    n_save = validation.positive_int("n_save", n_save, minimum=2)
    mu, energy = 1.0, 1.0 / mu_over_energy
    t_save = np.linspace(0.0, t_end_mu, n_save)
    y0 = two_pair_initial_state(*occupations, kappa_x=complex(kappa_seed[0]), kappa_z=complex(kappa_seed[1]))

    def segment_done(partial):
        if on_segment is not None:
            on_segment(result_to_arrays(partial), partial.t_reached / t_end_mu)

    # the compiled right-hand side and adaptive loop: ~100x faster than solve_ivp (same DOP853
    # tableau; trajectories agree to the tolerance), one compilation per process
    result = evolve(two_pair_rhs_flat, y0, t_save, solver=JitDOP853(rtol=rtol, atol=atol), args=(mu, energy),
                    segment_length=min(segment_length_mu or t_end_mu, t_end_mu),
                    resume=result_from_arrays(resume) if resume is not None else None, on_segment=segment_done)
    y = result.unwrap(f"two-pair evolution (rtol={rtol}, atol={atol})").y
    fixed = two_pair_linear_fixed_point(*occupations, mu, energy)
    kx, kz = y[:, 4] + 1j * y[:, 5], y[:, 6] + 1j * y[:, 7]
    delta = np.hypot(np.abs(kx - fixed[0]), np.abs(kz - fixed[1]))
    rate_linear, amplitude = _fastest_mode_amplitude(occupations, y, mu, energy)
    # a stable configuration has no exponential window: the fit's status says so, its numbers are NaN
    fit = fit_growth_rate(t_save, delta if amplitude is None else amplitude, ceiling_fraction=fit_ceiling_fraction,
                          failure="status")
    return TwoPairEvolution(
        occupations=occupations, mu_over_energy=float(mu_over_energy), t_mu=t_save, y=y, fixed_point=fixed,
        delta_kappa=delta, mode_amplitude=delta if amplitude is None else amplitude,
        invariants=two_pair_invariants(y.T, mu, energy), fit=fit, growth_rate_linear=rate_linear,
        growth_rate_analytic=two_pair_growth_rate(*occupations, mu, energy),
        growth_rate_eq16=two_pair_growth_rate_approx(*occupations, mu),
    )


def _fastest_mode_amplitude(occupations, y: NDArray, mu: float, energy: float) -> tuple[float, NDArray | None]:
    """Largest Re lambda of the whole linearization about the fixed point y*, and |w . (y - y*)|
    (n_t,) along the trajectory for its left eigenvector w (None when no mode grows)."""
    fixed = two_pair_fixed_point(*occupations, mu, energy)
    vals, left = np.linalg.eig(two_pair_jacobian(fixed, mu, energy).T)
    k = int(np.argmax(vals.real))
    rate = float(vals[k].real)
    if rate <= 1e-9 * mu:  # no growing mode: nothing to project on
        return 0.0, None
    return rate, np.abs((y - fixed) @ left[:, k])
