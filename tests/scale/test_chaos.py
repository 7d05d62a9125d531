"""Nothing lost, nothing twice: three Celery workers killed with SIGKILL at random moments (and
started again), Redis stopped for ten seconds, PostgreSQL restarted, and at the end every story is
published exactly once per language, in the store and on the site; the same with the local
executor on SQLite killed ten times.

``NEWSRELAY_CHAOS_STORIES`` sets the number of stories (the suite's default keeps it short; the
scale-out issue's check is ``NEWSRELAY_CHAOS_STORIES=1000``)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from dedupe_corpus import Story, base_story
from mockserver import MockServer, article_page, rss
from newsrelay.config import render_config
from newsrelay.dedupe import DedupeIndex, Signature
from newsrelay.model import Source
from postgres import PostgresServer, sql
from redisserver import RedisServer

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")
COUNT = int(os.environ.get("NEWSRELAY_CHAOS_STORIES", "24"))
KILLS = 10
ENV = {"NEWSRELAY_FETCH_DELAY": "0", "NEWSRELAY_FETCH_TIMEOUT": "5",
       "NEWSRELAY_FETCH_RETRY_MINUTES": "0", "NEWSRELAY_POLL_MAX_ENTRIES": str(COUNT)}  # fmt: skip


def distinct_stories(count: int) -> list[Story]:
    """``count`` of bench/dedupe_corpus.py's stories, leaving out the rare one that newsrelay's
    near-duplicate detection takes for a story before it (so that every story is its own)."""
    index, found = DedupeIndex(), []
    for i in range(2 * count):
        story = base_story(seed=2026, index=i)
        text = "\n\n".join([story.title, *story.paragraphs])
        signature = Signature.of_text(text)
        if index.match(signature, text=text) is None:
            index.add(str(i), signature, datetime.now(UTC))
            found.append(story)
        if len(found) == count:
            return found
    raise AssertionError("not enough distinct stories")


def serve_stories(server: MockServer, tmp_path: Path) -> None:
    """COUNT distinct stories through one feed."""
    stories = distinct_stories(COUNT)
    links = [server.route(f"/n/{i}.html", article_page(story.title, story.paragraphs))
             for i, story in enumerate(stories)]  # fmt: skip
    feed = server.route("/feed.xml", rss([(f"Town {i}", link) for i, link in enumerate(links)]))
    (tmp_path / "newsrelay.toml").write_text(render_config([Source(name="Gazette", url=feed)]))


def start(args: list[str], cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """A newsrelay process in a session of its own (killing the session kills its children)."""
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "newsrelay", *args], cwd=cwd, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)  # fmt: skip


def kill(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def assert_published_once(url: str, tmp_path: Path, env: dict[str, str]) -> None:
    """Every story translated and checked once; each one the checks cleared published once, in
    the store and on the site; nothing left in progress; ``newsrelay status`` says the same."""
    assert sql(url, "SELECT status, count(*) FROM entries GROUP BY status") == [
        ("extracted", COUNT)
    ]
    assert sql(url, "SELECT count(*) FROM stories") == [(COUNT,)]
    translated = sql(url, "SELECT count(*), count(DISTINCT article_id) FROM translations")
    assert translated == [(COUNT, COUNT)]
    assert sql(url, "SELECT count(*) FROM verdicts") == [(COUNT,)]
    [(cleared,)] = sql(url, "SELECT count(*) FROM verdicts WHERE decision = 'publish'")
    published = sql(url, "SELECT count(*), count(DISTINCT translation_id) FROM publications")
    assert published == [(cleared, cleared)] and int(str(cleared)) > COUNT // 2
    assert sql(url, "SELECT count(*) FROM leases") == [(0,)]
    assert len(list((tmp_path / "site/es/story").glob("*.html"))) == cleared
    status = subprocess.run([sys.executable, "-m", "newsrelay", "status", "--json"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, check=True)  # fmt: skip
    counts = json.loads(status.stdout)
    assert counts["entries"]["extracted"] == sum(counts["entries"].values()) == COUNT, counts
    assert counts["stories"]["stories"] == COUNT
    assert counts["languages"]["es"]["published"] == cleared
    assert counts["working"] == {}


def test_celery_workers_killed_redis_stopped_postgres_restarted(
    server: MockServer, tmp_path: Path, postgres_server: PostgresServer
) -> None:
    serve_stories(server, tmp_path)
    redis = RedisServer(tmp_path)
    redis.start()
    url = postgres_server.database()
    env = os.environ | ENV | {"NEWSRELAY_DATABASE_URL": url, "NEWSRELAY_BROKER_URL": redis.url}
    chance = random.Random(1)
    workers = [start(["worker", "--concurrency", "1"], tmp_path, env, tmp_path / f"w{i}.log")
               for i in range(3)]  # fmt: skip
    run = start(["run", "--executor", "celery"], tmp_path, env, tmp_path / "run.log")
    try:
        for moment in range(KILLS):
            time.sleep(chance.uniform(0.5, 3.0))
            victim = chance.randrange(len(workers))
            kill(workers[victim])
            workers[victim] = start(["worker", "--concurrency", "1"], tmp_path, env,
                                    tmp_path / f"w{victim}.log")  # fmt: skip
            if moment == KILLS // 2:
                redis.stop()
                time.sleep(10)
                redis.start()
            if moment == KILLS // 2 + 2:
                postgres_server.restart()
        run.wait(timeout=900)
    finally:
        for worker in workers:
            kill(worker)
        if run.poll() is None:
            kill(run)
        redis.stop()
    logs = "\n".join(p.read_text(errors="replace")[-3000:] for p in sorted(tmp_path.glob("*.log")))
    assert run.returncode == 0, logs
    assert_published_once(url, tmp_path, env)


def test_local_executor_killed_ten_times(
    server: MockServer, tmp_path: Path, store_url: str
) -> None:
    serve_stories(server, tmp_path)
    env = os.environ | ENV | {"NEWSRELAY_DATABASE_URL": store_url, "NEWSRELAY_FETCH_DELAY": "0.1"}
    chance = random.Random(2)
    for _ in range(KILLS):
        run = start(["run"], tmp_path, env, tmp_path / "run.log")
        time.sleep(chance.uniform(0.5, 3.0))
        if run.poll() is None:
            kill(run)
    done = subprocess.run([sys.executable, "-m", "newsrelay", "run"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=900)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert_published_once(store_url, tmp_path, env)
