"""Preflight: every rule passes on real profiles and fails, naming page and rule, on a bad PDF."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    RectangleObject,
    StreamObject,
    TextStringObject,
)

from booklet.cli import main
from booklet.press.preflight import _multiply, preflight, profile_of
from booklet.press.profiles import write_profiles
from booklet.typeset.layout import Margins, PageGeometry, TypeSizes
from tests.conftest import ROOT
from tests.numbered import numbered

FONTS = ROOT / "fonts"
A5 = PageGeometry("A5", 148, 210, 3, Margins(20, 20, 20, 20), TypeSizes(9, 7.5, 13, 24))
"""What the generated documents below are: A5 with a 3 mm bleed (tests/numbered.py)."""


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The three profiles of a generated 6-page document with a link and a bookmark."""
    where = tmp_path_factory.mktemp("good")
    laid_out = numbered(
        6,
        where,
        "h1 { bookmark-level: 1 }",
        '<h1 id="end">End</h1><p><a href="#end">to the end</a></p>',
    )
    return {
        f.profile: f.data for f in write_profiles(laid_out, "en", ("print", "screen", "imposed"))
    }


def messages(data: bytes, profile: str) -> list[str]:
    return [p.message for p in preflight(data, Path(f"x-{profile}.pdf"), profile, FONTS, A5)]


def edited(data: bytes, edit: Callable[[PdfWriter], None]) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(data))
    edit(writer)
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def test_real_profiles_pass(good: dict[str, bytes]) -> None:
    for profile, data in good.items():
        assert messages(data, profile) == [], profile


def first_font_descriptor(writer: PdfWriter):
    font = next(iter(writer.pages[0]["/Resources"]["/Font"].values())).get_object()
    return font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()


def foreign_font() -> bytes:
    """A one-glyph TrueType font that is not in fonts/."""
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef"])
    builder.setupCharacterMap({})
    pen = TTGlyphPen(None)
    builder.setupGlyf({".notdef": pen.glyph()})
    builder.setupHorizontalMetrics({".notdef": (500, 0)})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable(
        {"familyName": "Not Ours", "styleName": "Regular", "psName": "NotOurs-Regular"}
    )
    builder.setupOS2()
    builder.setupPost()
    output = io.BytesIO()
    builder.save(output)
    return output.getvalue()


def drop_bleed_box(writer: PdfWriter) -> None:
    del writer.pages[1]["/BleedBox"]


def drop_last_page(writer: PdfWriter) -> None:
    writer.remove_page(len(writer.pages) - 1)


def a4_page(writer: PdfWriter) -> None:
    writer.pages[2][NameObject("/MediaBox")] = RectangleObject([0, 0, 595.28, 841.89])


def unembed_font(writer: PdfWriter) -> None:
    del first_font_descriptor(writer)[NameObject("/FontFile2")]


def foreign_font_program(writer: PdfWriter) -> None:
    first_font_descriptor(writer)["/FontFile2"].get_object().set_data(foreign_font())


def untag(writer: PdfWriter) -> None:
    del writer.root_object["/StructTreeRoot"]


def unmark_catalog(writer: PdfWriter) -> None:
    del writer.root_object["/MarkInfo"]


def no_language(writer: PdfWriter) -> None:
    del writer.root_object["/Lang"]


def dangling_link(writer: PdfWriter) -> None:
    for page in writer.pages:
        for annotation in page.get("/Annots", []):
            annotation.get_object()[NameObject("/Dest")] = TextStringObject("nowhere")


def encrypt(writer: PdfWriter) -> None:
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")


def drop_output_intent(writer: PdfWriter) -> None:
    del writer.root_object["/OutputIntents"]


def rgb_output_profile(writer: PdfWriter) -> None:
    intent = writer.root_object["/OutputIntents"][0].get_object()
    intent["/DestOutputProfile"].get_object()[NameObject("/N")] = NumberObject(3)


def xmp_without(identifier: bytes) -> Callable[[PdfWriter], None]:
    def strip(writer: PdfWriter) -> None:
        metadata = writer.root_object["/Metadata"].get_object()
        metadata.set_data(metadata.get_data().replace(identifier, b"dc:unrelated"))

    return strip


def drop_default_rgb(writer: PdfWriter) -> None:
    for page in writer.pages:
        page["/Resources"]["/ColorSpace"].get_object().pop("/DefaultRGB", None)


def no_display_doc_title(writer: PdfWriter) -> None:
    del writer.root_object["/ViewerPreferences"]


def unmark_second_page(writer: PdfWriter) -> None:
    contents = writer.pages[1].get_contents()
    data = re.sub(rb"/\w+\s*(?:<<[^>]*>>|/\w+)?\s*BDC|\bEMC\b", b"", contents.get_data())
    contents.set_data(data)
    writer.pages[1][NameObject("/Contents")] = writer._add_object(contents)


def text_beyond_the_right_edge(writer: PdfWriter) -> None:
    contents = writer.pages[2].get_contents()
    contents.set_data(b"q 1 0 0 1 380 0 cm " + contents.get_data() + b" Q")
    writer.pages[2][NameObject("/Contents")] = writer._add_object(contents)


def dangling_bookmark(writer: PdfWriter) -> None:
    first = writer.root_object["/Outlines"]["/First"].get_object()
    first.pop("/A", None)
    first[NameObject("/Dest")] = ArrayObject([NameObject("/XYZ")])


@pytest.mark.parametrize(
    ("profile", "edit", "expected"),
    [
        ("print", drop_bleed_box, "page 2: [boxes] page has no TrimBox or no BleedBox"),
        ("print", drop_last_page, "[page-count] 7 pages, not a multiple of 4"),
        ("screen", a4_page, "page 3: [page-size] page is 210 x 297 mm, not A5"),
        ("imposed", drop_last_page, "[page-count] 3 sheet sides, not a multiple of 2"),
        ("print", unembed_font, "page 1: [fonts-embedded] font"),
        ("screen", foreign_font_program, "page 1: [fonts-source] font"),
        ("screen", untag, "[pdf-ua] no structure tree (not tagged)"),
        ("screen", unmark_catalog, "[pdf-ua] not marked as tagged (/MarkInfo /Marked)"),
        ("screen", no_language, "[pdf-ua] no document language (/Lang)"),
        ("screen", dangling_link, "page 6: [links] link to 'nowhere' points nowhere"),
        ("screen", dangling_bookmark, "[bookmarks] bookmark 'End' points nowhere"),
        ("print", encrypt, "[encryption] the file is encrypted"),
        ("screen", encrypt, "[encryption] the file is encrypted"),
        ("print", drop_output_intent, "[output-intent] 0 PDF/X output intents"),
        ("print", rgb_output_profile, "[output-intent] the output intent embeds no CMYK profile"),
        ("print", xmp_without(b"pdfxid:GTS_PDFXVersion"), "[xmp] the XMP metadata does not identify the file as PDF/X"),
        ("screen", xmp_without(b"pdfuaid:part"), "[xmp] the XMP metadata does not identify the file as PDF/UA-1"),
        ("print", drop_default_rgb, "page 1: [default-rgb] DeviceRGB colour without a DefaultRGB"),
        ("screen", no_display_doc_title, "[pdf-ua] viewers would show the file name"),
        ("screen", unmark_second_page, "page 2: [pdf-ua] page has no marked content"),
        ("screen", text_beyond_the_right_edge, "page 3: [glyph-outside-trim]"),
        ("print", text_beyond_the_right_edge, "page 3: [glyph-outside-trim]"),
    ],
)
def test_each_rule_fails_on_a_pdf_that_breaks_it(
    good: dict[str, bytes], profile: str, edit: Callable[[PdfWriter], None], expected: str
) -> None:
    found = messages(edited(good[profile], edit), profile)
    assert any(message.startswith(expected) for message in found), found
    assert messages(edited(good[profile], lambda writer: None), profile) == [], (
        "a plain copy passes"
    )


def image_booklet(tmp_path: Path, pixels: int) -> bytes:
    Image.new("RGB", (pixels, pixels), (120, 30, 30)).save(tmp_path / "photo.png")
    laid_out = numbered(
        4, tmp_path, "img { width: 50mm; height: 50mm }", '<img src="photo.png" alt="">'
    )
    (print_file,) = write_profiles(laid_out, "en", ("print",))
    return print_file.data


def test_low_resolution_images_fail_print(tmp_path: Path) -> None:
    low = messages(image_booklet(tmp_path, 200), "print")  # 200 px over 50 mm ≈ 102 dpi
    assert any(m.startswith("page 4: [image-resolution]") and "102 dpi" in m for m in low), low
    assert messages(image_booklet(tmp_path, 700), "print") == []  # ≈ 356 dpi


def test_cli_names_file_page_and_rule_and_exits_1(good: dict[str, bytes], tmp_path: Path) -> None:
    bad = tmp_path / "booklet-en-print.pdf"
    bad.write_bytes(edited(good["print"], drop_bleed_box))
    fine = tmp_path / "booklet-en-screen.pdf"
    fine.write_bytes(good["screen"])
    result = CliRunner().invoke(main, ["preflight", "--fonts", str(FONTS), str(fine), str(bad)])
    assert result.exit_code == 1
    assert "screen preflight passed" in result.output
    assert "booklet-en-print.pdf: page 2: [boxes]" in result.output


@pytest.mark.parametrize(("name", "profile"), [
    ("booklet-en-print.pdf", "print"), ("booklet-ru-screen.pdf", "screen"), ("my-booklet-az-imposed.pdf", "imposed"),
    ("booklet-en-print-proof.pdf", None), ("booklet.pdf", None), ("print.pdf", "print"), ("booklet-en-draft.pdf", None),
])
def test_the_profile_is_read_from_the_file_name(name: str, profile: str | None) -> None:
    assert profile_of(Path(name)) == profile


def test_transformations_compose_in_pdf_order() -> None:
    """`cm` matrices: the image's own scale applied inside the page's translation and scale."""
    scale, translate = (2, 0, 0, 3, 0, 0), (1, 0, 0, 1, 10, 20)
    assert _multiply(scale, translate) == (2, 0, 0, 3, 10, 20)
    assert _multiply(translate, scale) == (2, 0, 0, 3, 20, 60)
    rotate = (0, 1, -1, 0, 0, 0)
    assert _multiply(rotate, (1, 2, 3, 4, 5, 6)) == (3, 4, -1, -2, 5, 6)


def _pages(pdf) -> list:
    return [pdf.objects[number] for number in pdf.pages["Kids"][::3]]


def _objects_untagged(pdf) -> None:
    del pdf.catalog["StructTreeRoot"]
    del pdf.catalog["Lang"]


def _objects_without_trim(pdf) -> None:
    del _pages(pdf)[1]["TrimBox"]
    del pdf.catalog["OutputIntents"]


def _objects_link_to_nowhere(pdf) -> None:
    for page in _pages(pdf):
        for reference in page.get("Annots", []):
            pdf.objects[int(reference.split()[0])]["Dest"] = "(nowhere)"


@pytest.mark.parametrize("profile, breakage", [
    ("screen", _objects_untagged), ("print", _objects_without_trim), ("screen", _objects_link_to_nowhere)])
def test_the_objects_a_build_writes_from_are_judged_as_the_file_is(
    tmp_path: Path, profile: str, breakage: Callable[[object], None]
) -> None:
    """A build preflights the pydyf objects it has just serialised instead of parsing the file
    again (booklet.press.objects): the same findings either way, on a file broken in its objects."""
    from booklet.press.objects import PdfObjects
    from booklet.press.profiles import OUTPUT_PROFILE, finish_print, finish_screen
    from booklet.typeset.pdf import write_pdf_objects

    laid_out = numbered(6, tmp_path, "h1 { bookmark-level: 1 }", '<h1 id="end">End</h1><p><a href="#end">end</a></p>')
    finish = finish_screen if profile == "screen" else finish_print
    options = {"variant": "pdf/ua-1"} if profile == "screen" else {"variant": "pdf/x-4",
                                                                  "output_profile": OUTPUT_PROFILE}
    written = write_pdf_objects(laid_out, finisher=lambda pdf: (finish(pdf), breakage(pdf)), **options)
    from_file = messages(written.data, profile)
    from_objects = [p.message for p in preflight(written.data, Path(f"x-{profile}.pdf"), profile, FONTS, A5,
                                                 PdfObjects(written.objects))]
    assert from_file, "the breakage is found"
    assert from_objects == from_file


def test_imposing_the_objects_gives_the_bytes_of_imposing_the_file(tmp_path: Path) -> None:
    from booklet.press.impose import impose
    from booklet.press.objects import PdfObjects
    from booklet.press.profiles import finish_screen
    from booklet.typeset.pdf import write_pdf_objects

    written = write_pdf_objects(numbered(6, tmp_path), variant="pdf/ua-1", finisher=finish_screen)
    from_file = impose(written.data, creep_mm=1.0, back_cover=True)
    from_objects = impose(PdfObjects(written.objects), creep_mm=1.0, back_cover=True)
    assert from_objects.data == from_file.data


# ---------------------------------------------------------------------------------------------
# The print rules in words: each message and fix, stated, on the PDF that breaks the rule.


def problems(data: bytes, profile: str) -> list[tuple[str, str]]:
    return [(p.message, p.fix) for p in preflight(data, Path(f"x-{profile}.pdf"), profile, FONTS, A5)]


def intent(writer: PdfWriter) -> DictionaryObject:
    return writer.root_object["/OutputIntents"][0].get_object()


def second_intent(writer: PdfWriter) -> None:
    writer.root_object["/OutputIntents"].append(writer._add_object(intent(writer).clone(writer)))


def only_a_pdfa_intent(writer: PdfWriter) -> None:
    intent(writer)[NameObject("/S")] = NameObject("/GTS_PDFA1")


def blank_condition(writer: PdfWriter) -> None:
    intent(writer)[NameObject("/OutputConditionIdentifier")] = TextStringObject("  ")


def no_condition(writer: PdfWriter) -> None:
    del intent(writer)["/OutputConditionIdentifier"]


def no_profile(writer: PdfWriter) -> None:
    del intent(writer)["/DestOutputProfile"]


def no_metadata(writer: PdfWriter) -> None:
    del writer.root_object["/Metadata"]


def xmp_replaced(old: bytes, new: bytes) -> Callable[[PdfWriter], None]:
    def replace(writer: PdfWriter) -> None:
        metadata = writer.root_object["/Metadata"].get_object()
        data = metadata.get_data()
        assert old in data
        metadata.set_data(data.replace(old, new))

    return replace


def rgb_on_every_page_without_default_rgb(writer: PdfWriter) -> None:
    for page in writer.pages:
        contents = page.get_contents()
        contents.set_data(b"0.5 0.5 0.5 rg " + contents.get_data())
        page[NameObject("/Contents")] = writer._add_object(contents)
    drop_default_rgb(writer)


def cmyk_of(total: float) -> Callable[[PdfWriter], None]:
    def paint(writer: PdfWriter) -> None:
        page = writer.pages[1]
        contents = page.get_contents()
        tint = total / 400
        contents.set_data(f"{tint:.5f} {tint:.5f} {tint:.5f} {tint:.5f} k 0 0 1 1 re f ".encode() + contents.get_data())
        page[NameObject("/Contents")] = writer._add_object(contents)

    return paint


CMYK_PROFILE_FIX = "write the print profile with a CMYK output profile (colour/)"
EMBED_FIX = "embed the CMYK ICC profile of the printing condition"


@pytest.mark.parametrize(("edit", "expected"), [
    (second_intent, [("[output-intent] 2 PDF/X output intents, not exactly one", CMYK_PROFILE_FIX)]),
    (only_a_pdfa_intent, [("[output-intent] 0 PDF/X output intents, not exactly one", CMYK_PROFILE_FIX)]),
    (blank_condition, [("[output-intent] the output intent names no OutputConditionIdentifier",
                        "name the printing condition, e.g. FOGRA39")]),
    (no_condition, [("[output-intent] the output intent names no OutputConditionIdentifier",
                     "name the printing condition, e.g. FOGRA39")]),
    (no_profile, [("[output-intent] the output intent embeds no profile (DestOutputProfile)", EMBED_FIX)]),
    (rgb_output_profile, [("[output-intent] the output intent embeds no CMYK profile", EMBED_FIX)]),
    (no_metadata, [("[xmp] the XMP metadata does not identify the file as PDF/X-4 (pdfxid:GTS_PDFXVersion)",
                    "write it with WeasyPrint's pdf/x-4 variant")]),
    (xmp_replaced(b"PDF/X-4", b"PDF/X-40"),
     [("[xmp] the XMP metadata does not identify the file as PDF/X-4 (pdfxid:GTS_PDFXVersion)",
       "write it with WeasyPrint's pdf/x-4 variant")]),
    (rgb_on_every_page_without_default_rgb,
     [("page 1: [default-rgb] DeviceRGB colour without a DefaultRGB colour space",
       "declare DefaultRGB (sRGB) in the page's resources")]),
    (cmyk_of(320), [("page 2: [total-ink] a colour of 320 % total ink, above the 300 % of FOGRA39",
                     "lower the CMYK tints of that colour in layout.yaml's palette")]),
    (cmyk_of(300.4), []),
    (drop_last_page, [("[page-count] 7 pages, not a multiple of 4", "pad with blank pages")]),
])
def test_the_print_rules_say_what_is_wrong_and_the_fix(good: dict[str, bytes], edit: Callable[[PdfWriter], None],
                                                      expected: list[tuple[str, str]]) -> None:
    assert problems(edited(good["print"], edit), "print") == expected


def test_the_identification_may_be_an_attribute_and_an_unbroken_page_passes(good: dict[str, bytes]) -> None:
    data = good["print"]
    metadata = PdfWriter(clone_from=io.BytesIO(data)).root_object["/Metadata"].get_object().get_data()
    element = re.search(rb"<pdfxid:GTS_PDFXVersion>([^<]*)</pdfxid:GTS_PDFXVersion>", metadata)
    assert element, "the print file names its PDF/X version as an element"
    as_attribute = xmp_replaced(element[0], b'<rdf:Description pdfxid:GTS_PDFXVersion="' + element[1] + b'"/>')
    assert problems(edited(data, as_attribute), "print") == []
    assert problems(edited(data, cmyk_of(299)), "print") == []


def test_an_imposed_file_of_odd_sheet_sides_is_told_to_give_every_sheet_a_back(good: dict[str, bytes]) -> None:
    assert problems(edited(good["imposed"], drop_last_page), "imposed") == [
        ("[page-count] 3 sheet sides, not a multiple of 2", "give every sheet a back")]


def cmyk_in_a_form(total: float) -> Callable[[PdfWriter], None]:
    """The colour painted by a form XObject the page draws, not by the page's own stream."""
    def paint(writer: PdfWriter) -> None:
        tint = total / 400
        form = StreamObject()
        form.set_data(f"{tint:.5f} {tint:.5f} {tint:.5f} {tint:.5f} k 0 0 1 1 re f".encode())
        form.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Form"),
                     NameObject("/BBox"): ArrayObject([NumberObject(0), NumberObject(0), NumberObject(1),
                                                       NumberObject(1)])})
        page = writer.pages[1]
        resources = DictionaryObject(page["/Resources"].get_object())  # the pages share one: this page's own
        page[NameObject("/Resources")] = resources
        xobjects = DictionaryObject(resources.get("/XObject", DictionaryObject()).get_object())
        xobjects[NameObject("/Inked")] = writer._add_object(form)
        resources[NameObject("/XObject")] = xobjects
        contents = page.get_contents()
        contents.set_data(contents.get_data() + b" /Inked Do")
        page[NameObject("/Contents")] = writer._add_object(contents)

    return paint


def blank_first_page_and_rgb_without_default_rgb(writer: PdfWriter) -> None:
    """Page 1 has no content stream; page 2 sets an RGB colour and has no resources at all."""
    drop_default_rgb(writer)
    del writer.pages[0]["/Resources"]
    writer.insert_blank_page(index=0)


def profile_without_channels(writer: PdfWriter) -> None:
    del intent(writer)["/DestOutputProfile"].get_object()["/N"]


def undecodable_byte_in_the_xmp(writer: PdfWriter) -> None:
    metadata = writer.root_object["/Metadata"].get_object()
    metadata.set_data(metadata.get_data().replace(b"<rdf:RDF", b"<!-- \xff --><rdf:RDF", 1))


@pytest.mark.parametrize(("edit", "expected"), [
    (cmyk_in_a_form(340), [("page 2: [total-ink] a colour of 340 % total ink, above the 300 % of FOGRA39",
                            "lower the CMYK tints of that colour in layout.yaml's palette")]),
    (cmyk_of(301), [("page 2: [total-ink] a colour of 301 % total ink, above the 300 % of FOGRA39",
                     "lower the CMYK tints of that colour in layout.yaml's palette")]),
    (profile_without_channels, [("[output-intent] the output intent embeds no CMYK profile", EMBED_FIX)]),
    (undecodable_byte_in_the_xmp, []),
])
def test_the_print_rules_read_forms_missing_keys_and_stray_bytes(
        good: dict[str, bytes], edit: Callable[[PdfWriter], None], expected: list[tuple[str, str]]) -> None:
    assert problems(edited(good["print"], edit), "print") == expected


def test_default_rgb_is_asked_of_the_first_page_that_sets_rgb(good: dict[str, bytes]) -> None:
    found = problems(edited(good["print"], blank_first_page_and_rgb_without_default_rgb), "print")
    assert ("page 2: [default-rgb] DeviceRGB colour without a DefaultRGB colour space",
            "declare DefaultRGB (sRGB) in the page's resources") in found


def test_every_font_is_checked_and_a_font_s_problem_is_reported_once(good: dict[str, bytes]) -> None:
    """Not only the first font of a page: the last one too; and a font all six pages use is one
    problem (on its first page), with the fix, not six."""
    def foreign_last_font(writer: PdfWriter) -> None:
        fonts = [font.get_object() for font in writer.pages[0]["/Resources"]["/Font"].values()]
        assert len(fonts) >= 2
        descriptor = fonts[-1]["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
        descriptor["/FontFile2"].get_object().set_data(foreign_font())

    data = edited(good["screen"], foreign_last_font)
    problems = preflight(data, Path("x-screen.pdf"), "screen", FONTS, A5)
    assert [(re.sub(r"font \S+ \(", "font … (", p.message), p.fix) for p in problems] == [
        ("page 1: [fonts-source] font … (NotOurs-Regular) is not one of fonts/",
         "use only the fonts in fonts/, embedded in full or subset")]


def font_problems(*fonts: DictionaryObject | None, writer: PdfWriter | None = None) -> list[str]:
    """The font messages preflight gives for a one-page A5 file whose page uses these font
    dictionaries, written in the page's resources as they are (not as indirect objects)."""
    writer = writer or PdfWriter()
    page = writer.add_blank_page((148 + 6) * 72 / 25.4, (210 + 6) * 72 / 25.4)
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject(f"/F{number}"): font for number, font in enumerate(fonts, 1)})})
    output = io.BytesIO()
    writer.write(output)
    return [p.message for p in preflight(output.getvalue(), Path("x-screen.pdf"), "screen", FONTS, A5)
            if "[fonts-" in p.message]


def simple_font(writer: PdfWriter, name: str | None, program: bytes | None, key: str = "/FontFile2",
                descriptor: bool = True) -> DictionaryObject:
    """A simple (not composite) font dictionary, with its program embedded under `key`."""
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/TrueType")})
    if name is not None:
        font[NameObject("/BaseFont")] = NameObject(f"/{name}")
    if descriptor:
        described = DictionaryObject({NameObject("/Type"): NameObject("/FontDescriptor")})
        if program is not None:
            stream = StreamObject()
            stream.set_data(program)
            described[NameObject(key)] = writer._add_object(stream)
        font[NameObject("/FontDescriptor")] = writer._add_object(described)
    return font


@pytest.mark.parametrize("key", ["/FontFile2", "/FontFile3", "/FontFile"])
def test_a_simple_font_s_program_is_found_under_each_key_and_read(key: str) -> None:
    writer = PdfWriter()
    assert font_problems(simple_font(writer, "Foreign", foreign_font(), key), writer=writer) == [
        "page 1: [fonts-source] font Foreign (NotOurs-Regular) is not one of fonts/"]


def test_fonts_without_a_program_a_name_or_a_readable_program_are_named_as_such() -> None:
    writer = PdfWriter()
    assert font_problems(simple_font(writer, "Bare", None, descriptor=False),
                         simple_font(writer, None, None),
                         simple_font(writer, "Xylograph", b"not a font at all"), writer=writer) == [
        "page 1: [fonts-embedded] font Bare is not embedded",
        "page 1: [fonts-embedded] font (unnamed) is not embedded",
        "page 1: [fonts-source] font Xylograph (unreadable) is not one of fonts/"]


def test_fonts_written_in_the_page_itself_are_each_checked() -> None:
    """Font dictionaries that are not indirect objects (another tool's file): each is checked on
    its own, without a crash."""
    writer = PdfWriter()
    project_font = (FONTS / "NotoSerif-Regular.ttf").read_bytes()
    assert font_problems(simple_font(writer, "Ours", project_font), simple_font(writer, "Foreign", foreign_font()),
                         writer=writer) == [
        "page 1: [fonts-source] font Foreign (NotOurs-Regular) is not one of fonts/"]


def link_problems(build: Callable[[PdfWriter, list[Any]], None]) -> list[str]:
    """The link and bookmark messages preflight gives for a two-page A5 file that `build` adds
    links, names and bookmarks to (given the writer and the pages' references)."""
    writer = PdfWriter()
    for _page in range(2):
        writer.add_blank_page((148 + 6) * 72 / 25.4, (210 + 6) * 72 / 25.4)
    build(writer, [page.indirect_reference for page in writer.pages])
    output = io.BytesIO()
    writer.write(output)
    fixes = {"links": "link only to anchors that exist",
             "bookmarks": "give every bookmark a destination in the document"}
    found = [p for p in preflight(output.getvalue(), Path("x-screen.pdf"), "print", FONTS, A5)
             if "[links]" in p.message or "[bookmarks]" in p.message]
    assert all(p.fix == fixes[p.message.split("[", 1)[1].split("]")[0]] for p in found)
    return [p.message for p in found]


def to(page: Any) -> ArrayObject:
    return ArrayObject([page, NameObject("/Fit")])


def pdf_dict(**entries: Any) -> DictionaryObject:
    return DictionaryObject({NameObject(f"/{key}"): value for key, value in entries.items()})


def test_links_land_on_pages_by_every_kind_of_destination() -> None:
    """A link's destination: an explicit page, a name (in the name tree, its kids, or the old /Dests
    dictionary, which may hold a dictionary with /D), given directly or by a GoTo action; web
    links and other annotations are not followed. Each kind that lands nowhere is reported."""
    def build(writer: PdfWriter, pages: list[Any]) -> None:
        stranger = writer._add_object(pdf_dict(Type=NameObject("/Page")))  # not in the page tree
        writer.root_object[NameObject("/Names")] = pdf_dict(Dests=writer._add_object(pdf_dict(Kids=ArrayObject([
            writer._add_object(pdf_dict(Names=ArrayObject([TextStringObject("in-a-kid"), to(pages[1]),
                                                           TextStringObject("astray"), to(stranger)])))]))))
        writer.root_object[NameObject("/Dests")] = writer._add_object(pdf_dict(
            old=to(pages[0]), boxed=pdf_dict(D=to(pages[1])), chained=NameObject("/old"), Xref=to(pages[1]),
            loop=NameObject("/pool"), pool=NameObject("/loop")))

        def link(**entries: Any) -> Any:
            return writer._add_object(pdf_dict(Type=NameObject("/Annot"), Subtype=NameObject("/Link"), **entries))

        writer.pages[0][NameObject("/Annots")] = ArrayObject([
            link(Dest=to(pages[1])),
            link(Dest=TextStringObject("in-a-kid")),
            link(Dest=NameObject("/old")),
            link(Dest=NameObject("/boxed")),
            link(Dest=NameObject("/chained")),
            link(Dest=NameObject("/Xref")),
            link(Dest=writer._add_object(to(pages[1]))),
            link(A=pdf_dict(S=NameObject("/GoTo"), D=TextStringObject("in-a-kid"))),
            link(A=pdf_dict(S=NameObject("/URI"), URI=TextStringObject("https://example.org"))),
            writer._add_object(pdf_dict(Type=NameObject("/Annot"), Subtype=NameObject("/Text"))),
            link(Dest=TextStringObject("missing")),
            link(A=pdf_dict(S=NameObject("/GoTo"), D=TextStringObject("also-missing"))),
            link(Dest=TextStringObject("astray")),
            link(),
            link(Dest=ArrayObject()),
            link(Dest=NameObject("/loop")),
        ])

    assert link_problems(build) == [
        "page 1: [links] link to 'missing' points nowhere",
        "page 1: [links] link to 'also-missing' points nowhere",
        "page 1: [links] link to 'astray' points nowhere",
        "page 1: [links] link to no destination points nowhere",
        "page 1: [links] link to '[]' points nowhere",
        "page 1: [links] link to '/loop' points nowhere",
    ]


def test_every_bookmark_is_followed_children_and_siblings() -> None:
    """Bookmarks are read as a tree: first child, its children, the next sibling; by /Dest or a
    GoTo action; each one that lands nowhere is named by its title."""
    def build(writer: PdfWriter, pages: list[Any]) -> None:
        outlines = writer._add_object(pdf_dict(Type=NameObject("/Outlines")))
        grandchild = writer._add_object(pdf_dict(Title=TextStringObject("Grandchild"), Dest=TextStringObject("gone")))
        child = writer._add_object(pdf_dict(Title=TextStringObject("Child"), Dest=to(pages[1]), First=grandchild))
        second = writer._add_object(pdf_dict(Title=TextStringObject("Second"), A=pdf_dict(
            S=NameObject("/GoTo"), D=TextStringObject("nowhere"))))
        third = writer._add_object(pdf_dict(Title=TextStringObject("Third"), A=pdf_dict(
            S=NameObject("/GoTo"), D=to(pages[0]))))
        both = writer._add_object(pdf_dict(Title=TextStringObject("Both"), Dest=to(pages[1]), A=pdf_dict(
            S=NameObject("/GoTo"), D=TextStringObject("ignored: the /Dest is read"))))
        untitled = writer._add_object(pdf_dict(Dest=TextStringObject("gone too")))
        second.get_object()[NameObject("/Next")] = third
        third.get_object()[NameObject("/Next")] = both
        both.get_object()[NameObject("/Next")] = untitled
        first = writer._add_object(pdf_dict(Title=TextStringObject("First"), Dest=to(pages[0]), First=child,
                                            Next=second))
        outlines.get_object()[NameObject("/First")] = first
        writer.root_object[NameObject("/Outlines")] = outlines
        writer.pages[0][NameObject("/Annots")] = ArrayObject()

    assert link_problems(build) == [
        "[bookmarks] bookmark 'Grandchild' points nowhere",
        "[bookmarks] bookmark 'Second' points nowhere",
        "[bookmarks] bookmark '' points nowhere",
    ]


@pytest.mark.parametrize(("edit", "message", "fix"), [
    (untag, "[pdf-ua] no structure tree (not tagged)", "write with pdf_variant='pdf/ua-1'"),
    (unmark_catalog, "[pdf-ua] not marked as tagged (/MarkInfo /Marked)", "write with pdf_variant='pdf/ua-1'"),
    (no_language, "[pdf-ua] no document language (/Lang)", "set <html lang>"),
    (no_display_doc_title, "[pdf-ua] viewers would show the file name, not the title (DisplayDocTitle)",
     "set /ViewerPreferences /DisplayDocTitle true"),
    (unmark_second_page, "page 2: [pdf-ua] page has no marked content", "tag the page's content"),
], ids=["untagged", "unmarked", "no language", "no DisplayDocTitle", "page unmarked"])
def test_each_accessibility_rule_says_what_is_wrong_and_the_fix(
        good: dict[str, bytes], edit: Callable[[PdfWriter], None], message: str, fix: str) -> None:
    problems = preflight(edited(good["screen"], edit), Path("x-screen.pdf"), "screen", FONTS, A5)
    assert (message, fix) in [(p.message, p.fix) for p in problems]


def set_box(page_index: int, box: str, value: Callable[[Any], list[float]]) -> Callable[[PdfWriter], None]:
    def edit(writer: PdfWriter) -> None:
        page = writer.pages[page_index]
        page[NameObject(box)] = RectangleObject(value(page))
    return edit


def _trim(page: Any) -> list[float]:
    return [float(v) for v in page["/TrimBox"]]


def _bleed(page: Any) -> list[float]:
    return [float(v) for v in page["/BleedBox"]]


def _a4_trim(page: Any) -> list[float]:
    left, bottom = _trim(page)[:2]
    return [left, bottom, left + 595.28, bottom + 841.89]


def drop_trim_box(writer: PdfWriter) -> None:
    del writer.pages[0]["/TrimBox"]


@pytest.mark.parametrize(("profile", "edit", "message", "fix"), [
    ("print", drop_trim_box, "page 1: [boxes] page has no TrimBox or no BleedBox",
     "write the print profile with bleed (CSS `@page { bleed }`, from layout.yaml)"),
    ("print", set_box(1, "/TrimBox", _a4_trim), "page 2: [page-size] trim is 210 x 297 mm, not A5 (148 x 210 mm)",
     "set the page size from layout.yaml"),
    ("print", set_box(2, "/BleedBox", _trim), "page 3: [boxes] bleed is less than 3 mm beyond the trim",
     "set @page `bleed` from layout.yaml's bleed_mm"),
    ("print", set_box(3, "/MediaBox", _bleed), "page 4: [boxes] the media box leaves no room for crop marks "
     "outside the bleed", "enlarge the media box around the bleed"),
    ("screen", set_box(4, "/BleedBox", lambda page: [0, 0, 100, 100]), "page 5: [boxes] a screen page has a bleed box",
     "crop the screen profile to the trim"),
    ("screen", a4_page, "page 3: [page-size] page is 210 x 297 mm, not A5 (148 x 210 mm)",
     "write the screen profile from the layout's page size"),
    ("imposed", set_box(0, "/MediaBox", lambda page: [0, 0, 595.28, 841.89]),
     "page 1: [page-size] sheet is 210 x 297 mm, not A4 landscape", "impose A5 pages onto A4 landscape sheets"),
], ids=["no trim box", "A4 trim", "no bleed", "no room for marks", "screen bleed box", "A4 screen page",
        "portrait sheet"])
def test_each_page_geometry_rule_says_what_is_wrong_and_the_fix(
        good: dict[str, bytes], profile: str, edit: Callable[[PdfWriter], None], message: str, fix: str) -> None:
    problems = preflight(edited(good[profile], edit), Path(f"x-{profile}.pdf"), profile, FONTS, A5)
    assert (message, fix) in [(p.message, p.fix) for p in problems], [(p.message, p.fix) for p in problems]


def around(mm: float, short: int | None = None) -> Callable[[Any], list[float]]:
    """The page's trim grown by `mm` on every side, but not on side `short` (left, bottom, right, top)."""
    def box(page: Any) -> list[float]:
        grown = [-mm, -mm, mm, mm]
        if short is not None:
            grown[short] = 0.0
        return [edge + step * 72 / 25.4 for edge, step in zip(_trim(page), grown, strict=True)]
    return box


@pytest.mark.parametrize(("box", "edit", "fails"), [
    ("/BleedBox", around(3.0), False),
    ("/BleedBox", around(2.8), True),
    *[("/BleedBox", around(3.0, side), True) for side in range(4)],
    ("/MediaBox", around(10.0), False),
    ("/MediaBox", around(9.7), True),
    *[("/MediaBox", around(10.0, side), True) for side in range(4)],
], ids=["bleed 3 mm", "bleed 2.8 mm", "no bleed left", "no bleed below", "no bleed right", "no bleed above",
        "marks room 10 mm", "marks room 9.7 mm", "no room left", "no room below", "no room right", "no room above"])
def test_the_bleed_is_3_mm_and_the_marks_need_10_mm_beyond_the_trim_on_every_side(
        good: dict[str, bytes], box: str, edit: Callable[[Any], list[float]], fails: bool) -> None:
    """A5 with 3 mm of bleed (tests/numbered.py), and crop marks 2 mm beyond the bleed, 5 mm long."""
    def edit_all(writer: PdfWriter) -> None:
        for page in writer.pages:
            page[NameObject("/MediaBox")] = RectangleObject(around(10.0)(page))
            page[NameObject("/BleedBox")] = RectangleObject(around(3.0)(page))
            page[NameObject(box)] = RectangleObject(edit(page))

    problems = [p.message for p in preflight(edited(good["print"], edit_all), Path("x-print.pdf"), "print", FONTS, A5)
                if "[boxes]" in p.message]
    assert bool(problems) == fails, problems


def image_problems(content: bytes, images: dict[str, tuple[int, int]],
                   form: tuple[bytes, list[float] | None] | None = None) -> list[str]:
    """The image messages preflight gives for a one-page A5 print file drawing `content` with these
    images (name → pixels) and, if given, a form /Fm1 (its content and /Matrix) that draws /Im1."""
    writer = PdfWriter()
    page = writer.add_blank_page((148 + 6) * 72 / 25.4, (210 + 6) * 72 / 25.4)

    def stream(data: bytes, **entries: Any) -> Any:
        made = StreamObject()
        made.set_data(data)
        made.update({NameObject(f"/{key}"): value for key, value in entries.items()})
        return writer._add_object(made)

    xobjects = {NameObject(f"/{name}"): stream(b"\0" * 3, Type=NameObject("/XObject"), Subtype=NameObject("/Image"),
                                              Width=NumberObject(w), Height=NumberObject(h),
                                              ColorSpace=NameObject("/DeviceGray"), BitsPerComponent=NumberObject(8))
                for name, (w, h) in images.items()}
    if form is not None:
        made = stream(form[0], Type=NameObject("/XObject"), Subtype=NameObject("/Form"),
                      BBox=RectangleObject([0, 0, 1000, 1000]))
        if form[1] is not None:
            made.get_object()[NameObject("/Matrix")] = ArrayObject([NumberObject(v) for v in form[1]])
        made.get_object()[NameObject("/Resources")] = pdf_dict(XObject=pdf_dict(Im1=xobjects[NameObject("/Im1")],
                                                                                  Fm1=made))  # it may draw itself
        xobjects[NameObject("/Fm1")] = made
    page[NameObject("/Resources")] = pdf_dict(XObject=DictionaryObject(xobjects))
    page[NameObject("/Contents")] = stream(content)
    output = io.BytesIO()
    writer.write(output)
    found = [p for p in preflight(output.getvalue(), Path("x-print.pdf"), "print", FONTS, A5)
             if "[image-resolution]" in p.message]
    assert all(p.fix == "use a larger image or print it smaller" for p in found)
    return [p.message for p in found]


@pytest.mark.parametrize(("content", "form", "expected"), [
    (b"q 144 0 0 144 0 0 cm /Im1 Do Q", None, ["page 1: [image-resolution] image /Im1 is 150 dpi, below 300"]),
    (b"q 72 0 0 72 0 0 cm /Im1 Do Q", None, []),
    (b"q 36 0 0 36 0 0 cm /Im1 Do Q", None, []),
    (b"q 0 36 -144 0 0 0 cm /Im1 Do Q", None, ["page 1: [image-resolution] image /Im1 is 150 dpi, below 300"]),
    (b"q 2 0 0 2 0 0 cm q 18 0 0 18 0 0 cm /Im1 Do Q Q", None, []),
    (b"q 4 0 0 4 0 0 cm Q q 36 0 0 36 0 0 cm /Im1 Do Q", None, []),
    (b"q 2 0 0 2 5 5 cm /Fm1 Do Q", (b"q 9 0 0 9 0 0 cm /Im1 Do Q", [2, 0, 0, 2, 0, 0]), []),
    (b"q 2 0 0 2 5 5 cm /Fm1 Do Q", (b"q 36 0 0 36 0 0 cm /Im1 Do Q", [2, 0, 0, 2, 0, 0]),
     ["page 1: [image-resolution] image /Im1 is 150 dpi, below 300"]),
    (b"q 1 0 0 1 0 0 cm /Fm1 Do Q", (b"q 0 9 -9 0 0 0 cm /Im1 Do Q", [0, 4, -4, 0, 0, 0]), []),
    (b"q 1 0 0 1 0 0 cm /Fm1 Do Q", (b"q 0 36 -36 0 0 0 cm /Im1 Do Q", [0, 4, -4, 0, 0, 0]),
     ["page 1: [image-resolution] image /Im1 is 150 dpi, below 300"]),
    (b"q 144 0 0 144 0 0 cm /Unknown Do Q", None, []),
    (b"q 2 0 0 2 0 0 cm /Fm1 Do Q", (b"q 72 0 0 72 0 0 cm /Im1 Do Q", None),
     ["page 1: [image-resolution] image /Im1 is 150 dpi, below 300"]),
    (b"q 1 0 0 1 0 0 cm /Fm1 Do Q", (b"q 36 0 0 36 0 0 cm /Im1 Do Q /Fm1 Do", [1, 0, 0, 1, 0, 0]), []),
    (b"q 144 0 0 0 0 0 cm /Im1 Do Q", None, ["page 1: [image-resolution] image /Im1 is 150 dpi, below 300"]),
    (b"q 1 0 1 1 0 0 cm 36 0 72 144 0 0 cm /Im1 Do Q", None,
     ["page 1: [image-resolution] image /Im1 is 83 dpi, below 300"]),
], ids=["2 inches: 150 dpi", "1 inch: 300 dpi passes", "half an inch: 600 dpi", "turned, one side 2 inches",
        "scaled twice", "scale undone by Q", "in a form: half an inch", "in a form: 2 inches", "turned form",
        "turned form: 2 inches", "no such image", "a form without a matrix", "a form that draws itself",
        "no height", "sheared: one side 216 by 144 points"])
def test_an_image_s_resolution_is_its_pixels_over_its_size_on_the_page(
        content: bytes, form: tuple[bytes, list[float]] | None, expected: list[str]) -> None:
    """300 pixels square: the size each transformation gives it, through saved and restored
    states, forms and their matrices, and turns (the smaller resolution of the two sides)."""
    assert image_problems(content, {"Im1": (300, 300)}, form) == expected


def test_an_image_one_pixel_wide_is_measured_on_that_side() -> None:
    assert image_problems(b"q 0.9 0 0 36 0 0 cm /Thin Do Q", {"Im1": (300, 300), "Thin": (1, 300)}) == [
        "page 1: [image-resolution] image /Thin is 80 dpi, below 300"]


@pytest.mark.parametrize(("beyond", "message"), [
    ("A", "1 glyph beyond the page edge ('A')"),
    ("AB", "2 glyphs beyond the page edge ('AB')"),
    ("ABCDEFGHIJKL", "12 glyphs beyond the page edge ('ABCDEFGHIJKL')"),
    ("ABCDEFGHIJKLM", "13 glyphs beyond the page edge ('ABCDEFGHIJKL'…)"),
], ids=["one", "two", "twelve", "thirteen"])
def test_glyphs_beyond_the_trim_are_counted_and_shown_on_their_page(tmp_path: Path, beyond: str, message: str) -> None:
    """Letters set wholly beyond the right trim edge, on the third page: counted, the first dozen
    shown, with the page and the fix; the letters inside the page are not counted."""
    laid_out = numbered(2, tmp_path, ".out { position: absolute; left: 160mm; top: 50mm; white-space: nowrap }",
                        f'<section><p>inside</p><p class="out">{beyond}</p></section>')
    screen = next(f.data for f in write_profiles(laid_out, "en", ("screen",)))
    problems = [(p.message, p.fix) for p in preflight(screen, Path("x-screen.pdf"), "screen", FONTS, A5)]
    assert problems == [(f"page 3: [glyph-outside-trim] {message}",
                         "shorten or break the text: a word longer than the line, or a title too long for its line "
                         "or running head")]


def test_glyphs_beyond_the_top_of_the_first_page_are_found(tmp_path: Path) -> None:
    laid_out = numbered(0, tmp_path, ".out { position: absolute; left: 20mm; top: -27mm }",
                        '<section><p>inside</p><p class="out">UP</p></section>')
    screen = next(f.data for f in write_profiles(laid_out, "en", ("screen",)))
    assert [p.message for p in preflight(screen, Path("x-screen.pdf"), "screen", FONTS, A5)] == [
        "page 1: [glyph-outside-trim] 2 glyphs beyond the page edge ('UP')"]
