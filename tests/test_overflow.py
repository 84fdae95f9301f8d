"""Text never runs off the page: a word longer than the line is broken, and preflight refuses any
glyph beyond the trim (the rule itself is broken on purpose in test_preflight)."""

from __future__ import annotations

from pathlib import Path

from booklet.build import Project, build
from tests.conftest import ROOT, make_small_corpus
from tests.pdfpages import read_pages


def test_a_500_letter_word_is_broken_not_cut_off(tmp_path: Path) -> None:
    corpus = make_small_corpus(tmp_path)
    for language in ("en", "ru"):
        text = corpus / "statements" / f"first.{language}.md"
        text.write_text(text.read_text(encoding="utf-8") + "\n" + "x" * 500 + " end.\n", encoding="utf-8")
    (screen,) = build(Project.at(ROOT, corpus=corpus, out=tmp_path / "out"), ["en"], profiles=["screen"])
    pages = read_pages(screen.path)
    glyphs = [(page, glyph) for page in pages for glyph in page.glyphs if glyph.char == "x"]
    glyphs = [(page, glyph) for page, glyph in glyphs if sum(g.char == "x" for g in page.glyphs) > 10]
    assert len(glyphs) == 500, "every letter printed (the colophon's 'Text' aside)"
    outside = [glyph for page, glyph in glyphs
               if glyph.left < page.trim[0] or glyph.right > page.trim[2]
               or glyph.bottom < page.trim[1] or glyph.top > page.trim[3]]
    assert outside == []
    assert len({round(glyph.bottom) for _page, glyph in glyphs}) >= 6, "set over several lines"
