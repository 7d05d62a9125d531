"""Glossaries of forced translations, in TOML, CSV and TBX, applied by every engine and checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import WriteSettings
from mockserver import MockServer, article_page, rss
from newsrelay import Store, run_once
from newsrelay.check import check_translation
from newsrelay.errors import ConfigError
from newsrelay.model import Article, Source, Translation
from newsrelay.translate import translate_article
from newsrelay.translate.apertium import ApertiumEngine
from newsrelay.translate.glossary import load_glossary
from sitepages import story_text

TBX = """<?xml version="1.0"?>
<martif type="TBX" xml:lang="en"><text><body>
  <termEntry id="1">
    <langSet xml:lang="en"><tig><term>Paper Lantern</term></tig></langSet>
    <langSet xml:lang="es-ES"><tig><term>Farolillo de Papel</term></tig></langSet>
    <langSet xml:lang="ca"><tig><term>Fanalet de Paper</term></tig></langSet>
  </termEntry>
</body></text></martif>
"""


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("g.toml", '[en-es]\n"Paper Lantern" = "Farolillo de Papel"\n[en-ca]\n"Paper Lantern" = "Fanalet de Paper"\n'),
        ("g.csv", "source,target,term,translation\nen,es,Paper Lantern,Farolillo de Papel\nen,ca,Paper Lantern,Fanalet de Paper\n"),
        ("g.tbx", TBX),
    ],
)  # fmt: skip
def test_each_format_gives_forced_translations_by_pair(
    tmp_path: Path, name: str, text: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    glossary = load_glossary(path)
    assert glossary.terms("en", "es") == {"Paper Lantern": "Farolillo de Papel"}
    assert glossary.terms("en", "ca") == {"Paper Lantern": "Fanalet de Paper"}
    assert glossary.terms("es", "en") == (
        {"Farolillo de Papel": "Paper Lantern"} if name == "g.tbx" else {}
    )


@pytest.mark.parametrize(
    ("name", "text", "reason"),
    [
        ("g.toml", "[en-es]\nPaper = 3\n", r"g.toml: \[en-es\] 'Paper' needs a translation"),
        ("g.toml", '[spanish]\n"a" = "b"\n', r"g.toml: \[spanish\] must be a table named after a pair"),
        ("g.toml", "[en-es\n", "g.toml: not a valid glossary"),
        ("g.csv", "from,to,a,b\n", "g.csv: the first line must be source,target,term,translation"),
        ("g.csv", "source,target,term,translation\nen,es,,x\n", "g.csv: line 2: every column needs a value"),
        ("g.tbx", "<martif><text>", "g.tbx: not a valid glossary"),
        ("g.txt", "", "g.txt: a glossary must be a .toml, .csv or .tbx file"),
    ],
)  # fmt: skip
def test_a_bad_glossary_is_named_with_the_reason(
    tmp_path: Path, name: str, text: str, reason: str
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=reason):
        load_glossary(path)


ARTICLE = Article(
    title="Paper Lantern opens a second shop",
    body_html="<p>Paper Lantern opened a second shop in the old market on Friday.</p>",
)


@pytest.mark.usefixtures("apertium_eng_spa")
def test_apertium_applies_the_forced_translation() -> None:
    forced = {"Paper Lantern": "Farolillo de Papel"}
    result = translate_article(ApertiumEngine(), ARTICLE, "en", "es", forced=forced)
    assert result.title.startswith("Farolillo de Papel")
    assert "Farolillo de Papel" in result.body_html and "Paper Lantern" not in result.body_html
    assert check_translation(ARTICLE, result, forced=forced).findings == ()


def test_the_names_check_holds_a_translation_that_ignores_the_glossary() -> None:
    ignored = Translation("es", "en", "x", "Linterna de Papel abre una segunda tienda",
                          "<p>Linterna de Papel abrió una segunda tienda el viernes.</p>")  # fmt: skip
    verdict = check_translation(ARTICLE, ignored, forced={"Paper Lantern": "Farolillo de Papel"})
    assert [f.message for f in verdict.findings if f.kind == "names"] == [
        "'Paper Lantern' does not appear as 'Farolillo de Papel' (glossary)"
    ]


@pytest.mark.usefixtures("apertium_eng_spa")
def test_the_pipeline_applies_the_glossary_and_each_source_keep_list(
    server: MockServer, write_settings: WriteSettings, tmp_path: Path
) -> None:
    (tmp_path / "glossary.toml").write_text('[en-es]\n"old market" = "Mercat Vell"\n')
    link = server.route("/news/1.html", article_page(ARTICLE.title, [
        "Paper Lantern opened a second shop in the old market on Friday.",
        "The owners said the shop in the old market would sell lamps made by hand in the town.",
    ]))  # fmt: skip
    feed = server.route("/feed.xml", rss([(ARTICLE.title, link)]))
    source = Source(name="Gazette", url=feed, keep=("Paper Lantern",))
    settings = write_settings([source], {"translate.glossary": "glossary.toml"})
    store = Store.open(settings.store_url)
    report = run_once(settings, store)
    assert report.counts["publish"] == {"ok": 1}
    page = story_text(settings.output_dir, "es")
    assert "Paper Lantern" in page and "Mercat Vell" in page and "mercado" not in page
    store.close()
