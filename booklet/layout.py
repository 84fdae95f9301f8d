"""A layout is a folder of templates, CSS and locales, plus `layout.yaml` naming its fonts.

Languages are data here too: `locales/<lang>/` holds a catalog per language, `hyphenation/` may add
hyphenation dictionaries (`hyph_<lang>.dic`, Pyphen's format) for languages Pyphen lacks, and
`layout.yaml`'s `language` names the language the templates' own strings are written in.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from booklet.problems import BookletError, Problem, raise_if_any
from booklet.yamlschema import MappingReader, compose_yaml, one_of, sequence_of, text

LAYOUT_FILE = "layout.yaml"
ENTRY_TEMPLATE = "booklet.html"
HYPHENATION_DIR = "hyphenation"
DEFAULT_LANGUAGE = "en"
"""The language of a layout's interface strings when layout.yaml does not name one."""
FONT_KEYS = ("family", "file", "weight", "style", "licence", "licence_file")


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
    language: str = DEFAULT_LANGUAGE
    """The language of the templates' interface strings (msgids): it needs no catalog."""
    hyphenation: tuple[tuple[str, Path], ...] = ()
    """(language, dictionary) for each `hyphenation/hyph_<lang>.dic` the layout ships."""


def load_layout(layouts_dir: Path, name: str, fonts_dir: Path) -> Layout:
    """Read a layout's manifest; every font it names must be a file in the project's fonts folder."""
    layout_dir = layouts_dir / name
    if not (layout_dir / ENTRY_TEMPLATE).is_file():
        raise BookletError([Problem(layout_dir, None, f"no layout '{name}' (missing {ENTRY_TEMPLATE})",
                                    "set `layout:` in booklet.yaml to a folder of layouts/")])
    path = layout_dir / LAYOUT_FILE
    problems: list[Problem] = []
    root = MappingReader(compose_yaml(path), path, problems, ("fonts", "language"))
    faces = []
    for node in root.get("fonts", sequence_of(lambda node: node), default=[]) or []:
        fields = MappingReader(node, path, problems, FONT_KEYS)
        file, licence_file = fields.get("file", text), fields.get("licence_file", text)
        for name_in_fonts in (file, licence_file):
            if name_in_fonts and not (fonts_dir / name_in_fonts).is_file():
                fields.report(node, f"'{name_in_fonts}' is not in {fonts_dir.name}/",
                              "add the file to fonts/ or fix the name")
        faces.append(FontFace(
            family=fields.get("family", text),
            path=fonts_dir / (file or ""),
            weight=int(fields.get("weight", one_of("400", "700"), default="400")),
            style=fields.get("style", one_of("normal", "italic"), default="normal"),
            licence=fields.get("licence", text),
            licence_path=fonts_dir / (licence_file or ""),
        ))
    if not faces:
        problems.append(Problem(path, None, "the layout names no fonts", "list them under `fonts:`"))
    raise_if_any(problems)
    return Layout(name=name, dir=layout_dir, fonts=tuple(faces),
                  language=root.get("language", text, default=DEFAULT_LANGUAGE),
                  hyphenation=hyphenation_dictionaries(layout_dir))


def hyphenation_dictionaries(layout_dir: Path) -> tuple[tuple[str, Path], ...]:
    """The layout's own hyphenation dictionaries, by language: `hyphenation/hyph_az.dic` → az."""
    folder = layout_dir / HYPHENATION_DIR
    if not folder.is_dir():
        return ()
    return tuple((path.stem.removeprefix("hyph_"), path.resolve()) for path in sorted(folder.glob("hyph_*.dic")))


def font_family_licences(layout: Layout) -> list[tuple[str, str]]:
    """(family, licence) once per family, in manifest order, for the colophon."""
    seen: dict[str, str] = {}
    for face in layout.fonts:
        seen.setdefault(face.family, face.licence)
    return list(seen.items())

