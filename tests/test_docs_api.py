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
