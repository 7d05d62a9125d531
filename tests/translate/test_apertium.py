"""The Apertium engine and article translation, with the real apertium command."""

from __future__ import annotations

import pytest

from newsrelay.config import Settings
from newsrelay.errors import NotConfigured
from newsrelay.model import Article
from newsrelay.translate import available_engines, load_engine, translate_article
from newsrelay.translate.apertium import ApertiumEngine

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")


def test_apertium_registers_through_the_entry_point() -> None:
    assert available_engines()["apertium"].load() is ApertiumEngine


def test_installed_pairs_are_discovered() -> None:
    assert ("en", "es") in ApertiumEngine().pairs()


def test_batch_keeps_one_output_per_segment_and_inline_markup() -> None:
    segments = ["The house is <b>red</b>.", 'I see the <a href="http://127.0.0.1/d">dog</a>.', ""]
    out = ApertiumEngine().translate(segments, "en", "es")
    assert out[0] == "La casa es <b>roja</b>."
    assert out[1] == 'Veo el <a href="http://127.0.0.1/d">perro</a>.'
    assert out[2] == ""


def test_article_paragraphs_stay_paragraphs() -> None:
    article = Article(
        title="The new school",
        body_html="<p>The school opened on Monday.</p><h2>Reactions</h2><ul><li>Parents are happy.</li>"
        "<li>Teachers are happy.</li></ul><p>It cost 2,000 dollars.</p>",
    )
    result = translate_article(ApertiumEngine(), article, "en", "es")
    assert result.title == "La escuela nueva"
    assert result.body_html.count("<p>") == 2 and result.body_html.count("<li>") == 2
    assert "<h2>" in result.body_html
    assert "2,000" in result.body_html
    assert (result.engine, result.source_language, result.language) == ("apertium", "en", "es")


def test_missing_pair_is_reported_at_start_up() -> None:
    with pytest.raises(NotConfigured, match=r"cannot translate en->xx \(it offers: .*en->es"):
        load_engine(Settings(), [("en", "xx")])


def test_unknown_engine_is_reported() -> None:
    from newsrelay.config import TranslateSettings

    with pytest.raises(NotConfigured, match="'nope' is not installed"):
        load_engine(Settings(translate=TranslateSettings(engine="nope")))


def test_pair_without_a_direct_mode_goes_through_a_pivot_and_says_so() -> None:
    engine = ApertiumEngine()
    if not {("en", "ca"), ("ca", "pt")} <= set(engine.modes):
        pytest.fail("apertium-eng-cat and apertium-por-cat are needed: 'make test' installs them")
    assert engine.via("en", "pt") == "ca" and engine.via("en", "es") is None
    article = Article(
        title="The new bridge",
        body_html="<p>Mayor Helen Marsh said the <b>bridge</b> opened on Monday.</p>",
    )
    result = translate_article(engine, article, "en", "pt")
    assert result.engine == "apertium (via ca)"
    assert result.title == "A ponte nova"
    assert "Helen Marsh" in result.body_html and "segunda-feira" in result.body_html


def test_glossary_names_are_never_translated() -> None:
    article = Article(
        title="Paper Lantern opens a second shop",
        body_html="<p>Paper Lantern opened a second shop in the old market on Friday.</p>",
    )
    plain = translate_article(ApertiumEngine(), article, "en", "es")
    kept = translate_article(ApertiumEngine(), article, "en", "es", glossary=["Paper Lantern"])
    assert "Paper Lantern" not in plain.title  # Apertium alone translates the shop's name
    assert "Paper Lantern" in kept.title and "Paper Lantern" in kept.body_html
