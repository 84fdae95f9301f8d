"""Composed lines into the document: WeasyPrint sets exactly the lines the composer chose.

The stage between the HTML and the PDF. The typesetter itself says what each justified paragraph
is set in: a quick layout of the document with its text replaced by one letter (a *skeleton*:
same boxes, same styles, same measures) gives each paragraph's measure, indent, language,
hyphenation limits and the font of every run of its text. The composer (`booklet.typeset.composer`)
breaks each paragraph; its lines replace the paragraph's content as one `<span>` per line with
the line's word and letter spacing, and a newline between lines. The span is `nowrap`, so the
typesetter can never re-break a line, and the paragraph's last line, set at its natural spacing,
stays ragged. After the real layout every composed paragraph is found again, line by line.

Nothing here imports WeasyPrint (`booklet.typeset.pdf` does): boxes and trees are read by their attributes.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from xml.etree import ElementTree

from booklet.typeset.composer import (
    LINE_BREAK,
    SPACES,
    Composition,
    Line,
    Paragraph,
    Run,
    Settings,
    compose,
    forget_measurements,
    text_width,
)
from booklet.typeset.layout import FontFace
from booklet.typeset.plan import (
    BREAK,
    LONG,
    ON,
    OPEN,
    Measured,
    PageBottom,
    Plan,
    PlanSettings,
    Section,
    Unit,
    balance,
    fillers_of,
    fit,
    foresee,
    long_page_rules,
    long_pages,
    measure,
    overruns,
    page_bottoms,
    units_of,
)

MARK = "data-bk"
"""Attribute numbering the body's elements, so the skeleton's boxes lead back to the real ones."""

SWITCH = "BOOKLET_COMPOSER"
"""Set to `off` to leave line breaking to WeasyPrint (greedy): the tests' control experiment."""

_NOT_TEXT = {"style", "script", "title", "head", "meta", "link"}


def composer_enabled() -> bool:
    return os.environ.get(SWITCH, "on").lower() not in ("off", "0", "no", "false")


@dataclass(frozen=True)
class ComposedParagraph:
    mark: str
    paragraph: Paragraph
    composition: Composition


@dataclass
class Typesetting:
    """What the composer did to one edition, for the report and the tests."""

    paragraphs: list[ComposedParagraph] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Marks of justified paragraphs left to the typesetter (a run the composer cannot measure)."""
    page_feet_unhyphenated: list[str] = field(default_factory=list)
    """Paragraphs set again so that no page ends at a hyphen (the document was laid out twice)."""
    long_pages: list[int] = field(default_factory=list)
    """Pages (numbered from 1) run a line long so that they do not end at a hyphen."""
    balanced: list[int] = field(default_factory=list)
    """Pages (numbered from 1, as first laid out) a list or table would have left less than a quarter
    full: units of the page before went over with it."""
    page_foot_hyphens: list[str] = field(default_factory=list)
    """A paragraph's mark for each page that still ends inside it at a hyphen (setting it again
    without cost more than the hyphen)."""
    rebroken: list[str] = field(default_factory=list)
    """Composed paragraphs whose line count in the layout differs from the composer's (must be empty)."""
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall time of each step: skeleton layout, composing, the layout of the composed lines, checking."""
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    """This process's CPU time of each step."""
    page_fill: list[float | None] = field(default_factory=list)
    """For each page, how far down its content area the text reaches (None: no line of text)."""
    overruns: list[tuple[str, int, int]] = field(default_factory=list)
    """One-page parts (plan.ONE_PAGE) the layout ran over more pages: (class, first, last page)."""
    plan: Plan = field(default_factory=Plan)
    """What the page plan changed (booklet.typeset.plan): openings, looseness, header space, fillers."""
    fitted: list[Fitted] = field(default_factory=list)
    """The paragraphs the fitter set in another number of lines."""
    layouts: int = 0
    """Layouts of the composed document (1, or more when the page plan changed something)."""
    sections: list[SectionFill] = field(default_factory=list)
    """Each section's last page and how full it is, as finally laid out."""


@dataclass(frozen=True)
class Fitted:
    """A paragraph the fitter changed: where it starts, its first words, its lines before and after."""

    mark: str
    page: int
    """Page number (1-based) where it starts, in the layout before the change."""
    words: str
    lines_before: int
    lines_after: int
    worst: float
    """Its loosest line after the change: word space over the natural space."""


@dataclass(frozen=True)
class SectionFill:
    mark: str
    kind: str
    last_page: int
    """1-based."""
    fill: float


Parse = Callable[[str], Any]
Render = Callable[[Any], Any]


def _body(root: ElementTree.Element) -> ElementTree.Element | None:
    return next((element for element in root.iter() if element.tag == "body"), None)


def _number(root: ElementTree.Element) -> None:
    body = _body(root)
    for number, element in enumerate(body.iter() if body is not None else ()):
        if isinstance(element.tag, str):
            element.set(MARK, str(number))


SKELETON_STYLE = ("*{break-before:auto!important;break-after:auto!important;break-inside:auto!important}"
                  "*::before,*::after{content:none!important}")
"""The skeleton needs no page breaks and no generated text (page references re-paginate); named
pages, and so every measure, stay as they are."""


def _skeletonise(root: ElementTree.Element) -> None:
    """Every text of the body becomes one letter: the same boxes and styles, a fraction of the work."""
    head = next((element for element in root.iter() if element.tag == "head"), None)
    if head is not None:
        ElementTree.SubElement(head, "style").text = SKELETON_STYLE
    body = _body(root)
    for element in body.iter() if body is not None else ():
        if element.tag in _NOT_TEXT:
            continue
        if element.text and element.text.strip():
            element.text = "x"
        if element.tail and element.tail.strip():
            element.tail = "x"


def boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from boxes(child)


@dataclass(frozen=True)
class TextStyle:
    """What the composer needs of an element's computed style: plain values, so that the
    skeleton's document can go as soon as its facts are read (and facts can be kept)."""

    plain: bool
    """Text the composer can measure exactly: no transformation, no extra spacing, no feature set."""
    inline: bool
    font_family: tuple[str, ...]
    font_style: str
    font_weight: float
    font_size: float
    lang: str
    hyphenate: bool
    limit_chars: tuple[int, int, int]
    hyphen: str
    justified: bool


def _text_style(style: Any) -> TextStyle:
    total, left, right = style["hyphenate_limit_chars"]
    return TextStyle(
        plain=(style["text_transform"] == "none" and style["letter_spacing"] == "normal"
               and not style["word_spacing"] and style["white_space"] == "normal"
               and style["font_variant_caps"] == "normal" and style["font_feature_settings"] == "normal"
               and style["font_kerning"] == "auto" and style["direction"] == "ltr"),
        inline=style["display"] == ("inline", "flow"),
        font_family=tuple(style["font_family"]), font_style=style["font_style"],
        font_weight=style["font_weight"], font_size=style["font_size"], lang=style["lang"] or "",
        hyphenate=style["hyphens"] == "auto",
        limit_chars=(total if isinstance(total, int) else 5, left if isinstance(left, int) else 2,
                     right if isinstance(right, int) else 2),
        hyphen=style["hyphenate_character"] or "\u2010", justified=style["text_align_all"] == "justify")


@dataclass(frozen=True)
class _Facts:
    width: float
    indent: float
    style: TextStyle


@dataclass(frozen=True)
class Skeleton:
    """From a laid-out skeleton: each justified paragraph's measure and indent, and the text style
    of every element inside one."""

    paragraphs: dict[str, _Facts]
    styles: dict[str, TextStyle]


def _lines_of(box: Any) -> str | None:
    """The mark of the paragraph whose line boxes this box holds; None for any other box, and for
    a pseudo-element's (a list item's marker is a line of its own, not the item's text)."""
    element = getattr(box, "element", None)
    children = getattr(box, "children", None) or []
    if element is None or not children or type(children[0]).__name__ != "LineBox":
        return None
    return None if "::" in (getattr(box, "element_tag", None) or "") else element.get(MARK)


def _facts(document: Any, root: ElementTree.Element) -> Skeleton:
    paragraphs: dict[str, _Facts] = {}
    styles: dict[str, Any] = {}
    for page in document.pages:
        for box in boxes(page._page_box):
            element = getattr(box, "element", None)
            mark = element.get(MARK) if element is not None else None
            if mark is None:
                continue
            styles.setdefault(mark, box.style)
            if _lines_of(box) == mark and mark not in paragraphs:
                paragraphs[mark] = _Facts(box.width, box.children[0].text_indent or 0.0, _text_style(box.style))
    justified = {mark: facts for mark, facts in paragraphs.items() if facts.style.justified}
    inside: dict[str, TextStyle] = {}
    for element in root.iter():
        if element.get(MARK) in justified:
            for descendant in element.iter():
                mark = descendant.get(MARK)
                if mark is not None and mark in styles and mark not in inside:
                    inside[mark] = _text_style(styles[mark])
    return Skeleton(justified, inside)


def _face(style: TextStyle, faces: tuple[FontFace, ...]) -> Path | None:
    """The layout's font file WeasyPrint picks for a style (no synthesised styles)."""
    for family in style.font_family:
        candidates = [face for face in faces if face.family.lower() == family.lower()
                      and face.style == style.font_style]
        if candidates:
            return min(candidates, key=lambda face: abs(face.weight - style.font_weight)).path
    return None


def _runs(element: ElementTree.Element, styles: dict[str, TextStyle], faces: tuple[FontFace, ...],
          chain: tuple[ElementTree.Element, ...] = ()) -> list[tuple[Run, tuple[ElementTree.Element, ...]]] | None:
    """The element's text as runs, each with the inline elements around it; None if not measurable."""
    style = styles.get(element.get(MARK, ""))
    if style is None or not style.plain:
        return None
    font = _face(style, faces)
    if font is None:
        return None
    runs: list[tuple[Run, tuple[ElementTree.Element, ...]]] = []
    if element.text:
        runs.append((Run(element.text, font, style.font_size), chain))
    for child in element:
        if child.tag == "br":  # the composer breaks the line there; the newline between lines does
            runs.append((Run(LINE_BREAK, font, style.font_size), chain))
            if child.tail:
                runs.append((Run(child.tail, font, style.font_size), chain))
            continue
        child_style = styles.get(child.get(MARK, ""))
        if not isinstance(child.tag, str) or child_style is None or not child_style.inline:
            return None
        inner = _runs(child, styles, faces, (*chain, child))
        if inner is None:
            return None
        # An empty element (an anchor) is kept as an empty run at its place in the text.
        runs += inner or [(Run("", font, style.font_size), (*chain, child))]
        if child.tail:
            runs.append((Run(child.tail, font, style.font_size), chain))
    return runs


def _paragraph(facts: _Facts, runs: list[Run], exceptions: tuple[tuple[str, tuple[str, ...]], ...]) -> Paragraph:
    style = facts.style
    language = style.lang.lower().replace("_", "-")
    words = tuple(word for listed, words in exceptions
                  if language == listed.lower() or language.startswith(listed.lower() + "-") for word in words)
    return Paragraph(runs=tuple(runs), measure=facts.width, indent=facts.indent, language=style.lang,
                     hyphenate=style.hyphenate, limit_chars=style.limit_chars, hyphen=style.hyphen,
                     exceptions=words)


def _px(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".") + "px"


def _pieces(composed: Composition, paragraph: Paragraph, line: Line,
            following: int | None) -> list[tuple[int, str]]:
    """A line's text split by run, with the empty runs (anchors) that fall in it and the added hyphen."""
    run_of, text = composed.run_of, composed.text
    empty = [(bisect.bisect_left(run_of, index), index) for index, run in enumerate(paragraph.runs) if not run.text]
    mine = [(position, index) for position, index in empty
            if line.start <= position and (following is None or position < following)]
    pieces: list[tuple[int, str]] = []
    for position in range(line.start, line.end):
        while mine and mine[0][0] <= position:
            pieces.append((mine.pop(0)[1], ""))
        run = run_of[position]
        if pieces and pieces[-1][0] == run and pieces[-1][1]:
            pieces[-1] = (run, pieces[-1][1] + text[position])
        else:
            pieces.append((run, text[position]))
    if line.hyphenated:
        last = max(n for n, (_run, piece) in enumerate(pieces) if piece)
        pieces[last] = (pieces[last][0], pieces[last][1] + paragraph.hyphen)
    pieces += [(index, "") for _position, index in mine]
    return pieces


_COMPOSED = "hyphens:manual;white-space:pre-line"
"""A composed paragraph: no hyphen but the composer's, and a line break at each newline between its
lines' spans. A newline, not a `<br>`: each `<br>` is an element and a generated `::before` of
its own, two more styles and boxes a line, and a fifth to a third of the layout's time."""


def _set_lines(element: ElementTree.Element, composed: Composition, paragraph: Paragraph,
               chains: list[tuple[ElementTree.Element, ...]]) -> None:
    """Replace the paragraph's content by its composed lines."""
    ids_seen: set[str] = set()
    for child in list(element):
        element.remove(child)
    element.text = None
    style = element.get("style", "")
    if not style.endswith(_COMPOSED):  # set once, though a paragraph may be set again
        element.set("style", f"{style};{_COMPOSED}" if style else _COMPOSED)
    for number, line in enumerate(composed.lines):
        span = ElementTree.SubElement(element, "span")
        declarations = ["white-space:nowrap"]
        if line.word_spacing:
            declarations.append(f"word-spacing:{_px(line.word_spacing)}")
        if line.letter_spacing:
            declarations.append(f"letter-spacing:{_px(line.letter_spacing)}")
        span.set("style", ";".join(declarations))
        following = composed.lines[number + 1].start if number + 1 < len(composed.lines) else None
        for run, text in _pieces(composed, paragraph, line, following):
            parent = span
            for original in chains[run]:
                attributes = {key: value for key, value in original.attrib.items()
                              if key != "id" or value not in ids_seen}
                ids_seen.update(value for key, value in original.attrib.items() if key == "id")
                parent = ElementTree.SubElement(parent, original.tag, attributes)
            if parent is not span:
                parent.text = text
            elif len(span):
                span[-1].tail = (span[-1].tail or "") + text
            else:
                span.text = (span.text or "") + text
        if number + 1 < len(composed.lines):
            span.tail = "\n"


@dataclass(frozen=True)
class Geometry:
    """What the page plan reads from a layout: the sections' pages and fill, and which line of each
    paragraph a page break divides ends each page."""

    measured: Measured
    feet: dict[str, list[int]]
    bottoms: tuple[PageBottom, ...] = ()
    units: tuple[Unit, ...] = ()


class Geometries(Protocol):
    """Where the page plan finds the geometry of a layout it read before (`geometry_key`)."""

    def geometry(self, key: str) -> Geometry | None: ...

    def remember(self, key: str, geometry: Geometry) -> None: ...


@dataclass(frozen=True)
class GeometryStore:
    """Geometries kept in the build cache's folder, for the next build (in any process): an edit to
    one statement that moves no line lays its edition out once, not once more for the plan.
    `context` names everything else a layout depends on (toolchain, layout and font files)."""

    folder: Path
    context: str

    def _path(self, key: str) -> Path:
        return self.folder / f"{hashlib.sha256(f'{self.context}|{key}'.encode()).hexdigest()}.json"

    def geometry(self, key: str) -> Geometry | None:
        try:
            found = _geometry_from(json.loads(self._path(key).read_text(encoding="utf-8")))
        except (OSError, ValueError):
            return None  # none yet, or not one: laid out and read again
        os.utime(self._path(key))  # the newest survive pruning
        return found

    def remember(self, key: str, geometry: Geometry) -> None:
        from booklet.cache import write_atomically

        try:
            write_atomically(self._path(key), json.dumps(dataclasses.asdict(geometry)).encode())
        except OSError:
            return  # a failure to cache never fails a build


def _geometry_from(data: Any) -> Geometry:
    """A geometry from its JSON, every field of the type the plan reads (a damaged or edited cache
    file is refused, never a crash later): ValueError if not."""
    def check(condition: bool) -> None:
        if not condition:
            raise ValueError("not a geometry")

    def listed(value: Any, kind: type) -> tuple[Any, ...]:
        check(isinstance(value, list) and all(type(item) is kind for item in value))
        return tuple(value)

    def mapped(value: Any, kinds: tuple[type, ...]) -> dict[str, Any]:
        check(isinstance(value, dict) and all(type(item) in kinds for item in value.values()))
        return dict(value)

    def fields(value: Any, kind: type) -> dict[str, Any]:
        check(isinstance(value, dict) and set(value) == {field.name for field in dataclasses.fields(kind)})
        return dict(value)

    check(isinstance(data, dict) and set(data) == {"measured", "feet", "bottoms", "units"}
          and isinstance(data["bottoms"], list) and isinstance(data["units"], list))
    units = []
    for unit in data["units"]:
        unit = fields(unit, Unit)
        check(all(type(unit[name]) is str for name in ("mark", "parent")) and type(unit["page"]) is int
              and all(type(unit[name]) in (int, float) for name in ("top", "height")))
        units.append(Unit(**unit))
    bottoms = []
    for bottom in data["bottoms"]:
        bottom = fields(bottom, PageBottom)
        check(all(type(bottom[name]) is str for name in ("name", "side")) and type(bottom["movable"]) is bool
              and all(type(bottom[name]) in (int, float) for name in ("fill", "margin"))
              and type(bottom["widows"]) is int)
        bottoms.append(PageBottom(**{**bottom, "folios": mapped(bottom["folios"], (int, float))}))
    measured = fields(data["measured"], Measured)
    check(type(measured["pages"]) is int and type(measured["line"]) in (int, float)
          and type(measured["line_height"]) in (int, float) and isinstance(measured["sections"], list))
    sections = []
    for section in measured["sections"]:
        section = fields(section, Section)
        check(all(type(section[name]) is str for name in ("mark", "kind"))
              and type(section["last_fill"]) in (int, float) and type(section["space"]) in (str, type(None)))
        check(all(type(section[name]) is bool for name in ("alone", "after_blank", "recto")))
        sections.append(Section(**{**section, "pages": listed(section["pages"], int),
                                   "paragraphs": listed(section["paragraphs"], str)}))
        check(bool(sections[-1].pages))
    feet = mapped(data["feet"], (list,))
    return Geometry(Measured(**{**measured, "blank": listed(measured["blank"], int), "sections": tuple(sections),
                                "fillers": listed(measured["fillers"], str),
                                "margins": mapped(measured["margins"], (int, float)),
                                "first_page": mapped(measured["first_page"], (int,))}),
                    {mark: list(listed(lines, int)) for mark, lines in feet.items()}, tuple(bottoms), tuple(units))


@functools.lru_cache(maxsize=32)
def _covered(font: Path) -> frozenset[int]:
    """The characters a font file has glyphs for."""
    import uharfbuzz

    return frozenset(uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(font))).unicodes)


def geometry_key(root: ElementTree.Element, composed: dict[str, ComposedParagraph]) -> str:
    """A digest of everything a layout's page breaks and line positions depend on: the document
    with the words of its composed lines left out. A composed line is one line box however its
    words read (its span does not wrap), as tall as the fonts in it make it: what stays is each
    paragraph's lines, the inline elements in each, and any character its font lacks (set in a
    fallback font, whose height may differ). Two documents with one key lay out to the same pages,
    line for line: the page plan may read one layout for the other (`ComposerMemo.geometries`)."""
    digest = hashlib.sha256()

    def element(node: ElementTree.Element, skip: frozenset[str] = frozenset()) -> None:
        attributes = sorted((key, value) for key, value in node.attrib.items() if key not in skip)
        digest.update(f"<{node.tag} {attributes}>".encode())

    def walk(node: ElementTree.Element) -> None:
        element(node)
        mark = node.get(MARK)
        if mark is not None and mark in composed:
            paragraph = composed[mark]
            text, run_of, runs = paragraph.composition.text, paragraph.composition.run_of, paragraph.paragraph.runs
            lines = iter(paragraph.composition.lines)
            for child in node:
                if child.tag == "span":
                    element(child, frozenset({"style"}))  # its word and letter spacing
                    for inner in child.iter():
                        if inner is not child:
                            element(inner)
                    line = next(lines)
                    lacking = sorted({text[n] for n in range(line.start, line.end)
                                      if ord(text[n]) not in _covered(runs[run_of[n]].font)})
                    digest.update(f"|{''.join(lacking)}|".encode())
                else:
                    element(child)
            digest.update(f"</{node.tag}>{node.tail or ''}".encode())
            return
        digest.update((node.text or "").encode())
        for child in node:
            if isinstance(child.tag, str):
                walk(child)
            else:
                digest.update(f"{child.tail or ''}".encode())
        digest.update(f"</{node.tag}>{node.tail or ''}".encode())

    walk(root)
    return digest.hexdigest()


@dataclass
class ComposerMemo:
    """Skeleton facts and compositions kept from one build to the next in one process (`booklet
    watch`). A skeleton has every text replaced by one letter, so an edit of a few words leaves it
    as it was: its facts are looked up by its content instead of laid out again; and a paragraph is
    composed again only when it changed. Everything a skeleton or a composition depends on beyond
    its own content (the layout's and the fonts' files) is the `context`: a new one forgets all."""

    context: str = ""
    skeletons: dict[str, Skeleton] = field(default_factory=dict)
    compositions: dict[tuple[Paragraph, Settings], Composition | None] = field(default_factory=dict)
    geometries: dict[str, Geometry] = field(default_factory=dict)
    """What the page plan read from a layout, by the layout's geometry key (`geometry_key`)."""

    KEPT_SKELETONS = 8
    KEPT_COMPOSITIONS = 50_000
    KEPT_GEOMETRIES = 16

    def use(self, context: str) -> None:
        if context != self.context:
            self.context = context
            self.skeletons.clear()
            self.compositions.clear()
            self.geometries.clear()
            _covered.cache_clear()
            forget_measurements()

    def geometry(self, key: str) -> Geometry | None:
        found = self.geometries.pop(key, None)
        if found is not None:
            self.geometries[key] = found  # the newest last
        return found

    def remember(self, key: str, geometry: Geometry) -> None:
        self.geometries[key] = geometry
        while len(self.geometries) > self.KEPT_GEOMETRIES:
            del self.geometries[next(iter(self.geometries))]

    def skeleton(self, key: str, lay_out: Callable[[], Skeleton]) -> Skeleton:
        found = self.skeletons.pop(key, None) or lay_out()
        self.skeletons[key] = found  # the newest last
        while len(self.skeletons) > self.KEPT_SKELETONS:
            del self.skeletons[next(iter(self.skeletons))]
        return found

    def compose(self, paragraph: Paragraph, settings: Settings) -> Composition | None:
        key = (paragraph, settings)
        if key not in self.compositions:
            if len(self.compositions) >= self.KEPT_COMPOSITIONS:
                self.compositions.clear()
            self.compositions[key] = compose(paragraph, settings)
        return self.compositions[key]


def _laid_out_skeleton(skeleton: Any, render: Render) -> Skeleton:
    return _facts(render(skeleton), skeleton.etree_element)


def typeset(html: str, parse: Parse, render: Render, faces: tuple[FontFace, ...],
            settings: Settings | None = None, memo: ComposerMemo | None = None,
            exceptions: tuple[tuple[str, tuple[str, ...]], ...] = (),
            geometries: Geometries | None = None) -> tuple[Any, Typesetting]:
    """Lay out the HTML with every justified paragraph composed as a whole; returns the document.
    `exceptions`: (language, words hyphenated as written), the layout's exceptions lists.

    With a `memo`, skeleton facts, compositions and geometries seen before (in this process) are
    reused; `geometries` (the build cache's) are used when there is no memo."""
    report = Typesetting()
    settings = settings or Settings()
    real = parse(html)
    if not composer_enabled():
        document = render(real)
        report.page_fill = page_fill(document)
        report.overruns = overruns(document)
        return document, report
    started, cpu = time.perf_counter(), time.process_time()
    skeleton = parse(html)
    _number(real.etree_element)
    _number(skeleton.etree_element)
    _skeletonise(skeleton.etree_element)

    lay_out_skeleton = functools.partial(_laid_out_skeleton, skeleton, render)
    if memo is None:
        facts = lay_out_skeleton()
    else:
        facts = memo.skeleton(hashlib.sha256(ElementTree.tostring(skeleton.etree_element)).hexdigest(),
                              lay_out_skeleton)
    del skeleton, lay_out_skeleton  # the skeleton's tree and boxes are not needed any more
    report.seconds["skeleton"] = time.perf_counter() - started
    report.cpu_seconds["skeleton"] = time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    elements = {element.get(MARK): element for element in real.etree_element.iter() if element.get(MARK)}
    chains: dict[str, list[tuple[ElementTree.Element, ...]]] = {}
    for mark, paragraph_facts in facts.paragraphs.items():
        element = elements[mark]
        found = _runs(element, facts.styles, faces)
        if not found:
            report.skipped.append(mark)
            continue
        paragraph = _paragraph(paragraph_facts, [run for run, _chain in found], exceptions)
        composition = memo.compose(paragraph, settings) if memo else compose(paragraph, settings)
        if composition is None:
            report.skipped.append(mark)
            continue
        chains[mark] = [chain for _run, chain in found]
        _set_lines(element, composition, paragraph, chains[mark])
        report.paragraphs.append(ComposedParagraph(mark, paragraph, composition))
    report.seconds["compose"] = time.perf_counter() - started
    report.cpu_seconds["compose"] = time.process_time() - cpu
    document = _fit_pages(real, render, report, elements, chains, settings, memo or geometries)
    started, cpu = time.perf_counter(), time.process_time()
    lines = line_counts(document)
    report.rebroken = [composed.mark for composed in report.paragraphs
                       if lines.get(composed.mark) != len(composed.composition.lines)]
    report.page_fill = page_fill(document)
    report.overruns = overruns(document)
    report.seconds["check"] = time.perf_counter() - started
    report.cpu_seconds["check"] = time.process_time() - cpu
    return document, report


PLAN_ROUNDS = 3
"""Layouts the page plan may ask for after the first: openings and copyfitting, then the fillers
once the page count is known, and one to spare (a run-on moves pages in ways not predicted)."""


def word_spaces(composition: Composition, paragraph: Paragraph) -> list[float]:
    """Word space over the natural space of each full line (not the last, three spaces or more):
    the figure the issue measures from the PDF."""
    first = paragraph.runs[0]
    space = text_width(" ", first.font, first.size)
    return [(space + line.word_spacing + 2 * line.letter_spacing) / space for line in composition.lines
            if not line.last and sum(line.text.count(char) for char in SPACES) >= 3]


def _fit_pages(real: Any, render: Render, report: Typesetting, elements: dict[str, ElementTree.Element],
               chains: dict[str, list[tuple[ElementTree.Element, ...]]], settings: Settings,
               geometries: Geometries | None = None, plan_settings: PlanSettings | None = None) -> Any:
    """Lay the composed document out, and again as often as the page plan changes something
    (booklet.typeset.plan); returns the last layout. Each layout's boxes (≈ 1 MB a page) are freed
    before the next is made, so a large edition's peak is one layout, not two. With `geometries`, a
    layout whose geometry was read before (`geometry_key`) is not made to be read again: only the
    last one is, to be written."""
    started, cpu = time.perf_counter(), time.process_time()
    plan_settings = plan_settings or PlanSettings()
    composed = {item.mark: number for number, item in enumerate(report.paragraphs)}
    fillers = fillers_of(real.etree_element, MARK)
    longer: dict[tuple[str, int], Composition | None] = {}
    document: Any = None

    def alternative(mark: str, lines: int) -> float | None:
        item = report.paragraphs[composed[mark]]
        if (mark, lines) not in longer:
            option = compose(item.paragraph, settings, looseness=lines)
            spaces = word_spaces(option, item.paragraph) if option else []
            fits = (option is not None and len(option.lines) == len(item.composition.lines) + lines
                    and all(plan_settings.tight_limit <= space <= plan_settings.loose_limit for space in spaces)
                    and not (len(option.lines) > 1 and option.lines[-2].hyphenated))
            longer[(mark, lines)] = option if fits else None
        option = longer[(mark, lines)]
        return None if option is None else option.demerits - item.composition.demerits

    def lay_out() -> Any:
        nonlocal document
        document = None  # the last layout is freed before the next is made
        document = render(real)
        report.layouts += 1
        return document

    def geometry() -> Geometry:
        key = geometry_key(real.etree_element, {item.mark: item for item in report.paragraphs}) if geometries else ""
        known = geometries.geometry(key) if geometries else None
        if known is not None:
            nonlocal document
            document = None  # it no longer shows the document
            return known
        laid_out = lay_out()
        found = Geometry(measure(laid_out, set(composed), fillers, MARK), page_feet(laid_out), page_bottoms(laid_out),
                         units_of(laid_out, MARK))
        if geometries:
            geometries.remember(key, found)
        return found

    plan = Plan()
    body = real.etree_element.find("body")
    lines_long = body.get(LONG, "") if body is not None else ""
    allowed = int(lines_long) if lines_long.isdigit() else 0
    long: dict[int, PageBottom] = {}
    breaks: set[str] = set()
    current = geometry()
    report.seconds["layout"] = time.perf_counter() - started
    report.cpu_seconds["layout"] = time.process_time() - cpu
    started, cpu = time.perf_counter(), time.process_time()
    for planning in range(PLAN_ROUNDS + 1):
        measured = current.measured
        change = fit(measured, alternative, plan, plan_settings) if planning < PLAN_ROUNDS else Plan()
        # Page feet are unhyphenated in the same layout, except where this change moves the breaks.
        moving = _moving(change, measured, frozenset(composed))
        feet = _unhyphenate_page_feet(current.feet, report, elements, chains, settings, moving)
        # A page that still ends at a hyphen runs a line long, on the page it will be on after this
        # change's openings; after a run-on, which moves pages unforeseen, long pages wait a layout.
        foreseen = foresee(measured, current.bottoms, change.openings, long)
        lengthened = [] if foreseen is None else long_pages(
            measured, foreseen, current.feet, _hyphenated(report), allowed,
            frozenset(foreseen.index.get(page, -1) for page in long), moving, plan_settings)
        before = dict(long)
        long = {} if foreseen is None else {foreseen.index[page]: foreseen.bottoms[foreseen.index[page]]
                                            for page in long if page in foreseen.index}
        long.update({page: foreseen.bottoms[page] for page in lengthened} if foreseen else {})
        # Text run over onto a page it leaves less than a quarter full takes units over with it: once
        # the plan has settled (its other changes, the designed pages above all, move such text).
        balanced = [] if change else balance(current.bottoms, current.units, measured.line, frozenset(breaks),
                                             plan_settings)
        for page, mark, replaced in balanced:
            if replaced is not None:
                breaks.discard(replaced)
                del elements[replaced].attrib[BREAK]
            breaks.add(mark)
            elements[mark].set(BREAK, "")
            report.balanced.append(page + 1)
        if not change and not feet and not lengthened and not balanced:
            break
        if long != before:
            _set_long_pages(real.etree_element, long_page_rules(long, measured.line_height))
            report.long_pages = sorted(page + 1 for page in long)
        for mark, how in change.openings.items():
            elements[mark].set(OPEN, how)
        for mark, lines in change.looseness.items():
            item = report.paragraphs[composed[mark]]
            option = longer[(mark, lines)]
            assert option is not None
            _set_lines(elements[mark], option, item.paragraph, chains[mark])
            report.fitted.append(Fitted(mark, measured.first_page.get(mark, -1) + 1, item.composition.text[:40],
                                        len(item.composition.lines), len(option.lines),
                                        max(word_spaces(option, item.paragraph), default=0.0)))
            report.paragraphs[composed[mark]] = ComposedParagraph(mark, item.paragraph, option)
        for mark, lines in change.space.items():
            margin = f"margin-bottom:{_px(measured.margins.get(mark, 0.0) + lines * measured.line_height)}"
            style = elements[mark].get("style", "")
            elements[mark].set("style", f"{style};{margin}" if style else margin)
        if change.fillers is not None:
            for mark in fillers:
                if mark in change.fillers:
                    elements[mark].set(ON, "")
                elif ON in elements[mark].attrib:
                    del elements[mark].attrib[ON]
        plan = plan.merged(change)
        document = None  # it shows the document as it was
        if not change and long == before and not balanced:
            break  # page feet only: no page break moves, and no section's fill
        current = geometry()
    if document is None:
        lay_out()
    report.plan = plan
    report.page_foot_hyphens = [mark for mark, ends in current.feet.items() if mark in composed for end in ends
                                if report.paragraphs[composed[mark]].composition.lines[end - 1].hyphenated]
    report.sections = [SectionFill(section.mark, section.kind, section.pages[-1] + 1, section.last_fill)
                       for section in current.measured.sections]
    report.seconds["page plan"] = time.perf_counter() - started
    report.cpu_seconds["page plan"] = time.process_time() - cpu
    return document


def _hyphenated(report: Typesetting) -> dict[str, tuple[bool, ...]]:
    """Each composed paragraph's lines as set now: True where one ends at a hyphen the composer added."""
    return {item.mark: tuple(line.hyphenated for line in item.composition.lines) for item in report.paragraphs}


def _set_long_pages(root: ElementTree.Element, rules: str) -> None:
    """Put the long pages' CSS in the document's head, after the layout's own (one element, replaced)."""
    head = root.find("head")
    if head is None:
        return
    for old in head.findall(f"style[@{LONG}]"):
        head.remove(old)
    style = ElementTree.SubElement(head, "style", {LONG: ""})
    style.text = rules


def _moving(change: Plan, measured: Measured, every: frozenset[str]) -> frozenset[str]:
    """The paragraphs whose page breaks a change moves: all after a run-on (every one, to keep it
    simple), otherwise those of the sections it lengthens. A section opened on the next page
    instead of after a blank one starts at a page's head either way: its lines stay where they are
    on their pages, which move back one (`plan.foresee`)."""
    if "run-on" in change.openings.values():
        return every
    touched = set(change.looseness) | set(change.space)
    return frozenset(mark for section in measured.sections
                     if touched & {*section.paragraphs, section.space} for mark in section.paragraphs)


def page_feet(document: Any) -> dict[str, list[int]]:
    """For each marked paragraph that a page break divides: the number of its lines (from 1) that
    end a page."""
    counts: dict[str, int] = {}
    feet: dict[str, list[int]] = {}
    pages: list[list[str]] = [[] for _page in document.pages]
    for number, page in enumerate(document.pages):
        for box in boxes(page._page_box):
            mark = _lines_of(box)
            if mark is not None:
                if mark not in pages[number]:
                    pages[number].append(mark)
                counts[mark] = counts.get(mark, 0) + len(box.children)
        for mark in pages[number]:
            feet.setdefault(mark, []).append(counts[mark])
    return {mark: ends[:-1] for mark, ends in feet.items() if len(ends) > 1}


def _unhyphenate_page_feet(feet: dict[str, list[int]], report: Typesetting, elements: dict[str, ElementTree.Element],
                           chains: dict[str, list[tuple[ElementTree.Element, ...]]], settings: Settings,
                           moving: frozenset[str] = frozenset()) -> bool:
    """No page ends at a hyphen: a paragraph whose line at a page's foot ends at one is set again,
    in as many lines (so no page break moves), without a hyphen there, unless that costs more than
    the hyphen (`Settings.page_foot_demerits`: looser lines, a broken name).
    Paragraphs in `moving` are left alone: the page plan is about to move their page breaks.
    True if any paragraph changed (the document must be laid out again)."""
    changed = False
    for index, composed in enumerate(report.paragraphs):
        if composed.mark in moving:
            continue
        lines = composed.composition.lines
        hyphenated = frozenset(line for line in feet.get(composed.mark, ()) if lines[line - 1].hyphenated)
        if not hyphenated:
            continue
        again = compose(composed.paragraph, settings, unhyphenated=hyphenated, lines=len(lines))
        if again is None or again.demerits - composed.composition.demerits > settings.page_foot_demerits:
            continue
        _set_lines(elements[composed.mark], again, composed.paragraph, chains[composed.mark])
        report.paragraphs[index] = ComposedParagraph(composed.mark, composed.paragraph, again)
        report.page_feet_unhyphenated.append(composed.mark)
        changed = True
    return changed


def page_fill(document: Any) -> list[float | None]:
    """Share of each page's content height down to the foot of its last line of text (None: no text)."""
    return [round(bottom.fill, 3) if bottom.fill else None for bottom in page_bottoms(document)]


@dataclass(frozen=True)
class Figures:
    """The composer's figures for one edition, from its compositions (the PDF tests measure the same
    from glyph positions)."""

    lines: int
    full_lines: int
    """Justified lines with four words or more: the lines the word-space figures are taken from."""
    median: float
    p95: float
    worst: float
    over_twice: int
    hyphenated: int
    longest_run: int
    proper_names: int
    before_last: int
    """Paragraphs whose last line but one ends at a hyphen."""
    page_feet: int
    """Pages whose last line ends at a hyphen."""


def figures(typesetting: Typesetting) -> Figures:
    ratios: list[float] = []
    hyphens = longest = run = lines = proper = before_last = 0
    for composed in typesetting.paragraphs:
        composed_lines = composed.composition.lines
        before_last += len(composed_lines) > 1 and composed_lines[-2].hyphenated
        for line in composed_lines:
            lines += 1
            hyphens += line.hyphenated
            proper += line.proper_name_hyphen
            run = run + 1 if line.hyphenated else 0
            longest = max(longest, run)
        ratios += word_spaces(composed.composition, composed.paragraph)
    ratios.sort()

    def percentile(share: float) -> float:
        return ratios[round(share * (len(ratios) - 1))] if ratios else 0.0

    return Figures(lines, len(ratios), percentile(0.5), percentile(0.95), ratios[-1] if ratios else 0.0,
                   sum(ratio > 2 for ratio in ratios), hyphens, longest, proper, before_last,
                   len(typesetting.page_foot_hyphens))


def line_counts(document: Any) -> dict[str, int]:
    """Line boxes of every marked paragraph in a laid-out document, over all its pages."""
    counts: dict[str, int] = {}
    for page in document.pages:
        for box in boxes(page._page_box):
            mark = _lines_of(box)
            if mark is not None:
                counts[mark] = counts.get(mark, 0) + len(box.children)
    return counts

