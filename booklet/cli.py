"""Command line: parses options and calls the stages; user errors print as `path:line: …`."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from booklet.build import BuiltFile, Project, build, prepare
from booklet.problems import BookletError, display_path


def reports_problems(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn a BookletError into its messages on stderr and exit code 1, never a traceback."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except BookletError as error:
            for problem in error.problems:
                click.echo(f"error: {problem}", err=True)
            count = len(error.problems)
            click.echo(f"{count} problem{'s' if count != 1 else ''}; nothing was written to out/.",
                       err=True)
            sys.exit(1)

    return run


project_options = [
    click.option("--project", "root", type=click.Path(file_okay=False, path_type=Path), default=".",
                 show_default=True, help="Project folder holding corpus/, layouts/ and fonts/."),
    click.option("--corpus", type=click.Path(file_okay=False, path_type=Path), default=None,
                 help="Corpus folder  [default: PROJECT/corpus]"),
    click.option("--edition", "editions", multiple=True, metavar="LANG",
                 help="Only this edition (language code, e.g. en); repeatable.  [default: all]"),
]


def with_project_options(command: Callable[..., Any]) -> Callable[..., Any]:
    for option in reversed(project_options):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="booklet")
def main() -> None:
    """Typeset commemorative statements from corpus/ into PDF booklets in out/."""


@main.command(name="build")
@with_project_options
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder  [default: PROJECT/out]")
@reports_problems
def build_command(root: Path, corpus: Path | None, editions: tuple[str, ...], out: Path | None) -> None:
    """Check the corpus and write one PDF per edition to out/."""
    started = time.perf_counter()
    project = Project.at(root, corpus, out)
    click.echo(f"checking {display_path(project.corpus)} …")

    def progress(built: BuiltFile) -> None:
        click.echo(f"  wrote {display_path(built.path)} ({built.pages} pages, {built.seconds:.1f} s)")

    results = build(project, editions, on_file=progress)
    click.echo(f"\n{'file':<32} {'pages':>5} {'size':>9} {'seconds':>8}")
    for built in results:
        click.echo(f"{display_path(built.path):<32} {built.pages:>5} {built.size / 1024:>7.0f} kB "
                   f"{built.seconds:>8.1f}")
    click.echo(f"{len(results)} file(s) in {time.perf_counter() - started:.1f} s")


@main.command()
@with_project_options
@reports_problems
def check(root: Path, corpus: Path | None, editions: tuple[str, ...]) -> None:
    """Validate corpus, layout, catalogs and glyphs without rendering any PDF."""
    _layout, prepared = prepare(Project.at(root, corpus), editions)
    languages = ", ".join(p.edition.language for p in prepared)
    click.echo(f"corpus is valid; editions checked: {languages}")
