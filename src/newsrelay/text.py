"""Text helpers shared by the stages: text cleaned at ingestion, and for the checks sentences,
numbers and dates in several languages."""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale, UnknownLocaleError
from sentencex import segment

# Languages whose decimal mark is a point; the others use a comma (es, fr, pt, ca, de, it ...).
POINT_DECIMAL = {"en", "zh", "ja", "ko", "he", "th", "hi", "ms"}
# Spaces group thousands only after one to three digits ("7 000"), so "in 2026 300 people"
# stays two numbers; points and commas group or mark decimals.
NUMBER = re.compile(r"(?<!\d)\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?!\d)(?:,\d+)?|\d+(?:[.,]\d+)*")
SPACES = "\u00a0\u202f "
# What no stored text may hold: C0 and C1 controls but tab and line breaks, lone surrogates and
# noncharacters (none is legal in XML 1.0, so none may reach a page, a feed or the engine).
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` without control characters, lone surrogates and noncharacters (applied to
    everything read from a feed or a page, so nothing downstream meets them)."""
    return _ILLEGAL.sub("", text)


def sentences(text: str, language: str) -> list[str]:
    """The sentences of a paragraph (rule-based, multilingual: sentencex)."""
    return [s.strip() for s in segment(language, text) if s.strip()]


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return re.findall(r"\w+", text.casefold())


def numbers(text: str, language: str) -> list[tuple[str, Decimal]]:
    """Each number written in ``text``, read by the conventions of ``language``."""
    return [(token, value) for token, value, _ in number_spans(text, language)]


def number_spans(text: str, language: str) -> list[tuple[str, Decimal, int]]:
    """Each number of ``text`` with its value and where it ends (for what follows it)."""
    found = []
    for match in NUMBER.finditer(text):
        token = match.group().strip(SPACES)
        value = _read(token, language)
        if value is not None:
            found.append((token, value, match.start() + len(match.group().rstrip(SPACES))))
    return found


def fold(text: str) -> str:
    """``text`` casefolded, without accents, Cyrillic written in Latin letters: for comparing
    names and words across spellings ("Zelensky", "Zelenski", "Зеленский")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.translate(_CYRILLIC)


_CYRILLIC_LETTERS = ("абвгґдезиіїйклмнопрстуфыэё", "abvggdeziiiiklmnoprstufyee")
_CYRILLIC_DIGRAPHS = dict(zip("єжхцчшщюя", "ie zh kh ts ch sh shch iu ia".split(), strict=True))
_CYRILLIC_DIGRAPHS |= {"ъ": "", "ь": ""}
_CYRILLIC = str.maketrans(dict(zip(*_CYRILLIC_LETTERS, strict=True)) | _CYRILLIC_DIGRAPHS)


def number_readings(text: str) -> set[Decimal]:
    """Every value the numbers of ``text`` can be read as, whatever the convention."""
    values = set()
    for match in NUMBER.finditer(text):
        token = match.group().strip(SPACES)
        for language in ("en", "es"):
            value = _read(token, language)
            if value is not None:
                values.add(value)
    return values


def _read(token: str, language: str) -> Decimal | None:
    decimal_mark = "." if language in POINT_DECIMAL else ","
    separators = [c for c in token if not c.isdigit()]
    if not separators:
        return _decimal(token)
    kinds = set(separators)
    if len(kinds) > 1:  # "1,234.5" or "1.234,5": the last mark is the decimal one
        last = separators[-1]
        whole, _, fraction = token.rpartition(last)
        return _grouped(whole, fraction)
    mark = separators[0]
    groups = token.split(mark)
    if len(groups) > 2 or mark in SPACES:
        return _grouped(token, "")
    whole, fraction = groups
    if mark == decimal_mark or len(fraction) != 3:
        return _decimal(f"{whole}.{fraction}")
    return _decimal(whole + fraction)  # a thousands separator: 7,000 (en) or 7.000 (es)


def _grouped(whole: str, fraction: str) -> Decimal | None:
    groups = re.split(r"[.,\u00a0\u202f ]", whole)
    if len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
        return None  # not a well-formed number: "2.200.12"
    return _decimal("".join(groups) + (f".{fraction}" if fraction else ""))


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return None


MONTHS = {
    "en": "january february march april may june july august september october november december",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro "
    "dezembro",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "ca": "gener febrer març abril maig juny juliol agost setembre octubre novembre desembre",
    "de": "januar februar märz april mai juni juli august september oktober november dezember",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre "
    "dicembre",
}
SHORT_EN = "jan feb mar apr may jun jul aug sept sep oct nov dec"


@cache
def _month_table(language: str) -> dict[str, int]:
    """Month names of ``language`` (CLDR's, through Babel: wide and abbreviated, in a date and
    standing alone) to their numbers."""
    names = MONTHS.get(language, MONTHS["en"]).split()
    table = {name: i + 1 for i, name in enumerate(names)}
    try:
        contexts = list(Locale.parse(language).months.values())
    except (ValueError, UnknownLocaleError):
        contexts = []
    for context in contexts:
        for width in ("wide", "abbreviated"):
            for number, name in context.get(width, {}).items():
                table.setdefault(name.casefold().rstrip("."), number)
    if language == "en":
        short = SHORT_EN.split()
        table |= {s: min(i + 1, 12) if s != "sept" else 9 for i, s in enumerate(short)}
        table |= {"sep": 9, "oct": 10, "nov": 11, "dec": 12}
    if language == "es":
        table["setiembre"] = 9
    return table


@cache
def _date_patterns(language: str) -> list[re.Pattern[str]]:
    months = "|".join(sorted(_month_table(language), key=len, reverse=True))
    day = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|º|\.)?"
    year = r"(?P<year>\d{4})"
    patterns = [
        rf"\b(?P<month>{months})\.? {day}(?:,? {year})?\b",  # March 3, 2026
        rf"\b{day} (?:of |de |d'|de l'|del )?(?P<month>{months})\b(?:,? (?:de |del |of )?{year})?",
    ]
    return [re.compile(p.replace(" ", r"[\s\u00a0\u202f]+"), re.I) for p in patterns]


def dates(text: str, language: str) -> set[tuple[int, int, int | None]]:
    """(day, month, year or None) of each date written in ``text``."""
    found = set()
    table = _month_table(language)
    for pattern in _date_patterns(language):
        for match in pattern.finditer(text):
            day, month = int(match.group("day")), table[match.group("month").lower()]
            year = int(match.group("year")) if match.group("year") else None
            if 1 <= day <= 31:
                found.add((day, month, year))
    for match in re.finditer(r"\b(\d{4})-(\d{2})-(\d{2})\b", text):
        found.add((int(match.group(3)), int(match.group(2)), int(match.group(1))))
    return found
