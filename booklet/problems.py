"""User-facing problems: `path:line: what is wrong — how to fix`, never a traceback."""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def display_path(path: Path) -> str:
    """Show a path relative to the working directory when it lies below it, as editors type it: the
    file's own name even when it is a link (to elsewhere, or in a loop), its folders resolved."""
    absolute = Path(os.path.abspath(path))
    cwd = Path.cwd().resolve()
    for candidate in (absolute, Path(os.path.realpath(absolute.parent)) / absolute.name):
        try:
            return str(candidate.relative_to(cwd))
        except ValueError:
            continue
    return str(path)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    path: Path
    line: int | None
    message: str
    fix: str = ""

    def __str__(self) -> str:
        where = display_path(self.path) + (f":{self.line}" if self.line else "")
        return f"{where}: {self.message}" + (f" — {self.fix}" if self.fix else "")


class BookletError(Exception):
    """An error in the user's input. The CLI prints its problems and exits non-zero.

    `state` says, where a command writes files, what state its output is left in.
    """

    def __init__(self, problems: Iterable[Problem], state: str | None = None):
        self.problems = tuple(problems)
        self.state = state
        super().__init__("\n".join(str(p) for p in self.problems))

    def with_state(self, state: str) -> BookletError:
        return BookletError(self.problems, self.state or state)


def not_a_regular_file(path: Path) -> str | None:
    """What a path is when it cannot be read as a file ("missing", "a folder", "a named pipe
    (FIFO)" — reading one would wait forever —, "a symbolic link that loops" …), None for a file."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a link to a missing file" if path.is_symlink() else "missing"
    except OSError as error:
        return "a symbolic link that loops" if error.errno == errno.ELOOP else f"unreadable ({error.strerror})"
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    return "a socket" if stat.S_ISSOCK(mode) else "a device"


def require_regular_file(path: Path) -> None:
    """Raise a located problem unless the path is a file that can be read (see not_a_regular_file)."""
    kind = not_a_regular_file(path)
    if kind == "missing":
        raise BookletError([Problem(path, None, "file not found", "create it or fix the name")])
    if kind is not None:
        raise BookletError([Problem(path, None, f"is {kind}, not a file", "put a file there or fix the name")])


def not_utf8(path: Path, error: UnicodeDecodeError) -> Problem:
    """A file that does not decode as UTF-8, at the line of its first bad byte, saying which encoding
    it seems to be in where its start tells (a UTF-16 byte-order mark, or the NUL bytes of UTF-16)."""
    data = error.object if isinstance(error.object, bytes) else bytes(error.object)
    line = data.count(b"\n", 0, error.start) + 1
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff")) or any(not any(data[start:64:2]) for start in (0, 1))
    return Problem(path, line, f"not UTF-8 text (byte 0x{data[error.start]:02X}: {error.reason})"
                               + ("; it looks like UTF-16" if utf16 else ""),
                   "save the file as UTF-8 (in the editor's “Save as…”, choose the encoding UTF-8)")


def confined(path: Path, root: Path) -> bool:
    """True when `path`, with every symlink resolved, lies inside `root` (resolved too); a link that
    loops resolves to itself (realpath, unlike Path.resolve, does not raise on a loop)."""
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))


def character_problems(path: Path, text: str, *, private_use: bool = True) -> list[Problem]:
    """Characters no text of a booklet may hold, refused where they are, with the line: private-use
    characters (no agreed meaning, no font of ours draws them, and the typesetter reserves some for
    itself), control characters other than white space (NUL, ESC, VT, DEL, C1 codes from a mis-decoded
    file: invisible, and no font draws them) and lone surrogates (only a YAML escape makes one).
    `private_use=False` lets private-use characters pass (a raw text to import may hold a web page's
    icons; `booklet check` refuses any that stay in the imported text)."""
    problems: list[Problem] = []
    if not _MAY_BE_REFUSED.search(text):
        return problems
    if len(text) >= 64 and text.count("\0", 0, 1000) * 10 > min(len(text), 1000):  # a file: one problem
        return [Problem(path, None, "not UTF-8 text: a tenth of its characters are NUL bytes, so it is UTF-16 "
                                    "text or not text at all",
                        "save the file as UTF-8 (in the editor's “Save as…”, choose the encoding UTF-8)")]
    for number, line in enumerate(text.split("\n"), 1):  # lines as editors count them: \f, \v end none
        for char in dict.fromkeys(char for char in line if _refused(char)):
            category = unicodedata.category(char)
            if category == "Co" and not private_use:
                continue
            if category == "Co":
                what, fix = "private-use character", "remove it or replace it with the character meant"
            elif category == "Cs":
                what, fix = "lone surrogate (half of a character)", "remove the \\u escape or write the whole character"
            else:
                what, fix = "control character", "remove it: it is invisible and no font draws it"
            problems.append(Problem(path, number, f"{what} U+{ord(char):04X}", fix))
    return problems


def without_refused_characters(text: str) -> str:
    """The text without the characters character_problems reports (they are reported once; later
    checks of the same load see plain text)."""
    if not _MAY_BE_REFUSED.search(text):
        return text
    return "".join(char for char in text if not _refused(char))


_MAY_BE_REFUSED = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff"
                             "\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
"""Every character `_refused` refuses, and no other: control characters but HTML's white space, surrogates
and the private-use areas (Unicode never changes what these categories hold). A text without one
is checked at once, not character by character."""


HTML_WHITE_SPACE = "\t\n\f\r "
"""The control characters a page lays out as white space; Python's `isspace` also counts VT, the
information separators U+001C–U+001F and NEL, which the renderer draws as a missing glyph."""


def _refused(char: str) -> bool:
    category = unicodedata.category(char)
    return category in ("Co", "Cs") or (category == "Cc" and char not in HTML_WHITE_SPACE)


def raise_if_any(problems: list[Problem]) -> None:
    """Abort a stage only after it has collected every problem it can see."""
    if problems:
        raise BookletError(problems)
