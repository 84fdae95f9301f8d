"""EPUB 3 editions: the same template context as the PDFs, set as reflowable XHTML in one zip.

The layout's `epub/` templates make the content documents (cover, title page, navigation, one
document per statement, chronology, colophon) and the package document; the fonts are subset to the
characters the edition uses (the SIL OFL permits embedding and subsetting). The zip is written
byte for byte the same for the same inputs: fixed order, fixed timestamps, `mimetype` first and
stored, as the OCF specification asks.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from html import unescape
from typing import Any

from fontTools import subset
from fontTools.ttLib import TTFont

from booklet.context import EditionContext
from booklet.layout import Layout
from booklet.render import reported_as_problems, template_environment

EPUB_TEMPLATES = "epub"
ROOT = "EPUB"
MIMETYPE = "application/epub+zip"
COVER_IMAGE = "images/cover.png"
CONTAINER = f"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="{ROOT}/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def epub_name(language: str) -> str:
    return f"booklet-{language}.epub"


@dataclass(frozen=True)
class Item:
    """One manifest entry of the package."""

    id: str
    href: str
    media_type: str
    properties: str = ""


@dataclass(frozen=True)
class EpubFont:
    family: str
    href: str
    weight: int
    style: str


@dataclass(frozen=True)
class EpubInfo:
    """What the EPUB templates need beyond the edition's context."""

    identifier: str
    date: str
    cover_image: str
    manifest: tuple[Item, ...]
    spine: tuple[Item, ...]


@dataclass(frozen=True)
class Epub:
    data: bytes
    documents: int
    """Content documents in the reading order (the spine)."""


def write_epub(context: EditionContext, layout: Layout, translations: gettext.NullTranslations,
               cover_png: bytes) -> Epub:
    """The edition as an EPUB 3 file; `cover_png` is the cover page rendered from the PDF layout."""
    environment = template_environment(layout, translations)
    sections: list[tuple[str, str, dict[str, Any]]] = [(name, f"{name}.xhtml", {})
                                                       for name in ("cover", "title", "nav")]
    sections += [(s.anchor, "statement.xhtml", {"statement": s}) for s in context.statements]
    sections += [(name, f"{name}.xhtml", {}) for name in ("chronology", "colophon")]
    spine = tuple(Item(name, f"{name}.xhtml", "application/xhtml+xml", "nav" if name == "nav" else "")
                  for name, _template, _variables in sections)
    fonts = [EpubFont(face.family, f"fonts/{face.path.name}", face.weight, face.style) for face in layout.fonts]
    manifest = (*spine, Item("style", "style.css", "text/css"),
                Item("cover-image", COVER_IMAGE, "image/png", "cover-image"),
                *(Item(f"font-{index}", font.href, "font/ttf") for index, font in enumerate(fonts, 1)))
    info = EpubInfo(
        identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'booklet:{context.document.title}|{context.language}')}",
        date=context.created[:10], cover_image=COVER_IMAGE, manifest=manifest, spine=spine)
    files: dict[str, bytes] = {}
    with reported_as_problems(layout):
        for name, template, variables in sections:
            files[f"{name}.xhtml"] = environment.get_template(f"{EPUB_TEMPLATES}/{template}").render(
                edition=context, epub=info, **variables).encode()
        files["style.css"] = environment.get_template(f"{EPUB_TEMPLATES}/style.css").render(fonts=fonts).encode()
        package = environment.get_template(f"{EPUB_TEMPLATES}/package.opf").render(edition=context, epub=info)
    characters = _characters(b"".join(files.values()).decode())
    for face, font in zip(layout.fonts, fonts, strict=True):
        files[font.href] = _subset(face.path.read_bytes(), characters)
    files[COVER_IMAGE] = cover_png
    entries = [("mimetype", MIMETYPE.encode()), ("META-INF/container.xml", CONTAINER.encode()),
               (f"{ROOT}/package.opf", package.encode()),
               *((f"{ROOT}/{item.href}", files[item.href]) for item in manifest)]
    return Epub(_zip(entries, dt.datetime.fromisoformat(context.created)), len(spine))


def _characters(markup: str) -> str:
    """Every character the documents can show: their text with tags removed and entities read."""
    return "".join(sorted(set(unescape(re.sub(r"<[^>]*>", " ", markup))) | set("0123456789")))


def _subset(font_data: bytes, characters: str) -> bytes:
    """The font with only the glyphs for these characters, its default OpenType features (kerning,
    ligatures, localised forms) and all its names (the copyright and licence among them)."""
    options = subset.Options()
    options.name_IDs = ["*"]
    options.hinting = False  # reading systems rasterise at screen sizes with their own hinting
    options.notdef_outline = True
    options.recalc_timestamp = False
    font = TTFont(io.BytesIO(font_data), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=characters)
    subsetter.subset(font)
    output = io.BytesIO()
    font.save(output)
    return output.getvalue()


def _zip(entries: list[tuple[str, bytes]], moment: dt.datetime) -> bytes:
    """An OCF zip: `mimetype` first and stored, the rest deflated, every entry stamped alike."""
    stamp = max(moment.astimezone(dt.UTC), dt.datetime(1980, 1, 1, tzinfo=dt.UTC)).timetuple()[:6]
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compress_type=info.compress_type, compresslevel=9)
    return output.getvalue()
