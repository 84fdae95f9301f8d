"""The build stage: reproducible, atomic output."""

from __future__ import annotations

import time
from pathlib import Path

from booklet.build import Project, build, write_atomically


def test_two_builds_of_the_same_inputs_are_byte_identical(small_project: Project, tmp_path: Path) -> None:
    first = build(small_project, ["ru"])
    time.sleep(1.1)  # font subsets are stamped in whole seconds: make the clock move between builds
    again = build(Project.at(small_project.root, small_project.corpus, tmp_path / "again"), ["ru"])
    assert len(first) == 3
    for one, other in zip(first, again, strict=True):
        assert one.path.read_bytes() == other.path.read_bytes(), one.path.name


def test_atomic_write_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "out" / "a.pdf"
    write_atomically(target, b"%PDF-1.7 first")
    write_atomically(target, b"%PDF-1.7 second")
    assert target.read_bytes() == b"%PDF-1.7 second"
    assert [p.name for p in target.parent.iterdir()] == ["a.pdf"]
    assert target.stat().st_mode & 0o777 == 0o644
