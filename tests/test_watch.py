"""`booklet watch`: a save rebuilds the affected edition's screen PDF; a mistake is reported, not fatal."""

from __future__ import annotations

import queue
import threading
import time
from pathlib import Path

from booklet.cache import BuildCache
from booklet.project import Project
from booklet.watch import watch_project
from tests.conftest import ROOT, make_small_corpus


def next_line(lines: queue.Queue[str], starting: str, timeout: float = 60) -> str:
    deadline = time.monotonic() + timeout
    while True:
        line = lines.get(timeout=max(0.1, deadline - time.monotonic()))
        if line.startswith(starting):
            return line


def test_saves_rebuild_the_edition_and_errors_do_not_stop_the_watch(tmp_path: Path) -> None:
    project = Project.at(ROOT, make_small_corpus(tmp_path), tmp_path / "out")
    lines: queue.Queue[str] = queue.Queue()
    stopping = threading.Event()
    watcher = threading.Thread(target=watch_project, args=(project, (), ("screen",), BuildCache(tmp_path / "cache"),
                                                           lines.put, stopping.is_set))
    watcher.start()
    try:
        assert "booklet-en-screen.pdf" in next_line(lines, "rebuilt")
        next_line(lines, "watching")
        english = project.out / "booklet-en-screen.pdf"
        first_english = english.read_bytes()
        russian = project.corpus / "statements" / "first.ru.md"

        russian.write_text(russian.read_text(encoding="utf-8").replace("Мы помним", "Мы все помним"),
                           encoding="utf-8")
        rebuilt = next_line(lines, "rebuilt")
        assert "booklet-ru-screen.pdf" in rebuilt and "booklet-en-screen.pdf" not in rebuilt, rebuilt
        assert rebuilt.endswith(" s")
        assert english.read_bytes() == first_english

        statement = project.corpus / "statements" / "first.yaml"
        good = statement.read_text(encoding="utf-8")
        statement.write_text(good.replace("outlets:", "outlett:"), encoding="utf-8")
        error = next_line(lines, "error:")
        assert f"{statement}:4: unknown key 'outlett'" in error, error
        next_line(lines, "1 problem")
        statement.write_text(good, encoding="utf-8")
        assert "no edition changed" in next_line(lines, "no edition changed"), "the watch went on after the error"
    finally:
        stopping.set()
        watcher.join(timeout=30)
    assert not watcher.is_alive()


def test_a_memo_lays_out_no_skeleton_and_composes_only_what_a_save_changed(tmp_path: Path) -> None:
    """`booklet watch` keeps skeleton facts and compositions between builds: after a few words
    changed, the skeleton is the same (every text is one letter) and one paragraph is composed
    again; the file is the one a build without the memo writes."""
    from booklet.build import make_files
    from booklet.typeset.setter import ComposerMemo

    project = Project.at(ROOT, make_small_corpus(tmp_path), tmp_path / "out")
    memo = ComposerMemo()
    make_files(project, ["ru"], ["screen"], 0.0, memo=memo)
    (key, skeleton), compositions = *memo.skeletons.items(), len(memo.compositions)
    assert compositions > 1
    russian = project.corpus / "statements" / "first.ru.md"
    russian.write_text(russian.read_text(encoding="utf-8").replace("Мы помним", "Мы все помним"), encoding="utf-8")

    remembered = make_files(project, ["ru"], ["screen"], 0.0, memo=memo)
    assert memo.skeletons == {key: skeleton} and memo.skeletons[key] is skeleton, "no skeleton laid out again"
    assert len(memo.compositions) == compositions + 1, "only the changed paragraph was composed"
    assert remembered[0].data == make_files(project, ["ru"], ["screen"], 0.0)[0].data

    memo.use("another layout or font files")
    assert not memo.skeletons and not memo.compositions
