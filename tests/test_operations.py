"""Operating newsrelay from cron or systemd: one-line errors with their exit codes, the run lock,
a host that is down for one run, and the exit code of a run that did not work. Real subprocesses,
as a scheduler runs them."""

from __future__ import annotations

import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy

from mockserver import MockServer, article_page, rss
from newsrelay import __version__
from newsrelay.cli import global_options_first
from newsrelay.config import render_config
from newsrelay.model import Source
from postgres import IN_USE, sql

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")
FAST = {f"NEWSRELAY_FETCH_{k}": v for k, v in
        {"DELAY": "0", "BACKOFF": "0.05", "TIMEOUT": "2", "RETRIES": "0", "RETRY_MINUTES": "0"}.items()}  # fmt: skip
STORY = [
    "The ferry to the islands returned to service on Monday after a month of repairs to its engines.",
    "Passengers said they were glad to travel again, and the company added two crossings a day.",
]
METRICS = {"NEWSRELAY_METRICS_FILE": "metrics.prom"}
STORIES = [
    STORY,
    ["The city library will open on Sundays from January, the council said on Tuesday.",
     "Readers had asked for longer hours, and two new librarians will be hired for the weekends."],
    ["A storm brought down trees across the northern valleys overnight, closing three roads.",
     "Crews worked through the morning to clear them, and the roads opened again by noon."],
]  # fmt: skip


def newsrelay(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newsrelay", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600, env=os.environ | FAST | (env or {}))  # fmt: skip


def one_line_error(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
    return lines[0]


def configure(tmp_path: Path, *sources: Source) -> None:
    (tmp_path / "newsrelay.toml").write_text(render_config(list(sources)))


def test_version(tmp_path: Path) -> None:
    done = newsrelay("--version", cwd=tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, f"newsrelay {__version__}")


def test_global_options_work_after_the_command() -> None:
    assert global_options_first(["status", "--json", "--config", "x.toml", "-vv"]) == [
        "--config", "x.toml", "-vv", "status", "--json",
    ]  # fmt: skip
    assert global_options_first(["lint", "--", "-v"]) == ["lint", "--", "-v"]
    assert global_options_first(["run", "--log-format=json"]) == ["--log-format=json", "run"]


def test_expected_failures_are_one_line_with_their_exit_code(tmp_path: Path) -> None:
    (tmp_path / "other.toml").write_text("[fetch]\ntimeot = 3\n")
    typo = newsrelay("status", "--config", "other.toml", cwd=tmp_path)
    assert typo.returncode == 2
    assert "did you mean 'fetch.timeout'?" in one_line_error(typo)

    configure(tmp_path)
    missing = newsrelay("review", "show", "99", cwd=tmp_path)
    assert missing.returncode == 6 and "no such translation" in one_line_error(missing)

    env = {"NEWSRELAY_DATABASE_URL": "postgresql+psycopg://u@127.0.0.1:1/db"}
    no_driver = newsrelay("status", cwd=tmp_path, env=env)
    line = one_line_error(no_driver)  # without psycopg, 3 and the extra; with it, 4 (no server)
    assert no_driver.returncode in (3, 4)
    if no_driver.returncode == 3:
        assert "pip install 'newsrelay[postgres]'" in line

    (tmp_path / "a-file").write_text("")
    unwritable = newsrelay("run", cwd=tmp_path, env={"NEWSRELAY_SITE_OUTPUT": "a-file/site"})
    assert unwritable.returncode == 2
    assert "the site folder cannot be written" in one_line_error(unwritable)
    assert "this pass" not in unwritable.stdout  # refused before any work

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        (tmp_path / "site").mkdir()
        port = str(busy.getsockname()[1])
        served = newsrelay("serve", "--port", port, "--directory", "site", cwd=tmp_path)
    assert served.returncode == 2 and "already in use" in one_line_error(served)


def test_a_store_from_a_newer_newsrelay_is_refused_not_downgraded(
    tmp_path: Path, store_url: str
) -> None:
    configure(tmp_path)
    assert newsrelay("status", cwd=tmp_path).returncode == 0
    sql(store_url, "UPDATE alembic_version SET version_num = '9999'")
    done = newsrelay("run", cwd=tmp_path)
    assert done.returncode == 4
    assert "newer than this newsrelay knows" in one_line_error(done)
    assert sql(store_url, "SELECT version_num FROM alembic_version") == [("9999",)]  # as it was


@pytest.mark.skipif(IN_USE, reason="damages a SQLite file; PostgreSQL checks its own pages")
def test_damaged_store_is_reported_by_run_and_status(tmp_path: Path) -> None:
    configure(tmp_path)
    assert newsrelay("status", cwd=tmp_path).returncode == 0
    db = tmp_path / "newsrelay.db"
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(db.read_bytes())
    for page in range(2, len(data) // page_size):  # every page but the header's
        data[page * page_size : page * page_size + 200] = b"\xff" * 200
    db.write_bytes(bytes(data))
    for command in ("run", "status"):
        done = newsrelay(command, cwd=tmp_path)
        assert done.returncode == 4, (command, done.stderr)
        line = one_line_error(done)
        assert "damaged" in line or "malformed" in line or "not a database" in line


def test_run_exits_7_when_every_source_failed_and_logs_json(tmp_path: Path) -> None:
    with socket.socket() as closed:  # bound, never listening: connections are refused
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/feed.xml"
        configure(tmp_path, Source(name="Down", url=url))
        done = newsrelay("run", "--log-format", "json", cwd=tmp_path)
    assert done.returncode == 7, done.stderr
    assert "every source failed" in done.stderr
    logged = [json.loads(line) for line in done.stderr.splitlines() if line.startswith("{")]
    [failure] = [r for r in logged if r.get("reason") == "connection_refused"]
    assert failure["stage"] == "poll" and failure["level"] == "warning" and failure["time"]


def test_a_host_down_for_one_run_is_published_on_the_next(tmp_path: Path) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        feed = f"http://127.0.0.1:{port}/feed.xml"
        configure(tmp_path, Source(name="Gazette", url=feed))
        assert newsrelay("run", cwd=tmp_path, env=METRICS).returncode == 7
    prom = (tmp_path / "metrics.prom").read_text()
    assert 'newsrelay_failures_total{reason="connection_refused",stage="poll"} 1' in prom
    assert 'newsrelay_source_errors_in_a_row{source="Gazette"} 1' in prom
    status = json.loads(newsrelay("status", "--json", cwd=tmp_path).stdout)
    [problem] = status["problems"]
    assert (problem["stage"], problem["reason"]) == ("poll", "connection_refused")
    [source] = status["sources"]
    assert source["last_error"].startswith("connection_refused") and source["failing_since"]
    assert source["last_success"] is None and source["failing_since"].endswith("+00:00")

    server = MockServer(port=port)
    try:
        link = server.route("/news/ferry.html", article_page("Ferry returns", STORY))
        server.route("/feed.xml", rss([("Ferry returns", link)]))
        done = newsrelay("run", cwd=tmp_path, env=METRICS)
    finally:
        server.close()
    assert done.returncode == 0, done.stderr
    status = json.loads(newsrelay("status", "--json", cwd=tmp_path).stdout)
    assert status["languages"]["es"]["published"] == 1
    [source] = status["sources"]
    assert (source["failing_since"], source["published"], source["entries"]) == (None, 1, 1)
    assert source["last_success"] is not None
    prom = (tmp_path / "metrics.prom").read_text()
    assert 'newsrelay_translations{decision="publish",language="es"} 1' in prom
    assert 'newsrelay_source_last_success_timestamp_seconds{source="Gazette"}' in prom
    assert re.search(r'newsrelay_last_run_stage_seconds\{stage="translate"\} [0-9.e-]+', prom)
    where = 'engine="apertium",model="",source="Gazette"'
    sent = re.search(rf'newsrelay_engine_characters_total\{{direction="in",{where}\}} (\d+)', prom)
    text = len("Ferry returns") + sum(len(sentence) for sentence in STORY)
    assert sent and text <= int(sent.group(1)) < 2 * text  # the title and the body, once
    recalled = 'engine="apertium",model="",outcome="recalled",source="Gazette"'
    assert f"newsrelay_engine_segments_total{{{recalled}}} 0" in prom
    [usage] = status["engine_usage"]
    assert (usage["source"], usage["translations"], usage["chars_in"]) == (
        "Gazette",
        1,
        int(sent.group(1)),
    )
    printed = newsrelay("metrics", cwd=tmp_path).stdout
    assert "# TYPE newsrelay_entries gauge" in printed and 'status="extracted"} 1' in printed
    for line in printed.splitlines():  # every sample line is "name{labels} number"
        assert line.startswith("#") or re.fullmatch(r"newsrelay_\w+(\{[^}]*\})? [0-9.e+-]+", line)


def test_an_article_host_down_is_retried_not_taken_for_robots(tmp_path: Path) -> None:
    feeds = MockServer()
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
        link = f"http://127.0.0.1:{port}/news/ferry.html"
        feeds.route("/feed.xml", rss([("Ferry returns", link)]))
        configure(tmp_path, Source(name="Gazette", url=feeds.url("/feed.xml")))
        assert newsrelay("run", cwd=tmp_path).returncode == 0  # the feed answered
    status = json.loads(newsrelay("status", "--json", cwd=tmp_path).stdout)
    assert status["entries"]["failed"] == 1
    assert [p["reason"] for p in status["problems"]] == ["connection_refused"]
    pages = MockServer(port=port)
    try:
        pages.route("/news/ferry.html", article_page("Ferry returns", STORY))
        assert newsrelay("run", cwd=tmp_path).returncode == 0
    finally:
        pages.close()
        feeds.close()
    status = json.loads(newsrelay("status", "--json", cwd=tmp_path).stdout)
    assert status["languages"]["es"]["published"] == 1


def test_two_runs_at_once_one_works_the_other_reports_the_lock(
    tmp_path: Path, store_url: str
) -> None:
    server = MockServer()
    try:
        links = [server.route(f"/n/{i}.html", article_page(" ".join(text[0].split()[:5]), text))
                 for i, text in enumerate(STORIES)]  # fmt: skip
        server.route("/feed.xml", rss([(f"Story {i}", link) for i, link in enumerate(links)]))
        # the first run is slowed by a source that answers after 3 seconds
        configure(tmp_path, Source(name="Gazette", url=server.url("/feed.xml")),
                  Source(name="Slow", url=server.url("/slow")))  # fmt: skip
        first = subprocess.Popen([sys.executable, "-m", "newsrelay", "run"], cwd=tmp_path,
                                 env=os.environ | FAST, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not _locked(store_url):
            time.sleep(0.05)
        second = newsrelay("run", cwd=tmp_path)
        _, first_err = first.communicate(timeout=600)
    finally:
        server.close()
    assert first.returncode == 0, first_err
    assert second.returncode == 8
    assert "has held the store's run lock" in one_line_error(second)
    assert sql(store_url, "SELECT count(*) FROM entries") == [(3,)], first_err
    assert sql(store_url, "SELECT count(*) FROM publications") == [(3,)]
    assert sql(store_url, "SELECT count(*) FROM locks") == [(0,)]
    assert len(list((tmp_path / "site/es/story").glob("*.html"))) == 3


def _locked(url: str) -> bool:
    try:
        return bool(sql(url, "SELECT count(*) FROM locks")[0][0])
    except sqlalchemy.exc.SQLAlchemyError:  # not made yet
        return False
