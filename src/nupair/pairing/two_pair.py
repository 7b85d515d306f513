"""Two-pair toy model of collective neutrino-antineutrino pair oscillations.

Huang & Wu, "Collective neutrino-antineutrino pair oscillations", arXiv:2604.25687 (HW),
eqs. (8)-(16); spec ``shared/spec/pairing.md`` section 4.

Two monochromatic pair modes of equal energy E: a neutrino along +x with its antineutrino along
-x (mode "x"), and a neutrino along +z with its antineutrino along -z (mode "z"). Each mode holds
the neutrino occupation rho, the antineutrino occupation rhobar and the complex pairing
correlation kappa. The coupling mu = g DeltaV_p (energy units) sets the interaction strength.

State vector (real, shape ``(8,)`` or ``(8, k)`` for k independent systems)::

    y = (rho_x, rhobar_x, rho_z, rhobar_z, Re kappa_x, Im kappa_x, Re kappa_z, Im kappa_z)

Times are in the inverse units of ``mu`` and ``energy`` (pass mu = 1 to measure t in 1/mu).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair import constants as const
from nupair import validation as _v

__all__ = [
    "STATE_LABELS",
    "two_pair_initial_state",
    "two_pair_rhs",
    "two_pair_source",
    "two_pair_stability_matrix",
    "two_pair_eigenvalues",
    "two_pair_growth_rate",
    "two_pair_growth_rate_approx",
    "two_pair_linear_fixed_point",
    "two_pair_fixed_point",
    "two_pair_jacobian",
    "two_pair_growth_rate_full",
    "two_pair_invariants",
    "TwoPairInvariants",
    "mu_from_number_density",
    "mu_eV_from_number_density",
]

#: Names of the 8 real state components of the two-pair model, in order (HW eqs. 8-11).
STATE_LABELS = (
    "rho_x",
    "rhobar_x",
    "rho_z",
    "rhobar_z",
    "re_kappa_x",
    "im_kappa_x",
    "re_kappa_z",
    "im_kappa_z",
)


def _occupations(rho_x, rhobar_x, rho_z, rhobar_z) -> list[float]:
    """The four occupations, each a number in [0, 1]."""
    return [_v.in_range(n, v, 0.0, 1.0)
            for n, v in [("rho_x", rho_x), ("rhobar_x", rhobar_x), ("rho_z", rho_z), ("rhobar_z", rhobar_z)]]


def _finite_complex(name: str, value) -> complex:
    """``value`` as a finite complex number (strings and None refused)."""
    _v.require(isinstance(value, (int, float, complex, np.number)) and not isinstance(value, (bool, np.bool_)),
               name, repr(value), "must be a (complex) number")
    k = complex(value)
    _v.require(math.isfinite(k.real) and math.isfinite(k.imag), name, repr(k), "must be a finite complex number")
    return k


def two_pair_initial_state(
    rho_x: float,
    rhobar_x: float,
    rho_z: float,
    rhobar_z: float,
    kappa_x: complex = 0.0,
    kappa_z: complex = 0.0,
) -> NDArray[np.float64]:
    """State vector y, shape (8,), from occupations (in [0, 1]) and pairing correlations.

    |kappa|^2 <= rho (1 - rhobar) is required for R_p to be a physical generalized density
    matrix (HW eq. 2: eigenvalues of R_p in [0, 1]); it is not enforced here because the
    paper's seeds of order 1e-5 on empty modes break it harmlessly.
    """
    occ = _occupations(rho_x, rhobar_x, rho_z, rhobar_z)
    kx, kz = _finite_complex("kappa_x", kappa_x), _finite_complex("kappa_z", kappa_z)
    return np.array(occ + [kx.real, kx.imag, kz.real, kz.imag])


def two_pair_rhs(t: float, y: ArrayLike, mu: float, energy: float) -> NDArray[np.float64]:
    """Right-hand side dy/dt of the two-pair equations of motion (units of mu, energy).

    Parameters
    ----------
    t : float
        Time (unused: the system is autonomous; present for ``solve_ivp``).
    y : array, shape (8,) or (8, k)
        State vector(s), see the module docstring.
    mu : float
        Pair coupling mu = g DeltaV_p (same energy unit as ``energy``).
    energy : float
        Neutrino energy E.

    Returns
    -------
    ndarray, shape of y
        dy/dt.

    Notes
    -----
    HW eqs. (8)-(11) (spec pairing.md section 4), with rt = rho + rhobar:

    .. math::
        \\dot\\rho_x = \\dot{\\bar\\rho}_x
          = -4\\mu\\,\\mathrm{Im}[\\tilde\\rho_z\\kappa_x + \\kappa_z\\kappa_x^* + \\kappa_z\\kappa_x]

        i\\dot\\kappa_x = 2[E - 2\\mu\\tilde\\rho_x - 2\\mu(\\kappa_z + \\kappa_z^*)]\\kappa_x
          - 2\\mu[\\tilde\\rho_z - 2\\kappa_x - \\kappa_z + \\kappa_z^*](\\tilde\\rho_x - 1)

    and the z equations (10)-(11) with x <-> z and the signs of the paper. Written out in real
    and imaginary parts (kappa_x = a + ib, kappa_z = c + id) so that the same arithmetic serves
    one system (Python floats: fast for ``solve_ivp``) and many (NumPy rows).
    """
    y = np.asarray(y, dtype=float)
    if y.shape[:1] != (8,):
        raise ValueError(f"y has shape {y.shape}: must be (8,) or (8, k)")
    rx, bx, rz, bz, a, b, c, d = y.tolist() if y.ndim == 1 else y
    rtx = rx + bx
    rtz = rz + bz
    # Eq. (8), (10): Im[rt_z kx + kz (kx* + kx)] = rt_z b + 2 a d ; Im[rt_x kz - kx(kz* + kz)] = rt_x d - 2 c b
    drho_x = -4.0 * mu * (rtz * b + 2.0 * a * d)
    drho_z = 4.0 * mu * (rtx * d - 2.0 * c * b)
    # Eq. (9): i dkx/dt = wx kx - 2 mu (rt_x - 1) [rt_z - 2 kx - 2 i d]
    wx = 2.0 * (energy - 2.0 * mu * rtx - 4.0 * mu * c)
    sx = 2.0 * mu * (rtx - 1.0)
    fx_re = wx * a - sx * (rtz - 2.0 * a)  # real part of the right side of eq. (9)
    fx_im = wx * b - sx * (-2.0 * b - 2.0 * d)  # imaginary part
    # Eq. (11): i dkz/dt = wz kz - 2 mu (rt_z - 1) [-rt_x - 2 kz - 2 i b]
    wz = 2.0 * (energy - 2.0 * mu * rtz + 4.0 * mu * a)
    sz = 2.0 * mu * (rtz - 1.0)
    fz_re = wz * c - sz * (-rtx - 2.0 * c)
    fz_im = wz * d - sz * (-2.0 * d - 2.0 * b)
    # d kappa/dt = -i (f_re + i f_im) = f_im - i f_re
    return np.array([drho_x, drho_x, drho_z, drho_z, fx_im, -fx_re, fz_im, -fz_re])


def two_pair_stability_matrix(
    rho_x: float, rhobar_x: float, rho_z: float, rhobar_z: float, mu: float, energy: float
) -> NDArray[np.float64]:
    """Linearized two-pair matrix M (4, 4) acting on (Re kx, Im kx, Re kz, Im kz) [units of mu].

    Notes
    -----
    HW eq. (14), exact (spec pairing.md section 4.1): with Et = E - 2 mu (the pair's own
    self-interaction is kept; no E >> mu approximation) and rt = rho + rhobar frozen,

    .. math::
        M = \\begin{pmatrix} 0 & 2\\tilde E & 0 & 4\\mu(\\tilde\\rho_x-1) \\\\
                             -2\\tilde E & 0 & 0 & 0 \\\\
                             0 & 4\\mu(\\tilde\\rho_z-1) & 0 & 2\\tilde E \\\\
                             0 & 0 & -2\\tilde E & 0 \\end{pmatrix}.

    The linearized system is d kvec/dt = M kvec + c (eq. 12) with source c of eq. (13).
    """
    occ = _occupations(rho_x, rhobar_x, rho_z, rhobar_z)
    mu = _v.positive("mu", mu)
    energy = _v.positive("energy", energy)
    rtx, rtz = occ[0] + occ[1], occ[2] + occ[3]
    et = energy - 2.0 * mu
    return np.array(
        [
            [0.0, 2.0 * et, 0.0, 4.0 * mu * (rtx - 1.0)],
            [-2.0 * et, 0.0, 0.0, 0.0],
            [0.0, 4.0 * mu * (rtz - 1.0), 0.0, 2.0 * et],
            [0.0, 0.0, -2.0 * et, 0.0],
        ]
    )


def two_pair_source(
    rho_x: float, rhobar_x: float, rho_z: float, rhobar_z: float, mu: float
) -> NDArray[np.float64]:
    """Source vector c (4,) of the linearized equations, HW eq. (13) [units of mu].

    c = mu (0, 2 rt_z (rt_x - 1), 0, -2 rt_x (rt_z - 1)).
    """
    rx, rbx, rz, rbz = _occupations(rho_x, rhobar_x, rho_z, rhobar_z)
    mu = _v.positive("mu", mu)
    rtx, rtz = rx + rbx, rz + rbz
    return mu * np.array([0.0, 2.0 * rtz * (rtx - 1.0), 0.0, -2.0 * rtx * (rtz - 1.0)])


def two_pair_eigenvalues(
    rho_x: float, rhobar_x: float, rho_z: float, rhobar_z: float, mu: float, energy: float
) -> NDArray[np.complex128]:
    """Closed-form eigenvalues (4,) of M, HW eq. (15), sorted by decreasing real part.

    lambda = +-2 sqrt(-Et^2 +- 2 mu sqrt(Et^2 (rt_x - 1)(rt_z - 1))), Et = E - 2 mu.
    Computed in complex arithmetic so that both signs of (rt_x - 1)(rt_z - 1) are covered.
    """
    m = two_pair_stability_matrix(rho_x, rhobar_x, rho_z, rhobar_z, mu, energy)
    et = m[0, 1] / 2.0
    prod = (rho_x + rhobar_x - 1.0) * (rho_z + rhobar_z - 1.0)
    inner = np.sqrt(complex(et * et * prod))
    vals = []
    for s_in in (+1.0, -1.0):
        root = 2.0 * np.sqrt(-et * et + s_in * 2.0 * mu * inner)
        vals.extend([root, -root])
    vals = np.array(vals, dtype=complex)
    return vals[np.argsort(-vals.real, kind="stable")]


def two_pair_growth_rate(
    rho_x: float, rhobar_x: float, rho_z: float, rhobar_z: float, mu: float, energy: float
) -> float:
    """Largest real part of the eigenvalues of M (eq. 14), in the units of ``mu``.

    Zero (to round-off) when the two excessive pair-occupation numbers rt - 1 have equal sign;
    positive (an instability) when they have opposite signs (HW eq. 15-16).
    """
    m = two_pair_stability_matrix(rho_x, rhobar_x, rho_z, rhobar_z, mu, energy)
    return float(np.max(np.linalg.eigvals(m).real))


def two_pair_growth_rate_approx(
    rho_x: float, rhobar_x: float, rho_z: float, rhobar_z: float, mu: float
) -> float:
    """E >> mu growth rate, HW eq. (16): 2 mu sqrt(|(rt_x - 1)(rt_z - 1)|) if EPNs cross, else 0."""
    rho_x, rhobar_x, rho_z, rhobar_z = _occupations(rho_x, rhobar_x, rho_z, rhobar_z)
    mu = _v.positive("mu", mu)
    prod = (rho_x + rhobar_x - 1.0) * (rho_z + rhobar_z - 1.0)
    return 2.0 * mu * math.sqrt(-prod) if prod < 0 else 0.0


def two_pair_linear_fixed_point(
    rho_x: float, rhobar_x: float, rho_z: float, rhobar_z: float, mu: float, energy: float
) -> tuple[complex, complex]:
    """Stationary point (kappa_x, kappa_z) = -M^-1 c of the linearized system (eqs. 12-14).

    The source c drives kappa to this fixed point (amplitude ~ mu/E); the unstable solution of
    the linear problem started from kappa = 0 is kappa(t) = e^{Mt} M^-1 c - M^-1 c, so
    ``kappa - fixed_point`` is a pure sum of eigenmodes (spec section 6, practical notes).
    """
    m = two_pair_stability_matrix(rho_x, rhobar_x, rho_z, rhobar_z, mu, energy)
    k = -np.linalg.solve(m, two_pair_source(rho_x, rhobar_x, rho_z, rhobar_z, mu))
    return complex(k[0], k[1]), complex(k[2], k[3])


def two_pair_fixed_point(
    rho_x: float, rhobar_x: float, rho_z: float, rhobar_z: float, mu: float, energy: float
) -> NDArray[np.float64]:
    """The exact stationary state y* (8,) of the nonlinear eqs. (8)-(11) next to the source term.

    The occupations are those given; kappa* solves the kappa equations with their quadratic terms
    kept (:func:`two_pair_linear_fixed_point` drops them). At kappa* both Im kappa vanish: the
    imaginary parts of eqs. (9), (11) are homogeneous in (Im kx, Im kz), so that eqs. (8), (10)
    give d rho/dt = 0 and y* is a fixed point of the whole system, not only of the kappa block.
    With b = d = 0 the real parts read [derived here from HW eqs. 9, 11]

        2 (E - 2 mu rt_x - 4 mu c) a - 2 mu (rt_x - 1)(rt_z - 2 a) = 0,
        2 (E - 2 mu rt_z + 4 mu a) c + 2 mu (rt_z - 1)(rt_x + 2 c) = 0,

    solved by Newton's method from the linear fixed point (a, c) = Re kappa_fp.
    Raises :class:`~nupair.results.SolverError` if Newton does not converge (mu/E of order 1).
    """
    from nupair.results import SolverError, Status

    kx, kz = two_pair_linear_fixed_point(rho_x, rhobar_x, rho_z, rhobar_z, mu, energy)
    rtx, rtz = rho_x + rhobar_x, rho_z + rhobar_z
    a, c = kx.real, kz.real
    for _ in range(60):
        f1 = 2.0 * (energy - 2.0 * mu * rtx - 4.0 * mu * c) * a - 2.0 * mu * (rtx - 1.0) * (rtz - 2.0 * a)
        f2 = 2.0 * (energy - 2.0 * mu * rtz + 4.0 * mu * a) * c + 2.0 * mu * (rtz - 1.0) * (rtx + 2.0 * c)
        j11 = 2.0 * (energy - 2.0 * mu * rtx - 4.0 * mu * c) + 4.0 * mu * (rtx - 1.0)
        j12, j21 = -8.0 * mu * a, 8.0 * mu * c
        j22 = 2.0 * (energy - 2.0 * mu * rtz + 4.0 * mu * a) + 4.0 * mu * (rtz - 1.0)
        det = j11 * j22 - j12 * j21
        da, dc = (f1 * j22 - f2 * j12) / det, (j11 * f2 - j21 * f1) / det
        a, c = a - da, c - dc
        if abs(da) + abs(dc) <= 1e-15 * (abs(a) + abs(c) + 1e-300):
            return np.array([rho_x, rhobar_x, rho_z, rhobar_z, a, 0.0, c, 0.0])
    raise SolverError(f"the two-pair fixed point did not converge at mu/E = {mu / energy:.3g}", Status.MAX_ITERATIONS_REACHED)


def two_pair_jacobian(y: ArrayLike, mu: float, energy: float) -> NDArray[np.float64]:
    """Jacobian d(dy/dt)/dy (8, 8) of eqs. (8)-(11) at the state y (8,), occupations included.

    The right-hand side is a polynomial of degree two in y, so the central difference
    [f(y + e_j) - f(y - e_j)] / 2 with unit steps is its exact derivative (the cubic and higher
    Taylor terms it would miss are zero); only rounding, ~1e-16 |f|, enters.
    """
    y = _v.finite_array("y", y)
    _v.require(y.shape == (8,), "y", f"array of shape {y.shape}", "the 8 components of one state")
    mu = _v.positive("mu", mu)
    energy = _v.positive("energy", energy)
    steps = np.eye(8)
    plus = two_pair_rhs(0.0, (y[:, None] + steps), mu, energy)
    minus = two_pair_rhs(0.0, (y[:, None] - steps), mu, energy)
    return 0.5 * (plus - minus)


def two_pair_growth_rate_full(
    rho_x: float, rhobar_x: float, rho_z: float, rhobar_z: float, mu: float, energy: float
) -> float:
    """Largest Re lambda of the whole linearized two-pair system (occupations not frozen), in the
    units of ``mu``: the eigenvalues of :func:`two_pair_jacobian` at :func:`two_pair_fixed_point`.

    HW eq. (14) freezes rho and rhobar. But eqs. (8), (10) move them linearly in kappa
    (d rho_x/dt = -4 mu rt_z Im kappa_x + ...), and the source term of eqs. (9), (11) feeds them
    back at order mu. The slow occupations meet the kappa modes turning at 2E, so the rate
    shifts at relative order mu/E [derived here]: -0.40 % (case A) and -0.30 % (case B) of HW
    Fig. 1 at mu/E = 1e-3, -4.4 % and -3.4 % at mu/E = 1e-2. The nonlinear evolution grows at
    this rate, not at eq. (14)'s (tests/pairing/test_two_pair_run.py).
    """
    y = two_pair_fixed_point(rho_x, rhobar_x, rho_z, rhobar_z, mu, energy)
    return float(np.max(np.linalg.eigvals(two_pair_jacobian(y, mu, energy)).real))


@dataclass(frozen=True)
class TwoPairInvariants:
    """Conserved quantities of the two-pair model (spec pairing.md section 3.2).

    Attributes
    ----------
    lepton_x, lepton_z : ndarray
        rho - rhobar of each mode (invariant 1), dimensionless.
    bloch_norm2_x, bloch_norm2_z : ndarray
        |P_p|^2 = S_p^2 + 4 |kappa_p|^2 of each mode (invariant 2), dimensionless.
    energy : ndarray
        W = sum_p 2 mu E S_p - 2 |V|^2 (invariant 3), in units of mu^2 ... mu E.
    """

    lepton_x: NDArray[np.float64]
    lepton_z: NDArray[np.float64]
    bloch_norm2_x: NDArray[np.float64]
    bloch_norm2_z: NDArray[np.float64]
    energy: NDArray[np.float64]


def two_pair_invariants(y: ArrayLike, mu: float, energy: float) -> TwoPairInvariants:
    """Invariants 1-3 of spec section 3.2 for states y, shape (8,) or (8, n_t).

    Notes
    -----
    Moment form (spec section 2.1) for modes x (p_hat = x_hat, eps = -z_hat - i y_hat) and z
    (p_hat = z_hat, eps = x_hat - i y_hat), weights w = mu:
    V = N1 + K = mu (rt_x + 2 Re kz, 2 (Im kx + Im kz), rt_z - 2 Re kx), and
    W = sum_p 2 w E S_p - 2 |V|^2.
    """
    y = np.asarray(y, dtype=float)
    rx, bx, rz, bz, a, b, c, d = y
    sx, sz = rx + bx - 1.0, rz + bz - 1.0
    v = mu * np.array([rx + bx + 2.0 * c, 2.0 * (b + d), rz + bz - 2.0 * a])
    w_energy = 2.0 * mu * energy * (sx + sz) - 2.0 * np.sum(v * v, axis=0)
    return TwoPairInvariants(
        lepton_x=rx - bx,
        lepton_z=rz - bz,
        bloch_norm2_x=sx**2 + 4.0 * (a * a + b * b),
        bloch_norm2_z=sz**2 + 4.0 * (c * c + d * d),
        energy=w_energy,
    )


def mu_from_number_density(n_nu_per_cm3: float, rho0: float = 1.0) -> float:
    """Pair coupling mu [eV] of a beam with neutrino number density n [cm^-3].

    mu = g DeltaV_p = sqrt(2) G_F n_nu / rho0, since n_nu = rho0 DeltaV_p / (2 pi)^3 and
    g = sqrt(2) G_F / (2 pi)^3 (spec pairing.md section 4, "Physical scale"; HW below eq. 11).
    Example: n = 1e33 cm^-3, rho0 = 1 gives mu = 1.27e-4 eV.
    """
    n = _v.positive("n_nu_per_cm3", n_nu_per_cm3)
    r0 = _v.positive("rho0", rho0)
    return math.sqrt(2.0) * const.G_F * n / const.cm**3 / r0


def mu_eV_from_number_density(n_nu_per_cm3: float, rho0: float = 1.0) -> float:
    """Pair coupling mu [eV] from the neutrino number density [cm^-3]: the same as
    :func:`mu_from_number_density`, named with its unit (suffix convention of docs/conventions.md)."""
    return mu_from_number_density(n_nu_per_cm3, rho0)
