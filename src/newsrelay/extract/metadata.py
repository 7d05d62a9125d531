"""Article metadata from the page: JSON-LD first, then OpenGraph and meta tags, then htmldate.

A value that the page does not state is absent (``None`` or empty), never guessed. Dates are kept as
the page writes them in ISO 8601, so the source's timezone offset survives.
"""

from __future__ import annotations

import email.utils
import html
import json
import logging
import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import nh3
from htmldate import find_date

from newsrelay.model import Metadata

log = logging.getLogger(__name__)

ARTICLE_TYPES = {
    "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "BlogPosting",
    "OpinionNewsArticle", "LiveBlogPosting", "BackgroundNewsArticle", "Report", "ScholarlyArticle",
}  # fmt: skip
MAX_TITLE = 300  # characters: the longest headlines of real news are under 200
RETRACTED = {"retracted", "withdrawn"}  # creativeWorkStatus values that take a story back
# "By", "Analysis by", "Por", "Par", "Von" ... before a name in a byline
BYLINE_OPENING = re.compile(
    r"^(?:(?:analysis|commentary|opinion|reporting|story|text|words|photos?|video)\s+)?"
    r"(?:by|por|par|von|di|da|de|per|door|av)\s+",
    re.I,
)
# A role after a name or split from it: "AP Sports Writer", "Staff Reporter", "Sports editor"
# (a descriptor or an acronym before the role word; "Ann Writer" is a name)
ROLE = re.compile(
    r"(?:\b[A-Z]{2,}\s+|(?i:\b(?:staff|sports?|senior|chief|political|science|special|foreign|"
    r"business|contributing|associate|managing|deputy|local|national|investigative|health|"
    r"tech(?:nology)?|digital|news|metro|world|opinion|culture|arts|features?)\s+))"
    r"(?i:[\w\s]*\b(?:writer|reporter|correspondent|editor|contributor|columnist|journalist|"
    r"producer|analyst)s?\b)|(?i:\b(?:redactora?|corresponsal|periodista|journaliste)\b)"
)

# A desk's credit that names no person ("Staff", "Staff Reports", "From wire reports"): every
# word of it is one of these
DESK_WORDS = frozenset(
    "staff wire wires news web digital online desk newsroom report reports reporters writers "
    "services agencies and from".split()
)


def page_metadata(doc: Any, url: str | None) -> tuple[str | None, Metadata]:
    """Read the headline and metadata of a parsed page (JSON-LD, OpenGraph, meta, htmldate)."""
    ld = _json_ld_article(doc)
    meta = _meta_tags(doc)
    image, caption, credit = _image(ld, meta, url)
    published = _date(_text(ld.get("datePublished")) or meta.get("article:published_time"))
    title = _text(ld.get("headline")) or meta.get("og:title") or _h1(doc) or _title(doc)
    title = _plain(title)
    title = title[:MAX_TITLE] if title else title  # a 100 KB "headline" is not one
    return title, Metadata(
        standfirst=_plain(_text(ld.get("description")) or meta.get("og:description")
                          or meta.get("description")),
        authors=_bylines(_plain_all(_authors(ld) or _split(meta.get("author")))),
        published=published or _date(_htmldate(doc, url)),
        updated=_date(_text(ld.get("dateModified")) or meta.get("article:modified_time")),
        lead_image=image,
        image_caption=_plain(caption),
        image_credit=_plain(credit),
        section=_plain(_first(ld.get("articleSection")) or meta.get("article:section")),
        tags=_plain_all(_keywords(ld.get("keywords")) or tuple(meta.get_all("article:tag"))),
        canonical_url=_canonical(doc, url),
        rights=_rights(doc, ld, meta, url),
    )  # fmt: skip


def _date(value: str | None) -> str | None:
    """A date as ISO 8601, the page's offset kept: ISO as it is, an RFC 2822 date ("Mon, 18
    Nov 2019 16:07:38 -0600", which feeds and some pages write) converted; a date that is not
    one, or not of the web's years ("0001-01-01"), is absent."""
    if not value:
        return None
    try:
        when = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        value = when.isoformat()
    return value if 1990 <= when.year <= datetime.now().year + 1 else None


def _bylines(names: tuple[str, ...]) -> tuple[str, ...]:
    """Authors as a byline shows them: without "By" or "Analysis by", without the role or the
    outlet after a comma ("GREG BEACHAM, AP Sports Writer"), in capitals only where a name
    has them, never a URL (a profile's address given as the author) or a desk's credit that
    names nobody ("Staff Reports")."""
    found = []
    for name in names:
        name = BYLINE_OPENING.sub("", name).strip()
        name, _, rest = name.partition(",")
        if rest and not (ROLE.search(rest) or rest.strip().isupper() or len(rest.split()) <= 2):
            name = f"{name},{rest}"  # "Smith, Jones and Lee": not a role
        name = name.strip()
        if name.isupper() and len(name) > 3:
            name = name.title()
        desk = set(name.casefold().split()) <= DESK_WORDS
        if (
            name
            and not desk
            and not ROLE.search(name)
            and not name.startswith(("http://", "https://", "www."))
        ):
            found.append(name)  # not a role split from the name ("AP Sports Writer")
    return tuple(dict.fromkeys(found))


def _rights(doc: Any, ld: dict[str, Any], meta: _Meta, url: str | None) -> str | None:
    """What the page states about reuse: a ``rel="license"`` link, JSON-LD ``license`` or
    ``copyrightNotice``, or a rights or copyright meta tag (see newsrelay.rights)."""
    for element in doc.iter("link", "a"):
        href = (element.get("href") or "").strip()
        if href and "license" in (element.get("rel") or "").lower().split():
            return str(urljoin(url or "", href))
    license = ld.get("license")
    if isinstance(license, dict):
        license = license.get("url") or license.get("name")
    return (_first(license) or _text(ld.get("copyrightNotice")) or meta.get("dcterms.rights")
            or meta.get("dc.rights") or meta.get("copyright"))  # fmt: skip


def retraction_status(doc: Any) -> str | None:
    """The JSON-LD ``creativeWorkStatus`` of a parsed page when it says the publisher retracted
    or withdrew the work (``"Retracted"``, ``"Withdrawn"``, or a URL ending in one of them)."""
    for node in _json_ld_nodes(doc):
        status = _text(node.get("creativeWorkStatus"))
        if status and status.rstrip("/").rsplit("/", 1)[-1].lower() in RETRACTED:
            return f"creativeWorkStatus {status}"
    return None


class _Meta(dict[str, str]):
    """Meta tags by property or name (first value wins), remembering repeated ones."""

    def __init__(self) -> None:
        super().__init__()
        self.repeated: dict[str, list[str]] = {}

    def get_all(self, key: str) -> list[str]:
        return self.repeated.get(key, [])


def _meta_tags(doc: Any) -> _Meta:
    found = _Meta()
    for element in doc.iter("meta"):
        key = (element.get("property") or element.get("name") or "").strip().lower()
        value = " ".join((element.get("content") or "").split())
        if key and value:
            found.setdefault(key, value)
            found.repeated.setdefault(key, []).append(value)
    return found


def _json_ld_article(doc: Any) -> dict[str, Any]:
    for node in _json_ld_nodes(doc):
        types = node.get("@type")
        types = set(types) if isinstance(types, list) else {types}
        if types & ARTICLE_TYPES:
            return node
    return {}


def _json_ld_nodes(doc: Any) -> Iterator[dict[str, Any]]:
    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except ValueError:
            log.debug("unreadable JSON-LD block ignored")
            continue
        yield from _flatten(data)


def _flatten(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _flatten(item)
    elif isinstance(data, dict):
        yield data
        yield from _flatten(data.get("@graph", []))


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return " ".join(value.split())
    return None


def _plain_all(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p for v in values if (p := _plain(v))))


def _plain(value: str | None) -> str | None:
    """Text as the metadata holds it: HTML entities read (pages write "&#8220;" and "&nbsp;"
    in JSON-LD) and markup dropped, script and style with their content (a headline, a byline
    or a caption holds no tags, and a feed reader may render them as HTML)."""
    if not value:
        return value
    for _ in range(2):  # entities escaped twice ("[&amp;hellip;]") are read too
        if "&" in value:
            value = html.unescape(value)
    if "<" in value:
        value = html.unescape(nh3.clean(value, tags=set()))
    return " ".join(value.split()) or None


def _first(value: Any) -> str | None:
    return _text(value[0]) if isinstance(value, list) and value else _text(value)


def _authors(ld: dict[str, Any]) -> tuple[str, ...]:
    value = ld.get("author")
    items = value if isinstance(value, list) else [value]
    names = [_text(item.get("name")) if isinstance(item, dict) else _text(item) for item in items]
    return tuple(dict.fromkeys(n for n in names if n))


def _split(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    parts = [p.strip() for p in value.replace(" and ", ",").split(",")]
    return tuple(p for p in parts if p)


def _keywords(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list):
        return ()
    return tuple(dict.fromkeys(k for k in (_text(v) for v in value) if k))


def _image(ld: dict[str, Any], meta: _Meta, url: str | None) -> tuple[str | None, ...]:
    image = ld.get("image")
    if isinstance(image, list):
        image = image[0] if image else None
    if isinstance(image, dict):
        link = _text(image.get("url") or image.get("contentUrl"))
        caption = _text(image.get("caption"))
        credit = _text(image.get("creditText") or image.get("copyrightHolder")) or _first_name(
            image.get("author")
        )
    else:
        link, caption, credit = _text(image), None, None
    link = link or meta.get("og:image")
    caption = caption or meta.get("og:image:alt")
    return _web_url(urljoin(url, link) if link and url else link), caption, credit


def _web_url(link: str | None) -> str | None:
    """``link`` when it is an absolute http(s) URL; ``javascript:``, ``data:`` and the like
    never reach a page, a feed or JSON-LD."""
    if not link:
        return None
    try:
        parts = urlsplit(link.strip())
    except ValueError:
        return None
    return link.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def _first_name(value: Any) -> str | None:
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _canonical(doc: Any, url: str | None) -> str | None:
    for link in doc.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            href = str(link.get("href")).strip()
            return urljoin(url, href) if url else href
    return None


def _h1(doc: Any) -> str | None:
    h1 = doc.find(".//h1")
    return _text(h1.text_content()) if h1 is not None else None


def _title(doc: Any) -> str | None:
    title = doc.find(".//title")
    return _text(title.text_content()) if title is not None else None


def _htmldate(doc: Any, url: str | None) -> str | None:
    # The tree, never a string: htmldate fetches a string that looks like a URL.
    try:
        return find_date(doc, extensive_search=False, original_date=True, url=url)
    except (ValueError, TypeError):
        return None
