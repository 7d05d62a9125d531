"""Incremental publishing: the cost of adding one story to a large site, against a full build.

Generates N published stories (StoryView objects, as the store hands them to the publish stage:
several sources, sections and tags, a body of a few paragraphs), builds the static site from
nothing into a temporary folder, then adds one new story and builds again, then updates that
story's headline and builds again. Prints the full build's stories per second, and for the add
and the update the files rewritten (found by comparing every file's inode and mtime before and
after, not by asking the builder) and the time as a share of the full build.

    python bench/publish.py [--stories 10000]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsrelay.model import Metadata, StoryView
from newsrelay.publish import StaticSite

SOURCES = [f"Wire {chr(65 + i)}" for i in range(12)]
SECTIONS = ["Politics", "Economy", "Science", "Sport", "Culture", "World", "Health", "Climate"]
TAGS = [f"topic {i}" for i in range(300)]
PARAGRAPH = (
    "El ayuntamiento aprobó el martes un plan para plantar {n} árboles a lo largo del río, "
    "según informó la concejala de medio ambiente, que calculó un coste de {n}.000 euros."
)
NOW = datetime.now(UTC)


def generated_story(n: int, count: int) -> StoryView:
    """The n-th of ``count`` stories, one every seven minutes up to now: later numbers are
    newer, and the last two days' stories are in the news sitemap."""
    when = NOW - timedelta(minutes=7 * (count - n))
    body = "".join(f"<p>{PARAGRAPH.format(n=n + k)}</p>" for k in range(6))
    meta = Metadata(
        authors=(f"Reporter {n % 40}",),
        published=when.isoformat(timespec="seconds"),
        lead_image=f"http://127.0.0.1:9/img/{n}.jpg",
        section=SECTIONS[n % len(SECTIONS)],
        tags=tuple(random.Random(n).sample(TAGS, 3)),
    )
    return StoryView(
        translation_id=n, article_id=n, story_id=n, language="es",
        title=f"Noticia número {n}", body_html=body, engine="apertium", source_language="en",
        original_title=f"Story number {n}", original_url=f"http://127.0.0.1:9/news/{n}.html",
        source_name=SOURCES[n % len(SOURCES)], license="CC BY 4.0", attribution="",
        meta=meta, created_at=when.replace(tzinfo=None),
    )  # fmt: skip


def snapshot(folder: Path) -> dict[Path, tuple[int, int]]:
    """(inode, mtime) of every file: an atomic rewrite changes both."""
    return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*") if p.is_file()}


def timed_build(site: StaticSite, stories: list[StoryView]) -> tuple[float, int]:
    """Seconds one build takes, and the files it changed, added or removed."""
    before = snapshot(site.output)
    started = time.perf_counter()
    site.build(stories, ["es"])
    seconds = time.perf_counter() - started
    after = snapshot(site.output)
    changed = {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}
    return seconds, len(changed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=10_000)
    args = parser.parse_args()
    stories = [generated_story(n, args.stories) for n in range(args.stories)]
    added = generated_story(args.stories, args.stories)
    with tempfile.TemporaryDirectory() as tmp:
        site = StaticSite(Path(tmp), title="Relay", base_url="http://127.0.0.1:8080/")
        full, files = timed_build(site, stories)
        add, add_files = timed_build(site, [*stories, added])
        edited = replace(added, title=added.title + " (actualizada)")
        update, update_files = timed_build(site, [*stories, edited])
        unchanged, unchanged_files = timed_build(site, [*stories, edited])

    print(f"stories: {args.stories}")
    print(f"full build: {full:.2f} s, {files} files, {args.stories / full:.0f} stories/second")
    for name, seconds, count in (
        ("add one story", add, add_files),
        ("update it", update, update_files),
        ("nothing new", unchanged, unchanged_files),
    ):
        print(f"{name:<14} {seconds:6.3f} s  {seconds / full:6.1%} of the full build, "
              f"{count} files rewritten")  # fmt: skip
    print("targets: adding one story rewrites at most 20 files, in at most 5% of the full build")


if __name__ == "__main__":
    main()
