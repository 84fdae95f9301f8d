"""The paragraph composer: chooses the line breaks of a whole paragraph at once (Knuth–Plass).

Plain data in, plain data out: a paragraph is a sequence of runs of text, each in one font file at
one size (CSS px, WeasyPrint's unit), set to a measure; the result is its lines, each with the word
and letter spacing that makes it fill the measure. Text is measured with the font files themselves
(HarfBuzz, which Pango uses), so the widths are the typesetter's own; hyphenation points come from
Pyphen, the dictionaries WeasyPrint uses, in each text's language.

Typographic rules are penalties and demerits, not special cases: loose and tight lines, hyphens,
two hyphens in a row, a change of tightness between neighbours, a short last line, no hyphen before
the last line, proper names hyphenated only as a last resort, numbers never, and a number kept with
the word it counts (dates included).
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyphen
import uharfbuzz as hb
from babel import Locale, UnknownLocaleError

INFINITY = 10_000
"""A penalty this large forbids a break; its negative forces one (TeX's convention)."""

DRAWN_TRUNCATION = 0.0005
"""Ems per spaced glyph that WeasyPrint 70's PDF writer loses by truncating glyph adjustments."""

SPACES = " \u00a0"
"""Characters WeasyPrint widens by `word-spacing`: the breakable and the no-break space."""

LAST_RESORT_TOLERANCE = 12.0
"""Adjustment ratio of the last pass: any line rather than none (an unbreakable run of text)."""


@dataclass(frozen=True)
class Run:
    """Text in one font file at one size (CSS px)."""

    text: str
    font: Path
    size: float


@dataclass(frozen=True)
class Paragraph:
    runs: tuple[Run, ...]
    measure: float
    """Width of the lines, CSS px."""
    indent: float = 0.0
    """The first line's indent, CSS px."""
    language: str = "en"
    hyphenate: bool = True
    limit_chars: tuple[int, int, int] = (6, 3, 3)
    """Shortest word hyphenated, fewest letters before and after the hyphen (CSS hyphenate-limit-chars)."""
    hyphen: str = "\u2010"


@dataclass(frozen=True)
class Settings:
    """The spacing limits and the penalties; lengths are fractions of the space or of the em."""

    space_stretch: float = 0.35
    space_shrink: float = 0.3
    letter_stretch: float = 0.02
    """Letter spacing (in em) added at adjustment ratio 1; it absorbs part of a line's slack."""
    letter_shrink: float = 0.02
    letter_limit: float = 0.02
    """Letter spacing never exceeds ±2 % of the em, the range book typographers use."""
    tolerance: float = 1.3
    line_penalty: float = 10
    hyphen_penalty: float = 250
    date_penalty: float = 800
    """Between a date's day and month and its year: only to avoid a line far too loose."""
    proper_name_penalty: float = 2000
    """A capitalised word is hyphenated only when nothing else works."""
    double_hyphen_demerits: float = 30000
    fitness_demerits: float = 3000
    final_hyphen_demerits: float = 1e7
    """A hyphen ending the last line but one: taken only to avoid a line about twice too loose
    (a two-line paragraph of long words)."""
    short_last_line: float = 0.2
    """The last line should fill at least this share of the measure…"""
    short_last_demerits: float = 1e6
    """…or cost this much, unless the paragraph is one line."""
    exact_margin: float = 0.02
    """CSS px left free at the end of a justified line, so that rounding never overfills it."""


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    """Characters [start, end) of the paragraph's collapsed text."""
    text: str
    hyphenated: bool
    """Ends at a hyphen the composer added (not a word's own hyphen)."""
    last: bool
    ratio: float
    """Adjustment ratio: 0 natural, 1 at the stretch limit, −1 at the shrink limit."""
    word_spacing: float = 0.0
    letter_spacing: float = 0.0
    proper_name_hyphen: bool = False


@dataclass(frozen=True)
class Composition:
    text: str
    """The paragraph's text with white space collapsed as CSS does."""
    run_of: tuple[int, ...]
    """Index of the run of every character of `text`."""
    lines: tuple[Line, ...]
    demerits: float
    alternatives: dict[int, float] = field(default_factory=dict)
    """Demerits of the best setting in each other feasible number of lines (looseness)."""


# ---------------------------------------------------------------------------------------------
# Measuring with the font files


@functools.lru_cache(maxsize=32)
def _hb_font(path: Path) -> tuple[hb.Font, int]:
    face = hb.Face(hb.Blob.from_file_path(str(path)))
    return hb.Font(face), face.upem


@functools.lru_cache(maxsize=200_000)
def text_width(text: str, font: Path, size: float, ligatures: bool = True) -> float:
    """Advance width of `text` shaped as one item, CSS px; Pango positions glyphs in 1/1024 units."""
    if not text:
        return 0.0
    hb_font, upem = _hb_font(font)
    buffer = hb.Buffer()
    buffer.add_str(text)
    buffer.guess_segment_properties()
    features = {} if ligatures else {"liga": False, "clig": False, "dlig": False}
    hb.shape(hb_font, buffer, features)
    scale = size * 1024 / upem
    return sum(round(position.x_advance * scale) for position in buffer.glyph_positions) / 1024


def forget_measurements() -> None:
    """Measure again from the font files (a long-running process after a font file changed)."""
    _hb_font.cache_clear()
    text_width.cache_clear()


def graphemes(text: str) -> int:
    return sum(1 for char in text if not unicodedata.combining(char))


# ---------------------------------------------------------------------------------------------
# The item list: boxes, glue and penalties


@dataclass
class _Item:
    kind: str  # "box", "glue", "penalty"
    width: float
    stretch: float
    shrink: float
    position: int
    """Index in the text where the item starts (for a break: where the next line starts)."""
    penalty: float = 0.0
    flagged: bool = False
    breakable: bool = True
    proper: bool = False


_WORD_CHARS = re.compile(r"\w", re.UNICODE)
_NUMBER = re.compile(r"^\W*\d[\d.,:/\u2013\u2011-]*\W*$")
_ENDS_CLAUSE = re.compile(r"[.;:!?)\]»”\u201d]$")


@functools.lru_cache(maxsize=32)
def _dictionary(language: str, left: int, right: int) -> pyphen.Pyphen | None:
    fallback = pyphen.language_fallback(language.replace("-", "_"))
    return pyphen.Pyphen(lang=fallback, left=left, right=right) if fallback else None


@functools.lru_cache(maxsize=32)
def _month_names(language: str) -> frozenset[str]:
    """The language's month names, full and abbreviated, in every grammatical form CLDR gives."""
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return frozenset()
    names: set[str] = set()
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            names.update(name.lower().rstrip(".") for name in locale.months[context][width].values())
    return frozenset(names)


def _core(word: str) -> str:
    return word.strip("\"'«»“”„‘’()[]{}.,;:!?…—–-")


def _keeps_with_next(word: str, following: str, months: frozenset[str]) -> bool:
    """A number stays with the word it counts or dates; a date is never broken."""
    core, next_core = _core(word), _core(following)
    if not core or not next_core:
        return False
    if _NUMBER.match(word) and not _ENDS_CLAUSE.search(word) and not word.endswith(","):
        return True  # 34 years, 19–20 January, 20 января
    return core.lower() in months and next_core[0].isdigit() and len(next_core) <= 2  # January 21


def _date_continues(word: str, following: str, months: frozenset[str]) -> bool:
    """The year after a day and month (January 21, 1990; 20 января 1990): broken only as a last resort."""
    return bool(re.fullmatch(r"\d{4}\W*", following)) and (
        (word.endswith(",") and _core(word).isdigit()) or _core(word).lower() in months)


def _hyphenation_points(word: str, paragraph: Paragraph) -> list[int]:
    """Where a word may take a hyphen: letters only, no digits, the layout's limits."""
    total, left, right = paragraph.limit_chars
    letters = re.search(r"\w+(?:[\u00ad]\w+)*", word)
    if not letters or any(char.isdigit() for char in word):
        return []
    core = letters.group()
    if len(core) < total or not core.isalpha():
        return []
    dictionary = _dictionary(paragraph.language, left, right)
    if dictionary is None:
        return []
    return [letters.start() + point for point in dictionary.positions(core)]


def collapse(runs: Sequence[Run]) -> tuple[str, tuple[int, ...]]:
    """The runs' text with CSS white-space collapsing, and the run of each character."""
    chars: list[str] = []
    run_of: list[int] = []
    for index, run in enumerate(runs):
        for char in run.text:
            if char in " \t\n\r\f":
                if not chars or chars[-1] == " ":
                    continue
                char = " "
            chars.append(char)
            run_of.append(index)
    while chars and chars[-1] == " ":
        chars.pop()
        run_of.pop()
    return "".join(chars), tuple(run_of)


def _segments(text: str, run_of: Sequence[int], start: int, end: int) -> list[tuple[int, str]]:
    """Split text[start:end] where the run changes: (run index, text)."""
    pieces: list[tuple[int, str]] = []
    for position in range(start, end):
        run = run_of[position]
        if pieces and pieces[-1][0] == run:
            pieces[-1] = (run, pieces[-1][1] + text[position])
        else:
            pieces.append((run, text[position]))
    return pieces


def _items(paragraph: Paragraph, text: str, run_of: Sequence[int], settings: Settings) -> list[_Item]:
    runs = paragraph.runs

    def width(start: int, end: int) -> float:
        return sum(text_width(piece, runs[run].font, runs[run].size)
                   for run, piece in _segments(text, run_of, start, end))

    def letters(start: int, end: int) -> tuple[float, float]:
        em = runs[run_of[start]].size if start < len(run_of) else runs[-1].size
        count = graphemes(text[start:end])
        return count * settings.letter_stretch * em, count * settings.letter_shrink * em

    months = _month_names(paragraph.language)
    words = [(match.start(), match.end()) for match in re.finditer(r"[^ \u00a0]+", text)]
    items: list[_Item] = []
    for number, (start, end) in enumerate(words):
        word = text[start:end]
        proper = _core(word)[:1].isupper()
        # Where the word may break: a hyphen the composer adds (True), or after the word's own
        # hyphen or an em dash (False: nothing is added).
        cuts = dict.fromkeys(_hyphenation_points(word, paragraph) if paragraph.hyphenate else [], True)
        for match in re.finditer(r"(?<=\w)[-\u2010](?=\w{2})|(?<=\w)\u2014(?=\w)", word):
            cuts[match.end()] = False
        previous = start
        for cut in sorted(cuts):
            stretch, shrink = letters(previous, start + cut)
            items.append(_Item("box", width(previous, start + cut), stretch, shrink, previous))
            if cuts[cut]:
                run = runs[run_of[start + cut - 1]]
                items.append(_Item("penalty", text_width(paragraph.hyphen, run.font, run.size), 0, 0, start + cut,
                                   penalty=settings.proper_name_penalty if proper else settings.hyphen_penalty,
                                   flagged=True, proper=proper))
            else:
                own_hyphen = word[cut - 1] != "\u2014"
                items.append(_Item("penalty", 0, 0, 0, start + cut, flagged=own_hyphen,
                                   penalty=settings.hyphen_penalty if own_hyphen else 0))
            previous = start + cut
        stretch, shrink = letters(previous, end)
        items.append(_Item("box", width(previous, end), stretch, shrink, previous))
        if number + 1 < len(words):
            gap = text[end]
            run = runs[run_of[end]]
            space = text_width(gap, run.font, run.size)
            next_word = text[words[number + 1][0]:words[number + 1][1]]
            breakable = gap == " " and not _keeps_with_next(word, next_word, months)
            items.append(_Item("glue", space, space * settings.space_stretch + settings.letter_stretch * run.size,
                               space * settings.space_shrink + settings.letter_shrink * run.size,
                               end + 1, breakable=breakable,
                               penalty=settings.date_penalty if _date_continues(word, next_word, months) else 0))
    # The paragraph's end: a forced break.
    items.append(_Item("glue", 0, 0, 0, len(text), breakable=False))
    items.append(_Item("penalty", 0, 0, 0, len(text), penalty=-INFINITY))
    return items


# ---------------------------------------------------------------------------------------------
# Knuth–Plass


@dataclass
class _Node:
    item: int
    line: int
    fitness: int
    demerits: float
    previous: _Node | None
    hyphen: bool
    """This break added a hyphen (a flagged penalty with a width)."""
    flagged: bool


def _fitness(ratio: float) -> int:
    if ratio < -0.5:
        return 0
    if ratio <= 0.5:
        return 1
    if ratio <= 1:
        return 2
    return 3


def _breaks(items: list[_Item], paragraph: Paragraph, settings: Settings,
            tolerance: float) -> dict[int, _Node]:
    """The best final node for every feasible number of lines."""
    widths = [0.0]
    stretches = [0.0]
    shrinks = [0.0]
    for item in items:
        add = item.kind != "penalty"
        widths.append(widths[-1] + (item.width if add else 0))
        stretches.append(stretches[-1] + (item.stretch if add else 0))
        shrinks.append(shrinks[-1] + (item.shrink if add else 0))
    measure = paragraph.measure
    last_index = len(items) - 1
    active: dict[tuple[int, int, int, bool], _Node] = {(0, 0, 1, False): _Node(-1, 0, 1, 0.0, None, False, False)}
    finals: dict[int, _Node] = {}
    for index, item in enumerate(items):
        if item.kind == "glue":
            if not item.breakable or items[index - 1].kind != "box":
                continue
        elif item.kind == "penalty":
            if item.penalty >= INFINITY:
                continue
        else:
            continue
        forced = item.kind == "penalty" and item.penalty <= -INFINITY
        candidates: dict[tuple[int, int, bool], _Node] = {}
        for key, node in list(active.items()):
            start = node.item + 1
            natural = widths[index] - widths[start] + (item.width if item.kind == "penalty" else 0)
            available = measure - (paragraph.indent if node.line == 0 else 0)
            if forced:
                shrink = max(shrinks[index] - shrinks[start], 1e-9)
                ratio = 0.0 if natural <= available else (available - natural) / shrink
            elif natural < available:
                stretch = stretches[index] - stretches[start]
                ratio = (available - natural) / stretch if stretch > 0 else math.inf
            else:
                shrink = shrinks[index] - shrinks[start]
                ratio = (available - natural) / shrink if shrink > 0 else -math.inf
            if ratio < -1 or forced:
                del active[key]
            if ratio < -1 or ratio > tolerance:
                continue
            badness = 0.0 if forced and ratio >= 0 else 100 * abs(ratio) ** 3
            demerits = (settings.line_penalty + badness) ** 2
            if item.penalty and not forced:
                demerits += math.copysign(item.penalty ** 2, item.penalty)
            added_hyphen = item.kind == "penalty" and item.width > 0
            if item.flagged and node.flagged:
                if node.previous is not None and node.previous.flagged:
                    continue  # never three hyphens in a row
                demerits += settings.double_hyphen_demerits
            fitness = _fitness(ratio)
            if abs(fitness - node.fitness) > 1:
                demerits += settings.fitness_demerits
            if forced:
                if node.hyphen:
                    demerits += settings.final_hyphen_demerits
                if node.line > 0 and natural < settings.short_last_line * measure:
                    demerits += settings.short_last_demerits
            total = node.demerits + demerits
            candidate_key = (node.line + 1, fitness, item.flagged and node.flagged)
            if candidate_key not in candidates or total < candidates[candidate_key].demerits:
                candidates[candidate_key] = _Node(index, node.line + 1, fitness, total, node,
                                                  added_hyphen, item.flagged)
        for (line, fitness, double), node in candidates.items():
            if index == last_index:
                if line not in finals or node.demerits < finals[line].demerits:
                    finals[line] = node
            else:
                active[(index, line, fitness, double)] = node
    return finals


def compose(paragraph: Paragraph, settings: Settings = Settings(), looseness: int = 0) -> Composition | None:
    """Break the paragraph into lines and fit each to the measure; None if it cannot be set.

    `looseness` asks for that many lines more (or fewer) than the best setting, if the spacing
    limits allow it.
    """
    text, run_of = collapse(paragraph.runs)
    if not text:
        return None
    items = _items(paragraph, text, run_of, settings)
    finals: dict[int, _Node] = {}
    # Looser lines only when no setting keeps to the limits (TeX's second pass), then any line.
    for tolerance in (settings.tolerance, settings.tolerance * 1.5, LAST_RESORT_TOLERANCE):
        finals = _breaks(items, paragraph, settings, tolerance)
        if finals:
            break
    if not finals:
        return None
    best = min(finals.values(), key=lambda final: final.demerits)
    chosen = finals.get(best.line + looseness, best)
    nodes: list[_Node] = []
    walk: _Node | None = chosen
    while walk is not None and walk.item >= 0:
        nodes.append(walk)
        walk = walk.previous
    nodes.reverse()
    lines = []
    start = 0
    for number, node in enumerate(nodes):
        item = items[node.item]
        end = item.position if item.kind == "penalty" else item.position - 1
        last = number == len(nodes) - 1
        lines.append(_fit(paragraph, text, run_of, start, end, node.hyphen, last, number == 0, settings,
                          proper=item.proper and node.hyphen))
        start = item.position
    alternatives = {line: node.demerits for line, node in finals.items() if line != chosen.line}
    return Composition(text, run_of, tuple(lines), chosen.demerits, alternatives)


def _line_runs(paragraph: Paragraph, text: str, run_of: Sequence[int], line: Line) -> list[tuple[int, str]]:
    """A line's text split by run, with the added hyphen in the run of the letter before it."""
    pieces = _segments(text, run_of, line.start, line.end)
    if line.hyphenated and pieces:
        run, piece = pieces[-1]
        pieces[-1] = (run, piece + paragraph.hyphen)
    return pieces


def _natural(paragraph: Paragraph, pieces: list[tuple[int, str]], spaced: bool, ligatures: bool) -> float:
    """A line's width as Pango measures it: a run is one item, unless spacing attributes split it
    at every space (WeasyPrint puts word spacing on the spaces), and letter spacing turns off ligatures."""
    total = 0.0
    for run, piece in pieces:
        font, size = paragraph.runs[run].font, paragraph.runs[run].size
        if not spaced:
            total += text_width(piece, font, size, ligatures)
            continue
        for part in re.split(r"([ \u00a0])", piece):
            total += text_width(part, font, size, ligatures)
    return total


def _fit(paragraph: Paragraph, text: str, run_of: Sequence[int], start: int, end: int, hyphenated: bool,
         last: bool, first: bool, settings: Settings, proper: bool) -> Line:
    """The exact word and letter spacing that make a line fill its measure."""
    line = Line(start, end, text[start:end], hyphenated, last, 0.0, proper_name_hyphen=proper)
    pieces = _line_runs(paragraph, text, run_of, line)
    available = paragraph.measure - (paragraph.indent if first else 0) - settings.exact_margin
    em = paragraph.runs[run_of[start]].size if start < len(run_of) else paragraph.runs[0].size
    spaces = sum(line.text.count(char) for char in SPACES)
    chars = graphemes(line.text) + (len(paragraph.hyphen) if hyphenated else 0)
    space_width = text_width(" ", paragraph.runs[run_of[start]].font, em)
    natural = _natural(paragraph, pieces, spaced=False, ligatures=True)
    if last and natural <= available:
        return line
    slack = available - _natural(paragraph, pieces, spaced=True, ligatures=True)
    per_space = space_width * (settings.space_stretch if slack >= 0 else settings.space_shrink)
    per_letter = em * (settings.letter_stretch if slack >= 0 else settings.letter_shrink)
    ratio = slack / (spaces * per_space + chars * per_letter) if spaces or chars else 0.0
    limit = settings.letter_limit * em
    letter = max(-limit, min(limit, ratio * per_letter))
    if abs(letter) > 1e-4:
        slack = available - _natural(paragraph, pieces, spaced=True, ligatures=False)
    else:
        letter = 0.0
    word = (slack - chars * letter) / spaces if spaces else 0.0
    if not spaces:
        letter = max(-limit, min(limit, slack / chars)) if chars else 0.0
    elif letter or word:
        # WeasyPrint draws each spaced glyph's adjustment truncated to 1/1000 em: on average half a
        # unit less than laid out, in the direction of the spacing. Lay the line out that much
        # wider (or narrower), so that the drawn line, which the reader sees, meets the measure.
        drawn_loss = DRAWN_TRUNCATION * em * (math.copysign(chars - spaces, letter) if letter else 0)
        drawn_loss += DRAWN_TRUNCATION * em * math.copysign(spaces, word + letter)
        word += drawn_loss / spaces
    return Line(start, end, line.text, hyphenated, last, ratio, round(word, 4), round(letter, 4), proper)
