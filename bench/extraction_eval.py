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
from collections.abc import Callable, Iterable, Iterator
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


def page_score(extract: Extractor, html: str, url: str, expected: str) -> tuple[float | None, ...]:
    """Precision and recall of ``extract`` on one page (``None`` where undefined)."""
    got, gold = _shingles(extract(html, url)), _shingles(expected)
    tp = sum((got & gold).values())
    fp = sum((got - gold).values())
    fn = sum((gold - got).values())
    return (tp / (tp + fp) if tp + fp else None, tp / (tp + fn) if tp + fn else None)


def mean_scores(pages: Iterable[tuple[float | None, ...]]) -> Scores:
    """The benchmark's figures from per-page precision and recall: means, then F1 of the means."""
    pages = list(pages)
    precisions = [p for p, _ in pages if p is not None]
    recalls = [r for _, r in pages if r is not None]
    p, r = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    return Scores(p, r, 2 * p * r / (p + r) if p + r else 0.0)


def score_dev(extract: Extractor, items: list[tuple[str, str, str]]) -> Scores:
    """Precision, recall and F1 of ``extract`` on extraction-dev, as the benchmark scores them."""
    return mean_scores(page_score(extract, *item) for item in items)


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
