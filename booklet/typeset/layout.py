"""A layout is a folder of templates, CSS and locales, plus `layout.yaml`: its fonts and its geometry.

`layout.yaml` is the one place a layout's page sizes, bleed, margins and type sizes are written: the
stylesheet is a template that reads them, preflight checks the PDFs against them.

Languages are data here too: `locales/<lang>/` holds a catalog per language, `hyphenation/` may add
hyphenation dictionaries (`hyph_<lang>.dic`, Pyphen's format) for languages Pyphen lacks, and
`layout.yaml`'s `language` names the language the templates' own strings are written in.
"""

from __future__ import annotations

import functools
import logging
import logging.handlers
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from fontTools.pens.boundsPen import ControlBoundsPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.sfnt import calcChecksum

from booklet.corpus.yamlschema import (
    Invalid,
    MappingReader,
    compose_yaml,
    mapping_pairs,
    one_of,
    scalar,
    sequence_of,
    text,
)
from booklet.press.impose import MM
from booklet.problems import BookletError, Problem, confined, not_a_regular_file, not_utf8, raise_if_any
from booklet.typeset.balance import Measure

LAYOUT_FILE = "layout.yaml"
ENTRY_TEMPLATE = "booklet.html"
STYLESHEET = "style.css"
LAYOUT_KEYS = ("fonts", "bleed_mm", "page_sizes", "language", "balance", "palette")
COLOUR_KEYS = ("rgb", "cmyk")
HYPHENATION_DIR = "hyphenation"
DEFAULT_LANGUAGE = "en"
"""The language of a layout's interface strings when layout.yaml does not name one."""
FONT_KEYS = ("family", "file", "weight", "style", "licence", "licence_file")
PAGE_KEYS = ("trim_mm", "margins_mm", "type_pt")
MARGIN_KEYS = ("top", "bottom", "inner", "outer")
TYPE_KEYS = ("text", "small", "heading", "display")


@dataclass(frozen=True)
class Margins:
    """Millimetres from the trim edge; inner is the binding side."""

    top: float
    bottom: float
    inner: float
    outer: float


@dataclass(frozen=True)
class TypeSizes:
    """Points: running text, small matter (dates, notes, heads, folios), headings, the cover title."""

    text: float
    small: float
    heading: float
    display: float


@dataclass(frozen=True)
class PageGeometry:
    """One trim size of a layout, in millimetres, with its margins and type sizes."""

    name: str
    width: float
    height: float
    bleed: float
    margins: Margins
    type: TypeSizes
BALANCED = ("heading", "contents", "running", "cited")
"""Texts the layout measures: statement headings and contents titles (set in balanced lines), running
heads (one line, shortened at a word when too long), short titles where the chronology cites them
(one line when they fit)."""
BALANCE_KEYS = ("file", "size", "indent_mm", "tracking_em")


@dataclass(frozen=True)
class Colour:
    """One colour of the layout, named for the stylesheet (`var(--name)`): sRGB for the screen,
    and the CMYK tints (per cent) the print file uses in its place."""

    name: str
    rgb: tuple[int, int, int]
    cmyk: tuple[float, float, float, float]

    @property
    def hex(self) -> str:
        return "#" + "".join(f"{channel:02x}" for channel in self.rgb)

    @property
    def total_ink(self) -> float:
        """Total area coverage of the CMYK tints, in per cent (0–400)."""
        return sum(self.cmyk)


@dataclass(frozen=True)
class BalanceSpec:
    """A text set in balanced lines: its font file, which type size, and its indent from the
    type area's width (e.g. the contents' year and page-number columns)."""

    name: str
    font: Path
    size: str
    indent: float
    tracking: float = 0.0
    """Letter-spacing in ems (the stylesheet reads it from here)."""


@dataclass(frozen=True)
class FontFace:
    family: str
    path: Path
    weight: int
    style: str
    licence: str
    licence_path: Path


@dataclass(frozen=True)
class Layout:
    name: str
    dir: Path
    fonts: tuple[FontFace, ...]
    page_sizes: tuple[PageGeometry, ...]
    """The first is the default; booklet.yaml's `page_size` chooses another by name."""

    language: str = DEFAULT_LANGUAGE
    """The language of the templates' interface strings (msgids): it needs no catalog."""
    hyphenation: tuple[tuple[str, Path], ...] = ()
    """(language, dictionary) for each `hyphenation/hyph_<lang>.dic` the layout ships."""
    exceptions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """(language, words) for each `hyphenation/exceptions_<lang>.txt`: words hyphenated as written."""

    def page(self, name: str | None) -> PageGeometry | None:
        """The named page size (the first when no name is given), or None when the layout lacks it."""
        if name is None:
            return self.page_sizes[0]
        return next((page for page in self.page_sizes if page.name == name), None)

    @property
    def manifest(self) -> Path:
        return self.dir / LAYOUT_FILE
    balance: tuple[BalanceSpec, ...] = ()
    """Texts set in balanced lines (`balance:` in layout.yaml)."""
    palette: tuple[Colour, ...] = ()
    """Every colour the stylesheet uses, with its print (CMYK) value."""

    @property
    def colours(self) -> dict[str, str]:
        """The palette's sRGB values by name, for a stylesheet that cannot use `var(--name)`
        (the EPUB's: many reading systems ignore custom properties)."""
        return {colour.name: colour.hex for colour in self.palette}


def load_layout(layouts_dir: Path, name: str, fonts_dir: Path) -> Layout:
    """Read a layout's manifest; every font it names must be a file in the project's fonts folder."""
    layout_dir = layouts_dir / name
    if not confined(layout_dir, layouts_dir) or layout_dir.resolve() == layouts_dir.resolve():
        raise BookletError([Problem(layout_dir, None, f"the layout '{name}' is not a folder inside "
                                    f"{layouts_dir.name}/ (it resolves to {layout_dir.resolve()})",
                                    "set `layout:` in booklet.yaml to the name of a folder of layouts/")])
    if not (layout_dir / ENTRY_TEMPLATE).is_file():
        raise BookletError([Problem(layout_dir, None, f"no layout '{name}' (missing {ENTRY_TEMPLATE})",
                                    "set `layout:` in booklet.yaml to a folder of layouts/")])
    path = layout_dir / LAYOUT_FILE
    if not fonts_dir.is_dir():  # one problem, not one for each font the layout names
        raise BookletError([Problem(fonts_dir, None, f"the fonts folder is {not_a_regular_file(fonts_dir) or 'a file'}",
                                    f"make {fonts_dir.name}/ a folder holding the font files layout.yaml names")])
    problems: list[Problem] = outside_links(layout_dir) + font_folder_problems(fonts_dir)
    raise_if_any(problems + template_encoding_problems(layout_dir))
    root = MappingReader(compose_yaml(path), path, problems, LAYOUT_KEYS)
    faces = []
    for node in root.get("fonts", sequence_of(lambda node: node), default=[]) or []:
        fields = MappingReader(node, path, problems, FONT_KEYS)
        file, licence_file = fields.get("file", text), fields.get("licence_file", text)
        for key, name_in_fonts in (("file", file), ("licence_file", licence_file)):
            where = fields.entries[key][1] if key in fields.entries else node
            if not name_in_fonts:
                continue
            if not confined(fonts_dir / name_in_fonts, fonts_dir):
                fields.report(where, f"'{name_in_fonts}' is outside {fonts_dir.name}/",
                              f"name a file of {fonts_dir.name}/, without folders or links out of it")
            elif not (fonts_dir / name_in_fonts).is_file():
                fields.report(where, f"'{name_in_fonts}' is not in {fonts_dir.name}/",
                              "add the file to fonts/ or fix the name")
            elif key == "file" and (reason := not_a_font(fonts_dir / name_in_fonts)):
                fields.report(where, f"'{name_in_fonts}' is not a font file ({reason})",
                              "name a TrueType or OpenType file (.ttf, .otf)")
        faces.append(FontFace(
            family=fields.get("family", font_family),
            path=fonts_dir / (file or ""),
            weight=int(fields.get("weight", one_of("400", "700"), default="400") or 400),  # None: reported
            style=fields.get("style", one_of("normal", "italic"), default="normal"),
            licence=fields.get("licence", text),
            licence_path=fonts_dir / (licence_file or ""),
        ))
    if not faces:
        problems.append(Problem(path, None, "the layout names no fonts", "list them under `fonts:`"))
    pages = _page_sizes(root, path, problems)
    balance = root.get("balance", _balance_specs(path, problems, fonts_dir), default=()) or ()
    palette = root.get("palette", _palette(path, problems), default=()) or ()
    exceptions = hyphenation_exceptions(layout_dir, problems)
    language = root.get("language", text, default=DEFAULT_LANGUAGE)
    raise_if_any(problems)
    return Layout(name=name, dir=layout_dir, fonts=tuple(faces), page_sizes=pages, balance=balance,
                  palette=palette,
                  language=language,
                  hyphenation=hyphenation_dictionaries(layout_dir),
                  exceptions=exceptions)


FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".woff", ".woff2")
FAMILY_RE = re.compile(r"[^\W_][\w .-]*")


def font_family(node: yaml.Node) -> str:
    """A family name the stylesheet can quote as it is: letters, digits, spaces, dots and hyphens."""
    value = text(node)
    if not FAMILY_RE.fullmatch(value):
        raise Invalid(f"'{value}' is not a font family name",
                      "use letters, digits, spaces and hyphens, e.g. Noto Serif")
    return value


def not_a_font(path: Path) -> str | None:
    """Why fontTools cannot read the file as a font, or None when it can. Every build and check
    proves every font, so the answer is kept for the life of the process for a file unchanged since
    (same inode, size and modification time): reading large cmaps costs more than laying out a
    short edition."""
    if kind := not_a_regular_file(path):
        return f"it is {kind}"
    status = path.stat()
    return _font_file_problem(path.resolve(), status.st_ino, status.st_size, status.st_mtime_ns)


@functools.lru_cache(maxsize=256)
def _font_file_problem(path: Path, inode: int, size: int, modified_ns: int) -> str | None:
    try:
        with path.open("rb") as stream, TTFont(stream, lazy=True, fontNumber=0) as font:
            font.getBestCmap()  # reading the tables the build needs proves the file
            font["name"].getDebugName(6)
            return damaged_outlines(font)
    except Exception as error:  # fontTools raises many kinds on a damaged file
        return str(error).strip() or type(error).__name__


OUTLINE_TABLES = ("glyf", "loca", "CFF ", "CFF2", "hmtx")
"""The tables that draw and space the glyphs: damage there reads as a font, and prints garbage."""


def damaged_outlines(font: TTFont) -> str | None:
    """Why a font's glyphs are damaged, or None. An outline table whose checksum is wrong (≈ 3 ms to
    compute) has its glyphs read back: each must read without complaint and lie in the font's own
    bounding box, each advance within the widest. A wrong checksum alone, which some fonts ship, is
    let pass; WOFF files carry no checksums of their own tables."""
    reader = font.reader
    if reader.flavor is not None:
        return None
    damaged = [tag.strip() for tag in OUTLINE_TABLES
               if tag in reader.tables and calcChecksum(reader[tag]) != reader.tables[tag].checkSum]
    if not damaged:
        return None
    handler = logging.handlers.BufferingHandler(capacity=1 << 30)  # keeps what fontTools complains of
    logger = logging.getLogger("fontTools")
    logger.addHandler(handler)
    propagates, logger.propagate = logger.propagate, False
    try:
        glyph = _first_damaged_glyph(font, handler.buffer)
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagates
    if glyph is None:
        return None
    tables = ", ".join(damaged)
    return f"its glyphs are damaged: the {tables} table's checksum is wrong and glyph '{glyph}' is unreadable"


def _first_damaged_glyph(font: TTFont, complaints: list[logging.LogRecord]) -> str | None:
    head, widest = font["head"], font["hhea"].advanceWidthMax
    glyphs, metrics = font.getGlyphSet(), font["hmtx"].metrics
    for name in font.getGlyphOrder():
        try:
            pen = ControlBoundsPen(glyphs)
            glyphs[name].draw(pen)
        except Exception:  # fontTools raises many kinds on damaged outlines
            return name
        bounds = pen.bounds
        if complaints or not 0 <= metrics[name][0] <= widest or (bounds is not None and (
                bounds[0] < head.xMin or bounds[1] < head.yMin or bounds[2] > head.xMax or bounds[3] > head.yMax)):
            return name
    return None


def font_folder_problems(fonts_dir: Path) -> list[Problem]:
    """Every file in fonts/ is seen by the renderer: each must stay inside and be a readable font."""
    problems = outside_links(fonts_dir)
    for path in sorted(fonts_dir.iterdir()) if fonts_dir.is_dir() else []:
        if path.suffix.lower() in FONT_SUFFIXES and confined(path, fonts_dir) and (reason := not_a_font(path)):
            problems.append(Problem(path, None, f"not a font file ({reason})",
                                    f"remove it from {fonts_dir.name}/ or replace it with the font"))
    return problems


def outside_links(folder: Path) -> list[Problem]:
    """Files (or links) of a folder tree that resolve outside it: nothing is read from elsewhere."""
    return [Problem(path, None, f"links to {os.path.realpath(path)}, outside {folder.name}/",
                    "copy the file into the folder instead of linking to it")
            for path in sorted(folder.rglob("*")) if not confined(path, folder)]


TEMPLATE_SUFFIXES = (".html", ".css", ".xhtml", ".opf")


def template_encoding_problems(layout_dir: Path) -> list[Problem]:
    """Templates that are not UTF-8, named with the line (Jinja would fail on them while rendering,
    blaming the template that includes one, or no template at all for the stylesheet)."""
    problems = []
    for path in sorted(layout_dir.rglob("*")):
        if path.suffix in TEMPLATE_SUFFIXES and path.is_file():
            try:
                path.read_bytes().decode("utf-8")
            except UnicodeDecodeError as error:
                problems.append(not_utf8(path, error))
    return problems


def _page_sizes(root: MappingReader, path: Path, problems: list[Problem]) -> tuple[PageGeometry, ...]:
    bleed = root.get("bleed_mm", millimetres(0, 20), fix="add `bleed_mm: 3`")
    node = root.get("page_sizes", lambda node: node, fix="add `page_sizes:` with one size, e.g. A5")
    if node is None:
        return ()
    if not isinstance(node, yaml.MappingNode) or not node.value:
        root.report(node, "`page_sizes:` names no page size", "add one, e.g. `A5: {trim_mm: [148, 210], …}`")
        return ()
    found: list[PageGeometry] = []
    for name_node, size_node in node.value:  # names are free: A5, A4, US-Letter, …
        name = str(name_node.value)
        if any(page.name == name for page in found):
            root.report(name_node, f"page size '{name}' is listed twice", "keep only one")
        fields = MappingReader(size_node, path, problems, PAGE_KEYS)
        trim = fields.get("trim_mm", pair_of(millimetres(50, 1000)), fix="add `trim_mm: [148, 210]`")
        margins = fields.get("margins_mm", _numbers(path, problems, MARGIN_KEYS, millimetres(0, 100)))
        sizes_pt = fields.get("type_pt", _numbers(path, problems, TYPE_KEYS, points(4, 96)))
        if trim and margins and sizes_pt and bleed is not None:
            width, height = trim[0] - margins["inner"] - margins["outer"], trim[1] - margins["top"] - margins["bottom"]
            if width < trim[0] / 2 or height < trim[1] / 2:
                fields.report(size_node, f"page size {name}: the margins leave less than half the page to the text",
                              "make the margins smaller")
            found.append(PageGeometry(name, trim[0], trim[1], bleed, Margins(**margins), TypeSizes(**sizes_pt)))
    return tuple(found)


def _number(node: yaml.Node, low: float, high: float, unit: str) -> float:
    try:
        value = float(scalar(node))
    except ValueError:
        raise Invalid(f"'{node.value}' is not a number", f"write a number of {unit}") from None
    if not low <= value <= high:
        raise Invalid(f"{value:g} {unit} is outside {low:g}–{high:g}", f"write a number of {unit} in that range")
    return value


def millimetres(low: float, high: float) -> Callable[[yaml.Node], float]:
    return lambda node: _number(node, low, high, "mm")


def points(low: float, high: float) -> Callable[[yaml.Node], float]:
    return lambda node: _number(node, low, high, "pt")


def ems(low: float, high: float) -> Callable[[yaml.Node], float]:
    return lambda node: _number(node, low, high, "em")


def pair_of(convert: Callable[[yaml.Node], float]) -> Callable[[yaml.Node], tuple[float, float]]:
    def convert_pair(node: yaml.Node) -> tuple[float, float]:
        if not isinstance(node, yaml.SequenceNode) or len(node.value) != 2:
            raise Invalid("expected [width, height]", "write e.g. `[148, 210]`")
        return convert(node.value[0]), convert(node.value[1])

    return convert_pair


def _numbers(path: Path, problems: list[Problem], keys: tuple[str, ...],
             convert: Callable[[yaml.Node], float]) -> Callable[[yaml.Node], dict[str, float] | None]:
    """A mapping with exactly these keys, each a number; every missing or wrong one is reported."""

    def convert_mapping(node: yaml.Node) -> dict[str, float] | None:
        fields = MappingReader(node, path, problems, keys)
        values = {key: fields.get(key, convert) for key in keys}
        return None if any(value is None for value in values.values()) else values

    return convert_mapping


def hyphenation_dictionaries(layout_dir: Path) -> tuple[tuple[str, Path], ...]:
    """The layout's own hyphenation dictionaries, by language: `hyphenation/hyph_az.dic` → az."""
    folder = layout_dir / HYPHENATION_DIR
    if not folder.is_dir():
        return ()
    return tuple((path.stem.removeprefix("hyph_"), path.resolve()) for path in sorted(folder.glob("hyph_*.dic")))


def hyphenation_exceptions(layout_dir: Path, problems: list[Problem]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The layout's exceptions lists, by language: `hyphenation/exceptions_en.txt` → en. One word a
    line with a hyphen at each break allowed (TeX's `\\hyphenation{}`); `#` starts a comment."""
    folder = layout_dir / HYPHENATION_DIR
    found = []
    for path in sorted(folder.glob("exceptions_*.txt")) if folder.is_dir() else ():
        words: list[str] = []
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            problems.append(not_utf8(path, error))
            continue
        for number, line in enumerate(text.splitlines(), 1):
            word = line.split("#", 1)[0].strip()
            if not word:
                continue
            if not all(piece.isalpha() for piece in word.split("-")):
                problems.append(Problem(path, number, f"'{word}' is not a word with hyphens at its breaks",
                                        "write one word a line, letters and hyphens only: Azer-bai-jani"))
                continue
            words.append(word)
        found.append((path.stem.removeprefix("exceptions_"), tuple(words)))
    return tuple(found)


def _balance_specs(path: Path, problems: list[Problem],
                   fonts_dir: Path) -> Callable[[yaml.Node], tuple[BalanceSpec, ...]]:
    """`balance:` → for each balanced text its font (a file of fonts/), its size (one of the page's
    type sizes) and how far its measure is indented from the type area's width."""

    def convert(node: yaml.Node) -> tuple[BalanceSpec, ...]:
        entries = MappingReader(node, path, problems, BALANCED)
        specs = []
        for name in BALANCED:
            if not entries.has(name):
                continue
            fields = MappingReader(entries.entries[name][1], path, problems, BALANCE_KEYS)
            file = fields.get("file", text)
            size = fields.get("size", one_of(*TYPE_KEYS))
            indent = fields.get("indent_mm", millimetres(0, 100), default=0.0)
            tracking = fields.get("tracking_em", ems(0, 1), default=0.0)
            if file and not (fonts_dir / file).is_file():
                fields.report(fields.node, f"'{file}' is not in {fonts_dir.name}/", "name a file of fonts/")
            elif file and size:
                specs.append(BalanceSpec(name, fonts_dir / file, size, indent, tracking))
        return tuple(specs)

    return convert


_HEX = re.compile(r"^#([0-9a-fA-F]{2})([0-9a-fA-F]{2})([0-9a-fA-F]{2})$")


def _rgb(node: yaml.Node) -> tuple[int, int, int]:
    match = _HEX.match(scalar(node).strip())
    if not match:
        raise Invalid(f"'{scalar(node)}' is not an sRGB colour", "write it as #rrggbb, e.g. #1b1b1b")
    red, green, blue = (int(group, 16) for group in match.groups())
    return red, green, blue


def _cmyk(node: yaml.Node) -> tuple[float, float, float, float]:
    if not isinstance(node, yaml.SequenceNode) or len(node.value) != 4:
        raise Invalid("expected four tints [c, m, y, k]", "write per cents, e.g. `[0, 0, 0, 90]`")
    cyan, magenta, yellow, black = (_number(item, 0, 100, "%") for item in node.value)
    return cyan, magenta, yellow, black


def _palette(path: Path, problems: list[Problem]) -> Callable[[yaml.Node], tuple[Colour, ...]]:
    """`palette:` → named colours, each `{rgb: "#rrggbb", cmyk: [c, m, y, k]}`."""

    def convert(node: yaml.Node) -> tuple[Colour, ...]:
        if not isinstance(node, yaml.MappingNode):
            raise Invalid("expected one colour per name", "write `ink: {rgb: \"#1b1b1b\", cmyk: [0, 0, 0, 90]}`")
        colours = []
        for name, _name_node, value_node in mapping_pairs(node):
            fields = MappingReader(value_node, path, problems, COLOUR_KEYS)
            rgb, cmyk = fields.get("rgb", _rgb), fields.get("cmyk", _cmyk)
            if rgb and cmyk:
                colours.append(Colour(name, rgb, cmyk))
        return tuple(colours)

    return convert


def measure_of(layout: Layout, page: PageGeometry, name: str) -> Measure | None:
    """Where the layout sets a balanced text on this page size, or None when it is not balanced."""
    spec = next((spec for spec in layout.balance if spec.name == name), None)
    if spec is None:
        return None
    width = page.width - page.margins.inner - page.margins.outer - spec.indent
    return Measure(spec.font, getattr(page.type, spec.size), width * MM, spec.tracking)


def font_family_licences(layout: Layout) -> list[tuple[list[str], str]]:
    """(families, licence) once per licence, families in manifest order, for the colophon: the
    colophon names each licence once ("Set in Noto Serif and Noto Sans (…)")."""
    by_licence: dict[str, list[str]] = {}
    for face in layout.fonts:
        families = by_licence.setdefault(face.licence, [])
        if face.family not in families:
            families.append(face.family)
    return [(families, licence) for licence, families in by_licence.items()]

