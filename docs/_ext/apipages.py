"""Sphinx extension: one API page per public name (every entry of ``nupair.<package>.__all__``),
generated at build time, and an index per package listing each name with its summary line."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path

from plaindoc import _capability, cite_notes

PACKAGES = ["nupair", "nupair.pairing", "nupair.oile", "nupair.renp", "nupair.forces", "nupair.gradient",
            "nupair.numerics", "nupair.constants", "nupair.flavor", "nupair.results", "nupair.validation",
            "nupair.scenarios", "nupair.io", "nupair.plotting", "nupair.sweep"]


def _attribute_doc(pkg: str, name: str) -> str:
    """The ``#:`` comment lines right above ``name = ...`` in the package or one of its modules
    (the comments autodoc shows for module-level constants)."""
    import pkgutil
    import re

    module = importlib.import_module(pkg)
    files = [getattr(module, "__file__", None)]
    if hasattr(module, "__path__"):
        files += [str(Path(module.__path__[0]) / f"{m.name}.py") for m in pkgutil.iter_modules(module.__path__)]
    pattern = re.compile(rf"^{re.escape(name)}\s*[:=]")
    for path in filter(None, files):
        try:
            lines = Path(path).read_text().splitlines()
        except OSError:
            continue
        for i, line in enumerate(lines):
            if pattern.match(line):
                doc = []
                j = i - 1
                while j >= 0 and lines[j].startswith("#:"):
                    doc.insert(0, lines[j][2:].strip())
                    j -= 1
                if doc:
                    return " ".join(doc)
    return ""


def summary_line(obj, pkg: str | None = None, name: str | None = None) -> str:
    """First line of the object's own documentation ("" if it has none)."""
    if inspect.isclass(obj) or inspect.isroutine(obj) or inspect.ismodule(obj):
        doc = inspect.getdoc(obj) or ""
    else:  # data: a type's docstring is not the object's own
        doc = _attribute_doc(pkg, name) if pkg and name else ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def public_names():
    for pkg in PACKAGES:
        module = importlib.import_module(pkg)
        for name in getattr(module, "__all__", []):
            if name.startswith("__"):
                continue
            yield pkg, name, getattr(module, name)


def generate(app) -> None:
    out = Path(app.srcdir) / "api"
    gen = out / "generated"
    gen.mkdir(parents=True, exist_ok=True)
    index = ["# API reference", "", "Every public name of every package (its ``__all__``), one page each.", ""]
    toc = []
    current = None
    for pkg, name, obj in public_names():
        if pkg != current:
            index += ["", f"## `{pkg}`", "", cite_notes(summary_line(importlib.import_module(pkg)) or "",
                                                        _capability(pkg + ".x"), link=False), "",
                      "| name | summary |", "|---|---|"]
            current = pkg
        page = f"{pkg}.{name}"
        if inspect.isclass(obj):
            directive = "autoclass"
        elif callable(obj):
            directive = "autofunction"
        else:
            directive = "autodata"
        body = [f"# `{pkg}.{name}`", "", "```{eval-rst}", f".. currentmodule:: {pkg}", "",
                f".. {directive}:: {name}"]
        if directive == "autoclass":
            body += ["   :members:", "   :no-index:"] if False else ["   :members:"]
        body += ["```", ""]
        (gen / f"{page}.md").write_text("\n".join(body))
        line = cite_notes(summary_line(obj, pkg, name), _capability(f"{pkg}.{name}"), link=False)
        index.append(f"| [`{name}`](generated/{page}.md) | {line.replace('|', '/')} |")
        toc.append(f"generated/{page}")
    index += ["", "```{toctree}", ":hidden:", "", *toc, "```", ""]
    (out / "index.md").write_text("\n".join(index))


def setup(app):
    app.connect("builder-inited", generate)
    return {"version": "1", "parallel_read_safe": True}
