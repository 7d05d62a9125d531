"""End to end: published stories whose source page changes, disappears or is retracted.

The feed stays the same throughout: the changes are caught by the recheck stage's conditional
GETs of published pages, made due at once with ``Store.recheck_now`` (the same thing as
``newsrelay recheck``) instead of waiting for the schedule.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import feedparser
import pytest
from lxml import etree, html

from conftest import WriteSettings
from mockserver import MockServer, article_page, rss
from newsrelay import Store, run_once
from newsrelay.config import Settings
from newsrelay.model import EntryStatus, Source
from newsrelay.pipeline import next_check
from sitepages import story_page, story_text

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")

TREES = [
    "The city council of Lakeside approved a plan on Tuesday to plant 2,000 trees along the river before the end of next year.",
    "The mayor said the trees would protect the banks from floods and give shade to people who walk along the water in summer.",
]
TREES_REVISED = [
    TREES[0],
    "The mayor said the work would start in March and that volunteers from the schools of the town would help.",
]
FERRY = [
    "A new ferry line will link the harbour of Lakeside with the three islands from next spring, the port said.",
    "Tickets will cost 4 dollars for adults, and children under twelve will travel free of charge.",
]
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}loc"


def trees_page(paragraphs: list[str], *, status: str | None = None) -> str:
    """The first story, tagged "Floods" (its tag index has no other story), in JSON-LD."""
    data = {"@context": "https://schema.org", "@type": "NewsArticle",
            "headline": "Trees for the river", "keywords": ["Floods"]}  # fmt: skip
    if status:
        data["creativeWorkStatus"] = status
    script = f'<script type="application/ld+json">{json.dumps(data)}</script>'
    return article_page("Trees for the river", paragraphs).replace("</head>", script + "</head>")


class Site:
    """Two published stories from one feed that never changes, and the site made of them."""

    def __init__(self, server: MockServer, settings: Settings) -> None:
        self.server = server
        self.settings = settings
        self.root = settings.output_dir
        self.store = Store.open(settings.store_url)

    def snapshot(self) -> dict[str, int]:
        return {str(p.relative_to(self.root)): p.stat().st_mtime_ns
                for p in self.root.rglob("*") if p.is_file()}  # fmt: skip

    def read(self, path: str) -> str:
        return (self.root / path).read_text(encoding="utf-8")

    def page(self, story_id: int = 1) -> str:
        """Where a story's page is, relative to the site's root."""
        return str(story_page(self.root, "es", story_id).relative_to(self.root.resolve()))

    def feed_links(self, path: str) -> list[str]:
        parsed = feedparser.parse((self.root / path).read_bytes())
        assert not parsed.bozo, parsed.get("bozo_exception")
        return [entry.link for entry in parsed.entries]

    def feed_ids(self, path: str) -> dict[str, str]:
        parsed = feedparser.parse((self.root / path).read_bytes())
        return {entry.link: entry.id for entry in parsed.entries}

    def sitemap_urls(self, path: str) -> list[str]:
        tree = etree.fromstring((self.root / path).read_bytes())
        return [loc.text for loc in tree.iter(SITEMAP)]

    def json_ld(self, path: str) -> dict[str, object]:
        doc = html.fromstring(self.read(path))
        [script] = doc.xpath('//script[@type="application/ld+json"]')
        data: dict[str, object] = json.loads(script.text)
        return data

    def listed(self, url: str) -> dict[str, bool]:
        """Where a story's page is listed: every feed, sitemap and index that could."""
        feeds = ["es/feed.xml", "es/atom.xml", "es/source/gazette/feed.xml"]
        found = {path: url in self.feed_links(path) for path in feeds}
        json_feed = json.loads(self.read("es/feed.json"))
        found["es/feed.json"] = url in [item["url"] for item in json_feed["items"]]
        for path in ("sitemap-es.xml", "news-sitemap.xml"):
            found[path] = url in self.sitemap_urls(path)
        found["es/index.html"] = url.split("/es/")[1] in self.read("es/index.html")
        return found


@pytest.fixture
def make_site(server: MockServer, write_settings: WriteSettings):  # type: ignore[no-untyped-def]
    """Publish the two stories with the given settings; yield the site, close its store."""
    opened: list[Site] = []

    def make(overrides: dict[str, object] | None = None) -> Site:
        trees = server.route("/news/trees.html", trees_page(TREES), etag='"t1"')
        ferry = server.route("/news/ferry.html", article_page("Ferry", FERRY), etag='"f1"')
        feed = server.route("/feed.xml", rss([("Trees", trees), ("Ferry", ferry)]), etag='"feed1"')
        settings = write_settings([Source(name="Gazette", url=feed)], overrides)
        site = Site(server, settings)
        opened.append(site)
        report = run_once(settings, site.store)
        assert report.counts["publish"] == {"ok": 2}
        assert "recheck" not in report.counts  # not due yet: the first look is 15 minutes on
        assert site.store.recheck_now() == 2
        return site

    yield make
    for site in opened:
        site.store.close()


def story_url(site: Site, story_id: int = 1) -> str:
    return site.settings.site.base_url + site.page(story_id)


def test_changed_page_is_republished_as_an_update(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    ids_before = site.feed_ids("es/atom.xml")
    memory_before = site.store.memory_size()
    files_before = site.snapshot()
    site.server.route("/news/trees.html", trees_page(TREES_REVISED), etag='"t2"')

    report = run_once(site.settings, site.store)

    assert report.counts["poll"] == {"not_modified": 1}
    assert report.counts["recheck"] == {"changed": 1, "not_modified": 1}
    ferry = [r for r in site.server.requests if r.path == "/news/ferry.html"][-1]
    assert ferry.headers.get("If-None-Match") == '"f1"'  # asked conditionally, answered 304
    page = site.read(site.page(1))
    assert "voluntarios" in page  # the new sentence, translated
    doc = html.fromstring(page)
    [updated] = doc.xpath('//p[@class="updated"]/time')
    assert updated.text.startswith("Actualizada el ")
    data = site.json_ld(site.page(1))
    assert data["dateModified"] == updated.get("datetime")
    assert "dateModified" in site.json_ld(site.page(2))
    assert 'class="updated"' not in site.read(site.page(2))
    # the same page, the same GUIDs; the feed entry says when it was updated
    assert site.feed_ids("es/atom.xml") == ids_before
    atom = feedparser.parse((site.root / "es/atom.xml").read_bytes())
    [entry] = [e for e in atom.entries if e.link == story_url(site)]
    assert entry.updated == data["dateModified"]
    # only the changed sentence went to the engine; the rest came from the memory
    assert 0 < site.store.memory_size() - memory_before <= 2
    counts = site.store.row_counts()
    assert (counts["entries"], counts["articles"], counts["translations"]) == (2, 2, 2)
    assert counts["publications"] == 2
    assert [(c["reason"], c["item"]) for c in site.store.changes()] == [
        ("updated", site.server.url("/news/trees.html"))
    ]
    # only the files that show the story were written again
    files_after = site.snapshot()
    rewritten = {p for p in files_after if files_after[p] != files_before.get(p)}
    assert rewritten <= {
        site.page(1), "es/index.html", "es/feed.xml", "es/atom.xml", "es/feed.json",
        "404.html",  # it lists the latest stories
        "es/source/gazette/index.html", "es/source/gazette/feed.xml",
        "es/source/gazette/atom.xml", "es/source/gazette/feed.json",
        "es/tag/inundaciones/index.html", "sitemap-es.xml", "news-sitemap.xml",
        ".newsrelay-manifest.json",
    }  # fmt: skip
    assert site.page(1) in rewritten
    assert set(files_after) == set(files_before)


def test_unchanged_page_changes_nothing(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    site.server.route("/news/trees.html", trees_page(TREES))  # no ETag now: a full GET
    rows_before = site.store.row_counts()
    files_before = site.snapshot()

    report = run_once(site.settings, site.store)

    assert report.counts["recheck"] == {"unchanged": 1, "not_modified": 1}
    rows_after = site.store.row_counts()
    assert {k: v for k, v in rows_after.items() if k != "events"} == {
        k: v for k, v in rows_before.items() if k != "events"
    }
    assert site.snapshot() == files_before
    assert site.store.changes() == []


@pytest.mark.parametrize("status", [404, 410])
def test_gone_page_is_unpublished_with_a_tombstone(make_site, status: int) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    assert (site.root / "es/tag/inundaciones/index.html").exists()
    assert all(site.listed(story_url(site)).values())
    site.server.route("/news/trees.html", "gone", status=status)

    report = run_once(site.settings, site.store)

    assert report.counts["recheck"] == {"gone": 1, "not_modified": 1}
    tombstone = site.read(site.page(1))
    doc = html.fromstring(tombstone)
    assert doc.xpath('//meta[@name="robots"]/@content') == ["noindex"]
    assert "Esta noticia fue retirada por su fuente, Gazette, el " in tombstone
    assert "árboles" not in tombstone and "ld+json" not in tombstone  # no body, no metadata
    assert not any(site.listed(story_url(site)).values())
    assert all(site.listed(story_url(site, 2)).values())
    assert not (site.root / "es/tag/inundaciones").exists()  # its only story is gone
    [entry] = site.store.entries_with_status(EntryStatus.REMOVED)
    assert entry.reason == "source_gone"
    assert site.store.status_counts()["entries"]["removed"] == 1
    [change] = site.store.changes()
    assert (change["stage"], change["reason"]) == ("recheck", "source_gone")
    assert f"HTTP {status}" in change["detail"]

    files_before = site.snapshot()
    site.store.recheck_now()  # a removed story is not looked at again
    again = run_once(site.settings, site.store)
    assert again.counts["recheck"] == {"not_modified": 1}
    assert site.snapshot() == files_before


def test_retracted_page_is_unpublished(make_site) -> None:  # type: ignore[no-untyped-def]
    site = make_site()
    note = ["Editor's note: this story has been retracted because it did not meet our standards."]
    site.server.route("/news/trees.html", trees_page(note * 2, status="Retracted"), etag='"t2"')

    report = run_once(site.settings, site.store)

    assert report.counts["recheck"] == {"changed": 1, "not_modified": 1}
    assert report.counts["extract"] == {"retracted": 1}
    tombstone = site.read(site.page(1))
    assert "noindex" in tombstone and "retirada por su fuente" in tombstone
    assert not any(site.listed(story_url(site)).values())
    [change] = site.store.changes()
    assert (change["stage"], change["reason"]) == ("extract", "source_retracted")
    assert "creativeWorkStatus Retracted" in change["detail"]


@pytest.mark.parametrize(
    ("route", "note"),
    [
        ({"body": "gone", "status": 404}, "La fuente retiró esta noticia el "),
        (
            {"body": trees_page(TREES, status="https://schema.org/Withdrawn"), "etag": '"t2"'},
            "La fuente se retractó de esta noticia el ",
        ),
    ],
)
def test_kept_story_carries_a_note(make_site, route: dict[str, object], note: str) -> None:  # type: ignore[no-untyped-def]
    site = make_site({"publish.on_removal": "keep"})
    site.server.route("/news/trees.html", **route)  # type: ignore[arg-type]

    run_once(site.settings, site.store)

    page = site.read(site.page(1))
    doc = html.fromstring(page)
    [shown] = doc.xpath('//p[contains(@class, "removed")]')
    assert shown.text.startswith(note)
    assert "árboles" in page and "noindex" not in page  # the story stays, with its body
    assert all(site.listed(story_url(site)).values())  # still in feeds and sitemaps
    assert (site.root / "es/tag/inundaciones/index.html").exists()
    assert [e.id for e in site.store.entries_with_status(EntryStatus.REMOVED)] == [1]


def test_published_page_gone_when_its_feed_entry_changes(
    server: MockServer, write_settings: WriteSettings
) -> None:
    trees = server.route("/news/trees.html", trees_page(TREES))
    settings = write_settings([Source(name="Gazette", url=server.route(
        "/feed.xml", rss([("Trees", trees)])))])  # fmt: skip
    store = Store.open(settings.store_url)
    run_once(settings, store)
    server.route("/news/trees.html", "gone", status=410)
    server.route("/feed.xml", rss([("Trees, revised", trees)]))

    report = run_once(settings, store)

    assert report.counts["fetch"] == {"gone": 1}
    assert "retirada por su fuente" in story_text(settings.output_dir, "es")
    assert [c["reason"] for c in store.changes()] == ["source_gone"]
    store.close()


def test_new_entry_already_retracted_is_dropped(
    server: MockServer, write_settings: WriteSettings
) -> None:
    trees = server.route("/news/trees.html", trees_page(TREES, status="Retracted"))
    settings = write_settings([Source(name="Gazette", url=server.route(
        "/feed.xml", rss([("Trees", trees)])))])  # fmt: skip
    store = Store.open(settings.store_url)

    run_once(settings, store)

    [entry] = store.entries_with_status(EntryStatus.DROPPED)
    assert entry.reason == "source_retracted"
    assert not (settings.output_dir / "es/story").exists()
    store.close()


def test_rechecks_space_out_as_a_story_ages() -> None:
    published = datetime(2026, 11, 23, 10, 0)
    waits = [next_check(published, published + age) - (published + age)
             for age in (timedelta(0), timedelta(hours=4), timedelta(days=6))]  # fmt: skip
    assert waits == [timedelta(minutes=15), timedelta(hours=1), timedelta(days=1)]
