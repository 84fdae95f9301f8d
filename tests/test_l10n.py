"""Dates and numbers through Babel, per locale."""

from __future__ import annotations

import pytest

from booklet.l10n import (
    format_ordinal,
    format_partial_date,
    format_span,
    source_date_epoch,
)
from booklet.model import DateSpan, PartialDate


@pytest.mark.parametrize(("date", "locale", "expected"), [
    ("2024-01-20", "en-GB", "20 January 2024"),
    ("2024-01-20", "ru-RU", "20 января 2024\u202fг."),
    ("1994-02", "en-GB", "February 1994"),
    ("1994-02", "ru-RU", "февраль 1994\u202fг."),
    ("1991", "en-GB", "1991"),
    # A year alone carries the locale's year mark like every other Russian date: never «1991» here
    # and «1994 г.» there.
    ("1991", "ru-RU", "1991\u202fг."),
    ("1991", "uk-UA", "1991\u202fр."),
    ("1991", "de-DE", "1991"),
])
def test_partial_dates(date: str, locale: str, expected: str) -> None:
    assert format_partial_date(PartialDate.parse(date), locale) == expected


@pytest.mark.parametrize(("start", "end", "locale", "expected"), [
    ("1990-01-19", "1990-01-20", "en-GB", "19–20 January 1990"),
    ("1990-01-19", "1990-01-20", "ru-RU", "19–20 января 1990\u202fг."),
    ("1990-01-31", "1990-02-01", "en-GB", "31 January\u2009–\u20091 February 1990"),
    ("1989-12-31", "1990-01-01", "ru-RU", "31 декабря 1989\u202fг. – 1 января 1990\u202fг."),
])
def test_day_ranges_use_the_locales_interval_patterns(start: str, end: str, locale: str, expected: str) -> None:
    span = DateSpan(PartialDate.parse(start), PartialDate.parse(end))
    assert format_span(span, locale) == expected


@pytest.mark.parametrize(("number", "locale", "expected"), [
    (1, "en-GB", "1st"), (2, "en-GB", "2nd"), (3, "en-GB", "3rd"), (11, "en-GB", "11th"),
    (31, "en-GB", "31st"), (34, "en-GB", "34th"), (36, "ru-RU", "36-я"),
])
def test_ordinals(number: int, locale: str, expected: str) -> None:
    assert format_ordinal(number, locale) == expected


def test_source_date_epoch_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert source_date_epoch(PartialDate(2026, 1, 20)) == 1768867200
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000")
    assert source_date_epoch(PartialDate(2026, 1, 20)) == 1000
