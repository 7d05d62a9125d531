"""Lead images mirrored into the site (``site.images = "mirror"``).

An image is fetched through newsrelay's fetcher (robots.txt, the size cap, per-host spacing), only
for the stories being published in this run, and stored under ``images/`` with a name made from a
digest of its bytes and the extension of its type, written atomically. A small index beside the
site's manifest remembers which source URL became which file, so a story published earlier keeps
its copy without another request. An image that cannot be fetched, or that is not a raster image,
is left out of the story (never hot-linked: the publisher chose that readers ask nothing of
another host), and the reason is logged with the story and the URL.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from pathlib import Path

from newsrelay.errors import FetchError
from newsrelay.ingest import Response
from newsrelay.model import StoryView
from newsrelay.publish.site import write_atomic

log = logging.getLogger(__name__)

FOLDER = "images"
INDEX = ".newsrelay-images.json"
EXTENSIONS = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/avif": ".avif",
}  # no SVG: it can carry scripts, and the site's own origin would serve them


class ImageMirror:
    """Copies lead images into the site's ``images/`` folder; ``site_url`` turns a path of the
    site into its public URL, and ``fetch`` is the fetcher's ``get``."""

    def __init__(
        self, output: Path, site_url: Callable[[str], str], fetch: Callable[[str], Response]
    ) -> None:
        self.output = output
        self.site_url = site_url
        self.fetch = fetch
        self.files = self._load_index()

    def apply(
        self, stories: Sequence[StoryView], *, publishing: Collection[int]
    ) -> list[StoryView]:
        """``stories`` with their lead images pointing at the site's copies. Images of the
        stories whose translation ids are in ``publishing`` are fetched when the site has no
        copy yet; the others keep the copy made when they were published, or show none."""
        known = dict(self.files)
        failed: set[str] = set()  # ask for a broken image once per run, not once per story
        for story in stories:
            image = story.meta.lead_image or ""
            new = bool(image) and image not in self.files and image not in failed
            if new and story.translation_id in publishing and not self._mirror(story, image):
                failed.add(image)
        if self.files != known:
            write_atomic(self.output / INDEX, json.dumps(self.files, indent=0, sort_keys=True))
        return [self._pointed(story) for story in stories]  # older stories too share a copy

    def _pointed(self, story: StoryView) -> StoryView:
        """The story with its lead image at the site's copy, or without one when the site has
        no copy."""
        if not story.meta.lead_image:
            return story
        name = self.files.get(story.meta.lead_image)
        if name is None or not (self.output / FOLDER / name).is_file():
            bare = replace(story.meta, lead_image=None, image_caption=None, image_credit=None)
            return replace(story, meta=bare)
        return replace(
            story, meta=replace(story.meta, lead_image=self.site_url(f"{FOLDER}/{name}"))
        )

    def _mirror(self, story: StoryView, url: str) -> bool:
        """Fetch and store one image; log why when it is left out instead."""
        try:
            response = self.fetch(url)
        except FetchError as exc:
            return self._left_out(story, url, exc.reason)
        kind = image_type(response.body, response.content_type)
        if kind is None:
            return self._left_out(story, url, f"not_an_image ({response.content_type or '?'})")
        name = hashlib.sha256(response.body).hexdigest()[:32] + EXTENSIONS[kind]
        target = self.output / FOLDER / name
        if not target.is_file():  # the same bytes already stored under another source URL
            write_atomic(target, response.body)
        self.files[url] = name
        log.info("story %d: lead image %s mirrored as %s/%s", story.story_id, url, FOLDER, name)
        return True

    def _left_out(self, story: StoryView, url: str, reason: str) -> bool:
        log.warning("story %d: lead image %s left out, not mirrored: %s",
                    story.story_id, url, reason)  # fmt: skip
        return False

    def _load_index(self) -> dict[str, str]:
        """Source URL to file name, as earlier builds left it; an unreadable index is empty."""
        try:
            files = json.loads((self.output / INDEX).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(files, dict):
            return {}
        return {str(k): str(v) for k, v in files.items()}


def image_type(body: bytes, declared: str) -> str | None:
    """The media type of an image's bytes: what their signature says (servers mislabel images,
    and an error page can come with an image type), else ``None`` for anything that is not a
    JPEG, PNG, GIF, WebP or AVIF image. ``declared`` settles nothing the bytes contradict."""
    sniffed = _sniff(body)
    if sniffed is None:
        return None
    if declared != sniffed and declared in EXTENSIONS:
        log.info("image declared as %s is %s", declared, sniffed)
    return sniffed


def _sniff(body: bytes) -> str | None:
    if body.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if body.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if body[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        return "image/webp"
    if body[4:8] == b"ftyp" and body[8:12] in (b"avif", b"avis"):
        return "image/avif"
    return None
