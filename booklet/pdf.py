"""HTML → PDF with WeasyPrint: the only module that imports it.

WeasyPrint reads files only inside the project (no network, no file elsewhere), sees no font but
the project's (fontconfig is pointed at fonts/ alone), and any warning it logs fails the build.
"""

from __future__ import annotations

import logging
import mimetypes
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

from booklet.problems import BookletError, Problem

_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""


def _isolate_fontconfig(fonts_dir: Path) -> None:
    """Make fontconfig know only the project's fonts, before WeasyPrint initialises it."""
    if "weasyprint" in sys.modules:
        return
    config_dir = Path(tempfile.mkdtemp(prefix="booklet-fontconfig-"))
    config = config_dir / "fonts.conf"
    config.write_text(_FONTCONFIG.format(fonts=escape(str(fonts_dir.resolve())),
                                         cache=escape(str(config_dir / "cache"))), encoding="utf-8")
    os.environ["FONTCONFIG_FILE"] = str(config)


def _weasyprint(fonts_dir: Path) -> Any:
    _isolate_fontconfig(fonts_dir)
    import weasyprint

    return weasyprint


# Warnings about this machine rather than the booklet: fontTools subsetting is slower but correct.
_EXPECTED_WARNINGS = ("Using fontTools instead of HarfBuzz-Subset",)


class _CollectWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(_EXPECTED_WARNINGS):
            self.messages.append(message)


@contextmanager
def _fail_on_warnings(where: Path) -> Iterator[None]:
    handler = _CollectWarnings()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.messages:
        raise BookletError(Problem(where, None, f"renderer: {message}", "fix the layout or the text")
                           for message in handler.messages)


def _project_fetcher(weasyprint: Any, allowed_roots: tuple[Path, ...]) -> Any:
    roots = tuple(root.resolve() for root in allowed_roots)

    class ProjectFetcher(weasyprint.urls.URLFetcher):
        """Serve `file:` URLs below the project's folders; refuse everything else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            if parts.scheme != "file":
                raise weasyprint.urls.FatalURLFetchingError(f"refused to fetch {url}: not a project file")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in roots):
                raise weasyprint.urls.FatalURLFetchingError(f"refused to read {path}: outside the project")
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(url, path.read_bytes(),
                                                      headers={"Content-Type": mime_type})

    return ProjectFetcher()


@dataclass
class LaidOut:
    """An edition laid out once; write it as many times, with as many options, as needed."""

    document: Any
    source: Path

    @property
    def page_count(self) -> int:
        return len(self.document.pages)


def lay_out(html: str, base_dir: Path, allowed_roots: tuple[Path, ...], fonts_dir: Path) -> LaidOut:
    """Run WeasyPrint's layout once for an edition's HTML."""
    weasyprint = _weasyprint(fonts_dir)
    fetcher = _project_fetcher(weasyprint, allowed_roots)
    with _fail_on_warnings(base_dir):
        try:
            document = weasyprint.HTML(string=html, base_url=base_dir.resolve().as_uri() + "/",
                                       url_fetcher=fetcher).render()
        except weasyprint.urls.FatalURLFetchingError as error:
            raise BookletError([Problem(base_dir, None, str(error), "reference only project files")]) from None
    return LaidOut(document, base_dir)


@contextmanager
def _source_date_epoch(epoch: int) -> Iterator[None]:
    """fontTools stamps subset fonts with the current time unless SOURCE_DATE_EPOCH is set."""
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def write_pdf(laid_out: LaidOut, epoch: int, **options: Any) -> bytes:
    """Serialise a laid-out edition to PDF bytes, the same bytes for the same inputs and epoch."""
    with _fail_on_warnings(laid_out.source), _source_date_epoch(epoch):
        return laid_out.document.write_pdf(**options)
