"""Where a project's parts are and what a build writes there; light enough for the CLI's fast path."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from booklet.problems import Problem, raise_if_any

PROFILES = ("print", "screen", "imposed")
"""The PDFs of an edition."""
EPUB = "epub"
HTML = "html"
"""The edition as one self-contained web page."""
OUTPUTS = (*PROFILES, EPUB, HTML)
"""What `booklet build` can write per edition: the PDF profiles, the EPUB and the web page."""


def file_name(language: str, profile: str) -> str:
    if profile in (EPUB, HTML):
        return f"booklet-{language}.{profile}"
    return f"booklet-{language}-{profile}.pdf"


@dataclass(frozen=True)
class Project:
    """Where a project's parts are; the corpus and output folders can be moved by options."""

    root: Path
    corpus: Path
    out: Path

    @classmethod
    def at(cls, root: Path, corpus: Path | None = None, out: Path | None = None) -> Project:
        return cls(root=root, corpus=corpus or root / "corpus", out=out or root / "out")

    @property
    def layouts(self) -> Path:
        return self.root / "layouts"

    @property
    def fonts(self) -> Path:
        return self.root / "fonts"

    def linked_outside(self) -> list[tuple[str, Path]]:
        """The project's own folders (layouts/, fonts/, and corpus/ unless `--corpus` named another)
        that resolve to a place outside the project: a build reads nothing from outside it, so
        that a project folder builds the same files wherever it is copied."""
        root = os.path.realpath(self.root)
        folders = [("layouts", self.layouts), ("fonts", self.fonts)]
        if self.corpus == self.root / "corpus":
            folders.insert(0, ("corpus", self.corpus))
        return [(name, folder) for name, folder in folders
                if not Path(os.path.realpath(folder)).is_relative_to(root)]

    def output_problem(self) -> str | None:
        """Why out/ may not be where it is: in a folder the build reads (it would write into its own
        inputs, and `booklet watch` would rebuild on its own files for ever), or the project folder
        itself. None where it may be."""
        out = self.out.resolve()
        for what, folder in (("corpus", self.corpus), ("layouts", self.layouts), ("fonts", self.fonts)):
            folder = folder.resolve()
            if out == folder or folder in out.parents:
                return f"the output folder is in the {what} folder, which the build reads"
        if out == self.root.resolve():
            return "the output folder is the project folder itself"
        return None

    @property
    def cache(self) -> Path:
        """The build cache (see booklet.cache): PROJECT/.booklet-cache, git-ignored, unless the
        environment names another folder in BOOKLET_CACHE_DIR (for CI caches and the tests)."""
        return Path(os.environ.get("BOOKLET_CACHE_DIR") or self.root / ".booklet-cache")


def check_project_folders(project: Project) -> None:
    """Refuse, before reading anything, a project folder that is a link to a place outside the project."""
    raise_if_any([Problem(folder, None, f"{name}/ is a link to {os.path.realpath(folder)}, outside the project, "
                          "and a build reads nothing from outside it",
                          "pass --corpus with the corpus's own place" if name == "corpus" else
                          "copy that folder into the project in place of the link")
                  for name, folder in project.linked_outside()])
