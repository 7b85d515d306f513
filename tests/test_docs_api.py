"""Every public name (each package's __all__) gets an API page with a non-empty summary line
(the docs site's generator, docs/_ext/apipages.py, is what is checked)."""

import sys
from pathlib import Path

DOCS_EXT = Path(__file__).resolve().parents[1] / "docs" / "_ext"


def test_every_public_name_has_a_summary_line():
    sys.path.insert(0, str(DOCS_EXT))
    try:
        from apipages import public_names, summary_line
    finally:
        sys.path.remove(str(DOCS_EXT))
    names = list(public_names())
    assert len(names) > 200
    missing = [f"{pkg}.{name}" for pkg, name, obj in names if not summary_line(obj, pkg, name)]
    assert not missing, missing


def test_api_pages_cite_no_internal_spec_file():
    """On the site, a docstring's reference to the internal working notes ("spec 5.2") becomes a
    link to the derivation-notes index (docs/derivation-notes.md): nothing called "spec" is left."""
    import inspect
    import re

    sys.path.insert(0, str(DOCS_EXT))
    try:
        from apipages import public_names
        from plaindoc import _capability, cite_notes
    finally:
        sys.path.remove(str(DOCS_EXT))
    left = []
    for pkg, name, obj in public_names():
        doc = inspect.getdoc(obj) if (inspect.isclass(obj) or inspect.isroutine(obj)) else ""
        for line in (doc or "").splitlines():
            out = cite_notes(line, _capability(f"{pkg}.{name}"))
            if re.search(r"\bspec\b|shared/spec", out, re.IGNORECASE):
                left.append(f"{pkg}.{name}: {out.strip()}")
    assert not left, left[:10]
