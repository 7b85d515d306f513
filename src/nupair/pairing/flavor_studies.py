"""One-call flavor studies: Emu's homogeneous fast-flavor test, and flavor vs pairing on one
distribution (``docs/flavor-pairing.md``, sections "Emu's test problems" and "Which grows faster").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nupair import constants as _c
from nupair import validation as _v
from nupair.numerics import JitDOP853
from nupair.pairing.flavor_model import FlavorEvolution, FlavorModel, FlavorStabilityResult
from nupair.pairing.flavor_qke import FlavorPairState
from nupair.pairing.grid import Grid
from nupair.pairing.linear import GROWTH_NOISE_FLOOR_MeV
from nupair.pairing.qke import PairingParams, hw_initial_state
from nupair.pairing.stability import growth_rates
from nupair.pairing.evolution import evolve
from nupair.results import Status, StatusMixin

__all__ = ["EmuFastFlavor", "emu_fast_flavor", "EmuFastFlavorK", "emu_fast_flavor_k", "FlavorInterplay", "flavor_interplay", "INTERPLAY_SETUPS",
           "interplay_setup"]

_S_PER_PER_MeV = _c.hbar_eV_s / _c.MeV  # 1 MeV^-1 in seconds


@dataclass(frozen=True)
class EmuFastFlavor(StatusMixin):
    """Emu's homogeneous fast-flavor two-beam test reproduced (:func:`emu_fast_flavor`).

    Attributes
    ----------
    growth_rate_per_s : float             mean of the four measured rates [s^-1]
    growth_rate_components_per_s : ndarray (4,)  from Re f01, Im f01, Re f01bar, Im f01bar [s^-1]
    growth_rate_analytic_per_s : float    Chakraborty et al. 2016 eq. 2.7 (a = 0, mu = V/2): V/hbar
    growth_rate_linear_per_s : float      nupair's stability matrix (F12)
    t_s : ndarray (n_t,)                  save times [s]
    f01_abs, f01bar_abs : ndarray (n_t,)  |rho_ex|, |rhobar_ex|
    rho_ee : ndarray (n_t,)               nu_e occupation
    i0, i1 : int                          the save indices the rate is measured between
    """

    growth_rate_per_s: float
    growth_rate_components_per_s: NDArray
    growth_rate_analytic_per_s: float
    growth_rate_linear_per_s: float
    t_s: NDArray
    f01_abs: NDArray
    f01bar_abs: NDArray
    rho_ee: NDArray
    i0: int
    i1: int
    energy_MeV: float
    status: Status = Status.SUCCESSFUL
    message: str = ""

    @property
    def relative_error(self) -> float:
        """|measured - analytic| / analytic, the quantity Emu's test holds below 2e-2."""
        return abs(self.growth_rate_per_s - self.growth_rate_analytic_per_s) / self.growth_rate_analytic_per_s


def emu_fast_flavor(energy_MeV: float = 50.0, dm2_eV2: float = 7.39e-5, theta_deg: float = 1e-6, *,
                    t_end_over_V: float = 24.0, n_save: int = 241) -> EmuFastFlavor:
    """Emu's ``Scripts/tests/fast_flavor_test.py`` set-up (``sample_inputs/inputs_fast_flavor``,
    generator ``st2_2beam_fast_flavor.py``) in nupair: one pair mode along +z carries nu_e at +z
    and nubar_e at -z, each of density n = V/(2 sqrt(2) G_F) (so sqrt(2) G_F n = V/2), with
    V = dm2/(2E); two flavors with nu_e mostly the heavier state (Emu: mass1 = -sqrt(dm2),
    mass2 = 0), theta12 = ``theta_deg``, pairing off (Emu's equations). The rate is measured as
    Emu does, ln(f(t1)/f(t0))/(t1 - t0) for the real and imaginary parts of f01 and f01bar, with
    t0, t1 four 1/V apart at the end of the linear phase (|f01| < 3e-2).

    ``energy_MeV`` [MeV], ``dm2_eV2`` = m_1^2 - m_2^2 > 0 [eV^2], ``theta_deg`` [degrees].
    """
    e = _v.in_range("energy_MeV", energy_MeV, 1e-9, 1e6, "MeV")
    dm2 = _v.in_range("dm2_eV2", dm2_eV2, 0.0, 1.0, "eV^2", low_open=True)
    th = np.deg2rad(_v.in_range("theta_deg", theta_deg, 0.0, 1e-3, "deg", low_open=True))
    t_end = _v.in_range("t_end_over_V", t_end_over_V, 12.0, 200.0, "1/V")
    n_save = _v.positive_int("n_save", n_save, 41, 100_000)
    v_MeV = dm2 * (_c.eV / _c.MeV) ** 2 / (2.0 * e)
    grid = Grid.from_modes([e], [0.0], [0.0], [1.0])
    params = PairingParams(v_MeV / 2.0)
    model = FlavorModel.two_flavor(-dm2, th, pairing=False)
    rho = np.zeros((1, 2, 2), complex)
    rho[0, 0, 0] = 1.0
    state = FlavorPairState(rho, rho.copy(), np.zeros((1, 2, 2)))
    linear = growth_rates(state, grid, params, model=model).max_growth_rate
    ev = evolve(state, grid, params, t_end / v_MeV, model=model, n_save=n_save)
    f01, f01bar = ev.modes_r[:, 0, 0, 1], ev.modes_r[:, 0, 2, 3]
    t_s = ev.t * _S_PER_PER_MeV
    nonlinear = np.flatnonzero(np.abs(f01) >= 3e-2)  # the linear phase ends here (corrections ~|f01|^2)
    i1 = int(nonlinear[0]) - 1 if nonlinear.size else f01.size - 1
    i0 = int(np.searchsorted(ev.t, ev.t[i1] - 4.0 / v_MeV))
    status, message = ev.status, ev.message
    if i1 - i0 < 4 or i0 <= 0:
        status, message = Status.NO_SOLUTION, "the run has no linear phase four 1/V long (raise t_end_over_V or theta_deg)"
        rates = np.full(4, np.nan)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            rates = np.array([np.log(s[i1] / s[i0]) for s in (f01.real, f01.imag, f01bar.real, f01bar.imag)]) \
                / (t_s[i1] - t_s[i0])
    return EmuFastFlavor(float(np.mean(rates)), rates, v_MeV / _S_PER_PER_MeV, linear / _S_PER_PER_MeV, t_s,
                         np.abs(f01), np.abs(f01bar), ev.modes_r[:, 0, 0, 0].real, i0, i1, e, status, message)


#: Set-ups of :func:`flavor_interplay`: HW's multi-pair grids with their nu_e distribution (nu_x
#: empty), and a nu_e / nubar_e two-beam with an ELN crossing and a vacuum term.
INTERPLAY_SETUPS = ("hw-1-1-4", "hw-1-8-8", "two-beam")


def interplay_setup(name: str, coupling_per_MeV2: float, *, seed=None, seed_amplitude: float = 1e-5,
                    flavor_seed_amplitude: float = 1e-5, e_max_MeV: float = 20.0):
    """(state, grid, params, model_with_pairing) of a named set-up (:data:`INTERPLAY_SETUPS`).

    ``hw-1-1-4``, ``hw-1-8-8``: HW's (N_E, N_theta, N_phi) grids (spec 5), nu_e with rho = rhobar
    = 0.9 in the first phi quadrant and 0.1 elsewhere, kappa_ee seeds uniform in
    [0, ``seed_amplitude``], nu_x empty, massless; flavor coherence seeded by a random rotation of
    size ``flavor_seed_amplitude``. ``two-beam``: one mode along +z (nu_e at +z, nubar_e at -z,
    E = e_max/2, Delta V = e_max^3) with a vacuum term omega = mu' = g e_max^3 for the nu_e-heavier
    ordering, theta = ``flavor_seed_amplitude`` rad: the bipolar two-beam instability at
    sqrt(4 omega mu' - omega^2) = sqrt(3) mu' (the same equations as Emu's test, at mu'/E ~ 1e-2).
    """
    _v.one_of("setup", name, INTERPLAY_SETUPS)
    params = PairingParams(coupling_per_MeV2)
    if name == "two-beam":  # the set-ups are data (grids, occupations), not models
        e = 0.5 * e_max_MeV
        grid = Grid.from_modes([e], [0.0], [0.0], [e_max_MeV**3])
        mu = params.mu_MeV(grid)
        dm2_eV2 = -mu * 2 * e / (_c.eV / _c.MeV) ** 2
        model = FlavorModel.two_flavor(dm2_eV2, flavor_seed_amplitude)
        rho = np.zeros((1, 2, 2), complex)
        rho[0, 0, 0] = 1.0
        return FlavorPairState(rho, rho.copy(), np.zeros((1, 2, 2))), grid, params, model
    shape = {"hw-1-1-4": (1, 1, 4), "hw-1-8-8": (1, 8, 8)}[name]
    grid = Grid(*shape, e_max_MeV=e_max_MeV)
    single = hw_initial_state(grid, seed=seed, seed_amplitude=seed_amplitude)
    seed2 = None if seed is None else np.random.SeedSequence(seed).spawn(1)[0]
    state = FlavorPairState.from_single_flavor(single, 2).with_flavor_seed(flavor_seed_amplitude, seed=seed2)
    return state, grid, params, FlavorModel()


@dataclass(frozen=True)
class FlavorInterplay(StatusMixin):
    """Flavor and pairing instabilities of one distribution (:func:`flavor_interplay`).

    Attributes
    ----------
    setup : str
    mu_MeV : float                      HW's scale mu' = g e_max^3 [MeV]
    stability, stability_no_pairing : FlavorStabilityResult   linear analyses with and without pairing
    with_pairing, without_pairing : FlavorEvolution           nonlinear runs (same start, kappa = 0 without)
    growth_rate_flavor_MeV, growth_rate_pairing_MeV : float   fastest of each branch, pairing on [MeV]
    growth_rate_flavor_no_pairing_MeV : float                 fastest flavor rate of the standard QKE [MeV]
    pairing_weight_of_fastest_mode : float                    0: pure flavor, 1: pure pairing
    verdict : str                                             one line in words
    """

    setup: str
    mu_MeV: float
    energy_MeV: float
    stability: FlavorStabilityResult
    stability_no_pairing: FlavorStabilityResult
    with_pairing: FlavorEvolution
    without_pairing: FlavorEvolution
    growth_rate_flavor_MeV: float
    growth_rate_pairing_MeV: float
    growth_rate_flavor_no_pairing_MeV: float
    pairing_weight_of_fastest_mode: float
    verdict: str
    status: Status = Status.SUCCESSFUL
    message: str = ""


def _verdict(setup: str, r_flavor: float, r_pairing: float, r_flavor0: float, mu: float, noise: float) -> str:
    r_flavor, r_pairing, r_flavor0 = (r if r > noise else 0.0 for r in (r_flavor, r_pairing, r_flavor0))
    if max(r_flavor, r_pairing, r_flavor0) <= 0.0:
        return f"{setup}: stable: neither flavor coherence nor pairing grows"
    if r_pairing > max(r_flavor, r_flavor0):
        text = f"{setup}: pairing wins ({r_pairing / mu:.3g} mu' against flavor {max(r_flavor, r_flavor0) / mu:.3g} mu')"
    else:
        text = f"{setup}: flavor wins ({max(r_flavor, r_flavor0) / mu:.3g} mu' against pairing {r_pairing / mu:.3g} mu')"
    if r_flavor > 0.0 and r_flavor0 <= 0.0:
        text += "; its flavor mode exists only through pairing (rate ~ mu sqrt(mu/E), indicative)"
    return text


def _noise(*results: FlavorStabilityResult) -> float:
    """Growth rates below this are eigen-solver noise [MeV]: the massless standard QKE has
    degenerate zero modes, whose eigenvalues LAPACK returns to ~sqrt(eps) x |largest eigenvalue|."""
    scale = max(float(np.max(np.abs(r.eigenvalues))) for r in results)
    return max(GROWTH_NOISE_FLOOR_MeV, 1e-7 * scale)


def flavor_interplay(setup: str, coupling_per_MeV2: float = 1e-5, *, t_end_mu: float = 30.0, n_save: int = 601,
                     seed=None, seed_amplitude: float = 1e-5, flavor_seed_amplitude: float = 1e-5,
                     rtol: float = 1e-10) -> FlavorInterplay:
    """Is it a flavor instability, a pairing instability, or both? One set-up of
    :data:`INTERPLAY_SETUPS`, in two flavors, with and without the pairing terms: both linear
    analyses (F12; each eigenvector's flavor and pairing weights) and both nonlinear evolutions
    over ``t_end_mu``/mu'. ``coupling_per_MeV2`` is HW's g' [MeV^-2] (rates scale with it while
    mu' << E; the default 1e-5 makes mu'/E ~ 1e-2).
    """
    g = _v.in_range("coupling_per_MeV2", coupling_per_MeV2, 1e-9, 1e-4, "MeV^-2")
    t_end = _v.in_range("t_end_mu", t_end_mu, 0.0, 1e3, "1/mu'", low_open=True)
    n_save = _v.positive_int("n_save", n_save, 11, 100_000)
    state, grid, params, model = interplay_setup(setup, g, seed=seed, seed_amplitude=seed_amplitude,
                                                 flavor_seed_amplitude=flavor_seed_amplitude)
    off = FlavorModel(model.n_flavors, model.mass_squared_eV2, model.mixing, model.matter_potential_MeV, False)
    mu = params.mu_MeV(grid)
    lin = growth_rates(state, grid, params, model=model)
    lin0 = growth_rates(state, grid, params, model=off)
    solver = JitDOP853(rtol, rtol * 1e-3)
    t_final = t_end / mu
    with_p = evolve(state, grid, params, t_final, model=model, n_save=n_save, solver=solver)
    no_kappa = FlavorPairState(state.rho, state.rhobar, np.zeros_like(state.kappa))
    without = evolve(no_kappa, grid, params, t_final, model=off, n_save=n_save, solver=solver)
    rf, rp, rf0 = lin.growth_rate_flavor_MeV, lin.growth_rate_pairing_MeV, lin0.growth_rate_flavor_MeV
    bad = [e for e in (with_p, without) if e.status is not Status.SUCCESSFUL]
    status = bad[0].status if bad else Status.SUCCESSFUL
    return FlavorInterplay(setup, mu, float(np.max(grid.energy_MeV)), lin, lin0, with_p, without, rf, rp, rf0,
                           lin.pairing_weight_of_fastest_mode, _verdict(setup, rf, rp, rf0, mu, _noise(lin, lin0)), status,
                           bad[0].message if bad else "")



@dataclass(frozen=True)
class EmuFastFlavorK(StatusMixin):
    """Emu's fast-flavor test at k != 0 reproduced in nupair's 1D box (:func:`emu_fast_flavor_k`).

    Attributes
    ----------
    growth_rate_per_s : float             mean of the four measured rates [s^-1]
    growth_rate_components_per_s : ndarray (4,)  from max|Re f01|, max|Im f01|, max|Re f01bar|,
                                          max|Im f01bar| over the box, as Emu's script [s^-1]
    growth_rate_analytic_per_s : float    Chakraborty et al. 2016 eq. 2.7 (a = 0, mu = (V + k)/2):
                                          (V + k c)/hbar with V = 0 as in Emu's test [s^-1]
    growth_rate_linear_per_s : float      nupair's k-mode stability matrix (docs/k-modes.md K10)
    k_per_cm : float                      wave number of the perturbation [cm^-1]
    t_s : ndarray (n_t,)                  save times [s]
    f01_max : ndarray (n_t,)              max over the box of |f01|
    i0, i1 : int                          the save indices the rate is measured between
    trace_drift, purity_drift : float     largest drift of the box invariants (K17)
    """

    growth_rate_per_s: float
    growth_rate_components_per_s: NDArray
    growth_rate_analytic_per_s: float
    growth_rate_linear_per_s: float
    k_per_cm: float
    t_s: NDArray
    f01_max: NDArray
    i0: int
    i1: int
    trace_drift: float
    purity_drift: float
    status: Status = Status.SUCCESSFUL
    message: str = ""

    @property
    def relative_error(self) -> float:
        """|measured - analytic| / analytic, the quantity Emu's test holds below 1e-2."""
        return abs(self.growth_rate_per_s - self.growth_rate_analytic_per_s) / self.growth_rate_analytic_per_s


def emu_fast_flavor_k(energy_MeV: float = 50.0, wavelength_cm: float = 1.0, *, n_x: int = 8,
                      amplitude: float = 1e-6, steps_per_growth_time: int = 100) -> EmuFastFlavorK:
    """Emu's ``Scripts/tests/fast_flavor_k_test.py`` (inputs ``sample_inputs/inputs_fast_flavor_nonzerok``,
    generator ``st3_2beam_fast_flavor_nonzerok.py``) in nupair's periodic box (docs/k-modes.md K15-K17).

    One pair mode along +z carries nu_e at +z and nubar_e at -z, each of density n with
    sqrt(2) G_F n = (omega + k)/2 (the generator's choice, omega = 7.39e-5 eV^2 / (2E) from its
    m1 = -0.008596511 eV; Emu's run and test have zero masses, so no vacuum term); a flavor
    perturbation of ``amplitude`` and wavelength ``wavelength_cm`` along z in a periodic box of one
    wavelength. The rate is measured as Emu's script does, ln(f(t1)/f(t0))/(t1 - t0) of the
    maxima over the box of |Re f01|, |Im f01|, |Re f01bar|, |Im f01bar|, with t1 the last save
    before max|f01| reaches 3e-2 and t0 four growth times earlier. Emu's tolerance is 1e-2.
    """
    from nupair.pairing.box import PeriodicBox, box_state, evolve_box

    e = _v.in_range("energy_MeV", energy_MeV, 1e-3, 1e6, "MeV")
    lam_cm = _v.in_range("wavelength_cm", wavelength_cm, 1e-6, 1e6, "cm")
    steps = _v.positive_int("steps_per_growth_time", steps_per_growth_time, 10, 100_000)
    hbarc_MeV_cm = _c.hbarc_MeV_fm * 1e-13
    k = 2.0 * np.pi / lam_cm * hbarc_MeV_cm  # [MeV]
    omega = 7.39e-5 * (_c.eV / _c.MeV) ** 2 / (2.0 * e)
    grid = Grid.from_modes([e], [0.0], [0.0], [1.0])
    params = PairingParams((omega + k) / 2.0)
    model = FlavorModel.two_flavor(0.0, 0.0, pairing=False)
    rho = np.zeros((1, 2, 2), complex)
    rho[0, 0, 0] = 1.0
    state = FlavorPairState(rho, rho.copy(), np.zeros((1, 2, 2)))
    linear = growth_rates(state, grid, params, model=model, k_MeV=(0.0, 0.0, k)).max_growth_rate
    box = PeriodicBox(grid, params, n_x, lam_cm / hbarc_MeV_cm, axis=(0.0, 0.0, 1.0), model=model)
    ev = evolve_box(box_state(state, box, amplitude=amplitude, component="flavor"), box, 14.0 / k,
                    dt_MeV=1.0 / (steps * k), n_save=14 * 50 + 1)
    rx = np.fft.ifft(ev.r_fourier * box.n_x, axis=1)  # back to the points of the box
    f01, f01bar = rx[:, :, 0, 0, 1], rx[:, :, 0, 2, 3]
    series = [np.max(np.abs(s), axis=1) for s in (f01.real, f01.imag, f01bar.real, f01bar.imag)]
    f_max = np.max(np.abs(f01), axis=1)
    t_s = ev.t_MeV * _S_PER_PER_MeV
    nonlinear = np.flatnonzero(f_max >= 3e-2)
    i1 = int(nonlinear[0]) - 1 if nonlinear.size else f_max.size - 1
    i0 = int(np.searchsorted(ev.t_MeV, ev.t_MeV[i1] - 4.0 / k))
    status, message = Status.SUCCESSFUL, ""
    if i1 - i0 < 4 or i0 <= 0:
        status, message = Status.NO_SOLUTION, "the run has no linear phase four growth times long"
        rates = np.full(4, np.nan)
    else:
        rates = np.array([np.log(s[i1] / s[i0]) for s in series]) / (t_s[i1] - t_s[i0])
    return EmuFastFlavorK(float(np.mean(rates)), rates, k / _S_PER_PER_MeV, linear / _S_PER_PER_MeV,
                          2.0 * np.pi / lam_cm, t_s, f_max, i0, i1, float(ev.trace_drift.max()),
                          float(ev.purity_drift.max()), status, message)
