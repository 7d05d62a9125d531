"""The desk with a large store: the review queue and the dashboard rendered for a logged-in
editor, with 50,000 stories in the store, on SQLite and on PostgreSQL (a server this script
starts from Debian's packages).

The store is filled in bulk (sources, entries, articles, stories, translations into Spanish,
verdicts: a fifth held, the rest published, findings of the kinds the checks give), then each
page is asked for ``--requests`` times through the desk's own app in-process; the median time
and the SQL statements one request runs are printed. As a baseline measured in the same run,
the one query that reads the same rows the page shows (the newest held translations, or every
verdict of the period) without rendering anything.

    python bench/desk.py [--stories 50000] [--requests 20] [--no-postgres]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event, insert, select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fastapi.testclient import TestClient

from newsrelay.config import load_settings, render_config
from newsrelay.store import Store, utcnow
from newsrelay.store.schema import (
    articles,
    entries,
    publications,
    sources,
    stories,
    translations,
    verdicts,
)
from newsrelay.web import create_app
from newsrelay.web.auth import hash_password
from postgres import PostgresServer

KINDS = ["names", "numbers", "untranslated", "negation", "omission", "residue"]
CHUNK = 5000


def fill(store: Store, count: int) -> None:
    """``count`` stories: one article each, translated into Spanish, checked, most published."""
    now = utcnow()
    with store.engine.begin() as conn:
        ids = [conn.execute(insert(sources).values(
            name=f"Source {n}", url=f"https://example.org/{n}/feed.xml", language="en",
            license="CC BY 4.0", attribution="", republish=True, keep="[]",
        )).inserted_primary_key[0] for n in range(20)]  # fmt: skip
    for start in range(0, count, CHUNK):
        rows = [(n, now - timedelta(minutes=n))
                for n in range(start + 1, min(start + CHUNK, count) + 1)]  # fmt: skip
        with store.engine.begin() as conn:
            conn.execute(insert(entries), [_entry(n, w, ids[n % 20]) for n, w in rows])
            conn.execute(insert(articles), [_article(n, w) for n, w in rows])
            conn.execute(insert(stories), [{"id": n, "article_id": n, "created_at": w}
                                           for n, w in rows])  # fmt: skip
            conn.execute(articles.update().where(articles.c.id.in_([n for n, _ in rows]))
                         .values(story_id=articles.c.id))  # fmt: skip
            conn.execute(insert(translations), [_translation(n, w) for n, w in rows])
            conn.execute(insert(verdicts), [_verdict(n, w) for n, w in rows])
            conn.execute(insert(publications), [
                {"translation_id": n, "path": f"es/story/{n}.html", "url": f"/es/story/{n}.html",
                 "published_at": w + timedelta(minutes=3)} for n, w in rows if n % 5
            ])  # fmt: skip


def _entry(n: int, when: datetime, source_id: int) -> dict[str, Any]:
    return {"id": n, "source_id": source_id, "guid": f"g{n}", "url": f"https://example.org/{n}",
            "title": f"Story {n}", "version": "1", "status": "extracted", "attempts": 0,
            "created_at": when, "updated_at": when}  # fmt: skip


def _article(n: int, when: datetime) -> dict[str, Any]:
    meta = json.dumps({"published": (when - timedelta(hours=1)).isoformat()})
    return {"id": n, "entry_id": n, "title": f"Story {n}", "body_html": f"<p>Body {n}.</p>",
            "language": "en", "meta": meta, "extracted_at": when, "updated_at": when}  # fmt: skip


def _translation(n: int, when: datetime) -> dict[str, Any]:
    return {"id": n, "article_id": n, "language": "es", "source_language": "en",
            "engine": "apertium", "title": f"Noticia {n}", "body_html": f"<p>Texto {n}.</p>",
            "created_at": when}  # fmt: skip


def _verdict(n: int, when: datetime) -> dict[str, Any]:
    finding = {"kind": KINDS[n % len(KINDS)], "severity": "warning", "message": "a finding",
               "paragraph": 1}  # fmt: skip
    return {"translation_id": n, "decision": "hold" if n % 5 == 0 else "publish",
            "findings": json.dumps([finding]), "created_at": when}  # fmt: skip


def timed(call: Callable[[], Any], repeat: int, engine: Any) -> tuple[float, int]:
    """The median seconds of ``call`` and the SQL statements one call runs."""
    statements: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    call()  # warm (templates compiled, caches filled)
    statements.clear()
    call()
    per_call = len(statements)
    event.remove(engine, "before_cursor_execute", count)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), per_call


def measure(url: str, folder: Path, count: int, repeat: int) -> dict[str, tuple[float, int]]:
    config = folder / "newsrelay.toml"
    config.write_text(render_config([]), encoding="utf-8")
    settings = load_settings(config, environ={}, overrides={"database_url": url})
    store = Store.open(url)
    started = time.perf_counter()
    fill(store, count)
    print(f"  filled {count} stories in {time.perf_counter() - started:.1f} s")
    store.add_user("bench", "editor", hash_password("a long bench password"))
    results = {}
    with TestClient(create_app(settings, store, config)) as client:
        client.post("/login", data={"name": "bench", "password": "a long bench password"})
        for name, path in (("queue", "/queue"), ("dashboard", "/dashboard?days=7")):

            def page(path: str = path) -> None:
                assert client.get(path).status_code == 200

            results[name] = timed(page, repeat, store.engine)
        since = utcnow() - timedelta(days=7)
        held = (select(translations.c.id, translations.c.title, verdicts.c.findings)
                .join(verdicts, verdicts.c.translation_id == translations.c.id)
                .where(verdicts.c.decision == "hold")
                .order_by(verdicts.c.created_at.desc()).limit(200))  # fmt: skip
        period = select(verdicts.c.decision, verdicts.c.findings).where(
            verdicts.c.created_at >= since
        )

        def query(statement: Any) -> Callable[[], None]:
            def run() -> None:
                with store.engine.connect() as conn:
                    conn.execute(statement).all()

            return run

        results["queue, its query alone"] = timed(query(held), repeat, store.engine)
        results["dashboard, one query of the period"] = timed(query(period), repeat, store.engine)
    with store.engine.connect() as conn:
        assert conn.execute(text("select count(*) from translations")).scalar() == count
    store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="newsrelay-desk-bench-"))
    stores = {"SQLite": f"sqlite:///{folder / 'sqlite' / 'newsrelay.db'}"}
    (folder / "sqlite").mkdir()
    pg = None
    if not args.no_postgres:
        pg = PostgresServer(Path(tempfile.mkdtemp(prefix="newsrelay-desk-pg-")))
        pg.start()
        stores["PostgreSQL"] = pg.database()
    try:
        for name, url in stores.items():
            print(f"{name}, {args.stories} stories ({args.stories // 5} held), "
                  f"median of {args.requests} requests:")  # fmt: skip
            (folder / name).mkdir(exist_ok=True)
            for page, (seconds, statements) in measure(url, folder / name, args.stories,
                                                       args.requests).items():  # fmt: skip
                print(f"  {page:<36} {seconds * 1000:8.1f} ms  {statements} SQL statements")
    finally:
        if pg is not None:
            pg.stop()
            shutil.rmtree(pg.base, ignore_errors=True)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
