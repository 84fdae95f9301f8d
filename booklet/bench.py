"""`make bench`: where a build's time and memory go, measured on real builds in child processes.

    python -m booklet.bench [--times 20] [--repeat 3] [--output bench.md]

For the shipped corpus and a generated corpus `--times` as large (every statement repeated), it
measures, each in a fresh process and as the median of `--repeat` runs taken in turn:
- the floor: plain WeasyPrint, `HTML(...).write_pdf()` of each edition's HTML, one after the other;
- `booklet build` of all six files, uncached, in parallel (the default) and serial (`-j 1`), and
  serial with the composer switched off (`BOOKLET_COMPOSER=off`): what the composer costs, as the
  share of CPU time it adds to a serial build;
- a no-op rebuild, a rebuild after a one-paragraph edit of one edition, and `booklet watch` from
  saving that edit to the updated screen PDF;
- every stage of a serial build per edition (load and check, render HTML, layout, write each
  profile, impose, preflight), from the build's own Stopwatch.
Wall time, CPU time (of the process and its children) and peak memory (the largest total of the
process tree's proportional set sizes, read whenever its resident sets have grown, sampled every
10 ms: pages shared by forked workers count once) are reported; the load average says how busy the
machine was.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml

from booklet.typeset.setter import SWITCH

ROOT = Path(__file__).resolve().parent.parent
BOOKLET = [sys.executable, "-m", "booklet"]


@dataclass(frozen=True)
class Run:
    seconds: float
    cpu_seconds: float
    peak_mb: float
    output: str


def _tree(root_pid: int) -> list[int]:
    """A process and all its descendants (Linux /proc: each thread's `children`)."""
    found, stack = [], [root_pid]
    while stack:
        pid = stack.pop()
        found.append(pid)
        try:
            for task in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as stream:
                    stack += [int(child) for child in stream.read().split()]
        except OSError:
            continue
    return found


def _resident_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as stream:
            return int(stream.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except OSError:
        return 0


def _pss_kb(pid: int) -> int:
    """Proportional set size: a page shared by n processes counts 1/n in each (forked workers
    share the interpreter and libraries with their parent)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as stream:
            return next((int(line.split()[1]) for line in stream if line.startswith("Pss:")), 0)
    except OSError:
        return 0


class _PeakMemory:
    """The largest total memory of a process tree, as the sum of proportional set sizes. Resident
    sets are cheap to read and are read every sample; the proportional sizes (whose reading walks
    a process's page tables and holds up its page faults) only when the resident total has grown."""

    def __init__(self) -> None:
        self.peak_kb = 0
        self._measured_at_kb = 0

    def sample(self, root_pid: int) -> None:
        tree = _tree(root_pid)
        resident = sum(map(_resident_kb, tree))
        if resident > self._measured_at_kb * 1.02:
            self._measured_at_kb = resident
            self.peak_kb = max(self.peak_kb, sum(map(_pss_kb, tree)))


def run(command: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> Run:
    """Run a command to its end; its wall time, CPU time with its children, and peak tree memory."""
    started = time.perf_counter()
    # The output goes to a file, not a pipe: a build that says more than a pipe holds (a large
    # corpus's warnings) would wait for a reader while this loop waits for it to end.
    with tempfile.TemporaryFile() as said:
        process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})},
                                   stdout=said, stderr=subprocess.STDOUT)
        memory = _PeakMemory()
        sampling = os.path.isdir("/proc")
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if sampling:
                memory.sample(process.pid)
            time.sleep(0.01)
        seconds = time.perf_counter() - started
        said.seek(0)
        output = said.read().decode("utf-8", "replace")
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{output}")
    peak_mb = (memory.peak_kb or usage.ru_maxrss) / 1024
    return Run(seconds, usage.ru_utime + usage.ru_stime, peak_mb, output)


def scaled_corpus(source: Path, target: Path, times: int) -> Path:
    """A copy of the corpus with every statement set `times` times (copies share the text files)."""
    shutil.copytree(source, target)
    booklet_file = target / "booklet.yaml"
    booklet = yaml.safe_load(booklet_file.read_text(encoding="utf-8"))
    ids = list(booklet["statements"])
    for copy in range(2, times + 1):
        for statement in ids:
            text = (target / "statements" / f"{statement}.yaml").read_text(encoding="utf-8")
            (target / "statements" / f"{statement}-{copy}.yaml").write_text(text, encoding="utf-8")
    booklet["statements"] = ids + [f"{statement}-{copy}" for copy in range(2, times + 1) for statement in ids]
    lines = booklet_file.read_text(encoding="utf-8").split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("statements:"))
    end = next((i for i in range(start + 1, len(lines)) if lines[i] and not lines[i].startswith(" ")), len(lines))
    lines[start:end] = ["statements:"] + [f"  - {statement}" for statement in booklet["statements"]]
    booklet_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


_EDITS: dict[Path, tuple[str, int]] = {}
"""Each file `edit_one_paragraph` changed: its first word as written, and the edits made."""


def edit_one_paragraph(corpus: Path, language: str) -> Path:
    """Change one word of the first statement translated into `language` (an original's words are
    proven against its source, so an edit there is refused); the file changed. Each call makes a
    new edit of the same size — the word as written and one letter more, a different letter each
    time ("Today" → "Todaya" → "Todayb" …) — so that no repetition of a measurement finds its text
    in a cache, and none grows (a digit would be refused: a translation carries the original's
    numbers)."""
    statements = yaml.safe_load((corpus / "booklet.yaml").read_text(encoding="utf-8"))["statements"]
    statement = next(s for s in statements if yaml.safe_load(
        (corpus / "statements" / f"{s}.yaml").read_text(encoding="utf-8"))["original_language"] != language)
    path = corpus / "statements" / f"{statement}.{language}.md"
    text = path.read_text(encoding="utf-8")
    word = re.search(r"\w+", text)
    assert word is not None
    original, edits = _EDITS.get(path, (word.group(), 0))
    _EDITS[path] = (original, edits + 1)
    changed = original + "abcdefghijklmnopqrstuvwxyz"[edits % 26]
    path.write_text(f"{text[:word.start()]}{changed}{text[word.end():]}", encoding="utf-8")
    return path


# --- what the child processes run -------------------------------------------------------------

def _stages(corpus: Path) -> None:
    from booklet.build import Stopwatch, build
    from booklet.project import Project

    stopwatch = Stopwatch()
    with tempfile.TemporaryDirectory() as out:
        files = build(Project.at(ROOT, corpus, Path(out)), jobs=1, stopwatch=stopwatch)
    pages = {f.path.name: f.pages for f in files}
    print(json.dumps({"times": [[t.edition, t.stage, t.seconds, t.cpu_seconds, t.peak_mb] for t in stopwatch.times],
                      "pages": pages}))


def _floor(corpus: Path, html_dir: Path) -> None:
    from booklet.typeset.pdf import plain_pdf

    layout = yaml.safe_load((corpus / "booklet.yaml").read_text(encoding="utf-8")).get("layout", "memorial")
    for html in sorted(html_dir.glob("*.html")):
        html.with_suffix(".pdf").write_bytes(plain_pdf(html.read_text(encoding="utf-8"),
                                                       ROOT / "layouts" / layout, ROOT / "fonts"))


def _write_html(corpus: Path, html_dir: Path) -> None:
    from booklet.build import prepare
    from booklet.project import Project

    for prepared in prepare(Project.at(ROOT, corpus)).editions:
        (html_dir / f"{prepared.edition.language}.html").write_text(prepared.html, encoding="utf-8")


# --- the measurements -------------------------------------------------------------------------

def _median(runs: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in runs), statistics.median(r.cpu_seconds for r in runs),
               statistics.median(r.peak_mb for r in runs), runs[-1].output)


def _watch_latency(corpus: Path, out: Path, cache: Path) -> float:
    """Seconds from saving a one-paragraph edit to the updated screen PDF, with `booklet watch`."""
    screen = out / "booklet-en-screen.pdf"
    watcher = subprocess.Popen([*BOOKLET, "watch", "--corpus", str(corpus), "--out", str(out)], cwd=ROOT,
                               env={**os.environ, "BOOKLET_CACHE_DIR": str(cache)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        assert watcher.stdout is not None
        for line in watcher.stdout:
            if line.startswith("watching"):
                break
        before = screen.stat().st_mtime_ns
        time.sleep(0.3)
        started = time.perf_counter()
        edit_one_paragraph(corpus, "en")
        while screen.stat().st_mtime_ns == before:
            if time.perf_counter() - started > 60:
                raise RuntimeError("booklet watch did not update the screen PDF within 60 s")
            time.sleep(0.005)
        return time.perf_counter() - started
    finally:
        watcher.terminate()
        watcher.wait()


def measure(name: str, corpus: Path, repeat: int, work: Path) -> dict:
    html_dir = work / f"{name}-html"
    html_dir.mkdir()
    run([sys.executable, "-m", "booklet.bench", "--child", "html", str(corpus), str(html_dir)])
    cache = work / f"{name}-cache"
    scenarios: dict[str, Callable[[int], Run]] = {
        "floor": lambda i: run([sys.executable, "-m", "booklet.bench", "--child", "floor", str(corpus),
                                str(html_dir)]),
        "build": lambda i: run([*BOOKLET, "build", "--corpus", str(corpus), "--out", str(work / f"{name}-p{i}"),
                                "--no-cache"]),
        "build -j 1": lambda i: run([*BOOKLET, "build", "--corpus", str(corpus), "--out",
                                     str(work / f"{name}-s{i}"), "--no-cache", "-j", "1"]),
        "build -j 1, composer off": lambda i: run([*BOOKLET, "build", "--corpus", str(corpus), "--out",
                                                   str(work / f"{name}-g{i}"), "--no-cache", "-j", "1"],
                                                  {SWITCH: "off"}),
    }
    results: dict[str, list[Run]] = {key: [] for key in scenarios}
    for i in range(repeat):
        for key, scenario in scenarios.items():
            results[key].append(scenario(i))
            print(f"  {name} {key}: {results[key][-1].seconds:.2f} s", file=sys.stderr)
    stages = [json.loads(run([sys.executable, "-m", "booklet.bench", "--child", "stages", str(corpus)]).output)
              for _ in range(repeat)]
    summary = {key: _median(runs) for key, runs in results.items()}
    # The cache: fill it, then a no-op rebuild and a one-paragraph edit of one edition.
    env = {"BOOKLET_CACHE_DIR": str(cache)}
    out = work / f"{name}-cached"
    edited_corpus = work / f"{name}-edited"
    shutil.copytree(corpus, edited_corpus)
    run([*BOOKLET, "build", "--corpus", str(edited_corpus), "--out", str(out)], env)
    noop = _median([run([*BOOKLET, "build", "--corpus", str(edited_corpus), "--out", str(out)], env)
                    for _ in range(repeat)])
    edits = []
    for _ in range(repeat):
        edit_one_paragraph(edited_corpus, "ru")
        edits.append(run([*BOOKLET, "build", "--corpus", str(edited_corpus), "--out", str(out)], env))
    rebuilt = sorted(set(re.findall(r"laid out the (\w+) edition", edits[-1].output)))
    watch = statistics.median(_watch_latency(edited_corpus, out, cache) for _ in range(repeat)) \
        if name == "shipped" else None
    return {"summary": summary, "stages": stages, "noop": noop, "edit": _median(edits), "rebuilt": rebuilt,
            "watch": watch}


def _stage_table(measured: dict[str, dict]) -> list[str]:
    rows: dict[tuple[str, str], dict[str, tuple[float, float, float]]] = {}
    for name, result in measured.items():
        collected: dict[tuple[str, str], list[tuple[float, float, float]]] = {}
        for stages in result["stages"]:
            for edition, stage, seconds, cpu, peak_mb in stages["times"]:
                collected.setdefault((edition or "both", stage), []).append((seconds, cpu, peak_mb))
        for key, values in collected.items():
            rows.setdefault(key, {})[name] = (statistics.median(v[0] for v in values),
                                              statistics.median(v[1] for v in values),
                                              statistics.median(v[2] for v in values))
    names = list(measured)
    lines = ["| edition | stage | " + " | ".join(f"{n}: wall ms (CPU ms) peak MB" for n in names) + " |",
             "| --- | --- | " + " | ".join("---:" for _ in names) + " |"]
    for (edition, stage), by_name in rows.items():
        cells = [f"{by_name[n][0] * 1000:.0f} ({by_name[n][1] * 1000:.0f}){_mb(by_name[n][2])}" if n in by_name
                 else "–" for n in names]
        lines.append(f"| {edition} | {stage} | " + " | ".join(cells) + " |")
    return lines


def _mb(peak_mb: float) -> str:
    return f" {peak_mb:.0f}" if peak_mb else ""  # the composer's steps inside the layout have none


def report(measured: dict[str, dict], load: tuple[float, float]) -> str:
    lines = [f"Measured on {os.cpu_count()} CPUs, load average {load[0]:.1f} before and {load[1]:.1f} after; "
             "medians of alternating runs; each in a fresh process (startup included).", "",
             "| corpus | screen pages | floor s (CPU) | build s (CPU) | build / floor | build -j 1 s (CPU) | "
             "composer: + CPU | ms per screen page | peak MB (floor, build) | no-op s | one-edit s (rebuilt) | "
             "watch s |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for name, result in measured.items():
        summary = result["summary"]
        floor, full, serial = summary["floor"], summary["build"], summary["build -j 1"]
        greedy = summary["build -j 1, composer off"]
        pages = sum(p for file, p in result["stages"][0]["pages"].items() if file.endswith("-screen.pdf"))
        watch = f"{result['watch']:.2f}" if result["watch"] is not None else "–"
        lines.append(
            f"| {name} | {pages} | {floor.seconds:.2f} ({floor.cpu_seconds:.2f}) | "
            f"{full.seconds:.2f} ({full.cpu_seconds:.2f}) | {full.seconds / floor.seconds:.2f} | "
            f"{serial.seconds:.2f} ({serial.cpu_seconds:.2f}) | "
            f"{(serial.cpu_seconds / greedy.cpu_seconds - 1) * 100:.0f} % | {full.seconds / pages * 1000:.0f} | "
            f"{floor.peak_mb:.0f}, {full.peak_mb:.0f} | {result['noop'].seconds:.2f} | "
            f"{result['edit'].seconds:.2f} ({', '.join(result['rebuilt']) or 'none'}) | {watch} |")
    lines += ["", "Stages of a serial build (`build -j 1`), per edition, with the process's peak resident "
              "memory once each stage ended (one process builds both editions: the figure only grows):", "",
              *_stage_table(measured)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--times", type=int, default=20, help="size of the generated corpus (0: none)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement")
    parser.add_argument("--output", type=Path, help="also write the tables to this file")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        task, *paths = args.child
        tasks: dict[str, Callable[..., object]] = {"stages": _stages, "floor": _floor, "html": _write_html}
        tasks[task](*map(Path, paths))
        return
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="booklet-bench-") as folder:
        work = Path(folder)
        corpora = {"shipped": shutil.copytree(ROOT / "corpus", work / "shipped")}
        if args.times > 1:
            corpora[f"{args.times}×"] = scaled_corpus(ROOT / "corpus", work / f"x{args.times}", args.times)
        measured = {name: measure(name, corpus, args.repeat, work) for name, corpus in corpora.items()}
    text = report(measured, (load_before, os.getloadavg()[0]))
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
