"""Numerical core: time integrators behind one entry point, and growth-rate fitting.

* :func:`evolve` — integrate dy/dt = f(t, y) with a chosen solver, optional segments for
  checkpoint/resume (bit-identical restarts).
* :class:`Adaptive` — scipy ``solve_ivp`` (DOP853 by default) with rtol/atol.
* :class:`RK4` — fixed-step classical Runge-Kutta for large vectorized states.
* :class:`JitDOP853` — DOP853 with the adaptive loop compiled by Numba, for Numba right-hand
  sides (``rhs(t, y, args)``); ~100x faster than ``Adaptive`` for small systems.
* :func:`fit_growth_rate` — exponential rate with automatic linear-window detection.
* :func:`refinement_limit` — limit of a quantity along a doubling refinement sequence.

Choosing a solver: use ``Adaptive("DOP853")`` for small systems at tight tolerance (the
two-pair model); ``RK4(dt)`` when one step must advance millions of modes in NumPy and the
fastest frequency is known (take dt <= 0.1 / omega_max).
"""

from nupair.numerics._result import EvolutionResult, Status, result_from_arrays, result_to_arrays
from nupair.numerics.adaptive import Adaptive
from nupair.numerics.continuation import finite_difference_jacobian, null_tangent
from nupair.numerics.dop853_jit import JitDOP853
from nupair.numerics.evolve import evolve, segment_boundaries
from nupair.numerics.extrapolation import RefinementLimit, refinement_limit
from nupair.numerics.growth import GrowthFit, NoGrowthFound, fit_growth_rate
from nupair.numerics.rk4 import RK4
from nupair.numerics.roots import phase_along_segment, power_law_root

#: Integrators taking Python right-hand sides ``rhs(t, y, *args)``, for parametrised tests.
INTEGRATORS = (Adaptive, RK4)
#: Integrators taking Numba right-hand sides ``rhs(t, y, args)``.
JIT_INTEGRATORS = (JitDOP853,)

__all__ = [
    "power_law_root",
    "phase_along_segment",
    "Adaptive",
    "EvolutionResult",
    "GrowthFit",
    "INTEGRATORS",
    "JIT_INTEGRATORS",
    "JitDOP853",
    "NoGrowthFound",
    "RK4",
    "RefinementLimit",
    "Status",
    "evolve",
    "finite_difference_jacobian",
    "null_tangent",
    "fit_growth_rate",
    "refinement_limit",
    "result_from_arrays",
    "result_to_arrays",
    "segment_boundaries",
]
