"""newsrelay sources: list, test, add, pause and resume in newsrelay.toml (comments kept), OPML
in and out; a paused source is not polled. Real subprocesses against the local server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mockserver import MockServer, article_page, rss
from newsrelay.config import load_settings
from newsrelay.sources import from_opml, to_opml

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")
STORY = [
    "The ferry to the islands returned to service on Monday after a month of repairs to its engines.",
    "Passengers said they were glad to travel again, and the company added two crossings a day.",
]


def newsrelay(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "newsrelay", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)  # fmt: skip


def test_add_list_test_pause_resume(server: MockServer, tmp_path: Path) -> None:
    link = server.route("/n/1.html", article_page("Ferry returns", STORY))
    feed = server.route("/feed.xml", rss([("Ferry returns", link)]))
    assert newsrelay("init", cwd=tmp_path).returncode == 0
    config = tmp_path / "newsrelay.toml"
    added = newsrelay("sources", "add", "Gazette", feed, "--license", "CC BY 4.0", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert "# newsrelay settings" in config.read_text()  # the file's comments are kept
    [source] = load_settings(config).sources
    assert (source.name, source.url, source.license) == ("Gazette", feed, "CC BY 4.0")
    assert newsrelay("sources", "add", "Gazette", feed, cwd=tmp_path).returncode == 2

    tested = newsrelay("sources", "test", "Gazette", cwd=tmp_path)
    assert tested.returncode == 0, tested.stderr
    assert "1 entries" in tested.stdout and "'Ferry returns'" in tested.stdout
    assert newsrelay("sources", "test", "Nobody", cwd=tmp_path).returncode == 6

    assert newsrelay("sources", "pause", "Gazette", cwd=tmp_path).returncode == 0
    assert load_settings(config).sources[0].paused
    polled = server.hits.get("/feed.xml", 0)
    assert newsrelay("run", cwd=tmp_path).returncode == 0
    assert server.hits.get("/feed.xml", 0) == polled  # a paused source is not polled
    listed = json.loads(newsrelay("sources", "list", "--json", cwd=tmp_path).stdout)
    assert [(s["name"], s["paused"]) for s in listed] == [("Gazette", True)]

    assert newsrelay("sources", "resume", "Gazette", cwd=tmp_path).returncode == 0
    assert newsrelay("run", cwd=tmp_path).returncode == 0
    listed = json.loads(newsrelay("sources", "list", "--json", cwd=tmp_path).stdout)
    assert (listed[0]["paused"], listed[0]["published"]) == (False, 1)
    assert newsrelay("sources", "pause", "Nobody", cwd=tmp_path).returncode == 6


def test_opml_round_trip_and_import(tmp_path: Path) -> None:
    (tmp_path / "feeds.opml").write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        '<outline text="News"><outline type="rss" text="Harbour Times" xmlUrl="https://news.example/feed.xml" language="en"/>'
        '<outline type="rss" text="Licensed Wire" xmlUrl="https://wire.example/rss" republish="true" license="CC BY 4.0"/>'
        '<outline type="rss" text="Not a feed" xmlUrl="javascript:alert(1)"/></outline></body></opml>'
    )
    assert newsrelay("init", cwd=tmp_path).returncode == 0
    done = newsrelay("sources", "import-opml", "feeds.opml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr and "2 sources added" in done.stdout
    sources = load_settings(tmp_path / "newsrelay.toml").sources
    assert [(s.name, s.republish) for s in sources] == [
        ("Harbour Times", False),
        ("Licensed Wire", True),
    ]
    exported = newsrelay("sources", "export-opml", cwd=tmp_path).stdout
    assert [(s.name, s.url, s.license) for s in from_opml(exported.encode(), "out")] == [
        (s.name, s.url, s.license) for s in sources
    ]
    assert from_opml(to_opml(sources, "t").encode(), "again")[1].republish


def test_a_hostile_opml_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "bomb.opml").write_text(
        '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<opml version="2.0"><body><outline text="&b;" xmlUrl="https://x.example/f"/></body></opml>'
    )
    assert newsrelay("init", cwd=tmp_path).returncode == 0
    done = newsrelay("sources", "import-opml", "bomb.opml", cwd=tmp_path)
    assert done.returncode == 2 and "DTD" in done.stderr  # never expanded
    assert load_settings(tmp_path / "newsrelay.toml").sources == ()
    (tmp_path / "bad.opml").write_text("<opml><body>")
    bad = newsrelay("sources", "import-opml", "bad.opml", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
