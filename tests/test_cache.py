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


def test_an_edit_that_moves_no_line_is_laid_out_once(own_project: Project, tmp_path: Path) -> None:
    """The page plan reads a layout to decide, then lays the edition out with its decisions; the
    cache keeps what it read (`geometries/`). After an edit that changes words but no paragraph's
    number of lines, the edition is laid out once, with the bytes of an uncached build; a file of
    the cache that cannot be read means laid out and read again."""
    cache = BuildCache(tmp_path / "cache")
    layouts: dict[str, int] = {}

    def typeset(edition: TypesetEdition) -> None:
        if edition.typesetting is not None:
            layouts[edition.language] = edition.typesetting.layouts

    def uncached() -> dict[str, bytes]:
        fresh = build(Project.at(own_project.root, own_project.corpus, tmp_path / "fresh"), ["ru"],
                      profiles=["screen"])
        return {file.path.name: file.path.read_bytes() for file in fresh}

    def cached() -> dict[str, bytes]:
        layouts.clear()
        built = build(own_project, ["ru"], profiles=["screen"], cache=cache, on_edition=typeset)
        return {file.path.name: file.path.read_bytes() for file in built}

    russian = own_project.corpus / "statements" / "first.ru.md"
    text = russian.read_text(encoding="utf-8")
    memory = "Память о них живёт в каждом доме. "
    russian.write_text(text.replace("Мы помним их.", "Мы помним их. " + memory * 12), encoding="utf-8")
    cached()
    assert layouts == {"ru": 2}, "the composed layout, and the one with the page plan's decisions"
    assert len(list((tmp_path / "cache" / "geometries").glob("*.json"))) == 2

    russian.write_text(text.replace("Мы помним их.", "Мы помним их. " + memory * 5
                                    + memory.replace("каждом", "любом") + memory * 6), encoding="utf-8")
    assert cached() == uncached()
    assert layouts == {"ru": 1}, "only the layout that is written"

    for kept in (tmp_path / "cache" / "geometries").glob("*.json"):
        kept.write_text('{"measured": {"pages": ', encoding="utf-8")
    for entries in ("editions", "builds"):  # the same text again, laid out again
        shutil.rmtree(tmp_path / "cache" / entries)
    assert cached() == uncached()
    assert layouts == {"ru": 2}, "an unreadable geometry is read from a layout again"



def test_a_kept_geometry_is_read_back_as_it_was_and_only_in_its_context(tmp_path: Path) -> None:
    """What the plan read comes back equal; under another context (toolchain, layout or font
    files: what the document's own text does not show) it is not found."""
    from booklet.typeset.plan import Measured, Section
    from booklet.typeset.setter import Geometry, GeometryStore

    measured = Measured(19, (1, 18), 0.0227, 17.28, (
        Section("47", "statement", (4, 5), 0.6599, True, False, ("55", "57"), "49", True),
        Section("142", "section", (14, 15), 0.9584, False, True, (), None, False)),
        ("150", "151"), {"49": 12.5}, {"55": 4, "57": 5})
    geometry = Geometry(measured, {"55": [9], "57": [3, 40]})
    store = GeometryStore(tmp_path, "toolchain, layout and fonts")
    store.remember("key", geometry)
    assert store.geometry("key") == geometry
    assert store.geometry("another key") is None
    assert GeometryStore(tmp_path, "a changed font file").geometry("key") is None

    kept = next(tmp_path.glob("*.json"))
    good = kept.read_text(encoding="utf-8")
    for damaged in ('"pages": 19', '"last_fill": 0.6599', '"alone": true', '"first_page": {"55": 4',
                    '"57": [3, 40]', '"space": null', '"fillers": ["150"'):
        assert damaged in good
        wrong = {'"pages": 19': '"pages": "19"', '"last_fill": 0.6599': '"last_fill": "full"',
                 '"alone": true': '"alone": 1', '"first_page": {"55": 4': '"first_page": {"55": 4.5',
                 '"57": [3, 40]': '"57": [3, null]', '"space": null': '"space": 7',
                 '"fillers": ["150"': '"fillers": [150'}[damaged]
        kept.write_text(good.replace(damaged, wrong, 1), encoding="utf-8")
        assert store.geometry("key") is None, f"{wrong} is not what the plan reads"
    kept.write_text(good.replace('"feet": {', '"extra": 1, "feet": {'), encoding="utf-8")
    assert store.geometry("key") is None
    kept.write_text(good, encoding="utf-8")
    assert store.geometry("key") == geometry


def test_pruning_keeps_the_newest_entries_geometries_and_the_objects_they_name(tmp_path: Path) -> None:
    import os

    from booklet.cache import CachedFile

    cache = BuildCache(tmp_path / "cache")
    for number in range(30):
        data = f"file {number}".encode()
        cache.store("editions", f"key{number:02}", [(CachedFile(f"f{number}.pdf", "screen", 1,
                                                                 cache_module.digest_bytes(data)), data)])
        os.utime(tmp_path / "cache" / "editions" / f"key{number:02}.json", ns=(number * 10**9, number * 10**9))
    geometries = tmp_path / "cache" / "geometries"
    geometries.mkdir()
    for number in range(70):
        (geometries / f"g{number:02}.json").write_text("{}", encoding="utf-8")
        os.utime(geometries / f"g{number:02}.json", ns=(number * 10**9, number * 10**9))
    cache.prune()
    assert sorted(path.stem for path in (tmp_path / "cache" / "editions").iterdir()) == \
        [f"key{number:02}" for number in range(6, 30)], "the 24 newest entries"
    assert sorted(path.stem for path in geometries.iterdir()) == [f"g{number:02}" for number in range(6, 70)], \
        "the 64 newest geometries"
    objects = sorted(path for path in (tmp_path / "cache" / "objects").rglob("*") if path.is_file())
    assert sorted(path.read_bytes() for path in objects) == sorted(f"file {n}".encode() for n in range(6, 30))
