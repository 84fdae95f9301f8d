"""Read a built PDF as a typesetter would look at it: glyph boxes, text lines, page images.

Shared by the typography tests and `python -m tests.refresh_references`; pypdfium2 only (no system
tools in tests).
"""

from __future__ import annotations

import ctypes
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image
from pypdf import PdfReader

"""PDF points per millimetre."""
HYPHENS = frozenset("-\u2010\u00ad")
SIZE_TOLERANCE = 0.2


@dataclass(frozen=True)
class Glyph:
    char: str
    left: float
    bottom: float
    right: float
    top: float
    baseline: float
    size: float
    """Font size in points."""
    font: str
    advance: tuple[float, float]
    """Left and right of the glyph's advance (its cell in the line), where the ink box varies."""


@dataclass(frozen=True)
class Page:
    index: int
    width: float
    height: float
    trim: tuple[float, float, float, float]
    """The trim box (left, bottom, right, top) in points: the page as the reader holds it."""
    glyphs: tuple[Glyph, ...]

    @property
    def number(self) -> int:
        return self.index + 1

    @property
    def recto(self) -> bool:
        return self.number % 2 == 1

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)


@dataclass(frozen=True)
class Line:
    page: int
    baseline: float
    glyphs: tuple[Glyph, ...]

    @property
    def text(self) -> str:
        return "".join(g.char for g in self.glyphs)

    @property
    def inked(self) -> tuple[Glyph, ...]:
        """The glyphs that leave ink (not spaces)."""
        return tuple(g for g in self.glyphs if g.char != " ")

    @property
    def words(self) -> list[str]:
        return self.text.split()

    @property
    def hyphenated(self) -> bool:
        """The line ends with a hyphen: a word broken here (by hyphenation or at its own hyphen)."""
        return self.text.rstrip()[-1:] in HYPHENS


def _font_name(textpage: pdfium.PdfTextPage, index: int) -> str:
    buffer = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    pdfium_c.FPDFText_GetFontInfo(textpage, index, buffer, len(buffer), flags)
    return buffer.value.decode("utf-8", "replace")


def _glyphs(page: pdfium.PdfPage, scale: float) -> Iterator[Glyph]:
    textpage = page.get_textpage()
    x, y = ctypes.c_double(), ctypes.c_double()
    for index in range(textpage.count_chars()):
        if pdfium_c.FPDFText_IsGenerated(textpage, index):
            continue
        char = chr(pdfium_c.FPDFText_GetUnicode(textpage, index))
        if char.isspace() and char != " ":
            char = " "  # a no-break space is a space to the reader
        left, bottom, right, top = textpage.get_charbox(index)
        loose_left, _, loose_right, _ = textpage.get_charbox(index, loose=True)
        pdfium_c.FPDFText_GetCharOrigin(textpage, index, x, y)
        yield Glyph(char, left, bottom, right, top, round(y.value, 1),
                    round(pdfium_c.FPDFText_GetFontSize(textpage, index) * scale, 2),
                    _font_name(textpage, index), (loose_left, loose_right))


def read_pages(path: Path) -> list[Page]:
    """Every page's glyphs with their boxes (PDF points, origin at the page's bottom left). Read once
    per version of the file in a process: many tests look at the same built PDF."""
    stat = Path(path).stat()
    return list(_read_pages(Path(path).resolve(), stat.st_ino, stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=8)
def _read_pages(path: Path, inode: int, mtime_ns: int, size: int) -> tuple[Page, ...]:
    """The file's pages, cached by its identity and version (a rebuilt file is read again)."""
    pdf = pdfium.PdfDocument(path)
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            # WeasyPrint draws at 0.75 pt per CSS px; pdfium reports the size before that scale.
            pages.append(Page(index, page.get_width(), page.get_height(), tuple(page.get_trimbox()),
                              tuple(_glyphs(page, 0.75))))
        return tuple(pages)
    finally:
        pdf.close()


def body_size(pages: Iterable[Page]) -> float:
    """The size most glyphs are set in: the text type."""
    sizes = Counter(g.size for page in pages for g in page.glyphs)
    return sizes.most_common(1)[0][0]


def text_lines(pages: Iterable[Page], size: float | None) -> list[Line]:
    """Lines of glyphs set in `size` (None: in any size), in reading order (page by page, top to
    bottom, left to right)."""
    lines = []
    for page in pages:
        by_baseline: dict[float, list[Glyph]] = {}
        for glyph in page.glyphs:
            if size is None or abs(glyph.size - size) <= SIZE_TOLERANCE:
                by_baseline.setdefault(glyph.baseline, []).append(glyph)
        for baseline in sorted(by_baseline, reverse=True):
            lines.append(Line(page.index, baseline, tuple(sorted(by_baseline[baseline], key=lambda g: g.left))))
    return lines


@dataclass(frozen=True)
class Hyphenation:
    lines: int
    hyphenated: int
    longest_run: int
    examples: tuple[str, ...]

    @property
    def share(self) -> float:
        return self.hyphenated / self.lines if self.lines else 0.0


def measure_hyphenation(lines: list[Line]) -> Hyphenation:
    """How many text lines end in a hyphen, and the longest run of such lines one after another."""
    run = longest = 0
    for line in lines:
        run = run + 1 if line.hyphenated else 0
        longest = max(longest, run)
    ends = tuple(line.text[-20:] for line in lines if line.hyphenated)
    return Hyphenation(len(lines), len(ends), longest, ends)


def render_page(path: Path, index: int, dpi: float) -> Image.Image:
    """One page as an RGB image (small: references and docs are at most 60 dpi)."""
    pdf = pdfium.PdfDocument(path)
    try:
        return pdf[index].render(scale=dpi / 72).to_pil().convert("RGB")
    finally:
        pdf.close()


FLUSH = 0.5
"""Points: a line whose last glyph cell ends this close to the measure is justified (full)."""


@dataclass(frozen=True)
class Spacing:
    """Word spaces of the full justified lines of text, as multiples of the natural word space."""

    natural: float
    ratios: tuple[float, ...]
    """One per line: the line's mean word space over the natural one."""
    lines: tuple[Line, ...]

    def percentile(self, share: float) -> float:
        ordered = sorted(self.ratios)
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0

    @property
    def median(self) -> float:
        return self.percentile(0.5)

    @property
    def worst(self) -> float:
        return max(self.ratios, default=0.0)

    def over(self, ratio: float) -> int:
        return sum(r > ratio for r in self.ratios)


WORD_GAP = 0.1
"""Ems: a gap this wide between two glyph cells is a word space (letter spacing stays under 0.02)."""


def word_gaps(line: Line) -> list[float]:
    """Widths of the word spaces of a line: gaps between the advance cells of neighbouring inked
    glyphs (pdfium does not always report the space glyphs of widely spaced lines)."""
    ink = line.inked
    gaps = [after.advance[0] - before.advance[1] for before, after in pairwise(ink)]
    return [gap for gap, before in zip(gaps, ink, strict=False) if gap > WORD_GAP * before.size]


def measure_edges(pages: list[Page], lines: list[Line]) -> dict[bool, float]:
    """The measure's right edge on rectos and versos: where most lines of text end."""
    ends: dict[bool, Counter[float]] = {True: Counter(), False: Counter()}
    for line in lines:
        if line.inked:
            ends[pages[line.page].recto][round(line.inked[-1].advance[1], 1)] += 1
    return {side: (counter.most_common(1)[0][0] if counter else 0.0) for side, counter in ends.items()}


def body_lines(pages: list[Page]) -> list[Line]:
    """Lines set wholly in the body face and size: the text of the statements."""
    size = body_size(pages)
    faces = Counter(g.font for page in pages for g in page.glyphs if abs(g.size - size) <= SIZE_TOLERANCE)
    face = faces.most_common(1)[0][0]
    return [line for line in text_lines(pages, size) if line.inked and all(g.font == face for g in line.inked)]


def measure_spacing(pages: list[Page], min_words: int = 4) -> Spacing:
    """Word spaces of full justified body lines (≥ `min_words` words) over the natural space, read
    from the lines that end short (paragraphs' last lines, set at their natural spacing)."""
    lines = body_lines(pages)
    edges = measure_edges(pages, lines)
    full, short = [], []
    for line in lines:
        end = line.inked[-1].advance[1]
        (full if abs(end - edges[pages[line.page].recto]) <= FLUSH else short).append(line)
    natural_gaps = sorted(g for line in short for g in word_gaps(line))
    natural = natural_gaps[len(natural_gaps) // 2] if natural_gaps else 1.0
    counted = [line for line in full if len(word_gaps(line)) + 1 >= min_words]
    ratios = tuple(sum(word_gaps(line)) / len(word_gaps(line)) / natural for line in counted)
    return Spacing(natural, ratios, tuple(counted))


def statement_pages(path: Path) -> list[int]:
    """Indices of the pages from the first statement's opening to the page before the chronology,
    read from the PDF's outline (statements and the chronology are its first-level entries)."""
    reader = PdfReader(path)
    starts = [reader.get_destination_page_number(entry) for entry in reader.outline if not isinstance(entry, list)]
    # Entries: the contents, the statements in order, the chronology, the colophon.
    return list(range(starts[1], starts[-2]))
