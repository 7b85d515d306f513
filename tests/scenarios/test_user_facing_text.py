"""What a user reads about a scenario (``nupair show``, the gallery, summary.json, result.nc)
cites papers, never the project's internal specification files, which users do not have."""

import re

import pytest

from nupair.renp import ATOMS
from nupair.scenarios import REGISTRY, describe_parameters, get_scenario

SPEC_REFERENCE = re.compile(r"shared/spec|\b(pairing|oile|renp|forces|gradient)\.md\b|\bspec(?:'s)? ?\d|\(spec\b|; spec\b")


def _texts(name):
    sc = get_scenario(name)
    yield "description", sc.description
    yield "reference", sc.reference
    yield "notes", sc.notes
    for row in describe_parameters(sc.parameters):
        yield f"parameter {row['name']}", row["description"]
    for key, meaning in sc.summary_keys.items():
        yield f"summary key {key}", meaning


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_scenario_texts_cite_no_spec_file(name):
    bad = [f"{where}: {text!r}" for where, text in _texts(name) if SPEC_REFERENCE.search(text)]
    assert not bad, bad


def test_atom_references_cite_no_spec_file():
    bad = [f"{a.name}: {a.reference!r}" for a in ATOMS.values() if SPEC_REFERENCE.search(a.reference)]
    assert not bad, bad


def test_the_pattern_catches_what_it_must():
    for text in ("spec shared/spec/pairing.md section 7", "largest drift (spec 3.2)", "see renp.md 1.1", "x; spec forces.md"):
        assert SPEC_REFERENCE.search(text), text
    for text in ("RENP spectrum of Yb", "spectral function I(omega)", "Huang & Wu (2026), Fig. 2"):
        assert not SPEC_REFERENCE.search(text), text
