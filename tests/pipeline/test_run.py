"""End to end: a local feed, real pages, real Apertium, a real site on disk."""

from __future__ import annotations

import gzip
import re
from collections.abc import Sequence
from pathlib import Path

import feedparser
import lxml.html
import pytest

from conftest import WriteSettings
from mockserver import ARTICLE_HTML, MockServer, article_page, rss
from newsrelay import Store, run_once
from newsrelay.model import EntryStatus, Source
from newsrelay.translate.apertium import ApertiumEngine
from sitepages import story_page, story_text

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")

STORY = [
    "The city council of Lakeside approved a plan on Tuesday to plant 2,000 trees along the river before the end of next year.",
    "The mayor said the trees would protect the banks from floods and give shade to people who walk along the water in summer.",
]


OTHER_STORY = [
    "A new ferry line will link the harbour of Lakeside with the three islands from next spring, the port said.",
    "Tickets will cost 4 dollars for adults, and children under twelve will travel free of charge.",
]


def good_page(n: int) -> str:
    return article_page(f"Trees for the river, part {n}", STORY if n % 2 else OTHER_STORY)


def open_store(settings) -> Store:  # type: ignore[no-untyped-def]
    return Store.open(settings.store_url)


def test_feed_to_translated_site(server: MockServer, write_settings: WriteSettings) -> None:
    links = [server.route(f"/news/{n}.html", good_page(n)) for n in (1, 2)]
    feed = server.route(
        "/feed.xml",
        rss([(f"Story {n}", link) for n, link in enumerate(links)]),
        headers={"Content-Type": "application/rss+xml"},
        etag='"v1"',
    )
    settings = write_settings([Source(name="Gazette", url=feed, license="CC BY 4.0")])
    store = open_store(settings)

    report = run_once(settings, store)

    assert report.counts["publish"] == {"ok": 2}
    site = settings.output_dir
    page = story_text(site, "es")
    assert 'lang="es"' in page
    assert "traducida automáticamente" in page
    assert f'href="{links[0]}"' in page
    assert "CC BY 4.0" in page
    assert "árboles" in page or "transbordador" in page  # the body is Spanish
    parsed = feedparser.parse((site / "es/feed.xml").read_bytes())
    assert not parsed.bozo
    assert len(parsed.entries) == 2
    # the page's address is its headline, in the reader's language, under the day's folder
    address = story_page(site, "es").relative_to(site.resolve() / "es")
    assert re.fullmatch(r"\d{4}/\d\d/\d\d/[a-z0-9-]+\.html", str(address)), address
    assert f'href="{address}"' in (site / "es/index.html").read_text()
    store.close()


def test_second_run_with_nothing_new_only_polls(
    server: MockServer, write_settings: WriteSettings
) -> None:
    link = server.route("/news/1.html", good_page(1))
    feed = server.route("/feed.xml", rss([("Story", link)]), etag='"v1"')
    settings = write_settings([Source(name="Gazette", url=feed)])
    store = open_store(settings)
    run_once(settings, store)
    rows_before = store.row_counts()
    files_before = {p: p.stat().st_mtime_ns for p in Path(settings.output_dir).rglob("*")}
    requests_before = len(server.requests)

    report = run_once(settings, store)

    # robots.txt is kept from the first run; the feed is asked for conditionally; nothing else
    new_requests = server.requests[requests_before:]
    assert [r.path for r in new_requests] == ["/feed.xml"]
    assert new_requests[0].headers.get("If-None-Match") == '"v1"'
    assert report.counts["poll"] == {"not_modified": 1}
    rows_after = store.row_counts()
    assert {k: v for k, v in rows_after.items() if k != "events"} == {
        k: v for k, v in rows_before.items() if k != "events"
    }
    assert rows_after["events"] == rows_before["events"] + 1  # the 304 poll itself
    assert {p: p.stat().st_mtime_ns for p in Path(settings.output_dir).rglob("*")} == files_before
    store.close()


def test_bad_input_is_recorded_and_the_rest_goes_on(
    server: MockServer, write_settings: WriteSettings
) -> None:
    good = server.route("/news/good.html", good_page(1))
    empty = server.route("/news/empty.html", "<html><body><nav>Home</nav></body></html>")
    binary = server.route("/img.png", b"\x89PNG\r\n", headers={"Content-Type": "image/png"})
    items = [
        ("good", good),
        ("missing", server.url("/news/missing.html")),
        ("broken", server.url("/status/500")),
        ("empty", empty),
        ("huge", server.url("/huge")),
        ("loop", server.url("/loop")),
        ("latin1", server.url("/latin1")),
        ("image", binary),
    ]
    feed = server.route("/feed.xml", rss(items))
    not_xml = server.route("/broken-feed.xml", "this is { not a feed")
    settings = write_settings(
        [Source(name="Gazette", url=feed), Source(name="Broken", url=not_xml)],
        {"fetch.retries": 1},
    )
    store = open_store(settings)

    run_once(settings, store)

    by_url = {e.url: e for s in EntryStatus for e in store.entries_with_status(s)}
    expected = {
        good: (EntryStatus.EXTRACTED, None),
        server.url("/news/missing.html"): (EntryStatus.DROPPED, "http_404"),
        server.url("/status/500"): (EntryStatus.FAILED, "http_500"),
        empty: (EntryStatus.DROPPED, "no_article_text"),
        server.url("/huge"): (EntryStatus.DROPPED, "too_large"),
        server.url("/loop"): (EntryStatus.DROPPED, "redirect_loop"),
        server.url("/latin1"): (EntryStatus.EXTRACTED, None),
        binary: (EntryStatus.DROPPED, "not_html"),
    }
    assert {url: (e.status, e.reason) for url, e in by_url.items()} == expected
    assert server.hits["/status/500"] == 2  # one retry within the run
    problems = {p["reason"] for p in store.problems()}
    assert {
        "http_404",
        "http_500",
        "no_article_text",
        "too_large",
        "redirect_loop",
        "not_html",
        "feed_unparseable",
    } <= problems
    assert len(list((settings.output_dir / "es/story").glob("*.html"))) == 2
    latin1 = store.page(by_url[server.url("/latin1")].id)
    assert "Lakeside café" in latin1.html  # the false UTF-8 label was not believed
    store.close()


def test_changed_entry_is_updated_in_place(
    server: MockServer, write_settings: WriteSettings
) -> None:
    link = server.route("/news/1.html", good_page(1))
    feed = server.route("/feed.xml", rss([("First title", link)]))
    settings = write_settings([Source(name="Gazette", url=feed)])
    store = open_store(settings)
    run_once(settings, store)

    server.route("/news/1.html", article_page("Trees for the river, revised", STORY))
    server.route("/feed.xml", rss([("Revised title", link)]))
    run_once(settings, store)

    counts = store.row_counts()
    assert (counts["entries"], counts["articles"], counts["translations"]) == (1, 1, 1)
    assert counts["publications"] == 1
    assert "revisado" in story_text(settings.output_dir, "es")
    store.close()


def test_a_source_not_licensed_for_republishing_is_monitored_never_published(
    server: MockServer, write_settings: WriteSettings
) -> None:
    link = server.route("/news/1.html", ARTICLE_HTML)
    feed = server.route("/feed.xml", rss([("Story", link)]))
    settings = write_settings([Source(name="Closed", url=feed, republish=False)])
    store = open_store(settings)

    report = run_once(settings, store)

    assert report.counts.get("translate") == {"ok": 1}, report.counts
    assert store.stories() == [] and store.row_counts()["publications"] == 0
    [monitored] = store.held(monitored=True)
    assert (monitored["source"], monitored["language"]) == ("Closed", "es")
    assert not (settings.output_dir / "es/story").exists()
    store.close()


def test_sitemap_index_source_follows_its_news_sitemap(
    server: MockServer, write_settings: WriteSettings
) -> None:
    link = server.route("/news/1.html", good_page(1))
    server.route(
        "/sitemap-news.xml",
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"><url>'
        f"<loc>{link}</loc><news:news><news:publication><news:name>G</news:name>"
        "<news:language>en</news:language></news:publication>"
        "<news:publication_date>2026-11-27T08:00:00Z</news:publication_date>"
        "<news:title>Trees for the river</news:title></news:news></url></urlset>",
        headers={"Content-Type": "application/xml"},
    )
    index = server.route(
        "/sitemap.xml",
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{server.url('/sitemap-news.xml')}</loc></sitemap></sitemapindex>",
        headers={"Content-Type": "application/xml"},
    )
    settings = write_settings([Source(name="Sitemapped", url=index)])
    store = open_store(settings)

    run_once(settings, store)

    [entry] = store.entries_with_status(EntryStatus.EXTRACTED)
    assert (entry.url, entry.title) == (link, "Trees for the river")
    assert store.row_counts()["publications"] == 1
    store.close()


def test_a_site_home_page_is_read_through_the_sitemaps_of_its_robots_txt(
    server: MockServer, write_settings: WriteSettings
) -> None:
    link = server.route("/news/1.html", good_page(1))
    sitemap = server.route("/sitemap.txt.gz", gzip.compress(f"{link}\n".encode()),
                           headers={"Content-Type": "application/gzip"})  # fmt: skip
    server.route("/robots.txt", f"User-agent: *\nAllow: /\nSitemap: {sitemap}\n")
    home = server.route("/", "<html><body><p>The home page</p></body></html>",
                        headers={"Content-Type": "text/html"})  # fmt: skip
    settings = write_settings([Source(name="Site", url=home)])
    store = open_store(settings)

    run_once(settings, store)

    [entry] = store.entries_with_status(EntryStatus.EXTRACTED)
    assert entry.url == link
    assert store.row_counts()["publications"] == 1
    store.close()


def test_two_stories_with_one_headline_have_two_addresses(
    server: MockServer, write_settings: WriteSettings
) -> None:
    links = [server.route(f"/news/{n}.html", article_page("Trees for the river", body))
             for n, body in ((1, STORY), (2, OTHER_STORY))]  # fmt: skip
    feed = server.route("/feed.xml", rss([(f"Story {n}", link) for n, link in enumerate(links)]))
    settings = write_settings([Source(name="Gazette", url=feed, license="CC BY 4.0")])
    store = open_store(settings)

    run_once(settings, store)

    stories = store.stories(language="es")
    pages = {story_page(settings.output_dir, "es", s.story_id) for s in stories}
    assert len(stories) == len(pages) == 2
    first, second = sorted(pages, key=lambda p: len(p.name))
    assert (
        second.name
        == first.name.removesuffix(".html") + f"-{max(s.story_id for s in stories)}.html"
    )
    # a second run keeps each story where it is
    run_once(settings, store)
    assert {story_page(settings.output_dir, "es", s.story_id) for s in stories} == pages
    store.close()


def test_section_and_tag_names_are_in_the_readers_language(
    server: MockServer, write_settings: WriteSettings
) -> None:
    labels = ('<meta property="article:section" content="Business">'
              '<meta property="article:tag" content="trees">'
              '<meta property="article:tag" content="Helen Marsh">')  # fmt: skip
    page = article_page("Trees for the river", STORY).replace("<title>", labels + "<title>")
    feed = server.route("/feed.xml", rss([("Trees", server.route("/news/1.html", page))]))
    settings = write_settings([Source(name="Gazette", url=feed, license="CC BY 4.0")])
    store = open_store(settings)

    run_once(settings, store)

    doc = lxml.html.fromstring(story_text(settings.output_dir, "es"))
    shown = {a.text: a.get("lang") for a in doc.xpath("//p[@class='labels']/a[@href]")}
    # Apertium's words for "Business" and "trees", as a headline of their own: unmarked
    assert shown == {
        "Noticias de Gazette": None,
        "Empresarial": None,
        "Árboles": None,
        "Helen Marsh": "en",
    }  # a proper name stays, in the source's language
    section = settings.output_dir / "es/section/empresarial/index.html"
    assert "Sección: Empresarial" in section.read_text()
    # the names come from the translation memory the next time: the engine is not asked again
    engine = CountingApertium()
    run_once(settings, store, engine=engine)
    assert engine.sent == []
    engine.close()
    store.close()


class CountingApertium(ApertiumEngine):
    """Apertium that remembers every segment it was asked to translate."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[str] = []

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        self.sent.extend(segments)
        return super().translate(segments, source, target)
