"""Refresh the visual references after an intended change of the layout or the texts.

    python -m tests.refresh_references          # tests/references/*.png
    python -m tests.refresh_references --docs   # also layouts/memorial/docs/*.png (README images)

Look at the new images (git diff shows which changed) before committing them.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from PIL import Image

from booklet.build import Project, build
from tests.conftest import ROOT
from tests.pdfpages import Line, Page, body_lines, measure_spacing, read_pages, render_page, word_gaps
from tests.visual import DPI, REFERENCES, chosen_pages, draw, reference_path

DOCS = ROOT / "layouts" / "memorial" / "docs"


def spread(pdf: Path, left: int, right: int, dpi: float) -> Image.Image:
    """Two facing pages side by side, as the reader sees them."""
    pages = [render_page(pdf, left, dpi), render_page(pdf, right, dpi)]
    image = Image.new("RGB", (pages[0].width * 2 + 4, pages[0].height), "#8a8580")
    image.paste(pages[0], (0, 0))
    image.paste(pages[1], (pages[0].width + 4, 0))
    return image


PARAGRAPH_DPI = 150
"""The before/after crops: type at a size where word spaces can be judged."""


def paragraphs_on(pages: list[Page], index: int) -> list[list[Line]]:
    """The body lines of one page grouped into paragraphs (a paragraph starts at an indent)."""
    lines = [line for line in body_lines(pages) if line.page == index]
    left = min(line.inked[0].left for line in lines)
    groups: list[list[Line]] = []
    for line in lines:
        if not groups or line.inked[0].left > left + 3:
            groups.append([])
        groups[-1].append(line)
    return groups


def paragraph_crop(pdf: Path, index: int, lines: list[Line]) -> Image.Image:
    """The lines' band of the page, across the type area, at PARAGRAPH_DPI."""
    pages = read_pages(pdf)
    page = pages[index]
    scale = PARAGRAPH_DPI / 72
    image = render_page(pdf, index, PARAGRAPH_DPI)
    size = lines[0].inked[0].size
    left = min(line.inked[0].left for line in lines) - size
    right = max(line.inked[-1].right for line in lines) + size
    top, bottom = lines[0].baseline + 1.15 * size, lines[-1].baseline - 0.5 * size
    return image.crop((round(left * scale), round((page.height - top) * scale),
                       round(right * scale), round((page.height - bottom) * scale)))


def paragraph_figures(pdf: Path, lines: list[Line]) -> str:
    """Word space over the natural space of the paragraph's full lines: median and worst."""
    natural = measure_spacing(read_pages(pdf)).natural
    ratios = sorted(sum(word_gaps(line)) / len(word_gaps(line)) / natural for line in lines[:-1] if word_gaps(line))
    return f"{len(lines)} lines, word space median {ratios[len(ratios) // 2]:.2f}, worst {ratios[-1]:.2f}"


def before_and_after(composed: Path, index: int, out: Path, language: str) -> None:
    """The longest paragraph of a page, composed and as WeasyPrint breaks it alone (the composer
    off), cropped from both screen PDFs: the layout README's before/after."""
    paragraphs = paragraphs_on(read_pages(composed), index)
    chosen = max(paragraphs, key=len)
    key = "".join(chosen[0].text.split())[:30]
    os.environ["BOOKLET_COMPOSER"] = "off"
    try:
        (greedy,) = build(Project.at(ROOT, out=out), [language], profiles=["screen"])
    finally:
        del os.environ["BOOKLET_COMPOSER"]
    before = next(group for group in paragraphs_on(read_pages(greedy.path), index)
                  if "".join(group[0].text.split()).startswith(key))
    for name, pdf, lines in (("before", greedy.path, before), ("after", composed, chosen)):
        target = DOCS / f"composer-{name}-{language}.png"
        paragraph_crop(pdf, index, lines).quantize(64).save(target, optimize=True)
        print(f"wrote {target.relative_to(ROOT)} (p. {index + 1}: {paragraph_figures(pdf, lines)})")


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
                    # The colophon proper may stand on a page of its own (the page plan): both pages.
                    "colophon": (spread(built.path, chosen["colophon"], chosen["colophon"] + 1, DPI)
                                 if chosen["colophon"] + 1 < chosen["back-cover"]
                                 else render_page(built.path, chosen["colophon"], DPI)),
                }
                for name, image in images.items():
                    target = DOCS / f"{language}-{name}.png"
                    image.quantize(64).save(target, optimize=True)
                    print(f"wrote {target.relative_to(ROOT)}")
                if language == "ru":  # the edition the composer changes most
                    before_and_after(built.path, opening, Path(out) / "greedy", language)


if __name__ == "__main__":
    main()
