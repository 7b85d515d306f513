"""Flavor algebra: PMNS matrix, mass spectra, SU(2)/SU(3) bases and Bloch vectors.

Conventions (used by every capability)
--------------------------------------
* Mixing: flavor states |nu_alpha> = sum_i U*_{alpha i} |nu_i>, with U in the PDG
  parametrization (PDG 2024 review "Neutrino masses, mixing and oscillations", eq. 14.34),
  U = R23 U13(delta) R12 P, P = diag(1, e^{i alpha21/2}, e^{i alpha31/2}).
* Generators: the Pauli matrices (n = 2) and the Gell-Mann matrices (n = 3), normalized as
  tr(lambda_a lambda_b) = 2 delta_ab.
* Bloch (polarization) vector of an n x n Hermitian matrix rho:
  ``P_a = tr(rho lambda_a)``, so that ``rho = (tr rho / n) 1 + (1/2) sum_a P_a lambda_a``.
  For two flavors and tr rho = 1 this is the familiar rho = (1 + P . sigma)/2, with |P| <= 1
  for a physical (positive) state and |P| = 1 for a pure one.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from nupair import constants as const
from nupair import validation as _v

__all__ = [
    "pmns",
    "pmns_from_fit",
    "masses_from_lightest",
    "pauli_matrices",
    "gell_mann_matrices",
    "su_generators",
    "density_to_bloch",
    "bloch_to_density",
]


def pmns(
    theta12: ArrayLike,
    theta13: ArrayLike,
    theta23: ArrayLike,
    delta: ArrayLike = 0.0,
    alpha21: ArrayLike = 0.0,
    alpha31: ArrayLike = 0.0,
) -> NDArray[np.complex128]:
    """PMNS mixing matrix U_{alpha i} in the PDG parametrization (angles and phases in radians).

    Parameters
    ----------
    theta12, theta13, theta23 : float or array
        Mixing angles [rad]. Arrays broadcast against each other.
    delta : float or array
        Dirac CP phase [rad].
    alpha21, alpha31 : float or array
        Majorana phases [rad] (enter only Majorana-sensitive observables).

    Returns
    -------
    ndarray, shape (..., 3, 3), complex
        Rows are flavors (e, mu, tau), columns mass eigenstates (1, 2, 3). Unitary for any real
        input.

    Notes
    -----
    PDG 2024, "Neutrino masses, mixing and oscillations", eq. (14.34); spec renp.md section 3.1:

    .. math::
        U = R_{23}\\, U_{13}(\\delta)\\, R_{12}\\, \\mathrm{diag}(1, e^{i\\alpha_{21}/2},
            e^{i\\alpha_{31}/2}).
    """
    t12, t13, t23, d, a21, a31 = np.broadcast_arrays(
        *(_v.finite_array(n, v) for n, v in [("theta12", theta12), ("theta13", theta13),
                                      ("theta23", theta23), ("delta", delta),
                                      ("alpha21", alpha21), ("alpha31", alpha31)])
    )
    s12, c12 = np.sin(t12), np.cos(t12)
    s13, c13 = np.sin(t13), np.cos(t13)
    s23, c23 = np.sin(t23), np.cos(t23)
    eid = np.exp(1j * d)
    u = np.empty(t12.shape + (3, 3), dtype=complex)
    u[..., 0, 0] = c12 * c13
    u[..., 0, 1] = s12 * c13
    u[..., 0, 2] = s13 / eid
    u[..., 1, 0] = -s12 * c23 - c12 * s23 * s13 * eid
    u[..., 1, 1] = c12 * c23 - s12 * s23 * s13 * eid
    u[..., 1, 2] = s23 * c13
    u[..., 2, 0] = s12 * s23 - c12 * c23 * s13 * eid
    u[..., 2, 1] = -c12 * s23 - s12 * c23 * s13 * eid
    u[..., 2, 2] = c23 * c13
    u[..., :, 1] *= np.exp(0.5j * a21)[..., None]
    u[..., :, 2] *= np.exp(0.5j * a31)[..., None]
    return u


def pmns_from_fit(
    ordering: str = "normal",
    fit: str = "nufit-6.0",
    majorana_phases: tuple[float, float] = (0.0, 0.0),
) -> NDArray[np.complex128]:
    """PMNS matrix (3, 3) at the best fit of a named global fit (see ``constants``).

    ``majorana_phases`` = (alpha21, alpha31) in radians.
    """
    p = const.oscillation_parameters(ordering, fit)
    return pmns(p.theta12, p.theta13, p.theta23, p.delta_cp, *majorana_phases)


def masses_from_lightest(
    lightest_mass_eV: float,
    ordering: str = "normal",
    fit: str = "nufit-6.0",
) -> NDArray[np.float64]:
    """Neutrino masses (m1, m2, m3) [eV] from the lightest mass and the ordering.

    Parameters
    ----------
    lightest_mass_eV : float
        m1 for normal ordering, m3 for inverted ordering [eV], >= 0.
    ordering : {"normal", "inverted"}
    fit : str
        Global fit providing Delta m^2_21 and Delta m^2_3l (``constants.oscillation_parameters``).

    Returns
    -------
    ndarray, shape (3,)
        (m1, m2, m3) in eV.

    Notes
    -----
    Spec renp.md section 3.3. NO: m2 = sqrt(m1^2 + Dm21), m3 = sqrt(m1^2 + Dm31);
    IO (NuFIT gives Dm3l = Dm32 < 0): m2 = sqrt(m3^2 - Dm32), m1 = sqrt(m2^2 - Dm21).
    """
    m0 = float(_v.finite_array("lightest_mass_eV", lightest_mass_eV))
    if m0 < 0:
        raise ValueError(_v.refused(f"lightest_mass_eV={m0!r}", "must be >= 0"))
    p = const.oscillation_parameters(ordering, fit)
    if ordering == "normal":
        return np.array([m0, np.sqrt(m0**2 + p.dm2_21_eV2), np.sqrt(m0**2 + p.dm2_3l_eV2)])
    m2 = np.sqrt(m0**2 - p.dm2_3l_eV2)
    m1 = np.sqrt(m2**2 - p.dm2_21_eV2)
    return np.array([m1, m2, m0])


def pauli_matrices() -> NDArray[np.complex128]:
    """The three Pauli matrices, shape (3, 2, 2), with tr(s_a s_b) = 2 delta_ab."""
    return np.array(
        [[[0, 1], [1, 0]], [[0, -1j], [1j, 0]], [[1, 0], [0, -1]]], dtype=complex
    )


def gell_mann_matrices() -> NDArray[np.complex128]:
    """The eight Gell-Mann matrices, shape (8, 3, 3), with tr(l_a l_b) = 2 delta_ab."""
    lam = np.zeros((8, 3, 3), dtype=complex)
    lam[0, 0, 1] = lam[0, 1, 0] = 1
    lam[1, 0, 1], lam[1, 1, 0] = -1j, 1j
    lam[2, 0, 0], lam[2, 1, 1] = 1, -1
    lam[3, 0, 2] = lam[3, 2, 0] = 1
    lam[4, 0, 2], lam[4, 2, 0] = -1j, 1j
    lam[5, 1, 2] = lam[5, 2, 1] = 1
    lam[6, 1, 2], lam[6, 2, 1] = -1j, 1j
    lam[7] = np.diag([1, 1, -2]) / np.sqrt(3)
    return lam


def su_generators(n_flavor: int) -> NDArray[np.complex128]:
    """Generators of SU(n) for n = 2 (Pauli) or 3 (Gell-Mann), shape (n^2 - 1, n, n)."""
    if n_flavor == 2:
        return pauli_matrices()
    if n_flavor == 3:
        return gell_mann_matrices()
    raise ValueError(_v.refused(f"n_flavor={n_flavor!r}", "must be 2 or 3"))


def density_to_bloch(rho: ArrayLike) -> NDArray[np.float64]:
    """Bloch vector P_a = tr(rho lambda_a) of Hermitian matrices rho (dimensionless).

    Parameters
    ----------
    rho : array, shape (..., n, n), n = 2 or 3
        Hermitian matrices (density matrices or Hamiltonians).

    Returns
    -------
    ndarray, shape (..., n^2 - 1)
        Real Bloch vector; rho = (tr rho/n) 1 + (1/2) P . lambda.
    """
    rho = np.asarray(rho)
    if rho.ndim < 2 or rho.shape[-1] != rho.shape[-2]:
        raise ValueError(f"rho has shape {rho.shape}: must be (..., n, n) with n = 2 or 3")
    lam = su_generators(rho.shape[-1])
    # tr(rho lambda_a) = sum_ij rho_ij lambda_a,ji
    return np.einsum("...ij,aji->...a", rho, lam).real


def bloch_to_density(bloch: ArrayLike, trace: ArrayLike = 1.0) -> NDArray[np.complex128]:
    """Hermitian matrix rho = (trace/n) 1 + (1/2) P . lambda from its Bloch vector.

    Parameters
    ----------
    bloch : array, shape (..., 3) for n = 2 or (..., 8) for n = 3
    trace : float or array broadcasting against bloch[..., 0]

    Returns
    -------
    ndarray, shape (..., n, n), complex
    """
    bloch = _v.finite_array("bloch", bloch)
    dim = bloch.shape[-1] if bloch.ndim else 0
    n = {3: 2, 8: 3}.get(dim)
    if n is None:
        raise ValueError(f"bloch has last dimension {dim}: must be 3 (two flavors) or 8 (three)")
    lam = su_generators(n)
    tr = np.asarray(trace, dtype=float)[..., None, None]
    return tr * np.eye(n) / n + 0.5 * np.einsum("...a,aij->...ij", bloch, lam)
