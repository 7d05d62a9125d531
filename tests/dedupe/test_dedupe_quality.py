"""Quality gate: pairwise precision and recall of "same story" must stay above pinned floors.

The floors live in baseline.json beside this file (measured minus a noise margin); the corpus is
generated for a seed that was not used to choose the thresholds. ``index`` is what the pipeline
does (uncertain estimates checked on the texts); ``index_estimates_only`` has no texts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dedupe_corpus import Article, Scores, group_with_index, labelled_set, score_groups

BASELINE = json.loads((Path(__file__).parent / "baseline.json").read_text())


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return labelled_set(BASELINE["seed"], stories=BASELINE["stories"])


def measure(articles: list[Article], method: str) -> Scores:
    return score_groups(articles, group_with_index(articles, verify=method == "index"))


def test_the_labelled_set_has_what_the_gate_expects(articles: list[Article]) -> None:
    assert len(articles) == BASELINE["stories"] * 10
    assert {a.kind for a in articles} == {"original", "copy", "sibling"}


@pytest.mark.parametrize("method", ["index", "index_estimates_only"])
def test_precision_and_recall_stay_above_the_floors(articles: list[Article], method: str) -> None:
    scores = measure(articles, method)
    floors = BASELINE["floors"][method]
    assert scores.precision >= floors["precision"], f"{method}: {scores}"
    assert scores.recall >= floors["recall"], f"{method}: {scores}"
