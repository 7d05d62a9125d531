"""The static site: story pages with structured data, feeds in three formats, sitemaps."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import feedparser
import lxml.etree
from publish_samples import links, story

from newsrelay.ingest import parse_feed
from newsrelay.model import Metadata
from newsrelay.publish import StaticSite
from newsrelay.publish.indexes import PAGE_SIZE


def build(tmp_path: Path) -> StaticSite:
    site = StaticSite(tmp_path, title="Relay", base_url="http://127.0.0.1:8080/")
    stories = [
        story(1, "es", "Noticia </script> uno"),
        story(1, "ca", "Notícia u"),
        story(2, "es", "Noticia antigua", age=timedelta(days=3)),
    ]
    site.build(stories, ["es", "ca"])
    return site


def test_story_page_structured_data_and_alternates(tmp_path: Path) -> None:
    build(tmp_path)
    page = (tmp_path / "es/story/1.html").read_text()
    assert '<link rel="canonical" href="http://127.0.0.1:8080/es/story/1.html">' in page
    assert 'hreflang="ca" href="http://127.0.0.1:8080/ca/story/1.html"' in page
    assert '<meta property="og:image" content="http://127.0.0.1:9/img.jpg">' in page
    assert '<time datetime="2026-11-27T08:30:00+01:00">27 de noviembre de 2026</time>' in page
    [raw] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    data = json.loads(raw)
    assert data["@type"] == "NewsArticle" and data["headline"] == "Noticia </script> uno"
    assert data["inLanguage"] == "es"
    assert data["datePublished"] == "2026-11-27T08:30:00+01:00"
    assert data["author"] == [{"@type": "Person", "name": "Ana Ruiz"}]
    assert data["publisher"]["name"] == "Relay" and data["image"] == "http://127.0.0.1:9/img.jpg"
    assert data["isBasedOn"] == "http://127.0.0.1:9/news/1.html"
    assert data["translationOfWork"]["inLanguage"] == "en"
    assert data["translator"] == {"@type": "SoftwareApplication", "name": "apertium"}


def test_feeds_parse_back_and_round_trip(tmp_path: Path) -> None:
    build(tmp_path)
    for name in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse((tmp_path / "es" / name).read_bytes())
        assert not parsed.bozo, (name, parsed.get("bozo_exception"))
        assert [e.title for e in parsed.entries] == ["Noticia </script> uno", "Noticia antigua"]
        assert parsed.entries[0].link == "http://127.0.0.1:8080/es/story/1.html"
    atom = feedparser.parse((tmp_path / "es/atom.xml").read_bytes())
    assert atom.entries[0].source.title == "Wire A"
    feed = json.loads((tmp_path / "es/feed.json").read_text())
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [i["id"] for i in feed["items"]] == ["newsrelay:es:1", "newsrelay:es:2"]
    # the JSON Feed reads back through newsrelay's own poller
    assert [e.url for e in parse_feed((tmp_path / "es/feed.json").read_bytes(), "http://x").entries] == [
        "http://127.0.0.1:8080/es/story/1.html", "http://127.0.0.1:8080/es/story/2.html",
    ]  # fmt: skip


def test_sitemaps(tmp_path: Path) -> None:
    build(tmp_path)
    index = parse_feed((tmp_path / "sitemap.xml").read_bytes(), "http://127.0.0.1:8080/sitemap.xml")
    assert index.sitemaps == [
        "http://127.0.0.1:8080/sitemap-es.xml",
        "http://127.0.0.1:8080/sitemap-ca.xml",
        "http://127.0.0.1:8080/news-sitemap.xml",
    ]
    news = parse_feed((tmp_path / "news-sitemap.xml").read_bytes(), "http://127.0.0.1:8080/")
    assert sorted(e.title for e in news.entries) == [
        "Noticia </script> uno",
        "Notícia u",
    ]  # not the old one
    tree = lxml.etree.parse(str(tmp_path / "sitemap-es.xml"))
    links = tree.findall(".//{http://www.w3.org/1999/xhtml}link")
    assert {link.get("hreflang") for link in links} == {"es", "ca"}
    assert "Sitemap: http://127.0.0.1:8080/sitemap.xml" in (tmp_path / "robots.txt").read_text()


def test_dates_in_the_readers_language() -> None:
    from newsrelay.publish.strings import local_date

    assert local_date("2026-04-03T10:00:00+02:00", "ca") == "3 d’abril del 2026"  # noqa: RUF001
    assert local_date("2026-11-27", "de") == "27. November 2026"
    assert local_date("2026-11-27", "en") == "November 27, 2026"
    assert local_date("2026-11-27", "eu") == "2026(e)ko azaroaren 27(a)"  # CLDR, any language
    assert local_date("2026-11-27", "uk") == "27 листопада 2026\u202fр."  # noqa: RUF001
    assert local_date("not a date", "es") == ""


def test_indexes_are_paginated_from_the_oldest_story(tmp_path: Path) -> None:
    site = StaticSite(tmp_path, title="Relay", base_url="http://127.0.0.1:8080/")
    stories = [
        story(n, "es", f"Noticia {n}", age=timedelta(minutes=n)) for n in range(PAGE_SIZE * 3)
    ]
    site.build(stories, ["es"])
    index, first, second = (
        tmp_path / "es" / n for n in ("index.html", "page-1.html", "page-2.html")
    )
    assert [links(p) for p in (index, second, first)] == [
        [f"story/{n}.html" for n in range(k * PAGE_SIZE, (k + 1) * PAGE_SIZE)] for k in range(3)
    ]  # the newest first; page-1 holds the oldest stories
    assert 'href="page-2.html" rel="next"' in index.read_text()
    assert 'href="index.html" rel="prev"' in second.read_text()
    assert 'href="page-1.html" rel="next"' in second.read_text()
    assert (
        'href="page-2.html" rel="prev"' in first.read_text()
        and 'rel="next"' not in first.read_text()
    )
    assert not (tmp_path / "es/page-3.html").exists()

    site.build([*stories, story(99, "es", "Una más")], ["es"])  # one more: the front page grows
    assert len(links(index)) == PAGE_SIZE + 1 and not (tmp_path / "es/page-3.html").exists()


def test_newest_story_first_by_the_source_date(tmp_path: Path) -> None:
    site = StaticSite(tmp_path, title="Relay", base_url="http://127.0.0.1:8080/")
    older = replace(story(1, "es", "Antigua"), meta=Metadata(published="2026-11-20T10:00:00+00:00"))
    newer = replace(
        story(2, "es", "Reciente"), meta=Metadata(published="2026-11-26T10:00:00+00:00")
    )
    site.build([older, newer], ["es"])  # translated in the other order
    titles = [e.title for e in feedparser.parse((tmp_path / "es/feed.xml").read_bytes()).entries]
    assert titles == ["Reciente", "Antigua"]


def test_social_locale_feed_images_and_the_review_state(tmp_path: Path) -> None:
    site = StaticSite(tmp_path, title="Relay", base_url="http://127.0.0.1:8080/")
    reviewed = replace(story(1, "es", "Noticia revisada"), reviewed=True)
    site.build([reviewed, story(1, "ca", "Notícia u")], ["es", "ca"])
    page = (tmp_path / "es/story/1.html").read_text()
    assert '<meta property="og:locale" content="es_ES">' in page
    assert '<meta property="og:locale:alternate" content="ca_ES">' in page
    assert "revisada después por un editor" in page and "no ha sido revisada" not in page
    rss = feedparser.parse((tmp_path / "es/feed.xml").read_bytes())
    [entry] = rss.entries
    assert entry.media_content[0]["url"] == "http://127.0.0.1:9/img.jpg"
    assert [t.term for t in entry.tags] == ["reviewed"]
    assert "revisada después por un editor" in entry.description  # the notice, in the item
    assert "Wire A" in entry.description  # and the source's credit
    atom = feedparser.parse((tmp_path / "ca/atom.xml").read_bytes())
    assert [t.term for t in atom.entries[0].tags] == ["automatic"]
    assert any(link.rel == "enclosure" for link in atom.entries[0].links)
    json_feed = json.loads((tmp_path / "es/feed.json").read_text())
    assert json_feed["items"][0]["_newsrelay"]["reviewed"] is True


def test_the_root_404_and_about_pages(tmp_path: Path) -> None:
    site = StaticSite(tmp_path, title="Relay", base_url="http://127.0.0.1:8080/")
    site.build([story(1, "es", "Noticia uno")], ["es"])
    root = (tmp_path / "index.html").read_text()
    assert 'http-equiv="refresh" content="0; url=es/index.html"' in root  # one language
    assert '<link rel="canonical" href="http://127.0.0.1:8080/es/index.html">' in root
    missing = (tmp_path / "404.html").read_text()
    assert "Página no encontrada" in missing and 'href="/es/story/1.html"' in missing
    about = (tmp_path / "es/about.html").read_text()
    assert "Acerca de este sitio" in about and "Wire A" in about and "apertium" in about
    assert 'href="../es/about.html"' in (tmp_path / "es/index.html").read_text()
    assert 'href="../../es/about.html"' in (tmp_path / "es/story/1.html").read_text()
    both = StaticSite(tmp_path / "two", title="Relay", base_url="http://127.0.0.1:8080/")
    both.build([story(1, "es", "Noticia"), story(1, "ca", "Notícia")], ["es", "ca"])
    assert 'hreflang="ca"' in (tmp_path / "two/index.html").read_text()  # a chooser


def test_the_sites_own_images_are_linked_relatively(tmp_path: Path) -> None:
    site = StaticSite(tmp_path, title="Relay", base_url="https://news.example.org/")
    mirrored = story(1, "es", "Noticia")
    mirrored = replace(mirrored, meta=replace(mirrored.meta,
                                              lead_image="https://news.example.org/images/a.jpg"))  # fmt: skip
    site.build([mirrored, story(2, "es", "Otra")], ["es"])
    page = (tmp_path / "es/story/1.html").read_text()
    assert '<img src="../../images/a.jpg"' in page  # from disk or any host
    assert '<meta property="og:image" content="https://news.example.org/images/a.jpg">' in page
    hotlinked = (tmp_path / "es/story/2.html").read_text()
    assert '<img src="http://127.0.0.1:9/img.jpg"' in hotlinked
