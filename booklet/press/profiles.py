"""One layout, three PDFs: print (PDF/X-4, bleed, crop marks), screen (PDF/UA-1), imposed (two-up).

WeasyPrint lays an edition out once (booklet.typeset.pdf.lay_out); each profile here only writes that layout
with its own options and then edits WeasyPrint's PDF objects (pydyf) before they are serialised, so
no profile costs a second layout and the print file keeps the PDF/X metadata WeasyPrint wrote.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pydyf

from booklet.press.impose import MM, impose
from booklet.press.objects import PdfObjects
from booklet.project import file_name
from booklet.stopwatch import Stopwatch
from booklet.typeset.layout import Colour
from booklet.typeset.pdf import LaidOut, write_pdf_objects

MARK_OFFSET_MM = 2.0
"""Gap between the bleed edge and the start of a crop mark, so marks never print into the bleed."""
MARK_LENGTH_MM = 5.0
SLUG_MARGIN_MM = 2.0
"""Beyond the marks' ends, the print MediaBox keeps this much paper on each side."""
MARK_WIDTH_PT = 0.25
PAGES_PER_SIGNATURE = 4
"""A saddle-stitched booklet is folded sheets: four pages each."""
BACK_COVER_PAGE = "back-cover"
"""The CSS named page of a layout's outside back cover: it stays the last page of the print and
imposed files, the blank pages that make up the multiple of 4 go before it."""

OUTPUT_PROFILE = Path(__file__).resolve().parents[2] / "colour" / "booklet-FOGRA39.icc"
OUTPUT_CONDITION = "FOGRA39"
"""The characterised printing condition of the output intent, as named in the ICC registry."""
TOTAL_INK_LIMIT = 300.0
"""The output condition's limit on total area coverage, per cent (FOGRA39, coated offset: 300 %)."""


@dataclass(frozen=True)
class ProfileFile:
    """One written PDF of one edition."""

    profile: str
    name: str
    data: bytes
    pages: int
    seconds: float
    """Time spent writing this file from the layout (imposed: imposing the screen file)."""
    objects: PdfObjects | None = field(default=None, compare=False, repr=False)
    """What `data` was written from, for preflight to read without parsing it (None: parse it);
    given to `write_profiles`' `on_written` only, and closed once the file's readers are done."""


def write_profiles(
    laid_out: LaidOut, language: str, profiles: tuple[str, ...], creep_mm: float = 0.0,
    stopwatch: Stopwatch | None = None, palette: tuple[Colour, ...] = (),
    on_written: Callable[[ProfileFile], ProfileFile] = lambda file: file,
) -> list[ProfileFile]:
    """Write the wanted profiles of one laid-out edition; imposed is made from the screen file.

    The print file sets the palette's CMYK values; screen and imposed keep sRGB. Each file goes
    through `on_written` as soon as it is made, and the list holds what that returns: a build
    preflights it there and keeps only its bytes, so one file's PDF objects (≈ 0.25 MB a page) are
    gone before the next file is written.
    """
    stopwatch = stopwatch or Stopwatch()
    files: list[ProfileFile] = []

    def add(profile: str, pages: int, data: bytes, objects: PdfObjects | None = None) -> None:
        made = on_written(ProfileFile(profile, file_name(language, profile), data, pages, stopwatch.times[-1].seconds,
                                      objects))
        files.append(replace(made, objects=None))  # closed below: readable only while `on_written` runs

    back_cover = laid_out.last_page_name == BACK_COVER_PAGE
    if "print" in profiles:
        with stopwatch.measure(language, "write print"):
            written = write_pdf_objects(laid_out, variant="pdf/x-4", output_profile=OUTPUT_PROFILE,
                                        finisher=lambda pdf: finish_print(pdf, back_cover),
                                        print_colours={c.rgb: c.cmyk for c in palette})
        objects = PdfObjects(written.objects)
        add("print", padded_page_count(laid_out.page_count), written.data, objects)
        objects.close()  # its objects go before the screen file's are made (`on_written` has read them)
        del written
    if "screen" in profiles or "imposed" in profiles:
        with stopwatch.measure(language, "write screen"):
            screen = write_pdf_objects(laid_out, variant="pdf/ua-1", finisher=finish_screen)
            objects = PdfObjects(screen.objects)
        if "screen" in profiles:
            add("screen", laid_out.page_count, screen.data, objects)
        if "imposed" in profiles:
            with stopwatch.measure(language, "impose"):
                imposed = impose(objects, creep_mm=creep_mm, back_cover=back_cover)
            add("imposed", imposed.sheet_sides, imposed.data)
        objects.close()
    return files


def padded_page_count(pages: int) -> int:
    return -(-pages // PAGES_PER_SIGNATURE) * PAGES_PER_SIGNATURE


def _pages(pdf: pydyf.PDF) -> list[pydyf.Dictionary]:
    return [pdf.objects[number] for number in pdf.pages["Kids"][::3]]


def _resolve(pdf: pydyf.PDF, reference: bytes) -> Any:
    return pdf.objects[int(reference.split()[0])]


def finish_print(pdf: pydyf.PDF, back_cover: bool = False) -> None:
    """Print-shop finishing: crop marks outside the bleed, blank pages to a multiple of 4 (before
    the outside back cover, when the layout ends with one), no links.

    Links are removed because PDF/X forbids annotations inside the bleed box; DeviceRGB colours
    (WeasyPrint writes CSS colours as such) are declared as sRGB through DefaultRGB, as PDF/X-4 asks
    when the output intent is CMYK.
    """
    pages = _pages(pdf)
    for page in pages:
        page.pop("Annots", None)
    template = pages[-1]
    for _ in range(padded_page_count(len(pages)) - len(pages)):
        blank = pydyf.Dictionary(
            {
                key: template[key]
                for key in ("Type", "Parent", "Resources", "MediaBox", "TrimBox", "BleedBox")
            }
        )
        empty = pydyf.Stream([], compress=True)
        pdf.add_object(empty)
        blank["Contents"] = empty.reference
        pdf.add_page(blank)
    if back_cover and len(_pages(pdf)) > len(pages):
        kids = pdf.pages["Kids"]
        last = 3 * (len(pages) - 1)
        kids.extend(kids[last:last + 3])
        del kids[last:last + 3]
    registration = _registration_colour_space(pdf)
    for page in _pages(pdf):
        _add_crop_marks(pdf, page)
        colour_spaces = _resolve(pdf, _resolve(pdf, page["Resources"])["ColorSpace"])
        colour_spaces["DefaultRGB"] = colour_spaces["srgb"]
        colour_spaces["Registration"] = registration
    for intent in pdf.catalog.get("OutputIntents", ()):
        intent["OutputConditionIdentifier"] = pydyf.String(OUTPUT_CONDITION)
        intent["RegistryName"] = pydyf.String("http://www.color.org")
    _stabilise_xmp_document_id(pdf)


def _add_crop_marks(pdf: pydyf.PDF, page: pydyf.Dictionary) -> None:
    """Enlarge the MediaBox around the trim and draw the eight crop marks, beyond bleed + offset.

    The bleed is the layout's (CSS `bleed`, from layout.yaml), read back from the page's boxes.
    """
    left, bottom, right, top = (float(value) for value in page["TrimBox"])
    bleed = left - float(page["BleedBox"][0])
    start, end = bleed + MARK_OFFSET_MM * MM, bleed + (MARK_OFFSET_MM + MARK_LENGTH_MM) * MM
    slug = end + SLUG_MARGIN_MM * MM
    page["MediaBox"] = pydyf.Array([left - slug, bottom - slug, right + slug, top + slug])
    lines = []
    for x, outward_x in ((left, -1), (right, 1)):
        for y, outward_y in ((bottom, -1), (top, 1)):
            lines.append((x + outward_x * start, y, x + outward_x * end, y))
            lines.append((x, y + outward_y * start, x, y + outward_y * end))
    marks = pydyf.Stream(compress=True)
    marks.push_state()
    marks.set_line_width(MARK_WIDTH_PT)
    # Registration colour (Separation /All): the marks print on every plate, and no page content
    # carries it, so the total-ink check never counts them.
    marks.stream.append(b"/Registration CS 1 SCN")
    for x1, y1, x2, y2 in lines:
        marks.move_to(x1, y1)
        marks.line_to(x2, y2)
    marks.stroke()
    marks.pop_state()
    pdf.add_object(marks)
    page["Contents"] = pydyf.Array([marks.reference, page["Contents"]])


def _registration_colour_space(pdf: pydyf.PDF) -> pydyf.Array:
    """[/Separation /All /DeviceCMYK f]: full tint on every separation, as marks require."""
    tint = pydyf.Dictionary({"FunctionType": 2, "Domain": pydyf.Array([0, 1]), "N": 1,
                             "C0": pydyf.Array([0, 0, 0, 0]), "C1": pydyf.Array([1, 1, 1, 1])})
    pdf.add_object(tint)
    return pydyf.Array(["/Separation", "/All", "/DeviceCMYK", tint.reference])


def _stabilise_xmp_document_id(pdf: pydyf.PDF) -> None:
    """WeasyPrint's PDF/X XMP carries a random DocumentID; derive it from the trailer ID instead."""
    metadata = _resolve(pdf, pdf.catalog["Metadata"])
    random_id = re.compile(rb"xmp\.did:[0-9a-f-]+")
    packet = b"".join(metadata.stream)
    stable = uuid.uuid5(uuid.NAMESPACE_URL, random_id.sub(b"", packet).decode("utf-8"))
    metadata.stream = [random_id.sub(f"xmp.did:{stable}".encode(), packet)]


def finish_screen(pdf: pydyf.PDF) -> None:
    """Screen finishing: the page is the trim (no bleed); viewers show the title, not the file."""
    for page in _pages(pdf):
        page["MediaBox"] = page.pop("TrimBox")
        page.pop("BleedBox", None)
    pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
    pdf.catalog["PageMode"] = "/UseOutlines"
    _scope_table_headers(pdf)


def _scope_table_headers(pdf: pydyf.PDF) -> None:
    """Give every table header cell the /Scope PDF/UA asks for (WeasyPrint drops HTML's `scope`):
    Column for a header in a THead row, Row for one beside data cells in its row."""
    for element in pdf.objects:
        if not isinstance(element, pydyf.Dictionary) or element.get("S") != "/TH":
            continue
        row = _resolve(pdf, element["P"]) if isinstance(element.get("P"), (bytes, str)) else None
        group = _resolve(pdf, row["P"]) if row is not None and "P" in row else None
        scope = "/Column" if group is not None and group.get("S") == "/THead" else "/Row"
        attributes = element.get("A")
        if not isinstance(attributes, pydyf.Dictionary):
            attributes = element["A"] = pydyf.Dictionary({"O": "/Table"})
        attributes["Scope"] = scope
