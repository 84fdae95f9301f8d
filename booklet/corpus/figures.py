"""Reading figures and dates out of statement text: numbers, month names, paragraphs, sentences.

Shared by the importer and the editorial checks, so that "26,000", "26 000" and "26 000" are one
number everywhere, and "20 января", "в марте", "January 20" are months read from CLDR (Babel),
not from hand-typed lists.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from babel import Locale

from booklet.editorial.markup import OUTLET_NOTE

LANGUAGES = ("en", "ru", "az")

# A digit group separator of either locale: comma (en-GB), space, no-break or thin space (ru-RU).
NUMBER = re.compile(r"(?<!\d)\d{1,3}(?:[,\u0020\u00a0\u202f\u2009]\d{3})+(?!\d)|(?<!\d)\d+")


def numbers(text: str) -> list[int]:
    """Every number in the text, sorted: 26,000 and 26 000 are both 26000; 19-20 is 19 and 20."""
    return sorted(int(re.sub(r"\D", "", match[0])) for match in NUMBER.finditer(text))


@cache
def _month_forms() -> dict[str, int]:
    """Every month word of the languages, lower case → month number.

    CLDR gives the nominative and genitive; Russian also needs the prepositional (в марте), which
    is formed regularly from the nominative; Azerbaijani joins its case endings to the month
    (yanvarın, yanvarda, fevralından), in the vowel of the month's last syllable.
    """
    forms: dict[str, int] = {}
    for language in LANGUAGES:
        locale = Locale.parse(language)
        for context in ("format", "stand-alone"):
            for number, name in locale.months[context]["wide"].items():
                forms[name.lower()] = number
                if language == "ru" and context == "stand-alone":
                    forms[(name[:-1] if name[-1] in "ьй" else name).lower() + "е"] = number
                if language == "az":
                    forms |= dict.fromkeys(_azerbaijani_cases(name.lower()), number)
    return forms


def _azerbaijani_cases(word: str) -> list[str]:
    """A month's genitive, locative, ablative, dative and possessive forms (+ locative, ablative)."""
    vowel = next(char for char in reversed(word) if char in "aıoueəiöü")
    i = {"a": "ı", "ı": "ı", "o": "u", "u": "u", "e": "i", "ə": "i", "i": "i", "ö": "ü", "ü": "ü"}[vowel]
    a = "a" if vowel in "aıou" else "ə"
    return [word + ending for ending in (f"{i}n", f"d{a}", f"d{a}n", a, i, f"{i}nd{a}", f"{i}nd{a}n")]


def month_number(word: str) -> int | None:
    return _month_forms().get(word.lower())


MONTH = "|".join(sorted(_month_forms(), key=len, reverse=True))
DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}}) ({MONTH}),? (\d{{4}})(?!\d)", re.IGNORECASE)
MONTH_DAY_YEAR = re.compile(rf"\b({MONTH}) (\d{{1,2}}),? (\d{{4}})(?!\d)", re.IGNORECASE)
MONTH_YEAR = re.compile(rf"\b({MONTH}) (\d{{4}})(?!\d)", re.IGNORECASE)
MONTH_WORD = re.compile(rf"\b({MONTH})\b", re.IGNORECASE)

YEARS_SINCE = (
    re.compile(r"\b(?P<n>\d+) years? (?:have |has )?(?:passed|ago)\b"),
    re.compile(r"\bmarks (?P<n>\d+) years\b"),
    re.compile(r"(?:исполняется|исполнилось|прошло|прошел|прошёл) (?P<n>\d+) (?:год|года|лет)\b"),
    re.compile(r"\b(?P<n>\d+) (?:год|года|лет) назад\b"),
)
"""Phrases counting the years since the commemorated day: "36 years ago", «34 года назад»."""

ORDINAL_ANNIVERSARY = (
    re.compile(r"\b(?P<n>\d+)(?:st|nd|rd|th) anniversary\b", re.IGNORECASE),
    re.compile(r"\b(?P<n>\d+)-(?:я|ю|й|ой) годовщин", re.IGNORECASE),
)
"""Phrases naming an anniversary: "35th anniversary", «34-я годовщина»."""


def years_since(text: str) -> Iterator[re.Match[str]]:
    """Every "N years ago/have passed" phrase, in text order."""
    matches = [match for pattern in YEARS_SINCE for match in pattern.finditer(text)]
    return iter(sorted(matches, key=lambda match: match.start()))


def anniversary_mentions(text: str) -> Iterator[re.Match[str]]:
    matches = [
        m for pattern in (*YEARS_SINCE, *ORDINAL_ANNIVERSARY) for m in pattern.finditer(text)
    ]
    return iter(sorted(matches, key=lambda match: match.start()))


@dataclass(frozen=True)
class Paragraph:
    """One block of a statement's Markdown: its number (1-based), first line, and text."""

    number: int
    line: int
    text: str
    outlet_note: bool = False


def paragraphs(markdown: str) -> list[Paragraph]:
    """Blocks separated by blank lines; an outlet note counts as one (flagged) paragraph."""
    found: list[Paragraph] = []
    line = 1
    for block in re.split(r"(\n[ \t]*\n\s*)", markdown):
        if block.strip() and not block.isspace():
            lines = [text for text in block.strip().split("\n") if not text.startswith(":::")]
            found.append(
                Paragraph(
                    len(found) + 1,
                    line + (1 if block.startswith(":::") else 0),
                    "\n".join(lines),
                    block.startswith(f"::: {OUTLET_NOTE}"),
                )
            )
        line += block.count("\n")
    return found


_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+(?=[“\"«(A-ZА-ЯЁ0-9])|(?<=[.!?][”\"»])\s+")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: it ends at . ! ? (perhaps then a closing quote), a space."""
    spans, start = [], 0
    for gap in _SENTENCE_BREAK.finditer(text):
        spans.append((start, gap.start()))
        start = gap.end()
    spans.append((start, len(text)))
    return spans


def sentence_at(spans: list[tuple[int, int]], position: int) -> tuple[int, int]:
    """The span, of a text's `sentences`, that a position falls in (the last one starting at or
    before it): a search, not a walk through them all, for texts of many sentences."""
    return spans[max(0, bisect.bisect_right(spans, (position, math.inf)) - 1)]
