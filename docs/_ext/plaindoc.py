"""Sphinx extension: read nupair's plain-text docstrings as reStructuredText safely.

The docstrings are written for ``help()``: |x| for absolute values, ``a * b``, ``x_`` names and
indented equation lines. Before autodoc parses them this hook escapes the characters that
reStructuredText would read as markup (outside double backticks and math roles) and turns an
indented block that follows a text line into a literal block, so equations keep their layout.
"""

from __future__ import annotations

import re

_CODE = re.compile(r"(``.*?``|:math:`[^`]*`|`[^`]*`_?|\$[^$]+\$)")
_SECTION = re.compile(r"^\s*(-{3,}|={3,})\s*$")


def _escape(text: str) -> str:
    parts = _CODE.split(text)
    for i in range(0, len(parts), 2):  # even parts are outside code/math
        p = parts[i]
        p = p.replace("\\", "\\\\")
        p = p.replace("|", "\\|").replace("*", "\\*")
        p = re.sub(r"(\w)_(?=\W|$)", r"\1\\_", p)
        p = re.sub(r"(^|\s)_(\w)", r"\1\\_\2", p)
        parts[i] = p
    return "".join(parts)


def process(app, what, name, obj, options, lines):
    out: list[str] = []
    in_literal = False
    prev_text = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _SECTION.match(line) or (nxt and _SECTION.match(nxt)) or stripped.startswith(".. "):
            out.append(line)
            prev_text = bool(stripped)
            in_literal = False
            continue
        if in_literal:
            if stripped and indent == 0:
                in_literal = False
                out.append("")
            else:
                out.append(line)
                continue
        if stripped and indent > 0 and prev_text and not _is_field_body(out):
            # an indented block right after text: show it verbatim (equations, tables)
            out[-1] = out[-1] + ("" if out[-1].rstrip().endswith("::") else " ::")
            out.append("")
            out.append(line)
            in_literal = True
            continue
        out.append(_escape(line) if stripped else line)
        prev_text = bool(stripped) and indent == 0
    lines[:] = out


def _is_field_body(out: list[str]) -> bool:
    """True inside a numpydoc parameter list (napoleon has already turned it into fields)."""
    return bool(out) and out[-1].lstrip().startswith(":")


def setup(app):
    app.connect("autodoc-process-docstring", process, priority=600)
    return {"version": "1", "parallel_read_safe": True}
