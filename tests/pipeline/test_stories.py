"""One story, many sources: a wire copy joins the story it repeats; a distinct report does not."""

from __future__ import annotations

from conftest import WriteSettings
from mockserver import COPY, SAME_TOPIC, WIRE, MockServer, article_page, rss
from newsrelay import Store, run_once
from newsrelay.model import Source
from sitepages import story_text


def test_wire_copy_joins_the_story_and_is_credited(
    server: MockServer, write_settings: WriteSettings
) -> None:
    first = server.route(
        "/a/1.html", article_page("Parliament approves free buses for under-18s", WIRE)
    )
    copy = server.route(
        "/b/1.html", article_page("Free buses for young people from September", COPY)
    )
    other = server.route("/b/2.html", article_page("Bus drivers ask for more staff", SAME_TOPIC))
    sources = [
        Source(name="Wire A", url=server.route("/a.xml", rss([("A", first)]))),
        Source(name="Daily B", url=server.route("/b.xml", rss([("B", copy), ("C", other)]))),
    ]
    settings = write_settings(sources)
    store = Store.open(settings.store_url)

    report = run_once(settings, store)

    assert report.counts["dedupe"] == {"new": 2, "duplicate": 1}
    stories = {s.original_url: s for s in store.stories(language="es")}
    assert set(stories) == {first, other}
    assert stories[first].also_reported_by == (("Daily B", copy),)
    assert stories[other].also_reported_by == ()
    page = story_text(settings.output_dir, "es", stories[first].story_id)
    assert "También informaron" in page and f'href="{copy}"' in page
    assert store.row_counts()["translations"] == 2
    store.close()


def test_preferred_source_is_translated_and_the_page_stays_put(
    server: MockServer, write_settings: WriteSettings
) -> None:
    first = server.route(
        "/a/1.html", article_page("Parliament approves free buses for under-18s", WIRE)
    )
    copy = server.route(
        "/b/1.html", article_page("Free buses for young people from September", COPY)
    )
    feed_b = server.route("/b.xml", rss([]))
    sources = [
        Source(name="Wire A", url=server.route("/a.xml", rss([("A", first)]))),
        Source(name="Daily B", url=feed_b),
    ]
    settings = write_settings(
        sources, {"dedupe.choose": "preferred", "dedupe.preferred_sources": ["Daily B"]}
    )
    store = Store.open(settings.store_url)
    run_once(settings, store)
    [before] = store.stories(language="es")
    assert before.original_url == first

    server.route("/b.xml", rss([("B", copy)]))
    run_once(settings, store)

    [after] = store.stories(language="es")
    assert (after.original_url, after.source_name) == (copy, "Daily B")
    assert after.also_reported_by == (("Wire A", first),)
    assert after.story_id == before.story_id
    page = story_text(settings.output_dir, "es", after.story_id)
    assert f'href="{copy}"' in page and "Daily B" in page
    assert store.row_counts()["translations"] == 1
    store.close()
