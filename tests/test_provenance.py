"""Declared edits: source + edits == corpus text, and every way an edit can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from booklet.build import Project
from booklet.cli import main
from booklet.corpus.loader import load_corpus
from booklet.corpus.model import Edit
from booklet.corpus.provenance import (
    EditError,
    apply_edit,
    declared_edits,
    normalise_layout,
    normalise_line_endings,
    provenance_problems,
    reflow,
)
from booklet.problems import BookletError, Problem
from tests.conftest import ROOT


def check(project: Project) -> tuple[int, str]:
    result = CliRunner().invoke(
        main, ["check", "--project", str(ROOT), "--corpus", str(project.corpus)]
    )
    return result.exit_code, result.output


def test_every_shipped_text_is_its_source_with_its_declared_edits() -> None:
    booklet = load_corpus(ROOT / "corpus")
    assert all(s.source and s.edits for s in booklet.statements)
    assert provenance_problems(booklet) == []


def test_an_undeclared_word_change_fails_and_shows_the_diff(corpus_copy: Project) -> None:
    text = corpus_copy.corpus / "statements" / "mfa-2026.en.md"
    text.write_text(text.read_text().replace("ruthless aggression", "brutal aggression"))
    code, output = check(corpus_copy)
    assert code == 1
    assert "mfa-2026.en.md:3: the text is not its source with the declared edits applied" in output
    assert "-36 years ago, as a result of the ruthless aggression" in output
    assert "+36 years ago, as a result of the brutal aggression" in output


def test_a_text_that_differs_only_in_its_line_ends_is_told_so_at_the_line(corpus_copy: Project) -> None:
    """A carriage return in the source (a lone CR, old Mac line end) where the text has a line feed:
    the lines read the same, the strings do not. It was an internal error (StopIteration)."""
    statements = corpus_copy.corpus / "statements"
    source, text = corpus_copy.corpus / "sources" / "mfa-2026.txt", statements / "mfa-2026.en.md"
    words = "36 years ago, as a result"
    source.write_text(source.read_text(encoding="utf-8").replace(words, words + "\r", 1), encoding="utf-8", newline="")
    text.write_text(text.read_text(encoding="utf-8").replace(words, words + "\n", 1), encoding="utf-8")
    code, output = check(corpus_copy)
    assert code == 1, output
    assert ("mfa-2026.en.md:3: the text differs from its source with the declared edits (mfa-2026.yaml) only in "
            "its line ends") in output
    assert "declare `- normalise: line-endings` under `edits:`" in output
    assert "internal error" not in output and "Traceback" not in output


def test_the_unchanged_copy_passes(corpus_copy: Project) -> None:
    code, output = check(corpus_copy)
    assert code == 0 and "corpus is valid" in output


def test_an_edit_whose_text_is_not_in_the_source_is_an_error_at_its_line(
    corpus_copy: Project,
) -> None:
    path = corpus_copy.corpus / "statements" / "mfa-2021.yaml"
    lines = path.read_text().split("\n")
    line = next(i for i, text in enumerate(lines, 1) if text.startswith('  - remove: "News.Az"'))
    path.write_text(path.read_text().replace('remove: "News.Az"', 'remove: "News.az"'))
    problems = provenance_problems(load_corpus(corpus_copy.corpus))
    assert [(p.path, p.line) for p in problems] == [(path, line)]
    assert "edit 4 (remove): the text is not found in the source" in problems[0].message


def test_a_removal_without_a_reason_or_with_two_kinds_is_a_schema_error(
    corpus_copy: Project,
) -> None:
    path = corpus_copy.corpus / "statements" / "mfa-2021.yaml"
    text = path.read_text().replace("    reason: web-noise\n", "", 1)
    path.write_text(text.replace("  - normalise: layout", "  - normalise: layout\n    join: x"))
    with pytest.raises(BookletError) as caught:
        load_corpus(corpus_copy.corpus)
    messages = [str(p) for p in caught.value.problems]
    assert any("a `remove` edit must say why" in m for m in messages)
    assert any("an edit needs exactly one of" in m for m in messages)


def edits_from(text: str) -> tuple[Edit, ...]:
    problems: list[Problem] = []
    edits = declared_edits(Path("x.yaml"), problems)(yaml.compose(text))
    assert problems == []
    return edits


def test_unknown_reason_suggests_the_near_miss() -> None:
    problems: list[Problem] = []
    declared_edits(Path("x.yaml"), problems)(yaml.compose("- remove: a\n  reason: web-nose\n"))
    assert "did you mean 'web-noise'?" in str(problems[0])


def test_remove_needs_one_place_or_an_anchor() -> None:
    text = '"Quoted," she said. "Again."'
    with pytest.raises(EditError, match="occurs 4 times"):
        apply_edit(text, Edit("remove", '"', 1, reason="outlet-quote-marks"))
    (inside,) = edits_from("- remove: '\"'\n  in: 'said. \"'\n  reason: outlet-quote-marks\n")
    assert apply_edit(text, inside) == '"Quoted," she said. Again."'
    first = Edit("remove", '"', 1, reason="outlet-quote-marks", at="start")
    last = Edit("remove", '"', 1, reason="outlet-quote-marks", at="end")
    assert (
        apply_edit(apply_edit("\n\n" + text + "\n", first), last)
        == '\n\nQuoted," she said. "Again.\n'
    )
    with pytest.raises(EditError, match="not at the start"):
        apply_edit("x" + text, first)


def test_join_keeps_a_hyphen_and_otherwise_puts_one_space() -> None:
    text = "национально-\n\nосвободительного движения, was adopted,\n\nand declared."
    joined = apply_edit(text, Edit("join", "национально-\n\nосвободительного", 1))
    assert joined.startswith("национально-освободительного движения")
    assert apply_edit(joined, Edit("join", "adopted,\n\nand", 1)).endswith(
        "was adopted, and declared."
    )
    with pytest.raises(EditError, match="exactly one paragraph or line break"):
        apply_edit(text, Edit("join", "движения, was", 1))


def test_outlet_note_fences_a_whole_paragraph_only() -> None:
    text = "Statement words.\n\nAzernews reports that it was said.\n\nMore words."
    fenced = apply_edit(text, Edit("outlet-note", "Azernews reports", 1))
    assert fenced == (
        "Statement words.\n\n::: outlet-note\nAzernews reports that it was said.\n:::"
        "\n\nMore words."
    )
    with pytest.raises(EditError, match="must begin a paragraph"):
        apply_edit(text, Edit("outlet-note", "reports that", 1))


def test_normalisations_touch_white_space_only() -> None:
    assert normalise_line_endings("\ufeffa\r\nb\rc") == "a\nb\nc"
    assert (
        reflow("one\ntwo-\nthree\n\n::: outlet-note\nx\ny\n:::")
        == "one two-three\n\n::: outlet-note\nx y\n:::"
    )
    assert normalise_layout("\n\n  a  \n\n\n\nb\t") == "a\n\nb\n"


@pytest.mark.parametrize(("source", "reflowed"), [
    ("one\n  two", "one two"),  # a line's indent is layout
    ("one two- \n  three", "one two-three"),  # after a hyphen too, with spaces around the break
    ("BOX\nOFFICE", "BOX OFFICE"), ("non-\nXenophobic", "non-Xenophobic"), ("one\nXenon", "one Xenon"),
    ("  one\ntwo", "  one two"),  # only the joins change: the paragraph's own indent stays
    ("one\u00a0\ntwo", "one\u00a0 two"), ("two-\n\u00a0three", "two-\u00a0three"),  # a no-break space is text
    ("one\n\u00a0two", "one \u00a0two"),
    ("::: outlet-note  \nx\ny\n:::", "::: outlet-note  \nx y\n:::"),  # a note's fence, spaces after it
])
def test_reflow_joins_lines_and_strips_only_spaces_and_tabs_at_the_joins(source: str, reflowed: str) -> None:
    assert reflow(source) == reflowed


def test_split_starts_a_paragraph_at_its_one_line_break_or_sentence_end() -> None:
    text = "The regions.\nAzerbaijan was free. We remember.\n"
    assert apply_edit(text, Edit("split", "regions.\nAzerbaijan", 1)).startswith("The regions.\n\nAzerbaijan")
    assert apply_edit(text, Edit("split", "free. We", 1)).endswith("was free.\n\nWe remember.\n")
    with pytest.raises(EditError, match=r"exactly one line break or one sentence end in its text \(found 0\)"):
        apply_edit(text, Edit("split", "was free", 1))
    with pytest.raises(EditError, match=r"\(found 2\)"):
        apply_edit("One. Two. Three.", Edit("split", "One. Two. Three", 1))
    with pytest.raises(EditError, match="inside one paragraph"):
        apply_edit("One.\n\nTwo.", Edit("split", "One.\n\nTwo", 1))


def test_dehyphenate_makes_a_word_broken_at_a_line_end_whole() -> None:
    assert apply_edit("the move-\nment was", Edit("dehyphenate", "move-\nment", 1)) == "the movement was"
    # across a page break whose footer an earlier edit removed
    assert apply_edit("the move-\n\n\n\nment", Edit("dehyphenate", "move-\n\n\n\nment", 1)) == "the movement"
    with pytest.raises(EditError, match="`word-`, a line break"):
        apply_edit("a well-known fact", Edit("dehyphenate", "well-known", 1))


def test_unquote_removes_an_enclosing_pair_of_quote_marks_only() -> None:
    text = "Intro.\n\n“First words,\n\nlast words.” \n"
    unquoted = apply_edit(text, Edit("unquote", "“First", 1, to="words.”"))
    assert unquoted == "Intro.\n\nFirst words,\n\nlast words. \n"
    assert apply_edit("«Слово»", Edit("unquote", "«Слово", 1, to="Слово»")) == "Слово"
    with pytest.raises(EditError, match="its pair"):
        apply_edit(text, Edit("unquote", "“First", 1, to="words.»"))
    with pytest.raises(EditError, match="must begin a paragraph"):
        apply_edit("He said “so” and left.", Edit("unquote", "“so", 1, to="so”"))
    with pytest.raises(EditError, match="must end a paragraph"):
        apply_edit("“so” he said.", Edit("unquote", "“so", 1, to="so”"))
    (edit,) = edits_from('- unquote: "“First"\n  to: "words.”"\n')
    assert edit.to == "words.”"
    problems: list[Problem] = []
    declared_edits(Path("s.yaml"), problems)(yaml.compose('- unquote: "“First"\n'))
    assert any("needs `to:`" in p.message for p in problems)


def test_decode_names_a_known_encoding_and_comes_first() -> None:
    (edit,) = edits_from("- decode: Windows-1251\n")
    assert edit.text == "cp1251"
    problems: list[Problem] = []
    declared_edits(Path("s.yaml"), problems)(yaml.compose("- decode: klingon-8\n"))
    assert any("unknown encoding 'klingon-8'" in p.message for p in problems)
    with pytest.raises(EditError, match="must be the first edit"):
        apply_edit("text", Edit("decode", "cp1251", 1))


def test_line_breaks_make_each_line_a_paragraph_and_join_takes_a_line_break() -> None:
    normalise = Edit("normalise", "line-breaks", 1)
    assert apply_edit("One.\nTwo.\n\nThree.\n", normalise) == "One.\n\nTwo.\n\nThree.\n"
    assert apply_edit("regions\nof the", Edit("join", "regions\nof", 1)) == "regions of the"
