"""The index finds the wire story a copy repeats, keeps distinct stories apart, and persists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dedupe_corpus import EDITS, Article, base_story, original, sibling_story, wire_copy
from newsrelay.dedupe import DedupeIndex, Match, Relation, Signature, SignatureError, compare
from newsrelay.dedupe.index import MERGE_ROWS

SEED = 7
NOW = datetime(2025, 6, 2, 12, 0, tzinfo=UTC)


def indexed(*articles: Article, texts: bool = True) -> DedupeIndex:
    loader = {a.key: a.text for a in articles}.get if texts else None
    index = DedupeIndex(texts=loader)
    for article in articles:
        index.add(article.key, Signature.of_text(article.text), article.published)
    return index


def find(index: DedupeIndex, article: Article) -> Match | None:
    signature = Signature.of_text(article.text)
    return index.match(signature, when=article.published, key=article.key, text=article.text)


@pytest.mark.parametrize("number", range(6))
@pytest.mark.parametrize("edit", EDITS)
def test_a_wire_copy_with_each_kind_of_edit_matches_its_original(edit: str, number: int) -> None:
    story = base_story(SEED, number)
    source = original(story)
    copy = wire_copy(story, (edit,), SEED, number)
    assert copy.edits == (edit,) and copy.text != source.text
    found = find(indexed(source, texts=False), copy)
    assert found is not None, f"{edit} copy of {story.story_id} was not found"
    assert (found.key, found.relation, found.reason) == (
        source.key,
        Relation.DUPLICATE,
        "duplicate",
    )


def test_copies_with_every_edit_at_once_are_found() -> None:
    # All six edits on a 5-paragraph story leave two of its paragraphs (Jaccard ~0.17): the
    # rule still calls it the same story, and the 64 bands of 2 find such a pair with
    # probability ~0.84 each, so a few of these may be missed one at a time. In the pipeline a
    # copy usually has several earlier copies to be found through.
    found = 0
    for number in range(12):
        story = base_story(SEED, number)
        copy = wire_copy(story, EDITS, SEED, number)
        assert compare(original(story).text, copy.text).same_story
        match = find(indexed(original(story)), copy)
        assert match is None or match.key == original(story).key
        found += match is not None
    assert found >= 10


@pytest.mark.parametrize("number", range(16))
def test_a_distinct_story_on_the_same_topic_does_not_match(number: int) -> None:
    story = base_story(SEED, number)
    sibling = sibling_story(story, SEED)
    assert sibling.facts["town"] == story.facts["town"] and sibling.facts["p1"] == story.facts["p1"]
    copies = [wire_copy(story, EDITS, SEED, n) for n in range(3)]
    index = indexed(original(story), *copies)
    assert find(index, original(sibling)) is None
    assert find(index, wire_copy(sibling, EDITS, SEED, 9)) is None


def test_identical_text_is_a_duplicate_with_full_similarity() -> None:
    source = original(base_story(SEED, 1))
    index = indexed(source)
    found = index.match(Signature.of_text(source.text), when=source.published, key="elsewhere")
    assert found is not None
    assert (found.key, found.jaccard, found.containment) == (source.key, 1.0, 1.0)


def test_the_same_key_with_changed_text_is_an_update_not_a_duplicate() -> None:
    story = base_story(SEED, 2)
    source = original(story)
    index = indexed(source)
    changed = Signature.of_text(source.text + "\n\nCorrection: the vote was on Wednesday.")
    found = index.match(changed, when=source.published, key=source.key)
    assert found is not None and found.relation is Relation.UPDATE and found.reason == "update"
    unrelated = Signature.of_text(original(base_story(SEED, 3)).text)
    found = index.match(unrelated, when=source.published, key=source.key)
    assert found is not None and found.relation is Relation.UPDATE  # same URL: still an update


def test_adding_a_known_key_replaces_its_signature() -> None:
    first, second = original(base_story(SEED, 4)), original(base_story(SEED, 5))
    index = indexed(first)
    index.add(first.key, Signature.of_text(second.text), NOW)
    assert len(index) == 1
    assert find(index, wire_copy(base_story(SEED, 4), ("headline",), SEED)) is None
    found = index.match(Signature.of_text(second.text), when=NOW, key="other")
    assert found is not None and found.key == first.key


def test_the_window_excludes_older_articles() -> None:
    story = base_story(SEED, 6)
    source = original(story)
    index = DedupeIndex(window=timedelta(days=2))
    index.add(source.key, Signature.of_text(source.text), NOW - timedelta(days=3))
    copy = Signature.of_text(wire_copy(story, ("headline",), SEED).text)
    assert index.match(copy, when=NOW) is None
    assert index.match(copy, when=NOW - timedelta(days=2)) is not None
    assert index.candidates(copy) == [source.key]  # candidates ignore the window
    assert index.evict(NOW - timedelta(days=2)) == 1
    assert len(index) == 0 and index.candidates(copy) == []


def test_naive_times_are_taken_as_utc() -> None:
    source = original(base_story(SEED, 8))
    index = DedupeIndex(window=timedelta(hours=1))
    index.add(source.key, Signature.of_text(source.text), datetime(2025, 6, 2, 12, 0))
    assert index.match(Signature.of_text(source.text), when=NOW + timedelta(minutes=30))


def test_an_empty_text_matches_nothing() -> None:
    index = indexed(original(base_story(SEED, 9)))
    assert index.match(Signature.of_text(""), when=NOW) is None


def test_rebuilding_from_stored_rows_gives_the_same_answers() -> None:
    sources = [original(base_story(SEED, n)) for n in range(12)]
    rows = [(a.key, Signature.of_text(a.text).to_bytes(), a.published) for a in sources]
    latest = max(a.published for a in sources)
    rebuilt = DedupeIndex.from_rows(rows, window=timedelta(days=30), now=latest)
    assert len(rebuilt) == 12
    for number, source in enumerate(sources):
        copy = wire_copy(base_story(SEED, number), ("first_paragraph", "boilerplate"), SEED)
        found = find(rebuilt, copy)
        assert found is not None and found.key == source.key
        rebuilt.add(copy.key, Signature.of_text(copy.text), copy.published)  # the pending path
    assert len(rebuilt) == 24


def test_rebuilding_skips_rows_outside_the_window_and_keeps_the_last_of_a_key() -> None:
    old, new = original(base_story(SEED, 10)), original(base_story(SEED, 11))
    rows = [
        ("a", Signature.of_text(old.text).to_bytes(), NOW - timedelta(days=5)),
        ("b", Signature.of_text(old.text).to_bytes(), NOW - timedelta(hours=1)),
        ("b", Signature.of_text(new.text).to_bytes(), NOW),
    ]
    rebuilt = DedupeIndex.from_rows(rows, window=timedelta(days=3), now=NOW)
    assert "a" not in rebuilt and len(rebuilt) == 1
    found = rebuilt.match(Signature.of_text(new.text), when=NOW, key="c")
    assert found is not None and found.key == "b"
    assert rebuilt.match(Signature.of_text(old.text), when=NOW, key="c") is None


def test_a_stored_row_that_is_not_a_signature_is_named() -> None:
    good = Signature.of_text(original(base_story(SEED, 12)).text).to_bytes()
    bad = b"XX" + good[2:]
    with pytest.raises(SignatureError, match="'article-2'"):
        DedupeIndex.from_rows([("article-1", good, NOW), ("article-2", bad, NOW)], now=NOW)
    with pytest.raises(SignatureError, match="'article-3'"):
        DedupeIndex.from_rows([("article-1", good, NOW), ("article-3", good[:-4], NOW)], now=NOW)


def test_signatures_of_another_size_are_refused() -> None:
    index = DedupeIndex()
    with pytest.raises(SignatureError, match="64 permutations"):
        index.add("a", Signature.of_text("one two three four five six", num_perm=64), NOW)


def test_matches_survive_merging_the_pending_rows_into_the_sorted_table() -> None:
    index = DedupeIndex(window=timedelta(days=30))
    texts = [
        " ".join(f"word{n}x{i}" for i in range(40)) + f" story number {n}"
        for n in range(MERGE_ROWS + 10)
    ]
    for n, text in enumerate(texts):
        index.add(f"k{n}", Signature.of_text(text), NOW)
    assert len(index) == MERGE_ROWS + 10
    for n in (0, MERGE_ROWS // 2, MERGE_ROWS + 5):
        copy = texts[n].replace("word", "WORD") + " with an extra closing line of text"
        found = index.match(Signature.of_text(copy), when=NOW, key="new")
        assert found is not None and found.key == f"k{n}"
