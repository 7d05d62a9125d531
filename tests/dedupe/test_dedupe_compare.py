"""compare() explains the decision: what `newsrelay dedupe explain A B [--json]` prints."""

from __future__ import annotations

import json

from dedupe_corpus import EDITS, base_story, original, sibling_story, wire_copy
from newsrelay.dedupe import MIN_CONTAINMENT, Relation, compare

SEED = 11


def test_a_wire_copy_is_the_same_story_and_says_why() -> None:
    story = base_story(SEED, 0)
    result = compare(original(story).text, wire_copy(story, EDITS, SEED).text)
    assert result.same_story and result.relation is Relation.DUPLICATE
    assert result.containment >= MIN_CONTAINMENT
    assert result.paragraphs_a_in_b >= 2
    assert "the same sentences" in result.reasons[0]
    assert any("paragraphs of A reappear in B" in reason for reason in result.reasons)


def test_a_distinct_same_topic_story_is_not_and_says_why() -> None:
    story = base_story(SEED, 1)
    result = compare(original(story).text, original(sibling_story(story, SEED)).text)
    assert not result.same_story and result.relation is Relation.DISTINCT
    assert result.containment < MIN_CONTAINMENT
    assert result.paragraphs_a_in_b == 0
    assert "not the same sentences" in result.reasons[0]


def test_identical_texts_after_typography_are_reported_as_such() -> None:
    text = 'The mayor said "yes" - again.'
    result = compare(text, "THE MAYOR SAID \u201cYES\u201d \u2014 AGAIN.")
    assert result.identical and result.same_story
    assert result.reasons[0].startswith("identical text after normalisation")


def test_the_same_url_is_an_update_whatever_the_text() -> None:
    story = base_story(SEED, 2)
    result = compare(original(story).text, original(base_story(SEED, 3)).text, same_key=True)
    assert result.same_story and result.relation is Relation.UPDATE
    assert "an update" in result.reasons[0]


def test_an_empty_text_is_never_a_duplicate() -> None:
    result = compare("", "")
    assert not result.same_story and not result.identical
    assert "no words" in result.reasons[0]


def test_as_dict_is_json_with_thresholds() -> None:
    story = base_story(SEED, 4)
    data = compare(original(story).text, wire_copy(story, ("headline",), SEED).text).as_dict()
    decoded = json.loads(json.dumps(data))
    assert decoded["relation"] == "duplicate" and decoded["same_story"] is True
    assert decoded["thresholds"]["min_containment"] == MIN_CONTAINMENT
    assert isinstance(decoded["reasons"], list)
    assert 0 < decoded["minhash_jaccard"] <= 1
