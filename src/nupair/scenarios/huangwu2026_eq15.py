"""S.-J. Huang and M.-R. Wu, arXiv:2604.25687 (2026), eqs. (14)-(16): linear stability of the
two-pair model for any occupations — the quick scenario behind parameter sweeps.

Spec ``shared/spec/pairing.md`` section 4.1. For occupations (rho_x, rhobar_x, rho_z, rhobar_z)
and mu/E it returns the four eigenvalues of M (eq. 14, exact with Et = E - 2 mu), the growth rate
max Re lambda and the E >> mu estimate of eq. 16, 2 mu sqrt(|(rt_x - 1)(rt_z - 1)|) when the
excessive pair-occupation numbers rt - 1 have opposite signs (the instability criterion).
"""

from __future__ import annotations

from functools import partial

import numpy as np
import xarray as xr

from nupair import pairing
from nupair.plotting import axis_label, new_figure
from nupair.scenarios._base import Scenario, ScenarioParameters, Task, TaskContext, param

__all__ = ["Parameters", "tasks", "assemble", "plot", "summary", "SCENARIO", "SUMMARY_KEYS"]


class Parameters(ScenarioParameters):
    """Two-pair stability parameters."""

    rho_x: float = param(1.0, unit="1", ge=0.0, le=1.0, description="neutrino occupation of the x pair")
    rhobar_x: float = param(0.3, unit="1", ge=0.0, le=1.0, description="antineutrino occupation of the x pair")
    rho_z: float = param(0.1, unit="1", ge=0.0, le=1.0, description="neutrino occupation of the z pair")
    rhobar_z: float = param(0.1, unit="1", ge=0.0, le=1.0, description="antineutrino occupation of the z pair")
    mu_over_energy: float = param(1e-3, unit="1", gt=0.0, le=0.1, description="mu/E")


def _eigenvalues(params: Parameters, ctx: TaskContext) -> dict:
    occ = (params.rho_x, params.rhobar_x, params.rho_z, params.rhobar_z)
    energy = 1.0 / params.mu_over_energy
    return {"eigenvalues": pairing.two_pair_eigenvalues(*occ, 1.0, energy),
            "growth_rate": pairing.two_pair_growth_rate(*occ, 1.0, energy),
            "growth_rate_eq16": pairing.two_pair_growth_rate_approx(*occ, 1.0)}


def tasks(params: Parameters, seed) -> list[Task]:
    """One task: the eigenvalues of HW eq. 14 in units of mu (mu = 1, E = 1/(mu/E))."""
    return [Task("eigenvalues", partial(_eigenvalues, params))]


def assemble(params: Parameters, results: dict) -> xr.Dataset:
    """Eigenvalues with the growth rates and the EPN product as attributes."""
    r = results["eigenvalues"]
    lam = r["eigenvalues"]
    occ = (params.rho_x, params.rhobar_x, params.rho_z, params.rhobar_z)
    ds = xr.Dataset(
        {
            "eigenvalue_re": xr.Variable(("eigen",), lam.real, {"units": "mu", "long_name": "Re lambda (growth rate)"}),
            "eigenvalue_im": xr.Variable(("eigen",), lam.imag, {"units": "mu", "long_name": "Im lambda"}),
        },
        coords={"eigen": xr.Variable(("eigen",), np.arange(4), {"units": "1", "long_name": "eigenvalue index"})},
    )
    ds.attrs.update({"growth_rate_over_mu": r["growth_rate"], "growth_rate_eq16_over_mu": r["growth_rate_eq16"],
                     "epn_product": (occ[0] + occ[1] - 1.0) * (occ[2] + occ[3] - 1.0)})
    return ds


def plot(ds: xr.Dataset):
    """Eigenvalues in the complex plane (growth rate on the horizontal axis)."""
    fig, axes = new_figure(1, 1, width_in=5.0, height_in=3.5, title="Two-pair eigenvalues (HW eq. 14)")
    ax = axes[0, 0]
    ax.plot(ds["eigenvalue_re"], ds["eigenvalue_im"], "o")
    ax.axvline(0.0, color="0.5", lw=0.8)
    ax.set_xlabel(axis_label("Re lambda", "mu"))
    ax.set_ylabel(axis_label("Im lambda", "mu"))
    return fig


SUMMARY_KEYS = {
    "growth_rate_over_mu": "max Re lambda of HW eq. 14 [mu]",
    "growth_rate_eq16_over_mu": "HW eq. 16 estimate [mu]",
    "unstable": "growth rate above 1e-9 mu",
    "epn_product": "(rho_x + rhobar_x - 1)(rho_z + rhobar_z - 1): negative = EPN crossing",
}


def summary(ds: xr.Dataset) -> dict:
    """Growth rates and the instability criterion."""
    rate = float(ds.attrs["growth_rate_over_mu"])
    return {"growth_rate_over_mu": rate, "growth_rate_eq16_over_mu": float(ds.attrs["growth_rate_eq16_over_mu"]),
            "unstable": bool(rate > 1e-9), "epn_product": float(ds.attrs["epn_product"])}


SCENARIO = Scenario(
    name="pairing-two-pair-stability",
    description="Two-pair stability for any occupations, HW eqs. 14-16 (fast: made for sweeps)",
    reference="S.-J. Huang & M.-R. Wu, arXiv:2604.25687 (2026), eqs. (14)-(16)",
    parameters=Parameters,
    tasks=tasks,
    assemble=assemble,
    cost_s=lambda params: 1.3,  # start-up; a sweep's points share it
    plot=plot,
    summary=summary,
    summary_keys=SUMMARY_KEYS,
)
