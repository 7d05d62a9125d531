"""Parse RSS 2.0, Atom 1.0, JSON Feed 1.1, sitemap indexes, Google News and plain sitemaps (XML,
gzip-compressed XML, or plain text with one URL a line).

``parse_feed`` never returns ``None``: a document that parses with problems still yields its entries
plus warnings (feedparser's *bozo*), an entry that cannot be read is skipped with a warning, and a
document that cannot be read at all raises :class:`FeedError`, whatever went wrong inside. Text is
cleaned of control characters here, so nothing downstream meets them.
"""

from __future__ import annotations

import calendar
import json
import re
import time
import zlib
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser
from lxml import etree

from newsrelay.errors import FeedError
from newsrelay.model import FeedEntry, FeedResult
from newsrelay.text import clean_text

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS_NS = "{http://www.google.com/schemas/sitemap-news/0.9}"
_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)
GZIP_MAGIC = b"\x1f\x8b"
MAX_UNZIPPED = 50_000_000  # bytes: the sitemap protocol's own limit for one file
MAX_TEXT_URLS = 50_000  # URLs in one plain-text sitemap, as the protocol allows
MAX_ENTRIES = 2_000  # entries read from one RSS, Atom or JSON feed
_ENTRY_END = re.compile(rb"</(?:[\w.-]+:)?(?:item|entry)\s*>", re.I)


def parse_feed(
    body: bytes,
    url: str,
    *,
    sitemap_max_age: timedelta = timedelta(days=2),
    now: datetime | None = None,
    max_entries: int = MAX_ENTRIES,
) -> FeedResult:
    """Read the entries of a feed or sitemap served at ``url``, of an RSS, Atom or JSON feed
    the first ``max_entries`` only (with a warning), so a feed of 100,000 entries costs what
    one of ``max_entries`` does.

    A sitemap index yields no entries; its child sitemaps are listed in ``FeedResult.sitemaps``.
    """
    try:
        return _parse(body, url, sitemap_max_age, now, max_entries)
    except FeedError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise FeedError("feed_too_complex", f"{url}: nested too deeply to read ({exc!r})") from None
    except Exception as exc:  # a parser's own error on hostile input: the feed fails alone
        raise FeedError("feed_unparseable", f"{url}: not a readable feed: {exc!r}") from None


def _parse(
    body: bytes, url: str, sitemap_max_age: timedelta, now: datetime | None, max_entries: int
) -> FeedResult:
    if body[:2] == GZIP_MAGIC:  # a sitemap.xml.gz served as it is stored
        body = _gunzip(body, url)
    head = body.lstrip()[:1]
    if head == b"{":
        return _parse_json_feed(body, url, max_entries)
    if _is_url_list(body):
        return _parse_text_sitemap(body, url)
    root = _sitemap_root(body)
    if root is not None and root.tag == SITEMAP_NS + "sitemapindex":
        return FeedResult(sitemaps=_locs(root, "sitemap", url))
    if root is not None and root.tag == SITEMAP_NS + "urlset":
        return _parse_urlset(root, url, now or datetime.now(UTC), sitemap_max_age)
    return _parse_xml_feed(body, url, max_entries)


def _first_entries(body: bytes, limit: int) -> tuple[bytes, int]:
    """An RSS or Atom document cut to its first ``limit`` entries, and how many it had: what
    follows the last entry (the closing tags) is kept, so the rest stays well-formed. The cut
    is made on the bytes, before any parser builds the entries."""
    cut = last = count = 0
    for count, match in enumerate(_ENTRY_END.finditer(body), start=1):
        if count == limit:
            cut = match.end()
        last = match.end()
    if count <= limit:
        return body, count
    return body[:cut] + body[last:], count


def _gunzip(body: bytes, url: str) -> bytes:
    """A gzip body, inflated to at most ``MAX_UNZIPPED`` bytes (a gzip bomb stops there)."""
    inflater = zlib.decompressobj(wbits=31)
    data = inflater.decompress(body, MAX_UNZIPPED)
    if inflater.unconsumed_tail:
        raise FeedError("too_large", f"{url}: inflates past {MAX_UNZIPPED} bytes")
    return data


def _is_url_list(body: bytes) -> bool:
    """A plain-text sitemap: one absolute URL a line, nothing else."""
    first = body.lstrip()[:200].split(b"\n", 1)[0].strip()
    return first.startswith((b"http://", b"https://")) and b"<" not in body[:1000]


def _parse_text_sitemap(body: bytes, url: str) -> FeedResult:
    """A plain-text sitemap (one URL a line): its URLs, undated, the first ``MAX_TEXT_URLS``."""
    result = FeedResult()
    lines = body.decode("utf-8", "replace").splitlines()
    for line in lines[:MAX_TEXT_URLS]:
        link = clean_text(line.strip())
        if not link.startswith(("http://", "https://")):
            continue
        if checked := _checked_link(url, link, result, "a URL"):
            result.entries.append(FeedEntry(guid=checked, url=checked))
    if len(lines) > MAX_TEXT_URLS:
        result.warnings.append(f"{url}: {len(lines)} lines; the first {MAX_TEXT_URLS} read")
    return result


def _sitemap_root(body: bytes) -> Any:
    try:
        return etree.fromstring(body, _XML_PARSER)
    except etree.XMLSyntaxError:
        return None


def _parse_xml_feed(body: bytes, url: str, max_entries: int) -> FeedResult:
    body, count = _first_entries(body, max_entries)
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    if parsed.bozo and not parsed.entries:
        problem = parsed.get("bozo_exception", "not a feed")
        raise FeedError("feed_unparseable", f"{url}: not a readable feed or sitemap: {problem}")
    if not parsed.get("version") and not parsed.entries:
        raise FeedError("feed_unparseable", f"{url}: not a feed or sitemap")
    rights = parsed.feed.get("rights") or parsed.feed.get("license")
    result = FeedResult(rights=clean_text(" ".join(str(rights).split()))[:500] if rights else None)
    if count > max_entries:
        result.warnings.append(f"{url}: {count} entries; the first {max_entries} read")
    if parsed.bozo:
        result.warnings.append(f"{url}: feed parsed with problems: {parsed.bozo_exception}")
    for index, item in enumerate(parsed.entries):
        try:
            entry = _xml_entry(item, url)
        except ValueError as exc:  # a link urljoin cannot read ("http://[::1")
            result.warnings.append(f"{url}: entry {index} skipped: {exc}")
            continue
        if entry is None:
            result.warnings.append(f"{url}: an entry without a link was skipped")
        else:
            result.entries.append(entry)
    return result


def _xml_entry(item: Any, feed_url: str) -> FeedEntry | None:
    link = item.get("link")
    if not link:
        return None
    link = _link(feed_url, link)
    return FeedEntry(
        guid=clean_text(str(item.get("id") or link)),
        url=link,
        title=clean_text(item.get("title", "")).strip(),
        # dict.get: feedparser's own get maps a missing "updated" to "published", with a warning
        published=_from_struct(dict.get(item, "published_parsed")),
        updated=_from_struct(dict.get(item, "updated_parsed")),
    )


def _link(base: str, link: str) -> str:
    """An entry's absolute link; ValueError when it is not an http(s) URL."""
    joined = clean_text(urljoin(base, link.strip()))
    parts = urlsplit(joined)  # raises on an unreadable host ("http://[::1")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{joined[:80]!r} is not an http(s) URL")
    return joined


def _checked_link(base: str, link: str, result: FeedResult, what: str) -> str | None:
    """``_link``, or None with a warning on ``result`` naming what was skipped and why."""
    try:
        return _link(base, link)
    except ValueError as exc:
        result.warnings.append(f"{base}: {what} skipped: {exc}")
        return None


def _from_struct(value: time.struct_time | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):  # year 10000 and the like: no date
        return None


def _parse_json_feed(body: bytes, url: str, max_entries: int) -> FeedResult:
    try:
        doc = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise FeedError("feed_unparseable", f"{url}: not valid JSON: {exc}") from None
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise FeedError("feed_unparseable", f"{url}: JSON without a JSON Feed 'version'")
    result = FeedResult()
    items = doc.get("items") or []
    if not isinstance(items, list):
        result.warnings.append(f"{url}: 'items' is not a list; no entries read")
        items = []
    if len(items) > max_entries:
        result.warnings.append(f"{url}: {len(items)} items; the first {max_entries} read")
    for index, item in enumerate(items[:max_entries]):
        link = item.get("url") if isinstance(item, dict) else None
        if not isinstance(link, str) or not link:
            result.warnings.append(f"{url}: item {index} has no url and was skipped")
            continue
        link = _checked_link(url, link, result, f"item {index}")
        if not link:
            continue
        result.entries.append(
            FeedEntry(
                guid=clean_text(str(item.get("id") or link)),
                url=link,
                title=clean_text(str(item.get("title") or "")).strip(),
                published=_from_iso(item.get("date_published"), url, result),
                updated=_from_iso(item.get("date_modified"), url, result),
            )
        )
    return result


def _from_iso(value: Any, url: str, result: FeedResult) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
        parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        parsed.astimezone(UTC)  # raises OverflowError past year 9999 in UTC
        return parsed
    except (ValueError, OverflowError):
        result.warnings.append(f"{url}: unreadable date {str(value)[:40]!r} ignored")
        return None


def _locs(root: Any, element: str, base: str) -> list[str]:
    found = root.findall(f"{SITEMAP_NS}{element}/{SITEMAP_NS}loc")
    links = []
    for loc in found:
        if not (loc.text or "").strip():
            continue
        try:
            links.append(_link(base, loc.text))
        except ValueError:
            continue  # an unreadable child sitemap: the others are followed
    return links


def _parse_urlset(root: Any, url: str, now: datetime, max_age: timedelta) -> FeedResult:
    result = FeedResult()
    undated = 0
    for node in root.findall(SITEMAP_NS + "url"):
        loc = (node.findtext(SITEMAP_NS + "loc") or "").strip()
        loc = _checked_link(url, loc, result, "a URL") if loc else ""
        if not loc:
            continue
        news = node.find(NEWS_NS + "news")
        if news is not None:
            result.entries.append(_news_entry(news, loc, url, result))
            continue
        lastmod = _from_iso((node.findtext(SITEMAP_NS + "lastmod") or "").strip(), url, result)
        if lastmod is None:
            undated += 1
        elif now - lastmod <= max_age:
            result.entries.append(FeedEntry(guid=loc, url=loc, updated=lastmod))
    if undated:
        result.warnings.append(f"{url}: {undated} URLs without lastmod were skipped")
    return result


def _news_entry(news: Any, loc: str, url: str, result: FeedResult) -> FeedEntry:
    title = clean_text(news.findtext(NEWS_NS + "title") or "").strip()
    published = _from_iso((news.findtext(NEWS_NS + "publication_date") or "").strip(), url, result)
    return FeedEntry(guid=loc, url=loc, title=title, published=published)
