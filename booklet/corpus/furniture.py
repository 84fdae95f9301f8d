"""What a page puts around a statement it copies: the importer's vocabulary of shapes.

Every rule here describes a *shape* of text in English or Russian (a date line, a share button, a
page footer, a sentence reporting that a statement was issued, a lead-in before a quotation, a
retelling in the outlet's words), never one outlet: no outlet or statement is named. The importer
(booklet.corpus.importer) decides with these what to remove, and declares each removal with its reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from babel import Locale

from booklet.corpus.figures import LANGUAGES, MONTH, month_number
from booklet.corpus.model import PartialDate

TERMINAL = ".!?…"
CLOSING = "\"”»’')]"
PAIRS = {'"': '"', "“": "”", "«": "»", "„": "“", "‘": "’"}
"""Opening quote mark → the closing mark of an outlet's quotation (English and Russian usage)."""


def ends_sentence(line: str) -> bool:
    """The line ends a sentence (or introduces what follows with a colon)."""
    stripped = line.rstrip().rstrip(CLOSING)
    return bool(stripped) and stripped[-1] in TERMINAL + ":"


# --- dates -------------------------------------------------------------------------------------


@cache
def _abbreviations() -> dict[str, int]:
    """Abbreviated month names of both languages from CLDR ("Jan", «янв»), without their dot."""
    forms: dict[str, int] = {}
    for language in LANGUAGES:
        locale = Locale.parse(language)
        for context in ("format", "stand-alone"):
            for number, name in locale.months[context]["abbreviated"].items():
                forms[name.lower().rstrip(".")] = number
    return forms


def _month_of(word: str) -> int | None:
    word = word.lower().rstrip(".")
    return month_number(word) or _abbreviations().get(word)


@cache
def _month_pattern() -> str:
    return "|".join(sorted({*MONTH.split("|"), *_abbreviations()}, key=len, reverse=True))


@cache
def _date_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    month = _month_pattern()
    year = r"(?P<y>(?:19|20)\d{2})(?!\d)"
    return (
        (re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})-(?P<d>\d{2})(?!\d)"), "iso"),
        (re.compile(rf"(?<![\d.])(?P<d>\d{{1,2}})\.(?P<m>\d{{1,2}})\.{year}"), "dotted"),
        (re.compile(rf"(?<![\d/])(?P<d>\d{{1,2}})/(?P<m>\d{{1,2}})/{year}"), "slashed"),
        (re.compile(rf"(?<!\d)(?P<d>\d{{1,2}})\s+(?P<m>{month})\.?,?\s+{year}", re.IGNORECASE), "words"),
        (re.compile(rf"\b(?P<m>{month})\.?\s+(?P<d>\d{{1,2}}),?\s+{year}", re.IGNORECASE), "words"),
    )


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    date: PartialDate


def dates_in(text: str) -> list[FoundDate]:
    """Every calendar date printed in a common shape of either language, in text order:
    2024-01-19, 19.01.2024, 20/01/2025, 19 January 2024, January 19, 2024, «19 января, 2026»,
    «20 янв. 2024». A slashed date is day first unless its second number cannot be a month."""
    found: list[FoundDate] = []
    for pattern, shape in _date_patterns():
        for match in pattern.finditer(text):
            month = int(match["m"]) if shape in ("iso", "dotted", "slashed") else _month_of(match["m"])
            day = int(match["d"])
            if month is None:
                continue
            if shape == "slashed" and month > 12 >= day:
                day, month = month, day  # 01/20/2025: the American order, month first
            try:
                date = PartialDate.parse(f"{match['y']}-{month:02d}-{day:02d}")
            except ValueError:
                continue
            if not any(f.start <= match.start() < f.end or match.start() <= f.start < match.end() for f in found):
                found.append(FoundDate(match.start(), match.end(), date))
    return sorted(found, key=lambda f: f.start)


_TIME = re.compile(
    r"(?<![\d:])\d{1,2}:\d{2}(?::\d{2})?(?:\s*(?:AM|PM|am|pm))?(?!\d)"
    r"|\(?(?:UTC|GMT)\s*[+\-−]?\s*\d{1,2}(?::\d{2})?\)?"
)
_DATE_WORDS = re.compile(
    r"\b(?:date|dated|published|updated|posted|on|at|дата|опубликовано|обновлено|от|в)\b"
    r"|(?<=\d)-?(?:го|е|ого)\b|\b(?:года|год|г)\b\.?",
    re.IGNORECASE,
)
_STAMP_WORDS = re.compile(
    r"(?:date|dated|published|updated|posted|дата|опубликовано|обновлено)\b:?", re.IGNORECASE
)
_WORD = re.compile(r"[^\W\d_]{2,}")


def date_line(line: str) -> PartialDate | bool | None:
    """A line that is only a date stamp: a date or a time, perhaps a rubric or a place name.

    Returns the date it prints, True for a stamp without a date (a time), None for any other line.
    "Politics 23:49 19.01.2024", «Внутренняя политика • 19 января, 2026 • 23:50», "Baku, 19
    January 2024", «**20 января 2024-го года**»."""
    text = line.strip().strip("*_#> ")
    if not text or len(text) > 90:
        return None
    dates = dates_in(text)
    times = list(_TIME.finditer(text))
    if not dates and not times:
        return None
    rest = text
    for span in sorted([(d.start, d.end) for d in dates] + [m.span() for m in times], reverse=True):
        rest = rest[: span[0]] + " " + rest[span[1] :]
    rest = _DATE_WORDS.sub(" ", rest)
    words = _WORD.findall(rest)
    if len(words) > 3 or re.search(r"[.!?…]\s+\S", rest):
        return None
    # A rubric or a place is a name or two («Внутренняя политика», "Baku"); two words in lower case
    # are prose ("On 20 January 1990 troops entered Baku."), and prose is the statement's own.
    if sum(word[0].islower() for word in words) >= 2:
        return None
    return dates[0].date if dates else True


def leading_stamp(line: str) -> tuple[int, PartialDate | None] | None:
    """A date stamp at the start of a line before other text: "date 2026-01-19 BAKU, …" → the end
    of "date 2026-01-19" and its date."""
    position, date = 0, None
    while True:
        gap = re.match(r"[\s•|·,–—-]*", line[position:])
        at = position + (gap.end() if gap else 0)
        word = _STAMP_WORDS.match(line, at)
        if word and word.end() > at:
            position = word.end()
            continue
        dated = next((d for d in dates_in(line[at:]) if d.start == 0), None)
        if dated:
            date = date or dated.date
            position = at + dated.end
            continue
        timed = _TIME.match(line, at)
        if timed:
            position = timed.end()
            continue
        break
    stamp = line[:position].strip()
    following = line[position:].lstrip()[:1]
    if not stamp or (date is None and not _TIME.search(stamp)) or following in ",;" or following.islower():
        return None
    return line.index(stamp) + len(stamp), date


# --- interface debris, page furniture ------------------------------------------------------------

_UI_WORDS = {
    # English
    "share", "share this", "share on facebook", "share on twitter", "print", "print version",
    "printable version", "print this page", "print page", "tweet", "facebook", "twitter", "x",
    "telegram", "whatsapp", "linkedin", "vk", "vkontakte", "ok", "email", "e-mail", "mail", "copy",
    "copy link", "link copied", "comments", "comment", "subscribe", "follow us", "read more",
    "read also", "also read", "see also", "related", "related news", "related articles", "more news",
    "latest news", "back", "home", "news", "menu", "search", "login", "sign in", "advertisement",
    "ad", "font size", "a", "a+", "a-", "send", "save", "like", "listen", "download", "pdf",
    "close", "next", "previous", "top", "views", "for immediate release", "press release", "ends", "end",
    # Russian
    "поделиться", "поделитесь", "версия для печати", "печать", "распечатать", "напечатать",
    "отправить", "комментарии", "комментировать", "подписаться", "подписывайтесь",
    "читайте также", "читать также", "читать далее", "подробнее", "ещё", "еще", "главная",
    "новости", "последние новости", "все новости", "лента новостей", "реклама", "назад", "поиск",
    "меню", "скопировать ссылку", "ссылка скопирована", "вконтакте", "одноклассники", "телеграм",
    "фейсбук", "размер шрифта", "нравится", "слушать", "скачать", "закрыть", "далее",
    "просмотры", "просмотров", "пресс-релиз", "для немедленного распространения", "конец",
}
_LABELLED = re.compile(
    r"^(?P<label>tags?|теги|тэги|метки|keywords|ключевые слова|photo|photos|фото|source|источник"
    r"|рубрика|rubric|category|категория|author|автор|editor|редактор|related|related news|read also"
    r"|read more|see also|also read|more|читайте также|читать также|смотрите также|по теме|ещё по теме"
    r"|еще по теме|подробнее|contact|contacts|контакты|email|e-mail)\s*:\s*(?P<rest>.*)$",
    re.IGNORECASE,
)
_PAGE_MARK = re.compile(
    r"^(?:(?:page|p\.|стр\.?|страница|с\.)\s*\d+(?:\s*(?:of|из|/)\s*\d+)?"
    r"|[-–—]?\s*\d{1,3}\s*[-–—]?|\d{1,3}\s*/\s*\d{1,3}|(?:https?://|www\.)\S+"
    r"|(?:©|\(c\)|copyright|все права защищены|all rights reserved).*)$",
    re.IGNORECASE,
)
_COUNTER = re.compile(r"^\d+\s*(?:comments?|views?|shares?|просмотр\w*|комментари\w*|\w{0,3})$", re.I)
_SEPARATORS = re.compile(r"\s*(?:[|•·/;,]|\s{2,}|\t)\s*")
_LETTERS3 = re.compile(r"[^\W\d_]{3,}")


_CALL_TO_ACTION = re.compile(
    r"^(?:subscribe|follow us|join us|sign up|download (?:our|the) app|подписывайтесь|подпишитесь|"
    r"присоединяйтесь|следите за (?:нами|новостями)|читайте нас)\b",
    re.IGNORECASE,
)
_BREADCRUMB = re.compile(r"^[^\W\d_][^>»›/|]{0,30}(?:\s*[>»›/|]\s*[^\W\d_][^>»›/|]{0,30}){1,6}$")
_BYLINE = re.compile(r"^(?:by|posted by|written by|автор|текст)\s+[A-ZА-ЯЁ][\w.\-]*(?:\s+[A-ZА-ЯЁ][\w.\-]*){0,3}$"
                     r"|^\d+\s*(?:min(?:ute)?s?|мин\.?|минут[аы]?)\s*(?:read|чтения)$", re.IGNORECASE)
_HASHTAGS = re.compile(r"^(?:#[^\s#]+\s*){1,12}$")


def debris(line: str) -> str | None:
    """Why a line is interface debris (share and print buttons, tags, counters, breadcrumbs,
    bylines, calls to subscribe), or None."""
    if line.strip() and not re.search(r"[^\W_]", line):
        return "a line of symbols"
    text = line.strip().strip("*_#>")
    text = text.strip()
    if not text:
        return None
    if _HASHTAGS.match(line.strip()):
        return "hashtags"
    if len(text) <= 100 and (_CALL_TO_ACTION.match(text) or _BYLINE.match(text)):
        return "a call to subscribe or a byline"
    if len(text) <= 120 and _BREADCRUMB.match(text) and not ends_sentence(text):
        return "a breadcrumb trail"
    if len(text) <= 40 and not _LETTERS3.search(text):
        return "interface debris"
    labelled = _LABELLED.match(text.strip("()[] "))
    if labelled and len(text) <= 200:
        return f"a '{labelled['label']}:' line"
    if len(text) > 120:
        return None
    pieces = [p for p in _SEPARATORS.split(text.lower()) if p]
    if pieces and all(
        p.strip(" .:!»«\"'()[]+") in _UI_WORDS or not _LETTERS3.search(p) or _COUNTER.match(p)
        for p in pieces
    ):
        return "interface debris"
    return None


def source_credit(line: str) -> str | None:
    """The outlet a 'Source: X' line credits."""
    labelled = _LABELLED.match(line.strip().strip("*_()[] "))
    if labelled and labelled["label"].lower() in ("source", "источник") and labelled["rest"].strip():
        return labelled["rest"].strip().rstrip(".")
    return None


def page_mark(line: str) -> bool:
    """A page number, 'Page 1 of 2', a bare web address or a copyright line, or a footer that
    ends in a page number after a wide gap or a bar ("www.mfa.gov.az      1", "… | Page 2")."""
    text = line.strip()
    if _PAGE_MARK.match(text):
        return True
    footer = re.search(r"(?:\s{3,}|\s\|\s*)((?:page|стр\.?|страница)?\s*\d{1,3}(?:\s*(?:of|из|/)\s*\d{1,3})?)$",
                       text, re.IGNORECASE)
    return footer is not None and len(text) <= 120 and not ends_sentence(text[: footer.start()])


def names_statement(words: str) -> bool:
    """A headline that names a statement (rather than a letterhead or a rubric)."""
    return bool(re.search(_STATEMENT_WORD, words, re.IGNORECASE))


def repetition_key(line: str) -> str:
    """Lines equal but for their numbers are one banner or footer repeated on each page."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", line.strip().strip("*_#")).lower())


# --- outlet framing, lead-ins, attributions, paraphrase ----------------------------------------

_ISSUER_WORD = (
    r"(?:ministry|mfa|embassy|mission|consulate|press service|government|office|"
    r"министерств\w*|мид\b|посольств\w*|представительств\w*|консульств\w*|пресс-служб\w*|ведомств\w*)"
)
_STATEMENT_WORD = (
    r"(?:statement|press release|message|address|communiqu\w*|appeal|"
    r"заявлени\w*|обращени\w*|сообщени\w*|пресс-релиз\w*|коммюнике)"
)
_REPORTING = [
    re.compile(
        r"\b(?:has |have |had )?(?:issued|released|published|disseminated|circulated|made public|"
        r"spread|distributed|put out|came up with)\b[^.]{0,60}?\b" + _STATEMENT_WORD,
        re.IGNORECASE,
    ),
    re.compile(
        r"(?:распространил\w*|опубликовал\w*|обнародовал\w*|выступил\w* с|выпустил\w*|"
        r"распространено|опубликовано)\b[^.]{0,60}?" + _STATEMENT_WORD,
        re.IGNORECASE,
    ),
    re.compile(_STATEMENT_WORD + r"[^.]{0,60}?\b(?:was |has been )?(?:issued|released|published|"
               r"распространил\w*|опубликовал\w*)", re.IGNORECASE),
    re.compile(r"\b(?:reports?|reported|informs|writes|said),? citing\b", re.IGNORECASE),
    re.compile(r"(?:^|[,;] |\. )(?:[A-Z][\w.-]*(?: [A-Z][\w.-]*){0,3}) (?:reports|reported|informs|writes)\.$"),
    re.compile(r"(?:сообщает|сообщил\w*|передает|передаёт|информирует|пишет) [A-ZА-ЯЁ«\"][^.]{0,60}\.$"),
    re.compile(r"со ссылкой на\b", re.IGNORECASE),
]
_REPORTER = [
    re.compile(r"(?P<name>[A-Z][\w.-]*(?: [A-Z][\w.-]*){0,3}) (?:reports|reported|informs|writes)\b"),
    re.compile(r"(?:сообщает|передает|передаёт|информирует|пишет) (?P<name>[A-ZА-ЯЁ«\"][\w.\-«»\"]*"
               r"(?: [A-ZА-ЯЁ][\w.-]*){0,2})"),
    re.compile(r"^Как (?:сообщает|передает|передаёт) (?P<name>[^,]{1,40}),"),
]
_CREDIT = [
    re.compile(r"\bciting (?:the )?(?P<name>[A-Z][\w.-]*(?: [A-Z][\w.-]*){0,3})"),
    re.compile(r"со ссылкой на (?P<name>[^.,]{1,50})"),
]
_LEAD_IN = re.compile(
    r"(?:\b(?:reads?|says|said|states|stated|notes|noted|emphasi[sz]es|stresses|runs|as follows|"
    r"following|text)\b|"
    r"(?:говорится|сказано|отмечается|подчеркивается|указывается|заявлени\w*|документ\w*|"
    r"следующ\w*|текст\w*))[^:]{0,40}:$",
    re.IGNORECASE,
)
_INLINE_LEAD_IN = re.compile(
    r"^(?P<lead>[^\"“«„:]{3,200}?(?:\b(?:reads?|says|states|stated|notes|noted|as follows)\b|"
    r"(?:говорится|сказано|отмечается|подчеркивается))[^:\"“«„]{0,40}:)\s*(?=[\"“«„])",
    re.IGNORECASE,
)
_ATTRIBUTION = [
    re.compile(
        r",?\s*(?:[—–-]\s*)?(?:(?:the|said the|reads the) )?(?:statement|document|ministry|mfa|message)"
        r"(?: also)? (?:reads|says|said|states|stated|noted|notes|emphasi[sz]ed|stressed|underlined|"
        r"added|concluded|highlighted|pointed out)\.$",
        re.IGNORECASE,
    ),
    re.compile(
        r",?\s*[—–-]?\s*(?:говорится|отмечается|подчеркивается|сказано|указывается|заявил\w*|"
        r"отметил\w*|подчеркнул\w*)(?: в)? (?:заявлении|документе|сообщении|МИД\w*|министерств\w*)"
        r"[^.«»\"]{0,40}\.$",
        re.IGNORECASE,
    ),
]
_PARAPHRASE = [
    re.compile(r"^(?:[A-Z][\w.-]*(?: [A-Z][\w.-]*){0,3} )?reports? that\b"),
    re.compile(r"^(?:It|This) (?:was|is|has been) (?:also )?(?:noted|stressed|emphasi[sz]ed|underlined|"
               r"stated|mentioned|pointed out|recalled|highlighted)\b"),
    re.compile(r"^(?:It|They|He|She)(?: also| further)? (?:noted|stressed|emphasi[sz]ed|underlined|stated|said|"
               r"recalled|added|pointed out|highlighted|reminded|called|expressed|urged|went on)\b"),
    re.compile(r"^(?:The|the) (?:statement|document|ministry|MFA|message)(?: also| further)? (?:highlights|"
               r"highlighted|notes|noted|says|said|stresses|stressed|emphasi[sz]es|emphasi[sz]ed|"
               r"underlines|underlined|recalls|recalled|points out|pointed out|adds|added|states|"
               r"stated|mentions|mentioned|calls|called|expresses|expressed|reminds|reminded)\b(?! *:)"),
    re.compile(r"^(?:According to|In) the (?:statement|document|ministry)\b[^:]*$"),
    re.compile(r"^(?:В|в) (?:заявлении|документе|сообщении)(?: также| далее)? (?:отмечается|подчеркивается|"
               r"говорится|указывается|сказано|напоминается|выражается|акцентируется)(?:,? что|\b)(?! *:)"),
    re.compile(r"^(?:Как|Также) (?:отмечается|подчеркивается|говорится|указывается)\b"),
    re.compile(r"^(?:Отмечается|Подчеркивается|Указывается|Напоминается), что"),
    re.compile(r"^(?:МИД|Министерство|Ведомство|Посольство)[^.:]{0,60}(?:отметил\w*|подчеркнул\w*|"
               r"напомнил\w*|заявил\w*|выразил\w*)"),
    re.compile(r"^(?:Как сообщает [^,]+, )"),
]


def reporting(sentence: str) -> bool:
    """A sentence reporting that a statement was issued ("X has issued a statement …, Y reports.")."""
    return any(pattern.search(sentence) for pattern in _REPORTING)


def lead_in(paragraph: str) -> bool:
    """A short paragraph that introduces the quotation: "The statement reads:", «В документе
    говорится:», «Как передает Report, в документе говорится:»."""
    return len(paragraph) <= 250 and bool(_LEAD_IN.search(paragraph.strip()))


def inline_lead_in(paragraph: str) -> str | None:
    """A lead-in and its colon before an opening quote in the same paragraph."""
    match = _INLINE_LEAD_IN.match(paragraph)
    return match["lead"] if match else None


def attribution(paragraph: str) -> re.Match[str] | None:
    """An attribution after the closing quote: ", the statement reads.", «, — говорится в заявлении.»"""
    for pattern in _ATTRIBUTION:
        match = pattern.search(paragraph)
        if match and paragraph[: match.start()].rstrip()[-1:] in CLOSING:
            return match
    return None


def paraphrase(paragraph: str) -> bool:
    """The outlet retelling the statement in its own words ("The statement highlights that …")."""
    text = paragraph.lstrip()
    return text[:1] not in PAIRS and any(pattern.search(text) for pattern in _PARAPHRASE)


def reporter(sentence: str) -> str | None:
    for pattern in _REPORTER:
        match = pattern.search(sentence)
        if match:
            return match["name"].strip(" «»\"")
    return None


def credited(sentence: str) -> str | None:
    for pattern in _CREDIT:
        match = pattern.search(sentence)
        if match and not re.search(_ISSUER_WORD, match["name"], re.IGNORECASE):
            return match["name"].strip(" «»\"")
    return None


def issuer_of(sentence: str) -> str | None:
    """Who issued the statement, from "The X has issued a statement"."""
    match = re.match(r"(?:The )?(.+?)(?:’s|'s)? (?:has |have )?(?:issued|released|published|disseminated)\b",
                     sentence)
    return match[1] if match and re.search(_ISSUER_WORD, match[1], re.IGNORECASE) else None


_CITY_DATELINE = re.compile(
    r"^(?P<city>[A-ZА-ЯЁ][\w-]+|[A-ZА-ЯЁ]{2,}(?: [A-ZА-ЯЁ]{2,})?)(?:, [^\W\d_][\w ]{0,30})?, "
    r"(?:[^\W\d_]+\.? \d{1,2}|\d{1,2} [^\W\d_]+\.?)(?:,? \d{4})?"
    r"(?P<agency>\s*(?:\(|/)[^)/\n]{1,30}(?:\)|/))?\s*(?:[.—–-]+\s*(?P<after>[A-ZА-ЯЁ][\w.-]*\.)?)"
)


def city_dateline(paragraph: str) -> re.Match[str] | None:
    """ "BAKU, Azerbaijan, January 19.", "Baku, 19 January (APA) –", «БАКУ, 19 января — АПА.»"""
    match = _CITY_DATELINE.match(paragraph)
    if match and match["after"] and not re.fullmatch(r"[A-ZА-ЯЁ][\w-]{1,15}\.", match["after"]):
        return None
    return match


def agency_name(paragraph: str) -> bool:
    """A last line that is only a short name: "News.Az", "APA", "Report", «Новости-Азербайджан»."""
    text = paragraph.strip()
    return (
        len(text) <= 30
        and 1 <= len(text.split()) <= 3
        and text[:1].isupper()
        and not ends_sentence(text)
        and bool(re.fullmatch(r"[\w.\-«»\" ]+", text))
    )


def signature(paragraph: str) -> bool:
    """A closing line naming the issuer: "Press Service of the Ministry …", «Посольство …»."""
    text = paragraph.strip().strip("*_")
    return (
        len(text) <= 160
        and not ends_sentence(text.rstrip("."))
        and bool(re.search(_ISSUER_WORD, text, re.IGNORECASE))
        and text[:1].isupper()
    )


def heading(paragraph: str) -> bool:
    """A headline: one line, no sentence end, not too long."""
    text = paragraph.strip().strip("*_")
    return (
        0 < len(text) <= 220
        and "\n" not in text
        and not ends_sentence(text)
        and not text.endswith((",", ";", "-", "–", "—"))
    )
