"""Rules that recognise what is not the story: promo elements by structure, calls to action and
teaser headings by text (patterns kept as data files beside this module), and teaser links.

Each rule returns the name it is reported under, so an operator can see why a block was removed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache, lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from newsrelay.markup import normalise

# Words in class, id or role that mark an element as not part of the story (regular expressions
# for one token of the attribute, between spaces, underscores or hyphens).
BOILERPLATE_WORDS = (
    "related", r"recommend\w*", "newsletter", "social", "share", "sharing", "sharedaddy",
    "subscribe", "subscription", r"advert\w*", "ads?", "adslot", r"promo\w*", "teaser", "cta",
    "sponsored", "outbrain", "taboola", "more-stories", "read-more", "relatedposts",
    "jp-relatedposts",
)  # fmt: skip
CHROME_ROLES = {"complementary", "navigation", "banner", "contentinfo"}
MAX_CTA_LENGTH = 160  # a call to action is short; a long paragraph that starts alike is story
MAX_TEASER_HEADING = 80
MAX_TEASER_BLURB = 300  # a teaser's blurb is a sentence or two
MAX_TEASER_HEADLINE = 150
MAX_BYLINE = 120
LINK_DOMINATED = 0.7  # share of a block's text inside links above which it is a list of links
SAME_SITE_LINK = 0.8  # share of a block's text in its one link above which it is a teaser
MIN_LINK_ROW = 3  # links in a row of links with nothing but separators between them: a menu


@cache
def boilerplate_tokens() -> re.Pattern[str]:
    """One pattern for the words of ``BOILERPLATE_WORDS``, as whole tokens of an attribute."""
    words = "|".join(BOILERPLATE_WORDS)
    return re.compile(rf"(?:^|[\s_-])({words})(?:$|[\s_-])", re.I)


def _load(name: str) -> dict[str, list[str]]:
    text = resources.files("newsrelay.extract").joinpath("data", name).read_text(encoding="utf-8")
    patterns: dict[str, list[str]] = {}
    language = "any"
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            language = line[1:-1]
            continue
        re.compile(line)  # a broken pattern fails here, naming itself
        patterns.setdefault(language, []).append(line)
    return patterns


@cache
def call_to_action_patterns() -> dict[str, re.Pattern[str]]:
    """One pattern per language, from ``data/calls_to_action.txt``."""
    return {
        language: re.compile("|".join(f"(?:{p})" for p in patterns), re.I)
        for language, patterns in _load("calls_to_action.txt").items()
    }


@cache
def teaser_heading_patterns() -> dict[str, re.Pattern[str]]:
    """One whole-block pattern per language, from ``data/teaser_headings.txt``."""
    return {
        language: re.compile("^(?:" + "|".join(f"(?:{p})" for p in patterns) + r")\s*:?$", re.I)
        for language, patterns in _load("teaser_headings.txt").items()
    }


def _match(patterns: dict[str, re.Pattern[str]], text: str) -> str | None:
    for language, pattern in patterns.items():
        if pattern.search(text):
            return language
    return None


def call_to_action(text: str) -> str | None:
    """The language of the call-to-action pattern ``text`` matches, or ``None``."""
    text = normalise(text)
    if not text or len(text) > MAX_CTA_LENGTH:
        return None
    return _match(call_to_action_patterns(), text)


def teaser_heading(text: str) -> str | None:
    """The language of the teaser heading ``text`` is, or ``None``."""
    text = normalise(text)
    if not text or len(text) > MAX_TEASER_HEADING:
        return None
    return _match(teaser_heading_patterns(), text)


def boilerplate_marker(attributes: Mapping[str, str]) -> str | None:
    """The class/id/role token that marks an element as boilerplate, or ``None``."""
    for name in ("class", "id", "role"):
        if (value := attributes.get(name)) and (token := _boilerplate_token(value)):
            return f"{name}={token}"
    role = attributes.get("role")
    return f"role={role}" if role in CHROME_ROLES else None


@lru_cache(maxsize=16384)
def _boilerplate_token(value: str) -> str | None:
    """The boilerplate word of one attribute's value (pages repeat their classes: cached)."""
    match = boilerplate_tokens().search(value)
    return match.group(1).lower() if match else None


def link_share(element: Any) -> float:
    """The share of an element's text that sits inside links."""
    total = len(normalise(element.text_content()))
    if not total:
        return 0.0
    linked = sum(len(normalise(a.text_content())) for a in element.iter("a"))
    return min(linked / total, 1.0)


def link_row(element: Any) -> bool:
    """Whether a block is a row of links with only separators between them (a menu), not prose."""
    links = element.findall(".//a")
    if len(links) < MIN_LINK_ROW:
        return False
    between = normalise(element.text_content())
    for link in links:
        between = between.replace(normalise(link.text_content()), "", 1)
    return sum(c.isalpha() for c in between) < 10


BYLINE = re.compile(r"^(by|von|por|par|de|di|door|av|przez|від|от)\s", re.I)


def byline(text: str, authors: tuple[str, ...]) -> bool:
    """Whether a short block is the article's byline: "By <author>" and perhaps a date."""
    if not authors or len(text) > MAX_BYLINE or not BYLINE.match(text):
        return False
    folded = text.casefold()
    return any(author.casefold() in folded for author in authors)


def same_site_teaser(element: Any, page_url: str | None) -> bool:
    """Whether a block is essentially one link to another page of the same site."""
    links = [a for a in element.iter("a") if a.get("href")]
    if len(links) != 1 or not page_url or link_share(element) < SAME_SITE_LINK:
        return False
    text = normalise(element.text_content())
    if len(text) > MAX_CTA_LENGTH or len(text.split()) < 3:
        return False
    target, page = urlsplit(str(links[0].get("href"))), urlsplit(page_url)
    return target.netloc == page.netloc and target.path.rstrip("/") != page.path.rstrip("/")


def teaser_part(text: str, link_dominated: bool, previous: str | None) -> str | None:
    """What a block after a teaser heading is: the teaser's headline, its blurb, or ``None``.

    A headline is a link, or a short line without a full stop right after the heading; a blurb
    is a short paragraph right after a headline (or after a block holding heading and headline).
    """
    previous = previous or ""
    if link_dominated:
        return "teaser:headline"
    if previous.startswith("teaser_block") and len(text) <= MAX_TEASER_BLURB:
        return "teaser:blurb"
    after_heading = previous.startswith("teaser_heading")
    if after_heading and len(text) <= MAX_TEASER_HEADLINE and not text.endswith("."):
        return "teaser:headline"
    if previous == "teaser:headline" and len(text) <= MAX_TEASER_BLURB:
        return "teaser:blurb"
    return None
