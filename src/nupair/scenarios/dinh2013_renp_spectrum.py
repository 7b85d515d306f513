"""RENP photon spectrum of Yb near the six thresholds: normal vs inverted ordering, Dirac vs
Majorana, several lightest masses (Dinh, Petcov, Sasao, Tanaka & Yoshimura, PLB 719 (2013) 154,
spectra and Majorana/Dirac ratios; the NuFact 2022 overview's spectrum figure; spec
``shared/spec/renp.md`` sections 1-3).
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Literal

import numpy as np
import xarray as xr
from pydantic import Field

from nupair import constants as const
from nupair import renp
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import Scenario, ScenarioParameters, Task, TaskContext, param, variable

__all__ = ["Parameters", "tasks", "cost_s", "memory_bytes", "MEMORY_PARAMETERS", "assemble", "plot", "summary", "SCENARIO", "SUMMARY_KEYS"]

Mass = Annotated[float, Field(ge=0.0, le=1.0)]
Phase = Annotated[float, Field(ge=-7.0, le=7.0)]


class Parameters(ScenarioParameters):
    """Spectrum parameters."""

    lightest_masses_eV: tuple[Mass, ...] = param((0.0, 0.01, 0.05), unit="eV", allowed="1 to 20 values, each in [0, 1]",
                                                 min_length=1, max_length=20,
                                                 description="lightest neutrino masses")
    dw_max_eV: float = param(6e-3, unit="eV", gt=0.0, lt=1.0, description="largest E_eg/2 - omega shown")
    n_omega: int = param(3000, unit="1", ge=10, le=1_000_000, description="photon energies")
    majorana_phases: tuple[Phase, Phase] = param((0.0, 0.0), unit="rad", allowed="two angles, each in [-7, 7]",
                                                 description="Majorana phases (alpha21, alpha31)")
    fit: Literal["nufit-6.0", "nufit-5.2"] = param("nufit-6.0", unit="", allowed="'nufit-6.0' or 'nufit-5.2'",
                                                   description="oscillation parameters (default NuFIT 6.0, column IC24 with SK atmospheric data)")
    atom: Literal["Yb"] = param("Yb", unit="", allowed="'Yb'", description="atom")


ORDERINGS = ("normal", "inverted")
NATURES = ("dirac", "majorana")
CHANNELS = ("11", "12", "13", "22", "23", "33")


def _omega(params: Parameters):
    atom = renp.ATOMS[params.atom]
    dw = np.linspace(0.0, params.dw_max_eV, params.n_omega + 1)[1:]
    return atom, dw, atom.E_eg_eV / 2 - dw


def _ordering(params: Parameters, ordering: str, ctx: TaskContext) -> dict:
    """Spectra (nature, lightest mass, omega), thresholds and masses for one ordering."""
    atom, _, omega = _omega(params)
    m0s = np.array(params.lightest_masses_eV, dtype=float)
    spec = np.zeros((2, m0s.size, omega.size))
    th = np.zeros((m0s.size, 6))
    masses = np.zeros((m0s.size, 3))
    for k, m0 in enumerate(m0s):
        m = renp.resolve_masses(lightest_mass_eV=m0, ordering=ordering, fit=params.fit)
        masses[k] = m
        th[k] = list(renp.thresholds(m, atom).values())
        for b, nature in enumerate(NATURES):
            spec[b, k] = renp.spectrum(omega, masses_eV=m, ordering=ordering, nature=nature, atom=atom,
                                       majorana_phases=params.majorana_phases, fit=params.fit)
        ctx.progress((k + 1) / m0s.size)
    return {"spectrum": spec, "threshold": th, "masses": masses}


def tasks(params: Parameters, seed) -> list[Task]:
    """One task per mass ordering."""
    return [Task(ordering, partial(_ordering, params, ordering)) for ordering in ORDERINGS]


def cost_s(params: Parameters) -> float:
    """Estimated wall time [s]: ~1e-6 s per photon energy and spectrum, plus ~1.8 s of start-up and
    the figure (calibrated in benchmarks/estimates.py)."""
    return 1.8 + 4 * len(params.lightest_masses_eV) * params.n_omega * 1e-6


MEMORY_PARAMETERS = ("n_omega",)


def memory_bytes(params: Parameters) -> float:
    """Estimated peak memory [bytes]: the interpreter (~330 MiB) and ~800 bytes per photon energy
    (the spectra of the four hypotheses per channel; measured 1.06 GiB at n_omega = 1e6)."""
    return 330 * 2**20 + 800.0 * params.n_omega


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    """I(omega) for each ordering, nature and lightest mass, and the thresholds."""
    atom, dw, omega = _omega(params)
    m0s = np.array(params.lightest_masses_eV, dtype=float)
    spec = np.stack([results[o]["spectrum"] for o in ORDERINGS])
    th = np.stack([results[o]["threshold"] for o in ORDERINGS])
    masses = np.stack([results[o]["masses"] for o in ORDERINGS])
    return xr.Dataset(
        {"spectrum": variable(("ordering", "nature", "lightest_mass", "omega"), spec, "1", "spectral function I(omega)"),
         "threshold": variable(("ordering", "lightest_mass", "channel"), th, "eV", "threshold omega_ij"),
         "masses": variable(("ordering", "lightest_mass", "mass_state"), masses, "eV", "neutrino masses"),
         "dw": variable(("omega",), dw, "eV", "E_eg/2 - omega")},
        coords={"ordering": variable(("ordering",), np.array(ORDERINGS), "1", "mass ordering"),
                "nature": variable(("nature",), np.array(NATURES), "1", "neutrino nature"),
                "lightest_mass": variable(("lightest_mass",), m0s, "eV", "lightest neutrino mass"),
                "omega": variable(("omega",), omega, "eV", "photon energy"),
                "channel": variable(("channel",), np.array(CHANNELS), "1", "pair channel ij"),
                "mass_state": variable(("mass_state",), np.arange(1, 4), "1", "mass eigenstate")},
        attrs={"atom": params.atom, "E_eg_eV": atom.E_eg_eV, "fit": params.fit},
    )


def _ratio(ds: xr.Dataset) -> xr.DataArray:
    d = ds["spectrum"].sel(nature="dirac")
    return xr.where(d > 0, ds["spectrum"].sel(nature="majorana") / d.where(d > 0, 1.0), np.nan)


def _label_thresholds(ax, ds, ordering, k: int, span_ueV: float) -> None:
    """Thin lines at the six thresholds of lightest mass k, labelled "ij" at the top of the panel;
    thresholds closer than 3 % of the axis share one label ("11/12/22"), one row of labels per mass."""
    w = ds["threshold"].sel(ordering=ordering).isel(lightest_mass=k)
    shifts = (ds.attrs["E_eg_eV"] / 2 - w.values) * 1e6
    names = [str(c) for c in w[w.dims[-1]].values] if w.dims else []
    order = np.argsort(shifts)
    groups: list[list[int]] = []
    for i in order:
        if groups and shifts[i] - shifts[groups[-1][0]] < 0.03 * span_ueV:
            groups[-1].append(i)
        else:
            groups.append([i])
    label_end, sub_row = -np.inf, 0
    for g in groups:
        for i in g:
            ax.axvline(shifts[i], color=f"C{k}", lw=0.5, alpha=0.6)
        label = " " + "/".join(names[i] for i in g)
        # a label that would run into the previous one drops half a row (~1.2 % of the axis per character)
        sub_row = 1 - sub_row if shifts[g[0]] < label_end else 0
        label_end = shifts[g[0]] + 0.012 * span_ueV * len(label)
        ax.text(shifts[g[0]], 0.985 - 0.08 * k - 0.038 * sub_row, label, transform=ax.get_xaxis_transform(),
                fontsize=6.5, color=f"C{k}", va="top", ha="left")


def plot(ds: xr.Dataset):
    """Top: I(omega) vs E_eg/2 - omega (Dirac solid, Majorana dashed); bottom: Majorana/Dirac."""
    fig, axes = new_figure(2, 2, width_in=11.0, height_in=7.5, title=f"RENP spectrum of {ds.attrs['atom']} near threshold")
    dw_ueV = ds["dw"].values * 1e6
    ratio = _ratio(ds)
    for a, ordering in enumerate(ds["ordering"].values):
        ax, axr = axes[0, a], axes[1, a]
        for k, m0 in enumerate(ds["lightest_mass"].values):
            s = ds["spectrum"].sel(ordering=ordering)
            ax.plot(dw_ueV, s.sel(nature="dirac").isel(lightest_mass=k), color=f"C{k}", label=f"m0 = {m0:g} eV")
            ax.plot(dw_ueV, s.sel(nature="majorana").isel(lightest_mass=k), color=f"C{k}", ls="--", lw=0.9)
            axr.plot(dw_ueV, ratio.sel(ordering=ordering).isel(lightest_mass=k), color=f"C{k}")
            _label_thresholds(ax, ds, ordering, k, dw_ueV[-1] - dw_ueV[0])
        ax.set_ylim(top=1.6 * float(ds["spectrum"].max()))
        ax.set_title(f"{ordering} ordering (solid Dirac, dashed Majorana; thin lines: thresholds ij)", fontsize=9)
        ax.set_xlabel(axis_label("E_eg/2 - omega", "micro-eV"))
        ax.set_ylabel(axis_label("I(omega)", None))
        # the empty band left of the 2.3 meV step: below the plateau in NO, above it in IO
        ax.legend(fontsize=7, loc="center left", bbox_to_anchor=(0.04, 0.24 if a == 0 else 0.42))
        axr.set_xlabel(axis_label("E_eg/2 - omega", "micro-eV"))
        axr.set_ylabel(axis_label("I_Majorana / I_Dirac", None))
    return fig


SUMMARY_KEYS = {
    "oscillation_fit": "the oscillation parameters used (default NuFIT 6.0, column 'IC24 with SK atmospheric data')",
    "endpoint_eV": "massless end point E_eg/2 [eV]",
    "thresholds_eV": "ordering -> lightest mass -> channel ij -> omega_ij [eV]",
    "threshold_shifts_ueV": "ordering -> lightest mass -> channel ij -> E_eg/2 - omega_ij [micro-eV]",
    "majorana_over_dirac_min": "ordering -> lightest mass -> smallest I_M/I_D over the scanned range",
    "normal_over_inverted_at_3meV": "lightest mass -> I_NO / I_IO (Dirac) at E_eg/2 - omega = 3 meV",
}


def summary(ds: xr.Dataset) -> dict:
    """Thresholds and the headline ratios."""
    half = ds.attrs["E_eg_eV"] / 2
    ratio = _ratio(ds)
    out = {"endpoint_eV": half, "thresholds_eV": {}, "threshold_shifts_ueV": {}, "majorana_over_dirac_min": {},
           "normal_over_inverted_at_3meV": {}}
    out["oscillation_fit"] = const.FIT_LABELS[ds.attrs["fit"]]
    for ordering in ds["ordering"].values:
        o = str(ordering)
        out["thresholds_eV"][o], out["threshold_shifts_ueV"][o], out["majorana_over_dirac_min"][o] = {}, {}, {}
        for k, m0 in enumerate(ds["lightest_mass"].values):
            th = ds["threshold"].sel(ordering=ordering).isel(lightest_mass=k).values
            key = f"{m0:g}"
            out["thresholds_eV"][o][key] = dict(zip(CHANNELS, map(float, th)))
            out["threshold_shifts_ueV"][o][key] = dict(zip(CHANNELS, map(float, (half - th) * 1e6)))
            r = ratio.sel(ordering=ordering).isel(lightest_mass=k).values
            out["majorana_over_dirac_min"][o][key] = float(np.nanmin(r)) if np.isfinite(r).any() else None
    dw = ds["dw"].values
    if dw[0] <= 3e-3 <= dw[-1]:
        j = int(np.argmin(np.abs(dw - 3e-3)))
        for k, m0 in enumerate(ds["lightest_mass"].values):
            d = ds["spectrum"].sel(nature="dirac").isel(lightest_mass=k, omega=j)
            io = float(d.sel(ordering="inverted"))
            out["normal_over_inverted_at_3meV"][f"{m0:g}"] = float(d.sel(ordering="normal")) / io if io > 0 else None
    return out


SCENARIO = Scenario(
    name="renp-spectrum",
    description="RENP photon spectrum of Yb near thresholds: NO vs IO, Dirac vs Majorana (Dinh et al. 2013)",
    reference="D.N. Dinh, S.T. Petcov, N. Sasao, M. Tanaka, M. Yoshimura, PLB 719 (2013) 154; Ge & Pasquini NuFact 2022",
    parameters=Parameters,
    tasks=tasks,
    assemble=assemble,
    cost_s=cost_s,
    memory_bytes=memory_bytes,
    memory_parameters=MEMORY_PARAMETERS,
    plot=plot,
    summary=summary,
    summary_keys=SUMMARY_KEYS,
    notes="The NuFact 2022 overview talk has three slips that nupair does not follow: the step function is Theta(omega_ij - omega), the neutral-current term is -delta_ij/2 (|a_33|^2 = (|U_e3|^2 - 1/2)^2), and the Z' Majorana term carries m_i m_j. The default oscillation fit is NuFIT 6.0; fit='nufit-5.2' reproduces the older worked numbers.",
)
