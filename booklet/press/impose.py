"""Two-up saddle-stitch imposition on the smallest office sheet that holds two pages (A5 pages on A4
landscape, A4 pages on A3, US Letter pages on Tabloid), for an office duplex printer.

Print double-sided flipping on the short edge, fold the stack in half, staple on the fold: the
pages come out in reading order. Sheet 1's front holds n | 1, its back 2 | n-1, and so on inwards.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import cast

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
)

from booklet.press.objects import PdfObjects

MM = 72 / 25.4
"""PDF points per millimetre."""
SHEETS_MM = (("A4", 297.0, 210.0), ("A3", 420.0, 297.0), ("Tabloid", 431.8, 279.4))
"""Office printer sheets, landscape, the ISO sizes first (Tabloid, 11 × 17 in, holds two US Letter pages)."""
PRINTABLE_MARGIN_MM = 5.0
"""Office printers leave about 4–5 mm of every sheet edge unprinted: nothing is placed there."""
MARK_GAP_MM = 1.0
MARK_LENGTH_MM = 3.0
"""Trim and fold marks: this long, starting this far outside the page's trim."""
MARK_WIDTH_PT = 0.25


def sheet_for(page_width: float, page_height: float) -> tuple[str, float, float]:
    """The smallest sheet (name, width, height in points) with room for two pages side by side."""
    found = fitting_sheet(page_width, page_height)
    if found is None:  # the build refuses such a page size before it lays anything out
        raise ValueError(f"pages of {page_width / MM:.0f} x {page_height / MM:.0f} mm are too large to impose")
    return found


def fitting_sheet(page_width: float, page_height: float) -> tuple[str, float, float] | None:
    """The smallest sheet with room for two pages side by side, or None when none has (points)."""
    for name, width, height in SHEETS_MM:
        if 2 * page_width <= width * MM + 1 and page_height <= height * MM + 1:
            return name, width * MM, height * MM
    return None


@dataclass(frozen=True)
class Side:
    """One side of a sheet: page numbers (from 1) left and right of the fold; None is blank."""

    sheet: int
    left: int | None
    right: int | None


@dataclass(frozen=True)
class Imposed:
    data: bytes
    sheet_sides: int


def saddle_stitch_sides(pages: int, back_cover: bool = False) -> list[Side]:
    """Front and back of every sheet, outermost first; pages beyond `pages` stay blank. With a
    back cover, the last page goes to the outside back and the blanks come before it."""
    total = -(-pages // 4) * 4
    sides = []
    for sheet in range(total // 4):
        outer, inner = total - 2 * sheet, 1 + 2 * sheet
        sides.append(Side(sheet, outer, inner))
        sides.append(Side(sheet, inner + 1, outer - 1))

    def shown(number: int | None) -> int | None:
        if number is not None and back_cover and number == total:
            return pages
        inside = pages - 1 if back_cover else pages
        return number if number is not None and number <= inside else None

    return [Side(side.sheet, shown(side.left), shown(side.right)) for side in sides]


def creep_shift(sheet: int, sheets: int, creep_mm: float) -> float:
    """Points to move a sheet's pages towards the fold: none outside, `creep_mm` on the innermost.

    Inner sheets stick out further at the fore-edge once folded, and trimming eats their outer
    margin; moving their content towards the spine keeps the margins even after trimming.
    """
    if sheets < 2:
        return 0.0
    return creep_mm * MM * sheet / (sheets - 1)


def imposed_scale(page_width: float, page_height: float, sheet_width: float, sheet_height: float) -> float:
    """How much the pages are reduced so that they, and the marks around them, stay inside the
    printable area of the sheet (1.0 when they already fit)."""
    around = (PRINTABLE_MARGIN_MM + MARK_GAP_MM + MARK_LENGTH_MM) * MM
    return min(1.0, (sheet_height - 2 * around) / page_height, (sheet_width - 2 * around) / (2 * page_width))


def _marks(fold: float, top: float, bottom: float, outer_left: float, outer_right: float) -> str:
    """Trim marks at the four outer corners of the spread and fold marks above and below the fold,
    all outside the trim, in black."""
    gap, length = MARK_GAP_MM * MM, MARK_LENGTH_MM * MM
    lines = []
    for x, outward_x in ((outer_left, -1), (outer_right, 1)):
        for y, outward_y in ((bottom, -1), (top, 1)):
            lines.append((x + outward_x * gap, y, x + outward_x * (gap + length), y))
            lines.append((x, y + outward_y * gap, x, y + outward_y * (gap + length)))
    lines.append((fold, top + gap, fold, top + gap + length))
    lines.append((fold, bottom - gap, fold, bottom - gap - length))
    strokes = " ".join(f"{x1:.3f} {y1:.3f} m {x2:.3f} {y2:.3f} l" for x1, y1, x2, y2 in lines)
    return f"q 0 G {MARK_WIDTH_PT} w {strokes} S Q"


def impose(pdf: bytes | PdfObjects, creep_mm: float = 0.0, back_cover: bool = False) -> Imposed:
    """Place the pages of a trim-sized PDF two-up on landscape sheets, in saddle-stitch order,
    reduced to stay inside the printer's margin, with trim and fold marks.

    The PDF is a file's bytes or, in a build, the objects it was just written from (the same
    imposition, without parsing the file again)."""
    reader = pdf if isinstance(pdf, PdfObjects) else PdfReader(io.BytesIO(pdf))
    sides = saddle_stitch_sides(len(reader.pages), back_cover)
    sheets = len(sides) // 2
    first = reader.pages[0].trimbox  # the media box when there is no trim box
    _name, width, height = sheet_for(float(first.width), float(first.height))
    fold = width / 2
    scale = imposed_scale(float(first.width), float(first.height), width, height)
    writer = PdfWriter()
    forms: dict[int, IndirectObject] = {}
    for side in sides:
        sheet = writer.add_blank_page(width, height)
        shift = creep_shift(side.sheet, sheets, creep_mm)
        placed, drawing = DictionaryObject(), []
        for number, is_left in ((side.left, True), (side.right, False)):
            if number is None:
                continue
            page = reader.pages[number - 1]
            page_width, page_height = float(page.mediabox.width) * scale, float(page.mediabox.height) * scale
            x = fold - page_width + shift if is_left else fold - shift
            y = (height - page_height) / 2
            name = f"/Page{number}"
            if number not in forms:
                forms[number] = _form_xobject(writer, page)
            placed[NameObject(name)] = forms[number]
            left, bottom = float(page.mediabox.left), float(page.mediabox.bottom)
            drawing.append(f"q {scale:.5f} 0 0 {scale:.5f} {x - left * scale:.4f} {y - bottom * scale:.4f} cm "
                           f"{name} Do Q")
        trim_width, trim_height = float(first.width) * scale, float(first.height) * scale
        bottom_edge = (height - trim_height) / 2
        drawing.append(_marks(fold, bottom_edge + trim_height, bottom_edge, fold - trim_width, fold + trim_width))
        sheet[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): placed})
        content = DecodedStreamObject()
        content.set_data("\n".join(drawing).encode("ascii"))
        sheet[NameObject("/Contents")] = writer._add_object(content.flate_encode())
    writer.add_metadata(
        {
            key: value
            for key, value in (reader.metadata or {}).items()
            if key
            in (
                "/Title",
                "/Author",
                "/Subject",
                "/Keywords",
                "/Creator",
                "/CreationDate",
                "/ModDate",
            )
        }
    )
    catalog = reader.root_object
    if "/Lang" in catalog:
        writer.root_object[NameObject("/Lang")] = catalog["/Lang"]
    writer.compress_identical_objects()
    output = io.BytesIO()
    writer.write(output)
    return Imposed(output.getvalue(), len(sides))


def _form_xobject(writer: PdfWriter, page: PageObject) -> IndirectObject:
    """The page as a Form XObject: its content stream copied as it is, never parsed and rewritten."""
    form = DecodedStreamObject()
    contents = page.get_contents()
    form.set_data(contents.get_data() if contents is not None else b"")
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(value) for value in page.mediabox)
    form[NameObject("/Resources")] = cast(DictionaryObject, page["/Resources"].get_object()).clone(writer)
    return writer._add_object(form.flate_encode())
