"""Interface strings: gettext catalogs (`.po`, committed) compiled in memory at every build."""

from __future__ import annotations

import gettext
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po

from booklet.problems import BookletError, Problem, not_utf8

DOMAIN = "messages"


def catalog_path(layout_dir: Path, language: str) -> Path:
    return layout_dir / "locales" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def load_translations(layout_dir: Path, locale: str, source_language: str) -> gettext.NullTranslations:
    """The layout's catalog for a locale's language; the templates' own language needs none."""
    language = locale.split("-")[0]
    path = catalog_path(layout_dir, language)
    if language == source_language and not path.is_file():
        return gettext.NullTranslations()
    if not path.is_file():
        raise BookletError([Problem(path, None, f"no interface strings for '{locale}'",
                                    "add the catalog (make messages) and translate it")])
    try:
        with path.open("rb") as po_file:
            catalog = read_po(po_file, locale=language.replace("-", "_"), abort_invalid=True)
    except PoFileError as error:
        raise BookletError([Problem(path, getattr(error, "lineno", None), f"invalid catalog: {error}",
                                    "fix the .po entry")]) from None
    except UnicodeDecodeError as error:  # Babel decodes a line at a time: find the byte in the file
        data = path.read_bytes()
        start = max(data.find(error.object), 0) + error.start if isinstance(error.object, bytes) else 0
        raise BookletError([not_utf8(path, UnicodeDecodeError("utf-8", data, start, start + 1, error.reason))]
                           ) from None
    untranslated = [m.id for m in catalog if m.id and not m.fuzzy and not _translated(m.string)]
    if untranslated:
        first = untranslated[0] if isinstance(untranslated[0], str) else untranslated[0][0]
        raise BookletError([Problem(path, None,
                                    f"{len(untranslated)} untranslated interface string(s), e.g. '{first}'",
                                    "translate them in the .po file")])
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _translated(string: str | tuple[str, ...] | list[str] | None) -> bool:
    return all(string) if isinstance(string, (tuple, list)) else bool(string)
