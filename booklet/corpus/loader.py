"""Load `corpus/` into the model: safe YAML, a typed schema, every problem collected before aborting.

Layout of a corpus (documented for editors in corpus/README.md):
    booklet.yaml              the booklet: titles, editions, order of statements, layout
    chronology.yaml           dated events and the statements that mention them
    statements/<id>.yaml      one statement's metadata; <id> is its stable id
    statements/<id>.<lang>.md its words in one language (Markdown)
    sources/                  raw source documents, kept verbatim
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError

from booklet.corpus.model import (
    OUTLET_ROLES,
    Booklet,
    ChronologyEvent,
    DateSpan,
    Edit,
    Edition,
    Imprint,
    Localized,
    Outlet,
    PartialDate,
    Reference,
    Statement,
    StatementText,
    Topic,
    Translation,
)
from booklet.corpus.provenance import declared_edits
from booklet.corpus.yamlschema import (
    PLACEHOLDER,
    Invalid,
    MappingReader,
    boolean,
    compose_yaml,
    line_of,
    mapping_pairs,
    one_of,
    scalar,
    sequence_of,
    text,
)
from booklet.editorial.markup import references_read
from booklet.problems import (
    BookletError,
    Problem,
    character_problems,
    not_a_regular_file,
    not_utf8,
    raise_if_any,
    require_regular_file,
    without_refused_characters,
)

BOOKLET_FILE = "booklet.yaml"
CHRONOLOGY_FILE = "chronology.yaml"
REFERENCE_FILE = "reference.yaml"
STATEMENTS_DIR = "statements"
ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

BOOKLET_KEYS = (
    "title", "subtitle", "editors", "date", "commemorates", "layout", "page_size", "editions",
    "statements", "imprint",
)
IMPRINT_KEYS = ("publisher", "edition", "place", "contact", "licence")
COMMEMORATES_KEYS = ("date", "place")
EDITION_KEYS = ("language", "locale", "unofficial_translations")
STATEMENT_KEYS = (
    "title", "short_title", "issuer", "outlets", "date", "date_inferred", "original_language",
    "source", "edits", "texts",
)
OUTLET_KEYS = ("name", "role")
NO_TRANSLATION = "none"
"""`texts: {ru: none}`: the statement has no text in that edition's language, by choice."""
TEXT_KEYS = ("file", "translated_from", "translator", "official")
EVENT_KEYS = ("id", "date", "end", "night", "label", "statements", "issued")


def partial_date(node: yaml.Node) -> PartialDate:
    if scalar(node).startswith(PLACEHOLDER):
        raise Invalid(f"still a placeholder ({scalar(node)!r})", "write the statement's date, e.g. 2027-01-19")
    try:
        return PartialDate.parse(scalar(node))
    except ValueError as error:
        raise Invalid(str(error), "write e.g. 1990-01-20, 1994-02 or 1991") from None


def last_day(date: PartialDate) -> dt.date:
    """The latest day a partial date can mean: 1991 → 31 December 1991."""
    if date.day:
        return date.first_day()
    if date.month:
        following = dt.date(date.year + date.month // 12, date.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return dt.date(date.year, 12, 31)


def identifier(node: yaml.Node) -> str:
    value = scalar(node)
    if not ID_RE.match(value):
        raise Invalid(f"'{value}' is not an id", "use lower-case letters, digits and hyphens")
    return value


def localized(languages: tuple[str, ...]) -> Callable[[yaml.Node], Localized]:
    """A mapping with one non-empty text per edition language, and no other language."""

    def convert(node: yaml.Node) -> Localized:
        if not isinstance(node, yaml.MappingNode):
            raise Invalid("expected one text per language", f"write `{languages[0]}: …` lines")
        values: Localized = {}
        wrong: list[tuple[str, Invalid, yaml.Node]] = []
        for language, key_node, value_node in mapping_pairs(node):
            if language not in languages:
                raise Invalid(
                    f"language '{language}' is not one of the editions' ({', '.join(languages)})",
                    "remove it or add an edition for it", key_node,
                )
            try:
                values[language] = text(value_node)
            except Invalid as error:
                wrong.append((language, error, value_node))
        if wrong:
            message = "; ".join(f"{language}: {error.message}" for language, error, _node in wrong)
            raise Invalid(message, wrong[0][1].fix, wrong[0][2])
        missing = [lang for lang in languages if lang not in values]
        if missing:
            raise Invalid(f"no text for {', '.join(missing)}", f"add `{missing[0]}: …`")
        return values

    return convert


class CorpusLoader:
    """Reads one corpus folder; `load()` returns the Booklet or raises with every problem found."""

    def __init__(self, corpus_dir: Path):
        self.dir = corpus_dir
        self.problems: list[Problem] = []
        self.loaded: list[Statement] = []
        """Every statement read, even when the corpus as a whole has problems, but those with a text
        file that is empty or not UTF-8 (their checks would only repeat that problem)."""
        self.unreadable: set[Path] = set()
        self.draft_problems: list[Problem] = []
        """Problems of statement files booklet.yaml does not list: warnings, not errors."""
        self.date_lines: dict[str, int] = {}

    def load(self) -> Booklet:
        booklet_path = self.dir / BOOKLET_FILE
        fields = MappingReader(compose_yaml(booklet_path, self.dir), booklet_path, self.problems, BOOKLET_KEYS)
        editions = fields.get("editions", self.editions_of(booklet_path)) or []
        languages = tuple(edition.language for edition in editions) or ("en",)
        any_text = localized(languages)
        order = fields.get("statements", sequence_of(identifier)) or []
        listed = fields.entries["statements"][1] if fields.has("statements") else None
        if isinstance(listed, yaml.SequenceNode) and not listed.value:
            fields.report(listed, "`statements:` lists no statement: the booklet would have none",
                          "list the ids of the statements to set, one `- id` per line")
        lines = [line_of(item) for item in listed.value] if isinstance(listed, yaml.SequenceNode) else []
        lines = lines if len(lines) == len(order) else [fields.line("statements")] * len(order)
        statements = tuple(self.statement(sid, languages, booklet_path, line) for sid, line in zip(order, lines,
                                                                                                    strict=True))
        self.report_duplicates(order, booklet_path, lines)
        known = set(order)
        # Statement files not (yet) listed are read and checked too, but their problems are kept
        # apart: a draft being prepared must not stop the booklet of the listed ones.
        listed_problems, self.problems = self.problems, self.draft_problems
        unlisted = tuple(
            statement
            for path in sorted((self.dir / STATEMENTS_DIR).glob("*.yaml"))
            if path.stem not in known
            and (statement := self.statement(path.stem, languages, booklet_path, 0, listed=False))
        )
        self.problems = listed_problems
        self.loaded = [s for s in (*statements, *unlisted)
                       if s and not any(t.path in self.unreadable for t in s.texts.values())]
        commemorated, commemorated_place = fields.get(
            "commemorates", self.commemorates(booklet_path, any_text)) or (None, None)
        booklet = Booklet(
            root=self.dir,
            title=fields.get("title", any_text),
            subtitle=fields.get("subtitle", any_text),
            editors=fields.get("editors", any_text),
            date=fields.get("date", partial_date),
            commemorated=commemorated,
            layout=fields.get("layout", text, default="memorial"),
            page_size=fields.get("page_size", text, default=None),
            editions=tuple(editions),
            statements=tuple(s for s in statements if s),
            chronology=self.chronology(languages, known),
            unlisted=unlisted,
            reference=self.reference(),
            imprint=fields.get("imprint", self.imprint(booklet_path, any_text), default=None),
            commemorated_place=commemorated_place,
        )
        self.check_dates(booklet, booklet_path, fields)
        raise_if_any(self.problems)
        return booklet

    def check_dates(self, booklet: Booklet, booklet_path: Path, fields: MappingReader) -> None:
        """A statement marks an anniversary of the day commemorated and precedes the edition: one
        dated before that day, or after the booklet's own date, is a typing mistake in its `date:`."""
        if booklet.commemorated is None or booklet.date is None:
            return
        for statement in booklet.statements:
            if statement.date is None:
                continue
            line = self.date_lines.get(statement.id)
            if last_day(statement.date) < booklet.commemorated.first_day():
                self.problems.append(Problem(
                    statement.path, line,
                    f"date {statement.date} is before the day the booklet commemorates, {booklet.commemorated} "
                    f"({booklet_path.name}:{fields.line('commemorates')})",
                    "fix the statement's `date:`"))
            elif statement.date.first_day() > last_day(booklet.date):
                self.problems.append(Problem(
                    statement.path, line,
                    f"date {statement.date} is after the booklet's own date, {booklet.date} "
                    f"({booklet_path.name}:{fields.line('date')})",
                    "fix the statement's `date:`, or the booklet's `date:` if the edition is later"))

    def report_duplicates(self, ids: list[str], path: Path, lines: list[int]) -> None:
        """Each repetition is reported at its own line, naming the line of the first."""
        first: dict[str, int] = {}
        for statement_id, line in zip(ids, lines, strict=True):
            if statement_id in first:
                self.problems.append(Problem(path, line, f"statement '{statement_id}' is listed twice "
                                                         f"(first at line {first[statement_id]})", "list it once"))
            first.setdefault(statement_id, line)

    def imprint(self, path: Path, any_text: Callable[[yaml.Node], Localized]) -> Callable[[yaml.Node], Imprint]:
        """Publisher and edition statement required; place, contact and licence only when true."""

        def convert(node: yaml.Node) -> Imprint:
            fields = MappingReader(node, path, self.problems, IMPRINT_KEYS)
            return Imprint(
                publisher=fields.get("publisher", any_text,
                                     fix="name who issues the booklet, e.g. `publisher: {en: …}`"),
                edition=fields.get("edition", any_text,
                                   fix="state the edition, e.g. `edition: {en: First edition}`"),
                place=fields.get("place", any_text, default=None),
                contact=fields.get("contact", any_text, default=None),
                licence=fields.get("licence", any_text, default=None),
            )

        return convert

    def commemorates(
        self, path: Path, any_text: Callable[[yaml.Node], Localized]
    ) -> Callable[[yaml.Node], tuple[PartialDate, Localized | None]]:
        """The day remembered: a date, or `{date: …, place: {en: …}}` naming where it happened."""

        def convert(node: yaml.Node) -> tuple[PartialDate, Localized | None]:
            if not isinstance(node, yaml.MappingNode):
                return partial_date(node), None
            fields = MappingReader(node, path, self.problems, COMMEMORATES_KEYS)
            return fields.get("date", partial_date), fields.get("place", any_text, default=None)

        return convert

    def editions_of(self, path: Path) -> Callable[[yaml.Node], list[Edition]]:
        def convert(node: yaml.Node) -> list[Edition]:
            if not isinstance(node, yaml.SequenceNode) or not node.value:
                raise Invalid("expected a list of editions", "write `- language: en` and `locale: en-GB`")
            editions = []
            first_lines: dict[str, int] = {}
            for item in node.value:
                fields = MappingReader(item, path, self.problems, EDITION_KEYS)
                language = fields.get("language", identifier)
                locale = fields.get("locale", self.locale)
                if language is None or locale is None:  # reported: the edition is left out
                    continue
                if language in first_lines:
                    fields.report(item, f"edition '{language}' is listed twice (first at line "
                                        f"{first_lines[language]}): both would write the same files",
                                  "list each language once")
                    continue
                first_lines[language] = line_of(item)
                if not locale.replace("-", "_").startswith(language):
                    fields.report(item, f"locale '{locale}' is not for language '{language}'",
                                  f"use a locale such as {language}-…")
                editions.append(Edition(
                    language=language,
                    locale=locale,
                    unofficial_translations=fields.get("unofficial_translations", boolean, default=True),
                ))
            return editions

        return convert

    @staticmethod
    def locale(node: yaml.Node) -> str:
        value = scalar(node)
        try:
            Locale.parse(value, sep="-")
        except (ValueError, UnknownLocaleError):
            raise Invalid(f"unknown locale '{value}'", "use a locale such as en-GB or ru-RU") from None
        return value

    def statement(
        self, statement_id: str | None, languages: tuple[str, ...], listed_in: Path, listed_at: int,
        listed: bool = True,
    ) -> Statement | None:
        if statement_id is None:
            return None
        path = self.dir / STATEMENTS_DIR / f"{statement_id}.yaml"
        if not listed and not ID_RE.match(statement_id):
            self.problems.append(Problem(path, None, f"'{statement_id}' is not a valid statement id",
                                         "rename the file: lower-case letters, digits and hyphens"))
            return None
        if not_a_regular_file(path) == "missing":  # anything else there is reported by compose_yaml
            self.problems.append(Problem(
                listed_in, listed_at,
                f"statement '{statement_id}' has no metadata file {STATEMENTS_DIR}/{statement_id}.yaml",
                "create it or remove the id from `statements:`",
            ))
            return None
        try:
            node = compose_yaml(path, self.dir)
        except BookletError as error:
            self.problems.extend(error.problems)
            return None
        fields = MappingReader(node, path, self.problems, STATEMENT_KEYS)
        self.date_lines[statement_id] = fields.line("date")
        any_text = localized(languages)
        original_language = fields.get("original_language", identifier)
        untranslated: list[str] = []
        declared: list[str] = []
        texts = fields.get("texts", self.texts_of(path, original_language, languages, untranslated, declared)) or {}
        if original_language and texts and original_language not in texts:
            fields.report(node, f"no text in the original language '{original_language}'",
                          f"add `{original_language}:` under `texts:`")
        elif texts and fields.has("texts"):
            for language in languages:
                if language not in declared:
                    fields.report(
                        fields.entries["texts"][1], f"no {language} text",
                        f"add `{language}: {{file: {statement_id}.{language}.md, translated_from: …, "
                        f"translator: …}}`, or write `{language}: {NO_TRANSLATION}` to set the original in "
                        f"the {language} edition with a note",
                    )
        source = fields.get("source", self.existing_file(self.dir), default=None)
        return Statement(
            id=statement_id,
            path=path,
            title=fields.get("title", any_text),
            short_title=fields.get("short_title", any_text),
            issuer=fields.get("issuer", any_text),
            outlets=tuple(fields.get("outlets", self.outlets_of(path), default=()) or ()),
            date=fields.get("date", partial_date),
            date_inferred=fields.get("date_inferred", text, default=None),
            original_language=original_language,
            texts=texts,
            source=source,
            edits=fields.get("edits", declared_edits(path, self.problems), default=()) or (),
            untranslated=tuple(untranslated),
        )

    def outlets_of(self, path: Path) -> Callable[[yaml.Node], list[Outlet]]:
        """`outlets:` a list of `{name: …, role: published|credited}`."""

        def convert(node: yaml.Node) -> list[Outlet]:
            if not isinstance(node, yaml.SequenceNode):
                raise Invalid("expected a list of outlets", "write `- {name: Trend, role: published}`")
            outlets = []
            for item in node.value:
                fields = MappingReader(item, path, self.problems, OUTLET_KEYS)
                outlets.append(Outlet(fields.get("name", text), fields.get("role", one_of(*OUTLET_ROLES))))
            return outlets

        return convert

    def reference(self) -> Reference:
        """corpus/reference.yaml (optional): the topics the editorial checks compare."""
        path = self.dir / REFERENCE_FILE
        if not path.is_file():
            return Reference()
        try:
            root = MappingReader(compose_yaml(path, self.dir), path, self.problems, ("counts", "acts"))
        except BookletError as error:
            self.problems.extend(error.problems)
            return Reference()
        return Reference(counts=self.topics(root, "counts", path), acts=self.topics(root, "acts", path))

    def topics(self, root: MappingReader, key: str, path: Path) -> tuple[Topic, ...]:
        def convert(node: yaml.Node) -> tuple[Topic, ...]:
            if not isinstance(node, yaml.MappingNode):
                raise Invalid(f"expected `{key}:` with one entry per topic", "see corpus/README.md")
            topics = []
            for name_node, words_node in node.value:
                # Keyed by the statements' original languages, which need not be editions.
                keys = [str(k.value) for k, _v in words_node.value] if isinstance(words_node, yaml.MappingNode) else []
                words = MappingReader(words_node, path, self.problems, keys)
                found = {}
                for language, (_key, value) in words.entries.items():
                    try:
                        pattern = text(value)
                        re.compile(pattern)
                    except Invalid as error:
                        words.report(value, error.message, error.fix)
                        continue
                    except re.error as error:
                        words.report(value, f"not a valid pattern ({error})", "fix the expression")
                        continue
                    found[language] = pattern
                topics.append(Topic(scalar(name_node), found))
            return tuple(topics)

        return root.get(key, convert, default=()) or ()

    def texts_of(
        self, path: Path, original: str | None, languages: tuple[str, ...], untranslated: list[str],
        declared: list[str],
    ) -> Callable[[yaml.Node], dict[str, StatementText]]:
        def convert(node: yaml.Node) -> dict[str, StatementText]:
            if not isinstance(node, yaml.MappingNode):
                raise Invalid("expected one entry per language", "write `en: {file: <id>.en.md}`")
            texts = {}
            for language, key_node, value_node in mapping_pairs(node):
                if language not in languages and language != original:
                    raise Invalid(f"language '{language}' has no edition ({', '.join(languages)})",
                                  "remove the text or add an edition for it", key_node)
                declared.append(language)
                if isinstance(value_node, yaml.ScalarNode) and value_node.value == NO_TRANSLATION:
                    if language == original:
                        raise Invalid("the original text cannot be `none`",
                                      f"write `{language}: {{file: …}}`", value_node)
                    untranslated.append(language)
                    continue
                fields = MappingReader(value_node, path, self.problems, TEXT_KEYS)
                file = fields.get("file", self.existing_file(path.parent))
                translation = None
                if language != original:
                    translation = Translation(
                        source_language=fields.get("translated_from", identifier,
                                                   fix="say which language it was translated from"),
                        translator=fields.get("translator", text, fix="say who translated it"),
                        official=fields.get("official", boolean, default=False),
                    )
                elif fields.has("translated_from"):
                    fields.report(value_node, "the original text cannot be a translation",
                                  "remove `translated_from:` or change `original_language:`")
                if file is not None:
                    texts[language] = StatementText(
                        language, file, self.markdown(file, line_of(value_node), path), translation
                    )
            return texts

        return convert

    def existing_file(self, base: Path) -> Callable[[yaml.Node], Path]:
        def convert(node: yaml.Node) -> Path:
            name = text(node)
            file = Path(os.path.realpath(base / name))  # Path.resolve raises on a link that loops
            if not file.is_relative_to(self.dir.resolve()):
                raise Invalid(f"'{name}' is outside the corpus folder", "keep files inside corpus/")
            if (kind := not_a_regular_file(file)) == "missing":
                raise Invalid(f"file '{name}' not found", f"create {base.name}/{name} or fix the name")
            if kind is not None:
                raise Invalid(f"'{name}' is {kind}, not a file", f"put a file at {base.name}/{name} or fix the name")
            return file

        return convert

    def markdown(self, file: Path, line: int, listed_in: Path) -> str:
        try:
            content = file.read_text(encoding="utf-8-sig")  # a byte-order mark is encoding, not text
        except UnicodeDecodeError as error:
            self.problems.append(not_utf8(file, error))
            self.unreadable.add(file)
            return ""
        self.problems += overlong_words(file, content)
        invisible, content = invisible_paragraphs(file, content)
        self.problems += invisible
        found = character_problems(file, references_read(content))  # a refused character as `&#…;` too
        self.problems += found  # reported; dropped so later checks of this load see plain text
        content = without_refused_characters(content) if found else content
        if not content.strip():
            if not found and not invisible:
                self.problems.append(Problem(listed_in, line, f"text file '{file.name}' is empty", "fill it in"))
            self.unreadable.add(file)
        return content

    def chronology(self, languages: tuple[str, ...], known: set[str]) -> tuple[ChronologyEvent, ...]:
        path = self.dir / CHRONOLOGY_FILE
        try:
            root = MappingReader(compose_yaml(path, self.dir), path, self.problems, ("events",))
        except BookletError as error:
            self.problems.extend(error.problems)
            return ()
        events_node = root.entries.get("events", (None, None))[1]
        if not isinstance(events_node, yaml.SequenceNode):
            root.report(root.node, "expected `events:` with a list of events", "see corpus/README.md")
            return ()
        if not events_node.value:
            root.report(events_node, "`events:` lists no event: the booklet's chronology would be a page with "
                                     "its heading alone", "list the events the statements mention, or at least "
                                                          "each statement's own issue (`issued: <id>`)")
            return ()
        events = []
        first_lines: dict[str, int] = {}
        for item in events_node.value:
            fields = MappingReader(item, path, self.problems, EVENT_KEYS)
            start = fields.get("date", partial_date)
            end = fields.get("end", partial_date, default=None)
            if start and end and end <= start:
                fields.report(item, f"event ends ({end}) before it starts ({start})", "swap the dates")
            cited = tuple(fields.get("statements", sequence_of(identifier), default=[]) or [])
            issued = fields.get("issued", identifier, default=None)
            if issued and issued not in cited:
                fields.report(item, f"the issue of '{issued}' must cite it", f"add {issued} to `statements:`")
            for statement_id in cited:
                if statement_id not in known:
                    fields.report(item, f"unknown statement '{statement_id}'",
                                  "cite an id listed in booklet.yaml `statements:`")
            event_id = fields.get("id", identifier)
            if event_id in first_lines:
                fields.report(item, f"event '{event_id}' is listed twice (first at line {first_lines[event_id]})",
                              "give each event its own id, or merge the two")
            elif event_id:
                first_lines[event_id] = line_of(item)
            events.append(ChronologyEvent(
                id=event_id,
                date=DateSpan(start, end, fields.get("night", boolean, default=False)),
                label=fields.get("label", localized(languages)),
                statements=cited,
                issued=issued,
            ))
        return tuple(sorted(events, key=chronological))


def chronological(event: ChronologyEvent) -> tuple[int, int, int, str]:
    """Order events by date; a year-only date sorts before the days of that year."""
    start = event.date.start or PartialDate(1)
    return start.year, start.month or 0, start.day or 0, event.id or ""


def corpus_warnings(booklet: Booklet) -> list[Problem]:
    """What a booklet can be built without, but should not be: the editor is told, the page shows
    nothing in its place (never a placeholder)."""
    warnings = []
    if booklet.imprint is None:
        warnings.append(Problem(
            booklet.root / BOOKLET_FILE, None,
            "no `imprint:` — the title page and colophon will name no publisher or edition",
            "add `imprint:` with `publisher:` and `edition:` (see corpus/README.md)"))
    warnings += [
        Problem(statement.path, None, f"statement '{statement.id}' is not listed in booklet.yaml "
                "`statements:`, so no edition prints it (its files were checked)",
                "add its id to `statements:` to print it, or delete its files")
        for statement in booklet.unlisted
    ]
    return warnings


LONGEST_WORD = 1000
"""Characters without a break that a text may run to. A long word or address is broken at the end
of its line (overflow-wrap); a run longer than this is no word in any language but a paste gone
wrong, and breaking it costs the renderer minutes."""

_BREAKS = re.compile(r"[\s\-\u2010-\u2015/\u0E00-\u0EFF\u1000-\u109F\u1780-\u17FF"
                     r"\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\uFF00-\uFFEF\U00020000-\U0003FFFF]")
"""Where a line may break without a space: white space, hyphens, dashes and slashes, and every
character of the scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, CJK)."""


MOST_MARKS = 8
"""Combining marks one letter may carry (Vietnamese stacks two, pointed Hebrew with cantillation a
few): more is "Zalgo" text, drawn as a tower over the lines above and off the page."""
_MARK_STACK = re.compile(r"[\u0300-\u036F\u0483-\u0489\u0591-\u05BD\u1AB0-\u1AFF\u1DC0-\u1DFF"
                         r"\u20D0-\u20FF\uFE20-\uFE2F]" + f"{{{MOST_MARKS + 1},}}")


def overlong_words(path: Path, content: str) -> list[Problem]:
    """Runs of more than LONGEST_WORD characters with nowhere to break a line, and letters carrying
    more than MOST_MARKS combining marks, each at its line."""
    problems = []
    for number, line in enumerate(content.split("\n"), 1):
        longest = max((len(run) for run in _BREAKS.split(line)), default=0)
        if longest > LONGEST_WORD:
            problems.append(Problem(path, number, f"a run of {longest:,} characters without a space",
                                    f"no word is longer than {LONGEST_WORD:,} characters: put in the spaces "
                                    "that were lost, or remove what was pasted by mistake"))
        if stack := _MARK_STACK.search(line):
            problems.append(Problem(path, number, f"a letter carries {len(stack.group()):,} combining marks "
                                                  f"(U+{ord(stack.group()[0]):04X} …)",
                                    f"no letter carries more than {MOST_MARKS}: remove the marks pasted by mistake"))
    return problems


def invisible_paragraphs(path: Path, content: str) -> tuple[list[Problem], str]:
    """Paragraphs of nothing a reader can see — zero-width spaces, joiners, word joiners, soft
    hyphens, no-break spaces — each at its first line (printed, they are an empty gap in the text),
    and the content without them, so that later checks do not count them as paragraphs."""
    problems = []
    lines = content.split("\n")
    kept = list(lines)
    start = None
    for number, line in enumerate([*lines, ""], 1):
        if line.strip(" \t\r"):  # Markdown's blank line: spaces and tabs only
            start = start or number
            continue
        if start is not None:
            block = "".join(lines[start - 1:number - 1])
            if all(char.isspace() or unicodedata.category(char) in ("Cf", "Zs", "Cc") for char in block):
                shown = ", ".join(f"U+{ord(char):04X}" for char in sorted(set(block) - set(" \t\r")))
                problems.append(Problem(path, start, f"a paragraph of invisible characters only ({shown})",
                                        "delete the paragraph, or write its words"))
                kept[start - 1:number - 1] = [""] * (number - start)
            start = None
    return problems, "\n".join(kept) if problems else content


def booklet_settings(corpus_dir: Path) -> tuple[PartialDate, tuple[str, ...], str]:
    """The day commemorated, the editions' languages and the layout from booklet.yaml, read on
    their own: `booklet import` needs them while other statements still have problems to fix,
    and `booklet check` checks the layout even when the corpus has errors."""
    path = corpus_dir / BOOKLET_FILE
    _require_booklet_file(path)
    loader = CorpusLoader(corpus_dir)
    fields = MappingReader(compose_yaml(path, corpus_dir), path, loader.problems, BOOKLET_KEYS)
    editions = fields.get("editions", loader.editions_of(path)) or []
    languages = tuple(edition.language for edition in editions)
    commemorated, _place = fields.get("commemorates", loader.commemorates(path, localized(languages))) or (None, None)
    layout = fields.get("layout", text, default="memorial")
    raise_if_any(loader.problems)
    return commemorated, languages, layout


def statement_provenance(corpus_dir: Path, statement_id: str) -> tuple[Path, Path, tuple[Edit, ...], Path]:
    """A statement's YAML, its source, its declared edits and its original-language text file,
    read on their own (the rest of the entry may still hold placeholders)."""
    path = corpus_dir / STATEMENTS_DIR / f"{statement_id}.yaml"
    if not ID_RE.match(statement_id) or not path.is_file():
        raise BookletError([Problem(path, None, f"no statement '{statement_id}'",
                                    f"give the id of a file in {STATEMENTS_DIR}/ (without .yaml)")])
    loader = CorpusLoader(corpus_dir)
    fields = MappingReader(compose_yaml(path, corpus_dir), path, loader.problems, STATEMENT_KEYS)
    source = fields.get("source", loader.existing_file(corpus_dir))
    edits = fields.get("edits", declared_edits(path, loader.problems), default=()) or ()
    original = fields.get("original_language", identifier)
    texts = fields.entries.get("texts", (None, None))[1]
    entry = next((value for key, value in getattr(texts, "value", []) if scalar(key) == original), None)
    target = None
    if isinstance(entry, yaml.MappingNode):
        target = MappingReader(entry, path, [], TEXT_KEYS).get("file", text, default=None)
    if entry is None or target is None:
        fields.report(fields.node, f"no `{original}: {{file: …}}` under `texts:`", "name the original text's file")
        raise BookletError(loader.problems)
    if not (path.parent / target).resolve().is_relative_to(corpus_dir.resolve()):
        fields.report(entry, f"'{target}' is outside the corpus folder", "keep files inside corpus/")
    raise_if_any(loader.problems)
    return path, source, edits, (path.parent / target).resolve()


def load_corpus(corpus_dir: Path, loader: CorpusLoader | None = None) -> Booklet:
    """Validate the corpus folder and return the model, or raise BookletError with every problem
    (a given loader keeps, in `loaded`, the statements it could read)."""
    _require_booklet_file(corpus_dir / BOOKLET_FILE)
    return (loader or CorpusLoader(corpus_dir)).load()


def _require_booklet_file(path: Path) -> None:
    if not_a_regular_file(path) == "missing":
        raise BookletError([Problem(path, None, "no booklet description found",
                                    "run from the project folder or pass --corpus DIR")])
    require_regular_file(path)
