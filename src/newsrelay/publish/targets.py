"""Push targets: where published stories are delivered besides the static site (a WordPress
site, a webhook), as plugins of the ``newsrelay.publishers`` entry-point group.

A publisher factory takes the settings and a way to fetch a URL and returns a publisher, or None
when its target is not configured; it raises NotConfigured when the target is half configured
(an address without its password), so the run refuses to start. A publisher receives one
:class:`Delivery` at a time (a story version in one language, and what the target called it last
time) and returns the target's id for it; it raises PublishError with a reason code when the
delivery fails. What was delivered, and when to try again, is the pipeline's and the store's.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from html import escape
from importlib.metadata import entry_points
from typing import Any, Protocol

import httpx

from newsrelay.config import Settings
from newsrelay.errors import PublishError
from newsrelay.ingest import Response
from newsrelay.markup import sanitize_html
from newsrelay.model import StoryView
from newsrelay.publish.strings import strings_for
from newsrelay.retry import RetryPolicy, retry_after

__all__ = [
    "ONCE",
    "PUBLISHER_GROUP",
    "Delivery",
    "DeliveryState",
    "Fetch",
    "Publisher",
    "load_publishers",
    "send",
    "story_html",
    "story_version",
]

PUBLISHER_GROUP = "newsrelay.publishers"
# retries of one request within a run; a longer wait than max_wait leaves the delivery for a
# later run
RETRY = RetryPolicy(retries=3, backoff=0.5, max_wait=30.0)
ONCE = RetryPolicy(retries=0)  # for a request that creates something
# What does not change what a target shows: ids of the row behind it, the time of translation.
VOLATILE = ("translation_id", "article_id", "created_at", "also_reported_by")

Fetch = Callable[[str], Response]


class DeliveryState(enum.StrEnum):
    """What a delivery tells the target about a story."""

    PUBLISHED = "published"  # first delivery
    UPDATED = "updated"  # the story changed since the target last received it
    WITHDRAWN = "withdrawn"  # the site no longer shows the story; the target should not either


@dataclass(frozen=True)
class Delivery:
    """One version of a story in one language, for one target.

    ``story`` is None when a withdrawn story is no longer in the store's published stories;
    ``url`` is its page on newsrelay's site; ``remote_id`` what the target called it last time.
    """

    story_id: int
    language: str
    state: DeliveryState
    version: str
    story: StoryView | None = None
    url: str | None = None
    remote_id: str | None = None


class Publisher(Protocol):
    """A push target."""

    name: str

    def deliver(self, delivery: Delivery) -> str | None:
        """Send one delivery; return the target's id for the story (None if it has none)."""

    def close(self) -> None:
        """Release connections."""


def load_publishers(settings: Settings, fetch: Fetch) -> list[Publisher]:
    """The publishers whose target is configured, from the ``newsrelay.publishers`` group."""
    found = []
    for entry in sorted(entry_points(group=PUBLISHER_GROUP), key=lambda e: e.name):
        publisher = entry.load()(settings, fetch)
        if publisher is not None:
            found.append(publisher)
    return found


def story_version(story: StoryView, url: str | None) -> str:
    """A digest of everything a target shows of a story: it changes when the story does."""
    shown = {k: v for k, v in asdict(story).items() if k not in VOLATILE}
    text = json.dumps([shown, url], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def story_html(story: StoryView) -> str:
    """The story as the site's page shows it, for a CMS: the automatic-translation notice, the
    byline, the body, and the line with the source, its link, the license, the attribution and
    the engine."""
    t = strings_for(story.language, source_language=story.source_language, engine=story.engine,
                    reviewed=story.reviewed)  # fmt: skip
    parts = [f'<p class="notice" role="note">{escape(t["notice"])}</p>']
    if story.meta.authors:
        byline = t["byline"].format(authors=", ".join(story.meta.authors),
                                    source=story.source_name)  # fmt: skip
        parts.append(f'<p class="byline">{escape(byline)}</p>')
    parts.append(sanitize_html(story.body_html))
    credit = [
        f'{escape(t["source"])}: <a href="{escape(story.original_url)}">'
        f"{escape(story.source_name)} — {escape(story.original_title)}</a>."
    ]
    if story.license:
        credit.append(f"{escape(t['license'])}: {escape(story.license)}.")
    if story.attribution:
        credit.append(escape(story.attribution))
    engine = f"{story.engine} ({story.source_language} → {story.language})"
    credit.append(f"{escape(t['engine'])}: {escape(engine)}.")
    parts.append(f'<p class="credit">{" ".join(credit)}</p>')
    return "\n".join(parts)


def send(
    client: httpx.Client, method: str, url: str, *, target: str, policy: RetryPolicy = RETRY,
    **kwargs: Any,
) -> httpx.Response:  # fmt: skip
    """Send a request, retrying timeouts, 429 and 5xx by the retry policy; return the answer,
    whatever its status below 500. Raise PublishError (target down) when the retries are
    spent. A request that creates something passes ``ONCE``: an answer lost after the target
    acted must not create it twice."""
    return policy.call(lambda: _attempt(client, method, url, target, **kwargs), f"{target}: {url}")


def _attempt(
    client: httpx.Client, method: str, url: str, target: str, **kwargs: Any
) -> httpx.Response:
    """One try: the answer, or the error to retry on (timeouts, 429, 5xx)."""
    where = f"{target}: {method} {url}"
    try:
        response = client.request(method, url, **kwargs)
    except httpx.TimeoutException:
        raise PublishError("timeout", f"{where}: timed out", target_down=True,
                           transient=True) from None  # fmt: skip
    except httpx.HTTPError as exc:
        raise PublishError("connect_error", f"{where}: {exc}", target_down=True,
                           transient=True) from None  # fmt: skip
    if response.status_code == 429 or response.status_code >= 500:
        message = f"{where}: HTTP {response.status_code}: {answer_text(response)}"
        asked = retry_after(response.headers.get("retry-after"))
        raise PublishError(f"http_{response.status_code}", message, target_down=True,
                           transient=True, retry_after=asked)  # fmt: skip
    return response


def answer_text(response: httpx.Response, limit: int = 200) -> str:
    """The start of an answer's body, for a message, without the request's credentials: an
    error page may echo the Authorization header (its value, and for Basic the password)."""
    text = response.text
    for secret in _credentials(response.request):
        text = text.replace(secret, "[redacted]")
    return text[:limit]


def _credentials(request: httpx.Request) -> list[str]:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    found = [header, value]
    if scheme.lower() == "basic":
        try:
            user_password = base64.b64decode(value).decode("utf-8", "replace")
        except ValueError:
            user_password = ""
        password = user_password.partition(":")[2]
        found += [user_password, password, password.replace(" ", "")]
    return sorted((s for s in found if len(s) >= 4), key=len, reverse=True)
