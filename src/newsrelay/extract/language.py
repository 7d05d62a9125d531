"""Language identification of article text, offline (lingua, low-accuracy mode: trigram models,
about 100 MB, accurate on paragraphs; it is built once per process on first use)."""

from __future__ import annotations

from functools import cache
from typing import Any

MIN_CONFIDENCE = 0.5
SAMPLE = 250  # characters: enough for a decision on prose, and it bounds the cost


@cache
def _detector() -> Any:
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of the language ``text`` is written in, or ``None`` when unsure."""
    if len(text.strip()) < 20:
        return None
    confidences = _detector().compute_language_confidence_values(text[:SAMPLE])
    if not confidences or confidences[0].value < MIN_CONFIDENCE:
        return None
    code = confidences[0].language.iso_code_639_1
    return str(code.name).lower()
