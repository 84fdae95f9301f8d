"""booklet.typeset.pdf uses a few of WeasyPrint's internals, behind the version requirements.lock pins. If an
upgrade changes any of them, these tests fail by name, before a build produces a subtly wrong PDF."""

from __future__ import annotations

import inspect
import re
from importlib.resources import files

from booklet.typeset.pdf import WEASYPRINT_VERSION, _weasyprint
from tests.conftest import ROOT

weasyprint = _weasyprint(ROOT / "fonts")  # as booklet imports it: fontconfig isolated, warnings handled
from weasyprint.css import ColorProfile  # noqa: E402
from weasyprint.document import Document  # noqa: E402
from weasyprint.pdf import fonts  # noqa: E402


def test_the_installed_weasyprint_is_the_locked_one_and_the_one_booklet_is_made_for() -> None:
    locked = re.search(r"^weasyprint==(\S+)", (ROOT / "requirements.lock").read_text(encoding="utf-8"), re.M)
    assert locked is not None
    assert weasyprint.__version__ == locked[1] == WEASYPRINT_VERSION


def test_font_subset_hook_and_the_font_fields_it_uses() -> None:
    """booklet.typeset.pdf replaces Font.subset (pinned HarfBuzz subsetting) and reads these fields."""
    assert list(inspect.signature(fonts.Font.subset).parameters) == ["self", "to_unicode", "hinting"]
    source = inspect.getsource(fonts.Font)
    for field in ("self.file_content", "self.missing", "self.index", "self.family"):
        assert field in source, f"Font no longer has {field}"
    assert "self.subset(" in inspect.getsource(fonts), "WeasyPrint no longer calls Font.subset"


def test_document_copy_with_other_colour_profiles() -> None:
    """booklet.typeset.pdf builds a Document with a CMYK output intent from a laid-out one's parts."""
    assert list(inspect.signature(Document.__init__).parameters) == [
        "self", "pages", "metadata", "url_fetcher", "font_config", "color_profiles", "output_intent"]
    assert "self.color_profiles" in inspect.getsource(Document.__init__)
    assert list(inspect.signature(ColorProfile.__init__).parameters) == [
        "self", "file_object", "src", "rendering_intent", "components"]


def test_the_bundled_srgb_profile_is_there() -> None:
    assert (files("weasyprint.pdf") / "sRGB2014.icc").is_file()


def test_write_pdf_still_takes_the_options_booklet_passes() -> None:
    parameters = inspect.signature(Document.write_pdf).parameters
    assert {"target", "zoom", "finisher"} <= set(parameters)
    options = inspect.getsource(weasyprint)
    for option in ("pdf_variant", "pdf_identifier", "full_fonts", "uncompressed_pdf"):
        assert option in options, f"write_pdf option {option} is gone"


def test_what_the_composer_reads_and_edits() -> None:
    """booklet.typeset.setter (issue 8) edits the parsed tree before layout, reads boxes and computed styles,
    and booklet.typeset.composer corrects for the PDF writer truncating glyph adjustments to 1/1000 em."""
    import cssselect2
    from weasyprint.draw import text as draw_text
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout import inline

    init = inspect.getsource(weasyprint.HTML.__init__)
    assert "self.etree_element" in init and "self.wrapper_element" in init
    assert hasattr(cssselect2.ElementWrapper, "from_html_root")
    assert "_page_box" in inspect.getsource(weasyprint.document.Page.__init__)
    assert "linebox.text_indent" in inspect.getsource(inline)
    assert hasattr(boxes.Box, "content_box_y")
    assert "int(kerning)" in inspect.getsource(draw_text), "the PDF writer no longer truncates: see DRAWN_TRUNCATION"
    style_keys = {"font_family", "font_size", "font_weight", "font_style", "text_align_all", "hyphens", "lang",
                  "hyphenate_limit_chars", "hyphenate_character", "text_transform", "letter_spacing",
                  "word_spacing", "white_space", "font_variant_caps", "font_feature_settings", "font_kerning",
                  "direction", "display"}
    from weasyprint.css.properties import INITIAL_VALUES

    assert style_keys <= set(INITIAL_VALUES)


def test_page_references_and_stream_serialisation_as_pydyf_has_them() -> None:
    """booklet.typeset.pdf lists page references once per change of the pages (WeasyPrint asks pydyf
    once per tagged element), and compresses streams as pydyf would (level 9, `_to_bytes` parts)."""
    import pydyf

    assert isinstance(pydyf.PDF.page_references, property)
    assert "pdf.page_references[" in inspect.getsource(__import__("weasyprint.pdf.tags").pdf.tags)
    stream = pydyf.Stream([b"0 0 m", "/Tag"], compress=True)
    assert "zlib.compressobj(level=9)" in inspect.getsource(pydyf.Stream)
    assert b"\n".join(pydyf._to_bytes(part) for part in stream.stream) == b"0 0 m\n/Tag"


def test_font_configuration_makes_its_folder_with_the_module_s_mkdtemp() -> None:
    """booklet.typeset.pdf points `weasyprint.text.fonts.mkdtemp` into the process's own temporary
    folder, so WeasyPrint's font copies go with it even from a worker process."""
    from weasyprint.text import fonts as text_fonts

    assert "mkdtemp(prefix=" in inspect.getsource(text_fonts.FontConfiguration.add_font_face)
    assert hasattr(text_fonts, "mkdtemp"), "the name booklet replaces"


def test_serialising_each_object_once_gives_the_bytes_pydyf_gives(tmp_path, monkeypatch) -> None:
    """booklet.typeset.pdf keeps each object's bytes while pydyf writes a file (pydyf serialises the
    whole file twice, once more to hash it for the ID): the file is the one pydyf alone writes."""
    import contextlib

    import pydyf

    from booklet.typeset import pdf
    from tests.numbered import numbered

    assert "obj.data for obj in self.objects" in inspect.getsource(pydyf.PDF.write)
    assert all(isinstance(kind.data, property) for kind in (pydyf.Dictionary, pydyf.Array, pydyf.Stream))
    laid_out = numbered(3, tmp_path, "h1 { bookmark-level: 1 }", '<h1 id="end">End</h1><p><a href="#end">end</a></p>')
    once = pdf.write_pdf(laid_out, variant="pdf/ua-1")
    monkeypatch.setattr(pdf, "_serialised_once", contextlib.nullcontext)
    assert once == pdf.write_pdf(laid_out, variant="pdf/ua-1")
