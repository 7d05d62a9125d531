"""End-to-end throughput of the pipeline on the demo source scaled up, against the raw work.

The demo site serves N distinct stories (composed by bench/dedupe_corpus.py, so that none is a
copy of another), each in the demo's page layout with its promo, teaser and newsletter blocks.
Runs, in one process and one run: the whole pipeline (poll, fetch, extract, dedupe, translate,
check, publish into a SQLite store and a site folder) over them on 127.0.0.1, then the raw work on
the same pages (trafilatura alone, then one ``apertium`` call per article on trafilatura's
output). Prints articles per minute, the time per stage, and the pipeline's cost as a
ratio of the raw work. Politeness is off for the measurement (no per-host delay, 8 requests per
host at once): the deliberate waits between requests are not processing cost.

    python bench/pipeline.py [--articles 200]
"""

from __future__ import annotations

import argparse
import html
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import trafilatura

from dedupe_corpus import base_story
from newsrelay import Store, load_settings, run_once
from newsrelay.config import render_config
from newsrelay.demo import DemoServer, DemoSite, SampleStory
from newsrelay.model import Source

PROMO = (
    '<div class="promo-box"><p><strong>JOIN US ON TELEGRAM</strong></p>'
    "<p>Follow our coverage on @LakesideCourier_official.</p></div>"
)
TEASER = (
    '<aside class="related-stories"><h3>Other Topics of Interest</h3>'
    '<p><a href="/news/harbour-fire">Fire destroys a warehouse at the harbour</a></p>'
    "<p>A fire broke out in an empty warehouse near the fishing docks on Sunday night.</p></aside>"
)


def sample_stories(count: int) -> list[SampleStory]:
    """``count`` distinct stories in the demo's layout, promos between their paragraphs."""
    stories = []
    for i in range(count):
        story = base_story(seed=2026, index=i)
        blocks = [f"<p>{html.escape(p)}</p>" for p in story.paragraphs]
        blocks.insert(2, PROMO)
        blocks.insert(4, TEASER)
        date = story.published.date().isoformat()
        stories.append(SampleStory(f"story-{i}", story.title, "Staff", date, "\n".join(blocks)))
    return stories


def run_pipeline(server: DemoServer, workdir: Path) -> tuple[float, dict[str, float], int]:
    config = workdir / "newsrelay.toml"
    config.write_text(render_config([Source(name="Sample", url=server.feed_url)]))
    settings = load_settings(
        config,
        environ={},
        overrides={"fetch.delay": 0.0, "fetch.per_host": 8, "fetch.allow_addresses": ["127.0.0.1"]},
    )
    store = Store.open(settings.store_url)
    started = time.perf_counter()
    report = run_once(settings, store)
    total = time.perf_counter() - started
    published = store.row_counts()["publications"]
    store.close()
    return total, report.seconds, published


def run_raw(pages: list[str]) -> tuple[float, float]:
    started = time.perf_counter()
    bodies = [trafilatura.extract(p, output_format="html", include_links=True) or "" for p in pages]
    extracted = time.perf_counter()
    for body in bodies:
        subprocess.run(
            ["apertium", "-f", "html", "-u", "eng-spa"],
            input=body,
            capture_output=True,
            text=True,
            check=True,
        )
    return extracted - started, time.perf_counter() - extracted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    args = parser.parse_args()
    site = DemoSite(sample_stories(args.articles))
    with DemoServer(site) as server, tempfile.TemporaryDirectory() as tmp:
        total, stages, published = run_pipeline(server, Path(tmp))
        pages = [httpx.get(f"{server.base_url}/news/{s.slug}.html").text for s in site.stories]
    raw_extract, raw_translate = run_raw(pages)
    raw = raw_extract + raw_translate

    print(f"articles: {args.articles} served, {published} published")
    print(f"pipeline: {total:.2f} s, {published / total * 60:.0f} articles/minute")
    for stage, seconds in stages.items():
        print(f"  {stage:<10} {seconds:7.2f} s  {seconds / total:6.1%}")
    print(
        f"raw work: {raw:.2f} s (trafilatura {raw_extract:.2f} s + apertium {raw_translate:.2f} s)"
    )
    print(f"  {args.articles / raw * 60:.0f} articles/minute")
    print(f"ratio pipeline / raw work: {total / raw:.2f}")


if __name__ == "__main__":
    main()
