"""A layout is a folder of templates, CSS and locales, plus `layout.yaml` naming its fonts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from booklet.balance import Measure
from booklet.impose import MM
from booklet.problems import BookletError, Problem, raise_if_any
from booklet.yamlschema import Invalid, MappingReader, compose_yaml, one_of, scalar, sequence_of, text

LAYOUT_FILE = "layout.yaml"
ENTRY_TEMPLATE = "booklet.html"
FONT_KEYS = ("family", "file", "weight", "style", "licence", "licence_file")
BALANCED = ("heading", "contents")
"""Texts the layout sets in balanced lines: statement headings, contents titles."""
MEASURE_KEYS = ("file", "size_pt", "measure_mm")


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
    measures: dict[str, Measure]
    """Where each balanced text is set (`balance:` in layout.yaml); a text without one is not balanced."""


def load_layout(layouts_dir: Path, name: str, fonts_dir: Path) -> Layout:
    """Read a layout's manifest; every font it names must be a file in the project's fonts folder."""
    layout_dir = layouts_dir / name
    if not (layout_dir / ENTRY_TEMPLATE).is_file():
        raise BookletError([Problem(layout_dir, None, f"no layout '{name}' (missing {ENTRY_TEMPLATE})",
                                    "set `layout:` in booklet.yaml to a folder of layouts/")])
    path = layout_dir / LAYOUT_FILE
    problems: list[Problem] = []
    root = MappingReader(compose_yaml(path), path, problems, ("fonts", "balance"))
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
    measures = root.get("balance", _measures(path, problems, fonts_dir), default={}) or {}
    raise_if_any(problems)
    return Layout(name=name, dir=layout_dir, fonts=tuple(faces), measures=measures)


def _positive(node: yaml.Node) -> float:
    try:
        value = float(scalar(node))
    except ValueError:
        raise Invalid(f"'{scalar(node)}' is not a number", "write e.g. 13 or 114.5") from None
    if value <= 0:
        raise Invalid(f"{value:g} is not a positive size", "write a size above 0")
    return value


def _measures(path: Path, problems: list[Problem], fonts_dir: Path) -> Callable[[yaml.Node], dict[str, Measure]]:
    """`balance:` → the measure of each balanced text, its font a file of fonts/."""
    def convert(node: yaml.Node) -> dict[str, Measure]:
        entries = MappingReader(node, path, problems, BALANCED)
        measures = {}
        for name in BALANCED:
            if not entries.has(name):
                continue
            fields = MappingReader(entries.entries[name][1], path, problems, MEASURE_KEYS)
            file = fields.get("file", text)
            size, width = fields.get("size_pt", _positive), fields.get("measure_mm", _positive)
            if file and not (fonts_dir / file).is_file():
                fields.report(fields.node, f"'{file}' is not in {fonts_dir.name}/", "name a file of fonts/")
            elif file and size and width:
                measures[name] = Measure(fonts_dir / file, size, width * MM)
        return measures

    return convert


def font_family_licences(layout: Layout) -> list[tuple[list[str], str]]:
    """(families, licence) once per licence, families in manifest order, for the colophon: the
    colophon names each licence once ("Set in Noto Serif and Noto Sans (…)")."""
    by_licence: dict[str, list[str]] = {}
    for face in layout.fonts:
        families = by_licence.setdefault(face.licence, [])
        if face.family not in families:
            families.append(face.family)
    return [(families, licence) for licence, families in by_licence.items()]

