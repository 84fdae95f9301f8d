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


def test_a_memo_reads_a_layout_it_has_seen_instead_of_making_it_again(tmp_path: Path) -> None:
    """The page plan reads a layout to decide, then lays the edition out with its decisions. When
    a save changes words but no paragraph's number of lines, the layouts it would read are those it
    read before (the same geometry): the watch makes only the last one, and writes the bytes a
    build without the memo writes. A paragraph grown by lines is laid out to be read again."""
    from booklet.build import TypesetEdition, make_files
    from booklet.typeset.setter import ComposerMemo

    project = Project.at(ROOT, make_small_corpus(tmp_path), tmp_path / "out")
    layouts: list[int] = []

    def count(edition: TypesetEdition) -> None:
        assert edition.typesetting is not None
        layouts.append(edition.typesetting.layouts)

    russian = project.corpus / "statements" / "first.ru.md"
    text = russian.read_text(encoding="utf-8")
    memory = "Память о них живёт в каждом доме. "
    russian.write_text(text.replace("Мы помним их.", "Мы помним их. " + memory * 12), encoding="utf-8")
    memo = ComposerMemo()
    make_files(project, ["ru"], ["screen"], 0.0, count, memo=memo)
    assert layouts == [2], "the composed layout, and the one with the page plan's decisions"

    words_changed = "Мы помним их. " + memory * 5 + memory.replace("каждом", "любом") + memory * 6
    russian.write_text(text.replace("Мы помним их.", words_changed), encoding="utf-8")
    remembered = make_files(project, ["ru"], ["screen"], 0.0, count, memo=memo)
    assert layouts[-1] == 1, "only the layout that is written"
    assert remembered[0].data == make_files(project, ["ru"], ["screen"], 0.0)[0].data

    russian.write_text(text, encoding="utf-8")
    shorter = make_files(project, ["ru"], ["screen"], 0.0, count, memo=memo)
    assert layouts[-1] == 2, "a paragraph of fewer lines moves what follows: laid out to be read"
    assert shorter[0].data == make_files(project, ["ru"], ["screen"], 0.0)[0].data


def test_the_geometry_key_leaves_out_only_what_cannot_move_a_line() -> None:
    """Words inside composed lines do not move a line (each is one line box); a character the
    line's font lacks may (a fallback font of another height), and so may any other text."""
    from xml.etree import ElementTree

    from booklet.typeset.composer import Paragraph, Run, compose
    from booklet.typeset.setter import MARK, ComposedParagraph, _set_lines, geometry_key

    font = ROOT / "fonts" / "NotoSerif-Regular.ttf"

    def key(words: str, heading: str = "Title") -> str:
        root = ElementTree.fromstring(f'<body><h1>{heading}</h1><p {MARK}="1"></p></body>')
        paragraph = Paragraph(runs=(Run(words, font, 12.0),), measure=300.0)
        composition = compose(paragraph)
        assert composition is not None
        element = root.find("p")
        assert element is not None
        _set_lines(element, composition, paragraph, [()])
        return geometry_key(root, {"1": ComposedParagraph("1", paragraph, composition)})

    text = "We remember the people who gave their lives for the freedom of their country, every year. " * 3
    assert key(text) == key(text.replace("people", "victims"))
    assert key(text) != key(text + text), "more lines"
    assert key(text) != key(text.replace("people", "people \u4e00")), "a character Noto Serif lacks"
    assert key(text) != key(text, heading="Another title")
