"""Safe YAML reading with line numbers, and a small typed-schema reader that collects every error.

YAML is composed (never constructed) with the safe loader, so no tag can create an object; values
are converted by the schema, which knows the line of every node and can say where a problem is.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml

from booklet.problems import (
    BookletError,
    Problem,
    character_problems,
    confined,
    not_utf8,
    raise_if_any,
    require_regular_file,
)

T = TypeVar("T")


class Invalid(Exception):
    """Raised by a converter: the node's value is wrong; `fix` says what would be right."""

    def __init__(self, message: str, fix: str = "", node: yaml.Node | None = None):
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.node = node


MAX_NESTING = 50
"""Levels of lists and mappings inside one another that a file may have (a booklet needs a few)."""


class _TooDeep(yaml.scanner.ScannerError):
    pass


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing deep nesting as soon as it is read: the scanner's work grows with
    the square of the depth (3,000 levels: seconds) and the composer recurses once per level."""

    def fetch_more_tokens(self) -> None:
        super().fetch_more_tokens()
        if self.flow_level + len(self.indents) > MAX_NESTING:
            raise _TooDeep(None, None, f"nested more than {MAX_NESTING} levels deep", self.get_mark())


def line_of(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def mapping_pairs(node: yaml.MappingNode) -> list[tuple[str, yaml.Node, yaml.Node]]:
    """A mapping's (key, key node, value node), refusing a key written twice: YAML keeps the second
    and drops the first without a word (MappingReader does the same for a record's fields)."""
    first: dict[str, int] = {}
    pairs = []
    for key_node, value_node in node.value:
        key = scalar(key_node)
        if key in first:
            raise Invalid(f"'{key}' is written twice (first at line {first[key]})", "keep only one", key_node)
        first[key] = line_of(key_node)
        pairs.append((key, key_node, value_node))
    return pairs


def compose_yaml(path: Path, within: Path | None = None) -> yaml.Node:
    """Parse a YAML file into a node tree, or raise a located error.

    With `within`, the file (symlinks resolved) must lie inside that folder: nothing is read from
    outside the project.
    """
    require_regular_file(path)
    if within is not None and not confined(path, within):
        raise BookletError([Problem(path, None, f"the file is a link to {path.resolve()}, outside {within.name}/",
                                    "copy the file into the folder instead of linking to it")])
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise BookletError([Problem(path, None, f"cannot read the file ({error.strerror})",
                                    "check its permissions")]) from None
    except UnicodeDecodeError as error:
        raise BookletError([not_utf8(path, error)]) from None
    raise_if_any(character_problems(path, text))
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.reader.ReaderError as error:  # a character YAML refuses (U+FFFE, …) that we let pass
        at = text.count("\n", 0, error.position) + 1
        raise BookletError([Problem(path, at, f"invalid YAML: character U+{error.character:04X} is not allowed"
                                    if isinstance(error.character, int) else f"invalid YAML: {error.reason}",
                                    "remove it")]) from None
    except _TooDeep as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        raise BookletError([Problem(path, line, f"invalid YAML: lists and mappings {error.problem}",
                                    "write at most a few levels of lists and mappings")]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        what = error.problem or str(error)
        raise BookletError(
            [Problem(path, line, f"invalid YAML: {what}", "check indentation, colons and quotes")]
        ) from None
    if node is None:
        raise BookletError([Problem(path, None, "file is empty", "fill in the fields it needs")])
    raise_if_any(list(_value_problems(path, node)))
    return node


def _value_problems(path: Path, node: yaml.Node) -> Iterator[Problem]:
    """Refused characters that a double-quoted escape (`"\\u0000"`, `"\\ud800"`) puts in a value, and
    merge keys (`<<: *anchor`), which the safe composer leaves as a key named `<<`."""
    stack, seen = [node], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:  # an alias shares its anchor's node: each is read once (no YAML bomb)
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:merge":
            yield Problem(path, line_of(node), "a merge key `<<:` is not supported",
                          "write the fields out in full instead of merging an anchor")
        elif isinstance(node, yaml.ScalarNode):
            for problem in character_problems(path, str(node.value)):
                yield Problem(path, line_of(node), problem.message, "remove the escape that writes it")
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(item for pair in node.value for item in pair)


def key_line(path: Path, key: str) -> int | None:
    """The line of a top-level key in a YAML file already read without error, for a later check."""
    node = compose_yaml(path)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key:
                return line_of(value_node)
    return None


class MappingReader:
    """Reads the fields of one YAML mapping; reports duplicate, unknown and missing keys."""

    def __init__(self, node: yaml.Node, path: Path, problems: list[Problem], allowed: Sequence[str]):
        self.path = path
        self.node = node
        self.problems = problems
        self.allowed = tuple(allowed)
        self.entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        if not isinstance(node, yaml.MappingNode):
            self.report(node, "expected a mapping of `key: value` lines", f"use keys: {', '.join(allowed)}")
            return
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                self.report(key_node, "a key is a list or mapping", "write a plain name before the colon")
                continue
            key = str(key_node.value)
            if key in self.entries:
                first = line_of(self.entries[key][0])
                self.report(key_node, f"duplicate key '{key}' (first at line {first})", "keep only one")
                continue
            self.entries[key] = (key_node, value_node)
            if key not in self.allowed:
                near = difflib.get_close_matches(key, self.allowed, n=1)
                fix = f"did you mean '{near[0]}'?" if near else f"allowed keys: {', '.join(self.allowed)}"
                self.report(key_node, f"unknown key '{key}'", fix)

    def report(self, node: yaml.Node, message: str, fix: str = "") -> None:
        self.problems.append(Problem(self.path, line_of(node), message, fix))

    def has(self, key: str) -> bool:
        return key in self.entries

    def line(self, key: str) -> int:
        return line_of(self.entries[key][1]) if key in self.entries else line_of(self.node)

    def get(self, key: str, convert: Callable[[yaml.Node], T], default: Any = ..., fix: str = "") -> T:
        """Convert one field; a missing required field or a bad value is recorded, not raised."""
        if key not in self.entries:
            if default is ...:
                self.report(self.node, f"missing key '{key}'", fix or f"add `{key}:`")
            return None if default is ... else default  # type: ignore[return-value]
        value_node = self.entries[key][1]
        try:
            return convert(value_node)
        except Invalid as error:
            self.report(error.node or value_node, f"'{key}': {error.message}", error.fix)
            return None  # type: ignore[return-value]


# --- converters: node → value, raising Invalid ------------------------------------------------


def scalar(node: yaml.Node) -> str:
    if not isinstance(node, yaml.ScalarNode):
        raise Invalid("expected a single value, not a list or mapping")
    return str(node.value)


PLACEHOLDER = "CONFIRM"
"""What `booklet import` writes where only the editor can answer; it never passes a check."""


def text(node: yaml.Node) -> str:
    value = scalar(node).strip()
    if not value:
        raise Invalid("must not be empty", "write the text or remove the key")
    if value.startswith(PLACEHOLDER):
        raise Invalid(f"still a placeholder ({value!r})", "write the real value in its place")
    return value


def boolean(node: yaml.Node) -> bool:
    value = scalar(node).lower()
    if value in ("true", "yes"):
        return True
    if value in ("false", "no"):
        return False
    raise Invalid(f"expected true or false, got '{value}'")


def sequence_of(convert: Callable[[yaml.Node], T]) -> Callable[[yaml.Node], list[T]]:
    def convert_sequence(node: yaml.Node) -> list[T]:
        if not isinstance(node, yaml.SequenceNode):
            raise Invalid("expected a list", "write one `- item` per line")
        return [convert(item) for item in node.value]

    return convert_sequence


def one_of(*choices: str) -> Callable[[yaml.Node], str]:
    def convert_choice(node: yaml.Node) -> str:
        value = scalar(node)
        if value not in choices:
            near = difflib.get_close_matches(value, choices, n=1)
            fix = f"did you mean '{near[0]}'?" if near else f"use one of: {', '.join(choices)}"
            raise Invalid(f"unknown value '{value}'", fix)
        return value

    return convert_choice
