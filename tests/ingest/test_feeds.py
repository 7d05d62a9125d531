"""Every file in fixtures/feeds carries its description and expected result (``expect``)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsrelay.errors import FeedError
from newsrelay.ingest import parse_feed

FIXTURES = sorted((Path(__file__).parent.parent / "fixtures" / "feeds").iterdir())
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def expectation(path: Path) -> dict[str, object]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".json":
        return dict(json.loads(text)["_expect"])
    match = re.search(r"<!-- expect: (.*?) -->", text, re.S)
    assert match, f"{path.name} carries no expect comment"
    return dict(json.loads(match.group(1)))


@pytest.mark.parametrize("path", FIXTURES, ids=[p.name for p in FIXTURES])
def test_feed_fixture(path: Path) -> None:
    expect = expectation(path)
    if "error" in expect:
        with pytest.raises(FeedError) as caught:
            parse_feed(path.read_bytes(), "http://127.0.0.1/feed", now=NOW)
        assert caught.value.reason == expect["error"]
        return
    result = parse_feed(path.read_bytes(), "http://127.0.0.1/feed", now=NOW)
    assert [e.url for e in result.entries] == expect["urls"]
    for key, attribute in (("guids", "guid"), ("titles", "title")):
        if key in expect:
            assert [getattr(e, attribute) for e in result.entries] == expect[key]
    if "published" in expect:
        assert [e.published.isoformat() for e in result.entries if e.published] == expect[
            "published"
        ]
    assert result.sitemaps == expect.get("sitemaps", [])
    if "warnings" in expect:
        assert len(result.warnings) == expect["warnings"], result.warnings
    else:
        assert len(result.warnings) >= int(str(expect["min_warnings"]))


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "feed_unparseable"),
        (b"   \n", "feed_unparseable"),
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "items": ' + b"[" * 100_000,
            "feed_too_complex",
        ),
        (
            b'{"version": "https://jsonfeed.org/version/1.1", "items": '
            + b"[" * 100_000
            + b"]" * 100_000
            + b"}",
            "feed_too_complex",
        ),
        (b"<rss>" + b"<a>" * 100_000, "feed_unparseable"),
    ],
    ids=["empty", "blank", "nested-json-unclosed", "nested-json", "nested-xml"],
)
def test_hostile_feeds_fail_with_a_reason(body: bytes, reason: str) -> None:
    with pytest.raises(FeedError) as caught:
        parse_feed(body, "http://127.0.0.1/feed", now=NOW)
    assert caught.value.reason == reason


def test_a_gzip_sitemap_reads_as_its_xml() -> None:
    import gzip

    xml = (Path(__file__).parent.parent / "fixtures/feeds/sitemap-index.xml").read_bytes()
    assert parse_feed(gzip.compress(xml), "http://127.0.0.1/s.xml.gz", now=NOW).sitemaps == (
        parse_feed(xml, "http://127.0.0.1/s.xml", now=NOW).sitemaps
    )


def test_a_gzip_bomb_is_cut() -> None:
    import gzip

    bomb = gzip.compress(b"<urlset>" + b" " * 60_000_000)
    with pytest.raises(FeedError) as caught:
        parse_feed(bomb, "http://127.0.0.1/bomb.xml.gz", now=NOW)
    assert caught.value.reason == "too_large"


def test_a_plain_text_sitemap_lists_its_urls() -> None:
    body = b"http://127.0.0.1/t/1.html\nhttp://127.0.0.1/t/2.html\n\nnot a url\nhttp://[::1\n"
    result = parse_feed(body, "http://127.0.0.1/sitemap.txt", now=NOW)
    assert [e.url for e in result.entries] == [
        "http://127.0.0.1/t/1.html",
        "http://127.0.0.1/t/2.html",
    ]
    assert len(result.warnings) == 1


@pytest.mark.parametrize("kind", ["rss", "atom", "json"])
def test_only_the_first_entries_of_a_huge_feed_are_read(kind: str) -> None:
    links = [f"http://127.0.0.1/n/{i}.html" for i in range(50)]
    if kind == "rss":
        items = "".join(f"<item><title>S{i}</title><link>{u}</link></item>" for i, u in
                        enumerate(links))  # fmt: skip
        body = f'<rss version="2.0"><channel><title>T</title>{items}</channel></rss>'
    elif kind == "atom":
        items = "".join(f'<entry><id>{u}</id><title>S{i}</title><link href="{u}"/></entry>'
                        for i, u in enumerate(links))  # fmt: skip
        body = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>{items}</feed>'
    else:
        body = json.dumps({"version": "https://jsonfeed.org/version/1.1",
                           "items": [{"id": u, "url": u} for u in links]})  # fmt: skip
    result = parse_feed(body.encode(), "http://127.0.0.1/feed", max_entries=10)
    assert [e.url for e in result.entries] == links[:10]
    assert any("50 " in w and "the first 10 read" in w for w in result.warnings)
    assert not any("problems" in w for w in result.warnings)  # the cut document is well-formed
