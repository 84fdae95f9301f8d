"""Statement Markdown: untrusted content never acts."""

from __future__ import annotations

from booklet.editorial.markup import markdown_to_html, plain_paragraphs


def test_raw_html_is_shown_as_text_not_passed_through() -> None:
    html = markdown_to_html('Words <script>alert(1)</script> <img src="http://example.com/x.png">')
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_links_and_images_are_not_parsed() -> None:
    html = markdown_to_html("See [this](http://example.com) and ![x](file:///etc/passwd).")
    assert "<a " not in html and "<img" not in html


def test_outlet_note_is_set_apart() -> None:
    html = markdown_to_html("Our words.\n\n::: outlet-note\nThe outlet reports.\n:::\n\nMore words.\n")
    assert '<div class="outlet-note">\n<p>The outlet reports.</p>\n</div>' in html


def test_plain_paragraphs_exclude_outlet_notes_and_join_soft_breaks() -> None:
    text = "First *line*\nwrapped.\n\n::: outlet-note\nNot ours.\n:::\n\nLast."
    assert plain_paragraphs(text) == ["First line wrapped.", "Last."]
