"""Figure parity, inferred dates, chronology evidence and the cross-source report."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from booklet.build import Project
from booklet.cli import main
from booklet.corpus.figures import numbers
from booklet.corpus.loader import load_corpus
from booklet.editorial.checks import (
    chronology_evidence,
    cross_source_findings,
    date_problems,
    parity_problems,
    review,
)
from tests.conftest import ROOT

SHIPPED = load_corpus(ROOT / "corpus")


def replace_in(project: Project, name: str, old: str, new: str) -> None:
    path = project.corpus / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_shipped_corpus_has_no_editorial_error() -> None:
    assert review(SHIPPED).problems == ()


def test_numbers_are_read_in_either_locale_format() -> None:
    assert numbers("26,000") == numbers("26 000") == numbers("26\u00a0000") == [26000]
    assert numbers("19-20 January 1990, 150 killed; 80-х; 2024-го") == [19, 20, 80, 150, 1990, 2024]


@pytest.mark.parametrize("statement", SHIPPED.statements, ids=lambda s: s.id)
def test_every_translation_carries_its_originals_figures(statement) -> None:
    assert parity_problems(statement) == []


def test_a_changed_figure_names_both_files_and_paragraphs(small_project: Project) -> None:
    replace_in(small_project, "statements/first.ru.md", "150", "151")
    (problem,) = parity_problems(load_corpus(small_project.corpus).statement("first"))
    assert problem.path.name == "first.ru.md" and problem.line == 1
    assert "figures differ from the original first.en.md:1 paragraph 1" in problem.message
    assert "only in the original 150; only in the translation 151" in problem.message


def test_a_text_pasted_many_times_over_gives_a_message_of_one_line(small_project: Project) -> None:
    """Figures are listed as they occur up to a dozen; past that, each once with its count, and
    past a dozen figures, how many more: a text pasted a hundred times over is one readable line."""
    russian = small_project.corpus / "statements" / "first.ru.md"
    text = russian.read_text(encoding="utf-8")
    replace_in(small_project, "statements/first.ru.md", "150", "150 (и 151, и 152)")
    (problem,) = parity_problems(load_corpus(small_project.corpus).statement("first"))
    assert "only in the original none; only in the translation 151, 152" in problem.message
    pasted = " ".join(f"В {year} году." for year in range(1900, 1920))
    russian.write_text(text.replace("Мы помним их.", "Мы помним их. " + pasted * 100), encoding="utf-8")
    (problem,) = parity_problems(load_corpus(small_project.corpus).statement("first"))
    assert ("only in the translation 1900 ×100, 1901 ×100, 1902 ×100, 1903 ×100, 1904 ×100, 1905 ×100, "
            "1906 ×100, 1907 ×100, 1908 ×100, 1909 ×100, 1910 ×100, 1911 ×100 and 8 other figures") \
        in problem.message
    assert len(problem.message) < 300


def test_parity_passes_across_number_formats(small_project: Project) -> None:
    replace_in(
        small_project, "statements/first.en.md", "150 civilians", "26,000 troops and 150 civilians"
    )
    replace_in(
        small_project, "statements/first.ru.md", "150 мирных", "26\u00a0000 военных и 150 мирных"
    )
    assert parity_problems(load_corpus(small_project.corpus).statement("first")) == []


def test_a_lost_paragraph_is_an_error(small_project: Project) -> None:
    replace_in(small_project, "statements/first.ru.md", "\n\nМы помним их.", " Мы помним их.")
    (problem,) = parity_problems(load_corpus(small_project.corpus).statement("first"))
    assert "1 paragraphs, but the original first.en.md has 2" in problem.message


def test_an_inferred_date_must_quote_the_texts_words(corpus_copy: Project) -> None:
    replace_in(
        corpus_copy,
        "statements/embassy-tm-2026.yaml",
        "36 years have passed",
        "36 years had passed",
    )
    booklet = load_corpus(corpus_copy.corpus)
    (problem,) = date_problems(booklet, booklet.statement("embassy-tm-2026"))
    assert "quotes words not in embassy-tm-2026.en.md" in problem.message
    text = (corpus_copy.corpus / "statements" / "embassy-tm-2026.yaml").read_text(encoding="utf-8")
    assert problem.line == text[: text.index("date_inferred:")].count("\n") + 1  # was no line


def test_an_inferred_date_must_follow_from_the_quoted_words(corpus_copy: Project) -> None:
    replace_in(corpus_copy, "statements/mfa-2021.yaml", "date: 2021", "date: 2020")
    booklet = load_corpus(corpus_copy.corpus)
    (problem,) = date_problems(booklet, booklet.statement("mfa-2021"))
    assert "the quoted words do not give the year 2020" in problem.message
    text = (corpus_copy.corpus / "statements" / "mfa-2021.yaml").read_text(encoding="utf-8")
    assert problem.line == text[: text.index("date_inferred:")].count("\n") + 1  # was no line
    assert date_problems(SHIPPED, SHIPPED.statement("mfa-2021")) == []


def test_a_citation_without_the_events_day_is_an_error(corpus_copy: Project) -> None:
    # mfa-2026 says "the antiterror operations of 2023": the year, not the days of September.
    replace_in(
        corpus_copy,
        "chronology.yaml",
        "statements: [mfa-2024, mfa-2025]\n",
        "statements: [mfa-2024, mfa-2025, mfa-2026]\n",
    )
    problems, _, _ = chronology_evidence(load_corpus(corpus_copy.corpus))
    assert [p.message.split(",")[0] for p in problems] == [
        "event 'sovereignty' (2023-09-19–2023-09-20) cites 'mfa-2026'"
    ]


def test_an_event_nobody_mentions_is_an_error(small_project: Project) -> None:
    replace_in(small_project, "chronology.yaml", "    statements: [first]\n", "")
    problems, _, _ = chronology_evidence(load_corpus(small_project.corpus))
    assert "event 'night' cites no statement" in problems[0].message


def test_a_statements_issue_must_match_its_date(corpus_copy: Project) -> None:
    replace_in(
        corpus_copy,
        "chronology.yaml",
        "date: 2024-01-20\n    issued",
        "date: 2024-01-21\n    issued",
    )
    problems, _, _ = chronology_evidence(load_corpus(corpus_copy.corpus))
    assert len(problems) == 1 and "'statement-2024'" in problems[0].message


def test_every_shipped_citation_has_its_evidence() -> None:
    problems, evidence, uncited = chronology_evidence(SHIPPED)
    assert problems == [] and uncited == []
    cited = {(e.id, s) for e in SHIPPED.chronology for s in e.statements}
    assert {(e.event, e.statement) for e in evidence} == cited
    found = {(e.event, e.statement): e for e in evidence}
    assert "21 января 1990 года" in found["moscow-statement", "mfa-2024"].sentence
    # a day of the night of 19–20 January names it; "last year" counts from the statement's date
    assert found["black-january", "mfa-2026"].sentence.startswith("20 January 1990, constitutes")
    assert "19-20 сентября прошлого года" in found["sovereignty", "mfa-2024"].sentence
    assert found["statement-2024", "mfa-2024"].sentence == "**20 января 2024-го года**"
    covered = {str(e.date.start) for e in SHIPPED.chronology}
    assert {
        "1990-01-19",
        "1990-01-21",
        "1991",
        "1994-02",
        "1994-03",
        "2020",
        "2023-09-19",
    } <= covered
    assert {e.issued for e in SHIPPED.chronology if e.issued} == {s.id for s in SHIPPED.statements}


def findings_by_topic():
    return {f.topic: f for f in cross_source_findings(SHIPPED)}


def test_casualty_figures_disagree_147_against_150() -> None:
    killed = dict(findings_by_topic()["number killed"].values)
    assert [p.statement for p in killed["147"]] == ["mfa-2021"]
    assert killed["147"][0].paragraph == 1 and "147 civilians were killed" in killed["147"][0].quote
    assert {p.statement for p in killed["150"]} == {
        "mfa-2024",
        "mfa-2025",
        "mfa-2026",
        "embassy-tm-2026",
    }
    assert not findings_by_topic()["number seriously injured"].disagrees


def test_the_outlets_35th_anniversary_disagrees_with_the_date_and_the_text() -> None:
    finding = findings_by_topic()["anniversary of mfa-2026"]
    values = dict(finding.values)
    assert finding.disagrees and set(values) == {"36th", "35th"}
    (wrapper,) = values["35th"]
    assert wrapper.removed_by == 3 and "Trend reports" in wrapper.quote
    assert any(p.paragraph == 2 and p.quote.startswith("36 years ago") for p in values["36th"])


def test_the_russian_2024_text_matches_its_date() -> None:
    finding = findings_by_topic()["anniversary of mfa-2024"]
    assert not finding.disagrees
    ((value, places),) = finding.values
    assert value == "34th" and any("34 года" in p.quote for p in places)


def test_the_resolution_is_dated_february_by_the_embassy_and_march_by_the_ministry() -> None:
    values = dict(
        findings_by_topic()["date of the resolution on the 20 January events adopted"].values
    )
    assert [p.statement for p in values["February 1994"]] == ["embassy-tm-2026"]
    assert {p.statement for p in values["March 1994"]} == {"mfa-2021", "mfa-2024", "mfa-2025"}


def test_consistent_sources_give_no_disagreement(small_project: Project) -> None:
    assert not any(f.disagrees for f in cross_source_findings(load_corpus(small_project.corpus)))


def cli(*args: str):
    return CliRunner().invoke(main, [*args, "--project", str(ROOT)])


def test_check_prints_the_disagreements_as_warnings_and_passes() -> None:
    result = cli("check")
    assert result.exit_code == 0
    warnings = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 3
    assert "147 (mfa-2021 ¶1: “147 civilians were killed" in warnings[0]
    assert "February 1994 (embassy-tm-2026 ¶6" in warnings[1]


@pytest.mark.parametrize("form", ["md", "html"])
def test_report_quotes_both_places(form: str, tmp_path) -> None:
    output = tmp_path / f"report.{form}"
    assert cli("report", "--format", form, "--output", str(output)).exit_code == 0
    text = output.read_text(encoding="utf-8")
    assert "147 civilians were killed" in text and "mfa-2021 ¶1" in text
    assert "source text removed by edit 3" in text and "35th anniversary" in text
    assert "held in February 1994" in text and "in March 1994" in text
    if form == "html":
        assert (
            text.startswith("<!DOCTYPE html>") and "<h2>Where the sources disagree (3)</h2>" in text
        )
    else:
        assert text.startswith("# Editorial report")


@pytest.mark.parametrize(("word", "month"), [
    ("yanvarın", 1), ("fevralında", 2), ("martdan", 3), ("aprelə", 4), ("apreldən", 4), ("mayı", 5),
    ("iyunun", 6), ("iyununda", 6), ("iyulundan", 7), ("avqusta", 8), ("sentyabrda", 9), ("oktyabrın", 10),
    ("noyabrı", 11), ("dekabrından", 12), ("Yanvarda", 1), ("yanvarnın", None), ("apreldan", None),
    # aprel is the one month whose last vowel is front (e): its i-forms take i, never ı.
    ("aprelin", 4), ("apreli", 4), ("aprelində", 4), ("aprelindən", 4), ("aprelın", None),
])
def test_azerbaijani_month_words_in_their_cases(word: str, month: int | None) -> None:
    """Azerbaijani joins case endings to the month in the vowel of its last syllable."""
    from booklet.corpus.figures import month_number

    assert month_number(word) == month
