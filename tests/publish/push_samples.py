"""A source for the push tests: a feed with one story whose page names a lead image (served as a
real PNG), a section and tags; and a way to run the whole pipeline over it."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from typing import Any

from mockserver import MockServer, rss
from newsrelay import Settings, Source, Store, load_settings
from newsrelay.config import render_config

STORY = [
    "The city council of Lakeside approved a plan on Tuesday to plant 2,000 trees along the river before the end of next year.",
    "The mayor said the trees would protect the banks from floods and give shade to people who walk along the water in summer.",
]
SECTION = "Environment"
TAGS = ("Rivers", "Trees")
FAST = {"fetch.delay": 0.0, "fetch.backoff": 0.05, "fetch.timeout": 5.0,
        "fetch.allow_addresses": ["127.0.0.1"]}  # fmt: skip


def png(size: int = 16) -> bytes:
    """A small, valid, green PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + b"\x20\xa0\x40" * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))  # fmt: skip


def story_page(image: str) -> str:
    body = "".join(f"<p>{p}</p>" for p in STORY)
    tags = "".join(f'<meta property="article:tag" content="{t}">' for t in TAGS)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Trees for the river</title>'
        f'<meta property="og:image" content="{image}"><meta property="og:image:alt" content="Young trees by the river">'
        f'<meta property="article:section" content="{SECTION}">{tags}'
        '<meta name="author" content="Ann Writer"></head><body><nav><a href="/">Home</a></nav>'
        f"<article><h1>Trees for the river</h1>{body}</article><footer>© Gazette</footer></body></html>"
    )


@dataclass
class Served:
    """The feed's address and the image's path on the mock server."""

    feed: str
    image_path: str


def serve_story(server: MockServer) -> Served:
    """Serve the story, its image and a feed listing it."""
    image = server.route("/img/trees.png", png(), headers={"Content-Type": "image/png"})
    link = server.route("/news/trees.html", story_page(image))
    feed = server.route("/feed.xml", rss([("Trees for the river", link)]),
                        headers={"Content-Type": "application/rss+xml"})  # fmt: skip
    return Served(feed, "/img/trees.png")


def settings_for(tmp: Any, feed: str, env: dict[str, str], **overrides: object) -> Settings:
    """Settings of a site in ``tmp`` with the feed as its only source; secrets from ``env``."""
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / "newsrelay.toml"
    source = Source(name="Gazette", url=feed, license="CC BY 4.0",
                    attribution="Republished from the Gazette under CC BY 4.0.")  # fmt: skip
    path.write_text(render_config([source]), encoding="utf-8")
    return load_settings(path, environ=env, overrides=FAST | overrides)


def open_store(settings: Settings) -> Store:
    return Store.open(settings.store_url)
