"""Edition languages are configuration: an Azerbaijani edition added, an English one removed, both in
YAML only (the layout ships the `az` catalog and hyphenation dictionary); plus the Azerbaijani
micro-typography, hyphenation and glyphs on their own."""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
from pathlib import Path

import pyphen
import pytest
import yaml
from click.testing import CliRunner

from booklet.cli import main
from booklet.editorial.i18n import load_translations
from booklet.editorial.l10n import ordinal
from booklet.editorial.render import template_environment
from booklet.editorial.typography import fold, typeset
from booklet.typeset.glyphs import missing_glyphs
from booklet.typeset.layout import load_layout
from tests.conftest import ROOT, once_per_session, read_pdf

AZ_DICTIONARY = ROOT / "layouts" / "memorial" / "hyphenation" / "hyph_az.dic"
NBSP = "\u00a0"


def copy_project(target: Path) -> Path:
    for part in ("corpus", "layouts", "fonts"):
        shutil.copytree(ROOT / part, target / part)
    return target


class _IndentedDumper(yaml.SafeDumper):
    """Block sequences indented under their key, as the corpus writes them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _edit_yaml(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.dump(data, Dumper=_IndentedDumper, allow_unicode=True, sort_keys=False, width=1000),
                    encoding="utf-8")


def _localized_fields(data: dict, copy: tuple[str, str] | None, drop: str | None) -> None:  # type: ignore[type-arg]
    """Every {en: …, ru: …} value of a mapping, recursively: add a copy of one language, drop one."""
    for value in data.values():
        items = value if isinstance(value, list) else [value]
        for item in items:
            if isinstance(item, dict) and {"en", "ru"} & set(item) and all(isinstance(v, str) for v in item.values()):
                if copy:
                    item[copy[1]] = item[copy[0]]
                if drop:
                    item.pop(drop, None)
            elif isinstance(item, dict):
                _localized_fields(item, copy, drop)


def add_edition(project: Path, language: str, locale: str, copy_from: str) -> None:
    """What an editor does to add an edition: booklet.yaml, every localised field, one text per
    statement (here copied from another language, declared as its translation)."""
    corpus = project / "corpus"
    _edit_yaml(corpus / "booklet.yaml", lambda data: (
        data["editions"].append({"language": language, "locale": locale}),
        _localized_fields(data, (copy_from, language), None)))
    _edit_yaml(corpus / "chronology.yaml", lambda data: _localized_fields(data, (copy_from, language), None))
    for path in sorted((corpus / "statements").glob("*.yaml")):
        shutil.copy(path.with_suffix(f".{copy_from}.md"), path.with_suffix(f".{language}.md"))

        def extend(data: dict, path: Path = path) -> None:  # type: ignore[type-arg]
            _localized_fields(data, (copy_from, language), None)
            data["texts"][language] = {"file": path.with_suffix(f".{language}.md").name,
                                       "translated_from": copy_from, "translator": "the test"}

        _edit_yaml(path, extend)


def remove_edition(project: Path, language: str) -> None:
    corpus = project / "corpus"
    _edit_yaml(corpus / "booklet.yaml", lambda data: (
        data.__setitem__("editions", [e for e in data["editions"] if e["language"] != language]),
        _localized_fields(data, None, language)))
    _edit_yaml(corpus / "chronology.yaml", lambda data: _localized_fields(data, None, language))
    for path in sorted((corpus / "statements").glob("*.yaml")):
        def shrink(data: dict) -> None:  # type: ignore[type-arg]
            _localized_fields(data, None, language)
            if data["original_language"] != language:
                data["texts"].pop(language)

        _edit_yaml(path, shrink)


def run_build(project: Path, *options: str) -> str:
    result = CliRunner().invoke(main, ["build", "--project", str(project), *options])
    assert result.exit_code == 0, result.output
    return result.output


def squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(NBSP, " ").replace("\u2011", "-"))


@pytest.fixture(scope="module")
def azerbaijani(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    def make(folder: Path) -> tuple[str, Path]:
        project = copy_project(folder)
        add_edition(project, "az", "az-AZ", copy_from="en")
        output = run_build(project, "--edition", "az", "--profile", "screen", "--profile", "epub")
        return output, project / "out" / "booklet-az-screen.pdf"

    output, path = once_per_session(tmp_path_factory, "az-project", make)
    return output, read_pdf(path)


def test_an_azerbaijani_edition_builds_from_yaml_and_the_catalog(azerbaijani) -> None:  # type: ignore[no-untyped-def]
    output, pdf = azerbaijani
    assert "out/booklet-az-screen.pdf" in output
    assert pdf.reader.trailer["/Root"]["/Lang"] == "az"
    text = squeezed(pdf.text)
    # CLDR dates: day month year, a month and year, a range of days (CLDR's az interval pattern)
    for date in ("20 yanvar 2024", "20 yanvar 2026", "fevral 1994", "1990 yanvar 19–20"):
        assert date in text, date
    # the layout's strings, with Azerbaijani ordinals from CLDR's ordinal forms and plural rules
    for string in ("Mündəricat", "Xronologiya", "Nəşr haqqında", "MƏNBƏLƏR",
                   "31-ci ildönümü", "34-cü ildönümü", "35-ci ildönümü", "36-cı ildönümü",
                   "Xatırlandığı bəyanatlar:", "Redaksiyanın qeyri-rəsmi tərcüməsi; orijinalın dili: ingilis"):
        assert string in text, string
    assert not re.findall(r"About this edition|Mentioned in:|Unofficial translation|Chronology", text)


def test_azerbaijani_text_is_hyphenated_with_the_layouts_dictionary(azerbaijani) -> None:  # type: ignore[no-untyped-def]
    _output, pdf = azerbaijani
    azerbaijani_breaks = pyphen.Pyphen(filename=str(AZ_DICTIONARY), left=2, right=2)
    english_breaks = pyphen.Pyphen(lang="en_GB", left=2, right=2)
    broken = []
    for page in pdf.pages:
        lines = page.splitlines()
        for line, following in itertools.pairwise(lines):
            if re.search(r"\w\u2010$", line) and following[:1].islower():  # the hyphen WeasyPrint adds
                head = re.findall(r"\w+$", line[:-1])[0]
                tail = re.findall(r"^\w+", following)[0]
                broken.append((head + tail, len(head)))
    assert broken, "no word was hyphenated in the Azerbaijani edition"
    for word, at in broken:
        assert at in azerbaijani_breaks.positions(word), f"{word} broken at {at}"
    assert any(at not in english_breaks.positions(word) for word, at in broken)


@pytest.fixture(scope="module")
def without_english(tmp_path_factory: pytest.TempPathFactory) -> Path:
    def make(folder: Path) -> Path:
        project = copy_project(folder)
        remove_edition(project, "en")
        run_build(project, "--profile", "screen")
        return project

    return once_per_session(tmp_path_factory, "ru-only", make)


def test_the_report_and_check_need_no_english_edition(without_english: Path) -> None:
    for command in ("report", "check"):
        result = CliRunner().invoke(main, [command, "--project", str(without_english)])
        assert result.exit_code == 0, result.output
    assert "# Editorial report: 20 января" in CliRunner().invoke(
        main, ["report", "--project", str(without_english)]).output


def test_an_edition_removed_in_yaml_is_no_longer_built(without_english: Path) -> None:
    assert sorted(path.name for path in (without_english / "out").iterdir()) == ["booklet-ru-screen.pdf"]
    pdf = read_pdf(without_english / "out" / "booklet-ru-screen.pdf")
    assert pdf.reader.trailer["/Root"]["/Lang"] == "ru"
    text = squeezed(pdf.text)
    assert "20 января 2024" in text and "Содержание" in text and "36-я годовщина" in text
    assert "Неофициальный перевод редакции; язык оригинала: английский" in text


# ---- Azerbaijani on its own ------------------------------------------------------------------

@pytest.mark.parametrize(("word", "expected"), [
    ("Azərbaycan", "Azər-bay-can"), ("müstəqilliyinin", "müs-tə-qil-li-yi-nin"),
    ("Respublikası", "Res-pub-li-ka-sı"), ("dövlətçilik", "döv-lət-çi-lik"),
    ("şəhidlərinin", "şə-hid-lə-ri-nin"), ("qəhrəmanlıq", "qəh-rə-man-lıq"),
    ("ekstremal", "ekst-re-mal"), ("faciəsi", "fa-ciə-si"), ("yanvar", "yan-var"),
])
def test_azerbaijani_hyphenation_dictionary(word: str, expected: str) -> None:
    assert pyphen.Pyphen(filename=str(AZ_DICTIONARY), left=2, right=2).inserted(word) == expected


def test_the_layout_ships_its_dictionaries_by_language() -> None:
    layout = load_layout(ROOT / "layouts", "memorial", ROOT / "fonts")
    assert dict(layout.hyphenation) == {"az": AZ_DICTIONARY}
    assert layout.language == "en"


@pytest.mark.parametrize(("source", "expected"), [
    ('"Udar" əməliyyatı', "«Udar» əməliyyatı"),
    ('"Qara "Yanvar""', "«Qara “Yanvar”»"),
    ("1990-cı il", "1990\u2011cı\u00a0il"),
    ("yanvarın 19-dan 20-nə keçən", "yanvarın 19\u2011dan 20\u2011nə\u00a0keçən"),
    ("150 mülki şəxslər", "150\u00a0mülki şəxslər"),
    ("xalq və dövlət", "xalq və\u00a0dövlət"),
    ("biz də gəldik", "biz\u00a0də gəldik"),
    ("H. Əliyev", "H.\u00a0Əliyev"),
    ("20 Yanvar - Milli Matəm Günü", "20\u00a0Yanvar\u00a0— Milli Matəm\u00a0Günü"),
    ("1990-1994-cü illər", "1990–1994\u2011cü\u00a0illər"),
    # Capitals (a sentence's first word, a heading in capitals) bind like lower case.
    ("Bu gün anırıq", "Bu\u00a0gün anırıq"),
    ("BİZ DƏ GƏLDİK", "BİZ\u00a0DƏ GƏLDİK"),
])
def test_azerbaijani_micro_typography(source: str, expected: str) -> None:
    result = typeset(source, "az")
    assert result.replace(NBSP, "~") == expected.replace(NBSP, "~")
    assert fold(result) == fold(source)


def test_the_fonts_have_every_azerbaijani_letter(tmp_path: Path) -> None:
    layout = load_layout(ROOT / "layouts", "memorial", ROOT / "fonts")
    letters = "ƏəĞğIıİiŞşÇçÖöÜü«»“”—"
    assert missing_glyphs({tmp_path / "az.txt": letters}, layout.fonts) == []
    assert missing_glyphs({tmp_path / "x.txt": "\u0b95"}, layout.fonts)  # the check does find a gap


@pytest.mark.parametrize(("number", "locale", "expected"), [
    (1, "en-GB", "1st"), (2, "en-GB", "2nd"), (3, "en-GB", "3rd"), (11, "en-GB", "11th"),
    (31, "en-GB", "31st"), (34, "en-GB", "34th"), (36, "ru-RU", "36-я"),
    (31, "az-AZ", "31-ci"), (34, "az-AZ", "34-cü"), (36, "az-AZ", "36-cı"), (30, "az-AZ", "30-cu"),
])
def test_ordinals_are_the_catalogs_patterns_for_cldr_forms(number: int, locale: str, expected: str) -> None:
    layout = load_layout(ROOT / "layouts", "memorial", ROOT / "fonts")
    environment = template_environment(layout, load_translations(layout.dir, locale, layout.language))
    template = environment.from_string('{% from "parts/ordinal.html" import ordinal %}{{ ordinal(value) }}')
    assert template.render(value=ordinal(number, locale)) == expected


def test_the_azerbaijani_epub_is_valid_and_in_azerbaijani(azerbaijani, tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    from tests.test_epub import Book, epubcheck_command

    _output, pdf = azerbaijani
    epub = pdf.path.with_name("booklet-az.epub")
    report = subprocess.run([*epubcheck_command(), str(epub)], capture_output=True, text=True, check=False).stdout
    assert "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos" in report, report
    book = Book(epub)
    assert [e.text for e in book.package.iter("{http://purl.org/dc/elements/1.1/}language")] == ["az"]
    (summary,) = book.meta("schema:accessibilitySummary")
    assert summary.startswith("Bu nəşrdə mündəricat")
    chronology = "".join(book.document("chronology.xhtml").itertext())
    assert "Xronologiya" in chronology and "1990 yanvar 19–20 gecəsi" in chronology.replace("\u00a0", " ")
