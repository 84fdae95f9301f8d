"""The editorial report: where the sources disagree, what they agree on, and the evidence behind
the chronology and every declared edit — for editors, who decide; the texts stay as issued."""

from __future__ import annotations

from collections import Counter
from html import escape

from booklet.corpus.model import Booklet
from booklet.editorial.checks import Finding, Place, Review
from booklet.editorial.markup import markdown_to_html


def _quoted(place: Place, limit: int | None = None) -> str:
    """The place and its words; with a limit, an excerpt around the compared value."""
    quote = place.quote.strip()
    if limit and len(quote) > limit:
        start = max(0, min(place.focus - limit // 3, len(quote) - limit))
        excerpt = quote[start : start + limit].strip()
        quote = ("…" if start else "") + excerpt + ("…" if start + limit < len(quote) else "")
    return f"{place.where}: “{' '.join(quote.split())}”"


def warning_lines(findings: tuple[Finding, ...]) -> list[str]:
    """One line per disagreement, for `booklet check`: each value with its places, quoted."""
    lines = []
    for finding in findings:
        if finding.disagrees:
            values = " vs ".join(
                f"{value} ({'; '.join(_quoted(place, 70) for place in places)})"
                for value, places in finding.values
            )
            lines.append(f"sources disagree on the {finding.topic}: {values}")
    return lines


def _finding_markdown(finding: Finding) -> list[str]:
    lines = [f"### {finding.topic[0].upper()}{finding.topic[1:]}", ""]
    for value, places in finding.values:
        lines.append(f"- **{value}**")
        lines += [f"  - {_quoted(place)}" for place in places]
    return [*lines, ""]


def _title(booklet: Booklet) -> str:
    """The booklet's title in its first edition's language (the report itself is in English)."""
    return booklet.title[booklet.editions[0].language]


def report_markdown(booklet: Booklet, review: Review) -> str:
    """The whole report as Markdown (the HTML report is this, rendered)."""
    disagreements = [f for f in review.findings if f.disagrees]
    agreements = [f for f in review.findings if not f.disagrees]
    lines = [
        f"# Editorial report: {_title(booklet)}",
        "",
        "Every text is kept as issued. Where the statements disagree, the editors decide whether "
        "to add a note; the anniversary the booklet prints is always computed from the date.",
        "",
        f"## Where the sources disagree ({len(disagreements)})",
        "",
    ]
    for finding in disagreements:
        lines += _finding_markdown(finding)
    lines += [f"## Checked and consistent ({len(agreements)})", ""]
    for finding in agreements:
        lines += _finding_markdown(finding)
    lines += ["## Chronology: where each statement mentions each event", ""]
    for event in booklet.chronology:
        lines.append(
            f"- **{event.id}** ({event.date.start}"
            f"{'–' + str(event.date.end) if event.date.end else ''})"
        )
        for evidence in (e for e in (*review.evidence, *review.uncited) if e.event == event.id):
            where = f"¶{evidence.paragraph}" if evidence.paragraph else "its date"
            uncited = " (mentions it, not cited)" if evidence in review.uncited else ""
            lines.append(
                f"  - {evidence.statement}{uncited} {where}: “{' '.join(evidence.sentence.split())}”"
            )
    lines += ["", "## Declared edits (source → corpus text)", ""]
    for statement in booklet.statements:
        kinds = Counter(
            edit.reason or (f"{edit.kind} {edit.text}" if edit.kind == "normalise" else edit.kind)
            for edit in statement.edits
        )
        summary = ", ".join(f"{kind} ×{count}" for kind, count in kinds.items()) or "none"
        source = statement.source.name if statement.source else "no source kept"
        lines.append(f"- **{statement.id}** ({source}): {summary}")
    if review.problems:
        lines += ["", f"## Errors ({len(review.problems)})", ""]
        lines += [f"- {problem}" for problem in review.problems]
    return "\n".join(lines) + "\n"


def report_html(booklet: Booklet, review: Review) -> str:
    title = escape(f"Editorial report: {_title(booklet)}")
    body = markdown_to_html(report_markdown(booklet, review))
    return (
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n</head>\n<body>\n{body}</body>\n</html>\n"
    )
