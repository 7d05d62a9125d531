"""Sentences, placeholders and inline markup: what an engine is given and what comes back."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from newsrelay.errors import EngineError
from newsrelay.model import Article
from newsrelay.translate import translate_article, translate_batches
from newsrelay.translate.segment import hide, split_html


class Recorder:
    """An engine without markup support that returns its input, upper-cased outside
    placeholders, and records what it was sent."""

    name = "recorder"
    accepts_markup = False

    def __init__(self) -> None:
        self.sent: list[str] = []

    def pairs(self) -> set[tuple[str, str]]:
        return {("en", "es")}

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        self.sent += segments
        return [
            " ".join(w if w.startswith("QX") else w.upper() for w in s.split()) for s in segments
        ]


def test_blocks_are_cut_into_sentences_but_never_inside_an_inline_element() -> None:
    html = 'It rained. The <a href="http://127.0.0.1/r">report. It</a> says so! Roads &amp; rails shut.'
    assert split_html(html, "en") == [
        "It rained.",
        'The <a href="http://127.0.0.1/r">report. It</a> says so!',
        "Roads &amp; rails shut.",
    ]


def test_placeholders_are_numbered_within_each_segment() -> None:
    one = hide("Helen Marsh met Won-sik.", ["Helen Marsh", "Won-sik"], {}, markup=True)
    two = hide("Won-sik left.", ["Helen Marsh", "Won-sik"], {}, markup=True)
    assert (one.text, two.text) == ("QX0Q met QX1Q.", "QX0Q left.")
    assert two.restore("QX0Q se fue.") == "Won-sik se fue."


def test_spans_inside_attributes_are_left_alone() -> None:
    hidden = hide('See <a href="http://x.test/Oxfam">Oxfam</a>.', ["Oxfam"], {"Oxfam": "OXF"},
                  markup=True)  # fmt: skip
    assert hidden.text == 'See <a href="http://x.test/Oxfam">QX0Q</a>.'
    assert hidden.restore(hidden.text) == 'See <a href="http://x.test/Oxfam">OXF</a>.'


def test_inline_markup_travels_as_placeholders_for_engines_without_markup() -> None:
    engine = Recorder()
    article = Article(
        title="Bridge",
        body_html='<p>The <em>old</em> bridge<br>closed. See <a href="http://127.0.0.1/m">'
        "the map</a>.</p><ul><li>One</li><li>Two</li></ul><blockquote><p>We wait.</p></blockquote>",
    )
    result = translate_article(engine, article, "en", "es")
    assert all("<" not in segment for segment in engine.sent)
    assert result.body_html == (
        '<p>THE <em>OLD</em> BRIDGE <br> CLOSED. SEE <a href="http://127.0.0.1/m" rel="noopener noreferrer">THE MAP</a>.'
        "</p><ul><li>ONE</li><li>TWO</li></ul><blockquote><p>WE WAIT.</p></blockquote>"
    )


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Write to desk@paper.test or @desk_team about #floods2026.", ["desk@paper.test", "@desk_team", "#floods2026"]),
        ("Details at https://paper.test/a?b=1 today.", ["https://paper.test/a?b=1"]),
        ("We need to win pic.twitter.com/4p7SXk7JPW", ["pic.twitter.com/4p7SXk7JPW"]),
        ("The minister Shin Won-sik met NATO envoys.", ["Shin Won-sik", "NATO"]),
    ],
)  # fmt: skip
def test_handles_links_and_names_are_hidden_from_the_engine(text: str, kept: list[str]) -> None:
    engine = Recorder()
    result = translate_article(engine, Article(title="T", body_html=f"<p>{text}</p>"), "en", "es")
    for span in kept:
        assert span not in " ".join(engine.sent) and span in result.body_html


class Fails(Recorder):
    """Fails on any request that holds the word "boom"."""

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        if any("boom" in segment for segment in segments):
            raise EngineError("the engine failed")
        return super().translate(segments, source, target)


def test_batches_come_back_in_order_each_with_its_translations_or_its_error() -> None:
    def article(text: str) -> Article:
        return Article(title="T", body_html=f"<p>{text}</p>")

    batches = [[article("one"), article("two")], [article("boom")], [article("three")]]
    results = list(translate_batches(Fails(), batches, "en", "es"))
    assert [batch for batch, _ in results] == batches
    first, failed, last = (result for _, result in results)
    assert isinstance(first, list) and [t.body_html for t in first] == ["<p>ONE</p>", "<p>TWO</p>"]
    assert isinstance(failed, EngineError)
    assert isinstance(last, list) and last[0].body_html == "<p>THREE</p>"


def test_numbers_the_engine_copies_are_written_the_readers_way() -> None:
    """Apertium copies "1,240" and "2.8" as they are; a Spanish reader would read 1,24 and
    2800. They are rewritten by CLDR's conventions of the target, the rest left alone."""
    text = "Some 1,240 members, 2.80 million in 2019, at 10.30am, version 1.2.3."
    result = translate_article(Recorder(), Article(title="1,240 jobs", body_html=f"<p>{text}</p>"),
                               "en", "es")  # fmt: skip
    assert result.title == "1.240 JOBS"
    assert "1.240 MEMBERS, 2,80 MILLION IN 2019, AT 10.30AM, VERSION 1.2.3." in result.body_html


@pytest.mark.parametrize(
    ("target", "expected"),
    [("fr", "1\u202f240,5"), ("de", "1.240,5"), ("ru", "1\u00a0240,5"), ("en", "1,240.5")],
)
def test_number_conventions_come_from_cldr(target: str, expected: str) -> None:
    from newsrelay.text import localize_numbers

    assert localize_numbers("x 1,240.5 y", "a 1,240.5 b", "en", target) == f"x {expected} y"
    assert localize_numbers("x 1,240.5 y", "no number copied", "en", target) == "x 1,240.5 y"
