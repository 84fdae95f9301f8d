"""End to end: both editions of the shipped corpus, built once with the real WeasyPrint, parsed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from pypdf.generic import IndirectObject

from booklet.corpus.loader import load_corpus
from booklet.editorial.markup import plain_paragraphs
from tests.conftest import ROOT, BuiltPdf, normalised

BOOKLET = load_corpus(ROOT / "corpus")
LANGUAGES = ("en", "ru")


def contents_page_numbers(pdf: BuiltPdf) -> list[int]:
    """Page numbers printed after the dot leader of each contents entry, in order."""
    page = pdf.pages[contents_index(pdf) - 1]
    numbers = re.findall(r"(?:\.\s*){3,}(\d+)\s*$", page, flags=re.MULTILINE)
    return [int(n) for n in numbers][: len(BOOKLET.statements)]


def contents_index(pdf: BuiltPdf) -> int:
    """The contents' page number (from 1): the page with a line reading Contents / Содержание."""
    return next(i for i, text in enumerate(pdf.pages, 1)
                if re.search(r"^(?:Contents|Содержание)$", text, flags=re.MULTILINE))


def first_page_with(pdf: BuiltPdf, text: str, after: int) -> int:
    needle = normalised(text)
    return next(i for i, page in enumerate(pdf.pages, 1) if i > after and needle in normalised(page))


@pytest.mark.parametrize("language", LANGUAGES)
def test_contents_numbers_are_the_statements_real_first_pages(built: dict, language: str) -> None:
    pdf = built[language]
    printed = contents_page_numbers(pdf)
    contents_page = contents_index(pdf)
    real = [first_page_with(pdf, s.title[language], after=contents_page) for s in BOOKLET.statements]
    assert printed == real


def outline_titles(pdf: BuiltPdf) -> list[str]:
    def walk(items: list) -> list[str]:
        titles = []
        for item in items:
            if isinstance(item, list):
                titles += walk(item)
            else:
                titles.append(item.title)
        return titles

    return walk(pdf.reader.outline)


@pytest.mark.parametrize("language", LANGUAGES)
def test_outline_lists_every_statement_and_the_chronology(built: dict, language: str) -> None:
    titles = [normalised(t) for t in outline_titles(built[language])]
    for statement in BOOKLET.statements:
        assert normalised(statement.title[language]) in titles
    assert normalised({"en": "Chronology", "ru": "Хронология"}[language]) in titles


def project_font_names() -> set[str]:
    names = set()
    for path in (ROOT / "fonts").glob("*.ttf"):
        with TTFont(path, lazy=True) as font:
            full_name = font["name"].getDebugName(4).replace(" ", "-")
            names |= {full_name, full_name.removesuffix("-Regular")}
    return names


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_font_is_embedded_and_comes_from_the_fonts_folder(built: dict, language: str) -> None:
    fonts = {}
    for page in built[language].reader.pages:
        resources = page["/Resources"]
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object() if isinstance(font, IndirectObject) else font
            fonts[font["/BaseFont"]] = font
    assert fonts
    allowed = project_font_names()
    for base_font, font in fonts.items():
        name = base_font.split("+", 1)[-1]
        assert name in allowed, f"{base_font} is not a font from fonts/"
        descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor, f"{base_font} is not embedded"


@pytest.mark.parametrize(("language", "expected"), [
    # A night across two days: named by both days in English, by the day it leads into in Russian.
    ("en", ["Night of 19–20 January 1990", "February 1994", "March 1994", "20 January 2024", "19–20 September 2023"]),
    ("ru", ["Ночь на 20 января 1990 г.", "1991 г.", "февраль 1994 г.", "март 1994 г.", "20 января 2024 г.",
            "19–20 сентября 2023 г."]),
])
def test_dates_read_as_expected_in_each_locale(built: dict, language: str, expected: list[str]) -> None:
    text = normalised(built[language].text)
    for date in expected:
        assert normalised(date) in text, date


def sentences(markdown: str) -> tuple[str, str]:
    paragraphs = plain_paragraphs(markdown)
    first = re.split(r"(?<=[.!?])\s", paragraphs[0])[0]
    last = re.split(r"(?<=[.!?])\s", paragraphs[-1].strip())[-1]
    return first, last


def fold_typography(text: str) -> str:
    """Compare words, not typographic characters: the layout may set quotes, dashes and spaces."""
    return re.sub(r"[\"'«»„“”‘’`\-–—‐\s\u00a0\u202f]+", "", text)


def running_text(pdf: BuiltPdf, language: str) -> str:
    """The pages' text with running heads and folios removed, so sentences flow across pages."""
    furniture = {BOOKLET.title[language].casefold()}
    furniture |= {s.short_title[language].casefold() for s in BOOKLET.statements}
    lines = [line for line in pdf.text.splitlines()
             if line.strip().casefold() not in furniture and not line.strip().isdigit()]
    return "\n".join(lines)


@pytest.mark.parametrize("language", LANGUAGES)
def test_first_and_last_sentence_of_every_statement_appear(built: dict, language: str) -> None:
    from booklet.editorial.context import chosen_text

    edition = next(e for e in BOOKLET.editions if e.language == language)
    text = fold_typography(running_text(built[language], language))
    for statement in BOOKLET.statements:
        first, last = sentences(chosen_text(statement, edition).markdown)
        assert fold_typography(first) in text, (statement.id, first)
        assert fold_typography(last) in text, (statement.id, last)


@pytest.mark.parametrize("language", LANGUAGES)
def test_document_metadata(built: dict, language: str) -> None:
    reader = built[language].reader
    info = reader.metadata
    assert info.title.startswith(BOOKLET.title[language])
    assert info.author == BOOKLET.editors[language]
    assert info.subject == BOOKLET.subtitle[language]
    assert "2024" in reader.metadata["/Keywords"]
    assert reader.trailer["/Root"]["/Lang"] == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_contents_entries_link_to_their_sections(built: dict, language: str) -> None:
    reader = built[language].reader
    links = [a.get_object() for a in reader.pages[contents_index(built[language]) - 1].get("/Annots", [])]
    internal = [a for a in links if a.get("/Subtype") == "/Link" and ("/Dest" in a or "/A" in a)]
    assert len(internal) >= len(BOOKLET.statements) + 1


def test_output_paths(built: dict) -> None:
    assert {Path(pdf.path).name for pdf in built.values()} == {"booklet-en-screen.pdf", "booklet-ru-screen.pdf"}
