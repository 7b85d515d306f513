"""Every public name is exported in __all__ and resolves; nothing private leaks."""

import importlib

import pytest

MODULES = ["nupair", "nupair.constants", "nupair.flavor", "nupair.numerics", "nupair.pairing", "nupair.oile", "nupair.forces",
           "nupair.renp", "nupair.gradient", "nupair.scenarios", "nupair.io", "nupair.plotting", "nupair.results",
           "nupair.validation"]


@pytest.mark.parametrize("name", MODULES)
def test_all_names_resolve_and_are_public(name):
    module = importlib.import_module(name)
    assert module.__all__, f"{name} has an empty __all__"
    for attr in module.__all__:
        assert hasattr(module, attr), f"{name}.{attr} listed in __all__ but missing"
        assert not attr.startswith("_") or attr == "__version__"


def test_issue_contract_names_exist():
    from nupair import pairing

    for attr in ("two_pair_rhs", "two_pair_stability_matrix", "two_pair_growth_rate"):
        assert callable(getattr(pairing, attr))


def _public_modules():
    import pkgutil

    import nupair

    out = ["nupair"]
    for m in pkgutil.walk_packages(nupair.__path__, "nupair."):
        parts = m.name.split(".")
        if not any(p.startswith("_") for p in parts[1:]):  # implementation modules are underscored
            out.append(m.name)
    return out


@pytest.mark.parametrize("name", _public_modules())
def test_public_face_is_exactly_all(name):
    """Both ways, for every public module: each name in __all__ resolves, and every public
    function or class the module defines is in __all__ (an implementation detail is underscored)."""
    import inspect
    import types

    module = importlib.import_module(name)
    assert hasattr(module, "__all__"), f"{name} has no __all__"
    for attr in module.__all__:
        assert hasattr(module, attr), f"{name}.{attr} listed in __all__ but missing"
    missing = [a for a, o in vars(module).items()
               if not a.startswith("_") and not isinstance(o, types.ModuleType)
               and (inspect.isfunction(o) or inspect.isclass(o)) and getattr(o, "__module__", "") == name
               and a not in module.__all__]
    assert not missing, f"{name} defines public {missing} outside __all__"
