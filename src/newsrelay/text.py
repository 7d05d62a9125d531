"""Text helpers shared by the stages: text cleaned at ingestion, and for the checks sentences,
numbers and dates in several languages."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal, get_decimal_symbol, get_group_symbol
from sentencex import segment

# Spaces group thousands only after one to three digits ("7 000"), so "in 2026 300 people"
# stays two numbers; points and commas group or mark decimals.
# The spaces that group thousands: no-break, narrow no-break, thin (French typesetting) and plain.
# A vulgar fraction may follow the whole number: "29¾" is 29.75.
FRACTIONS = "\u00bc-\u00be\u2150-\u215e"
NUMBER = re.compile(
    r"(?<!\d)\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+(?!\d)(?:,\d+)?"
    rf"|\d+(?:[.,]\d+)*[{FRACTIONS}]?"
)
SPACES = "\u00a0\u202f\u2009 "
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


# Quotation marks, and apostrophes that open or close a quotation rather than join a word
# ("'It is a farce,' he said" but "isn't").
QUOTES = re.compile("[\"“”«»„‹›]|(?<!\\w)['‘’]|['‘’](?!\\w)")  # noqa: RUF001
# What ends a piece a segmenter cut after a short abbreviation ("Ms.", "d.C."), not a sentence.
ABBREVIATION_END = re.compile(r"(?:^|\s)(?:[^\W\d]|[A-Z][a-z])\.$")


def sentence_count(text: str, language: str) -> int:
    """How many sentences ``text`` has, counted the same way in any language: a segmenter keeps
    a quotation in guillemets or double quotes whole ("« C'est une farce. Un bon Brexit, ça
    n'existe pas »" as one) but not one in single quotes, and may cut after a title ("Ms.")."""
    parts = sentences(QUOTES.sub(" ", text), language)
    return sum(
        1 for i, part in enumerate(parts)
        if not i or not (part[:1].islower() or ABBREVIATION_END.search(parts[i - 1]))
    )  # fmt: skip


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
    """``text`` casefolded, without accents, Cyrillic written in Latin letters, apostrophes
    written one way: for comparing names and words across spellings ("Zelensky", "Zelenski",
    "Зеленский"; "O'Flynn" written with a typographic apostrophe)."""
    return _unaccented(text.casefold()).translate(_CYRILLIC)


_CYRILLIC_LETTERS = ("абвгґдезиіїйклмнопрстуфыэё", "abvggdeziiiiklmnoprstufyee")
_CYRILLIC_DIGRAPHS = dict(zip("єжхцчшщюя", "ie zh kh ts ch sh shch iu ia".split(), strict=True))
_CYRILLIC_DIGRAPHS |= {"ъ": "", "ь": ""}
_APOSTROPHES = dict.fromkeys("‘’ʼ`´", "'")  # noqa: RUF001
_CYRILLIC = str.maketrans(
    dict(zip(*_CYRILLIC_LETTERS, strict=True)) | _CYRILLIC_DIGRAPHS | _APOSTROPHES
)


def number_readings(text: str) -> Counter[Decimal]:
    """Every value the numbers of ``text`` can be read as, whatever the convention, with how
    many of its numbers can be read so."""
    values: Counter[Decimal] = Counter()
    for match in NUMBER.finditer(text):
        token = match.group().strip(SPACES)
        values.update({v for language in ("en", "es") if (v := _read(token, language)) is not None})
    return values


@cache
def locale(language: str) -> Locale | None:
    """CLDR's data for ``language`` (Babel); None for a code CLDR does not know."""
    try:
        return Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return None


@cache
def decimal_mark(language: str) -> str:
    """The decimal mark of ``language`` by CLDR: "." in English, "," in Spanish."""
    known = locale(language)
    return get_decimal_symbol(known) if known is not None else "."


def localize_numbers(text: str, source_text: str, source: str, target: str) -> str:
    """``text``, an engine's answer to ``source_text``, with each number it copied from the
    source as written there ("1,240", "2.8") in the target's convention instead ("1.240",
    "2,8" in Spanish; "1 240" in French), by CLDR through Babel; a reader of the target would
    read "1,240" as 1.24. Only the numbers of the source are touched, and only when the source
    wrote them with a mark its own convention reads unambiguously; times ("10.30am") and
    numbers with more than one reading ("1.2.3") are left as they are."""
    target_locale = locale(target)
    if target_locale is None or not text:
        return text
    if (decimal_mark(source), _group_mark(source)) == (decimal_mark(target), _group_mark(target)):
        return text
    marks = {decimal_mark(source), _group_mark(source)}
    copied = {t for t, _, _ in number_spans(source_text, source) if any(m in t for m in marks)}
    if not copied:
        return text

    def rewrite(match: re.Match[str]) -> str:
        token = match.group()
        if token not in copied or TIME_AFTER.match(text, match.end()):
            return token
        value = _read(token, source)
        if value is None:
            return token
        point = decimal_mark(source)
        places = len(token.rpartition(point)[2]) if point in token else 0
        fraction = "." + "0" * places if places else ""  # "2.80" stays "2,80", "2.8" "2,8"
        return format_decimal(value, f"#,##0{fraction}", locale=target_locale)

    parts = re.split(r"(<[^>]*>)", text)  # the text between tags, never inside one
    parts[0::2] = [_COPIED_NUMBER.sub(rewrite, part) for part in parts[0::2]]
    return "".join(parts)


@cache
def _group_mark(language: str) -> str:
    known = locale(language)
    return get_group_symbol(known) if known is not None else ","


# a number as an engine copies it: digits with points or commas inside, nothing else around
_COPIED_NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,]\d+)+(?![\d]|[.,]\d)")
TIME_AFTER = re.compile(r"\s?(?:[ap]\.?m\b|h\b|hrs?\b)", re.I)


def _read(token: str, language: str) -> Decimal | None:
    if not token[-1].isdigit():  # "29¾"
        value = _read(token[:-1], language)
        part = Decimal(str(unicodedata.numeric(token[-1]))).quantize(Decimal("0.001"))
        return None if value is None else (value + part).normalize()
    decimal_point = decimal_mark(language)
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
    if mark == decimal_point or len(fraction) != 3:
        return _decimal(f"{whole}.{fraction}")
    return _decimal(whole + fraction)  # a thousands separator: 7,000 (en) or 7.000 (es)


def _grouped(whole: str, fraction: str) -> Decimal | None:
    groups = re.split(r"[.,\u00a0\u202f\u2009 ]", whole)
    if len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
        return None  # not a well-formed number: "2.200.12"
    return _decimal("".join(groups) + (f".{fraction}" if fraction else ""))


def _decimal(text: str) -> Decimal | None:
    try:
        return Decimal(text).normalize()
    except InvalidOperation:
        return None


@cache
def calendar_words(language: str) -> frozenset[str]:
    """The names of the months and weekdays of ``language``, lower-cased (CLDR's, through
    Babel: wide, in a date and standing alone)."""
    known = locale(language) or locale("en")
    assert known is not None
    return frozenset(
        name.casefold()
        for names in (known.months, known.days)
        for context in names.values()
        for name in context.get("wide", {}).values()
    )


def month_names(language: str) -> frozenset[str]:
    """The month names of ``language`` and their abbreviations, lower-cased (CLDR's)."""
    return frozenset(_month_table(language))


@cache
def _month_table(language: str) -> dict[str, int]:
    """Month names of ``language`` (CLDR's, through Babel: wide and abbreviated, in a date and
    standing alone) to their numbers; English when CLDR does not know the language."""
    known = locale(language) or locale("en")
    assert known is not None
    table: dict[str, int] = {}
    for context in known.months.values():
        for width in ("wide", "abbreviated"):
            for number, name in context.get(width, {}).items():
                name = name.casefold().rstrip(".")
                table.setdefault(name, number)
                table.setdefault(_unaccented(name), number)  # "octobre" for "octòbre"
    # spellings in use beside CLDR's ("julh", the Languedocian July beside "julhet")
    extra = {"en": {"sept": 9}, "es": {"setiembre": 9}, "oc": {"julh": 7}}
    return table | extra.get(language, {})


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


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


# How a language says "on <date>" ("on July 2" as "el 2 de julio", "am 2. Juli").
ON_DATE = {
    "es": "el", "ca": "el", "gl": "o", "pt": "em", "fr": "le", "it": "il", "de": "am", "oc": "lo",
}  # fmt: skip


def date_renderings(text: str, source: str, target: str) -> dict[str, str]:
    """Each date written in ``text`` (in ``source``) as ``target`` writes it, by CLDR ("July 2,
    2019" as "2 de julio de 2019"; English "on July 2" as "el 2 de julio"): a rule-based engine
    reorders the words of a date and the ones around it ("Encima julio 2")."""
    known = locale(target)
    if known is None:
        return {}
    table = _month_table(source)
    found: dict[str, str] = {}
    matches = [m for pattern in _date_patterns(source) for m in pattern.finditer(text)]
    end = 0
    for match in sorted(matches, key=lambda m: (m.start(), -m.end())):
        if match.start() < end or not match.group("month")[:1].isupper():
            continue  # within another date ("June 19. Sept. 5"), or "they march 3 miles"
        end = match.end()
        year = match.group("year")
        try:
            when = date(int(year or 2000), table[match.group("month").lower()],
                        int(match.group("day")))  # fmt: skip
        except ValueError:
            continue  # "June 31"
        rendered = (format_date(when, "long", locale=known) if year
                    else format_skeleton("MMMMd", when, locale=known))  # fmt: skip
        span = match.group()
        on = re.search(r"\b[Oo]n\s+$", text[: match.start()])
        if on and source == "en" and target in ON_DATE:
            span = on.group() + span
            rendered = f"{ON_DATE[target]} {rendered}"
            if span[0].isupper():
                rendered = rendered[0].upper() + rendered[1:]
        found[span] = rendered
    return found


MIN_TWO = 5  # letters of each of two words run together ("tendencia plazo")
MIN_TWO_WORDS = 12  # letters of two words run together: shorter ones are mostly real words
MIN_PIECE = 3  # letters: a shorter piece of a run-together word must be one of the short words
# The short words an engine's generator runs together with others ("tendenciadeplazo",
# "índiceabajocostado"), by language.
SHORT_WORDS = {
    "es": frozenset({"a", "e", "o", "u", "y", "al", "de", "el", "en", "la", "lo", "no", "un"}),
    "ca": frozenset({"a", "i", "o", "al", "de", "el", "en", "la", "no", "un"}),
    "pt": frozenset({"a", "e", "o", "ao", "da", "de", "do", "em", "na", "no", "um"}),
    "gl": frozenset({"a", "e", "o", "ao", "da", "de", "do", "en", "na", "no", "un"}),
    "fr": frozenset({"a", "à", "y", "au", "de", "du", "en", "la", "le", "ne", "un"}),
    "it": frozenset({"a", "e", "o", "da", "di", "il", "in", "la", "lo", "un"}),
    "oc": frozenset({"a", "e", "o", "de", "en", "la", "lo", "un"}),
    "ro": frozenset({"a", "o", "de", "la", "nu", "în"}),
}
# Endings a dictionary may lack a word with, which are words too ("indebida-mente").
SUFFIXES = frozenset({"mente", "ment", "ness", "ción", "ció", "ista", "istas"})


def word_pieces(word: str, language: str) -> set[str]:
    """Every piece ``word_break`` may cut ``word`` into, to look up in a dictionary at once."""
    short = SHORT_WORDS.get(language, frozenset())
    runs = re.findall(r"[^\W\d_]+", word)
    found = {r[i:j] for r in runs for i in range(len(r)) for j in range(i + MIN_PIECE, len(r) + 1)}
    return found | {s for s in short if s in word}


def word_break(word: str, known: set[str], language: str) -> tuple[str, ...] | None:
    """``word`` as the fewest words of ``known`` written together ("quecompartensalud" as
    "que", "comparten", "salud"; "personade48años" as "persona", "de", "48", "años"): each at
    least three letters or one of the language's short words ("de", "y"), never first or last;
    digits stand apart. None when it does not cut into words run together: three or more, or
    two of five letters or more (twelve in all), not a word and a suffix ("repartido res", "in
    debidamente", "indebida mente", "hotel eras" are no cut); with digits, a short word beside
    them ("tacto de 15", not "foto 2")."""
    short = SHORT_WORDS.get(language, frozenset())
    pieces: list[str] = []
    for match in re.finditer(r"\d+|[^\W\d_]+", word):
        run = match.group()
        if run.isdigit():
            pieces.append(run)
            continue
        first, last = match.start() == 0, match.end() == len(word)
        best: list[tuple[str, ...] | None] = [()] + [None] * len(run)
        for end in range(1, len(run) + 1):
            for start in range(end):
                piece, before = run[start:end], best[start]
                inner = (start or not first) and (end < len(run) or not last)  # between two
                fits = (inner and piece in short) or (len(piece) >= MIN_PIECE and piece in known)
                if before is not None and fits:
                    option = (*before, piece)
                    current = best[end]
                    if current is None or _fewer(option, current, short):
                        best[end] = option
        found = best[-1]
        if found is None:
            return None
        pieces += found
    if len(pieces) < 2 or pieces[-1] in SUFFIXES:
        return None
    if any(p.isdigit() for p in pieces):
        return tuple(pieces) if any(p in short for p in pieces) else None
    if len(pieces) == 2 and (len(word) < MIN_TWO_WORDS or min(map(len, pieces)) < MIN_TWO):
        return None
    return tuple(pieces)


def _fewer(option: tuple[str, ...], current: tuple[str, ...], short: frozenset[str]) -> bool:
    """Whether a cut is better than another: fewer words, and of as many, more of the short
    words a generator runs together between others ("Johnson de cuatro", not "John sonde
    cuatro")."""
    shorts = sum(p in short for p in option) - sum(p in short for p in current)
    return len(option) < len(current) or (len(option) == len(current) and shorts > 0)
