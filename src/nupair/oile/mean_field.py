"""The two-group gas at large N: the closed mean map and the mean-field equations.

Kost, Johns & Duan, arXiv:2508.14331; spec ``shared/spec/oile.md`` section 6.3. The mean map is
the Monte Carlo step of :mod:`nupair.oile.gas` applied to the group means (exact as N -> inf);
its continuum limit (gamma -> 0 with mu gamma t fixed) is the mean-field equation with the OILE
collision term.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.integrate import solve_ivp

from nupair import validation as _v
from nupair.oile.encounter import encounter_coefficients, flavor_product
from nupair.oile.gas import TwoGroupGas, _half_rotations
from nupair.results import SolverError, Status

__all__ = ["mean_map", "mean_field"]


def mean_map(gas: TwoGroupGas, n_steps: int, save_every: int = 1) -> tuple[NDArray, NDArray]:
    """Large-N group means by the closed mean map (spec 6.3) with the same Strang splitting.

    P_A <- c^2 P_A + s^2 Pbar + c s f(Pbar, P_A), Pbar = f_A P_A + f_B P_B (encounter part;
    f = ``flavor_product``: the cross product for two flavors, SU(3) for three).
    Returns (t (n_save,), means (n_save, 2, d)).
    """
    n_steps = _v.positive_int("n_steps", n_steps, 1)
    save_every = _v.positive_int("save_every", save_every, 1)
    c2, s2, cs = (float(x) for x in encounter_coefficients(gas.gamma))
    ra, rb = _half_rotations(gas)
    fa = gas.n_a / gas.n
    pa, pb = gas.p_a.copy(), gas.p_b.copy()
    out, ts = [np.stack([pa, pb])], [0.0]
    for step in range(1, n_steps + 1):  # two 3-vectors per step: the loop is the algorithm
        pa, pb = ra @ pa, rb @ pb
        pbar = fa * pa + (1 - fa) * pb
        pa, pb = (c2 * pa + s2 * pbar + cs * flavor_product(pbar, pa), c2 * pb + s2 * pbar + cs * flavor_product(pbar, pb))
        pa, pb = ra @ pa, rb @ pb
        if step % save_every == 0:
            out.append(np.stack([pa, pb]))
            ts.append(step * gas.dt)
    return np.array(ts), np.array(out)


def mean_field(gas: TwoGroupGas, t: ArrayLike, *, collisions: bool = False, kappa: float = 1.0,
               rtol: float = 1e-10, atol: float = 1e-12) -> NDArray:
    """Two-group mean-field equation (gamma -> 0) or, with ``collisions``, its OILE continuum form.

    dP_A/dt = (h_A + mu Pbar) x P_A [+ mu gamma (Pbar - P_A) - kappa (mu gamma/2) Pbar x (Pbar x P_A)]
    (spec 6.3; kappa = 1 for synchronous encounters as in the Monte Carlo), with x the
    ``flavor_product`` (three flavors: SU(3) structure constants). Returns (len(t), 2, d).
    """
    t = _v.finite_array("t", t, "1/mu")
    kappa = _v.finite("kappa", kappa)
    rtol = _v.in_range("rtol", rtol, 0.0, 1.0, low_open=True, high_open=True)
    atol = _v.in_range("atol", atol, 0.0, 1.0, low_open=True, high_open=True)
    fa = gas.n_a / gas.n
    mu, g = gas.mu, gas.gamma
    d = gas.n_components
    h_a, h_b = gas.one_body_field(0), gas.one_body_field(1)

    def rhs(_, y):
        pa, pb = y[:d], y[d:]
        pbar = fa * pa + (1 - fa) * pb
        da = flavor_product(h_a + mu * pbar, pa)
        db = flavor_product(h_b + mu * pbar, pb)
        if collisions:
            da += mu * g * (pbar - pa) - kappa * 0.5 * mu * g * flavor_product(pbar, flavor_product(pbar, pa))
            db += mu * g * (pbar - pb) - kappa * 0.5 * mu * g * flavor_product(pbar, flavor_product(pbar, pb))
        return np.concatenate([da, db])

    sol = solve_ivp(rhs, (t[0], t[-1]), np.concatenate([gas.p_a, gas.p_b]), t_eval=t,
                    method="DOP853", rtol=rtol, atol=atol)
    if sol.status != 0:
        raise SolverError(f"mean-field integration failed: {sol.message}", Status.SOLVER_FAILED)
    return sol.y.T.reshape(-1, 2, d)
