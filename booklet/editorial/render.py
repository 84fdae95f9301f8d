"""Template context → one HTML document per edition (Jinja2, autoescaped, strict).

The layout's stylesheet is a template too: it reads the page geometry of layout.yaml, so page
size, bleed, margins and type sizes are written once. It is rendered and set inline.
"""

from __future__ import annotations

import gettext
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, Template, TemplateError
from jinja2.bccache import Bucket
from jinja2.exceptions import TemplateRuntimeError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from booklet.editorial.context import EditionContext
from booklet.editorial.typography import with_full_stop
from booklet.problems import BookletError, Problem
from booklet.typeset.layout import ENTRY_TEMPLATE, STYLESHEET, Layout


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory for the life of the process, by template file. Jinja2
    checks each against its source's checksum, so an edited template is compiled again; every
    environment is made alike (template_environment), so compiled code is interchangeable between
    them: a rebuild (watch, an edition after another) does not compile the layout again."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


OUTPUT_LIMIT = 64_000_000
"""Characters one template may write: an edition of a thousand statements is about a tenth of it.
A loop without end in a layout would otherwise fill the memory, then the renderer's."""


class BoundedTemplate(Template):
    """A template whose output stops at OUTPUT_LIMIT, with a problem naming the template."""

    def render(self, *args: object, **kwargs: object) -> str:
        pieces, size = [], 0
        generator = self.generate(*args, **kwargs)
        for piece in generator:
            size += len(piece)
            if size > OUTPUT_LIMIT:
                # Raised in the template where it is writing, so that its line is named (an include's,
                # when the writing is in the part it includes).
                generator.throw(TemplateRuntimeError(  # type: ignore[attr-defined]
                    f"this line writes more than {OUTPUT_LIMIT:,} characters, itself or through what it "
                    "includes (a loop without end?)"))
            pieces.append(piece)
        return "".join(pieces)


def template_environment(layout: Layout, translations: gettext.NullTranslations) -> Environment:
    """The layout's templates run sandboxed (no reach into Python's internals, `range` of 100,000 at
    most) and bounded (BoundedTemplate): a layout may come from anyone."""
    environment = SandboxedEnvironment(
        loader=FileSystemLoader(layout.dir),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        bytecode_cache=COMPILED_TEMPLATES,
    )
    environment.template_class = BoundedTemplate
    environment.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    # A value that ends a sentence: one full stop, even after an abbreviation (2026 г.).
    environment.filters["full_stop"] = with_full_stop
    return environment


def render_html(layout: Layout, context: EditionContext, translations: gettext.NullTranslations) -> str:
    """Render the layout's entry template, with its stylesheet set inline."""
    environment = template_environment(layout, translations)
    with reported_as_problems(layout):
        stylesheet = environment.get_template(STYLESHEET).render(
            page=context.page, palette=layout.palette, measured={spec.name: spec for spec in layout.balance})
        return environment.get_template(ENTRY_TEMPLATE).render(edition=context, stylesheet=Markup(stylesheet))


@contextmanager
def reported_as_problems(layout: Layout) -> Iterator[None]:
    """Template mistakes become a problem naming the template's file and line.

    Besides Jinja's own errors, any exception an expression of a template raises (`{{ 1 // 0 }}`,
    `{{ "a" + 1 }}`) is the template's mistake, reported at its line; one raised outside every
    template of the layout is a bug in booklet and goes on."""
    try:
        yield
    except TemplateError as error:
        path, line = _where(error, layout.dir) or (layout.dir / ENTRY_TEMPLATE, None)
        raise BookletError([Problem(path, line, f"template error: {error.message or error}",
                                    "fix the template")]) from None
    except RecursionError as error:  # a template including itself, or a macro calling itself without end
        where = _where(error, layout.dir, repeated=True)
        if where is None:
            raise
        raise BookletError([Problem(*where, "template error: it includes or calls itself without end",
                                    "remove the include or call that leads back to this template")]) from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as error:
        where = _where(error, layout.dir)
        if where is None:
            raise
        raise BookletError([Problem(*where, f"template error: {type(error).__name__}: {error}",
                                    "fix the expression on that line")]) from None


def _where(error: Exception, layout_dir: Path, repeated: bool = False) -> tuple[Path, int | None] | None:
    """The template file and line at fault: a syntax error names them; a runtime error (an undefined
    name, a division by zero) is located by the innermost frame of the traceback that runs a template
    of the layout, a recursion (`repeated`) by the line that recurs most (the include or call that
    leads back); None when no template of the layout is in the traceback."""
    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    if filename:
        path = Path(filename)
        return (path if path.is_absolute() or path.exists() else layout_dir / filename), line
    root = layout_dir.resolve()
    places = [(Path(frame.f_code.co_filename), frame_line)
              for frame, frame_line in reversed(list(traceback.walk_tb(error.__traceback__)))]
    places = [(path, frame_line) for path, frame_line in places
              if path.suffix in (".html", ".css", ".xhtml", ".opf") and path.resolve().is_relative_to(root)]
    if not places:
        return None
    return max(places, key=places.count) if repeated else places[0]
