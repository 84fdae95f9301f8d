"""Dates and numbers through Babel, per locale."""

from __future__ import annotations

import pytest

from booklet.corpus.model import DateSpan, PartialDate
from booklet.editorial.l10n import (
    Ordinal,
    format_partial_date,
    format_span,
    language_name,
    ordinal,
    source_date_epoch,
)


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
    ("1990-01-20", "az-AZ", "20 yanvar 1990"),
    ("1994-02", "az-AZ", "fevral 1994"),
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


@pytest.mark.parametrize(("number", "locale", "form"), [
    (1, "en-GB", "one"), (2, "en-GB", "two"), (3, "en-GB", "few"), (11, "en-GB", "other"),
    (36, "ru-RU", "other"), (31, "az-AZ", "one"), (34, "az-AZ", "few"), (36, "az-AZ", "many"),
    (30, "az-AZ", "other"),
])
def test_ordinal_forms_come_from_cldr(number: int, locale: str, form: str) -> None:
    assert ordinal(number, locale) == Ordinal(str(number), form)


def test_language_names_come_from_cldr() -> None:
    assert language_name("ru", "en-GB") == "Russian"
    assert language_name("en", "ru-RU") == "английский"
    assert language_name("ru", "az-AZ") == "rus"
    assert language_name("qqq", "en-GB") == "qqq"  # not in CLDR: the code itself, never a crash


@pytest.mark.parametrize(("span", "locale", "expected"), [
    (DateSpan(PartialDate(1990, 1, 20)), "en-GB", "20 January 1990"),
    (DateSpan(PartialDate(1991, 8)), "ru-RU", "август 1991\u202fг."),
    (DateSpan(PartialDate(1991, 8), PartialDate(1991, 10)), "en-GB", "August 1991 – October 1991"),
    (DateSpan(PartialDate(1990, 1, 19), PartialDate(1990, 2)), "en-GB", "19 January 1990 – February 1990"),
    (DateSpan(PartialDate(1990, 1), PartialDate(1990, 1, 20)), "en-GB", "January 1990 – 20 January 1990"),
    (DateSpan(PartialDate(1988), PartialDate(1990)), "ru-RU", "1988\u202fг. – 1990\u202fг."),
])
def test_spans_not_of_two_days_join_their_dates_with_a_dash(span: DateSpan, locale: str, expected: str) -> None:
    """Only a range of two days goes through the interval patterns; anything else is date – date."""
    assert format_span(span, locale) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (" 1000\n", 1000),  # as a shell or a CI file may pass it
    ("0", 0),
    ("", 86400),  # unset or empty: the booklet's date at midnight UTC
    ("tomorrow", 86400),
    ("-5", 86400),
    ("12.5", 86400),
])
def test_source_date_epoch_reads_only_whole_seconds(monkeypatch: pytest.MonkeyPatch, value: str, expected: int) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    assert source_date_epoch(PartialDate(1970, 1, 2)) == expected
    assert source_date_epoch(PartialDate(1970)) == (expected if value.strip().isdigit() else 0)


def test_source_date_epoch_is_honoured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert source_date_epoch(PartialDate(2026, 1, 20)) == 1768867200
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1000")
    assert source_date_epoch(PartialDate(2026, 1, 20)) == 1000
