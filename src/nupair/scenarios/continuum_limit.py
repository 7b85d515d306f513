"""Continuum-limit study of the nu-nubar pairing instability (no published figure: a nupair study).

Question (Huang & Wu, arXiv:2604.25687, vs. Fiorillo, Raffelt & Sigl, arXiv:2605.27506): does
the pairing instability of the discretized equations survive when the momentum grid is refined
towards a continuum? Spec ``shared/spec/pairing.md`` section 7 (and 7.1 for the profiles).

Method. For each occupation family f(E, phi) (rho = rhobar = f, N_theta = 1, E in [0, e_max],
g' = 1e-6 MeV^-2, exact bin volumes) the fastest growth rate max Re lambda of the linearized
equations (spec 6, dense LAPACK) is computed along two refinement sequences:

* angular: N_E = n_energy_for_phi (default 1), N_phi = 4, 8, ..., n_phi_max;
* spectral: N_phi = n_phi_for_energy (default 4), N_E = 1, 2, 4, ..., n_energy_max.

The limit N -> infinity is estimated from the three finest grids (N doubling each time): if the
two finest rates are below the noise floor (1e-9 MeV) the instability has disappeared; if the
rate falls like a power of N with exponent below -0.5 it vanishes in the limit; otherwise a
Richardson extrapolation Gamma(N) = Gamma_inf + b N^-q (q from the three points) gives
Gamma_inf, with uncertainty |Gamma_inf - Gamma(N_finest)| (at least 1e-3 relative of Gamma).
The verdict is "persists" when Gamma_inf exceeds three uncertainties, "disappears" when the rate
is gone or vanishes, and "not converged" otherwise.

Families: ``step`` (HW: 0.9 for 0 < phi < pi/2, 0.1 elsewhere, every energy), ``tanh`` (the same
quadrant window with tanh edges of width ``tanh_width_rad``), ``sine`` (0.5 + 0.4 sin phi),
``smooth-energy`` (spec 7.1 profile S: 0.1 + 0.8 / (1 + exp((E - 10 MeV)/T)) in the first
quadrant, 0.1 elsewhere), ``fermi-edge`` (profile D: its T -> 0 limit, a jump at 10 MeV) and
``window`` (profile B2: 0.9 for 15 <= E <= 17.5 MeV in the first quadrant); the last two are
averaged over each bin's phase-space volume, so their jumps are exact on bin edges (N_E even,
resp. a multiple of 8) and smeared, not shifted, on coarser grids.

Coupling axis: everything above (full equations) is repeated at ``strong_coupling_MeV2``
(default 1e-4 MeV^-2, mu' = 0.8 MeV), with its own verdicts; the secular column stays at the
study's coupling (it is an expansion in mu/E). Cross-check: on the grid (n_energy_check, 1,
n_phi_for_energy) the eigen-solver's fastest rate is compared with the unstable root of the
dispersion relation located by bisection (:func:`nupair.pairing.dispersion_growth_rate`,
eigen-solver free).
"""

from __future__ import annotations

import math

from functools import partial

import numpy as np
import xarray as xr

from nupair import pairing
from nupair.plotting import axis_label, new_figure
from nupair.numerics import refinement_limit
from nupair.scenarios._base import Scenario, ScenarioParameters, Task, TaskContext, param, variable

__all__ = [
    "Parameters",
    "occupation",
    "couplings",
    "extrapolate",
    "tasks",
    "cost_s",
    "memory_bytes",
    "MEMORY_PARAMETERS",
    "assemble",
    "plot",
    "summary",
    "SCENARIO",
    "SUMMARY_KEYS",
]

FAMILIES = pairing.OCCUPATION_PROFILES  # step, tanh, sine, smooth-energy, fermi-edge (D), window (B2)


class Parameters(ScenarioParameters):
    """Continuum-limit study parameters."""

    coupling_MeV2: float = param(1e-6, unit="MeV^-2", ge=1e-20, le=1.0, also="coupling_per_MeV2", description="coupling g'")
    e_max_MeV: float = param(20.0, unit="MeV", ge=0.1, le=1e4, description="upper edge of the energy grid")
    n_phi_max: int = param(1024, unit="1", ge=8, le=2000,
                           description="finest phi grid of the angular sequence (N_E = 1; powers of 2 from 4)")
    n_energy_max: int = param(64, unit="1", ge=8, le=500,
                              description="finest energy grid of the spectral sequence (N_phi = 4; powers of 2 from 1)")
    tanh_width_rad: float = param(0.2, unit="rad", gt=0.0, le=3.0, description="edge width of the 'tanh' family")
    smooth_energy_T_MeV: float = param(2.0, unit="MeV", gt=0.0, le=100.0,
                                       description="width T of the 'smooth-energy' family")
    n_energy_for_phi: int = param(1, unit="1", ge=1, le=64, description="N_E held fixed in the angular sequence")
    n_phi_for_energy: int = param(4, unit="1", ge=4, le=256, description="N_phi held fixed in the spectral sequence")
    strong_coupling_MeV2: float = param(1e-4, unit="MeV^-2", ge=0.0, le=1.0, also="strong_coupling_per_MeV2",
                                        description="second coupling g' of the study, with its own verdicts (0: off)")
    n_energy_check: int = param(128, unit="1", ge=8, le=4096,
                                description="N_E of the grid (N_phi = n_phi_for_energy) where the dispersion-relation bisection checks the eigen-solver")
    n_phi_max_secular: int = param(1024, unit="1", ge=8, le=8192,
                                   description="finest phi grid of the secular angular sequence (docs: The secular pairing equations, S8)")
    n_energy_max_secular: int = param(4096, unit="1", ge=8, le=1_000_000,
                                      description="finest energy grid of the secular spectral sequence (blocks of N_phi modes)")


def occupation(family: str, grid: pairing.Grid, params: Parameters) -> np.ndarray:
    """rho = rhobar of each mode for an occupation family (:func:`nupair.pairing.occupation_profile`)."""
    return pairing.occupation_profile(family, grid, tanh_width_rad=params.tanh_width_rad,
                                      smooth_energy_T_MeV=params.smooth_energy_T_MeV)


def couplings(params: Parameters) -> list[float]:
    """The coupling axis [MeV^-2]: g' of the study, then the strong coupling unless it is 0."""
    out = [params.coupling_MeV2]
    if params.strong_coupling_MeV2 > 0 and params.strong_coupling_MeV2 != params.coupling_MeV2:
        out.append(params.strong_coupling_MeV2)
    return out


def _doublings(start: int, stop: int) -> list[int]:
    return [start * 2**k for k in range(int(math.log2(stop / start)) + 1)]


def extrapolate(ns, rates, floor: float = pairing.GROWTH_NOISE_FLOOR_MeV) -> dict:
    """Limit of a refinement sequence as a dict (see :func:`nupair.numerics.refinement_limit`)."""
    lim = refinement_limit(ns, rates, floor)
    return {"value_MeV": lim.value, "uncertainty_MeV": lim.uncertainty, "verdict": lim.verdict,
            "detail": lim.detail}


def _grid(params: Parameters, seq: str, n: int) -> pairing.Grid:
    if seq == "phi":
        return pairing.Grid(params.n_energy_for_phi, 1, n, e_max_MeV=params.e_max_MeV)
    return pairing.Grid(n, 1, params.n_phi_for_energy, e_max_MeV=params.e_max_MeV)


def _rate(params: Parameters, family: str, seq: str, n: int, ctx: TaskContext,
          coupling: float | None = None) -> pairing.FastestMode:
    """The fastest mode of one grid (full equations); its host energy bin along the energy sequence."""
    grid = _grid(params, seq, n)
    state = pairing.initial_state_from_occupation(occupation(family, grid, params), seed_amplitude=0.0)
    g = params.coupling_MeV2 if coupling is None else coupling
    return pairing.fastest_mode(state, grid, pairing.PairingParams(g), locate_host=seq == "energy")


def _jobs(params: Parameters):
    n_phi = _doublings(4, params.n_phi_max)
    n_energy = _doublings(1, params.n_energy_max)
    return n_phi, n_energy, ([(f, "phi", n) for f in FAMILIES for n in n_phi]
                             + [(f, "energy", n) for f in FAMILIES for n in n_energy])


def _modes(params: Parameters, seq: str, n: int) -> int:
    return n * params.n_energy_for_phi if seq == "phi" else params.n_phi_for_energy * n


def _secular_jobs(params: Parameters):
    n_phi = _doublings(4, params.n_phi_max_secular)
    n_energy = _doublings(1, params.n_energy_max_secular)
    return n_phi, n_energy, ([(f, "phi", n) for f in FAMILIES for n in n_phi]
                             + [(f, "energy", n) for f in FAMILIES for n in n_energy])


def _secular_rate(params: Parameters, family: str, seq: str, n: int, ctx: TaskContext) -> pairing.FastestMode:
    """The fastest mode of the secular equations (docs: The secular pairing equations, S8), block by energy bin."""
    grid = _grid(params, seq, n)
    state = pairing.initial_state_from_occupation(occupation(family, grid, params), seed_amplitude=0.0)
    return pairing.fastest_mode(state, grid, pairing.PairingParams(params.coupling_MeV2), model="secular")


def _secular_cost_s(params: Parameters, seq: str, n: int) -> float:
    """~1 ms per energy block plus the block's dense eigenproblem ~1e-9 s N_block^3."""
    if seq == "phi":
        return 0.01 + 1e-9 * (n * 1.0) ** 3 * params.n_energy_for_phi
    return 0.01 + n * (1e-3 + 1e-9 * params.n_phi_for_energy**3)


def _check(params: Parameters, family: str, coupling: float, ctx: TaskContext) -> np.ndarray:
    """Eigen-solver vs bisection on the dispersion relation on the grid (n_energy_check, 1, N_phi).

    Returns [eigen max Re lambda, its |Im lambda|, dispersion growth rate, its bracket low and high,
    its frequency, the dispersion method's resolution, number of roots above it, the growth rate of
    the eigenvalue ARPACK finds next to that root (0 when there is none)] [MeV].
    """
    grid = pairing.Grid(params.n_energy_check, 1, params.n_phi_for_energy, e_max_MeV=params.e_max_MeV)
    state = pairing.initial_state_from_occupation(occupation(family, grid, params), seed_amplitude=0.0)
    pp = pairing.PairingParams(coupling)
    eig = pairing.growth_rates(state, grid, pp, return_eigenvectors=False)
    root = pairing.dispersion_growth_rate(state, grid, pp)
    arpack = 0.0
    if root.unstable:  # ARPACK shift-invert next to the bisection's root (lower half-plane: Im lambda = -omega)
        near = pairing.eigenvalues_near(state, grid, pp, 1.5 * root.growth_rate_MeV - 1j * root.frequency_MeV)
        arpack = float(near[0].real)
    return np.array([eig.max_growth_rate, abs(eig.eigenvalues[0].imag), root.growth_rate_MeV,
                     *root.growth_rate_bracket_MeV, root.frequency_MeV, root.rate_floor_MeV,
                     root.n_unstable_roots, arpack])


def _check_cost_s(params: Parameters) -> float:
    """Eigen-solver ~4e-10 (2N)^3 s plus the bisection (~4e5 contour points of cost ~1e-8 N s each)."""
    n = params.n_energy_check * params.n_phi_for_energy
    return 0.5 + 4e-10 * (2 * n) ** 3 + 5e-3 * n


def tasks(params: Parameters, seed) -> list[Task]:
    """One task per (family, sequence, resolution): a dense eigenproblem of size 2N (cost ~ N^3);
    the same at the strong coupling; the dispersion-relation check per (coupling, family); then the
    secular column, block by energy bin (far finer grids at the same cost)."""
    _, _, jobs = _jobs(params)
    _, _, sjobs = _secular_jobs(params)
    gs = couplings(params)
    return ([Task(f"{f}/{s}/{n}", partial(_rate, params, f, s, n), cost=_task_cost_s(params, s, n))
             for f, s, n in jobs]
            + [Task(f"g{k}/{f}/{s}/{n}", partial(_rate, params, f, s, n, coupling=g), cost=_task_cost_s(params, s, n))
               for k, g in enumerate(gs) if k > 0 for f, s, n in jobs]
            + [Task(f"check/g{k}/{f}", partial(_check, params, f, g), cost=_check_cost_s(params))
               for k, g in enumerate(gs) for f in FAMILIES]
            + [Task(f"secular/{f}/{s}/{n}", partial(_secular_rate, params, f, s, n), cost=_secular_cost_s(params, s, n))
               for f, s, n in sjobs]
            + [Task("refinement limits", partial(_limits, params), cost=1e-3)])


def _task_cost_s(params: Parameters, seq: str, n: int) -> float:
    """~0.15 s per grid (set-up, eigenvectors) plus the dense eigenproblem ~4e-10 s (2N)^3."""
    return 0.15 + 4e-10 * (2 * _modes(params, seq, n)) ** 3


def cost_s(params: Parameters) -> float:
    """Estimated wall time [s]: the sum of the task costs (default ~20-35 s)."""
    _, _, jobs = _jobs(params)
    _, _, sjobs = _secular_jobs(params)
    n_g = len(couplings(params))
    return (3.0 + n_g * sum(_task_cost_s(params, s, n) for _, s, n in jobs)
            + sum(_secular_cost_s(params, s, n) for _, s, n in sjobs) + n_g * len(FAMILIES) * _check_cost_s(params))


MEMORY_PARAMETERS = ("n_phi_max", "n_energy_check", "n_phi_for_energy")


def memory_bytes(params: Parameters) -> float:
    """Estimated peak memory [bytes]: the interpreter (~330 MiB) and ~56 bytes per entry of the
    largest dense (2N)^2 stability matrices (the angular sequence at N = n_phi_max and the check
    grid; LAPACK's eigenvectors and work space; measured 774 MiB at the defaults)."""
    return 330 * 2**20 + 56.0 * ((2 * params.n_phi_max) ** 2 + (2 * params.n_energy_check * params.n_phi_for_energy) ** 2)


def _index(n_phi: list, n_energy: list, seq: str, n: int) -> int:
    """Position of resolution n in its refinement sequence ("phi" or "energy")."""
    return (n_phi if seq == "phi" else n_energy).index(n)


def _full_tables(params: Parameters, results: dict):
    """(rate, frequency, host bin) per (sequence, family) at the study's own coupling."""
    n_phi, n_energy, jobs = _jobs(params)
    rate = {("phi", f): np.zeros(len(n_phi)) for f in FAMILIES}
    rate.update({("energy", f): np.zeros(len(n_energy)) for f in FAMILIES})
    freq = {k: np.zeros_like(v) for k, v in rate.items()}
    host = {k: np.zeros(v.size, dtype=int) for k, v in rate.items()}
    for family, seq, n in jobs:
        i = _index(n_phi, n_energy, seq, n)
        mode = results[f"{family}/{seq}/{n}"]
        rate[(seq, family)][i], freq[(seq, family)][i] = mode.growth_rate_MeV, mode.frequency_MeV
        host[(seq, family)][i] = mode.host_energy_bin
    return rate, freq, host


def _secular_tables(params: Parameters, results: dict) -> dict:
    sn_phi, sn_energy, sjobs = _secular_jobs(params)
    srate = {("phi", f): np.zeros(len(sn_phi)) for f in FAMILIES}
    srate.update({("energy", f): np.zeros(len(sn_energy)) for f in FAMILIES})
    for family, seq, n in sjobs:
        srate[(seq, family)][_index(sn_phi, sn_energy, seq, n)] = results[f"secular/{family}/{seq}/{n}"].growth_rate_MeV
    return srate


def _coupling_tables(params: Parameters, results: dict):
    """(rate, frequency) per sequence, shape (coupling, family, n): coupling 0 is the study's own."""
    n_phi, n_energy, jobs = _jobs(params)
    gs = couplings(params)
    by_g = {seq: np.zeros((len(gs), len(FAMILIES), len(n_phi if seq == "phi" else n_energy))) for seq in ("phi", "energy")}
    by_g_freq = {seq: np.zeros_like(v) for seq, v in by_g.items()}
    for k in range(len(gs)):
        for family, seq, n in jobs:
            i = _index(n_phi, n_energy, seq, n)
            key = f"{family}/{seq}/{n}" if k == 0 else f"g{k}/{family}/{seq}/{n}"
            mode = results[key]
            by_g[seq][k, FAMILIES.index(family), i] = mode.growth_rate_MeV
            by_g_freq[seq][k, FAMILIES.index(family), i] = mode.frequency_MeV
    return by_g, by_g_freq


SEQUENCES = ("phi", "energy")


def _limits(params: Parameters, ctx: TaskContext) -> dict:
    """The limit N -> infinity of every refinement sequence (:func:`nupair.numerics.refinement_limit`):
    ``("full", coupling index, family, sequence)`` for the full equations at every coupling and
    ``("secular", 0, family, sequence)`` for the secular ones, each a ``RefinementLimit``."""
    n_phi, n_energy, _ = _jobs(params)
    sn_phi, sn_energy, _ = _secular_jobs(params)
    by_g, _ = _coupling_tables(params, ctx.results)
    srate = _secular_tables(params, ctx.results)
    floor = pairing.GROWTH_NOISE_FLOOR_MeV
    out = {}
    for j, f in enumerate(FAMILIES):
        for seq, ns, sns in (("phi", n_phi, sn_phi), ("energy", n_energy, sn_energy)):
            for k in range(by_g[seq].shape[0]):
                out[("full", k, f, seq)] = refinement_limit(ns, by_g[seq][k, j], floor)
            out[("secular", 0, f, seq)] = refinement_limit(sns, srate[(seq, f)], floor)
    return out


def _limit_variables(limits: dict, n_couplings: int) -> dict:
    """The limits as variables over (coupling, family, sequence), full and secular equations."""
    out = {}
    for model, n_g in (("", n_couplings), ("secular_", 1)):
        key = "secular" if model else "full"
        grid = [[[limits[(key, k, f, seq)] for seq in SEQUENCES] for f in FAMILIES] for k in range(n_g)]
        dims = ("coupling", "family", "sequence") if not model else ("family", "sequence")

        def table(attr, grid=grid, model=model):
            arr = np.array([[[getattr(v, attr) for v in row] for row in fam] for fam in grid])
            return arr if not model else arr[0]

        out[f"limit_{model}growth_rate"] = variable(dims, table("value"), "MeV",
                                                    "extrapolated N -> infinity growth rate (refinement_limit)")
        out[f"limit_{model}uncertainty"] = variable(dims, table("uncertainty"), "MeV", "its uncertainty")
        out[f"limit_{model}verdict"] = variable(dims, table("verdict"), "1",
                                                "persists / disappears / absent / not converged")
        out[f"limit_{model}detail"] = variable(dims, table("detail"), "1", "how the verdict was reached")
    return out


def _check_variables(check) -> dict:
    """The dispersion-relation check per (coupling, family): eigen-solver, bisection, ARPACK."""
    rows = [("check_eigen_growth_rate", "MeV", "max Re lambda from the eigen-solver on the check grid"),
            ("check_eigen_frequency", "MeV", "|Im lambda| of that mode"),
            ("check_dispersion_growth_rate", "MeV",
             "growth rate of the fastest root of the dispersion relation (bisection; 0: none above the resolution)"),
            ("check_dispersion_bracket_low", "MeV", "its bracket, low end"),
            ("check_dispersion_bracket_high", "MeV", "its bracket, high end"),
            ("check_dispersion_frequency", "MeV", "|Im lambda| of that root (nan: none)"),
            ("check_dispersion_resolution", "MeV", "smallest growth rate the bisection resolves"),
            ("check_dispersion_roots", "1", "roots above the resolution in the lower half-plane"),
            ("check_arpack_growth_rate", "MeV",
             "Re lambda of the eigenvalue ARPACK shift-invert finds next to the bisection's root (0: no root)")]
    return {name: variable(("coupling", "family"), check[..., i], unit, long_name)
            for i, (name, unit, long_name) in enumerate(rows)}


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    """Growth-rate tables along both refinement sequences for every family."""
    n_phi, n_energy, _ = _jobs(params)
    sn_phi, sn_energy, _ = _secular_jobs(params)
    rate, freq, host = _full_tables(params, results)
    srate = _secular_tables(params, results)
    by_g, by_g_freq = _coupling_tables(params, results)
    fam = np.array(FAMILIES)
    gs = couplings(params)
    check = np.stack([np.stack([results[f"check/g{k}/{f}"] for f in FAMILIES]) for k in range(len(gs))])
    ds = xr.Dataset(
        {
            "growth_rate_secular_vs_n_phi": variable(("family", "n_phi_secular"),
                                                     np.stack([srate[("phi", f)] for f in FAMILIES]), "MeV",
                                                     "max Re lambda of the secular equations, N_E = n_energy_for_phi"),
            "growth_rate_secular_vs_n_energy": variable(("family", "n_energy_secular"),
                                                        np.stack([srate[("energy", f)] for f in FAMILIES]), "MeV",
                                                        "max Re lambda of the secular equations, N_phi = n_phi_for_energy"),
            "growth_rate_vs_n_phi": variable(("family", "n_phi"), np.stack([rate[("phi", f)] for f in FAMILIES]),
                                        "MeV", "max Re lambda, N_E = n_energy_for_phi, N_theta = 1"),
            "growth_rate_vs_n_energy": variable(("family", "n_energy"), np.stack([rate[("energy", f)] for f in FAMILIES]),
                                           "MeV", "max Re lambda, N_phi = n_phi_for_energy, N_theta = 1"),
            "frequency_vs_n_phi": variable(("family", "n_phi"), np.stack([freq[("phi", f)] for f in FAMILIES]),
                                      "MeV", "|Im lambda| of the fastest mode (~2E of its bin)"),
            "frequency_vs_n_energy": variable(("family", "n_energy"), np.stack([freq[("energy", f)] for f in FAMILIES]),
                                         "MeV", "|Im lambda| of the fastest mode (~2E of its bin)"),
            "host_bin_vs_n_energy": variable(("family", "n_energy"), np.stack([host[("energy", f)] for f in FAMILIES]),
                                        "1", "energy bin carrying most of the fastest eigenvector"),
            "growth_rate_by_coupling_vs_n_phi": variable(("coupling", "family", "n_phi"), by_g["phi"], "MeV",
                                                         "max Re lambda at each coupling, N_E = n_energy_for_phi"),
            "growth_rate_by_coupling_vs_n_energy": variable(("coupling", "family", "n_energy"), by_g["energy"], "MeV",
                                                            "max Re lambda at each coupling, N_phi = n_phi_for_energy"),
            "frequency_by_coupling_vs_n_energy": variable(("coupling", "family", "n_energy"), by_g_freq["energy"],
                                                          "MeV", "|Im lambda| of the fastest mode at each coupling"),
            **_check_variables(check),
            **_limit_variables(results["refinement limits"], len(gs)),
        },
        coords={
            "coupling": variable(("coupling",), np.array(gs), "MeV^-2", "coupling g'"),
            "family": variable(("family",), fam, "1", "occupation family"),
            "n_phi": variable(("n_phi",), np.array(n_phi), "1", "number of phi bins"),
            "sequence": variable(("sequence",), np.array(SEQUENCES), "1",
                                 "refinement sequence: phi (angular) or energy (spectral)"),
            "n_energy": variable(("n_energy",), np.array(n_energy), "1", "number of energy bins"),
            "n_phi_secular": variable(("n_phi_secular",), np.array(sn_phi), "1", "number of phi bins (secular)"),
            "n_energy_secular": variable(("n_energy_secular",), np.array(sn_energy), "1",
                                         "number of energy bins (secular)"),
        },
    )
    ds.attrs["mu_prime_MeV"] = params.coupling_MeV2 * params.e_max_MeV**3  # mu' = g' E_max^3
    ds.attrs["noise_floor_MeV"] = pairing.GROWTH_NOISE_FLOOR_MeV
    ds.attrs["n_energy_for_phi"] = params.n_energy_for_phi
    ds.attrs["n_phi_for_energy"] = params.n_phi_for_energy
    ds.attrs["n_energy_check"] = params.n_energy_check
    ds.attrs["e_max_MeV"] = params.e_max_MeV
    return ds


def _limit_record(ds: xr.Dataset, prefix: str, **sel) -> dict:
    """One stored refinement limit as the summary's {value_MeV, uncertainty_MeV, verdict, detail}."""
    def get(name):
        return ds[f"limit_{prefix}{name}"].sel(**sel).values.item()

    return {"value_MeV": float(get("growth_rate")), "uncertainty_MeV": float(get("uncertainty")),
            "verdict": str(get("verdict")), "detail": str(get("detail"))}


def _verdicts(ds: xr.Dataset, prefix: str = "") -> dict:
    """family -> {phi, energy} -> limit, at the study's coupling (full) or for the secular equations."""
    coupling = {} if prefix else {"coupling": ds["coupling"].values[0]}
    return {str(f): {seq: _limit_record(ds, prefix, family=f, sequence=seq, **coupling) for seq in SEQUENCES}
            for f in ds["family"].values}


def _verdicts_by_coupling(ds: xr.Dataset) -> dict:
    """coupling label -> family -> {phi, energy} -> extrapolation (full equations)."""
    return {_coupling_label(g): {str(f): {seq: _limit_record(ds, "", coupling=g, family=f, sequence=seq)
                                          for seq in SEQUENCES} for f in ds["family"].values}
            for g in ds["coupling"].values}


def _coupling_label(g: float) -> str:
    return f"{float(g):.3g}"


#: relative agreement required between the eigen-solver and the dispersion bisection
CHECK_RTOL = 1e-6


def _dispersion_check(ds: xr.Dataset) -> dict:
    """coupling label -> family -> both methods' fastest rate on the check grid and whether they agree."""
    out = {}
    for g in ds["coupling"].values:
        sel = ds.sel(coupling=g)
        rows = {}
        for f in ds["family"].values:
            e = float(sel["check_eigen_growth_rate"].sel(family=f))
            d = float(sel["check_dispersion_growth_rate"].sel(family=f))
            res = float(sel["check_dispersion_resolution"].sel(family=f))
            if d > 0:
                agree = abs(d - e) <= CHECK_RTOL * d + 0.5 * (float(sel["check_dispersion_bracket_high"].sel(family=f))
                                                              - float(sel["check_dispersion_bracket_low"].sel(family=f)))
            else:  # no root above the resolution: the eigen-solver must not find one either
                agree = e < res
            rows[str(f)] = {"n_energy": int(ds.attrs["n_energy_check"]), "n_phi": int(ds.attrs["n_phi_for_energy"]),
                            "eigen_growth_rate_MeV": e if e > float(ds.attrs["noise_floor_MeV"]) else 0.0,
                            "dispersion_growth_rate_MeV": d,
                            "dispersion_frequency_MeV": None if d == 0 else float(sel["check_dispersion_frequency"].sel(family=f)),
                            "eigen_frequency_MeV": float(sel["check_eigen_frequency"].sel(family=f)),
                            "arpack_growth_rate_MeV": float(sel["check_arpack_growth_rate"].sel(family=f)),
                            "resolution_MeV": res, "agree": bool(agree)}
        out[_coupling_label(g)] = rows
    return out


def _sentence(family: str, v: dict, mu: float) -> str:
    def part(name, e):
        if e["verdict"] == "persists":
            return (f"persists under {name} refinement (Gamma_inf = {e['value_MeV'] / mu:.4g} "
                    f"+- {e['uncertainty_MeV'] / mu:.2g} mu')")
        if e["verdict"] == "disappears":
            return f"disappears under {name} refinement ({e['detail']})"
        if e["verdict"] == "absent":
            return f"is absent under {name} refinement ({e['detail']})"
        return f"is not converged under {name} refinement ({e['detail']})"

    return f"{family}: the instability {part('angular', v['phi'])} and {part('energy', v['energy'])}."


def plot(ds: xr.Dataset):
    """Growth rate against resolution (log-log): angular and spectral refinement at the study's
    coupling, spectral refinement at every coupling with the dispersion-relation check marked."""
    fig, axes = new_figure(1, 3, width_in=15.0, height_in=4.2,
                           title="Continuum limit of the nu-nubar pairing instability (zero plotted at the noise floor)")
    mu = float(ds.attrs["mu_prime_MeV"])
    floor = float(ds.attrs["noise_floor_MeV"]) / mu
    for ax, seq, label in ((axes[0, 0], "phi", f"N_phi (N_E = {ds.attrs['n_energy_for_phi']})"),
                           (axes[0, 1], "energy", f"N_E (N_phi = {ds.attrs['n_phi_for_energy']})")):
        n = ds[f"n_{seq}"].values
        ns = ds[f"n_{seq}_secular"].values
        for k, f in enumerate(ds["family"].values):
            # the secular curve wide and pale underneath, so that it stays visible where the two agree
            rs = ds[f"growth_rate_secular_vs_n_{seq}"].sel(family=f).values / mu
            ax.loglog(ns, np.maximum(rs, floor), "-", lw=6, alpha=0.3, color=f"C{k}")
            r = ds[f"growth_rate_vs_n_{seq}"].sel(family=f).values / mu
            ax.loglog(n, np.maximum(r, floor), "o-", ms=3, lw=1, color=f"C{k}", label=str(f))
        ax.plot([], [], "-", lw=6, alpha=0.3, color="0.5", label="secular equations")
        ax.axhline(floor, color="0.5", lw=0.8, ls=":", label="noise floor")
        ax.set_xlabel(axis_label(label, None))
        ax.set_ylabel(axis_label("max Re lambda / mu'", None))
        ax.set_title(f"g' = {float(ds['coupling'].values[0]):.0e} MeV^-2", fontsize=9)
        ax.legend(fontsize=7)
    ax = axes[0, 2]
    e3 = float(ds.attrs["e_max_MeV"]) ** 3
    n = ds["n_energy"].values
    styles = ("o-", "s--", "^:")
    for j, g in enumerate(ds["coupling"].values):
        mu_g = float(g) * e3
        for k, f in enumerate(ds["family"].values):
            r = ds["growth_rate_by_coupling_vs_n_energy"].sel(coupling=g, family=f).values / mu_g
            ax.loglog(n, np.maximum(r, floor), styles[j % 3], ms=3, lw=1, color=f"C{k}")
            d = float(ds["check_dispersion_growth_rate"].sel(coupling=g, family=f)) / mu_g
            e = float(ds["check_eigen_growth_rate"].sel(coupling=g, family=f)) / mu_g
            nc = int(ds.attrs["n_energy_check"])
            ax.plot([nc], [max(e, floor)], styles[j % 3][0], ms=7, mfc="none", color=f"C{k}")
            ax.plot([nc], [max(d, floor)], "x", ms=6, color=f"C{k}")
        ax.plot([], [], styles[j % 3], color="0.3", label=f"g' = {float(g):.0e} MeV^-2")
    ax.plot([], [], "o", mfc="none", color="0.3", label="eigen-solver, check grid")
    ax.plot([], [], "x", color="0.3", label="dispersion bisection")
    ax.axhline(floor, color="0.5", lw=0.8, ls=":")
    ax.set_xlabel(axis_label(f"N_E (N_phi = {ds.attrs['n_phi_for_energy']})", None))
    ax.set_ylabel(axis_label("max Re lambda / mu' of that coupling", None))
    ax.set_title("coupling axis (colours: families as left)", fontsize=9)
    ax.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)
    return fig


SUMMARY_KEYS = {
    "n_phi_values, n_energy_values": "resolutions of the two sequences",
    "growth_rate_vs_n_phi": "family -> list of max Re lambda [MeV] along n_phi_values (0: below the 1e-9 MeV noise floor)",
    "growth_rate_vs_n_energy": "family -> list of max Re lambda [MeV] along n_energy_values (0: below the noise floor)",
    "extrapolated_growth_rate": "family -> {phi, energy} -> {value_MeV, uncertainty_MeV, verdict, detail}",
    "verdict": "family -> one line: does the instability persist as resolution -> infinity",
    "*_secular": "the same for the secular equations (docs: The secular pairing equations), on grids refined further",
    "couplings_MeV2": "the coupling axis g' [MeV^-2]: the study's coupling, then strong_coupling_MeV2",
    "growth_rate_by_coupling": "coupling label -> {phi, energy} -> family -> list of max Re lambda [MeV] (full equations)",
    "extrapolated_growth_rate_by_coupling": "coupling label -> family -> {phi, energy} -> extrapolation",
    "verdict_by_coupling": "coupling label -> family -> one line (rates in units of that coupling's mu' = g' E_max^3)",
    "dispersion_check": ("coupling label -> family -> eigen-solver and dispersion-relation bisection on the grid "
                         "(n_energy_check, 1, n_phi_for_energy): both growth rates [MeV], frequencies, the "
                         "bisection's resolution, whether they agree, and the rate ARPACK shift-invert finds "
                         "next to the bisection's root"),
}


def summary(ds: xr.Dataset) -> dict:
    """Tables, extrapolations and one-line verdicts (keys in SUMMARY_KEYS)."""
    mu = float(ds.attrs["mu_prime_MeV"])
    v = _verdicts(ds)
    vs = _verdicts(ds, "secular_")
    vg = _verdicts_by_coupling(ds)
    floor = float(ds.attrs["noise_floor_MeV"])

    def clean(values):  # eigen-solver noise below the floor reported as exactly zero
        return [float(x) if x > floor else 0.0 for x in values]

    return {
        "mu_prime_MeV": mu,
        "n_phi_values": [int(n) for n in ds["n_phi"].values],
        "n_energy_values": [int(n) for n in ds["n_energy"].values],
        "growth_rate_vs_n_phi": {str(f): clean(ds["growth_rate_vs_n_phi"].sel(family=f).values)
                                 for f in ds["family"].values},
        "growth_rate_vs_n_energy": {str(f): clean(ds["growth_rate_vs_n_energy"].sel(family=f).values)
                                    for f in ds["family"].values},
        "extrapolated_growth_rate": v,
        "verdict": {f: _sentence(f, vv, mu) for f, vv in v.items()},
        "n_phi_values_secular": [int(n) for n in ds["n_phi_secular"].values],
        "n_energy_values_secular": [int(n) for n in ds["n_energy_secular"].values],
        "growth_rate_secular_vs_n_phi": {str(f): clean(ds["growth_rate_secular_vs_n_phi"].sel(family=f).values)
                                         for f in ds["family"].values},
        "growth_rate_secular_vs_n_energy": {str(f): clean(ds["growth_rate_secular_vs_n_energy"].sel(family=f).values)
                                            for f in ds["family"].values},
        "extrapolated_growth_rate_secular": vs,
        "couplings_MeV2": [float(g) for g in ds["coupling"].values],
        "growth_rate_by_coupling": {
            _coupling_label(g): {seq: {str(f): clean(ds[f"growth_rate_by_coupling_vs_n_{seq}"].sel(coupling=g, family=f).values)
                                       for f in ds["family"].values} for seq in ("phi", "energy")}
            for g in ds["coupling"].values},
        "extrapolated_growth_rate_by_coupling": vg,
        "verdict_by_coupling": {c: {f: _sentence(f, vv, float(c) * float(ds.attrs["e_max_MeV"]) ** 3)
                                    for f, vv in fams.items()} for c, fams in vg.items()},
        "dispersion_check": _dispersion_check(ds),
        "verdict_secular": {f: _sentence(f, vv, mu) for f, vv in vs.items()},
    }


SCENARIO = Scenario(
    name="pairing-continuum",
    description="Does the pairing instability survive grid refinement? (continuum-limit study)",
    reference=("nupair study of Huang & Wu, arXiv:2604.25687, against Fiorillo, Raffelt & Sigl, "
               "arXiv:2605.27506"),
    parameters=Parameters,
    tasks=tasks,
    assemble=assemble,
    cost_s=cost_s,
    memory_bytes=memory_bytes,
    memory_parameters=MEMORY_PARAMETERS,
    plot=plot,
    summary=summary,
    summary_keys=SUMMARY_KEYS,
    notes="Not a figure of HW: a study of their set-up under grid refinement (Fiorillo, Raffelt & Sigl's critique). With one energy bin the step instability survives angular refinement (1.898 mu'); refining the energy grid removes it. At the strong coupling g' = 1e-4 MeV^-2 the fixed energy window keeps a growth on the finest grids (about 0.15 mu'), so the verdicts are given per coupling.",
)
