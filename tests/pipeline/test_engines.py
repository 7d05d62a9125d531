"""End to end through ``run_once``: the openai engine against a local model server (that
translates with real Apertium), per-source engines and languages, the fallback chain, the
daily limits, and the memory that never pays twice for a sentence."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from conftest import WriteSettings
from llmserver import LLMServer
from mockserver import MockServer, article_page, rss
from newsrelay import Store, run_once
from newsrelay.model import Article, Source
from newsrelay.store.schema import failures, translations
from newsrelay.translate import translate_articles
from newsrelay.translate.llm import OpenAIEngine
from sitepages import story_text

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")

STORY = [
    "The city council of Lakeside approved a plan on Tuesday to plant 2,000 trees along the river.",
    "The mayor said the trees would protect the banks from floods in the spring.",
]
LEAKS = ("QX", "<think", "think>", "Here is", "Note:", "I'm sorry", "error", "upstream")


@pytest.fixture
def llm() -> Iterator[LLMServer]:
    server = LLMServer()
    yield server
    server.close()


def feed_of(server: MockServer, stories: list[list[str]]) -> str:
    links = [server.route(f"/news/{n}.html", article_page(f"Trees for the river {n}", body))
             for n, body in enumerate(stories)]  # fmt: skip
    return server.route("/feed.xml", rss([(f"Story {n}", u) for n, u in enumerate(links)]))


def openai(llm: LLMServer, **more: object) -> dict[str, object]:
    return {"translate.engine": "openai", "translate.openai_url": llm.base + "/v1",
            "translate.openai_model": "tiny-news", **more}  # fmt: skip


def stored(store: Store, table) -> list:  # type: ignore[no-untyped-def]
    with store._tx() as conn:
        return list(conn.execute(select(table)))


def published_text(settings) -> str:  # type: ignore[no-untyped-def]
    pages = sorted((settings.output_dir / "es" / "story").glob("*.html"))
    return "\n".join(story_text(settings.output_dir, "es", int(p.stem)) for p in pages)


def test_a_story_translated_by_a_model_is_published_clean(
    server: MockServer, llm: LLMServer, write_settings: WriteSettings
) -> None:
    feed = feed_of(server, [STORY])
    settings = write_settings([Source(name="Gazette", url=feed)], openai(llm))
    llm.script = ["think", "commentary"]  # headline and body come in one request: split after
    store = Store.open(settings.store_url)

    report = run_once(settings, store)

    assert report.counts["publish"] == {"ok": 1}
    text = published_text(settings)
    assert "árboles" in text and "openai" in text
    assert not [leak for leak in LEAKS if leak in text]
    [row] = stored(store, translations)
    assert row.engine == "openai" and row.model == "tiny-news"
    assert row.tokens_in > 0 and row.tokens_out > 0
    [usage] = store.engine_usage()
    assert usage["tokens_in"] == row.tokens_in and usage["model"] == "tiny-news"
    store.close()


@pytest.mark.parametrize("failure", ["refusal", "error_text", "bad_key", "length"])
def test_a_failure_is_held_with_its_reason_never_published(
    server: MockServer, llm: LLMServer, write_settings: WriteSettings, failure: str
) -> None:
    feed = feed_of(server, [STORY])
    settings = write_settings([Source(name="Gazette", url=feed)], openai(llm))
    llm.script = [failure] * 20
    store = Store.open(settings.store_url)

    report = run_once(settings, store)

    assert report.counts["translate"] == {"failed": 1}
    assert not stored(store, translations)
    [failed] = stored(store, failures)
    reasons = {"refusal": "engine_refused", "error_text": "engine_misaligned",
               "bad_key": "not_configured", "length": "engine_too_long"}  # fmt: skip
    assert failed.reason == reasons[failure]
    assert not list((settings.output_dir / "es").glob("story/*.html"))
    store.close()


def test_the_fallback_translates_what_the_first_engine_failed_on(
    server: MockServer, llm: LLMServer, write_settings: WriteSettings
) -> None:
    feed = feed_of(server, [STORY])
    settings = write_settings(
        [Source(name="Gazette", url=feed)], openai(llm, **{"translate.fallback": ["apertium"]})
    )
    llm.script = ["refusal"] * 20
    store = Store.open(settings.store_url)

    report = run_once(settings, store)

    assert report.counts["publish"] == {"ok": 1}
    [row] = stored(store, translations)
    assert row.engine == "apertium"
    assert "apertium" in published_text(settings)
    store.close()


def test_a_daily_limit_stops_new_work_for_the_engine_until_the_next_day(
    server: MockServer, llm: LLMServer, write_settings: WriteSettings
) -> None:
    feed = feed_of(server, [STORY])
    limits = {"translate.daily_limit_chars": {"openai": 10}}
    settings = write_settings([Source(name="Gazette", url=feed)], openai(llm, **limits))
    store = Store.open(settings.store_url)

    report = run_once(settings, store)

    assert report.counts["translate"] == {"failed": 1}
    assert not llm.requests  # nothing was sent past the limit
    [failed] = stored(store, failures)
    assert failed.reason == "daily_limit" and failed.attempts == 0  # none of its tries spent
    tomorrow = (datetime.now(UTC) + timedelta(days=1)).date()
    assert failed.next_attempt_at.date() == tomorrow and failed.next_attempt_at.hour == 0
    store.close()

    # with a fallback, the work goes on with the next engine of the chain
    fallback = write_settings([Source(name="Gazette", url=feed)],
                              openai(llm, **limits, **{"translate.fallback": ["apertium"]}))  # fmt: skip
    store = Store.open(fallback.store_url)
    with store._tx() as conn:
        conn.execute(failures.delete())
    assert run_once(fallback, store).counts["publish"] == {"ok": 1}
    assert not llm.requests
    store.close()


def test_an_unchanged_sentence_is_never_paid_for_twice(
    llm: LLMServer, write_settings: WriteSettings
) -> None:
    settings = write_settings([], openai(llm))
    store = Store.open(settings.store_url)
    engine = OpenAIEngine(settings)
    story = Article("Trees for the river", "".join(f"<p>{p}</p>" for p in STORY))
    translate_articles(engine, [story], "en", "es", memory=store)
    sent_before = list(llm.segments_seen)

    # the story again, one sentence added: only that one is sent, in one request
    again = Article(story.title, story.body_html + "<p>The work will start in March.</p>")
    requests = len(llm.requests)
    [translation] = translate_articles(engine, [again], "en", "es", memory=store)

    assert llm.segments_seen[len(sent_before) :] == ["The work will start in March."]
    assert len(llm.requests) == requests + 1
    assert translation.usage.segments_recalled == 3 and translation.usage.segments_sent == 1
    store.close()


def test_sources_choose_their_engine_and_languages(
    server: MockServer, llm: LLMServer, write_settings: WriteSettings
) -> None:
    feed = feed_of(server, [STORY])
    other = server.route("/other.xml", rss([("Ferry", server.route("/ferry.html", article_page(
        "A ferry for the islands", ["A new ferry will link the harbour with the islands next "
                                    "spring, the port said on Monday."])))]))  # fmt: skip
    sources = [Source(name="Gazette", url=feed, engine="openai", languages=("es",)),
               Source(name="Port", url=other, poll_minutes=60)]  # fmt: skip
    settings = write_settings(
        sources, openai(llm, **{"translate.engine": "apertium", "site.languages": ["es", "ca"]})
    )
    store = Store.open(settings.store_url)

    run_once(settings, store)

    made = {(row.title[:5], row.language, row.engine) for row in stored(store, translations)}
    engines = {(language, engine) for _, language, engine in made}
    assert ("es", "openai") in engines and ("ca", "openai") not in engines
    assert {("es", "apertium"), ("ca", "apertium")} <= engines
    assert len(made) == 3  # the Gazette's story only into Spanish
    store.close()
