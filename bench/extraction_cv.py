"""Extraction in two-fold cross-validation on extraction-dev: what newsrelay's rules are worth on
pages they were not chosen on.

The 91 pages are split in two halves by site (every page of a site on the same side). For each
fold, everything the rules learn is chosen on the training half, then scored on the other:

- word lists: a pattern of ``data/calls_to_action.txt`` or ``data/teaser_headings.txt``, or a word
  of ``rules.BOILERPLATE_WORDS``, is kept only when it removed something on a training page (or,
  unless ``--strict``, on a page of the promo corpus written for the project), and not when the
  training half scores better without it;
- thresholds (``THRESHOLDS`` below): each set, in turn, to the value of its grid that scores best
  on the training half (the shipped value wins a tie).

Prints, per fold, F1 on the held-out half of trafilatura, of newsrelay as shipped, and of
newsrelay with the settings chosen on the other half, and what was chosen.

    python bench/extraction_cv.py [--strict]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from urllib.parse import urlsplit

import trafilatura

import newsrelay.extract as extract_module
from extraction_eval import Scores, dev_items, mean_scores, page_score, promo_items
from newsrelay.errors import ExtractError
from newsrelay.extract import extract_article, rules

Item = tuple[str, str, str]  # html, url, expected body

# Every threshold of the rules, with the values tried (the shipped one among them).
THRESHOLDS: dict[str, tuple[float, ...]] = {
    "WRAPPER_SHARE": (0.1, 0.15, 0.25, 0.35, 0.5),
    "LINK_DOMINATED": (0.5, 0.6, 0.7, 0.8, 0.9),
    "MAX_CTA_LENGTH": (80, 120, 160, 220, 300),
    "MAX_TEASER_HEADING": (40, 60, 80, 120),
    "MAX_TEASER_HEADLINE": (80, 100, 150, 200),
    "MAX_TEASER_BLURB": (150, 200, 300, 400, 600),
    "TEASER_RUN": (1, 2, 3, 4, 6),
    "MAX_BYLINE": (60, 90, 120, 200),
    "SAME_SITE_LINK": (0.6, 0.7, 0.8, 0.9, 1.0),
    "MIN_LINK_ROW": (2, 3, 4, 5),
}
LISTS = {"call_to_action": "calls_to_action.txt", "teaser_heading": "teaser_headings.txt"}


@dataclass
class Settings:
    """What the rules learn: thresholds, and the patterns of each list by language."""

    thresholds: dict[str, float]
    patterns: dict[str, dict[str, list[str]]]  # list: language: patterns
    words: tuple[str, ...]
    dropped: list[str] = field(default_factory=list)

    @classmethod
    def shipped(cls) -> Settings:
        return cls(
            {
                name: getattr(rules if hasattr(rules, name) else extract_module, name)
                for name in THRESHOLDS
            },
            {kind: rules._load(name) for kind, name in LISTS.items()},
            rules.BOILERPLATE_WORDS,
        )

    def entries(self) -> Iterator[tuple[str, str, str]]:
        """(list, language, pattern) of every list entry; boilerplate words as list "word"."""
        for kind, languages in self.patterns.items():
            for language, patterns in languages.items():
                yield from ((kind, language, p) for p in patterns)
        yield from (("word", "any", w) for w in self.words)

    def without(self, entry: tuple[str, str, str]) -> Settings:
        kind, language, pattern = entry
        dropped = [*self.dropped, f"{kind}:{language}:{pattern}"]
        if kind == "word":
            words = tuple(w for w in self.words if w != pattern)
            return Settings(self.thresholds, self.patterns, words, dropped)
        patterns = copy.deepcopy(self.patterns)
        patterns[kind][language].remove(pattern)
        return Settings(self.thresholds, patterns, self.words, dropped)

    def with_threshold(self, name: str, value: float) -> Settings:
        thresholds = {**self.thresholds, name: value}
        return Settings(thresholds, self.patterns, self.words, self.dropped)


@contextmanager
def applied(settings: Settings) -> Iterator[None]:
    """Run the extractor with ``settings`` in place of the shipped ones."""
    saved: list[tuple[Any, str, Any]] = []

    def put(module: Any, name: str, value: Any) -> None:
        saved.append((module, name, getattr(module, name)))
        setattr(module, name, value)

    for name, value in settings.thresholds.items():
        for module in (rules, extract_module):
            if hasattr(module, name):
                put(module, name, value)
    put(rules, "BOILERPLATE_WORDS", settings.words)
    put(rules, "boilerplate_tokens", cache(rules.boilerplate_tokens.__wrapped__))
    ctas, teasers = settings.patterns["call_to_action"], settings.patterns["teaser_heading"]
    put(rules, "call_to_action_patterns", lambda: _compiled(ctas, "{}"))
    put(rules, "teaser_heading_patterns", lambda: _compiled(teasers, r"^(?:{})\s*:?$"))
    try:
        yield
    finally:
        for module, name, value in reversed(saved):
            setattr(module, name, value)


def _compiled(languages: dict[str, list[str]], shape: str) -> dict[str, re.Pattern[str]]:
    return {
        language: re.compile(shape.format("|".join(f"(?:{p})" for p in patterns)), re.I)
        for language, patterns in languages.items()
        if patterns
    }


@contextmanager
def trafilatura_once() -> Iterator[None]:
    """Keep trafilatura's main text of each page: no setting tried here changes it."""
    main_text = extract_module._main_text
    seen: dict[str | None, Any] = {}

    def cached(doc: Any, url: str | None) -> Any:
        if url not in seen:
            seen[url] = main_text(doc, url)
        return copy.deepcopy(seen[url])

    extract_module._main_text = cached
    try:
        yield
    finally:
        extract_module._main_text = main_text


def newsrelay_text(html: str, url: str) -> str:
    try:
        return extract_article(html, url).text
    except ExtractError:
        return ""


def trafilatura_text(html: str, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def fired(settings: Settings, pages: list[tuple[str, str]]) -> dict[tuple[str, str, str], set[str]]:
    """For each list entry, the pages (by address) on which it removed something."""
    removals = []
    with applied(settings):
        for html, url in pages:
            try:
                removals.extend((url, r) for r in extract_article(html, url).removed)
            except ExtractError:
                continue
    found: dict[tuple[str, str, str], set[str]] = {}
    for entry in settings.entries():
        kind, language, pattern = entry
        if kind == "word":
            token = re.compile(rf"structure:(?:class|id|role)=(?:{pattern})$", re.I)
            hits = {url for url, r in removals if token.match(r.rule)}
        else:
            kinds = (kind, "teaser_block") if kind == "teaser_heading" else (kind,)
            rule = re.compile(rf"(?:{'|'.join(kinds)}):{language}$")
            regex = re.compile(pattern, re.I)
            hits = {url for url, r in removals if rule.match(r.rule) and regex.search(r.text)}
        found[entry] = hits
    return found


class Fold:
    """One training half and its scoring, page by page, with the settings being tried."""

    def __init__(self, train: list[Item]) -> None:
        self.train = train
        self.by_url = {url: (html, url, expected) for html, url, expected in train}

    def scores(
        self, settings: Settings, only: set[str] | None = None
    ) -> dict[str, tuple[float | None, ...]]:
        with applied(settings):
            return {
                url: page_score(newsrelay_text, *item)
                for url, item in self.by_url.items()
                if only is None or url in only
            }

    def choose(self, settings: Settings, extra: list[tuple[str, str]]) -> Settings:
        pages = self.scores(settings)
        # word lists: evidence on the training half (and the extra pages), no harm there
        evidence = fired(settings, [(h, u) for h, u, _ in self.train] + extra)
        for entry, urls in evidence.items():
            if not urls:
                settings = settings.without(entry)
                continue
            on_training = urls & self.by_url.keys()
            if not on_training:
                continue
            trial = settings.without(entry)
            changed = {**pages, **self.scores(trial, on_training)}
            if mean_scores(changed.values()).f1 > mean_scores(pages.values()).f1:
                settings, pages = trial, changed
        # thresholds, one at a time over its grid
        for name, grid in THRESHOLDS.items():
            best = mean_scores(pages.values()).f1
            for value in grid:
                trial = settings.with_threshold(name, value)
                scored = self.scores(trial)
                if mean_scores(scored.values()).f1 > best:
                    best, pages, settings = mean_scores(scored.values()).f1, scored, trial
        return settings


def halves(items: list[Item]) -> tuple[list[Item], list[Item]]:
    """The pages split in two by a stable hash of their site."""
    parts: tuple[list[Item], list[Item]] = ([], [])
    for item in items:
        host = urlsplit(item[1]).hostname or ""
        parts[hashlib.sha1(host.encode()).digest()[0] % 2].append(item)
    return parts


def score_with(extract: Callable[[str, str], str], items: list[Item]) -> Scores:
    return mean_scores(page_score(extract, *item) for item in items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--strict", action="store_true", help="list entries need evidence on training pages only"
    )
    args = parser.parse_args()
    items = list(dev_items())
    extra = [] if args.strict else [(html, url) for html, url, _ in promo_items()]
    shipped = Settings.shipped()
    a, b = halves(items)
    evidence = "the training half" + ("" if args.strict else " or the promo corpus")
    print(f"extraction-dev in two folds by site ({len(a)} and {len(b)} pages); "
          f"list entries need evidence on {evidence}")  # fmt: skip
    print("  fold  held-out  trafilatura  shipped  chosen on the other half")
    chosen_f1 = []
    with trafilatura_once():
        for number, (train, test) in enumerate(((a, b), (b, a)), start=1):
            settings = Fold(train).choose(shipped, extra)
            with applied(shipped):
                as_shipped = score_with(newsrelay_text, test)
            with applied(settings):
                cross = score_with(newsrelay_text, test)
            chosen_f1.append(cross.f1)
            base = score_with(trafilatura_text, test)
            print(f"  {number:>4}  {len(test):>8}  {base.f1:>11.4f}  {as_shipped.f1:>7.4f}  "
                  f"{cross.f1:.4f} (P {cross.precision:.4f}, R {cross.recall:.4f})")  # fmt: skip
            changed = {k: v for k, v in settings.thresholds.items() if v != shipped.thresholds[k]}
            print(f"        thresholds changed: {changed or 'none'}")
            print(f"        list entries dropped: {len(settings.dropped)} of "
                  f"{len(list(shipped.entries()))}")  # fmt: skip
    print(f"  mean F1 of the two held-out halves: {sum(chosen_f1) / 2:.4f}")


if __name__ == "__main__":
    main()
