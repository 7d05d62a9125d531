"""What the fuzzers feed: feeds, sitemaps, JSON Feeds and pages built from hostile pieces, and the
contract each parser keeps on any input (a result, or newsrelay's own error with a reason code;
never another exception). Shared by tests/fuzz (a fixed budget in CI) and bench/fuzz.py (longer)."""

from __future__ import annotations

from hypothesis import strategies as st

from newsrelay.errors import ExtractError, FeedError
from newsrelay.extract import extract_article
from newsrelay.ingest import parse_feed

NASTY = ["\x00", "\x01", "\x0b", "\ufffe", "\ud800", "&amp;", "&#0;", "&#x1F;", "&ent;",
         "]]>", "<![CDATA[", "<!--", "-->", "<script>", "</script>", "javascript:alert(1)",
         "http://[::1", "9999-12-31T23:59:59-14:00", "0000-00-00", "\u2028", "'", '"', "<", ">",
         "%", "\\"]  # fmt: skip
TAGS = ["rss", "channel", "item", "title", "link", "guid", "pubDate", "description", "feed",
        "entry", "id", "updated", "published", "urlset", "url", "loc", "lastmod", "sitemapindex",
        "sitemap", "news:news", "news:title", "news:publication_date", "html", "body", "article",
        "p", "h1", "div", "a", "script", "table", "td", "meta"]  # fmt: skip

ATTRIBUTES = ["", ' href="{}"', ' xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"',
              ' version="2.0"', ' rel="alternate" href="{}"']  # fmt: skip
text = st.one_of(st.text(max_size=40), st.sampled_from(NASTY))


@st.composite
def markup(draw: st.DrawFn, depth: int = 0) -> str:
    """An XML or HTML fragment, well-formed or not, of the tags feeds and pages use."""
    tag = draw(st.sampled_from(TAGS))
    attributes = draw(st.sampled_from(ATTRIBUTES))
    attributes = attributes.format(draw(text).replace('"', ""))
    children = [draw(markup(depth + 1)) if depth < 4 and draw(st.booleans()) else draw(text)
                for _ in range(draw(st.integers(0, 4)))]  # fmt: skip
    close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", "", "</x>"]))
    return f"<{tag}{attributes}>{''.join(children)}{close}"


@st.composite
def json_feed(draw: st.DrawFn) -> bytes:
    """A JSON Feed with items of any shape."""
    value = st.recursive(st.none() | st.booleans() | st.integers() | text,
                         lambda inner: st.lists(inner, max_size=3)
                         | st.dictionaries(st.sampled_from(["id", "url", "title", "date_published",
                                                            "date_modified", "items"]), inner,
                                           max_size=4), max_leaves=12)  # fmt: skip
    import json

    items = draw(st.one_of(value, st.lists(value, max_size=4)))
    doc = {"version": "https://jsonfeed.org/version/1.1", "title": draw(text), "items": items}
    return json.dumps(doc).encode()


documents = st.one_of(
    markup().map(lambda m: ('<?xml version="1.0"?>' + m).encode("utf-8", "surrogatepass")),
    markup().map(lambda m: m.encode("utf-8", "surrogatepass")),
    json_feed(),
    st.binary(max_size=200),
)


def parse_feed_keeps_its_contract(body: bytes) -> None:
    """parse_feed returns entries and warnings, or raises FeedError with a reason code."""
    try:
        result = parse_feed(body, "http://127.0.0.1/feed.xml")
    except FeedError as exc:
        assert exc.reason
        return
    for entry in result.entries:
        assert entry.url.startswith(("http://", "https://")), entry.url
        assert not any(ord(c) < 32 and c not in "\t\n\r" for c in entry.title)


def extract_keeps_its_contract(html: str) -> None:
    """extract_article returns an article, or raises ExtractError with a reason code."""
    try:
        article = extract_article(html, "http://127.0.0.1/news/1.html")
    except ExtractError as exc:
        assert exc.reason
        return
    assert article.meta.lead_image is None or article.meta.lead_image.startswith("http")
