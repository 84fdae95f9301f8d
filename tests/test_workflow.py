"""The editor's workflow around `booklet import`: from a raw file to a statement the booklet prints.

Each step an editor takes is tried through the command line, as corpus/README.md describes it:
placeholders fail `check` and `build`, a statement file not yet listed is checked and warned
about, a missing translation is an error unless declared `none`, one run reports every problem,
ids are validated, `--refresh` rewrites the text from source + edits, encodings are declared.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from click.testing import CliRunner

from booklet.build import Project
from booklet.cli import main
from booklet.corpus.importer import propose
from booklet.corpus.model import PartialDate
from tests.conftest import ROOT

CASES = ROOT / "tests" / "import_cases"


def run(project: Project, command: str, *args: str):
    result = CliRunner().invoke(main, [command, *args, "--project", str(ROOT), "--corpus", str(project.corpus)])
    assert "Traceback" not in result.output
    return result


def fill_placeholders(yaml_path: Path, language: str = "ru") -> None:
    """What the editor does by hand: every CONFIRM replaced by a real value."""
    text = yaml_path.read_text(encoding="utf-8")
    text = re.sub(r'"CONFIRM: ([^"]*)"', lambda m: '"' + m[1].capitalize() + '"', text)
    yaml_path.write_text(text, encoding="utf-8")


def list_statement(corpus: Path, statement_id: str) -> None:
    path = corpus / "booklet.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("statements: [first]",
                                                             f"statements: [first, {statement_id}]"))


def test_an_editor_adds_next_years_statement_start_to_finish(small_project: Project, tmp_path: Path) -> None:
    corpus = small_project.corpus
    raw = tmp_path / "embassy-2027.txt"
    shutil.copy(CASES / "05-en-single-newline-iso.txt", raw)

    imported = run(small_project, "import", str(raw))
    assert imported.exit_code == 0, imported.output
    assert "imported" in imported.output and "made each line a paragraph" in imported.output
    assert "date: 2026-01-16 — printed in the source" in imported.output
    yaml_path = corpus / "statements" / "embassy-2027.yaml"
    assert (corpus / "sources" / "embassy-2027.txt").read_bytes() == raw.read_bytes()

    # Not yet listed: checked, every problem a warning naming it (the listed booklet still builds).
    draft = run(small_project, "check")
    assert draft.exit_code == 0, draft.output
    assert re.search(r"warning: .*embassy-2027\.yaml: statement 'embassy-2027' is not listed", draft.output)
    placeholder = r"warning: .*embassy-2027\.yaml:\d+: 'issuer': .*still a placeholder.*\(statement not listed yet\)"
    assert re.search(placeholder, draft.output)
    assert "corpus is valid; editions checked: en, ru; not listed, not printed: embassy-2027" in draft.output

    # Listed, still holding placeholders and no translation: check names every one, as errors.
    list_statement(corpus, "embassy-2027")
    checked = run(small_project, "check")
    assert checked.exit_code == 1
    placeholders = [line for line in checked.output.splitlines() if "still a placeholder" in line]
    assert len(placeholders) >= 4 and all("error:" in line and "embassy-2027.yaml:" in line for line in placeholders)
    assert "file 'embassy-2027.ru.md' not found" in checked.output

    fill_placeholders(yaml_path)
    shutil.copy(ROOT / "corpus" / "statements" / "embassy-tm-2026.ru.md", corpus / "statements" / "embassy-2027.ru.md")
    listed = run(small_project, "check")
    assert listed.exit_code == 0, listed.output
    assert "not listed" not in listed.output and "corpus is valid" in listed.output


def test_a_placeholder_fails_check_and_build_and_writes_nothing(small_project: Project) -> None:
    path = small_project.corpus / "statements" / "first.yaml"
    path.write_text(path.read_text().replace("issuer: {en: A ministry,", 'issuer: {en: "CONFIRM: issuer",'))
    for command in ("check", "build"):
        result = run(small_project, command)
        assert result.exit_code == 1
        assert "first.yaml:3: 'issuer': en: still a placeholder ('CONFIRM: issuer')" in result.output
    assert not small_project.out.exists()


def test_a_missing_translation_is_an_error_unless_declared_none(small_project: Project) -> None:
    path = small_project.corpus / "statements" / "first.yaml"
    original = path.read_text()
    path.write_text(original.replace("  ru: {file: first.ru.md, translated_from: en, translator: the editors}\n", ""))
    missing = run(small_project, "check")
    assert missing.exit_code == 1
    assert "first.yaml:8: no ru text — add `ru: {file: first.ru.md" in missing.output
    assert "or write `ru: none`" in missing.output

    path.write_text(original.replace("ru: {file: first.ru.md, translated_from: en, translator: the editors}",
                                     "ru: none"))
    declared = run(small_project, "check")
    assert declared.exit_code == 0, declared.output


def test_one_run_reports_schema_provenance_and_parity_problems_together(corpus_copy: Project) -> None:
    statements = corpus_copy.corpus / "statements"
    schema = statements / "mfa-2021.yaml"
    schema.write_text(schema.read_text().replace("date: 2021\n", "date: 2021-13\n"))
    words = statements / "mfa-2024.ru.md"
    words.write_text(words.read_text().replace("Сегодня", "Ныне", 1))
    figures = statements / "mfa-2026.ru.md"
    figures.write_text(figures.read_text().replace("150", "151", 1))
    result = run(corpus_copy, "check")
    assert result.exit_code == 1
    assert "mfa-2021.yaml:12: 'date'" in result.output
    assert "mfa-2024.ru.md:1: the text is not its source with the declared edits applied" in result.output
    assert "mfa-2026.ru.md" in result.output and "151" in result.output


def test_a_bad_id_is_refused_and_nothing_is_written(small_project: Project, tmp_path: Path) -> None:
    raw = tmp_path / "statement.txt"
    raw.write_text("We remember the victims of 20 January 1990.\n")
    result = run(small_project, "import", str(raw), "--id", "Bad ID!")
    assert result.exit_code == 1
    assert "'Bad ID!' is not a valid id — use lower-case letters, digits and hyphens" in result.output
    assert not (small_project.corpus / "sources").exists()
    assert sorted(p.name for p in (small_project.corpus / "statements").iterdir()) == [
        "first.en.md", "first.ru.md", "first.yaml"]


def test_an_empty_file_is_refused(small_project: Project, tmp_path: Path) -> None:
    for content in (b"", b" \n\n\t\n"):
        raw = tmp_path / "empty.txt"
        raw.write_bytes(content)
        result = run(small_project, "import", str(raw))
        assert result.exit_code == 1 and "the file is empty; nothing was imported" in result.output
        assert not (small_project.corpus / "sources").exists()


def test_refresh_rewrites_the_text_from_source_and_edits(small_project: Project, tmp_path: Path) -> None:
    raw = tmp_path / "one-line.txt"
    shutil.copy(CASES / "08-ru-one-line.txt", raw)
    assert run(small_project, "import", str(raw)).exit_code == 0
    statements = small_project.corpus / "statements"
    text = statements / "one-line.ru.md"
    assert text.read_text().count("\n\n") == 0  # one paragraph, flagged for the editor

    # The editor splits the paragraph with declared edits, and refreshes: no hand edit of the text.
    yaml_path = statements / "one-line.yaml"
    yaml_path.write_text(yaml_path.read_text().replace(
        "  - normalise: layout\n",
        '  - split: "Азербайджанской Республики. 36"\n  - split: "суверенитету. Однако"\n  - normalise: layout\n'))
    refreshed = run(small_project, "import", "--refresh", "one-line")
    assert refreshed.exit_code == 0 and "rewrote" in refreshed.output
    paragraphs = text.read_text().split("\n\n")
    assert len(paragraphs) == 3 and paragraphs[1].startswith("36 лет назад")
    assert run(small_project, "import", "--refresh", "one-line").output.startswith("unchanged:")

    yaml_path.write_text(yaml_path.read_text().replace('split: "суверенитету. Однако"', 'split: "нет такого"'))
    broken = run(small_project, "import", "--refresh", "one-line")
    assert broken.exit_code == 1 and "one-line.yaml:" in broken.output and "edit " in broken.output
    assert len(text.read_text().split("\n\n")) == 3  # the text is not touched when an edit fails


def test_a_legacy_encoding_is_detected_kept_and_declared(small_project: Project, tmp_path: Path) -> None:
    raw = tmp_path / "cp1251.txt"
    shutil.copy(CASES / "06-ru-cp1251-single-newline.txt", raw)
    result = run(small_project, "import", str(raw))
    assert result.exit_code == 0, result.output
    assert "decoded the source bytes as cp1251" in result.output
    assert (small_project.corpus / "sources" / "cp1251.txt").read_bytes() == raw.read_bytes()
    yaml_path = small_project.corpus / "statements" / "cp1251.yaml"
    assert "edits:\n  - decode: cp1251\n" in yaml_path.read_text()
    fill_placeholders(yaml_path)
    shutil.copy(ROOT / "corpus" / "statements" / "mfa-2024.en.md", small_project.corpus / "statements" / "cp1251.en.md")
    list_statement(small_project.corpus, "cp1251")
    assert run(small_project, "check").exit_code == 0

    # Without the declared decoding, check says what the bytes are not, and how to declare them.
    yaml_path.write_text(yaml_path.read_text().replace("  - decode: cp1251\n", ""))
    undeclared = run(small_project, "check")
    assert undeclared.exit_code == 1
    assert "cp1251.txt: source is not UTF-8 text" in undeclared.output
    assert "`- decode: windows-1251`" in undeclared.output


def test_a_large_text_is_imported_in_linear_passes() -> None:
    """Several megabytes of text import (the old per-paragraph slicing was quadratic: 10 MB took
    30 s). No timing here: a quadratic importer would make this test run for minutes."""
    paragraphs = [p for path in sorted((ROOT / "corpus" / "statements").glob("*.md"))
                  for p in path.read_text(encoding="utf-8").split("\n\n") if not p.startswith(":::")]
    body = [f"{paragraphs[i % len(paragraphs)].strip()} Paragraph {i}." for i in range(7000)]
    raw = "Politics 23:49 19.01.2024\n\n" + "\n\n".join(body) + "\n\nShare | Print\n\nAPA\n"
    assert len(raw) > 3_000_000
    proposal = propose(raw, "large", PartialDate(1990, 1, 20))
    assert proposal.markdown == "\n\n".join(body) + "\n"
    assert str(proposal.date) == "2024-01-19"
