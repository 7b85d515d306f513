"""Continuum limit of the pairing instability at every wave vector k (no published figure: a study).

Question (Huang & Wu, arXiv:2604.25687: "the instabilities are shifted to inhomogeneous modes";
Fiorillo, Raffelt & Sigl, arXiv:2605.27506: pairing instabilities need discontinuous occupations,
discretized spectra fake them): when the momentum grid is refined towards a continuum, does the
instability disappear at every k, or does it move to k != 0?

Method (docs/k-modes.md). For each occupation family of ``pairing-continuum`` (rho = rhobar =
f(E, phi), N_theta = 1, exact bin volumes) and each coupling, the fastest growth rate max Re lambda
of the linearized equations at wave vector k (K9) is computed for k = 0 and for |k| = k_mu x
{..., 1/2, 1} x ``k_max_over_k_mu`` along x (in the plane of the modes: the detuning k^2 sin^2 phi
/ 4E differs between directions) and along z (normal to it: every pair of one energy detuned
alike), with k_mu = sqrt(4 e_max mu') the wave number whose detuning k^2/(4 e_max) is mu'. Two
refinement sequences: angular (N_E = 1, N_phi = 4 ... n_phi_max) and spectral (N_phi = 4,
N_E = 1 ... n_energy_max). Grids up to ``n_dense_max`` modes use dense eigenvalues; finer ones
the fast dispersion solver (K12-K14), searched down to ``dispersion_floor_over_mu`` x mu'
(its result 0 means "no growth above that floor").

Verdict per family, coupling and sequence, from the limit N -> infinity (refinement_limit, as in
``pairing-continuum``) of the fastest rate over k and of the k = 0 rate: the refinement "removes
the instability at every k" when the max over k disappears, "moves it to k != 0" when the k = 0
rate disappears but the max over k persists, "keeps it at k = 0" when the fastest k stays 0 and
the rate persists, "keeps it, fastest at k != 0" when both persist but a k != 0 is faster, and
"not converged" otherwise. The k-analysis is at leading order in k/E and mu/E (K7): at the strong
coupling k_mu ~ e_max, so read those columns as indicative.
"""

from __future__ import annotations

from functools import partial

import numpy as np
import xarray as xr

from nupair import pairing
from nupair.numerics import refinement_limit
from nupair.plotting import axis_label, new_figure
from nupair.scenarios.continuum_limit import _doublings, couplings  # the same coupling axis and sequences
from nupair.scenarios._base import Scenario, ScenarioParameters, Task, TaskContext, param, variable

__all__ = ["Parameters", "k_mu_MeV", "wave_vectors", "tasks", "cost_s", "assemble", "plot", "summary", "SCENARIO", "SUMMARY_KEYS"]

FAMILIES = pairing.OCCUPATION_PROFILES
SEQUENCES = ("phi", "energy")
DIRECTIONS = {"x": (1.0, 0.0, 0.0), "z": (0.0, 0.0, 1.0)}


class Parameters(ScenarioParameters):
    """Continuum limit at wave vector k: parameters."""

    coupling_MeV2: float = param(1e-6, unit="MeV^-2", ge=1e-12, le=1e-3, also="coupling_per_MeV2", description="coupling g'")
    strong_coupling_MeV2: float = param(1e-4, unit="MeV^-2", ge=0.0, le=1e-3, also="strong_coupling_per_MeV2",
                                        description="second coupling g' with its own verdicts (0: off)")
    e_max_MeV: float = param(20.0, unit="MeV", ge=0.1, le=1e4, description="upper edge of the energy grid")
    n_phi_max: int = param(128, unit="1", ge=16, le=4096,
                           description="finest phi grid of the angular sequence (N_E = 1; powers of 2 from 4)")
    n_energy_max: int = param(64, unit="1", ge=8, le=65536,
                              description="finest energy grid of the spectral sequence (N_phi = 4; powers of 2 from 1)")
    n_k: int = param(3, unit="1", ge=1, le=12, description="wave numbers per direction (halving from the largest)")
    k_max_over_k_mu: float = param(2.0, unit="1", gt=0.0, le=100.0,
                                   description="largest |k| in units of k_mu = sqrt(4 e_max mu')")
    n_dense_max: int = param(512, unit="1", ge=16, le=2000,
                             description="grids up to this many modes use dense eigenvalues, finer ones the fast dispersion solver")
    dispersion_floor_over_mu: float = param(0.05, unit="mu'", ge=1e-6, le=0.5,
                                            description="growth rates the fast solver searches down to, in units of mu' = g' e_max^3")


def _resolutions(params: Parameters) -> dict:
    return {"phi": _doublings(4, params.n_phi_max), "energy": _doublings(1, params.n_energy_max)}


def k_mu_MeV(params: Parameters, coupling: float) -> float:
    """k_mu = sqrt(4 e_max mu') [MeV]: its pair detuning k^2/(4 e_max) is mu' = g' e_max^3."""
    return float(np.sqrt(4.0 * params.e_max_MeV * coupling * params.e_max_MeV ** 3))


def wave_vectors(params: Parameters, coupling: float) -> np.ndarray:
    """The scanned k (n_wave, 3) [MeV]: 0, then each magnitude along x, then along z."""
    mags = params.k_max_over_k_mu * k_mu_MeV(params, coupling) * 0.5 ** np.arange(params.n_k)[::-1]
    return np.concatenate([np.zeros((1, 3))] + [mags[:, None] * np.array(d)[None, :] for d in DIRECTIONS.values()])


def _grid(params: Parameters, seq: str, n: int) -> pairing.Grid:
    return (pairing.Grid(1, 1, n, e_max_MeV=params.e_max_MeV) if seq == "phi"
            else pairing.Grid(n, 1, 4, e_max_MeV=params.e_max_MeV))


def _n_modes(seq: str, n: int) -> int:
    return n if seq == "phi" else 4 * n


def _rates(params: Parameters, family: str, coupling: float, seq: str, n: int, ctx: TaskContext) -> np.ndarray:
    """(rates (n_wave,), |Im lambda| (n_wave,), floors (n_wave,)) [MeV] of one grid at every k."""
    grid = _grid(params, seq, n)
    state = pairing.initial_state_from_occupation(pairing.occupation_profile(family, grid), seed_amplitude=0.0)
    pp = pairing.PairingParams(coupling)
    ks = wave_vectors(params, coupling)
    out = np.zeros((3, len(ks)))
    dense = grid.n_modes <= params.n_dense_max
    floor = params.dispersion_floor_over_mu * coupling * params.e_max_MeV ** 3
    system = pairing.FullModel().bind(grid, pp)
    for i, k in enumerate(ks):
        if dense:
            res = pairing.growth_rates(state, grid, pp, method="dense", return_eigenvectors=False, k_MeV=k)
            out[2, i] = pairing.GROWTH_NOISE_FLOOR_MeV
        else:
            res = pairing.dispersion_rates(system.operator(state, k), return_eigenvectors=False, rate_floor_MeV=floor)
            out[2, i] = res.rate_floor_MeV
        rate = res.max_growth_rate
        out[0, i] = rate if rate > out[2, i] else 0.0
        out[1, i] = abs(res.eigenvalues[0].imag) if out[0, i] > 0 else np.nan
    return out


def _check_grid_n(params: Parameters) -> int:
    """N_E of the cross-check grid: the finest spectral grid (N_phi = 4) within n_dense_max, at most 32."""
    return max(n for n in _resolutions(params)["energy"] if 4 * n <= params.n_dense_max and n <= 32)


def _check_vectors(params: Parameters, coupling: float) -> np.ndarray:
    """The cross-check's wave vectors (3, 3) [MeV]: k = 0 and the largest |k| along x and along z."""
    ks = wave_vectors(params, coupling)
    return ks[[0, params.n_k, 2 * params.n_k]]


def _check(params: Parameters, family: str, coupling: float, ctx: TaskContext) -> np.ndarray:
    """Dense eigenvalues and the fast dispersion solver on one grid at k = 0 and the largest k
    along x and z: (dense rates, fast rates, fast floors) (3, 3) [MeV] (two independent methods)."""
    grid = _grid(params, "energy", _check_grid_n(params))
    state = pairing.initial_state_from_occupation(pairing.occupation_profile(family, grid), seed_amplitude=0.0)
    pp = pairing.PairingParams(coupling)
    system = pairing.FullModel().bind(grid, pp)
    floor = params.dispersion_floor_over_mu * coupling * params.e_max_MeV ** 3
    out = []
    for k in _check_vectors(params, coupling):
        dense = pairing.growth_rates(state, grid, pp, method="dense", return_eigenvectors=False, k_MeV=k)
        fast = pairing.dispersion_rates(system.operator(state, k), return_eigenvectors=False, rate_floor_MeV=floor)
        out.append([dense.max_growth_rate, fast.max_growth_rate, fast.rate_floor_MeV])
    return np.array(out).T


def _cost(params: Parameters, seq: str, n: int, coupling: float) -> float:
    """Per k (measured on one core): dense ~0.01 s + 1.5e-9 (2N)^3 s; the fast solver ~0.2 s
    plus ~3 s x (4e-4 MeV / floor) for a grid with no growth above its floor."""
    n_modes = _n_modes(seq, n)
    n_wave = 1 + 2 * params.n_k
    if n_modes <= params.n_dense_max:
        return n_wave * (1e-2 + 1.5e-9 * (2 * n_modes) ** 3)
    floor = params.dispersion_floor_over_mu * coupling * params.e_max_MeV ** 3
    return n_wave * (0.2 + 1e-6 * n_modes + 3.0 * min(1.0, 4e-4 / floor))


def _jobs(params: Parameters):
    res = _resolutions(params)
    return [(f, k, seq, n) for f in FAMILIES for k in range(len(couplings(params))) for seq in SEQUENCES
            for n in res[seq]]


def tasks(params: Parameters, seed) -> list[Task]:
    """One task per (family, coupling, sequence, resolution): the linear analysis at every k."""
    gs = couplings(params)
    n_check = _check_grid_n(params)
    return ([Task(f"{f}/g{k}/{seq}/{n}", partial(_rates, params, f, gs[k], seq, n), cost=_cost(params, seq, n, gs[k]))
             for f, k, seq, n in _jobs(params)]
            + [Task(f"check/{f}/g{k}", partial(_check, params, f, g), cost=_check_cost(params, n_check, g))
               for f in FAMILIES for k, g in enumerate(gs)])


def cost_s(params: Parameters) -> float:
    """Estimated wall time [s] (default ~30 s): the per-job model, which overestimates the whole run
    by ~2 across the ranges measured in benchmarks/estimates.py, halved."""
    gs = couplings(params)
    n_check = _check_grid_n(params)
    return 2.0 + 0.5 * (sum(_cost(params, seq, n, gs[k]) for _, k, seq, n in _jobs(params))
                        + len(FAMILIES) * sum(_check_cost(params, n_check, g) for g in gs))


def _check_cost(params: Parameters, n_check: int, coupling: float) -> float:
    """Three wave vectors, each dense and by the fast solver (small grid: ~1 s at most per k)."""
    floor = params.dispersion_floor_over_mu * coupling * params.e_max_MeV ** 3
    dense = _cost(params, "energy", n_check, coupling) / (1 + 2 * params.n_k)
    return 3.0 * (dense + 0.1 + 1.0 * min(1.0, 4e-4 / floor))


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    gs = couplings(params)
    res = _resolutions(params)
    n_wave = 1 + 2 * params.n_k
    data = {}
    for seq in SEQUENCES:
        arr = np.zeros((3, len(FAMILIES), len(gs), len(res[seq]), n_wave))
        for j, f in enumerate(FAMILIES):
            for k in range(len(gs)):
                for i, n in enumerate(res[seq]):
                    arr[:, j, k, i] = results[f"{f}/g{k}/{seq}/{n}"]
        dims = ("family", "coupling", f"n_{seq}", "wave")
        data[f"growth_rate_vs_k_{seq}"] = variable(dims, arr[0], "MeV", f"max Re lambda at each k ({seq} sequence)")
        data[f"frequency_vs_k_{seq}"] = variable(dims, arr[1], "MeV", "|Im lambda| of that mode (nan: stable)")
        data[f"rate_floor_{seq}"] = variable(dims, arr[2], "MeV", "growth rate the solver searched down to")
    kvec = np.stack([wave_vectors(params, g) for g in gs])  # (coupling, wave, 3)
    check = np.stack([np.stack([results[f"check/{f}/g{k}"] for k in range(len(gs))]) for f in FAMILIES])
    dims = ("family", "coupling", "check_wave")
    data["check_dense_growth_rate"] = variable(dims, check[:, :, 0], "MeV",
                                               "max Re lambda by dense eigenvalues on the check grid")
    data["check_fast_growth_rate"] = variable(dims, check[:, :, 1], "MeV",
                                              "the same by the fast dispersion solver (0: none above its floor)")
    data["check_fast_floor"] = variable(dims, check[:, :, 2], "MeV", "the fast solver's floor")
    return xr.Dataset(
        data,
        coords={"family": variable(("family",), np.array(FAMILIES), "1", "occupation family"),
                "coupling": variable(("coupling",), np.array(gs), "MeV^-2", "coupling g'"),
                "n_phi": variable(("n_phi",), np.array(res["phi"]), "1", "phi bins (N_E = 1)"),
                "n_energy": variable(("n_energy",), np.array(res["energy"]), "1", "energy bins (N_phi = 4)"),
                "wave": variable(("wave",), np.arange(n_wave), "1", "index of the wave vector: 0 is k = 0"),
                "check_wave": variable(("check_wave",), np.array([0, params.n_k, 2 * params.n_k]), "1",
                                       "wave vectors of the cross-check: k = 0, largest along x, along z"),
                "k_MeV": variable(("coupling", "wave", "component"), kvec, "MeV", "wave vector"),
                "component": variable(("component",), np.array(["x", "y", "z"]), "1", "Cartesian component")},
        attrs={"e_max_MeV": params.e_max_MeV, "n_dense_max": params.n_dense_max, "n_energy_check": _check_grid_n(params),
               "noise_floor_MeV": pairing.GROWTH_NOISE_FLOOR_MeV},
    )


def _label(g: float) -> str:
    return f"{float(g):.3g}"


def _verdict(ns, fastest, at_zero, floor, fastest_k_abs) -> dict:
    """Category and sentence from the limits of the fastest rate over k and of the k = 0 rate."""
    lim_all = refinement_limit(ns, fastest, floor)
    lim_zero = refinement_limit(ns, at_zero, floor)
    gone = ("disappears", "absent")
    if lim_all.verdict in gone and lim_zero.verdict in gone:
        category = "removes the instability at every k"
    elif lim_all.verdict == "persists" and lim_zero.verdict in gone:
        category = "moves it to k != 0"
    elif lim_all.verdict == "persists" and lim_zero.verdict == "persists":
        category = "keeps it at k = 0" if fastest_k_abs == 0 else "keeps it, fastest at k != 0"
    else:  # includes limits that contradict each other (k = 0 persisting while the max over k falls)
        category = "not converged"
    return {"category": category, "max_over_k": {"verdict": lim_all.verdict, "value_MeV": lim_all.value,
                                                 "uncertainty_MeV": lim_all.uncertainty, "detail": lim_all.detail},
            "k_zero": {"verdict": lim_zero.verdict, "value_MeV": lim_zero.value,
                       "uncertainty_MeV": lim_zero.uncertainty, "detail": lim_zero.detail},
            "floor_MeV": float(floor)}


SUMMARY_KEYS = {
    "couplings_MeV2": "the coupling axis g' [MeV^-2]",
    "k_mu_MeV": "coupling label -> k_mu = sqrt(4 e_max mu') [MeV]",
    "wave_vectors_MeV": "coupling label -> list of the scanned k [MeV] (index 0 is k = 0; then x, then z)",
    "n_phi_values, n_energy_values": "resolutions of the two sequences",
    "growth_rate_vs_k": ("family -> coupling label -> {phi, energy} -> per resolution, list over the wave "
                         "vectors of max Re lambda [MeV] (0: no growth above the solver's floor)"),
    "fastest_k_MeV": "family -> coupling label -> {phi, energy} -> per resolution, the k [MeV] of the fastest growth",
    "verdict_k": ("family -> coupling label -> {phi, energy} -> {category, max_over_k, k_zero, floor_MeV}: does "
                  "refinement remove the instability at every k or move it to k != 0"),
    "verdict_k_sentence": "family -> coupling label -> one line in words",
    "dispersion_check": ("coupling label -> family -> on the grid (n_energy_check, 1, 4), at k = 0 and the largest "
                         "k along x and z: dense and "
                         "fast-solver growth rates [MeV], the fast solver's floor, and whether they agree (1e-8 "
                         "relative above twice the floor; both zero below the noise floor)"),
}


def summary(ds: xr.Dataset) -> dict:
    gs = [float(g) for g in ds["coupling"].values]
    e3 = float(ds.attrs["e_max_MeV"]) ** 3
    out = {"couplings_MeV2": gs,
           "k_mu_MeV": {_label(g): float(np.sqrt(4.0 * float(ds.attrs["e_max_MeV"]) * g * e3)) for g in gs},
           "wave_vectors_MeV": {_label(g): ds["k_MeV"].sel(coupling=g).values.tolist() for g in gs},
           "n_phi_values": [int(n) for n in ds["n_phi"].values],
           "n_energy_values": [int(n) for n in ds["n_energy"].values],
           "growth_rate_vs_k": {}, "fastest_k_MeV": {}, "verdict_k": {}, "verdict_k_sentence": {},
           "dispersion_check": {}}
    for f in ds["family"].values:
        f = str(f)
        for key in ("growth_rate_vs_k", "fastest_k_MeV", "verdict_k", "verdict_k_sentence"):
            out[key][f] = {}
        for g in gs:
            lab = _label(g)
            kv = ds["k_MeV"].sel(coupling=g).values
            rates, fastest, verdicts, words = {}, {}, {}, []
            for seq in SEQUENCES:
                r = ds[f"growth_rate_vs_k_{seq}"].sel(family=f, coupling=g).values  # (n, wave)
                floor = float(np.max(ds[f"rate_floor_{seq}"].sel(family=f, coupling=g).values))
                rates[seq] = [[float(x) for x in row] for row in r]
                idx = np.argmax(r, axis=1)
                fastest[seq] = [kv[i].tolist() if r[j, i] > 0 else None for j, i in enumerate(idx)]
                ns = ds[f"n_{seq}"].values
                kfin = float(np.linalg.norm(kv[idx[-1]])) if r[-1, idx[-1]] > 0 else 0.0
                v = _verdict(ns, r.max(axis=1), r[:, 0], floor, kfin)
                verdicts[seq] = v
                name = "angular" if seq == "phi" else "energy"
                words.append(f"{name} refinement {v['category']} (max over k: {v['max_over_k']['verdict']}, "
                             f"k = 0: {v['k_zero']['verdict']}; floor {floor / (g * e3):.2g} mu')")
            out["growth_rate_vs_k"][f][lab] = rates
            out["fastest_k_MeV"][f][lab] = fastest
            out["verdict_k"][f][lab] = verdicts
            out["verdict_k_sentence"][f][lab] = f"{f}, g' = {lab} MeV^-2: " + "; ".join(words) + "."
            d = ds["check_dense_growth_rate"].sel(family=f, coupling=g).values
            q = ds["check_fast_growth_rate"].sel(family=f, coupling=g).values
            fl = ds["check_fast_floor"].sel(family=f, coupling=g).values
            noise = float(ds.attrs["noise_floor_MeV"])
            agree = [bool(abs(a - b) <= 1e-8 * a) if a > 2 * c else bool(b == 0.0) if a < noise else True
                     for a, b, c in zip(d, q, fl)]
            out["dispersion_check"].setdefault(lab, {})[f] = {
                "n_energy": int(ds.attrs["n_energy_check"]), "dense_growth_rate_MeV": [float(a) if a > noise else 0.0 for a in d],
                "fast_growth_rate_MeV": [float(b) for b in q], "fast_floor_MeV": [float(c) for c in fl],
                "agree": bool(all(agree))}
    return out


def plot(ds: xr.Dataset):
    """Fastest rate over k (solid) and at k = 0 (dashed) against resolution, per coupling and sequence;
    no growth above the solver's floor is drawn on the line at 1e-3 mu'."""
    gs = list(ds["coupling"].values)
    fig, axes = new_figure(len(gs), 2, width_in=11.0, height_in=3.8 * len(gs),
                           title="Continuum limit at every wave vector k (no growth drawn at 1e-3 mu')")
    bottom = 1e-3
    e3 = float(ds.attrs["e_max_MeV"]) ** 3
    for row, g in enumerate(gs):
        mu = float(g) * e3
        for col, seq in enumerate(SEQUENCES):
            ax = axes[row, col]
            n = ds[f"n_{seq}"].values
            for j, f in enumerate(ds["family"].values):
                r = ds[f"growth_rate_vs_k_{seq}"].sel(family=f, coupling=g).values / mu
                fast = np.where(r.max(axis=1) > 0, np.maximum(r.max(axis=1), bottom), bottom)
                zero = np.where(r[:, 0] > 0, np.maximum(r[:, 0], bottom), bottom)
                ax.loglog(n, fast, "o-", ms=3, lw=1.2, color=f"C{j}", label=str(f))
                ax.loglog(n, zero, "--", lw=1.0, color=f"C{j}")
            ax.plot([], [], "k-", label="fastest over k")
            ax.plot([], [], "k--", label="k = 0")
            ax.axhline(bottom, color="0.5", lw=0.8, ls=":", label="no growth")
            ax.set_ylim(0.5 * bottom, 10.0)
            xl = "N_phi (N_E = 1)" if seq == "phi" else "N_E (N_phi = 4)"
            ax.set_xlabel(axis_label(xl, None))
            ax.set_ylabel(axis_label("max Re lambda / mu'", None))
            ax.set_title(f"g' = {float(g):.0e} MeV^-2, {'angular' if seq == 'phi' else 'spectral'} refinement",
                         fontsize=9)
            ax.legend(fontsize=7, ncol=2)
    return fig


SCENARIO = Scenario(
    name="pairing-continuum-k",
    description="Does grid refinement remove the pairing instability at every wave vector k, or move it to k != 0?",
    reference=("nupair study (docs: Pairing modes with wave vector k) of Huang & Wu, arXiv:2604.25687, against "
               "Fiorillo, Raffelt & Sigl, arXiv:2605.27506"),
    parameters=Parameters,
    tasks=tasks,
    assemble=assemble,
    cost_s=cost_s,
    plot=plot,
    summary=summary,
    summary_keys=SUMMARY_KEYS,
)
