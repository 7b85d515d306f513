"""Sphinx extension: read nupair's plain-text docstrings as reStructuredText safely.

The docstrings are written for ``help()``: |x| for absolute values, ``a * b``, ``x_`` names and
indented equation lines. Before autodoc parses them this hook escapes the characters that
reStructuredText would read as markup (outside double backticks and math roles) and turns an
indented block that follows a text line into a literal block, so equations keep their layout.
"""

from __future__ import annotations

import re

_CAPABILITIES = ("pairing", "oile", "renp", "forces", "gradient")
_NOTES_FILE = re.compile(r"[Ss]pec(?:ification)?:?\s*(?:``)?(?:shared/spec/)?(?P<cap>pairing|oile|renp|forces|gradient)\.md(?:``)?,?"
                         r"\s*(?:sections?\s*|targets?\s*)?")
_NOTES_BARE = re.compile(r"\b[Ss]pec(?:'s)?,?\s+(?:sections?\s+|targets?\s+)?(?=[0-9T])")
_NOTES_WORD = re.compile(r"\b(?:the\s+)?spec\b(?!\w)", re.IGNORECASE)


def cite_notes(line: str, capability: str | None, link: bool = True) -> str:
    """Docstrings cite sections of the working notes a capability was built from ("spec 5.2",
    "spec oile.md 3.2"); on the site these become links to the index of those notes
    (docs/derivation-notes.md), which names each section's primary source (plain text inside
    literal blocks, where a link would not render)."""
    def ref(text, target):
        return f":ref:`{text} <{target}>`" if link else text

    line = _NOTES_FILE.sub(lambda m: ref(f"derivation notes ({m['cap']})", m["cap"]) + " §", line)
    cap = capability if capability in _CAPABILITIES else None
    text = f"derivation notes ({cap})" if cap else "derivation notes"
    line = _NOTES_BARE.sub(ref(text, cap or "derivation-notes") + " §", line)
    return _NOTES_WORD.sub(ref("derivation notes", "derivation-notes"), line)


def _capability(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "nupair" else None


_CODE = re.compile(r"(``.*?``|:math:`[^`]*`|:ref:`[^`]*`|`[^`]*`_?|\$[^$]+\$)")
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
    capability = _capability(name)
    out: list[str] = []
    in_literal = False
    prev_text = False
    for i, line in enumerate(lines):
        stripped = line.strip()
        indent = len(line) - len(line.lstrip())
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if _SECTION.match(line) or (nxt and _SECTION.match(nxt)) or stripped.startswith(".. "):
            out.append(line if stripped.startswith(".. ") else cite_notes(line, capability, link=False))
            prev_text = bool(stripped)
            in_literal = False
            continue
        if in_literal:
            if stripped and indent == 0:
                in_literal = False
                out.append("")
            else:
                out.append(cite_notes(line, capability, link=False))
                continue
        if stripped and indent > 0 and prev_text and not _is_field_body(out):
            # an indented block right after text: show it verbatim (equations, tables)
            out[-1] = out[-1] + ("" if out[-1].rstrip().endswith("::") else " ::")
            out.append("")
            out.append(cite_notes(line, capability, link=False))
            in_literal = True
            continue
        out.append(_escape(cite_notes(line, capability)) if stripped else line)
        prev_text = bool(stripped) and indent == 0
    lines[:] = out


def _is_field_body(out: list[str]) -> bool:
    """True inside a numpydoc parameter list (napoleon has already turned it into fields)."""
    return bool(out) and out[-1].lstrip().startswith(":")


def setup(app):
    app.connect("autodoc-process-docstring", process, priority=600)
    return {"version": "1", "parallel_read_safe": True}
