"""`make messages`: extract interface strings from every layout and merge them into its .po files.

The .po files are committed and compiled in memory by every build; this tool only keeps them in
step with the templates. New strings arrive untranslated and `booklet check` reports them.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from booklet.editorial.i18n import catalog_path

TEMPLATES = ("**.html", "**.xhtml", "**.opf")
"""The layouts' Jinja2 templates: the PDF's HTML, the EPUB's content documents and package."""
METHODS = [(pattern, "jinja2") for pattern in TEMPLATES]
OPTIONS = {pattern: {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"} for pattern in TEMPLATES}


def extract(layout_dir: Path) -> Catalog:
    template = Catalog(project="booklet", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        layout_dir, METHODS, options_map=OPTIONS
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def update_layout(layout_dir: Path) -> list[Path]:
    template = extract(layout_dir)
    updated = []
    for language_dir in sorted((layout_dir / "locales").iterdir()):
        path = catalog_path(layout_dir, language_dir.name)
        if path.is_file():
            with path.open("rb") as po_file:
                catalog = read_po(po_file, locale=language_dir.name)
        else:
            catalog = Catalog(locale=language_dir.name, project="booklet")
        catalog.update(template, update_header_comment=False, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as po_file:
            write_po(po_file, catalog, omit_header=False, sort_output=False, width=100,
                     include_previous=False, no_location=True)
        updated.append(path)
    return updated


def main() -> None:
    for layout_dir in sorted(Path("layouts").iterdir()):
        if (layout_dir / "locales").is_dir():
            for path in update_layout(layout_dir):
                print(f"updated {path}")


if __name__ == "__main__":
    main()
