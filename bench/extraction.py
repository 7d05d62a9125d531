"""Extraction quality and speed: newsrelay against raw trafilatura, side by side in one run.

Prints, for ../shared/corpora/extraction-dev, precision, recall and F1 of raw trafilatura (default
settings) and of newsrelay, and their difference; for the promo corpus written for the project
(tests/fixtures/promo), promo lines leaked and body paragraphs lost by each; and documents per
second of newsrelay relative to raw trafilatura on the same pages (both trafilatura's default text
output and the HTML output with links and formatting that newsrelay asks trafilatura for).

    python bench/extraction.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import trafilatura

from extraction_eval import dev_items, promo_items, score_dev, score_promos
from newsrelay.errors import ExtractError
from newsrelay.extract import extract_article


def trafilatura_text(html: str, url: str) -> str:
    """Raw trafilatura, default settings."""
    return trafilatura.extract(html, url=url) or ""


def trafilatura_html(html: str, url: str) -> str:
    """Raw trafilatura with the options newsrelay uses (speed baseline only)."""
    options = {"include_links": True, "include_formatting": True, "include_comments": False}
    return trafilatura.extract(html, url=url, output_format="html", **options) or ""


def newsrelay_text(html: str, url: str) -> str:
    """newsrelay's extraction; a page it refuses counts as empty."""
    try:
        return extract_article(html, url).text
    except ExtractError:
        return ""


def docs_per_second(extract: Callable[[str, str], str], pages: list[tuple[str, str]]) -> float:
    started = time.perf_counter()
    for html, url in pages:
        extract(html, url)
    return len(pages) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="speed runs; the best is kept")
    args = parser.parse_args()
    dev, promos = list(dev_items()), list(promo_items())
    newsrelay_text(dev[0][0], dev[0][1])  # loads the language models outside the timing

    print(f"extraction-dev ({len(dev)} pages)      precision  recall   F1")
    base, ours = score_dev(trafilatura_text, dev), score_dev(newsrelay_text, dev)
    for name, s in (("trafilatura", base), ("newsrelay", ours)):
        print(f"  {name:<32} {s.precision:.4f}    {s.recall:.4f}   {s.f1:.4f}")
    print(
        f"  {'difference':<32} {ours.precision - base.precision:+.4f}   "
        f"{ours.recall - base.recall:+.4f}  {ours.f1 - base.f1:+.4f}"
    )

    print(f"promo corpus ({len(promos)} pages)        leaked promos     lost paragraphs")
    for name, extract in (("trafilatura", trafilatura_text), ("newsrelay", newsrelay_text)):
        p = score_promos(extract, promos)
        print(f"  {name:<32} {p.leaked:>4} of {p.promos:<6}     {p.lost:>4} of {p.paragraphs}")

    pages = [(html, url) for html, url, _ in dev] + [(html, url) for html, url, _ in promos]
    speeds: dict[str, float] = {}
    for _ in range(args.repeat):
        for name, extract in (
            ("trafilatura text", trafilatura_text),
            ("trafilatura html+links", trafilatura_html),
            ("newsrelay", newsrelay_text),
        ):
            speeds[name] = max(speeds.get(name, 0.0), docs_per_second(extract, pages))
    print(f"speed ({len(pages)} pages, best of {args.repeat})   documents/second")
    for name, rate in speeds.items():
        print(f"  {name:<32} {rate:8.1f}")
    for name in ("trafilatura text", "trafilatura html+links"):
        print(f"  newsrelay / {name:<20} {speeds['newsrelay'] / speeds[name]:8.2f}")


if __name__ == "__main__":
    main()
