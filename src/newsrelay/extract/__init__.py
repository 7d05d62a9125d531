"""Article extraction: the story and its metadata, and nothing of the source site.

Steps, in order:

1. parse the page, make its links absolute, and read its metadata (``metadata``);
2. note the text of every element that its class, id or role marks as promo, related, newsletter,
   social or advert, unless it holds a large part of the page's paragraphs (then it is a wrapper);
3. let trafilatura find the main text, keeping paragraphs, headings, lists and inline links;
4. take out of trafilatura's blocks, each with the rule that removed it: blocks noted in step 2,
   calls to action and teaser headings with their teaser (patterns per language in ``data/``),
   blocks that are one link to another page of the same site, lists made only of links, and
   blocks the source repeats in many articles (``template``), unless the operator allowed them
   (``keep``);
5. sanitize what remains with nh3 and identify its language.

Trafilatura decides what the article is; newsrelay's rules only subtract from it, which keeps
trafilatura's recall.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import Any

import lxml.html
import trafilatura
from lxml import etree
from lxml.html import defs
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.settings import Document, Extractor
from trafilatura.utils import load_html

from newsrelay.errors import ExtractError
from newsrelay.extract.language import detect_language
from newsrelay.extract.metadata import page_metadata, retraction_status
from newsrelay.extract.rules import (
    LINK_DOMINATED,
    boilerplate_marker,
    byline,
    call_to_action,
    link_row,
    link_share,
    same_site_teaser,
    teaser_heading,
    teaser_part,
)
from newsrelay.markup import (
    BLOCK_TAGS,
    block_key,
    html_paragraphs,
    leaf_blocks,
    normalise,
    sanitize_html,
)
from newsrelay.model import Article, Removed

__all__ = ["extract_article", "retraction_of"]

log = logging.getLogger(__name__)

INLINE_TAGS = defs.special_inline_tags | defs.phrase_tags | defs.font_style_tags | {"time", "mark"}
CONTAINER_TAGS = ("td", "th", "div", "li", "blockquote")
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
PROTECTED_TAGS = {"html", "body", "main", "article"}
MARKED = etree.XPath("//*[@class or @id or @role]")
MIN_TEXT = 80  # characters: less than this is a teaser or an error page, not an article
WRAPPER_SHARE = 0.25  # a marked element holding more of the page's paragraphs is a wrapper
TEMPLATE_SHARE = 0.3  # learned template blocks never take more than this share of a body
TEASER_RUN = 4  # blocks after a teaser heading that can belong to the teaser
TEASER_STARTS = ("teaser_heading", "teaser_block")
MIN_BODY_PART = 200  # characters of paragraphs in each part of a body split around ads
# A class that names a subheading ("subhead", "subHeading", "article-sub-headline"), and the
# most characters such a heading holds.
SUBHEADING = re.compile(r"(?:^|[\s_-])sub-?head(?:ing|line|er)?\d*(?:$|[\s_-])", re.I)
MAX_SUBHEADING = 200


def extract_article(
    html: str,
    url: str | None = None,
    *,
    template: Collection[str] = (),
    keep: Collection[str] = (),
) -> Article:
    """Extract the article of ``html`` fetched from ``url``; raise ExtractError if there is none.

    ``template`` holds the block keys (see :func:`block_key`) this source repeats across articles;
    ``keep`` holds block keys an operator allowed, which no rule removes.
    """
    doc = _parse(html, url)
    title, meta = page_metadata(doc, url)
    flagged = _flagged_texts(doc)
    body = _main_text(doc, url)
    _blockify(body)
    removed = _filter_body(body, title or "", meta.authors, url, flagged, set(template), set(keep))
    body_html = sanitize_html(_inner_html(body))
    text = "\n\n".join(html_paragraphs(body_html))
    if len(text) < MIN_TEXT:
        where = url or "the page"
        raise ExtractError("no_article_text", f"{where}: no article text ({len(text)} characters)")
    if meta.standfirst and _repeats_body(meta.standfirst, text):
        meta = replace(meta, standfirst=None)
    return Article(
        title=title or "",
        body_html=body_html,
        url=url,
        language=detect_language(text) or _declared_language(doc),
        meta=meta,
        removed=tuple(removed),
    )


def _repeats_body(standfirst: str, text: str) -> bool:
    """Whether a page's description is only the start of its body (what many sites put in
    ``og:description``), cut or not ("The council voted on Tuesday to […]"): shown above the
    body, it would be read twice."""

    def words(value: str) -> list[str]:
        return re.findall(r"\w+", value.casefold())

    cut = re.sub(r"\s*(?:\[(?:…|\.\.\.)\]|…|\.\.\.)\s*$", "", standfirst)
    lead = words(cut)
    if cut != standfirst:
        lead = lead[:-1]  # the word the cut may have split
    body = words(text[: len(standfirst) * 2 + 200])
    if not lead:
        return True
    return any(body[i : i + len(lead)] == lead for i in range(len(body) - len(lead) + 1))


def retraction_of(html: str) -> str | None:
    """The marker by which a page says its publisher retracted or withdrew the article (a
    JSON-LD ``creativeWorkStatus`` of ``Retracted`` or ``Withdrawn``); ``None`` when it says
    nothing of the kind."""
    doc = load_html(html)
    return None if doc is None else retraction_status(doc)


def _parse(html: str, url: str | None) -> Any:
    """Parse the page the way trafilatura does, so that one tree serves every step."""
    doc = load_html(html)
    if doc is None:
        raise ExtractError("unparseable_html", f"{url or 'the page'}: not HTML")
    return doc


def _flagged_texts(doc: Any) -> dict[str, str]:
    """The texts inside elements marked as boilerplate, each with the rule that marks it."""
    total = _paragraph_chars(doc) or 1
    flagged: dict[str, str] = {}
    taken: set[Any] = set()
    for element in MARKED(doc):  # in document order, so an outer element comes first
        marker = None if element.tag in PROTECTED_TAGS else boilerplate_marker(element.attrib)
        if not marker or any(a in taken for a in element.iterancestors()):
            continue
        if _paragraph_chars(element) <= WRAPPER_SHARE * total:
            taken.add(element)
            for inner in element.iter(etree.Element):
                if text := normalise(inner.text_content()):
                    flagged.setdefault(text, f"structure:{marker}")
    return flagged


def _paragraph_chars(element: Any) -> int:
    return sum(len(normalise(p.text_content())) for p in element.iter("p"))


def _main_text(doc: Any, url: str | None) -> Any:
    """Trafilatura's main text as a ``<div>`` of blocks (empty when it finds none).

    Trafilatura prunes ``doc`` as it goes: every other use of the tree comes before this.
    """
    _join_split_body(doc)
    _subheadings_as_headings(doc)
    options = Extractor(
        output_format="html",
        fast=True,
        formatting=True,
        links=True,
        images=False,
        comments=False,
        tables=True,
        url=url,
    )
    document = trafilatura.bare_extraction(doc, options=options)
    container = lxml.html.fragment_fromstring("<div></div>")
    if isinstance(document, Document):  # None when it finds no text
        # trafilatura's HTML output, without the fingerprint its extract() adds to it
        html = etree.tostring(convert_to_html(document.body), encoding="unicode")
        body = lxml.html.document_fromstring(unicodedata.normalize("NFC", html)).body
        container.extend(list(body) if body is not None else [])
    if url:
        container.make_links_absolute(url, handle_failures="discard")
    return container


def _join_split_body(doc: Any) -> None:
    """Join an article body that the page splits into several containers around ads.

    Trafilatura keeps the first container that looks like the body and stops there, so a body
    written as ``<div class="body">…</div><div class="ad"/><div class="body">…</div>`` lost all
    but its first part. Sibling containers with the same tag and class, each holding prose
    rather than links, are one body: the later ones' content is moved into the first.
    """
    groups: dict[tuple[Any, str, str], list[Any]] = {}
    for element in doc.iter("div", "section", "article"):
        if name := element.get("class"):
            groups.setdefault((element.getparent(), element.tag, name), []).append(element)
    for members in groups.values():
        if len(members) < 2 or not all(_prose(m) for m in members):
            continue
        first = members[0]
        for member in members[1:]:
            lead = lxml.html.Element("p")  # what a part holds before its first block
            lead.text, member.text = member.text, None
            while len(member) and member[0].tag in INLINE_TAGS:
                lead.append(member[0])
            if normalise(lead.text_content()):
                first.append(lead)
            first.extend(list(member))
            member.drop_tree()


def _subheadings_as_headings(doc: Any) -> None:
    """Write as a heading a subheading the page writes as a ``<div>`` ("subhead",
    "article-sub-headline"): trafilatura drops a short div of text between paragraphs, and the
    question or subtitle it held went with it."""
    for element in list(doc.iter("div")):
        if (
            SUBHEADING.search(element.get("class") or "")
            and not any(child.tag in BLOCK_TAGS for child in element)
            and 0 < len(normalise(element.text_content())) <= MAX_SUBHEADING
        ):
            element.tag = "h2"
            element.attrib.pop("class")


def _prose(element: Any) -> bool:
    """Whether an element holds paragraphs of running text, not a list of links."""
    return _paragraph_chars(element) >= MIN_BODY_PART and link_share(element) < LINK_DOMINATED


def _blockify(tree: Any) -> None:
    """Wrap text that sits beside blocks (as in layout tables) in paragraphs of its own, so that
    every piece of text is in a leaf block that the rules see and judge."""
    for element in list(tree.iter(*CONTAINER_TAGS)):
        if any(child.tag in BLOCK_TAGS for child in element):
            _wrap_inline_runs(element)


def _wrap_inline_runs(element: Any) -> None:
    run = lxml.html.Element("p")  # the run of inline content being collected
    if element.text and element.text.strip():
        run.text = element.text
    element.text = None
    for child in list(element):
        if child.tag in BLOCK_TAGS:
            _flush(element, child, run)
            run = lxml.html.Element("p")
            if child.tail and child.tail.strip():
                run.text, child.tail = child.tail, None
        else:
            run.append(child)  # moves it, tail included
    _flush(element, None, run)


def _flush(parent: Any, before: Any, run: Any) -> None:
    if not normalise(run.text_content()):
        return
    if before is None:
        parent.append(run)
    else:
        before.addprevious(run)


def _filter_body(
    body: Any,
    title: str,
    authors: tuple[str, ...],
    url: str | None,
    flagged: dict[str, str],
    template: set[str],
    keep: set[str],
) -> list[Removed]:
    """Remove from ``body`` what is not the story; return what was removed and why."""
    page = _Page(title, authors, url, flagged, keep)
    decisions = _decide(leaf_blocks(body), page)
    _mark_link_lists(body, decisions)
    _apply_template(decisions, template, keep)
    removed = []
    for block, rule in decisions:
        if rule is None:
            continue
        if rule != "headline":
            removed.append(Removed(rule, normalise(block.text_content())))
        block.drop_tree()
    _drop_empty_containers(body)
    return removed


@dataclass(frozen=True)
class _Page:
    """What the block rules know about the page."""

    title: str
    authors: tuple[str, ...]
    url: str | None
    flagged: dict[str, str]
    keep: set[str]


def _decide(blocks: list[Any], page: _Page) -> list[tuple[Any, str | None]]:
    """The rule that removes each block, or ``None`` to keep it."""
    decisions: list[tuple[Any, str | None]] = []
    teaser_left, previous = 0, None
    for block in blocks:
        text = normalise(block.text_content())
        rule = (
            teaser_part(text, link_share(block) >= LINK_DOMINATED, previous)
            if teaser_left
            else None
        )
        if rule and not _kept(text, page.keep):
            teaser_left -= 1
        else:
            rule = _block_rule(block, text, page)
            teaser_left = TEASER_RUN if rule and rule.startswith(TEASER_STARTS) else 0
        decisions.append((block, rule))
        previous = rule
    return decisions


def _kept(text: str, keep: set[str]) -> bool:
    return bool(keep) and block_key(text) in keep


def _block_rule(block: Any, text: str, page: _Page) -> str | None:
    if _kept(text, page.keep):
        return None
    if block.tag in HEADINGS and (block.tag == "h1" or text == normalise(page.title)):
        return "headline"
    if text in page.flagged:
        return page.flagged[text]
    if language := teaser_heading(text):
        return f"teaser_heading:{language}"
    if language := call_to_action(text):  # before teaser blocks: "Read also: <link>" is one line
        return f"call_to_action:{language}"
    has_link = block.find(".//a") is not None
    if has_link and (language := teaser_heading(_lead(block))):
        return f"teaser_block:{language}"  # heading, linked headline and blurb in one block
    if has_link and same_site_teaser(block, page.url):
        return "teaser:same_site_link"
    if has_link and link_row(block):
        return "structure:link_row"
    if byline(text, page.authors):
        return "byline"
    return None


def _lead(block: Any) -> str:
    """The text of a block before its first line break or link: where a teaser names itself."""
    parts = [block.text or ""]
    for child in block:
        if child.tag in ("br", "a") or child.find(".//a") is not None:
            break
        parts.append(child.text_content() + (child.tail or ""))
    return normalise("".join(parts))


def _mark_link_lists(body: Any, decisions: list[tuple[Any, str | None]]) -> None:
    """Mark lists whose every item is a link: lists of other stories, not story."""
    index = {id(block): i for i, (block, _) in enumerate(decisions)}
    for listing in body.iter("ul", "ol"):
        items = [li for li in listing.iter("li") if id(li) in index]
        if len(items) >= 2 and all(link_share(li) >= LINK_DOMINATED for li in items):
            for li in items:
                i = index[id(li)]
                if decisions[i][1] is None:
                    decisions[i] = (li, "structure:link_list")


def _apply_template(
    decisions: list[tuple[Any, str | None]], template: set[str], keep: set[str]
) -> None:
    """Mark blocks the source repeats across articles, unless they would take a large share."""
    if not template:
        return
    total = sum(len(normalise(b.text_content())) for b, _ in decisions) or 1
    hits = [
        i
        for i, (block, rule) in enumerate(decisions)
        if rule is None and block_key(text := normalise(block.text_content())) in template
        and block_key(text) not in keep
    ]  # fmt: skip
    share = sum(len(normalise(decisions[i][0].text_content())) for i in hits) / total
    if share > TEMPLATE_SHARE:
        log.info("template blocks would take %.0f%% of the body; kept", share * 100)
        return
    for i in hits:
        decisions[i] = (decisions[i][0], "template:source")


def _drop_empty_containers(body: Any) -> None:
    for element in list(body.iter("ul", "ol", "blockquote", "table")):
        if not normalise(element.text_content()):
            element.drop_tree()


def _inner_html(tree: Any) -> str:
    return "".join(lxml.html.tostring(child, encoding="unicode") for child in tree)


def _declared_language(doc: Any) -> str | None:
    lang = doc.get("lang") or doc.get("{http://www.w3.org/XML/1998/namespace}lang")
    return lang.split("-")[0].lower() if lang else None
