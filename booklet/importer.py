"""`booklet import`: a raw scraped text → a corpus entry for review, every change declared.

The importer never edits a text silently: each thing it strips or rejoins becomes an edit in the
proposed YAML (booklet.provenance), applied as it is found, so `booklet check` proves the result.
Its rules are general (interface debris, datelines, an outlet's framing and quote marks,
paragraphs split mid-sentence, hard wraps); what it cannot decide it lists for the editor.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

from booklet.corpus import STATEMENTS_DIR
from booklet.figures import DAY_MONTH_YEAR, MONTH_DAY_YEAR, month_number, sentences, years_since
from booklet.model import Edit, PartialDate
from booklet.problems import BookletError, Problem
from booklet.provenance import FENCE_OPEN, apply_edit

SOURCES_DIR = "sources"
TRANSLATOR = "the booklet's editors"

_LETTERS3 = re.compile(r"[^\W\d_]{3,}")
_STAMP = re.compile(
    r"\bdate (\d{4}-\d{2}-\d{2})"
    r"(?: \d{1,2} [^\W\d_]+ \d{4} \d{1,2}:\d{2} \(UTC[+\-−]\d{2}:\d{2}\))?"
)
_CITY_DATELINE = re.compile(r"^[A-ZА-ЯЁ]{2,}(?:, [^\W\d_][\w ]*)*, [^\W\d_]+ \d{1,2}\.")
_REPORTED = re.compile(r"\b(?:has issued an? (?:statement|message)|reports\.$)", re.IGNORECASE)
_REPORTER = re.compile(r"\b([\w.]+) reports\.$")
_LEAD_IN = re.compile(r"^(?:The statement reads|В заявлении говорится)[^\n]*:$", re.IGNORECASE)
_TAIL = re.compile(
    r", (?:the [Ss]tatement (?:reads|emphasized|emphasised|noted|said|stressed)|"
    r"говорится в [Зз]аявлении|подчеркивается в [Зз]аявлении)\.$"
)
_OUTLET_NAME = re.compile(r"^[A-Z][\w-]*(?:\.[A-Za-z]{2,})+$")
_PARAPHRASE = re.compile(r"^(?:(?P<en>[A-Z][\w.]*) reports that\b|Как сообщает (?P<ru>[\w.]+),)")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_TERMINAL = ".!?:;…\"”»)'’"
_QUOTES = {'"': '"', "“": "”", "«": "»"}
_MARKDOWN_HAZARD = re.compile(r"^(?:#|>|[-*+] |\d+[.)] )|[*_`<\\]", re.MULTILINE)


@dataclass(frozen=True)
class Proposal:
    """What the importer made of a raw text: the corpus text, its edits and proposed metadata."""

    id: str
    language: str
    markdown: str
    edits: tuple[Edit, ...]
    date: PartialDate | None
    date_evidence: str
    """How the date was found: the printed words, or the inference (then `date_inferred`)."""
    date_inferred: str | None
    outlet: str | None
    title: str | None
    issuer: str | None
    done: tuple[str, ...]
    confirm: tuple[str, ...]


class _Draft:
    """The text being imported; every change goes through a declared edit, applied at once."""

    def __init__(self, raw: str):
        self.text = raw
        self.edits: list[Edit] = []
        self.done: list[str] = []
        self.confirm: list[str] = []

    def apply(self, edit: Edit, what: str) -> None:
        self.text = apply_edit(self.text, edit)
        self.edits.append(edit)
        self.done.append(what)

    def remove(self, start: int, end: int, reason: str, what: str, grow: str = "right") -> None:
        """Remove text[start:end], anchored so that the edit names exactly this place."""
        target = self.text[start:end]
        lead = len(self.text) - len(self.text.lstrip())
        tail = len(self.text.rstrip())
        if self.text.count(target) == 1:
            edit = Edit("remove", target, 0, reason=reason)
        elif start == lead:
            edit = Edit("remove", target, 0, reason=reason, at="start")
        elif end == tail:
            edit = Edit("remove", target, 0, reason=reason, at="end")
        else:
            edit = Edit("remove", target, 0, reason=reason, within=self._context(start, end, grow))
        self.apply(edit, f"removed {reason}: {_show(target)}")

    def _context(self, start: int, end: int, grow: str) -> str:
        """The shortest run of whole words, grown to one side, around [start, end) found once."""
        left, right = start, end
        target = self.text[start:end]
        while self.text.count(self.text[left:right]) > 1 or self.text[left:right].count(target) > 1:
            if (grow == "left" and left > 0) or right == len(self.text):
                left = _word_start(self.text, left)
            else:
                right = _word_end(self.text, right)
        return self.text[left:right]

    def paragraphs(self) -> list[tuple[int, int]]:
        """(start, end) of every paragraph of the current text."""
        spans, position = [], 0
        for gap in [*_PARAGRAPH_BREAK.finditer(self.text), None]:
            end = gap.start() if gap else len(self.text)
            if self.text[position:end].strip():
                offset = len(self.text[position:end]) - len(self.text[position:end].lstrip())
                spans.append((position + offset, len(self.text[:end].rstrip())))
            position = gap.end() if gap else end
        return spans


def _word_end(text: str, position: int) -> int:
    match = re.compile(r"\s*\S+").match(text, position)
    return match.end() if match else len(text)


def _word_start(text: str, position: int) -> int:
    match = re.search(r"\S+\s*$", text[:position])
    return match.start() if match else 0


def _show(text: str, limit: int = 70) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return json.dumps(shown, ensure_ascii=False)


def propose(raw: str, statement_id: str, commemorated: PartialDate) -> Proposal:
    """Turn a raw text into a proposed corpus entry; every change is a declared edit."""
    draft = _Draft(raw)
    if raw.startswith("\ufeff") or "\r" in raw:
        draft.apply(
            Edit("normalise", "line-endings", 0), "normalised a byte-order mark and CR/LF line ends"
        )
    found = _strip_furniture(draft)
    if any("\n" in draft.text[a:b] for a, b in draft.paragraphs()):
        for match in re.finditer(r"(\S*\w-)[ \t]*\n[ \t]*(\w\S*)", draft.text):
            draft.confirm.append(
                f"a line ends in a hyphen: {match[1]}{match[2]} was joined keeping it "
                "— confirm it is a compound, not a broken word"
            )
        draft.apply(Edit("normalise", "reflow", 0), "re-flowed hard-wrapped lines into paragraphs")
    _strip_outlet_quotes(draft)
    _join_split_paragraphs(draft)
    outlet = found.get("outlet")
    for start, end in draft.paragraphs():
        paraphrase = _PARAPHRASE.match(draft.text[start:end])
        if paraphrase:
            outlet = outlet or paraphrase["en"] or paraphrase["ru"]
            first_words = paraphrase[0]
            while draft.text.count(first_words) > 1:
                first_words = draft.text[start : _word_end(draft.text, start + len(first_words))]
            draft.apply(
                Edit("outlet-note", first_words, 0),
                f"set the outlet's paraphrase apart as an outlet note: {_show(first_words)}",
            )
            draft.confirm.append(
                "the outlet note is the outlet's words: decide whether the booklet prints it"
            )
    draft.apply(
        Edit("normalise", "layout", 0), "normalised blank lines, line edges and the final newline"
    )
    language = (
        "ru"
        if len(re.findall(r"[а-яё]", draft.text, re.I))
        > len(re.findall(r"[a-z]", draft.text, re.I))
        else "en"
    )
    date, evidence, inferred = _date(found, draft.text, commemorated)
    _markdown_hazards(draft)
    if draft.text.rstrip()[-1:] not in _TERMINAL:
        draft.confirm.append(
            "the text ends without final punctuation, as in the source: keep it so?"
        )
    return Proposal(
        id=statement_id,
        language=language,
        markdown=draft.text,
        edits=tuple(draft.edits),
        date=date,
        date_evidence=evidence,
        date_inferred=inferred,
        outlet=outlet,
        title=found.get("title"),
        issuer=found.get("issuer"),
        done=tuple(draft.done),
        confirm=tuple(draft.confirm),
    )


def _strip_furniture(draft: _Draft) -> dict[str, str]:
    """Line by line: interface debris, datelines, headings, signatures, the outlet's framing."""
    found: dict[str, str] = {}
    lines = [line for line in draft.text.split("\n") if line.strip()]
    for index, line in enumerate(lines):
        stripped = line.strip()
        last = index == len(lines) - 1
        if len(stripped) <= 40 and not _LETTERS3.search(stripped):
            _remove_text(draft, stripped, "web-noise", "interface debris")
        elif last and _OUTLET_NAME.match(stripped):
            found["outlet"] = stripped
            _remove_text(draft, stripped, "web-noise", "the outlet's name")
        elif stripped.startswith("#"):
            found.setdefault("title", stripped.strip("#* "))
            _remove_text(draft, stripped, "heading-to-metadata", "the heading (proposed as title)")
        elif stripped.startswith("**") and stripped.endswith("**"):
            inner = stripped.strip("* ")
            date = _printed_date(inner)
            if date:
                found["date"], found["date_words"] = str(date), inner
                _remove_text(draft, stripped, "dateline", "the date line (proposed as date)")
            elif last:
                found["issuer"] = inner
                _remove_text(draft, stripped, "signature", "the signature (proposed as issuer)")
            else:
                draft.confirm.append(f"a bold line was kept as text: {_show(stripped)}")
        elif _LEAD_IN.match(stripped):
            _remove_text(draft, stripped, "outlet-framing", "the outlet's lead-in")
        else:
            _strip_line_furniture(draft, stripped, found)
    tail = _TAIL.search(draft.text.rstrip())
    if tail:
        draft.remove(tail.start(), tail.end(), "outlet-framing", "")
        draft.done[-1] = f"removed the outlet's attribution [outlet-framing]: {_show(tail[0])}"
    return found


def _strip_line_furniture(draft: _Draft, line: str, found: dict[str, str]) -> None:
    """A dateline stamp, a CITY, Month D. dateline, and sentences reporting on the statement."""
    rest = line
    stamp = _STAMP.match(rest)
    if stamp:
        found["date"], found["date_words"] = stamp[1], stamp[0]
        _remove_text(draft, stamp[0], "dateline", "the outlet's date stamp (proposed as date)")
        rest = rest[stamp.end() :].strip()
    city = _CITY_DATELINE.match(rest)
    if city:
        _remove_text(draft, city[0], "dateline", "the outlet's dateline")
        rest = rest[city.end() :].strip()
    for start, end in sentences(rest):
        sentence = rest[start:end]
        if _REPORTED.search(sentence):
            issuer = re.match(r"(?:The )?(.+?)(?:’s|'s)? has issued", sentence)
            if issuer:
                found.setdefault("issuer", issuer[1])
            reporter = _REPORTER.search(sentence)
            if reporter:
                found["outlet"] = reporter[1]
            _remove_text(draft, sentence, "outlet-framing", "the outlet's framing sentence")


def _remove_text(draft: _Draft, target: str, reason: str, what: str) -> None:
    start = draft.text.index(target)
    draft.remove(start, start + len(target), reason, "")
    draft.done[-1] = f"removed {what} [{reason}]: {_show(target)}"


def _strip_outlet_quotes(draft: _Draft) -> None:
    """Quote marks the outlet put around the statement's paragraphs are not the statement's."""
    spans = draft.paragraphs()
    index = 0
    while index < len(spans):
        start, _ = spans[index]
        opener = draft.text[start]
        closer = _QUOTES.get(opener)
        close_at = _closing_paragraph(draft.text, spans, index, opener, closer) if closer else None
        if close_at is None:
            index += 1
            continue
        end = spans[close_at][1]
        close_start = end - 1
        if draft.text[close_start - 1] == " ":
            close_start -= 1
        draft.remove(close_start, end, "outlet-quote-marks", "", grow="left")
        draft.done[-1] = (
            f"removed the outlet's closing quote mark [outlet-quote-marks]: "
            f"{_show(draft.edits[-1].text)}"
        )
        draft.remove(start, start + 1, "outlet-quote-marks", "")
        draft.done[-1] = (
            f"removed the outlet's opening quote mark [outlet-quote-marks]: {_show(opener)}"
        )
        spans = draft.paragraphs()
        index = close_at + 1


def _closing_paragraph(
    text: str, spans: list[tuple[int, int]], first: int, opener: str, closer: str
) -> int | None:
    """The paragraph whose last character closes the quotation opened at paragraph `first`."""
    for index in range(first, len(spans)):
        end = spans[index][1]
        if text[end - 1] == closer and end - 1 > spans[first][0]:
            inside = text[spans[first][0] + 1 : end - 1]
            balanced = (
                inside.count('"') % 2 == 0
                if opener == '"'
                else inside.count(opener) == inside.count(closer)
            )
            if balanced:
                return index
    return None


def _join_split_paragraphs(draft: _Draft) -> None:
    """A paragraph that stops mid-sentence and one that goes on in lower case are one paragraph."""
    while True:
        spans = draft.paragraphs()
        pair = next(
            (
                (a, b)
                for a, b in pairwise(spans)
                if draft.text[a[1] - 1] not in _TERMINAL
                and draft.text[b[0]].islower()
                and not draft.text[a[0] : a[1]].startswith(FENCE_OPEN)
            ),
            None,
        )
        if pair is None:
            return
        (_, end), (start, _) = pair
        left, right = _word_start(draft.text, end), _word_end(draft.text, start)
        while draft.text.count(draft.text[left:right]) > 1:
            left, right = _word_start(draft.text, left), _word_end(draft.text, right)
        excerpt = draft.text[left:right]
        draft.apply(
            Edit("join", excerpt, 0), f"rejoined a paragraph split mid-sentence: {_show(excerpt)}"
        )
        if draft.text[end - 1] == "-":
            draft.confirm.append(
                f"a word hyphenated across the split was rejoined keeping its hyphen: "
                f"{_show(excerpt)}"
            )


def _printed_date(words: str) -> PartialDate | None:
    """A date line such as `20 января 2024-го года` or `January 19, 2025`."""
    for pattern, order in ((DAY_MONTH_YEAR, "dmy"), (MONTH_DAY_YEAR, "mdy")):
        match = pattern.search(words)
        if match:
            parts = dict(zip(order, match.groups(), strict=True))
            month = month_number(parts["m"])
            if month:
                return PartialDate(int(parts["y"]), month, int(parts["d"]))
    return None


def _date(
    found: dict[str, str], text: str, commemorated: PartialDate
) -> tuple[PartialDate | None, str, str | None]:
    if "date" in found:
        return (
            PartialDate.parse(found["date"]),
            f'printed in the source: "{found["date_words"]}"',
            None,
        )
    for match in years_since(text):
        years = int(match["n"])
        before = re.search(r"[^.,;:!?\n]*$", text[: match.start()])
        after = re.match(r"[^.,;:!?\n]*", text[match.start() :])
        clause = (before[0] if before else "").lstrip() + (after[0] if after else "")
        year = commemorated.year + years
        inferred = (
            f'No date is printed. The text says "{clause}": {commemorated.year} + {years} = {year}.'
        )
        return PartialDate(year), f"inferred with year precision: {inferred}", inferred
    return None, "not found: no printed date and no 'N years' in the text", None


def _markdown_hazards(draft: _Draft) -> None:
    for match in _MARKDOWN_HAZARD.finditer(draft.text):
        line = draft.text.count("\n", 0, match.start()) + 1
        draft.confirm.append(
            f"line {line}: {_show(match[0])} has a meaning in Markdown; check the rendered text"
        )


# --- writing the entry ------------------------------------------------------------------------


def entry_files(corpus_dir: Path, proposal: Proposal) -> dict[str, Path]:
    statements = corpus_dir / STATEMENTS_DIR
    return {
        "source": corpus_dir / SOURCES_DIR / f"{proposal.id}.txt",
        "yaml": statements / f"{proposal.id}.yaml",
        "text": statements / f"{proposal.id}.{proposal.language}.md",
    }


def write_entry(
    corpus_dir: Path, raw: bytes, proposal: Proposal, force: bool = False
) -> dict[str, Path]:
    """Write the verbatim source, the text and the proposed YAML; never overwrite without force."""
    files = entry_files(corpus_dir, proposal)
    existing = [path for path in files.values() if path.exists()]
    if existing and not force:
        raise BookletError(
            [
                Problem(
                    path,
                    None,
                    "already exists; nothing was written",
                    "choose another --id, or pass --force to replace it",
                )
                for path in existing
            ]
        )
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    files["source"].write_bytes(raw)
    files["text"].write_text(proposal.markdown, encoding="utf-8")
    files["yaml"].write_text(proposal_yaml(proposal), encoding="utf-8")
    return files


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def edits_yaml(edits: tuple[Edit, ...]) -> list[str]:
    lines = []
    for edit in edits:
        lines.append(
            f"  - {edit.kind}: {edit.text if edit.kind == 'normalise' else _quoted(edit.text)}"
        )
        for key, value in (
            ("reason", edit.reason),
            ("at", edit.at),
            ("in", edit.within),
            ("note", edit.note),
        ):
            if value is not None:
                lines.append(f"    {key}: {_quoted(value) if key in ('in', 'note') else value}")
    return lines


def proposal_yaml(proposal: Proposal) -> str:
    original = proposal.language
    other = "ru" if original == "en" else "en"
    title = proposal.title or "CONFIRM: title"
    lines = [
        f"# Proposed by `booklet import` from {SOURCES_DIR}/{proposal.id}.txt. Review every field;",
        "# titles and the issuer are guesses, the date says how it was found.",
        "title:",
        f"  {original}: {_quoted(title)}",
        f"  {other}: {_quoted('CONFIRM: title')}",
        "short_title:",
        f"  {original}: {_quoted('CONFIRM: short title')}",
        f"  {other}: {_quoted('CONFIRM: short title')}",
        "issuer:",
        f"  {original}: {_quoted(proposal.issuer or 'CONFIRM: issuer')}",
        f"  {other}: {_quoted('CONFIRM: issuer')}",
    ]
    if proposal.outlet:
        lines.append(f"outlet: {_quoted(proposal.outlet)}")
    lines.append(f"date: {proposal.date or 'CONFIRM'}  # {proposal.date_evidence}")
    if proposal.date_inferred:
        lines.append(f"date_inferred: {_quoted(proposal.date_inferred)}")
    lines += [
        f"original_language: {original}",
        f"source: {SOURCES_DIR}/{proposal.id}.txt",
        f"# Applied in order to the source, these give {proposal.id}.{original}.md exactly.",
        "edits:",
        *edits_yaml(proposal.edits),
        "texts:",
        f"  {original}: {{file: {proposal.id}.{original}.md}}",
        f"  {other}: {{file: {proposal.id}.{other}.md, translated_from: {original}, "
        f"translator: {TRANSLATOR}}}  # CONFIRM: write the translation",
    ]
    return "\n".join(lines) + "\n"
