"""Article extraction: the story and its metadata, and nothing of the source site.

Steps, in order:

1. parse the page and make its links absolute;
2. remove elements marked as promo, related, newsletter, social or advert by class, id or role,
   and short blocks that read as a call to action (``rules``);
3. let trafilatura find the main text, keeping paragraphs, headings, lists and inline links;
4. drop a repeated headline and calls to action trafilatura kept, and sanitize with nh3.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urljoin

import lxml.html
import nh3
import trafilatura
from lxml import etree

from newsrelay.errors import ExtractError
from newsrelay.extract.rules import boilerplate_marker, call_to_action
from newsrelay.model import Article

__all__ = ["extract_article", "html_paragraphs", "sanitize_html"]

log = logging.getLogger(__name__)

BODY_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "a", "em", "strong",
    "i", "b", "br", "q", "cite", "sub", "sup", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
BLOCK_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "th")
PROTECTED_TAGS = {"html", "body", "main", "article"}
CTA_TAGS = ("p", "h2", "h3", "h4", "h5", "h6", "div", "span", "a", "li", "strong", "b")
MIN_TEXT = 80  # characters: less than this is a teaser or an error page, not an article


def extract_article(html: str, url: str | None = None) -> Article:
    """Extract the article of ``html`` fetched from ``url``; raise ExtractError if there is none."""
    doc = _parse(html, url)
    removed = _remove_boilerplate(doc)
    cleaned = lxml.html.tostring(doc, encoding="unicode")
    body = trafilatura.extract(
        cleaned,
        url=url,
        output_format="html",
        include_links=True,
        include_formatting=True,
        include_images=False,
        include_comments=False,
        include_tables=True,
    )
    meta = trafilatura.extract_metadata(html, default_url=url)
    title = _title(meta, doc)
    body_html, dropped = _finish_body(body or "", title)
    removed += dropped
    text = "\n\n".join(html_paragraphs(body_html))
    if len(text) < MIN_TEXT:
        where = url or "the page"
        raise ExtractError("no_article_text", f"{where}: no article text ({len(text)} characters)")
    return Article(
        title=title,
        body_html=body_html,
        url=url,
        author=_meta(meta, "author"),
        published=_meta(meta, "date"),
        lead_image=_absolute(_meta(meta, "image"), url),
        language=_declared_language(doc),
        removed=tuple(removed),
    )


def _parse(html: str, url: str | None) -> Any:
    try:
        doc = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractError("unparseable_html", f"{url or 'the page'}: not HTML: {exc}") from None
    if url:
        doc.make_links_absolute(url, handle_failures="discard")
    return doc


def _remove_boilerplate(doc: Any) -> list[tuple[str, str]]:
    """Remove promo elements and calls to action; return (rule, text) for each."""
    removed: list[tuple[str, str]] = []
    _prune(doc, len(doc.text_content()), removed)
    return removed


def _prune(parent: Any, total: int, removed: list[tuple[str, str]]) -> None:
    for element in list(parent):
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        marker = _marker(element, total)
        if marker:
            removed.append((marker, " ".join(" ".join(element.itertext()).split())))
            element.drop_tree()
        else:
            _prune(element, total, removed)


def _marker(element: Any, total: int) -> str | None:
    if element.tag in PROTECTED_TAGS:
        return None
    marker = boilerplate_marker(dict(element.attrib))
    if marker and len(element.text_content()) < total / 2:
        return f"structure:{marker}"
    if element.tag in CTA_TAGS:
        language = call_to_action(element.text_content())
        if language:
            return f"call_to_action:{language}"
    return None


def _title(meta: Any, doc: Any) -> str:
    title = _meta(meta, "title")
    if title:
        return title
    h1 = doc.find(".//h1")
    return _text(h1) if h1 is not None else ""


def _meta(meta: Any, name: str) -> str | None:
    value = getattr(meta, name, None) if meta is not None else None
    return str(value).strip() or None if value else None


def _absolute(link: str | None, base: str | None) -> str | None:
    return urljoin(base, link) if link and base else link


def _declared_language(doc: Any) -> str | None:
    lang = doc.get("lang") or doc.get("{http://www.w3.org/XML/1998/namespace}lang")
    return lang.split("-")[0].lower() if lang else None


def _finish_body(body: str, title: str) -> tuple[str, list[tuple[str, str]]]:
    """Drop the repeated headline and calls to action from trafilatura's output; sanitize."""
    if not body.strip():
        return "", []
    tree = lxml.html.fragment_fromstring(body, create_parent="div")
    removed = []
    for element in list(tree.iter(*BLOCK_TAGS, "h1")):
        text = _text(element)
        language = call_to_action(text)
        if element.tag == "h1" or (title and text == title and element.tag.startswith("h")):
            element.drop_tree()
        elif language:
            removed.append((f"call_to_action:{language}", text))
            element.drop_tree()
    inner = "".join(lxml.html.tostring(child, encoding="unicode") for child in tree)
    return sanitize_html(inner), removed


def sanitize_html(html: str) -> str:
    """Keep only the tags and attributes a story body may carry (allowlist, nh3)."""
    return nh3.clean(
        html,
        tags=BODY_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def html_paragraphs(body_html: str) -> list[str]:
    """The text of each block of ``body_html``, whitespace collapsed, empty blocks skipped."""
    if not body_html.strip():
        return []
    tree = lxml.html.fragment_fromstring(body_html, create_parent="div")
    blocks = [_text(e) for e in tree.iter(*BLOCK_TAGS) if not _has_block_child(e)]
    return [b for b in blocks if b]


def _has_block_child(element: Any) -> bool:
    return any(child.tag in BLOCK_TAGS for child in element.iterdescendants())


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())
