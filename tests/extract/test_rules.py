"""Each removal rule on a page built to show it, and the guards that keep real text."""

from __future__ import annotations

from newsrelay.extract import extract_article
from newsrelay.extract.rules import call_to_action
from newsrelay.markup import block_key

P1 = "The regional court ruled on Thursday that the new harbour fees were lawful and could stay."
P2 = "Boat owners had argued that the fees were too high for small family businesses to pay."
P3 = "Their lawyer said they would consider an appeal once they had read the full judgment."
URL = "http://127.0.0.1:9/news/court-fees.html"


def article(middle: str, classes: str = "story") -> str:
    return (
        f'<html lang="en"><body><nav><a href="/">Home</a></nav><article class="{classes}">'
        f"<h1>Court backs harbour fees</h1><p>{P1}</p>{middle}<p>{P2}</p><p>{P3}</p>"
        "</article><footer>© Courier</footer></body></html>"
    )


def rules(html: str, **kwargs: object) -> list[tuple[str, str]]:
    result = extract_article(html, URL, **kwargs)  # type: ignore[arg-type]
    assert result.paragraphs[0] == P1 and result.paragraphs[-1] == P3
    return [(r.rule, r.text) for r in result.removed]


def test_teaser_heading_takes_its_headline_and_blurb() -> None:
    middle = (
        "<h3>Other topics of interest</h3>"
        '<p><a href="http://127.0.0.1:9/news/ship.html">Cargo ship damaged near the coast</a></p>'
        "<p>A cargo ship was damaged by a storm on Sunday night, its owners said.</p>"
    )
    assert rules(article(middle)) == [
        ("teaser_heading:en", "Other topics of interest"),
        ("teaser:headline", "Cargo ship damaged near the coast"),
        ("teaser:blurb", "A cargo ship was damaged by a storm on Sunday night, its owners said."),
    ]


def test_single_link_to_another_story_of_the_site() -> None:
    middle = (
        '<p><strong><a href="/news/other.html">Judge orders new election count</a></strong></p>'
    )
    assert rules(article(middle)) == [("teaser:same_site_link", "Judge orders new election count")]


def test_calls_to_action_in_other_languages() -> None:
    middle = "<p>Siga nuestra cobertura en @Courier_es.</p><p>Abonnez-vous à notre lettre.</p>"
    assert rules(article(middle)) == [
        ("call_to_action:es", "Siga nuestra cobertura en @Courier_es."),
        ("call_to_action:fr", "Abonnez-vous à notre lettre."),
    ]


def test_a_sentence_that_starts_with_a_word_of_a_call_to_action_is_no_call() -> None:
    # German "Auch" (also) opens "Auch: ..." and "Lesen Sie auch", and many a sentence
    assert call_to_action("Lesen Sie auch: Der neue Hafen") == "de"
    assert call_to_action("Auch US-Dollar werden häufig akzeptiert.") is None


def test_a_long_paragraph_that_starts_like_a_call_to_action_is_kept() -> None:
    long = (
        "Subscribe and save was the slogan of the local paper in the 1980s, when it sold more "
        "copies in Lakeside than all national titles together, the historian told the court."
    )
    result = extract_article(article(f"<p>{long}</p>"), URL)
    assert long in result.paragraphs


def test_a_marked_wrapper_holding_the_article_is_not_removed() -> None:
    result = extract_article(article("", classes="story ad-free share-enabled"), URL)
    assert result.paragraphs == [P1, P2, P3]
    assert result.removed == ()


def test_learned_template_blocks_and_operator_allowlist() -> None:
    house = "The Courier is funded by its readers."
    html = article(f"<p>{house}</p>")
    assert rules(html, template={block_key(house)}) == [("template:source", house)]
    assert rules(html, template={block_key(house)}, keep={block_key(house)}) == []


def test_template_never_takes_a_large_share_of_the_body() -> None:
    html = article("")
    assert rules(html, template={block_key(P2), block_key(P1)}) == []
