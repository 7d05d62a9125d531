"""Rules that remove what is not the story: promo elements by structure, calls to action by text.

Each removed block is reported with the rule that removed it, so an operator can see why.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

# Tokens in class, id or role that mark an element as not part of the story.
BOILERPLATE_TOKENS = re.compile(
    r"(?:^|[\s_-])(related|recommend\w*|newsletter|social|share|sharing|subscribe|subscription"
    r"|advert\w*|ads?|promo\w*|teaser|cta|sponsored|outbrain|taboola|more-stories|read-more)"
    r"(?:$|[\s_-])",
    re.I,
)
MAX_CTA_LENGTH = 160  # a call to action is short; a long paragraph that starts alike is story


@cache
def call_to_action_patterns() -> dict[str, list[re.Pattern[str]]]:
    """The call-to-action patterns per language, read from ``data/calls_to_action.txt``."""
    text = (
        resources.files("newsrelay.extract")
        .joinpath("data/calls_to_action.txt")
        .read_text(encoding="utf-8")
    )
    patterns: dict[str, list[re.Pattern[str]]] = {}
    language = "any"
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            language = line[1:-1]
            continue
        patterns.setdefault(language, []).append(re.compile(line, re.I))
    return patterns


def call_to_action(text: str) -> str | None:
    """The language of the call-to-action pattern ``text`` matches, or ``None``."""
    text = " ".join(text.split())
    if not text or len(text) > MAX_CTA_LENGTH:
        return None
    for language, patterns in call_to_action_patterns().items():
        if any(p.search(text) for p in patterns):
            return language
    return None


def boilerplate_marker(attributes: dict[str, str]) -> str | None:
    """The class/id/role token that marks an element as boilerplate, or ``None``."""
    for name in ("class", "id", "role"):
        match = BOILERPLATE_TOKENS.search(attributes.get(name, ""))
        if match:
            return f"{name}={match.group(1).lower()}"
    if attributes.get("role") in ("complementary", "navigation", "banner", "contentinfo"):
        return f"role={attributes['role']}"
    return None
