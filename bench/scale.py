"""Stories per minute with the local executor and with 1, 2 and 4 Celery worker processes, on
this machine, as ratios of the local executor measured in the same run.

Every configuration takes the same N generated stories (bench/pipeline.py's, in the demo's page
layout) from a local feed server into a fresh PostgreSQL database (the store a Celery deployment
uses; the local executor runs on it too, so that the ratios compare executors, not databases)
and a fresh site folder, with a real Redis as the broker. Each is timed as the wall time of one
``newsrelay run`` (``--executor celery`` for the workers, which are started and answering before
the clock starts), until every story is published. Politeness is off (no per-host delay), as in
bench/pipeline.py. The per-story costs it prints (engine seconds per story, from the store) are
what the README's scaling projection uses.

    python bench/scale.py [--articles 200] [--workers 1,2,4]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from newsrelay.config import load_settings, render_config
from newsrelay.demo import DemoServer, DemoSite
from newsrelay.model import Source
from newsrelay.pipeline.tasks import make_app
from pipeline import sample_stories
from postgres import PostgresServer, sql
from redisserver import RedisServer

FAST = {"NEWSRELAY_FETCH_DELAY": "0", "NEWSRELAY_FETCH_PER_HOST": "8",
        "NEWSRELAY_FETCH_ALLOW_ADDRESSES": "127.0.0.1", "NEWSRELAY_POLL_MAX_ENTRIES": "10000",
        "NEWSRELAY_FETCH_MAX_PAGES_PER_RUN": "100000"}  # fmt: skip


def newsrelay(*args: str, cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "newsrelay", *args], cwd=cwd, env=env,
                                stdout=out, stderr=subprocess.STDOUT)  # fmt: skip


def measure(
    feed: str, base: Path, pg: PostgresServer, redis: RedisServer, workers: int
) -> tuple[float, int, int, float]:
    """Seconds of one run with ``workers`` Celery worker processes (0: the local executor),
    the stories taken through to a verdict, those published, and the engine's seconds per
    story."""
    work = base / f"w{workers}"
    work.mkdir()
    (work / "newsrelay.toml").write_text(render_config([Source(name="Sample", url=feed)]))
    url = pg.database()
    env = os.environ | FAST | {"NEWSRELAY_DATABASE_URL": url, "NEWSRELAY_BROKER_URL": redis.url}
    subprocess.run(
        [sys.executable, "-m", "newsrelay", "status"],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
    )  # fmt: skip  (the store made, not timed)
    started_workers = [newsrelay("worker", "--concurrency", "1", cwd=work, env=env,
                                 log=work / f"worker{i}.log") for i in range(workers)]  # fmt: skip
    try:
        if workers:
            app = make_app(load_settings(work / "newsrelay.toml", environ=env))
            deadline = time.monotonic() + 120
            while len(app.control.ping(timeout=1.0)) < workers:
                if time.monotonic() > deadline:
                    raise RuntimeError("the workers did not start; see " + str(work))
        args = ["run", "--executor", "celery"] if workers else ["run"]
        started = time.perf_counter()
        run = newsrelay(*args, cwd=work, env=env, log=work / "run.log")
        if run.wait(timeout=3600) != 0:
            raise RuntimeError(f"the run failed; see {work / 'run.log'}")
        seconds = time.perf_counter() - started
    finally:
        for worker in started_workers:
            worker.terminate()
            worker.wait(timeout=60)
    [(checked,)] = sql(url, "SELECT count(*) FROM verdicts")
    [(published,)] = sql(url, "SELECT count(*) FROM publications")
    [(engine,)] = sql(url, "SELECT coalesce(sum(engine_seconds), 0) FROM translations")
    done = int(str(checked))
    return seconds, done, int(str(published)), float(str(engine)) / max(done, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=200)
    parser.add_argument("--workers", default="1,2,4")
    args = parser.parse_args()
    counts = [int(n) for n in args.workers.split(",")]
    base = Path(tempfile.mkdtemp(prefix="newsrelay-scale-"))
    pg = PostgresServer(Path(tempfile.mkdtemp(prefix="newsrelay-scale-pg-")))
    redis = RedisServer(base)
    pg.start()
    redis.start()
    site = DemoSite(sample_stories(args.articles))
    try:
        with DemoServer(site) as server:
            results = {n: measure(server.feed_url, base, pg, redis, n) for n in [0, *counts]}
    finally:
        redis.stop()
        pg.stop()
        shutil.rmtree(pg.base, ignore_errors=True)
        shutil.rmtree(base, ignore_errors=True)
    local = results[0][0]
    print(f"{args.articles} stories, {os.cpu_count()} cores; PostgreSQL store, Redis broker")
    for n, (seconds, done, published, engine) in results.items():
        name = "local executor" if n == 0 else f"{n} Celery worker{'s' if n > 1 else ''}"
        print(f"  {name:<18} {seconds:7.1f} s  {done / seconds * 60:6.0f} stories/minute  "
              f"x{local / seconds:.2f} of local  ({done} checked, {published} published, "
              f"engine {engine:.3f} s/story)")  # fmt: skip


if __name__ == "__main__":
    main()
