"""The command line: progress and summary, `check`, and bad input that leaves out/ untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.build import Project
from booklet.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def cli_args(project: Project) -> list[str]:
    return ["--project", str(project.root), "--corpus", str(project.corpus)]


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """The small corpus built once per session: its folder and the PDFs it wrote."""
    from tests.conftest import ROOT, make_small_corpus, once_per_session

    def make(folder: Path) -> tuple[Path, dict[str, bytes]]:
        corpus = make_small_corpus(folder)
        code, out, err = run("build", "--project", str(ROOT), "--corpus", str(corpus),
                             "--out", str(folder / "out"))
        assert code == 0, err
        assert "booklet-en-print.pdf" in out and "pages" in out and "kB" in out
        assert "booklet-en.epub" in out and "documents" in out  # the summary lists the EPUBs
        return folder, {p.name: p.read_bytes() for p in (folder / "out").iterdir()}

    return once_per_session(tmp_path_factory, "first", make)


@pytest.fixture
def broken_project(first_build: tuple[Path, dict[str, bytes]], tmp_path: Path) -> Project:
    """A copy of the small corpus whose out/ holds the earlier, good PDFs."""
    from tests.conftest import ROOT

    folder, _ = first_build
    shutil.copytree(folder, tmp_path, dirs_exist_ok=True)
    return Project.at(ROOT, corpus=tmp_path / "corpus", out=tmp_path / "out")


def build_fails_and_keeps_out(project: Project, earlier: dict[str, bytes]) -> str:
    code, out, err = run("build", *cli_args(project), "--out", str(project.out))
    assert code == 1
    assert "Traceback" not in err + out
    assert {p.name: p.read_bytes() for p in project.out.iterdir()} == earlier, "out/ changed or has litter"
    return err


def test_build_writes_three_profiles_an_epub_and_a_web_page_of_both_editions(
        first_build: tuple[Path, dict[str, bytes]]) -> None:
    _, files = first_build
    pdfs = {f"booklet-{language}-{profile}.pdf"
            for language in ("en", "ru") for profile in ("print", "screen", "imposed")}
    assert set(files) == pdfs | {f"booklet-{language}.{kind}" for language in ("en", "ru") for kind in ("epub", "html")}
    assert all(files[name].startswith(b"%PDF-") for name in pdfs)
    assert files["booklet-en.epub"][30:58] == b"mimetypeapplication/epub+zip"


def test_yaml_error_fails_with_path_line_and_keeps_earlier_pdfs(
    broken_project: Project, first_build: tuple[Path, dict[str, bytes]]
) -> None:
    path = broken_project.corpus / "statements" / "first.yaml"
    path.write_text(path.read_text().replace("issuer: {en: A ministry", "issuer: {en: [A ministry"))
    err = build_fails_and_keeps_out(broken_project, first_build[1])
    assert "first.yaml:3: invalid YAML" in err


def test_unknown_key_fails_with_path_line_and_keeps_earlier_pdfs(
    broken_project: Project, first_build: tuple[Path, dict[str, bytes]]
) -> None:
    path = broken_project.corpus / "booklet.yaml"
    path.write_text(path.read_text().replace("subtitle:", "subtitel:"))
    err = build_fails_and_keeps_out(broken_project, first_build[1])
    assert "booklet.yaml:2: unknown key 'subtitel' — did you mean 'subtitle'?" in err


def test_missing_text_file_fails_with_path_line_and_keeps_earlier_pdfs(
    broken_project: Project, first_build: tuple[Path, dict[str, bytes]]
) -> None:
    (broken_project.corpus / "statements" / "first.en.md").unlink()
    err = build_fails_and_keeps_out(broken_project, first_build[1])
    assert "first.yaml:8: 'file': file 'first.en.md' not found" in err


def test_missing_glyph_names_character_file_and_font(
    broken_project: Project, first_build: tuple[Path, dict[str, bytes]]
) -> None:
    path = broken_project.corpus / "statements" / "first.en.md"
    path.write_text(path.read_text() + "\nA sign: \u0f00.\n")
    err = build_fails_and_keeps_out(broken_project, first_build[1])
    assert "first.en.md:5: missing glyph: '\u0f00' (U+0F00 TIBETAN SYLLABLE OM)" in err
    assert "NotoSerif-Regular.ttf" in err


def test_check_validates_without_writing(small_project: Project) -> None:
    code, out, _ = run("check", *cli_args(small_project))
    assert code == 0 and "valid" in out
    assert not small_project.out.exists()


def test_unknown_edition_is_a_user_error(small_project: Project) -> None:
    code, _, err = run("check", *cli_args(small_project), "--edition", "fr")
    assert code == 1 and "no edition 'fr'" in err and "choose from: en, ru" in err


def test_help_documents_every_option() -> None:
    code, out, _ = run("build", "--help")
    assert code == 0
    for option in ("--project", "--corpus", "--edition", "--out"):
        assert option in out
