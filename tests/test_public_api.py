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
