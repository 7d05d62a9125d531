"""newsrelay on Celery: workers as processes of their own, a real Redis as the broker and a real
PostgreSQL as the store; the run ends with every story published once per language."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy

from mockserver import MockServer, article_page, rss
from newsrelay.config import render_config
from newsrelay.model import Source
from postgres import PostgresServer, sql
from redisserver import RedisServer

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")
STORIES = [
    ["The ferry to the islands returned to service on Monday after a month of repairs.",
     "Passengers said they were glad to travel again, and the company added two crossings."],
    ["The city library will open on Sundays from January, the council said on Tuesday.",
     "Readers had asked for longer hours, and two new librarians will be hired for weekends."],
    ["A storm brought down trees across the northern valleys overnight, closing three roads.",
     "Crews worked through the morning to clear them, and the roads opened again by noon."],
    ["The school in the harbour district will get a new roof before the winter, the mayor said.",
     "Parents had complained about leaks for two years, and work starts next week."],
]  # fmt: skip
TIMEOUT = int(os.environ.get("TEST_TIMEOUT", "300"))
FAST = {"NEWSRELAY_SITE_LANGUAGES": "es,ca", "NEWSRELAY_FETCH_DELAY": "0", "NEWSRELAY_FETCH_TIMEOUT": "5",
        "NEWSRELAY_FETCH_RETRY_MINUTES": "0"}  # fmt: skip


@pytest.fixture
def redis(tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


def newsrelay(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "newsrelay", *args], cwd=cwd, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip


def test_two_workers_publish_every_story_once_per_language(
    server: MockServer, tmp_path: Path, redis: RedisServer, postgres_server: PostgresServer
) -> None:
    links = [server.route(f"/n/{i}.html", article_page(" ".join(text[0].split()[:6]), text))
             for i, text in enumerate(STORIES)]  # fmt: skip
    feeds = [server.route(f"/{name}.xml", rss([(f"{name} {i}", link) for i, link in
                                               enumerate(links[k::2])]))
             for k, name in enumerate(("Gazette", "Courier"))]  # fmt: skip
    (tmp_path / "newsrelay.toml").write_text(
        render_config(
            [
                Source(name=name, url=url)
                for name, url in zip(("Gazette", "Courier"), feeds, strict=True)
            ]
        )
    )
    url = postgres_server.database()
    env = os.environ | FAST | {"NEWSRELAY_DATABASE_URL": url, "NEWSRELAY_BROKER_URL": redis.url}
    workers = [
        newsrelay("-v", "worker", "--concurrency", "1", cwd=tmp_path, env=env) for _ in range(2)
    ]
    run = newsrelay("-v", "run", "--executor", "celery", cwd=tmp_path, env=env)
    try:
        _, err = run.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        run.kill()
        err = "the run did not end:\n" + run.communicate()[1]
    finally:
        for worker in workers:
            worker.terminate()
        logs = [worker.communicate(timeout=60)[1] for worker in workers]
    assert run.returncode == 0, err + "\n".join(logs)
    published = sql(url, "SELECT t.language, count(*) FROM publications p JOIN translations t "
                         "ON t.id = p.translation_id GROUP BY t.language ORDER BY 1")  # fmt: skip
    assert published == [("ca", 4), ("es", 4)], err + "\n".join(logs)
    assert sql(url, "SELECT count(*) FROM leases") == [(0,)]
    assert len(list((tmp_path / "site/es/story").glob("*.html"))) == 4
    assert len(list((tmp_path / "site/ca/story").glob("*.html"))) == 4


def test_the_scheduler_polls_each_source_again_and_publishes_what_is_new(
    server: MockServer, tmp_path: Path, redis: RedisServer, postgres_server: PostgresServer
) -> None:
    links = [server.route(f"/n/{i}.html", article_page(" ".join(text[0].split()[:6]), text))
             for i, text in enumerate(STORIES)]  # fmt: skip
    feed = server.route("/feed.xml", rss([("First", links[0])]))
    (tmp_path / "newsrelay.toml").write_text(render_config([Source(name="Gazette", url=feed)]))
    url = postgres_server.database()
    env = os.environ | FAST | {"NEWSRELAY_DATABASE_URL": url, "NEWSRELAY_BROKER_URL": redis.url,
                               "NEWSRELAY_POLL_INTERVAL_MINUTES": "0.05"}  # fmt: skip
    worker = newsrelay("worker", "--concurrency", "1", cwd=tmp_path, env=env)
    scheduler = newsrelay("run", "--executor", "celery", "--watch", "1", cwd=tmp_path, env=env)

    def published(count: int) -> bool:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline and scheduler.poll() is None:
            rows = sql(url, "SELECT count(*) FROM publications") if _made(url) else [(0,)]
            if rows == [(count,)]:
                return True
            time.sleep(0.5)
        return False

    try:
        assert published(2)  # the first story, in Spanish and Catalan
        server.route("/feed.xml", rss([("Second", links[1]), ("First", links[0])]))
        assert published(4)  # the source was polled again, on its schedule
    finally:
        scheduler.send_signal(signal.SIGINT)
        _, err = scheduler.communicate(timeout=60)
        worker.terminate()
        worker.communicate(timeout=60)
    assert scheduler.returncode == 0, err


def _made(url: str) -> bool:
    try:
        sql(url, "SELECT 1 FROM publications LIMIT 1")
    except sqlalchemy.exc.SQLAlchemyError:
        return False
    return True
