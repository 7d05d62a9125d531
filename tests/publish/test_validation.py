"""The site's feeds, sitemaps and structured data, checked against their formats.

Feeds parse back without problems and round-trip their items; the JSON Feed validates against a
JSON Schema for JSON Feed 1.1, the sitemaps against XSDs of the sitemap protocol, its Google
News extension and its xhtml:link alternates. The schemas in ``tests/fixtures/schemas/`` were
written for newsrelay from the published specifications (each file's header says which), since
none can be downloaded here.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser
import jsonschema
import lxml.etree
import lxml.html
import pytest
from publish_samples import NOW, story
from site_samples import BASE, LANGUAGES, build_sample_site, sample_stories

from newsrelay.ingest import parse_feed
from newsrelay.model import StoryView
from newsrelay.publish import StaticSite
from newsrelay.publish.indexes import slugify

SCHEMAS = Path(__file__).parents[1] / "fixtures" / "schemas"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
FOLDERS = ["es", "ca", "es/source/wire-a", "es/source/wire-b", "ca/source/wire-a"]
FEEDS = [f"{folder}/{name}" for folder in FOLDERS for name in ("feed.xml", "atom.xml", "feed.json")]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    build_sample_site(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def feed_schema() -> jsonschema.protocols.Validator:
    schema = json.loads((SCHEMAS / "jsonfeed-1.1.schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture(scope="module")
def sitemap_schema() -> lxml.etree.XMLSchema:
    return lxml.etree.XMLSchema(lxml.etree.parse(str(SCHEMAS / "sitemap.xsd")))


def shown_in(feed: str, stories: list[StoryView]) -> list[StoryView]:
    """The stories a feed of the sample site must carry, newest first."""
    language, *rest = feed.split("/")[:-1]
    chosen = [s for s in stories if s.language == language]
    if rest:
        chosen = [s for s in chosen if slugify(s.source_name) == rest[1]]
    return sorted(chosen, key=lambda s: s.meta.published or "", reverse=True)


def guid(feed: str, story: StoryView) -> str:
    if feed.endswith("atom.xml"):
        return f"tag:newsrelay,2026:{story.language}/{story.story_id}"
    return f"newsrelay:{story.language}:{story.story_id}"


def test_every_feed_of_the_site_is_checked(site: Path) -> None:
    found = {str(p.relative_to(site)) for n in ("feed.xml", "atom.xml", "feed.json")
             for p in site.rglob(n)}  # fmt: skip
    assert found == set(FEEDS)


@pytest.mark.parametrize("feed", FEEDS)
def test_feeds_parse_back_and_round_trip_their_items(site: Path, feed: str) -> None:
    body = (site / feed).read_bytes()
    if not feed.endswith(".json"):  # feedparser 6.0 reads no JSON Feed: newsrelay's poller does
        parsed = feedparser.parse(body)
        assert not parsed.bozo, parsed.get("bozo_exception")
        assert parsed.version == ("atom10" if feed.endswith("atom.xml") else "rss20")
        sources = [e.source.get("href") or e.source.get("link") for e in parsed.entries]
    else:
        sources = [i["_newsrelay"]["source_url"] for i in json.loads(body)["items"]]
    result = parse_feed(body, BASE + feed)
    assert result.warnings == []
    expected = shown_in(feed, sample_stories())
    got = [(e.guid, e.url, e.title, e.published) for e in result.entries]
    assert got == [
        (guid(feed, s), BASE + f"{s.language}/story/{s.story_id}.html", s.title,
         s.created_at.replace(tzinfo=UTC, microsecond=0))
        for s in expected
    ]  # fmt: skip
    assert sources == [s.original_url for s in expected]


def test_atom_entries_carry_source_rights_and_a_license_link(site: Path) -> None:
    entries = feedparser.parse((site / "es/atom.xml").read_bytes()).entries
    licenses = [[link.href for link in e.links if link.rel == "license"] for e in entries]
    assert licenses == [
        ["https://creativecommons.org/licenses/by/4.0/"],
        [BASE + "es/story/2.html#license"],  # a license with no address: the page states it
        ["https://creativecommons.org/licenses/by/4.0/"],
    ]
    assert entries[0].rights == "CC BY 4.0 From Wire A."
    assert [e.source.title for e in entries] == ["Wire A", "Wire B", "Wire A"]


def test_guids_stay_the_same_when_a_story_is_updated(tmp_path: Path) -> None:
    stories = sample_stories()
    site = StaticSite(tmp_path, title="Relay", base_url=BASE)
    site.build(stories, LANGUAGES)
    before = {f: [e.guid for e in parse_feed((tmp_path / f).read_bytes(), BASE).entries]
              for f in FEEDS}  # fmt: skip
    updated = replace(stories[0], translation_id=999, title="Árboles para el río, ampliado",
                      created_at=NOW + timedelta(minutes=5))  # fmt: skip
    site.build([updated, *stories[1:]], LANGUAGES)
    for feed in FEEDS:
        entries = parse_feed((tmp_path / feed).read_bytes(), BASE).entries
        assert [e.guid for e in entries] == before[feed], feed
    titles = [e.title for e in parse_feed((tmp_path / "es/feed.xml").read_bytes(), BASE).entries]
    assert titles[0] == "Árboles para el río, ampliado"


@pytest.mark.parametrize("folder", FOLDERS)
def test_json_feed_validates_against_the_json_feed_schema(
    site: Path, folder: str, feed_schema: jsonschema.protocols.Validator
) -> None:
    feed = json.loads((site / folder / "feed.json").read_text())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in feed_schema.iter_errors(feed)]
    assert errors == []
    assert all(item["image"] == "http://127.0.0.1:9/img.jpg" for item in feed["items"]
               if item["id"].endswith(":1"))  # fmt: skip


def test_the_json_feed_schema_is_strict(
    site: Path, feed_schema: jsonschema.protocols.Validator
) -> None:
    feed = json.loads((site / "es/feed.json").read_text())
    del feed["items"][0]["id"]
    feed["items"][1]["date_published"] = "27 Nov 2026"
    feed["items"][2]["content"] = "not a JSON Feed field"
    feed["version"] = "https://jsonfeed.org/version/1"
    assert len(list(feed_schema.iter_errors(feed))) == 4


@pytest.mark.parametrize("name", ["sitemap.xml", "sitemap-es.xml", "sitemap-ca.xml",
                                  "news-sitemap.xml"])  # fmt: skip
def test_sitemaps_validate_against_their_xsd(
    site: Path, name: str, sitemap_schema: lxml.etree.XMLSchema
) -> None:
    tree = lxml.etree.parse(str(site / name))
    assert sitemap_schema.validate(tree), sitemap_schema.error_log


def test_the_sitemap_index_lists_every_sitemap_of_the_site(site: Path) -> None:
    listed = parse_feed((site / "sitemap.xml").read_bytes(), BASE).sitemaps
    assert listed == [BASE + "sitemap-es.xml", BASE + "sitemap-ca.xml", BASE + "news-sitemap.xml"]
    assert all((site / url.removeprefix(BASE)).is_file() for url in listed)
    robots = (site / "robots.txt").read_text().splitlines()
    assert robots == ["User-agent: *", "Allow: /", f"Sitemap: {BASE}sitemap.xml"]


@pytest.mark.parametrize(
    ("name", "edits", "complaint"),
    [
        ("news-sitemap.xml", {"news:title>": "news:titel>"}, "titel"),  # a misspelt extension
        ("news-sitemap.xml", {"<news:language>es<": "<news:language>Spanish<"}, "language"),
        ("sitemap-es.xml", {'hreflang="ca" ': ""}, "hreflang"),  # an alternate with no language
        ("sitemap-es.xml", {"<loc>http://": "<loc>//"}, "loc"),  # a URL that is not absolute
        ("sitemap.xml", {"<sitemap><loc>": "<sitemap><lastmod>soon</lastmod><loc>"}, "lastmod"),
    ],
)
def test_the_sitemap_xsds_are_strict(
    site: Path, sitemap_schema: lxml.etree.XMLSchema, name: str, edits: dict[str, str],
    complaint: str,
) -> None:  # fmt: skip
    text = (site / name).read_text()
    for before, after in edits.items():
        assert before in text
        text = text.replace(before, after, 2)  # an element's start and end tags
    assert not sitemap_schema.validate(lxml.etree.fromstring(text.encode()))
    assert complaint in str(sitemap_schema.error_log)


def test_news_sitemap_lists_at_most_1000_stories_of_the_last_48_hours(
    tmp_path: Path, sitemap_schema: lxml.etree.XMLSchema
) -> None:
    fresh = [story(n, "es", f"Noticia {n}", age=timedelta(minutes=n)) for n in range(1002)]
    stale = story(5000, "es", "Antigua", age=timedelta(hours=49))
    StaticSite(tmp_path, title="Relay", base_url=BASE).build([*fresh, stale], ["es"])
    tree = lxml.etree.parse(str(tmp_path / "news-sitemap.xml"))
    assert sitemap_schema.validate(tree), sitemap_schema.error_log
    dates = [datetime.fromisoformat(d.text) for d in tree.iter(f"{NEWS}publication_date")]
    assert len(dates) == 1000 and dates == sorted(dates, reverse=True)
    assert min(dates) > datetime.now(UTC) - timedelta(hours=48)
    titles = {t.text for t in tree.iter(f"{NEWS}title")}
    assert "Noticia 0" in titles and "Noticia 1001" not in titles and "Antigua" not in titles


def test_structured_data_carries_every_field_of_a_news_article(site: Path) -> None:
    tree = lxml.html.fromstring((site / "es/story/1.html").read_bytes())
    [raw] = tree.xpath("//script[@type='application/ld+json']/text()")
    data = json.loads(raw)
    assert {k: data[k] for k in ("@context", "@type", "headline", "inLanguage", "url")} == {
        "@context": "https://schema.org", "@type": "NewsArticle",
        "headline": "Árboles para el río", "inLanguage": "es", "url": BASE + "es/story/1.html",
    }  # fmt: skip
    assert data["datePublished"] == "2026-11-27T08:30:00+01:00"
    assert data["dateModified"] == "2026-11-28T09:15:00+01:00"
    assert data["author"] == [{"@type": "Person", "name": "Ana Ruiz"}]
    assert data["publisher"] == {"@type": "Organization", "name": "Relay", "url": BASE}
    assert data["image"] == "http://127.0.0.1:9/img.jpg"
    assert data["isBasedOn"] == "http://127.0.0.1:9/news/1.html"
    assert data["translationOfWork"] == {
        "@type": "NewsArticle", "url": "http://127.0.0.1:9/news/1.html",
        "headline": "Original headline", "inLanguage": "en",
    }  # fmt: skip
    assert data["translator"] == {"@type": "SoftwareApplication", "name": "apertium"}
    assert data["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert data["creditText"] == "From Wire A."
    # a story with no author names its source; one with no image has none
    [raw] = lxml.html.fromstring((site / "es/story/2.html").read_bytes()).xpath(
        "//script[@type='application/ld+json']/text()"
    )
    other = json.loads(raw)
    assert other["author"] == [{"@type": "Organization", "name": "Wire B"}]
    assert "image" not in other and other["license"].startswith("All rights reserved")
