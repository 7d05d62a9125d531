"""Quality gate: the checks catch the challenge set's defects above the floors in baseline.json
and hold few good translations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checks_eval import pairs, score_checks
from newsrelay.translate.apertium import ApertiumEngine

BASELINE = json.loads((Path(__file__).parent / "baseline.json").read_text())


@pytest.mark.usefixtures("apertium_eng_spa")
def test_challenge_set_recall_and_false_holds() -> None:
    engine = ApertiumEngine()
    scores = score_checks(pairs(), {pair: engine for pair in engine.pairs()})
    for kind, floor in BASELINE["recall"].items():
        assert scores.recall(kind) >= floor, (kind, scores.caught[kind], scores.defects[kind])
    assert scores.false_hold_rate <= BASELINE["max_false_hold_rate"], scores.false_kinds
