"""What newsrelay knows about a story body's HTML, in one place: the tags a body may carry,
the blocks its text lives in, and their text."""

from __future__ import annotations

import hashlib
from typing import Any

import lxml.html
import nh3

__all__ = ["BLOCK_TAGS", "BODY_TAGS", "block_key", "html_paragraphs", "leaf_blocks",
           "normalise", "sanitize_html", "story_text"]  # fmt: skip

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
