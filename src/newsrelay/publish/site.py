"""The static site: a home page, and per language an index, an RSS feed and one page per story.

Every file is written atomically (temporary file, then rename), so a reader or a web server never
sees half a page, and a run killed mid-way leaves the previous version in place.
"""

from __future__ import annotations

import email.utils
import os
import tempfile
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from jinja2 import Environment, PackageLoader, select_autoescape

from newsrelay.extract import html_paragraphs, sanitize_html
from newsrelay.model import StoryView
from newsrelay.publish.strings import strings_for

FEED_SIZE = 50


class StaticSite:
    """Renders stories into a folder that any web server can serve."""

    def __init__(self, output: Path, *, title: str, base_url: str) -> None:
        self.output = output
        self.title = title
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.env = Environment(
            loader=PackageLoader("newsrelay.publish", "templates"),
            autoescape=select_autoescape(["html", "xml"]),
            keep_trailing_newline=True,
        )

    def story_path(self, story: StoryView) -> str:
        """Where a story's page lives, relative to the site root; stable across updates and
        across a change of the source it is translated from."""
        return f"{story.language}/story/{story.story_id}.html"

    def url(self, path: str) -> str:
        """The public URL of a path of the site."""
        return urljoin(self.base_url, path)

    def write_story(self, story: StoryView) -> tuple[str, str]:
        """Write one story page; return its path and URL."""
        path = self.story_path(story)
        html = self._render(
            "story.html",
            story.language,
            root="../../",
            lang_home="../index.html",
            story=story,
            body=sanitize_html(story.body_html),
            url=self.url(path),
            t=strings_for(
                story.language, source_language=story.source_language, engine=story.engine
            ),
        )
        write_atomic(self.output / path, html)
        return path, self.url(path)

    def write_language(self, language: str, stories: Sequence[StoryView]) -> None:
        """Write a language's index page and RSS feed from its stories, newest first."""
        items = [self._item(s, prefix="story/") for s in stories]
        index = self._render("index.html", language, root="../", lang_home="", stories=items)
        write_atomic(self.output / language / "index.html", index)
        feed = self._render(
            "feed.xml",
            language,
            stories=items[:FEED_SIZE],
            home_url=self.url(f"{language}/index.html"),
            feed_url=self.url(f"{language}/feed.xml"),
        )
        write_atomic(self.output / language / "feed.xml", feed)

    def write_home(self, languages: Sequence[str]) -> None:
        """Write the home page that links every language."""
        html = self._render("home.html", "en", root="", lang_home="", languages=languages)
        write_atomic(self.output / "index.html", html)

    def _item(self, story: StoryView, prefix: str) -> dict[str, Any]:
        path = self.story_path(story)
        return {
            "title": story.title,
            "href": prefix + path.rsplit("/", 1)[-1],
            "url": self.url(path),
            "guid": f"newsrelay:{story.language}:{story.story_id}",
            "pub_date": email.utils.format_datetime(story.created_at.replace(tzinfo=UTC)),
            "published": story.meta.published,
            "source_name": story.source_name,
            "original_url": story.original_url,
            "body": "\n\n".join(html_paragraphs(story.body_html)),
        }

    def _render(self, template: str, language: str, **context: Any) -> str:
        context.setdefault("t", strings_for(language))
        return self.env.get_template(template).render(
            lang=language, site_title=self.title, **context
        )


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
