"""Visual regression: chosen pages of each edition against committed references (50 dpi PNGs).

After an intended change, refresh them with `python -m tests.refresh_references` (see README).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from booklet.build import Project, build
from tests.conftest import ROOT, BuiltPdf, add_fonts
from tests.pdfpages import Page, read_pages
from tests.visual import TOLERANCE, chosen_pages, difference, draw, reference_path

PAGES = ("cover", "title", "contents", "statement", "chronology", "colophon", "back-cover")


@pytest.mark.parametrize("language", ["en", "ru"])
@pytest.mark.parametrize("name", PAGES)
def test_page_matches_its_reference(built: dict[str, BuiltPdf], screen_pages: dict[str, list[Page]], language: str,
                                    name: str) -> None:
    pdf = built[language].path
    index = chosen_pages(screen_pages[language])[name]
    reference = reference_path(language, name)
    assert reference.is_file(), f"no reference {reference}: run python -m tests.refresh_references"
    from PIL import Image

    changed = difference(draw(pdf, index), Image.open(reference))
    assert changed <= TOLERANCE, (
        f"{language} {name} (p. {index + 1}): {changed:.2%} of pixels differ from {reference.name}; "
        "if the change is intended, run python -m tests.refresh_references")


def test_a_changed_design_fails_the_comparison(tmp_path: Path) -> None:
    """Two small design slips, a different accent and a shifted text block, are both caught."""
    from PIL import Image

    root = tmp_path / "variant"
    shutil.copytree(ROOT / "layouts", root / "layouts")
    add_fonts(root)
    with (root / "layouts" / "memorial" / "style.css").open("a", encoding="utf-8") as stylesheet:
        stylesheet.write("\n:root { --accent: #1e4f7b; }\n.statement header { margin-bottom: 10mm; }\n")
    (built_file,) = build(Project(root, ROOT / "corpus", root / "out"), ["en"], profiles=["screen"])
    chosen = chosen_pages(read_pages(built_file.path))
    for name in ("contents", "statement"):
        changed = difference(draw(built_file.path, chosen[name]), Image.open(reference_path("en", name)))
        assert changed > TOLERANCE, name
