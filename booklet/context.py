"""The template context: a typed contract between the model and the layouts.

Everything a template shows is decided here (which text is set, which dates, which notes, all set
with the locale's micro-typography); the templates only arrange it and supply interface strings
from the catalogs.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from markupsafe import Markup

from booklet.l10n import (
    Ordinal,
    format_day_of_year,
    format_partial_date,
    format_span,
    language_name,
    ordinal,
    source_date_epoch,
)
from booklet.layout import Layout, PageGeometry, font_family_licences
from booklet.markup import markdown_to_html
from booklet.model import Booklet, Edition, Statement, StatementText
from booklet.typography import typeset, typeset_html


def anchor_of(statement_id: str) -> str:
    return f"statement-{statement_id}"


@dataclass(frozen=True)
class StatementRef:
    anchor: str
    short_title: str


@dataclass(frozen=True)
class StatementView:
    id: str
    anchor: str
    title: str
    short_title: str
    date_label: str
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
    night: bool
    label: str
    cited: tuple[StatementRef, ...]


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
    subtitle: str
    editors: str
    date_label: str
    commemorated_label: str
    """The day commemorated, without its year (the cover's line: 20 January / 20 января)."""
    created: str
    """ISO timestamp for the PDF's creation date: SOURCE_DATE_EPOCH or the booklet's date."""
    statement_count: int
    statements: tuple[StatementView, ...]
    events: tuple[EventView, ...]
    font_faces: tuple[FontFaceView, ...]
    font_licences: tuple[tuple[str, str], ...]
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


def statement_view(booklet: Booklet, statement: Statement, edition: Edition) -> StatementView:
    chosen = chosen_text(statement, edition)
    language, locale = edition.language, edition.locale
    return StatementView(
        id=statement.id,
        anchor=anchor_of(statement.id),
        title=typeset(statement.title[language], language),
        short_title=typeset(statement.short_title[language], language),
        date_label=typeset(format_partial_date(statement.date, locale), language),
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
        body_html=Markup(typeset_html(markdown_to_html(chosen.markdown), chosen.language)),
    )


def edition_context(booklet: Booklet, edition: Edition, layout: Layout, page: PageGeometry) -> EditionContext:
    language, locale = edition.language, edition.locale
    views = tuple(statement_view(booklet, s, edition) for s in booklet.statements)
    by_id = {view.id: view for view in views}
    events = tuple(
        EventView(
            date_label=typeset(format_span(event.date, locale), language),
            night=event.date.night,
            label=typeset(event.label[language], language),
            cited=tuple(StatementRef(by_id[sid].anchor, by_id[sid].short_title) for sid in event.statements),
        )
        for event in booklet.chronology
    )
    years = sorted({s.date.year for s in booklet.statements})
    return EditionContext(
        language=language,
        locale=locale,
        title=typeset(booklet.title[language], language),
        subtitle=typeset(booklet.subtitle[language], language),
        editors=typeset(booklet.editors[language], language),
        date_label=typeset(format_partial_date(booklet.date, locale), language),
        commemorated_label=typeset(format_day_of_year(booklet.commemorated, locale), language),
        created=dt.datetime.fromtimestamp(source_date_epoch(booklet.date), dt.UTC).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        ),
        statement_count=len(views),
        statements=views,
        events=events,
        font_faces=tuple(
            FontFaceView(face.family, face.path.resolve().as_uri(), face.weight, face.style)
            for face in layout.fonts
        ),
        font_licences=tuple(font_family_licences(layout)),
        page=page,
        document=DocumentInfo(
            title=f"{booklet.title[language]}: {booklet.subtitle[language]}",
            subject=booklet.subtitle[language],
            author=booklet.editors[language],
            keywords=", ".join([booklet.title[language], *(str(year) for year in years)]),
        ),
    )
