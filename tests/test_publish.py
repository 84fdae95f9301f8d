"""out/ holds the previous set or the new set, never a mix, never litter: under a full disk, a kill at
every step, Ctrl-C and concurrent builds. Faults are real (a full tmpfs, a file size limit, SIGKILL of
a real process); nothing of WeasyPrint is mocked."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from booklet.cli import main
from booklet.press.publish import check_output_folder, publish
from booklet.problems import BookletError
from tests.conftest import ROOT, make_small_corpus

NAMES = ("booklet-en-print.pdf", "booklet-en-screen.pdf", "booklet-ru-print.pdf")


def a_set(tag: str, size: int = 1000) -> dict[str, bytes]:
    return {name: (tag.encode() * size)[:size] for name in NAMES}


def state(out: Path) -> dict[str, bytes]:
    """Everything in the folder, hidden files included."""
    return {path.name: path.read_bytes() for path in sorted(out.iterdir()) if path.is_file()} | {
        path.name + "/": b"" for path in out.iterdir() if path.is_dir()}


def run_python(code: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, **kwargs)


def test_a_publish_replaces_the_whole_set_and_leaves_nothing_else(tmp_path: Path) -> None:
    publish(tmp_path, a_set("old"))
    publish(tmp_path, a_set("new"))
    assert state(tmp_path) == a_set("new")
    assert all((tmp_path / name).stat().st_mode & 0o777 == 0o644 for name in NAMES), "readable by all"


@pytest.mark.parametrize("step", ["written", "renamed"])
@pytest.mark.parametrize("after", [1, 2])
def test_a_kill_at_any_step_leaves_the_old_set_or_is_completed_by_the_next_run(
        tmp_path: Path, step: str, after: int) -> None:
    publish(tmp_path, a_set("old"))
    killed = run_python(f"""
        import os, signal
        from pathlib import Path
        from booklet.press.publish import publish
        seen = []
        def step(kind, name):
            seen.append(kind)
            if seen.count({step!r}) == {after}:
                os.kill(os.getpid(), signal.SIGKILL)
        publish(Path({str(tmp_path)!r}), {{n: b"new" * 300 for n in {NAMES!r}}}, on_step=step)
    """)
    assert killed.returncode == -9, killed.stderr
    left = state(tmp_path)
    if step == "written":  # killed while staging: every visible file is still the old one
        assert {name: data for name, data in left.items() if not name.startswith(".")} == a_set("old")
    check_output_folder(tmp_path)  # what the next build does first, before any layout
    after_recovery = state(tmp_path)
    expected = a_set("old") if step == "written" else {name: b"new" * 300 for name in NAMES}
    assert after_recovery == expected, "the next run cleans the staging or completes the set"


def test_ctrl_c_while_writing_leaves_the_old_set_and_no_litter(tmp_path: Path) -> None:
    publish(tmp_path, a_set("old"))

    def interrupt(kind: str, name: str) -> None:
        if kind == "written":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        publish(tmp_path, a_set("new"), on_step=interrupt)
    assert state(tmp_path) == a_set("old")


def test_a_file_size_limit_mid_set_leaves_the_old_set_and_says_so(tmp_path: Path) -> None:
    """RLIMIT_FSIZE makes the kernel refuse the write (EFBIG), as a full disk does (ENOSPC)."""
    publish(tmp_path, a_set("old"))
    result = run_python(f"""
        import resource, signal
        from pathlib import Path
        from booklet.press.publish import publish
        from booklet.problems import BookletError
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (5000, 5000))
        files = {{n: b"x" * (100 if i == 0 else 10000) for i, n in enumerate({NAMES!r})}}
        try:
            publish(Path({str(tmp_path)!r}), files)
        except BookletError as error:
            print(error.problems[0], "|", error.state)
    """)
    assert result.returncode == 0, result.stderr
    assert "could not write the new files (the file is larger than this system allows)" in result.stdout
    assert "still holds the previous build's files" in result.stdout
    assert state(tmp_path) == a_set("old")


@pytest.fixture
def tiny_disk(tmp_path: Path):
    """A 256 kB tmpfs: a real full disk. Needs the right to mount (root, as here and in CI)."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def test_a_full_disk_during_a_real_build_leaves_out_unchanged(tmp_path: Path, tiny_disk: Path) -> None:
    out = tiny_disk / "out"
    out.mkdir()
    (out / "booklet-en-print.pdf").write_bytes(b"previous print")
    (out / "booklet-ru-screen.pdf").write_bytes(b"previous screen")
    before = state(out)
    corpus = make_small_corpus(tmp_path)
    result = CliRunner().invoke(main, ["build", "--project", str(ROOT), "--corpus", str(corpus),
                                       "--out", str(out), "--profile", "print"])
    # two print files of ~160 kB on a 256 kB disk: the first fits, the second does not
    assert result.exit_code == 1, result.output
    assert ("Traceback" not in result.output and result.exception is None) or isinstance(result.exception, SystemExit)
    assert "could not write the new files (the disk is full)" in result.output
    assert "still holds the previous build's files" in result.output
    assert state(out) == before


def test_an_output_path_that_is_no_folder_fails_before_the_layout(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(BookletError) as caught:
        check_output_folder(blocker / "out")
    assert "not a folder" in caught.value.problems[0].message


def test_concurrent_publishers_leave_one_whole_set(tmp_path: Path) -> None:
    code = f"""
        import sys
        from pathlib import Path
        from booklet.press.publish import publish
        tag = sys.argv[1]
        for round in range(15):
            publish(Path({str(tmp_path)!r}), {{n: (tag + str(round)).encode() * 2000 for n in {NAMES!r}}})
    """
    writers = [subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), tag], cwd=ROOT)
               for tag in ("a", "b", "c")]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0, 0]
    final = state(tmp_path)
    assert set(final) == set(NAMES), "no staging folder or temporary left"
    assert len(set(final.values())) == 1, "every file from the same publish"


def test_recovery_completes_a_set_whose_names_have_spaces_and_any_letters(tmp_path: Path) -> None:
    """A killed publish left its list and two of three files: the next run finishes the renames."""
    names = ["booklet en-print.pdf", "буклет-ru-screen.pdf", "proof sheet.png"]
    staging = tmp_path / ".booklet-staging-killed"
    staging.mkdir()
    (tmp_path / names[0]).write_bytes(b"new 0")  # renamed before the kill
    for index, name in enumerate(names[1:], 1):
        (staging / name).write_bytes(f"new {index}".encode())
    (staging / "PUBLISH").write_text("\n".join(names), encoding="utf-8")
    (tmp_path / ".booklet-staging-unfinished").mkdir()  # killed while writing: no list
    check_output_folder(tmp_path)
    assert state(tmp_path) == {name: f"new {index}".encode() for index, name in enumerate(names)}


def test_an_up_to_date_build_still_clears_what_a_killed_build_left(tmp_path: Path) -> None:
    corpus = make_small_corpus(tmp_path)
    out = tmp_path / "out"
    arguments = ["build", "--project", str(ROOT), "--corpus", str(corpus), "--out", str(out),
                 "--profile", "screen", "--edition", "en"]
    environment = {"BOOKLET_CACHE_DIR": str(tmp_path / "cache")}
    assert CliRunner(env=environment).invoke(main, arguments).exit_code == 0
    (out / ".booklet-staging-killed").mkdir()
    (out / ".booklet-staging-killed" / "booklet-en-screen.pdf").write_bytes(b"half")
    again = CliRunner(env=environment).invoke(main, arguments)
    assert again.exit_code == 0 and "is up to date" in again.output, again.output
    assert sorted(path.name for path in out.iterdir()) == ["booklet-en-screen.pdf"]


def _small_project(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A one-statement project using the real layouts and fonts, an out/ holding an old set, and an
    environment whose temporary folder is empty and the test's own."""
    make_small_corpus(tmp_path)
    out = tmp_path / "out"
    publish(out, a_set("old"))
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    return out, temporary, {**os.environ, "TMPDIR": str(temporary)}


def _booklet(tmp_path: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "booklet", "build", "--project", str(ROOT), "--corpus", str(tmp_path / "corpus"),
            "--out", str(tmp_path / "out"), "--profile", "screen", "--no-cache", *args]


def test_a_parallel_build_leaves_no_temporary_behind(tmp_path: Path) -> None:
    """Each edition is typeset in a worker process, whose exit skips `atexit`: the renderer's
    temporaries (fontconfig's set-up, WeasyPrint's font copies) must go with it all the same."""
    out, temporary, environment = _small_project(tmp_path)
    done = subprocess.run(_booklet(tmp_path, "--jobs", "2"), cwd=tmp_path, env=environment, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert sorted(path.name for path in out.iterdir()) == sorted({*NAMES, "booklet-en-screen.pdf",
                                                                  "booklet-ru-screen.pdf"})
    assert list(temporary.iterdir()) == [], "nothing left in the temporary folder"


def test_sigterm_mid_build_leaves_the_old_set_and_no_temporary(tmp_path: Path) -> None:
    """`kill` (SIGTERM) while the edition is being laid out: exit 128+15, out/ as it was, and the
    process's temporaries removed as after Ctrl-C (not left for the next run's sweep)."""
    out, temporary, environment = _small_project(tmp_path)
    before = state(out)
    build = subprocess.Popen(_booklet(tmp_path, "--edition", "en"), cwd=tmp_path, env=environment,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not any(temporary.glob("booklet-fontconfig-*")) and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # the renderer has started: its temporary folder exists
    build.send_signal(signal.SIGTERM)
    _, errors = build.communicate(timeout=60)
    assert build.returncode == 128 + signal.SIGTERM, errors
    assert "Traceback" not in errors
    assert state(out) == before, "out/ unchanged, no staging folder"
    assert list(temporary.iterdir()) == [], "nothing left in the temporary folder"


def test_a_kill_stops_the_parallel_layouts_under_way_instead_of_waiting_for_them(tmp_path: Path) -> None:
    """SIGTERM to a build laying out two editions of a 50-statement corpus in worker processes: the
    workers are stopped at once (leaving the pool waited for every layout under way, ten seconds here
    and minutes on a large corpus); out/ is as it was and no process or temporary is left."""
    from booklet.bench import _tree, scaled_corpus

    _out, temporary, environment = _small_project(tmp_path)
    shutil.rmtree(tmp_path / "corpus")
    scaled_corpus(ROOT / "corpus", tmp_path / "corpus", 10)
    before = state(tmp_path / "out")
    build = subprocess.Popen(_booklet(tmp_path, "--jobs", "2"), cwd=tmp_path, env=environment,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while len(_tree(build.pid)) < 3 and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)  # both workers are laying out their editions
    workers = _tree(build.pid)[1:]
    assert len(workers) == 2, "two workers were started"
    time.sleep(0.5)
    build.send_signal(signal.SIGTERM)
    killed = time.monotonic()
    _, errors = build.communicate(timeout=120)
    assert time.monotonic() - killed < 5, "the build ended as soon as it was killed"
    assert build.returncode == 128 + signal.SIGTERM, errors
    assert "Traceback" not in errors
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()
                and "Z" not in Path(f"/proc/{pid}/stat").read_text().split(")")[-1][:3]], "no worker goes on"
    assert state(tmp_path / "out") == before
    assert list(temporary.iterdir()) == [], "nothing left in the temporary folder"


def problems_of(error: BookletError) -> list[tuple[Path, str, str]]:
    return [(problem.path, problem.message, problem.fix) for problem in error.problems]


def test_the_output_folder_is_made_with_its_parents_and_its_probe_leaves_nothing(tmp_path: Path) -> None:
    nested = tmp_path / "a" / "b" / "out"
    check_output_folder(nested, NAMES)
    assert nested.is_dir() and list(nested.iterdir()) == []


def test_an_output_path_that_cannot_be_a_folder_is_named_with_the_fix(tmp_path: Path) -> None:
    a_file = tmp_path / "out"
    a_file.write_text("not a folder", encoding="utf-8")
    with pytest.raises(BookletError) as caught:
        check_output_folder(a_file)
    assert problems_of(caught.value) == [(a_file, "the output path is not a folder",
                                          "pass --out a folder (it is created if missing)")]
    too_long = tmp_path / ("x" * 300)
    with pytest.raises(BookletError) as caught:
        check_output_folder(too_long)
    assert problems_of(caught.value) == [(too_long, "cannot write to the output folder (File name too long)",
                                          "choose a writable folder with --out or fix its permissions")]


def test_a_name_of_the_set_taken_by_a_folder_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / NAMES[1]).mkdir(parents=True)
    (out / NAMES[0]).write_bytes(b"previous")
    for attempt in (lambda: check_output_folder(out, NAMES), lambda: publish(out, a_set("new"))):
        with pytest.raises(BookletError) as caught:
            attempt()
        assert problems_of(caught.value) == [(out / NAMES[1], "is a folder, where the build writes a file",
                                              "move it away or remove it, then build again")]
        assert caught.value.state == f"nothing was written: {out}/ is unchanged"
        assert state(out) == {NAMES[0]: b"previous", NAMES[1] + "/": b""}


def test_the_reasons_of_a_failed_write_are_said_in_words() -> None:
    from booklet.press.publish import _reason

    assert _reason(OSError(errno.ENOSPC, "No space left on device")) == "the disk is full"
    assert _reason(OSError(errno.EFBIG, "File too large")) == "the file is larger than this system allows"
    assert _reason(OSError(errno.EACCES, "Permission denied")) == "Permission denied"
    assert _reason(OSError("a reason without a number")) == "a reason without a number"


def test_each_step_is_reported_and_a_missing_folder_is_made_with_its_parents(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "out"
    steps: list[tuple[str, str]] = []
    assert publish(out, a_set("new"), lambda step, name: steps.append((step, name))) == [out / n for n in NAMES]
    assert steps == [("written", name) for name in NAMES] + [("renamed", name) for name in NAMES]
    assert state(out) == a_set("new")


def test_a_failure_while_writing_is_said_and_publishes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, a_set("old"))

    def disk_full(step: str, name: str) -> None:
        if (step, name) == ("written", NAMES[1]):
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(BookletError) as caught:
        publish(out, a_set("new"), disk_full)
    assert problems_of(caught.value) == [(out, "could not write the new files (the disk is full)",
                                          "free some space or fix the folder's permissions, then build again")]
    assert caught.value.state == f"nothing was published: {out}/ still holds the previous build's files"
    assert state(out) == a_set("old")


def test_a_failure_while_renaming_is_said_and_the_next_run_completes_the_set(tmp_path: Path) -> None:
    out = tmp_path / "out"
    publish(out, a_set("old"))

    def rename_fails(step: str, name: str) -> None:
        if (step, name) == ("renamed", NAMES[0]):
            raise OSError(errno.EIO, "Input/output error")

    with pytest.raises(BookletError) as caught:
        publish(out, a_set("new"), rename_fails)
    assert problems_of(caught.value) == [(out, "could not finish replacing the files (Input/output error)",
                                          "run the build again")]
    assert caught.value.state == (f"{out}/ may mix new and previous files until the next build completes the set")
    assert {name: data for name, data in state(out).items() if name in NAMES} == {
        NAMES[0]: a_set("new")[NAMES[0]], NAMES[1]: a_set("old")[NAMES[1]], NAMES[2]: a_set("old")[NAMES[2]]}
    check_output_folder(out)  # the next run
    assert state(out) == a_set("new")


def test_a_folder_that_takes_no_files_is_refused_by_the_probe(tmp_path: Path) -> None:
    """The probe writes into out/ itself: /proc/self is a folder no one can create a file in, root
    included (the suite may run as root, for whom a read-only mode is no obstacle)."""
    with pytest.raises(BookletError) as caught:
        check_output_folder(Path("/proc/self"))
    assert problems_of(caught.value) == [(Path("/proc/self"),
                                          "cannot write to the output folder (No such file or directory)",
                                          "choose a writable folder with --out or fix its permissions")]
