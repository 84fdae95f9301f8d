"""Declared edits: prove that a statement's corpus text is its source with declared edits applied.

A booklet of record must show that every word it prints is the source's word. The raw source is
kept verbatim under corpus/sources/; the statement's YAML lists, in order, every edit that turns
it into the original-language Markdown. Each kind is small enough to check by eye:

    - decode: CODEC       first, only for a source that is not UTF-8: how its bytes are read
    - remove: TEXT        reason: web-noise | page-furniture | dateline | outlet-framing |
                                  outlet-quote-marks | heading-to-metadata | signature
                          optional `at: start|end` (position, ignoring surrounding blank space)
                          or `in: CONTEXT` (a longer unique text containing TEXT once)
    - join: TEXT          TEXT spans one paragraph or line break; it becomes one space, or nothing
                          after a hyphen (a word hyphenated across the split keeps its hyphen)
    - split: TEXT         TEXT, inside one paragraph, holds one line break or else one sentence
                          end; a new paragraph starts there
    - dehyphenate: TEXT   `word-` + line break + `rest`: a word broken at a line end, made whole
    - unquote: TEXT       TEXT begins a paragraph with an opening quote mark; `to:` ends a paragraph
                          with the matching closing mark; both marks are removed
    - outlet-note: TEXT   the paragraph beginning with TEXT is the outlet's words: it is fenced as
                          `::: outlet-note`, never merged into the statement's
    - normalise: line-endings | reflow | line-breaks | layout
                          white space only: BOM and CR/LF; hard-wrapped lines joined within a
                          paragraph; each line a paragraph; line edges, blank lines, final newline

Every TEXT must be found exactly where it says, else the edit is an error at its YAML line.
"""

from __future__ import annotations

import codecs
import difflib
import re
from collections.abc import Callable
from pathlib import Path

import yaml

from booklet.corpus.model import Booklet, Edit, Statement
from booklet.corpus.yamlschema import Invalid, MappingReader, line_of, one_of, scalar
from booklet.editorial.markup import OUTLET_NOTE
from booklet.problems import Problem

KINDS = ("decode", "remove", "join", "split", "dehyphenate", "unquote", "outlet-note", "normalise")
REASONS = (
    "web-noise",
    "page-furniture",
    "dateline",
    "outlet-framing",
    "outlet-quote-marks",
    "heading-to-metadata",
    "signature",
)
NORMALISATIONS = ("line-endings", "reflow", "line-breaks", "layout")
EDIT_KEYS = (*KINDS, "reason", "at", "in", "to", "note")
QUOTE_PAIRS = {'"': '"', "“": "”", "«": "»", "„": "“", "‘": "’"}
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
    convert = {"normalise": one_of(*NORMALISATIONS), "decode": codec_name}.get(kind, exact_text)
    edit = Edit(
        kind=kind,
        text=fields.get(kind, convert),
        line=line_of(node),
        reason=fields.get("reason", one_of(*REASONS), default=None),
        at=fields.get("at", one_of("start", "end"), default=None),
        within=fields.get("in", exact_text, default=None),
        note=fields.get("note", scalar, default=None),
        to=fields.get("to", exact_text, default=None),
    )
    if kind == "remove" and edit.reason is None and not fields.has("reason"):
        fields.report(node, "a `remove` edit must say why", f"add `reason:` ({', '.join(REASONS)})")
    if kind != "remove" and (fields.has("reason") or fields.has("at") or fields.has("in")):
        fields.report(
            node, f"`reason`, `at` and `in` belong to `remove` edits, not `{kind}`", "remove them"
        )
    if (kind == "unquote") != fields.has("to"):
        fields.report(node, "an `unquote` edit needs `to:` (the words ending with the closing mark), "
                      "and only it", "add or remove `to:`")
    return edit if edit.text is not None else None


def codec_name(node: yaml.Node) -> str:
    """A text encoding Python knows (windows-1251, koi8-r, utf-16, …), by its canonical name."""
    value = scalar(node)
    try:
        return codecs.lookup(value).name
    except LookupError:
        raise Invalid(f"unknown encoding '{value}'", "write e.g. windows-1251, koi8-r or utf-16") from None


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
    if edit.kind == "decode":
        raise EditError("`decode` must be the first edit", "move it to the top of `edits:`")
    start = _locate(text, edit)
    end = start + len(edit.text)
    if edit.kind == "remove":
        return text[:start] + text[end:]
    if edit.kind == "join":
        return text[:start] + _joined(edit.text) + text[end:]
    if edit.kind == "split":
        return text[:start] + _split(edit.text) + text[end:]
    if edit.kind == "dehyphenate":
        return text[:start] + _dehyphenated(edit.text) + text[end:]
    if edit.kind == "unquote":
        return _unquoted(text, start, edit)
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
    if len(breaks) != 1:
        raise EditError(
            "a join must span exactly one paragraph or line break",
            "quote the words on both sides of the break, e.g. 'adopted,\\n\\nand'",
        )
    gap = breaks[0]
    glue = "" if excerpt[: gap.start()].endswith("-") else " "
    return excerpt[: gap.start()] + glue + excerpt[gap.end() :]


def _split(excerpt: str) -> str:
    """A new paragraph at the excerpt's one line break, or else at its one sentence end."""
    if re.search(r"\n[ \t]*\n", excerpt):
        raise EditError("a split must lie inside one paragraph",
                        "quote the words on both sides of the place, within the paragraph")
    places = [m.span() for m in re.finditer(r"[ \t]*\n[ \t]*", excerpt)] or [
        m.span(1) for m in _SENTENCE_END.finditer(excerpt)
    ]
    if len(places) != 1:
        raise EditError(
            f"a split needs exactly one line break or one sentence end in its text (found {len(places)})",
            "quote the end of one sentence and the start of the next, e.g. 'regions.\\nAzerbaijan'",
        )
    start, end = places[0]
    return excerpt[:start] + "\n\n" + excerpt[end:]


_SENTENCE_END = re.compile(r"[.!?…:;][\"”»’)]?([ \t]+)(?=[\"“«„(\w—–-])")


def _dehyphenated(excerpt: str) -> str:
    match = re.fullmatch(r"(.*[^\W\d_])-[ \t]*\n\s*([^\W\d_].*)", excerpt, re.DOTALL)
    if not match or "\n" in match[1] or "\n" in match[2]:
        raise EditError("a dehyphenate edit is `word-`, a line break, and the rest of the word",
                        "quote e.g. 'move-\\nment'")
    return match[1] + match[2]


def _unquoted(text: str, start: int, edit: Edit) -> str:
    """Remove an opening mark that begins a paragraph and its closing mark that ends one."""
    opener = edit.text[0]
    closer = QUOTE_PAIRS.get(opener)
    closing = edit.to or ""
    if closer is None or closing[-1:] not in (closer, "”" if opener == "„" else closer):
        raise EditError("`unquote` must start with an opening quote mark and `to:` end with its pair",
                        "quote from the opening mark, and up to the closing mark")
    if text[:start].strip() and not re.search(r"\n[ \t]*\n[ \t]*$", text[:start]):
        raise EditError("the opening quote mark must begin a paragraph", "quote the paragraph's first words")
    end = start + 1 + _only_place(text[start + 1 :], closing, "`to:` text")
    close = end + len(closing) - 1
    if text[close + 1 :].strip() and not re.match(r"[ \t]*\n[ \t]*\n", text[close + 1 :]):
        raise EditError("the closing quote mark must end a paragraph", "quote the paragraph's last words")
    gap = len(text[:close]) - len(text[:close].rstrip(" \t"))
    after = 1 + len(text[start + 1 :]) - len(text[start + 1 :].lstrip(" \t"))
    return text[:start] + text[start + after : close - gap] + text[close + 1 :]


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


def line_breaks(text: str) -> str:
    """Each line is a paragraph (a page whose paragraphs are separated by single line breaks)."""
    return re.sub(r"(?<=\S)[ \t]*\n[ \t]*(?=\S)", "\n\n", text)


NORMALISE: dict[str, Callable[[str], str]] = {
    "line-endings": normalise_line_endings,
    "reflow": reflow,
    "line-breaks": line_breaks,
    "layout": normalise_layout,
}


# --- the proof --------------------------------------------------------------------------------


def read_source(path: Path, edits: tuple[Edit, ...] = ()) -> str:
    """The source exactly as kept (no newline translation: CRLF must be declared, not hidden),
    read as UTF-8 unless its first edit declares another encoding (`decode: windows-1251`)."""
    codec = edits[0].text if edits and edits[0].kind == "decode" else "utf-8"
    return path.read_bytes().decode(codec)


def applied(source: str, edits: tuple[Edit, ...], yaml_path: Path) -> tuple[str, list[Problem]]:
    """Apply every edit in order; one that does not fit is a problem at its line and is skipped."""
    problems = []
    text = source
    for number, edit in enumerate(edits, 1):
        if number == 1 and edit.kind == "decode":
            continue  # done by read_source: the bytes were read with this codec
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
        source = read_source(statement.source, statement.edits)
    except UnicodeDecodeError as error:
        declared = statement.edits[0].text if statement.edits and statement.edits[0].kind == "decode" else None
        return [
            Problem(
                statement.source,
                None,
                f"source is not {declared or 'UTF-8'} text ({error.reason} at byte {error.start})",
                "keep the raw file as received and declare its encoding as the first edit, e.g. "
                "`- decode: windows-1251` (`booklet import` detects it)",
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
    differ = next(
        (i for i, (a, b) in enumerate(zip(expected, corpus.markdown, strict=False)) if a != b),
        min(len(expected), len(corpus.markdown)),
    )
    if expected.splitlines() == corpus.markdown.splitlines():  # no line differs but for its end
        return [
            Problem(
                corpus.path,
                corpus.markdown.count("\n", 0, differ) + 1,
                f"the text differs from its source with the declared edits ({statement.path.name}) "
                "only in its line ends (the source has CR or CRLF where the text has LF)",
                "declare `- normalise: line-endings` under `edits:`",
            )
        ]
    return [
        Problem(
            corpus.path,
            corpus.markdown.count("\n", 0, differ) + 1,
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
