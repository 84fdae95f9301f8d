"""Balanced lines for short ragged texts (headings, contents titles): as many lines as the text
needs at its measure, with the breaks chosen so the lines are as even as possible — never a word
alone on a last line. And one-line texts (running heads) shortened at a word to fit their measure.

WeasyPrint 70 has no `text-wrap: balance`, so the breaks are chosen here, from the advance widths of
the layout's own font at the set size (fontTools), and handed to the layout as line breaks. The
measure is taken a little narrower than the layout's, so a line never re-breaks for want of the
kerning this measurement leaves out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from math import comb
from pathlib import Path

from fontTools.ttLib import TTFont

SAFETY = 0.97
"""Share of the measure the balanced lines may fill (kerning and rounding are not measured)."""
MAX_BALANCED_LINES, MAX_BREAK_SETS = 8, 20_000
"""Every way to break a title is tried while there are this few (any real title: a few hundred at
most); a longer text, a paragraph pasted as a title, keeps the lines filled one after the other
(trying every way grows as words^lines: a 100-word title in 8 lines would never finish)."""


@dataclass(frozen=True)
class Measure:
    """Where a text is set: its font file, size in points and measure (line length) in points."""

    font: Path
    size: float
    width: float
    tracking: float = 0.0
    """Letter-spacing in ems, added after every character (CSS `letter-spacing`)."""


@cache
def _advances(font: Path) -> tuple[dict[int, int], int, int]:
    with TTFont(font, lazy=True) as tt:
        cmap = tt["cmap"].getBestCmap()
        metrics = tt["hmtx"].metrics
        units = tt["head"].unitsPerEm
        widths = {code: metrics[name][0] for code, name in cmap.items()}
        return widths, units, metrics[cmap.get(ord(" "), ".notdef")][0]


def _units(text: str, font: Path) -> int:
    """Advance width of the text in font units (the sum of its characters' advances: no kerning)."""
    widths, _units_per_em, space = _advances(font)
    return sum(widths.get(ord(char), space) for char in text)


def text_width(text: str, measure: Measure) -> float:
    tracked = len(text) * measure.tracking * measure.size
    return _units(text, measure.font) * measure.size / _advances(measure.font)[1] + tracked


ELLIPSIS = "\u2026"
SHORT_WORD = 3
"""A cut running head does not end on a word this short or shorter."""


@lru_cache(maxsize=1024)
def one_line(text: str, measure: Measure, capitals: bool = False) -> str:
    """The text as it fits on one line (measured in capitals for a running head): whole when it
    fits, else cut after the last word that fits and is not a short word, trailing punctuation
    dropped, and ended with an ellipsis. A running head only names the part of the book the reader is in, so cutting it
    changes no statement's words, where a head running off the page spoils every page it is on."""
    limit = measure.width * SAFETY

    def width(candidate: str) -> float:
        return text_width(candidate.upper() if capitals else candidate, measure)

    if width(text) <= limit:
        return text
    words = text.split(" ")
    for count in range(len(words) - 1, 0, -1):
        kept = words[:count]
        # not on a short word ("of the…", «и…»): in any language these are mostly function words
        while len(kept) > 1 and len(kept[-1].strip(",;:.")) <= SHORT_WORD:
            kept.pop()
        shortened = " ".join(kept).rstrip(" ,;:.–—-\u00a0") + ELLIPSIS
        if width(shortened) <= limit:
            return shortened
    first = words[0]  # even the first word is too wide: cut it at a letter
    while first and width(first + ELLIPSIS) > limit:
        first = first[:-1]
    return first + ELLIPSIS


@lru_cache(maxsize=4096)
def balanced_lines(text: str, measure: Measure) -> tuple[str, ...]:
    """The text in the fewest lines that fit, the breaks at spaces chosen so the lines' lengths
    differ least (the sum of each line's squared shortfall from the longest). Remembered: a title
    is balanced for the contents and for its statement's opening, in every build of a watch."""
    words = text.split(" ")
    limit = measure.width * SAFETY
    units_per_em, space = _advances(measure.font)[1], _units(" ", measure.font)
    word_units = [_units(word, measure.font) for word in words]

    def width(start: int, end: int) -> float:
        """Words [start, end) set as one line: their advances and the spaces between them."""
        return (sum(word_units[start:end]) + (end - start - 1) * space) * measure.size / units_per_em

    greedy = _greedy_breaks(len(words), width, limit)
    lines_needed = len(greedy) + 1
    if lines_needed <= 1:
        return (text,)
    best: tuple[float, tuple[str, ...]] | None = None
    few = lines_needed <= MAX_BALANCED_LINES and comb(len(words) - 1, lines_needed - 1) <= MAX_BREAK_SETS
    for breaks in _break_sets(len(words), lines_needed) if few else [greedy]:
        bounds = list(zip((0, *breaks), (*breaks, len(words)), strict=True))
        widths = [width(a, b) for a, b in bounds]
        if max(widths) > limit:
            continue
        longest = max(widths)
        cost = sum((longest - line_width) ** 2 for line_width in widths)
        if best is None or cost < best[0]:
            best = (cost, tuple(" ".join(words[a:b]) for a, b in bounds))
    return best[1] if best else (text,)


def _greedy_breaks(words: int, width: Callable[[int, int], float], limit: float) -> tuple[int, ...]:
    """Where lines filled one after the other break: their count is the fewest lines that fit."""
    breaks, start = [], 0
    for end in range(1, words):
        if width(start, end + 1) > limit:
            breaks.append(end)
            start = end
    return tuple(breaks)


def _break_sets(words: int, lines: int) -> list[tuple[int, ...]]:
    """Every way to cut `words` words into `lines` non-empty lines (titles are short)."""
    if lines == 1:
        return [()]
    found = []
    for first in range(1, words - lines + 2):
        found += [(first, *(first + cut for cut in rest)) for rest in _break_sets(words - first, lines - 1)]
    return found
