"""Saddle-stitch imposition: which page lands on which half of which side, read from the sheets."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2
import pytest

from booklet.press.impose import impose, saddle_stitch_sides
from booklet.typeset.pdf import write_pdf
from tests.numbered import numbered

MM = 72 / 25.4
A4_LANDSCAPE = (297 * MM, 210 * MM)


def halves(pdf: bytes) -> list[tuple[int | None, int | None]]:
    """The page number printed on the left and right half of every sheet side."""
    document = pypdfium2.PdfDocument(pdf)
    found = []
    for page in document:
        text = page.get_textpage()
        width, height = page.get_size()
        sides = []
        for left, right in ((0, width / 2), (width / 2, width)):
            match = re.search(r"Page (\d+)", text.get_text_bounded(left, 0, right, height))
            sides.append(int(match.group(1)) if match else None)
        found.append(tuple(sides))
    return found


def expected_order(pages: int) -> list[tuple[int, int]]:
    """Written out by hand from the rule: sheet k front (n-2k | 2k+1), back (2k+2 | n-2k-1)."""
    order = []
    for k in range(pages // 4):
        order += [(pages - 2 * k, 2 * k + 1), (2 * k + 2, pages - 2 * k - 1)]
    return order


@pytest.mark.parametrize("pages", [8, 12, 16])
def test_sheets_hold_pages_in_saddle_stitch_order(pages: int, tmp_path: Path) -> None:
    imposed = impose(write_pdf(numbered(pages, tmp_path)))
    assert halves(imposed.data) == expected_order(pages)
    assert halves(imposed.data)[:2] == [(pages, 1), (2, pages - 1)]


def test_sixteen_pages_read_as_expected_by_hand() -> None:
    assert expected_order(16) == [
        (16, 1),
        (2, 15),
        (14, 3),
        (4, 13),
        (12, 5),
        (6, 11),
        (10, 7),
        (8, 9),
    ]
    assert [(s.left, s.right) for s in saddle_stitch_sides(16)] == expected_order(16)


@pytest.mark.parametrize(("pages", "back_cover", "expected"), [
    # (sheet, left, right) per side, outermost sheet first; None is a blank half.
    (6, False, [(0, None, 1), (0, 2, None), (1, 6, 3), (1, 4, 5)]),
    (6, True, [(0, 6, 1), (0, 2, None), (1, None, 3), (1, 4, 5)]),
    (5, True, [(0, 5, 1), (0, 2, None), (1, None, 3), (1, 4, None)]),
    (4, True, [(0, 4, 1), (0, 2, 3)]),
    (4, False, [(0, 4, 1), (0, 2, 3)]),
    (1, False, [(0, None, 1), (0, None, None)]),
])
def test_sides_of_a_document_short_of_four_pages_a_sheet(
        pages: int, back_cover: bool, expected: list[tuple[int, int | None, int | None]]) -> None:
    """With a back cover, the last page goes to the outside back and the blanks move inside."""
    assert [(s.sheet, s.left, s.right) for s in saddle_stitch_sides(pages, back_cover)] == expected


def test_pages_short_of_a_multiple_of_four_leave_blank_halves(tmp_path: Path) -> None:
    imposed = impose(write_pdf(numbered(6, tmp_path)))
    assert halves(imposed.data) == [(None, 1), (2, None), (6, 3), (4, 5)]


def test_sheets_are_a4_landscape_and_pages_meet_at_the_fold(tmp_path: Path) -> None:
    imposed = impose(write_pdf(numbered(8, tmp_path)))
    document = pypdfium2.PdfDocument(imposed.data)
    assert all(
        abs(w - A4_LANDSCAPE[0]) < 0.5 and abs(h - A4_LANDSCAPE[1]) < 0.5
        for w, h in (page.get_size() for page in document)
    )


def text_left_edge(pdf: bytes, sheet_side: int, half: int) -> float:
    page = pypdfium2.PdfDocument(pdf)[sheet_side]
    text = page.get_textpage()
    width, _ = page.get_size()
    boxes = [text.get_charbox(i) for i in range(text.count_chars())]
    lefts = [box[0] for box in boxes if (box[0] >= width / 2) == (half == 1)]
    return min(lefts)


def test_creep_moves_inner_sheets_towards_the_fold(tmp_path: Path) -> None:
    pdf = write_pdf(numbered(16, tmp_path))
    plain, crept = impose(pdf), impose(pdf, creep_mm=2.0)
    innermost_front = 6  # sheet 4 of 4: 10 | 7
    outermost_front = 0
    shift = text_left_edge(plain.data, innermost_front, 1) - text_left_edge(
        crept.data, innermost_front, 1
    )
    assert abs(shift - 2.0 * MM) < 0.2, "the innermost right-hand page moves 2 mm left, to the fold"
    shift = text_left_edge(crept.data, innermost_front, 0) - text_left_edge(
        plain.data, innermost_front, 0
    )
    assert abs(shift - 2.0 * MM) < 0.2, "the innermost left-hand page moves 2 mm right, to the fold"
    assert text_left_edge(plain.data, outermost_front, 1) == text_left_edge(
        crept.data, outermost_front, 1
    )


# ---- printable margin and marks (office printers do not print the sheet's edge) -----------------

PRINTABLE_MM = 5


def _sheet_image(path: Path, index: int, dpi: int = 50):  # type: ignore[no-untyped-def]
    from tests.pdfpages import render_page

    return render_page(path, index, dpi).convert("L")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_nothing_is_printed_in_the_sheets_unprintable_margin(built_imposed: dict, language: str) -> None:
    """The dark cover included: every sheet side is white within 5 mm of its edge."""
    path = built_imposed[language].path
    for index in range(len(built_imposed[language].reader.pages)):
        image = _sheet_image(path, index)
        band = int(PRINTABLE_MM / 25.4 * 50)  # whole pixels inside the 5 mm band
        width, height = image.size
        for box in ((0, 0, width, band), (0, height - band, width, height), (0, 0, band, height),
                    (width - band, 0, width, height)):
            assert image.crop(box).getextrema()[0] >= 250, (index, box)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_sheet_carries_trim_and_fold_marks(built_imposed: dict, language: str) -> None:
    """Ink just outside the spread's outer corners (trim marks) and above and below the fold."""
    path = built_imposed[language].path
    reader = built_imposed[language].reader
    sheet = reader.pages[0]
    width, height = float(sheet.mediabox.width), float(sheet.mediabox.height)
    dpi = 100
    image = _sheet_image(path, 0, dpi)
    px = dpi / 72

    def inked(x: float, y: float, radius_mm: float = 2.5) -> bool:
        r = radius_mm * 72 / 25.4 * px
        cx, cy = x * px, (height - y) * px
        return image.crop((int(cx - r), int(cy - r), int(cx + r), int(cy + r))).getextrema()[0] < 160

    scale = min(1.0, (height - 2 * 9 * MM) / (210 * MM))  # 5 mm margin + 1 mm gap + 3 mm mark
    page_w, page_h = 148 * MM * scale, 210 * MM * scale
    top, bottom = (height + page_h) / 2, (height - page_h) / 2
    left, right = width / 2 - page_w, width / 2 + page_w
    mark = 2.5 * MM  # the middle of a mark: 1 mm gap + half of its 3 mm
    for x, y in ((left - mark, top), (right + mark, top), (left - mark, bottom), (right + mark, bottom),
                 (left, top + mark), (right, bottom - mark), (width / 2, top + mark), (width / 2, bottom - mark)):
        assert inked(x, y, 1.2), (round(x / MM), round(y / MM))


# ---- the geometry, in numbers: where each page and each mark goes on the sheet ----------------

def blank_pdf(pages: int, width_mm: float, height_mm: float, origin_mm: tuple[float, float] = (0, 0)) -> bytes:
    """Blank pages of one size, their media box starting at `origin_mm` (PDFs need not start at 0)."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import RectangleObject

    writer = PdfWriter()
    left, bottom = origin_mm[0] * MM, origin_mm[1] * MM
    for _ in range(pages):
        page = writer.add_blank_page(width_mm * MM, height_mm * MM)
        page.mediabox = RectangleObject([left, bottom, left + width_mm * MM, bottom + height_mm * MM])
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def sheet_drawing(pdf: bytes, side: int) -> tuple[dict[str, tuple[float, ...]], set[tuple[float, ...]]]:
    """A sheet side's placed pages (name → scale, x, y of the `cm`, in mm) and its mark strokes
    (x1, y1, x2, y2 in mm, rounded to 0.01 mm)."""
    import io

    from pypdf import PdfReader

    content = PdfReader(io.BytesIO(pdf)).pages[side].get_contents().get_data().decode("ascii")
    placed = {name: (float(s), float(x) / MM, float(y) / MM)
              for s, x, y, name in re.findall(r"q ([\d.]+) 0 0 [\d.]+ (-?[\d.]+) (-?[\d.]+) cm /(\w+) Do Q", content)}
    strokes = {tuple(round(float(v) / MM, 2) for v in match)
               for match in re.findall(r"(-?[\d.]+) (-?[\d.]+) m (-?[\d.]+) (-?[\d.]+) l", content)}
    return placed, strokes


def test_a5_pages_are_reduced_to_keep_page_and_marks_inside_the_printable_area() -> None:
    """A5 on A4 landscape (297 x 210 mm): the printer leaves 5 mm, the marks need 1 + 3 mm, so the
    pages are 192 mm high (scale 192/210), centred, meeting at the fold (x = 148.5 mm)."""
    placed, strokes = sheet_drawing(impose(blank_pdf(4, 148, 210)).data, 0)
    scale = 192 / 210
    (left_scale, left_x, left_y), (right_scale, right_x, right_y) = placed["Page4"], placed["Page1"]
    assert left_scale == right_scale == round(scale, 5)
    assert left_x == pytest.approx(148.5 - 148 * scale, abs=0.01) and right_x == pytest.approx(148.5, abs=0.01)
    assert left_y == right_y == pytest.approx(9, abs=0.01)
    outer_left, outer_right = round(148.5 - 148 * scale, 2), round(148.5 + 148 * scale, 2)
    assert strokes == {
        # trim marks: 1 mm off the trim's corners, 3 mm long, ending at the 5 mm printable margin
        (outer_left - 1, 9, outer_left - 4, 9), (outer_left, 8, outer_left, 5),
        (outer_left - 1, 201, outer_left - 4, 201), (outer_left, 202, outer_left, 205),
        (outer_right + 1, 9, outer_right + 4, 9), (outer_right, 8, outer_right, 5),
        (outer_right + 1, 201, outer_right + 4, 201), (outer_right, 202, outer_right, 205),
        # fold marks above and below the fold
        (148.5, 202, 148.5, 205), (148.5, 8, 148.5, 5),
    }


@pytest.mark.parametrize(("size_mm", "sheet_mm", "scale"), [
    ((100, 140), (297, 210), 1.0),  # small pages fit as they are
    ((148, 210), (297, 210), 192 / 210),  # the sheet's height limits: 210 - 2 x 9 mm
    ((205, 150), (420, 297), 402 / 410),  # the sheet's width limits: 420 - 2 x 9 mm for two pages
])
def test_the_scale_follows_whichever_sheet_edge_is_tighter(
        size_mm: tuple[float, float], sheet_mm: tuple[float, float], scale: float) -> None:
    from booklet.press.impose import imposed_scale

    width, height = size_mm
    assert imposed_scale(width * MM, height * MM, sheet_mm[0] * MM, sheet_mm[1] * MM) == pytest.approx(scale)


def test_a_page_whose_media_box_does_not_start_at_zero_is_placed_by_its_box() -> None:
    placed, _ = sheet_drawing(impose(blank_pdf(4, 148, 210, origin_mm=(10, 20))).data, 0)
    scale = 192 / 210
    assert placed["Page1"][1:] == pytest.approx((148.5 - 10 * scale, 9 - 20 * scale), abs=0.01)
    assert placed["Page4"][1:] == pytest.approx((148.5 - 148 * scale - 10 * scale, 9 - 20 * scale), abs=0.01)


def test_creep_is_none_on_a_single_sheet_and_full_on_the_innermost() -> None:
    from booklet.press.impose import creep_shift

    assert creep_shift(0, 1, 2.0) == 0.0
    assert creep_shift(0, 2, 2.0) == 0.0 and creep_shift(1, 2, 2.0) == pytest.approx(2.0 * MM)
    assert creep_shift(1, 3, 2.0) == pytest.approx(1.0 * MM)


def test_a_back_cover_goes_to_the_outside_back_and_a_single_page_imposes(tmp_path: Path) -> None:
    assert halves(impose(write_pdf(numbered(6, tmp_path)), back_cover=True).data) == [
        (6, 1), (2, None), (None, 3), (4, 5)]
    assert halves(impose(write_pdf(numbered(1, tmp_path))).data) == [(None, 1), (None, None)]


def test_us_letter_pages_impose_on_tabloid_in_order(tmp_path: Path) -> None:
    """A layout at US Letter (215.9 × 279.4 mm): two pages side by side need 431.8 mm, wider than
    A3; Tabloid (11 × 17 in) holds them (before, the build stopped with an internal error)."""
    letter = numbered(8, tmp_path, extra_css="@page { size: 215.9mm 279.4mm }")
    imposed = impose(write_pdf(letter))
    document = pypdfium2.PdfDocument(imposed.data)
    assert {(round(w / MM, 1), round(h / MM, 1)) for w, h in (page.get_size() for page in document)} == {(431.8, 279.4)}
    assert halves(imposed.data) == expected_order(8)


def test_pages_too_large_for_any_office_sheet_are_refused_before_the_layout(tmp_path: Path) -> None:
    """B4 pages (250 × 353 mm) fit two to no office sheet: `build` says so at booklet.yaml's
    page_size, with the way out, and lays nothing out; without the imposed file it builds."""
    import shutil

    from booklet.build import build
    from booklet.problems import BookletError
    from booklet.project import Project
    from tests.conftest import ROOT, add_fonts, make_small_corpus

    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    add_fonts(tmp_path)
    manifest = tmp_path / "layouts" / "memorial" / "layout.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("page_sizes:\n", (
        "page_sizes:\n  B4:\n    trim_mm: [250, 353]\n    margins_mm: {top: 33, bottom: 40, inner: 32, outer: 25}\n"
        "    type_pt: {text: 14, small: 11.5, heading: 20, display: 38}\n")), encoding="utf-8")
    corpus = make_small_corpus(tmp_path)
    booklet = corpus / "booklet.yaml"
    booklet.write_text(booklet.read_text(encoding="utf-8") + "page_size: B4\n", encoding="utf-8")
    project = Project(tmp_path, corpus, tmp_path / "out")
    with pytest.raises(BookletError) as refused:
        build(project, ["en"], profiles=["screen", "imposed"])
    (problem,) = refused.value.problems
    assert (problem.path, problem.line) == (booklet, 11)  # the page_size line
    assert "pages of 250 × 353 mm (B4) are too large to impose" in problem.message
    assert "Tabloid (431.8 × 279.4 mm)" in problem.message and "--profile print --profile screen" in problem.fix
    assert not (tmp_path / "out").exists()
