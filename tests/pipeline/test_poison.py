"""No poison pills: inputs that once crashed every run (a control character in a title, a JSON
Feed whose items are a number, an empty feed, a JSON Feed nested 100,000 deep, an Atom date past
year 9999 in UTC, a link with a broken IPv6 host) fail alone, beside a good source, and the run
goes on, in this run and the next one."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import WriteSettings
from mockserver import MockServer, article_page, rss
from newsrelay import Store, run_once
from newsrelay.config import render_config
from newsrelay.model import Source

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")

TEXTS = [
    ["The ferry to the islands returned to service on Monday after a month of repairs to its engines.",
     "Passengers said they were glad to travel again, and the company added two crossings a day."],
    ["The city library will open on Sundays from January, the council said on Tuesday.",
     "Readers had asked for longer hours, and two new librarians will be hired for the weekends."],
    ["A storm brought down trees across the northern valleys overnight, closing three roads.",
     "Crews worked through the morning to clear them, and the roads opened again by noon."],
    ["The school on Hill Street will get a new roof this summer, the education office said.",
     "Pupils will move to the sports hall for two weeks while the builders finish the work."],
    ["Farmers in the south expect a good harvest of apples after a mild and wet spring.",
     "Prices at the weekly market fell by a tenth, and buyers came from the nearby towns."],
]  # fmt: skip


def atom(entries: list[tuple[str, str, str]]) -> str:
    items = "".join(
        f"<entry><title>{t}</title><link href='{link}'/><id>{link}</id><updated>{when}</updated>"
        "</entry>"
        for t, link, when in entries
    )
    return (f"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><title>A</title>"
            f"<id>urn:a</id><updated>2026-11-30T10:00:00Z</updated>{items}</feed>")  # fmt: skip


def test_poison_inputs_fail_alone_and_the_run_goes_on(server: MockServer, tmp_path: Path) -> None:
    good = [server.route(f"/good/{i}.html", article_page(f"Story {i}", TEXTS[i])) for i in range(3)]
    controls = article_page("Storm\x01 hits \x0bthe valleys", TEXTS[3]).replace(
        "the weekly", "the\x02 weekly"
    )
    nested = '{"version": "https://jsonfeed.org/version/1.1", "items": ' + "[" * 100_000
    sources = [
        Source(name="Good", url=server.route("/good.xml", rss([(f"S{i}", u) for i, u in enumerate(good)]))),
        Source(name="Controls", url=server.route("/controls.xml", rss([("Storm", server.route("/c.html", controls))]))),
        Source(name="Items5", url=server.route("/items5.json", '{"version": "https://jsonfeed.org/version/1.1", "title": "x", "items": 5}',
                                               headers={"Content-Type": "application/feed+json"})),
        Source(name="Empty", url=server.route("/empty.xml", "")),
        Source(name="Nested", url=server.route("/nested.json", nested + "]" * 100_000 + "}")),
        Source(name="Year10000", url=server.route("/atom.xml", atom([
            ("Harvest", server.route("/harvest.html", article_page("Harvest", TEXTS[4])), "9999-12-31T23:59:59-14:00"),
        ]))),
        Source(name="BrokenLink", url=server.route("/ipv6.xml", rss([("Broken", "http://[::1")]))),
    ]  # fmt: skip
    (tmp_path / "newsrelay.toml").write_text(render_config(sources))
    env = os.environ | {"NEWSRELAY_FETCH_DELAY": "0", "NEWSRELAY_FETCH_RETRIES": "0"}

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "newsrelay", "run"], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=600)  # fmt: skip

    first = run()
    assert first.returncode == 0, first.stderr
    assert "Traceback" not in first.stderr
    stories = sorted((tmp_path / "site/es/story").glob("*.html"))
    assert len(stories) == 5  # three good ones, the one with control characters, the harvest
    pages = "".join(p.read_text(encoding="utf-8") for p in stories)
    assert not any(chr(c) in pages for c in (1, 2, 11))

    status = json.loads(subprocess.run([sys.executable, "-m", "newsrelay", "status", "--json"],
                                       cwd=tmp_path, capture_output=True, text=True).stdout)  # fmt: skip
    reasons = {p["reason"] for p in status["problems"]}
    assert {"feed_unparseable", "feed_too_complex"} <= reasons  # the empty and the nested feed
    assert status["languages"]["es"]["published"] == 5

    second = run()
    assert second.returncode == 0, second.stderr
    assert "Traceback" not in second.stderr


def test_a_story_whose_page_cannot_be_rendered_fails_alone(
    server: MockServer, write_settings: WriteSettings, tmp_path: Path
) -> None:
    """A theme's template that raises on one story: that story fails with its reason and is
    tried again later; the others are published, and the site never links to the missing page."""
    theme = tmp_path / "theme"
    theme.mkdir()
    page = ('<!doctype html><html lang="{{ lang }}"><body><h1>{{ story.title }}</h1>'
            "{{ body }}</body></html>")  # fmt: skip
    (theme / "story.html").write_text(
        '{% if "storm" in story.original_title %}{{ story.no_such.field }}{% endif %}' + page
    )
    links = [server.route(f"/news/{n}.html", article_page(title, TEXTS[n]))
             for n, title in enumerate(["Ferry back", "Library open", "Big storm"])]  # fmt: skip
    feed = server.route("/feed.xml", rss([(f"Story {n}", link) for n, link in enumerate(links)]))
    settings = write_settings([Source(name="Gazette", url=feed)],
                              {"site.theme": "theme", "fetch.retry_minutes": 0.0})  # fmt: skip
    store = Store.open(settings.store_url)

    report = run_once(settings, store)

    assert report.counts["publish"] == {"ok": 2, "failed": 1}
    [problem] = [p for p in store.problems() if p["stage"] == "publish"]
    assert problem["reason"] == "internal_error" and "no attribute 'no_such'" in problem["detail"]
    site = settings.output_dir
    assert len(list((site / "es/story").glob("*.html"))) == 2
    assert "storm" not in (site / "es/feed.xml").read_text().lower()  # no link to a missing page

    (theme / "story.html").write_text(page)  # the theme fixed: the story goes out next run
    assert run_once(settings, store).counts["publish"] == {"ok": 1}
    assert len(list((site / "es/story").glob("*.html"))) == 3
