"""Anchors in a statement's text where it mentions a chronology event, so a reference gives the
page of the mention rather than the statement's first page.

Nothing is declared per statement: the chronology's evidence check (booklet.editorial.checks)
already finds, in the original, the paragraph whose sentence states a date of the event
(booklet.corpus.dates: any wording). A translation keeps its original's paragraphs one for one
(figure parity), so the same paragraph of the text the edition sets is searched for the sentence
stating the date, and the anchor is put before it (before the paragraph when the translation
states no date of the event). The anchor is an empty element:
the statement's words are not touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from booklet.corpus.dates import mention_spans
from booklet.corpus.figures import paragraphs
from booklet.corpus.model import PartialDate
from booklet.editorial.markup import STATEMENT_HEADING, markdown_to_html

MARK = "\ue002"
"""Stands in the Markdown for an anchor until it is rendered; never in a corpus text."""
_BLOCK_PREFIX = re.compile(r"(?:[ \t]*(?:[-*+]|\d{1,9}[.)]|>)[ \t]+)*")


@dataclass(frozen=True)
class Mention:
    """An anchor to place: before the sentence of paragraph `paragraph` that names the date."""

    anchor: str
    paragraph: int
    start: PartialDate
    end: PartialDate | None = None
    reference_year: int | None = None
    """The statement's year, from which "last year" counts."""


def _line_offsets(markdown: str) -> list[int]:
    offsets = [0]
    offsets += [match.end() for match in re.finditer("\n", markdown)]
    return offsets


def _position(markdown: str, mention: Mention) -> int | None:
    """Where in the Markdown the anchor goes, or None when the paragraph does not exist."""
    block = next((p for p in paragraphs(markdown) if p.number == mention.paragraph), None)
    if block is None or block.outlet_note:
        return None
    lines = _line_offsets(markdown)
    first_line = block.text.split("\n")[0]
    begin = markdown.find(first_line, lines[min(block.line, len(lines)) - 1])
    if begin < 0:
        return None
    spans = mention_spans(block.text, mention.start, mention.end, mention.reference_year)
    sentence_start = spans[0][0] if spans else 0
    if sentence_start == 0:
        sentence_start = _BLOCK_PREFIX.match(block.text).end()  # type: ignore[union-attr]
    return begin + sentence_start


def markdown_with_anchors(markdown: str, mentions: list[Mention]) -> str:
    """The statement's Markdown rendered to HTML with an empty `<span id>` before each mention."""
    if MARK in markdown:
        raise ValueError("the text contains a private-use character reserved for anchors")
    placed = sorted(
        ((position, mention.anchor) for mention in mentions
         if (position := _position(markdown, mention)) is not None),
        reverse=True,
    )
    for position, _anchor in placed:
        markdown = markdown[:position] + MARK + markdown[position:]
    html = markdown_to_html(markdown, top_heading=STATEMENT_HEADING)
    for _, anchor in reversed(placed):
        html = html.replace(MARK, f'<span class="mention" id="{anchor}"></span>', 1)
    return html
