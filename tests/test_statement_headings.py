"""A statement with headings of its own (Markdown `##`), a thematic break and a list, built on a
small corpus: the list's items are composed like paragraphs (before, each item's marker was taken
for its text, a measure of 7 px, and 40 items were left to WeasyPrint's greedy breaking at twice
the natural word space); the headings are set below the statement's title, never beside it — the running heads
keep the statement's short title, the PDF outline puts them under the statement — and the text
after a heading or a break starts flush (before, `##` became a second h2 that emptied every later
running head and added a blank bookmark)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from booklet.build import build
from booklet.project import Project
from booklet.typeset.setter import Typesetting
from tests.conftest import ROOT, make_small_corpus, record_typesetting
from tests.pdfpages import Glyph, measure_spacing, read_pages, text_lines
from tests.test_composition import band_text, expectations, head_problems, squeeze, type_area

FILLER = {
    "en": "Every year on this day people come to the Alley of Martyrs with red carnations, and the city "
          "stands in silence while the names of those who fell are read aloud, one after another.",
    "ru": "Каждый год в этот день люди приходят на Аллею шехидов с красными гвоздиками, и город стоит "
          "в молчании, пока имена павших читают вслух, одно за другим.",
}
HEADING = {"en": "The names", "ru": "Имена"}
ITEM = {"en": "the name of victim number {}, remembered by the family and friends who survived;",
        "ru": "имя жертвы номер {}, которое помнят выжившие родные, друзья и соседи по двору;"}


SIGNATURE = {"en": ("With deep respect,", "The Ministry of Foreign Affairs", "Baku, 20 January"),
             "ru": ("С глубоким уважением,", "Министерство иностранных дел", "Баку, 20 января")}
"""A paragraph of lines the author broke (Markdown's hard breaks, `<br>`)."""
INDENTED = {"en": "A paragraph pasted with four spaces before it is set like the others, in the text face, "
                  "broken into lines of the measure and never run off the page.",
            "ru": "Абзац, вставленный с четырьмя пробелами перед ним, набран как другие, тем же шрифтом, "
                  "разбит на строки и никогда не выходит за край страницы."}
"""A paragraph with four spaces of indent (Markdown would make it a code block)."""
POINT = {"en": "point {} of the resolution", "ru": "пункт {} постановления"}
"""Items of a list the text numbers from 3 (a quotation of a resolution's points 3 and 4)."""


def corpus_with_headings(folder: Path) -> Path:
    corpus = make_small_corpus(folder)
    for language, filler in FILLER.items():
        text = corpus / "statements" / f"first.{language}.md"
        body = "\n\n".join([filler] * 12)
        items = "\n".join(f"- {ITEM[language].format(n)}" for n in range(1, 9))
        points = "\n".join(f"{n}. {POINT[language].format(n)}" for n in (3, 4))
        signature = "  \n".join(SIGNATURE[language])  # two spaces: a hard line break
        text.write_text(text.read_text(encoding="utf-8") + f"\n## {HEADING[language]}\n\n{body}\n\n---\n\n{body}\n\n"
                        f"{items}\n{points}\n\n{signature}\n\n    {INDENTED[language]}\n", encoding="utf-8")
    return corpus


TYPESETTINGS: dict[str, Typesetting] = {}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("headings")
    files = build(Project.at(ROOT, corpus=corpus_with_headings(folder), out=folder / "out"), profiles=["screen"],
                  on_edition=record_typesetting(TYPESETTINGS))
    return {f.path.stem.split("-")[1]: f.path for f in files}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_list_items_are_composed_and_set_as_composed(built: dict[str, Path], language: str) -> None:
    typesetting = TYPESETTINGS[language]
    composed = [p.composition.text for p in typesetting.paragraphs]
    word = {"en": "victim", "ru": "жертвы"}[language]  # in the items only
    assert sum(word in text for text in composed) == 8
    assert (typesetting.skipped, typesetting.rebroken) == ([], [])
    spacing = measure_spacing(read_pages(built[language]))
    assert spacing.worst < 1.95 and spacing.over(2.0) == 0


@pytest.mark.parametrize("language", ["en", "ru"])
def test_running_heads_keep_the_statements_short_title(built: dict[str, Path], language: str,
                                                        tmp_path: Path) -> None:
    pages = read_pages(built[language])
    assert head_problems(pages, *expectations(language, corpus=corpus_with_headings(tmp_path))) == []
    rectos = {band_text(page, top=True)[0] for page in pages[5:] if page.recto and band_text(page, top=True)[0]}
    assert squeeze({"en": "First", "ru": "Первое"}[language]) in rectos


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_heading_in_a_statement_is_a_bookmark_under_it(built: dict[str, Path], language: str) -> None:
    outline = PdfReader(built[language]).outline
    def words(title: str) -> str:
        return " ".join(title.split())  # no-break spaces as spaces

    titles = [words(item.title) if not isinstance(item, list) else [words(child.title) for child in item]
              for item in outline]
    statement = titles.index({"en": "The first statement", "ru": "Первое заявление"}[language])
    assert titles[statement + 1] == [HEADING[language]]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_text_after_a_heading_and_after_a_break_starts_flush(built: dict[str, Path], language: str) -> None:
    """24 paragraphs open with the same words: the one after the heading and the one after the
    break start at the type area's left edge, the other 22 are indented."""
    opening = squeeze(" ".join(FILLER[language].split()[:2]))
    starts = []
    for page in read_pages(built[language]):
        lines: dict[int, list[Glyph]] = {}
        for glyph in (g for g in page.glyphs if g.char.strip()):
            lines.setdefault(round(glyph.baseline), []).append(glyph)
        for line in lines.values():
            line.sort(key=lambda g: g.left)
            if squeeze("".join(g.char for g in line)).startswith(opening):
                starts.append(round(line[0].left - type_area(page)[0]))
    assert sorted(starts) == [0, 0] + [starts[-1]] * 22 and starts[-1] > 5


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_list_numbered_from_three_is_printed_from_three(built: dict[str, Path], language: str) -> None:
    """Fidelity: a list the statement numbers 3., 4. (Markdown keeps the number) is not printed as
    1., 2. — WeasyPrint ignores HTML's `start`; the list's counter is set from it."""
    point = POINT[language]
    lines = [line.text for line in text_lines(read_pages(built[language]), None) if point[:5] in line.text]
    assert lines == [f"3. {point.format(3)}", f"4. {point.format(4)}"]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_lines_the_author_broke_are_printed_as_broken(built: dict[str, Path], language: str) -> None:
    """A signature of three lines (Markdown's hard breaks) is composed with its breaks: the PDF
    shows the author's three lines, and no line of the edition is broken by the typesetter (before,
    the composer joined them, and WeasyPrint broke the justified lines again at each `<br>`)."""
    first, *rest = SIGNATURE[language]
    lines = [line.text for line in text_lines(read_pages(built[language]), None)]
    at = next(number for number, line in enumerate(lines) if line.endswith(first))
    assert lines[at:at + 3] == [lines[at], *rest] and lines[at].strip() == first
    assert TYPESETTINGS[language].rebroken == []


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_paragraph_pasted_with_an_indent_is_set_as_a_paragraph(built: dict[str, Path], language: str) -> None:
    pages = read_pages(built[language])
    words = INDENTED[language].split()
    page = next(page for page in pages if squeeze(words[-1]) in squeeze("".join(g.char for g in page.glyphs)))
    glyphs = [glyph for glyph in page.glyphs if glyph.char.strip()]
    assert {glyph.font.split("+")[-1] for glyph in glyphs} <= {"Noto-Serif", "Noto-Sans", "Noto-Serif-Bold",
                                                             "Noto-Sans-Bold", "Noto-Serif-Italic"}
    area = type_area(page)
    assert all(area[0] - 1 <= glyph.left and glyph.right <= area[2] + 1 for glyph in glyphs)
    assert TYPESETTINGS[language].skipped == []  # composed like the other paragraphs
