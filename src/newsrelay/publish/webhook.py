"""The webhook publisher: a JSON POST to ``publish.webhook_url`` for each published, updated or
withdrawn story, signed as the Standard Webhooks specification says.

Each request carries ``webhook-id`` (the delivery: the story, its language and version, the same
on every retry), ``webhook-timestamp`` (Unix seconds) and ``webhook-signature: v1,<base64>``, the
HMAC-SHA256 of ``"{id}.{timestamp}.{body}"`` keyed with ``publish.webhook_secret`` (a
``whsec_``-prefixed secret is base64 after the prefix, as Standard Webhooks libraries make them;
any other is used as its UTF-8 bytes). The id and the timestamp are signed, so a receiver that
refuses old timestamps and ids it has seen refuses a replay. Any 2xx answer is a delivery;
timeouts, 429 and 5xx are retried with back-off within the run, and what still fails is retried
by a later run.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import httpx

from newsrelay.config import Settings
from newsrelay.errors import NotConfigured, PublishError
from newsrelay.markup import sanitize_html
from newsrelay.publish.strings import strings_for
from newsrelay.publish.targets import (
    Delivery,
    DeliveryState,
    Fetch,
    answer_text,
    send,
    story_html,
)

REFUSED = (401, 403, 404, 405, 410)  # the address or the secret is wrong: stop for this run


def signing_key(secret: str) -> bytes:
    """The HMAC key of a secret: base64 after ``whsec_``, else the secret's UTF-8 bytes."""
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret.removeprefix("whsec_"), validate=True)
        except ValueError:
            raise NotConfigured("webhook: the whsec_ secret is not base64") from None
    return secret.encode("utf-8")


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` value: ``v1,`` and the base64 HMAC-SHA256 of
    ``id.timestamp.body``."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(signing_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


class WebhookPublisher:
    """POSTs signed JSON to one address."""

    name = "webhook"

    def __init__(
        self, url: str, secret: str, *, timeout: float = 20.0, user_agent: str = "newsrelay"
    ) -> None:  # fmt: skip
        self.url = url
        self.secret = secret
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
        data = payload(delivery, sent_at)
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        message_id = f"{data['id']}:{delivery.version}"
        headers = {
            "Content-Type": "application/json",
            "webhook-id": message_id,
            "webhook-timestamp": str(sent_at),
            "webhook-signature": sign(self.secret, message_id, sent_at, body),
        }
        response = send(self.client, "POST", self.url, target=self.name,
                        content=body, headers=headers)  # fmt: skip
        if not response.is_success:
            raise PublishError(
                f"http_{response.status_code}",
                f"webhook: {self.url}: HTTP {response.status_code}: {answer_text(response)}",
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
    t = strings_for(story.language, source_language=story.source_language, engine=story.engine,
                    reviewed=story.reviewed)  # fmt: skip
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
