"""Miscidynamics of the two-group gas: the path along mean-field equilibria (spec 6.4).

Kost, Johns & Duan, arXiv:2508.14331 (spelled "miscodynamics" on the poster); spec
``shared/spec/oile.md`` section 6.4. The lengths |P_A|, |P_B| drift under the collision term
evaluated on the current co-rotating equilibrium; the equilibrium is followed by pseudo-arclength
continuation (Keller), so that folds and branch switches are detected and reported as events.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import fsolve

from nupair import validation as _v
from nupair.numerics.continuation import finite_difference_jacobian, null_tangent
from nupair.oile.gas import TwoGroupGas, matter_axis
from nupair.results import SolverError, Status

__all__ = ["miscidynamic_path", "MiscidynamicEvent", "MiscidynamicPath"]


@dataclass(frozen=True)
class MiscidynamicEvent:
    """Something that happened to the equilibrium branch of a miscidynamic path.

    kind: "fold" (the branch turns back in the lengths: the gas cannot follow it), "branch switch"
    (the path continues on another equilibrium at the same lengths), "joins static state" (the
    transverse Pbar shrank to zero: both groups along +-B), "leaves static state", or "lost"
    (no equilibrium to continue on). t in [1/mu]; lengths (|P_A|, |P_B|) at the event.
    """

    t: float
    kind: str
    lengths: tuple[float, float]
    detail: str = ""


@dataclass(frozen=True)
class MiscidynamicPath:
    """Path along mean-field equilibria (spec 6.4), frame-independent quantities.

    Attributes
    ----------
    t : ndarray (n,)               time [1/mu]
    length : ndarray (n, 2)        |P_A|, |P_B|
    b_component : ndarray (n, 2)   B . P_A, B . P_B
    transverse : ndarray (n, 2)    |P_A - (B . P_A) B|, same for B
    omega : ndarray (n,)           collective precession frequency Omega [mu] (nan when static)
    branch : tuple                 ("transverse" or "aligned", (eps_A, eps_B)) at the end
    status : Status                SUCCESSFUL; NO_SOLUTION when the continuation was lost;
                                   MAX_ITERATIONS_REACHED when its step budget was spent
    message : str                  "reached t_end", or where the continuation was lost
    events : tuple of MiscidynamicEvent   folds and branch switches, in time order
    """

    t: NDArray
    length: NDArray
    b_component: NDArray
    transverse: NDArray
    omega: NDArray
    branch: tuple
    status: Status = Status.SUCCESSFUL
    message: str = "reached t_end"
    events: tuple = ()

    @property
    def ok(self) -> bool:
        """True when the path reached t_end."""
        return self.status is Status.SUCCESSFUL

    @property
    def code(self) -> Status:
        """Deprecated alias of ``status`` (which was once the message string)."""
        return self.status


class _Equilibria:
    """Co-rotating equilibria of spec 6.4 in the frame B = (0, 1), transverse direction (1, 0).

    x = (Omega, p_perp); lengths l = (l_A, l_B); branch signs eps. The one-body fields are
    omega_g B plus the matter term projected on B (its transverse part averages out over the
    fast precession about B: exact when the matter axis is B, a rotating-wave approximation
    otherwise); a field common to both groups only shifts Omega.
    """

    def __init__(self, gas: TwoGroupGas):
        self.fa = gas.n_a / gas.n
        self.mu = gas.mu
        # the collision and kappa weights of the directions law (nupair.oile.directions, eq. D4)
        self.w_collision = gas.directions.mean_x2
        self.w_kappa = gas.directions.mean_x ** 2
        shift = gas.matter * float(matter_axis(3) @ gas.b_axis)
        self.omega = (gas.omega_a + shift, gas.omega_b + shift)
        self.big_l = self.fa * float(gas.p_a @ gas.b_axis) + (1 - self.fa) * float(gas.p_b @ gas.b_axis)

    def units(self, x, eps):
        """Directions eps_g H_g / |H_g| of the two group vectors (2-vectors (perp, along B))."""
        om, pp = x
        out = []
        for g in range(2):
            h = np.array([self.mu * pp, self.omega[g] - om + self.mu * self.big_l])
            size = np.linalg.norm(h)
            # a vanishing effective field has no direction: not an equilibrium (fsolve may probe it)
            out.append(eps[g] * h / size if size > 0 else np.full(2, np.nan))
        return out

    def vectors(self, x, lengths, eps):
        ua, ub = self.units(x, eps)
        return ua * lengths[0], ub * lengths[1]

    def residual(self, x, lengths, eps):
        pa, pb = self.vectors(x, lengths, eps)
        total = self.fa * pa + (1 - self.fa) * pb
        return np.array([total[1] - self.big_l, total[0] - x[1]])

    def solve(self, guess, lengths, eps):
        sol, _, ier, _ = fsolve(self.residual, guess, args=(lengths, eps), full_output=True, xtol=1e-13)
        ok = ier == 1 and sol[1] > 1e-9 and np.max(np.abs(self.residual(sol, lengths, eps))) < 1e-10
        return sol, ok

    def aligned(self, lengths, signs, tol):
        if abs(self.fa * signs[0] * lengths[0] + (1 - self.fa) * signs[1] * lengths[1] - self.big_l) > tol:
            return None
        return np.array([0.0, signs[0] * lengths[0]]), np.array([0.0, signs[1] * lengths[1]])

    def all_states(self, lengths, tol):
        """Every equilibrium found at these lengths: (branch, x, P_A, P_B)."""
        found = []
        lo = min(self.omega) - 2 * self.mu - abs(self.mu * self.big_l)
        hi = max(self.omega) + 2 * self.mu + abs(self.mu * self.big_l)
        for signs in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
            st = self.aligned(lengths, signs, tol)
            if st is not None:
                found.append((("aligned", signs), np.array([np.nan, 0.0]), *st))
            for om0 in np.linspace(lo, hi, 13):
                for pp0 in (0.02, 0.1, 0.3, 0.7):
                    sol, ok = self.solve([om0, pp0], lengths, signs)
                    if ok and not any(f[0] == ("transverse", signs) and np.allclose(f[1], sol, atol=1e-7) for f in found):
                        found.append((("transverse", signs), sol, *self.vectors(sol, lengths, signs)))
        return found

    def rates(self, ua, ub, lengths, kappa, gamma):
        """d l_g/dt = mu gamma (w (u_g . Pbar - l_g) + kappa w_k l_g |Pbar x u_g|^2 / 2) (spec 6.4), u_g = P_g/l_g,
        with the directions weights w = <x^2>, w_k = <x>^2 (1 for fixed directions; eq. D4 of
        :mod:`nupair.oile.directions`).

        Written with the unit vectors u_g so that a group at zero length still has its rate.
        """
        pbar = self.fa * ua * lengths[0] + (1 - self.fa) * ub * lengths[1]
        out = []
        for u, lg in ((ua, lengths[0]), (ub, lengths[1])):
            cross = pbar[0] * u[1] - pbar[1] * u[0]
            out.append(self.mu * gamma * (self.w_collision * (u @ pbar - lg) + kappa * self.w_kappa * lg * cross**2 / 2))
        return np.array(out)


def _arclength_step(eq: _Equilibria, x0, l0, direction, eps, tangent, h):
    """One pseudo-arclength step along F(x, l0 + sigma direction) = 0 in z = (Omega, p_perp, sigma).

    Returns (z, new tangent) or None when Newton's corrector does not converge.
    """
    def f(z):
        return eq.residual(z[:2], l0 + z[2] * direction, eps)

    z0 = np.array([x0[0], x0[1], 0.0])
    z = z0 + h * tangent
    for _ in range(30):
        r = np.concatenate([f(z), [tangent @ (z - z0) - h]])
        if np.max(np.abs(r)) < 1e-12:
            break
        jac = np.vstack([finite_difference_jacobian(f, z), tangent])
        try:
            z = z - np.linalg.solve(jac, r)
        except np.linalg.LinAlgError:
            return None
    else:
        return None
    return z, null_tangent(f, z, tangent)


def miscidynamic_path(gas: TwoGroupGas, t_end: float, *, n_kicks: int = 400, kappa: float = 1.0,
                      reference: tuple[NDArray, NDArray] | None = None,
                      max_steps: int | None = None) -> MiscidynamicPath:
    """Miscidynamic prediction (spec 6.4): the lengths drift with the collision term evaluated on
    the current equilibrium, and the equilibrium is followed by pseudo-arclength continuation.

    Equilibria are the co-rotating states of spec 6.4 (each group along its effective field
    H = (omega - Omega) B + mu Pbar, common Omega, B . Pbar = L fixed), with a transverse Pbar or
    static with both groups along +-B. The initial one is the equilibrium whose B-components best
    match the time average of ``reference`` = (t, group means), e.g. the mean-field solution over
    the first few 1/mu (the state the gas settles around). Length drift (derived in spec 6.4 from
    the mean map): d l_A/dt = mu gamma (P_hat_A . Pbar - l_A + kappa |Pbar x P_A|^2 / (2 l_A)),
    integrated with Heun's rule over ``n_kicks`` steps.

    Each step solves F(Omega, p_perp; l + sigma dl) = 0 with the arclength constraint (Keller's
    pseudo-arclength method), so a fold of the branch (the lengths would have to run backwards to
    stay on it) is detected rather than missed: it is reported as an event and the path switches to
    the equilibrium at the fold's lengths closest to the state there (another branch). A transverse
    branch whose p_perp reaches zero joins the static state. ``events`` lists all of it. Two flavors;
    a matter term enters through its projection on B (see ``_Equilibria``).

    ``max_steps`` (default 10 n_kicks + 1000) bounds the continuation steps, kicks, retries after
    branch switches and shortened kicks at a group's zero length together: a path that would
    slow down without end near a fold stops there with status MAX_ITERATIONS_REACHED and the
    time it reached in its message, instead of running on (a step costs ~15 ms on a transverse
    branch: ~75 s at most with the default 400 kicks; a path to gamma mu t = 3000 takes ~1500).
    """
    if gas.n_components != 3:
        raise ValueError("miscidynamic_path handles two-flavor gases (3-component Bloch vectors) only")
    t_end = _v.positive("t_end", t_end, "1/mu")
    n_kicks = _v.positive_int("n_kicks", n_kicks, minimum=1)
    eq = _Equilibria(gas)
    b = gas.b_axis
    lengths = np.array([float(np.linalg.norm(gas.p_a)), float(np.linalg.norm(gas.p_b))])
    target = np.mean(reference[1] @ b, axis=0) if reference is not None else np.array([gas.p_a @ b, gas.p_b @ b])
    candidates = eq.all_states(lengths, 1e-9 * max(1.0, abs(eq.big_l)))
    if not candidates:
        raise SolverError("no mean-field equilibrium found for the initial lengths", Status.NO_SOLUTION)
    start = min(candidates, key=lambda c: float(np.sum((np.array([c[2][1], c[3][1]]) - target) ** 2)))
    budget = 10 * n_kicks + 1000 if max_steps is None else _v.positive_int("max_steps", max_steps)
    walker = _PathWalker(gas, eq, kappa, lengths, start)
    dt = t_end / n_kicks
    steps = 0
    while walker.t < t_end * (1 - 1e-12):
        steps += 1
        if steps > budget:
            walker.message = (f"continuation step budget ({budget} steps) spent at t = {walker.t:.4g} of {t_end:.4g}; "
                              "raise max_steps or lower t_end")
            walker.failure = Status.MAX_ITERATIONS_REACHED
            break
        outcome = walker.advance(min(dt, t_end - walker.t), t_end)
        if outcome is _STOP:
            break
        if outcome is _ADVANCED:
            walker.flip_empty_groups()
            walker.record()
    return walker.path()


_ADVANCED, _RETRY, _STOP = "advanced", "retry", "stop"


class _PathWalker:
    """The state of a miscidynamic path while it is walked: lengths, branch, equilibrium, tangent,
    the recorded rows and events. Each :meth:`advance` is one Heun kick of the lengths along the
    current branch (or a branch switch in place, or the end of the path)."""

    def __init__(self, gas: TwoGroupGas, eq: "_Equilibria", kappa: float, lengths: NDArray, start):
        self.gas, self.eq, self.kappa = gas, eq, kappa
        self.lengths = lengths
        self.mode, self.x, self.pa, self.pb = start
        self.tangent = None
        self.t = 0.0
        self.events: list[MiscidynamicEvent] = []
        self.message = "reached t_end"
        self.failure = Status.NO_SOLUTION  # the status of a path that did not reach t_end
        self.rows = [(self.t, *lengths, self.pa[1], self.pb[1], abs(self.pa[0]), abs(self.pb[0]), self.x[0])]

    def units_of(self, mode, x):
        if mode[0] == "aligned":
            return np.array([0.0, float(mode[1][0])]), np.array([0.0, float(mode[1][1])])
        return self.eq.units(x, mode[1])

    def rates(self, units, lengths):
        return self.eq.rates(*units, lengths, self.kappa, self.gas.gamma)

    def event(self, kind: str, detail: str = "") -> None:
        self.events.append(MiscidynamicEvent(self.t, kind, tuple(self.lengths), detail))

    def switch(self, why: str) -> bool:
        """Continue on the equilibrium at the same lengths closest to the present state."""
        here = np.concatenate([self.pa, self.pb])
        others = [c for c in self.eq.all_states(self.lengths, 1e-6)
                  if not (c[0] == self.mode and (self.mode[0] == "aligned" or np.allclose(c[1], self.x, atol=1e-5)))]
        if not others:
            return False
        new = min(others, key=lambda c: float(np.sum((np.concatenate([c[2], c[3]]) - here) ** 2)))
        self.event("branch switch", f"{why}: from {self.mode[0]} {self.mode[1]} to {new[0][0]} {new[0][1]}")
        self.mode, self.x, self.pa, self.pb = new
        self.tangent = None
        return True

    def redirect(self, why: str, lost_why: str) -> str:
        """Switch branch in place (and retry the kick there) or end the path."""
        if self.switch(why):
            return _RETRY
        self.message = f"equilibrium lost at t = {self.t:.4g} ({lost_why}); path ends there"
        self.event("lost", lost_why)
        return _STOP

    def advance(self, step: float, t_end: float) -> str:
        rate = self.rates(self.units_of(self.mode, self.x), self.lengths)
        # a group length that would cross zero: stop there (the vector passes through the origin)
        limit = np.min(np.where(rate < 0, self.lengths / np.maximum(-rate, 1e-300), np.inf))
        step = min(step, limit) if limit > 1e-14 * t_end else step
        if self.mode[0] == "aligned":
            return self._advance_static(rate, step)
        return self._advance_transverse(rate, step)

    def _advance_static(self, rate, step: float) -> str:
        direction = rate * step
        if self.eq.aligned(self.lengths + direction, self.mode[1], 1e-6) is None:
            self.event("leaves static state")
            return self.redirect("static state no longer has B . Pbar = L", "no continuation found")
        rate2 = self.rates(self.units_of(self.mode, self.x), np.maximum(self.lengths + direction, 0.0))  # Heun
        self.lengths = np.maximum(self.lengths + 0.5 * (rate + rate2) * step, 0.0)
        self.t += step
        return _ADVANCED

    def _advance_transverse(self, rate, step: float) -> str:
        direction = rate * step
        eps = self.mode[1]

        def f(z, l0=self.lengths.copy(), d=direction.copy()):
            return self.eq.residual(z[:2], l0 + z[2] * d, eps)

        self.tangent = null_tangent(f, np.array([self.x[0], self.x[1], 0.0]),
                                    np.array([0.0, 0.0, 1.0]) if self.tangent is None else self.tangent)
        if self.tangent[2] <= 0:
            self.event("fold", f"{self.mode[0]} branch {eps} turns back (Omega = {self.x[0]:.6g} mu)")
            return self.redirect("fold", "fold with no other branch")
        result = self._corrected_step(direction)
        if result is None:
            self.event("fold", "continuation stalls (corrector fails)")
            return self.redirect("fold", "no continuation found")
        z, self.tangent = result
        sigma = float(z[2])
        rate2 = self.rates(self.eq.units(z[:2], eps), np.maximum(self.lengths + sigma * direction, 0.0))  # Heun
        self.lengths = np.maximum(self.lengths + 0.5 * (rate + rate2) * sigma * step, 0.0)
        self.t += sigma * step
        if z[1] > 1e-7:
            x_new, ok = self.eq.solve(z[:2], self.lengths, eps)  # polish at the Heun lengths
            self.x = x_new if ok else z[:2]
            return _ADVANCED
        self.event("joins static state", f"p_perp -> 0 on the transverse branch {eps}")
        qa, qb = self.eq.units(z[:2], eps)
        signs = (int(np.sign(qa[1]) or 1), int(np.sign(qb[1]) or 1))
        self.mode, self.x, self.tangent = ("aligned", signs), np.array([np.nan, 0.0]), None
        if self.eq.aligned(self.lengths, signs, 1e-5) is None and self.redirect(
                "static state inconsistent", "static state inconsistent") is _STOP:
            return _STOP
        return _ADVANCED

    def _corrected_step(self, direction):
        """Pseudo-arclength step advancing sigma by at most one kick, halving h until it converges."""
        h = min(1.0 / self.tangent[2],  # arclength that advances sigma by one step ...
                0.05 * self.gas.mu / max(float(np.linalg.norm(self.tangent[:2])), 1e-300))  # ... or Omega, p_perp by 0.05
        for _ in range(12):
            result = _arclength_step(self.eq, self.x, self.lengths, direction, self.mode[1], self.tangent, h)
            if result is not None and 0.0 < result[0][2] <= 1.0 + 1e-9:
                return result
            h *= 0.5
        return None

    def flip_empty_groups(self) -> None:
        """A group at zero length re-emerges on the other side: its branch sign flips."""
        for g in range(2):
            if self.lengths[g] <= 1e-12 * max(1.0, float(np.max(self.lengths))) and self.rates(
                    self.units_of(self.mode, self.x), self.lengths)[g] < 0:
                self.lengths[g] = 0.0
                signs = list(self.mode[1])
                signs[g] = -signs[g]
                self.event("branch switch", f"group {'AB'[g]} passes through zero length: eps flips to {signs[g]:+d}")
                self.mode, self.tangent = (self.mode[0], tuple(signs)), None

    def record(self) -> None:
        pa, pb = (u * l for u, l in zip(self.units_of(self.mode, self.x), self.lengths))
        self.rows.append((self.t, *self.lengths, pa[1], pb[1], abs(pa[0]), abs(pb[0]), self.x[0]))

    def path(self) -> MiscidynamicPath:
        arr = np.array(self.rows)
        if not np.all(np.isfinite(arr[:, :7])):  # never hand back a path with NaNs in it
            raise SolverError("the miscidynamic path produced non-finite values", Status.NON_FINITE)
        done = self.message == "reached t_end"
        return MiscidynamicPath(t=arr[:, 0], length=arr[:, 1:3], b_component=arr[:, 3:5], transverse=arr[:, 5:7],
                                omega=arr[:, 7], branch=self.mode,
                                status=Status.SUCCESSFUL if done else self.failure,
                                message=self.message, events=tuple(self.events))
