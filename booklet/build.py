"""The whole build, readable in one function: corpus → model → HTML → PDF files in out/."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from booklet.context import chosen_text, edition_context
from booklet.corpus import BOOKLET_FILE, BOOKLET_KEYS, CHRONOLOGY_FILE, CorpusLoader, booklet_settings, load_corpus
from booklet.editorial import Review, review, statement_checks
from booklet.glyphs import missing_glyphs
from booklet.i18n import catalog_path, load_translations
from booklet.layout import Layout, PageGeometry, load_layout
from booklet.model import Booklet, Edition
from booklet.pdf import lay_out
from booklet.preflight import preflight
from booklet.problems import BookletError, Problem, display_path, raise_if_any
from booklet.profiles import PROFILES, write_profiles
from booklet.proof import contact_sheet
from booklet.provenance import without_edits
from booklet.render import render_html
from booklet.yamlschema import MappingReader, compose_yaml, key_line, text


@dataclass(frozen=True)
class Project:
    """Where a project's parts are; the corpus and output folders can be moved by options."""

    root: Path
    corpus: Path
    out: Path

    @classmethod
    def at(cls, root: Path, corpus: Path | None = None, out: Path | None = None) -> Project:
        return cls(root=root, corpus=corpus or root / "corpus", out=out or root / "out")

    @property
    def layouts(self) -> Path:
        return self.root / "layouts"

    @property
    def fonts(self) -> Path:
        return self.root / "fonts"


@dataclass(frozen=True)
class PreparedEdition:
    """An edition checked and rendered to HTML: everything but the PDF."""

    edition: Edition
    html: str


@dataclass(frozen=True)
class Preparation:
    """Everything checked before typesetting: the layout, each edition's HTML, the editorial review."""

    layout: Layout
    page: PageGeometry
    editions: list[PreparedEdition]
    review: Review


@dataclass(frozen=True)
class BuiltFile:
    path: Path
    profile: str
    pages: int
    size: int
    seconds: float
    """Writing and preflighting this file; the edition's layout is reported once, by on_layout."""


def select_editions(booklet: Booklet, languages: Iterable[str] | None) -> list[Edition]:
    wanted = list(languages or [])
    known = {edition.language: edition for edition in booklet.editions}
    unknown = [language for language in wanted if language not in known]
    if unknown:
        raise BookletError([Problem(booklet.root / BOOKLET_FILE, None,
                                    f"no edition '{unknown[0]}'",
                                    f"choose from: {', '.join(known)}")])
    return [known[language] for language in wanted] if wanted else list(booklet.editions)


def prepare(project: Project, languages: Iterable[str] | None = None) -> Preparation:
    """Validate everything that can be validated without rendering: corpus (with its provenance,
    translations and chronology), layout, catalogs, glyphs."""
    loader = CorpusLoader(project.corpus)
    problems: list[Problem] = []
    try:
        booklet = load_corpus(project.corpus, loader)
    except BookletError as error:
        # Report everything at once: each statement that could be read is still checked on its
        # own (provenance, parity), and so is the layout.
        problems += error.problems
        problems += [p for statement in loader.loaded for p in statement_checks(None, statement)]
        try:
            layout_name = booklet_settings(project.corpus)[2]
            load_layout(project.layouts, layout_name, project.fonts)
        except BookletError as layout_error:
            problems += [p for p in layout_error.problems if p not in problems]
        raise BookletError(problems) from None
    editorial = review(booklet)
    problems += editorial.problems
    try:
        layout = load_layout(project.layouts, booklet.layout, project.fonts)
        page = page_geometry(booklet, layout)
    except BookletError as error:
        raise BookletError([*problems, *error.problems]) from None
    prepared = []
    for edition in select_editions(booklet, languages):
        translations = load_translations(layout.dir, edition.locale, layout.language)
        html = render_html(layout, edition_context(booklet, edition, layout, page), translations)
        problems += missing_glyphs(edition_texts(booklet, edition, layout), layout.fonts)
        prepared.append(PreparedEdition(edition, html))
    raise_if_any(problems)
    return Preparation(layout, page, prepared, editorial)


def project_page(project: Project) -> PageGeometry:
    """The page geometry a project's PDFs must have, reading only what says it: booklet.yaml's
    `layout` and `page_size`, and that layout's layout.yaml (for preflight of existing files)."""
    path = project.corpus / BOOKLET_FILE
    problems: list[Problem] = []
    fields = MappingReader(compose_yaml(path), path, problems, BOOKLET_KEYS)
    layout_name = fields.get("layout", text, default="memorial")
    page_size = fields.get("page_size", text, default=None)
    raise_if_any([problem for problem in problems if problem.line in (fields.line("layout"), fields.line("page_size"))])
    layout = load_layout(project.layouts, layout_name, project.fonts)
    return _page_of(layout, page_size, path)


def page_geometry(booklet: Booklet, layout: Layout) -> PageGeometry:
    """The page size booklet.yaml asks for, as the layout defines it."""
    return _page_of(layout, booklet.page_size, booklet.root / BOOKLET_FILE)


def _page_of(layout: Layout, page_size: str | None, path: Path) -> PageGeometry:
    page = layout.page(page_size)
    if page is None:
        known = ", ".join(size.name for size in layout.page_sizes)
        raise BookletError([Problem(path, key_line(path, "page_size"),
                                    f"the layout '{layout.name}' has no page size '{page_size}'",
                                    f"choose one of: {known} (or add it to {display_path(layout.manifest)})")])
    return page


def edition_texts(booklet: Booklet, edition: Edition, layout: Layout) -> dict[Path, str]:
    """Every file whose characters the edition prints, for the glyph check."""
    files = [booklet.root / BOOKLET_FILE, booklet.root / CHRONOLOGY_FILE]
    files += [s.path for s in booklet.statements]
    files.append(catalog_path(layout.dir, edition.language))
    texts = {path: path.read_text(encoding="utf-8") for path in files if path.is_file()}
    texts.update({s.path: without_edits(texts[s.path]) for s in booklet.statements})
    texts.update({text.path: text.markdown for text in (chosen_text(s, edition) for s in booklet.statements)})
    return texts


def build(
    project: Project, languages: Iterable[str] | None = None,
    on_file: Callable[[BuiltFile], None] = lambda built: None,
    profiles: Iterable[str] | None = None, creep_mm: float = 0.0,
    on_layout: Callable[[str, int, float], None] = lambda language, pages, seconds: None,
) -> list[BuiltFile]:
    """Check everything first, then lay out each edition once and derive its profiles' files.

    Every file is preflighted in memory; out/ gets them only if all pass, and only whole files.
    """
    preparation = prepare(project, languages)
    layout = preparation.layout
    wanted = tuple(profile for profile in PROFILES if profile in set(profiles or PROFILES))
    pending, problems = [], []
    for prepared in preparation.editions:
        started = time.perf_counter()
        laid_out = lay_out(prepared.html, layout.dir, (project.layouts, project.fonts), project.fonts,
                           layout.hyphenation)
        on_layout(prepared.edition.language, laid_out.page_count, time.perf_counter() - started)
        for file in write_profiles(laid_out, prepared.edition.language, wanted, creep_mm):
            target = project.out / file.name
            started = time.perf_counter()
            problems += preflight(file.data, target, file.profile, project.fonts, preparation.page)
            seconds = file.seconds + time.perf_counter() - started
            pending.append((file.data, BuiltFile(target, file.profile, file.pages, len(file.data), seconds)))
    raise_if_any(problems)
    for data, built in pending:
        write_atomically(built.path, data)
        on_file(built)
    return [built for _data, built in pending]


def write_proofs(project: Project, languages: Iterable[str] | None,
                 profile: str) -> list[tuple[Path, BuiltFile]]:
    """Build one profile of the editions and write a contact sheet of each beside its PDF."""
    proofs = []
    for built in build(project, languages, profiles=[profile]):
        sheet = built.path.with_name(f"{built.path.stem}-proof.png")
        write_atomically(sheet, contact_sheet(built.path.read_bytes()))
        proofs.append((sheet, built))
    return proofs


def write_atomically(target: Path, data: bytes) -> None:
    """Write beside the target and rename, so a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
