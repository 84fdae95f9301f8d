"""Stage times of a build: wall clock, CPU and memory, per edition, for the CLI summary and `make bench`."""

from __future__ import annotations

import resource
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StageTime:
    """How long one stage took: wall clock and this process's CPU time (edition "" for shared stages),
    and this process's peak resident memory once it ended (so the stage that raised it shows)."""

    edition: str
    stage: str
    seconds: float
    cpu_seconds: float
    peak_mb: float = 0.0


@dataclass
class Stopwatch:
    """Collects stage times; `make bench` reads them, the CLI shows the layout and write times."""

    times: list[StageTime] = field(default_factory=list)

    @contextmanager
    def measure(self, edition: str, stage: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.times.append(StageTime(edition, stage, time.perf_counter() - wall, time.process_time() - cpu,
                                        peak_resident_mb()))


def peak_resident_mb() -> float:
    """This process's largest resident set so far, in MB (the kernel's high-water mark)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes there, kB elsewhere
