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

from booklet.problems import Problem
from booklet.typeset.layout import FontFace

_NOT_DRAWN = {"Cc", "Cf", "Zl", "Zp"}


@cache
def font_characters(path: Path) -> frozenset[int]:
    with TTFont(path, lazy=True) as font:
        return frozenset(font.getBestCmap())


def describe(char: str) -> str:
    return f"'{char}' (U+{ord(char):04X} {unicodedata.name(char, 'unnamed character')})"


def missing_glyphs(texts: Mapping[Path, str], fonts: Iterable[FontFace]) -> list[Problem]:
    """One problem per (character, font), naming the first file and line the character is on."""
    problems = []
    fonts = list(fonts)
    for path, content in texts.items():
        for char in sorted(set(content)):
            if unicodedata.category(char) in _NOT_DRAWN or char in " \n\t\r":
                continue
            lacking = [face.path.name for face in fonts if ord(char) not in font_characters(face.path)]
            if lacking:
                line = next(i for i, text in enumerate(content.splitlines(), 1) if char in text)
                problems.append(Problem(
                    path, line, f"missing glyph: {describe(char)} is not in {', '.join(lacking)}",
                    "replace the character or add a font that has it to the layout",
                ))
    return problems
