"""Locale micro-typography, applied while rendering: quotes, dashes, ellipses and non-breaking spaces.

The corpus keeps the characters of its sources; a typesetter's conventions are applied here, to the
text nodes of the rendered statements and to titles and labels. Only typographic characters change
(quotation marks, dashes, spaces, the ellipsis): `fold` maps both sides to the same string, which
the tests assert for every text of the corpus.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from dataclasses import dataclass

NBSP = "\u00a0"
NNBSP = "\u202f"
"""Narrow no-break space: between digit groups (26 000). WeasyPrint stretches only U+0020 and
U+00A0 when it justifies a line, so a number set with it keeps its width."""
INLINE = "\ue000"
"""Stands in the text for an inline tag (em, strong…): invisible to the rules, kept in its place."""
BLOCK = "\ue001"
"""Stands in the text for a block tag (p, li…): a paragraph boundary; quotes never span it."""
_SENTINELS = INLINE + BLOCK
_BLOCK_TAGS = frozenset(["p", "li", "ol", "ul", "blockquote", "div", "h1", "h2", "h3", "h4", "h5", "h6", "br", "hr"])

_DOUBLE_QUOTES = '"“”„«»'
_SINGLE_QUOTES = "'‘’"
_DASHES = "‐‑–—"  # hyphen, non-breaking hyphen, en dash, em dash
# Characters after which a quotation mark opens rather than closes.
_OPENING_CONTEXT = frozenset(" \t\n" + NBSP + "([{/-" + _DASHES + "«„“‘" + BLOCK)


@dataclass(frozen=True)
class Quotes:
    """A locale's quotation marks: the outer pair and the pair nested inside it."""

    outer: tuple[str, str]
    inner: tuple[str, str]
    single: tuple[str, str] | None
    """Curly single quotes for straight ones, or None where single quotes are only apostrophes."""


ENGLISH_QUOTES = Quotes(outer=("“", "”"), inner=("‘", "’"), single=("‘", "’"))
RUSSIAN_QUOTES = Quotes(outer=("«", "»"), inner=("„", "“"), single=None)
AZERBAIJANI_QUOTES = Quotes(outer=("«", "»"), inner=("“", "”"), single=None)


def _neighbour(text: str, index: int, step: int) -> str:
    """The nearest character that is not an inline tag (a block boundary at either end)."""
    index += step
    while 0 <= index < len(text) and text[index] == INLINE:
        index += step
    return text[index] if 0 <= index < len(text) else BLOCK


def _is_opening(text: str, index: int) -> bool:
    before, after = _neighbour(text, index, -1), _neighbour(text, index, 1)
    return before in _OPENING_CONTEXT and not after.isspace() and after != BLOCK


def set_quotes(text: str, quotes: Quotes) -> str:
    """Double quotation marks of any style → the locale's, nested by depth; straight single quotes →
    curly ones or apostrophes (curly single quotes of the source are kept as they are)."""
    out: list[str] = []
    depth = 0
    for index, char in enumerate(text):
        if char == BLOCK:
            depth = 0
        if char in _DOUBLE_QUOTES:
            opening = char in "«„" or (char != "»" and _is_opening(text, index))
            if opening:
                depth += 1
                out.append(quotes.outer[0] if depth == 1 else quotes.inner[0])
            else:
                out.append(quotes.outer[1] if depth <= 1 else quotes.inner[1])
                depth = max(depth - 1, 0)
        elif char == "'":
            word_inside = _neighbour(text, index, -1).isalnum() and _neighbour(text, index, 1).isalnum()
            if word_inside or quotes.single is None:
                out.append("’")
            else:
                out.append(quotes.single[0] if _is_opening(text, index) else quotes.single[1])
        else:
            out.append(char)
    return "".join(out)


def _sub(pattern: str, replacement: str | Callable[[re.Match[str]], str], text: str, flags: int = 0) -> str:
    return re.sub(pattern, replacement, text, flags=flags)


_SPACE = f"[ {NBSP}]"
# A word's end: what may follow a word before the next space (inline tags, closing punctuation).
_NOT_WORD_BEFORE = r"(?<![\w\-‐’])"


def _common(text: str, dash: str) -> str:
    """Rules of both languages, before the locale's own."""
    text = _sub(r"[ \t\r\n]+", " ", text)  # no double spaces (line breaks in the source are spaces)
    text = _sub(r"'(?=\d\ds?\b)", "’", text)  # the ’90s
    text = _sub(r"\.\.\.|\. \. \.", "…", text)
    # A dash between words: spaced hyphens, double or triple hyphens → the locale's dash.
    text = _sub(r"(?<=\S) +(?:-{1,3}) +(?=\S)", f" {dash} ", text)
    text = _sub(r"(?<=\w)-{2,3}(?=\w)", "—", text)
    # Number ranges take an en dash: 1990–1994, 19–20.
    # A case ending may follow the range: 1990–1994-cü illər, 1990–1994-х годов.
    text = _sub(r"(?<![\d\-.,])(\d{1,4})-(\d{1,4})(?!\d|-\d|[.,]\d)", r"\1–\2", text)
    # Digit groups (26 000) keep together and keep their width: a narrow no-break space.
    text = _sub(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?![\d])",
                lambda m: re.sub(r"[ \u00a0\u2009]", NNBSP, m[0]), text)
    # No line starts with a dash: the space before a spaced dash does not break.
    return _sub(r"(?<=\S) +(?=[–—] )", NBSP, text)


def unbreakable(text: str) -> str:
    """A short phrase that should stay on one line (a date, a reference): its spaces do not break.
    (A line may still break after a dash: the layout sets such phrases `white-space: nowrap`.)"""
    return text.replace(" ", NBSP)


def with_full_stop(text: str) -> str:
    """End a sentence with a full stop, unless it already ends with one (an abbreviation: 2026 г.)."""
    stripped = text.rstrip()
    return stripped if stripped.endswith((".", "!", "?", "…")) else stripped + "."


def bind_last_word(text: str, longest: int = 5) -> str:
    """Bind a paragraph's short last word to the word before it, so it never stands alone."""
    word = rf"[^\s{_SENTINELS}]{{1,{longest}}}"
    return _sub(rf"(?<=[^\s{_SENTINELS}]) ({INLINE}*{word}{INLINE}*)(?=\s*(?:{BLOCK}|$))",
                rf"{NBSP}\1", text)


_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def typeset_en(text: str) -> str:
    """English (en-GB): curly quotes and apostrophes, dashes, ellipsis, unbreakable short words."""
    text = set_quotes(_common(text, "—"), ENGLISH_QUOTES)
    # No line ends with a one-letter word (a, I).
    text = _sub(rf"{_NOT_WORD_BEFORE}([aAI]) (?=\S)", rf"\1{NBSP}", text)
    # A day and its month stay together: 20 January, January 20.
    text = _sub(rf"(?<=\d) (?={INLINE}*(?:{_MONTHS})\b)", NBSP, text)
    text = _sub(rf"\b({_MONTHS}) (?={INLINE}*\d)", rf"\1{NBSP}", text)
    return text


# Two-letter prepositions, conjunctions and particles that lean on the following word.
_RU_SHORT = "из-за|из-под|во|со|ко|об|от|до|на|по|за|из|не|ни|но|да"
# Particles that lean on the preceding word.
_RU_ENCLITIC = "же|ли|ль|бы|б"


def typeset_ru(text: str) -> str:
    """Russian: «ёлочки» with „лапками“ inside, em dashes, and the non-breaking spaces of Russian
    typesetting (after short words, before dashes, between a number and its word)."""
    text = set_quotes(_common(text, "—"), RUSSIAN_QUOTES)
    # A spaced en dash between words is a Russian тире (em dash).
    text = _sub(rf"(?<=\S){NBSP}– ", f"{NBSP}— ", text)
    # One-letter words and short function words never end a line.
    text = _sub(rf"{_NOT_WORD_BEFORE}([а-яё]|{_RU_SHORT}) (?=[^\s\-–—])", rf"\1{NBSP}", text,
                flags=re.IGNORECASE)
    text = _sub(rf"(?<=\w) (?=(?:{_RU_ENCLITIC})\b)", NBSP, text, flags=re.IGNORECASE)
    # A number and the word it counts or dates: 20 января, 150 мирных, 1990 г., 80-х годов. In a
    # range the short word between two numbers goes with the second one, and the line may break
    # before it: «в ночь с 19 | на 20 января», «с 1988 | по 1990 год» (the day and its month stay).
    text = _sub(rf"(\d(?:-[а-яё]{{1,3}})?) (?={INLINE}*[а-яё])(?!{INLINE}*[а-яё]{{1,3}}{_SPACE}{INLINE}*\d)",
                rf"\1{NBSP}", text, flags=re.IGNORECASE)
    # A number never parts from its case ending at a line end: 31‑й, 20‑го, 80‑х.
    text = _sub(r"(?<=\d)-(?=[а-яё]{1,3}\b)", "\u2011", text, flags=re.IGNORECASE)
    # Initials and common abbreviations: Г. Алиев, т. е., т. д.
    text = _sub(r"\b([А-ЯЁ]\.) (?=[А-ЯЁ])", rf"\1{NBSP}", text)
    return _sub(r"\b(т\.) (?=[едп]\.)", rf"\1{NBSP}", text)


_AZ_LETTER = "[^\\W\\d_]"
# Words that lean on the following word: the conjunctions və, ya; determiners o, bu, ən, hər, heç.
_AZ_PROCLITIC = "və|ya|o|bu|ən|hər|heç"
# Particles and postpositions that lean on the preceding word: biz də, onunla da, xalq ilə, bu isə.
_AZ_ENCLITIC = "da|də|ilə|isə"
_AZ_CAPITAL = "A-ZÇƏĞIİÖŞÜ"


def typeset_az(text: str) -> str:
    """Azerbaijani (Latin script): «dırnaq» quotes with “…” inside, em dashes (tire) that never
    start a line, and the no-break spaces of Azerbaijani typesetting (short words, a number and its
    word, a number and its case suffix, initials)."""
    text = set_quotes(_common(text, "—"), AZERBAIJANI_QUOTES)
    text = _sub(rf"(?<=\S){NBSP}– ", f"{NBSP}— ", text)
    text = _sub(rf"{_NOT_WORD_BEFORE}({_AZ_PROCLITIC}) (?=[^\s\-–—])", rf"\1{NBSP}", text, flags=re.IGNORECASE)
    text = _sub(rf"(?<=\w) (?={INLINE}*(?:{_AZ_ENCLITIC})\b)", NBSP, text, flags=re.IGNORECASE)
    # A number and the word it counts or dates: 20 yanvar, 150 mülki, 1990-cı il, 44 günlük.
    text = _sub(rf"(\d(?:-{_AZ_LETTER}{{1,4}})?) (?={INLINE}*{_AZ_LETTER})", rf"\1{NBSP}", text)
    # A number never parts from its case suffix at a line end: 1990‑cı, 19‑dan, 2023‑cü.
    text = _sub(rf"(?<=\d)-(?={_AZ_LETTER}{{1,4}}\b)", "\u2011", text)
    # Initials: H. Əliyev, İ. Əliyev.
    return _sub(rf"\b([{_AZ_CAPITAL}]\.) (?=[{_AZ_CAPITAL}])", rf"\1{NBSP}", text)


TYPESETTERS: dict[str, Callable[[str], str]] = {"en": typeset_en, "ru": typeset_ru, "az": typeset_az}
"""Each language's micro-typography; a language without rules keeps its characters as written."""


def typeset(text: str, language: str) -> str:
    """The locale's rules for a title, label or text, and no paragraph ending in a lone short word;
    other languages keep their characters."""
    setter = TYPESETTERS.get(language)
    return bind_last_word(setter(text)) if setter else text


_TAG = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z0-9]+)")


def typeset_html(fragment: str, language: str) -> str:
    """Apply `typeset` to the text nodes of an HTML fragment, seeing across inline tags."""
    if any(sentinel in fragment for sentinel in _SENTINELS):
        raise ValueError("the text contains a private-use character reserved for typesetting")
    parts = _TAG.split(fragment)
    texts, tags = parts[0::2], parts[1::2]
    marks = [BLOCK if (m := _TAG_NAME.match(tag)) and m.group(1).lower() in _BLOCK_TAGS else INLINE
             for tag in tags]
    joined = "".join(html.unescape(text) + mark for text, mark in zip(texts, [*marks, ""], strict=True))
    pieces = re.split(f"[{_SENTINELS}]", typeset(joined, language))
    return "".join(html.escape(piece, quote=False) + tag for piece, tag in zip(pieces, [*tags, ""], strict=True))


def fold(text: str) -> str:
    """A text with its typographic characters folded: equal for a text and its typeset form."""
    text = text.replace("…", "...")
    text = re.sub(f"[{_DOUBLE_QUOTES}{_SINGLE_QUOTES}‚]", '"', text)
    text = re.sub(f"[{_DASHES}-]+", "-", text)
    return re.sub(r"\s+", " ", text).strip()
