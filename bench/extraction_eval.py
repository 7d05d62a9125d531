"""Scoring of article extraction, shared by bench/extraction.py and the test suite's quality gate.

- extraction-dev (../shared/corpora/extraction-dev): the article-extraction benchmark's scoring:
  tokens are ``\\w+`` matches, texts become multisets of 4-token shingles, per item TP/FP/FN are
  shingle-count overlaps normalised to sum to 1, precision and recall are means over items, and
  F1 = 2PR/(P+R) of those means.
- the promo corpus (tests/fixtures/promo/pages): promo lines leaked into the text, and expected
  body paragraphs lost, counted over all pages.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_CORPUS = ROOT.parent / "shared" / "corpora" / "extraction-dev"
PROMO_CORPUS = ROOT / "tests" / "fixtures" / "promo" / "pages"
LABEL = re.compile(r"<!-- newsrelay-fixture (\{.*?\}) -->", re.S)

Extractor = Callable[[str, str], str]  # (html, url) -> plain text


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class PromoScores:
    pages: int
    promos: int
    leaked: int
    paragraphs: int
    lost: int


def dev_items() -> Iterator[tuple[str, str, str]]:
    """(html, url, expected body) of each extraction-dev page."""
    truth = json.loads((DEV_CORPUS / "ground-truth.json").read_text(encoding="utf-8"))
    for key, item in sorted(truth.items()):
        html = gzip.decompress((DEV_CORPUS / "html" / f"{key}.html.gz").read_bytes())
        yield html.decode("utf-8"), item["url"], item["articleBody"]


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = re.findall(r"\w+", text)
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def score_dev(extract: Extractor, items: list[tuple[str, str, str]]) -> Scores:
    """Precision, recall and F1 of ``extract`` on extraction-dev, as the benchmark scores them."""
    precisions, recalls = [], []
    for html, url, expected in items:
        got, gold = _shingles(extract(html, url)), _shingles(expected)
        tp = sum((got & gold).values())
        fp = sum((got - gold).values())
        fn = sum((gold - got).values())
        if tp + fp:
            precisions.append(tp / (tp + fp))
        if tp + fn:
            recalls.append(tp / (tp + fn))
    p, r = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    return Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def promo_items() -> Iterator[tuple[str, str, dict[str, object]]]:
    """(html, url, label) of each promo-corpus page."""
    for path in sorted(PROMO_CORPUS.glob("*.html")):
        html = path.read_text(encoding="utf-8")
        match = LABEL.search(html)
        if match is None:
            raise ValueError(f"{path}: no newsrelay-fixture label")
        yield html, f"http://127.0.0.1:8000/{path.stem}.html", json.loads(match.group(1))


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def score_promos(
    extract: Extractor, items: list[tuple[str, str, dict[str, object]]]
) -> PromoScores:
    """Promo lines leaked and expected paragraphs lost by ``extract`` on the promo corpus."""
    promos = leaked = paragraphs = lost = 0
    for html, url, label in items:
        text = _norm(extract(html, url))
        for promo in label["promos"]:  # type: ignore[attr-defined]
            promos += 1
            leaked += _norm(promo) in text
        for paragraph in label["expected"]:  # type: ignore[attr-defined]
            paragraphs += 1
            lost += _norm(paragraph) not in text
    return PromoScores(len(items), promos, leaked, paragraphs, lost)
