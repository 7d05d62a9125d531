"""Quality gate: extraction must stay above the floors kept in baseline.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extraction_eval import DEV_CORPUS, dev_items, promo_items, score_dev, score_promos
from newsrelay.errors import ExtractError
from newsrelay.extract import extract_article

BASELINE = json.loads((Path(__file__).parent / "baseline.json").read_text())


def newsrelay_text(html: str, url: str) -> str:
    try:
        return extract_article(html, url).text
    except ExtractError:
        return ""


@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason=f"{DEV_CORPUS} is not beside the checkout")
def test_extraction_dev_scores_stay_above_their_floors() -> None:
    scores = score_dev(newsrelay_text, list(dev_items()))
    floors = BASELINE["extraction_dev"]
    assert scores.precision >= floors["precision"], scores
    assert scores.recall >= floors["recall"], scores
    assert scores.f1 >= floors["f1"], scores


def test_promo_corpus_leaks_and_losses_stay_below_their_ceilings() -> None:
    scores = score_promos(newsrelay_text, list(promo_items()))
    assert scores.pages >= 40
    assert scores.leaked <= BASELINE["promo_corpus"]["max_leaked"], scores
    assert scores.lost <= BASELINE["promo_corpus"]["max_lost"], scores
