"""A newsrelay with stories in every state the desk shows: a local feed, real Apertium, one story
published and one held by a real check (a word the engine did not know, with engine_marks
holding), a person who may log in, and API tokens of both scopes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from mockserver import MockServer, rss
from newsrelay import Store, run_once
from newsrelay.config import Settings
from newsrelay.model import Source
from newsrelay.store.schema import publications, translations, verdicts
from newsrelay.web.auth import create_token, hash_password

PASSWORD = "correct horse battery"
HELD_TITLE = "The council approves the new harbour plan"
PUBLISHED_TITLE = "A new bridge opens over the river"
# "shipwrights" is a word neither eng-spa nor eng-cat knows: marked, the check holds the story
HELD_BODY = ('<p>The shipwrights of Lakeside stopped work on Monday, the '
             '<a href="https://example.org/report">union report</a> says.</p>'
             "<p>The council said the plan would bring new jobs to the harbour next year.</p>")  # fmt: skip
PUBLISHED_BODY = ("<p>The new bridge over the river opened on Tuesday after two years of work.</p>"
                  "<p>The mayor said the bridge would help people who walk to the market.</p>")  # fmt: skip


def page(title: str, body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
            f"</head><body><article><h1>{title}</h1>{body}</article></body></html>")  # fmt: skip


@dataclass
class DeskSite:
    settings: Settings
    store: Store
    config: Path
    held: int  # translation ids
    published: int
    read_token: str
    write_token: str


def desk_site(server: MockServer, write_settings, extra: str = "") -> DeskSite:  # type: ignore[no-untyped-def]
    """``extra``: a paragraph added to the held story."""
    body = HELD_BODY + (f"<p>{extra}</p>" if extra else "")
    held = server.route("/news/harbour.html", page(HELD_TITLE, body))
    live = server.route("/news/bridge.html", page(PUBLISHED_TITLE, PUBLISHED_BODY))
    feed = server.route("/feed.xml", rss([("Harbour", held), ("Bridge", live)]))
    settings = write_settings(
        [Source(name="Gazette", url=feed, license="CC BY 4.0")],
        {"check.hold": ["engine_marks", "numbers", "names", "untranslated"]},
    )
    store = Store.open(settings.store_url)
    run_once(settings, store)
    with store._tx() as conn:
        rows = conn.execute(select(translations.c.id, translations.c.title, verdicts.c.decision)
                            .join(verdicts, verdicts.c.translation_id == translations.c.id)).all()  # fmt: skip
        published = set(conn.execute(select(publications.c.translation_id)).scalars())
    [held_id] = [r.id for r in rows if r.decision == "hold"]
    [live_id] = [r.id for r in rows if r.id in published]
    store.add_user("ana", "editor", hash_password(PASSWORD))
    return DeskSite(settings, store, settings.root / "newsrelay.toml", held_id, live_id,
                    create_token(store, "reader", "read"), create_token(store, "robot", "write"))  # fmt: skip
