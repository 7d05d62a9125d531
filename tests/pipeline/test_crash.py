"""A run killed with SIGKILL mid-way resumes with nothing lost and nothing duplicated."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy

from mockserver import MockServer, article_page, rss
from newsrelay import Store, load_settings
from newsrelay.config import render_config
from newsrelay.model import Source
from postgres import sql

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")
COUNT = 12


WORDS = (
    "river bridge market school council harbour museum library station garden farmer teacher "
    "doctor nurse driver baker painter singer player coach mayor judge village city valley "
    "mountain forest island road train bus ship plane summer winter spring autumn morning "
    "evening money price tax budget plan vote law court hospital factory shop street park"
).split()


def story(i: int) -> list[str]:
    """Two paragraphs that no other story of this test shares (distinct stories, not copies)."""
    pick = random.Random(i).sample
    return [
        f"The {' and the '.join(pick(WORDS, 6))} were in the news on Monday in town {i}.",
        f"People spoke about the {', the '.join(pick(WORDS, 8))} for a long time that day.",
    ]


def count_rows(url: str, table: str) -> int:
    try:
        return int(str(sql(url, f"select count(*) from {table}")[0][0]))
    except sqlalchemy.exc.SQLAlchemyError:
        return 0  # not created yet


def test_sigkill_mid_run_then_rerun_completes(
    server: MockServer, tmp_path: Path, store_url: str
) -> None:
    links = [
        server.route(f"/n/{i}.html", article_page(f"Report {i}", story(i))) for i in range(COUNT)
    ]
    feed = server.route("/feed.xml", rss([(f"Museum {i}", link) for i, link in enumerate(links)]))
    config = tmp_path / "newsrelay.toml"
    # one page a second: the kill lands while pages are still being fetched
    config.write_text(
        render_config([Source(name="G", url=feed)]).replace("delay = 0.2", "delay = 1.0")
    )

    run = subprocess.Popen(
        [sys.executable, "-m", "newsrelay", "run"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while count_rows(store_url, "pages") < 3 and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.05)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    assert count_rows(store_url, "pages") < COUNT, "the run finished before it was killed"

    rerun = subprocess.run(
        [sys.executable, "-m", "newsrelay", "run"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert rerun.returncode == 0, rerun.stderr

    store = Store.open(load_settings(config).store_url)
    counts = store.row_counts()
    store.close()
    for table in ("entries", "pages", "articles", "translations", "verdicts", "publications"):
        assert counts[table] == COUNT, table
    assert len(list((tmp_path / "site/es/story").glob("*.html"))) == COUNT
    assert not list((tmp_path / "site").rglob("*.tmp"))
