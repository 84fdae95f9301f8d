"""Dates as a statement's sentences state them: a day, a range of days, a month, a year, a range
of years — in English, Russian and Azerbaijani, with CLDR's month names (booklet.corpus.figures)
and the numeric shapes the importer reads (booklet.corpus.furniture).

The chronology's rule "this sentence mentions that event" is a comparison of dates, not of words:
"20 January 1990", «в ночь с 19 на 20 января 1990 года», "January 19–20, 1990", «19-20 сентября
прошлого года» and "1990-cı il yanvarın 20-də" are each read as the days they name, and a
sentence mentions an event when one of its dates falls within the event's dates at least as
precisely as the event is dated (a day of a night across two days names that night; "January
1990" does not name a day of it).
"""

from __future__ import annotations

import datetime as dt
import re
from calendar import monthrange
from dataclasses import dataclass
from functools import cache, lru_cache

from booklet.corpus.figures import MONTH, month_number, sentence_at, sentences
from booklet.corpus.furniture import dates_in
from booklet.corpus.model import PartialDate

_RANK = {"year": 0, "month": 1, "day": 2}


@dataclass(frozen=True)
class StatedDate:
    """A date as the text states it: where (offsets in the text) and which days."""

    start: int
    end: int
    first: PartialDate
    last: PartialDate

    def names(self, start: PartialDate, end: PartialDate | None = None) -> bool:
        """Does this date name (a part of) the event dated `start`–`end`, at the event's precision?"""
        if _RANK[self.first.precision] < _RANK[start.precision]:
            return False
        return _first_day(self.first) <= _last_day(end or start) and _first_day(start) <= _last_day(self.last)


def _first_day(date: PartialDate) -> dt.date:
    return date.first_day()


def _last_day(date: PartialDate) -> dt.date:
    month = date.month or 12
    return dt.date(date.year, month, date.day or monthrange(date.year, month)[1])


RELATIVE_YEARS = {
    -1: ("last year", "the previous year", "прошлого года", "прошлом году", "прошедшего года",
         "keçən il", "keçən ilin", "ötən il", "ötən ilin"),
    0: ("this year", "этого года", "этом году", "текущего года", "текущем году", "bu il", "bu ilin"),
}
"""Years named relative to the statement's own date ("19–20 September last year")."""

_YEAR = r"(?P<{}>(?:1[5-9]|2[01])\d\d)(?!\d|’?s\b|'s\b|-?х\b|-?е\b)"
"""A year; not a decade ("1980s", «80-х») nor a group of a larger number ("26 000")."""
_DAY = r"(?<![\d.,])(?P<{}>[0-3]?\d)(?!\d)(?:st|nd|rd|th|-[^\W\d_]{{1,3}})?"
"""A day of the month, perhaps with its ordinal or case ending: 20th, 20-го, 20-də, 19-dan."""
_RANGE = r"(?:\s*[–—‒-]\s*|\s+(?:to|and|till|until|through|по|на|и|до|və)\s+)"
_OF_YEAR = r"(?:,?\s+" + _YEAR.format("y") + ")?"


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    month = rf"(?P<{{}}>{MONTH})\b"
    m1, m2 = month.format("m1"), month.format("m2")
    day = d1 = _DAY.format("d1")
    d2 = _DAY.format("d2")
    shapes = (
        rf"{d1}(?:\s+{m1})?{_RANGE}{d2}\s+{m2}{_OF_YEAR}",  # 19–20 January 1990, с 19 на 20 января
        rf"\b{m1}\s+{d1}{_RANGE}(?:{m2}\s+)?{d2}{_OF_YEAR}",  # January 19–20, 1990; yanvarın 19-dan 20-nə
        rf"{day}\s+{m1}{_OF_YEAR}",  # 20 January 1990, 20 января 1990 года
        rf"\b{m1}\s+{day}{_OF_YEAR}",  # January 20, 1990; yanvarın 20-də
        rf"\b{m1},?\s+{_YEAR.format('y')}",  # February 1994, в феврале 1994 года
        rf"(?<![\d.,])(?<!\d\s){_YEAR.format('y1')}{_RANGE}{_YEAR.format('y')}",  # 1990–1994
        rf"(?<![\d.,])(?<!\d\s){_YEAR.format('y')}",  # 1991, 1991-ci il
        rf"\b{m1}",  # a month whose year the sentence states apart: 1994-cü ilin fevralında
    )
    return tuple(re.compile(shape, re.IGNORECASE) for shape in shapes)


@cache
def _relative() -> re.Pattern[str]:
    phrases = sorted((p for group in RELATIVE_YEARS.values() for p in group), key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)


def _offset(phrase: str) -> int:
    return next(offset for offset, group in RELATIVE_YEARS.items() if phrase.lower() in group)


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    year: int | None
    first: tuple[int | None, int | None]
    """(month, day) of the first day; (None, None) for a year."""
    last: tuple[int | None, int | None]
    last_year: int | None = None


def _read(match: re.Match[str]) -> _Found:
    groups = match.groupdict()

    def number(name: str) -> int | None:
        return int(groups[name]) if groups.get(name) else None

    def month(name: str) -> int | None:
        return month_number(groups[name].replace("İ", "i")) if groups.get(name) else None

    m2 = month("m2") or month("m1")
    first = (month("m1") or m2, number("d1"))
    last = (m2, number("d2") or number("d1"))
    if groups.get("y1"):  # a range of years
        return _Found(match.start(), match.end(), number("y1"), (None, None), (None, None), number("y"))
    return _Found(match.start(), match.end(), number("y"), first, last)


def _candidates(text: str, reference_year: int | None) -> list[_Found]:
    found = [_Found(f.start, f.end, f.date.year, (f.date.month, f.date.day), (f.date.month, f.date.day))
             for f in dates_in(text)]
    for pattern in _patterns():
        found += [_read(match) for match in pattern.finditer(text)]
    if reference_year is not None:
        found += [_Found(m.start(), m.end(), reference_year + _offset(m[0]), (None, None), (None, None))
                  for m in _relative().finditer(text)]
    chosen: list[_Found] = []
    for item in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        # The longest reading at each place, then none that overlaps it: taken in order of start,
        # the chosen never overlap, so the last one chosen ends last (one comparison, not one each).
        if not chosen or item.start >= chosen[-1].end:
            chosen.append(item)
    return chosen


@lru_cache(maxsize=1024)
def stated_dates(text: str, reference_year: int | None = None) -> tuple[StatedDate, ...]:
    """Every date the text states, in text order. A day or month without its year takes the year
    stated on its own nearest to it in the same sentence ("in 1990, on the night of 19 to 20
    January"; «1990-cı il yanvarın 20-də»), or the year a relative phrase gives from
    `reference_year` (the statement's own year: «19-20 сентября прошлого года»); without one it
    is no date. Remembered: the checks ask it of each text once for every event of the chronology."""
    found = _candidates(text, reference_year)
    years = [f for f in found if f.first == (None, None) and f.last_year is None and f.year]
    spans = sentences(text)
    stated = []
    for item in found:
        year = item.year
        if year is None:
            sentence = sentence_at(spans, item.start)
            near = [f for f in years if sentence[0] <= f.start <= sentence[1]]
            if not near:
                continue
            year = min(near, key=lambda f: min(abs(f.start - item.end), abs(item.start - f.end))).year
        assert year is not None
        try:
            first = PartialDate.parse(_iso(year, *item.first))
            last = PartialDate.parse(_iso(item.last_year or year, *item.last))
            if last < first and item.last_year is None:  # 31 December – 1 January 1991
                first = PartialDate.parse(_iso(year - 1, *item.first))
        except ValueError:
            continue  # 31 February: not a date
        if first <= last:
            stated.append(StatedDate(item.start, item.end, first, last))
    return tuple(stated)


def _iso(year: int, month: int | None, day: int | None) -> str:
    return "-".join([f"{year:04d}", *(f"{part:02d}" for part in (month, day) if part is not None)])


def mention_spans(text: str, start: PartialDate, end: PartialDate | None = None,
                  reference_year: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text` stating a date that names the event `start`–`end`."""
    named = [date for date in stated_dates(text, reference_year) if date.names(start, end)]
    spans = sentences(text)
    around = [(sentence_at(spans, date.start), date.start) for date in named]
    return list(dict.fromkeys(span for span, at in around if span[0] <= at < span[1]))  # in text order, once
