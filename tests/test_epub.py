"""EPUB editions of the shipped corpus: epubcheck, reading order, links, languages, accessibility
metadata, embedded fonts, cover image; and the single web page. That a rebuild gives the same bytes
is tested for every file, the EPUBs too, in test_cache.

epubcheck policy: the check runs Debian's `epubcheck` (Java). `make test` installs it when it is
missing and the machine allows (root with apt-get); when it is still missing the test FAILS with how
to install it. Only BOOKLET_SKIP_EPUBCHECK=1 turns that into a skip, for a machine that cannot run
Java; CI never sets it.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from booklet.build import Project, build
from tests.conftest import ROOT, add_fonts, once_per_session

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
XHTML = "{http://www.w3.org/1999/xhtml}"
EPUB_NS = "{http://www.idpf.org/2007/ops}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
STATEMENTS = ["mfa-2021", "mfa-2024", "mfa-2025", "mfa-2026", "embassy-tm-2026"]


JAVA_OPTIONS = ["-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"]
"""A client JIT and serial GC: about 3× faster on a short-lived check."""
CHECK_EACH = Path(__file__).with_name("EpubCheckEach.java")


def epubcheck_command() -> list[str]:
    if shutil.which("java") and EPUBCHECK_JAR.is_file():
        return ["java", *JAVA_OPTIONS, "-jar", str(EPUBCHECK_JAR)]
    if os.environ.get("BOOKLET_SKIP_EPUBCHECK") == "1":
        pytest.skip("epubcheck is not installed and BOOKLET_SKIP_EPUBCHECK=1")
    pytest.fail("epubcheck is not installed: run `apt-get install epubcheck` (make test does it as root), "
                "or set BOOKLET_SKIP_EPUBCHECK=1 to skip this check on a machine without Java")


def epubcheck_each(paths: dict[str, Path]) -> dict[str, str]:
    """epubcheck's report on each file, by key: all in one Java VM when a JDK can run
    EpubCheckEach.java (≈ 40 % less CPU than a VM per file), otherwise one VM per file."""
    command = epubcheck_command()
    if shutil.which("javac"):  # the source launcher needs the JDK's compiler
        run = subprocess.run(["java", *JAVA_OPTIONS, "-cp", str(EPUBCHECK_JAR), str(CHECK_EACH),
                              *map(str, paths.values())], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             timeout=600, check=False)
        reports = dict(re.findall(r"^== (.+)\n((?:(?!== ).*\n)*)", run.stdout, re.MULTILINE))
        if set(reports) == set(map(str, paths.values())):
            return {key: reports[str(path)] for key, path in paths.items()}
    runs = {key: subprocess.Popen([*command, str(path)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
            for key, path in paths.items()}
    return {key: run.communicate(timeout=300)[0] for key, run in runs.items()}


@pytest.fixture(scope="module")
def epubcheck_reports(built_epubs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """epubcheck's report on each edition (run once per session)."""
    return once_per_session(tmp_path_factory, "epubcheck", lambda folder: epubcheck_each(built_epubs))


@pytest.mark.parametrize("language", ["en", "ru"])
def test_epubcheck_finds_no_error_and_no_warning(epubcheck_reports: dict[str, str], language: str) -> None:
    report = epubcheck_reports[language]
    assert "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos" in report, report


class Book:
    """An EPUB read as a reading system would: container → package → spine → documents."""

    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path)
        container = ElementTree.fromstring(self.zip.read("META-INF/container.xml"))
        self.opf_path = container.find(".//{*}rootfile").get("full-path")  # type: ignore[union-attr]
        self.base = self.opf_path.rsplit("/", 1)[0] + "/"
        self.package = ElementTree.fromstring(self.zip.read(self.opf_path))
        self.items = {item.get("id"): item for item in self.package.iter(f"{OPF}item")}
        self.spine = [self.items[ref.get("idref")].get("href") for ref in self.package.iter(f"{OPF}itemref")]

    def document(self, href: str) -> ElementTree.Element:
        return ElementTree.fromstring(self.zip.read(self.base + href))

    def meta(self, property_name: str) -> list[str]:
        return [m.text or "" for m in self.package.iter(f"{OPF}meta") if m.get("property") == property_name]


@pytest.fixture(scope="module")
def books(built_epubs: dict[str, Path]) -> dict[str, Book]:
    return {language: Book(path) for language, path in built_epubs.items()}


def test_the_zip_is_an_ocf_container(built_epubs: dict[str, Path]) -> None:
    for path in built_epubs.values():
        with zipfile.ZipFile(path) as archive:
            first = archive.infolist()[0]
            assert (first.filename, first.compress_type, first.extra) == ("mimetype", zipfile.ZIP_STORED, b"")
            assert archive.read("mimetype") == b"application/epub+zip"
            assert {info.date_time for info in archive.infolist()} == {(2026, 1, 20, 0, 0, 0)}


@pytest.mark.parametrize("language", ["en", "ru"])
def test_reading_order_is_the_booklets(books: dict[str, Book], language: str) -> None:
    book = books[language]
    expected = ["cover.xhtml", "title.xhtml", "nav.xhtml",
                *(f"statement-{sid}.xhtml" for sid in STATEMENTS), "chronology.xhtml", "colophon.xhtml"]
    assert book.spine == expected
    toc = book.document("nav.xhtml").find(f".//{XHTML}nav[@{EPUB_NS}type='toc']")
    assert toc is not None
    assert [a.get("href") for a in toc.iter(f"{XHTML}a")] == expected[3:]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_every_link_reaches_its_target(books: dict[str, Book], language: str) -> None:
    book = books[language]
    ids = {href: {e.get("id") for e in book.document(href).iter() if e.get("id")} for href in book.spine}
    links = [(href, a.get("href")) for href in book.spine for a in book.document(href).iter(f"{XHTML}a")]
    assert len(links) > 20
    for source, link in links:
        target, _, fragment = (link or "").partition("#")
        assert target in ids, f"{source}: {link} is not a document of the book"
        assert not fragment or fragment in ids[target], f"{source}: {link} has no such anchor"
    chronology_links = [link for source, link in links if source == "chronology.xhtml"]
    assert "statement-mfa-2025.xhtml#statement-mfa-2025" in chronology_links


@pytest.mark.parametrize("language", ["en", "ru"])
def test_language_is_declared_everywhere(books: dict[str, Book], language: str) -> None:
    book = books[language]
    assert [e.text for e in book.package.iter(f"{DC}language")] == [language]
    assert book.package.get(XML_LANG) == language
    for href in book.spine:
        root = book.document(href)
        assert (root.get("lang"), root.get(XML_LANG)) == (language, language), href
    # each statement's words carry their own language: here the edition's own translations
    for sid in STATEMENTS:
        text = book.document(f"statement-{sid}.xhtml").find(f".//{XHTML}div[@class='statement-text']")
        assert text is not None and text.get("lang") == language


def test_a_text_set_in_its_original_carries_its_language(tmp_path: Path) -> None:
    """An edition without unofficial translations sets originals: the EPUB names their language."""
    from tests.conftest import make_small_corpus

    corpus = make_small_corpus(tmp_path)
    booklet_yaml = corpus / "booklet.yaml"
    booklet_yaml.write_text(booklet_yaml.read_text(encoding="utf-8").replace(
        "{language: ru, locale: ru-RU}", "{language: ru, locale: ru-RU, unofficial_translations: false}"),
        encoding="utf-8")
    build(Project.at(ROOT, corpus=corpus, out=tmp_path / "out"), ["ru"], profiles=["epub"])
    book = Book(tmp_path / "out" / "booklet-ru.epub")
    text = book.document("statement-first.xhtml").find(f".//{XHTML}div[@class='statement-text']")
    assert text is not None and (text.get("lang"), text.get(XML_LANG)) == ("en", "en")
    colophon = " ".join("".join(book.document("colophon.xhtml").itertext()).split())
    assert "Текст на языке оригинала: перевод в это издание не включен." in colophon


@pytest.mark.parametrize("language", ["en", "ru"])
def test_accessibility_metadata(books: dict[str, Book], language: str) -> None:
    book = books[language]
    assert book.meta("schema:accessMode") == ["textual", "visual"]
    assert book.meta("schema:accessModeSufficient") == ["textual"]
    assert set(book.meta("schema:accessibilityFeature")) >= {
        "structuralNavigation", "tableOfContents", "readingOrder", "alternativeText", "displayTransformability"}
    assert book.meta("schema:accessibilityHazard") == ["noFlashingHazard", "noMotionSimulationHazard",
                                                       "noSoundHazard"]
    assert book.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    (summary,) = book.meta("schema:accessibilitySummary")
    assert summary.startswith({"en": "This edition has a table of contents",
                               "ru": "В издании есть оглавление"}[language])
    cover = book.document("cover.xhtml").find(f".//{XHTML}img")
    assert cover is not None and cover.get("alt") == {"en": "20 January: Statements on the National Mourning Day",
                                                      "ru": "20 января: Заявления ко Дню всенародной скорби"}[language]
    headings = [book.document(href).find(f".//{XHTML}h1") for href in book.spine[1:]]
    assert all(heading is not None and "".join(heading.itertext()).strip() for heading in headings)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_fonts_are_embedded_and_cover_the_text(books: dict[str, Book], language: str) -> None:
    book = books[language]
    fonts = [item.get("href") for item in book.items.values() if item.get("media-type") == "font/ttf"]
    assert len(fonts) == 6
    text = "".join("".join(book.document(href).itertext()) for href in book.spine)
    for href in fonts:
        font = TTFont(io.BytesIO(book.zip.read(book.base + href)))
        assert "SIL Open Font License" in font["name"].getDebugName(13)
        missing = {c for c in text if not c.isspace() and ord(c) not in font.getBestCmap()}
        assert not missing, f"{href} lacks {missing}"
    assert f"fonts/{Path(fonts[0]).name}" in book.zip.read(book.base + "style.css").decode()


def test_the_cover_image_is_the_cover_page(books: dict[str, Book]) -> None:
    book = books["en"]
    (cover,) = [item for item in book.items.values() if item.get("properties") == "cover-image"]
    image = Image.open(io.BytesIO(book.zip.read(book.base + cover.get("href")))).convert("L")
    assert image.width == 1200 and abs(image.height / image.width - 210 / 148) < 0.01  # A5
    histogram = image.histogram()
    dark = sum(histogram[:60]) / (image.width * image.height)
    assert dark > 0.8  # the memorial cover is dark with light type


def test_statement_text_is_the_corpus_text(books: dict[str, Book]) -> None:
    """Nothing lost between the corpus and the e-book: every paragraph, in order."""
    from booklet.editorial.markup import plain_paragraphs
    from booklet.editorial.typography import fold

    book = books["ru"]
    for sid in STATEMENTS:
        div = book.document(f"statement-{sid}.xhtml").find(f".//{XHTML}div[@class='statement-text']")
        assert div is not None
        shown = fold(" ".join("".join(child.itertext()) for child in div if child.get("class") != "outlet-note"))
        source = (ROOT / "corpus" / "statements" / f"{sid}.ru.md").read_text(encoding="utf-8")
        position = 0
        for paragraph in plain_paragraphs(source):
            position = shown.index(fold(re.sub(r"[*_]", "", paragraph)), position)


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_web_page_is_self_contained_and_in_reading_order(built_web_pages: dict[str, Path],
                                                             language: str) -> None:
    page = ElementTree.fromstring(built_web_pages[language].read_text(encoding="utf-8"))
    assert (page.get("lang"), page.tag) == (language, "html")
    ids = {element.get("id") for element in page.iter() if element.get("id")}
    links = [a.get("href") or "" for a in page.iter("a")]
    assert len(links) > 20 and all(link.startswith("#") and link[1:] in ids for link in links)
    # nothing is fetched: no external link, image, script or stylesheet; fonts are data URLs
    assert not [e for e in page.iter() if e.tag in ("img", "script", "link", "iframe")]
    style = "".join(e.text or "" for e in page.iter("style"))
    assert style.count("url(\"data:font/ttf;base64,") == 6 and "url(\"fonts/" not in style
    sections = [e.get("id") for e in page.iter("section") if e.get("id")]
    assert sections == [*(f"statement-{sid}" for sid in STATEMENTS), "chronology", "colophon"]
    assert [h.tag for h in page.iter() if h.tag in ("h1", "h2")][:2] == ["h1", "h2"]
    assert len([h for h in page.iter("h1")]) == 1
    for sid in STATEMENTS:
        text = page.find(f".//section[@id='statement-{sid}']/div[@class='statement-text']")
        assert text is not None and text.get("lang") == language


def colours_in(css: str) -> set[str]:
    """Every colour a stylesheet writes (#rgb, #rrggbb, rgb(), named colours aside)."""
    return {m.lower() for m in re.findall(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|rgba?\([^)]*\)", css)}


def test_the_epub_and_web_page_colours_are_the_layouts_palette(books: dict[str, Book],
                                                               built_web_pages: dict[str, Path]) -> None:
    """One source of truth: every colour of the EPUB's stylesheet and the web page's is a palette
    colour of layout.yaml (grey small matter, the accent of dates, the chronology's rule), and the
    headings take the reader's text colour, as every heading of the print file is set in ink."""
    from booklet.typeset.layout import load_layout

    palette = load_layout(ROOT / "layouts", "memorial", ROOT / "fonts").colours
    for language, book in books.items():
        css = book.zip.read(book.base + "style.css").decode()
        assert colours_in(css) == {palette["grey"], palette["accent"], palette["rule"]}, language
        assert not re.search(r"\bh1\s*\{[^}]*\bcolor", css)
        page = built_web_pages[language].read_text(encoding="utf-8")
        assert colours_in(page.split("</style>")[0]) == colours_in(css)


def test_a_changed_palette_changes_the_epub(tmp_path: Path) -> None:
    """The palette of a copied layout changed in layout.yaml alone: the EPUB's stylesheet follows."""
    from booklet.build import prepare

    root = tmp_path / "variant"
    shutil.copytree(ROOT / "layouts", root / "layouts")
    add_fonts(root)
    manifest = root / "layouts" / "memorial" / "layout.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"#7b1e22"', '"#225588"'), encoding="utf-8")
    (edition, *_) = prepare(Project(root, ROOT / "corpus", root / "out"), ["en"]).editions
    css = dict(edition.epub.texts)["style.css"]
    assert "#225588" in css and "#7b1e22" not in css
