"""Every public callable, one bad argument at a time (issue 29, item 1).

The walker takes every callable in every ``__all__`` of the capabilities and the core, builds a
valid call from a table of example values (by parameter name, then by the unit its name ends
in), and checks that the call runs. Then, one parameter at a time, it replaces the value by a
bad one the parameter's kind rules out:

* a number parameter (an int or float default or example): a string ``"1.5"``, NaN, and ``None``
  when None is not its default;
* an option (a string default, or an example that is a string): ``"bogus"``.

A bad call must raise ``ValueError`` or ``TypeError`` whose message names the parameter, from
the public function (not a NumPy or SciPy traceback). A callable whose valid call cannot be
built from the table is listed as not walked; the test holds the walked share above a floor so
that it can only grow.
"""

from __future__ import annotations

import importlib
import inspect
import math
import pkgutil
import signal
from contextlib import contextmanager

import numpy as np
import pytest

import nupair

CAPABILITIES = ("pairing", "oile", "renp", "forces", "gradient", "numerics", "flavor", "validation")

#: Result types are made by nupair and read by users; their constructors are not an input boundary.
_RESULT_SUFFIXES = ("Result", "Evolution", "Trajectory", "Fit", "Measurement", "Curve", "Path", "Rates", "Pairs",
                    "VsK", "Root", "Comparison", "Heating", "Star", "Profile", "Encounter", "Ensemble", "Spectrum",
                    "Reach", "Outcome")


#: further result types (named otherwise)
_RESULT_TYPES = {"FastestMode", "GrowthStudy", "RefinementLimit", "TrappingWell", "MassRadius", "Interface",
                 "CoolingCoefficients", "InterfacePairs"}


def _public_callables():
    mods = [f"nupair.{c}" for c in CAPABILITIES]
    for pkg in list(mods):
        mod = importlib.import_module(pkg)
        if hasattr(mod, "__path__"):
            mods += [m.name for m in pkgutil.walk_packages(mod.__path__, f"{pkg}.")
                     if not m.name.split(".")[-1].startswith("_")]
    seen = {}
    for name in mods:
        mod = importlib.import_module(name)
        for attr in getattr(mod, "__all__", []):
            obj = getattr(mod, attr)
            if not callable(obj) or (inspect.isclass(obj) and issubclass(obj, BaseException)):
                continue
            if inspect.isclass(obj) and (attr.endswith(_RESULT_SUFFIXES) or attr in _RESULT_TYPES):
                continue
            key = f"{getattr(obj, '__module__', name)}.{getattr(obj, '__qualname__', attr)}"
            seen.setdefault(key, obj)
    return dict(sorted(seen.items()))


def _examples():
    from nupair import forces, gradient, oile, pairing, renp

    grid = pairing.Grid(1, 1, 4)
    return {
        "grid": grid, "params": pairing.PairingParams(1e-6), "state": pairing.hw_initial_state(grid, seed=1),
        "gas": oile.TwoGroupGas(n=100), "star": None, "experiment": renp.Experiment(),
        "h_sm": renp.Hypothesis("normal"), "a": "electron", "b": "electron", "r_m": 1e-6, "r": 1e-6,
        "n": 10, "n_steps": 10, "seed": 1, "t": np.linspace(0.0, 1.0, 5), "t_MeV": np.linspace(0.0, 1.0, 5),
        "mu": 1.0, "gamma": 0.1, "omega_eV": 1.0, "energy_MeV": 10.0, "energy": 10.0, "rho_x": 0.9,
        "rhobar_x": 0.9, "rho_z": 0.1, "rhobar_z": 0.1, "k_MeV": 0.0, "p_bg": np.array([0.5, 0.0, 0.0]),
        "p0": np.array([0.0, 0.0, 1.0]), "mass_eV": 0.05, "time_s": 1.0, "radius_km": 12.0,
        "eos": gradient.SLy() if hasattr(gradient, "SLy") else None, "coupling_per_MeV2": 1e-6,
        "source": "relic", "kind": None, "system": None, "background": None, "forces": forces,
    }


_UNIT_EXAMPLES = {"_eV": 1.0, "_MeV": 1.0, "_m": 1e-6, "_km": 10.0, "_K": 1e6, "_s": 1.0, "_Hz": 1.0,
                  "_cm3": 1.0, "_fm3": 0.16, "_m3": 1.0, "_yr": 100.0, "_deg": 10.0, "_rad": 0.1, "_eV2": 1e-3,
                  "_msun": 1.4, "_MeV2": 1e-6, "_per_s": 1.0}


def _example(name, examples):
    if name in examples and examples[name] is not None:
        return examples[name]
    for suffix, value in _UNIT_EXAMPLES.items():
        if name.endswith(suffix):
            return value
    raise LookupError(name)


@contextmanager
def _time_limit(seconds: float):
    def stop(signum, frame):
        raise TimeoutError(f"no answer within {seconds} s")

    old = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _base_call(obj, examples):
    """kwargs of a valid call (required parameters from the examples), or None."""
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    kwargs = {}
    for p in sig.parameters.values():
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) or p.default is not p.empty:
            continue
        try:
            kwargs[p.name] = _example(p.name, examples)
        except LookupError:
            return None
    try:  # generous: the first call may compile a kernel on a cold cache
        with _time_limit(120.0), np.errstate(all="ignore"):
            obj(**kwargs)
    except Exception:
        return None
    return kwargs


def _bad_values(p, value):
    """Bad values for parameter ``p`` whose valid value is ``value``."""
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, (int, float, np.integer, np.floating)):
        bad = [("string", "1.5"), ("nan", math.nan)]
        if p.default is not None:
            bad.append(("none", None))
        return bad
    if isinstance(value, str) and p.default is not p.empty and isinstance(p.default, str):
        return [("option", "bogus-option")]
    return []


def _cases():
    examples = _examples()
    cases, unwalked, walked = [], [], []
    for key, obj in _public_callables().items():
        base = _base_call(obj, examples)
        if base is None:
            unwalked.append(key)
            continue
        walked.append(key)
        for p in inspect.signature(obj).parameters.values():
            if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
                continue
            value = base.get(p.name, p.default)
            for label, bad in _bad_values(p, value):
                cases.append(pytest.param(obj, base, p.name, bad, id=f"{key}:{p.name}={label}"))
    return cases, walked, unwalked


CASES, WALKED, UNWALKED = _cases()


def test_the_walk_covers_the_public_api():
    share = len(WALKED) / (len(WALKED) + len(UNWALKED))
    print(f"walked {len(WALKED)} callables, {len(CASES)} bad calls; not walked ({len(UNWALKED)}): {UNWALKED}")
    assert share >= WALKED_FLOOR, f"walked share {share:.2f} fell below {WALKED_FLOOR}"


#: The share of public callables the walker can call validly from its examples; may only grow.
WALKED_FLOOR = 0.34


@pytest.mark.parametrize("obj, base, name, bad", CASES)
def test_a_bad_argument_is_refused_naming_the_parameter(obj, base, name, bad):
    kwargs = dict(base, **{name: bad})
    try:
        with _time_limit(10.0), np.errstate(all="ignore"):
            result = obj(**kwargs)
    except (ValueError, TypeError) as exc:
        assert name in str(exc), f"the message does not name {name!r}: {exc}"
        return
    pytest.fail(f"{name}={bad!r} was accepted (returned {type(result).__name__})")
