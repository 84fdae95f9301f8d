"""Balanced lines for short ragged texts (headings, contents titles): as many lines as the text
needs at its measure, with the breaks chosen so the lines are as even as possible — never a word
alone on a last line.

WeasyPrint 70 has no `text-wrap: balance`, so the breaks are chosen here, from the advance widths of
the layout's own font at the set size (fontTools), and handed to the layout as line breaks. The
measure is taken a little narrower than the layout's, so a line never re-breaks for want of the
kerning this measurement leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

SAFETY = 0.97
"""Share of the measure the balanced lines may fill (kerning and rounding are not measured)."""


@dataclass(frozen=True)
class Measure:
    """Where a text is set: its font file, size in points and measure (line length) in points."""

    font: Path
    size: float
    width: float


@cache
def _advances(font: Path) -> tuple[dict[int, int], int, int]:
    with TTFont(font, lazy=True) as tt:
        cmap = tt["cmap"].getBestCmap()
        metrics = tt["hmtx"].metrics
        units = tt["head"].unitsPerEm
        widths = {code: metrics[name][0] for code, name in cmap.items()}
        return widths, units, metrics[cmap.get(ord(" "), ".notdef")][0]


def text_width(text: str, measure: Measure) -> float:
    widths, units, space = _advances(measure.font)
    return sum(widths.get(ord(char), space) for char in text) * measure.size / units


def balanced_lines(text: str, measure: Measure) -> list[str]:
    """The text in the fewest lines that fit, the breaks at spaces chosen so the lines' lengths
    differ least (the sum of each line's squared shortfall from the longest)."""
    words = text.split(" ")
    limit = measure.width * SAFETY
    lines_needed = _greedy_count(words, measure, limit)
    if lines_needed <= 1:
        return [text]
    best: tuple[float, list[str]] | None = None
    for breaks in _break_sets(len(words), lines_needed):
        lines = [" ".join(words[a:b]) for a, b in zip((0, *breaks), (*breaks, len(words)), strict=True)]
        widths = [text_width(line, measure) for line in lines]
        if max(widths) > limit:
            continue
        longest = max(widths)
        cost = sum((longest - width) ** 2 for width in widths)
        if best is None or cost < best[0]:
            best = (cost, lines)
    return best[1] if best else [text]


def _greedy_count(words: list[str], measure: Measure, limit: float) -> int:
    count, line = 1, ""
    for word in words:
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, measure) > limit:
            count, line = count + 1, word
        else:
            line = candidate
    return count


def _break_sets(words: int, lines: int) -> list[tuple[int, ...]]:
    """Every way to cut `words` words into `lines` non-empty lines (titles are short)."""
    if lines == 1:
        return [()]
    found = []
    for first in range(1, words - lines + 2):
        found += [(first, *(first + cut for cut in rest)) for rest in _break_sets(words - first, lines - 1)]
    return found
