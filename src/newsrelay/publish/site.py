"""The static site: a home page, and per language an index, an RSS feed and one page per story.

Every file is written atomically (temporary file, then rename), so a reader or a web server never
sees half a page, and a run killed mid-way leaves the previous version in place.
"""

from __future__ import annotations

import email.utils
import json
import os
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from jinja2 import Environment, PackageLoader, select_autoescape

from newsrelay.extract import html_paragraphs, sanitize_html
from newsrelay.model import StoryView
from newsrelay.publish.strings import local_date, strings_for

FEED_SIZE = 50
PAGE_SIZE = 20  # stories per index page
NEWS_WINDOW = timedelta(hours=48)  # Google News sitemaps list the last two days ...
NEWS_LIMIT = 1000  # ... and at most this many stories


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
        self.env.filters["local_date"] = local_date

    def story_path(self, story: StoryView) -> str:
        """Where a story's page lives, relative to the site root; stable across updates and
        across a change of the source it is translated from."""
        return f"{story.language}/story/{story.story_id}.html"

    def url(self, path: str) -> str:
        """The public URL of a path of the site."""
        return urljoin(self.base_url, path)

    def write_story(
        self, story: StoryView, alternates: Sequence[tuple[str, str]] = ()
    ) -> tuple[str, str]:
        """Write one story page; return its path and URL. ``alternates`` are (language, URL)
        of the story's versions in newsrelay's other languages (hreflang)."""
        path = self.story_path(story)
        url = self.url(path)
        html = self._render(
            "story.html",
            story.language,
            root="../../",
            lang_home="../index.html",
            story=story,
            body=sanitize_html(story.body_html),
            url=url,
            summary=_summary(story),
            alternates=[(story.language, url), *alternates],
            jsonld=_json_for_script(self.structured_data(story, url)),
            t=strings_for(
                story.language, source_language=story.source_language, engine=story.engine
            ),
        )
        write_atomic(self.output / path, html)
        return path, url

    def structured_data(self, story: StoryView, url: str) -> dict[str, Any]:
        """schema.org NewsArticle of a translated story: its own canonical page, based on and a
        translation of the source, translated by the engine."""
        published = story.meta.published or _iso(story.created_at)
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": story.title,
            "inLanguage": story.language,
            "url": url,
            "mainEntityOfPage": url,
            "datePublished": published,
            "dateModified": story.meta.updated or published,
            "author": [{"@type": "Person", "name": a} for a in story.meta.authors]
            or [{"@type": "Organization", "name": story.source_name}],
            "publisher": {"@type": "Organization", "name": self.title},
            "sourceOrganization": {"@type": "Organization", "name": story.source_name},
            "isBasedOn": story.original_url,
            "translationOfWork": {
                "@type": "NewsArticle",
                "url": story.original_url,
                "headline": story.original_title,
                "inLanguage": story.source_language,
            },
            "translator": {"@type": "SoftwareApplication", "name": story.engine},
        }
        if story.meta.lead_image:
            data["image"] = story.meta.lead_image
        if story.license:
            data["license"] = story.license
        return data

    def alternates(self, stories: Sequence[StoryView]) -> dict[int, list[tuple[str, str]]]:
        """(language, URL) of every published version of each story, by story id."""
        found: dict[int, list[tuple[str, str]]] = {}
        for story in stories:
            found.setdefault(story.story_id, []).append(
                (story.language, self.url(self.story_path(story)))
            )
        return found

    def write_language(
        self,
        language: str,
        stories: Sequence[StoryView],
        alternates: dict[int, list[tuple[str, str]]] | None = None,
    ) -> None:
        """Write a language's index pages, its RSS, Atom and JSON feeds and its sitemap (with the
        hreflang alternates of each story), newest story first."""
        stories = sorted(stories, key=_newest_first)
        items = [self._item(s, prefix="story/") for s in stories]
        for item, story in zip(items, stories, strict=True):
            item["alternates"] = (alternates or {}).get(story.story_id, [])
        self._write_index_pages(language, items)
        home = self.url(f"{language}/index.html")
        for name in ("feed.xml", "atom.xml"):
            feed = self._render(
                name,
                language,
                stories=items[:FEED_SIZE],
                home_url=home,
                feed_url=self.url(f"{language}/{name}"),
                updated=items[0]["updated"] if items else _iso(datetime.now(UTC)),
            )
            write_atomic(self.output / language / name, feed)
        write_atomic(self.output / language / "feed.json", self._json_feed(language, items))
        sitemap = self._render("sitemap.xml", language, stories=items)
        write_atomic(self.output / f"sitemap-{language}.xml", sitemap)

    def _write_index_pages(self, language: str, items: list[dict[str, Any]]) -> None:
        """index.html holds the newest stories, page-2.html the next ones, and so on."""
        pages = [items[i : i + PAGE_SIZE] for i in range(0, len(items), PAGE_SIZE)] or [[]]
        names = ["index.html"] + [f"page-{n}.html" for n in range(2, len(pages) + 1)]
        for number, (name, page) in enumerate(zip(names, pages, strict=True)):
            html = self._render(
                "index.html", language, root="../", lang_home="", stories=page,
                newer=names[number - 1] if number else None,
                older=names[number + 1] if number + 1 < len(names) else None,
            )  # fmt: skip
            write_atomic(self.output / language / name, html)

    def _json_feed(self, language: str, items: list[dict[str, Any]]) -> str:
        feed = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": f"{self.title} ({language})",
            "home_page_url": self.url(f"{language}/index.html"),
            "feed_url": self.url(f"{language}/feed.json"),
            "language": language,
            "items": [
                {
                    "id": item["guid"],
                    "url": item["url"],
                    "title": item["title"],
                    "content_html": item["body_html"],
                    "summary": item["summary"],
                    "date_published": item["created"],
                    "date_modified": item["updated"],
                    "authors": [{"name": a} for a in item["authors"]]
                    or [{"name": item["source_name"]}],
                    "external_url": item["original_url"],
                }
                for item in items[:FEED_SIZE]
            ],
        }
        return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"

    def write_home(self, languages: Sequence[str], stories: Sequence[StoryView] = ()) -> None:
        """Write the home page, the sitemap index, the news sitemap (stories of the last 48
        hours, at most 1,000) and robots.txt."""
        html = self._render("home.html", "en", root="", lang_home="", languages=languages)
        write_atomic(self.output / "index.html", html)
        sitemaps = [self.url(f"sitemap-{language}.xml") for language in languages]
        sitemaps.append(self.url("news-sitemap.xml"))
        index = self._render("sitemap-index.xml", "en", sitemaps=sitemaps)
        write_atomic(self.output / "sitemap.xml", index)
        recent = datetime.now(UTC).replace(tzinfo=None) - NEWS_WINDOW
        fresh = [self._item(s, "") for s in stories if s.created_at >= recent][:NEWS_LIMIT]
        write_atomic(self.output / "news-sitemap.xml",
                     self._render("news-sitemap.xml", "en", stories=fresh))  # fmt: skip
        robots = f"User-agent: *\nAllow: /\nSitemap: {self.url('sitemap.xml')}\n"
        write_atomic(self.output / "robots.txt", robots)

    def _item(self, story: StoryView, prefix: str) -> dict[str, Any]:
        path = self.story_path(story)
        guid = f"newsrelay:{story.language}:{story.story_id}"
        return {
            "title": story.title,
            "language": story.language,
            "href": prefix + path.rsplit("/", 1)[-1],
            "url": self.url(path),
            "guid": guid,
            "guid_uri": f"tag:newsrelay,2026:{story.language}/{story.story_id}",
            "pub_date": email.utils.format_datetime(story.created_at.replace(tzinfo=UTC)),
            "created": _iso(story.created_at),
            "updated": _iso(story.created_at),
            "published": story.meta.published,
            "authors": story.meta.authors,
            "source_name": story.source_name,
            "original_url": story.original_url,
            "license": story.license,
            "summary": _summary(story),
            "body_html": sanitize_html(story.body_html),
            "body": "\n\n".join(html_paragraphs(story.body_html)),
            "alternates": [],
        }

    def _render(self, template: str, language: str, **context: Any) -> str:
        context.setdefault("t", strings_for(language))
        return self.env.get_template(template).render(
            lang=language, site_title=self.title, **context
        )


def _iso(when: datetime) -> str:
    """A stored (naive UTC) time as ISO 8601 with its offset."""
    return when.replace(tzinfo=when.tzinfo or UTC).isoformat(timespec="seconds")


def _newest_first(story: StoryView) -> tuple[float, float, int]:
    """Order by the source's publication time (the translation's when unknown), newest first;
    ties go to the newest translation."""
    translated = story.created_at.replace(tzinfo=UTC)
    when = translated
    if story.meta.published:
        try:
            stated = datetime.fromisoformat(story.meta.published)
            when = stated if stated.tzinfo else stated.replace(tzinfo=UTC)
        except ValueError:
            pass  # an unreadable date: the translation's time stands in
    return -when.timestamp(), -translated.timestamp(), -story.story_id


def _summary(story: StoryView) -> str:
    paragraphs = html_paragraphs(story.body_html)
    return paragraphs[0][:300] if paragraphs else ""


def _json_for_script(data: dict[str, Any]) -> str:
    """JSON safe inside <script>: no "</" can end the element early."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


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
