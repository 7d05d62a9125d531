"""A small site with everything a story page can show, for the validation and browser tests."""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from publish_samples import story

from newsrelay.model import Metadata, StoryView
from newsrelay.publish import StaticSite

BASE = "http://127.0.0.1:8080/"
LANGUAGES = ("es", "ca")


def sample_stories(image: str = "http://127.0.0.1:9/img.jpg") -> list[StoryView]:
    """Story 1 in Spanish and Catalan with every field filled (standfirst, author, both dates, a
    lead image with caption and credit); story 2 from another source, with no author or image;
    story 3 three days old (out of the news sitemap)."""
    full = Metadata(
        standfirst="The council backs the plan.", authors=("Ana Ruiz",),
        published="2026-11-27T08:30:00+01:00", updated="2026-11-28T09:15:00+01:00",
        lead_image=image, image_caption="The river at dawn.", image_credit="Photo: Luis Gil",
        section="Economy", tags=("Rivers", "Council"),
    )  # fmt: skip
    first = replace(story(1, "es", "Árboles para el río"), meta=full)
    return [
        first,
        replace(story(1, "ca", "Arbres per al riu"), meta=full),
        replace(
            story(2, "es", "Nueva línea de ferry", source="Wire B"),
            meta=Metadata(published="2026-11-26T10:00:00+00:00"),
            license="All rights reserved, republished by agreement",
        ),
        replace(
            story(3, "es", "Noticia antigua", age=timedelta(days=3)),
            meta=Metadata(published="2026-11-20T10:00:00+00:00"),
        ),
    ]


def build_sample_site(folder: Path, base_url: str = BASE, **kwargs: str) -> StaticSite:
    """Build the sample stories into ``folder``."""
    site = StaticSite(folder, title="Relay", base_url=base_url)
    site.build(sample_stories(**kwargs), LANGUAGES)
    return site


def png(width: int = 640, height: int = 360, rgb: tuple[int, int, int] = (40, 110, 160)) -> bytes:
    """A valid PNG image of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    rows = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
