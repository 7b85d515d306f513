"""RENP photon spectrum: thresholds, phase space, the spectral function I(omega).

Spec ``shared/spec/renp.md`` sections 1-4 (Dinh, Petcov, Sasao, Tanaka & Yoshimura, PLB 719 (2013)
154, arXiv:1209.4808 [DPSTY]; Huang, Sasao, Xing & Yoshimura, IJMPA 35 (2020) 2050004 [H20];
Ge & Pasquini [GP22]). Energies and masses in eV; omega is the photon (trigger) energy.

    I(omega) = sum_{i,j} Delta_ij / (E_vg - omega)^2 Theta(omega_ij - omega)
               [ |a_ij|^2 I_ij(omega) - delta_M Re(a_ij^2) m_i m_j ]          (spec 2.2)

with Q2 = E_eg (E_eg - 2 omega) (spec 1.2), Delta_ij = lambda^{1/2}(Q2, m_i^2, m_j^2) / Q2,
I_ij the V-A pair tensor averaged over the pair phase space (spec 2.2; it equals
< E_1 E_2 - p_1 . p_2 / 3 > in the atom frame, checked numerically in the tests), and
a_ij = N_ei^* N_ej - (1/2)(N^dagger N)_ij (spec 2.3, 4.1).
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair import flavor
from nupair.renp.atoms import Atom, get_atom
from nupair.renp.dipole import DipoleMoments
from nupair.renp.kinematics import (
    _kinematics,
    _masses,
    _omega,
    kinematic_function,
    pair_invariant,
    phase_space_factor,
    thresholds,
)
from nupair.renp.mediators import Scalar, ZPrime
from nupair import validation as _v

__all__ = [
    "pair_invariant",
    "thresholds",
    "phase_space_factor",
    "kinematic_function",
    "coupling_matrix",
    "nonunitary_mixing",
    "resolve_masses",
    "resolve_mixing",
    "threshold_table",
    "spectral_function",
    "spectrum",
]

_ORDERINGS = ("normal", "inverted")
_NATURES = ("dirac", "majorana")


def coupling_matrix(mixing: ArrayLike) -> NDArray[np.complex128]:
    """a_ij = N_ei^* N_ej - (1/2) (N^dagger N)_ij (spec 2.3 and 4.1), shape (3, 3).

    For unitary N = U: |a_ii|^2 = (|U_ei|^2 - 1/2)^2, |a_ij|^2 = |U_ei|^2 |U_ej|^2 (i != j)."""
    n = np.asarray(mixing, dtype=complex)
    return np.outer(np.conj(n[0]), n[0]) - 0.5 * (n.conj().T @ n)


def nonunitary_mixing(alpha: ArrayLike, u: ArrayLike) -> NDArray[np.complex128]:
    """N = (1 - alpha) U with alpha lower triangular (real diagonal) (spec 4.1, [H20]).

    Raises if alpha is not lower triangular or N has a singular value > 1 (N must be a
    contraction: it is a block of a unitary matrix)."""
    a = np.asarray(alpha, dtype=complex)
    if a.shape != (3, 3) or not np.all(np.isfinite(a)):
        raise ValueError(f"non_unitarity must be a finite (3, 3) lower-triangular matrix; got shape {a.shape}")
    if np.any(np.abs(np.triu(a, 1)) > 0):
        raise ValueError(_v.refused("non_unitarity", "alpha must be lower triangular (alpha_e_mu = alpha_e_tau = "
                         "alpha_mu_tau = 0)"))
    if np.any(np.abs(np.diag(a).imag) > 0):
        raise ValueError(_v.refused("non_unitarity", "the diagonal alpha_ee, alpha_mumu, alpha_tautau must be real"))
    n = (np.eye(3) - a) @ np.asarray(u, dtype=complex)
    _check_contraction(n, "non_unitarity")
    return n


def _check_contraction(n: NDArray, name: str) -> None:
    s = np.linalg.svd(n, compute_uv=False)
    if s.max() > 1 + 1e-9:
        raise ValueError(f"{name} gives a mixing matrix with singular value {s.max():.12g} > 1: not allowed "
                         "(the light-neutrino block of a unitary matrix has singular values <= 1)")


def resolve_masses(masses_eV=None, lightest_mass_eV=None, ordering: str = "normal", fit: str = "nufit-6.0") -> NDArray:
    """(m1, m2, m3) [eV]: given, or from the lightest mass (default 0) and the ordering (spec 3.3)."""
    _v.one_of("ordering", ordering, _ORDERINGS)
    if masses_eV is not None and lightest_mass_eV is not None:
        raise ValueError("give either masses_eV or lightest_mass_eV, not both")
    if masses_eV is not None:
        return _masses(masses_eV)
    m0 = 0.0 if lightest_mass_eV is None else _v.non_negative("lightest_mass_eV", lightest_mass_eV, "eV")
    return flavor.masses_from_lightest(m0, ordering, fit)


def threshold_table(lightest_masses_eV: ArrayLike, ordering: str = "normal", atom: Atom | str = "Yb"
                    ) -> tuple[tuple[str, ...], NDArray]:
    """The six thresholds omega_ij [eV] (spec 1.3) for each lightest mass.

    Returns ``(channels, table)``: channel labels "11", "12", ... (1-based, i <= j) and an array
    of shape (n_masses, 6) with the thresholds of :func:`thresholds` for the masses of
    :func:`resolve_masses` (``ordering``, default oscillation fit).
    """
    rows = [thresholds(resolve_masses(lightest_mass_eV=float(m0), ordering=ordering), atom)
            for m0 in np.atleast_1d(_v.finite_array("lightest_masses_eV", lightest_masses_eV, "eV", low=0.0))]
    channels = tuple(f"{i}{j}" for i, j in rows[0]) if rows else ()
    return channels, np.array([list(r.values()) for r in rows])


def resolve_mixing(mixing=None, ordering: str = "normal", fit: str = "nufit-6.0",
                   majorana_phases=(0.0, 0.0), non_unitarity=None) -> NDArray[np.complex128]:
    """The light-neutrino mixing N (3, 3): the fit's PMNS (with Majorana phases) or a given matrix
    (times diag(1, e^{i alpha21/2}, e^{i alpha31/2})), optionally made non-unitary (spec 3.1, 4.1)."""
    phases = tuple(float(p) for p in majorana_phases)
    if len(phases) != 2 or not all(math.isfinite(p) for p in phases):
        raise ValueError(_v.refused(f"majorana_phases={majorana_phases!r}", "two finite angles (alpha21, alpha31) [rad]"))
    if mixing is None:
        u = flavor.pmns_from_fit(ordering, fit, phases)
    else:
        u = np.asarray(mixing, dtype=complex)
        if u.shape != (3, 3) or not np.all(np.isfinite(u)):
            raise ValueError(f"mixing must be a finite (3, 3) matrix (rows e, mu, tau; columns 1, 2, 3); got shape {u.shape}")
        _check_contraction(u, "mixing")
        u = u * np.exp(0.5j * np.array([0.0, phases[0], phases[1]]))[None, :]
    return u if non_unitarity is None else nonunitary_mixing(non_unitarity, u)


def spectral_function(omega_eV: NDArray, masses_eV: NDArray, a: NDArray, majorana: bool, atom: Atom,
                      mediator: ZPrime | Scalar | DipoleMoments | None = None) -> NDArray:
    """Channel contributions (3, 3, n) of I(omega) (ordered pairs; dimensionless). Inputs validated.

    SM and Z' (spec 4.2): Delta/(E_vg - omega)^2 Theta [(|aL|^2 + |aR|^2 - 2 d_M Re(aL aR)) I_ij
    - (d_M Re(aL^2 + aR^2) - 2 Re(aL^* aR)) m_i m_j]; with aL = a, aR = 0 this is spec 2.2.
    Scalar (spec 4.3): the SM bracket plus dI_ij. DipoleMoments (spec 4.4, derived in
    :mod:`nupair.renp.dipole`): the SM bracket plus the photon-mediated delta I^EM_ij.
    """
    w = omega_eV
    m = masses_eV
    q2 = pair_invariant(w, atom)
    mi, mj = m[:, None, None], m[None, :, None]
    open_, delta, kin = _kinematics(w, q2, mi, mj, atom.E_eg_eV)
    d_m = 1.0 if majorana else 0.0
    if isinstance(mediator, ZPrime):
        dl, ar = mediator.shifts(q2)
        al = a[:, :, None] + dl
        bracket = ((np.abs(al) ** 2 + np.abs(ar) ** 2 - 2 * d_m * np.real(al * ar)) * kin
                   - (d_m * np.real(al**2 + ar**2) - 2 * np.real(np.conj(al) * ar)) * mi * mj)
    else:
        a3 = a[:, :, None]
        bracket = np.abs(a3) ** 2 * kin - d_m * np.real(a3**2) * mi * mj
        if isinstance(mediator, (Scalar, DipoleMoments)):
            bracket = bracket + mediator.delta_bracket(w, q2, m, a, majorana)
    return np.where(open_, delta * bracket / (atom.E_vg_eV - w) ** 2, 0.0)


def spectrum(omega_eV: ArrayLike, *, masses_eV: ArrayLike | None = None, lightest_mass_eV: float | None = None,
             ordering: str = "normal", nature: str = "dirac", majorana_phases=(0.0, 0.0), atom: Atom | str = "Yb",
             mixing: ArrayLike | None = None, channels: bool = False, fit: str = "nufit-6.0",
             non_unitarity: ArrayLike | None = None, mediator: ZPrime | Scalar | DipoleMoments | None = None):
    """Dimensionless RENP spectral function I(omega) (spec 2.2; [DPSTY] eqs. (1)-(3)).

    Parameters
    ----------
    omega_eV : float or array (n,)
        Photon (trigger) energies [eV], > 0. Above the kinematic end point of every channel
        (omega > max omega_ij, in particular omega >= E_eg/2) the spectrum is exactly 0.
    masses_eV : (3,), optional
        (m1, m2, m3) [eV]; or give ``lightest_mass_eV`` and ``ordering`` (NuFIT 6.0 splittings,
        ``fit`` to choose another table). Neither: lightest mass 0.
    nature : {"dirac", "majorana"}
        Majorana adds the interference term -Re(a_ij^2) m_i m_j.
    majorana_phases : (alpha21, alpha31) [rad]
        PDG Majorana phases; they enter only through Re(a_ij^2), i.e. only for Majorana.
    atom : str or Atom
        Level scheme (``nupair.renp.ATOMS``).
    mixing : (3, 3), optional
        Mixing matrix (default: the fit's PMNS for ``ordering``); singular values must be <= 1.
    non_unitarity : (3, 3), optional
        Lower-triangular alpha of N = (1 - alpha) U ([H20], spec 4.1).
    mediator : ZPrime, Scalar or DipoleMoments, optional
        Light mediator (spec 4.2, 4.3), or neutrino transition dipole moments (spec 4.4: the photon
        as the mediator; its ``nature`` must equal ``nature``).
    channels : bool
        Also return the six channel parts {(i, j): array}, i <= j (ij and ji summed).
    fit : {"nufit-6.0", "nufit-5.2"}
        Oscillation parameters. Default: NuFIT 6.0, the column "IC24 with SK atmospheric data"
        (``nupair.constants.NUFIT_6_0``); "nufit-5.2" is the 2022 table with SK atmospheric data
        (``NUFIT_5_2``), the one the worked threshold numbers of Dinh et al.-style checks use.

    Returns
    -------
    I : ndarray like omega (dimensionless), or (I, parts) if ``channels``.
    """
    _v.one_of("nature", nature, _NATURES)
    at = get_atom(atom)
    w = _omega(omega_eV)
    m = resolve_masses(masses_eV, lightest_mass_eV, ordering, fit)
    n = resolve_mixing(mixing, ordering, fit, majorana_phases, non_unitarity)
    if mediator is not None and not isinstance(mediator, (ZPrime, Scalar, DipoleMoments)):
        raise ValueError(_v.refused(f"mediator={mediator!r}", "a nupair.renp.ZPrime, nupair.renp.Scalar "
                         "or nupair.renp.DipoleMoments"))
    flat = w.reshape(-1)
    parts = spectral_function(flat, m, coupling_matrix(n), nature == "majorana", at, mediator)
    total = parts.sum(axis=(0, 1)).reshape(w.shape)
    if not channels:
        return total
    six = {}
    for i in range(3):
        for j in range(i, 3):
            p = parts[i, j] if i == j else parts[i, j] + parts[j, i]
            six[(i + 1, j + 1)] = p.reshape(w.shape)
    return total, six
