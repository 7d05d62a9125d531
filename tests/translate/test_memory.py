"""The translation memory: unchanged sentences are not translated twice."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from conftest import WriteSettings
from mockserver import MockServer, article_page, rss
from newsrelay import Store, run_once
from newsrelay.errors import EngineError
from newsrelay.model import Article, Source
from newsrelay.translate import translate_article
from newsrelay.translate.apertium import ApertiumEngine
from sitepages import story_text

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")

PARAGRAPHS = [
    "The council met on Monday. It approved the budget for next year.",
    "The new library will open in June. It will have a room for children.",
    "Parking near the station will cost two dollars an hour.",
    "The mayor said the town had never been in better shape.",
]


class Counting(ApertiumEngine):
    """Apertium, counting the segments it is sent."""

    def __init__(self, version: str = "") -> None:
        super().__init__()
        self.sent: list[str] = []
        self.suffix = version

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        self.sent += segments
        return super().translate(segments, source, target)

    def version(self, source: str, target: str) -> str:
        return super().version(source, target) + self.suffix


def article(paragraphs: list[str]) -> Article:
    return Article(title="Town news", body_html="".join(f"<p>{p}</p>" for p in paragraphs))


def test_only_the_changed_paragraph_is_translated_again(store_url: str) -> None:
    store = Store.open(store_url)
    engine = Counting()
    first = translate_article(engine, article(PARAGRAPHS), "en", "es", memory=store)
    assert len(engine.sent) == 1 + 6  # the headline and six sentences
    changed = [*PARAGRAPHS[:2], "Parking near the station will be free on Sundays.", PARAGRAPHS[3]]

    engine.sent.clear()
    again = translate_article(engine, article(changed), "en", "es", memory=store)

    assert engine.sent == ["Parking near the station will be free on Sundays."]
    fresh = translate_article(ApertiumEngine(), article(changed), "en", "es")
    assert again == fresh
    # what each asked of the engine is accounted for: the memory's sentences cost nothing
    assert (first.usage.segments_sent, first.usage.segments_recalled) == (7, 0)
    assert (again.usage.segments_sent, again.usage.segments_recalled) == (1, 6)
    assert again.usage.chars_in == len(engine.sent[0]) and again.usage.chars_out > 0
    assert first.usage.chars_in == len("Town news") + sum(len(p) for p in PARAGRAPHS) - 2
    assert again.body_html.split("</p>")[:2] == first.body_html.split("</p>")[:2]
    store.close()


def test_other_engine_data_misses_the_memory(store_url: str) -> None:
    store = Store.open(store_url)
    translate_article(Counting(), article(PARAGRAPHS), "en", "es", memory=store)
    upgraded = Counting(version="-new")
    translate_article(upgraded, article(PARAGRAPHS), "en", "es", memory=store)
    assert len(upgraded.sent) == 7
    assert store.memory_size() == 14
    store.close()


@pytest.mark.parametrize("memory", [True, False])
def test_an_updated_story_goes_through_the_memory_unless_it_is_off(
    server: MockServer, write_settings: WriteSettings, memory: bool
) -> None:
    link = server.route("/news/1.html", article_page("Town news", PARAGRAPHS))
    feed = server.route("/feed.xml", rss([("Town news", link)]))
    settings = write_settings([Source(name="Gazette", url=feed)], {"translate.memory": memory})
    store = Store.open(settings.store_url)
    engine = Counting()
    run_once(settings, store, engine=engine)

    changed = [*PARAGRAPHS[:3], "The mayor said the town would grow."]
    server.route("/news/1.html", article_page("Town news", changed))
    server.route("/feed.xml", rss([("Town news, updated", link)]))
    engine.sent.clear()
    run_once(settings, store, engine=engine)

    assert "crecer" in story_text(settings.output_dir, "es")
    if memory:
        assert engine.sent == ["The mayor said the town would grow."]
    else:
        assert len(engine.sent) == 7  # the headline and every sentence again
    store.close()


class FailsOnParking(Counting):
    """Apertium, failing on any request that holds the parking sentence."""

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        if any(s.startswith("Parking near") for s in segments):
            raise EngineError("the engine gave up")
        return super().translate(segments, source, target)


def test_an_engine_failure_stops_only_its_article(
    server: MockServer, write_settings: WriteSettings
) -> None:
    stories = [
        PARAGRAPHS,
        ["A new ferry line will link the harbour with the islands from next spring.",
         "Parking near the harbour will be free for ferry passengers all summer."],
        ["The school choir won the regional contest in the old theatre on Saturday.",
         "The singers will travel to the national final in the capital in May."],
    ]  # fmt: skip
    links = [server.route(f"/news/{n}.html", article_page(f"News {n}", text))
             for n, text in enumerate(stories)]  # fmt: skip
    feed = server.route("/feed.xml", rss([(f"News {n}", link) for n, link in enumerate(links)]))
    settings = write_settings([Source(name="Gazette", url=feed)])
    store = Store.open(settings.store_url)
    report = run_once(settings, store, engine=FailsOnParking())
    assert report.counts["translate"] == {"ok": 1, "failed": 2}  # the choir story has no parking
    assert [p["reason"] for p in store.problems() if p["stage"] == "translate"] == [
        "engine_error"
    ] * 2
    store.close()
