"""Statement Markdown → safe HTML: paragraphs, emphasis, lists, quotes and the outlet's notes.

Raw HTML is never passed through (it is shown as text), and links and images are not parsed,
so no statement can make the renderer fetch anything.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

OUTLET_NOTE = "outlet-note"


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.disable(["image", "link", "autolink", "html_inline", "html_block", "reference"])
    parser.use(container_plugin, name=OUTLET_NOTE)
    return parser


_PARSER = _parser()


def markdown_to_html(markdown: str) -> str:
    """Render a statement's Markdown; `::: outlet-note` blocks become `<div class="outlet-note">`."""
    return _PARSER.render(markdown)


def plain_paragraphs(markdown: str) -> list[str]:
    """The statement's own paragraphs as plain text, outlet notes excluded (for checks and tests)."""
    tokens = _PARSER.parse(markdown)
    paragraphs: list[str] = []
    in_note = 0
    for token in tokens:
        if token.type == f"container_{OUTLET_NOTE}_open":
            in_note += 1
        elif token.type == f"container_{OUTLET_NOTE}_close":
            in_note -= 1
        elif token.type == "inline" and not in_note:
            paragraphs.append("".join(
                " " if child.type in ("softbreak", "hardbreak") else child.content
                for child in token.children or []
            ))
    return paragraphs
