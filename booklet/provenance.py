"""Declared edits: prove that a statement's corpus text is its source with declared edits applied.

A booklet of record must show that every word it prints is the source's word. The raw source is
kept verbatim under corpus/sources/; the statement's YAML lists, in order, every edit that turns
it into the original-language Markdown. There are only four kinds, each checkable by eye:

    - remove: TEXT        reason: web-noise | dateline | outlet-framing | outlet-quote-marks |
                                  heading-to-metadata | signature
                          optional `at: start|end` (position, ignoring surrounding blank space)
                          or `in: CONTEXT` (a longer unique text containing TEXT once)
    - join: TEXT          TEXT spans one paragraph break; it becomes one space, or nothing after a
                          hyphen (a word hyphenated across the split keeps its hyphen)
    - outlet-note: TEXT   the paragraph beginning with TEXT is the outlet's words: it is fenced as
                          `::: outlet-note`, never merged into the statement's
    - normalise: line-endings | reflow | layout
                          white space only: BOM and CR/LF; hard-wrapped lines joined within a
                          paragraph; line edges, blank lines and the final newline

Every TEXT must be found exactly where it says, else the edit is an error at its YAML line.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path

import yaml

from booklet.markup import OUTLET_NOTE
from booklet.model import Booklet, Edit, Statement
from booklet.problems import Problem
from booklet.yamlschema import Invalid, MappingReader, line_of, one_of, scalar

KINDS = ("remove", "join", "outlet-note", "normalise")
REASONS = (
    "web-noise",
    "dateline",
    "outlet-framing",
    "outlet-quote-marks",
    "heading-to-metadata",
    "signature",
)
NORMALISATIONS = ("line-endings", "reflow", "layout")
EDIT_KEYS = (*KINDS, "reason", "at", "in", "note")
FENCE_OPEN, FENCE_CLOSE = f"::: {OUTLET_NOTE}", ":::"

_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_BREAK = re.compile(r"[ \t]*\n\s*")


class EditError(Exception):
    """An edit that does not fit the text it is applied to."""

    def __init__(self, message: str, fix: str):
        super().__init__(message)
        self.message = message
        self.fix = fix


# --- reading `edits:` from a statement's YAML ------------------------------------------------


def declared_edits(path: Path, problems: list[Problem]) -> Callable[[yaml.Node], tuple[Edit, ...]]:
    """The YAML converter for `edits:`: a list of one-kind mappings, every problem collected."""

    def convert(node: yaml.Node) -> tuple[Edit, ...]:
        if not isinstance(node, yaml.SequenceNode):
            raise Invalid(
                "expected a list of edits", "write one `- remove: …` (or join, …) per edit"
            )
        return tuple(edit for item in node.value if (edit := _edit(item, path, problems)))

    return convert


def _edit(node: yaml.Node, path: Path, problems: list[Problem]) -> Edit | None:
    fields = MappingReader(node, path, problems, EDIT_KEYS)
    kinds = [kind for kind in KINDS if fields.has(kind)]
    if len(kinds) != 1:
        fields.report(
            node,
            "an edit needs exactly one of: " + ", ".join(KINDS),
            "split it into one edit per kind",
        )
        return None
    kind = kinds[0]
    convert = one_of(*NORMALISATIONS) if kind == "normalise" else exact_text
    edit = Edit(
        kind=kind,
        text=fields.get(kind, convert),
        line=line_of(node),
        reason=fields.get("reason", one_of(*REASONS), default=None),
        at=fields.get("at", one_of("start", "end"), default=None),
        within=fields.get("in", exact_text, default=None),
        note=fields.get("note", scalar, default=None),
    )
    if kind == "remove" and edit.reason is None and not fields.has("reason"):
        fields.report(node, "a `remove` edit must say why", f"add `reason:` ({', '.join(REASONS)})")
    if kind != "remove" and (fields.has("reason") or fields.has("at") or fields.has("in")):
        fields.report(
            node, f"`reason`, `at` and `in` belong to `remove` edits, not `{kind}`", "remove them"
        )
    return edit if edit.text is not None else None


def exact_text(node: yaml.Node) -> str:
    """A source excerpt, taken exactly: no stripping, but it must not be empty."""
    value = scalar(node)
    if not value:
        raise Invalid("must not be empty", "quote the exact source text")
    return value


# --- applying edits ---------------------------------------------------------------------------


def apply_edit(text: str, edit: Edit) -> str:
    """Apply one edit, or raise EditError saying why it does not fit."""
    if edit.kind == "normalise":
        return NORMALISE[edit.text](text)
    start = _locate(text, edit)
    end = start + len(edit.text)
    if edit.kind == "remove":
        return text[:start] + text[end:]
    if edit.kind == "join":
        return text[:start] + _joined(edit.text) + text[end:]
    return _fence_outlet_note(text, start)


def _locate(text: str, edit: Edit) -> int:
    """Where the edit's text is: at the start/end, inside its unique context, or its only place."""
    target = edit.text
    if edit.at == "start":
        offset = len(text) - len(text.lstrip())
        if not text.startswith(target, offset):
            raise EditError(
                "the text is not at the start of the source", "check it, or drop `at: start`"
            )
        return offset
    if edit.at == "end":
        stripped = text.rstrip()
        if not stripped.endswith(target):
            raise EditError(
                "the text is not at the end of the source", "check it, or drop `at: end`"
            )
        return len(stripped) - len(target)
    base = 0
    if edit.within is not None:
        base = _only_place(text, edit.within, "`in:` context")
        if edit.within.count(target) != 1:
            raise EditError(
                "the `in:` context must contain the text exactly once",
                "quote a context that contains it once",
            )
        return base + edit.within.index(target)
    return _only_place(text, target, "text")


def _only_place(text: str, target: str, what: str) -> int:
    count = text.count(target)
    if count == 0:
        raise EditError(
            f"the {what} is not found in the source (after the edits before it)",
            "copy it exactly from the source, including quotes and spaces",
        )
    if count > 1:
        raise EditError(
            f"the {what} occurs {count} times in the source",
            "add `in: <longer unique text>` or `at: start|end`",
        )
    return text.index(target)


def _joined(excerpt: str) -> str:
    breaks = list(_BREAK.finditer(excerpt))
    if len(breaks) != 1 or "\n\n" not in excerpt.replace(" ", "").replace("\t", ""):
        raise EditError(
            "a join must span exactly one paragraph break",
            "quote the words on both sides of the break, e.g. 'adopted,\\n\\nand'",
        )
    gap = breaks[0]
    glue = "" if excerpt[: gap.start()].endswith("-") else " "
    return excerpt[: gap.start()] + glue + excerpt[gap.end() :]


def _fence_outlet_note(text: str, start: int) -> str:
    before = text[:start]
    if before.strip() and not re.search(r"\n[ \t]*\n[ \t]*$", before):
        raise EditError(
            "an outlet note must begin a paragraph",
            "quote the first words of the outlet's paragraph",
        )
    after = _BLANK_LINE.search(text, start)
    end = after.start() if after else len(text.rstrip())
    return f"{text[:start]}{FENCE_OPEN}\n{text[start:end]}\n{FENCE_CLOSE}{text[end:]}"


def normalise_line_endings(text: str) -> str:
    """A byte-order mark and CR or CRLF line ends are file encoding, not text."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def reflow(text: str) -> str:
    """Join hard-wrapped lines inside each paragraph (text copied out of a PDF).

    A line ending in a hyphen after a letter is joined without a space and keeps the hyphen: the
    importer cannot tell a compound from a broken word and asks the editor to confirm each one.
    """
    blocks = _BLANK_LINE.split(text)
    separators = _BLANK_LINE.findall(text)
    out = [_reflow_block(block) for block in blocks]
    return "".join(
        block + (separators[i] if i < len(separators) else "") for i, block in enumerate(out)
    )


def _reflow_block(block: str) -> str:
    lines = block.split("\n")
    joined = lines[0]
    for line in lines[1:]:
        if line.strip().startswith(FENCE_CLOSE) or joined.rstrip().endswith(FENCE_OPEN):
            joined += "\n" + line
        elif re.search(r"\w-[ \t]*$", joined):
            joined = joined.rstrip(" \t") + line.lstrip(" \t")
        else:
            joined = joined.rstrip(" \t") + " " + line.lstrip(" \t")
    return joined


def normalise_layout(text: str) -> str:
    """Line edges trimmed, one blank line between paragraphs, none around, a final newline."""
    lines = [line.strip(" \t") for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n") + "\n"


NORMALISE: dict[str, Callable[[str], str]] = {
    "line-endings": normalise_line_endings,
    "reflow": reflow,
    "layout": normalise_layout,
}


# --- the proof --------------------------------------------------------------------------------


def read_source(path: Path) -> str:
    """The source exactly as kept (no newline translation: CRLF must be declared, not hidden)."""
    return path.read_bytes().decode("utf-8")


def applied(source: str, edits: tuple[Edit, ...], yaml_path: Path) -> tuple[str, list[Problem]]:
    """Apply every edit in order; one that does not fit is a problem at its line and is skipped."""
    problems = []
    text = source
    for number, edit in enumerate(edits, 1):
        try:
            text = apply_edit(text, edit)
        except EditError as error:
            problems.append(
                Problem(
                    yaml_path, edit.line, f"edit {number} ({edit.kind}): {error.message}", error.fix
                )
            )
    return text, problems


def statement_problems(statement: Statement) -> list[Problem]:
    """Source + declared edits must give the original-language text, character for character."""
    if statement.source is None:
        if statement.edits:
            return [
                Problem(
                    statement.path,
                    statement.edits[0].line,
                    "edits are declared but no source",
                    "add `source: sources/<id>.txt` or remove `edits:`",
                )
            ]
        return []
    try:
        source = read_source(statement.source)
    except UnicodeDecodeError as error:
        return [
            Problem(
                statement.source,
                None,
                f"source is not UTF-8 ({error.reason})",
                "keep the raw file, but convert it to UTF-8 first",
            )
        ]
    expected, problems = applied(source, statement.edits, statement.path)
    if problems:
        return problems
    corpus = statement.original
    if corpus.markdown == expected:
        return []
    diff = difflib.unified_diff(
        expected.splitlines(keepends=True),
        corpus.markdown.splitlines(keepends=True),
        fromfile=f"source + declared edits ({statement.source.name})",
        tofile=corpus.path.name,
        n=0,
    )
    first = next(
        i
        for i, (a, b) in enumerate(
            zip([*expected.splitlines(), ""], [*corpus.markdown.splitlines(), ""], strict=False)
        )
        if a != b
    )
    return [
        Problem(
            corpus.path,
            first + 1,
            f"the text is not its source with the declared edits applied ({statement.path.name})",
            "declare the change under `edits:` or restore the source's words; the difference:\n"
            + "".join(line if line.endswith("\n") else line + "\n" for line in diff).rstrip("\n"),
        )
    ]


def provenance_problems(booklet: Booklet) -> list[Problem]:
    return [
        problem for statement in booklet.statements for problem in statement_problems(statement)
    ]


def removed_texts(statement: Statement) -> list[tuple[int, Edit]]:
    """Each `remove` edit with its number: the report still reads the outlet framing it dropped."""
    return [
        (number, edit) for number, edit in enumerate(statement.edits, 1) if edit.kind == "remove"
    ]


def without_edits(metadata_yaml: str) -> str:
    """A statement's YAML with its `edits:` block blanked, line numbers kept: the glyph check
    must see what is printed, not the web debris the edits quote in order to remove it."""
    lines, inside = [], False
    for line in metadata_yaml.split("\n"):
        if re.match(r"[^\s#]", line):
            inside = line.startswith("edits:")
        lines.append("" if inside else line)
    return "\n".join(lines)
