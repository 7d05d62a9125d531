"""Pages per source, section and tag, linked from story pages; feeds per source."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path

import feedparser
from publish_samples import links, story

from newsrelay.ingest import parse_feed
from newsrelay.model import StoryView
from newsrelay.publish import StaticSite
from newsrelay.publish.indexes import slugify

BASE = "http://127.0.0.1:8080/"


def stories() -> list[StoryView]:
    return [
        story(1, "es", "Lluvias", source="Wire A", section="Weather", tags=("Rain", "Valencia")),
        story(2, "es", "Presupuesto", age=timedelta(hours=1), source="Diario Económico",
              section="Economy", tags=("Valencia",)),
        story(3, "es", "Sequía", age=timedelta(hours=2), source="Wire A", section="Weather"),
        story(1, "ca", "Pluges", source="Wire A", section="Weather", tags=("Rain",)),
    ]  # fmt: skip


def build(tmp_path: Path) -> StaticSite:
    site = StaticSite(tmp_path, title="Relay", base_url=BASE)
    site.build(stories(), ["es", "ca"])
    return site


def test_slugs_are_ascii_and_stable() -> None:
    assert slugify("Diario Económico") == "diario-economico"
    assert slugify("  Rain / Flood!  ") == "rain-flood"
    assert slugify("経済") == slugify("経済") and re.fullmatch(r"x-[0-9a-f]{8}", slugify("経済"))


def test_indexes_per_source_section_and_tag(tmp_path: Path) -> None:
    build(tmp_path)
    expected = {
        "es/source/wire-a": ["../../story/1.html", "../../story/3.html"],
        "es/source/diario-economico": ["../../story/2.html"],
        "es/section/weather": ["../../story/1.html", "../../story/3.html"],
        "es/section/economy": ["../../story/2.html"],
        "es/tag/valencia": ["../../story/1.html", "../../story/2.html"],
        "es/tag/rain": ["../../story/1.html"],
        "ca/tag/rain": ["../../story/1.html"],
    }
    for folder, hrefs in expected.items():
        page = tmp_path / folder / "index.html"
        assert links(page) == hrefs, folder
        assert all((page.parent / href).resolve().is_file() for href in hrefs)
    assert (
        "<h1>Noticias de Diario Económico</h1>"
        in (tmp_path / "es/source/diario-economico/index.html").read_text()
    )
    assert "<h1>Etiqueta: Valencia</h1>" in (tmp_path / "es/tag/valencia/index.html").read_text()
    assert not (tmp_path / "ca/tag/valencia").exists()


def test_story_page_links_its_source_section_and_tags(tmp_path: Path) -> None:
    build(tmp_path)
    page = tmp_path / "es/story/1.html"
    labels = re.findall(r'<p class="labels">(.*?)</p>', page.read_text())[0]
    hrefs = re.findall(r'href="([^"]+)"', labels)
    assert hrefs == [
        "../source/wire-a/index.html",
        "../section/weather/index.html",
        "../tag/rain/index.html",
        "../tag/valencia/index.html",
    ]
    assert all((page.parent / href).resolve().is_file() for href in hrefs)
    assert 'rel="tag" lang="en">Valencia</a>' in labels and "Sección: <a" in labels


def test_feeds_per_source_parse_back_and_round_trip(tmp_path: Path) -> None:
    build(tmp_path)
    folder = tmp_path / "es/source/wire-a"
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((folder / name).read_bytes())
        assert not parsed.bozo, (name, parsed.get("bozo_exception"))
        assert parsed.feed.title == "Relay (es): Wire A"
        assert [(e.title, e.link, e.id) for e in parsed.entries] == [
            ("Lluvias", f"{BASE}es/story/1.html", guid(name, 1)),
            ("Sequía", f"{BASE}es/story/3.html", guid(name, 3)),
        ]
    feed = json.loads((folder / "feed.json").read_text())
    assert feed["feed_url"] == f"{BASE}es/source/wire-a/feed.json"
    assert [item["id"] for item in feed["items"]] == ["newsrelay:es:1", "newsrelay:es:3"]
    polled = parse_feed((folder / "feed.json").read_bytes(), feed["feed_url"])
    assert [e.url for e in polled.entries] == [f"{BASE}es/story/1.html", f"{BASE}es/story/3.html"]


def guid(feed: str, story_id: int) -> str:
    if feed == "atom.xml":
        return f"tag:newsrelay,2026:es/{story_id}"
    return f"newsrelay:es:{story_id}"


def test_section_and_tag_pages_point_at_the_language_feeds(tmp_path: Path) -> None:
    build(tmp_path)
    page = (tmp_path / "es/tag/valencia/index.html").read_text()
    assert '<a href="../../feed.xml">RSS</a>' in page
    assert not (tmp_path / "es/tag/valencia/feed.xml").exists()
    assert '<a href="../../index.html">Últimas noticias</a>' in page  # the language's front page
