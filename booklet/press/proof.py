"""Proof sheet: every page of a PDF as a thumbnail on one PNG, for a look before printing."""

from __future__ import annotations

import io

import pypdfium2
from PIL import Image, ImageDraw

THUMB_WIDTH = 160
COLUMNS = 4
GAP = 14
BACKGROUND = (214, 211, 206)


def page_png(pdf: bytes, width: int, index: int = 0, trim_pt: float = 0.0) -> bytes:
    """One page rendered `width` pixels wide, as PNG bytes; `trim_pt` is cut off every edge (bleed)."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[index]
        scale = (width + 0.5) / (page.get_width() - 2 * trim_pt)  # pdfium rounds the size down
        image = page.render(scale=scale, crop=(trim_pt,) * 4).to_pil().convert("RGB")
        page.close()
    finally:
        document.close()
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()


def contact_sheet(pdf: bytes, thumb_width: int = THUMB_WIDTH, columns: int = COLUMNS) -> bytes:
    """Render all pages left to right, top to bottom, numbered; return the PNG's bytes."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        thumbs = []
        for page in document:
            scale = thumb_width / page.get_width()
            thumbs.append(page.render(scale=scale).to_pil().convert("RGB"))
            page.close()
    finally:
        document.close()
    rows = -(-len(thumbs) // columns)
    cell_height = max(thumb.height for thumb in thumbs) + GAP
    sheet = Image.new(
        "RGB", (columns * (thumb_width + GAP) + GAP, rows * cell_height + GAP + 4), BACKGROUND
    )
    draw = ImageDraw.Draw(sheet)
    for index, thumb in enumerate(thumbs):
        x = GAP + (index % columns) * (thumb_width + GAP)
        y = GAP + (index // columns) * cell_height
        sheet.paste(thumb, (x, y))
        draw.text((x, y + thumb.height + 1), str(index + 1), fill=(60, 60, 60))
    output = io.BytesIO()
    sheet.save(output, format="PNG", optimize=True)
    return output.getvalue()
