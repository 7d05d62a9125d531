"""Meaning drift by back-translation: translate the translation back with the engine's reverse
pair and compare each sentence with its source sentence. A sentence far below the article's own
typical similarity is reported; an engine without the reverse pair skips this check.

Back-translation with the same rule-based engine mostly reproduces the source words whatever the
translation got wrong, so it catches dropped or garbled sentences better than inversions of who did
what to whom (see bench/checks.py for the measured figures).
"""

from __future__ import annotations

import logging
import statistics
from collections import Counter

from newsrelay.check import CheckInput
from newsrelay.errors import NewsrelayError
from newsrelay.model import Finding
from newsrelay.text import sentences

log = logging.getLogger(__name__)
RELATIVE_FLOOR = 0.4  # a sentence below this share of the article's median similarity
MIN_SENTENCES = 3


def similarity(a: str, b: str) -> float:
    """Character-trigram F-score of two sentences (case and spacing ignored), 0 to 1."""
    grams_a, grams_b = _trigrams(a), _trigrams(b)
    if not grams_a or not grams_b:
        return 0.0
    common = sum((grams_a & grams_b).values())
    return 2 * common / (sum(grams_a.values()) + sum(grams_b.values()))


def _trigrams(text: str) -> Counter[str]:
    text = " ".join(text.casefold().split())
    return Counter(text[i : i + 3] for i in range(len(text) - 2))


def check_meaning_drift(item: CheckInput) -> list[Finding]:
    """Sentences whose back-translation is far from their source sentence."""
    engine = item.engine
    if engine is None or (item.target_language, item.source_language) not in engine.pairs():
        return []
    if len(item.source) != len(item.translation):
        return []  # the paragraph-count check reports this; sentences cannot be aligned
    try:
        back = engine.translate(list(item.translation), item.target_language, item.source_language)
    except NewsrelayError as exc:
        log.warning("back-translation failed, meaning drift not checked: %s", exc)
        return []
    pairs = list(_aligned_sentences(item, back))
    if len(pairs) < MIN_SENTENCES:
        return []
    typical = statistics.median(score for *_, score in pairs)
    return [
        Finding(
            "meaning_drift",
            "warning",
            f"back-translation {score:.2f} similar to the source (article median "
            f"{typical:.2f}): {back_sentence!r}",
            paragraph=index,
            source=source,
            translation=target,
        )
        for index, source, target, back_sentence, score in pairs
        if score < RELATIVE_FLOOR * typical
    ]


def _aligned_sentences(item: CheckInput, back: list[str]) -> list[tuple[int, str, str, str, float]]:
    aligned = []
    for index, (source, target, returned) in enumerate(
        zip(item.source, item.translation, back, strict=True)
    ):
        s = sentences(source, item.source_language)
        t = sentences(target, item.target_language)
        b = sentences(returned, item.source_language)
        if not (len(s) == len(t) == len(b)):
            s, t, b = [source], [target], [returned]
        aligned += [(index, x, y, z, similarity(x, z)) for x, y, z in zip(s, t, b, strict=True)]
    return aligned
