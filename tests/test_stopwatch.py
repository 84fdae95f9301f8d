"""The stopwatch's figures: `make bench` reads each stage's peak memory from them."""

from __future__ import annotations

import os

from booklet.stopwatch import Stopwatch

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
