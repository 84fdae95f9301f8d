"""A content-addressed build cache: the same inputs never cost a second layout.

Two levels, both keyed by SHA-256 digests of content, never by file times:
- the *build* key covers every file of the corpus, the layouts, the fonts and the colour profiles,
  booklet's own code, the versions of the libraries and system libraries that shape the output, and
  the build options. When out/ already holds exactly what that key produced, a rebuild returns at
  once; this check imports nothing heavy, so it is fast from the command line.
- the *edition* key covers one edition's rendered HTML and the same layout, fonts, code and
  versions: an edit to one edition's text lays out and writes that edition alone.

Outputs are kept once each under `objects/` by their own digest. Writes are atomic (write beside,
then rename), so concurrent builds sharing a cache never see half an entry; the cache keeps the
newest entries only (see `KEPT_ENTRIES`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from importlib import metadata
from pathlib import Path

from booklet.project import Project

CACHE_DIR_NAME = ".booklet-cache"
KEPT_ENTRIES = 24
"""Newest build and edition entries kept; older ones, and objects no entry names, are removed."""
GEOMETRIES = "geometries"
"""What the page plan read from layouts (booklet.typeset.setter.GeometryStore): one small file each."""
KEPT_GEOMETRIES = 64

OUTPUT_LIBRARIES = ("weasyprint", "pydyf", "fonttools", "uharfbuzz", "tinycss2", "cssselect2", "pyphen",
                    "tinyhtml5", "pillow", "pypdf", "jinja2", "babel", "markdown-it-py", "mdit-py-plugins",
                    "pyyaml")
"""Python distributions whose version can change the bytes of an output."""

SYSTEM_LIBRARIES = (("libpango-1.0.so.0", "pango_version_string"),
                    ("libharfbuzz.so.0", "hb_version_string"),
                    ("libfontconfig.so.1", "FcGetVersion"))
"""The shared libraries WeasyPrint lays text out with, and how each tells its version."""

CODE_DIR = Path(__file__).resolve().parent
COLOUR_DIR = CODE_DIR.parent / "colour"


@dataclass(frozen=True)
class CachedFile:
    """One output as the cache knows it: enough to report it and to put it back in out/."""

    name: str
    profile: str
    pages: int
    digest: str


def digest_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _files_below(folder: Path) -> Iterator[Path]:
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                yield path


def tree_digest(*folders: Path) -> str:
    """The content of every file below the folders, with its relative path."""
    hasher = hashlib.sha256()
    for folder in folders:
        hasher.update(f"\0dir {folder.name}\0".encode())
        for path in _files_below(folder):
            hasher.update(str(path.relative_to(folder)).encode() + b"\0")
            hasher.update(hashlib.sha256(path.read_bytes()).digest())
    return hasher.hexdigest()


def _system_library_versions() -> list[str]:
    import ctypes

    versions = []
    for name, function in SYSTEM_LIBRARIES:
        try:
            library = ctypes.CDLL(name)
        except OSError:
            versions.append(f"{name}=absent")
            continue
        getter = getattr(library, function)
        if function == "FcGetVersion":
            getter.restype = ctypes.c_int
            versions.append(f"{name}={getter()}")
        else:
            getter.restype = ctypes.c_char_p
            versions.append(f"{name}={getter().decode()}")
    return versions


@functools.cache
def toolchain_digest() -> str:
    """booklet's own code, the Python and library versions: a change in any invalidates everything."""
    parts = [sys.version, tree_digest(CODE_DIR, COLOUR_DIR)]
    for name in OUTPUT_LIBRARIES:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=absent")
    parts += _system_library_versions()
    parts.append(f"SOURCE_DATE_EPOCH={os.environ.get('SOURCE_DATE_EPOCH', '')}")
    return digest_bytes("\n".join(parts).encode())


def key_of(*parts: str) -> str:
    return digest_bytes("\0".join(parts).encode())


def build_key(project: Project, languages: Iterable[str] | None, profiles: Iterable[str],
              creep_mm: float) -> str:
    """Everything a build reads, and its options: equal keys give equal out/ folders."""
    return key_of(toolchain_digest(), tree_digest(project.corpus, project.layouts, project.fonts),
                  ",".join(sorted(set(languages or []))), ",".join(profiles), repr(creep_mm))


class BuildCache:
    """The cache folder of one project (`.booklet-cache/` beside corpus/, git-ignored)."""

    def __init__(self, folder: Path):
        self.folder = folder

    def _entry_path(self, kind: str, key: str) -> Path:
        return self.folder / kind / f"{key}.json"

    def _object_path(self, digest: str) -> Path:
        return self.folder / "objects" / digest[:2] / digest[2:]

    def lookup(self, kind: str, key: str) -> list[CachedFile] | None:
        """The files an entry lists, if the entry and all its objects are there."""
        path = self._entry_path(kind, key)
        try:
            files = [CachedFile(**item) for item in json.loads(path.read_text(encoding="utf-8"))]
        except (OSError, ValueError, TypeError):
            return None
        if not all(self._object_path(file.digest).is_file() for file in files):
            return None
        os.utime(path)  # the newest entries survive pruning
        return files

    def up_to_date(self, key: str, out: Path) -> list[CachedFile] | None:
        """The files of the build with this key, if out/ still holds exactly them."""
        files = self.lookup("builds", key)
        return files if files is not None and out_matches(out, files) else None

    def data(self, file: CachedFile) -> bytes:
        return self._object_path(file.digest).read_bytes()

    def store(self, kind: str, key: str, files: Iterable[tuple[CachedFile, bytes]]) -> None:
        """Keep the files' bytes and an entry naming them; a failure to cache never fails a build."""
        try:
            listed = []
            for file, data in files:
                target = self._object_path(file.digest)
                if not target.is_file():
                    write_atomically(target, data)
                listed.append(asdict(file))
            write_atomically(self._entry_path(kind, key), json.dumps(listed, indent=1).encode())
        except OSError:
            return

    def prune(self, kept: int = KEPT_ENTRIES) -> None:
        """Keep the newest entries of each kind and the objects they name."""
        try:
            alive: set[str] = set()
            geometries = sorted((self.folder / GEOMETRIES).glob("*.json"), key=lambda p: p.stat().st_mtime_ns,
                                reverse=True)
            for old in geometries[KEPT_GEOMETRIES:]:
                old.unlink(missing_ok=True)
            for kind_dir in (p for p in self.folder.iterdir() if p.is_dir() and p.name not in ("objects", GEOMETRIES)):
                entries = sorted(kind_dir.glob("*.json"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
                for old in entries[kept:]:
                    old.unlink(missing_ok=True)
                for entry in entries[:kept]:
                    alive.update(item["digest"] for item in json.loads(entry.read_text(encoding="utf-8")))
            for path in _files_below(self.folder / "objects"):
                if path.parent.name + path.name not in alive:
                    path.unlink(missing_ok=True)
        except (OSError, ValueError, KeyError, TypeError):
            return


def out_matches(out: Path, files: Iterable[CachedFile]) -> bool:
    """True when out/ holds exactly these files' bytes."""
    for file in files:
        try:
            if digest_bytes((out / file.name).read_bytes()) != file.digest:
                return False
        except OSError:
            return False
    return True


def write_atomically(target: Path, data: bytes) -> None:
    """Write beside the target and rename, so a reader never sees half a file."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
