"""Statement Markdown → safe HTML: paragraphs, emphasis, lists, quotes and the outlet's notes.

Raw HTML is never passed through (it is shown as text), and links and images are not parsed,
so no statement can make the renderer fetch anything. Nor is code: a statement is prose, and a
paragraph pasted with four spaces of indent is a paragraph (Markdown would make it a code block,
set unbroken in a typewriter face, off the page), and backticks in a text are printed as written.
"""

from __future__ import annotations

import html
import re

from markdown_it import MarkdownIt
from mdit_py_plugins.container import container_plugin

OUTLET_NOTE = "outlet-note"
STATEMENT_HEADING = 3
"""The rank of a statement's own first heading level: below the statement's title (h2)."""


def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.disable(["image", "link", "autolink", "html_inline", "html_block", "reference", "code", "fence",
                    "backticks"])
    parser.use(container_plugin, name=OUTLET_NOTE)
    return parser


_PARSER = _parser()


def markdown_to_html(markdown: str, top_heading: int | None = None) -> str:
    """Render Markdown; `::: outlet-note` blocks become `<div class="outlet-note">`. With
    `top_heading`, the text's headings, whatever their marks (`#`, `###` …), take the ranks from it
    down, keeping their order of rank, at most h6: a statement's own headings rank below its title
    (3), never beside it, where they would reset its running head and bookmark."""
    tokens = _PARSER.parse(markdown)
    levels = sorted({int(token.tag[1]) for token in tokens if token.type == "heading_open"})
    ranks = {} if top_heading is None else {
        level: f"h{min(6, top_heading + index)}" for index, level in enumerate(levels)}
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and ranks:
            token.tag = ranks[int(token.tag[1])]
        elif token.type == "ordered_list_open" and token.attrGet("start") is not None:
            # WeasyPrint 70 ignores `start` (it would number "3." as "1."): the list's counter
            # says it too; readers of the EPUB and the web page, which honour both, see the same.
            token.attrSet("style", f"counter-reset: list-item {int(str(token.attrGet('start'))) - 1}")
    return str(_PARSER.renderer.render(tokens, _PARSER.options, {}))


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


_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def references_read(markdown: str) -> str:
    """The text with each character reference (`&#xE000;`, `&amp;`) read as the character it
    prints, padded with spaces to the reference's length: every other character keeps its offset and
    line (one naming a line feed is read as a space), for checks that name where they find a fault."""
    return _REFERENCE.sub(lambda ref: html.unescape(ref[0]).replace("\n", " ").ljust(len(ref[0])), markdown)


_LETTERS = re.compile(r"[^\W\d_]+")
_FENCE_LINE = re.compile(r"^[ \t]*:::.*$", re.MULTILINE)
_TAG = re.compile(r"<[^<>]*>")


def lost_word(markdown: str) -> tuple[int, str] | None:
    """Where the rendered text loses or changes a word of the Markdown: the word's offset in
    `markdown` and the word, or None when every word is printed, in order. Markdown's own signs are
    not words (`#`, `>`, `*`, a list's number), nor is an outlet note's fence; a character reference
    counts as the character it names. The renderer drops, without a word of warning, text nested
    deeper than it goes (a quotation in twenty quotations): this says it."""
    source = references_read(_FENCE_LINE.sub(lambda fence: " " * len(fence[0]), markdown))
    written = [(match.start(), match[0]) for match in _LETTERS.finditer(source)]
    printed = _LETTERS.findall(html.unescape(_TAG.sub(" ", markdown_to_html(markdown))))
    for (start, word), got in zip(written, printed, strict=False):
        if word != got:
            return start, word
    if len(written) > len(printed):
        return written[len(printed)]
    return None
