"""End-to-end throughput of the pipeline against the raw floor, on generated and real pages.

Generated: the demo site serves N distinct stories (composed by bench/dedupe_corpus.py, so that
none is a copy of another), each in the demo's page layout with its promo, teaser and newsletter
blocks. Real (``--real``): the 91 pages of ../shared/corpora/extraction-dev, through one feed.

Runs, in one process: the whole pipeline (poll, fetch, extract, dedupe, translate, check, publish
into a SQLite store and a site folder) over the pages on 127.0.0.1, then the floor, the raw
work done the efficient way on the same pages: trafilatura on each page, then one ``apertium``
process over all the bodies at once; ``--repeat`` times each, alternated, as the time of one
run on a shared machine varies by a fifth. Prints the medians: articles per minute, the time per
stage, and floor / pipeline (1.0: the pipeline costs no more than the raw work). Politeness is
off for the
measurement (no per-host delay, 8 requests per host at once): the deliberate waits between
requests are not processing cost.

    python bench/pipeline.py [--articles 200] [--real] [--repeat 3]
"""

from __future__ import annotations

import argparse
import gzip
import html
import json
import subprocess
import tempfile
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

import httpx
import trafilatura

from dedupe_corpus import base_story
from newsrelay import Store, load_settings, run_once
from newsrelay.config import render_config
from newsrelay.demo import DemoServer, DemoSite, SampleStory
from newsrelay.ingest import decode_page
from newsrelay.model import Source
from real_pages import PAGES, serve

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


def run_pipeline(feed_url: str, workdir: Path) -> tuple[float, dict[str, float], int]:
    config = workdir / "newsrelay.toml"
    config.write_text(render_config([Source(name="Sample", url=feed_url)]))
    settings = load_settings(
        config,
        environ={},
        overrides={"fetch.delay": 0.0, "fetch.per_host": 8, "fetch.allow_addresses": ["127.0.0.1"],
                   "fetch.max_bytes": 20_000_000, "poll.max_entries": 10_000},
    )  # fmt: skip
    store = Store.open(settings.store_url)
    started = time.perf_counter()
    report = run_once(settings, store)
    total = time.perf_counter() - started
    published = store.row_counts()["publications"]
    store.close()
    return total, report.seconds, published


def run_floor(pages: list[str]) -> tuple[float, float]:
    """The raw work the efficient way: trafilatura on each page (with the links and formatting
    a republished story keeps), then one Apertium process over every body."""
    started = time.perf_counter()
    bodies = [trafilatura.extract(p, output_format="html", include_links=True,
                                  include_formatting=True) or "" for p in pages]  # fmt: skip
    extracted = time.perf_counter()
    subprocess.run(["apertium", "-f", "html", "-u", "eng-spa"], input="\n".join(bodies),
                   capture_output=True, text=True, check=True)  # fmt: skip
    return extracted - started, time.perf_counter() - extracted


def real_pages() -> tuple[dict[str, bytes], ThreadingHTTPServer, str]:
    """The extraction-dev pages, served through one feed."""
    truth = json.loads((PAGES / "ground-truth.json").read_text(encoding="utf-8"))
    pages = {k: gzip.decompress((PAGES / "html" / f"{k}.html.gz").read_bytes()) for k in truth}
    httpd, base = serve(pages)
    return pages, httpd, base + "/feed.xml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--real", action="store_true", help="the 91 real pages instead")
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of each, alternated; the medians are compared")  # fmt: skip
    args = parser.parse_args()
    runs: list[tuple[float, dict[str, float], int]] = []
    floors: list[tuple[float, float]] = []
    if args.real:
        served, httpd, feed = real_pages()
        pages = [decode_page(body, "text/html")[0] for body in served.values()]
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                runs.append(run_pipeline(feed, Path(tmp)))
            floors.append(run_floor(pages))
        httpd.shutdown()
    else:
        site = DemoSite(sample_stories(args.articles))
        with DemoServer(site) as server:
            pages = [httpx.get(f"{server.base_url}/news/{s.slug}.html").text
                     for s in site.stories]  # fmt: skip
            for _ in range(args.repeat):
                with tempfile.TemporaryDirectory() as tmp:
                    runs.append(run_pipeline(server.feed_url, Path(tmp)))
                floors.append(run_floor(pages))
    total, stages, published = sorted(runs, key=lambda run: run[0])[len(runs) // 2]
    floor_extract, floor_translate = sorted(floors, key=sum)[len(floors) // 2]
    floor = floor_extract + floor_translate
    words = sum(len(p.split()) for p in pages) // max(len(pages), 1)

    print(
        f"pages: {len(pages)} served ({'real' if args.real else 'generated'}, "
        f"{words} words a page), {published} published; medians of {args.repeat} runs"
    )
    print(f"pipeline: {total:.2f} s, {len(pages) / total * 60:.0f} pages/minute "
          f"(runs: {', '.join(f'{run[0]:.2f}' for run in runs)})")  # fmt: skip
    for stage, seconds in stages.items():
        print(f"  {stage:<10} {seconds:7.2f} s  {seconds / total:6.1%}")
    print(f"floor: {floor:.2f} s (trafilatura {floor_extract:.2f} s + one apertium process "
          f"{floor_translate:.2f} s), {len(pages) / floor * 60:.0f} pages/minute "
          f"(runs: {', '.join(f'{sum(f):.2f}' for f in floors)})")  # fmt: skip
    print(f"floor / pipeline: {floor / total:.2f}")


if __name__ == "__main__":
    main()
