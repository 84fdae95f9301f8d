"""Locale micro-typography: a table of cases per locale, and proof that no word or figure changes."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from booklet.corpus.loader import load_corpus
from booklet.editorial.markup import markdown_to_html
from booklet.editorial.typography import (
    NBSP,
    fold,
    typeset,
    typeset_en,
    typeset_html,
    typeset_ru,
    unbreakable,
    with_full_stop,
)

_ = NBSP

ENGLISH = [
    # quotes and apostrophes
    ('the resolution "On the tragic events" was adopted', "the resolution “On the tragic events” was adopted"),
    ("Azerbaijan's state", "Azerbaijan’s state"),
    ("in the '90s", "in the ’90s"),
    ("the 'Black January' events", "the ‘Black January’ events"),
    ('he said "a \'nested\' one" then', f"he said “a{_}‘nested’ one” then"),
    ('("quoted")', "(“quoted”)"),
    ("“already curly” kept", "“already curly” kept"),
    # dashes and ranges
    ("January 20 - National Mourning Day", f"January{_}20{_}— National Mourning Day"),
    ("the day -- a day of grief", f"the day{_}— a{_}day of grief"),
    ("mourning---and memory", "mourning—and memory"),
    ("in 1990-1994 and on 19-20 September", f"in 1990–1994 and on 19–20{_}September"),
    ("dated 2024-01-20 here", "dated 2024-01-20 here"),
    ("the 80-odd victims", "the 80-odd victims"),
    # ellipsis and spaces
    ("and so on... then", "and so on… then"),
    ("two  spaces   here then", "two spaces here then"),
    # no line ends with a one-letter word; a short last word never stands alone
    ("It was a night I remember well", f"It was a{_}night I{_}remember well"),
    ("On 20 January", f"On 20{_}January"),
]

RUSSIAN = [
    # quotes: «ёлочки» outside, „лапки“ inside, whatever the source used
    ('постановление "О трагических событиях" было', f"постановление «О{_}трагических событиях» было"),
    ('назвали "Черный январь" тогда', "назвали «Черный январь» тогда"),
    ("книга «Сказки “Баку”» вышла", "книга «Сказки „Баку“» вышла"),
    ('книга "Сказки "Баку"" вышла', "книга «Сказки „Баку“» вышла"),
    ("«Черный январь» сохранены", "«Черный январь» сохранены"),
    # dashes
    ("Баку - столица страны", f"Баку{_}— столица страны"),
    ("Баку – столица страны", f"Баку{_}— столица страны"),
    ("Баку — столица страны", f"Баку{_}— столица страны"),
    ("в 1990-1994 годах", f"в{_}1990–1994{_}годах"),
    ("80-х годов прошлого века", f"80\u2011х{_}годов прошлого века"),
    ("в 31-й годовщине", f"в{_}31\u2011й{_}годовщине"),
    # non-breaking spaces after short words
    ("в Баку и в Сумгайыте были", f"в{_}Баку и{_}в{_}Сумгайыте были"),
    ("с детьми, а также к ним", f"с{_}детьми, а{_}также к{_}ним"),
    ("на улице по приказу от имени до конца не было", f"на{_}улице по{_}приказу от{_}имени до{_}конца не{_}было"),
    ("из-за блокады люди", f"из-за{_}блокады люди"),
    ("это ли не правда", f"это{_}ли не{_}правда"),
    # numbers and the words they count or date
    ("20 января 1990 г. погибли", f"20{_}января 1990{_}г. погибли"),
    ("убиты 150 мирных жителей", f"убиты 150{_}мирных жителей"),
    ("19-20 января", f"19–20{_}января"),
    ("в ночь с 19 на 20 января", f"в{_}ночь с{_}19 на{_}20{_}января"),
    ("с 1988 по 1990 год", f"с{_}1988 по{_}1990{_}год"),
    ("Г. Алиев, т. е. лидер", f"Г.{_}Алиев, т.{_}е. лидер"),
    ("В 1991 Азербайджан восстановил", f"В{_}1991{_}Азербайджан восстановил"),
    # the same rules in a heading set in capitals
    ("ТРАГЕДИЯ 20-ГО ЯНВАРЯ", f"ТРАГЕДИЯ 20\u2011ГО{_}ЯНВАРЯ"),
    ("МЫ ЖЕ ПОМНИМ", f"МЫ{_}ЖЕ ПОМНИМ"),
    # both: ellipsis, spaces, short last word
    ("и так далее... потом", f"и{_}так далее… потом"),
    ("Мы  помним   всех.", "Мы помним всех."),
]


@pytest.mark.parametrize(("source", "expected"), ENGLISH)
def test_english(source: str, expected: str) -> None:
    assert typeset_en(source) == expected


@pytest.mark.parametrize(("source", "expected"), RUSSIAN)
def test_russian(source: str, expected: str) -> None:
    assert typeset_ru(source) == expected


@pytest.mark.parametrize(("language", "source", "expected"), [
    ("en", "We remember them.", f"We remember{_}them."),
    ("en", "We remember the victims.", "We remember the victims."),
    ("ru", "Мы помним их.", f"Мы помним{_}их."),
    ("ru", "Мы помним погибших.", "Мы помним погибших."),
])
def test_a_short_last_word_never_stands_alone(language: str, source: str, expected: str) -> None:
    assert typeset(source, language) == expected


def test_other_languages_keep_their_characters() -> None:
    assert typeset('a "b" - c', "kk") == 'a "b" - c'


def test_html_text_nodes_only_and_across_inline_tags() -> None:
    source = markdown_to_html('"A *quoted* word" in 1990-1994 & <b>\n\nWe remember a *b*.\n')
    result = typeset_html(source, "en")
    assert result == (f"<p>“A{_}<em>quoted</em> word” in 1990–1994 &amp;{_}&lt;b&gt;</p> "
                      f"<p>We remember a{_}<em>b</em>.</p> ")


@pytest.mark.parametrize(("source", "expected"), [
    # a quotation opening at the very start, behind inline tags only (a heading's <em>, an anchor)
    ('<em>"Hello"</em>', "<em>“Hello”</em>"),
    ('<p><a id="m"></a>"Quoted" he said.</p>', f'<p><a id="m"></a>“Quoted” he{_}said.</p>'),
    # a quotation closing right after an inline element, before punctuation
    ('<p>He called it "<em>the night</em>".</p>', "<p>He called it “<em>the night</em>”.</p>"),
])
def test_quotes_see_through_inline_tags_at_either_end(source: str, expected: str) -> None:
    assert typeset_html(source, "en") == expected


def test_quotes_and_apostrophes_at_the_ends_of_a_text() -> None:
    """A text may end on a closing quote and start with a one-letter word and an apostrophe."""
    assert typeset('He said "yes"', "en") == f"He said{_}“yes”"
    assert typeset("I'm here", "en") == f"I’m{_}here"


def test_a_sentence_ends_with_one_full_stop() -> None:
    assert with_full_stop("First edition ") == "First edition."
    for ended in ("2026 г.", "Why?", "Remember!", "and so on…"):
        assert with_full_stop(ended) == ended


def test_an_unbreakable_phrase_has_no_breaking_space() -> None:
    assert unbreakable("20 January 2026") == f"20{_}January{_}2026"


def test_quotes_do_not_run_across_paragraphs() -> None:
    result = typeset_html('<p>"Открыта</p>\n<p>"Вторая" цитата</p>', "ru")
    assert "<p>«Вторая» цитата</p>" in result


def test_reserved_characters_are_refused() -> None:
    with pytest.raises(ValueError, match="private-use"):
        typeset_html("<p>a\ue000b</p>", "en")


def visible_text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]*>", " ", fragment))


@pytest.mark.parametrize(("source", "expected"), ENGLISH + RUSSIAN)
def test_cases_change_only_typographic_characters(source: str, expected: str) -> None:
    assert fold(expected) == fold(source)


def test_fold_maps_typographic_characters_to_plain_ones() -> None:
    assert fold("«Скорбь» — „память“…  и\n ‚честь‘ -- 1990–1994") == '"Скорбь" - "память"... и "честь" - 1990-1994'


def test_fold_sees_a_changed_word_or_figure() -> None:
    """The fidelity check itself can fail: a changed figure or word is not folded away."""
    assert fold("убиты 150 мирных") != fold("убиты 151 мирных")
    assert fold('"On the tragic events"') != fold('"On the tragic event"')


def test_every_corpus_text_keeps_its_words_and_figures() -> None:
    """Fidelity: typesetting the real statements changes quotes, dashes and spaces, nothing else."""
    from tests.conftest import ROOT

    booklet = load_corpus(ROOT / "corpus")
    changed = 0
    for statement in booklet.statements:
        for text in statement.texts.values():
            source = markdown_to_html(text.markdown)
            result = typeset_html(source, text.language)
            assert fold(visible_text(result)) == fold(visible_text(source)), text.path
            changed += result != source
    assert changed  # the rules did apply


def test_every_character_the_rules_introduce_is_in_every_font() -> None:
    """The glyph check reads the sources; the characters typesetting adds must be drawable too."""
    from booklet.typeset.glyphs import font_characters
    from booklet.typeset.layout import load_layout
    from tests.conftest import ROOT

    added = "“”‘’«»„–—…" + NBSP
    layout = load_layout(ROOT / "layouts", "memorial", ROOT / "fonts")
    for face in layout.fonts:
        missing = [c for c in added if ord(c) not in font_characters(face.path)]
        assert not missing, (face.path.name, missing)


def test_a_font_replaced_in_place_is_read_again(tmp_path: Path) -> None:
    """`booklet watch` stays up while an editor replaces a font file: the glyph check must see the
    new file's characters, not the ones it read first."""
    from fontTools import subset

    from booklet.typeset.glyphs import font_characters
    from tests.conftest import ROOT

    source = ROOT / "fonts" / "NotoSerif-Regular.ttf"
    font = tmp_path / "Face.ttf"
    for letters, expected in (("AB", True), ("Ж", False)):
        options = subset.Options()
        subsetter = subset.Subsetter(options)
        subsetter.populate(text=letters)
        with subset.load_font(source, options) as loaded:
            subsetter.subset(loaded)
            subset.save_font(loaded, font, options)
        assert (ord("A") in font_characters(font)) is expected
