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


def test_a_statements_own_headings_rank_below_its_title() -> None:
    """`#` … in a statement rank from h3 down in the order of their marks, whatever marks the text
    uses; elsewhere (the editorial report) headings stay as written."""
    statement = "Text.\n\n## Part\n\nMore.\n\n#### Detail\n\nEnd.\n\n# Top\n"
    assert markdown_to_html(statement, top_heading=3) == (
        "<p>Text.</p>\n<h4>Part</h4>\n<p>More.</p>\n<h5>Detail</h5>\n<p>End.</p>\n<h3>Top</h3>\n")
    assert "<h6>6</h6>" in markdown_to_html("# 1\n## 2\n### 3\n#### 4\n##### 5\n###### 6\n", top_heading=3)
    assert markdown_to_html("## Part\n") == "<h2>Part</h2>\n"


def test_code_is_not_parsed_an_indented_paragraph_is_a_paragraph_and_backticks_print() -> None:
    """A statement is prose: four spaces of indent (a paste from a web page) do not make a code
    block, and backticks and fences are the text's own characters."""
    source = "First.\n\n    Pasted with four spaces.\n\n```\nfenced\n```\n\nInline `quoted` word.\n"
    html = markdown_to_html(source)
    assert "<code" not in html and "<pre" not in html
    assert "<p>Pasted with four spaces.</p>" in html and "<p>Inline `quoted` word.</p>" in html
    assert plain_paragraphs(source) == ["First.", "Pasted with four spaces.", "``` fenced ```", "Inline `quoted` word."]


def test_a_word_the_renderer_would_drop_is_found_and_markdowns_signs_are_not_words() -> None:
    from booklet.editorial.markup import lost_word

    nested = "A text.\n\n" + "> " * 25 + "deep words\n"
    assert lost_word(nested) == (nested.index("deep"), "deep")
    kept = ("## A heading\n\ncaf&eacute; &amp; **bold** and \\# not a heading, <b>a tag</b> shown as text\n\n"
            "::: outlet-note\nThe outlet's note.\n:::\n\n3. three\n4. four\n\n> a quotation\n\n| a | table |\n")
    assert lost_word(kept) is None
