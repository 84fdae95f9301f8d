"""Both languages for every statement, marked when unofficial; an edition can leave them out."""

from __future__ import annotations

from booklet.build import Project, build
from booklet.corpus.loader import load_corpus
from tests.conftest import ROOT, BuiltPdf, normalised, read_pdf


def test_every_statement_has_both_languages_and_says_who_translated() -> None:
    for statement in load_corpus(ROOT / "corpus").statements:
        assert set(statement.texts) == {"en", "ru"}
        (translation,) = [t.translation for t in statement.texts.values() if t.translation]
        assert translation.source_language == statement.original_language
        assert translation.translator == "the booklet's editors" and not translation.official


def test_the_pdfs_note_unofficial_translations_once_in_the_colophon(
    built: dict[str, BuiltPdf],
) -> None:
    """Editors' notes are not set between a statement's title and its text: the colophon's list of
    sources carries them, once per statement, in one treatment."""
    english, russian = normalised(built["en"].text), normalised(built["ru"].text)
    # In English only mfa-2024 (Russian original) is a translation; in Russian, the other four.
    assert english.count(normalised("Unofficial translation by the editors; original language: Russian.")) == 1
    assert normalised("original language: English") not in english
    assert russian.count(normalised("Неофициальный перевод редакции; язык оригинала: английский.")) == 4
    assert normalised("Неофициальный перевод с") not in russian
    for statement in load_corpus(ROOT / "corpus").statements:
        first_words = normalised(statement.texts["ru"].markdown[:60])
        assert first_words in russian, statement.id


def test_an_edition_without_unofficial_translations_sets_the_original(
    small_project: Project,
) -> None:
    booklet_yaml = small_project.corpus / "booklet.yaml"
    booklet_yaml.write_text(
        booklet_yaml.read_text().replace(
            "{language: ru, locale: ru-RU}",
            "{language: ru, locale: ru-RU, unofficial_translations: false}",
        )
    )
    (pdf,) = build(small_project, ["ru"], profiles=["screen"])
    text = normalised(read_pdf(pdf.path).text)
    assert normalised("On the night of 19-20 January 1990, 150 civilians were killed.") in text
    assert normalised("Текст на языке оригинала: перевод в это издание не включен.") in text
    assert normalised("были убиты 150 мирных жителей") not in text
    assert normalised("Неофициальный перевод") not in text


def test_by_default_the_edition_sets_the_translation(small_project: Project) -> None:
    (pdf,) = build(small_project, ["ru"], profiles=["screen"])
    text = normalised(read_pdf(pdf.path).text)
    assert normalised("были убиты 150 мирных жителей") in text
    assert normalised("Неофициальный перевод редакции; язык оригинала: английский.") in text
