"""The WordPress publisher: stories pushed over the REST API (``/wp-json/wp/v2``, which needs
pretty permalinks), authenticated with an application password (HTTP Basic).

Each story in each language is one post, created once and updated after. Its slug is
``newsrelay-<story id>-<language>``, so a post created by a run that crashed before recording it
is found again instead of being created twice; once created, the post's id is kept in the store
and used from then on. The lead image is fetched through newsrelay's fetcher, uploaded first
(slug ``newsrelay-<story id>-<language>-<digest of its URL>``, so it is uploaded once and again
only when the image changes) and made the featured image; the section becomes a category and
the tags tags, each found by name or created. The body is what the story page shows: the
automatic-translation notice, the byline, the text, the source, its link, license, attribution
and engine. A withdrawn story's post goes back to ``draft`` (not the trash, which would rename
its slug and lose the link to the story); if the story returns, the post is published again.
"""

from __future__ import annotations

import hashlib
import html
import logging
import mimetypes
from typing import Any

import httpx

from newsrelay.config import Settings
from newsrelay.errors import FetchError, NotConfigured, PublishError
from newsrelay.markup import html_paragraphs
from newsrelay.model import StoryView
from newsrelay.publish.targets import (
    ONCE,
    Delivery,
    DeliveryState,
    Fetch,
    answer_text,
    send,
    story_html,
)

log = logging.getLogger(__name__)
ANY_STATUS = "publish,future,draft,pending,private"
EXCERPT = 300  # characters of the first paragraph used as the excerpt


class WordPressPublisher:
    """Creates and updates the posts of one WordPress site."""

    name = "wordpress"

    def __init__(
        self, url: str, user: str, password: str, *, fetch: Fetch, status: str = "publish",
        timeout: float = 20.0, user_agent: str = "newsrelay",
    ) -> None:  # fmt: skip
        self.api = url.rstrip("/") + "/wp-json/wp/v2"
        self.fetch = fetch
        self.status = status
        self.client = httpx.Client(
            timeout=timeout, auth=(user, password), headers={"User-Agent": user_agent}
        )
        self.terms: dict[tuple[str, str], int] = {}  # (kind, name folded) -> term id

    @classmethod
    def from_settings(cls, settings: Settings, fetch: Fetch) -> WordPressPublisher | None:
        """The site of ``publish.wordpress_url``; None without one."""
        config = settings.publish
        if not config.wordpress_url:
            return None
        if not (config.wordpress_user and config.wordpress_password):
            raise NotConfigured(
                "wordpress: set publish.wordpress_user and NEWSRELAY_PUBLISH_WORDPRESS_PASSWORD "
                "(an application password) to push to " + config.wordpress_url
            )
        return cls(
            config.wordpress_url, config.wordpress_user, config.wordpress_password, fetch=fetch,
            status=config.wordpress_status, timeout=settings.fetch.timeout,
            user_agent=settings.fetch.user_agent,
        )  # fmt: skip

    def deliver(self, delivery: Delivery) -> str | None:
        """Create or update the story's post (unpublish it when withdrawn); return its id."""
        if delivery.state is DeliveryState.WITHDRAWN or delivery.story is None:
            return self.withdraw(delivery)
        slug = post_slug(delivery)
        fields = self.post_fields(delivery.story, slug)
        post_id = delivery.remote_id or self.find("posts", slug)
        if post_id is not None:
            answer = self.call("POST", f"/posts/{post_id}", json=fields, missing_ok=True)
            if answer is not None:
                return str(answer["id"])
            log.warning("story %s (%s): post %s is gone from WordPress; creating it again",
                        delivery.story_id, delivery.language, post_id)  # fmt: skip
        created = self.call("POST", "/posts", json=fields, policy=ONCE)  # found by slug next run
        log.info("story %s (%s): WordPress post %s created", delivery.story_id,
                 delivery.language, created["id"])  # fmt: skip
        return str(created["id"])

    def withdraw(self, delivery: Delivery) -> str | None:
        """Put the story's post back to draft, if there is one."""
        post_id = delivery.remote_id or self.find("posts", post_slug(delivery))
        if post_id is None:
            return None
        answer = self.call("POST", f"/posts/{post_id}", json={"status": "draft"}, missing_ok=True)
        return None if answer is None else str(answer["id"])

    def post_fields(self, story: StoryView, slug: str) -> dict[str, Any]:
        """The post's fields: title, content, excerpt, slug, status, terms, featured image."""
        paragraphs = html_paragraphs(story.body_html)
        fields: dict[str, Any] = {
            "title": html.escape(story.title),  # WordPress takes the title as HTML
            "content": story_html(story),
            "excerpt": paragraphs[0][:EXCERPT] if paragraphs else "",
            "slug": slug,
            "status": self.status,
            "tags": [self.term("tags", tag) for tag in story.meta.tags if tag.strip()],
        }
        if story.meta.section and story.meta.section.strip():
            fields["categories"] = [self.term("categories", story.meta.section)]
        media = self.featured_media(story, slug)
        fields["featured_media"] = media or 0
        return fields

    def featured_media(self, story: StoryView, slug: str) -> int | None:
        """The id of the story's lead image in the media library, uploaded when not there yet.
        An image that cannot be had (gone, not an image) leaves the post without one."""
        image = story.meta.lead_image
        if not image:
            return None
        media_slug = f"{slug}-{hashlib.sha256(image.encode()).hexdigest()[:8]}"
        found = self.find("media", media_slug, status="inherit,private")
        if found is not None:
            return int(found)
        try:
            response = self.fetch(image)
        except FetchError as exc:
            if exc.transient:
                raise PublishError("image_unavailable", f"{image}: {exc}") from None
            log.warning("story %s: lead image %s not uploaded: %s", story.story_id, image, exc)
            return None
        if not response.content_type.startswith("image/"):
            log.warning("story %s: lead image %s is %s, not an image", story.story_id, image,
                        response.content_type)  # fmt: skip
            return None
        return self.upload(response.body, response.content_type, media_slug, story)

    def upload(self, body: bytes, content_type: str, slug: str, story: StoryView) -> int:
        """Upload an image with its caption, credit and alternative text; return its id."""
        extension = mimetypes.guess_extension(content_type) or ".img"
        caption = " ".join(
            part for part in (story.meta.image_caption, story.meta.image_credit) if part
        )
        params = {"slug": slug, "alt_text": story.meta.image_caption or story.title,
                  "caption": caption, "title": story.title}  # fmt: skip
        headers = {"Content-Type": content_type,
                   "Content-Disposition": f'attachment; filename="{slug}{extension}"'}  # fmt: skip
        answer = self.call(
            "POST", "/media", content=body, headers=headers, params=params, policy=ONCE
        )
        return int(answer["id"])

    def term(self, kind: str, name: str) -> int:
        """The id of the category or tag called ``name``, created when there is none."""
        name = name.strip()
        key = (kind, name.casefold())
        if key not in self.terms:
            self.terms[key] = self._find_term(kind, name) or self._create_term(kind, name)
        return self.terms[key]

    def _find_term(self, kind: str, name: str) -> int | None:
        found = self.call("GET", f"/{kind}", params={"search": name, "per_page": 100})
        for item in found:
            if html.unescape(item["name"]).casefold() == name.casefold():
                return int(item["id"])
        return None

    def _create_term(self, kind: str, name: str) -> int:
        response = send(self.client, "POST", f"{self.api}/{kind}", target=self.name,
                        json={"name": name})  # fmt: skip
        answer = _json(response)
        if response.status_code == 400 and answer.get("code") == "term_exists":
            return int(answer["data"]["term_id"])  # made meanwhile, or a name search missed
        return int(self._check(response, "POST", f"/{kind}")["id"])

    def find(self, kind: str, slug: str, status: str = ANY_STATUS) -> str | None:
        """The id of the post or media item with ``slug``, in any status."""
        found = self.call(
            "GET", f"/{kind}", params={"slug": slug, "status": status, "context": "edit"}
        )
        return str(found[0]["id"]) if found else None

    def call(self, method: str, path: str, *, missing_ok: bool = False, **kwargs: Any) -> Any:
        """A request to the REST API; its JSON answer (None for a 404 or 410 when
        ``missing_ok``)."""
        response = send(self.client, method, self.api + path, target=self.name, **kwargs)
        if missing_ok and response.status_code in (404, 410):
            return None
        return self._check(response, method, path)

    def _check(self, response: httpx.Response, method: str, path: str) -> Any:
        if response.status_code in (401, 403):
            raise PublishError(
                "unauthorized",
                f"wordpress: {method} {path}: HTTP {response.status_code}: the user or its "
                f"application password was refused ({_json(response).get('code', '')})",
                target_down=True,
            )
        if not response.is_success:
            raise PublishError(
                f"http_{response.status_code}",
                f"wordpress: {method} {path}: HTTP {response.status_code}: {answer_text(response)}",
            )
        try:
            return response.json()
        except ValueError:
            raise PublishError("bad_response", f"wordpress: {method} {path}: not JSON") from None

    def close(self) -> None:
        """Release the connections."""
        self.client.close()


def post_slug(delivery: Delivery) -> str:
    """The stable slug of a story's post: newsrelay's story id and the language."""
    return f"newsrelay-{delivery.story_id}-{delivery.language}"


def _json(response: httpx.Response) -> dict[str, Any]:
    try:
        answer = response.json()
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {}
