"""Sphinx configuration of the nupair documentation site.

Build:  python3 -m pip install '.[docs]' && sphinx-build -W -b html docs docs/_build/html
The gallery pages are generated from the scenario registry at build time (docs/_ext/gallery.py);
figures are cached by a hash of the parameters in docs/_build/gallery-cache.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

import nupair  # noqa: E402

project = "nupair"
author = "the nupair developers"
copyright = "2026, the nupair developers"
release = nupair.__version__

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "mathml",
    "gallery",
    "apipages",
    "plaindoc",
    "validation",
]
myst_enable_extensions = ["dollarmath", "colon_fence"]
# MyST-NB reads every .md (plain pages and the executable tutorials, marked by their front matter)
# and runs the tutorials at build time; a failing cell fails the build
# "force": the pages run against the package being documented, never an earlier cached run
nb_execution_mode = "force"
nb_execution_raise_on_error = True
nb_execution_timeout = 600
nb_merge_streams = True
exclude_patterns = ["_build", "_ext", "jupyter_execute"]
html_theme = "furo"
# equations rendered to MathML at build time (docs/_ext/mathml.py): no MathJax, no CDN
html_math_renderer = "mathml"
html_static_path = ["_static"]
html_favicon = "_static/favicon.svg"
html_css_files = ["nupair.css"]
html_title = f"nupair {release}"
autodoc_default_options = {"members": True, "undoc-members": False, "show-inheritance": False}
autodoc_typehints = "none"
napoleon_numpy_docstring = True
napoleon_google_docstring = False
# names are re-exported by their package and defined in a submodule: a type named in a docstring
# ("Grid", "N") can resolve to both; the package-level page is the one users read
suppress_warnings = ["myst.header", "ref.python", "myst.xref_missing"]
napoleon_preprocess_types = False
napoleon_use_ivar = True
nitpicky = False
