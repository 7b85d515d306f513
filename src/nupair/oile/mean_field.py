"""The two-group gas at large N: the closed mean map and the mean-field equations.

Kost, Johns & Duan, arXiv:2508.14331; spec ``shared/spec/oile.md`` section 6.3. The mean map is
the Monte Carlo step of :mod:`nupair.oile.gas` applied to the group means (exact as N -> inf);
its continuum limit (gamma -> 0 with mu gamma t fixed) is the mean-field equation with the OILE
collision term. Both read the encounter's angular law from ``gas.directions``
(:mod:`nupair.oile.directions`: averaged coefficients, eq. D3, and the weights of eq. D4).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.integrate import solve_ivp

from nupair import validation as _v
from nupair.oile.encounter import flavor_product
from nupair.oile.gas import TwoGroupGas, _half_rotations
from nupair.results import SolverError, Status

__all__ = ["mean_map", "mean_field"]


def _self_exclusion(gas: TwoGroupGas, finite_n: bool) -> float:
    """N/(N - 1) with ``finite_n``, else 1: a neutrino never meets itself, so its partner's mean is
    (N Pbar - P_i)/(N - 1) and every encounter term carries N/(N - 1) (eq. D5 of
    :mod:`nupair.oile.directions`)."""
    _v.instance_of("finite_n", finite_n, bool, "True or False")
    return gas.n / (gas.n - 1.0) if finite_n else 1.0


def mean_map(gas: TwoGroupGas, n_steps: int, save_every: int = 1, *, finite_n: bool = False) -> tuple[NDArray, NDArray]:
    """Large-N group means by the closed mean map (spec 6.3) with the same Strang splitting.

    P_A <- c^2 P_A + s^2 Pbar + c s f(Pbar, P_A), Pbar = f_A P_A + f_B P_B (encounter part;
    f = ``flavor_product``: the cross product for two flavors, SU(3) for three). With drawn
    relative directions the coefficients are their angle averages (``gas.directions``, eq. D3 of
    :mod:`nupair.oile.directions`): the map is affine in each partner with coefficients
    independent of the states. ``finite_n`` takes the partner of a group-g neutrino from the other
    N - 1 (its mean (N Pbar - P_g)/(N - 1), eq. D5): the O(1/N) bias of a finite gas.
    Returns (t (n_save,), means (n_save, 2, d)).
    """
    n_steps = _v.positive_int("n_steps", n_steps, 1)
    save_every = _v.positive_int("save_every", save_every, 1)
    q = _self_exclusion(gas, finite_n)
    c2, s2, cs = gas.directions.mean_coefficients(gas.gamma)
    ra, rb = _half_rotations(gas)
    fa = gas.n_a / gas.n
    pa, pb = gas.p_a.copy(), gas.p_b.copy()
    out, ts = [np.stack([pa, pb])], [0.0]
    for step in range(1, n_steps + 1):  # two 3-vectors per step: the loop is the algorithm
        pa, pb = ra @ pa, rb @ pb
        pbar = fa * pa + (1 - fa) * pb
        qa, qb = q * pbar + (1 - q) * pa, q * pbar + (1 - q) * pb  # partner means (= pbar for q = 1)
        pa, pb = (c2 * pa + s2 * qa + cs * flavor_product(qa, pa), c2 * pb + s2 * qb + cs * flavor_product(qb, pb))
        pa, pb = ra @ pa, rb @ pb
        if step % save_every == 0:
            out.append(np.stack([pa, pb]))
            ts.append(step * gas.dt)
    return np.array(ts), np.array(out)


def mean_field(gas: TwoGroupGas, t: ArrayLike, *, collisions: bool = False, kappa: float = 1.0,
               rtol: float = 1e-10, atol: float = 1e-12, finite_n: bool = False) -> NDArray:
    """Two-group mean-field equation (gamma -> 0) or, with ``collisions``, its OILE continuum form.

    dP_A/dt = (h_A + <x> mu Pbar) x P_A
              [+ <x^2> mu gamma (Pbar - P_A) - kappa <x>^2 (mu gamma/2) Pbar x (Pbar x P_A)]

    (spec 6.3 for fixed directions, <x> = <x^2> = 1; eq. D4 of :mod:`nupair.oile.directions`
    for drawn ones, x = gamma_ij/gamma: isotropic <x> = 1, <x^2> = 4/3; kappa = 1 for
    synchronous encounters as in the Monte Carlo), with x the ``flavor_product`` (three
    flavors: SU(3) structure constants). ``finite_n`` multiplies mu in the encounter terms by
    N/(N - 1) (self-exclusion, eq. D5: the finite gas's O(1/N) bias). Returns (len(t), 2, d).
    """
    t = _v.finite_array("t", t, "1/mu")
    kappa = _v.finite("kappa", kappa)
    rtol = _v.in_range("rtol", rtol, 0.0, 1.0, low_open=True, high_open=True)
    atol = _v.in_range("atol", atol, 0.0, 1.0, low_open=True, high_open=True)
    fa = gas.n_a / gas.n
    mu, g = gas.mu * _self_exclusion(gas, finite_n), gas.gamma
    w1, w2 = gas.directions.mean_x, gas.directions.mean_x2
    d = gas.n_components
    h_a, h_b = gas.one_body_field(0), gas.one_body_field(1)

    def rhs(_, y):
        pa, pb = y[:d], y[d:]
        pbar = fa * pa + (1 - fa) * pb
        da = flavor_product(h_a + w1 * mu * pbar, pa)
        db = flavor_product(h_b + w1 * mu * pbar, pb)
        if collisions:
            k2 = kappa * w1 * w1 * 0.5 * mu * g
            da += w2 * mu * g * (pbar - pa) - k2 * flavor_product(pbar, flavor_product(pbar, pa))
            db += w2 * mu * g * (pbar - pb) - k2 * flavor_product(pbar, flavor_product(pbar, pb))
        return np.concatenate([da, db])

    sol = solve_ivp(rhs, (t[0], t[-1]), np.concatenate([gas.p_a, gas.p_b]), t_eval=t,
                    method="DOP853", rtol=rtol, atol=atol)
    if sol.status != 0:
        raise SolverError(f"mean-field integration failed: {sol.message}", Status.SOLVER_FAILED)
    return sol.y.T.reshape(-1, 2, d)
