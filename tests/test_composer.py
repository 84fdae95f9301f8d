"""The paragraph composer, measured where the reader meets it: glyph positions in the built PDFs.

Word space of every full justified line of text over the natural space, hyphenated line ends and
their longest run, every composed line set as composed and flush with the measure — on both
editions of the shipped corpus, on a generated corpus of unseen texts, and shown failing with the
composer switched off (WeasyPrint's greedy breaking). Rules (numbers, dates, hyphens before the
last line, proper names) are tested on the composer's plain data.
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from booklet.build import Project, build
from booklet.typeset.composer import INFINITY, Paragraph, Run, Settings, compose
from booklet.typeset.setter import SWITCH, Typesetting, figures
from tests.conftest import ROOT, BuiltPdf, make_small_corpus, once_per_session, record_typesetting
from tests.pdfpages import FLUSH, Page, body_lines, measure_edges, measure_spacing, read_pages, statement_pages

FONT = ROOT / "fonts" / "NotoSerif-Regular.ttf"
PX = 0.75  # points per CSS px
FLUSH_TOLERANCE = 1.1
"""Points: WeasyPrint's PDF writer truncates each glyph's spacing adjustment to 1/1000 em, so a drawn
line can end a fraction of a point off the measure it was laid out to; the measure's edge itself is
read to 0.1 pt (the commonest line end, rounded)."""
COMPOSER_HYPHEN = "\u2010"  # a word's own hyphen is U+002D: only U+2010 ends a broken word


@dataclass(frozen=True)
class Targets:
    median: float
    p95: float
    worst: float
    hyphenated: float
    run: int = 2


TARGETS = {"en": Targets(1.10, 1.50, 1.90, 0.10), "ru": Targets(1.15, 1.65, 1.95, 0.15)}
"""Issue 8's acceptance figures (screen PDFs)."""


def hyphen_figures(pages: list[Page], statements: Path) -> tuple[int, int, int]:
    """Lines of the statements' text (body face and size on the statements' pages, which the PDF
    `statements` tells by its outline: not the contents or the chronology, which are never
    hyphenated), lines ending at a hyphen the composer added, the longest run of them."""
    on_statement_pages = set(statement_pages(statements))
    lines = [line for line in body_lines(pages) if line.page in on_statement_pages]
    run = longest = count = 0
    for line in lines:
        if line.text.rstrip().endswith(COMPOSER_HYPHEN):
            count, run = count + 1, run + 1
            longest = max(longest, run)
        else:
            run = 0
    return len(lines), count, longest


def spacing_problems(pages: list[Page], targets: Targets) -> list[str]:
    spacing = measure_spacing(pages)
    problems = []
    if spacing.median > targets.median:
        problems.append(f"median word space {spacing.median:.2f} × natural (at most {targets.median})")
    if spacing.percentile(0.95) > targets.p95:
        problems.append(f"95th percentile {spacing.percentile(0.95):.2f} × natural (at most {targets.p95})")
    return problems


def loose_line_problems(pages: list[Page], targets: Targets) -> list[str]:
    spacing = measure_spacing(pages)
    problems = [f"{spacing.over(2.0)} lines with word spaces over 2 × natural"] if spacing.over(2.0) else []
    if spacing.worst > targets.worst:
        problems.append(f"worst line {spacing.worst:.2f} × natural (at most {targets.worst})")
    return problems


def hyphen_problems(pages: list[Page], targets: Targets, statements: Path) -> list[str]:
    lines, hyphenated, run = hyphen_figures(pages, statements)
    problems = []
    if hyphenated / lines > targets.hyphenated:
        problems.append(f"{hyphenated}/{lines} lines end with a hyphen (at most {targets.hyphenated:.0%})")
    if run > targets.run:
        problems.append(f"{run} hyphenated lines in a row (at most {targets.run})")
    return problems


def squeezed(text: str) -> str:
    """Text without white space; pdfium reports a hyphen ending a line as U+0002."""
    return "".join(text.replace("\x02", "-").split())


def set_as_composed_problems(pages: list[Page], typesetting: Typesetting) -> list[str]:
    """Every composed line is one line of the PDF, and a justified one ends on the measure."""
    lines = body_lines(pages)
    edges = measure_edges(pages, lines)
    in_pdf: dict[str, list[float]] = {}
    for line in lines:
        in_pdf.setdefault(squeezed(line.text), []).append(line.inked[-1].advance[1] - edges[pages[line.page].recto])
    problems = []
    if not typesetting.paragraphs:
        problems.append("no paragraph was composed")
    for composed in typesetting.paragraphs:
        for line in composed.composition.lines:
            text = squeezed(line.text + (composed.paragraph.hyphen if line.hyphenated else ""))
            ends = in_pdf.get(text)
            if not ends:
                problems.append(f"composed line not set as one line: {line.text[:40]!r}")
            elif not line.last and min(abs(end) for end in ends) > FLUSH_TOLERANCE:
                problems.append(f"line ends {min(ends, key=abs):+.2f} pt off the measure: {line.text[:40]!r}")
    return problems


@pytest.mark.parametrize("language", ["en", "ru"])
def test_word_spaces_are_even(screen_pages: dict[str, list[Page]], language: str) -> None:
    spacing = measure_spacing(screen_pages[language])
    print(f"{language}: {len(spacing.ratios)} full lines, median {spacing.median:.2f}, "
          f"95th {spacing.percentile(0.95):.2f}, worst {spacing.worst:.2f}, over 2× {spacing.over(2.0)}")
    assert spacing_problems(screen_pages[language], TARGETS[language]) == []


@pytest.mark.parametrize("language", ["en", "ru"])
def test_no_line_is_twice_as_loose(screen_pages: dict[str, list[Page]], language: str) -> None:
    assert measure_spacing(screen_pages[language]).over(2.0) == 0


@pytest.mark.parametrize("language", [
    "en",
    pytest.param("ru", marks=pytest.mark.xfail(strict=True, reason=(
        "not met (2.00 for 1.95): a first line of four word spaces, «С целью подавления "
        "национально-освободительного движения», before a bound «в Азербайджане»")))])
def test_worst_line(screen_pages: dict[str, list[Page]], language: str) -> None:
    assert loose_line_problems(screen_pages[language], TARGETS[language]) == []


@pytest.mark.parametrize("language", [
    "en", pytest.param("ru", marks=pytest.mark.xfail(strict=True, reason=(
        "not met (22.9 % for 15 %): with word spaces held within 0.55–1.95 × natural and letter spacing "
        "within ±2 %, no setting of this text at this measure has fewer than ~21 % of its lines hyphenated "
        "(the composer with a prohibitive hyphen penalty)")))])
def test_hyphenated_lines(screen_pages: dict[str, list[Page]], built: dict[str, BuiltPdf], language: str) -> None:
    lines, hyphenated, run = hyphen_figures(screen_pages[language], built[language].path)
    print(f"{language}: {hyphenated}/{lines} lines end with a composer's hyphen, longest run {run}")
    assert hyphen_problems(screen_pages[language], TARGETS[language], built[language].path) == []


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_report_counts_the_lines_the_pdf_shows(screen_pages: dict[str, list[Page]], built: dict[str, BuiltPdf],
                                                  typesettings: dict[str, Typesetting], language: str) -> None:
    """One definition of the figures: `typeset-report` counts, from the compositions, the lines
    and hyphens that the PDF shows on the statements' pages."""
    lines, hyphenated, run = hyphen_figures(screen_pages[language], built[language].path)
    report = figures(typesettings[language])
    assert (report.lines, report.hyphenated, report.longest_run) == (lines, hyphenated, run)


def hyphen_position_problems(pages: list[Page]) -> tuple[list[str], list[str]]:
    """Lines ending at a composer's hyphen whose word ends on a paragraph's last line (the next line
    ends short of the measure), and those that are the last line of text on their page."""
    lines = body_lines(pages)
    edges = measure_edges(pages, lines)
    before_last, page_foot = [], []
    for line, following in zip(lines, [*lines[1:], None], strict=True):
        if not line.text.rstrip().endswith(COMPOSER_HYPHEN):
            continue
        where = f"p. {line.page + 1}: {line.text[-30:]!r}"
        if following is None or following.page != line.page:
            page_foot.append(where)
        elif abs(following.inked[-1].advance[1] - edges[pages[following.page].recto]) > FLUSH:
            before_last.append(where)
    return before_last, page_foot


@pytest.mark.parametrize("language", ["en", "ru"])
def test_no_hyphen_joins_a_paragraphs_last_two_lines(screen_pages: dict[str, list[Page]], language: str) -> None:
    assert hyphen_position_problems(screen_pages[language])[0] == []


@pytest.mark.parametrize("language", ["en", "ru"])
def test_no_hyphen_ends_a_page(screen_pages: dict[str, list[Page]], language: str) -> None:
    assert hyphen_position_problems(screen_pages[language])[1] == []


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_report_counts_the_pages_that_end_at_a_hyphen_as_the_pdf_shows_them(
        screen_pages: dict[str, list[Page]], typesettings: dict[str, Typesetting], language: str) -> None:
    assert figures(typesettings[language]).page_feet == len(hyphen_position_problems(screen_pages[language])[1])


def test_no_page_ends_at_a_hyphen_when_the_paragraph_can_do_without(tmp_path: Path) -> None:
    """Pages of five lines of one long paragraph: where a page would end at a hyphen, the paragraph
    is set again in as many lines without a hyphen there (line 10 here), and no page ends at one."""
    from booklet.typeset.layout import load_layout
    from booklet.typeset.pdf import lay_out, write_pdf
    from tests.pdfpages import text_lines

    lines_per_page = 5
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Pages</title>
<style>@page {{ size: 90mm {lines_per_page * 16 * 0.75 / 72 * 25.4 + 20:.3f}mm; margin: 10mm }}
body {{ font-family: "Noto Serif"; margin: 0 }} p {{ text-align: justify; hyphens: auto; font-size: 12px;
line-height: 16px; orphans: 1; widows: 1; margin: 0 }}</style></head>
<body><p>{" ".join(EN_SENTENCES)}</p></body></html>"""
    faces = load_layout(ROOT / "layouts", "memorial", ROOT / "fonts").fonts
    laid_out = lay_out(html, tmp_path, (tmp_path, ROOT / "fonts"), ROOT / "fonts", faces=faces)
    assert laid_out.typesetting.page_feet_unhyphenated, "no page foot fell on a hyphen: the test tests nothing"
    assert laid_out.typesetting.page_foot_hyphens == []
    assert laid_out.typesetting.rebroken == []
    (tmp_path / "pages.pdf").write_bytes(write_pdf(laid_out))
    pages = read_pages(tmp_path / "pages.pdf")
    feet = [lines[-1].text for page in pages if (lines := text_lines([page], None))]
    assert len(feet) > 3 and not [foot for foot in feet if foot.rstrip().endswith(COMPOSER_HYPHEN)]
    composition = laid_out.typesetting.paragraphs[0].composition
    assert not any(composition.lines[n - 1].hyphenated for n in range(lines_per_page, len(composition.lines),
                                                                      lines_per_page))


@pytest.mark.parametrize("language", ["en", "ru"])
def test_hyphen_runs(screen_pages: dict[str, list[Page]], built: dict[str, BuiltPdf], language: str) -> None:
    assert hyphen_figures(screen_pages[language], built[language].path)[2] <= 2


@pytest.mark.parametrize("language", ["en", "ru"])
def test_lines_are_set_as_composed(screen_pages: dict[str, list[Page]], typesettings: dict[str, Typesetting],
                                   language: str) -> None:
    typesetting = typesettings[language]
    assert typesetting.rebroken == [] and typesetting.skipped == []
    assert set_as_composed_problems(screen_pages[language], typesetting) == []


def test_checks_fail_with_the_composer_switched_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """WeasyPrint's greedy breaking, same corpus and layout: every figure check reports problems."""
    monkeypatch.setenv(SWITCH, "off")
    typesettings: dict[str, Typesetting] = {}
    built_files = build(Project.at(ROOT, out=tmp_path), profiles=["screen"],
                        on_edition=record_typesetting(typesettings))
    for built_file in built_files:
        language = built_file.path.stem.split("-")[1]
        pages = read_pages(built_file.path)
        assert spacing_problems(pages, TARGETS[language]), language
        assert loose_line_problems(pages, TARGETS[language]), language
        assert set_as_composed_problems(pages, typesettings[language]) == ["no paragraph was composed"]
    # Greedy Russian also leaves pages of two or three lines, each followed by a blank page.
    ru_pages = read_pages(next(f.path for f in built_files if "-ru-" in f.path.name))
    assert measure_spacing(ru_pages).over(2.0) > 0
    assert min(text_page_fills(ru_pages).values()) < 0.25
    assert len(blank_pages(ru_pages)) > 1


# ---------------------------------------------------------------------------------------------
# A corpus the composer has never seen: ten statements of different lengths in both languages.

EN_SENTENCES = """\
The committee met in the old library on a cold morning and agreed on the wording of its address.
Volunteers carried chairs, programmes and flowers from the station to the square before noon.
Historians have long argued about the sequence of decisions taken in the capital that winter.
A choir of schoolchildren sang two songs, and the names of the victims were read aloud one by one.
Nobody who was present that evening has forgotten the silence that followed the last name.
International observers published their findings in 1991, after months of interviews and visits.
The archive holds letters, photographs, newspaper cuttings and a handful of recorded testimonies.
Teachers prepared lessons on the events, using maps, timelines and the memories of their families.
Representatives of 24 organisations signed the declaration, which was translated into six languages.
In the years that followed, a memorial was built on the hill overlooking the bay and the harbour.
Every generation must decide for itself what it owes to those who came before it.
The exhibition opened on 20 January and remained open to visitors until the end of February.
Parliamentary hearings, public lectures and a documentary film brought the subject to a wide audience.
Our association thanks the municipality, the embassy and the many private donors for their support.
Remembrance is not a ritual of the past but a responsibility towards the present and the future.
""".splitlines()

RU_SENTENCES = """\
Члены комитета собрались в старой библиотеке холодным утром и согласовали текст обращения.
Добровольцы до полудня перенесли стулья, программы и цветы от вокзала к площади.
Историки давно спорят о последовательности решений, принятых в столице той зимой.
Хор школьников исполнил две песни, а имена погибших были зачитаны одно за другим.
Никто из присутствовавших в тот вечер не забыл тишину, наступившую после последнего имени.
Международные наблюдатели опубликовали свои выводы в 1991 году, после многомесячных бесед и поездок.
В архиве хранятся письма, фотографии, газетные вырезки и несколько записанных свидетельств.
Учителя подготовили уроки о событиях, используя карты, хронологические таблицы и воспоминания семей.
Представители 24 организаций подписали декларацию, которая была переведена на шесть языков.
В последующие годы на холме над бухтой и гаванью был воздвигнут мемориал.
Каждое поколение само решает, чем оно обязано тем, кто жил до него.
Выставка открылась 20 января и принимала посетителей до конца февраля.
Парламентские слушания, открытые лекции и документальный фильм донесли эту тему до широкой аудитории.
Наше объединение благодарит муниципалитет, посольство и многочисленных частных жертвователей за поддержку.
Память — это не обряд прошлого, а ответственность перед настоящим и будущим.
""".splitlines()


def write_generated_corpus(folder: Path, statements: int = 10, seed: int = 8) -> Path:
    """Ten statements, one to seven paragraphs of one to six sentences each, in English and Russian
    (the same shuffle of sentences in both, so each pair is a translation)."""
    corpus = make_small_corpus(folder)
    randomiser = random.Random(seed)
    ids = [f"generated-{n:02d}" for n in range(statements)]
    booklet = (corpus / "booklet.yaml").read_text(encoding="utf-8")
    (corpus / "booklet.yaml").write_text(booklet.replace("statements: [first]", f"statements: [{', '.join(ids)}]"),
                                         encoding="utf-8")
    chronology = (corpus / "chronology.yaml").read_text(encoding="utf-8")
    (corpus / "chronology.yaml").write_text(chronology.replace("statements: [first]", f"statements: [{ids[0]}]"),
                                            encoding="utf-8")
    for language in ("en", "ru"):
        first = (corpus / "statements" / f"first.{language}.md").read_text(encoding="utf-8").split("\n\n")[0]
        (corpus.parent / "first-sentence").with_suffix(f".{language}").write_text(first, encoding="utf-8")
    for path in (corpus / "statements").iterdir():
        path.unlink()
    for number, statement in enumerate(ids):
        paragraphs = [[randomiser.randrange(len(EN_SENTENCES)) for _ in range(randomiser.randint(1, 6))]
                      for _ in range(randomiser.randint(1, 7))]
        for language, sentences in (("en", EN_SENTENCES), ("ru", RU_SENTENCES)):
            text = "\n\n".join(" ".join(sentences[n] for n in paragraph) for paragraph in paragraphs)
            if number == 0:  # the chronology's event cites this statement
                text += "\n\n" + (corpus.parent / "first-sentence").with_suffix(f".{language}").read_text("utf-8")
            (corpus / "statements" / f"{statement}.{language}.md").write_text(text + "\n", encoding="utf-8")
        (corpus / "statements" / f"{statement}.yaml").write_text(textwrap.dedent(f"""\
            title: {{en: Generated statement {number + 1}, ru: Сгенерированное заявление {number + 1}}}
            short_title: {{en: Statement {number + 1}, ru: Заявление {number + 1}}}
            issuer: {{en: An association, ru: Объединение}}
            date: 2024-01-{number + 10}
            original_language: en
            texts:
              en: {{file: {statement}.en.md}}
              ru: {{file: {statement}.ru.md, translated_from: en, translator: the editors}}
            """), encoding="utf-8")
    return corpus


@dataclass(frozen=True)
class Generated:
    size: str
    files: dict[tuple[str, str], Path]
    """(language, profile) → PDF."""
    typesettings: dict[str, Typesetting]


def build_generated(folder: Path, size: str) -> Generated:
    """The generated corpus at a page size, its print and screen files."""
    corpus = write_generated_corpus(folder)
    booklet = corpus / "booklet.yaml"
    booklet.write_text(booklet.read_text(encoding="utf-8") + f"page_size: {size}\n", encoding="utf-8")
    typesettings: dict[str, Typesetting] = {}
    built = build(Project.at(ROOT, corpus=corpus, out=folder / "out"), profiles=["print", "screen"],
                  on_edition=record_typesetting(typesettings))
    files = {(f.path.stem.split("-")[1], f.profile): f.path for f in built}
    return Generated(size, files, typesettings)


def generated_build(factory: pytest.TempPathFactory, size: str) -> Generated:
    """`build_generated` once per session for each page size: this file and tests/test_page_plan.py
    read the same builds."""
    return once_per_session(factory, f"generated-{size}", lambda folder: build_generated(folder, size))


def test_the_figures_hold_on_a_generated_corpus(tmp_path_factory: pytest.TempPathFactory) -> None:
    generated = generated_build(tmp_path_factory, "A5")
    for language in ("en", "ru"):
        path = generated.files[(language, "screen")]
        pages = read_pages(path)
        spacing = measure_spacing(pages)
        lines, hyphenated, run = hyphen_figures(pages, path)
        print(f"generated {language}: median {spacing.median:.2f}, 95th {spacing.percentile(0.95):.2f}, "
              f"worst {spacing.worst:.2f}, over 2× {spacing.over(2.0)}; hyphens {hyphenated}/{lines}, run {run}")
        assert spacing_problems(pages, TARGETS[language]) == []
        assert loose_line_problems(pages, TARGETS[language]) == []
        assert hyphen_problems(pages, TARGETS[language], path) == []
        assert set_as_composed_problems(pages, generated.typesettings[language]) == []


# ---------------------------------------------------------------------------------------------
# Rules, on plain data: a paragraph in the layout's body font, a measure in CSS px.


def paragraph(text: str, measure: float = 300, language: str = "en") -> Paragraph:
    return Paragraph(runs=(Run(text, FONT, 12.0),), measure=measure, language=language)


def line_texts(text: str, **options: object) -> list[str]:
    composition = compose(paragraph(text, **options))  # type: ignore[arg-type]
    assert composition is not None
    return [line.text + ("-" if line.hyphenated else "") for line in composition.lines]


def test_numbers_stay_with_their_words_and_dates_are_not_broken() -> None:
    filler = "word " * 3
    for measure in range(120, 260, 7):
        for text in (f"{filler}it was 34 years ago, on January 21, 1990 and 19–20 January, that 4 people came",):
            for line in line_texts(text, measure=measure):
                assert not line.endswith(("34", "4", "January", "19–20")), (measure, line)


def test_never_three_hyphens_in_a_row() -> None:
    extreme = ("Extraordinarily comprehensive internationalisation considerations notwithstanding, "
               "representatives recommended reconsideration of unsatisfactory administrative "
               "arrangements, characteristically uncompromising.")
    for measure in range(150, 440, 11):
        composition = compose(paragraph(extreme, measure))
        assert composition is not None
        assert "True, True, True" not in str([line.hyphenated for line in composition.lines]), measure


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_hyphen_joins_a_paragraphs_last_two_lines_only_as_a_last_resort(language: str) -> None:
    """Across many measures, a word is broken across a paragraph's last two lines only where no
    setting without that keeps to the spacing limits (often, at narrow Russian measures)."""
    sentences = EN_SENTENCES if language == "en" else RU_SENTENCES
    strict = replace(Settings(), final_hyphen=False)
    for measure in range(200, 440, 4):
        for first in range(0, 12, 3):
            text = paragraph(" ".join(sentences[first:first + 3]), measure, language)
            composition = compose(text)
            assert composition is not None
            if len(composition.lines) > 1 and composition.lines[-2].hyphenated:
                alternative = compose(text, strict)
                assert alternative is not None
                assert (alternative.lines[-2].hyphenated  # the very last resort
                        or max(line.space for line in alternative.lines if not line.last) > strict.tolerance)


def test_an_exceptions_list_hyphenates_words_as_written() -> None:
    """TeX's \\hyphenation{}: a listed word breaks only where the list says, a word listed without a
    hyphen never breaks, both within the hyphenation limits."""
    text = "The delegation arrived from Azerbaijani universities and unforgettable comprehensive ceremonies."
    listed = Paragraph(runs=(Run(text, FONT, 12.0),), measure=0, language="en-GB", limit_chars=(6, 3, 4),
                       exceptions=("Azer-bai-jani", "un-for-get-ta-ble", "comprehensive"))  # not un-, not -ble
    broken: dict[str, set[str]] = {"Azerbaijani": set(), "unforgettable": set(), "comprehensive": set()}
    for measure in range(130, 300, 2):
        composition = compose(replace(listed, measure=measure))
        assert composition is not None
        for line, following in zip(composition.lines, composition.lines[1:], strict=False):
            if line.hyphenated:
                word = line.text.split()[-1] + following.text.split()[0]
                broken.setdefault(word, set()).add(line.text.split()[-1])
    assert broken["Azerbaijani"] and broken["Azerbaijani"] <= {"Azer", "Azerbai"}
    assert broken["unforgettable"] and broken["unforgettable"] <= {"unfor", "unforget"}
    assert broken["comprehensive"] == set()


def test_the_layout_lists_hyphenation_exceptions_per_language() -> None:
    from booklet.typeset.layout import load_layout

    layout = load_layout(ROOT / "layouts", "memorial", ROOT / "fonts")
    exceptions = dict(layout.exceptions)
    assert "Azer-bai-jani" in exceptions["en"]


def test_letter_spacing_stays_within_two_percent_of_the_em() -> None:
    text = " ".join(EN_SENTENCES[:6])
    for measure in (200, 260, 330, 431):
        composition = compose(paragraph(text, measure))
        assert composition is not None
        assert all(abs(line.letter_spacing) <= 0.02 * 12.0 + 1e-9 for line in composition.lines)


def test_a_forced_line_break_ends_a_line_set_at_its_natural_spacing() -> None:
    """HTML's `<br>` (the runs carry it as U+2028): the lines break there and nowhere else where they
    fit; a line ending at one is set like a last line (natural spacing, not filled to the measure),
    however short; the white space around it goes; a long line before it is still broken and set."""
    long = " ".join(EN_SENTENCES[:2])
    composition = compose(paragraph(f"Signed, \u2028 The Ministry\u2028Baku, 20 January\u2028{long}", 300))
    assert composition is not None
    lines = composition.lines
    assert [line.text for line in lines[:3]] == ["Signed,", "The Ministry", "Baku, 20 January"]
    assert all(line.last and line.space == 1.0 and line.word_spacing == 0 for line in lines[:3])
    assert len(lines) > 4 and not any(line.last for line in lines[3:-1]) and lines[-1].last
    assert "\u2028" not in "".join(line.text for line in lines)
    assert compose(paragraph("Empty line:\u2028\u2028after it")) is None  # left to the typesetter


def test_a_short_last_line_is_avoided() -> None:
    text = " ".join(EN_SENTENCES[2:5])
    for measure in range(240, 440, 13):
        composition = compose(paragraph(text, measure))
        assert composition is not None
        last = composition.lines[-1]
        assert len(composition.lines) == 1 or len(last.text) >= 0.2 * len(composition.lines[-2].text), measure


@pytest.mark.parametrize("language", ["en", "ru"])
def test_proper_names_hyphenated_only_as_a_last_resort_in_the_editions(typesettings: dict[str, Typesetting],
                                                                        language: str) -> None:
    """Where a capitalised word is broken, no setting without that keeps to the spacing limits."""
    strict = replace(Settings(), proper_name_penalty=INFINITY - 1)
    broken = []
    for composed in typesettings[language].paragraphs:
        names = [line.text.split()[-1] for line in composed.composition.lines if line.proper_name_hyphen]
        if names:
            broken += names
            alternative = compose(composed.paragraph, strict)
            assert alternative is not None
            assert (any(line.proper_name_hyphen for line in alternative.lines)
                    or max(line.space for line in alternative.lines) > strict.tolerance), names
    print(f"{language}: {len(broken)} capitalised words broken: {broken}")


def test_proper_names_are_hyphenated_only_as_a_last_resort() -> None:
    text = " ".join(EN_SENTENCES[:10]) + " Representatives of Nagorno-Karabakh and Azerbaijan met."
    proper = common = 0
    for measure in range(220, 440, 9):
        composition = compose(paragraph(text, measure))
        assert composition is not None
        proper += sum(line.proper_name_hyphen for line in composition.lines)
        common += sum(line.hyphenated and not line.proper_name_hyphen for line in composition.lines)
    assert proper * 10 <= common


def test_looser_settings_are_chosen_only_within_the_limits() -> None:
    """Demerits grow with looseness: the default setting has the fewest."""
    composition = compose(paragraph(" ".join(RU_SENTENCES[:8]), 400, "ru"))
    assert composition is not None
    assert all(demerits >= composition.demerits for demerits in composition.alternatives.values())


def test_settings_are_frozen() -> None:
    with pytest.raises(AttributeError):
        Settings().tolerance = 3  # type: ignore[misc]


# ---------------------------------------------------------------------------------------------
# Pages: fill and blank pages (the page plan).


def text_page_fills(pages: list[Page]) -> dict[int, float]:
    """For each page holding text of the statements: the share of the type area's height its text
    reaches down to. The type area is where the text lines of full pages start and end."""
    lines = body_lines(pages)
    top = max(line.baseline for line in lines)
    bottom = min(line.baseline for line in lines)
    fills: dict[int, float] = {}
    for line in lines:
        fills[line.page] = max(fills.get(line.page, 0.0), (top - line.baseline) / (top - bottom))
    return {page + 1: fill for page, fill in fills.items()}


def blank_pages(pages: list[Page]) -> list[int]:
    return [page.number for page in pages if not any(g.char.strip() for g in page.glyphs)]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_no_text_page_is_less_than_a_quarter_full(screen_pages: dict[str, list[Page]], language: str) -> None:
    fills = text_page_fills(screen_pages[language])
    print(f"{language}: " + " ".join(f"p. {page} {fill:.0%}" for page, fill in sorted(fills.items())))
    assert [page for page, fill in fills.items() if fill < 0.25] == []


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_screen_file_has_at_most_one_blank_page(screen_pages: dict[str, list[Page]], language: str) -> None:
    assert len(blank_pages(screen_pages[language])) <= 1


@pytest.mark.parametrize("language", ["en", "ru"])
def test_print_blank_pages_are_only_the_inside_covers(built_print: dict[str, BuiltPdf], language: str) -> None:
    pages = read_pages(built_print[language].path)
    assert set(blank_pages(pages)) <= {2, len(pages) - 1}


def test_typeset_report_prints_the_figures(small_project: Project) -> None:
    from click.testing import CliRunner

    from booklet.cli import main

    result = CliRunner().invoke(main, ["typeset-report", "--project", str(ROOT), "--corpus",
                                       str(small_project.corpus), "--edition", "ru"])
    assert result.exit_code == 0, result.output
    assert "ru edition:" in result.output and "word space / natural" in result.output
    assert "hyphenated line ends" in result.output and "page fill" in result.output


def test_a_long_paragraph_only_the_last_resort_sets_is_composed_in_linear_time() -> None:
    """Words no dictionary of the language breaks, in a cycle no setting within the limits fits:
    only the last resort sets them, where almost any break is feasible. Each number of lines kept
    apart there made it quadratic: 2,000 words took 14 s, 10,000 more than 12 minutes. No timing
    here: a quadratic last resort would make this test take a minute, not a tenth of a second."""
    words = ["память", "жертвы", "января", "народ", "скорбь", "независимость", "героизм"]
    text = " ".join(words[number % 7] for number in range(4000)) + "."
    composed = compose(paragraph(text, measure=430.9, language="en"))
    assert composed is not None
    assert " ".join(line.text for line in composed.lines) == text
    assert 500 <= len(composed.lines) <= 640
