"""Shared pieces of the gradient scenarios: EOS choice and the star."""

from __future__ import annotations

from typing import Literal

from nupair import gradient
from nupair.scenarios._base import ScenarioParameters, param


class StarParameters(ScenarioParameters):
    """EOS and star parameters."""

    eos: Literal["SLy", "FPS", "hybrid"] = param("hybrid", unit="", allowed="'SLy', 'FPS' or 'hybrid'",
                                                 description="equation of state (hybrid: SLy + quark core)")
    mass_msun: float = param(1.4, unit="M_sun", gt=0.1, le=3.0, description="gravitational mass")
    transition_pressure_dyn_cm2: float = param(1e35, unit="dyn cm^-2", ge=1e32, le=1e37,
                                               description="hybrid: transition pressure P_t")
    jump_ratio: float = param(0.4, unit="1", ge=0.0, le=5.0, description="hybrid: energy-density jump Delta eps / eps_t")
    cs2: float = param(1.0 / 3.0, unit="1", gt=0.0, le=1.0, description="hybrid: quark-matter sound speed squared")
    crust_core_density_jump: float = param(0.01, unit="1", ge=0.0, le=0.5, description="relative density jump at the crust-core boundary")
    crust_core_width_fm: float = param(10.0, unit="fm", ge=0.0, le=1e6, description="crust-core step width L")
    quark_width_fm: float = param(5.0, unit="fm", ge=0.0, le=1e6, description="hadron-quark step width L")


def build_eos(p: StarParameters):
    if p.eos == "SLy":
        return gradient.SLy()
    if p.eos == "FPS":
        return gradient.FPS()
    return gradient.Hybrid(gradient.SLy(), p.transition_pressure_dyn_cm2, p.jump_ratio, p.cs2)


def build_star(p: StarParameters, muons: bool = False):
    """The TOV star of the parameters' EOS and mass (a mass above the EOS's maximum is refused)."""
    from nupair.scenarios._base import UserInputError

    try:
        eos = build_eos(p)
    except ValueError as err:
        raise UserInputError(f"hybrid EOS parameters (transition_pressure_dyn_cm2, jump_ratio, cs2): {err}") from err
    try:
        return gradient.star(eos, mass_msun=p.mass_msun, muons=muons)
    except ValueError as err:
        raise UserInputError(f"parameter 'mass_msun': no stable star of {p.mass_msun!r} M_sun with eos={p.eos!r} "
                             f"and these EOS parameters ({err})") from err


def interfaces(p: StarParameters, s):
    return gradient.find_interfaces(s, crust_core_density_jump=p.crust_core_density_jump,
                                    crust_core_width_fm=p.crust_core_width_fm, quark_width_fm=p.quark_width_fm)
