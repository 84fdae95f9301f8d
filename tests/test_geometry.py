"""Layout geometry has one source, layout.yaml: the stylesheet, the PDFs and preflight follow it,
and booklet.yaml's `page_size` really changes the page (an A4 edition builds and preflights)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from booklet.build import Project, build, prepare
from booklet.problems import BookletError
from tests.conftest import ROOT, make_small_corpus
from tests.pdfpages import read_pages

MM = 72 / 25.4


def box_mm(box) -> tuple[float, float]:
    return round(float(box.width) / MM), round(float(box.height) / MM)


def test_the_stylesheet_writes_no_page_or_type_size_of_its_own() -> None:
    css = (ROOT / "layouts" / "memorial" / "style.css").read_text(encoding="utf-8")
    assert not re.findall(r"\d+(?:\.\d+)?pt", css), "type sizes belong in layout.yaml (type_pt)"
    page_rules = re.findall(r"@page\s*[^{]*\{[^@}]*", css)
    for rule in page_rules:
        assert not re.search(r"\b(size|bleed|margin)\s*:\s*(?!0;)[\dA]", rule), f"geometry written in the CSS: {rule}"


def test_an_a4_edition_builds_and_preflights(tmp_path: Path) -> None:
    corpus = make_small_corpus(tmp_path)
    booklet_yaml = corpus / "booklet.yaml"
    booklet_yaml.write_text(booklet_yaml.read_text(encoding="utf-8") + "page_size: A4\n", encoding="utf-8")
    files = {f.profile: f.path for f in build(Project.at(ROOT, corpus=corpus, out=tmp_path / "out"),
                                                  ["en"])}  # build() preflights every file
    screen, printed, imposed = (PdfReader(files[p]) for p in ("screen", "print", "imposed"))
    assert {box_mm(page.mediabox) for page in screen.pages} == {(210, 297)}
    assert {box_mm(page.trimbox) for page in printed.pages} == {(210, 297)}
    assert {box_mm(page.bleedbox) for page in printed.pages} == {(216, 303)}, "3 mm bleed each side"
    assert {box_mm(page.mediabox) for page in imposed.pages} == {(420, 297)}, "A4 pages two-up on A3"
    sizes = {round(glyph.size, 1) for page in read_pages(files["screen"]) for glyph in page.glyphs}
    assert {12.7, 10.6, 18.4, 34.0} <= sizes, "A4's type sizes, as layout.yaml gives them"
    assert not sizes & {9.0, 7.5, 13.0, 24.0}, "none of A5's"


def test_a_page_size_the_layout_lacks_is_refused_at_its_line(tmp_path: Path) -> None:
    corpus = make_small_corpus(tmp_path)
    booklet_yaml = corpus / "booklet.yaml"
    booklet_yaml.write_text(booklet_yaml.read_text(encoding="utf-8") + "page_size: Letter\n", encoding="utf-8")
    with pytest.raises(BookletError) as caught:
        prepare(Project.at(ROOT, corpus=corpus))
    (problem,) = caught.value.problems
    line = booklet_yaml.read_text(encoding="utf-8").splitlines().index("page_size: Letter") + 1
    assert (problem.path, problem.line) == (booklet_yaml, line)
    assert "no page size 'Letter'" in problem.message and "A5, A4" in problem.fix
