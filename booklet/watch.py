"""`booklet watch`: rebuild the screen PDFs whenever a file of the corpus, layouts or fonts is saved.

One process stays warm (WeasyPrint imported, fonts loaded) and every rebuild goes through the
build cache, so only the editions whose HTML changed are laid out again; within such an edition,
the skeleton's facts and the paragraphs the save did not change are remembered, not laid out and
composed again (booklet.typeset.setter.ComposerMemo). A problem in the input is
reported as `path:line: …` and the watch goes on; the next save tries again.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from booklet.build import BuiltFile, TypesetEdition, build
from booklet.cache import BuildCache
from booklet.problems import BookletError, display_path
from booklet.project import Project
from booklet.typeset.setter import ComposerMemo


def watched_folders(project: Project) -> list[Path]:
    return [folder for folder in (project.corpus, project.layouts, project.fonts) if folder.is_dir()]


def rebuild(project: Project, languages: Iterable[str], profiles: tuple[str, ...], cache: BuildCache,
            say: Callable[[str], None], memo: ComposerMemo | None = None) -> bool:
    """One build of the wanted profiles; says what was laid out and how long it took, or what is wrong."""
    started = time.perf_counter()
    laid_out: list[str] = []
    written: list[BuiltFile] = []

    def typeset(edition: TypesetEdition) -> None:
        if not edition.from_cache and not edition.problems:
            laid_out.append(edition.language)

    try:
        build(project, languages, profiles=profiles, cache=cache, on_edition=typeset, on_file=written.append,
              memo=memo)
    except BookletError as error:
        for problem in error.problems:
            say(f"error: {problem}")
        say(f"{len(error.problems)} problem(s); out/ keeps the last good files. Waiting for the next save …")
        return False
    seconds = time.perf_counter() - started
    changed = [built for built in written if any(f"-{language}-" in built.path.name for language in laid_out)]
    if changed:
        say(f"rebuilt {', '.join(display_path(built.path) for built in changed)} in {seconds:.2f} s")
    else:
        say(f"no edition changed ({seconds:.2f} s)")
    return True


def watch_project(project: Project, languages: Iterable[str], profiles: tuple[str, ...], cache: BuildCache,
                  say: Callable[[str], None], stop: Callable[[], bool] = lambda: False) -> None:
    """Build once, then again after every burst of saves, until interrupted or `stop()` is true.

    The folders are watched (watchfiles, inotify) from before the first build, so a save made
    while a build runs is not lost: it starts the next one.
    """
    languages = tuple(languages)
    saves: queue.Queue[set[Path]] = queue.Queue()
    stopping = threading.Event()
    watcher = threading.Thread(target=_queue_saves, args=(watched_folders(project), saves, stopping), daemon=True)
    watcher.start()
    try:
        memo = ComposerMemo()  # a save changes a few words: the rest is not composed again
        rebuild(project, languages, profiles, cache, say, memo)
        folders = ", ".join(f"{display_path(folder)}/" for folder in watched_folders(project))
        say(f"watching {folders} — Ctrl-C to stop")
        while not stop():
            try:
                saved = saves.get(timeout=0.2)
            except queue.Empty:
                continue
            while not saves.empty():
                saved |= saves.get()
            say("changed: " + ", ".join(sorted(display_path(path) for path in saved)))
            rebuild(project, languages, profiles, cache, say, memo)
    finally:
        stopping.set()
        watcher.join(timeout=5)


def _queue_saves(folders: list[Path], saves: queue.Queue[set[Path]], stopping: threading.Event) -> None:
    from watchfiles import watch

    for batch in watch(*folders, debounce=400, step=20, stop_event=stopping):
        saves.put({Path(path) for _change, path in batch})
