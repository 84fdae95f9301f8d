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

LINE_BREAK = "\u2028"
"""A forced line break inside a paragraph (HTML's `<br>`) as the runs carry it: the line before it
is set like a last line, at its natural spacing, and the next starts after it."""

LAST_RESORT_TOLERANCE = 50.0
"""Word space of the last pass, which also allows a hyphen before the last line: any setting
rather than none (an unbreakable run of text)."""


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
    exceptions: tuple[str, ...] = ()
    """Words the dictionary lacks or breaks wrongly, written with a hyphen at each allowed break
    ("Azer-bai-jani"): TeX's `\\hyphenation{}`. A word listed without a hyphen is never broken."""


@dataclass(frozen=True)
class Settings:
    """The spacing limits and the penalties. A line's looseness is its word space over the natural
    space (what the reader sees, and what the figures measure), letter spacing included."""

    space_stretch: float = 0.35
    space_shrink: float = 0.3
    """How a line's slack is shared: word spaces take this share of their width for every 2 % of
    the em the letters take, until the letters reach their limit; then the spaces take the rest."""
    letter_limit: float = 0.02
    """Letter spacing never exceeds ±2 % of the em, the range book typographers use."""
    loose: float = 1.5
    """Word space (× natural) of a loose line: badness 100, TeX's stretch."""
    tight: float = 0.6
    """Word space of a tight line: badness 100."""
    tightest: float = 0.55
    """No line is set tighter than this."""
    tolerance: float = 1.85
    """The loosest line of a normal setting."""
    loosest: float = 1.95
    """The loosest line of a setting without a hyphen before the last line."""
    emergency: float = 2.6
    """The loosest line of the emergency pass, taken only when no setting keeps to `tolerance`."""
    line_penalty: float = 10
    hyphen_penalty: float = 400
    date_penalty: float = 800
    """Between a date's day and month and its year: only to avoid a line far too loose."""
    proper_name_penalty: float = 2000
    """A capitalised word is hyphenated only when no setting without it keeps to `tolerance`, and
    then at this cost."""
    final_hyphen: bool = True
    """A word broken across the last two lines of a paragraph is allowed (at `final_hyphen_demerits`)
    only when no setting within the tolerance exists without it; False: only as the very last resort."""
    final_hyphen_demerits: float = 1e7
    double_hyphen_demerits: float = 30000
    page_foot_demerits: float = 1e6
    """A page that ends at a hyphen (TeX's \\brokenpenalty): the paragraph is set again without it,
    in as many lines, when that costs fewer demerits than this."""
    fitness_demerits: float = 3000
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
    space: float
    """Word space over the natural space, letter spacing included (1: natural)."""
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
    glyphs: int
    """Glyphs that take letter spacing (a glue's space is one)."""
    capacity: float
    """Letter spacing its glyphs take at ±2 % of the em, CSS px in all."""
    position: int
    """Index in the text where the item starts (for a break: where the next line starts)."""
    penalty: float = 0.0
    flagged: bool = False
    breakable: bool = True
    proper: bool = False
    newline: bool = False
    """A forced line break inside the paragraph (`LINE_BREAK`, at `position`)."""


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


def _connects_numbers(word: str, following: str) -> bool:
    """A short word joining two numbers of a range ("19 на 20 января", "19 to 20 January"): it goes
    with the second number, and the first may end a line."""
    return word.isalpha() and word.islower() and len(word) <= 3 and _core(following)[:1].isdigit()


def _keeps_with_next(word: str, following: Sequence[str], months: frozenset[str]) -> bool:
    """A number stays with the word it counts or dates; a date is never broken."""
    core, next_core = _core(word), _core(following[0])
    if not core or not next_core:
        return False
    if _NUMBER.match(word) and not _ENDS_CLAUSE.search(word) and not word.endswith(","):
        # 34 years, 19–20 January, 20 января; but not 19 | на 20 января
        return not _connects_numbers(following[0], following[1] if len(following) > 1 else "")
    return core.lower() in months and next_core[0].isdigit() and len(next_core) <= 2  # January 21


def _date_continues(word: str, following: str, months: frozenset[str]) -> bool:
    """The year after a day and month (January 21, 1990; 20 января 1990): broken only as a last resort."""
    return bool(re.fullmatch(r"\d{4}\W*", following)) and (
        (word.endswith(",") and _core(word).isdigit()) or _core(word).lower() in months)


@functools.lru_cache(maxsize=32)
def _exceptions(words: tuple[str, ...]) -> dict[str, tuple[int, ...]]:
    """Each listed word (lower case, without hyphens) and the positions of its hyphens."""
    table = {}
    for listed in words:
        pieces = listed.lower().split("-")
        table["".join(pieces)] = tuple(sum(len(piece) for piece in pieces[:n]) for n in range(1, len(pieces)))
    return table


def _hyphenation_points(word: str, paragraph: Paragraph) -> list[int]:
    """Where a word may take a hyphen: letters only, no digits, the layout's limits; a word of the
    exceptions list where the list says."""
    total, left, right = paragraph.limit_chars
    letters = re.search(r"\w+(?:[\u00ad]\w+)*", word)
    if not letters or any(char.isdigit() for char in word):
        return []
    core = letters.group()
    if len(core) < total or not core.isalpha():
        return []
    listed = _exceptions(paragraph.exceptions).get(core.lower())
    if listed is not None:
        return [letters.start() + point for point in listed if left <= point <= len(core) - right]
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
            if char == LINE_BREAK:  # white space around a forced break goes, as CSS has it
                while chars and chars[-1] == " ":
                    chars.pop()
                    run_of.pop()
            elif char in " \t\n\r\f":
                if not chars or chars[-1] in (" ", LINE_BREAK):
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

    def letters(start: int, end: int) -> tuple[int, float]:
        count = graphemes(text[start:end])
        em = runs[run_of[start]].size if start < len(run_of) else runs[-1].size
        return count, count * settings.letter_limit * em

    months = _month_names(paragraph.language)
    words = [(match.start(), match.end()) for match in re.finditer(r"[^ \u00a0\u2028]+", text)]
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
            items.append(_Item("box", width(previous, start + cut), *letters(previous, start + cut), previous))
            if cuts[cut]:
                run = runs[run_of[start + cut - 1]]
                items.append(_Item("penalty", text_width(paragraph.hyphen, run.font, run.size),
                                   len(paragraph.hyphen), len(paragraph.hyphen) * settings.letter_limit * run.size,
                                   start + cut, flagged=True, proper=proper,
                                   penalty=settings.proper_name_penalty if proper else settings.hyphen_penalty))
            else:
                own_hyphen = word[cut - 1] != "\u2014"
                items.append(_Item("penalty", 0, 0, 0, start + cut, flagged=own_hyphen,
                                   penalty=settings.hyphen_penalty if own_hyphen else 0))
            previous = start + cut
        items.append(_Item("box", width(previous, end), *letters(previous, end), previous))
        if number + 1 < len(words) and text[end] == LINE_BREAK:
            items.append(_Item("glue", 0, 0, 0, end, breakable=False))
            items.append(_Item("penalty", 0, 0, 0, end, penalty=-INFINITY, newline=True))
        elif number + 1 < len(words):
            gap = text[end]
            run = runs[run_of[end]]
            following = [text[s:e] for s, e in words[number + 1:number + 3]]
            breakable = gap == " " and not _keeps_with_next(word, following, months)
            items.append(_Item("glue", text_width(gap, run.font, run.size), 1, settings.letter_limit * run.size,
                               end + 1, breakable=breakable,
                               penalty=settings.date_penalty if _date_continues(word, following[0], months) else 0))
    # The paragraph's end: a forced break.
    items.append(_Item("glue", 0, 0, 0, len(text), breakable=False))
    items.append(_Item("penalty", 0, 0, 0, len(text), penalty=-INFINITY))
    return items


# ---------------------------------------------------------------------------------------------
# Spacing a line: letter spacing takes part of the slack, word spaces the rest


def _spread(slack: float, spaces: float, capacity: float, settings: Settings) -> float:
    """The share (−1 to 1) of the letters' ±2 % that a line with this slack takes: in proportion
    with the word spaces while both have room, then the spaces take the rest."""
    per_space = settings.space_stretch if slack >= 0 else settings.space_shrink
    room = spaces * per_space + capacity
    if room <= 0:
        return 0.0
    return max(-1.0, min(1.0, slack / room))


def _space(slack: float, gaps: int, spaces: float, glyphs: int, capacity: float, settings: Settings) -> float:
    """A line's word space over the natural space (letter spacing on both sides of each space
    included), when `slack` CSS px are shared among `gaps` spaces of natural width `spaces` in all
    and `glyphs` letters of letter-spacing capacity `capacity`; infinite if it cannot be set."""
    share = _spread(slack, spaces, capacity, settings)
    letters = share * capacity
    if gaps == 0 or spaces <= 0:  # no space that can stretch (a hyphenated run of one long word)
        return 1.0 if abs(slack - letters) < 1e-6 else math.inf
    per_letter = letters / glyphs if glyphs else 0.0
    return 1 + (slack - letters + 2 * per_letter * gaps) / spaces


def _badness(space: float, settings: Settings) -> float:
    if space >= 1:
        return 100 * ((space - 1) / (settings.loose - 1)) ** 3
    return 100 * ((1 - space) / (1 - settings.tight)) ** 3


def _fitness(space: float, settings: Settings) -> int:
    """Tight, decent, loose, very loose (TeX's classes, on the word space)."""
    if space < (1 + settings.tight) / 2:
        return 0
    if space <= (1 + settings.loose) / 2:
        return 1
    if space <= settings.loose:
        return 2
    return 3


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


@dataclass(frozen=True)
class _Pass:
    tolerance: float
    """The loosest word space allowed."""
    proper_names: bool
    """Capitalised words may be hyphenated."""
    final_hyphen: bool
    """The last line but one may end at a hyphen."""
    counts_lines: bool = True
    """Settings of each number of lines are kept apart (for the looseness the page plan asks of
    the result). The emergency passes keep only the best at each break (the plan takes no setting
    that loose, and the best one is the same): with their wide tolerance many breaks are feasible,
    and keeping each number of lines apart made a long paragraph quadratic (minutes)."""


def _breaks(items: list[_Item], paragraph: Paragraph, settings: Settings, rules: _Pass,
            unhyphenated: frozenset[int] = frozenset()) -> dict[int, _Node]:
    """The best final node for every feasible number of lines; no line numbered in `unhyphenated`
    (from 1) ends at an added hyphen."""
    widths, glyphs, capacities, gaps, spaces = [0.0], [0], [0.0], [0], [0.0]
    for item in items:
        add = item.kind != "penalty"
        glue = item.kind == "glue"
        widths.append(widths[-1] + (item.width if add else 0))
        glyphs.append(glyphs[-1] + (item.glyphs if add else 0))
        capacities.append(capacities[-1] + (item.capacity if add else 0))
        gaps.append(gaps[-1] + glue)
        spaces.append(spaces[-1] + (item.width if glue else 0))
    measure = paragraph.measure
    last_index = len(items) - 1
    active: dict[tuple[int, int, int, bool], _Node] = {(0, 0, 1, False): _Node(-1, 0, 1, 0.0, None, False, False)}
    finals: dict[int, _Node] = {}
    for index, item in enumerate(items):
        if item.kind == "glue":
            if not item.breakable or items[index - 1].kind != "box":
                continue
        elif item.kind == "penalty":
            if item.penalty >= INFINITY or (item.proper and not rules.proper_names):
                continue
        else:
            continue
        forced = item.kind == "penalty" and item.penalty <= -INFINITY
        at_penalty = item.kind == "penalty"
        candidates: dict[tuple[int, int, bool], _Node] = {}
        for key, node in list(active.items()):
            start = node.item + 1
            natural = widths[index] - widths[start] + (item.width if at_penalty else 0)
            slack = measure - (paragraph.indent if node.line == 0 else 0) - natural
            if forced and slack >= 0:
                space = 1.0  # the last line is set at its natural spacing
            else:
                space = _space(slack, gaps[index] - gaps[start], spaces[index] - spaces[start],
                               glyphs[index] - glyphs[start] + (item.glyphs if at_penalty else 0),
                               capacities[index] - capacities[start] + (item.capacity if at_penalty else 0),
                               settings)
            too_tight = space < settings.tightest
            if too_tight or forced:
                del active[key]
            if too_tight or space > rules.tolerance:
                continue
            if at_penalty and item.width > 0 and node.line + 1 in unhyphenated:
                continue
            if forced and node.hyphen:
                if not rules.final_hyphen:
                    continue
                demerits_before = settings.final_hyphen_demerits
            else:
                demerits_before = 0.0
            demerits = demerits_before + (settings.line_penalty + _badness(space, settings)) ** 2
            if item.penalty and not forced:
                demerits += math.copysign(item.penalty ** 2, item.penalty)
            added_hyphen = at_penalty and item.width > 0
            if item.flagged and node.flagged:
                if node.previous is not None and node.previous.flagged:
                    continue  # never three hyphens in a row
                demerits += settings.double_hyphen_demerits
            fitness = _fitness(space, settings)
            if abs(fitness - node.fitness) > 1:
                demerits += settings.fitness_demerits
            if forced and index == last_index and node.line > 0 and natural < settings.short_last_line * measure:
                demerits += settings.short_last_demerits
            total = node.demerits + demerits
            candidate_key = (node.line + 1 if rules.counts_lines else 0, fitness, item.flagged and node.flagged)
            if candidate_key not in candidates or total < candidates[candidate_key].demerits:
                candidates[candidate_key] = _Node(index, node.line + 1, fitness, total, node,
                                                  added_hyphen, item.flagged)
        for (line, fitness, double), node in candidates.items():
            if index == last_index:
                if node.line not in finals or node.demerits < finals[node.line].demerits:
                    finals[node.line] = node
            else:
                active[(index, line, fitness, double)] = node
    return finals


def _passes(settings: Settings) -> tuple[_Pass, ...]:
    """TeX's passes, each only when the ones before find no setting: within the tolerance without
    hyphenating a capitalised word, then with; then up to the loosest line a typographer accepts;
    then with a word broken across the last two lines; then looser lines (emergency stretch);
    then anything."""
    return (_Pass(settings.tolerance, False, False), _Pass(settings.tolerance, True, False),
            _Pass(settings.loosest, True, False), _Pass(settings.loosest, True, settings.final_hyphen),
            _Pass(settings.emergency, True, settings.final_hyphen, counts_lines=False),
            _Pass(LAST_RESORT_TOLERANCE, True, True, counts_lines=False))


def compose(paragraph: Paragraph, settings: Settings = Settings(), looseness: int = 0,
            unhyphenated: frozenset[int] = frozenset(), lines: int | None = None) -> Composition | None:
    """Break the paragraph into lines and fit each to the measure; None if it cannot be set.

    `looseness` asks for that many lines more (or fewer) than the best setting, if the spacing
    limits allow it. `unhyphenated`: lines (numbered from 1) that must not end at an added hyphen
    (the last line of a page); `lines`: exactly that many lines, or None if the limits do not allow it.
    """
    text, run_of = collapse(paragraph.runs)
    if not text or text[0] == LINE_BREAK or text[-1] == LINE_BREAK or LINE_BREAK * 2 in text:
        return None  # an empty line: left to the typesetter
    items = _items(paragraph, text, run_of, settings)
    finals: dict[int, _Node] = {}
    for rules in _passes(settings):
        finals = _breaks(items, paragraph, settings, rules, unhyphenated)
        if finals if lines is None else lines in finals:
            break
    if not finals or (lines is not None and lines not in finals):
        return None
    best = min(finals.values(), key=lambda final: final.demerits)
    chosen = finals[lines] if lines is not None else finals.get(best.line + looseness, best)
    nodes: list[_Node] = []
    walk: _Node | None = chosen
    while walk is not None and walk.item >= 0:
        nodes.append(walk)
        walk = walk.previous
    nodes.reverse()
    fitted = []
    start = 0
    for number, node in enumerate(nodes):
        item = items[node.item]
        end = item.position if item.kind == "penalty" else item.position - 1
        last = number == len(nodes) - 1 or item.newline
        fitted.append(_fit(paragraph, text, run_of, start, end, node.hyphen, last, number == 0, settings,
                           proper=item.proper and node.hyphen))
        start = item.position + item.newline
    alternatives = {line: node.demerits for line, node in finals.items() if line != chosen.line}
    return Composition(text, run_of, tuple(fitted), chosen.demerits, alternatives)


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
    line = Line(start, end, text[start:end], hyphenated, last, 1.0, proper_name_hyphen=proper)
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
    limit = settings.letter_limit * em
    letter = _spread(slack, spaces * space_width, chars * limit, settings) * limit
    if abs(letter) > 1e-4:
        slack = available - _natural(paragraph, pieces, spaced=True, ligatures=False)
    else:
        letter = 0.0
    word = (slack - chars * letter) / spaces if spaces else 0.0
    if not spaces:
        letter = max(-limit, min(limit, slack / chars)) if chars else 0.0
    space = (space_width + word + 2 * letter) / space_width if spaces else 1.0
    if spaces and (letter or word):
        # WeasyPrint draws each spaced glyph's adjustment truncated to 1/1000 em: on average half a
        # unit less than laid out, in the direction of the spacing. Lay the line out that much
        # wider (or narrower), so that the drawn line, which the reader sees, meets the measure.
        drawn_loss = DRAWN_TRUNCATION * em * (math.copysign(chars - spaces, letter) if letter else 0)
        drawn_loss += DRAWN_TRUNCATION * em * math.copysign(spaces, word + letter)
        word += drawn_loss / spaces
    return Line(start, end, line.text, hyphenated, last, space, round(word, 4), round(letter, 4), proper)
