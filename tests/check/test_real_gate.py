"""Quality gate on real material: the checks on professional translations of real news
(NTREX-128 development documents, from ../shared/corpora) hold few of them, and catch defects
injected into the same translations, above the floors of real_baseline.json. A fast subset of
``bench/real.py`` (which adds FLORES-200 and all twelve languages)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from real_eval import available, good_pairs, score

BASELINE = json.loads((Path(__file__).parent / "real_baseline.json").read_text())


@pytest.mark.skipif(not available(), reason="../shared/corpora is not beside the repository")
def test_real_translations_false_holds_and_recall() -> None:
    scores = score(good_pairs(BASELINE["languages"], flores=False))
    for language, ceiling in BASELINE["max_false_hold_rate"].items():
        assert scores.false_hold_rate(language) <= ceiling, (
            language, scores.held[language], scores.good[language],
            {k: n for (lang, k), n in scores.hold_kinds.items() if lang == language},
        )  # fmt: skip
    for kind, floor in BASELINE["recall"].items():
        assert scores.recall(kind) >= floor, (kind, scores.caught[kind], scores.defects[kind])
    for kind, floor in BASELINE["engine_recall"].items():
        caught = scores.engine_caught[kind]
        assert caught >= floor * scores.defects[kind], (kind, caught, scores.defects[kind])
