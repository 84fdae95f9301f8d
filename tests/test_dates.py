"""Dates as sentences state them, and the chronology's mention rule built on them: a sentence
mentions an event when it states a date within the event's dates, at least as precisely as the
event is dated — in any wording of English, Russian or Azerbaijani (issue 9, finding 7)."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from booklet.build import Project, build, prepare
from booklet.corpus.dates import mention_spans, stated_dates
from booklet.corpus.loader import load_corpus
from booklet.corpus.model import PartialDate
from booklet.editorial.checks import review
from booklet.editorial.report import report_markdown
from tests.conftest import ROOT, make_small_corpus, normalised, read_pdf

NIGHT = (PartialDate(1990, 1, 19), PartialDate(1990, 1, 20))
SESSION = (PartialDate(1994, 2), None)
INDEPENDENCE = (PartialDate(1991), None)
SOVEREIGNTY = (PartialDate(2023, 9, 19), PartialDate(2023, 9, 20))


@pytest.mark.parametrize(("sentence", "event"), [
    ("On the night of 19 to 20 January 1990, troops entered Baku.", NIGHT),
    ("The tragedy of 20 January 1990 is one of the darkest pages.", NIGHT),  # a day of the night
    ("On January 19–20, 1990 the army entered the city.", NIGHT),
    ("Troops entered Baku on January 20, 1990.", NIGHT),
    ("In 1990, on the night of 19 to 20 January, troops entered.", NIGHT),  # the year stated apart
    ("The events of 20.01.1990 shocked the world.", NIGHT),
    ("В ночь с 19 на 20 января 1990 года войска вошли в Баку.", NIGHT),
    ("Трагедия 20 января 1990 г. не забыта.", NIGHT),
    ("1990-cı il yanvarın 20-də qoşunlar Bakıya daxil oldu.", NIGHT),
    ("19–20 yanvar 1990-cı il gecəsi unudulmur.", NIGHT),
    ("A special session in February 1994 assessed the events.", SESSION),
    ("В феврале 1994 года сессия дала оценку событиям.", SESSION),
    ("On 24 February 1994 the session was held.", SESSION),  # a day of the month
    ("1994-cü ilin fevralında xüsusi sessiya keçirildi.", SESSION),
    ("Azerbaijan restored its independence in 1991.", INDEPENDENCE),
    ("Независимость восстановлена 18 октября 1991 года.", INDEPENDENCE),
    ("Müstəqillik 1991-ci ildə bərpa edildi.", INDEPENDENCE),
    ("The operations of 19–20 September last year restored sovereignty.", SOVEREIGNTY),
    ("Операции 19-20 сентября прошлого года восстановили суверенитет.", SOVEREIGNTY),
    ("Keçən il sentyabrın 19-20-də suverenlik bərpa olundu.", SOVEREIGNTY),
    ("The operations of 19–20 September 2023 restored sovereignty.", SOVEREIGNTY),
])
def test_a_sentence_stating_a_date_of_the_event_mentions_it(sentence: str, event: tuple) -> None:  # type: ignore[type-arg]
    assert mention_spans(sentence, *event, reference_year=2024) == [(0, len(sentence))]


@pytest.mark.parametrize(("sentence", "event"), [
    ("The tragedy of 20 January is remembered every year.", NIGHT),  # no year
    ("In January 1990 the country was in turmoil.", NIGHT),  # less precise than the event
    ("On 21 January 1990 Heydar Aliyev spoke in Moscow.", NIGHT),  # outside the night
    ("26 000 troops and 1990 days; the 1990s were hard.", NIGHT),
    ("In March 1994 the decision was adopted.", SESSION),
    ("The antiterror operations of 2023 restored sovereignty.", SOVEREIGNTY),  # the year only
    ("The operations of 19–20 September last year restored sovereignty.", NIGHT),
    ("The 1990s brought independence.", INDEPENDENCE),
    ("30 February 1991 is no date.", INDEPENDENCE),
])
def test_a_sentence_without_a_date_of_the_event_does_not_mention_it(sentence: str, event: tuple) -> None:  # type: ignore[type-arg]
    assert mention_spans(sentence, *event, reference_year=2024) == []


def test_last_year_needs_the_statements_year() -> None:
    sentence = "The operations of 19–20 September last year restored sovereignty."
    assert mention_spans(sentence, *SOVEREIGNTY) == []
    assert mention_spans(sentence, *SOVEREIGNTY, reference_year=2025) == []


def test_the_mention_is_the_sentence_that_states_the_date() -> None:
    text = "We remember. In 1990, on the night of 19 to 20 January, troops entered. They were killed."
    ((start, end),) = mention_spans(text, *NIGHT)
    assert text[start:end] == "In 1990, on the night of 19 to 20 January, troops entered."


def test_stated_dates_are_read_as_the_days_they_name() -> None:
    read = [(d.first, d.last) for d in stated_dates("From 1990 to 1994; and on 31 December – 1 January 1995.")]
    assert read == [(PartialDate(1990), PartialDate(1994)),
                    (PartialDate(1994, 12, 31), PartialDate(1995, 1, 1))]


# ---- the rule in a corpus nobody has seen: evidence, anchors, references, warnings ----------------

FILLER = " ".join(["The memory of the victims is honoured in every city of the country, in schools, "
                   "in museums and at the Alley of Martyrs, where people lay carnations."] * 14)


def corpus_with_mention(tmp_path: Path, english: str, russian: str, cite: bool = True) -> Path:
    """A one-statement corpus whose third paragraph (after two that fill a page) states the date."""
    corpus = make_small_corpus(tmp_path)
    (corpus / "statements" / "first.en.md").write_text(
        f"{FILLER}\n\n{FILLER}\n\n{english}\n", encoding="utf-8")
    (corpus / "statements" / "first.ru.md").write_text(
        f"{FILLER}\n\n{FILLER}\n\n{russian}\n", encoding="utf-8")
    if not cite:
        chronology = corpus / "chronology.yaml"
        chronology.write_text(chronology.read_text(encoding="utf-8") + textwrap.dedent("""\
              - id: moscow
                date: 1990-01-21
                label: {en: A statement in Moscow, ru: Заявление в Москве}
                statements: [first]
            """), encoding="utf-8")
    return corpus


def test_a_reference_points_to_the_page_of_a_mention_worded_as_a_day_of_the_night(tmp_path: Path) -> None:
    """The night of 19–20 January is named only as "January 20, 1990", in the statement's third
    paragraph, on its second page: the chronology's reference gives that page."""
    corpus = corpus_with_mention(
        tmp_path,
        "Troops entered Baku on January 20, 1990, and 150 civilians were killed.",
        "Войска вошли в Баку 20 января 1990 года, и 150 мирных жителей были убиты.")
    (pdf,) = build(Project.at(ROOT, corpus=corpus, out=tmp_path / "out"), ["en"], profiles=["screen"])
    pages = read_pdf(pdf.path).pages
    mention = next(i for i, text in enumerate(pages) if normalised("Baku on January 20, 1990") in normalised(text))
    opening = next(i for i, text in enumerate(pages) if "The first statement" in text and i > 3)
    assert mention > opening
    chronology = next(text for text in pages if "Mentioned in" in text)
    (page,) = re.findall(r"First, p\.\s(\d+)", chronology.replace("\u00a0", " "))
    assert int(page) == mention + 1


def test_a_mention_the_chronology_does_not_cite_is_a_warning_at_the_event(tmp_path: Path) -> None:
    """A second statement states 21 January 1990; the event of that day cites only the first: the
    editor is warned at the event's line, and nothing is cited in the editor's place."""
    corpus = make_small_corpus(tmp_path)
    statements = corpus / "statements"
    for suffix in ("yaml", "en.md", "ru.md"):
        text = (statements / f"first.{suffix}").read_text(encoding="utf-8")
        (statements / f"second.{suffix}").write_text(text.replace("first.", "second."), encoding="utf-8")
    (statements / "first.en.md").write_text("On 21 January 1990, 150 were named.\n\nWe remember.\n", encoding="utf-8")
    (statements / "first.ru.md").write_text("21 января 1990 года названы 150 имен.\n\nМы помним.\n", encoding="utf-8")
    (statements / "second.en.md").write_text(
        "We remember 19-20 January 1990; on January 21, 1990 the truth was told by 150 people.\n\nWe remember.\n",
        encoding="utf-8")
    (statements / "second.ru.md").write_text(
        "Мы помним 19-20 января 1990 года; 21 января 1990 года правду сказали 150 человек.\n\nМы помним.\n",
        encoding="utf-8")
    booklet_yaml = corpus / "booklet.yaml"
    booklet_yaml.write_text(booklet_yaml.read_text(encoding="utf-8").replace(
        "statements: [first]", "statements: [first, second]"), encoding="utf-8")
    chronology = corpus / "chronology.yaml"
    chronology.write_text(chronology.read_text(encoding="utf-8").replace("statements: [first]", "statements: [second]")
                          + "  - id: moscow\n    date: 1990-01-21\n"
                          "    label: {en: Moscow, ru: Москва}\n    statements: [first]\n", encoding="utf-8")
    project = Project.at(ROOT, corpus=corpus, out=tmp_path / "out")
    def warnings() -> list[str]:
        return [f"{w.path.name}:{w.line}: {w.message}" for w in prepare(project).warnings if w.path == chronology]


    assert warnings() == ["chronology.yaml:8: 'second' mentions event 'moscow' (¶1: “We remember 19-20 January "
                        "1990; on January 21, 1990 the truth was told by 150 people.”) but is not cited for it"]
    booklet = load_corpus(corpus)
    report = report_markdown(booklet, review(booklet))
    assert "  - second (mentions it, not cited) ¶1: “We remember 19-20 January 1990;" in report
    chronology.write_text(chronology.read_text(encoding="utf-8").replace(
        "statements: [first]", "statements: [first, second]"), encoding="utf-8")
    assert warnings() == []


def test_a_long_text_full_of_months_is_read_in_linear_passes() -> None:
    """Each month without its year looked up its sentence among all the text's sentences, and each
    candidate date was compared with every one chosen before: a 100,000-word paragraph took 7
    minutes to check (5 MB: hours). No timing here: quadratic passes would make this test take
    half a minute, not one second."""
    text = "Память жертв января, скорбь января. " * 8000 + "В ночь на 20 января 1990 года."
    last = text.rindex("В ночь")
    assert [(date.start, str(date.first)) for date in stated_dates(text)] == [
        (text.index("20 января 1990"), "1990-01-20")]
    assert mention_spans(text, PartialDate(1990, 1, 19), PartialDate(1990, 1, 20)) == [(last, len(text))]


def test_a_date_opening_a_sentence_is_in_that_sentence() -> None:
    from booklet.corpus.figures import sentence_at, sentences

    text = "We remember. 20 January 1990 is the day. On 21 January 1990 the blockade broke."
    spans = sentences(text)
    assert [text[a:b] for a, b in spans] == ["We remember.", "20 January 1990 is the day.",
                                             "On 21 January 1990 the blockade broke."]
    assert sentence_at(spans, 0) == spans[0]
    assert sentence_at(spans, text.index("20 January")) == spans[1]  # the first character of a sentence
    assert sentence_at(spans, text.index("blockade")) == spans[2]
    assert mention_spans(text, PartialDate(1990, 1, 20)) == [spans[1]]
