"""Sphinx extension: equations rendered to MathML at build time (latex2mathml), no JavaScript.

The pages then show their equations offline, with nothing fetched from a CDN and nothing typeset
in the browser (modern browsers render MathML Core natively). A formula that latex2mathml cannot
convert is a build warning (an error under -W), so a broken equation never reaches the site.
"""

from __future__ import annotations

import html

from docutils import nodes
from sphinx.util import logging

logger = logging.getLogger(__name__)


def _convert(latex: str, display: str, node) -> str:
    from latex2mathml.converter import convert

    try:
        return convert(latex, display=display)
    except Exception as exc:  # latex2mathml raises many types; the message names the construct
        logger.warning(f"equation not convertible to MathML ({type(exc).__name__}: {exc}): {latex!r}",
                       location=node)
        return f'<code class="math-tex">{html.escape(latex)}</code>'


def visit_math(self, node):
    self.body.append(f'<span class="math-mathml">{_convert(node.astext(), "inline", node)}</span>')
    raise nodes.SkipNode


def visit_math_block(self, node):
    latex = node.astext()
    number = ""
    if node.get("number"):
        number = f'<span class="eqno">({node["number"]})</span>'
    label = f' id="equation-{node["label"]}"' if node.get("label") else ""
    self.body.append(f'<div class="math-mathml math-block"{label}>{number}{_convert(latex, "block", node)}</div>')
    raise nodes.SkipNode


def setup(app):
    app.add_html_math_renderer("mathml", inline_renderers=(visit_math, None), block_renderers=(visit_math_block, None))
    return {"version": "1", "parallel_read_safe": True}
