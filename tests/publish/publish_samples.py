"""Published stories as the store hands them to the site, for the publishing tests."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsrelay.model import Metadata, StoryView

NOW = datetime.now(UTC).replace(tzinfo=None)


def story(
    story_id: int,
    language: str,
    title: str,
    *,
    age: timedelta = timedelta(0),
    source: str = "Wire A",
    section: str | None = None,
    tags: tuple[str, ...] = (),
) -> StoryView:
    """A translated story; every one has the same source date, so a larger ``age`` (of the
    translation) makes it come later in the indexes."""
    return StoryView(
        translation_id=story_id * 10 + len(language), article_id=story_id, story_id=story_id,
        language=language, title=title, body_html="<p>Primer párrafo de la noticia.</p><p>Segundo.</p>",
        engine="apertium", source_language="en", original_title="Original headline",
        original_url=f"http://127.0.0.1:9/news/{story_id}.html", source_name=source,
        license="CC BY 4.0", attribution=f"From {source}.",
        meta=Metadata(authors=("Ana Ruiz",), published="2026-11-27T08:30:00+01:00",
                      lead_image="http://127.0.0.1:9/img.jpg", section=section, tags=tags),
        created_at=NOW - age,
    )  # fmt: skip


def links(page: Path) -> list[str]:
    """The story links of an index page, in order (each once: a card links its picture too)."""
    return list(dict.fromkeys(re.findall(r'<a href="([^"]*story/[^"]+)"', page.read_text())))
