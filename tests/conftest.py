"""Shared fixtures: the real corpus built once per session, and small corpora made in tmp_path."""

from __future__ import annotations

import fcntl
import gc
import json
import multiprocessing
import os
import pickle
import re
import shutil
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TypeVar

import pytest
from pypdf import PdfReader

from booklet.build import BuiltFile, Project, TypesetEdition, build
from booklet.typeset.setter import Typesetting
from tests.pdfpages import Page, read_pages

ROOT = Path(__file__).resolve().parent.parent

if "forkserver" in multiprocessing.get_all_start_methods():
    # A test process has threads (pytest-xdist's), so a parallel build starts its workers from a
    # fork server (booklet.build._process_context), each of which would import booklet again:
    # the server imports it once, as a forked worker of `booklet build` has it already. WeasyPrint
    # is still loaded in each worker (booklet.build does not import it).
    multiprocessing.get_context("forkserver").set_forkserver_preload(["booklet.build"])


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests that read the shipped build first (otherwise in their order): with `-n 2 --dist
    worksteal` the first worker builds it at once while the second starts on the other half of the
    suite, which needs it least, instead of waiting for it."""
    items.sort(key=lambda item: "shipped_build" not in getattr(item, "fixturenames", ()))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """What earlier tests left alive (the session's builds, parsed PDFs, caches) is frozen out of the
    cycle collector's walks before each test: every full collection in a test (and each layout
    starts with one) walked all of it, a third of the suite's CPU. A test's own objects are still
    collected; the frozen ones are what lives for the session anyway."""
    gc.collect()
    gc.freeze()


@pytest.fixture(scope="session", autouse=True)
def fresh_build_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The CLI's build cache in a folder of this session, not in the checkout: every session starts
    cold, and no test sees another run's entries."""
    folder = tmp_path_factory.mktemp("booklet-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BOOKLET_CACHE_DIR", str(folder))
        yield folder


def add_fonts(root: Path) -> None:
    """The project's fonts in a test project's fonts/: hard links where the file system allows (a
    test never writes into a font), copies elsewhere. Not a link to the folder: a project folder
    that resolves outside the project is refused."""

    def link(source: str, target: str) -> None:
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)

    shutil.copytree(ROOT / "fonts", root / "fonts", copy_function=link)


def layout_geometry(size: str = "A5", layout: str = "memorial") -> dict:
    """A page size of the layout, read from its layout.yaml as plain data (never booklet's constants):
    tests that measure pages against the layout's margins and type sizes follow the layout's data."""
    import yaml

    data = yaml.safe_load((ROOT / "layouts" / layout / "layout.yaml").read_text(encoding="utf-8"))
    return {"bleed_mm": data["bleed_mm"], **data["page_sizes"][size]}


def normalised(text: str) -> str:
    """Compare texts across line breaks and hyphenation: drop white space and hyphens."""
    return re.sub(r"[\s\-\u2010\u2011\u2013\u00ad]+", "", text)


T = TypeVar("T")


_MADE: dict[tuple[Path, str], object] = {}
"""What once_per_session made or read in this process, by session folder and name."""


def once_per_session(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], T]) -> T:
    """`make(folder)` once per test session, even across pytest-xdist's workers: the first worker
    to ask makes it in a folder all workers share and pickles the result; the others wait for it
    and read it. Alone (no xdist), `make` in a fresh folder. Either way a process asks only once."""
    key = (factory.getbasetemp(), name)
    if key not in _MADE:
        _MADE[key] = _once_per_session(factory, name, make)
    return _MADE[key]  # type: ignore[return-value]


def _once_per_session(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], T]) -> T:
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return make(factory.mktemp(name))
    shared = factory.getbasetemp().parent  # the session's folder, above each worker's own
    with (shared / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = shared / f"{name}.pickle"
        if result.exists():
            return pickle.loads(result.read_bytes())
        folder = shared / name
        folder.mkdir(exist_ok=True)
        value = make(folder)
        result.write_bytes(pickle.dumps(value))
        return value


@dataclass
class BuiltPdf:
    """A built PDF, parsed only as far as a test asks: the pypdf reader, the text of each page."""

    path: Path
    shared_texts: Path | None = field(default=None, repr=False)
    """Where the page texts are kept for every worker of the session (a PDF the session shares)."""

    @cached_property
    def reader(self) -> PdfReader:
        return PdfReader(self.path)

    @cached_property
    def pages(self) -> list[str]:
        if self.shared_texts is None:
            return [page.extract_text() or "" for page in self.reader.pages]
        return once_per_file(self.shared_texts / f"{self.path.name}.json",
                             lambda: [page.extract_text() or "" for page in self.reader.pages])

    @property
    def text(self) -> str:
        return "\n".join(self.pages)


def once_per_file(path: Path, make: Callable[[], list[str]]) -> list[str]:
    """`make()` kept as JSON at `path`, made by the first worker of the session that asks for it."""
    with path.with_suffix(".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
        value = make()
        path.write_text(json.dumps(value), encoding="utf-8")
        return value


def read_pdf(path: Path) -> BuiltPdf:
    return BuiltPdf(path)


TYPESETTINGS: dict[str, Typesetting] = {}
"""What the composer did to each edition of the session's build, by language."""


def record_typesetting(into: dict[str, Typesetting]) -> Callable[[TypesetEdition], None]:
    """An `on_edition` callback keeping what the composer did to each edition, by language."""

    def record(edition: TypesetEdition) -> None:
        if edition.typesetting is not None:
            into[edition.language] = edition.typesetting

    return record


@pytest.fixture(scope="session")
def shipped_build(tmp_path_factory: pytest.TempPathFactory) -> list[BuiltFile]:
    """Every output of the shipped corpus (three PDF profiles, the EPUB and the web page per edition):
    one real build per session, shared by the xdist workers, its editions typeset in parallel
    (test_cache compares it with a serial build)."""

    def shipped(folder: Path) -> tuple[list[BuiltFile], dict[str, Typesetting]]:
        typesettings: dict[str, Typesetting] = {}
        built_files = build(Project.at(ROOT, out=folder / "out"), jobs=2, on_edition=record_typesetting(typesettings))
        (folder / "texts").mkdir()
        return built_files, typesettings

    built_files, typesettings = once_per_session(tmp_path_factory, "shipped", shipped)
    TYPESETTINGS.update(typesettings)
    return built_files


@pytest.fixture(scope="session")
def typesettings(shipped_build: list[BuiltFile]) -> dict[str, Typesetting]:
    return TYPESETTINGS


@pytest.fixture(scope="session")
def built_profiles(shipped_build: list[BuiltFile]) -> dict[str, dict[str, BuiltPdf]]:
    """Both editions' PDFs, keyed by profile, then language: built_profiles["print"]["ru"]."""
    profiles: dict[str, dict[str, BuiltPdf]] = {}
    for built_file in shipped_build:
        if built_file.path.suffix == ".pdf":
            language = built_file.path.stem.removeprefix("booklet-").removesuffix(f"-{built_file.profile}")
            texts = built_file.path.parent.parent / "texts"
            profiles.setdefault(built_file.profile, {})[language] = BuiltPdf(
                built_file.path, texts if texts.is_dir() else None)
    return profiles


@pytest.fixture(scope="session")
def built_epubs(shipped_build: list[BuiltFile]) -> dict[str, Path]:
    """Each edition's EPUB, by language."""
    return {f.path.stem.removeprefix("booklet-"): f.path for f in shipped_build if f.path.suffix == ".epub"}


@pytest.fixture(scope="session")
def built_web_pages(shipped_build: list[BuiltFile]) -> dict[str, Path]:
    """Each edition's single web page, by language."""
    return {f.path.stem.removeprefix("booklet-"): f.path for f in shipped_build if f.path.suffix == ".html"}


@pytest.fixture(scope="session")
def built(built_profiles: dict[str, dict[str, BuiltPdf]]) -> dict[str, BuiltPdf]:
    """The main reading PDF of each edition (the screen profile), by language."""
    return built_profiles["screen"]


@pytest.fixture(scope="session")
def screen_pages(built: dict[str, BuiltPdf]) -> dict[str, list[Page]]:
    """The glyphs of each edition's screen PDF (tests.pdfpages), by language: read once per worker."""
    return {language: read_pages(pdf.path) for language, pdf in built.items()}


@pytest.fixture(scope="session")
def built_print(built_profiles: dict[str, dict[str, BuiltPdf]]) -> dict[str, BuiltPdf]:
    return built_profiles["print"]


@pytest.fixture(scope="session")
def built_imposed(built_profiles: dict[str, dict[str, BuiltPdf]]) -> dict[str, BuiltPdf]:
    return built_profiles["imposed"]


SMALL_BOOKLET = """\
title: {en: Small booklet, ru: Малый сборник}
subtitle: {en: A test, ru: Проба}
editors: {en: Test editors, ru: Редакция}
date: 2026-01-20
commemorates: 1990-01-20
layout: memorial
editions:
  - {language: en, locale: en-GB}
  - {language: ru, locale: ru-RU}
statements: [first]
"""

SMALL_STATEMENT = """\
title: {en: The first statement, ru: Первое заявление}
short_title: {en: First, ru: Первое}
issuer: {en: A ministry, ru: Министерство}
outlets: [{name: Test outlet, role: published}]
date: 2024-01-20
original_language: en
texts:
  en: {file: first.en.md}
  ru: {file: first.ru.md, translated_from: en, translator: the editors}
"""

SMALL_CHRONOLOGY = """\
events:
  - id: night
    date: 1990-01-19
    end: 1990-01-20
    night: true
    label: {en: The night, ru: Ночь}
    statements: [first]
"""


def make_small_corpus(folder: Path) -> Path:
    """Write a one-statement corpus (English original, Russian translation) below folder."""
    corpus = folder / "corpus"
    (corpus / "statements").mkdir(parents=True)
    (corpus / "booklet.yaml").write_text(SMALL_BOOKLET, encoding="utf-8")
    (corpus / "chronology.yaml").write_text(SMALL_CHRONOLOGY, encoding="utf-8")
    (corpus / "statements" / "first.yaml").write_text(SMALL_STATEMENT, encoding="utf-8")
    (corpus / "statements" / "first.en.md").write_text(
        textwrap.dedent("""\
            On the night of 19-20 January 1990, 150 civilians were killed.

            We remember them.
            """), encoding="utf-8")
    (corpus / "statements" / "first.ru.md").write_text(
        "В ночь на 19–20 января 1990 года были убиты 150 мирных жителей.\n\nМы помним их.\n",
        encoding="utf-8")
    return corpus


@pytest.fixture
def small_project(tmp_path: Path) -> Project:
    """A one-statement corpus in tmp_path, using the project's real layouts and fonts."""
    return Project.at(ROOT, corpus=make_small_corpus(tmp_path), out=tmp_path / "out")


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Project:
    """The shipped corpus copied to tmp_path, for tests that break it on purpose."""
    import shutil

    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", corpus)
    return Project.at(ROOT, corpus=corpus, out=tmp_path / "out")
