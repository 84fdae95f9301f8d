"""Publishing into out/: every file of a build lands together, or none does.

A build's files are all written (and flushed to disk) into a staging folder inside out/ first; only
then is a `PUBLISH` list written into it and each file renamed over its target. Renames within one
folder need no space and take microseconds, so a full disk, a crash or a kill while writing leaves
out/ as it was; a kill in the middle of the renames leaves the list behind, and the next run finishes
those renames before doing anything else. Stale staging folders are removed on the next run. One
build at a time publishes into a folder (an exclusive lock on the folder itself); a second waits.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from booklet.problems import BookletError, Problem, display_path, not_a_regular_file
from booklet.project import Project

STAGING_PREFIX = ".booklet-staging-"
PUBLISH_LIST = "PUBLISH"

Step = Callable[[str, str], None]
"""Called as ("written", name) after each staged file and ("renamed", name) after each rename."""


def nothing_written(out: Path) -> str:
    """The state of out/ after a failure before publishing."""
    return f"nothing was written: {display_path(out)}/ is unchanged"


def check_output_place(project: Project) -> None:
    """Refuse an out/ inside what the build reads, before anything is read or written there."""
    problem = project.output_problem()
    if problem:
        raise BookletError([Problem(project.out, None, problem,
                                    "pass --out a folder of its own, outside corpus/, layouts/ and fonts/ "
                                    "(the default is the project's out/)")])


def check_output_folder(out: Path, names: Iterable[str] = ()) -> None:
    """Fail early, before any layout, when out/ cannot receive files (not a folder, read-only, one
    of the `names` to write taken by a folder); finish or clean up what an interrupted build left."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with _locked(out), tempfile.TemporaryFile(dir=out):
            recover(out)  # a set a killed build left half-renamed is completed now, stale files go
            _check_targets(out, names)
    except (NotADirectoryError, FileExistsError):
        raise BookletError([Problem(out, None, "the output path is not a folder",
                                    "pass --out a folder (it is created if missing)")]) from None
    except OSError as error:
        raise BookletError([Problem(out, None, f"cannot write to the output folder ({_reason(error)})",
                                    "choose a writable folder with --out or fix its permissions")]) from None


def publish(out: Path, files: Mapping[str, bytes], on_step: Step = lambda step, name: None) -> list[Path]:
    """Write every file into out/ as one set: afterwards out/ holds all of them, or (on any error,
    Ctrl-C or kill) none of them and its previous files unchanged."""
    out.mkdir(parents=True, exist_ok=True)
    with _locked(out):
        recover(out)
        _check_targets(out, files)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out))
        published = False
        try:
            for name, data in files.items():
                _write_synced(staging / name, data)
                on_step("written", name)
            _write_synced(staging / PUBLISH_LIST, "\n".join(files).encode("utf-8"))
            published = True  # from here on the set is complete on disk: it will land
            _finish(staging, on_step)
        except OSError as error:
            shown = display_path(out)
            if published:  # a rename failed: say so; the list stays for the next run to complete
                raise BookletError([Problem(out, None, f"could not finish replacing the files ({_reason(error)})",
                                            "run the build again")],
                                   f"{shown}/ may mix new and previous files until the next build completes "
                                   "the set") from None
            raise BookletError([Problem(out, None, f"could not write the new files ({_reason(error)})",
                                        "free some space or fix the folder's permissions, then build again")],
                               f"nothing was published: {shown}/ still holds the previous build's files") from None
        finally:
            if not published:
                shutil.rmtree(staging, ignore_errors=True)
    return [out / name for name in files]


def _check_targets(out: Path, names: Iterable[str]) -> None:
    """A name of the set already taken by a folder (or anything a rename cannot replace) would stop
    the renames half-way: refuse it before anything is written."""
    problems = [Problem(out / name, None, f"is {kind}, where the build writes a file",
                        "move it away or remove it, then build again")
                for name in names if (kind := not_a_regular_file(out / name)) not in (None, "missing")]
    if problems:
        raise BookletError(problems, nothing_written(out))


def recover(out: Path) -> None:
    """Finish what an interrupted publish left: complete a set whose list was written, drop the rest.

    Call with the lock held."""
    for staging in sorted(out.glob(STAGING_PREFIX + "*")):
        if (staging / PUBLISH_LIST).is_file():
            _finish(staging, lambda step, name: None)
        else:
            shutil.rmtree(staging, ignore_errors=True)


def _finish(staging: Path, on_step: Step) -> None:
    names = (staging / PUBLISH_LIST).read_text(encoding="utf-8").split("\n")
    for name in names:
        if (staging / name).exists():  # after a kill mid-way, some are already in place
            os.replace(staging / name, staging.parent / name)
            on_step("renamed", name)
    _sync_folder(staging.parent)
    shutil.rmtree(staging, ignore_errors=True)


def _write_synced(path: Path, data: bytes) -> None:
    with open(path, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())
    os.chmod(path, 0o644)


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """An exclusive lock on the folder itself (no lock file left behind), released on exit or death."""
    descriptor = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _reason(error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return "the disk is full"
    if error.errno == errno.EFBIG:
        return "the file is larger than this system allows"
    return error.strerror or str(error)
