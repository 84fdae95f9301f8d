"""The page plan: copyfitting each section to its pages, measured from the composed layout.

After the composed lines are laid out, the plan reads the layout back — on which pages each section
(a statement, the chronology) sets its lines, how far down its last page they reach, which pages
are blank — and decides, for the next layout, with the levers a typographer has:

- **where a section opens**: on a recto, as the layout asks, unless that leaves a blank page; then
  on the next page. A statement whose last page would stay less than a quarter full lets what
  follows run on after it on that page: the next statement, or a section such as the chronology
  (better a section opening mid-page than a page of a few lines);
- **copyfitting**: a statement whose last page is less than half full is lengthened a line at a
  time — a paragraph set one line longer (the composer's looseness) where every line of it stays
  within the spacing limits, the cheapest first, and a line's space more below its header — when
  that reaches the target; otherwise it is left as it is (fewer lines for worse spacing is no
  trade);
- **what fills the print file's multiple of 4**: the layout's optional designed pages (elements it
  marks `data-fit="filler"`, in their `data-fit-rank` order), so that the pages before the back
  cover make a multiple of 4, or one short of it (the inside back cover, the one blank page the
  print file may add);
- **a long page**: a page that would end at a hyphen its paragraph cannot do without runs a line
  long, where the layout allows it (`data-fit-long` on its `<body>`);
- **balancing run-over text**: where a list or table runs over from a full page onto one it would
  leave under a quarter full, a page break before one of its units (`data-fit-unit`) sends enough
  over with it.

The layout marks what the plan may move: `data-fit="statement"` (opens a page, may run on after
another statement), `data-fit="section"` (opens a page), `data-fit-space` (an element whose bottom
margin may grow), `data-fit="filler"`. The plan writes only attributes the layout's CSS reads
(`data-fit-open`, `data-fit-on`) and a margin. Nothing here imports WeasyPrint: boxes are read by
their attributes, decisions are plain data.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

FIT = "data-fit"
"""The layout's marks: `statement`, `section`, `filler` (and `data-fit-space` on an element)."""
OPEN = "data-fit-open"
"""Set by the plan on a section: `page` (the next page, recto or verso) or `run-on` (no break)."""
ON = "data-fit-on"
"""Set by the plan on a filler the print file needs."""
RANK = "data-fit-rank"
SPACE = "data-fit-space"


@dataclass(frozen=True)
class PlanSettings:
    floor: float = 0.25
    """No page of text less than a quarter full."""
    target: float = 0.5
    """A statement's last page should be at least half full; copyfitting aims there."""
    loose_limit: float = 1.5
    """Word space over the natural space that no line of a paragraph the fitter lengthens may
    exceed: the composer's stretch limit (adjustment ratio 1, 35 % of the space and 2 % of the em
    in letter spacing) — a looser setting is never bought with worse spacing than that."""
    tight_limit: float = 0.7
    """…nor go below: the space's own shrink limit (30 %)."""
    space_lines: int = 1
    """Lines of space the fitter may add below a statement's header."""
    space_cost: float = 1e9
    """The header space is taken after any paragraph within the limits: one opening that stands
    a line lower is more visible than a paragraph set a little looser."""
    signature: int = 4
    """Pages per folded sheet: the print file's page count is a multiple of this."""


@dataclass(frozen=True)
class Section:
    """One section as laid out: its pages and how full its last page is."""

    mark: str
    kind: str
    """`statement` or `section`."""
    pages: tuple[int, ...]
    """Indices of the pages holding its lines."""
    last_fill: float
    """How far down its last page its last line reaches (share of the content height)."""
    alone: bool
    """No other section sets lines on its last page."""
    after_blank: bool
    """The page before its first page is blank (its recto opening left it)."""
    paragraphs: tuple[str, ...]
    """Marks of its composed paragraphs, in order."""
    space: str | None
    """Mark of its element whose bottom margin may grow."""
    recto: bool = False
    """It must open on a recto (its `break-before`), so the layout puts a blank page before it when
    the page before it is a recto."""


@dataclass(frozen=True)
class Measured:
    pages: int
    blank: tuple[int, ...]
    line: float
    """One line of text as a share of the content height."""
    line_height: float
    """The same in CSS px."""
    sections: tuple[Section, ...]
    fillers: tuple[str, ...]
    """Marks of the layout's fillers, in rank order (shown or not)."""
    margins: dict[str, float] = field(default_factory=dict)
    """Bottom margin (CSS px) of each `data-fit-space` element as laid out."""
    first_page: dict[str, int] = field(default_factory=dict)
    """Index of the first page each composed paragraph sets a line on."""


@dataclass(frozen=True)
class Plan:
    """The plan's decisions: what the next layout changes."""

    openings: dict[str, str] = field(default_factory=dict)
    looseness: dict[str, int] = field(default_factory=dict)
    """Paragraph mark → lines more than its best setting."""
    space: dict[str, int] = field(default_factory=dict)
    """`data-fit-space` element mark → lines of space added below it."""
    fillers: tuple[str, ...] | None = None
    """Marks of the fillers shown (None: as before)."""

    def merged(self, other: Plan) -> Plan:
        return Plan({**self.openings, **other.openings}, {**self.looseness, **other.looseness},
                     {**self.space, **other.space}, self.fillers if other.fillers is None else other.fillers)

    def __bool__(self) -> bool:
        return bool(self.openings or self.looseness or self.space or self.fillers is not None)


Alternative = Callable[[str, int], float | None]
"""The cost (extra demerits) of setting a paragraph that many lines longer within the limits, or None."""


def fit(measured: Measured, alternative: Alternative, done: Plan, settings: PlanSettings = PlanSettings()) -> Plan:
    """The changes to make to a layout with `done` applied: a plan with only the new decisions."""
    openings: dict[str, str] = {}
    looseness: dict[str, int] = {}
    space: dict[str, int] = {}
    sections = measured.sections
    uncertain = False
    for before, section in pairwise(sections):
        if (before.kind == "statement" and before.alone and before.last_fill < settings.floor
                and done.openings.get(section.mark) != "run-on"):
            openings[section.mark] = "run-on"
            uncertain = True
    pages_saved = _open_without_blanks(sections, done, openings)
    runs_on = {mark for mark, how in {**done.openings, **openings}.items() if how == "run-on"}
    followed = {before.mark for before, section in pairwise(sections) if section.mark in runs_on}
    for section in sections:
        if (section.kind != "statement" or not section.alone or section.mark in followed
                or section.last_fill >= settings.target):
            continue
        if any(mark in done.looseness for mark in section.paragraphs) or done.space.get(section.space or ""):
            continue  # fitted once already: the layout shows what it gave
        chosen = _lengthen(section, measured.line, alternative, settings)
        for mark in chosen:
            if mark == section.space:
                space[mark] = space.get(mark, 0) + 1
            else:
                looseness[mark] = 1
    fillers = None
    if not uncertain:
        shown = done.fillers or ()
        base = measured.pages - len(shown) - pages_saved
        wanted = measured.fillers[:min(_fillers_needed(base, settings.signature), len(measured.fillers))]
        fillers = wanted if wanted != shown else None
    return Plan(openings, looseness, space, fillers)


def _open_without_blanks(sections: tuple[Section, ...], done: Plan, openings: dict[str, str]) -> int:
    """Open on the next page each section that would otherwise follow a blank page, all in one
    layout: a blank page saved moves every later page by one, so a later section that opened on a
    recto without a blank would now need one (it opens where it falls too), and one that had a
    blank before it loses it by itself. After a new run-on, which saves pages not known before the
    layout, only the blanks seen are acted on. Adds to `openings`; returns the pages saved."""
    shift, certain = 0, True
    for section in sections:
        how = openings.get(section.mark, done.openings.get(section.mark))
        if how == "run-on" and section.mark in openings:
            certain = False
        if how is not None:
            continue
        if section.after_blank:
            if shift % 2 == 0 or not certain:
                openings[section.mark] = "page"
            shift += 1
        elif shift % 2 and section.recto and certain:
            openings[section.mark] = "page"
    return shift


def _fillers_needed(pages: int, signature: int) -> int:
    """Designed pages to add so that the pages are a multiple of the signature, or one short of it
    (the print file's blank inside back cover)."""
    short = -pages % signature
    return max(0, short - 1)


def _lengthen(section: Section, line: float, alternative: Alternative, settings: PlanSettings) -> list[str]:
    """The cheapest set of one-line changes that brings the section's last page to the target."""
    if line <= 0:
        return []
    needed = math.ceil((settings.target - section.last_fill) / line - 1e-6)
    room = math.floor((1.0 - section.last_fill) / line + 1e-6)
    if needed > room:
        return []
    options: list[tuple[float, str]] = []
    for mark in section.paragraphs:
        cost = alternative(mark, 1)
        if cost is not None:
            options.append((cost, mark))
    options.sort()
    marks = [mark for _cost, mark in options]
    if section.space:
        marks += [section.space] * settings.space_lines
    return marks[:needed] if len(marks) >= needed else []


# ---------------------------------------------------------------------------------------------
# Reading the layout back


def _boxes(box: Any, section: str | None) -> Iterator[tuple[Any, str | None]]:
    element = getattr(box, "element", None)
    if element is not None and element.get(FIT) in ("statement", "section") and element.get("data-bk"):
        section = element.get("data-bk")
    yield box, section
    if type(box).__name__ != "LineBox":
        for child in getattr(box, "children", ()) or ():
            yield from _boxes(child, section)


ONE_PAGE = "data-fit-page"
"""Set by the layout on a part designed as one page (a cover, the title page): laid out over more,
it is a problem to report (a title too long for it), not a booklet to print."""


def overruns(document: Any) -> list[tuple[str, int, int]]:
    """Each one-page part that the layout ran over more pages: (its class, first and last page)."""
    pages: dict[int, tuple[str, list[int]]] = {}
    for number, page in enumerate(document.pages, 1):
        for box, _section in _boxes(page._page_box, None):
            element = getattr(box, "element", None)
            if element is not None and element.get(ONE_PAGE) is not None:
                _name, numbers = pages.setdefault(id(element), (element.get("class") or element.tag, []))
                if number not in numbers:
                    numbers.append(number)
    return [(name, numbers[0], numbers[-1]) for name, numbers in pages.values() if len(numbers) > 1]


def _has_text(box: Any) -> bool:
    if getattr(box, "text", "").strip():
        return True
    return any(_has_text(child) for child in getattr(box, "children", ()) or ())


def measure(document: Any, composed: set[str], fillers: tuple[str, ...], mark: str = "data-bk") -> Measured:
    """Read a laid-out document: each section's pages and last-page fill, blank pages, the line
    height, and where each composed paragraph starts. `fillers`: the layout's, in rank order."""
    kinds: dict[str, str] = {}
    order: list[str] = []
    feet: dict[str, dict[int, float]] = {}
    on_page: dict[int, set[str]] = {}
    paragraphs: dict[str, list[str]] = {}
    first_page: dict[str, int] = {}
    margins: dict[str, float] = {}
    space_of: dict[str, str] = {}
    blank: list[int] = []
    recto: set[str] = set()
    heights: dict[float, int] = {}
    contents: dict[float, int] = {}
    for index, page in enumerate(document.pages):
        page_box = page._page_box
        if page_box.page_type.blank:
            blank.append(index)
        top, height = page_box.content_box_y(), page_box.height
        contents[round(height, 2)] = contents.get(round(height, 2), 0) + 1  # a page run long is not the norm
        for box, section in _boxes(page_box, None):
            element = getattr(box, "element", None)
            if element is not None:
                own = element.get(mark)
                kind = element.get(FIT)
                if kind in ("statement", "section") and own not in kinds:
                    kinds[own] = kind
                    order.append(own)
                    if box.style["break_before"] in ("right", "recto"):
                        recto.add(own)
                if element.get(SPACE) is not None and own and own not in margins and section:
                    margins[own] = float(box.margin_bottom or 0)
                    space_of[section] = own
                if own in composed and own not in first_page:
                    first_page[own] = index
                    if section:
                        paragraphs.setdefault(section, []).append(own)
            if type(box).__name__ == "LineBox" and section and top <= box.position_y < top + height and _has_text(box):
                foot = (box.position_y + box.height - top) / height
                page_feet = feet.setdefault(section, {})
                page_feet[index] = max(page_feet.get(index, 0.0), foot)
                on_page.setdefault(index, set()).add(section)
                if element is not None and element.get(mark) in composed:
                    heights[round(box.height, 2)] = heights.get(round(box.height, 2), 0) + 1
    line_height = max(heights, key=lambda h: heights[h]) if heights else 0.0
    content = max(contents, key=lambda h: (contents[h], h)) if contents else 0.0
    line = line_height / content if content else 0.0
    sections = []
    for section in order:
        pages = tuple(sorted(feet.get(section, {})))
        if not pages:
            continue
        last = pages[-1]
        sections.append(Section(
            section, kinds[section], pages, round(feet[section][last], 4), on_page.get(last, set()) == {section},
            pages[0] - 1 in blank, tuple(paragraphs.get(section, ())), space_of.get(section), section in recto))
    return Measured(len(document.pages), tuple(blank), line, line_height, tuple(sections), fillers, margins,
                    first_page)


def fillers_of(root: Any, mark: str = "data-bk") -> tuple[str, ...]:
    """The marks of a document tree's fillers, in the order of their rank."""
    found = [(int(element.get(RANK) or 0), number, element.get(mark))
             for number, element in enumerate(root.iter()) if element.get(FIT) == "filler" and element.get(mark)]
    return tuple(filler for _rank, _number, filler in sorted(found))


# ---------------------------------------------------------------------------------------------
# Long pages

LONG = "data-fit-long"
"""Set by the layout on its `<body>`: how many lines a page may run long (TeX's
`\\enlargethispage`); absent, no page does."""


@dataclass(frozen=True)
class PageBottom:
    """A page's foot as laid out: what running it a line long would take."""

    name: str
    """The page's name (`page:`), empty if none."""
    side: str
    """`left` or `right`."""
    fill: float
    """Share of the content height down to its last line of text (0: none)."""
    margin: float
    """Its bottom margin, CSS px."""
    folios: dict[str, float] = field(default_factory=dict)
    """The padding above each bottom margin box set at the top of its area (CSS px), by at-keyword:
    lessened as much as the margin, so that a folio stays where it is."""
    movable: bool = True
    """No bottom margin box is set in the middle of its area (it would move by half a line)."""
    widows: int = 0
    """`widows` of the paragraph whose line ends the page (0 if none)."""


def page_bottoms(document: Any) -> tuple[PageBottom, ...]:
    """Read each page's foot from a laid-out document."""
    bottoms = []
    for page in document.pages:
        page_box = page._page_box
        top, height = page_box.content_box_y(), page_box.height
        foot, widows = 0.0, 0
        folios: dict[str, float] = {}
        movable = True
        for box, _section in _boxes(page_box, None):
            if (type(box).__name__ == "LineBox" and top <= box.position_y < top + height and _has_text(box)
                    and box.position_y + box.height - top >= foot):
                foot, widows = box.position_y + box.height - top, int(box.style["widows"])
            keyword = getattr(box, "at_keyword", "")
            if keyword.startswith("@bottom-"):
                align = box.style["vertical_align"]
                if align == "top":
                    folios[keyword] = float(box.padding_top)
                movable = movable and align in ("top", "bottom")
        bottoms.append(PageBottom(page_box.page_type.name or "", page_box.page_type.side,
                                  round(min(1.0, foot / height), 4) if height else 0.0,
                                  float(page_box.margin_bottom), folios, movable, widows))
    return tuple(bottoms)


@dataclass(frozen=True)
class Foreseen:
    """The pages of the next layout, foreseen from this one and the plan's openings."""

    index: dict[int, int]
    """This layout's page index → the next one's (a blank page the openings remove has none)."""
    bottoms: tuple[PageBottom, ...]
    """The next layout's pages: each as it is now, on the side it will then be on."""


def foresee(measured: Measured, bottoms: tuple[PageBottom, ...], openings: dict[str, str],
            long: dict[int, PageBottom] | None = None) -> Foreseen | None:
    """Where the pages go when these openings are made: a section opened on the next page instead of
    after a blank loses the blank (`_open_without_blanks` removes every one it sees), and every page
    after it moves back one, changing sides. None after a run-on, which moves pages in ways not known
    before the layout. `long`: the pages this layout ran long, as they were before (a long page's
    margin and folio are not the page's own)."""
    if any(how == "run-on" for how in openings.values()):
        return None
    long = long or {}
    bottoms = tuple(long.get(page, bottom) for page, bottom in enumerate(bottoms))
    removed = {section.pages[0] - 1 for section in measured.sections if section.after_blank} if openings else set()
    index: dict[int, int] = {}
    moved: list[PageBottom] = []
    for page, bottom in enumerate(bottoms):
        if page in removed:
            continue
        index[page] = len(moved)
        if (page - index[page]) % 2:
            side = "left" if bottom.side == "right" else "right"
            model = next((other for other in bottoms if other.side == side and other.name == bottom.name
                          and other.folios), None)
            bottom = PageBottom(bottom.name, side, bottom.fill, model.margin if model else bottom.margin,
                                model.folios if model else {}, model.movable if model else False, bottom.widows)
        moved.append(bottom)
    return Foreseen(index, tuple(moved))


def long_pages(measured: Measured, foreseen: Foreseen, feet: dict[str, list[int]],
               hyphenated: dict[str, tuple[bool, ...]], allowed: int, done: frozenset[int] = frozenset(),
               moving: frozenset[str] = frozenset(), settings: PlanSettings = PlanSettings()) -> list[int]:
    """Pages (indices in the next layout) to run a line long, each so that it ends on the next line
    of the paragraph that would end it at a hyphen (`hyphenated`: each composed paragraph's lines,
    True where one ends at a hyphen it added; `feet`: the lines of each that end a page, in this
    layout). Only where that next line ends without one and leaves the page after it `widows`
    lines; where the facing page does not reach the foot itself (a long page beside a full one would
    show); where the section's last page keeps a quarter, and half if it had it; not in a section
    the plan is moving."""
    if allowed < 1 or measured.line <= 0:
        return []
    bottoms = foreseen.bottoms
    section_of = {mark: section for section in measured.sections for mark in section.paragraphs}
    chosen: list[int] = []
    for mark, ends in feet.items():
        lines = hyphenated.get(mark)
        section = section_of.get(mark)
        if lines is None or section is None or mark not in measured.first_page or moving & set(section.paragraphs):
            continue
        for number, end in enumerate(ends):
            page = foreseen.index.get(measured.first_page[mark] + number, -1)
            if not lines[end - 1] or page in done or page in chosen or not 0 <= page < len(bottoms):
                continue
            facing = page - 1 if bottoms[page].side == "right" else page + 1
            facing_full = 0 <= facing < len(bottoms) and bottoms[facing].fill >= 1 - measured.line / 2
            fill = section.last_fill - measured.line
            if (end < len(lines) and not lines[end] and len(lines) - end - 1 >= bottoms[page].widows
                    and bottoms[page].movable and not facing_full and fill >= settings.floor
                    and bottoms[page].margin > measured.line_height
                    and all(padding >= measured.line_height for padding in bottoms[page].folios.values())
                    and (fill >= settings.target or section.last_fill < settings.target)):
                chosen.append(page)
    return chosen


def long_page_rules(bottoms: dict[int, PageBottom], line_height: float) -> str:
    """The CSS that runs these pages (by index) a line long: a bottom margin a line narrower, and
    the folios in it where they were."""
    rules = []
    for page, bottom in sorted(bottoms.items()):
        boxes = "".join(f" {keyword} {{ padding-top: {padding - line_height:.6f}px; }}"
                        for keyword, padding in sorted(bottom.folios.items()))
        rules.append(f"@page {bottom.name}:nth({page + 1}) {{ margin-bottom: {bottom.margin - line_height:.6f}px;"
                     f"{boxes} }}")
    return "\n".join(rules)


# ---------------------------------------------------------------------------------------------
# Balancing a list's last two pages

UNIT = "data-fit-unit"
"""Set by the layout on each entry of a list or row of a table that may start a page (contents
entries, chronology events, sources)."""
BREAK = "data-fit-break"
"""Set by the plan on the unit a page break goes before."""


@dataclass(frozen=True)
class Unit:
    """Where a unit starts: its page, and the share of that page's content height it takes there."""

    mark: str
    parent: str
    """Mark of the list or table it belongs to: units move between pages only within it."""
    page: int
    top: float
    height: float


def units_of(document: Any, mark: str = "data-bk") -> tuple[Unit, ...]:
    """The units of a laid-out document, each on the page it starts on."""
    units: list[Unit] = []
    seen: set[str] = set()

    def walk(box: Any, parent: str, index: int, top: float, height: float) -> None:
        element = getattr(box, "element", None)
        own = element.get(mark) if element is not None else None
        is_unit = element is not None and element.get(UNIT) is not None
        if is_unit and own and own not in seen:
            seen.add(own)
            units.append(Unit(own, parent, index, round((box.position_y - top) / height, 4),
                              round(box.margin_height() / height, 4)))
        if type(box).__name__ != "LineBox":
            inner = parent if is_unit or not own else own
            for child in getattr(box, "children", ()) or ():
                walk(child, inner, index, top, height)

    for index, page in enumerate(document.pages):
        page_box = page._page_box
        if page_box.height:
            walk(page_box, "", index, page_box.content_box_y(), page_box.height)
    return tuple(units)


def balance(bottoms: tuple[PageBottom, ...], units: tuple[Unit, ...], line: float, done: frozenset[str] = frozenset(),
            settings: PlanSettings = PlanSettings()) -> list[tuple[int, str, str | None]]:
    """Where a list or table runs over from a full page onto one it leaves less than a quarter full
    (the page opens with one of its units), a page break before one of its units on the full page
    (the lowest that will do) sends what is below it over too, so that the page holds a quarter
    and a line (margins between units make their sum a little more than they take): (that page's
    index, the unit to break before, the unit an earlier break of the plan went before, which this
    one replaces, or None). Only where the full page keeps a quarter itself and the other takes
    it all without running over."""
    chosen: list[tuple[int, str, str | None]] = []
    for page, bottom in enumerate(bottoms):
        if page == 0 or not 0 < bottom.fill < settings.floor or bottoms[page - 1].fill < 1 - 3 * line:
            continue  # not sparse, or not run over onto (the page before ends short: a forced break)
        opening = min((unit for unit in units if unit.page == page), key=lambda unit: unit.top, default=None)
        if opening is None or opening.top > line:
            continue  # the page does not open with a unit: not a list run over (a designed page, say)
        replaced = opening.mark if opening.mark in done else None
        for unit in sorted((unit for unit in units if unit.page == page - 1 and unit.parent == opening.parent),
                           key=lambda unit: -unit.top):
            moved = bottoms[page - 1].fill - unit.top
            if unit.top < settings.floor or bottom.fill + moved > 1 - line:
                break
            if bottom.fill + moved >= settings.floor + line:
                chosen.append((page, unit.mark, replaced))
                break
    return chosen
