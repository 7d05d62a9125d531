"""Scoring of the translation checks on the challenge set (tests/fixtures/checks/pairs.jsonl),
shared by bench/checks.py and the test suite's quality gate."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsrelay.check import CheckInput, Policy, check_texts
from newsrelay.model import Decision

PAIRS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "checks" / "pairs.jsonl"


@dataclass
class CheckScores:
    """Per defect kind: pairs and pairs caught (held or rejected); good pairs held by mistake."""

    defects: Counter[str] = field(default_factory=Counter)
    caught: Counter[str] = field(default_factory=Counter)
    good: int = 0
    false_holds: int = 0
    false_kinds: Counter[str] = field(default_factory=Counter)

    def recall(self, kind: str) -> float:
        return self.caught[kind] / self.defects[kind] if self.defects[kind] else 0.0

    @property
    def false_hold_rate(self) -> float:
        return self.false_holds / self.good if self.good else 0.0


def pairs() -> list[dict[str, Any]]:
    """The challenge set, one dict per pair."""
    lines = PAIRS.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def score_checks(
    items: list[dict[str, Any]],
    engines: dict[tuple[str, str], Any],
    policy: Policy | None = None,
) -> CheckScores:
    """Run every check on every pair, with the engine of its language pair when there is one."""
    scores = CheckScores()
    for pair in items:
        languages = (pair["source_lang"], pair["target_lang"])
        item = CheckInput(  # the challenge set stands for an engine's output
            pair["source"], pair["translation"], *languages, engine=engines.get(languages),
            machine=True,
        )  # fmt: skip
        verdict = check_texts(item, policy)
        held = verdict.decision is not Decision.PUBLISH
        if pair["defect"] is None:
            scores.good += 1
            scores.false_holds += held
            scores.false_kinds.update({f.kind for f in verdict.findings})
        else:
            scores.defects[pair["defect"]] += 1
            scores.caught[pair["defect"]] += held
    return scores
