"""The webhook publisher: a JSON POST to ``publish.webhook_url`` for each published, updated or
withdrawn story, signed with HMAC-SHA256.

The signature is ``X-Newsrelay-Signature: sha256=<hex>``, the HMAC-SHA256 of the raw request body
with ``publish.webhook_secret`` as the key; ``X-Newsrelay-Timestamp`` repeats the body's
``sent_at`` (Unix seconds, signed with the body) so a receiver can refuse old deliveries. Any 2xx
answer is a delivery; timeouts, 429 and 5xx are retried with back-off within the run, and what
still fails is retried by a later run.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import httpx

from newsrelay.config import Settings
from newsrelay.errors import NotConfigured, PublishError
from newsrelay.extract import sanitize_html
from newsrelay.publish.strings import strings_for
from newsrelay.publish.targets import (
    BACKOFF,
    Delivery,
    DeliveryState,
    Fetch,
    send,
    story_html,
)

SIGNATURE_HEADER = "X-Newsrelay-Signature"
TIMESTAMP_HEADER = "X-Newsrelay-Timestamp"
REFUSED = (401, 403, 404, 405, 410)  # the address or the secret is wrong: stop for this run


def sign(secret: str, body: bytes) -> str:
    """The signature header's value for ``body``: ``sha256=`` and the hex HMAC-SHA256."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


class WebhookPublisher:
    """POSTs signed JSON to one address."""

    name = "webhook"

    def __init__(
        self, url: str, secret: str, *, timeout: float = 20.0, user_agent: str = "newsrelay",
        backoff: float = BACKOFF,
    ) -> None:  # fmt: skip
        self.url = url
        self.secret = secret
        self.backoff = backoff
        self.client = httpx.Client(timeout=timeout, headers={"User-Agent": user_agent})

    @classmethod
    def from_settings(cls, settings: Settings, fetch: Fetch) -> WebhookPublisher | None:
        """The webhook of ``publish.webhook_url``; None without one."""
        config = settings.publish
        if not config.webhook_url:
            return None
        if not config.webhook_secret:
            raise NotConfigured(
                "webhook: set NEWSRELAY_PUBLISH_WEBHOOK_SECRET (or ..._FILE) to sign deliveries"
            )
        return cls(config.webhook_url, config.webhook_secret, timeout=settings.fetch.timeout,
                   user_agent=settings.fetch.user_agent)  # fmt: skip

    def deliver(self, delivery: Delivery) -> str | None:
        """POST the delivery; return the id the receiver answered with, if any."""
        sent_at = int(time.time())
        body = json.dumps(payload(delivery, sent_at), ensure_ascii=False).encode("utf-8")
        headers = {
            "Content-Type": "application/json",
            SIGNATURE_HEADER: sign(self.secret, body),
            TIMESTAMP_HEADER: str(sent_at),
        }
        response = send(self.client, "POST", self.url, target=self.name, backoff=self.backoff,
                        content=body, headers=headers)  # fmt: skip
        if not response.is_success:
            raise PublishError(
                f"http_{response.status_code}",
                f"webhook: {self.url}: HTTP {response.status_code}: {response.text[:200]}",
                target_down=response.status_code in REFUSED,
            )
        return _answered_id(response)

    def close(self) -> None:
        """Release the connections."""
        self.client.close()


def payload(delivery: Delivery, sent_at: int) -> dict[str, Any]:
    """The JSON body of a delivery. A withdrawal carries only the story's ids and why it was
    withdrawn: ``source_gone``, ``source_retracted``, or ``not_published`` (no longer cleared
    for publishing)."""
    data: dict[str, Any] = {
        "id": f"newsrelay:{delivery.language}:{delivery.story_id}",
        "story_id": delivery.story_id,
        "language": delivery.language,
        "state": delivery.state.value,
        "version": delivery.version,
        "url": delivery.url,
        "sent_at": sent_at,
    }
    story = delivery.story
    if delivery.state is DeliveryState.WITHDRAWN:
        return data | {"reason": (story.removal if story else None) or "not_published"}
    if story is None:
        return data
    t = strings_for(story.language, source_language=story.source_language, engine=story.engine)
    return data | {
        "title": story.title,
        "body_html": sanitize_html(story.body_html),
        "content_html": story_html(story),
        "notice": t["notice"],
        "source_language": story.source_language,
        "engine": story.engine,
        "authors": list(story.meta.authors),
        "published": story.meta.published,
        "updated": story.meta.updated,
        "image": story.meta.lead_image,
        "section": story.meta.section,
        "tags": list(story.meta.tags),
        "source": {
            "name": story.source_name,
            "url": story.original_url,
            "title": story.original_title,
            "license": story.license,
            "attribution": story.attribution,
        },
    }


def _answered_id(response: httpx.Response) -> str | None:
    try:
        answer = response.json()
    except ValueError:
        return None
    found = answer.get("id") if isinstance(answer, dict) else None
    return str(found) if isinstance(found, str | int) else None
