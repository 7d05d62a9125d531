"""Script injection, end to end: 200 vectors (xss_vectors) placed in every field a source page
and its feed can carry (headline, standfirst, byline, image URL and caption, section and tags,
body markup, link targets, body text that shows markup, JSON-LD, the feed's titles and
descriptions) go through ``run_once`` with every story published, and then:

- every page of the site is opened in headless Chromium with the Content-Security-Policy
  bypassed (so the test sees what the markup does, not only what the policy blocks) and a hook
  that records any call of ``nrx`` (each vector's payload), ``alert``, ``confirm`` or
  ``prompt``: none may happen, and no request may leave the site (a control page with a
  vector left as markup shows that the hook sees what runs);
- every page and feed is read as HTML where a reader renders HTML (RSS descriptions, Atom and
  JSON Feed content, and titles, which readers often render too): no script element but the
  JSON-LD block, no event handler attribute, no frame, object, embed, form, base or refresh,
  and no link or image URL other than http, https, mailto or the site's own relative ones.
"""

from __future__ import annotations

import json
import random
import re
import time
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import lxml.html
import pytest
from devtools import Chromium, chromium_fixture, site_server_fixture  # noqa: F401  (fixtures)
from xss_vectors import vectors

from conftest import WriteSettings
from mockserver import MockServer
from newsrelay import Store, run_once
from newsrelay.model import Source

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")

TOWNS = (
    "Lakeside Harlow Bramford Castlemere Dunwick Elmstead Fairholt Glenrock Hollin Ivydale "
    "Kestrel Larkhill Marrow Northby Oakhurst Pellow Rushmere Saltash Thornby Upton"
).split()
NOUNS = (
    "pier bridge school clinic library park ferry market station depot well farm dock mill "
    "pond garden museum hall court tower road lane harbour river bakery theatre"
).split()
VERBS = (
    "built opened closed repaired painted sold bought moved cleaned measured visited planned"
).split()
ADJECTIVES = "old new small large busy quiet northern southern green wooden".split()
PEOPLE = "workers teachers farmers nurses drivers pupils fishermen neighbours".split()


def story(n: int) -> list[str]:
    """Three paragraphs of a story of its own, made of words drawn at random (so that no two
    pages are taken for one story)."""
    pick = random.Random(n).choice

    def sentence() -> str:
        return (f"{pick(TOWNS)} {pick(PEOPLE)} {pick(VERBS)} the {pick(ADJECTIVES)} {pick(NOUNS)} "
                f"near the {pick(NOUNS)} on {pick(DAYS)}, and {pick(PEOPLE)} {pick(VERBS)} "
                f"{random.Random(n).randint(3, 90)} {pick(NOUNS)}s.")  # fmt: skip

    return [" ".join(sentence() for _ in range(3)) for _ in range(3)]


DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
SLOTS = 10  # vectors a page carries, one in each of the fields below
HOOK = """
window.__hits = [];
const record = (what) => (...args) => { window.__hits.push(what + ":" + args.join(",")); };
window.nrx = record("nrx");
window.alert = record("alert");
window.confirm = record("confirm");
window.prompt = record("prompt");
"""
DANGEROUS = ("iframe", "frame", "object", "embed", "form", "base", "applet", "isindex", "link")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "background", "poster",
                  "xlink:href", "srcset")  # fmt: skip


def hostile_page(n: int, found: list[str]) -> tuple[str, str]:
    """A source page carrying ``found`` (padded to SLOTS), and its feed item."""
    v = [*found, *found[:1] * SLOTS][:SLOTS]
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": v[0],
          "description": v[1], "author": {"@type": "Person", "name": v[2]}, "image": v[3],
          "articleSection": v[8], "keywords": [v[8], "Harbour"],
          "datePublished": "2026-11-23T10:00:00+00:00"}  # fmt: skip
    body = "".join(f"<p>{p}</p>" for p in story(n))
    page = (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pier {n}</title>'
        f'<meta property="og:image" content="{escape(v[3])}">'
        f'<meta name="author" content="{escape(v[2])}">'
        f'<meta property="article:tag" content="{escape(v[8])}">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script></head><body><article>'
        f"<h1>New pier {n} {v[0]}</h1>"
        f'<figure><img src="{escape(v[3])}" alt="{escape(v[4])}"><figcaption>{v[4]}</figcaption>'
        f"</figure>{body}<p>The port wrote {v[5]} in its notice about the pier.</p>"
        f'<p>See <a href="{escape(v[6])}">the port report</a> for the plans of the pier.</p>'
        f"<p>The page showed {escape(v[7])} as text to its readers.</p></article></body></html>"
    )
    item = (f"<item><title>{escape(v[9])}</title><link>{{link}}</link><guid>{{link}}</guid>"
            f"<description>{escape(v[9])} {escape(v[1])}</description>"
            "<pubDate>Mon, 23 Nov 2026 10:00:00 +0000</pubDate></item>")  # fmt: skip
    return page, item


def markup_problems(html: str, where: str) -> list[str]:
    """What in ``html``, read as a browser would, could run script or leave the site."""
    if not html.strip():
        return []
    doc = lxml.html.fragment_fromstring(html, create_parent="div") if "<html" not in html[:500] \
        else lxml.html.document_fromstring(html)  # fmt: skip
    found = []
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower()
        if tag == "script" and element.get("type") != "application/ld+json":
            found.append(f"{where}: <script>")
        if tag == "link" and _our_link(element):
            continue
        if tag in DANGEROUS:
            found.append(f"{where}: <{tag}>")
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            target = (element.get("content") or "").partition("url=")[2]
            ours = r"[a-z]{2,3}/index\.html|\.\./\.\./[a-z]{2,3}/\d{4}/\d\d/\d\d/[a-z0-9-]+\.html"
            if not re.fullmatch(ours, target):  # only ours: to a language, or a story's page
                found.append(f"{where}: meta refresh to {target[:60]!r}")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                found.append(f"{where}: {tag} {name}={value[:40]!r}")
            if name.lower() in URL_ATTRIBUTES and not _safe_url(value):
                found.append(f"{where}: {tag} {name}={value[:60]!r}")
            if name.lower() == "style" and "url(" in value.lower():
                found.append(f"{where}: {tag} style={value[:60]!r}")
    return found


def _our_link(element: lxml.html.HtmlElement) -> bool:
    """The <link> elements of newsrelay's own templates: feeds, canonical and hreflang
    alternates, the stylesheet, and the empty icon that spares the browser a request."""
    rel, href = (element.get("rel") or "").lower(), element.get("href") or ""
    if rel == "icon":
        return href == "data:,"
    return rel in ("alternate", "canonical", "stylesheet") and _safe_url(href)


def _safe_url(value: str) -> bool:
    scheme = urlsplit(value.strip()).scheme.lower()
    return scheme in ("", "http", "https", "mailto")


def feed_texts(folder: Path) -> list[tuple[str, str]]:
    """(where, HTML as a reader renders it) of every title and content of every feed."""
    texts = []
    for path in folder.rglob("*.xml"):
        if "sitemap" in path.name:
            continue
        parsed = feedparser.parse(path.read_bytes(), sanitize_html=False)
        for index, entry in enumerate(parsed.entries):
            where = f"{path.relative_to(folder)} entry {index}"
            texts.append((f"{where} title", entry.get("title", "")))
            for field in ("summary", "description"):
                texts.append((f"{where} {field}", entry.get(field, "")))
            for content in entry.get("content", []):
                texts.append((f"{where} content", content.get("value", "")))
    for path in folder.rglob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for index, item in enumerate(doc.get("items", []) if isinstance(doc, dict) else []):
            where = f"{path.relative_to(folder)} item {index}"
            for field in ("title", "content_html", "summary"):
                texts.append((f"{where} {field}", str(item.get(field, ""))))
    return texts


def test_two_hundred_vectors_run_nowhere(
    server: MockServer, write_settings: WriteSettings, site_server: tuple[str, Path],
    chromium: Chromium,
) -> None:  # fmt: skip
    started = time.monotonic()
    base, folder = site_server
    found = vectors()
    assert len(found) >= 200
    items = []
    for n in range(0, len(found), SLOTS):
        page, item = hostile_page(n, found[n : n + SLOTS])
        link = server.route(f"/news/pier-{n}.html", page)
        items.append(item.replace("{link}", escape(link)))
    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Port news</title>'
            "<link>http://127.0.0.1/</link><description>d</description>"
            + "".join(items) + "</channel></rss>")  # fmt: skip
    url = server.route("/feed.xml", feed, headers={"Content-Type": "application/rss+xml"})
    settings = write_settings(
        [Source(name="Port", url=url, license="CC BY 4.0")],
        {"check.hold": [], "check.reject": [], "site.base_url": base, "site.images": "mirror"},
    )  # fmt: skip
    report = run_once(settings, Store.open(settings.store_url))
    # a page whose markup swallows its own article (an unclosed <style>) is dropped with its
    # reason; at least 200 vectors went out on the pages published
    published = report.counts["publish"]["ok"]
    dropped = report.counts["extract"].get("dropped", 0)
    assert published + dropped == len(items) and published * SLOTS >= 200, report.counts

    problems = []
    for path in sorted(folder.rglob("*.html")):
        problems += markup_problems(path.read_text(encoding="utf-8"), str(path))
    for where, text in feed_texts(folder):
        problems += markup_problems(text, where)
    assert problems == [], "\n".join(sorted(set(p.split("site/")[-1] for p in problems)))

    page = chromium.page
    for domain in ("Page", "Runtime", "Network"):
        page.call(f"{domain}.enable")
    page.call("Page.setBypassCSP", enabled=True)
    page.call("Page.addScriptToEvaluateOnNewDocument", source=HOOK)
    # the control: a vector left as markup under the site's own policy is seen to run
    control = folder / "control.html"
    policy = lxml.html.fromstring((folder / "es/index.html").read_bytes()).xpath(
        '//meta[@http-equiv="Content-Security-Policy"]/@content')  # fmt: skip
    control.write_text(f'<meta http-equiv="Content-Security-Policy" content="{policy[0]}">'
                       f"{found[1]}<img src=x onerror=nrx(-1)>")  # fmt: skip
    page.open(base + "control.html")
    time.sleep(0.2)
    assert sorted(page.evaluate("window.__hits")) == ["nrx:-1", "nrx:1"]
    control.unlink()
    pages = sorted(folder.rglob("*.html"))
    assert len(pages) > len(items)
    ran = {}
    for path in pages:
        page.open(base + path.relative_to(folder).as_posix())
        time.sleep(0.05)  # handlers that fire after load (onerror of a broken image)
        hits = page.evaluate("window.__hits")
        if hits:
            ran[str(path)] = hits
    assert ran == {}
    requested = {e["params"]["request"]["url"] for e in page.events
                 if e["method"] == "Network.requestWillBeSent"}  # fmt: skip
    assert sorted(u for u in requested if not u.startswith(base)) == []
    print(f"{len(found)} vectors, {len(pages)} pages: {time.monotonic() - started:.1f}s")
