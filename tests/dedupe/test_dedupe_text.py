"""Normalisation, shingles and signatures: what two copies have in common survives typography."""

from __future__ import annotations

import pytest

from newsrelay.dedupe import Signature, SignatureError, exact_hash, normalise
from newsrelay.dedupe.text import shingle_hashes
from newsrelay.errors import NewsrelayError

PLAIN = (
    "FERNHOLM (Nordwire) - The council's plan for 1,200 homes was approved on Tuesday, "
    '"a fine result for the town," said Mayor Anja Torvale.'
)
TYPESET = (
    "Fernholm (NORDWIRE) \u2014 The council\u2019s plan for 1\u202f200 ho\u00admes was "
    "approved on Tuesday,  \u201ca \ufb01ne result for the town,\u201d said Mayor Anja "
    "Tor\u200bvale."
)


def test_normalise_drops_case_punctuation_quotes_and_dashes() -> None:
    assert normalise('"Hello" \u2014 World\u2019s END-game!') == [
        "hello",
        "world",
        "s",
        "end",
        "game",
    ]


def test_normalise_keeps_digits_and_joins_digit_groups() -> None:
    assert normalise("1,200 and 1.200 and 1 200 and 3.5 and 2024") == [
        "1200", "and", "1200", "and", "1200", "and", "3", "5", "and", "2024",
    ]  # fmt: skip


def test_normalise_maps_full_width_digits_and_ligatures() -> None:
    assert normalise("\uff14\uff15 \ufb01re") == ["45", "fire"]


def test_typographic_variants_normalise_to_the_same_words() -> None:
    assert normalise(PLAIN) == normalise(TYPESET)
    assert exact_hash(normalise(PLAIN)) == exact_hash(normalise(TYPESET))
    assert Signature.of_text(PLAIN) == Signature.of_text(TYPESET)


def test_shingle_hashes_are_stable_across_processes_and_versions() -> None:
    # Stored signatures must stay comparable: these values must never change.
    hashes = shingle_hashes(["one", "two", "three", "four", "five", "six"]).tolist()
    assert hashes == [1054966510, 1865250742]
    signature = Signature.of_text("one two three four five six")
    assert signature.minimums[:3].tolist() == [280889284, 363755035, 107080400]
    assert signature.exact == 0xE7A72052E45033D8


def test_short_and_empty_texts() -> None:
    assert len(shingle_hashes(["just", "three", "words"])) == 1
    empty = Signature.of_text(" \u2014 ... ")
    assert empty.empty and empty.shingles == 0
    assert empty.jaccard(empty) == 0.0


def test_signature_bytes_round_trip() -> None:
    signature = Signature.of_text(PLAIN)
    data = signature.to_bytes()
    assert len(data) == 532
    again = Signature.from_bytes(data)
    assert again == signature
    assert again.minimums.tolist() == signature.minimums.tolist()
    assert (again.shingles, again.exact) == (signature.shingles, signature.exact)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "at least 20 bytes"),
        (b"XX" + bytes(530), "not a newsrelay signature"),
        (Signature.of_text(PLAIN).to_bytes()[:-4], "has 532 bytes, got 528"),
        (b"NM\x07" + Signature.of_text(PLAIN).to_bytes()[3:], "version 7"),
    ],
)
def test_bad_signature_bytes_are_refused_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(SignatureError, match=message) as caught:
        Signature.from_bytes(data)
    assert isinstance(caught.value, NewsrelayError)


def test_jaccard_estimate_follows_the_overlap() -> None:
    words = [f"w{i}" for i in range(400)]
    base = Signature.of_text(" ".join(words))
    half = Signature.of_text(" ".join(words[:200] + [f"x{i}" for i in range(200)]))
    assert base.jaccard(base) == 1.0
    assert 0.2 < base.jaccard(half) < 0.45  # exact Jaccard 196 / 600 = 0.33
