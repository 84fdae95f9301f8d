"""`booklet import`: a raw text copied from a page → a corpus entry for review, every change declared.

The importer reads structure, not outlets. It looks at each line (its length, its punctuation,
interface words of either language, repetition, its place on the page), at paragraphs (headlines,
date lines, sentences reporting that a statement was issued, a lead-in before a quotation, an
attribution after it, a retelling in the outlet's words) and at the seams between lines (a PDF's
hard wraps and hyphenated line ends, single-newline paragraphs, paragraphs split mid-sentence).

Every change becomes an edit in the proposed YAML (booklet.corpus.provenance), applied as it is found, so
`booklet check` proves the result. Two rules keep the proposal honest: no join is ever made across
removed material (a removed line is a paragraph break), and what the importer cannot decide it
lists for the editor with the source line, never guesses silently. A text that only retells a
statement in an outlet's words is refused.
"""

from __future__ import annotations

import bisect
import codecs
import itertools
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from booklet.corpus import furniture
from booklet.corpus.figures import sentences, years_since
from booklet.corpus.loader import ID_RE, STATEMENTS_DIR
from booklet.corpus.model import Edit, Outlet, PartialDate
from booklet.corpus.provenance import applied, apply_edit, read_source
from booklet.problems import BookletError, Problem, character_problems, raise_if_any

SOURCES_DIR = "sources"
TRANSLATOR = "the booklet's editors"
PLACEHOLDER = "CONFIRM"

_MARKDOWN_HAZARD = re.compile(r"^(?:#|>|[-*+] |\d+[.)] )|[*_`<\\]", re.MULTILINE)
_BLOCK_BREAK = re.compile(r"\n[ \t]*\n\s*")
_WORD_AT = re.compile(r"\S*")
_CLAUSE_REST = re.compile(r"[^.,;:!?\n]*")


@dataclass(frozen=True)
class Proposal:
    """What the importer made of a raw text: the corpus text, its edits and proposed metadata."""

    id: str
    language: str
    markdown: str
    edits: tuple[Edit, ...]
    date: PartialDate | None
    date_evidence: str
    """How the date was found: the printed words, or the inference (then `date_inferred`)."""
    date_inferred: str | None
    outlets: tuple[Outlet, ...]
    title: str | None
    issuer: str | None
    done: tuple[str, ...]
    confirm: tuple[str, ...]

    @property
    def outlet(self) -> str | None:
        """The outlet whose page the copy is (the first named as publisher), if any."""
        return next((o.name for o in self.outlets if o.role == "published"), None)


# --- decoding ------------------------------------------------------------------------------------


def decode(raw: bytes, path: Path) -> tuple[str, str | None]:
    """The text of a raw file and the codec it needed (None for UTF-8, the corpus default).

    UTF-8 is tried first (it is never ambiguous), then a UTF-16/32 byte-order mark, then
    charset-normalizer's best guess; the caller declares the codec as the first edit."""
    if not raw.strip():
        raise BookletError([Problem(path, None, "the file is empty; nothing was imported",
                                    "import the file that holds the statement's text")])
    text, codec = _decoded(raw, path)
    raise_if_any(character_problems(path, text, private_use=False))
    if kind := markup_document(text):
        raise BookletError([Problem(path, None, f"the file is {kind}, not a text: its words would be imported "
                                                "with the markup around them; nothing was imported",
                                    "open the page in a browser, copy the statement's text into a .txt file and "
                                    "import that")])
    return text, codec


_BLOCK_TAG = re.compile(r"</?(?:html|head|body|meta|link|script|style|div|p|br|span|section|article|header|footer"
                        r"|nav|ul|ol|li|table|tr|td|h[1-6]|item|channel|entry|feed|rss)\b[^<>]{0,500}>", re.IGNORECASE)


def markup_document(text: str) -> str | None:
    """What kind of markup document a raw file is ("an HTML page", "an XML document"), None for a
    text: one that opens with a document's declaration, or whose page-building tags (paragraphs,
    divisions, scripts, feed items) are a fifth of it or more (a text quoting a tag or two, or a
    word in <b>bold</b>, stays a text)."""
    head = text.lstrip("\ufeff \t\r\n")[:200].lower()
    if head.startswith("<?xml"):
        return "an XML document"
    tags = _BLOCK_TAG.findall(text)
    if head.startswith(("<!doctype html", "<html")) or (
            len(tags) >= 3 and sum(map(len, tags)) * 5 >= len("".join(text.split()))):
        return "an HTML page"
    return None


def _decoded(raw: bytes, path: Path) -> tuple[str, str | None]:
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(codec), codec
    # UTF-16/32 without a byte-order mark is believed only where its zero bytes show (a short
    # Latin-1 word can pass for two CJK characters); zero bytes in any other encoding mean binary.
    wide = raw.count(b"\0") >= len(raw) // 5
    guesses = [m.encoding for m in from_bytes(raw) if wide == m.encoding.startswith(("utf_16", "utf_32"))]
    if not guesses:
        raise BookletError([Problem(path, None, "the file is not text in any encoding we can tell",
                                    "save it as UTF-8 text, or check it is the statement's text")])
    codec = codecs.lookup(guesses[0]).name
    return raw.decode(codec), codec


# --- the draft: every change is an edit, applied at once -----------------------------------------


class _Draft:
    """The text being imported; every change goes through a declared edit, applied at once."""

    def __init__(self, raw: str):
        self.text = raw
        self.edits: list[Edit] = []
        self.done: list[str] = []
        self.confirm: list[str] = []

    def apply(self, edit: Edit, what: str) -> None:
        self.text = apply_edit(self.text, edit)
        self.edits.append(edit)
        self.done.append(what)

    def remove(self, start: int, end: int, reason: str, what: str, grow: str = "right") -> None:
        """Remove text[start:end], anchored so that the edit names exactly this place."""
        target = self.text[start:end]
        lead = len(self.text) - len(self.text.lstrip())
        tail = len(self.text.rstrip())
        if self.text.count(target) == 1:
            edit = Edit("remove", target, 0, reason=reason)
        elif start == lead:
            edit = Edit("remove", target, 0, reason=reason, at="start")
        elif end == tail:
            edit = Edit("remove", target, 0, reason=reason, at="end")
        else:
            edit = Edit("remove", target, 0, reason=reason, within=self._context(start, end, grow))
        self.apply(edit, f"removed {what} [{reason}]: {_show(target)}")

    def _context(self, start: int, end: int, grow: str) -> str:
        """The shortest run of whole words around [start, end), found once and holding the target
        once: grown to one side first, then the other, then both (a repeated mark such as `>` may
        be unique only with the words on one side)."""
        text, target = self.text, self.text[start:end]

        def fits(left: int, right: int) -> bool:
            context = text[left:right]
            return context.count(target) == 1 and text.count(context) == 1

        other = "left" if grow == "right" else "right"
        for sides in ((grow,), (other,), ("left", "right")):
            left, right = start, end
            while not fits(left, right):
                if "left" in sides and left > 0:
                    left = _word_start(text, left)
                elif "right" in sides and right < len(text):
                    right = _word_end(text, right)
                else:
                    break
                if "left" in sides and "right" in sides and right < len(text):
                    right = _word_end(text, right)
            if fits(left, right):
                return text[left:right]
        raise BookletError([Problem(Path("import"), None, f"cannot name the place of {_show(target)} uniquely",
                                    "remove it by hand with an edit")])

    def blocks(self) -> list[tuple[int, int]]:
        """(start, end) of every paragraph of the current text, in one pass."""
        spans, position = [], 0
        for gap in [*_BLOCK_BREAK.finditer(self.text), None]:
            end = gap.start() if gap else len(self.text)
            chunk = self.text[position:end]
            if chunk.strip():
                spans.append((position + len(chunk) - len(chunk.lstrip()), position + len(chunk.rstrip())))
            position = gap.end() if gap else end
        return spans


def _word_end(text: str, position: int) -> int:
    match = re.compile(r"\s*\S+").match(text, position)
    return match.end() if match else len(text)


def _word_start(text: str, position: int) -> int:
    start = max(0, position - 200)
    match = re.search(r"\S+\s*$", text[start:position])
    return start + match.start() if match else 0


def _show(text: str, limit: int = 70) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return json.dumps(shown, ensure_ascii=False)


# --- reading the page: lines, cuts, seams, paragraphs --------------------------------------------


@dataclass(frozen=True)
class _Line:
    number: int
    """1-based line number in the source."""
    start: int
    text: str

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @property
    def core(self) -> tuple[int, int]:
        """The line without its leading and trailing blank space."""
        stripped = self.text.strip()
        at = self.start + self.text.index(stripped) if stripped else self.start
        return at, at + len(stripped)


@dataclass(frozen=True)
class _Cut:
    """A removal planned on the text: `barrier` unless it is page furniture inside the flow."""

    start: int
    end: int
    reason: str
    what: str
    barrier: bool = True


@dataclass
class _Seam:
    """Where one kept line meets the next: a paragraph break or a wrap, decided with a reason."""

    left: int
    """End of the kept text before the seam (an offset in the text)."""
    right: int
    line: int
    """Source line number where the text after the seam starts."""
    adjacent: bool
    """The two lines are next to each other (a single line break)."""
    barrier: bool
    furniture: bool
    paragraph: bool = True
    dehyphenate: bool = False


@dataclass
class _Paragraph:
    fragments: list[tuple[int, int]]
    lines: list[int]
    """Source line numbers."""
    note: bool = False

    def text(self, source: str) -> str:
        return " ".join(source[a:b] for a, b in self.fragments)

    @property
    def start(self) -> int:
        return self.fragments[0][0]

    @property
    def end(self) -> int:
        return self.fragments[-1][1]


@dataclass
class _Reading:
    """What the importer found on the page, before it writes any edit."""

    text: str
    lines: list[_Line]
    cuts: list[_Cut] = field(default_factory=list)
    notes: set[int] = field(default_factory=set)
    """Start offsets of paragraphs that are the outlet's words (set apart as outlet notes)."""
    found: dict[str, str] = field(default_factory=dict)
    outlets: list[Outlet] = field(default_factory=list)
    dates: list[tuple[PartialDate, str, int]] = field(default_factory=list)
    """Printed dates: (date, the words, source line)."""
    confirm: list[str] = field(default_factory=list)
    _spans: list[tuple[int, int]] = field(default_factory=list)

    def cut(self, start: int, end: int, reason: str, what: str, barrier: bool = True) -> None:
        """Plan a removal, unless it overlaps one already planned."""
        at = bisect.bisect_left(self._spans, (start, start))
        overlaps = (at < len(self._spans) and self._spans[at][0] < end) or (at > 0 and self._spans[at - 1][1] > start)
        if end > start and not overlaps:
            self._spans.insert(at, (start, end))
            self.cuts.append(_Cut(start, end, reason, what, barrier))

    def cut_fragments(self, paragraph: _Paragraph, reason: str, what: str) -> None:
        for start, end in paragraph.fragments:
            self.cut(start, end, reason, what)

    def title(self, words: str) -> None:
        """Propose a headline as the title; one that names a statement wins over a letterhead."""
        words = words.strip().strip("#*_ ")
        if "title" not in self.found or (
            furniture.names_statement(words) and not furniture.names_statement(self.found["title"])
        ):
            self.found["title"] = words

    def outlet(self, name: str | None, role: str) -> None:
        if name and all(o.name != name for o in self.outlets):
            self.outlets.append(Outlet(name, role))

    def _cuts_by_line(self) -> dict[int, list[tuple[int, int, bool]]]:
        starts = [line.start for line in self.lines]
        by_line: dict[int, list[tuple[int, int, bool]]] = {}
        for cut in self.cuts:
            first = bisect.bisect_right(starts, cut.start) - 1
            last = bisect.bisect_right(starts, max(cut.start, cut.end - 1)) - 1
            for index in range(first, last + 1):
                by_line.setdefault(self.lines[index].number, []).append((cut.start, cut.end, cut.barrier))
        return by_line

    def paragraphs(self, confirm: list[str] | None = None) -> tuple[list[_Paragraph], list[_Seam]]:
        """The kept text as paragraphs, and every seam between kept lines with its decision."""
        by_line = self._cuts_by_line()
        kept_lines: list[tuple[_Line, list[tuple[int, int]]]] = []
        for line in self.lines:
            cuts = sorted(by_line.get(line.number, []))
            pieces, position = [], line.start
            for start, end, _barrier in cuts:
                pieces.append((position, start))
                position = max(position, end)
            pieces.append((position, line.end))
            fragments = []
            for a, b in pieces:
                chunk = self.text[a:b]
                if chunk.strip():
                    fragments.append((a + len(chunk) - len(chunk.lstrip()), a + len(chunk.rstrip())))
            if fragments:
                kept_lines.append((line, fragments))
        seams = []
        ordered = sorted((c.start, c.end, c.barrier) for c in self.cuts)
        starts = [c[0] for c in ordered]
        for (line_a, frags_a), (line_b, frags_b) in itertools.pairwise(kept_lines):
            left, right = frags_a[-1][1], frags_b[0][0]
            between = ordered[bisect.bisect_left(starts, left) : bisect.bisect_left(starts, right)]
            seams.append(_Seam(
                left=left, right=right, line=line_b.number,
                adjacent=line_b.number == line_a.number + 1,
                barrier=any(c[2] for c in between),
                furniture=any(not c[2] for c in between),
            ))
        first = kept_lines[0][1][0][0] if kept_lines else 0
        _decide(self.text, seams, [] if confirm is None else confirm, first)
        paragraphs: list[_Paragraph] = []
        if kept_lines:
            current = _Paragraph(list(kept_lines[0][1]), [kept_lines[0][0].number])
            for seam, (line, fragments) in zip(seams, kept_lines[1:], strict=True):
                if seam.paragraph:
                    paragraphs.append(current)
                    current = _Paragraph([], [])
                current.fragments += fragments
                current.lines.append(line.number)
            paragraphs.append(current)
        for paragraph in paragraphs:
            paragraph.note = paragraph.start in self.notes
        return paragraphs, seams


def _decide(text: str, seams: list[_Seam], confirm: list[str], first: int) -> None:
    """Paragraph break or wrap at each seam.

    A removed line (outlet framing, a headline, debris) is always a paragraph break. Between two
    adjacent lines the text's own habit decides: where most lines end a sentence, each line is a
    paragraph (a web page's single-newline paragraphs); otherwise the lines are hard wraps (a PDF
    copy), and a line ends its paragraph only when it ends a sentence *and* the next word would have
    fitted on it. Across a blank line, or a page's banner and footer, a paragraph continues only
    where the first stops mid-sentence."""
    adjacent = [s for s in seams if s.adjacent and not s.barrier and not s.furniture]
    ending = [s for s in adjacent if furniture.ends_sentence(_line_before(text, s.left))]
    lines_are_paragraphs = bool(adjacent) and len(ending) >= 0.6 * len(adjacent)
    widths = [len(_line_before(text, s.left).strip()) for s in adjacent]
    width = max(widths) if widths else 0
    paragraph_start, seen_body = first, False
    for seam in seams:
        before = _line_before(text, seam.left)
        after_word = _matched(_WORD_AT, text, seam.right)
        ended = furniture.ends_sentence(before)
        # Before a capital, a paragraph that stops on a word is cut mid-sentence only if it is body
        # text (a headline stops on a word too): «… в Баку и других регионах / Азербайджана …».
        mid_sentence = not ended and (
            after_word[:1].islower() or bool(re.search(r"[,;\-–]$", before))
            or (bool(re.search(r"[^\W\d_]$", before)) and (seen_body or _body(text[paragraph_start : seam.left]))
                and furniture.ends_sentence(_block_after(text, seam.right)))
        )
        if seam.barrier:
            seam.paragraph = True
            if not ended and after_word[:1].islower():
                confirm.append(f"source line {seam.line}: removed material stands inside a sentence "
                               f"({_show(before.strip()[-30:])} … {_show(after_word)}); nothing was joined "
                               "across it — add a `join:` edit if the two parts are one sentence")
        elif seam.adjacent and not seam.furniture and not lines_are_paragraphs:
            fits = len(before.strip()) + 1 + len(after_word) <= width
            # A first-line indent the line above does not have starts a paragraph too.
            indented = _indent(text, seam.right) >= max(2, len(before) - len(before.lstrip()) + 2)
            seam.paragraph = ended and (fits or indented)
            if ended and not fits and not indented and after_word[:1].isupper():
                confirm.append(f"source line {seam.line}: a sentence ends at a full line; the "
                               "paragraph was taken to go on — if a new paragraph starts here, add a "
                               "`split:` edit")
        elif seam.adjacent and not seam.furniture:
            seam.paragraph = not (not ended and after_word[:1].islower())
            if not seam.paragraph:
                confirm.append(f"source line {seam.line}: a line that stops mid-sentence was joined "
                               f"to the next ({_show(before.strip()[-30:])} + {_show(after_word)})")
        else:
            seam.paragraph = not mid_sentence
            if mid_sentence and (after_word[:1].isupper() or seam.furniture):
                confirm.append(
                    f"source line {seam.line}: the paragraph before stops mid-sentence "
                    f"({_show(before.strip()[-30:])}); it was joined to {_show(after_word)}"
                    + (" across a page break" if seam.furniture else "") + " — confirm")
        if seam.paragraph:
            seen_body = seen_body or (not seam.barrier and ended)
            paragraph_start = seam.right
        if not seam.paragraph and re.search(r"[^\W\d_]-$", before.rstrip()):
            seam.dehyphenate = not _compound(text, before.rstrip(), after_word)
            confirm.append(
                f"source line {seam.line - 1}: a line ends in a hyphen: "
                + (f"{_show(_last_word(before)[:-1] + after_word)} was joined as one word"
                   if seam.dehyphenate else f"{_show(_last_word(before) + after_word)} keeps its hyphen")
                + " — confirm")


def _matched(pattern: re.Pattern[str], text: str, position: int = 0) -> str:
    """What a pattern that may match nothing matches at a position (no slicing of the text)."""
    match = pattern.match(text, position)
    return match[0] if match else ""


def _body(paragraph: str) -> bool:
    """Body text rather than a headline: more than one sentence, long, or with commas."""
    return len(paragraph) > 200 or ", " in paragraph or len(sentences(paragraph)) > 1


def _indent(text: str, position: int) -> int:
    """How far the line holding `position` is indented."""
    line_start = text.rfind("\n", 0, position) + 1
    return len(text[line_start:position]) - len(text[line_start:position].lstrip(" \t"))


def _block_after(text: str, position: int) -> str:
    """The text from a position to the next blank line (the rest of that block)."""
    gap = _BLOCK_BREAK.search(text, position)
    return text[position : gap.start() if gap else len(text)]


def _line_before(text: str, position: int) -> str:
    return text[text.rfind("\n", 0, position) + 1 : position]


def _last_word(line: str) -> str:
    return line.rstrip().rsplit(None, 1)[-1]


def _compound(text: str, before: str, after_word: str) -> bool:
    """Is `word-` + `rest` a hyphenated compound (kept) rather than a word broken at a line end?

    The text's own usage decides where it can (the compound or the whole word written elsewhere);
    a capital or a digit after the hyphen, or a digit before it, makes a compound."""
    head = _last_word(before)[:-1]
    tail = _matched(re.compile(r"[^\W_]*"), after_word)
    if not tail or tail[0].isupper() or tail[0].isdigit() or head[-1:].isdigit():
        return True
    joined, hyphenated = head + tail, f"{head}-{tail}"
    if re.search(rf"\b{re.escape(hyphenated)}", text, re.IGNORECASE):
        return True
    if re.search(rf"\b{re.escape(joined)}", text, re.IGNORECASE):
        return False
    return False


# --- what is furniture ---------------------------------------------------------------------------


def _read(text: str) -> _Reading:
    lines, position = [], 0
    for number, line in enumerate(text.split("\n"), 1):
        lines.append(_Line(number, position, line))
        position += len(line) + 1
    reading = _Reading(text, lines)
    _line_furniture(reading)
    paragraphs, _ = reading.paragraphs()
    _paragraph_furniture(reading, paragraphs)
    return reading


def _body_like(line: str) -> bool:
    """A line of prose: long, or a sentence of some words (a PDF's wrapped lines included)."""
    words = len(line.split())
    return len(line) >= 100 or (words >= 8 and (furniture.ends_sentence(line) or len(line) >= 55))


def _line_furniture(reading: _Reading) -> None:
    """Line by line: debris, page furniture, repeated banners, date lines, headings, signatures."""
    nonblank = [line for line in reading.lines if line.text.strip()]
    counts: dict[str, int] = {}
    for line in nonblank:
        counts[furniture.repetition_key(line.text)] = counts.get(furniture.repetition_key(line.text), 0) + 1
    body_started, seen_heads = False, set()
    _trailing_lines(reading, nonblank)
    for index, line in enumerate(nonblank):
        stripped = line.text.strip()
        start, end = line.core
        last = index == len(nonblank) - 1
        key = furniture.repetition_key(stripped)
        bold = re.fullmatch(r"\*\*(.+)\*\*", stripped)
        previous = reading.lines[line.number - 2].text.strip() if line.number > 1 else ""
        # A short line of a wrapped paragraph can look like a date line («в Баку 20 января 1990
        # года".»): one that goes on a sentence the line above left open is prose.
        continuation = bool(previous) and not furniture.ends_sentence(previous) and stripped[:1].islower()
        date = None if continuation else furniture.date_line(stripped)
        why = furniture.debris(stripped)
        if date is not None:
            reading.cut(start, end, "dateline", "the date line" + (" (proposed as date)" if date is not True else ""))
            if isinstance(date, PartialDate):
                reading.dates.append((date, stripped.strip("*_ "), line.number))
        elif furniture.page_mark(stripped):
            reading.cut(start, end, "page-furniture", "a page number, address or footer", barrier=False)
        elif why:
            reading.cut(start, end, "web-noise", why)
            reading.outlet(furniture.source_credit(stripped), "credited")
        elif (counts[key] > 1 and len(stripped) <= 160 and not furniture.ends_sentence(stripped)
              and re.search(r"[^\W\d_]{3}", key)):
            if not body_started and key not in seen_heads and furniture.heading(stripped):
                reading.title(stripped.strip("#* "))
                reading.cut(start, end, "heading-to-metadata", "the headline (proposed as title)")
            elif key in seen_heads and not body_started:
                reading.cut(start, end, "web-noise", "the headline printed again")
            else:
                reading.cut(start, end, "page-furniture", "a banner or footer repeated on each page",
                            barrier=False)
            seen_heads.add(key)
        elif stripped.startswith("#"):
            reading.title(stripped.strip("#* "))
            reading.cut(start, end, "heading-to-metadata", "the heading (proposed as title)")
        elif bold:
            inner = bold[1].strip("* ")
            if last:
                reading.found.setdefault("issuer", inner)
                reading.cut(start, end, "signature", "the signature (proposed as issuer)")
            elif not body_started:
                reading.title(inner)
                reading.cut(start, end, "heading-to-metadata", "the heading (proposed as title)")
            else:
                reading.confirm.append(f"source line {line.number}: a bold line was kept as text: "
                                       f"{_show(stripped)}")
        else:
            if not body_started:
                stamp = furniture.leading_stamp(line.text)
                if stamp:
                    stamp_end, stamp_date = stamp
                    reading.cut(start, line.start + stamp_end, "dateline", "the outlet's date stamp")
                    if stamp_date:
                        reading.dates.append((stamp_date, line.text[: stamp_end].strip(), line.number))
            body_started = body_started or _body_like(stripped)


def _trailing_lines(reading: _Reading, nonblank: list[_Line]) -> None:
    """From the last line up: the outlet's name, a signature, a place and date, debris — each a
    line of its own, removed before any seam is decided (so none is ever joined to the text)."""
    for position in range(len(nonblank) - 1, 0, -1):
        line = nonblank[position]
        stripped = line.text.strip()
        start, end = line.core
        if furniture.debris(stripped) or furniture.page_mark(stripped) or furniture.date_line(stripped) is not None:
            continue  # the line-by-line pass removes these, with their reasons
        if furniture.agency_name(stripped.strip("*_")):
            reading.outlet(stripped.strip("*_ "), "published")
            reading.cut(start, end, "web-noise", "the outlet's name")
        elif furniture.signature(stripped):
            reading.found.setdefault("issuer", stripped.strip("*_ ").rstrip("."))
            reading.cut(start, end, "signature", "the signature (proposed as issuer)")
        else:
            return


def _paragraph_furniture(reading: _Reading, paragraphs: list[_Paragraph]) -> None:
    """Paragraph by paragraph: the outlet's name, a signature or date at the end; a headline,
    framing and a lead-in before the statement; an attribution after it; retellings."""
    text = reading.text
    live = list(paragraphs)
    while len(live) > 1:
        last = live[-1]
        words = last.text(text)
        if len(last.lines) == 1 and furniture.agency_name(words):
            reading.outlet(words.strip(), "published")
            reading.cut_fragments(last, "web-noise", "the outlet's name")
        elif len(last.lines) <= 2 and furniture.signature(words):
            reading.found.setdefault("issuer", words.strip().strip("*_ ").rstrip("."))
            reading.cut_fragments(last, "signature", "the signature (proposed as issuer)")
        else:
            break
        live.pop()
    lead = next((i for i, p in enumerate(live[: max(4, len(live) // 3)]) if i + 1 < len(live)
                 and (furniture.lead_in(p.text(text)) or _colon_before_quote(p, live[i + 1], text))), None)
    if lead is not None:
        for index, paragraph in enumerate(live[:lead]):
            words = paragraph.text(text)
            if index == 0 and furniture.heading(words):
                reading.title(words.strip())
                reading.cut_fragments(paragraph, "heading-to-metadata", "the headline (proposed as title)")
            else:
                _framing_sentences(reading, paragraph, everything=True)
        reading.cut_fragments(live[lead], "outlet-framing", "the outlet's lead-in")
        # "issued a statement on 19.01.2027. The document states:" — the date the outlet reports
        # is the statement's own; a stamp or dateline found earlier still comes first.
        lead_words = live[lead].text(text)
        reading.dates += [(found.date, lead_words[found.start : found.end], live[lead].lines[0])
                          for found in furniture.dates_in(lead_words)]
        live = live[lead + 1 :]
    else:
        while live:
            first = live[0]
            words = first.text(text)
            if furniture.heading(words) and len(live) > 1 and not furniture.paraphrase(words):
                reading.title(words)
                reading.cut_fragments(first, "heading-to-metadata", "the headline (proposed as title)")
                live.pop(0)
                continue
            if _framing_sentences(reading, first, everything=False):
                live.pop(0)
                continue
            break
    if live:
        last = live[-1]
        tail = furniture.attribution(text[last.start : last.end])
        if tail:
            reading.cut(last.start + tail.start(), last.start + tail.end(), "outlet-framing",
                        "the outlet's attribution")
    quoted = any(text[p.start] in furniture.PAIRS for p in live)
    for paragraph in live:
        if furniture.paraphrase(paragraph.text(text)):
            reading.notes.add(paragraph.start)
            reading.outlet(_paraphrase_outlet(paragraph.text(text)), "published")
    kept = [p for p in live if p.start not in reading.notes]
    if live and not kept:
        raise _Refusal("the text retells the statement in the outlet's words (\"the statement "
                       "highlights …\", «в заявлении отмечается …») and quotes none of it")
    if not quoted and reading.notes:
        reading.confirm.append("parts of the text retell the statement in the outlet's words: they "
                               "are set apart as outlet notes; check which words are the statement's")


def _colon_before_quote(paragraph: _Paragraph, following: _Paragraph, text: str) -> bool:
    """A short line ending with a colon right before a quotation introduces it ("МИД Азербайджана:")."""
    words = paragraph.text(text).strip()
    return len(words) <= 120 and words.endswith(":") and text[following.start] in furniture.PAIRS


class _Refusal(Exception):
    """The text is not a statement the importer can propose."""


def _paraphrase_outlet(paragraph: str) -> str | None:
    match = re.match(r"([A-Z][\w.-]*(?: [A-Z][\w.-]*){0,3}) reports? that\b|Как сообщает ([^,]{1,40}),",
                     paragraph)
    return (match[1] or match[2]) if match else None


def _framing_sentences(reading: _Reading, paragraph: _Paragraph, everything: bool) -> bool:
    """Remove an outlet's stamp, city dateline, reporting sentences and inline lead-in from the start
    of a paragraph (or, with `everything`, the whole paragraph: it stands before a lead-in).
    True when nothing of the paragraph is left."""
    text = reading.text
    start, end = paragraph.start, paragraph.end
    words = text[start:end]
    position = 0
    city = furniture.city_dateline(words)
    if city:
        reading.dates += [(d.date, city[0].strip(), paragraph.lines[0]) for d in furniture.dates_in(city[0])[:1]]
        dateline_end = city.start("after") if city["after"] else city.end(0)
        reading.cut(start, start + len(words[:dateline_end].rstrip()), "dateline", "the outlet's dateline")
        if city["after"]:
            reading.cut(start + city.start("after"), start + city.end("after"), "web-noise",
                        "the outlet's name")
            reading.outlet(city["after"].rstrip("."), "published")
        if city["agency"]:
            reading.outlet(city["agency"].strip(" ()/"), "published")
        position = city.end(0)
    consumed = True
    for a, b in sentences(words[position:]):
        sentence = words[position + a : position + b]
        if not sentence.strip():
            continue
        if furniture.reporting(sentence) or everything:
            reading.found.setdefault("issuer", furniture.issuer_of(sentence) or "")
            reading.outlet(furniture.reporter(sentence), "published")
            reading.outlet(furniture.credited(sentence), "credited")
            _cut_across_lines(reading, start + position + a, start + position + b, "outlet-framing",
                              "the outlet's framing sentence")
            continue
        rest = words[position + a :]
        if furniture.lead_in(rest) and len(sentences(rest)) == 1:
            reading.outlet(furniture.reporter(rest), "published")
            _cut_across_lines(reading, start + position + a, end, "outlet-framing", "the outlet's lead-in")
            break
        lead = furniture.inline_lead_in(rest)
        if lead:
            reading.outlet(furniture.reporter(lead), "published")
            lead_end = start + position + a + len(lead)
            _cut_across_lines(reading, start + position + a, lead_end, "outlet-framing", "the outlet's lead-in")
        consumed = False
        break
    if not reading.found.get("issuer"):
        reading.found.pop("issuer", None)
    return consumed


def _cut_across_lines(reading: _Reading, start: int, end: int, reason: str, what: str) -> None:
    """One cut per run of the paragraph's kept text, so that cuts never overlap page furniture."""
    position = start
    for cut in sorted((c for c in reading.cuts if start < c.end and c.start < end), key=lambda c: c.start):
        reading.cut(position, cut.start, reason, what)
        position = max(position, cut.end)
    reading.cut(position, end, reason, what)


# --- writing the edits ---------------------------------------------------------------------------


def propose(raw: str, statement_id: str, commemorated: PartialDate, codec: str | None = None) -> Proposal:
    """Turn a raw text into a proposed corpus entry; every change is a declared edit."""
    draft = _Draft(raw)
    if codec:
        draft.edits.append(Edit("decode", codec, 0))
        draft.done.append(f"decoded the source bytes as {codec} (the encoding detected)")
        draft.confirm.append(f"the source is not UTF-8: it was read as {codec}; check that its "
                             "letters read right")
    if raw.startswith("\ufeff") or "\r" in raw:
        draft.apply(Edit("normalise", "line-endings", 0), "normalised a byte-order mark and CR/LF line ends")
    if not draft.text.strip():
        raise _refused(statement_id, "the text is empty")
    try:
        reading = _read(draft.text)
    except _Refusal as refusal:
        raise _refused(statement_id, str(refusal)) from None
    paragraphs, seams = reading.paragraphs(reading.confirm)
    if not paragraphs:
        raise _refused(statement_id, "nothing is left once the page's furniture is removed")
    draft.confirm += reading.confirm
    _write_cuts(draft, reading)
    _write_seams(draft, reading, seams)
    notes = [index for index, p in enumerate(paragraphs) if p.note]
    _write_quotes(draft, [i for i, p in enumerate(paragraphs) if not p.note])
    blocks, shift = draft.blocks(), 0
    for index in notes:
        first = _first_words(draft, blocks[index][0] + shift)
        before = len(draft.text)
        draft.apply(Edit("outlet-note", first, 0),
                    f"set the outlet's retelling apart as an outlet note: {_show(first)}")
        shift += len(draft.text) - before
        draft.confirm.append(f"the outlet note {_show(first)} is the outlet's words: decide whether "
                             "the booklet prints it")
    draft.apply(Edit("normalise", "layout", 0), "normalised blank lines, line edges and the final newline")
    cyrillic, latin = len(re.findall(r"[а-яё]", draft.text, re.I)), len(re.findall(r"[a-z]", draft.text, re.I))
    language = "ru" if cyrillic > latin else "en"
    date, evidence, inferred = _date(reading, draft.text, commemorated, draft.confirm)
    _final_checks(draft, paragraphs)
    return Proposal(
        id=statement_id, language=language, markdown=draft.text, edits=tuple(draft.edits), date=date,
        date_evidence=evidence, date_inferred=inferred, outlets=tuple(reading.outlets),
        title=reading.found.get("title"), issuer=reading.found.get("issuer"),
        done=tuple(draft.done), confirm=tuple(draft.confirm),
    )


def _refused(statement_id: str, why: str) -> BookletError:
    return BookletError([Problem(Path(f"{statement_id}.txt"), None, f"not imported: {why}",
                                 "import a copy that holds the statement's own words")])


def _first_words(draft: _Draft, start: int, least: int = 3) -> str:
    """The first words of a paragraph (at least `least`, within it), grown until found once."""
    right = start
    for _ in range(least):
        following = _word_end(draft.text, right)
        if "\n" in draft.text[right:following].strip():
            break
        right = following
    while draft.text.count(draft.text[start:right]) > 1 and right < len(draft.text):
        right = _word_end(draft.text, right)
    return draft.text[start:right]


def _write_cuts(draft: _Draft, reading: _Reading) -> None:
    """Each planned removal in source order, merged across one line break where they continue."""
    merged: list[_Cut] = []
    for cut in sorted(reading.cuts, key=lambda c: c.start):
        previous = merged[-1] if merged else None
        gap = reading.text[previous.end : cut.start] if previous else ""
        if (previous and previous.reason == cut.reason and previous.what == cut.what
                and not gap.strip() and gap.count("\n") <= 1 and cut.reason == "outlet-framing"):
            merged[-1] = _Cut(previous.start, cut.end, cut.reason, cut.what, cut.barrier)
        else:
            merged.append(cut)
    reading.cuts = merged
    shift = 0
    for cut in merged:
        draft.remove(cut.start - shift, cut.end - shift, cut.reason, cut.what)
        shift += cut.end - cut.start


def _write_seams(draft: _Draft, reading: _Reading, seams: list[_Seam]) -> None:
    """Local edits at seams (dehyphenate, split, join), then one white-space normalisation."""
    starts = [c.start for c in reading.cuts]
    removed = [0]
    for cut in reading.cuts:
        removed.append(removed[-1] + cut.end - cut.start)

    def now(position: int) -> int:
        return position - removed[bisect.bisect_right(starts, position - 1)]

    adjacent = [s for s in seams if s.adjacent]
    lines_mode = bool(adjacent) and sum(s.paragraph for s in adjacent) >= 0.6 * len(adjacent)
    delta = 0
    for seam in seams:
        left, right = now(seam.left) + delta, now(seam.right) + delta
        before = len(draft.text)
        if seam.dehyphenate:
            excerpt = _seam_excerpt(draft, left - 1, right)
            draft.apply(Edit("dehyphenate", excerpt, 0),
                        f"joined a word hyphenated at a line end: {_show(excerpt)}")
        elif seam.paragraph and seam.adjacent and not lines_mode:
            excerpt = _seam_excerpt(draft, left, right)
            draft.apply(Edit("split", excerpt, 0), f"split paragraphs at a line end: {_show(excerpt)}")
        elif not seam.paragraph and (not seam.adjacent or lines_mode):
            excerpt = _seam_excerpt(draft, left, right)
            draft.apply(Edit("join", excerpt, 0), f"rejoined a paragraph split mid-sentence: {_show(excerpt)}")
        delta += len(draft.text) - before
    if re.search(r"\S[ \t]*\n[ \t]*\S", draft.text):
        if lines_mode:
            draft.apply(Edit("normalise", "line-breaks", 0),
                        "made each line a paragraph (the text's paragraphs are single lines)")
        else:
            draft.apply(Edit("normalise", "reflow", 0), "re-flowed hard-wrapped lines into paragraphs")


def _seam_excerpt(draft: _Draft, left: int, right: int) -> str:
    """The words on both sides of a seam, grown until they are found once."""
    a, b = _word_start(draft.text, left), _word_end(draft.text, right)
    while draft.text.count(draft.text[a:b]) > 1 and (a > 0 or b < len(draft.text)):
        a, b = _word_start(draft.text, a), _word_end(draft.text, b)
    return draft.text[a:b]


def _write_quotes(draft: _Draft, statement_paragraphs: list[int]) -> None:
    """Quote marks the outlet put around the statement: `unquote` from an opening mark at a
    paragraph's start to the matching closing mark at the end of the same or a later paragraph.

    Quoting several paragraphs, a writer may also open each paragraph again and close only the
    last; those repeated opening marks are removed too (reason `outlet-quote-marks`)."""
    index = 0
    blocks = draft.blocks()
    while index < len(statement_paragraphs):
        start = blocks[statement_paragraphs[index]][0]
        found = _quoted_run(draft.text, blocks, statement_paragraphs[index:])
        if found is None:
            index += 1
            continue
        close_at, reopened = found
        for paragraph in reversed(reopened):
            mark = blocks[paragraph][0]
            draft.remove(mark, mark + 1, "outlet-quote-marks", "the outlet's quote mark reopening a paragraph")
        blocks = draft.blocks()
        end = blocks[close_at][1]
        opening = _first_words(draft, start, least=2)
        closing_start = end - 1
        for _ in range(2):
            previous = _word_start(draft.text, closing_start)
            if "\n" in draft.text[previous:closing_start]:
                break
            closing_start = previous
        while draft.text.count(draft.text[closing_start:end]) > 1:
            closing_start = _word_start(draft.text, closing_start)
        closing = draft.text[closing_start:end]
        draft.apply(Edit("unquote", opening, 0, to=closing),
                    f"removed the outlet's quote marks around the statement [unquote]: "
                    f"{_show(opening)} … {_show(closing)}")
        index = statement_paragraphs.index(close_at) + 1
        blocks = draft.blocks()


def _quoted_run(text: str, blocks: list[tuple[int, int]], candidates: list[int]) -> tuple[int, list[int]] | None:
    """The paragraph whose end closes the quotation opened at the first candidate's start, and the
    paragraphs between that open it again; None when no closing mark pairs with it."""
    first_start = blocks[candidates[0]][0]
    opener = text[first_start]
    closer = furniture.PAIRS.get(opener)
    if closer is None:
        return None
    closers = (closer, "”") if opener == "„" else (closer,)

    def balanced(inside: str) -> bool:
        if opener == closer:
            return inside.count(opener) % 2 == 0
        return inside.count(opener) == inside.count(closer)

    reopened = []
    for paragraph in candidates:
        start, end = blocks[paragraph]
        closes = text[end - 1] in closers and end - 1 > first_start
        stop = end - 1 if closes else end
        if paragraph == candidates[0]:
            body = start + 1
        elif text[start] == opener and not balanced(text[start:stop]) and balanced(text[start + 1 : stop]):
            reopened.append(paragraph)  # the quotation, still open, is opened again here
            body = start + 1
        else:
            body = start
        if not balanced(text[body:stop]):
            return None
        if closes:
            return paragraph, reopened
    return None


def _final_checks(draft: _Draft, paragraphs: list[_Paragraph]) -> None:
    line, counted = 1, 0
    hazards: dict[str, None] = {}  # one line to confirm per line and sign, in text order
    for match in _MARKDOWN_HAZARD.finditer(draft.text):
        line += draft.text.count("\n", counted, match.start())  # counted on from the last match: linear
        counted = match.start()
        hazards[f"line {line} of the text: {_show(match[0])} has a meaning in Markdown; check the rendered text"] = None
    draft.confirm.extend(hazards)
    text = draft.text.rstrip()
    if text[-1:] not in furniture.TERMINAL + furniture.CLOSING + ":;":
        draft.confirm.append(
            f"the text ends without final punctuation ({_show(text[-40:])}, source line "
            f"{paragraphs[-1].lines[-1]}): keep it if the statement ends so; if an outlet's words "
            "follow, remove them with an edit")
    if len([b for b in draft.blocks()]) == 1 and len(sentences(text)) >= 4:
        draft.confirm.append(
            f"the whole statement is one paragraph (source line {paragraphs[0].lines[0]}): if it had "
            "paragraphs, declare each with a `split:` edit")


def _date(reading: _Reading, text: str, commemorated: PartialDate,
          confirm: list[str]) -> tuple[PartialDate | None, str, str | None]:
    # A statement cannot be older than the day it commemorates: such dates are the text's own.
    printed = [(d, w, n) for d, w, n in reading.dates if d >= commemorated]
    if printed:
        distinct = sorted({date for date, _words, _line in printed})
        date, words, line = printed[0]
        if len(distinct) > 1:
            confirm.append("the page prints more than one date: " + "; ".join(
                f"{d} (source line {n}: {_show(w)})" for d, w, n in printed) + f" — {date} was proposed")
        return date, f'printed in the source: "{words}" (line {line})', None
    for match in years_since(text):
        years = int(match["n"])
        clause_start = max(text.rfind(mark, 0, match.start()) for mark in ".,;:!?\n") + 1
        clause = text[clause_start : match.start()].lstrip() + _matched(_CLAUSE_REST, text, match.start())
        year = commemorated.year + years
        inferred = f'No date is printed. The text says "{clause}": {commemorated.year} + {years} = {year}.'
        return PartialDate(year), f"inferred with year precision: {inferred}", inferred
    return None, "not found: no printed date and no 'N years' in the text", None


def valid_id(statement_id: str, named_after: Path | None = None) -> str:
    """An id is lower-case letters, digits and single hyphens: it names files and anchors.
    `named_after`: the file the id was made from (its name), when no `--id` was given."""
    if not ID_RE.match(statement_id):
        if named_after is not None:
            raise BookletError([Problem(named_after, None, "no id can be made from the file's name (an id is "
                                        "lower-case Latin letters, digits and hyphens)",
                                        "pass the id, e.g. --id mfa-2027")])
        raise BookletError([Problem(Path(statement_id), None, f"'{statement_id}' is not a valid id",
                                    "use lower-case letters, digits and hyphens, e.g. mfa-2027")])
    return statement_id


# --- writing the entry ------------------------------------------------------------------------


def entry_files(corpus_dir: Path, proposal: Proposal) -> dict[str, Path]:
    statements = corpus_dir / STATEMENTS_DIR
    return {
        "source": corpus_dir / SOURCES_DIR / f"{proposal.id}.txt",
        "yaml": statements / f"{proposal.id}.yaml",
        "text": statements / f"{proposal.id}.{proposal.language}.md",
    }


def write_entry(
    corpus_dir: Path, raw: bytes, proposal: Proposal, force: bool = False,
    languages: tuple[str, ...] = ("en", "ru"),
) -> dict[str, Path]:
    """Write the verbatim source, the text and the proposed YAML; never overwrite without force."""
    files = entry_files(corpus_dir, proposal)
    existing = [path for path in files.values() if path.exists()]
    if existing and not force:
        raise BookletError(
            [
                Problem(
                    path,
                    None,
                    "already exists; nothing was written",
                    "choose another --id, or pass --force to replace it",
                )
                for path in existing
            ]
        )
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    files["source"].write_bytes(raw)
    files["text"].write_text(proposal.markdown, encoding="utf-8")
    files["yaml"].write_text(proposal_yaml(proposal, languages), encoding="utf-8")
    return files


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def edits_yaml(edits: tuple[Edit, ...]) -> list[str]:
    lines = []
    for edit in edits:
        lines.append(
            f"  - {edit.kind}: {edit.text if edit.kind in ('normalise', 'decode') else _quoted(edit.text)}"
        )
        for key, value in (
            ("reason", edit.reason),
            ("at", edit.at),
            ("in", edit.within),
            ("to", edit.to),
            ("note", edit.note),
        ):
            if value is not None:
                lines.append(f"    {key}: {_quoted(value) if key in ('in', 'to', 'note') else value}")
    return lines


def proposal_yaml(proposal: Proposal, languages: tuple[str, ...] = ("en", "ru")) -> str:
    """The proposed metadata: what the importer found, and `CONFIRM:` wherever only the editor can
    answer (a placeholder fails `booklet check` and `booklet build` until it is replaced)."""
    original = proposal.language
    others = [language for language in languages if language != original]

    def per_language(key: str, found: str | None, what: str) -> list[str]:
        return [f"{key}:", f"  {original}: {_quoted(found or f'{PLACEHOLDER}: {what}')}",
                *(f"  {language}: {_quoted(f'{PLACEHOLDER}: {what} in {language}')}" for language in others)]

    lines = [
        f"# Proposed by `booklet import` from {SOURCES_DIR}/{proposal.id}.txt. Review every field;",
        "# titles and the issuer are guesses, the date says how it was found. Each CONFIRM fails",
        "# `booklet check` until you replace it.",
        *per_language("title", proposal.title, "title"),
        *per_language("short_title", None, "short title"),
        *per_language("issuer", proposal.issuer, "issuer"),
    ]
    if proposal.outlets:
        lines.append("outlets:")
        lines += [f"  - {{name: {_quoted(o.name)}, role: {o.role}}}" for o in proposal.outlets]
    lines.append(f"date: {proposal.date or PLACEHOLDER}  # {proposal.date_evidence}")
    if proposal.date_inferred:
        lines.append(f"date_inferred: {_quoted(proposal.date_inferred)}")
    lines += [
        f"original_language: {original}",
        f"source: {SOURCES_DIR}/{proposal.id}.txt",
        f"# Applied in order to the source, these give {proposal.id}.{original}.md exactly.",
        "edits:",
        *edits_yaml(proposal.edits),
        "texts:",
        f"  {original}: {{file: {proposal.id}.{original}.md}}",
        *(f"  {language}: {{file: {proposal.id}.{language}.md, translated_from: {original}, "
          f"translator: {_quoted(f'{PLACEHOLDER}: who translated it')}}}  "
          f"# write {proposal.id}.{language}.md, or `{language}: none`" for language in others),
    ]
    return "\n".join(lines) + "\n"


def refresh(statement_yaml: Path, source: Path, edits: tuple[Edit, ...], target: Path) -> bool:
    """Write the original-language text anew from its source and declared edits (so nobody keeps
    the two in step by hand). True when the text changed."""
    try:
        raw = read_source(source, edits)
    except UnicodeDecodeError as error:
        raise BookletError([Problem(source, None, f"cannot be read ({error.reason})",
                                    "declare its encoding as the first edit, e.g. `- decode: windows-1251`")]) from None
    text, problems = applied(raw, edits, statement_yaml)
    if problems:
        raise BookletError(problems)
    old = target.read_text(encoding="utf-8") if target.is_file() else None
    if old != text:
        target.write_text(text, encoding="utf-8")
    return old != text
