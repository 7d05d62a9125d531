"""Per-source learning: blocks a source repeats are its template; an operator can undo a removal."""

from __future__ import annotations

from conftest import WriteSettings
from mockserver import MockServer, article_page, rss
from newsrelay import Store, run_once
from newsrelay.model import Source

# Not a call-to-action pattern and not marked up: only repetition shows it is not story.
HOUSE_LINE = "The Lakeside Courier is funded by readers like you, thank you."
STORIES = [
    ["The ferry to the islands returned to service on Monday after a month of repairs to its engines.",
     "Passengers said they were glad to travel again, and the company added two crossings a day."],
    ["The council approved a new bus line to the hospital on Tuesday, after residents asked for it.",
     "Buses will run every twenty minutes from the station, starting in the first week of March."],
    ["A storm brought down trees across the northern district on Wednesday night, the police said.",
     "Crews cleared the main roads by the morning, and schools opened two hours later than usual."],
    ["The football club of Lakeside signed a young goalkeeper from the regional league on Thursday.",
     "The coach said the player had impressed everyone during a week of training with the team."],
]  # fmt: skip


def test_repeated_block_is_learned_then_can_be_kept(
    server: MockServer, write_settings: WriteSettings
) -> None:
    links = [
        server.route(f"/n/{i}.html", article_page(f"Story {i}", [*paragraphs, HOUSE_LINE]))
        for i, paragraphs in enumerate(STORIES)
    ]
    feed = server.route("/feed.xml", rss([(f"Story {i}", link) for i, link in enumerate(links)]))
    settings = write_settings([Source(name="Courier", url=feed)])
    store = Store.open(settings.store_url)

    run_once(settings, store)

    texts = {s.original_url: s.body_html for s in store.stories(language="es")}
    assert [("Courier" in texts[link]) for link in links] == [True, True, True, False]
    [removed] = store.removed()
    assert (removed["rule"], removed["text"], removed["url"]) == (
        "template:source",
        HOUSE_LINE,
        links[3],
    )

    kept = store.keep_block(removed["id"])
    assert kept["articles_requeued"] == 1
    run_once(settings, store)

    assert store.removed() == []
    texts = {s.original_url: s.body_html for s in store.stories(language="es")}
    assert "Courier" in texts[links[3]]
    assert store.row_counts()["articles"] == len(STORIES)
    store.close()
