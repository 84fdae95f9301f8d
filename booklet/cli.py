"""Command line: parses options and calls the stages; user errors print as `path:line: …`."""

from __future__ import annotations

import math
import os
import re
import signal
import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from booklet.cache import BuildCache, build_key
from booklet.problems import BookletError, Problem, display_path, not_a_regular_file, require_regular_file
from booklet.project import EPUB, HTML, OUTPUTS, PROFILES, Project, check_project_folders

if TYPE_CHECKING:
    from booklet.build import BuiltFile, TypesetEdition
    from booklet.typeset.setter import Typesetting

# Commands import the pipeline's stages when they run: `booklet build` with nothing to do, and
# `booklet --help`, must not pay for importing WeasyPrint, pypdf and the rest.


def reports_problems(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a BookletError into its messages on stderr and exit code 1, never a traceback.

    A file the system refuses to read or write (OSError) is reported the same way. Anything else is
    a bug in booklet: one line saying so (exit 70); BOOKLET_DEBUG=1 shows the traceback.
    """

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BookletError as error:
            _print_problems(error)
        except OSError as error:
            where = Path(error.filename) if error.filename else Path(".")
            _print_problems(BookletError([Problem(where, None, f"cannot read or write it ({error.strerror or error})",
                                         "check that the path exists and may be written")]))
        except click.ClickException:  # a mistyped command line found while running: click says so (exit 2)
            raise
        except Exception as error:
            if os.environ.get("BOOKLET_DEBUG"):
                raise
            click.echo(f"internal error: {type(error).__name__}: {error} — this is a bug in booklet; please "
                       "report it with the input that caused it (BOOKLET_DEBUG=1 shows where it happened)",
                       err=True)
            sys.exit(70)

    return run


def _print_problems(error: BookletError) -> NoReturn:
    for problem in error.problems:
        click.echo(f"error: {problem}", err=True)
    count = len(error.problems)
    state = f"; {error.state}" if error.state else ""
    click.echo(f"{count} problem{'s' if count != 1 else ''}{state}.", err=True)
    sys.exit(1)


corpus_options = [
    click.option("--project", "root", type=click.Path(file_okay=False, path_type=Path), default=".",
                 show_default=True, help="Project folder holding corpus/, layouts/ and fonts/."),
    click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None,
                 help="Corpus folder  [default: PROJECT/corpus]"),
]
edition_option = click.option(
    "--edition", "editions", multiple=True, metavar="LANG",
    help="Only this edition (language code, e.g. en); repeatable.  [default: all]")


def with_corpus_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(corpus_options):
        command = option(command)
    return command


def with_project_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The corpus options plus --edition, for the commands that typeset or check editions."""
    return with_corpus_options(edition_option(command))


def run() -> None:
    """The `booklet` command. SIGTERM (`kill`, a service manager stopping a watch) ends it the way
    Ctrl-C does: a publish under way is abandoned with out/ unchanged and temporaries removed."""
    signal.signal(signal.SIGTERM, _terminated)
    main()


def _terminated(signum: int, _frame: object) -> NoReturn:
    raise SystemExit(128 + signum)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="booklet")
def main() -> None:
    """Typeset commemorative statements from corpus/ into PDF booklets in out/."""


def _a_number(_context: click.Context, parameter: click.Parameter, value: float) -> float:
    """FloatRange lets `nan` through (no comparison with it fails): refuse it as a mistyped value."""
    if math.isnan(value):
        raise click.BadParameter("nan is not a number of millimetres", param=parameter)
    return value


profile_option = click.option(
    "--profile", "profiles", multiple=True, type=click.Choice(OUTPUTS),
    help="Only this profile: print (print shop), screen (reading), imposed (office duplex printer), "
         "epub (reflowable e-book), html (one self-contained web page); repeatable.  [default: all]")


@main.command(name="build")
@with_project_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder  [default: PROJECT/out]")
@profile_option
@click.option("--creep", "creep_mm", type=click.FloatRange(0, 5), callback=_a_number, default=0.0, show_default=True,
              metavar="MM", help="Creep compensation of the imposed file: how far the innermost "
                                 "sheet's pages move towards the fold.")
@click.option("--jobs", "-j", type=click.IntRange(1), default=None, metavar="N",
              help="Typeset up to N editions at once, each in its own process.  [default: the CPUs]")
@click.option("--no-cache", is_flag=True,
              help="Lay out and write every edition anew, ignoring and not filling PROJECT/.booklet-cache.")
@reports_problems
def build_command(root: Path, corpus: Path | None, editions: tuple[str, ...], out: Path | None,
                  profiles: tuple[str, ...], creep_mm: float, jobs: int | None, no_cache: bool) -> None:
    """Check the corpus, lay out each edition once, write its print, screen and imposed PDFs and
    its EPUB to out/ and preflight the PDFs (nothing is written unless every file passes).

    Unchanged editions come from the build cache; with nothing changed, nothing is redone."""
    started = time.perf_counter()
    project = Project.at(root, corpus, out)
    wanted = tuple(profile for profile in OUTPUTS if profile in set(profiles or OUTPUTS))
    cache = None if no_cache else BuildCache(project.cache)
    from booklet.press.publish import check_output_folder, check_output_place, nothing_written

    try:
        check_output_place(project)
        check_output_folder(project.out)  # first finish or clear what a killed build left in out/
    except BookletError as error:
        raise error.with_state(nothing_written(project.out)) from None
    if cache and (fresh := cache.up_to_date(build_key(project, editions, wanted, creep_mm), project.out)):
        click.echo(f"{display_path(project.out)} is up to date: {len(fresh)} file(s), nothing changed "
                   f"since they were built ({time.perf_counter() - started:.2f} s)")
        return
    from booklet.build import build

    click.echo(f"checking {display_path(project.corpus)} …")

    def typeset(edition: TypesetEdition) -> None:
        if edition.from_cache:
            click.echo(f"  {edition.language} edition unchanged: its files come from the cache")
        elif not edition.problems:
            click.echo(f"  laid out the {edition.language} edition: {edition.pages} pages "
                       f"in {edition.layout_seconds:.1f} s")
            if edition.typesetting is not None and edition.typesetting.layouts:
                click.echo(f"    {page_plan_summary(edition.typesetting)}")

    def progress(built: BuiltFile) -> None:
        checked = "" if built.profile in (EPUB, HTML) else ", preflight passed"
        click.echo(f"  wrote {display_path(built.path)} ({extent(built)}{checked})")

    results = build(project, editions, on_file=progress, profiles=wanted, creep_mm=creep_mm,
                    on_edition=typeset, jobs=jobs or os.cpu_count() or 1, cache=cache,
                    on_warning=lambda w: click.echo(f"warning: {w}", err=True))
    click.echo(f"\n{'file':<36} {'extent':>12} {'size':>9} {'write s':>8}")
    for built in results:
        click.echo(f"{display_path(built.path):<36} {extent(built):>12} {built.size / 1024:>7.0f} kB "
                   f"{built.seconds:>8.1f}")
    click.echo(f"{len(results)} file(s) in {time.perf_counter() - started:.1f} s")


@main.command(name="typeset-report")
@with_project_options
@reports_problems
def typeset_report(root: Path, corpus: Path | None, editions: tuple[str, ...]) -> None:
    """Lay out each edition (nothing is written) and print what the paragraph composer did: word
    spaces over the natural space, hyphens, page fill and the composer's time."""
    from booklet.build import prepare
    from booklet.typeset.pdf import lay_out
    from booklet.typeset.setter import SWITCH, composer_enabled, figures

    project = Project.at(root, corpus)
    preparation = prepare(project, editions)
    layout = preparation.layout
    if not composer_enabled():
        click.echo(f"the composer is off ({SWITCH}): WeasyPrint breaks the lines")
    for prepared in preparation.editions:
        started = time.perf_counter()
        laid_out = lay_out(prepared.html, layout.dir, (project.layouts, project.fonts), project.fonts,
                           layout.hyphenation, layout.fonts, exceptions=layout.exceptions)
        seconds = time.perf_counter() - started
        typesetting = laid_out.typesetting
        measured = figures(typesetting)
        language = prepared.edition.language
        click.echo(f"\n{language} edition: {laid_out.page_count} pages, {len(typesetting.paragraphs)} paragraphs "
                   f"composed, {measured.lines} lines")
        click.echo(f"  word space / natural, {measured.full_lines} full lines: median {measured.median:.2f}, "
                   f"95th percentile {measured.p95:.2f}, worst {measured.worst:.2f}, over 2x {measured.over_twice}")
        share = measured.hyphenated / measured.lines if measured.lines else 0.0
        click.echo(f"  hyphenated line ends {measured.hyphenated} ({share:.1%}), longest run {measured.longest_run}, "
                   f"capitalised words broken {measured.proper_names}, "
                   f"hyphens before a last line {measured.before_last}, pages ending at a hyphen {measured.page_feet} "
                   f"(paragraphs set again so that no page does: {len(typesetting.page_feet_unhyphenated)}, "
                   f"pages run a line long: {len(typesetting.long_pages)})")
        click.echo(f"  lines re-broken by the typesetter: {len(typesetting.rebroken)}; justified paragraphs "
                   f"left to it: {len(typesetting.skipped)}")
        fills = " ".join("-" if fill is None else f"{fill:.0%}" for fill in typesetting.page_fill)
        click.echo(f"  page fill (content area, page 1 to {laid_out.page_count}): {fills}")
        for line in page_plan_lines(typesetting):
            click.echo(f"  {line}")
        steps = ", ".join(f"{step} {time:.2f} s" for step, time in typesetting.seconds.items())
        click.echo(f"  time: layout {seconds:.2f} s in all; composer steps: {steps or 'none'}")


def page_plan_summary(typesetting: Typesetting) -> str:
    """The page plan in one line of the build's output (`booklet typeset-report` gives it all)."""
    plan = typesetting.plan
    emptiest = min(typesetting.sections, key=lambda section: section.fill, default=None)
    least = f"; emptiest last page p. {emptiest.last_page}, {emptiest.fill:.0%} full" if emptiest else ""
    return (f"page plan: {len(typesetting.fitted)} paragraph(s) set a line longer, {sum(plan.space.values())} "
            f"header(s) given a line's space, {len(plan.openings)} opening(s) moved, "
            f"{len(typesetting.long_pages)} page(s) run a line long, "
            f"{len(plan.fillers or ())} designed page(s) for the print file{least}")


def page_plan_lines(typesetting: Typesetting) -> list[str]:
    """What the page plan did to an edition, for the report: last pages, openings moved,
    paragraphs set longer, header space, the pages that fill the print file."""
    plan = typesetting.plan
    ends = ", ".join(f"p. {section.last_page} {section.fill:.0%}" for section in typesetting.sections)
    layouts = f"{typesetting.layouts} layout{'s' if typesetting.layouts != 1 else ''}"
    lines = [f"page plan ({layouts}): sections end on {ends or 'no page'}"]
    moved = {how: sum(value == how for value in plan.openings.values()) for how in ("page", "run-on")}
    lines.append(f"  openings: {moved['page']} on the next page instead of after a blank page, "
                 f"{moved['run-on']} run on after the statement before")
    lines.append(f"  paragraphs the fitter changed: {len(typesetting.fitted) or 'none'}")
    lines += [f"    p. {fitted.page} “{fitted.words.strip()}…”: {fitted.lines_before} → {fitted.lines_after} lines, "
              f"loosest word space {fitted.worst:.2f}" for fitted in typesetting.fitted]
    lines.append(f"  header space added: {sum(plan.space.values())} line(s); designed pages added for the print "
                 f"file's multiple of 4: {len(plan.fillers or ())}")
    long = ", ".join(f"p. {page}" for page in typesetting.long_pages)
    lines.append(f"  pages run a line long, so as not to end at a hyphen: {long or 'none'}")
    balanced = ", ".join(f"p. {page}" for page in typesetting.balanced)
    lines.append(f"  pages run over onto that took units from the page before: {balanced or 'none'}")
    return lines


def extent(built: BuiltFile) -> str:
    """Pages of a PDF; content documents (statements, contents, chronology…) of an EPUB; sections
    of the web page."""
    if built.profile == HTML:
        return f"{built.pages} sections"
    return f"{built.pages} documents" if built.profile == EPUB else f"{built.pages} pages"


@main.command()
@with_project_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder  [default: PROJECT/out]")
@click.option("--profile", "profiles", multiple=True, type=click.Choice(PROFILES), default=["screen"],
              show_default=True, help="Which files to keep up to date; repeatable.")
def watch(root: Path, corpus: Path | None, editions: tuple[str, ...], out: Path | None,
          profiles: tuple[str, ...]) -> None:
    """Rebuild the screen PDF of each edition whose text, layout or fonts change, on every save.

    Errors are reported as `path:line: …` and the watch goes on; each rebuild prints its time."""
    from booklet.press.publish import check_output_place
    from booklet.watch import watch_project

    project = Project.at(root, corpus, out)
    wanted = tuple(profile for profile in PROFILES if profile in set(profiles))
    reports_problems(check_output_place)(project)  # before watching: its own files would set it off (exit 1)
    try:
        watch_project(project, editions, wanted, BuildCache(project.cache), click.echo)
    except KeyboardInterrupt:
        click.echo("stopped")


@main.command(name="preflight")
@click.argument("files", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--profile", type=click.Choice(PROFILES), default=None,
              help="Rules to apply  [default: from the file name, booklet-LANG-PROFILE.pdf]")
@click.option("--fonts", "fonts_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="The only fonts the PDFs may contain  [default: PROJECT/fonts]")
@with_corpus_options
@reports_problems
def preflight_command(files: tuple[Path, ...], profile: str | None, fonts_dir: Path | None, root: Path,
                      corpus: Path | None) -> None:
    """Check PDFs: page size and boxes, page count, fonts, PDF/UA structure (screen), image
    resolution (print), links and bookmarks. Each failure names the page and the rule.

    The page size and bleed expected are the project's (booklet.yaml `page_size`, layout.yaml)."""
    from booklet.build import project_page
    from booklet.press.preflight import preflight, profile_of
    from booklet.problems import raise_if_any
    from booklet.typeset.layout import font_folder_problems

    project = Project.at(root, corpus)
    fonts_dir = fonts_dir or project.fonts
    raise_if_any(font_folder_problems(fonts_dir))
    page = project_page(project)
    problems: list[Problem] = []
    for path in files:
        chosen = profile or profile_of(path)
        if chosen is None:
            problems.append(Problem(path, None, "cannot tell the profile from the file name",
                                    "pass --profile print|screen|imposed"))
            continue
        if kind := not_a_regular_file(path):
            problems.append(Problem(path, None, f"is {kind}, not a PDF file", "name the PDF files to check"))
            continue
        found = preflight(path.read_bytes(), path, chosen, fonts_dir, page)
        problems += found
        if not found:
            click.echo(f"{display_path(path)}: {chosen} preflight passed")
    if problems:
        raise BookletError(problems)


@main.command()
@with_project_options
@click.option("--profile", type=click.Choice(PROFILES), default="print", show_default=True,
              help="Which file of the edition to show.")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder  [default: PROJECT/out]")
@reports_problems
def proof(root: Path, corpus: Path | None, editions: tuple[str, ...], profile: str,
          out: Path | None) -> None:
    """Build the edition(s) and render all pages of one profile to a contact sheet PNG in out/."""
    from booklet.build import write_proofs

    for sheet, built in write_proofs(Project.at(root, corpus, out), editions, profile):
        click.echo(f"wrote {display_path(sheet)} ({built.pages} pages of {display_path(built.path)})")


@main.command()
@with_project_options
@reports_problems
def check(root: Path, corpus: Path | None, editions: tuple[str, ...]) -> None:
    """Validate corpus, layout, catalogs and glyphs without rendering any PDF.

    Also proves each text is its source with the declared edits applied, that translations carry
    their original's figures and that the chronology's citations hold; where sources disagree it
    prints warnings (exit status 0: the texts are kept as issued).
    """
    from booklet.build import prepare
    from booklet.editorial.report import warning_lines

    preparation = prepare(Project.at(root, corpus), editions)
    for warning in preparation.warnings:
        click.echo(f"warning: {warning}", err=True)
    for line in warning_lines(preparation.review.findings):
        click.echo(f"warning: {line}", err=True)
    languages = ", ".join(p.edition.language for p in preparation.editions)
    drafts = ", ".join(preparation.drafts)
    click.echo(f"corpus is valid; editions checked: {languages}"
               + (f"; not listed, not printed: {drafts}" if drafts else ""))


@main.command()
@with_corpus_options
@click.option("--format", "form", type=click.Choice(["md", "html"]), default="md", show_default=True,
              help="Markdown or a standalone HTML page.")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the report to this file  [default: print it]")
@reports_problems
def report(root: Path, corpus: Path | None, form: str,
           output: Path | None) -> None:
    """Report where the sources disagree, the chronology's evidence and the declared edits."""
    from booklet.corpus.loader import load_corpus
    from booklet.editorial.checks import review
    from booklet.editorial.report import report_html, report_markdown

    project = Project.at(root, corpus)
    check_project_folders(project)
    booklet = load_corpus(project.corpus)
    text = (report_html if form == "html" else report_markdown)(booklet, review(booklet))
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"wrote {display_path(output)}")


@main.command(name="import")
@click.argument("file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "statement_id", default=None,
              help="The statement's id: lower-case letters, digits, hyphens  [default: from the file name]")
@click.option("--force", is_flag=True, help="Replace existing files of that id.")
@click.option("--refresh", "refresh_id", default=None, metavar="ID",
              help="Write statement ID's text anew from its source and declared edits (after you "
                   "change `edits:`); no FILE.")
@with_corpus_options
@reports_problems
def import_command(file: Path | None, statement_id: str | None, force: bool, refresh_id: str | None,
                   root: Path, corpus: Path | None) -> None:
    """Turn a raw text copied from a page (any encoding) into a corpus entry for review; the
    source is kept byte for byte and every change is a declared edit."""
    from booklet.corpus.importer import decode, propose, refresh, valid_id, write_entry
    from booklet.corpus.loader import booklet_settings, statement_provenance

    project = Project.at(root, corpus)
    if refresh_id is not None:
        if file is not None:
            raise click.UsageError("give either FILE or --refresh ID, not both")
        yaml_path, source, edits, target = statement_provenance(project.corpus, refresh_id)
        changed = refresh(yaml_path, source, edits, target)
        click.echo(f"{'rewrote' if changed else 'unchanged:'} {display_path(target)} "
                   f"(from {display_path(source)} and {len(edits)} edits in {display_path(yaml_path)})")
        return
    if file is None:
        raise click.UsageError("give the FILE to import, or --refresh ID")
    commemorated, languages = booklet_settings(project.corpus)[:2]
    require_regular_file(file)
    raw = file.read_bytes()
    text, codec = decode(raw, file)
    if statement_id is not None:
        sid = valid_id(statement_id)
    else:
        sid = valid_id(re.sub(r"[^a-z0-9]+", "-", file.stem.lower()).strip("-"), file)
    proposal = propose(text, sid, commemorated, codec)
    files = write_entry(project.corpus, raw, proposal, force, languages)
    click.echo(f"imported {display_path(file)} as '{sid}' ({proposal.language}):")
    for done in proposal.done:
        click.echo(f"  - {done}")
    click.echo(f"  date: {proposal.date or 'unknown'} — {proposal.date_evidence}")
    outlets = ", ".join(f"{o.name} ({o.role})" for o in proposal.outlets)
    click.echo(f"  outlets: {outlets or 'none found'}")
    for path in files.values():
        click.echo(f"  wrote {display_path(path)}")
    click.echo("the editor should confirm:")
    for item in (*proposal.confirm, "every CONFIRM in the YAML: titles, short titles and the issuer in each language",
                 "the translation(s), then add '" + sid + "' to booklet.yaml `statements:`"):
        click.echo(f"  - {item}")
