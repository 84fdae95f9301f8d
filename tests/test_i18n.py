"""Interface strings: committed .po files compiled at build time, with Russian plural forms."""

from __future__ import annotations

from pathlib import Path

import pytest

from booklet.i18n import catalog_path, load_translations
from booklet.problems import BookletError
from tests.conftest import ROOT

LAYOUT = ROOT / "layouts" / "memorial"


def test_russian_catalog_compiles_with_three_plural_forms() -> None:
    translations = load_translations(LAYOUT, "ru-RU", "en")
    assert translations.gettext("Contents") == "Содержание"
    forms = [translations.ngettext("%(count)s statement", "%(count)s statements", n) % {"count": n}
             for n in (1, 3, 5, 21)]
    assert forms == ["1 заявление", "3 заявления", "5 заявлений", "21 заявление"]


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
