"""Hostile text from a source stays text in every context newsrelay writes it to: JSON-LD inside
<script>, RSS descriptions, meta tags, image URLs, the WordPress title; every page carries a
strict Content-Security-Policy."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import feedparser
import lxml.html
from publish_samples import story

from newsrelay.extract import extract_article
from newsrelay.model import Metadata
from newsrelay.publish import StaticSite
from newsrelay.publish.wordpress import WordPressPublisher

HOSTILE = '</script><!--<script>alert(1)</script>\u2028&amp; "x"'


def build(tmp_path: Path, **changes: object) -> Path:
    hostile = replace(story(1, "es", HOSTILE), **changes)  # type: ignore[arg-type]
    StaticSite(tmp_path, title="Relay", base_url="http://127.0.0.1:8080/").build([hostile], ["es"])
    [page] = (tmp_path / "es/story").glob("*.html")
    return page


def test_json_ld_cannot_end_its_script_element(tmp_path: Path) -> None:
    html = build(tmp_path).read_text(encoding="utf-8")
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert "<" not in block and ">" not in block and "\u2028" not in block
    assert json.loads(block)["headline"] == HOSTILE  # the same text, read back
    doc = lxml.html.fromstring(html)
    assert len(doc.xpath("//script")) == 1  # nothing broke out to become a script


def test_every_page_has_a_strict_content_security_policy(tmp_path: Path) -> None:
    build(tmp_path)
    for page in tmp_path.rglob("*.html"):
        doc = lxml.html.fromstring(page.read_text(encoding="utf-8"))
        [policy] = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
        assert "default-src 'none'" in policy and "script-src" not in policy, page


def test_body_text_that_looks_like_markup_stays_text_in_rss(tmp_path: Path) -> None:
    body = "<p>The tag &lt;svg onload=alert(1)&gt; was shown as text.</p>"
    build(tmp_path, body_html=body)
    feed = feedparser.parse((tmp_path / "es/feed.xml").read_bytes())
    description = feed.entries[0].description  # what a reader renders as HTML
    assert "<svg" not in description and "&lt;svg onload=alert(1)&gt;" in description


def test_script_urls_never_become_image_urls() -> None:
    page = ('<html><head><meta property="og:image" content="javascript:alert(1)"></head><body>'
            "<article><h1>Title</h1><p>" + "A paragraph of the story with enough words. " * 8 +
            "</p></article></body></html>")  # fmt: skip
    article = extract_article(page, "http://127.0.0.1:9/news/1.html")
    assert article.meta.lead_image is None


def test_a_huge_headline_is_cut() -> None:
    page = ("<html><body><article><h1>" + "word " * 20_000 + "</h1><p>" +
            "A paragraph of the story with enough words. " * 8 + "</p></article></body></html>")  # fmt: skip
    assert len(extract_article(page, "http://127.0.0.1:9/n.html").title) <= 300


def test_wordpress_title_is_sent_as_text() -> None:
    publisher = WordPressPublisher("http://127.0.0.1:9", "editor", "abcd efgh ijkl",
                                   fetch=lambda url: None)  # type: ignore[arg-type, return-value]  # fmt: skip
    try:
        fields = publisher.post_fields(replace(story(1, "es", "<img src=x onerror=alert(1)>"),
                                               meta=Metadata()), "slug")  # fmt: skip
    finally:
        publisher.close()
    assert fields["title"] == "&lt;img src=x onerror=alert(1)&gt;"
