"""The build cache: what a rebuild redoes after each kind of change, and that it changes no byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet import cache as cache_module
from booklet.build import BuiltFile, TypesetEdition, build
from booklet.cache import BuildCache
from booklet.cli import main
from booklet.project import Project
from booklet.typeset.pdf import LAYOUT_PASSES
from tests.conftest import ROOT, make_small_corpus


@pytest.fixture
def own_project(tmp_path: Path) -> Project:
    """A whole project (corpus, layouts, fonts) in tmp_path, so that a test may change any of it."""
    shutil.copytree(ROOT / "layouts", tmp_path / "layouts")
    shutil.copytree(ROOT / "fonts", tmp_path / "fonts")
    make_small_corpus(tmp_path)
    return Project.at(tmp_path)


def typeset_editions(project: Project, cache: BuildCache, languages: list[str] | None = None) -> list[str]:
    """Build the screen files; return the editions laid out anew (not taken from the cache)."""
    laid_out: list[str] = []

    def seen(edition: TypesetEdition) -> None:
        if not edition.from_cache:
            laid_out.append(edition.language)

    build(project, languages, profiles=["screen"], cache=cache, on_edition=seen)
    return sorted(laid_out)


def test_each_change_rebuilds_what_it_must_and_no_more(own_project: Project, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    cache = BuildCache(tmp_path / "cache")
    assert typeset_editions(own_project, cache) == ["en", "ru"]
    first = {p.name: p.read_bytes() for p in own_project.out.glob("*.pdf")}
    assert typeset_editions(own_project, cache) == [], "nothing changed: nothing laid out"
    assert {p.name: p.read_bytes() for p in own_project.out.glob("*.pdf")} == first

    russian = own_project.corpus / "statements" / "first.ru.md"
    russian.write_text(russian.read_text(encoding="utf-8").replace("Мы помним их.", "Мы помним их всех."),
                       encoding="utf-8")
    assert typeset_editions(own_project, cache) == ["ru"], "one edition's text: that edition only"
    assert (own_project.out / "booklet-en-screen.pdf").read_bytes() == first["booklet-en-screen.pdf"]
    assert (own_project.out / "booklet-ru-screen.pdf").read_bytes() != first["booklet-ru-screen.pdf"]

    style = own_project.layouts / "memorial" / "style.css"
    style.write_text(style.read_text(encoding="utf-8") + "\n/* a changed layout */\n", encoding="utf-8")
    assert typeset_editions(own_project, cache) == ["en", "ru"], "a layout change: every edition"

    font = own_project.fonts / "NotoSerif-Regular.ttf"
    font.write_bytes(font.read_bytes() + b"\0")
    assert typeset_editions(own_project, cache, ["en"]) == ["en"], "a changed font file"

    real_version = cache_module.metadata.version
    monkeypatch.setattr(cache_module.metadata, "version",
                        lambda name: "999" if name == "weasyprint" else real_version(name))
    cache_module.toolchain_digest.cache_clear()
    try:
        assert typeset_editions(own_project, cache, ["en"]) == ["en"], "another WeasyPrint version"
    finally:
        cache_module.toolchain_digest.cache_clear()


def test_parallel_and_cached_builds_equal_a_serial_uncached_build(
        shipped_build: list[BuiltFile], tmp_path: Path) -> None:
    """shipped_build is a parallel build without cache (every file: PDFs, EPUBs, web pages); build
    again serially, then from the cache. This is also the suite's test that a rebuild gives the same
    bytes, for every file."""
    parallel = {built.path.name: built.path.read_bytes() for built in shipped_build}
    cache = BuildCache(tmp_path / "cache")
    before = LAYOUT_PASSES.copy()
    serial = build(Project.at(ROOT, out=tmp_path / "serial"), jobs=1, cache=cache)
    assert LAYOUT_PASSES - before == {"en": 1, "ru": 1}, "the serial build lays out in this process"
    assert {f.path.name: f.path.read_bytes() for f in serial} == parallel
    cached = build(Project.at(ROOT, out=tmp_path / "cached"), jobs=2, cache=cache)
    assert LAYOUT_PASSES - before == {"en": 1, "ru": 1}, "nothing laid out again"
    assert {f.path.name: f.path.read_bytes() for f in cached} == parallel


def test_a_no_op_rebuild_from_the_command_line_reads_and_writes_nothing(tmp_path: Path) -> None:
    corpus = make_small_corpus(tmp_path)
    args = ["build", "--project", str(ROOT), "--corpus", str(corpus), "--out", str(tmp_path / "out"),
            "--profile", "screen"]
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    written = {p: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()}
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0 and "is up to date: 2 file(s)" in again.output, again.output
    assert {p: p.stat().st_mtime_ns for p in (tmp_path / "out").iterdir()} == written

    (tmp_path / "out" / "booklet-ru-screen.pdf").write_bytes(b"%PDF-1.7 edited by hand")
    restored = CliRunner().invoke(main, args)
    assert restored.exit_code == 0 and "ru edition unchanged" in restored.output, restored.output
    assert (tmp_path / "out" / "booklet-ru-screen.pdf").read_bytes().startswith(b"%PDF-1.7\n")
