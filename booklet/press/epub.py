"""EPUB 3 editions: the same template context as the PDFs, set as reflowable XHTML in one zip.

The layout's `epub/` templates make the content documents (cover, title page, navigation, one
document per statement, chronology, colophon) and the package document; the fonts are subset to the
characters the edition uses (the SIL OFL permits embedding and subsetting; the names, with the
copyright and licence, are kept). The zip is written byte for byte the same for the same inputs:
fixed order, fixed timestamps, `mimetype` first and stored, as the OCF specification asks.
The same section templates also make the edition's single self-contained web page.
"""

from __future__ import annotations

import base64
import datetime as dt
import gettext
import io
import re
import uuid
import zipfile
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

import uharfbuzz as hb
from markupsafe import Markup

from booklet.editorial.context import EditionContext
from booklet.editorial.render import reported_as_problems, template_environment
from booklet.problems import BookletError, Problem
from booklet.typeset.layout import Layout

EPUB_TEMPLATES = "epub"
ROOT = "EPUB"
MIMETYPE = "application/epub+zip"
COVER_IMAGE = "images/cover.png"
_NAME_IDS = 1024
"""Keep every name record below this ID: the standard ones (copyright, licence, …) and the font's own."""
CONTAINER = f"""<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="{ROOT}/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


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
    """What the EPUB templates need beyond the edition's context.

    The same section templates make the single web page: `base` is then a bare fragment and `link`
    points inside the page."""

    identifier: str
    date: str
    cover_image: str
    manifest: tuple[Item, ...]
    spine: tuple[Item, ...]
    base: str = f"{EPUB_TEMPLATES}/base.xhtml"
    single_page: bool = False

    def semantics(self, kind: str) -> Markup:
        """The `epub:type` of a section in the EPUB; HTML has no such attribute (ARIA roles serve)."""
        return Markup("") if self.single_page else Markup(' epub:type="{}"').format(kind)

    def heading(self, level: int) -> str:
        """A section's heading element: each EPUB document starts at h1; on the single page the
        book's title is the h1 and the sections' headings go one level down."""
        return f"h{level + 1 if self.single_page else level}"

    def link(self, document: str, fragment: str | None = None) -> str:
        """The href of a section (a statement's anchor, `chronology`…), or of an anchor inside it."""
        if self.single_page:
            return f"#{fragment or document}"
        return f"{document}.xhtml#{fragment}" if fragment else f"{document}.xhtml"


@dataclass(frozen=True)
class EpubSources:
    """An edition's EPUB before packaging: its text files rendered from the templates (in reading
    order, then the stylesheet), the fonts to embed, its timestamp. Plain data, so a worker process
    can package it."""

    texts: tuple[tuple[str, str], ...]
    """(path inside the package folder, text): package.opf, the spine's documents, style.css."""
    fonts: tuple[tuple[str, Path], ...]
    """(path inside the package folder, the font file to subset)."""
    documents: int
    created: str


@dataclass(frozen=True)
class Epub:
    data: bytes
    documents: int
    """Content documents in the reading order (the spine)."""


def _sections(context: EditionContext) -> list[tuple[str, str, dict[str, Any]]]:
    """(name, template, variables) of each content document, in reading order."""
    sections: list[tuple[str, str, dict[str, Any]]] = [(name, f"{name}.xhtml", {})
                                                       for name in ("cover", "title", "nav")]
    sections += [(s.anchor, "statement.xhtml", {"statement": s}) for s in context.statements]
    return sections + [(name, f"{name}.xhtml", {}) for name in ("chronology", "colophon")]


def _fonts(layout: Layout) -> list[EpubFont]:
    return [EpubFont(face.family, f"fonts/{face.path.name}", face.weight, face.style) for face in layout.fonts]


def _info(context: EditionContext, layout: Layout, **options: Any) -> EpubInfo:
    spine = tuple(Item(name, f"{name}.xhtml", "application/xhtml+xml", "nav" if name == "nav" else "")
                  for name, _template, _variables in _sections(context))
    manifest = (*spine, Item("style", "style.css", "text/css"),
                Item("cover-image", COVER_IMAGE, "image/png", "cover-image"),
                *(Item(f"font-{index}", font.href, "font/ttf") for index, font in enumerate(_fonts(layout), 1)))
    return EpubInfo(
        identifier=f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'booklet:{context.document.title}|{context.language}')}",
        date=context.created[:10], cover_image=COVER_IMAGE, manifest=manifest, spine=spine, **options)


def render_epub(context: EditionContext, layout: Layout, translations: gettext.NullTranslations) -> EpubSources:
    """Render the layout's epub/ templates for an edition: every text file of the EPUB."""
    environment = template_environment(layout, translations)
    info, fonts = _info(context, layout), _fonts(layout)
    texts: list[tuple[str, str]] = []
    with reported_as_problems(layout):
        texts.append(("package.opf", environment.get_template(f"{EPUB_TEMPLATES}/package.opf").render(
            edition=context, epub=info)))
        for name, template, variables in _sections(context):
            texts.append((f"{name}.xhtml", environment.get_template(f"{EPUB_TEMPLATES}/{template}").render(
                edition=context, epub=info, **variables)))
        texts.append(("style.css", environment.get_template(f"{EPUB_TEMPLATES}/style.css").render(
            fonts=fonts, colour=layout.colours)))
    return EpubSources(tuple(texts), tuple((font.href, face.path) for font, face in zip(fonts, layout.fonts,
                                                                                          strict=True)),
                       len(info.spine), context.created)


def render_web_page(context: EditionContext, layout: Layout, translations: gettext.NullTranslations) -> str:
    """The edition as one self-contained HTML page: the EPUB's sections after one another (the cover
    image aside: the title page says what it shows), its stylesheet inline with the fonts subset and
    embedded as data URLs, links inside the page. Nothing it shows is fetched from anywhere."""
    environment = template_environment(layout, translations)
    info = _info(context, layout, base=f"{EPUB_TEMPLATES}/fragment.xhtml", single_page=True)
    with reported_as_problems(layout):
        sections = [environment.get_template(f"{EPUB_TEMPLATES}/{template}").render(
            edition=context, epub=info, **variables)
            for name, template, variables in _sections(context) if name != "cover"]
        characters = _characters("".join(sections))
        fonts = [EpubFont(font.family, _data_url("font/ttf", _subset(face.path, characters)),
                          font.weight, font.style) for font, face in zip(_fonts(layout), layout.fonts, strict=True)]
        stylesheet = environment.get_template(f"{EPUB_TEMPLATES}/style.css").render(fonts=fonts, colour=layout.colours)
        return environment.get_template(f"{EPUB_TEMPLATES}/page.html").render(
            edition=context, stylesheet=Markup(stylesheet), sections=[Markup(section) for section in sections])


def _data_url(media_type: str, data: bytes) -> str:
    return f"data:{media_type};base64,{base64.b64encode(data).decode('ascii')}"


def package_epub(sources: EpubSources, cover_png: bytes) -> Epub:
    """The EPUB file: the rendered texts, the fonts subset to the characters they use, the cover."""
    characters = _characters("".join(text for _path, text in sources.texts))
    files = [(path, text.encode()) for path, text in sources.texts]
    files.append((COVER_IMAGE, cover_png))
    files += [(href, _subset(path, characters)) for href, path in sources.fonts]
    entries = [("mimetype", MIMETYPE.encode()), ("META-INF/container.xml", CONTAINER.encode()),
               *((f"{ROOT}/{path}", data) for path, data in files)]
    return Epub(_zip(entries, dt.datetime.fromisoformat(sources.created)), sources.documents)


def _characters(markup: str) -> str:
    """Every character the documents can show: their text with tags removed and entities read."""
    return "".join(sorted(set(unescape(re.sub(r"<[^>]*>", " ", markup))) | set("0123456789")))


def _subset(font: Path, characters: str) -> bytes:
    """The font with only the glyphs for these characters, its default OpenType features (kerning,
    ligatures, localised forms) and all its names (the copyright and the licence among them).

    The pinned uharfbuzz wheel's subsetter, as for the PDFs: the same bytes on every machine."""
    subset_input = hb.SubsetInput()
    subset_input.unicode_set.update(ord(character) for character in characters)
    subset_input.sets(hb.SubsetInputSets.NAME_ID).update(range(_NAME_IDS))
    subset_input.flags = hb.SubsetFlags.NO_HINTING  # reading systems hint at screen sizes themselves
    subset = hb.subset(hb.Face(hb.Blob(font.read_bytes())), subset_input)
    if subset is None:
        raise BookletError([Problem(font, None, "HarfBuzz could not subset this font for the EPUB",
                                    "replace the font file, or name another in layout.yaml")])
    return bytes(subset.blob.data)


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
