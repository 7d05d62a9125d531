"""Extraction of the sample pages: the story, its metadata, and none of the site around it."""

from __future__ import annotations

import lxml.html
import pytest

from newsrelay.demo import PROMO_TEXTS, STORIES, DemoSite
from newsrelay.errors import ExtractError
from newsrelay.extract import extract_article

SITE = DemoSite()


def story_paragraphs(body: str) -> list[str]:
    """The sample's own paragraphs: top-level <p> blocks that are not calls to action."""
    blocks = lxml.html.fragments_fromstring(body)
    texts = [" ".join(b.text_content().split()) for b in blocks if b.tag == "p"]
    return [t for t in texts if not any(p.lower() in t.lower() for p in PROMO_TEXTS)]


@pytest.mark.parametrize("slug", STORIES)
def test_sample_page_yields_the_story_and_nothing_else(slug: str) -> None:
    html = SITE.page(slug)
    assert html is not None
    article = extract_article(html, f"http://127.0.0.1:9/news/{slug}.html")
    story = next(s for s in SITE.stories if s.slug == slug)
    assert article.title == story.title
    assert article.meta.authors == (story.author,)
    assert article.meta.published == f"{story.date}T08:30:00+00:00"  # the page's own offset
    assert article.language == "en"
    assert article.paragraphs == story_paragraphs(story.body)


def test_removed_blocks_name_their_rule() -> None:
    flood = extract_article(SITE.page("flood") or "", "http://127.0.0.1:9/news/flood.html")
    bridge = extract_article(SITE.page("bridge") or "", "http://127.0.0.1:9/news/bridge.html")
    assert [(r.rule, r.text) for r in flood.removed + bridge.removed] == [
        ("call_to_action:en", "Join us on Telegram for live updates on the flood."),
        ("structure:class=promo", "JOIN US ON TELEGRAM"),
        (
            "structure:class=promo",
            "Follow our coverage of the city council on @LakesideCourier_official.",
        ),
    ]


def test_inline_links_are_kept_and_made_absolute() -> None:
    html = (
        '<html lang="en"><body><article><h1>Port</h1><p>The <a href="/port">port authority</a> '
        "said on Monday that the new quay would open in the spring, after two years of work "
        "and a long dispute about its cost.</p><p>Fishermen welcomed the news.</p></article>"
        "</body></html>"
    )
    article = extract_article(html, "http://127.0.0.1:9/news/port.html")
    assert '<a href="http://127.0.0.1:9/port"' in article.body_html
    assert len(article.paragraphs) == 2


def test_punctuation_after_a_link_stays_next_to_it() -> None:
    # a paragraph made only of inline elements: trafilatura's pretty-printed HTML output put
    # line breaks between them, which read as "on Facebook ."
    html = (
        '<html lang="en"><body><article><h1>Quay</h1><p>The quay opens in spring, after two years '
        "of work and a long dispute about its cost, the port authority said on Monday.</p>"
        '<p><i>Follow the port on </i><a href="/radio">local radio</a><i>, </i>'
        '<a href="/fb">Facebook</a><i>.</i></p></article></body></html>'
    )
    text = extract_article(html, "http://127.0.0.1:9/news/quay.html").text
    assert "Follow the port on local radio, Facebook." in text


@pytest.mark.parametrize("name", ["subhead", "article-sub-headline", "story_subHeading2"])
def test_a_subheading_written_as_a_div_is_kept_as_a_heading(name: str) -> None:
    # trafilatura drops a short div of text between paragraphs: the question went with it
    html = (
        '<html lang="en"><body><article><h1>Tariffs</h1>'
        f"<p>{SPLIT_PARAGRAPHS[0]}</p><p>{SPLIT_PARAGRAPHS[1]}</p>"
        f'<div class="{name}">How big an impact have the port fees had?</div>'
        f"<p>{SPLIT_PARAGRAPHS[2]}</p><p>{SPLIT_PARAGRAPHS[3]}</p></article></body></html>"
    )
    article = extract_article(html, "http://127.0.0.1:9/news/fees.html")
    assert "<h2>How big an impact have the port fees had?</h2>" in article.body_html
    assert article.paragraphs.index("How big an impact have the port fees had?") == 2


SPLIT_PARAGRAPHS = [
    f"Part {i} of the harbour story: the council met on Tuesday, and the port workers said the "
    f"strike would end after {i + 2} weeks of talks about pay and safety on the quays."
    for i in range(9)
]
AD = '<div class="ad-slot"><span>Advertisement</span><iframe src="/ad"></iframe></div>'


def _paragraphs(first: int, last: int) -> str:
    return "".join(f"<p>{p}</p>" for p in SPLIT_PARAGRAPHS[first:last])


@pytest.mark.parametrize(
    "body",
    [
        f'<article><h1>Strike ends</h1><div class="article-body">{_paragraphs(0, 3)}</div>{AD}'
        f'<div class="article-body">{_paragraphs(3, 6)}</div>{AD}'
        f'<div class="article-body">{_paragraphs(6, 9)}</div></article>',
        f'<h1>Strike ends</h1><section class="story">{_paragraphs(0, 2)}</section>'
        f'<aside class="ad">Advertisement</aside><section class="story">{_paragraphs(2, 9)}</section>',
        f'<div id="story"><h1>Strike ends</h1><div class="txt"><div>{_paragraphs(0, 5)}</div></div>'
        f'{AD}<div class="txt">{_paragraphs(5, 9)}</div></div>',
        # a part that starts with its text, not a paragraph
        f'<article><h1>Strike ends</h1><div class="body">{_paragraphs(0, 4)}</div>{AD}'
        f'<div class="body">{SPLIT_PARAGRAPHS[4][:30]}<b>{SPLIT_PARAGRAPHS[4][30:40]}</b>'
        f"{SPLIT_PARAGRAPHS[4][40:]}{_paragraphs(5, 9)}</div></article>",
    ],
    ids=["divs", "sections", "nested", "loose-text"],
)
def test_a_body_split_by_ads_into_several_containers_is_kept_whole(body: str) -> None:
    teasers = "".join(
        f'<div class="card"><h3><a href="/s{i}">Other story {i}</a></h3><p>A short blurb.</p></div>'
        for i in range(4)
    )
    html = (
        '<html lang="en"><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>'
        f"<main>{body}</main><div class='more'>{teasers}</div></body></html>"
    )
    article = extract_article(html, "http://127.0.0.1:9/news/strike.html")
    assert article.paragraphs == SPLIT_PARAGRAPHS


def test_page_without_article_is_an_error_with_a_reason() -> None:
    with pytest.raises(ExtractError) as caught:
        extract_article("<html><body><nav>Home News</nav></body></html>", "http://127.0.0.1:9/")
    assert caught.value.reason == "no_article_text"


def test_scripts_and_handlers_never_reach_the_body() -> None:
    html = (
        "<html><body><article><h1>T</h1><p onclick='x()'>A long enough paragraph about the "
        "council meeting on Monday, where members voted on the budget for next year.</p>"
        "<script>alert(1)</script><p>More <a href='javascript:alert(1)'>text</a> here.</p>"
        "</article></body></html>"
    )
    body = extract_article(html, "http://127.0.0.1:9/a").body_html
    assert "onclick" not in body and "script" not in body and "javascript:" not in body
