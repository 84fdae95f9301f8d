"""Preflight: check a written PDF against its profile's rules before anyone prints or publishes it.

Each failure is a Problem naming the file, the page and the rule, e.g.
`out/booklet-en-print.pdf: page 3: [fonts-embedded] font X is not embedded — …`.
"""

from __future__ import annotations

import functools
import hashlib
import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pypdfium2
from fontTools.ttLib import TTFont, TTLibError
from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError
from pypdf.generic import ArrayObject, ContentStream, DictionaryObject, IndirectObject

from booklet.press.impose import sheet_for
from booklet.press.objects import PdfObjects
from booklet.press.profiles import (
    MARK_LENGTH_MM,
    MARK_OFFSET_MM,
    MM,
    OUTPUT_CONDITION,
    PAGES_PER_SIGNATURE,
    TOTAL_INK_LIMIT,
)
from booklet.problems import Problem, raise_if_any
from booklet.project import PROFILES
from booklet.typeset.layout import PageGeometry, font_folder_problems

logging.getLogger("pypdf").setLevel(logging.ERROR)
"""pypdf's warnings on a damaged file ("EOF marker not found") went to stderr as stray lines; what
it cannot read is reported as one located problem instead."""

TOLERANCE_PT = 1.0
_RGB_OPERATOR = re.compile(rb"(?:^|\s)(?:[-+.\d]+\s+){3}(?:rg|RG)\b")
"""`r g b rg` / `RG`: a colour set in DeviceRGB."""
MIN_PRINT_DPI = 300


@dataclass(frozen=True)
class Box:
    left: float
    bottom: float
    right: float
    top: float

    @classmethod
    def of(cls, values: Any) -> Box:
        left, bottom, right, top = (float(value) for value in values)
        return cls(min(left, right), min(bottom, top), max(left, right), max(bottom, top))

    @property
    def size(self) -> tuple[float, float]:
        return self.right - self.left, self.top - self.bottom

    def reaches_beyond(self, inner: Box, distance: float) -> bool:
        """True when this box extends at least `distance` beyond `inner` on every side."""
        return (
            inner.left - self.left >= distance
            and inner.bottom - self.bottom >= distance
            and self.right - inner.right >= distance
            and self.top - inner.top >= distance
        )


def profile_of(path: Path) -> str | None:
    """The profile a file name announces: booklet-en-print.pdf → print."""
    suffix = path.stem.rsplit("-", 1)[-1]
    return suffix if suffix in PROFILES else None


def project_font_names(fonts_dir: Path) -> set[str]:
    """PostScript names of the project's fonts: the only fonts a booklet PDF may contain.

    Read once per process for the same font files (a build preflights every file it writes)."""
    files = sorted(fonts_dir.glob("*.[ot]tf"))
    return set(_font_names(tuple((path, hashlib.sha256(path.read_bytes()).digest()) for path in files), fonts_dir))


@functools.lru_cache(maxsize=4)
def _font_names(files: tuple[tuple[Path, bytes], ...], fonts_dir: Path) -> frozenset[str]:
    raise_if_any(font_folder_problems(fonts_dir))
    names = set()
    for path, _digest in files:
        with TTFont(path, lazy=True) as font:
            name = font["name"].getDebugName(6)
        if name:
            names.add(name)
    return frozenset(names)


def preflight(data: bytes, path: Path, profile: str, fonts_dir: Path, page: PageGeometry,
              objects: PdfObjects | None = None) -> list[Problem]:
    """Every rule of the profile, checked on the PDF's bytes; an empty list means it passed.

    `page` is the layout's geometry (layout.yaml): the trim size and bleed the file must have.
    A build passes the `objects` it has just written `data` from: the rules read those instead of
    parsing the file again (booklet.press.objects); glyphs are still found in the bytes, by PDFium.
    """
    try:
        reader = objects or PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return [Problem(path, None, "[encryption] the file is encrypted (PDF/X forbids it; readers and "
                                        "assistive technology may be locked out)", "write it without encryption")]
        pages = list(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        return [Problem(path, None, f"[pdf] not a readable PDF: {error}", "rebuild the file")]
    if not pages:  # PDFium does not open a document without pages at all
        return [Problem(path, None, "[pdf] the file has no pages", "rebuild the file")]
    check = _Checker(path, reader, page)
    try:
        check.page_geometry(profile)
        check.page_count(profile, len(pages))
        check.fonts(project_font_names(fonts_dir))
        check.glyphs_inside_trim(data)
        if profile == "screen":
            check.accessibility()
            check.identification("pdfuaid:part", "1", "PDF/UA-1")
        if profile == "print":
            check.image_resolution()
            check.output_intent()
            check.identification("pdfxid:GTS_PDFXVersion", "PDF/X-4", "PDF/X-4")
            check.default_rgb()
            check.total_ink(TOTAL_INK_LIMIT)
        check.links_and_bookmarks()
    except (PyPdfError, pypdfium2.PdfiumError, ValueError, KeyError, TypeError) as error:
        # a stream too large to unpack, an object of the wrong kind (a name for a box's number)
        return [*check.problems, Problem(path, None, f"[pdf] not a readable PDF: {error}", "rebuild the file")]
    return check.problems


class _Checker:
    def __init__(self, path: Path, reader: PdfReader | PdfObjects, page: PageGeometry) -> None:
        self.path = path
        self.reader = reader
        self.page = page
        self.trim = (page.width * MM, page.height * MM)
        self.problems: list[Problem] = []

    def fail(self, page: int | None, rule: str, message: str, fix: str) -> None:
        where = f"page {page}: " if page else ""
        self.problems.append(Problem(self.path, None, f"{where}[{rule}] {message}", fix))

    def page_geometry(self, profile: str) -> None:
        sheet_name, *sheet = sheet_for(*self.trim) if profile == "imposed" else ("", 0.0, 0.0)
        for number, page in enumerate(self.reader.pages, 1):
            media = Box.of(page["/MediaBox"])
            if profile == "print":
                self._print_boxes(number, page, media)
            elif profile == "screen":
                if not _same_size(media.size, self.trim):
                    self.fail(
                        number,
                        "page-size",
                        f"page is {_mm(media.size)}, not {self.page.name} ({_mm(self.trim)})",
                        "write the screen profile from the layout's page size",
                    )
                if "/BleedBox" in page and Box.of(page["/BleedBox"]) != media:
                    self.fail(
                        number,
                        "boxes",
                        "a screen page has a bleed box",
                        "crop the screen profile to the trim",
                    )
            elif profile == "imposed" and not _same_size(media.size, (sheet[0], sheet[1])):
                self.fail(
                    number,
                    "page-size",
                    f"sheet is {_mm(media.size)}, not {sheet_name} landscape",
                    f"impose {self.page.name} pages onto {sheet_name} landscape sheets",
                )

    def _print_boxes(self, number: int, page: Any, media: Box) -> None:
        if "/TrimBox" not in page or "/BleedBox" not in page:
            self.fail(
                number,
                "boxes",
                "page has no TrimBox or no BleedBox",
                "write the print profile with bleed (CSS `@page { bleed }`, from layout.yaml)",
            )
            return
        trim, bleed = Box.of(page["/TrimBox"]), Box.of(page["/BleedBox"])
        if not _same_size(trim.size, self.trim):
            self.fail(
                number, "page-size", f"trim is {_mm(trim.size)}, not {self.page.name} ({_mm(self.trim)})",
                "set the page size from layout.yaml",
            )
        if not bleed.reaches_beyond(trim, self.page.bleed * MM - 0.1):
            self.fail(
                number,
                "boxes",
                f"bleed is less than {self.page.bleed:g} mm beyond the trim",
                "set @page `bleed` from layout.yaml's bleed_mm",
            )
        if not media.reaches_beyond(trim, (self.page.bleed + MARK_OFFSET_MM + MARK_LENGTH_MM) * MM - 0.1):
            self.fail(
                number,
                "boxes",
                "the media box leaves no room for crop marks outside the bleed",
                "enlarge the media box around the bleed",
            )

    def glyphs_inside_trim(self, data: bytes) -> None:
        """No glyph may reach beyond the trim: text cut off by the page edge is lost to the reader.

        Character boxes come from PDFium's text extraction, the same boxes a viewer selects.
        """
        document = pypdfium2.PdfDocument(data)
        try:
            for number in range(1, len(document) + 1):
                page = document[number - 1]
                left, bottom, right, top = page.get_trimbox()
                text = page.get_textpage()
                # PDFium's text rectangles are unions of character boxes: when every one is inside,
                # so is every glyph, without asking for each character's box.
                if all(left - TOLERANCE_PT <= g_left and g_right <= right + TOLERANCE_PT
                       and bottom - TOLERANCE_PT <= g_bottom and g_top <= top + TOLERANCE_PT
                       for g_left, g_bottom, g_right, g_top in map(text.get_rect, range(text.count_rects()))):
                    continue
                outside = []
                for index in range(text.count_chars()):
                    g_left, g_bottom, g_right, g_top = text.get_charbox(index)
                    if (g_left < left - TOLERANCE_PT or g_right > right + TOLERANCE_PT
                            or g_bottom < bottom - TOLERANCE_PT or g_top > top + TOLERANCE_PT):
                        char = text.get_text_range(index, 1)
                        if char.strip():
                            outside.append(char)
                if outside:
                    sample = "".join(outside[:12])
                    self.fail(number, "glyph-outside-trim",
                              f"{len(outside)} glyph{'s' if len(outside) > 1 else ''} beyond the page edge "
                              f"({sample!r}{'…' if len(outside) > 12 else ''})",
                              "shorten or break the text: a word longer than the line, or a title too long "
                              "for its line or running head")
        finally:
            document.close()

    def output_intent(self) -> None:
        """PDF/X: one GTS_PDFX output intent, naming its condition and embedding a CMYK profile."""
        intents = [intent.get_object() for intent in self.reader.root_object.get("/OutputIntents") or []]
        pdfx = [intent for intent in intents if intent.get("/S") == "/GTS_PDFX"]
        if len(pdfx) != 1:
            self.fail(None, "output-intent", f"{len(pdfx)} PDF/X output intents, not exactly one",
                      "write the print profile with a CMYK output profile (colour/)")
            return
        intent = pdfx[0]
        if not str(intent.get("/OutputConditionIdentifier", "")).strip():
            self.fail(None, "output-intent", "the output intent names no OutputConditionIdentifier",
                      "name the printing condition, e.g. FOGRA39")
        profile = intent.get("/DestOutputProfile")
        channels = int(profile.get_object().get("/N", 0)) if profile is not None else 0
        if channels != 4:
            self.fail(None, "output-intent",
                      "the output intent embeds no CMYK profile" if profile is not None
                      else "the output intent embeds no profile (DestOutputProfile)",
                      "embed the CMYK ICC profile of the printing condition")

    def identification(self, key: str, value: str, standard: str) -> None:
        """The XMP metadata must identify the standard the file claims."""
        metadata = self.reader.root_object.get("/Metadata")
        packet = metadata.get_object().get_data().decode("utf-8", "replace") if metadata is not None else ""
        if not re.search(rf"{re.escape(key)}(?:>|=\s*[\"']){re.escape(value)}\b", packet):
            self.fail(None, "xmp", f"the XMP metadata does not identify the file as {standard} ({key})",
                      f"write it with WeasyPrint's {standard.lower()} variant")

    def default_rgb(self) -> None:
        """PDF/X-4 with a CMYK intent: DeviceRGB colours must be calibrated through DefaultRGB."""
        for number, page in enumerate(self.reader.pages, 1):
            contents = page.get_contents()
            if contents is None or not _RGB_OPERATOR.search(contents.get_data()):
                continue
            resources = page.get("/Resources")
            spaces = resources.get_object().get("/ColorSpace") if resources is not None else None
            if spaces is None or "/DefaultRGB" not in spaces.get_object():
                self.fail(number, "default-rgb", "DeviceRGB colour without a DefaultRGB colour space",
                          "declare DefaultRGB (sRGB) in the page's resources")
                return

    def total_ink(self, limit: float) -> None:
        """Every CMYK colour the pages set stays within the output condition's total area coverage
        (registration marks are a separation of their own, not counted)."""
        for number, page in enumerate(self.reader.pages, 1):
            heaviest = max((sum(tints) for tints in _cmyk_colours(page.get_contents(), page.get("/Resources"))),
                           default=0.0)
            if heaviest * 100 > limit + 0.5:
                self.fail(number, "total-ink",
                          f"a colour of {heaviest * 100:.0f} % total ink, above the {limit:.0f} % of "
                          f"{OUTPUT_CONDITION}",
                          "lower the CMYK tints of that colour in layout.yaml's palette")

    def page_count(self, profile: str, count: int) -> None:
        multiple = {"print": PAGES_PER_SIGNATURE, "imposed": 2}.get(profile)
        if multiple and count % multiple:
            what = "pages" if profile == "print" else "sheet sides"
            self.fail(
                None,
                "page-count",
                f"{count} {what}, not a multiple of {multiple}",
                "pad with blank pages" if profile == "print" else "give every sheet a back",
            )

    def fonts(self, allowed: set[str]) -> None:
        reported = set()
        checked: dict[object, tuple[str, str] | None] = {}
        for number, page in enumerate(self.reader.pages, 1):
            for font in _fonts_of(page.get("/Resources")):
                # Pages share font objects: read each embedded program once, not once a page. A
                # font written in the page itself (another tool's file) has no number: its identity.
                reference = getattr(font, "indirect_reference", None)
                key = (reference.idnum, reference.generation) if reference is not None else id(font)
                if key not in checked:
                    checked[key] = _font_problem(font, allowed)
                problem = checked[key]
                if problem and problem not in reported:
                    reported.add(problem)
                    self.fail(
                        number, *problem, "use only the fonts in fonts/, embedded in full or subset"
                    )

    def accessibility(self) -> None:
        root = self.reader.root_object
        if "/StructTreeRoot" not in root:
            self.fail(
                None,
                "pdf-ua",
                "no structure tree (not tagged)",
                "write with pdf_variant='pdf/ua-1'",
            )
        if not str(root.get("/Lang", "")).strip():
            self.fail(None, "pdf-ua", "no document language (/Lang)", "set <html lang>")
        if not root.get("/MarkInfo", {}).get("/Marked", False):
            self.fail(
                None,
                "pdf-ua",
                "not marked as tagged (/MarkInfo /Marked)",
                "write with pdf_variant='pdf/ua-1'",
            )
        if not root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False):
            self.fail(
                None,
                "pdf-ua",
                "viewers would show the file name, not the title (DisplayDocTitle)",
                "set /ViewerPreferences /DisplayDocTitle true",
            )
        for number, page in enumerate(self.reader.pages, 1):
            contents = page.get_contents()
            if contents is not None and b"BDC" not in contents.get_data() and _paints(contents):
                self.fail(number, "pdf-ua", "page has no marked content", "tag the page's content")

    def image_resolution(self) -> None:
        for number, page in enumerate(self.reader.pages, 1):
            for name, pixels, size in _placed_images(page.get_contents(), page.get("/Resources")):
                dpi = min(p / (s / 72) for p, s in zip(pixels, size, strict=True) if s > 0)
                if dpi < MIN_PRINT_DPI:
                    self.fail(
                        number,
                        "image-resolution",
                        f"image {name} is {dpi:.0f} dpi, below {MIN_PRINT_DPI}",
                        "use a larger image or print it smaller",
                    )

    def links_and_bookmarks(self) -> None:
        pages = {page.indirect_reference.idnum for page in self.reader.pages if page.indirect_reference}
        named = self._named_destinations()
        for number, page in enumerate(self.reader.pages, 1):
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                if annotation.get("/Subtype") != "/Link":
                    continue
                action = annotation.get("/A")
                if action is not None and action.get_object().get("/S") == "/URI":
                    continue
                target = annotation.get("/Dest", action.get_object().get("/D") if action else None)
                if not _lands_on_page(target, named, pages):
                    self.fail(
                        number,
                        "links",
                        f"link to {_describe(target)} points nowhere",
                        "link only to anchors that exist",
                    )
        for title, target in _outline_items(self.reader.root_object.get("/Outlines")):
            if not _lands_on_page(target, named, pages):
                self.fail(
                    None,
                    "bookmarks",
                    f"bookmark '{title}' points nowhere",
                    "give every bookmark a destination in the document",
                )

    def _named_destinations(self) -> dict[str, Any]:
        names = self.reader.root_object.get("/Names")
        tree = names.get_object().get("/Dests") if names else None
        found: dict[str, Any] = {}
        for key, value in _name_tree(tree):
            found[key] = value
        legacy = self.reader.root_object.get("/Dests")
        if legacy:
            found.update({str(k).lstrip("/"): v for k, v in legacy.get_object().items()})
        return found


def _font_problem(font: Any, allowed: set[str]) -> tuple[str, str] | None:
    """(rule, message) when a font is not embedded or is not one of the project's fonts."""
    name = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
    descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
    descriptor = descendant.get("/FontDescriptor")
    program = None
    if descriptor is not None:
        descriptor = descriptor.get_object()
        program = next(
            (
                descriptor[key]
                for key in ("/FontFile2", "/FontFile3", "/FontFile")
                if key in descriptor
            ),
            None,
        )
    if program is None:
        return "fonts-embedded", f"font {name} is not embedded"
    try:
        embedded = TTFont(io.BytesIO(program.get_object().get_data()), lazy=True)
        postscript = embedded["name"].getDebugName(6)
    except (TTLibError, KeyError, AssertionError, ValueError):
        postscript = None
    if postscript not in allowed:
        return "fonts-source", f"font {name} ({postscript or 'unreadable'}) is not one of fonts/"
    return None


_CMYK_OPERATOR = re.compile(
    rb"(?<![\w.])(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(?:k|K|sc|SC|scn|SCN)(?![\w])")


def _cmyk_colours(contents: Any, resources: Any, depth: int = 0) -> Iterator[tuple[float, ...]]:
    """The four tints (0–1) of every four-component colour a content stream and its forms set."""
    if contents is not None:
        for match in _CMYK_OPERATOR.finditer(contents.get_data()):
            yield tuple(float(value) for value in match.groups())
    if resources is None or depth > 8:
        return
    for xobject in (resources.get_object().get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from _cmyk_colours(xobject, xobject.get("/Resources"), depth + 1)


def _same_size(size: tuple[float, float], expected: tuple[float, float]) -> bool:
    return all(abs(a - b) <= TOLERANCE_PT for a, b in zip(size, expected, strict=True))


def _mm(size: tuple[float, float]) -> str:
    return f"{size[0] / MM:.0f} x {size[1] / MM:.0f} mm"


def _fonts_of(resources: Any, depth: int = 0) -> Iterator[DictionaryObject]:
    """Fonts used by a resource dictionary and by the forms it draws, recursively."""
    if resources is None or depth > 8:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from _fonts_of(xobject.get("/Resources"), depth + 1)


def _placed_images(
    contents: Any, resources: Any, matrix: tuple[float, ...] = (1, 0, 0, 1, 0, 0), depth: int = 0
) -> Iterator[tuple[str, tuple[int, int], tuple[float, float]]]:
    """Each image a content stream draws: its name, its pixels, its size on the page in points."""
    if contents is None or resources is None or depth > 8:
        return
    resources = resources.get_object()
    xobjects = resources.get("/XObject") or {}
    if not xobjects:  # nothing to place: spare parsing the content stream
        return
    stack, ctm = [], matrix
    for operands, operator in ContentStream(contents, None).operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q" and stack:
            ctm = stack.pop()
        elif operator == b"cm":
            ctm = _multiply(tuple(float(value) for value in operands), ctm)
        elif operator == b"Do" and operands[0] in xobjects:
            xobject = xobjects[operands[0]].get_object()
            if xobject.get("/Subtype") == "/Image":
                a, b, c, d = ctm[:4]
                size = ((a * a + b * b) ** 0.5, (c * c + d * d) ** 0.5)
                yield str(operands[0]), (int(xobject["/Width"]), int(xobject["/Height"])), size
            elif xobject.get("/Subtype") == "/Form":
                inner = tuple(float(value) for value in xobject.get("/Matrix", (1, 0, 0, 1, 0, 0)))
                yield from _placed_images(
                    xobject, xobject.get("/Resources"), _multiply(inner, ctm), depth + 1
                )


def _multiply(m: tuple[float, ...], n: tuple[float, ...]) -> tuple[float, ...]:
    a, b, c, d, e, f = m
    g, h, i, j, k, l_ = n
    return (
        a * g + b * i,
        a * h + b * j,
        c * g + d * i,
        c * h + d * j,
        e * g + f * i + k,
        e * h + f * j + l_,
    )


def _name_tree(node: Any) -> Iterator[tuple[str, Any]]:
    if node is None:
        return
    node = node.get_object()
    names = node.get("/Names") or []
    for index in range(0, len(names) - 1, 2):
        yield str(names[index]), names[index + 1]
    for kid in node.get("/Kids") or []:
        yield from _name_tree(kid)


def _lands_on_page(target: Any, named: dict[str, Any], pages: set[int]) -> bool:
    """True when a destination (a name or an explicit array) resolves to a page of this document."""
    for _ in range(4):
        if target is None:
            return False
        target = target.get_object() if isinstance(target, IndirectObject) else target
        if isinstance(target, DictionaryObject):
            target = target.get("/D")
        elif isinstance(target, ArrayObject):
            page = target[0] if target else None
            return isinstance(page, IndirectObject) and page.idnum in pages
        else:
            target = named.get(str(target).lstrip("/"))
    return False


def _describe(target: Any) -> str:
    return f"'{target}'" if target is not None else "no destination"


def _outline_items(outlines: Any) -> Iterator[tuple[str, Any]]:
    node = outlines.get_object().get("/First") if outlines else None
    while node is not None:
        item = node.get_object()
        target = item.get("/Dest")
        if target is None and "/A" in item:
            target = item["/A"].get_object().get("/D")
        yield str(item.get("/Title", "")), target
        yield from _outline_items(item)
        node = item.get("/Next")


# Operators that put marks on the page: text, paths filled or stroked, images and shadings.
_PAINTING_OPERATORS = {b"Tj", b"TJ", b"'", b'"', b"f", b"F", b"f*", b"B", b"B*", b"b", b"b*", b"S", b"s",
                       b"Do", b"sh"}


def _paints(contents: Any) -> bool:
    """Whether a page draws anything: an intentionally blank page has nothing to tag."""
    operations = ContentStream(contents, None).operations
    return any(operator in _PAINTING_OPERATORS for _operands, operator in operations)
