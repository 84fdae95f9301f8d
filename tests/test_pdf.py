"""The renderer reads only project files, never the network or files elsewhere."""

from __future__ import annotations

import gc
import io
import re
import subprocess
import sys
import weakref
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont

from booklet.build import Project, prepare
from booklet.problems import BookletError
from booklet.typeset.pdf import _weasyprint, lay_out
from tests.conftest import ROOT, BuiltPdf

FONTS = ROOT / "fonts"


def html_with(resource: str) -> str:
    return f'<html><body><p>x</p><img src="{resource}"></body></html>'


@pytest.mark.parametrize("resource", ["http://example.com/a.png", "file:///etc/hostname"])
def test_fetching_outside_the_project_is_refused(tmp_path: Path, resource: str) -> None:
    with pytest.raises(BookletError, match="refused"):
        lay_out(html_with(resource), tmp_path, (tmp_path,), FONTS)


def test_dot_dot_out_of_the_project_is_refused(tmp_path: Path) -> None:
    """A URL that names a project folder, then climbs out of it: refused only if resolved first."""
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "secret.css").write_text("p { color: red }")
    url = f"file://{project}/../secret.css"
    html = f'<html><head><link rel="stylesheet" href="{url}"></head><body><p>x</p></body></html>'
    with pytest.raises(BookletError, match=r"refused to read .*secret\.css: outside the project"):
        lay_out(html, project, (project,), FONTS)


def test_a_symlink_inside_the_project_to_a_file_outside_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "secret.css").write_text("p { color: red }")
    (project / "style.css").symlink_to(tmp_path / "secret.css")
    html = '<html><head><link rel="stylesheet" href="style.css"></head><body><p>x</p></body></html>'
    with pytest.raises(BookletError, match=r"refused to read .*secret\.css: outside the project"):
        lay_out(html, project, (project,), FONTS)


def test_project_files_are_served(tmp_path: Path) -> None:
    (tmp_path / "style.css").write_text("p { color: red }")
    html = '<html><head><link rel="stylesheet" href="style.css"></head><body><p>x</p></body></html>'
    assert lay_out(html, tmp_path, (tmp_path,), FONTS).page_count == 1


def test_renderer_warnings_fail_the_build(tmp_path: Path) -> None:
    (tmp_path / "style.css").write_text("p { colour: red }")
    html = '<html><head><link rel="stylesheet" href="style.css"></head><body><p>x</p></body></html>'
    with pytest.raises(BookletError, match="renderer:"):
        lay_out(html, tmp_path, (tmp_path,), FONTS)


def test_system_fonts_are_invisible(tmp_path: Path) -> None:
    """fontconfig sees only fonts/: asking for a system font still gets a project font."""
    from pypdf import PdfReader

    from booklet.typeset.pdf import write_pdf

    html = '<html><body><p style="font-family: DejaVu Sans, sans-serif">Ə ə ğ ı İ ş</p></body></html>'
    target = tmp_path / "fonts.pdf"
    target.write_bytes(write_pdf(lay_out(html, tmp_path, (tmp_path,), FONTS)))
    fonts = {str(font.get_object()["/BaseFont"]).split("+")[-1]
             for page in PdfReader(target).pages for font in page["/Resources"]["/Font"].values()}
    assert fonts and all(name.startswith("Noto") for name in fonts), fonts


def test_only_the_pdf_module_imports_weasyprint() -> None:
    importers = [path.relative_to(ROOT).as_posix() for path in sorted((ROOT / "booklet").rglob("*.py"))
                 if re.search(r"^\s*(import|from) weasyprint", path.read_text(encoding="utf-8"), re.M)]
    assert importers == ["booklet/typeset/pdf.py"]


def test_fonts_are_subset_by_the_pinned_harfbuzz(built: dict[str, BuiltPdf]) -> None:
    """HarfBuzz keeps the font's own `head.modified`; fontTools (WeasyPrint's fallback) stamps the
    build's date: so each embedded subset must carry its source file's stamp, with fewer glyphs."""
    originals = {TTFont(path)["name"].getDebugName(6): TTFont(path) for path in FONTS.glob("*.ttf")}
    checked = 0
    for page in built["en"].reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            embedded = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
            original = originals[embedded["name"].getDebugName(6)]
            assert embedded["head"].modified == original["head"].modified
            assert embedded["maxp"].numGlyphs < original["maxp"].numGlyphs
            checked += 1
    assert checked >= 3


def test_no_fontconfig_folder_is_left_behind_even_after_a_kill(tmp_path: Path) -> None:
    """Each process's fontconfig folder goes when it ends; a killed one's goes at the next run."""
    import os
    import subprocess
    import sys

    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "TMPDIR": str(temporary)}
    start = f"from pathlib import Path; from booklet.typeset.pdf import _weasyprint; _weasyprint(Path({str(FONTS)!r}))"
    subprocess.run([sys.executable, "-c", start], cwd=ROOT, env=environment, check=True)
    assert list(temporary.iterdir()) == [], "removed when the process ends"
    killed = subprocess.run([sys.executable, "-c", start + "; import os, signal; os.kill(os.getpid(), signal.SIGKILL)"],
                            cwd=ROOT, env=environment)
    assert killed.returncode == -9 and len(list(temporary.iterdir())) == 1, "a kill leaves one"
    subprocess.run([sys.executable, "-c", start], cwd=ROOT, env=environment, check=True)
    assert list(temporary.iterdir()) == [], "the next run removes the orphan"


def test_a_kill_the_moment_the_fontconfig_folder_exists_still_removes_it(tmp_path: Path) -> None:
    """SIGTERM (as `booklet` handles it: exit 143) arriving right after the folder is made, before
    anything would remove it: it waits until the removal at exit is arranged (a `kill` in that gap
    once left a folder behind)."""
    import os
    import textwrap

    script = textwrap.dedent("""
        import os, signal, sys, tempfile
        from pathlib import Path
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
        make = tempfile.mkdtemp
        def mkdtemp(*args, **kwargs):
            folder = make(*args, **kwargs)
            os.kill(os.getpid(), signal.SIGTERM)
            return folder
        tempfile.mkdtemp = mkdtemp
        from booklet.typeset.pdf import _isolate_fontconfig
        _isolate_fontconfig(Path(sys.argv[1]))
        print("not reached")
    """)
    killed = subprocess.run([sys.executable, "-c", script, str(FONTS)], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "TMPDIR": str(tmp_path)})
    assert killed.returncode == 143 and "not reached" not in killed.stdout, killed.stderr
    assert list(tmp_path.iterdir()) == []


def test_each_layout_is_freed_before_the_next_is_made(small_project: Project, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page plan lays an edition out more than once; the boxes of one layout (about 1 MB a
    page) must be gone before the next is made, or memory grows with every layout."""
    weasyprint = _weasyprint(FONTS)  # imported as the build imports it (fontconfig, warnings)
    preparation = prepare(small_project, ["en"])
    layouts: list[weakref.ref[object]] = []
    alive_at_each_layout: list[int] = []
    render = weasyprint.HTML.render

    def observed(html: object, *args: object, **kwargs: object) -> object:
        alive_at_each_layout.append(sum(layout() is not None for layout in layouts))
        document = render(html, *args, **kwargs)
        layouts.append(weakref.ref(document))
        return document

    monkeypatch.setattr(weasyprint.HTML, "render", observed)
    gc.disable()  # freed as soon as the build lets go, not whenever the collector happens to run
    try:
        laid_out = lay_out(preparation.editions[0].html, preparation.layout.dir,
                           (small_project.layouts, small_project.fonts), small_project.fonts,
                           faces=preparation.layout.fonts)
    finally:
        gc.enable()
    assert laid_out.typesetting.layouts >= 2  # the skeleton, the composed layout and the plan's
    assert alive_at_each_layout == [0] * len(alive_at_each_layout)
    assert len(alive_at_each_layout) == laid_out.typesetting.layouts + 1


def test_a_layout_first_collects_the_cycles_left_before_it_then_walks_its_own_objects_rarely(
        tmp_path: Path) -> None:
    """A freed layout is cycles (styles, boxes, fonts): collected when the next layout starts. While
    a layout grows, full collections, which walk all of it, come after 100 middle-generation ones,
    not 10; the caller's thresholds are back afterwards."""
    class Cycle:
        me: object

    left = Cycle()
    left.me = left
    collected = weakref.finalize(left, lambda: None)
    del left
    html = "<html><body><p>x</p></body></html>"
    before = gc.get_threshold()
    gc.disable()  # only the layout's own collection may find the cycle
    try:
        lay_out(html, tmp_path, (tmp_path,), FONTS)
    finally:
        gc.enable()
    assert not collected.alive
    assert gc.get_threshold() == before

    thresholds_seen: list[tuple[int, int, int]] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 0:  # the collector's own, not an explicit one
            thresholds_seen.append(gc.get_threshold())

    gc.callbacks.append(seen)
    try:
        lay_out(html, tmp_path, (tmp_path,), FONTS)
    finally:
        gc.callbacks.remove(seen)
    assert thresholds_seen and set(thresholds_seen) == {(before[0], before[1], 100)}
    assert gc.get_threshold() == before


def test_each_file_s_objects_and_the_layout_go_as_soon_as_they_are_used(
        small_project: Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A written PDF's objects (≈ 0.25 MB a page) are gone, preflighted, before the next file is
    written, and the edition's boxes (≈ 1 MB a page) before the EPUB is packed."""
    import booklet.build
    import booklet.press.profiles

    weasyprint = _weasyprint(FONTS)
    layouts: list[weakref.ref[object]] = []
    written: list[weakref.ref[object]] = []
    alive_at: list[tuple[str, int, int]] = []
    render, write, package_epub = (weasyprint.HTML.render, booklet.press.profiles.write_pdf_objects,
                                   booklet.build.package_epub)

    def alive(stage: str) -> None:
        alive_at.append((stage, sum(ref() is not None for ref in layouts), sum(ref() is not None for ref in written)))

    def observed_render(html: object, *args: object, **kwargs: object) -> object:
        document = render(html, *args, **kwargs)
        layouts.append(weakref.ref(document))
        return document

    def observed_write(*args: Any, **kwargs: Any) -> Any:
        alive("write")
        pdf = write(*args, **kwargs)
        written.append(weakref.ref(pdf.objects))
        return pdf

    def observed_package_epub(*args: Any, **kwargs: Any) -> Any:
        alive("epub")
        return package_epub(*args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "render", observed_render)
    monkeypatch.setattr(booklet.press.profiles, "write_pdf_objects", observed_write)
    monkeypatch.setattr(booklet.build, "package_epub", observed_package_epub)
    gc.disable()  # freed as soon as the build lets go, not whenever the collector happens to run
    try:
        files = booklet.build.build(Project.at(small_project.root, small_project.corpus, tmp_path / "out"), ["en"],
                                    profiles=["print", "screen", "imposed", "epub"], jobs=1)
    finally:
        gc.enable()
    assert [file.profile for file in files] == ["print", "screen", "imposed", "epub"]
    assert alive_at == [("write", 1, 0), ("write", 1, 0), ("epub", 0, 0)]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the lookup is skipped on Linux only")
def test_loading_weasyprint_runs_no_program() -> None:
    """WeasyPrint's C libraries are loaded by their sonames: no ldconfig or gcc per library name
    (≈ 0.45 s of every layout process's start), and WeasyPrint works."""
    probe = f"""
import subprocess, sys
from pathlib import Path
sys.path.insert(0, {str(ROOT)!r})
started = []
original = subprocess.Popen.__init__
def record(self, args, *rest, **options):
    started.append(args)
    original(self, args, *rest, **options)
subprocess.Popen.__init__ = record
from booklet.typeset.pdf import _weasyprint
weasyprint = _weasyprint(Path({str(ROOT / "fonts")!r}))
assert weasyprint.HTML(string="<p>x</p>").render().pages
print(started)
"""
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
