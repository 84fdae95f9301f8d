"""Where a project's parts are and what a build writes there; light enough for the CLI's fast path."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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

    @property
    def cache(self) -> Path:
        """The build cache (see booklet.cache): PROJECT/.booklet-cache, git-ignored, unless the
        environment names another folder in BOOKLET_CACHE_DIR (for CI caches and the tests)."""
        return Path(os.environ.get("BOOKLET_CACHE_DIR") or self.root / ".booklet-cache")
