"""Print production: the three profiles of the shipped corpus, and rebuilds of a small one."""

from __future__ import annotations

import gc
from pathlib import Path

import pypdfium2
import pytest

from booklet.build import Project, build
from booklet.press.preflight import Box
from booklet.typeset.pdf import LAYOUT_PASSES
from tests.conftest import BuiltPdf

LANGUAGES = ("en", "ru")
# Expected values, stated here (not imported): the shipped corpus is A5 with a 3 mm bleed; crop
# marks start 2 mm beyond the bleed and are 5 mm long; the imposed sheet is A4 landscape.
MM = 72 / 25.4
A5 = (148 * MM, 210 * MM)
A4_LANDSCAPE = (297 * MM, 210 * MM)
BLEED_MM, MARK_OFFSET_MM, MARK_LENGTH_MM = 3.0, 2.0, 5.0


def near(a: float, b: float) -> bool:
    return abs(a - b) < 0.5


@pytest.mark.parametrize("language", LANGUAGES)
def test_print_boxes_and_page_count(
    built_print: dict[str, BuiltPdf], built: dict[str, BuiltPdf], language: str
) -> None:
    reader = built_print[language].reader
    screen_pages = len(built[language].reader.pages)
    assert len(reader.pages) % 4 == 0
    assert len(reader.pages) - screen_pages in range(4)
    for page in reader.pages:
        trim, bleed, media = (Box.of(page[key]) for key in ("/TrimBox", "/BleedBox", "/MediaBox"))
        assert near(trim.size[0], A5[0]) and near(trim.size[1], A5[1])
        assert bleed.reaches_beyond(trim, BLEED_MM * MM - 0.01)
        assert not bleed.reaches_beyond(trim, BLEED_MM * MM + 0.01)
        assert media.reaches_beyond(trim, (BLEED_MM + MARK_OFFSET_MM + MARK_LENGTH_MM) * MM)
    # The blank pages that make up the multiple of 4 go before the outside back cover, which stays last.
    padding = reader.pages[screen_pages - 1:-1]
    assert all(not page.extract_text().strip() for page in padding), "padding pages are blank"
    assert reader.pages[-1].extract_text() == built[language].reader.pages[-1].extract_text()


@pytest.mark.parametrize("language", LANGUAGES)
def test_screen_and_imposed_sizes(
    built: dict[str, BuiltPdf],
    built_imposed: dict[str, BuiltPdf],
    built_print: dict[str, BuiltPdf],
    language: str,
) -> None:
    for page in built[language].reader.pages:
        media = Box.of(page.mediabox)
        assert near(media.size[0], A5[0]) and near(media.size[1], A5[1])
        assert Box.of(page.bleedbox) == media, "no bleed on screen"
    sheets = built_imposed[language].reader.pages
    assert len(sheets) == len(built_print[language].reader.pages) // 2
    assert all(near(Box.of(s.mediabox).size[0], A4_LANDSCAPE[0]) for s in sheets)


def render(path: Path, page_index: int, scale: float) -> tuple[object, float]:
    document = pypdfium2.PdfDocument(path)
    page = document[page_index]
    return page.render(scale=scale).to_pil().convert("L"), page.get_height()


def test_cover_fills_bleed_and_marks_sit_outside_it(built_print: dict[str, BuiltPdf]) -> None:
    path = built_print["en"].path
    page = built_print["en"].reader.pages[0]
    media, trim = Box.of(page.mediabox), Box.of(page["/TrimBox"])
    scale = 4.0

    def pixel(image: object, x_pt: float, y_pt: float) -> int:
        """Grey level at a point given in PDF user space (origin bottom-left of the trim)."""
        return image.getpixel(
            (round((x_pt - media.left) * scale), round((media.top - y_pt) * scale))
        )

    cover, _ = render(path, 0, scale)
    inside_bleed = (trim.left - BLEED_MM * MM / 2, (trim.bottom + trim.top) / 2)
    assert pixel(cover, *inside_bleed) < 60, "the cover's dark background reaches into the bleed"
    beyond_bleed = (trim.left - (BLEED_MM + 1) * MM, (trim.bottom + trim.top) / 2)
    assert pixel(cover, *beyond_bleed) > 200, "and stops at the bleed"

    text_page, _ = render(path, 3, scale)
    mark_x = trim.left - (BLEED_MM + MARK_OFFSET_MM + MARK_LENGTH_MM / 2) * MM
    assert min(pixel(text_page, mark_x, trim.top + dy) for dy in (-0.3, 0, 0.3)) < 128, (
        "a crop mark"
    )
    for distance_mm in (0.5, 1.5, 2.5, BLEED_MM + MARK_OFFSET_MM / 2):
        x = trim.left - distance_mm * MM
        assert min(pixel(text_page, x, trim.top + dy) for dy in (-0.3, 0, 0.3)) > 200, (
            f"nothing drawn {distance_mm} mm from the trim: marks start beyond bleed and offset"
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_print_claims_pdf_x4_with_output_intent(
    built_print: dict[str, BuiltPdf], language: str
) -> None:
    reader = built_print[language].reader
    root = reader.trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b"<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
    (intent,) = root["/OutputIntents"]
    intent = intent.get_object()
    assert intent["/S"] == "/GTS_PDFX" and intent["/OutputConditionIdentifier"] == "FOGRA39"
    profile = intent["/DestOutputProfile"].get_object().get_data()
    assert profile[12:20] == b"prtrCMYK", "an output (printer) profile for CMYK"
    assert reader.trailer["/Info"]["/Trapped"] == "/False"
    assert reader.pdf_header == "%PDF-1.6"
    resources = reader.pages[0]["/Resources"].get_object()
    assert "/DefaultRGB" in resources["/ColorSpace"].get_object(), "RGB colours are calibrated"
    assert all("/Annots" not in page for page in reader.pages), "no annotation inside the bleed"
    assert "/ID" in reader.trailer


@pytest.mark.parametrize("language", LANGUAGES)
def test_screen_is_tagged_linked_and_titled(built: dict[str, BuiltPdf], language: str) -> None:
    reader = built[language].reader
    root = reader.trailer["/Root"]
    assert root["/Lang"] == language
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata.title
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()
    pages_with_links = {
        number
        for number, page in enumerate(reader.pages)
        if any(a.get_object()["/Subtype"] == "/Link" for a in page.get("/Annots", []))
    }
    contents = next(
        i
        for i, text in enumerate(built[language].pages)
        if "Contents" in text or "Содержание" in text
    )
    chronology = max(
        i
        for i, text in enumerate(built[language].pages)
        if "Chronology" in text or "Хронология" in text
    )
    assert {contents, chronology} <= pages_with_links
    assert len(reader.outline) >= 6


def build_small(project: Project, out: Path) -> dict[str, bytes]:
    files = build(Project.at(project.root, project.corpus, out))
    return {f.path.name: f.path.read_bytes() for f in files}


def test_each_edition_is_laid_out_once_for_its_three_files(
    small_project: Project, tmp_path: Path
) -> None:
    """That two builds give the same bytes is tested in test_cache (a second build of the shipped
    corpus, in other processes, against the session's build)."""
    before = LAYOUT_PASSES.copy()
    first = build_small(small_project, tmp_path / "first")
    assert LAYOUT_PASSES - before == {"en": 1, "ru": 1}, "one layout pass per edition, three files"
    assert sorted(first) == sorted([
        *(f"booklet-{lang}-{profile}.pdf" for lang in LANGUAGES for profile in ("print", "screen", "imposed")),
        *(f"booklet-{lang}.{kind}" for lang in LANGUAGES for kind in ("epub", "html"))])


def test_the_collector_spares_what_existed_before_a_layout_and_nothing_stays_frozen(
    small_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each full collection during a layout walked every object alive (modules, fonts, the
    corpus): an eighth of the CPU. Those are frozen while an edition is typeset, and thawed after."""
    import booklet.build

    frozen_during_layout: list[int] = []
    lay_out = booklet.build.lay_out

    def watched_lay_out(*args: object, **kwargs: object) -> object:
        frozen_during_layout.append(gc.get_freeze_count())
        return lay_out(*args, **kwargs)

    monkeypatch.setattr(booklet.build, "lay_out", watched_lay_out)
    gc.unfreeze()  # as in a process of its own (tests/conftest.py freezes what earlier tests left)
    build(Project.at(small_project.root, small_project.corpus, tmp_path / "out"), ["ru"], profiles=["screen"],
          jobs=1)
    assert len(frozen_during_layout) == 1
    assert frozen_during_layout[0] > 10_000, "the modules, fonts and corpus are out of the collector's walks"
    assert gc.get_freeze_count() == 0, "nothing is left out of the collector's reach after the build"
    gc.freeze()
    frozen_by_the_caller = gc.get_freeze_count()
    build(Project.at(small_project.root, small_project.corpus, tmp_path / "again"), ["ru"], profiles=["screen"],
          jobs=1)
    assert gc.get_freeze_count() > frozen_by_the_caller // 2, "what the caller froze, the caller thaws"


def test_profile_and_edition_options_narrow_the_build(
    small_project: Project, tmp_path: Path
) -> None:
    from booklet.stopwatch import Stopwatch

    stopwatch = Stopwatch()
    files = build(
        Project.at(small_project.root, small_project.corpus, tmp_path / "out"),
        ["ru"],
        profiles=["imposed"],
        stopwatch=stopwatch,
    )
    assert [f.path.name for f in files] == ["booklet-ru-imposed.pdf"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["booklet-ru-imposed.pdf"]
    stages = {time.stage for time in stopwatch.times}
    assert "render HTML" in stages and not stages & {"render EPUB", "render web page"}, "nothing unwanted is made"
