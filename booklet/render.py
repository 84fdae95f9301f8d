"""Template context → one HTML document per edition (Jinja2, autoescaped, strict)."""

from __future__ import annotations

import gettext

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateError

from booklet.context import EditionContext
from booklet.layout import ENTRY_TEMPLATE, Layout
from booklet.problems import BookletError, Problem
from booklet.typography import with_full_stop


def template_environment(layout: Layout, translations: gettext.NullTranslations) -> Environment:
    environment = Environment(
        loader=FileSystemLoader(layout.dir),
        autoescape=True,
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
    )
    environment.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    # A value that ends a sentence: one full stop, even after an abbreviation (2026 г.).
    environment.filters["full_stop"] = with_full_stop
    return environment


def render_html(layout: Layout, context: EditionContext, translations: gettext.NullTranslations) -> str:
    """Render the layout's entry template; template mistakes are reported with file and line."""
    environment = template_environment(layout, translations)
    try:
        return environment.get_template(ENTRY_TEMPLATE).render(edition=context)
    except TemplateError as error:
        name = getattr(error, "filename", None) or ENTRY_TEMPLATE
        path = layout.dir / name if not name.startswith("/") else layout.dir.joinpath(name)
        raise BookletError([Problem(path, getattr(error, "lineno", None),
                                    f"template error: {error.message or error}",
                                    "fix the template")]) from None
