"""The booklet an embassy would hand out: imprint, cover, datelines and notes, Russian dates, numbers,
contents, chronology, headings and colophon — each checked on the built PDFs (text, glyph
positions, colours), each shown failing on the fault it guards against."""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest

from booklet.build import Project, build, prepare
from booklet.corpus.loader import load_corpus
from booklet.problems import BookletError
from tests.conftest import ROOT, BuiltPdf, add_fonts, normalised, read_pdf
from tests.pdfpages import Page, read_pages, text_lines

LANGUAGES = ("en", "ru")
HEADING = 13.0
MM = 72 / 25.4


@pytest.fixture(scope="module")
def pages(screen_pages: dict[str, list[Page]]) -> dict[str, list[Page]]:
    return screen_pages


def colophon_of(pdf: BuiltPdf) -> str:
    """From the colophon's heading to the back cover: the page plan may give the colophon proper
    (imprint, typefaces) a page of its own."""
    return "\n".join(pdf.pages[page_with_line(pdf, "About this edition", "Об этом издании"):-1])


def page_with_line(pdf: BuiltPdf, *lines: str) -> int:
    """Index of the first page with a line reading exactly one of `lines`."""
    return next(i for i, text in enumerate(pdf.pages)
                if any(re.search(rf"^{re.escape(line)}\s*$", text, re.MULTILINE) for line in lines))


# ---- 1. imprint ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "publisher", "edition"), [
    ("en", "Compiled by the editors from the statements as published", "First edition, 20 January 2026."),
    ("ru", "Составлено редакцией по опубликованным текстам заявлений", "Первое издание, 20 января 2026 г."),
])
def test_title_page_and_colophon_carry_the_imprint_and_no_count(
        built: dict[str, BuiltPdf], language: str, publisher: str, edition: str) -> None:
    pdf = built[language]
    title_page, colophon = normalised(pdf.pages[2]), normalised(colophon_of(pdf))
    assert normalised(publisher) in title_page and normalised(publisher) in colophon
    assert normalised(edition) in colophon
    assert not re.search(r"\d+\s+(?:statements?|заявлени[йея])\b", pdf.text), "a statement count is printed"


def test_a_corpus_without_imprint_builds_with_a_warning_and_prints_no_placeholder(
        small_project: Project) -> None:
    warnings = []
    (pdf,) = build(small_project, ["en"], profiles=["screen"], on_warning=warnings.append)
    assert [str(w) for w in warnings] == [
        f"{small_project.corpus / 'booklet.yaml'}: no `imprint:` — the title page and colophon will name "
        "no publisher or edition — add `imprint:` with `publisher:` and `edition:` (see corpus/README.md)"]
    text = read_pdf(pdf.path).text.casefold().replace("about this edition", "")
    for placeholder in ("publisher", "imprint", "edition", "none", "todo", "…", "[", "{"):
        assert placeholder not in text, placeholder


def test_an_imprint_is_validated_like_every_field(small_project: Project) -> None:
    booklet_yaml = small_project.corpus / "booklet.yaml"
    booklet_yaml.write_text(booklet_yaml.read_text(encoding="utf-8") + (
        "imprint:\n  publisher: {en: The Cultural Centre}\n  edtion: {en: First, ru: Первое}\n"), encoding="utf-8")
    with pytest.raises(BookletError) as error:
        prepare(small_project)
    messages = [f"{p.path.name}:{p.line}: {p.message} — {p.fix}" for p in error.value.problems]
    assert "booklet.yaml:12: 'publisher': no text for ru — add `ru: …`" in messages
    assert "booklet.yaml:13: unknown key 'edtion' — did you mean 'edition'?" in messages
    assert any(m.startswith("booklet.yaml:12: missing key 'edition'") for m in messages)


def test_an_imprints_optional_lines_are_printed_when_given(small_project: Project) -> None:
    booklet_yaml = small_project.corpus / "booklet.yaml"
    booklet_yaml.write_text(booklet_yaml.read_text(encoding="utf-8") + (
        "imprint:\n  publisher: {en: The Cultural Centre, ru: Культурный центр}\n"
        "  edition: {en: Second edition, ru: Второе издание}\n  place: {en: Vienna, ru: Вена}\n"
        "  contact: {en: info@example.org, ru: info@example.org}\n"
        "  licence: {en: Free to reprint, ru: Перепечатка свободна}\n"), encoding="utf-8")
    (pdf,) = build(small_project, ["en"], profiles=["screen"])
    text = normalised(read_pdf(pdf.path).text)
    for line in ("The Cultural Centre.", "Vienna, Second edition, 20 January 2026.", "info@example.org.",
                 "Free to reprint.", "Vienna · 20 January 2026"):
        assert normalised(line) in text, line


# ---- 2. cover -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "kicker"), [("en", "BAKU · 1990"), ("ru", "БАКУ · 1990")])
def test_the_cover_kicker_comes_from_metadata_and_no_line_repeats(
        built: dict[str, BuiltPdf], language: str, kicker: str) -> None:
    lines = [line.strip() for line in built[language].pages[0].splitlines() if line.strip()]
    assert re.sub(r"\s", "", lines[0]) == re.sub(r"\s", "", kicker)
    squeezed = [re.sub(r"\W", "", line).casefold() for line in lines]
    assert len(set(squeezed)) == len(squeezed), lines


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_print_file_ends_with_a_designed_back_cover(built_profiles: dict[str, dict[str, BuiltPdf]],
                                                       language: str) -> None:
    """The last page of the print file is the dark back cover with the title and the imprint (the
    blanks that make up the multiple of 4 come before it); in the office file it is the outer half
    of sheet 1's front, beside the front cover."""
    from tests.pdfpages import render_page

    printed = built_profiles["print"][language]
    last = printed.pages[-1]
    assert {"en": "Compiled by the editors", "ru": "Составлено редакцией"}[language] in last
    assert "1990" in re.sub(r"\s", "", last)
    assert render_page(printed.path, len(printed.pages) - 1, 20).convert("L").resize((1, 1)).getpixel((0, 0)) < 60
    imposed = built_profiles["imposed"][language]
    sheet = render_page(imposed.path, 0, 20).convert("L")
    left, right = sheet.crop((0, 0, sheet.width // 2, sheet.height)), sheet.crop((sheet.width // 2, 0, *sheet.size))
    assert left.resize((1, 1)).getpixel((0, 0)) < 120 and right.resize((1, 1)).getpixel((0, 0)) < 120


# ---- 3, 8. editors' notes -----------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_no_editors_note_between_a_statements_title_and_its_text(
        built: dict[str, BuiltPdf], language: str) -> None:
    """Inferred dates, translations and outlets are noted in the colophon, in one treatment; a
    statement's opening shows its title, date · anniversary and issuer only."""
    pdf = built[language]
    notes = {"en": ("inferred", "translation", "published by"),
             "ru": ("установлена", "перевод", "публикаци")}[language]
    colophon = page_with_line(pdf, "About this edition", "Об этом издании")
    for index, text in enumerate(pdf.pages):
        if index != colophon:
            found = [note for note in notes if note in text.casefold() and "MENTIONED" not in text]
            assert not found or index == page_with_line(pdf, "Chronology", "Хронология") + 1, (index, found)
    assert all(note in pdf.pages[colophon].casefold() for note in notes[:2])


def glyph_colours(path: Path, index: int) -> list[tuple[int, int, int]]:
    """The fill colour of each glyph of a page, in the order of `read_pages`' glyphs."""
    document = pdfium.PdfDocument(path)
    try:
        textpage = document[index].get_textpage()
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        colours = []
        for char in range(textpage.count_chars()):
            if not pdfium_c.FPDFText_IsGenerated(textpage, char):
                pdfium_c.FPDFText_GetFillColor(textpage, char, r, g, b, a)
                colours.append((r.value, g.value, b.value))
        return colours
    finally:
        document.close()


def phrase_glyphs(page: Page, phrase: str) -> list[list[int]]:
    """Indices of the glyphs of each occurrence of `phrase` on the page, across lines and hyphens."""
    kept = [i for i, g in enumerate(page.glyphs) if not g.char.isspace() and g.char not in "-\u2010\u00ad"]
    joined = "".join(page.glyphs[i].char for i in kept)
    wanted = normalised(phrase)
    return [kept[m.start():m.start() + len(wanted)] for m in re.finditer(re.escape(wanted), joined)]


@pytest.mark.parametrize(("language", "notes", "issuer"), [
    ("en", ("The date is inferred from the text.", "Text as published by", "Unofficial translation by the editors"),
     "Ministry of Foreign Affairs of the Republic of Azerbaijan"),
    ("ru", ("Дата установлена по тексту.", "Текст в публикации", "Неофициальный перевод редакции"),
     "Министерство иностранных дел Азербайджанской Республики"),
])
def test_editors_notes_are_set_quietly_in_one_treatment(built: dict[str, BuiltPdf], pages: dict[str, list[Page]],
                                                        language: str, notes: tuple[str, ...], issuer: str) -> None:
    """Finding 8: every editors' note of the colophon (inferred date, outlet, unofficial
    translation) in one quiet treatment: upright, in the issuer line's face and size, in the grey
    #6b6660 — never the accent italic that outweighed the issuer."""
    pdf = built[language]
    page = pages[language][page_with_line(pdf, "About this edition", "Об этом издании")]
    colours = glyph_colours(pdf.path, page.index)
    (issuer_run, *_) = phrase_glyphs(page, issuer)
    issuer_style = {(page.glyphs[i].font, page.glyphs[i].size) for i in issuer_run}
    for note in notes:
        runs = phrase_glyphs(page, note)
        assert runs, note
        for run in runs:
            assert {(page.glyphs[i].font, page.glyphs[i].size) for i in run} == issuer_style, note
            assert not any("Italic" in page.glyphs[i].font for i in run), note
            assert {colours[i] for i in run} == {(107, 102, 96)}, note
    assert {colours[i] for i in issuer_run} != {(107, 102, 96)}


def fill_colours(path: Path, index: int, keep: Callable[[float, float], bool]) -> set[tuple[int, int, int]]:
    """Fill colours of a page's inked glyphs whose (size in points, baseline) `keep` accepts."""
    document = pdfium.PdfDocument(path)
    try:
        textpage = document[index].get_textpage()
        colours = set()
        r, g, b, a = (ctypes.c_uint() for _ in range(4))
        x, y = ctypes.c_double(), ctypes.c_double()
        for char in range(textpage.count_chars()):
            pdfium_c.FPDFText_GetCharOrigin(textpage, char, x, y)
            size = pdfium_c.FPDFText_GetFontSize(textpage, char) * 0.75
            if keep(size, round(y.value, 1)) and chr(pdfium_c.FPDFText_GetUnicode(textpage, char)).strip():
                pdfium_c.FPDFText_GetFillColor(textpage, char, r, g, b, a)
                colours.add((r.value, g.value, b.value))
        return colours
    finally:
        document.close()


# ---- 9. headings --------------------------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_every_heading_of_a_level_has_one_colour(built: dict[str, BuiltPdf], pages: dict[str, list[Page]],
                                                 language: str) -> None:
    colours = set()
    for page in pages[language][1:]:
        if any(abs(g.size - HEADING) < 0.2 for g in page.glyphs):
            colours |= fill_colours(built[language].path, page.index, lambda size, _: abs(size - HEADING) < 0.2)
    assert len(colours) == 1, colours


@pytest.mark.parametrize(("language", "subheads"), [
    ("en", ("THE STATEMENTS IN THIS BOOKLET", "SOURCES AND EDITORS’ NOTES", "TYPOGRAPHY")),
    ("ru", ("ЗАЯВЛЕНИЯ ЭТОГО СБОРНИКА", "ИСТОЧНИКИ И ПРИМЕЧАНИЯ РЕДАКЦИИ", "ОФОРМЛЕНИЕ")),
])
def test_second_level_headings_share_one_colour(built: dict[str, BuiltPdf], pages: dict[str, list[Page]],
                                                language: str, subheads: tuple[str, ...]) -> None:
    colours = set()
    for page in pages[language]:
        for line in text_lines([page], None):
            if line.text.replace("\u00a0", " ").strip() in subheads:
                colours |= fill_colours(built[language].path, page.index,
                                        lambda _, baseline, line=line: abs(baseline - line.baseline) < 0.2)
    assert len(colours) == 1, colours


def heading_lines(pages: list[Page]) -> list[list[float]]:
    """Widths of the lines of each 13pt heading (statement titles), per heading."""
    found = []
    for page in pages:
        lines = [line for line in text_lines([page], HEADING) if line.inked]
        if len(lines) > 1:
            found.append([line.inked[-1].right - line.inked[0].left for line in lines])
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_headings_are_balanced(pages: dict[str, list[Page]], language: str) -> None:
    """No heading ends with a short last line ("скорби" or "Mourning Day" alone): each line of a
    heading is at least 55 % of its longest line."""
    headings = heading_lines(pages[language])
    assert headings
    for widths in headings:
        assert min(widths) >= 0.55 * max(widths), widths


def test_unbalanced_headings_fail_the_check(tmp_path: Path) -> None:
    """The same editions with balancing switched off in layout.yaml: a short last line appears."""
    import shutil

    root = tmp_path / "variant"
    shutil.copytree(ROOT / "layouts", root / "layouts")
    add_fonts(root)
    manifest = root / "layouts" / "memorial" / "layout.yaml"
    manifest.write_text(re.sub(r"\nbalance:\n(?:  .*\n)+", "\n", manifest.read_text(encoding="utf-8")),
                        encoding="utf-8")
    (pdf,) = build(Project(root, ROOT / "corpus", root / "out"), ["ru"], profiles=["screen"])
    assert any(min(w) < 0.55 * max(w) for w in heading_lines(read_pages(pdf.path)))


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_title_page_sets_the_title_as_the_cover_does(pages: dict[str, list[Page]], language: str) -> None:
    def title_glyphs(page: Page) -> set[tuple[str, float]]:
        largest = max(g.size for g in page.glyphs)
        return {(g.font, g.size) for g in page.glyphs if g.size == largest and g.char.strip()}

    cover, title = pages[language][0], pages[language][2]
    assert title_glyphs(cover) == title_glyphs(title)
    assert all("Serif" in font for font, _size in title_glyphs(title))


# ---- 4. Russian dates and abbreviations ---------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_no_doubled_full_stop(built: dict[str, BuiltPdf], language: str) -> None:
    """«2026 г..» (an abbreviation's full stop doubled by the sentence's) never occurs; leader dots
    (". . .") are not sentences."""
    assert not re.search(r"\w\.\s?\.(?!\s?\.)", built[language].text)


def test_russian_years_always_carry_the_year_mark(built: dict[str, BuiltPdf]) -> None:
    """In the editors' pages (contents, chronology, colophon) every year is written «2021 г.»."""
    pdf = built["ru"]
    start = page_with_line(pdf, "Хронология")
    editors_pages = [pdf.pages[page_with_line(pdf, "Содержание")], *pdf.pages[start:]]
    years = [m for text in editors_pages for m in re.finditer(r"(?<![\d–-])(19|20)\d\d(?![\d–-])(.{0,3})", text)]
    assert len(years) > 20
    bare = [m[0] for m in years if not m[2].lstrip("\u00a0\u202f ").startswith(("г.", "го"))
            and "»" not in m[2] and not m[2].startswith(",")]
    assert bare == []


@pytest.mark.parametrize(("language", "dates"), [
    ("en", ["20 January 2026", "19–20 January 1990", "19–20 September 2023", "February 1994"]),
    ("ru", ["20 января 2026 г.", "20 января 1990 г.", "19–20 сентября 2023 г.", "февраль 1994 г."]),
])
def test_editors_dates_never_break_across_lines(built: dict[str, BuiltPdf], language: str,
                                                dates: list[str]) -> None:
    """The title page, the chronology and the colophon set each date on one line, its spaces
    no-break spaces (so it stays whole in any measure, not only in today's)."""
    pdf = built[language]
    start = page_with_line(pdf, "Chronology", "Хронология")
    pages = [pdf.pages[2], *pdf.pages[start:]]
    lines = [re.sub(r"\s+", " ", line) for text in pages for line in text.splitlines()]
    for date in dates:
        assert any(date in line for line in lines), date
        assert any(re.sub(r"\s", "\u00a0", date) in re.sub("\u202f", "\u00a0", text) for text in pages), date


# ---- 5. numbers ---------------------------------------------------------------------------------

def test_thousands_keep_a_narrow_unstretched_space(pages: dict[str, list[Page]], built: dict[str, BuiltPdf]) -> None:
    """«26 000» in a justified Russian line: its groups are joined by a narrow no-break space
    (U+202F in the text; a gap of about 0.15 em, 1.3 pt), never by a word space the justification
    stretches or a no-break space as wide as one."""
    gaps = []
    for page in pages["ru"]:
        text = page.text
        for match in re.finditer(r"26 000", text):
            six, zero = page.glyphs[match.start() + 1], page.glyphs[match.start() + 3]
            gaps.append(zero.advance[0] - six.advance[1])
    assert gaps
    assert all(0 < gap < 0.2 * 9 for gap in gaps), gaps
    text = built["ru"].text
    assert "26\u202f000" in text and not re.search(r"26[ \u00a0]000", text)


# ---- 6. contents --------------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "first"), [
    ("en", ["2021", "Ministry of Foreign Affairs of the Republic of Azerbaijan", "Statement of the"]),
    ("ru", ["2021 г.", "Министерство иностранных дел Азербайджанской Республики", "Заявление"]),
])
def test_contents_entries_lead_with_year_and_issuer(pages: dict[str, list[Page]], built: dict[str, BuiltPdf],
                                                    language: str, first: list[str]) -> None:
    page = pages[language][page_with_line(built[language], "Contents", "Содержание")]
    lines = [line.text.strip() for line in text_lines([page], None) if line.inked]
    entry = lines.index(next(line for line in lines if line.startswith(first[0])))
    assert lines[entry].startswith(first[0]) and lines[entry].endswith(first[1])
    assert lines[entry + 1].startswith(first[2])


@pytest.mark.parametrize("language", LANGUAGES)
def test_contents_leaders_reach_the_numbers(pages: dict[str, list[Page]], built: dict[str, BuiltPdf],
                                            language: str) -> None:
    page = pages[language][page_with_line(built[language], "Contents", "Содержание")]
    numbered = [line for line in text_lines([page], 9.0) if line.inked and line.inked[-1].char.isdigit()]
    assert len(numbered) == 7
    for line in numbered:
        digits = [g for g in line.inked if g.char.isdigit()]
        number_start = next(g for g in reversed(line.inked) if not g.char.isdigit())
        last_dot = number_start if number_start.char == "." else None
        assert last_dot is not None, line.text
        gap = digits[-len([g for g in line.inked[line.inked.index(last_dot) + 1:]])].left - last_dot.right
        assert gap < 3.5 * MM, (line.text, gap / MM)


# ---- 7. chronology ------------------------------------------------------------------------------

def references(text: str) -> list[tuple[str, int]]:
    text = re.sub(r"[\u00a0\u202f]", " ", text)
    return [(m[1], int(m[2])) for m in re.finditer(r"([\w., ]+?), (?:p\.|с\.) (\d+)", text)]


@pytest.mark.parametrize(("language", "event", "mention", "expected"), [
    # 19–20 September 2023: mfa-2025 opens on p. 9, its mention is on p. 10.
    ("en", "19–20 September 2023", "September 19-20, 2023", 10),
    ("ru", "19–20 сентября 2023 г.", "19–20 сентября 2023 года", 10),  # p. 12 before the composer (issue 8)
])
def test_a_reference_gives_the_page_of_the_mention(built: dict[str, BuiltPdf], language: str, event: str,
                                                   mention: str, expected: int) -> None:
    pdf = built[language]
    chronology = re.sub(r"[\u00a0\u202f]", " ", "\n".join(pdf.pages[page_with_line(pdf, "Chronology", "Хронология"):]))
    after = chronology[chronology.index(event):]
    page = next(page for title, page in references(after) if "2025" in title)
    assert page == expected
    assert normalised(mention) in normalised(pdf.pages[page - 1])


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reference_gives_a_page_that_states_a_date_of_its_event(built: dict[str, BuiltPdf],
                                                                       language: str) -> None:
    """Each "Mentioned in" reference of every event, in both editions: the page it gives states a
    date of the event in the words the edition sets ("20 January 1990" for the night of 19–20
    January, «19-20 сентября прошлого года» for 19–20 September 2023), read by the same date reader
    on the page's text."""
    from booklet.corpus.dates import stated_dates

    booklet = load_corpus(ROOT / "corpus")
    pdf = built[language]
    chronology = "\n".join(pdf.pages[page_with_line(pdf, "Chronology", "Хронология"):])
    blocks: list[str] = []
    for line in chronology.splitlines():
        if re.match(r"\s*(?:Mentioned in|Упоминается):", line):
            blocks.append(line)
        elif blocks and blocks[-1].rstrip().endswith(";"):
            blocks[-1] += " " + line  # the references go on
    events = [event for event in booklet.chronology if not event.issued]
    assert len(blocks) == len(events)
    checked = 0
    for event, block in zip(events, blocks, strict=True):
        cited = references(block)
        assert len(cited) == len(event.statements), (event.id, block)
        for statement_id, (_title, page) in zip(event.statements, cited, strict=True):
            text = re.sub(r"[\u2010\u00ad-]\n", "", pdf.pages[page - 1])
            year = booklet.statement(statement_id).date.year
            assert any(d.names(event.date.start, event.date.end) for d in stated_dates(text, year)), \
                (event.id, statement_id, page)
            checked += 1
    assert checked >= 16


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_reference_is_on_one_line(built: dict[str, BuiltPdf], language: str) -> None:
    """"MFA statement, 2021, p. 5" never breaks ("MFA / statement"): each short title with its page
    is found whole in one line as often as in the text with its lines joined."""
    pdf = built[language]
    lines = [re.sub(r"\s+", " ", line) for text in pdf.pages[page_with_line(pdf, "Chronology", "Хронология"):]
             for line in text.splitlines()]
    joined = " ".join(lines)
    titles = {statement.short_title[language] for statement in load_corpus(ROOT / "corpus").statements}
    for title in titles:
        whole = re.compile(re.escape(title) + r", (?:p\.|с\.) \d+")
        assert len(whole.findall(joined)) >= 2, title
        assert sum(len(whole.findall(line)) for line in lines) == len(whole.findall(joined)), title


@pytest.mark.parametrize(("language", "heading", "logistics"), [
    ("en", "THE STATEMENTS IN THIS BOOKLET", "Trend publishes"),
    ("ru", "ЗАЯВЛЕНИЯ ЭТОГО СБОРНИКА", "Trend публикует"),
])
def test_chronology_keeps_history_apart_from_the_statements(built: dict[str, BuiltPdf], language: str,
                                                            heading: str, logistics: str) -> None:
    pdf = built[language]
    chronology = "\n".join(pdf.pages[page_with_line(pdf, "Chronology", "Хронология"):])
    assert chronology.index(heading) < chronology.index(logistics)
    history = chronology[:chronology.index(heading)]
    assert "publishes" not in history and "публикует" not in history
    assert not re.search(r"^\s*(?:night|ночь)\s*$", chronology, re.MULTILINE | re.IGNORECASE)


# ---- 12. colophon -------------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "last_line", "head"), [
    ("en", "Typeset with Booklet and WeasyPrint.", "20 JANUARY"),
    ("ru", "Верстка: Booklet и WeasyPrint.", "20 ЯНВАРЯ"),
])
def test_the_colophon_page_has_no_running_head(built_profiles: dict[str, dict[str, BuiltPdf]], language: str,
                                               last_line: str, head: str) -> None:
    """Where the colophon proper stands on a page of its own (at its foot), no running head hangs
    over the empty page; every other verso of the text keeps the booklet's title as its head."""
    for pdf in (built_profiles["print"][language], built_profiles["screen"][language]):
        index = next(i for i, text in enumerate(pdf.pages) if normalised(last_line) in normalised(text))
        if "Sources and editors" in pdf.pages[index] or "Источники" in pdf.pages[index]:
            continue  # the colophon on one page, under its heading: no page of its own
        assert head not in pdf.pages[index].replace("\u00a0", " ")
        assert head in pdf.pages[index - 2].replace("\u00a0", " ")  # the verso before it

@pytest.mark.parametrize(("language", "typography"), [
    ("en", "Set in Noto Serif and Noto Sans (SIL Open Font License 1.1). Typeset with Booklet and WeasyPrint."),
    ("ru", "Набрано шрифтами Noto Serif и Noto Sans (SIL Open Font License 1.1). Верстка: Booklet и WeasyPrint."),
])
def test_colophon_names_the_typefaces_once_and_the_product_by_name(built: dict[str, BuiltPdf], language: str,
                                                                   typography: str) -> None:
    colophon = colophon_of(built[language])
    assert normalised(typography) in normalised(colophon)
    assert colophon.count("Set in") <= 1 and "booklet" not in colophon.replace("Booklet", "")
