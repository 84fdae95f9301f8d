"""The validated corpus: frozen plain data handed from the loader to every later stage."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Precision = Literal["day", "month", "year"]

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, the month or only the year."""

    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> Precision:
        if self.day is not None:
            return "day"
        return "month" if self.month is not None else "year"

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @classmethod
    def parse(cls, value: str) -> PartialDate:
        """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; the form written is the precision."""
        match = _DATE_RE.match(value.strip())
        if not match:
            raise ValueError(f"'{value}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(match[1])
        month, day = (int(part) if part else None for part in match.groups()[1:])
        try:
            dt.date(year, month or 1, day or 1)
        except ValueError as error:
            raise ValueError(f"'{value}' is not a date on the calendar ({error})") from None
        return cls(year, month, day)

    def __str__(self) -> str:
        return "-".join(
            f"{part:02d}" if i else f"{part:04d}"
            for i, part in enumerate((self.year, self.month, self.day))
            if part is not None
        )


@dataclass(frozen=True)
class DateSpan:
    """A chronology date: one day, month or year, or a span such as the night of 19–20 January."""

    start: PartialDate
    end: PartialDate | None = None
    night: bool = False


Localized = dict[str, str]
"""A text per language code (`en`, `ru`)."""


@dataclass(frozen=True)
class Translation:
    """How a text that is not the original came to be."""

    source_language: str
    translator: str
    official: bool


@dataclass(frozen=True)
class StatementText:
    """The words of a statement in one language, as Markdown."""

    language: str
    path: Path
    markdown: str
    translation: Translation | None = None


@dataclass(frozen=True)
class Edit:
    """One declared difference between a statement's source and its corpus text.

    `kind` is one of booklet.corpus.provenance.KINDS; `text` is the exact source text it acts on (for
    `normalise`, the normalisation's name; for `decode`, the codec). booklet.corpus.provenance applies and
    checks them.
    """

    kind: str
    text: str
    line: int
    reason: str | None = None
    at: str | None = None
    within: str | None = None
    note: str | None = None
    to: str | None = None
    """For `unquote`: the words that end with the closing quote mark."""


OUTLET_ROLES = ("published", "credited")
"""An outlet `published` the copy we hold (its page), or is `credited` by it as its source."""


@dataclass(frozen=True)
class Outlet:
    name: str
    role: str


@dataclass(frozen=True)
class Statement:
    id: str
    path: Path
    title: Localized
    short_title: Localized
    issuer: Localized
    outlets: tuple[Outlet, ...]
    date: PartialDate
    date_inferred: str | None
    original_language: str
    texts: dict[str, StatementText]
    source: Path | None = None
    edits: tuple[Edit, ...] = ()
    untranslated: tuple[str, ...] = ()
    """Edition languages declared `none` under `texts:`: the edition sets the original, with a note."""

    @property
    def original(self) -> StatementText:
        return self.texts[self.original_language]

    @property
    def outlet(self) -> str | None:
        """The outlet whose copy we hold (the first `published`), named under the heading."""
        return next((o.name for o in self.outlets if o.role == "published"), None)


@dataclass(frozen=True)
class ChronologyEvent:
    id: str
    date: DateSpan
    label: Localized
    statements: tuple[str, ...]
    issued: str | None = None
    """Set when the event is a statement's own issue: its id (evidence is the statement's date)."""


@dataclass(frozen=True)
class Edition:
    language: str
    locale: str
    unofficial_translations: bool = True


@dataclass(frozen=True)
class Topic:
    """A subject the editorial checks compare across statements, with its words per language
    (regular expressions, matched case-insensitively)."""

    name: str
    words: Localized


@dataclass(frozen=True)
class Reference:
    """The corpus's own knowledge (corpus/reference.yaml): what its statements are compared on."""

    counts: tuple[Topic, ...] = ()
    """People counted ("killed", "injured"): the number in the same clause is compared."""
    acts: tuple[Topic, ...] = ()
    """Dated acts ("special session"): the nearest month and year in the paragraph is compared."""


@dataclass(frozen=True)
class Imprint:
    """Who issues the booklet and under what terms: printed on the title page and in the colophon.

    `place` (of publication), `contact` and `licence` are optional: a booklet prints what is true
    and nothing in their place.
    """

    publisher: Localized
    edition: Localized
    place: Localized | None = None
    contact: Localized | None = None
    licence: Localized | None = None


@dataclass(frozen=True)
class Booklet:
    """The whole corpus: the booklet's description, its statements in order, the chronology."""

    root: Path
    title: Localized
    subtitle: Localized
    editors: Localized
    date: PartialDate
    commemorated: PartialDate
    layout: str
    page_size: str | None
    """A page size of the layout, by name (A5, A4…); None: the layout's first."""
    editions: tuple[Edition, ...]
    statements: tuple[Statement, ...]
    chronology: tuple[ChronologyEvent, ...] = field(default=())
    unlisted: tuple[Statement, ...] = field(default=())
    """Statement files in statements/ that booklet.yaml does not list: checked, not printed."""
    reference: Reference = field(default_factory=lambda: Reference())
    imprint: Imprint | None = None
    commemorated_place: Localized | None = None
    """Where the commemorated event happened (the cover's kicker: Baku · 1990)."""

    def anniversary(self, statement: Statement) -> int:
        """The anniversary a statement marks, always computed from its date, never typed."""
        return statement.date.year - self.commemorated.year

    def statement(self, statement_id: str) -> Statement:
        return next(s for s in self.statements if s.id == statement_id)
