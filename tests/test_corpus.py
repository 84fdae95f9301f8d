"""The corpus loader: a valid corpus loads; every kind of bad input is reported as path:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from booklet.build import Project
from booklet.corpus.loader import load_corpus
from booklet.corpus.model import PartialDate
from booklet.problems import BookletError


def problems_of(corpus: Path) -> list[str]:
    with pytest.raises(BookletError) as caught:
        load_corpus(corpus)
    return [str(p) for p in caught.value.problems]


def test_shipped_corpus_loads() -> None:
    from tests.conftest import ROOT

    booklet = load_corpus(ROOT / "corpus")
    assert [s.id for s in booklet.statements] == [
        "mfa-2021", "mfa-2024", "mfa-2025", "mfa-2026", "embassy-tm-2026"]
    assert {e.language for e in booklet.editions} == {"en", "ru"}
    assert booklet.anniversary(booklet.statement("mfa-2024")) == 34
    assert booklet.statement("mfa-2021").date == PartialDate(2021)
    assert booklet.statement("mfa-2021").date_inferred


def test_small_corpus_loads(small_project: Project) -> None:
    booklet = load_corpus(small_project.corpus)
    statement = booklet.statement("first")
    assert statement.date.precision == "day"
    assert statement.texts["ru"].translation.source_language == "en"
    assert booklet.chronology[0].date.night


def test_yaml_syntax_error_has_path_and_line(small_project: Project) -> None:
    path = small_project.corpus / "statements" / "first.yaml"
    path.write_text(path.read_text().replace("outlets: [{name: Test outlet", "outlets: [{name: [Test outlet"))
    (message,) = problems_of(small_project.corpus)
    assert message.startswith(f"{path}:") or message.startswith("statements/") or "first.yaml:" in message
    assert "first.yaml:" in message and "invalid YAML" in message


def test_unknown_key_suggests_the_near_miss(small_project: Project) -> None:
    path = small_project.corpus / "statements" / "first.yaml"
    path.write_text(path.read_text().replace("issuer:", "isuer:"))
    messages = problems_of(small_project.corpus)
    assert any("first.yaml:3: unknown key 'isuer' — did you mean 'issuer'?" in m for m in messages)
    assert any("missing key 'issuer'" in m for m in messages)


def test_duplicate_key_is_an_error(small_project: Project) -> None:
    path = small_project.corpus / "statements" / "first.yaml"
    path.write_text(path.read_text() + "outlets: []\n")
    messages = problems_of(small_project.corpus)
    assert any("first.yaml:10: duplicate key 'outlets' (first at line 4)" in m for m in messages)


def test_missing_text_file_names_it(small_project: Project) -> None:
    (small_project.corpus / "statements" / "first.ru.md").unlink()
    (message,) = problems_of(small_project.corpus)
    assert "first.yaml:9:" in message and "file 'first.ru.md' not found" in message


def test_unknown_locale(small_project: Project) -> None:
    path = small_project.corpus / "booklet.yaml"
    path.write_text(path.read_text().replace("ru-RU", "ru-XX-bogus"))
    messages = problems_of(small_project.corpus)
    assert any("booklet.yaml:9: 'locale': unknown locale 'ru-XX-bogus'" in m for m in messages)


def test_all_problems_are_collected_before_aborting(small_project: Project) -> None:
    statement = small_project.corpus / "statements" / "first.yaml"
    statement.write_text(statement.read_text().replace("date: 2024-01-20", "date: 2024-13-40"))
    chronology = small_project.corpus / "chronology.yaml"
    chronology.write_text(chronology.read_text().replace("[first]", "[second]"))
    messages = problems_of(small_project.corpus)
    assert len(messages) == 2
    assert any("first.yaml:5: 'date':" in m for m in messages)
    assert any("chronology.yaml:" in m and "unknown statement 'second'" in m for m in messages)


def test_missing_translation_language_in_title(small_project: Project) -> None:
    path = small_project.corpus / "statements" / "first.yaml"
    path.write_text(path.read_text().replace(", ru: Первое заявление", ""))
    (message,) = problems_of(small_project.corpus)
    assert "first.yaml:1: 'title': no text for ru" in message


def test_statement_listed_without_metadata(small_project: Project) -> None:
    path = small_project.corpus / "booklet.yaml"
    path.write_text(path.read_text().replace("[first]", "[first, ghost]"))
    (message,) = problems_of(small_project.corpus)
    assert "booklet.yaml:10: statement 'ghost' has no metadata file" in message


def test_partial_date_parsing() -> None:
    assert PartialDate.parse("1994-02").precision == "month"
    assert PartialDate.parse("1991").precision == "year"
    with pytest.raises(ValueError):
        PartialDate.parse("1990-02-30")
