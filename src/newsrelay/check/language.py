"""Checks of language: sentences left in the source language, paragraphs in a third language."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from newsrelay.check import CheckInput
from newsrelay.errors import NewsrelayError
from newsrelay.model import Finding
from newsrelay.text import sentences, word_break, word_pieces

MIN_WORDS = 6  # shorter sentences (names, figures, quotes of one word) are not judged
CONFIDENCE = 0.9
MIN_PARAGRAPH = 100
TARGET_CHANCE = 0.05
COPIED = 0.6  # share of a sentence's words found in its source that makes it a copy
MIN_JUDGED = 5  # words of a paragraph, links aside, to read its language from
KNOWN_SHARE = 0.8  # of a paragraph's lower-case words the target's dictionary knows: its language
WORD = re.compile(r"[^\W\d_]{2,}")
URL = re.compile(r"\b(?:https?://|www\.)\S+")


@cache
def _detector(codes: tuple[str, ...]) -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_iso_codes_639_1(
        *(getattr(IsoCode639_1, code.upper()) for code in codes)
    ).build()


def _languages_of(texts: list[str], source: str, target: str) -> list[tuple[str, float] | None]:
    """The likelier of the two languages for each text, with its confidence (lingua, all the
    texts in one parallel call: several times faster than one call a text). A target lingua
    does not know (Galician, Occitan) stands as the languages it reads as."""
    stand_ins = frozenset(SIBLINGS.get(target, ()))
    try:
        detector = _detector(tuple(sorted({source, target})))
    except (AttributeError, ValueError):
        try:
            detector = _detector(tuple(sorted({source, *stand_ins})))
        except (AttributeError, ValueError):
            return [None] * len(texts)  # a language lingua does not know
    found: list[tuple[str, float] | None] = []
    for values in detector.compute_language_confidence_values_in_parallel(texts) if texts else []:
        best = values[0] if values else None
        language = str(best.language.iso_code_639_1.name).lower() if best else ""
        found.append((target if language in stand_ins else language, best.value) if best else None)
    return found


# What a translation rightly keeps in the source's words: the title of a work, quoted and
# capitalised ("Just the Funny Parts: And a Few Hard Truths"), and names, capitalised words with
# the small words between them ("Citizens for Responsibility and Ethics", "Dundee Stars").
QUOTED = re.compile(r"[“\"«„‘]([^”\"»“„‘’]{1,200})[”\"»’]")  # noqa: RUF001
OPENERS = " \"“«„‘'("  # noqa: RUF001  what may come before a sentence's first word
MIN_REST = 3  # words of a sentence, besides its names, to read its language from
NAME_LINKS = frozenset("of for and the in on at de del la y i e et und von".split())


def _unnamed(sentence: str) -> str:
    """``sentence`` without the titles and names a translation keeps: what is left to read as
    the target language. A capitalised word alone at the start of the sentence stays."""

    def title(match: re.Match[str]) -> str:
        words = re.findall(r"[^\W\d_]{4,}", match.group(1))
        capitalised = sum(w[0].isupper() for w in words)
        return " " if words and capitalised * 2 >= len(words) else match.group()

    text = QUOTED.sub(title, sentence)
    tokens = list(re.finditer(r"[^\W\d_][\w'’.-]*", text))  # noqa: RUF001
    named: list[tuple[int, int]] = []  # runs of capitalised words, as token indexes
    for index, token in enumerate(tokens):
        if not token.group()[0].isupper():
            continue
        linked = named and all(t.group() in NAME_LINKS for t in tokens[named[-1][1] : index])
        if linked and index - named[-1][1] <= 2:
            named[-1] = (named[-1][0], index + 1)
        else:
            named.append((index, index + 1))
    cut = [
        (tokens[a].start(), tokens[b - 1].end())
        for a, b in named
        if b - a > 1 or text[: tokens[a].start()].strip(OPENERS)
    ]
    for start, end in reversed(cut):
        text = text[:start] + " " + text[end:]
    return text


def check_untranslated(item: CheckInput) -> list[Finding]:
    """No sentence of the translation is still in the source language. What a translation keeps
    in the source's words by right (quoted titles, names) is not read: a sentence of MIN_WORDS
    words is judged on the rest, when the rest has MIN_REST words."""
    judged = [
        (index, sentence, rest)
        for index, paragraph in enumerate(item.translation)
        for sentence in sentences(paragraph, item.target_language)
        if len(WORD.findall(sentence)) >= MIN_WORDS
        and len(WORD.findall(rest := _unnamed(sentence))) >= MIN_REST
    ]
    languages = _languages_of([r for *_, r in judged], item.source_language, item.target_language)
    return [
        Finding(
            "untranslated",
            "warning",
            f"a sentence is still in the source language ({found[0]})",
            paragraph=index,
            translation=sentence,
        )
        for (index, sentence, _), found in zip(judged, languages, strict=True)
        if found
        and found[0] == item.source_language
        and found[1] >= CONFIDENCE
        and (item.target_language not in SIBLINGS or _copied(sentence, index, item))
    ]


def _copied(sentence: str, index: int, item: CheckInput) -> bool:
    """Whether most words of a sentence are words of its source paragraph: the proof asked of a
    target the identifier does not know, which it may read as anything (Occitan as English)."""
    aligned = len(item.source) == len(item.translation)
    source = item.source[index] if aligned else " ".join(item.source)
    words = WORD.findall(sentence.casefold())
    known = set(WORD.findall(source.casefold()))
    return sum(w in known for w in words) >= COPIED * len(words)


# Languages a wrong output is looked for among: widely published ones that lingua knows. Rare
# languages (Latin, Tagalog, Nynorsk ...) only add false alarms on short paragraphs of names.
OUTPUT_CANDIDATES = (
    "ar bg ca cs da de el en es et eu fi fr he hi hr hu id it ja ko lt lv nb nl pl pt ro ru "
    "sk sl sr sv tr uk vi zh"
).split()


@cache
def _output_detector() -> Any:
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, code.upper()) for code in OUTPUT_CANDIDATES]
    return LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_low_accuracy_mode().build()


def _chances(texts: list[str]) -> list[dict[str, float]]:
    batches = _output_detector().compute_language_confidence_values_in_parallel(texts)
    return [{str(v.language.iso_code_639_1.name).lower(): v.value for v in values}
            for values in batches]  # fmt: skip


# The identifier's languages a language it does not know reads as: Galician as Portuguese or
# Spanish, Occitan as any Romance language (Catalan, French, Italian ...), Asturian as Spanish.
ROMANCE = {"ca", "es", "fr", "it", "pt", "ro"}
SIBLINGS = {"gl": {"pt", "es"}, "oc": ROMANCE, "ast": {"es", "pt"}, "an": {"es", "ca"},
            "lb": {"de"}, "sc": ROMANCE}  # fmt: skip


def check_output_language(item: CheckInput) -> list[Finding]:
    """Every paragraph of the translation is in the target language.

    Close languages (Spanish, Catalan, Portuguese) look alike in a short paragraph, so a
    paragraph is reported only when the identifier gives the target language almost no chance.
    A target the identifier does not know (Galician, Occitan) is not judged here: measured on
    professional translations, it reads them as English, Indonesian or German with full
    confidence. Sentences left in the source language are still found (``untranslated``).
    """
    target = item.target_language
    if target in SIBLINGS:
        return []
    accepted = {target, item.source_language}
    findings = []
    judged = [(i, p) for i, p in enumerate(item.translation)
              if len(p) >= MIN_PARAGRAPH and len(_words(p)) >= MIN_JUDGED]  # fmt: skip
    for (index, paragraph), chances in zip(judged, _chances([p for _, p in judged]), strict=True):
        language = max(chances, key=chances.__getitem__, default=None)
        unlikely = chances.get(target, 0.0) < TARGET_CHANCE
        foreign = language and unlikely and language not in accepted
        if foreign and _foreign(paragraph, item):
            findings.append(
                Finding(
                    "wrong_language",
                    "warning",
                    f"the paragraph reads as {language}, not {target}",
                    paragraph=index,
                    translation=paragraph,
                )
            )
    return findings


def _words(paragraph: str) -> list[str]:
    """The words of a paragraph, its links aside."""
    return WORD.findall(URL.sub(" ", paragraph))


def _foreign(paragraph: str, item: CheckInput) -> bool:
    """Whether a paragraph the identifier reads as a third language is one: not when the
    target's dictionary knows most of its words (clumsy machine Spanish with a dish's name in
    English reads as Croatian; measured on FLORES, a Spanish paragraph has 84-100% of its
    lower-case words in Apertium's Spanish dictionary, a Portuguese one 40-68%, a Galician one
    56-85%)."""
    lexicon = getattr(item.engine, "lexicon", None)
    words = [w for w in _words(paragraph) if w[:1].islower()]
    if lexicon is not None and len(words) >= MIN_JUDGED:
        try:
            known = lexicon("\n".join(words), item.target_language)
        except NewsrelayError:
            known = {}
        if known and sum(bool(known.get(w)) for w in words) >= KNOWN_SHARE * len(words):
            return False
    return True


RUN_TOGETHER_MIN = 8  # letters: shorter unknown words are rarely several run together


def check_run_together(item: CheckInput) -> list[Finding]:
    """No words run together in the translation ("tendenciadeplazo", "queactúansuperiores",
    "australianode48años"), as an engine's generator sometimes leaves them: a word the target's
    dictionary does not know that cuts into words it knows (``word_break``), unless the engine
    marked it as a word of the source it left as it was ("analytics"). Needs an engine
    with a dictionary of the target language (Apertium's ``lexicon``); without one, nothing is
    said."""
    lexicon = getattr(item.engine, "lexicon", None)
    if lexicon is None:
        return []
    passed = {m[1:] for _, m in item.marks if m[0] in "*@"}  # the source's own words
    candidates = {w for p in item.translation for w in re.findall(r"[\w'’-]+", p)  # noqa: RUF001
                  if _maybe_joined(w) and w not in passed}  # fmt: skip
    if not candidates:
        return []
    try:  # the candidates alone: a dictionary knows a word or not wherever it stands
        known = lexicon("\n".join(sorted(candidates)), item.target_language)
        suspects = [w for w, kinds in known.items()
                    if not kinds and _maybe_joined(w) and w not in passed]  # fmt: skip
        pieces = {p for w in suspects for p in word_pieces(w, item.target_language)}
        words = lexicon("\n".join(sorted(pieces)), item.target_language) if pieces else {}
    except NewsrelayError:
        return []
    found = {w for w, kinds in words.items() if kinds}
    findings = []
    for word in suspects:
        split = word_break(word, found, item.target_language)
        if split:
            findings.append(Finding(
                "garbled", "warning",
                f"{word!r} looks like words run together ({' '.join(split)!r})",
                paragraph=next((i for i, p in enumerate(item.translation) if word in p), None),
                translation=word,
            ))  # fmt: skip
    return findings


def _maybe_joined(word: str) -> bool:
    letters = sum(c.isalpha() for c in word)
    return (word[:1].islower() and letters >= RUN_TOGETHER_MIN) or (
        any(c.isdigit() for c in word) and letters >= 3 and word[:1].isalpha()
    )


def _plain_word(word: str) -> bool:
    """A lower-case word of letters: not a name, a brand written with inner capitals or
    digits ("xCloud", "my6sense"), or a piece of a hyphenated one."""
    return word[:1].islower() and word.isalpha() and word.islower()


def check_engine_marks(item: CheckInput) -> list[Finding]:
    """What the engine itself says it could not do (Apertium's marks). In the headline, which
    every reader sees first, a word the engine did not know ("Gamers Quiere virtual perks")
    holds the story as untranslated, and a form it could not generate ("la canal") as
    garbled. In the body they are reported by paragraph, for a person to see. Capitalised
    unknown words, and words with capitals or digits inside, are not counted: they are mostly
    names and brands."""
    by_paragraph: dict[int, list[str]] = {}
    for paragraph, word in item.marks:
        by_paragraph.setdefault(paragraph, []).append(word)
    findings = _untranslated_words(item, by_paragraph)
    for paragraph, words in sorted(by_paragraph.items()):
        where = item.translation[paragraph] if paragraph < len(item.translation) else None
        broken = sorted({w[1:] for w in words if w[0] == "#"})
        unknown = sorted({w[1:] for w in words if w[0] in "*@" and _plain_word(w[1:])})
        if paragraph == 0:
            if unknown:
                findings.append(Finding("untranslated", "warning", "the headline keeps words "
                                        "the engine did not know: " + ", ".join(unknown),
                                        paragraph=0, translation=where))  # fmt: skip
            if broken:
                findings.append(Finding("garbled", "warning", "in the headline the engine "
                                        "could not form " + ", ".join(broken), paragraph=0,
                                        translation=where))  # fmt: skip
            continue
        if unknown or broken:
            said = [f"words it did not know, left as in the source: {', '.join(unknown)}"] * bool(
                unknown
            ) + [f"forms it could not generate: {', '.join(broken)}"] * bool(broken)
            findings.append(Finding("engine_marks", "info", "the engine marked " + "; ".join(said),
                                    paragraph=paragraph, translation=where))  # fmt: skip
    return findings


def _untranslated_words(item: CheckInput, marks: dict[int, list[str]]) -> list[Finding]:
    """The body as a whole: more words left in the source language than one in
    ``1 / max_untranslated`` of its words (one in a hundred) is an untranslated story, which
    a reader meets in every other paragraph; the words are said."""
    left = sorted({w[1:] for p, words in marks.items() if p > 0 for w in words
                   if w[0] in "*@" and _plain_word(w[1:])})  # fmt: skip
    size = sum(len(p.split()) for p in item.translation[1:])
    if len(left) <= max(1, item.max_untranslated * size):
        return []
    return [Finding("untranslated", "warning", f"{len(left)} words of {size} are left in the "
                    f"source language (more than one in {round(1 / item.max_untranslated)}): "
                    + ", ".join(left[:12]) + (" ..." if len(left) > 12 else ""))]  # fmt: skip


def check_confidence(item: CheckInput) -> list[Finding]:
    """Sentences the engine itself was unsure of (its own scores: the mean probability of the
    tokens it chose), one finding per paragraph that holds any, with the lowest. An engine
    that gives no scores gives no finding: nothing is guessed for it."""
    low: dict[int, float] = {}
    for paragraph, confidence in item.scores:
        if confidence < item.min_confidence:
            low[paragraph] = min(confidence, low.get(paragraph, 1.0))
    return [
        Finding("low_confidence", "warning",
                f"the engine was unsure of {'the headline' if p == 0 else 'this paragraph'} "
                f"(confidence {confidence:.2f}, below {item.min_confidence:.2f})",
                paragraph=p,
                translation=item.translation[p] if p < len(item.translation) else None)
        for p, confidence in sorted(low.items())
    ]  # fmt: skip
