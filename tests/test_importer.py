"""`booklet import`: the five seeds give the shipped entries; other shapes of text are handled."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from booklet.cli import main
from booklet.corpus.importer import proposal_yaml, propose
from booklet.corpus.loader import load_corpus
from booklet.corpus.model import PartialDate
from booklet.corpus.provenance import applied, declared_edits, read_source
from booklet.problems import Problem
from tests.conftest import ROOT

SHIPPED = load_corpus(ROOT / "corpus")
COMMEMORATED = PartialDate(1990, 1, 20)


@pytest.mark.parametrize("statement", SHIPPED.statements, ids=lambda s: s.id)
def test_import_of_each_seed_reproduces_the_shipped_entry(statement) -> None:
    proposal = propose(read_source(statement.source), statement.id, COMMEMORATED)
    assert proposal.language == statement.original_language
    assert proposal.markdown == statement.original.markdown
    shipped = [(e.kind, e.text, e.reason, e.at, e.within, e.to) for e in statement.edits]
    assert [(e.kind, e.text, e.reason, e.at, e.within, e.to) for e in proposal.edits] == shipped
    assert proposal.date == statement.date
    assert [(o.name, o.role) for o in proposal.outlets] == [(o.name, o.role) for o in statement.outlets]
    assert bool(proposal.date_inferred) == bool(statement.date_inferred)


@pytest.mark.parametrize("statement", SHIPPED.statements, ids=lambda s: s.id)
def test_the_proposed_yaml_declares_edits_that_the_check_proves(statement) -> None:
    raw = read_source(statement.source)
    proposal = propose(raw, statement.id, COMMEMORATED)
    node = yaml.compose(proposal_yaml(proposal))
    edits_node = next(value for key, value in node.value if key.value == "edits")
    problems: list[Problem] = []
    edits = declared_edits(Path("proposal.yaml"), problems)(edits_node)
    assert problems == []
    assert applied(raw, edits, Path("proposal.yaml")) == (proposal.markdown, [])


def test_metadata_is_proposed_with_how_it_was_found() -> None:
    sources = ROOT / "corpus" / "sources"
    ru = propose(read_source(sources / "mfa-2024.txt"), "mfa-2024", COMMEMORATED)
    assert ru.title and ru.title.startswith("Заявление Министерства иностранных дел")
    assert "20 января 2024-го года" in ru.date_evidence
    embassy = propose(read_source(sources / "embassy-tm-2026.txt"), "e", COMMEMORATED)
    assert embassy.date == PartialDate(2026) and embassy.date.precision == "year"
    assert '"36 years have passed since the tragic events of January 20"' in embassy.date_inferred
    assert embassy.issuer == "Embassy of the Republic of Azerbaijan in Turkmenistan"
    trend = propose(read_source(sources / "mfa-2026.txt"), "t", COMMEMORATED)
    assert trend.outlet == "Trend"
    assert any("ends without final punctuation" in item for item in trend.confirm)


def test_hard_wrapped_text_is_reflowed_and_each_decision_is_declared() -> None:
    raw = (
        "  Thirty-six years ago, on the night of 19-20 January, the national liberation move-\n"
        "ment was suppressed by force.\n"
        "Many were killed.\n\n\n"
        "We remember\n"
        "them.\n"
    )
    proposal = propose(raw, "wrapped", COMMEMORATED)
    # "force." ends a sentence and "Many" would have fitted on its line: a new paragraph.
    assert proposal.markdown == (
        "Thirty-six years ago, on the night of 19-20 January, the national liberation movement "
        "was suppressed by force.\n\nMany were killed.\n\nWe remember them.\n"
    )
    assert [(e.kind, e.text) for e in proposal.edits] == [
        ("dehyphenate", "move-\nment"), ("split", "force.\nMany"), ("normalise", "reflow"),
        ("normalise", "layout"),
    ]
    assert any("source line 1: a line ends in a hyphen: \"movement\"" in item for item in proposal.confirm)
    assert applied(raw, proposal.edits, Path("x.yaml")) == (proposal.markdown, [])


def test_a_paragraph_split_mid_sentence_is_rejoined() -> None:
    raw = "The resolution was adopted,\n\nand the day was declared.\n\nNext paragraph.\n"
    proposal = propose(raw, "split", COMMEMORATED)
    assert (
        proposal.markdown
        == "The resolution was adopted, and the day was declared.\n\nNext paragraph.\n"
    )


def test_crlf_and_a_byte_order_mark_are_declared_and_removed() -> None:
    raw = "\ufeffFirst paragraph,\r\nwrapped.\r\n\r\nSecond paragraph.\r\n"
    proposal = propose(raw, "crlf", COMMEMORATED)
    assert proposal.edits[0].text == "line-endings"
    assert proposal.markdown == "First paragraph, wrapped.\n\nSecond paragraph.\n"
    assert applied(raw, proposal.edits, Path("x.yaml")) == (proposal.markdown, [])


def run_import(corpus: Path, *args: str):
    return CliRunner().invoke(
        main, ["import", *args, "--project", str(ROOT), "--corpus", str(corpus)]
    )


def test_cli_import_keeps_the_source_verbatim_and_never_overwrites(
    corpus_copy, tmp_path: Path
) -> None:
    raw = "\ufeff+ ↺ − 16 px\r\n\r\n36 years have passed since 1990.\r\n\r\nNews.Az".encode()
    seed = tmp_path / "Some Seed.txt"
    seed.write_bytes(raw)
    result = run_import(corpus_copy.corpus, str(seed))
    assert result.exit_code == 0, result.output
    assert "imported" in result.output and "the editor should confirm:" in result.output
    assert "removed interface debris [web-noise]" in result.output
    assert (corpus_copy.corpus / "sources" / "some-seed.txt").read_bytes() == raw
    text = corpus_copy.corpus / "statements" / "some-seed.en.md"
    assert text.read_text() == "36 years have passed since 1990.\n"
    metadata = (corpus_copy.corpus / "statements" / "some-seed.yaml").read_text()
    assert "date: 2026" in metadata and '- {name: "News.Az", role: published}' in metadata
    text.write_text("edited by hand\n")
    again = run_import(corpus_copy.corpus, str(seed))
    assert again.exit_code == 1 and "already exists; nothing was written" in again.output
    assert text.read_text() == "edited by hand\n"
    forced = run_import(corpus_copy.corpus, str(seed), "--force", "--id", "some-seed")
    assert forced.exit_code == 0 and text.read_text() == "36 years have passed since 1990.\n"


def test_no_join_is_made_across_removed_material_and_the_place_is_flagged() -> None:
    raw = (
        "BAKU, January 19. The Ministry of Foreign Affairs has issued a statement on the\n"
        "anniversary of the tragedy, Trend reports.\n"
        "on that night the army entered the city.\n\n"
        "We remember them all and the day\n\n"
        "Share | Print\n\n"
        "remains with us.\n"
    )
    proposal = propose(raw, "barrier", COMMEMORATED)
    assert proposal.markdown == (
        "on that night the army entered the city.\n\nWe remember them all and the day\n\nremains with us.\n"
    )
    assert not any(e.kind == "join" for e in proposal.edits)
    assert any(item.startswith("source line 9: removed material stands inside a sentence")
               for item in proposal.confirm)


def test_a_quotation_reopened_at_each_paragraph_is_unquoted_whole() -> None:
    raw = "Intro, APA reports.\n\n«Первый абзац.\n\n«Второй абзац с «цитатой».\n\n«Третий абзац.»\n"
    proposal = propose(raw, "quotes", COMMEMORATED)
    assert proposal.markdown == "Первый абзац.\n\nВторой абзац с «цитатой».\n\nТретий абзац.\n"
    assert [(e.kind, e.text, e.reason, e.within, e.to) for e in proposal.edits[1:4]] == [
        ("remove", "«", "outlet-quote-marks", "«Третий", None),
        ("remove", "«", "outlet-quote-marks", "«Второй", None),
        ("unquote", "«Первый абзац.", None, None, "Третий абзац.»"),
    ]


def test_a_first_line_indent_starts_a_paragraph_even_after_a_full_line() -> None:
    raw = (
        "    The first paragraph of the statement runs on over a line and then it\n"
        "ends on a line as long as the others, with a full stop at the end here.\n"
        "    The second paragraph starts here, indented, and it is short.\n"
    )
    proposal = propose(raw, "indent", COMMEMORATED)
    assert proposal.markdown.count("\n\n") == 1
    assert proposal.markdown.split("\n\n")[1].startswith("The second paragraph")


def test_a_short_wrapped_line_with_a_date_is_prose_and_old_dates_are_not_the_statements() -> None:
    raw = (
        "The Milli Majlis adopted the resolution on the tragic events committed\n"
        "in Baku on 20 January 1990.\n"
        "Today, 36 years have passed since that night, and we remember every one of them.\n"
    )
    proposal = propose(raw, "wrapped-date", COMMEMORATED)
    assert "committed in Baku on 20 January 1990." in proposal.markdown
    assert not any(e.kind == "remove" for e in proposal.edits)
    dated = propose("19.01.1990\n\n" + raw, "old-date", COMMEMORATED)
    assert str(dated.date) == "2026" and dated.date_inferred  # 19.01.1990 is not when it was issued


@pytest.mark.parametrize("sentence", [
    "On 20 January 1990 troops entered Baku.",
    "В ночь на 20 января 1990 года войска вошли в Баку.",
    "Azerbaijan remembers 20 January 1990 forever.",
])
def test_a_short_paragraph_of_prose_with_a_date_is_the_statements_not_a_date_line(sentence: str) -> None:
    """A paragraph of a few words around a date is a date line only if its words are a rubric or a
    place (names): a sentence of prose was removed as the outlet's date line."""
    raw = f"Statement of the Ministry\n\n{sentence}\n\nWe remember every one of them, and we always will.\n"
    proposal = propose(raw, "short-prose", COMMEMORATED)
    assert sentence in proposal.markdown
    assert not [e for e in proposal.edits if e.reason == "dateline"]
    for dateline in ("Baku, 20 January 2024", "Внутренняя политика • 19 января, 2026 • 23:50"):
        dated = propose(f"{dateline}\n\n{raw}", "dated", COMMEMORATED)
        assert dateline not in dated.markdown and sentence in dated.markdown


def test_markup_is_told_from_a_text_that_quotes_a_tag() -> None:
    from booklet.corpus.importer import markup_document

    assert markup_document("<div><p>On 20 January</p><p>we remember.</p></div>") == "an HTML page"
    assert markup_document("\ufeff <!doctype html><title>x</title>") == "an HTML page"
    assert markup_document("<?xml version='1.0'?><a/>") == "an XML document"
    quoting = "The site showed <b>bold</b> where the statement said: we remember the victims of that night.\n" * 3
    assert markup_document(quoting) is None
    assert markup_document("A statement.\n\nWe remember.\n") is None
    assert markup_document("A statement with <b>bold</b> and <i>it</i> and <u>u</u> words in it.\n") is None


def test_each_markdown_sign_to_confirm_is_listed_once_a_line() -> None:
    raw = "Statement\n\nWords in <b>bold</b>, <i>italics</i> and <u>lines</u> on one line of text.\n\nA <q> here.\n"
    hazards = [line for line in propose(raw, "signs", COMMEMORATED).confirm if "has a meaning in Markdown" in line]
    assert hazards == ['line 1 of the text: "<" has a meaning in Markdown; check the rendered text',
                       'line 3 of the text: "<" has a meaning in Markdown; check the rendered text']


def test_a_date_printed_only_in_the_outlets_lead_in_is_the_statements_date() -> None:
    raw = (
        "Share  Print  Tweet\n"
        "The Foreign Ministry issued a statement on 19.01.2027 marking the anniversary. The document states:\n"
        "\"Thirty-seven years have passed since that night.\n"
        "The people honour the memory of the victims.\"\n"
    )
    proposal = propose(raw, "lead-in-date", COMMEMORATED)
    assert proposal.markdown == (
        "Thirty-seven years have passed since that night.\n\nThe people honour the memory of the victims.\n"
    )
    assert str(proposal.date) == "2027-01-19" and not proposal.date_inferred
    assert '"19.01.2027" (line 2)' in proposal.date_evidence


@pytest.mark.parametrize("good", ["mfa-2027", "a", "x1-y2-z3"])
def test_a_valid_id_is_returned_as_it_is(good: str) -> None:
    from booklet.corpus.importer import valid_id

    assert valid_id(good) == good


@pytest.mark.parametrize("bad", ["MFA-2027", "mfa--2027", "-mfa", "mfa-", "mfa 2027", "mfa_2027", ""])
def test_an_invalid_id_is_refused_naming_it_with_the_fix(bad: str) -> None:
    from booklet.corpus.importer import valid_id
    from booklet.problems import BookletError

    with pytest.raises(BookletError) as caught:
        valid_id(bad)
    assert caught.value.problems == (Problem(Path(bad), None, f"'{bad}' is not a valid id",
                                             "use lower-case letters, digits and hyphens, e.g. mfa-2027"),)


def test_an_empty_file_is_refused_naming_it_with_the_fix() -> None:
    from booklet.corpus.importer import decode
    from booklet.problems import BookletError

    with pytest.raises(BookletError) as caught:
        decode(b" \n\t\n", Path("new.txt"))
    assert caught.value.problems == (Problem(Path("new.txt"), None, "the file is empty; nothing was imported",
                                             "import the file that holds the statement's text"),)
    with pytest.raises(BookletError) as caught:
        decode("Statement\u0000 text".encode(), Path("new.txt"))
    assert [problem.path for problem in caught.value.problems] == [Path("new.txt")]
