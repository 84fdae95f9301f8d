"""Print colour: the print file sets the palette's CMYK values (a rich black cover of stated total
ink, black-only text), the screen file stays sRGB, and preflight refuses a colour above the output
condition's total area coverage (FOGRA39: 300 %)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from booklet.build import Project, build
from booklet.problems import BookletError
from tests.conftest import ROOT, BuiltPdf, add_fonts

FOUR = rb"(?<![\w.])([\d.]+) ([\d.]+) ([\d.]+) ([\d.]+) (?:k|K|sc|SC|scn|SCN)\b"
RGB = rb"(?<![\w.])[\d.]+ [\d.]+ [\d.]+ (?:rg|RG)\b"


def colours(reader: PdfReader, pattern: bytes) -> list[tuple[str, ...]]:
    streams = [page.get_contents() for page in reader.pages]
    return [tuple(m.decode() for m in match) if isinstance(match, tuple) else (match.decode(),)
            for stream in streams if stream is not None
            for match in re.findall(pattern, stream.get_data())]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_print_file_is_cmyk_and_the_screen_file_srgb(built_profiles: dict[str, dict[str, BuiltPdf]],
                                                         language: str) -> None:
    printed, screen = built_profiles["print"][language].reader, built_profiles["screen"][language].reader
    assert colours(printed, RGB) == []
    assert colours(screen, FOUR) == []
    assert colours(screen, RGB)
    tints = {tuple(float(v) for v in colour) for colour in colours(printed, FOUR)}
    assert (0.6, 0.4, 0.4, 1.0) in tints, "the cover's rich black 60/40/40/100 (240 %)"
    assert (0.0, 0.0, 0.0, 0.9) in tints, "text in black ink only"
    assert max(sum(colour) for colour in tints) * 100 <= 300


def test_the_cover_is_the_rich_black(built_profiles: dict[str, dict[str, BuiltPdf]]) -> None:
    cover = built_profiles["print"]["en"].reader.pages[0].get_contents().get_data()
    fills = re.findall(rb"([\d.]+ [\d.]+ [\d.]+ [\d.]+) scn", cover)
    assert fills[0] == b"0.6 0.4 0.4 1", fills[:3]


def variant_layout(tmp_path: Path, old: str, new: str) -> Path:
    root = tmp_path / "variant"
    shutil.copytree(ROOT / "layouts", root / "layouts")
    add_fonts(root)
    manifest = root / "layouts" / "memorial" / "layout.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert old in text
    manifest.write_text(text.replace(old, new), encoding="utf-8")
    return root


def test_preflight_refuses_a_colour_above_the_total_ink_limit(tmp_path: Path, small_project: Project) -> None:
    root = variant_layout(tmp_path, "cmyk: [60, 40, 40, 100]", "cmyk: [90, 80, 80, 100]")
    with pytest.raises(BookletError) as error:
        build(Project(root, small_project.corpus, tmp_path / "out"), ["en"], profiles=["print"])
    messages = [problem.message for problem in error.value.problems]
    # the front and the back cover (the last of the 8 pages) are the two pages on the cover black
    assert messages == [f"page {n}: [total-ink] a colour of 350 % total ink, above the 300 % of FOGRA39"
                        for n in (1, 8)]


def test_a_palette_colour_is_validated(tmp_path: Path, small_project: Project) -> None:
    root = variant_layout(tmp_path, 'rgb: "#1d1b1a", cmyk: [60, 40, 40, 100]', 'rgb: "#1d1b1", cmyk: [60, 40, 140]')
    with pytest.raises(BookletError) as error:
        build(Project(root, small_project.corpus, tmp_path / "out"), ["en"], profiles=["screen"])
    found = [f"{p.path.name}:{p.line}: {p.message}" for p in error.value.problems]
    assert any(re.match(r"layout.yaml:\d+: 'rgb': '#1d1b1' is not an sRGB colour", m) for m in found), found
    assert any(re.match(r"layout.yaml:\d+: 'cmyk': expected four tints", m) for m in found), found
