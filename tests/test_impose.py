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
