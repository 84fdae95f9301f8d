"""Editorial checks on the corpus of record: errors that stop a build, findings editors should see.

Errors (booklet.problems.Problem):
- figure parity: each translation carries exactly the numbers of its original, paragraph by
  paragraph ("26,000" = "26 000");
- dates: an inferred date quotes words that really are in the text, and they give its year;
- chronology: every event cites statements, and each cited statement mentions the event's year
  (and month and days, where the event has them) in one sentence.

Findings (never errors; the texts are kept as issued): where sources disagree, from general rules
over every statement's original words (and the outlet text its declared edits removed):
casualty figures next to their keywords, anniversaries stated vs computed from the date, and the
dates the texts give to the same act.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from booklet.corpus.dates import mention_spans
from booklet.corpus.figures import (
    MONTH_WORD,
    MONTH_YEAR,
    NUMBER,
    Paragraph,
    anniversary_mentions,
    month_number,
    numbers,
    paragraphs,
    sentence_at,
    sentences,
    years_since,
)
from booklet.corpus.furniture import dates_in
from booklet.corpus.model import Booklet, ChronologyEvent, PartialDate, Statement, Topic
from booklet.corpus.provenance import read_source, removed_texts, statement_problems
from booklet.corpus.yamlschema import key_line
from booklet.editorial.l10n import format_partial_date
from booklet.editorial.markup import lost_word
from booklet.problems import Problem

# --- figure parity ----------------------------------------------------------------------------


def parity_problems(statement: Statement) -> list[Problem]:
    """Every translation must carry the original's numbers and dates, paragraph by paragraph."""
    original = statement.original
    found = []
    ours = paragraphs(original.markdown)
    for text in statement.texts.values():
        if text.translation is None:
            continue
        theirs = paragraphs(text.markdown)
        if len(theirs) != len(ours):
            found.append(
                Problem(
                    text.path,
                    None,
                    f"{len(theirs)} paragraphs, but the original {original.path.name} "
                    f"has {len(ours)}",
                    "keep the original's paragraphs, one for one",
                )
            )
            pairs = [(Paragraph(0, 1, original.markdown), Paragraph(0, 1, text.markdown))]
        else:
            pairs = list(zip(ours, theirs, strict=True))
        for mine, translated in pairs:
            missing = Counter(numbers(mine.text)) - Counter(numbers(translated.text))
            extra = Counter(numbers(translated.text)) - Counter(numbers(mine.text))
            if missing or extra:
                where = f" paragraph {mine.number}" if mine.number else ""
                found.append(
                    Problem(
                        text.path,
                        translated.line,
                        f"figures differ from the original {original.path.name}:{mine.line}"
                        f"{where}: only in the original {_listed(missing)}; "
                        f"only in the translation {_listed(extra)}",
                        "a translation carries exactly the original's numbers and dates",
                    )
                )
    return found


LISTED = 12
"""Figures a message names at most: a text pasted twice over must not give a message of pages."""


def _listed(counter: Counter[int]) -> str:
    """The figures, each as often as it occurs ("19, 20, 20"); past a dozen, each once with its count
    ("4 ×146") and how many more figures there are."""
    if sum(counter.values()) <= LISTED:
        return ", ".join(str(n) for n in sorted(counter.elements())) or "none"
    figures = sorted(counter)
    shown = ", ".join(f"{n} ×{counter[n]}" if counter[n] > 1 else str(n) for n in figures[:LISTED])
    more = len(figures) - LISTED
    return shown + (f" and {more} other figure{'s' if more > 1 else ''}" if more > 0 else "")


# --- dates inferred from the text -------------------------------------------------------------

_QUOTED = re.compile(r"\"([^\"]+)\"|“([^”]+)”|«([^»]+)»")


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def date_problems(booklet: Booklet, statement: Statement) -> list[Problem]:
    """An inferred date must quote the text's own words, and those words must give its year."""
    if statement.date_inferred is None or statement.date is None:
        return []
    fix = 'quote the words of the text that give the date, e.g. "36 years have passed"'
    line = key_line(statement.path, "date_inferred")
    quotes = [
        next(group for group in match.groups() if group)
        for match in _QUOTED.finditer(statement.date_inferred)
    ]
    if not quotes:
        return [
            Problem(statement.path, line, "`date_inferred` quotes none of the text's words", fix)
        ]
    text = _squeezed(statement.original.markdown)
    found = []
    for quote in quotes:
        if _squeezed(quote) not in text:
            found.append(
                Problem(
                    statement.path,
                    line,
                    f"`date_inferred` quotes words not in {statement.original.path.name}: "
                    f'"{quote}"',
                    "copy the words exactly from the text",
                )
            )
    years = {
        booklet.commemorated.year + int(m["n"]) for quote in quotes for m in years_since(quote)
    }
    years |= {n for quote in quotes for n in numbers(quote) if n == statement.date.year}
    if not found and statement.date.year not in years:
        found.append(
            Problem(
                statement.path,
                line,
                f"the quoted words do not give the year {statement.date.year}",
                fix,
            )
        )
    if statement.date.precision != "year" and not found:
        found.append(
            Problem(
                statement.path,
                key_line(statement.path, "date"),
                f"an inferred date is known to the year only, not '{statement.date}'",
                f"write `date: {statement.date.year}`",
            )
        )
    return found


# --- chronology evidence ----------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    """Where a cited statement mentions an event: paragraph number (0: its date) and sentence."""

    event: str
    statement: str
    paragraph: int
    sentence: str


def mentions(text: str, start: PartialDate, end: PartialDate | None = None,
             reference_year: int | None = None) -> Iterator[str]:
    """Sentences stating a date that names the event `start`–`end` (booklet.corpus.dates)."""
    return (text[a:b] for a, b in mention_spans(text, start, end, reference_year))


def chronology_evidence(booklet: Booklet) -> tuple[list[Problem], list[Evidence], list[Evidence]]:
    """Each cited statement must mention its event; an event nobody cites is an error. Also
    returns the mentions of events in statements that do not cite them (for the editors: the
    chronology's references should be complete)."""
    path = booklet.root / "chronology.yaml"
    problems, evidence, uncited = [], [], []
    for event in booklet.chronology:
        if not event.issued:
            uncited += [found for statement in booklet.statements if statement.id not in event.statements
                        and (found := _evidence_for(event, statement))]
        if not event.statements:
            problems.append(
                Problem(
                    path,
                    None,
                    f"event '{event.id}' cites no statement",
                    "cite the statements that mention it, or remove it",
                )
            )
        for statement_id in event.statements:
            statement = booklet.statement(statement_id)
            found = _evidence_for(event, statement)
            if found:
                evidence.append(found)
            else:
                problems.append(
                    Problem(
                        path,
                        None,
                        f"event '{event.id}' ({event.date.start}"
                        f"{'–' + str(event.date.end) if event.date.end else ''}) "
                        f"cites '{statement_id}', whose text does not mention it",
                        "cite only statements whose words state a date of the event "
                        "(its year, and month and a day where the event has them)",
                    )
                )
    return problems, evidence, uncited


def uncited_warnings(booklet: Booklet, uncited: tuple[Evidence, ...]) -> list[Problem]:
    """One warning per mention the chronology does not cite, at the event's line: its references
    should list every statement that mentions it."""
    path = booklet.root / "chronology.yaml"
    lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    warnings = []
    for item in uncited:
        line = next((number for number, text in enumerate(lines, 1)
                     if re.fullmatch(rf"\s*-?\s*id:\s*['\"]?{re.escape(item.event)}['\"]?\s*(?:#.*)?", text)), None)
        warnings.append(Problem(
            path, line,
            f"'{item.statement}' mentions event '{item.event}' (¶{item.paragraph}: "
            f"“{_shortened(item.sentence)}”) but is not cited for it",
            f"add {item.statement} to the event's `statements:`"))
    return warnings


def _shortened(sentence: str, limit: int = 90) -> str:
    words = " ".join(sentence.split())
    return words if len(words) <= limit else words[:limit].rsplit(" ", 1)[0] + " …"


def _evidence_for(event: ChronologyEvent, statement: Statement) -> Evidence | None:
    if event.issued == statement.id:
        if event.date.start != statement.date:
            return None
        if statement.date_inferred:
            return Evidence(event.id, statement.id, 0, statement.date_inferred)
        # A printed date may be furniture the edits removed (a date line, an outlet's stamp).
        printed = read_source(statement.source, statement.edits) if statement.source else statement.original.markdown
        found = _first_mention(paragraphs(printed), statement.date, None, statement.date.year)
        if found:
            return Evidence(event.id, statement.id, 0, found[1])
        # A date line in another common shape ("19.01.2024", "2024-01-19", «19 января, 2024»).
        line = next((line.strip() for line in printed.splitlines()
                     if any(d.date == statement.date for d in dates_in(line))), None)
        return Evidence(event.id, statement.id, 0, line) if line else None
    found = _first_mention(paragraphs(statement.original.markdown), event.date.start, event.date.end,
                           statement.date.year)
    return Evidence(event.id, statement.id, *found) if found else None


def _first_mention(blocks: list[Paragraph], start: PartialDate, end: PartialDate | None,
                   reference_year: int | None) -> tuple[int, str] | None:
    for paragraph in blocks:
        if not paragraph.outlet_note:
            sentence = next(mentions(paragraph.text, start, end, reference_year), None)
            if sentence:
                return paragraph.number, sentence.strip()
    return None


# --- cross-source findings --------------------------------------------------------------------


@dataclass(frozen=True)
class Place:
    """A quoted place: a statement's paragraph, or (paragraph 0) outlet text removed by an edit."""

    statement: str
    paragraph: int
    quote: str
    removed_by: int | None = None
    focus: int = 0
    """Where in the quote the compared value is (a short excerpt is centred on it)."""

    @property
    def where(self) -> str:
        if self.removed_by:
            return f"{self.statement}, source text removed by edit {self.removed_by}"
        return (
            f"{self.statement} ¶{self.paragraph}" if self.paragraph else f"{self.statement}, date"
        )


@dataclass(frozen=True)
class Finding:
    """One topic on which statements were compared: the values found and where each is said."""

    topic: str
    values: tuple[tuple[str, tuple[Place, ...]], ...]

    @property
    def disagrees(self) -> bool:
        return len(self.values) > 1






_CLAUSE = re.compile(r",\s|;\s|\s[–—-]\s|(?<=[.!?])\s+")
_QUOTATION = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")


def _not_a_count(text: str, match: re.Match[str]) -> bool:
    """Years, days of a month and spans of years are not head-counts."""
    value = int(re.sub(r"\D", "", match[0]))
    around = text[max(0, match.start() - 12) : match.end() + 12]
    return (
        1900 <= value <= 2100
        or bool(MONTH_WORD.search(around))
        or bool(re.match(r"\s*(?:years?|год|года|лет)\b", text[match.end() :]))
    )


def _casualty_places(statement: Statement, counts: tuple[Topic, ...]) -> Iterator[tuple[str, int, Place]]:
    """Numbers of people (the corpus's `counts:` topics): the number in the keyword's clause."""
    language = statement.original_language
    for paragraph in paragraphs(statement.original.markdown):
        text = paragraph.text
        spans = _spans(text, _CLAUSE)
        for topic in counts:
            for keyword in re.finditer(topic.words.get(language, "$^"), text, re.IGNORECASE):
                a, b = next(span for span in spans if span[0] <= keyword.start() <= span[1])
                found = [m for m in NUMBER.finditer(text, a, b) if not _not_a_count(text, m)]
                before = [m for m in found if m.end() <= keyword.start()]
                after = [m for m in found if m.start() >= keyword.end()]
                chosen = before[-1] if before else (after[0] if after else None)
                if chosen:
                    yield (
                        topic.name,
                        int(re.sub(r"\D", "", chosen[0])),
                        Place(statement.id, paragraph.number, text[a:b], focus=chosen.start() - a),
                    )


def _spans(text: str, separator: re.Pattern[str]) -> list[tuple[int, int]]:
    cuts = [0, *(pos for m in separator.finditer(text) for pos in (m.start(), m.end())), len(text)]
    return list(zip(cuts[::2], cuts[1::2], strict=True))


def _act_places(statement: Statement, acts: tuple[Topic, ...]) -> Iterator[tuple[str, str, Place]]:
    """Dated acts (the corpus's `acts:` topics): the month and year nearest the keyword."""
    language = statement.original_language
    for paragraph in paragraphs(statement.original.markdown):
        # Titles in quotation marks ("On the tragic events … of January 20, 1990") date nothing.
        text = _QUOTATION.sub(lambda m: " " * len(m[0]), paragraph.text)
        dates = list(MONTH_YEAR.finditer(text))
        for topic in acts:
            anchor = re.search(topic.words.get(language, "$^"), text, re.IGNORECASE)
            if anchor and dates:
                near = min(
                    dates,
                    key=lambda d: min(abs(d.start() - anchor.end()), abs(anchor.start() - d.end())),
                )
                month = PartialDate(int(near[2]), month_number(near[1]))
                low, high = min(near.start(), anchor.start()), max(near.end(), anchor.end())
                spans = sentences(paragraph.text)
                first, last = sentence_at(spans, low)[0], sentence_at(spans, high)[1]
                yield (
                    topic.name,
                    format_partial_date(month, "en-GB"),
                    Place(
                        statement.id,
                        paragraph.number,
                        paragraph.text[first:last],
                        focus=near.start() - first,
                    ),
                )


def _anniversary_findings(booklet: Booklet, statement: Statement) -> Finding | None:
    """The anniversary a text states (its words, or outlet words an edit removed) vs its date."""
    computed = booklet.anniversary(statement)
    values: dict[str, list[Place]] = {}
    date_place = Place(statement.id, 0, f"dated {format_partial_date(statement.date, 'en-GB')}")
    values.setdefault(_ordinal(computed) + " (from the date)", []).append(date_place)
    for paragraph in paragraphs(statement.original.markdown):
        spans = sentences(paragraph.text)
        for match in anniversary_mentions(paragraph.text):
            start, end = sentence_at(spans, match.start())
            place = Place(
                statement.id,
                paragraph.number,
                paragraph.text[start:end],
                focus=match.start() - start,
            )
            values.setdefault(_ordinal(int(match["n"])), []).append(place)
    for number, edit in removed_texts(statement):
        for match in anniversary_mentions(edit.text):
            place = Place(statement.id, 0, edit.text, removed_by=number, focus=match.start())
            values.setdefault(_ordinal(int(match["n"])), []).append(place)
    if len(values) == 1 and len(values[next(iter(values))]) == 1:
        return None
    merged: dict[str, list[Place]] = {}
    for label, places in values.items():
        merged.setdefault(label.removesuffix(" (from the date)"), []).extend(places)
    return Finding(
        f"anniversary of {statement.id}",
        tuple((label, tuple(places)) for label, places in merged.items()),
    )


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def cross_source_findings(booklet: Booklet) -> list[Finding]:
    """Every topic compared across statements, in a stable order; `disagrees` marks a conflict."""
    grouped: dict[str, dict[str, list[Place]]] = {}
    for statement in booklet.statements:
        for topic, value, place in _casualty_places(statement, booklet.reference.counts):
            grouped.setdefault(f"number {topic}", {}).setdefault(str(value), []).append(place)
        for act, act_date, place in _act_places(statement, booklet.reference.acts):
            grouped.setdefault(f"date of the {act}", {}).setdefault(act_date, []).append(place)
    findings = [
        Finding(topic, tuple((value, tuple(places)) for value, places in values.items()))
        for topic, values in grouped.items()
    ]
    findings += [f for s in booklet.statements if (f := _anniversary_findings(booklet, s))]
    return findings


# --- everything together ----------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    """The result of `booklet check` beyond the schema: errors, findings and chronology evidence."""

    problems: tuple[Problem, ...]
    findings: tuple[Finding, ...]
    evidence: tuple[Evidence, ...]
    uncited: tuple[Evidence, ...] = ()
    """Mentions of events in statements the chronology does not cite for them."""


def printing_problems(statement: Statement) -> list[Problem]:
    """Every word of each text is printed: none lost in its Markdown (markup.lost_word)."""
    found = []
    for text in statement.texts.values():
        lost = lost_word(text.markdown)
        if lost is not None:
            offset, word = lost
            found.append(Problem(
                text.path, text.markdown.count("\n", 0, offset) + 1,
                f"the words from “{word}” on would not be printed: Markdown drops what is nested deeper than "
                "it goes (about ten levels of lists, twenty of quotations `>`)",
                "write the passage with fewer levels of `>` or of list indent"))
    return found


def statement_checks(booklet: Booklet | None, statement: Statement) -> list[Problem]:
    """The checks of one statement on its own: provenance, figure parity, every word printed, an
    inferred date."""
    if statement.original_language not in (statement.texts or {}):
        return []
    problems = statement_problems(statement) + parity_problems(statement) + printing_problems(statement)
    return problems + (date_problems(booklet, statement) if booklet else [])


def review(booklet: Booklet) -> Review:
    problems = []
    for statement in booklet.statements:
        problems += statement_checks(booklet, statement)
    chronology_problems, evidence, uncited = chronology_evidence(booklet)
    problems += chronology_problems
    return Review(tuple(problems), tuple(cross_source_findings(booklet)), tuple(evidence), tuple(uncited))

