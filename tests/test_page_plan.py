"""The page plan (booklet/typeset/plan.py), measured in the built PDFs: blank pages, how full the pages
of statement text are, what fills the print file's multiple of 4 — on the shipped corpus and on a
generated corpus of ten statements of different lengths in both languages, at A5 and at A4, and
shown failing with the composer (and so the plan) switched off. The fitter's decisions are also
tested on plain data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from booklet.build import Project, build
from booklet.typeset.plan import (
    Measured,
    PageBottom,
    Plan,
    Section,
    Unit,
    balance,
    fit,
    foresee,
    long_page_rules,
    long_pages,
    measure,
)
from booklet.typeset.setter import SWITCH, Typesetting
from tests.conftest import ROOT, BuiltPdf, layout_geometry, make_small_corpus, record_typesetting
from tests.pdfpages import Page, body_lines, read_pages, statement_pages
from tests.test_composer import (
    TARGETS,
    Generated,
    blank_pages,
    build_generated,
    generated_build,
    loose_line_problems,
    spacing_problems,
    write_generated_corpus,
)

MM = 72 / 25.4
QUARTER = 0.25


def statement_fills(path: Path, pages: list[Page], size: str) -> dict[int, float]:
    """Page number → how far down the type area the page's last line of text reaches (its baseline,
    as a share of the type area's height, from the layout's margins)."""
    geometry = layout_geometry(size)
    top_margin, bottom_margin = geometry["margins_mm"]["top"] * MM, geometry["margins_mm"]["bottom"] * MM
    lowest: dict[int, float] = {}
    for line in body_lines(pages):
        lowest[line.page] = min(lowest.get(line.page, line.baseline), line.baseline)
    fills = {}
    for index in statement_pages(path):
        page = pages[index]
        area_top = page.trim[3] - top_margin
        height = page.trim[3] - page.trim[1] - top_margin - bottom_margin
        fills[index + 1] = (area_top - lowest[index]) / height if index in lowest else 0.0
    return fills


def plan_problems(screen: Path, printed: Path, size: str) -> list[str]:
    """Blank pages beyond the inside covers, statement pages less than a quarter full."""
    problems = []
    screen_pages, print_pages = read_pages(screen), read_pages(printed)
    if len(blank_pages(screen_pages)) > 1:
        problems.append(f"screen file: blank pages {blank_pages(screen_pages)} (at most 1)")
    inside_covers = {2, len(print_pages) - 1}
    if not set(blank_pages(print_pages)) <= inside_covers:
        problems.append(f"print file: blank pages {blank_pages(print_pages)} (only the inside covers {inside_covers})")
    if len(print_pages) % 4:
        problems.append(f"print file: {len(print_pages)} pages, not a multiple of 4")
    fills = statement_fills(screen, screen_pages, size)
    problems += [f"p. {page} is {fill:.0%} full" for page, fill in fills.items() if fill < QUARTER]
    return problems


@pytest.fixture(scope="module", params=["A5", "A4"])
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return generated_build(tmp_path_factory, request.param)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_page_plan_holds_on_a_generated_corpus(generated: Generated, language: str) -> None:
    """Ten statements of 1 to 7 paragraphs, each shorter than a page but one: statements open on
    the next page where a recto would leave a blank, and on a recto where the pages moved make it
    free; the print file fills its multiple of 4 with the colophon proper and the notes page; every
    page of statement text at least a quarter full."""
    screen, printed = generated.files[(language, "screen")], generated.files[(language, "print")]
    fills = statement_fills(screen, read_pages(screen), generated.size)
    print(f"{generated.size} {language}: " + " ".join(f"p. {page} {fill:.0%}" for page, fill in fills.items()))
    assert plan_problems(screen, printed, generated.size) == []
    assert blank_pages(read_pages(screen)) == [2]
    plan = generated.typesettings[language].plan
    # One-page statements, each on a recto with a blank verso after it when nothing moves: every
    # other one opens on the verso, and the blank before the one after it goes by itself.
    assert sum(how == "page" for how in plan.openings.values()) == 5
    assert plan.fillers is not None and len(plan.fillers) == 2
    # The openings move every later page: all are foreseen at once, so one layout more is enough.
    assert generated.typesettings[language].layouts == 2


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_composer_figures_hold_at_another_page_size(generated: Generated, language: str) -> None:
    if generated.size != "A4":
        pytest.skip("A5: tests/test_composer.py::test_the_figures_hold_on_a_generated_corpus")
    pages = read_pages(generated.files[(language, "screen")])
    assert spacing_problems(pages, TARGETS[language]) == []
    assert loose_line_problems(pages, TARGETS[language]) == []


@pytest.mark.parametrize("language", ["en", "ru"])
def test_covers_and_title_page_are_the_same_page_at_a4(tmp_path_factory: pytest.TempPathFactory,
                                                       language: str) -> None:
    """A4 is A5 enlarged by √2: the front cover, the title page and the back cover show every line
    at the same place in proportion to the page (before, their offsets were A5's millimetres, and
    the A4 title page had its imprint two thirds of the way down instead of at the foot)."""
    def placed(pages: list[Page], index: int) -> list[tuple[str, float, float]]:
        page = pages[index]
        left, bottom, right, top = page.trim
        return [(g.char, round((g.left - left) / (right - left), 2), round((top - g.top) / (top - bottom), 2))
                for g in sorted(page.glyphs, key=lambda g: (-round(g.baseline), g.left)) if g.char.strip()]

    a5, a4 = (read_pages(generated_build(tmp_path_factory, size).files[(language, "screen")]) for size in ("A5", "A4"))
    for index in (0, 2, len(a5) - 1):
        shown = placed(a4, index)
        assert shown, index
        for (char, x, y), (char5, x5, y5) in zip(shown, placed(a5, index), strict=True):
            assert (char, pytest.approx(x, abs=0.011), pytest.approx(y, abs=0.011)) == (char5, x5, y5), index


def test_the_page_plan_checks_fail_with_the_composer_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Greedy WeasyPrint and no plan, A4: a blank verso after each one-page statement, the print
    file padded with blank pages, and a page of two lines."""
    monkeypatch.setenv(SWITCH, "off")
    greedy = build_generated(tmp_path, "A4")
    for language in ("en", "ru"):
        problems = plan_problems(greedy.files[(language, "screen")], greedy.files[(language, "print")], "A4")
        print(language, problems)
        assert any(problem.startswith("screen file: blank pages") for problem in problems), language
        assert any(problem.startswith("print file: blank pages") for problem in problems), language
        assert any(problem.endswith("full") for problem in problems), language


def long_first_statement(tmp_path: Path) -> Path:
    """The small corpus with a first statement of 35 one-line paragraphs: 6 lines (17 %) on its
    second page."""
    corpus = make_small_corpus(tmp_path)
    statements = corpus / "statements"
    for language, line in (("en", "We remember them, and we shall remember them in the years to come."),
                           ("ru", "Мы помним их и будем помнить их в грядущие годы.")):
        first = (statements / f"first.{language}.md").read_text(encoding="utf-8").split("\n\n")[0]
        (statements / f"first.{language}.md").write_text("\n\n".join([line] * 34 + [first]), encoding="utf-8")
    return corpus


def test_a_statement_runs_on_after_one_whose_last_page_is_nearly_empty(tmp_path: Path) -> None:
    """A statement of 35 one-line paragraphs leaves 6 lines (17 %) on its second page: the next
    statement runs on after it there, three lines below, instead of opening the next page."""
    corpus = long_first_statement(tmp_path)
    statements = corpus / "statements"
    (statements / "second.en.md").write_text("A short second statement. It follows the first.\n", encoding="utf-8")
    (statements / "second.ru.md").write_text("Короткое второе заявление. Оно следует за первым.\n", encoding="utf-8")
    (statements / "second.yaml").write_text(
        (statements / "first.yaml").read_text(encoding="utf-8").replace("first.", "second.")
        .replace("The first statement", "The second statement").replace("First,", "Second,"), encoding="utf-8")
    booklet = corpus / "booklet.yaml"
    booklet.write_text(booklet.read_text(encoding="utf-8").replace("[first]", "[first, second]"), encoding="utf-8")
    typesettings: dict[str, Typesetting] = {}
    (screen,) = build(Project.at(ROOT, corpus=corpus, out=tmp_path / "out"), ["en"], profiles=["screen"],
                      on_edition=record_typesetting(typesettings))
    pages = read_pages(screen.path)
    sixth = "".join(pages[5].text.split())
    assert sixth.index("150civilianswerekilled") < sixth.index("Thesecondstatement") < sixth.index("Ashortsecond")
    # The second statement's two lines would be a page of their own: the chronology runs on after them.
    assert list(typesettings["en"].plan.openings.values()) == ["run-on", "run-on"]
    assert blank_pages(pages) == [2]
    assert (typesettings["en"].page_fill[5] or 0) >= QUARTER


def test_the_chronology_runs_on_after_a_last_statement_whose_last_page_is_nearly_empty(tmp_path: Path) -> None:
    """The last statement leaves 6 lines (17 %) on its second page: the chronology opens there,
    below it, instead of leaving that page nearly empty."""
    corpus = long_first_statement(tmp_path)
    typesettings: dict[str, Typesetting] = {}
    (screen,) = build(Project.at(ROOT, corpus=corpus, out=tmp_path / "out"), ["en"], profiles=["screen"],
                      on_edition=record_typesetting(typesettings))
    pages = read_pages(screen.path)
    page = next(number for number, page in enumerate(pages) if "150civilianswerekilled" in "".join(page.text.split()))
    text = "".join(pages[page].text.split())
    assert text.index("150civilianswerekilled") < text.index("Chronology")
    assert list(typesettings["en"].plan.openings.values()) == ["run-on"]


# ---------------------------------------------------------------------------------------------
# The shipped corpus


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_shipped_editions_keep_to_the_plan(built_profiles: dict[str, dict[str, BuiltPdf]], language: str) -> None:
    screen, printed = built_profiles["screen"][language].path, built_profiles["print"][language].path
    assert plan_problems(screen, printed, "A5") == []
    assert blank_pages(read_pages(printed)) == [2, 19]  # 20 pages: the inside covers
    assert len(read_pages(screen)) == 19 and blank_pages(read_pages(screen)) == [2]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_print_file_ends_with_the_colophon_on_a_page_of_its_own(
        built_profiles: dict[str, dict[str, BuiltPdf]], language: str) -> None:
    """18 laid-out pages would need two blank pads: the colophon proper takes one (p. 18, at the foot
    of the page), the inside back cover the other."""
    printed = built_profiles["print"][language]
    about, colophon = printed.pages[16], printed.pages[17]
    assert {"en": "About this edition", "ru": "Об этом издании"}[language] in about
    assert {"en": "Typography", "ru": "ОФОРМЛЕНИЕ"}[language].casefold() in colophon.casefold()
    assert "Noto Serif" in colophon and "Noto Serif" not in about
    glyphs = read_pages(printed.path)[17].glyphs
    page = read_pages(printed.path)[17]
    lowest = min(g.baseline for g in glyphs if g.char.strip() and g.size < 9)
    assert lowest - page.trim[1] < (layout_geometry()["margins_mm"]["bottom"] + 12) * MM  # set at the foot


@pytest.mark.parametrize("language", ["en", "ru"])
def test_paragraphs_the_fitter_changed_keep_to_the_spacing_limits(typesettings: dict[str, Typesetting],
                                                                   language: str) -> None:
    fitted = typesettings[language].fitted
    print(language, [(f.page, f.words[:20], f.lines_before, f.lines_after, round(f.worst, 2)) for f in fitted])
    for change in fitted:
        assert change.lines_after == change.lines_before + 1
        assert change.worst <= 1.5
    changed = {change.mark for change in fitted}
    for composed in typesettings[language].paragraphs:
        if composed.mark in changed:
            assert composed.composition.lines[-1].last


# ---------------------------------------------------------------------------------------------
# The fitter's decisions, on plain data: pages of 37 lines.

LINE = 1 / 37


def section(mark: str, pages: tuple[int, ...], fill: float, *, kind: str = "statement", alone: bool = True,
            after_blank: bool = False, paragraphs: tuple[str, ...] = (), space: str | None = None,
            recto: bool = True) -> Section:
    return Section(mark, kind, pages, fill, alone, after_blank, paragraphs, space, recto)


def measured(*sections: Section, pages: int = 16, fillers: tuple[str, ...] = ("colophon", "notes")) -> Measured:
    return Measured(pages, (1,), LINE, 13.5, sections, fillers)


def no_alternative(mark: str, lines: int) -> float | None:
    return None


def test_a_section_opens_on_the_next_page_rather_than_after_a_blank_one() -> None:
    plan = fit(measured(section("a", (4,), 0.9), section("b", (6,), 0.9, after_blank=True), pages=12),
               no_alternative, Plan())
    assert plan.openings == {"b": "page"}
    assert plan.fillers is None  # 12 − 1 = 11 pages, one short of 12 (the inside back cover): none needed


def test_every_opening_a_saved_blank_page_moves_is_foreseen_in_one_layout() -> None:
    """b opens after a blank page: opened on the next page, every later page moves back one. c, on
    a recto without a blank before it, would now need one: it opens where it falls too. d had a
    blank before it, which goes by itself; then pages move back two, and e stays as it is. A
    section that may open on any page (f) is never changed."""
    plan = fit(measured(section("a", (2, 3), 0.9), section("b", (5, 6), 0.9, after_blank=True),
                        section("c", (7,), 0.9), section("d", (9,), 0.9, after_blank=True),
                        section("e", (10,), 0.9), section("f", (11,), 0.9, recto=False),
                        section("g", (13,), 0.9, after_blank=True), section("h", (14,), 0.9), pages=16),
               no_alternative, Plan())
    assert plan.openings == {"b": "page", "c": "page", "g": "page", "h": "page"}
    assert plan.fillers == ("colophon", "notes")  # 16 − 3 blank pages = 13; with 2 fillers 15, one short of 16


def test_the_layout_tells_which_sections_must_open_on_a_recto() -> None:
    """Read from the laid-out boxes (their `break-before`), not assumed: a section set to open on
    the next page, whatever its side, may fall on a verso."""
    from booklet.typeset.pdf import _weasyprint

    weasyprint = _weasyprint(ROOT / "fonts")  # as booklet imports it: fontconfig isolated, warnings handled
    html = """<html><body style="font-size: 12px"><article data-fit="statement" data-bk="a"><p>A</p></article>
<article data-fit="statement" data-bk="b" style="break-before: right"><p>B</p></article>
<article data-fit="statement" data-bk="c" style="break-before: recto"><p>C</p></article>
<section data-fit="section" data-bk="d" style="break-before: page"><p>D</p></section></body></html>"""
    laid_out = measure(weasyprint.HTML(string=html).render(), set(), ())
    assert {section.mark: (section.recto, section.after_blank, section.pages) for section in laid_out.sections} == {
        "a": (False, False, (0,)), "b": (True, True, (2,)), "c": (True, True, (4,)), "d": (False, False, (5,))}


def test_after_a_run_on_only_the_blank_pages_seen_are_acted_on() -> None:
    plan = fit(measured(section("a", (4,), 0.2), section("b", (5,), 0.8), section("c", (7,), 0.9, after_blank=True),
                        section("d", (8,), 0.9)), no_alternative, Plan())
    assert plan.openings == {"b": "run-on", "c": "page"}  # how far d moves is known after the layout
    assert plan.fillers is None


def test_a_statement_under_a_quarter_full_lets_the_next_run_on() -> None:
    plan = fit(measured(section("a", (4,), 0.2), section("b", (5,), 0.8)), no_alternative, Plan())
    assert plan.openings == {"b": "run-on"}
    assert plan.fillers is None  # decided once the run-on is laid out
    chronology = fit(measured(section("a", (4,), 0.2), section("c", (5,), 0.8, kind="section")), no_alternative, Plan())
    assert chronology.openings == {"c": "run-on"}, "a section too: better than a page of a few lines"
    full_enough = fit(measured(section("a", (4,), 0.3), section("c", (5,), 0.8, kind="section")), no_alternative,
                      Plan())
    assert full_enough.openings == {}
    after_a_section = fit(measured(section("c", (4,), 0.2, kind="section"), section("d", (5,), 0.8, kind="section")),
                          no_alternative, Plan())
    assert after_a_section.openings == {}, "only a statement's short last page is run on from"


def test_fillers_make_a_multiple_of_four_or_one_short() -> None:
    wanted = {16: None, 15: None, 14: ("colophon",), 13: ("colophon", "notes")}
    for pages, fillers in wanted.items():
        assert fit(measured(pages=pages), no_alternative, Plan()).fillers == fillers, pages
    assert fit(measured(pages=16), no_alternative, Plan(fillers=("colophon",))).fillers == ()
    # Fillers already shown are not counted twice.
    assert fit(measured(pages=15), no_alternative, Plan(fillers=("colophon",))).fillers is None


def test_the_cheapest_lines_are_taken_and_only_when_they_reach_the_target() -> None:
    costs = {"p1": 5e5, "p2": None, "p3": 1e4, "p4": 2e6}

    def alternative(mark: str, lines: int) -> float | None:
        return costs[mark]

    paragraphs = tuple(costs)
    two_short = section("a", (4, 5), 0.5 - 1.5 * LINE, paragraphs=paragraphs, space="head")
    assert fit(measured(two_short), alternative, Plan()).looseness == {"p3": 1, "p1": 1}
    four_short = section("a", (4, 5), 0.5 - 3.5 * LINE, paragraphs=paragraphs, space="head")
    plan = fit(measured(four_short), alternative, Plan())
    assert plan.looseness == {"p3": 1, "p1": 1, "p4": 1} and plan.space == {"head": 1}
    six_short = section("a", (4, 5), 0.5 - 5.5 * LINE, paragraphs=paragraphs, space="head")
    assert not fit(measured(six_short), alternative, Plan()).looseness  # 5 lines at most: left as it is
    full_enough = section("a", (4, 5), 0.5, paragraphs=paragraphs, space="head")
    assert not fit(measured(full_enough), alternative, Plan()).looseness


# Long pages: a statement on pages 4–6 (indices), its paragraph "p" of 8 lines crossing from page 4
# to page 5 after its line 3, which ends at a hyphen; page 3 (facing page 4) ends short.

def bottoms(*fills: float, widows: int = 2, movable: bool = True) -> tuple[PageBottom, ...]:
    return tuple(PageBottom("", "right" if number % 2 == 0 else "left", fill, 90.7, {"@bottom-right": 30.2},
                            movable, widows) for number, fill in enumerate(fills))


def long_measured(last_fill: float = 0.6) -> Measured:
    return Measured(8, (), LINE, 13.5, (section("s", (4, 5, 6), last_fill, paragraphs=("q", "p")),), (),
                    first_page={"q": 4, "p": 4})


HYPHEN_AT_3 = (False, True, True, False, False, False, False, False)
PAGES = (0, 1, 1, 0.5, 1, 1, 0.6, 0)


def test_a_page_that_would_end_at_a_hyphen_runs_a_line_long() -> None:
    foreseen = foresee(long_measured(), bottoms(*PAGES), {})
    assert foreseen is not None
    chosen = long_pages(long_measured(), foreseen, {"p": [3]},
                        {"p": HYPHEN_AT_3}, allowed=1)
    assert chosen == [4]
    rules = long_page_rules({4: bottoms(*PAGES)[4]}, 13.5)
    assert rules == "@page :nth(5) { margin-bottom: 77.200000px; @bottom-right { padding-top: 16.700000px; } }"


@pytest.mark.parametrize("case", ["not allowed", "next line hyphenated", "widows", "facing page full",
                                  "last page under a quarter", "last page under half", "moving", "folio mid-margin",
                                  "already long"])
def test_a_page_runs_long_only_where_it_helps_and_shows_no_worse(case: str) -> None:
    hyphenated = {"p": HYPHEN_AT_3}
    page_bottoms, geometry, allowed = bottoms(*PAGES), long_measured(), 1
    moving, done = frozenset[str](), frozenset[int]()
    if case == "not allowed":
        allowed = 0
    elif case == "next line hyphenated":
        hyphenated = {"p": (False, True, True, True, False, False, False, False)}
    elif case == "widows":
        page_bottoms = bottoms(*PAGES, widows=5)  # lines 5–8 would be left: four
    elif case == "facing page full":
        page_bottoms = bottoms(*PAGES[:3], 0.99, *PAGES[4:])
    elif case == "last page under a quarter":
        geometry = long_measured(0.25)
    elif case == "last page under half":
        geometry = long_measured(0.51)
    elif case == "moving":
        moving = frozenset({"q"})
    elif case == "folio mid-margin":
        page_bottoms = bottoms(*PAGES, movable=False)
    elif case == "already long":
        done = frozenset({4})
    foreseen = foresee(geometry, page_bottoms, {})
    assert foreseen is not None
    assert long_pages(geometry, foreseen, {"p": [3]}, hyphenated, allowed, done, moving) == []


def test_a_long_page_is_placed_where_its_page_goes_when_a_blank_page_before_it_is_removed() -> None:
    """A statement opened after the blank page 2 (indices) opens on the next page instead: its pages
    move back one and change sides. Its first page, full and ending at a hyphen, was a left-hand page
    facing a full one (no long page); it becomes page 2, a right-hand page facing the end of the
    section before (half full): it runs long, with the right-hand folio."""
    geometry = Measured(8, (2,), LINE, 13.5, (section("s", (3, 4, 5), 0.6, paragraphs=("p",), after_blank=True),), (),
                        first_page={"p": 3})
    pages = tuple(PageBottom("", "right" if number % 2 == 0 else "left", fill, 90.7,
                             {"@bottom-right" if number % 2 == 0 else "@bottom-left": 30.2}, True, 2)
                  for number, fill in enumerate((0, 0.5, 0, 1, 1, 0.6, 0, 0)))
    unchanged = foresee(geometry, pages, {})
    assert unchanged is not None
    assert long_pages(geometry, unchanged, {"p": [3]}, {"p": HYPHEN_AT_3}, allowed=1) == []
    foreseen = foresee(geometry, pages, {"s": "page"})
    assert foreseen is not None
    assert foreseen.index == {0: 0, 1: 1, 3: 2, 4: 3, 5: 4, 6: 5, 7: 6}
    assert long_pages(geometry, foreseen, {"p": [3]}, {"p": HYPHEN_AT_3}, allowed=1) == [2]
    assert (foreseen.bottoms[2].side, foreseen.bottoms[2].folios) == ("right", {"@bottom-right": 30.2})
    assert foresee(geometry, pages, {"s": "run-on"}) is None



# Balancing: pages of 37 lines; a list runs over from a full page 4 onto page 5, whose 3 lines
# (8 %) would be all it holds.

def unit(mark: str, page: int, top: float, height: float = 2 * LINE) -> Unit:
    return Unit(mark, "list", page, top, height)


def test_text_run_over_onto_a_nearly_empty_page_takes_units_from_the_page_before() -> None:
    units = (unit("u1", 4, 0.5), unit("u2", 4, 0.6), unit("u3", 4, 0.7), unit("u4", 4, 0.8), unit("u5", 4, 0.9),
             unit("u6", 5, 0.0))
    pages = bottoms(0, 1, 1, 1, 0.99, 3 * LINE, 1, 0)
    # 3 lines and what is below u4's top (0.99 - 0.8) make 27.1 %, short of a quarter and a line
    # (27.7 %); below u3's, 37.1 %: u3 and what follows it go over
    assert balance(pages, units, LINE) == [(5, "u3", None)]
    # the page before ended short: a forced break, not text run over
    assert balance(bottoms(0, 1, 1, 1, 0.7, 3 * LINE, 1, 0), units, LINE) == []
    # a break of the plan's that did not bring the page to a quarter is replaced by an earlier one
    assert balance(pages, (*units[:4], unit("u5", 5, 0.0), unit("u6", 5, 0.1)), LINE, frozenset({"u5"})) == [
        (5, "u3", "u5")]
    # the page before would keep less than a quarter itself
    assert balance(pages, (unit("u1", 4, 0.2), unit("u6", 5, 0.0)), LINE) == []


def test_a_long_page_is_foreseen_with_the_margin_and_folio_it_had_before_it_ran_long() -> None:
    """A page run long measures a margin and a folio padding a line smaller: where its page moves,
    the plan writes it again from its own (else each round would take a line more)."""
    original = bottoms(*PAGES)[4]
    measured_long = PageBottom("", "right", 1.0, 90.7 - 13.5, {"@bottom-right": 30.2 - 13.5}, True, 2)
    pages = (*bottoms(*PAGES)[:4], measured_long, *bottoms(*PAGES)[5:])
    foreseen = foresee(long_measured(), pages, {}, {4: original})
    assert foreseen is not None and foreseen.bottoms[4].margin == 90.7 and foreseen.bottoms[4].folios == {
        "@bottom-right": 30.2}


def test_no_page_holds_only_a_few_lines_run_over_from_a_full_one(tmp_path: Path) -> None:
    """Twelve statements: the contents' last two entries ran over onto a page of their own (12 %);
    the page plan sends entries from the full page over with them, so both pages are well filled.
    (A short section on a page of its own, the chronology's two events, is the layout's choice.)"""
    corpus = write_generated_corpus(tmp_path, statements=12)
    typesettings: dict[str, Typesetting] = {}
    (screen,) = build(Project.at(ROOT, corpus=corpus, out=tmp_path / "out"), ["en"], profiles=["screen"],
                      on_edition=record_typesetting(typesettings))
    pages = read_pages(screen.path)
    texts = ["".join(page.text.split()) for page in pages]
    first = next(index for index, text in enumerate(texts) if "Contents" in text)
    last = next(index for index, text in enumerate(texts) if index >= first and "Aboutthisedition" in text)
    contents = pages[first:last + 1]
    geometry = layout_geometry("A5")
    top_margin, bottom_margin = geometry["margins_mm"]["top"] * MM, geometry["margins_mm"]["bottom"] * MM
    fills = {}
    for page in contents:
        area_top, area_bottom = page.trim[3] - top_margin, page.trim[1] + bottom_margin
        lowest = min(glyph.baseline for glyph in page.glyphs if area_bottom <= glyph.baseline <= area_top)
        fills[page.number] = (area_top - lowest) / (area_top - area_bottom)
    assert len(fills) == 2 and min(fills.values()) >= QUARTER, fills
    assert typesettings["en"].balanced == [contents[-1].number]
