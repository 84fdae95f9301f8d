"""The template context: a typed contract between the model and the layouts.

Everything a template shows is decided here (which text is set, which dates, which notes, all set
with the locale's micro-typography); the templates only arrange it and supply interface strings
from the catalogs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from babel.lists import format_list
from markupsafe import Markup

from booklet.corpus.model import (
    Booklet,
    ChronologyEvent,
    Edition,
    Localized,
    PartialDate,
    Statement,
    StatementText,
)
from booklet.editorial.anchors import Mention, markdown_with_anchors
from booklet.editorial.checks import Evidence
from booklet.editorial.l10n import (
    Ordinal,
    babel_locale,
    format_partial_date,
    format_span,
    language_name,
    ordinal,
    source_date_epoch,
)
from booklet.editorial.typography import typeset, typeset_html, unbreakable
from booklet.typeset.balance import balanced_lines, one_line
from booklet.typeset.layout import Layout, PageGeometry, font_family_licences, measure_of


def anchor_of(statement_id: str) -> str:
    return f"statement-{statement_id}"


def mention_anchor(event_id: str, statement_id: str) -> str:
    return f"mention-{event_id}-{statement_id}"


@dataclass(frozen=True)
class StatementRef:
    anchor: str
    """Where the reference points: the mention in the statement's text, or its opening."""
    short_title: str
    statement_anchor: str
    """The statement's own anchor: a layout that sets each statement apart (the EPUB) finds it by this."""
    whole: bool = True
    """The short title fits one line of the column (its spaces do not break); else it breaks like text."""


@dataclass(frozen=True)
class StatementView:
    id: str
    anchor: str
    title: str
    title_lines: tuple[str, ...]
    """The heading in balanced lines (one line when the layout balances no headings)."""
    contents_lines: tuple[str, ...]
    """The title in balanced lines for the contents."""
    short_title: str
    running_head: str
    """The short title as the running head sets it: cut at a word when too long for one line."""
    cited_whole: bool
    """The short title fits one line where the chronology cites the statement (layout.yaml's `cited`)."""
    date_label: str
    year: str
    """The year alone, as the contents shows it (2021 / 2021 г.)."""
    date_inferred: bool
    anniversary: Ordinal
    issuer: str
    outlet: str | None
    text_language: str
    """The language the words are set in (the `lang` of the section, for hyphenation)."""
    text_language_name: str
    """Its name in the edition's language, from CLDR (Russian, русский, rus)."""
    translated_from: str | None
    """Set for a translation: its source language."""
    translated_from_name: str | None
    """The source language's name in the edition's language."""
    official_translation: bool
    original_in_place_of_translation: bool
    """True when the edition sets the original because it has (or admits) no translation."""
    body_html: Markup


@dataclass(frozen=True)
class EventView:
    date_label: str
    """Set unbreakable: a date never parts across lines."""
    night: bool
    """A night across the two days of the date: the layout says so with the date."""
    night_end_label: str
    """The day the night leads into, for languages that name the night by it (ночь на 20 января)."""
    label: str
    cited: tuple[StatementRef, ...]


@dataclass(frozen=True)
class ImprintView:
    """The imprint as printed; optional parts are None and print nothing."""

    publisher: str
    edition: str
    place: str | None
    contact: str | None
    licence: str | None


@dataclass(frozen=True)
class FontFaceView:
    family: str
    url: str
    weight: int
    style: str


@dataclass(frozen=True)
class DocumentInfo:
    """The PDF's metadata: the corpus's own words, without the layout's typographic spaces."""

    title: str
    subject: str
    author: str
    keywords: str


@dataclass(frozen=True)
class EditionContext:
    language: str
    locale: str
    title: str
    running_head: str
    """The title as the verso running head sets it: cut at a word when too long for one line."""
    subtitle: str
    editors: str
    date_label: str
    kicker: str
    """The line above the cover's title: where and when the commemorated event happened
    (Baku · 1990), from metadata, so it never repeats the title."""
    imprint: ImprintView | None
    """None when the corpus declares no imprint (`booklet check` warns): nothing is printed."""
    created: str
    """ISO timestamp for the PDF's creation date: SOURCE_DATE_EPOCH or the booklet's date."""
    statements: tuple[StatementView, ...]
    events: tuple[EventView, ...]
    """History: the chronology's events other than the statements' own issue."""
    issues: tuple[EventView, ...]
    """The statements' own issue and publication, listed apart from the history."""
    font_faces: tuple[FontFaceView, ...]
    font_licences: tuple[tuple[str, str], ...]
    """(the families, listed in the edition's language, and their licence), one per licence."""
    page: PageGeometry
    """The trim size booklet.yaml chose, with the layout's margins and type sizes for it."""
    document: DocumentInfo


def chosen_text(statement: Statement, edition: Edition) -> StatementText:
    """The edition's own language when it may be set, else the original."""
    candidate = statement.texts.get(edition.language)
    if candidate is None:
        return statement.original
    translation = candidate.translation
    if translation and not translation.official and not edition.unofficial_translations:
        return statement.original
    return candidate


def balanced(text: str, layout: Layout, page: PageGeometry, name: str) -> tuple[str, ...]:
    measure = measure_of(layout, page, name)
    return tuple(balanced_lines(text, measure)) if measure else (text,)


def fits(text: str, layout: Layout, page: PageGeometry, name: str) -> bool:
    """The text fits one line of the measure the layout names (always, when it measures none)."""
    measure = measure_of(layout, page, name)
    return one_line(text, measure) == text if measure else True


def running_head(text: str, layout: Layout, page: PageGeometry) -> str:
    """The text as it fits a running head's one line of capitals (style.css upper-cases running
    heads), cut at a word when too long; the whole text when the layout measures none."""
    measure = measure_of(layout, page, "running")
    return one_line(text, measure, capitals=True) if measure else text


def statement_view(booklet: Booklet, statement: Statement, edition: Edition, layout: Layout,
                   page: PageGeometry, mentions: list[Mention] | None = None) -> StatementView:
    chosen = chosen_text(statement, edition)
    language, locale = edition.language, edition.locale
    title = typeset(statement.title[language], language)
    return StatementView(
        id=statement.id,
        anchor=anchor_of(statement.id),
        title=title,
        title_lines=balanced(title, layout, page, "heading"),
        contents_lines=balanced(title, layout, page, "contents"),
        short_title=typeset(statement.short_title[language], language),
        running_head=running_head(typeset(statement.short_title[language], language), layout, page),
        cited_whole=fits(typeset(statement.short_title[language], language), layout, page, "cited"),
        date_label=unbreakable(typeset(format_partial_date(statement.date, locale), language)),
        year=unbreakable(typeset(format_partial_date(PartialDate(statement.date.year), locale), language)),
        date_inferred=statement.date_inferred is not None,
        anniversary=ordinal(booklet.anniversary(statement), locale),
        issuer=typeset(statement.issuer[language], language),
        outlet=statement.outlet,
        text_language=chosen.language,
        text_language_name=language_name(chosen.language, locale),
        translated_from=chosen.translation.source_language if chosen.translation else None,
        translated_from_name=(language_name(chosen.translation.source_language, locale)
                              if chosen.translation else None),
        official_translation=bool(chosen.translation and chosen.translation.official),
        original_in_place_of_translation=chosen.language != language,
        # markdown-it escapes the source and typeset_html re-escapes every text node it changes
        body_html=Markup(typeset_html(markdown_with_anchors(chosen.markdown, mentions or []),
                                      chosen.language)),
    )


def _localized(value: Localized | None, language: str) -> str | None:
    return typeset(value[language], language) if value else None


def kicker(booklet: Booklet, edition: Edition) -> str:
    """Place · year of the commemorated event (Baku · 1990), or the year alone."""
    year = str(booklet.commemorated.year)
    place = _localized(booklet.commemorated_place, edition.language)
    return f"{place}\u00a0· {year}" if place else year


def imprint_view(booklet: Booklet, language: str) -> ImprintView | None:
    imprint = booklet.imprint
    if imprint is None:
        return None
    return ImprintView(
        publisher=typeset(imprint.publisher[language], language),
        edition=typeset(imprint.edition[language], language),
        place=_localized(imprint.place, language),
        contact=_localized(imprint.contact, language),
        licence=_localized(imprint.licence, language),
    )


def _mentions_by_statement(
    booklet: Booklet, evidence: tuple[Evidence, ...]
) -> dict[str, list[Mention]]:
    """Each statement's anchors: one per event it is cited for, at the paragraph of the evidence."""
    events = {event.id: event for event in booklet.chronology}
    years = {statement.id: statement.date.year for statement in booklet.statements}
    found: dict[str, list[Mention]] = {}
    for item in evidence:
        event = events.get(item.event)
        if event is None or item.paragraph == 0:
            continue  # paragraph 0: the statement's own date; the reference is to its opening
        found.setdefault(item.statement, []).append(Mention(
            mention_anchor(item.event, item.statement), item.paragraph, event.date.start, event.date.end,
            years.get(item.statement)))
    return found


def event_view(event: ChronologyEvent, edition: Edition, by_id: dict[str, StatementView],
               anchored: set[str]) -> EventView:
    language, locale = edition.language, edition.locale
    end = event.date.end or event.date.start
    return EventView(
        date_label=unbreakable(typeset(format_span(event.date, locale), language)),
        night=event.date.night,
        night_end_label=unbreakable(typeset(format_partial_date(end, locale), language)),
        label=typeset(event.label[language], language),
        cited=tuple(
            StatementRef(
                mention_anchor(event.id, sid) if mention_anchor(event.id, sid) in anchored
                else by_id[sid].anchor,
                unbreakable(by_id[sid].short_title) if by_id[sid].cited_whole else by_id[sid].short_title,
                by_id[sid].anchor,
                by_id[sid].cited_whole,
            )
            for sid in event.statements
        ),
    )


def edition_context(booklet: Booklet, edition: Edition, layout: Layout, page: PageGeometry,
                    evidence: tuple[Evidence, ...] = ()) -> EditionContext:
    """The edition's context; `evidence` (the chronology check's findings) places the anchors the
    chronology's references point to (without it they point to each statement's opening)."""
    language, locale = edition.language, edition.locale
    mentions = _mentions_by_statement(booklet, evidence)
    views = tuple(statement_view(booklet, s, edition, layout, page, mentions.get(s.id)) for s in booklet.statements)
    by_id = {view.id: view for view in views}
    anchored = {mention.anchor for found in mentions.values() for mention in found}
    events = tuple(event_view(e, edition, by_id, anchored) for e in booklet.chronology if not e.issued)
    issues = tuple(event_view(e, edition, by_id, anchored) for e in booklet.chronology if e.issued)
    years = sorted({s.date.year for s in booklet.statements})
    return EditionContext(
        language=language,
        locale=locale,
        title=typeset(booklet.title[language], language),
        running_head=running_head(typeset(booklet.title[language], language), layout, page),
        subtitle=typeset(booklet.subtitle[language], language),
        editors=typeset(booklet.editors[language], language),
        date_label=unbreakable(typeset(format_partial_date(booklet.date, locale), language)),
        kicker=kicker(booklet, edition),
        imprint=imprint_view(booklet, language),
        created=dt.datetime.fromtimestamp(source_date_epoch(booklet.date), dt.UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        ),
        statements=views,
        events=events,
        issues=issues,
        font_faces=tuple(
            FontFaceView(face.family, face.path.resolve().as_uri(), face.weight, face.style)
            for face in layout.fonts
        ),
        font_licences=tuple((format_list(families, locale=babel_locale(locale)), licence)
                            for families, licence in font_family_licences(layout)),
        page=page,
        document=DocumentInfo(
            title=f"{booklet.title[language]}: {booklet.subtitle[language]}",
            subject=booklet.subtitle[language],
            author=booklet.editors[language],
            keywords=", ".join([booklet.title[language], *(str(year) for year in years)]),
        ),
    )
