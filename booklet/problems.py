"""User-facing problems: `path:line: what is wrong — how to fix`, never a traceback."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


def display_path(path: Path) -> str:
    """Show a path relative to the working directory when it lies below it, as editors type it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
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


def confined(path: Path, root: Path) -> bool:
    """True when `path`, with every symlink resolved, lies inside `root` (resolved too)."""
    return path.resolve().is_relative_to(root.resolve())


def private_use_problems(path: Path, text: str) -> list[Problem]:
    """Private-use characters have no agreed meaning, no font of ours draws them, and the typesetter
    reserves some for itself: refuse them where they are, with the line."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        for char in dict.fromkeys(char for char in line if unicodedata.category(char) == "Co"):
            problems.append(Problem(path, number, f"private-use character U+{ord(char):04X}",
                                    "remove it or replace it with the character meant"))
    return problems


def raise_if_any(problems: list[Problem]) -> None:
    """Abort a stage only after it has collected every problem it can see."""
    if problems:
        raise BookletError(problems)
