"""Lead images mirrored into the site through newsrelay's fetcher, or left out when that fails."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from publish_samples import story
from site_samples import BASE, png

from conftest import WriteSettings
from mockserver import MockServer, article_page, rss
from newsrelay import Store, run_once
from newsrelay.config import FetchSettings
from newsrelay.ingest import Fetcher
from newsrelay.model import Metadata, Source, StoryView
from newsrelay.publish import ImageMirror, StaticSite
from sitepages import story_text

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(
        FetchSettings(
            allow_addresses=["127.0.0.1"], delay=0.0, backoff=0.01, timeout=2.0, retries=0
        )
    ) as f:
        yield f


def with_image(story_id: int, url: str) -> StoryView:
    return replace(story(story_id, "es", f"Noticia {story_id}"),
                   meta=Metadata(lead_image=url, image_caption="A harbour."))  # fmt: skip


def mirror(folder: Path, fetcher: Fetcher) -> ImageMirror:
    site = StaticSite(folder, title="Relay", base_url=BASE)
    return ImageMirror(folder, site.url, fetcher.get)


def test_a_mirrored_image_is_stored_by_its_digest_and_pointed_at(
    tmp_path: Path, server: MockServer, fetcher: Fetcher
) -> None:
    image = png(8, 8)
    photo = server.route("/photos/harbour", image, headers={"Content-Type": "image/png"})
    jpeg = server.route("/photos/boat.jpeg", JPEG, headers={"Content-Type": "image/jpeg"})
    stories = [with_image(1, photo), with_image(2, jpeg), with_image(3, photo)]

    mirrored = mirror(tmp_path, fetcher).apply(
        stories, publishing={s.translation_id for s in stories}
    )

    name = hashlib.sha256(image).hexdigest()[:32] + ".png"
    assert (tmp_path / "images" / name).read_bytes() == image
    assert mirrored[0].meta.lead_image == mirrored[2].meta.lead_image == f"{BASE}images/{name}"
    assert (
        mirrored[1].meta.lead_image == f"{BASE}images/{hashlib.sha256(JPEG).hexdigest()[:32]}.jpg"
    )
    assert server.hits["/photos/harbour"] == 1  # one request for two stories
    assert not list(tmp_path.rglob("*.tmp"))

    StaticSite(tmp_path, title="Relay", base_url=BASE).build(mirrored, ["es"])
    page = (tmp_path / "es/story/1.html").read_text()
    assert f'<img src="../../images/{name}"' in page  # relative: the folder works anywhere
    assert f'<meta property="og:image" content="{BASE}images/{name}">' in page
    assert f'"image": "{BASE}images/{name}"' in page  # JSON-LD
    feed = json.loads((tmp_path / "es/feed.json").read_text())
    assert {i["image"] for i in feed["items"]} == {
        f"{BASE}images/{name}",
        mirrored[1].meta.lead_image,
    }
    assert photo not in page and photo not in (tmp_path / "es/feed.json").read_text()


def test_images_are_fetched_only_for_the_stories_being_published(
    tmp_path: Path, server: MockServer, fetcher: Fetcher
) -> None:
    photo = server.route("/photo.png", png(4, 4), headers={"Content-Type": "image/png"})
    published_before = with_image(1, photo)
    [bare] = mirror(tmp_path, fetcher).apply([published_before], publishing=set())
    assert bare.meta.lead_image is None  # no copy: no image, and nothing asked for
    assert "/photo.png" not in server.hits

    new = with_image(2, photo)
    first = mirror(tmp_path, fetcher).apply(
        [published_before, new], publishing={new.translation_id}
    )
    assert (
        first[0].meta.lead_image == first[1].meta.lead_image != photo
    )  # the same file serves both
    again = mirror(tmp_path, fetcher).apply([published_before, new], publishing=set())
    assert again == first and server.hits["/photo.png"] == 1  # a later build reuses the copy


def test_an_image_that_cannot_be_mirrored_is_left_out_with_the_reason_logged(
    tmp_path: Path, server: MockServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.route("/robots.txt", "User-agent: *\nDisallow: /private/\n",
                 headers={"Content-Type": "text/plain"})  # fmt: skip
    urls = {
        "http_404": server.url("/photos/missing.jpg"),
        "robots_disallowed": server.route("/private/photo.png", png(4, 4),
                                          headers={"Content-Type": "image/png"}),
        "not_an_image": server.route("/photos/error.jpg", "<html>oops</html>",
                                     headers={"Content-Type": "image/jpeg"}),
        "too_large": server.route("/photos/huge.png", png(400, 400, (1, 2, 3)) + b"\0" * 600_000,
                                  headers={"Content-Type": "image/png"}),
    }  # fmt: skip
    stories = [with_image(n, url) for n, url in enumerate(urls.values())]
    settings = FetchSettings(
        allow_addresses=["127.0.0.1"], delay=0.0, timeout=2.0, retries=0, max_bytes=500_000
    )

    with caplog.at_level(logging.WARNING), Fetcher(settings) as fetcher:
        result = mirror(tmp_path, fetcher).apply(
            stories, publishing={s.translation_id for s in stories}
        )

    assert [s.meta.lead_image for s in result] == [None] * len(stories)  # none hot-linked
    assert not (tmp_path / "images").exists()
    for (reason, url), s in zip(urls.items(), stories, strict=True):
        [line] = [r.getMessage() for r in caplog.records if url in r.getMessage()]
        assert f"story {s.story_id}: lead image {url} left out, not mirrored: {reason}" in line


@pytest.mark.usefixtures("apertium_eng_spa")
def test_run_with_mirrored_images(server: MockServer, write_settings: WriteSettings) -> None:
    photo = server.route("/photos/trees.png", png(16, 9), headers={"Content-Type": "image/png"})
    page = article_page("Trees for the river", [
        "The city council of Lakeside approved a plan on Tuesday to plant 2,000 trees along the river before the end of next year.",
        "The mayor said the trees would protect the banks from floods and give shade to people who walk along the water in summer.",
    ]).replace("<title>", f'<meta property="og:image" content="{photo}"><title>')  # fmt: skip
    link = server.route("/news/trees.html", page)
    feed = server.route("/feed.xml", rss([("Trees", link)]))
    settings = write_settings([Source(name="Gazette", url=feed, license="CC BY 4.0")],
                              {"site.images": "mirror"})  # fmt: skip
    store = Store.open(settings.store_url)

    report = run_once(settings, store)

    assert report.counts["publish"] == {"ok": 1}
    [copy] = (settings.output_dir / "images").iterdir()
    assert copy.suffix == ".png" and copy.read_bytes() == png(16, 9)
    html = story_text(settings.output_dir, "es")  # es/YYYY/MM/DD/...: four folders down
    assert f'src="../../../../images/{copy.name}"' in html and photo not in html
    assert server.hits["/photos/trees.png"] == 1
    files = {p: p.stat().st_mtime_ns for p in settings.output_dir.rglob("*")}
    run_once(settings, store)  # nothing new: no image asked for again, no file written
    assert server.hits["/photos/trees.png"] == 1
    assert {p: p.stat().st_mtime_ns for p in settings.output_dir.rglob("*")} == files
    store.close()
