"""Refresh the visual references after an intended change of the layout or the texts.

    python -m tests.refresh_references          # tests/references/*.png
    python -m tests.refresh_references --docs   # also layouts/memorial/docs/*.png (README images)

Look at the new images (git diff shows which changed) before committing them.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from PIL import Image

from booklet.build import Project, build
from tests.conftest import ROOT
from tests.pdfpages import read_pages, render_page
from tests.visual import DPI, REFERENCES, chosen_pages, draw, reference_path

DOCS = ROOT / "layouts" / "memorial" / "docs"


def spread(pdf: Path, left: int, right: int, dpi: float) -> Image.Image:
    """Two facing pages side by side, as the reader sees them."""
    pages = [render_page(pdf, left, dpi), render_page(pdf, right, dpi)]
    image = Image.new("RGB", (pages[0].width * 2 + 4, pages[0].height), "#8a8580")
    image.paste(pages[0], (0, 0))
    image.paste(pages[1], (pages[0].width + 4, 0))
    return image


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docs", action="store_true", help="also write the layout README's page images")
    options = parser.parse_args()
    REFERENCES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as out:
        for built in build(Project.at(ROOT, out=Path(out)), profiles=["screen"]):
            language = built.path.stem.removeprefix("booklet-").removesuffix("-screen")
            pages = read_pages(built.path)
            chosen = chosen_pages(pages)
            for name, index in chosen.items():
                draw(built.path, index).save(reference_path(language, name), optimize=True)
                print(f"wrote {reference_path(language, name).relative_to(ROOT)} (p. {index + 1})")
            if options.docs:
                DOCS.mkdir(exist_ok=True)
                opening = chosen["statement"]
                images = {
                    "covers": spread(built.path, chosen["back-cover"], chosen["cover"], DPI),
                    "title": render_page(built.path, chosen["title"], DPI),
                    "contents-opening": spread(built.path, chosen["contents"], opening, DPI),
                    "text-spread": spread(built.path, opening + 1, opening + 2, DPI),
                    "chronology": spread(built.path, chosen["chronology"], chosen["chronology"] + 1, DPI),
                    "colophon": render_page(built.path, chosen["colophon"], DPI),
                }
                for name, image in images.items():
                    target = DOCS / f"{language}-{name}.png"
                    image.quantize(64).save(target, optimize=True)
                    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
