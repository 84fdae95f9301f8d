"""`make mutants`: the mutation score per module from `mutmut results --all true` on stdin.

Killed and timed-out mutants count as caught; survivors and mutants no test reaches as missed.
"""

from __future__ import annotations

import sys
from collections import Counter, defaultdict


def main() -> None:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    survivors = []
    for line in sys.stdin:
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        module = ".".join(part for part in name.split("__mutmut")[0].split(".")[:2])
        counts[module][status] += 1
        if status in ("survived", "no tests"):
            survivors.append(f"{name}: {status}")
    total: Counter[str] = Counter()
    print(f"{'module':<22} {'caught':>7} {'missed':>7} {'unrun':>7} {'score':>7}")
    for module, count in sorted(counts.items()):
        total += count
        print(_row(module, count))
    print(_row("all", total))
    print("\nsurvivors (`.venv/bin/mutmut show NAME` shows the change):")
    print("\n".join(f"  {survivor}" for survivor in survivors))


def _row(module: str, count: Counter[str]) -> str:
    caught = count["killed"] + count["timeout"]
    missed = count["survived"] + count["no tests"]
    score = f"{100 * caught / (caught + missed):.0f} %" if caught + missed else "—"
    return f"{module:<22} {caught:>7} {missed:>7} {count['not checked']:>7} {score:>7}"


if __name__ == "__main__":
    main()
