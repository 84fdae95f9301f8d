"""The stopwatch's figures: `make bench` reads each stage's peak memory from them."""

from __future__ import annotations

import os
from pathlib import Path

from booklet.stopwatch import Stopwatch
from tests.conftest import make_small_corpus

MB = 2**20


def _resident_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as stream:
        return int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / MB


def test_each_stage_records_the_peak_memory_it_raised() -> None:
    stopwatch = Stopwatch()
    with stopwatch.measure("en", "small"):
        pass
    before = stopwatch.times[-1].peak_mb
    # Enough to go 64 MB beyond whatever peak this process reached before (pages written, so resident).
    wanted = int((before - _resident_mb() + 64) * MB)
    with stopwatch.measure("en", "large"):
        held = b"x" * wanted
    assert len(held) == wanted
    small, large = stopwatch.times
    assert (small.stage, large.stage) == ("small", "large")
    assert before > 10  # an interpreter alone is more than 10 MB
    assert 60 <= large.peak_mb - before <= 80


def test_the_benchs_edits_are_new_each_time_and_of_one_size(tmp_path: Path) -> None:
    """`make bench` times a one-paragraph edit several times: each must be a text no cache has
    seen, no larger than the last, and without a digit (a translation carries the original's)."""
    from booklet.bench import edit_one_paragraph

    corpus = make_small_corpus(tmp_path)
    words = []
    for _ in range(3):
        path = edit_one_paragraph(corpus, "ru")
        words.append(path.read_text(encoding="utf-8").split()[0])
    assert len(set(words)) == 3 and len({len(word) for word in words}) == 1
    assert not any(char.isdigit() for word in words for char in word)
