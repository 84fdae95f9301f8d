"""HTML → PDF with WeasyPrint: the only module that imports it.

WeasyPrint reads files only inside the project (no network, no file elsewhere), sees no font but
the project's (fontconfig is pointed at fonts/ alone), and any warning it logs fails the build.
"""

from __future__ import annotations

import ctypes.util
import datetime as dt
import difflib
import functools
import gc
import hashlib
import logging
import mimetypes
import multiprocessing.util
import os
import re
import shutil
import signal
import sys
import tempfile
import warnings
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from xml.sax.saxutils import escape

from booklet.problems import BookletError, Problem, not_a_regular_file
from booklet.typeset.layout import STYLESHEET, FontFace
from booklet.typeset.setter import ComposerMemo, Geometries, Typesetting, typeset

_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""


FONTCONFIG_PREFIX = "booklet-fontconfig-"


_PROCESS_TEMPORARIES: list[Path] = []
"""This process's temporary folder (the fontconfig set-up, and every temporary WeasyPrint makes)."""


def _isolate_fontconfig(fonts_dir: Path) -> None:
    """Make fontconfig know only the project's fonts, before WeasyPrint initialises it.

    Its configuration lives in a temporary folder named after this process, removed when the process
    ends — at exit, or when a worker process of a parallel build ends (whose exit skips `atexit`);
    folders of processes that died without cleaning up (a kill) are removed by the next run.
    """
    if "weasyprint" in sys.modules:
        return
    _remove_orphaned_fontconfig_folders()
    with _interruptions_held():  # a Ctrl-C or kill between the two would leave the folder
        config_dir = Path(tempfile.mkdtemp(prefix=f"{FONTCONFIG_PREFIX}{os.getpid()}-"))
        _PROCESS_TEMPORARIES.append(config_dir)
        # Run at exit by multiprocessing's own exit hook: in this process (through atexit) and in a
        # worker process of a parallel build (whose exit skips atexit).
        multiprocessing.util.Finalize(None, shutil.rmtree, args=(config_dir,), kwargs={"ignore_errors": True},
                                      exitpriority=0)
    config = config_dir / "fonts.conf"
    config.write_text(_FONTCONFIG.format(fonts=escape(str(fonts_dir.resolve())),
                                         cache=escape(str(config_dir / "cache"))), encoding="utf-8")
    os.environ["FONTCONFIG_FILE"] = str(config)


@contextmanager
def _interruptions_held() -> Iterator[None]:
    """SIGINT and SIGTERM wait until the block ends (then act as ever): what it makes and what
    removes it at exit come into being together."""
    held = {signal.SIGINT, signal.SIGTERM}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _remove_orphaned_fontconfig_folders() -> None:
    for folder in Path(tempfile.gettempdir()).glob(f"{FONTCONFIG_PREFIX}*-*"):
        pid = folder.name.removeprefix(FONTCONFIG_PREFIX).split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


WEASYPRINT_VERSION = "70.0"
"""The version requirements.lock pins. Besides WeasyPrint's public API this module relies on some of
its internals (Font.subset and the font's fields, Document's constructor and colour profiles,
ColorProfile, the bundled sRGB profile); tests/test_weasyprint_contract.py fails loudly when an
upgrade changes them. Upgrade both together."""


@contextmanager
def _libraries_by_soname() -> Iterator[None]:
    """WeasyPrint tries each C library under every platform's names, and cffi asks
    `ctypes.util.find_library` about each name the dynamic linker does not know: on Linux that runs
    ldconfig and gcc, 26 programs and ≈ 0.45 s at the start of every process that lays out (each
    edition's, each watch). The names it tries last on Linux ("libpango-1.0.so.0" …) are the
    sonames that lookup would return, and the dynamic linker finds them itself: the lookup is
    skipped there. Elsewhere nothing changes."""
    if not sys.platform.startswith("linux"):
        yield
        return
    find_library = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = find_library


def _weasyprint(fonts_dir: Path) -> Any:
    _isolate_fontconfig(fonts_dir)
    with warnings.catch_warnings(), _libraries_by_soname():
        # About this machine, not the booklet: we subset with the pinned uharfbuzz everywhere anyway.
        warnings.filterwarnings("ignore", "HarfBuzz-Subset will be required", DeprecationWarning)
        import weasyprint

    if weasyprint.__version__ != WEASYPRINT_VERSION:
        raise BookletError([Problem(Path(weasyprint.__file__).parent, None,
                                    f"WeasyPrint {weasyprint.__version__} is installed; booklet is made for "
                                    f"{WEASYPRINT_VERSION}, whose internals it uses",
                                    "run `make` to install the locked versions (requirements.lock)")])
    if _PROCESS_TEMPORARIES:
        # WeasyPrint copies each @font-face into a folder of its own, removed only when its
        # FontConfiguration is collected — never in a worker process, which ends without collecting.
        # Made inside this process's folder, it goes with it (or with the next run's sweep).
        from weasyprint.text import fonts

        fonts.mkdtemp = functools.partial(tempfile.mkdtemp, dir=_PROCESS_TEMPORARIES[0])
    return weasyprint


_EXPECTED_WARNINGS: tuple[str, ...] = ()
"""Warnings about this machine rather than the booklet (none since fonts are subset by uharfbuzz)."""


class _CollectWarnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(_EXPECTED_WARNINGS):
            self.messages.append(message)


Locate = Callable[[str], Problem | None]
"""Turns a renderer's warning into a problem at the line of the layout's file that caused it."""


@contextmanager
def _fail_on_warnings(where: Path, locate: Locate = lambda message: None) -> Iterator[None]:
    handler = _CollectWarnings()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.messages:
        raise BookletError(locate(message) or Problem(where, None, f"renderer: {message}", "fix the layout or the text")
                           for message in handler.messages)


_CSS_POSITION = re.compile(r" at (\d+):\d+")


def _stylesheet_locator(document: Any, template: Path) -> Locate:
    """A CSS warning names a line of a <style> element's text; the stylesheet there is the layout's
    style.css rendered (a Jinja template), so the warning is reported at the template's line."""
    styles = [element.text or "" for element in document.etree_element.iter("style")]

    def locate(message: str) -> Problem | None:
        found = _CSS_POSITION.search(message)
        if not found or not styles or not template.is_file():
            return None
        line = int(found.group(1))
        quoted = re.search(r"`([^`]+)`", message)  # what was ignored, as written
        holding = [text for text in styles if quoted and quoted.group(1) in _line(text, line)]
        rendered = holding[0] if holding else max(styles, key=len)  # else the longest: the stylesheet
        source_line = template_line(template.read_text(encoding="utf-8"), rendered, line)
        said = _CSS_POSITION.sub("", message, count=1).rstrip(".")
        return Problem(template, source_line, f"renderer: {said}", "fix the stylesheet at that line")

    return locate


def _line(text: str, number: int) -> str:
    lines = text.split("\n")
    return lines[number - 1] if 0 < number <= len(lines) else ""


def template_line(template: str, rendered: str, line: int) -> int:
    """The line of a template that produced line `line` (from 1) of its rendering: lines copied
    as they are align exactly, a line with a substitution by its neighbours; lines a loop wrote
    are put at the loop's first line."""
    source, output = template.split("\n"), rendered.split("\n")
    index = min(max(line - 1, 0), len(output) - 1)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, source, output, autojunk=False).get_opcodes():
        if j1 <= index < j2:
            if tag == "equal" or i2 - i1 == j2 - j1:
                return i1 + index - j1 + 1
            return min(i1 + 1, len(source))
    return len(source)


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
            if kind := not_a_regular_file(path):
                raise weasyprint.urls.FatalURLFetchingError(f"refused to read {path}: it is {kind}, not a file")
            mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return weasyprint.urls.URLFetcherResponse(url, path.read_bytes(),
                                                      headers={"Content-Type": mime_type})

    return ProjectFetcher()


LAYOUT_PASSES: Counter[str] = Counter()
"""How many times each document language was laid out: one pass per edition is the contract."""


@dataclass
class LaidOut:
    """An edition laid out once; write it as many times, with as many options, as needed."""

    document: Any
    source: Path
    typesetting: Typesetting = field(default_factory=Typesetting)

    @property
    def page_count(self) -> int:
        return len(self.document.pages)

    @property
    def last_page_name(self) -> str | None:
        """The CSS named page of the last page (`back-cover` for an outside back cover)."""
        pages = self.document.pages
        return pages[-1]._page_box.page_type.name if pages else None

    @property
    def document_id(self) -> bytes:
        """A permanent ID for this edition's PDFs (the first half of the trailer /ID).

        Derived from the title and language, not from time or chance, so rebuilds are identical.
        """
        metadata = self.document.metadata
        return hashlib.md5(f"{metadata.title}|{metadata.lang}".encode()).hexdigest().encode()


def use_hyphenation_dictionaries(dictionaries: tuple[tuple[str, Path], ...]) -> None:
    """Give Pyphen (WeasyPrint's hyphenator) the layout's dictionaries for languages it lacks."""
    import pyphen

    for language, path in dictionaries:
        pyphen.LANGUAGES[language] = path
        pyphen.LANGUAGES_LOWERCASE[language.lower()] = language


def lay_out(html: str, base_dir: Path, allowed_roots: tuple[Path, ...], fonts_dir: Path,
            hyphenation: tuple[tuple[str, Path], ...] = (), faces: tuple[FontFace, ...] = (),
            memo: ComposerMemo | None = None,
            exceptions: tuple[tuple[str, tuple[str, ...]], ...] = (),
            geometries: Geometries | None = None) -> LaidOut:
    """Lay out an edition's HTML once, its justified paragraphs composed as wholes (booklet.typeset.setter)."""
    weasyprint = _weasyprint(fonts_dir)
    use_hyphenation_dictionaries(hyphenation)
    fetcher = _project_fetcher(weasyprint, allowed_roots)
    base_url = base_dir.resolve().as_uri() + "/"

    def parse(source: str) -> Any:
        return weasyprint.HTML(string=source, base_url=base_url, url_fetcher=fetcher)

    def render(parsed: Any) -> Any:
        # The tree may have been edited since it was parsed: wrap it again for the selectors.
        import cssselect2

        parsed.wrapper_element = cssselect2.ElementWrapper.from_html_root(parsed.etree_element)
        with _collected_before(), _fail_on_warnings(base_dir, _stylesheet_locator(parsed, base_dir / STYLESHEET)):
            try:
                return parsed.render()
            except weasyprint.urls.FatalURLFetchingError as error:
                raise BookletError([Problem(base_dir, None, str(error), "reference only project files")]) from None

    document, typesetting = typeset(html, parse, render, faces, memo=memo, exceptions=exceptions,
                                    geometries=geometries)
    LAYOUT_PASSES[document.metadata.lang or ""] += 1
    return LaidOut(document, base_dir, typesetting)


FULL_COLLECTION_EVERY = 100
"""Middle-generation collections between two full ones while a layout is made (Python's default: 10)."""


@contextmanager
def _collected_before() -> Iterator[None]:
    """A layout freed just before (the skeleton, or one the page plan has read) is cycles of styles,
    boxes and fonts: collected now, at once. Then, while the next layout grows, full collections are
    ten times rarer: each walked every object of it, a fifth of the CPU of a large edition's layout,
    to find little garbage."""
    gc.collect()
    thresholds = gc.get_threshold()
    gc.set_threshold(thresholds[0], thresholds[1], FULL_COLLECTION_EVERY)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)


def plain_pdf(html: str, base_dir: Path, fonts_dir: Path) -> bytes:
    """WeasyPrint as anyone would call it, `HTML(...).write_pdf()` with its defaults: the floor that
    `make bench` compares a build with (fontconfig still sees only the project's fonts)."""
    weasyprint = _weasyprint(fonts_dir)
    return weasyprint.HTML(string=html, base_url=base_dir.resolve().as_uri() + "/").write_pdf()


Finisher = Callable[[Any], None]
"""Edits the pydyf.PDF object after WeasyPrint built it and before it is serialised."""


PrintColours = dict[tuple[int, int, int], tuple[float, float, float, float]]
"""sRGB colours (0–255) → the CMYK tints (0–100 %) a print file sets in their place."""


@dataclass(frozen=True)
class WrittenPdf:
    data: bytes
    objects: Any
    """The pydyf.PDF the bytes were serialised from, to read without parsing them again
    (booklet.press.objects)."""


def write_pdf(laid_out: LaidOut, *, variant: str | None = None, output_profile: Path | None = None,
              finisher: Finisher | None = None, print_colours: PrintColours | None = None,
              **options: Any) -> bytes:
    """Serialise a laid-out edition to PDF bytes, without laying it out again."""
    return write_pdf_objects(laid_out, variant=variant, output_profile=output_profile, finisher=finisher,
                             print_colours=print_colours, **options).data


def write_pdf_objects(laid_out: LaidOut, *, variant: str | None = None, output_profile: Path | None = None,
                      finisher: Finisher | None = None, print_colours: PrintColours | None = None,
                      **options: Any) -> WrittenPdf:
    """Serialise a laid-out edition to PDF bytes, without laying it out again; and its objects.

    `output_profile` (a CMYK ICC file) becomes the output intent, with WeasyPrint's sRGB profile
    beside it so that a finisher can declare DefaultRGB. Fonts are always subset by the HarfBuzz of
    the pinned uharfbuzz wheel, so the bytes are the same on machines with or without a system
    libharfbuzz-subset (whose version, and so whose bytes, vary). `print_colours` sets those sRGB
    colours as DeviceCMYK instead (WeasyPrint 70 writes `device-cmyk` colours as such).
    """
    document = laid_out.document
    if output_profile is not None:
        document = _with_output_intent(document, output_profile)
    finished: list[Any] = []

    def finish(_document: Any, pdf: Any) -> None:
        if finisher:
            finisher(pdf)
        _compress_streams(pdf)
        finished.append(pdf)

    with (_fail_on_warnings(laid_out.source), _subset_with_pinned_harfbuzz(), _page_references_once(),
          _serialised_once(), _font_timestamps(laid_out.document.metadata.created), _cmyk_for(print_colours or {})):
        data = document.write_pdf(pdf_variant=variant, pdf_identifier=laid_out.document_id, finisher=finish,
                                  **options)
    return WrittenPdf(data, finished[0])


_LARGE_STREAM = 16 * 1024
"""Streams from this size on (font programs, ICC profiles) are compressed through a memo."""


@functools.lru_cache(maxsize=64)
def _deflated(data: bytes) -> bytes:
    """pydyf's own compression (zlib level 9), done once per distinct large stream in a process."""
    return _deflate(data)


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(level=9)
    return compressor.compress(data) + compressor.flush()


def _compress_streams(pdf: Any) -> None:
    """Hand pydyf every stream already compressed, with the very bytes it would have made.

    pydyf compresses a stream whenever it serialises it, and a file with an identifier is
    serialised twice (once more to hash it); the same font subsets and output profile recur in the
    files of a build. Compressed here, each stream costs one compression, a large one once per process."""
    import pydyf

    for stream in pdf.objects:
        if not getattr(stream, "compress", False) or not isinstance(getattr(stream, "stream", None), list):
            continue
        data = b"\n".join(pydyf._to_bytes(part) for part in stream.stream)
        stream.stream = [_deflated(data) if len(data) >= _LARGE_STREAM else _deflate(data)]
        stream.extra["Filter"] = "/FlateDecode"
        stream.compress = False


def page_pdf(laid_out: LaidOut, index: int) -> bytes:
    """One page of the layout as a plain PDF (for an image of it, such as the EPUB's cover)."""
    document = laid_out.document.copy([laid_out.document.pages[index]])
    with (_fail_on_warnings(laid_out.source), _subset_with_pinned_harfbuzz(),
          _font_timestamps(laid_out.document.metadata.created)):
        return document.write_pdf(pdf_identifier=laid_out.document_id)


def _with_output_intent(document: Any, output_profile: Path) -> Any:
    """A copy of the document (same pages, no new layout) printing to a CMYK output profile."""
    from importlib.resources import files

    from weasyprint.css import ColorProfile

    profiles = dict(document.color_profiles)
    with output_profile.open("rb") as stream:
        profiles["device-cmyk"] = ColorProfile(stream, output_profile.name, "relative-colorimetric",
                                               (["c"], ["m"], ["y"], ["k"]))
    with (files("weasyprint.pdf") / "sRGB2014.icc").open("rb") as stream:
        profiles["srgb"] = ColorProfile(stream, "sRGB2014.icc", "relative-colorimetric",
                                        (["r"], ["g"], ["b"]))
    return type(document)(document.pages, document.metadata, document.url_fetcher,
                          document.font_config, profiles, "device-cmyk")


@contextmanager
def _cmyk_for(print_colours: PrintColours) -> Iterator[None]:
    """While a print file is drawn, a palette colour is set as its CMYK value, not as sRGB.

    The layout is the same for every profile (one layout pass); only the drawing of this file's
    colour operators changes, through WeasyPrint's own device-cmyk support.
    """
    if not print_colours:
        yield
        return
    from weasyprint.css.tokens import parse_color
    from weasyprint.pdf.stream import Stream

    original = Stream.set_color
    parsed: dict[tuple[tuple[int, ...], float], Any] = {}  # a colour's CSS parsed once, not once a glyph run

    def set_color(stream: Any, color: Any, stroke: bool = False) -> None:
        if color.space == "srgb":
            key = tuple(round(channel * 255) for channel in color.coordinates)
            tints = print_colours.get(key)
            if tints is not None:
                if (key, color.alpha) not in parsed:
                    c, m, y, k = tints
                    parsed[key, color.alpha] = parse_color(f"device-cmyk({c}% {m}% {y}% {k}% / {color.alpha})")
                color = parsed[key, color.alpha]
        original(stream, color, stroke)

    Stream.set_color = set_color
    try:
        yield
    finally:
        Stream.set_color = original


@contextmanager
def _serialised_once() -> Iterator[None]:
    """pydyf serialises every object of a file twice: to write it, and again to hash the whole file
    for the trailer's ID (compressing the object stream twice too). While pydyf writes a file, each
    object of the file keeps the bytes it was first serialised to: only objects added to the file
    (numbered), none of the temporary ones pydyf makes on the way, and nothing of a file changes
    while pydyf writes it."""
    import pydyf

    write = pydyf.PDF.write
    kinds = (pydyf.Dictionary, pydyf.Array, pydyf.Stream)
    originals = {kind: kind.data for kind in kinds}

    def once(original: property, kept: dict[int, bytes]) -> property:
        serialise = original.fget
        assert serialise is not None

        def data(self: Any) -> bytes:
            if self.number is None:
                return serialise(self)
            if id(self) not in kept:
                kept[id(self)] = serialise(self)
            return kept[id(self)]
        return property(data)

    def write_once(pdf: Any, *args: Any, **kwargs: Any) -> Any:
        kept: dict[int, bytes] = {}
        for kind in kinds:
            kind.data = once(originals[kind], kept)
        try:
            return write(pdf, *args, **kwargs)
        finally:
            for kind in kinds:
                kind.data = originals[kind]

    pydyf.PDF.write = write_once
    try:
        yield
    finally:
        pydyf.PDF.write = write


@contextmanager
def _page_references_once() -> Iterator[None]:
    """pydyf lists every page's reference anew each time WeasyPrint asks for one page's (once per
    tagged element and bookmark): quadratic, a third of a 230-page screen file's writing. While a
    file is written, the list is made again only when the pages have changed."""
    import pydyf

    original = pydyf.PDF.page_references

    def page_references(pdf: Any) -> tuple[bytes, ...]:
        numbers = tuple(pdf.pages["Kids"][::3])
        known = pdf.__dict__.get("_booklet_page_references")
        if known is None or known[0] != numbers:
            known = pdf.__dict__["_booklet_page_references"] = (numbers, original.fget(pdf))
        return known[1]

    pydyf.PDF.page_references = property(page_references)
    try:
        yield
    finally:
        pydyf.PDF.page_references = original


@contextmanager
def _font_timestamps(created: str | None) -> Iterator[None]:
    """fontTools (which WeasyPrint still uses to instance variable fonts) stamps each font it saves
    with the time unless SOURCE_DATE_EPOCH is set: set it."""
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    if saved is None and created:
        os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime.fromisoformat(created).timestamp()))
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)


_DROPPED_TABLES = ("BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ")
"""The tables WeasyPrint's own HarfBuzz subsetting drops: a PDF needs outlines and metrics only."""


def _harfbuzz_subset(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    """WeasyPrint's Font.subset done by uharfbuzz: the same two passes as its libharfbuzz-subset code
    (keep the used glyph ids, then drop the unused glyphs after the last used one), 100× faster than
    fontTools and independent of the system's libraries."""
    import uharfbuzz as hb

    if not to_unicode:
        return
    flags = hb.SubsetFlags
    subset_input = hb.SubsetInput()
    subset_input.glyph_set.update(sorted(to_unicode))
    notdef = flags.NOTDEF_OUTLINE if font.missing else flags.DEFAULT
    subset_input.flags = flags.RETAIN_GIDS | flags.PASSTHROUGH_UNRECOGNIZED | flags.DESUBROUTINIZE | notdef
    subset_input.sets(hb.SubsetInputSets.DROP_TABLE_TAG).update(
        int.from_bytes(tag.encode("ascii"), "big") for tag in _DROPPED_TABLES)
    retained = hb.subset(hb.Face(hb.Blob(font.file_content), font.index), subset_input)
    subset_input.glyph_set.update(range(max(to_unicode) + 1))
    no_hinting = flags.DEFAULT if hinting else flags.NO_HINTING
    subset_input.flags = flags.PASSTHROUGH_UNRECOGNIZED | flags.DESUBROUTINIZE | no_hinting | notdef
    subset = hb.subset(retained, subset_input) if retained is not None else None
    if subset is None or not subset.blob.data:
        logging.getLogger("weasyprint").warning('Unable to subset "%s" with HarfBuzz', font.family)
        return
    font.file_content = subset.blob.data


@contextmanager
def _subset_with_pinned_harfbuzz() -> Iterator[None]:
    """Use one font subsetter everywhere: subsetters (and versions of one) differ in bytes."""
    from weasyprint.pdf import fonts

    saved, fonts.Font.subset = fonts.Font.subset, _harfbuzz_subset
    try:
        yield
    finally:
        fonts.Font.subset = saved
