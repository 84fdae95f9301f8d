"""The whole build, readable in one function: corpus → model → HTML → PDF files in out/."""

from __future__ import annotations

import gc
import multiprocessing
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from booklet.cache import (
    GEOMETRIES,
    BuildCache,
    CachedFile,
    build_key,
    digest_bytes,
    key_of,
    toolchain_digest,
    tree_digest,
)
from booklet.corpus.loader import (
    BOOKLET_FILE,
    BOOKLET_KEYS,
    CHRONOLOGY_FILE,
    CorpusLoader,
    booklet_settings,
    corpus_warnings,
    load_corpus,
)
from booklet.corpus.model import Booklet, Edition
from booklet.corpus.provenance import without_edits
from booklet.corpus.yamlschema import MappingReader, compose_yaml, key_line, text
from booklet.editorial.checks import Review, review, statement_checks, uncited_warnings
from booklet.editorial.context import chosen_text, edition_context
from booklet.editorial.i18n import catalog_path, load_translations
from booklet.editorial.markup import references_read
from booklet.editorial.render import render_html
from booklet.press.epub import EpubSources, package_epub, render_epub, render_web_page
from booklet.press.impose import MM, SHEETS_MM, fitting_sheet
from booklet.press.preflight import preflight
from booklet.press.profiles import ProfileFile, write_profiles
from booklet.press.proof import contact_sheet, page_png
from booklet.press.publish import check_output_folder, check_output_place, nothing_written, publish
from booklet.problems import BookletError, Problem, display_path, raise_if_any
from booklet.project import EPUB, HTML, OUTPUTS, Project, check_project_folders, file_name
from booklet.stopwatch import StageTime, Stopwatch
from booklet.typeset.glyphs import missing_glyphs
from booklet.typeset.layout import Layout, PageGeometry, load_layout
from booklet.typeset.pdf import lay_out, page_pdf
from booklet.typeset.setter import ComposerMemo, GeometryStore, Typesetting, composer_enabled

COVER_WIDTH_PX = 1200
"""The EPUB's cover image: the PDF's cover page at this width (about 200 dpi on A5)."""


@dataclass(frozen=True)
class PreparedEdition:
    """An edition checked and rendered to HTML (and the EPUB's texts): everything but the files."""

    edition: Edition
    html: str
    epub: EpubSources | None
    """None when neither the EPUB nor the web page is wanted."""
    web_page: str | None
    """None when the web page is not wanted."""


@dataclass(frozen=True)
class Preparation:
    """Everything checked before typesetting: the layout, each edition's HTML, the editorial review."""

    layout: Layout
    page: PageGeometry
    editions: list[PreparedEdition]
    review: Review
    warnings: tuple[Problem, ...] = ()
    """What the editor should know but that does not stop a build (e.g. no imprint)."""
    drafts: tuple[str, ...] = ()
    """Statements in statements/ that booklet.yaml does not list (checked, not printed)."""


@dataclass(frozen=True)
class BuiltFile:
    path: Path
    profile: str
    pages: int
    size: int
    seconds: float
    """Writing and preflighting this file; the edition's layout is reported once, by on_edition."""


@dataclass(frozen=True)
class TypesetEdition:
    """One edition laid out and written (or taken from the cache), with everything it found."""

    language: str
    pages: int
    files: list[ProfileFile]
    problems: list[Problem]
    times: list[StageTime]
    from_cache: bool = False
    typesetting: Typesetting | None = None
    """What the composer did (booklet.typeset.setter); None when the files came from the cache."""

    @property
    def layout_seconds(self) -> float:
        return sum(t.seconds for t in self.times if t.stage == "layout")


def select_editions(booklet: Booklet, languages: Iterable[str] | None) -> list[Edition]:
    wanted = list(languages or [])
    known = {edition.language: edition for edition in booklet.editions}
    unknown = [language for language in wanted if language not in known]
    if unknown:
        raise BookletError([Problem(booklet.root / BOOKLET_FILE, None,
                                    f"no edition '{unknown[0]}'",
                                    f"choose from: {', '.join(known)}")])
    return [known[language] for language in wanted] if wanted else list(booklet.editions)


def prepare(project: Project, languages: Iterable[str] | None = None,
            stopwatch: Stopwatch | None = None, outputs: Iterable[str] | None = None) -> Preparation:
    """Validate everything that can be validated without rendering: corpus (with its provenance,
    translations and chronology), layout, catalogs, glyphs. The EPUB's texts and the web page are
    rendered when `outputs` (default: all) want them."""
    stopwatch = stopwatch or Stopwatch()
    wanted = set(OUTPUTS if outputs is None else outputs)
    with stopwatch.measure("", "load+check"):
        booklet, layout, page, editorial, problems, drafts = _checked(project)
    prepared = []
    for edition in select_editions(booklet, languages):
        with stopwatch.measure(edition.language, "render HTML"):
            translations = load_translations(layout.dir, edition.locale, layout.language)
            context = edition_context(booklet, edition, layout, page, editorial.evidence)
            html = render_html(layout, context, translations)
            problems += missing_glyphs(edition_texts(booklet, edition, layout), layout.fonts)
        epub, web_page = None, None
        if wanted & {EPUB, HTML}:
            with stopwatch.measure(edition.language, "render EPUB"):
                epub = render_epub(context, layout, translations)
        if HTML in wanted:
            with stopwatch.measure(edition.language, "render web page"):
                web_page = render_web_page(context, layout, translations)
        prepared.append(PreparedEdition(edition, html, epub, web_page))
    raise_if_any(problems)
    warnings = [*corpus_warnings(booklet), *uncited_warnings(booklet, editorial.uncited), *drafts]
    return Preparation(layout, page, prepared, editorial, tuple(warnings),
                       tuple(statement.id for statement in booklet.unlisted))


def project_page(project: Project) -> PageGeometry:
    """The page geometry a project's PDFs must have, reading only what says it: booklet.yaml's
    `layout` and `page_size`, and that layout's layout.yaml (for preflight of existing files)."""
    check_project_folders(project)
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


def _checked(project: Project) -> tuple[Booklet, Layout, PageGeometry, Review, list[Problem], list[Problem]]:
    """Load and check the corpus and the layout, reporting every problem of both at once: when
    the corpus has errors, each statement that could be read is still checked on its own
    (provenance, parity), and the layout too. Statement files booklet.yaml does not list are
    checked as well; their problems come back apart, as warnings (a draft in progress does not
    stop the booklet)."""
    check_project_folders(project)
    loader = CorpusLoader(project.corpus)
    problems: list[Problem] = []
    try:
        booklet = load_corpus(project.corpus, loader)
    except BookletError as error:
        problems += error.problems
        problems += [p for statement in loader.loaded for p in statement_checks(None, statement)]
        problems += [_draft(p) for p in loader.draft_problems]
        try:
            load_layout(project.layouts, booklet_settings(project.corpus)[2], project.fonts)
        except BookletError as layout_error:
            problems += [p for p in layout_error.problems if p not in problems]
        raise BookletError(problems) from None
    editorial = review(booklet)
    problems += editorial.problems
    drafts = [_draft(p) for p in [*loader.draft_problems,
                                  *(p for s in booklet.unlisted for p in statement_checks(booklet, s))]]
    try:
        layout = load_layout(project.layouts, booklet.layout, project.fonts)
        page = page_geometry(booklet, layout)
    except BookletError as error:
        raise BookletError([*problems, *error.problems, *drafts]) from None
    return booklet, layout, page, editorial, problems, drafts


def _check_imposable(page: PageGeometry, project: Project) -> None:
    """The imposed file needs an office sheet holding two pages: said before anything is laid out."""
    if fitting_sheet(page.width * MM, page.height * MM) is None:
        booklet = project.corpus / BOOKLET_FILE
        sheets = ", ".join(f"{name} ({width:g} × {height:g} mm)" for name, width, height in SHEETS_MM)
        raise BookletError([Problem(
            booklet, key_line(booklet, "page_size"),
            f"pages of {page.width:g} × {page.height:g} mm ({page.name}) are too large to impose two to a "
            f"sheet on an office printer's largest sheets: {sheets}",
            "build the other files only (`--profile print --profile screen --profile epub --profile html`), "
            "or choose a smaller page_size")])


def _draft(problem: Problem) -> Problem:
    """A problem of a statement not listed yet: said so, for the editor finishing it."""
    return Problem(problem.path, problem.line, f"{problem.message} (statement not listed yet)", problem.fix)


def edition_texts(booklet: Booklet, edition: Edition, layout: Layout) -> dict[Path, str]:
    """Every file whose characters the edition prints, for the glyph check."""
    files = [booklet.root / BOOKLET_FILE, booklet.root / CHRONOLOGY_FILE]
    files += [s.path for s in booklet.statements]
    files.append(catalog_path(layout.dir, edition.language))
    texts = {path: path.read_text(encoding="utf-8") for path in files if path.is_file()}
    texts.update({s.path: without_edits(texts[s.path]) for s in booklet.statements})
    texts.update({text.path: references_read(text.markdown)  # `&#x1F600;` prints a glyph too
                  for text in (chosen_text(s, edition) for s in booklet.statements)})
    return texts


def build(
    project: Project, languages: Iterable[str] | None = None,
    on_file: Callable[[BuiltFile], None] = lambda built: None,
    profiles: Iterable[str] | None = None, creep_mm: float = 0.0,
    on_edition: Callable[[TypesetEdition], None] = lambda edition: None,
    on_warning: Callable[[Problem], None] = lambda warning: None,
    jobs: int = 1, cache: BuildCache | None = None, stopwatch: Stopwatch | None = None,
    memo: ComposerMemo | None = None,
) -> list[BuiltFile]:
    """Check everything first, then lay out each edition once and derive its profiles' files.

    Editions are typeset in up to `jobs` processes (WeasyPrint does not scale with threads) and
    taken from `cache` when their HTML, layout, fonts and toolchain are unchanged; a process that
    builds again and again (`booklet watch`) keeps skeletons and compositions in a `memo`. Either
    way the bytes are those of a serial, uncached build. Every file is preflighted in memory; out/
    gets them only if all pass, and all together (booklet.press.publish).
    """
    stopwatch = stopwatch or Stopwatch()
    files = make_files(project, languages, profiles, creep_mm, on_edition, jobs, cache, stopwatch, on_warning,
                       memo)
    with stopwatch.measure("", "write out/"):
        publish(project.out, {file.name: file.data for file in files})
    for file in files:
        on_file(_built(project, file))
    return [_built(project, file) for file in files]


def make_files(
    project: Project, languages: Iterable[str] | None, profiles: Iterable[str] | None, creep_mm: float,
    on_edition: Callable[[TypesetEdition], None] = lambda edition: None,
    jobs: int = 1, cache: BuildCache | None = None, stopwatch: Stopwatch | None = None,
    on_warning: Callable[[Problem], None] = lambda warning: None, memo: ComposerMemo | None = None,
) -> list[ProfileFile]:
    """Every file of the build, preflighted, in memory; out/ untouched. Raises with every problem."""
    try:
        return _make_files(project, languages, profiles, creep_mm, on_edition, jobs, cache,
                           stopwatch or Stopwatch(), on_warning, memo)
    except BookletError as error:
        raise error.with_state(nothing_written(project.out)) from None


def _make_files(
    project: Project, languages: Iterable[str] | None, profiles: Iterable[str] | None, creep_mm: float,
    on_edition: Callable[[TypesetEdition], None], jobs: int, cache: BuildCache | None, stopwatch: Stopwatch,
    on_warning: Callable[[Problem], None], memo: ComposerMemo | None,
) -> list[ProfileFile]:
    wanted = tuple(profile for profile in OUTPUTS if profile in set(profiles or OUTPUTS))
    with stopwatch.measure("", "cache lookup"):
        whole_key = build_key(project, languages, wanted, creep_mm) if cache else ""
    preparation = prepare(project, languages, stopwatch, wanted)
    if "imposed" in wanted:
        _check_imposable(preparation.page, project)
    for warning in preparation.warnings:
        on_warning(warning)
    check_output_place(project)
    check_output_folder(project.out, [file_name(prepared.edition.language, profile)  # before the layout
                                      for prepared in preparation.editions for profile in wanted])
    keys = {prepared.edition.language: edition_key(project, preparation.layout, prepared, wanted, creep_mm)
            for prepared in preparation.editions} if cache else {}
    done, jobs_to_do = {}, []
    geometries = GeometryStore(cache.folder / GEOMETRIES, key_of(toolchain_digest(), tree_digest(
        preparation.layout.dir, project.fonts))) if cache else None
    for prepared in preparation.editions:
        cached = cache.lookup("editions", keys[prepared.edition.language]) if cache else None
        if cache and cached is not None:
            done[prepared.edition.language] = _from_cache(cache, prepared, cached)
        else:
            jobs_to_do.append(_EditionJob(project, preparation.layout, preparation.page, prepared, wanted,
                                          creep_mm, memo, geometries))
    for typeset in _typeset_all(jobs_to_do, jobs, on_edition):
        done[typeset.language] = typeset
        if cache and not typeset.problems:
            cache.store("editions", keys[typeset.language], _cached(typeset.files))
    results = [done[prepared.edition.language] for prepared in preparation.editions]
    for typeset in results:
        stopwatch.times += typeset.times
        if typeset.from_cache:
            on_edition(typeset)
    raise_if_any([problem for typeset in results for problem in typeset.problems])
    files = [file for typeset in results for file in typeset.files]
    if cache:
        cache.store("builds", whole_key, _cached(files))
        cache.prune()
    return files


def edition_key(project: Project, layout: Layout, prepared: PreparedEdition, profiles: tuple[str, ...],
                creep_mm: float) -> str:
    """What an edition's files depend on: its HTML, the layout's and fonts' files, the toolchain."""
    return key_of(toolchain_digest(), tree_digest(layout.dir, project.fonts), ",".join(profiles),
                  repr(creep_mm), f"composer={composer_enabled()}", prepared.html,
                  *(text for _path, text in (prepared.epub.texts if prepared.epub else ())), prepared.web_page or "")


def _built(project: Project, file: ProfileFile) -> BuiltFile:
    return BuiltFile(project.out / file.name, file.profile, file.pages, len(file.data), file.seconds)


def _cached(files: list[ProfileFile]) -> Iterator[tuple[CachedFile, bytes]]:
    for file in files:
        yield CachedFile(file.name, file.profile, file.pages, digest_bytes(file.data)), file.data


@dataclass(frozen=True)
class _EditionJob:
    project: Project
    layout: Layout
    page: PageGeometry
    prepared: PreparedEdition
    profiles: tuple[str, ...]
    creep_mm: float
    memo: ComposerMemo | None = None
    geometries: GeometryStore | None = None


def _typeset_all(jobs: list[_EditionJob], processes: int,
                 on_edition: Callable[[TypesetEdition], None]) -> Iterator[TypesetEdition]:
    """Typeset the editions one after the other, or each in its own process."""
    if processes <= 1 or len(jobs) <= 1:
        for job in jobs:
            typeset = _typeset(job)
            on_edition(typeset)
            yield typeset
        return
    with _collector_spared(), ProcessPoolExecutor(min(processes, len(jobs)), mp_context=_process_context()) as pool:
        futures = [pool.submit(_typeset, job) for job in jobs]
        try:
            for future in as_completed(futures):
                typeset = future.result()
                on_edition(typeset)
                yield typeset
        except (KeyboardInterrupt, SystemExit):
            # Ctrl-C or a kill (SIGTERM, raised as SystemExit): leaving the pool would wait for every
            # layout under way to end, minutes on a large corpus. Each worker is stopped now; what
            # it was writing is in its own temporary files, and out/ was not touched yet.
            pool.shutdown(wait=False, cancel_futures=True)
            for worker in multiprocessing.active_children():
                worker.terminate()
            raise


@contextmanager
def _collector_spared() -> Iterator[None]:
    """Python's cycle collector leaves alone what exists now (modules, fonts, the corpus).

    A layout makes objects by the million, and each full collection walked every object alive,
    those too: an eighth of an edition's CPU time. Frozen before workers fork, the parent's objects
    are not walked (nor copied page by page) in the workers either. Thawed afterwards, so that
    nothing stays out of the collector's reach in a long-lived process (`booklet watch`) — unless
    the caller had frozen objects of its own: then thawing is the caller's to do."""
    thaw = gc.get_freeze_count() == 0
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        if thaw:
            gc.unfreeze()


def _process_context() -> multiprocessing.context.BaseContext:
    """Fork (no start-up cost) when this process has no other thread to inherit half-way through a
    lock; otherwise start workers from a clean server process (pytest-xdist, booklet watch)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _typeset(job: _EditionJob) -> TypesetEdition:
    """Lay out one edition, write its profiles and preflight them (in a worker process or not)."""
    with _collector_spared():
        return _typeset_spared(job)


def _typeset_spared(job: _EditionJob) -> TypesetEdition:
    project, language = job.project, job.prepared.edition.language
    stopwatch = Stopwatch()
    try:
        with stopwatch.measure(language, "layout"):
            if job.memo is not None:
                job.memo.use(tree_digest(job.layout.dir, project.fonts))
            laid_out = lay_out(job.prepared.html, job.layout.dir, (project.layouts, project.fonts), project.fonts,
                               job.layout.hyphenation, job.layout.fonts, job.memo, job.layout.exceptions,
                               job.geometries)
        typesetting = laid_out.typesetting
        booklet_file = project.corpus / BOOKLET_FILE
        raise_if_any([Problem(booklet_file, key_line(booklet_file, "title"),
                              f"the {language} edition's {name.replace('-', ' ')} runs over pages {first}–{last} "
                              "where the layout sets it on one page: a title, subtitle or place too long for it",
                              "shorten the `title:` (or `subtitle:`, or the place) of booklet.yaml for this edition")
                      for name, first, last in typesetting.overruns])
        stopwatch.times += [StageTime(language, f"layout: composer {step}", seconds, typesetting.cpu_seconds[step])
                            for step, seconds in typesetting.seconds.items()]
        cover = None
        if EPUB in job.profiles and job.prepared.epub:  # first: what it takes is used again for the PDFs
            with stopwatch.measure(language, "EPUB cover"):
                cover = page_png(page_pdf(laid_out, 0), COVER_WIDTH_PX, trim_pt=job.page.bleed * MM)
        problems: list[Problem] = []

        def preflighted_file(file: ProfileFile) -> ProfileFile:
            """Preflight a file as soon as it is written; its PDF objects are not kept."""
            with stopwatch.measure(language, f"preflight {file.profile}"):
                started = time.perf_counter()
                problems.extend(preflight(file.data, project.out / file.name, file.profile, project.fonts, job.page,
                                          file.objects))
                return ProfileFile(file.profile, file.name, file.data, file.pages,
                                   file.seconds + time.perf_counter() - started)

        preflighted = write_profiles(laid_out, language, job.profiles, job.creep_mm, stopwatch, job.layout.palette,
                                     preflighted_file)
        page_count = laid_out.page_count
        del laid_out  # every page's boxes (≈ 1 MB a page) go before the EPUB is packed
        if cover is not None and job.prepared.epub:
            with stopwatch.measure(language, "write EPUB"):
                epub = package_epub(job.prepared.epub, cover)
            cover_seconds = next(t.seconds for t in stopwatch.times if t.stage == "EPUB cover")
            preflighted.append(ProfileFile(EPUB, file_name(language, EPUB), epub.data, epub.documents,
                                           cover_seconds + stopwatch.times[-1].seconds))
        if HTML in job.profiles and job.prepared.web_page is not None and job.prepared.epub:
            preflighted.append(ProfileFile(HTML, file_name(language, HTML), job.prepared.web_page.encode(),
                                           job.prepared.epub.documents - 1, 0.0))
        return TypesetEdition(language, page_count, preflighted, problems, stopwatch.times, typesetting=typesetting)
    except BookletError as error:  # carried back whole: an exception crossing processes loses its problems
        return TypesetEdition(language, 0, [], list(error.problems), stopwatch.times)


def _from_cache(cache: BuildCache, prepared: PreparedEdition, files: list[CachedFile]) -> TypesetEdition:
    language = prepared.edition.language
    stopwatch = Stopwatch()
    with stopwatch.measure(language, "from cache"):
        typeset = [ProfileFile(f.profile, f.name, cache.data(f), f.pages, 0.0) for f in files]
    screen_pages = next((f.pages for f in files if f.profile == "screen"), files[0].pages if files else 0)
    return TypesetEdition(language, screen_pages, typeset, [], stopwatch.times, from_cache=True)


def write_proofs(project: Project, languages: Iterable[str] | None,
                 profile: str) -> list[tuple[Path, BuiltFile]]:
    """Build one profile of the editions and write a contact sheet of each beside its PDF, all
    published together."""
    files = make_files(project, languages, [profile], 0.0)
    published = {file.name: file.data for file in files}
    proofs = []
    for file in files:
        built = _built(project, file)
        sheet = built.path.with_name(f"{built.path.stem}-proof.png")
        published[sheet.name] = contact_sheet(file.data)
        proofs.append((sheet, built))
    publish(project.out, published)
    return proofs
