"""End-to-end throughput of the pipeline on the demo source scaled up, against the raw work.

Runs, in one process and one run: the whole pipeline (poll, fetch, extract, translate, check,
publish into a SQLite store and a site folder) over N sample articles served on 127.0.0.1, then the
raw work on the same pages (trafilatura alone, then one ``apertium`` call per article on
trafilatura's output). Prints articles per minute, the time per stage, and the pipeline's cost as a
ratio of the raw work. Politeness is off for the measurement (no per-host delay, 8 requests per
host at once): the deliberate waits between requests are not processing cost.

    python bench/pipeline.py [--articles 200]
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

import httpx
import trafilatura

from newsrelay import Store, load_settings, run_once
from newsrelay.config import render_config
from newsrelay.demo import DemoServer, DemoSite
from newsrelay.model import Source


def run_pipeline(server: DemoServer, workdir: Path) -> tuple[float, dict[str, float], int]:
    config = workdir / "newsrelay.toml"
    config.write_text(render_config([Source(name="Sample", url=server.feed_url)]))
    settings = load_settings(
        config, environ={}, overrides={"fetch.delay": 0.0, "fetch.per_host": 8}
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
    site = DemoSite(args.articles)
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
