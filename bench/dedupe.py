"""Near-duplicate detection: quality on a labelled set, and cost against exact-hash dedup.

Prints, in one run:

1. Pairwise precision, recall and F1 of "same story" on labelled sets generated for held-out seeds
   (``bench/dedupe_corpus.py``; the thresholds were chosen on seed 1, which is not reported).
   ``index`` is what the pipeline does: articles go through a DedupeIndex oldest first, and an
   article that matches joins its match's story, so pairs are counted within the resulting
   groups. ``index, estimates only`` is the same without the stored texts, so uncertain MinHash
   estimates are decided as they are. ``rule on all pairs`` applies compare()'s exact rule to
   every pair independently, without grouping: a diagnostic of the rule itself.
2. Throughput on N generated articles (default 100,000, 20,000 a simulated day, a 3-day window):
   articles indexed per second by newsrelay's index (signature, match, add, a daily eviction)
   against exact-hash dedup (hash of the normalised text into a dict), on the same articles, as
   a ratio; and how the index's matches compare with the ground truth at that scale (60,000
   articles in the window, from the same eight topics' templates, is far denser in shared stock
   phrases than real news: a hard test of precision).
3. Memory of both holding those N articles (tracemalloc: retained after building, and peak while
   building from stored rows), as a ratio.
4. Time to rebuild the index from N stored signature byte strings.

    python bench/dedupe.py [--articles 100000] [--seeds 2 3 4] [--stories 60]
"""

from __future__ import annotations

import argparse
import gc
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta

from dedupe_corpus import (
    Article,
    Scores,
    bulk_articles,
    group_with_index,
    labelled_set,
    score_groups,
    score_pairs,
)
from newsrelay.dedupe import DedupeIndex, Signature, exact_hash, normalise
from newsrelay.dedupe.rule import exact_overlap, is_same_story
from newsrelay.dedupe.text import shingle_set


def rule_on_all_pairs(articles: list[Article]) -> Scores:
    """compare()'s exact rule applied to every pair, without grouping."""
    sets = [shingle_set(a.text) for a in articles]
    exact = [exact_hash(normalise(a.text)) for a in articles]

    def same(i: int, j: int) -> bool:
        return exact[i] == exact[j] or is_same_story(exact_overlap(sets[i], sets[j]))

    return score_pairs(articles, same)


def quality(seeds: list[int], stories: int) -> None:
    methods: dict[str, Callable[[list[Article]], Scores]] = {
        "index": lambda arts: score_groups(arts, group_with_index(arts)),
        "index, estimates only": lambda arts: score_groups(
            arts, group_with_index(arts, verify=False)
        ),
        "rule on all pairs": rule_on_all_pairs,
    }
    totals = {name: Scores(0, 0, 0) for name in methods}
    print("1. quality: pairwise 'same story' on labelled sets (thresholds tuned on seed 1)")
    for seed in seeds:
        articles = labelled_set(seed, stories=stories)
        kinds = {k: sum(a.kind == k for a in articles) for k in ("original", "copy", "sibling")}
        print(f"   seed {seed}: {len(articles)} articles {kinds}")
        for name, method in methods.items():
            scores = method(articles)
            totals[name] = add_scores(totals[name], scores)
            print(f"     {name:<24} {format_scores(scores)}")
    print(f"   all seeds ({', '.join(map(str, seeds))}):")
    for name, scores in totals.items():
        print(f"     {name:<24} {format_scores(scores)}")


def add_scores(a: Scores, b: Scores) -> Scores:
    return Scores(
        a.true_pairs + b.true_pairs,
        a.predicted_pairs + b.predicted_pairs,
        a.correct_pairs + b.correct_pairs,
    )


def format_scores(s: Scores) -> str:
    return (
        f"precision {s.precision:.4f}  recall {s.recall:.4f}  F1 {s.f1:.4f}  "
        f"(same-story pairs {s.true_pairs}, predicted {s.predicted_pairs}, "
        f"correct {s.correct_pairs})"
    )


def run_exact(articles: list[Article]) -> tuple[float, int, list[int]]:
    seen: dict[int, str] = {}
    hashes = []
    duplicates = 0
    started = time.perf_counter()
    for article in articles:
        digest = exact_hash(normalise(article.text))
        if digest in seen:
            duplicates += 1
        else:
            seen[digest] = article.key
        hashes.append(digest)
    return time.perf_counter() - started, duplicates, hashes


def run_index(articles: list[Article]) -> tuple[float, list[bytes], tuple[int, int, int]]:
    """Index every article as the pipeline would; return seconds, signature bytes, outcomes.

    The stored texts are given to the index (a dict here, a store read in the pipeline), and
    articles older than the window are evicted once a simulated day.
    """
    texts = {a.key: a.text for a in articles}
    story = {a.key: a.story for a in articles}
    index = DedupeIndex(window=timedelta(days=3), texts=texts.get)
    blobs = []
    found_keys: list[str | None] = []
    day = None
    started = time.perf_counter()
    for article in articles:
        if article.published.date() != day:  # as the pipeline would, once a day
            index.evict(article.published - index.window)
            day = article.published.date()
        signature = Signature.of_text(article.text)
        found = index.match(signature, when=article.published, key=article.key, text=article.text)
        found_keys.append(found.key if found else None)
        index.add(article.key, signature, article.published)
        blobs.append(signature.to_bytes())
    seconds = time.perf_counter() - started
    return seconds, blobs, outcomes(articles, found_keys, story)


def outcomes(
    articles: list[Article], found: list[str | None], story: dict[str, str]
) -> tuple[int, int, int]:
    """Count matches to the right story, matches to another story, and missed repeats."""
    right = wrong = missed = 0
    seen: set[str] = set()
    for article, key in zip(articles, found, strict=True):
        if key is not None:
            right += story[key] == article.story
            wrong += story[key] != article.story
        missed += key is None and article.story in seen
        seen.add(article.story)
    return right, wrong, missed


def traced(build: Callable[[], object]) -> tuple[int, int]:
    """Return (retained, peak) bytes allocated by ``build``, keeping its result alive."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    result = build()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return current - before, peak - before


def cost(count: int) -> None:
    print(f"\n2. throughput on {count:,} generated articles (20,000 a day, window 3 days)")
    started = time.perf_counter()
    articles = list(bulk_articles(count, seed=202))
    print(f"   generated in {time.perf_counter() - started:.1f} s (not counted)")
    exact_s, exact_dups, hashes = run_exact(articles)
    index_s, blobs, (right, wrong, missed) = run_index(articles)
    repeats = count - len({a.story for a in articles})
    print(
        f"   exact-hash dedup: {count / exact_s:8,.0f} articles/s, {exact_dups:,} duplicates found"
    )
    print(
        f"   newsrelay index:  {count / index_s:8,.0f} articles/s, {right + wrong:,} duplicates "
        f"found: {right:,} of the right story, {wrong:,} of another story, {missed:,} missed"
    )
    print(f"   (articles that repeat an earlier story: {repeats:,})")
    print(f"   ratio index / exact: {exact_s / index_s:.3f} of the throughput")
    memory(articles, hashes, blobs)


def memory(articles: list[Article], hashes: list[int], blobs: list[bytes]) -> None:
    count = len(articles)
    rows = [(a.key, blob, a.published) for a, blob in zip(articles, blobs, strict=True)]
    stored_hashes = [
        (a.key, h.to_bytes(8, "little")) for a, h in zip(articles, hashes, strict=True)
    ]
    now = articles[-1].published
    window = timedelta(days=count / 20_000 + 1)  # keep every row for the memory measurement
    exact_mem = traced(lambda: {int.from_bytes(h, "little"): k for k, h in stored_hashes})
    index_mem = traced(lambda: DedupeIndex.from_rows(rows, window=window, now=now))
    print(f"\n3. memory holding {count:,} articles, built from stored rows (tracemalloc)")
    for name, (kept, peak) in (("exact-hash dict:", exact_mem), ("newsrelay index:", index_mem)):
        print(
            f"   {name:<18} retained {mib(kept)} ({kept / count:5.0f} bytes/article), "
            f"peak while building {mib(peak)}"
        )
    print(
        f"   ratio index / exact: retained {index_mem[0] / exact_mem[0]:.1f}x, "
        f"peak {index_mem[1] / exact_mem[1]:.1f}x"
    )
    print(f"   stored signatures: {len(blobs[0])} bytes each, {mib(sum(map(len, blobs)))} in all")
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        DedupeIndex.from_rows(rows, window=window, now=now)
        timings.append(time.perf_counter() - started)
    print(
        f"\n4. rebuild the index from {count:,} stored signatures: {min(timings):.2f} s (best of 3)"
    )


def mib(n: int) -> str:
    return f"{n / 2**20:7.1f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[2, 3, 4])
    parser.add_argument("--stories", type=int, default=60, help="base stories per labelled set")
    args = parser.parse_args()
    quality(args.seeds, args.stories)
    cost(args.articles)


if __name__ == "__main__":
    main()
