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
quadrant window with tanh edges of width ``tanh_width_rad``), ``sine`` (0.5 + 0.4 sin phi), and
``smooth-energy`` (spec 7.1 profile S: 0.1 + 0.8 / (1 + exp((E - 10 MeV)/T)) in the first
quadrant, 0.1 elsewhere).
"""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from nupair import pairing
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import Scenario, ScenarioParameters, param, variable

FAMILIES = ("step", "tanh", "sine", "smooth-energy")


class Parameters(ScenarioParameters):
    """Continuum-limit study parameters."""

    coupling_MeV2: float = param(1e-6, unit="MeV^-2", gt=0.0, le=1.0, description="coupling g'")
    e_max_MeV: float = param(20.0, unit="MeV", gt=0.0, le=1e4, description="upper edge of the energy grid")
    n_phi_max: int = param(1024, unit="1", ge=8, le=2000,
                           description="finest phi grid of the angular sequence (N_E = 1; powers of 2 from 4)")
    n_energy_max: int = param(64, unit="1", ge=8, le=500,
                              description="finest energy grid of the spectral sequence (N_phi = 4; powers of 2 from 1)")
    tanh_width_rad: float = param(0.2, unit="rad", gt=0.0, le=3.0, description="edge width of the 'tanh' family")
    smooth_energy_T_MeV: float = param(2.0, unit="MeV", gt=0.0, le=100.0,
                                       description="width T of the 'smooth-energy' family")
    n_energy_for_phi: int = param(1, unit="1", ge=1, le=64, description="N_E held fixed in the angular sequence")
    n_phi_for_energy: int = param(4, unit="1", ge=4, le=256, description="N_phi held fixed in the spectral sequence")


def occupation(family: str, grid: pairing.Grid, params: Parameters) -> np.ndarray:
    """rho = rhobar of each mode for an occupation family (see the module docstring)."""
    phi = grid.phi
    first = grid.quadrant() == 0
    if family == "step":
        return np.where(first, 0.9, 0.1)
    if family == "tanh":
        dist = np.abs(np.angle(np.exp(1j * (phi - np.pi / 4))))  # angular distance to the quadrant centre
        return 0.1 + 0.4 * (1.0 + np.tanh((np.pi / 4 - dist) / params.tanh_width_rad))
    if family == "sine":
        return 0.5 + 0.4 * np.sin(phi)
    if family == "smooth-energy":
        f = 0.1 + 0.8 / (1.0 + np.exp((grid.energy_MeV - 10.0) / params.smooth_energy_T_MeV))
        return np.where(first, f, 0.1)
    raise ValueError(f"family={family!r} is not known; allowed: {FAMILIES}")


def _doublings(start: int, stop: int) -> list[int]:
    return [start * 2**k for k in range(int(math.log2(stop / start)) + 1)]


def extrapolate(ns, rates, floor: float = pairing.GROWTH_NOISE_FLOOR_MeV) -> dict:
    """Limit of a refinement sequence (N doubling): value, uncertainty [MeV] and verdict word."""
    r = np.where(np.asarray(rates) > floor, np.asarray(rates), 0.0)
    if not np.any(r > 0):
        return {"value_MeV": 0.0, "uncertainty_MeV": 0.0, "verdict": "absent",
                "detail": "stable at every resolution"}
    if r[-1] == 0.0 and r[-2] == 0.0:
        gone_from = int(ns[max(i for i in range(len(r)) if r[i] > 0) + 1]) if np.any(r > 0) else int(ns[0])
        return {"value_MeV": 0.0, "uncertainty_MeV": 0.0, "verdict": "disappears",
                "detail": f"no instability for N >= {gone_from}"}
    if np.any(r[-3:] == 0.0):
        return {"value_MeV": float(r[-1]), "uncertainty_MeV": float(np.max(r[-3:])),
                "verdict": "not converged", "detail": "rate jumps across the noise floor"}
    r1, r2, r3 = r[-3:]
    slope = math.log(r3 / r1) / math.log(ns[-1] / ns[-3])
    if slope < -0.5:
        return {"value_MeV": 0.0, "uncertainty_MeV": float(r3), "verdict": "disappears",
                "detail": f"rate falls like N^{slope:.2f}"}
    d1, d2 = r2 - r1, r3 - r2
    if d1 != 0.0 and d2 != 0.0 and d2 / d1 > 0 and abs(d2) < abs(d1):
        q = math.log2(d1 / d2)
        value = r3 + d2 / (2.0**q - 1.0)
    else:
        value = r3
    err = max(abs(value - r3), 1e-3 * abs(value))
    verdict = "persists" if value > 3.0 * err else "not converged"
    return {"value_MeV": float(value), "uncertainty_MeV": float(err), "verdict": verdict,
            "detail": f"Richardson from N = {ns[-3]}, {ns[-2]}, {ns[-1]}"}


def run(params: Parameters, seed, progress, checkpoint=None) -> xr.Dataset:
    """Growth rates along both refinement sequences for every family."""
    pp = pairing.PairingParams(params.coupling_MeV2)
    n_phi = _doublings(4, params.n_phi_max)
    n_energy = _doublings(1, params.n_energy_max)
    store = dict(checkpoint.load() or {}) if checkpoint is not None else {}
    jobs = [(f, "phi", n) for f in FAMILIES for n in n_phi] + [(f, "energy", n) for f in FAMILIES for n in n_energy]
    cost = np.array([(n * params.n_energy_for_phi if s == "phi" else params.n_phi_for_energy * n) ** 3
                     for _, s, n in jobs], dtype=float)
    done = 0.0
    rate = {("phi", f): np.zeros(len(n_phi)) for f in FAMILIES}
    rate.update({("energy", f): np.zeros(len(n_energy)) for f in FAMILIES})
    freq = {k: np.zeros_like(v) for k, v in rate.items()}
    host = {k: np.zeros(v.size, dtype=int) for k, v in rate.items()}
    for (family, seq, n), c in zip(jobs, cost):
        key = f"{family}/{seq}/{n}"
        if key not in store:
            grid = pairing.Grid(params.n_energy_for_phi, 1, n, e_max=params.e_max_MeV) if seq == "phi" else \
                pairing.Grid(n, 1, params.n_phi_for_energy, e_max=params.e_max_MeV)
            state = pairing.initial_state_from_occupation(occupation(family, grid, params), seed_amplitude=0.0)
            res = pairing.growth_rates(state, grid, pp, return_eigenvectors=seq == "energy")
            host_bin = np.argmax(np.bincount(grid.energy_index, weights=res.dominant_modes(0))) if seq == "energy" else 0
            store[key] = np.array([res.max_growth_rate, abs(res.eigenvalues[0].imag), host_bin])
            if checkpoint is not None:
                checkpoint.save(store)
        i = (n_phi if seq == "phi" else n_energy).index(n)
        rate[(seq, family)][i], freq[(seq, family)][i], host[(seq, family)][i] = store[key]
        done += c
        progress(done / cost.sum(), f"{family} {seq} N={n}")


    fam = np.array(FAMILIES)
    ds = xr.Dataset(
        {
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
        },
        coords={
            "family": variable(("family",), fam, "1", "occupation family"),
            "n_phi": variable(("n_phi",), np.array(n_phi), "1", "number of phi bins"),
            "n_energy": variable(("n_energy",), np.array(n_energy), "1", "number of energy bins"),
        },
    )
    ds.attrs["mu_prime_MeV"] = pp.coupling_MeV2 * params.e_max_MeV**3
    ds.attrs["noise_floor_MeV"] = pairing.GROWTH_NOISE_FLOOR_MeV
    ds.attrs["n_energy_for_phi"] = params.n_energy_for_phi
    ds.attrs["n_phi_for_energy"] = params.n_phi_for_energy
    return ds


def _verdicts(ds: xr.Dataset) -> dict:
    out = {}
    for f in ds["family"].values:
        out[str(f)] = {
            "phi": extrapolate(ds["n_phi"].values, ds["growth_rate_vs_n_phi"].sel(family=f).values),
            "energy": extrapolate(ds["n_energy"].values, ds["growth_rate_vs_n_energy"].sel(family=f).values),
        }
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
    """Growth rate against resolution (log-log), angular and spectral refinement."""
    fig, axes = new_figure(1, 2, width_in=11.0, height_in=4.0,
                           title="Continuum limit of the nu-nubar pairing instability (zero plotted at the noise floor)")
    mu = float(ds.attrs["mu_prime_MeV"])
    floor = float(ds.attrs["noise_floor_MeV"]) / mu
    for ax, seq, label in ((axes[0, 0], "phi", f"N_phi (N_E = {ds.attrs['n_energy_for_phi']})"),
                           (axes[0, 1], "energy", f"N_E (N_phi = {ds.attrs['n_phi_for_energy']})")):
        n = ds[f"n_{seq}"].values
        for f in ds["family"].values:
            r = ds[f"growth_rate_vs_n_{seq}"].sel(family=f).values / mu
            ax.loglog(n, np.maximum(r, floor), "o-", ms=3, label=str(f))
        ax.axhline(floor, color="0.5", lw=0.8, ls=":", label="noise floor")
        ax.set_xlabel(axis_label(label, None))
        ax.set_ylabel(axis_label("max Re lambda / mu'", None))
        ax.legend(fontsize=7)
    return fig


SUMMARY_KEYS = {
    "n_phi_values, n_energy_values": "resolutions of the two sequences",
    "growth_rate_vs_n_phi": "family -> list of max Re lambda [MeV] along n_phi_values (0: below the 1e-9 MeV noise floor)",
    "growth_rate_vs_n_energy": "family -> list of max Re lambda [MeV] along n_energy_values (0: below the noise floor)",
    "extrapolated_growth_rate": "family -> {phi, energy} -> {value_MeV, uncertainty_MeV, verdict, detail}",
    "verdict": "family -> one line: does the instability persist as resolution -> infinity",
}


def summary(ds: xr.Dataset) -> dict:
    """Tables, extrapolations and one-line verdicts (keys in SUMMARY_KEYS)."""
    mu = float(ds.attrs["mu_prime_MeV"])
    v = _verdicts(ds)
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
    }


SCENARIO = Scenario(
    name="pairing-continuum",
    description="Does the pairing instability survive grid refinement? (continuum-limit study, spec 7)",
    reference=("nupair study of Huang & Wu, arXiv:2604.25687, against Fiorillo, Raffelt & Sigl, "
               "arXiv:2605.27506; spec shared/spec/pairing.md section 7"),
    parameters=Parameters,
    run=run,
    plot=plot,
    summary=summary,
    summary_keys=SUMMARY_KEYS,
)
