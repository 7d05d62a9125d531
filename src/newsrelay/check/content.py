"""Checks that what the source states survives: numbers, dates and names."""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsrelay.check import CheckInput
from newsrelay.model import Finding
from newsrelay.protect import engine_lexicon, protected_spans
from newsrelay.text import dates, number_readings, numbers


def check_numbers(item: CheckInput) -> list[Finding]:
    """Every number of the source is in the translation, in the target's conventions."""
    present = number_readings(" ".join(item.translation))  # a number may move between paragraphs
    findings = []
    for index, source in enumerate(item.source):
        for token, value in numbers(source, item.source_language):
            if value not in present:
                findings.append(
                    Finding(
                        "numbers",
                        "warning",
                        f"the number {token} is missing or changed",
                        paragraph=index,
                        source=token,
                    )
                )
    return findings


def check_dates(item: CheckInput) -> list[Finding]:
    """Day, month and year of every date of the source survive, in the target's words."""
    found = set()
    for paragraph in item.translation:
        found |= dates(paragraph, item.target_language)
    findings = []
    for index, paragraph in enumerate(item.source):
        for day, month, year in sorted(dates(paragraph, item.source_language), key=str):
            same_day = [d for d in found if d[:2] == (day, month)]
            if not same_day or (year and not any(d[2] in (year, None) for d in same_day)):
                when = f"{day}/{month}" + (f"/{year}" if year else "")
                findings.append(
                    Finding(
                        "dates",
                        "warning",
                        f"the date {when} is missing or changed",
                        paragraph=index,
                        source=when,
                    )
                )
    return findings


def check_names(item: CheckInput) -> list[Finding]:
    """Every protected span of the source (names, handles, links) is in the translation verbatim,
    and every glossary term as its forced translation."""
    text = " ".join(item.translation)
    source = "\n".join(item.source)
    spans = protected_spans(
        source,
        item.source_language,
        lexicon=engine_lexicon(item.engine, source, item.source_language),
        glossary=[*item.keep, *item.forced],
    )
    expected = {span: item.forced.get(span, span) for span in spans}
    return [
        Finding(
            "names",
            "warning",
            f"{span!r} does not appear verbatim"
            if expected[span] == span
            else f"{span!r} does not appear as {expected[span]!r} (glossary)",
            paragraph=_paragraph_of(span, item.source),
            source=span,
        )
        for span in spans
        if expected[span] not in text
        and not any(span in longer and expected[longer] in text for longer in spans)
    ]


def _paragraph_of(span: str, paragraphs: Sequence[str]) -> int | None:
    return next((i for i, p in enumerate(paragraphs) if span in p), None)


# Explicit negators, and (for the target side) words that carry a negation in themselves.
NEGATIONS = {
    "en": r"\bnot\b|n't\b|\bnever\b|\bno\b|\bnobody\b|\bnothing\b|\bneither\b|\bnor\b|"
    r"\bwithout\b|\bunable\b|\bunknown\b|\bden(?:y|ies|ied)\b",
    "es": r"\bno\b|\bnunca\b|\bni\b|\bningun[oa]?\b|\bnada\b|\bnadie\b|\bsin\b|\btampoco\b|"
    r"\bjamás\b|\bdesconoc\w+|\bnieg\w+|\bneg(?:ó|aron|ar|ad[oa]s?|aba|aban)\b|\bimposible\b",
    "fr": r"\bne\b|\bn'|\bpas\b|\bjamais\b|\baucun\w*|\bsans\b|\brien\b|\bpersonne\b|"
    r"\bignor\w+|\bni[ée]\w*|\bimpossible\b",
    "pt": r"\bnão\b|\bnunca\b|\bnem\b|\bnenhum\w*|\bsem\b|\bnada\b|\bninguém\b|"
    r"\bdesconhec\w+|\bneg(?:ou|aram|ar)\b|\bimpossível\b",
    "ca": r"\bno\b|\bmai\b|\bcap\b|\bsense\b|\bres\b|\bningú\b|\bdesconeg\w+|\bneg(?:a|à|aren)\b",
    "de": r"\bnicht\b|\bkein\w*|\bnie\b|\bniemals\b|\bohne\b|\bnichts\b|\bniemand\b|"
    r"\bunbekannt\w*|\bbestritt\w*",
}


def check_negation(item: CheckInput) -> list[Finding]:
    """A paragraph whose source denies something still denies it in the translation: a dropped
    negation flips a story's meaning. (An added one is usually a paraphrase, "unable" becoming
    "no pudo", and is not reported.)"""
    source_words = NEGATIONS.get(item.source_language)
    target_words = NEGATIONS.get(item.target_language)
    if not source_words or not target_words or len(item.source) != len(item.translation):
        return []
    findings = []
    for index, (source, target) in enumerate(zip(item.source, item.translation, strict=True)):
        had = len(re.findall(source_words, source, re.I))
        if had and not re.search(target_words, target, re.I):
            findings.append(
                Finding(
                    "negation",
                    "warning",
                    f"the source paragraph negates ({had} times), the translation does not",
                    paragraph=index,
                    source=source,
                    translation=target,
                )
            )
    return findings
