"""Stage times of a build: wall clock and CPU, per edition, for the CLI summary and `make bench`."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StageTime:
    """How long one stage took: wall clock and this process's CPU time (edition "" for shared stages)."""

    edition: str
    stage: str
    seconds: float
    cpu_seconds: float


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
            self.times.append(StageTime(edition, stage, time.perf_counter() - wall, time.process_time() - cpu))
