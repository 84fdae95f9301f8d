"""Interface strings: committed .po files compiled at build time."""

from __future__ import annotations

from pathlib import Path

import pytest

from booklet.editorial.i18n import catalog_path, load_translations
from booklet.problems import BookletError
from tests.conftest import ROOT

LAYOUT = ROOT / "layouts" / "memorial"


def test_russian_catalog_compiles() -> None:
    translations = load_translations(LAYOUT, "ru-RU", "en")
    assert translations.gettext("Contents") == "Содержание"


def test_editors_strings_follow_the_yo_policy() -> None:
    """Ё policy: the editors' own Russian strings (interface catalog, booklet and chronology
    metadata, statement titles) write е, as the official texts this booklet carries do; the
    statements' texts keep their letters as issued."""
    files = [catalog_path(LAYOUT, "ru"), ROOT / "corpus" / "booklet.yaml", ROOT / "corpus" / "chronology.yaml",
             *sorted((ROOT / "corpus" / "statements").glob("*.yaml"))]
    offending = [f"{path.name}:{number}: {line.strip()}" for path in files
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if ("ё" in line or "Ё" in line) and not line.lstrip().startswith("#")]
    assert offending == []


def test_english_needs_no_catalog() -> None:
    assert load_translations(LAYOUT, "en-GB", "en").gettext("Contents") == "Contents"


def test_untranslated_string_is_an_error(tmp_path: Path) -> None:
    path = catalog_path(tmp_path, "ru")
    path.parent.mkdir(parents=True)
    path.write_text('msgid ""\nmsgstr "Language: ru\\n"\n\nmsgid "Contents"\nmsgstr ""\n', encoding="utf-8")
    with pytest.raises(BookletError, match="1 untranslated interface string"):
        load_translations(tmp_path, "ru-RU", "en")


def test_missing_catalog_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BookletError, match="no interface strings for 'ru-RU'"):
        load_translations(tmp_path, "ru-RU", "en")
