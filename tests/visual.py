"""Visual references: which pages of an edition are compared, how they are drawn and compared.

Shared by tests/test_visual.py and `python -m tests.refresh_references`.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageChops

from tests.conftest import layout_geometry
from tests.pdfpages import Page, render_page

REFERENCES = Path(__file__).resolve().parent / "references"
DPI = 50
INK_STEP = 40
"""A pixel differs when a channel moves by more than this (of 255): antialiasing noise stays below."""
TOLERANCE = 0.0005
"""At most this share of a page's pixels (about 60 at 50 dpi, less than a word) may differ."""
HEADING_SIZE = layout_geometry("A5")["type_pt"]["heading"]


def _opening(pages: list[Page], starts: tuple[str, ...]) -> int:
    """The first page whose heading (the layout's heading size) starts with one of `starts`."""
    for page in pages:
        heading = "".join(g.char for g in page.glyphs if abs(g.size - HEADING_SIZE) < 0.2).replace(" ", "")
        if heading.startswith(starts):
            return page.index
    raise LookupError(f"no page opens with {starts}")


def chosen_pages(pages: list[Page]) -> dict[str, int]:
    """Cover, contents, the first statement's opening page and the chronology's first page."""
    return {
        "cover": 0,
        "contents": _opening(pages, ("Contents", "Содержание")),
        "statement": _opening(pages, ("Statement", "Заявление")),
        "chronology": _opening(pages, ("Chronology", "Хронология")),
    }


def reference_path(language: str, name: str) -> Path:
    return REFERENCES / f"{language}-{name}.png"


def draw(pdf: Path, index: int) -> Image.Image:
    return render_page(pdf, index, DPI)


def difference(image: Image.Image, reference: Image.Image) -> float:
    """The share of pixels that differ visibly (1.0 when the page size changed)."""
    if image.size != reference.size:
        return 1.0
    delta = ImageChops.difference(image.convert("RGB"), reference.convert("RGB"))
    channel_max = ImageChops.lighter(ImageChops.lighter(*delta.split()[:2]), delta.split()[2])
    changed = sum(channel_max.point(lambda v: 255 if v > INK_STEP else 0).histogram()[255:])
    return changed / (image.width * image.height)
