"""Before rendering, prove every character of an edition has a glyph in every font of the layout.

Fontconfig would otherwise fall back silently to some other font (or draw a box); a booklet must
not print a name with one letter in a foreign face.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from booklet.problems import Problem, display_path
from booklet.typeset.layout import FontFace

_NOT_DRAWN = {"Cc", "Cf", "Zl", "Zp"}


def font_characters(path: Path) -> frozenset[int]:
    """The characters a font file maps; read again when the file changes (`booklet watch` stays up
    while a font is replaced in place)."""
    status = path.stat()
    return _characters(path, status.st_mtime_ns, status.st_size)


@cache
def _characters(path: Path, modified_ns: int, size: int) -> frozenset[int]:
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def describe(char: str) -> str:
    return f"'{char}' (U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')})"


FONT_LACKS_A_SCRIPT = 12
"""A font lacking more of the texts' characters than this does not cover their script at all (a
Cyrillic-only font for an English edition): one problem names the font, not one per letter."""


def missing_glyphs(texts: Mapping[Path, str], fonts: Iterable[FontFace]) -> list[Problem]:
    """One problem per character some font lacks, naming the fonts and the first file and line the
    character is on; a font that lacks a whole script is one problem of its own."""
    fonts = list(fonts)
    mapped = {face.path: font_characters(face.path) for face in fonts}
    first: dict[str, tuple[Path, int]] = {}
    for path, content in texts.items():
        for char in sorted(set(content) - first.keys()):
            if unicodedata.category(char) in _NOT_DRAWN or char in " \n\t\r":
                continue
            if any(ord(char) not in mapped[face.path] for face in fonts):
                first[char] = (path, next(i for i, text in enumerate(content.split("\n"), 1) if char in text))
    lacking = {face.path: [char for char in first if ord(char) not in mapped[face.path]] for face in fonts}
    whole_script = {path for path, chars in lacking.items() if len(chars) > FONT_LACKS_A_SCRIPT}
    problems = []
    for path in sorted(whole_script):
        chars = lacking[path]
        where, line = first[chars[0]]
        sample = "".join(chars[:24]) + ("…" if len(chars) > 24 else "")
        problems.append(Problem(
            path, None, f"the font lacks {len(chars)} characters the texts use ({sample}; the first, "
                        f"{describe(chars[0])}, at {display_path(where)}:{line})",
            "use a font that covers the editions' languages, or remove it from the layout"))
    for char, (path, line) in first.items():
        names = [face.path.name for face in fonts if face.path not in whole_script and char in lacking[face.path]]
        if names:
            problems.append(Problem(path, line, f"missing glyph: {describe(char)} is not in {', '.join(names)}",
                                    "replace the character or add a font that has it to the layout"))
    return problems
