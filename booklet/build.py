"""The whole build, readable in one function: corpus → model → HTML → PDF files in out/."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from booklet.context import chosen_text, edition_context
from booklet.corpus import BOOKLET_FILE, CHRONOLOGY_FILE, load_corpus
from booklet.editorial import corpus_problems
from booklet.glyphs import missing_glyphs
from booklet.i18n import catalog_path, load_translations
from booklet.l10n import source_date_epoch
from booklet.layout import Layout, load_layout
from booklet.model import Booklet, Edition
from booklet.pdf import lay_out, write_pdf
from booklet.problems import BookletError, Problem, raise_if_any
from booklet.provenance import without_edits
from booklet.render import render_html


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
    output_name: str
    epoch: int
    """SOURCE_DATE_EPOCH for this build: the environment's, or the booklet's date."""


@dataclass(frozen=True)
class BuiltFile:
    path: Path
    pages: int
    size: int
    seconds: float


def select_editions(booklet: Booklet, languages: Iterable[str] | None) -> list[Edition]:
    wanted = list(languages or [])
    known = {edition.language: edition for edition in booklet.editions}
    unknown = [language for language in wanted if language not in known]
    if unknown:
        raise BookletError([Problem(booklet.root / BOOKLET_FILE, None,
                                    f"no edition '{unknown[0]}'",
                                    f"choose from: {', '.join(known)}")])
    return [known[language] for language in wanted] if wanted else list(booklet.editions)


def prepare(project: Project, languages: Iterable[str] | None = None) -> tuple[Layout, list[PreparedEdition]]:
    """Validate everything that can be validated without rendering: corpus (with its provenance,
    translations and chronology), layout, catalogs, glyphs."""
    booklet = load_corpus(project.corpus)
    layout = load_layout(project.layouts, booklet.layout, project.fonts)
    prepared, problems = [], corpus_problems(booklet)
    for edition in select_editions(booklet, languages):
        translations = load_translations(layout.dir, edition.locale)
        html = render_html(layout, edition_context(booklet, edition, layout), translations)
        problems += missing_glyphs(edition_texts(booklet, edition, layout), layout.fonts)
        prepared.append(PreparedEdition(edition, html, f"booklet-{edition.language}.pdf",
                                        source_date_epoch(booklet.date)))
    raise_if_any(problems)
    return layout, prepared


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
) -> list[BuiltFile]:
    """Check everything first, then lay out and write each edition; out/ only ever gets whole files."""
    layout, editions = prepare(project, languages)
    built = []
    for prepared in editions:
        started = time.perf_counter()
        laid_out = lay_out(prepared.html, layout.dir, (project.layouts, project.fonts), project.fonts)
        target = project.out / prepared.output_name
        write_atomically(target, write_pdf(laid_out, prepared.epoch))
        built.append(BuiltFile(target, laid_out.page_count, target.stat().st_size,
                               time.perf_counter() - started))
        on_file(built[-1])
    return built


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
