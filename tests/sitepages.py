"""Finding a story's page in a built site: a page's address is its headline, fixed when it is
first published, and the story's number leads there ("es/story/1.html" redirects)."""

from __future__ import annotations

import re
from pathlib import Path

STORY_PAGES = "[0-9][0-9][0-9][0-9]/*/*/*.html"  # under a language's folder: day, headline


def story_page(output: Path, language: str, story_id: int = 1) -> Path:
    """The page of story ``story_id`` in ``language``, through the page at its number."""
    numbered = output / language / "story" / f"{story_id}.html"
    found = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', numbered.read_text())
    assert found, f"{numbered} does not lead to the story's page"
    return (numbered.parent / found.group(1)).resolve()


def story_text(output: Path, language: str, story_id: int = 1) -> str:
    return story_page(output, language, story_id).read_text(encoding="utf-8")
