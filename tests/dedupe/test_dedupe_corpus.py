"""The labelled set is what the issue asks for: written for the project, deterministic, labelled."""

from __future__ import annotations

import itertools
import re

from dedupe_corpus import EDITS, base_story, bulk_articles, labelled_set, original, sibling_story

_SENTENCE = re.compile(r"(?<=[.!?\"])\s+")


def sentences(text: str) -> set[str]:
    body = text.split("\n\n")[2:-1]  # drop the headline and the credit lines
    return {s for paragraph in body for s in _SENTENCE.split(paragraph) if len(s.split()) > 5}


def test_the_default_set_has_enough_stories_articles_and_edits() -> None:
    articles = labelled_set(1)
    assert len(articles) >= 500
    assert len({a.story for a in articles if a.kind == "original"}) >= 50
    assert {e for a in articles for e in a.edits} == set(EDITS)
    assert all(a.edits for a in articles if a.kind == "copy")
    assert len({a.url for a in articles}) == len(articles)


def test_it_is_deterministic_for_a_seed() -> None:
    assert labelled_set(3, stories=8) == labelled_set(3, stories=8)
    assert labelled_set(3, stories=8) != labelled_set(4, stories=8)


def test_base_stories_have_five_to_nine_paragraphs() -> None:
    for number in range(60):
        assert 5 <= len(base_story(1, number).paragraphs) <= 9


def test_siblings_share_town_and_people_but_no_sentences() -> None:
    for number in range(60):
        story = base_story(2, number)
        sibling = sibling_story(story, 2)
        assert sibling.topic == story.topic and sibling.facts["town"] == story.facts["town"]
        assert sibling.facts["subject"] != story.facts["subject"]
        assert not sentences(original(story).text) & sentences(original(sibling).text)


def test_bulk_articles_are_cheap_and_ordered() -> None:
    articles = list(bulk_articles(300, seed=9))
    assert len(articles) == 300
    assert [a.published for a in articles] == sorted(a.published for a in articles)
    assert len({a.story for a in articles}) < 300


def test_no_two_base_stories_are_the_same_text() -> None:
    texts = [original(base_story(1, n)).text for n in range(60)]
    assert all(a != b for a, b in itertools.combinations(texts, 2))
