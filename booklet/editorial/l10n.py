"""Dates and numbers in the reader's locale, through Babel and CLDR: days, months, ranges, ordinals."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from booklet.corpus.model import DateSpan, PartialDate

_ABBREVIATED_MONTH = re.compile(r"(?<![ML])(MMM|LLL)(?![ML])")


def babel_locale(locale: str) -> Locale:
    return Locale.parse(locale, sep="-")


def format_partial_date(date: PartialDate, locale: str) -> str:
    """20 January 2024 / 20 января 2024 г.; February 1994 / февраль 1994 г.; 1991 / 1991 г.

    A year alone is written as the locale writes it in a full date, so a locale that marks the
    year (Russian «г.») marks it at every precision: one rule, from CLDR, for every date printed.
    """
    loc = babel_locale(locale)
    if date.precision == "day":
        return format_date(date.first_day(), "long", locale=loc)
    if date.precision == "month":
        return format_skeleton("yMMMM", date.first_day(), locale=loc)
    return format_date(date.first_day(), year_alone_pattern(loc), locale=loc)


_DAY_FIELD = re.compile(r"d+\.?\s*")
_MONTH_FIELD = re.compile(r"[ML]+\.?\s*")


def year_alone_pattern(loc: Locale) -> str:
    """The locale's long date pattern without its day and month: `y 'г'.` (ru), `y` (en)."""
    pattern = loc.date_formats["long"].pattern
    return _MONTH_FIELD.sub("", _DAY_FIELD.sub("", pattern)).strip(" ,")


def _full_month(pattern: str) -> str:
    """Widen CLDR's abbreviated month field to the full name, as ICU does for a `yMMMMd` request."""
    return _ABBREVIATED_MONTH.sub(lambda m: m.group(1) + m.group(1)[0], pattern)


def format_day_range(start: dt.date, end: dt.date, locale: str) -> str:
    """19–20 January 1990 / 19–20 января 1990 г., from the locale's own interval patterns."""
    loc = babel_locale(locale)
    greatest = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    first, second = loc.interval_formats["yMMMd"][greatest]
    return format_date(start, _full_month(first), locale=loc) + format_date(
        end, _full_month(second), locale=loc
    )


def format_span(span: DateSpan, locale: str) -> str:
    """A chronology date: a single date at its precision, or a range of days."""
    if span.end is None:
        return format_partial_date(span.start, locale)
    if span.start.precision == span.end.precision == "day":
        return format_day_range(span.start.first_day(), span.end.first_day(), locale)
    return f"{format_partial_date(span.start, locale)} – {format_partial_date(span.end, locale)}"


def source_date_epoch(default: PartialDate) -> int:
    """Honour SOURCE_DATE_EPOCH (reproducible builds); otherwise the booklet's own date."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    moment = dt.datetime.combine(default.first_day(), dt.time(), tzinfo=dt.UTC)
    return int(moment.timestamp())


@dataclass(frozen=True)
class Ordinal:
    """A number to be set as an ordinal: its digits and its CLDR ordinal plural form.

    The suffix is interface text (1st / 36-я / 36-cı): the layout's catalog gives one pattern per
    form, so a new language needs a catalog, not code.
    """

    number: str
    """The digits in the locale's format."""
    form: str
    """CLDR's ordinal plural category for the locale: zero, one, two, few, many or other."""


def ordinal(number: int, locale: str) -> Ordinal:
    loc = babel_locale(locale)
    return Ordinal(format_decimal(number, locale=loc), loc.ordinal_form(number))


def language_name(language: str, locale: str) -> str:
    """A language's name in the reader's locale, from CLDR: ru in en-GB → Russian, in az → rus."""
    return babel_locale(locale).languages.get(language, language)
