"""What newsrelay knows about a story body's HTML, in one place: the tags a body may carry,
the blocks its text lives in, and their text."""

from __future__ import annotations

import hashlib
from html import escape
from typing import Any

import lxml.html
import nh3

__all__ = ["BLOCK_TAGS", "BODY_TAGS", "block_key", "html_paragraphs", "inner_html",
           "leaf_blocks", "normalise", "replace_blocks", "sanitize_html", "set_inner_html",
           "story_text", "text_blocks"]  # fmt: skip

BODY_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "blockquote", "ul", "ol", "li", "a", "em", "strong",
    "i", "b", "br", "q", "cite", "sub", "sup", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "td", "th", "div")


def normalise(text: str) -> str:
    """Whitespace collapsed, as blocks are compared."""
    return " ".join(text.split())


def block_key(text: str) -> str:
    """A stable key for a block's text, to recognise it across articles of a source."""
    return hashlib.sha1(normalise(text).casefold().encode()).hexdigest()[:16]


def leaf_blocks(tree: Any) -> list[Any]:
    """The blocks of ``tree`` that hold no other block: where its text lives."""
    return [e for e in tree.iter(*BLOCK_TAGS) if not any(c.tag in BLOCK_TAGS for c in e)]


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
    for br in tree.iter("br"):
        br.tail = " " + (br.tail or "")
    return [text for b in leaf_blocks(tree) if (text := normalise(b.text_content()))]


def story_text(title: str, body_html: str) -> str:
    """The text near-duplicate detection reads: the headline, then the body's paragraphs."""
    return "\n\n".join([title, *html_paragraphs(body_html)])


def inner_html(element: Any) -> str:
    """An element's content as HTML, whitespace collapsed."""
    inner = escape(element.text or "", quote=False)
    inner += "".join(lxml.html.tostring(child, encoding="unicode") for child in element)
    return " ".join(inner.split())


def set_inner_html(element: Any, html: str) -> None:
    """Replace an element's content with ``html``."""
    for child in list(element):
        element.remove(child)
    fragment = lxml.html.fragment_fromstring(html or " ", create_parent="div")
    element.text = fragment.text
    for child in fragment:
        element.append(child)


def text_blocks(body_html: str) -> list[str]:
    """The inner HTML of each block of ``body_html`` that holds text, in the order (and with
    the numbering) of ``html_paragraphs``."""
    if not body_html.strip():
        return []
    tree = lxml.html.fragment_fromstring(body_html, create_parent="div")
    return [inner_html(b) for b in leaf_blocks(tree) if normalise(b.text_content())]


def replace_blocks(body_html: str, blocks: list[str]) -> str:
    """``body_html`` with the content of its text blocks (``text_blocks``) replaced, one for
    one, by ``blocks``, sanitized: the structure (lists, headings) stays as it was."""
    tree = lxml.html.fragment_fromstring(body_html or "<p></p>", create_parent="div")
    found = [b for b in leaf_blocks(tree) if normalise(b.text_content())]
    if len(found) != len(blocks):
        raise ValueError(f"{len(blocks)} paragraphs given for {len(found)}")
    for block, html in zip(found, blocks, strict=True):
        set_inner_html(block, sanitize_html(html))
    return sanitize_html("".join(lxml.html.tostring(c, encoding="unicode") for c in tree))
