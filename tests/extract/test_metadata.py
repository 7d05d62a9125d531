"""Metadata: what the page states, in the page's own terms; nothing invented."""

from __future__ import annotations

import json

from newsrelay.extract import extract_article
from newsrelay.model import Metadata

BODY = (
    "<article><h1>Harbour fees rise</h1><p>The port authority of Lakeside raised the fees for "
    "fishing boats by a tenth on Monday, the first rise in six years.</p><p>Boat owners said "
    "they would ask the council to review the decision at its next meeting.</p></article>"
)


def page(head: str, lang: str = "en") -> str:
    return f'<!doctype html><html lang="{lang}"><head>{head}</head><body>{BODY}</body></html>'


def test_json_ld_news_article() -> None:
    ld = {
        "@context": "https://schema.org",
        "@graph": [
            {"@type": "WebSite", "name": "Lakeside Courier"},
            {
                "@type": "NewsArticle",
                "headline": "Harbour fees rise for the first time in six years",
                "description": "Boat owners want the council to step in.",
                "author": [{"@type": "Person", "name": "Ana Ruiz"}, {"name": "Tom Lee"}],
                "datePublished": "2026-10-03T07:45:00+02:00",
                "dateModified": "2026-10-03T09:10:00+02:00",
                "image": {"@type": "ImageObject", "url": "/img/harbour.jpg",
                          "caption": "Boats in the harbour", "creditText": "Photo: J. Smith"},
                "articleSection": ["Business"],
                "keywords": "harbour, fees, fishing",
            },
        ],
    }  # fmt: skip
    head = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    head += '<link rel="canonical" href="/news/harbour-fees">'
    article = extract_article(page(head), "http://127.0.0.1:9/news/harbour-fees?utm=x")
    assert article.title == "Harbour fees rise for the first time in six years"
    assert article.meta == Metadata(
        standfirst="Boat owners want the council to step in.",
        authors=("Ana Ruiz", "Tom Lee"),
        published="2026-10-03T07:45:00+02:00",
        updated="2026-10-03T09:10:00+02:00",
        lead_image="http://127.0.0.1:9/img/harbour.jpg",
        image_caption="Boats in the harbour",
        image_credit="Photo: J. Smith",
        section="Business",
        tags=("harbour", "fees", "fishing"),
        canonical_url="http://127.0.0.1:9/news/harbour-fees",
    )


def test_opengraph_and_meta_tags() -> None:
    head = (
        '<meta property="og:title" content="Harbour fees rise">'
        '<meta property="og:description" content="Owners protest.">'
        '<meta property="og:image" content="http://127.0.0.1:9/i.jpg">'
        '<meta property="article:published_time" content="2026-10-03T05:45:00Z">'
        '<meta property="article:section" content="Business">'
        '<meta property="article:tag" content="harbour"><meta property="article:tag" content="fees">'
        '<meta name="author" content="Ana Ruiz and Tom Lee">'
    )
    meta = extract_article(page(head), "http://127.0.0.1:9/a").meta
    assert meta.standfirst == "Owners protest."
    assert meta.authors == ("Ana Ruiz", "Tom Lee")
    assert meta.published == "2026-10-03T05:45:00Z"
    assert (meta.section, meta.tags) == ("Business", ("harbour", "fees"))
    assert meta.lead_image == "http://127.0.0.1:9/i.jpg"


def test_missing_metadata_is_absent() -> None:
    article = extract_article(page("<title>Harbour fees rise</title>"), "http://127.0.0.1:9/a")
    assert article.meta == Metadata()
    assert article.title == "Harbour fees rise"


def test_language_is_identified_from_the_text_not_the_label() -> None:
    spanish = BODY.replace(
        "The port authority of Lakeside raised the fees for fishing boats by a tenth on Monday, "
        "the first rise in six years.",
        "La autoridad portuaria de Lakeside subió el lunes las tasas de los barcos pesqueros, "
        "la primera subida en seis años.",
    ).replace(
        "Boat owners said they would ask the council to review the decision at its next meeting.",
        "Los dueños de los barcos dijeron que pedirán al ayuntamiento que revise la decisión.",
    )
    html = f'<html lang="en"><body>{spanish}</body></html>'
    assert extract_article(html, "http://127.0.0.1:9/a").language == "es"


def test_html_entities_in_json_ld_text_are_read() -> None:
    ld = {"@type": "NewsArticle", "headline": "Lynn: &#8220;We need to win this&nbsp;game&#8221;"}
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    article = extract_article(page(script), "http://127.0.0.1/a.html")
    assert article.title == "Lynn: \u201cWe need to win this game\u201d"


def test_bylines_dates_and_standfirsts_as_a_reader_should_see_them() -> None:
    body = ("<p>The council of Lakeside voted on Tuesday to plant two thousand trees along the "
            "river before the end of next year.</p><p>The mayor said the trees would protect the "
            "banks from floods and give shade to walkers in the summer.</p>")  # fmt: skip
    head = ('<meta name="author" content="By GREG BEACHAM, AP Sports Writer">'
            '<meta property="article:published_time" content="Mon, 18 Nov 2019 16:07:38 -0600">'
            '<meta property="article:modified_time" content="0001-01-01T00:00:00Z">'
            '<meta property="og:description" content="The council of Lakeside voted on Tuesday '
            'to plant two thousand trees along the ri [&amp;hellip;]">')  # fmt: skip
    html = f"<html><head>{head}</head><body><article><h1>Trees</h1>{body}</article></body></html>"
    meta = extract_article(html, "http://127.0.0.1/a.html").meta
    assert meta.authors == ("Greg Beacham",)
    desk = head.replace("By GREG BEACHAM, AP Sports Writer", "From staff and wire reports")
    assert extract_article(html.replace(head, desk), "http://127.0.0.1/a.html").meta.authors == ()
    assert meta.published == "2019-11-18T16:07:38-06:00" and meta.updated is None
    assert meta.standfirst is None  # only the start of the body: not shown twice

    own = head.replace("The council of Lakeside voted", "A plan for shade and safer banks:")
    meta = extract_article(html.replace(head, own), "http://127.0.0.1/a.html").meta
    assert meta.standfirst == ("A plan for shade and safer banks: on Tuesday to plant two "
                               "thousand trees along the ri […]")  # fmt: skip
