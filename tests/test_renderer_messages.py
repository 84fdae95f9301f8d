"""A renderer's warning about the stylesheet names the line of layouts/<name>/style.css (a Jinja
template) that caused it, not a line of the HTML WeasyPrint was given."""

from __future__ import annotations

import pytest

from booklet.typeset.pdf import template_line

TEMPLATE = """\
/* a comment */
:root {
{%- for colour in palette %}
  --{{ colour.name }}: {{ colour.hex }};
{%- endfor %}
}
@page { size: {{ page.width }}mm {{ page.height }}mm; }
p { margin: {{ page.margin }}mm; }
h1 { colr: red; }
"""

RENDERED = """\
/* a comment */
:root {
  --ink: #111;
  --grey: #666;
  --accent: #700;
}
@page { size: 148mm 210mm; }
p { margin: banana mm; }
h1 { colr: red; }
"""


@pytest.mark.parametrize(("rendered_line", "source_line"), [
    (1, 1),   # copied as it is
    (9, 9),   # after a loop that wrote three lines for three: still exact
    (8, 8),   # a substitution between copied lines
    (7, 7),
])
def test_a_rendered_line_maps_to_the_template_line_that_made_it(rendered_line: int, source_line: int) -> None:
    assert template_line(TEMPLATE, RENDERED, rendered_line) == source_line


@pytest.mark.parametrize("colours", [1, 2, 3, 5])
def test_a_line_a_loop_wrote_maps_into_the_loop_and_what_follows_stays_exact(colours: int) -> None:
    lines = RENDERED.split("\n")
    rendered = "\n".join([*lines[:2], *(f"  --c{n}: #000;" for n in range(colours)), *lines[5:]])
    for line in range(3, 3 + colours):
        assert 3 <= template_line(TEMPLATE, rendered, line) <= 5
    assert template_line(TEMPLATE, rendered, 3 + colours + 3) == 9, "h1 { colr: red; }"


def test_lines_before_the_stylesheet_are_allowed_for() -> None:
    """In a <style> element the stylesheet starts on its second line (after `<style>` and a newline)."""
    assert template_line(TEMPLATE, "\n" + RENDERED, 10) == 9
