"""The bundled sample source: a news site written for newsrelay, served on 127.0.0.1.

Its pages look like a real news site's: navigation, a Telegram promo and a teaser block between
paragraphs, newsletter sign-up, share buttons and a footer. A benchmark can serve stories of
its own through the same layout.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources

STORIES = ("bridge", "library", "flood", "festival", "school")
# Lines of the sample pages that must never reach a published story.
PROMO_TEXTS = (
    "JOIN US ON TELEGRAM",
    "Follow our coverage",
    "Other Topics of Interest",
    "Fire destroys a warehouse",
    "Join us on Telegram",
    "Read also",
    "Storm damages the roof",
    "Share this article",
    "Sign up for our newsletter",
    "morning briefing",
    "All rights reserved",
    "Related",
    "Follow our coverage on social media",
)


@dataclass(frozen=True)
class SampleStory:
    """One sample article."""

    slug: str
    title: str
    author: str
    date: str
    body: str
    section: str = ""


def _read(name: str) -> str:
    return resources.files("newsrelay.demo").joinpath("site", name).read_text(encoding="utf-8")


def sample_story(name: str) -> SampleStory:
    """Read a sample story: a header of ``key: value`` lines, a blank line, the body HTML."""
    header, body = _read(f"{name}.html").split("\n\n", 1)
    fields = dict(line.split(": ", 1) for line in header.splitlines())
    return SampleStory(name, fields["title"], fields["author"], fields["date"], body,
                       fields.get("section", ""))  # fmt: skip


class DemoSite:
    """The pages of the sample source: the five bundled stories, or the ``stories`` given."""

    def __init__(self, stories: list[SampleStory] | None = None) -> None:
        self.stories = stories if stories is not None else [sample_story(n) for n in STORIES]
        self.published = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

    def page(self, slug: str) -> str | None:
        """The HTML of the story at ``/news/<slug>.html``."""
        for story in self.stories:
            if story.slug == slug:
                section = (f'<meta property="article:section" content="{escape(story.section)}">'
                           if story.section else "")  # fmt: skip
                return _read("_layout.html").format(
                    title=escape(story.title), author=escape(story.author), date=story.date,
                    slug=story.slug, body=story.body, section=section,
                )  # fmt: skip
        return None

    def feed(self, base: str) -> str:
        """The RSS feed of all stories, newest first."""
        items = []
        for i, story in enumerate(reversed(self.stories)):
            when = format_datetime(self.published - timedelta(hours=i))
            url = f"{base}/news/{story.slug}.html"
            items.append(
                f"<item><title>{escape(story.title)}</title><link>{url}</link>"
                f"<guid>{url}</guid><pubDate>{when}</pubDate></item>"
            )
        return _read("feed.xml").format(base=base, items="\n".join(items))


class DemoServer:
    """Serves a :class:`DemoSite` on 127.0.0.1 in a background thread."""

    def __init__(self, site: DemoSite | None = None, port: int = 0) -> None:
        self.site = site or DemoSite()
        self.requests: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        """The server's address, without a trailing slash."""
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def feed_url(self) -> str:
        """The address of the sample feed."""
        return self.base_url + "/feed.xml"

    def __enter__(self) -> DemoServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                server.requests.append(self.path)
                body, content_type = server.respond(self.path)
                if body is None:
                    self.send_error(404)
                    return
                etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def respond(self, path: str) -> tuple[bytes | None, str]:
        """The body and content type for ``path``."""
        if path == "/feed.xml":
            return self.site.feed(self.base_url).encode(), "application/rss+xml"
        if path == "/robots.txt":
            return _read("robots.txt").encode(), "text/plain"
        if path.startswith("/news/") and path.endswith(".html"):
            page = self.site.page(path[len("/news/") : -len(".html")])
            if page is not None:
                return page.encode(), "text/html; charset=utf-8"
        return None, "text/plain"
