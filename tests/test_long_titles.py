"""Titles longer than the layout's lines, on a small corpus built here: the running heads are cut
after the last word that fits their one line and end in "…"; the chronology cites a statement
whose short title is longer than its column in lines broken like text. No glyph leaves the type
area or the page, in either edition (before, the build failed preflight: the heads ran off the page)."""

from __future__ import annotations

from pathlib import Path

import pytest

from booklet.build import build
from booklet.project import Project
from booklet.typeset.balance import Measure, one_line, text_width
from tests.conftest import ROOT, make_small_corpus
from tests.pdfpages import Page, read_pages
from tests.test_composition import (
    SMALL_SIZE,
    band_text,
    expectations,
    head_problems,
    headings,
    overflow_problems,
    squeeze,
)

TITLES = {
    "en": ("The Twentieth of January Nineteen Ninety in the Words of the Ministries, Embassies and Associations",
           "Joint statement of the Ministries of Foreign Affairs and of Culture, 2026"),
    "ru": ("Двадцатое января тысяча девятьсот девяностого года в словах министерств, посольств и объединений",
           "Совместное заявление министерств иностранных дел и культуры, 2026"),
}
CHRONOLOGY = ("CHRONOLOGY", "ХРОНОЛОГИЯ")
PARAGRAPH = {
    "en": "Every year on this day people come to the Alley of Martyrs with red carnations, and the city "
          "stands in silence while the names of those who fell are read aloud, one after another, by "
          "their relatives, their neighbours and the schoolchildren who have learned them by heart.",
    "ru": "Каждый год в этот день люди приходят на Аллею шехидов с красными гвоздиками, и город стоит в "
          "молчании, пока имена павших читают вслух, одно за другим, их родные, их соседи и школьники, "
          "которые выучили их наизусть.",
}


def long_titled_corpus(folder: Path) -> Path:
    """The small corpus with a long book title and a long short title, its statement four pages long."""
    corpus = make_small_corpus(folder)
    booklet = corpus / "booklet.yaml"
    booklet.write_text(booklet.read_text(encoding="utf-8").replace(
        "title: {en: Small booklet, ru: Малый сборник}",
        f"title: {{en: \"{TITLES['en'][0]}\", ru: \"{TITLES['ru'][0]}\"}}"), encoding="utf-8")
    statement = corpus / "statements" / "first.yaml"
    statement.write_text(statement.read_text(encoding="utf-8").replace(
        "short_title: {en: First, ru: Первое}",
        f"short_title: {{en: \"{TITLES['en'][1]}\", ru: \"{TITLES['ru'][1]}\"}}"), encoding="utf-8")
    # Long enough to run over a verso and a recto, its last page more than a quarter full (a nearly
    # empty one would let the chronology run on there, where a section's opening page has no head).
    for language, paragraph in PARAGRAPH.items():
        text = corpus / "statements" / f"first.{language}.md"
        text.write_text(text.read_text(encoding="utf-8") + "\n" + "\n\n".join([paragraph] * 20) + "\n",
                        encoding="utf-8")
    return corpus


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Page]]:
    folder = tmp_path_factory.mktemp("long-titles")
    corpus = long_titled_corpus(folder)
    built = build(Project.at(ROOT, corpus=corpus, out=folder / "out"), profiles=["screen"])
    return {f.path.stem.split("-")[1]: read_pages(f.path) for f in built}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_no_glyph_leaves_the_type_area_or_the_page(pages: dict[str, list[Page]], language: str) -> None:
    assert overflow_problems(pages[language]) == []


@pytest.mark.parametrize(("language", "verso", "recto"), [
    ("en", "THE TWENTIETH OF JANUARY NINETEEN NINETY IN THE WORDS…",
     "JOINT STATEMENT OF THE MINISTRIES OF FOREIGN AFFAIRS…"),
    ("ru", "ДВАДЦАТОЕ ЯНВАРЯ ТЫСЯЧА ДЕВЯТЬСОТ ДЕВЯНОСТОГО ГОДА В СЛОВАХ…",
     "СОВМЕСТНОЕ ЗАЯВЛЕНИЕ МИНИСТЕРСТВ ИНОСТРАННЫХ…"),
])
def test_a_long_title_is_cut_at_a_word_in_the_running_head(pages: dict[str, list[Page]], tmp_path: Path,
                                                            language: str, verso: str, recto: str) -> None:
    chronology = next(page.index for page in pages[language] if squeeze(headings(page)) in CHRONOLOGY)
    heads = {page.recto: band_text(page, top=True)[0] for page in pages[language][5:chronology]}
    assert heads == {False: squeeze(verso), True: squeeze(recto)}
    corpus = long_titled_corpus(tmp_path)
    assert head_problems(pages[language], *expectations(language, corpus=corpus)) == []


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_chronology_breaks_a_long_short_title_like_text(pages: dict[str, list[Page]], language: str) -> None:
    chronology = next(page for page in pages[language] if squeeze(headings(page)) in CHRONOLOGY)
    small = [g for g in chronology.glyphs if g.char != " " and abs(g.size - SMALL_SIZE) < 0.2]
    lines = [squeeze("".join(g.char for g in sorted((g for g in small if g.baseline == baseline),
                                                   key=lambda g: g.left)))
             for baseline in sorted({g.baseline for g in small}, reverse=True)]
    title = squeeze(TITLES[language][1])
    assert title in "".join(lines)
    assert not any(title in line for line in lines)  # broken over lines, inside the column


def test_one_line_cuts_after_the_last_word_that_fits() -> None:
    measure = Measure(ROOT / "fonts" / "NotoSans-Regular.ttf", 10, 100, tracking=0.1)
    assert one_line("A short head", measure, capitals=True) == "A short head"
    cut = one_line("Words that will not all fit, in one line of a running head", measure, capitals=True)
    assert cut.endswith("…") and not cut.endswith(",…")
    assert "Words that will not all fit in one line".startswith(cut[:-1].rstrip(","))
    assert text_width(cut.upper(), measure) <= 100
    word = one_line("Unbreakable" * 5, measure)
    assert word.endswith("…") and ("Unbreakable" * 5).startswith(word[:-1])
    assert text_width(word, measure) <= 100
