"""What a story page shows and declares (issue 6, item 2), read back from the built HTML."""

from __future__ import annotations

import itertools
from pathlib import Path

import lxml.html
import pytest
from site_samples import BASE, build_sample_site

LOADS = "//img/@src | //script/@src | //link[@rel='stylesheet' or @rel='icon']/@href"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    build_sample_site(tmp_path)
    return tmp_path


def page(site: Path, path: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((site / path).read_bytes())


def text(tree: lxml.html.HtmlElement, xpath: str) -> str:
    [element] = tree.xpath(xpath)
    return " ".join(element.text_content().split())


def meta(tree: lxml.html.HtmlElement, key: str) -> str:
    [value] = tree.xpath(f"//meta[@property='{key}' or @name='{key}']/@content")
    return str(value)


def test_the_reader_sees_headline_standfirst_byline_dates_image_and_credits(site: Path) -> None:
    tree = page(site, "es/story/1.html")
    assert text(tree, "//h1") == "Árboles para el río"
    assert text(tree, "//p[@class='standfirst']") == "The council backs the plan."
    assert tree.xpath("//p[@class='standfirst']/@lang") == ["en"]  # not translated: marked
    assert text(tree, "//p[@class='byline']") == "Por Ana Ruiz, para Wire A"
    assert text(tree, "//p[@class='dateline']") == (
        "27 de noviembre de 2026 · actualizada el 28 de noviembre de 2026"
    )
    assert tree.xpath("//p[@class='dateline']/time/@datetime") == [
        "2026-11-27T08:30:00+01:00", "2026-11-28T09:15:00+01:00",
    ]  # fmt: skip
    [image] = tree.xpath("//figure/img")
    assert image.get("src") == "http://127.0.0.1:9/img.jpg" and image.get("alt")
    assert text(tree, "//figcaption") == "The river at dawn. (Photo: Luis Gil)"
    assert text(tree, "//article/p[not(@class)][1]") == "Primer párrafo de la noticia."
    assert "traducida automáticamente del inglés con apertium" in text(tree, "//p[@role='note']")
    credit = text(tree, "//p[@class='credit']")
    assert "Fuente: Wire A — Original headline." in credit
    assert tree.xpath("//p[@class='credit']/a/@href")[0] == "http://127.0.0.1:9/news/1.html"
    assert text(tree, "//*[@id='license']") == "Licencia: CC BY 4.0."
    assert tree.xpath("//a[@rel='license']/@href") == [
        "https://creativecommons.org/licenses/by/4.0/"
    ]
    assert "From Wire A." in credit and "Motor de traducción: apertium (en → es)." in credit


def test_byline_in_each_readers_language(site: Path) -> None:
    assert text(page(site, "ca/story/1.html"), "//p[@class='byline']") == (
        "Per Ana Ruiz, per a Wire A"
    )
    assert not page(site, "es/story/2.html").xpath("//p[@class='byline']")  # no author known


def test_own_canonical_and_alternates_among_newsrelays_versions(site: Path) -> None:
    tree = page(site, "ca/story/1.html")
    assert tree.xpath("//link[@rel='canonical']/@href") == [BASE + "ca/story/1.html"]
    alternates = dict(zip(tree.xpath("//link[@hreflang]/@hreflang"),
                          tree.xpath("//link[@hreflang]/@href"), strict=True))  # fmt: skip
    assert alternates == {"ca": BASE + "ca/story/1.html", "es": BASE + "es/story/1.html"}
    assert page(site, "es/story/2.html").xpath("//link[@hreflang]/@hreflang") == ["es"]


def test_opengraph_and_twitter_card(site: Path) -> None:
    tree = page(site, "es/story/1.html")
    assert meta(tree, "og:type") == "article"
    assert meta(tree, "og:title") == meta(tree, "twitter:title") == "Árboles para el río"
    assert meta(tree, "og:url") == BASE + "es/story/1.html"
    assert meta(tree, "og:image") == "http://127.0.0.1:9/img.jpg"
    assert meta(tree, "og:description") == "Primer párrafo de la noticia."
    assert meta(tree, "article:published_time") == "2026-11-27T08:30:00+01:00"
    assert meta(tree, "article:modified_time") == "2026-11-28T09:15:00+01:00"
    assert meta(tree, "twitter:card") == "summary_large_image"
    assert meta(page(site, "es/story/2.html"), "twitter:card") == "summary"


@pytest.mark.parametrize(
    "path", ["index.html", "es/index.html", "es/tag/rivers/index.html", "es/story/1.html"]
)
def test_pages_are_accessible_and_need_no_script(site: Path, path: str) -> None:
    tree = page(site, path)
    assert tree.get("lang") == ("en" if path == "index.html" else "es")
    assert tree.xpath("//meta[@name='viewport']/@content") == [
        "width=device-width, initial-scale=1"
    ]
    assert all(img.get("alt") for img in tree.iter("img"))
    levels = [int(h.tag[1]) for h in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[:1] == [1] and levels.count(1) == 1
    assert all(b - a <= 1 for a, b in itertools.pairwise(levels))
    assert [s.get("type") for s in tree.iter("script")] in ([], ["application/ld+json"])
    assert not tree.xpath("//@*[starts-with(name(), 'on')]")  # no inline handlers either
    # only the lead image (hot-linked in this build) is loaded from elsewhere
    loaded = [str(u) for u in tree.xpath(LOADS) if not str(u).startswith("data:")]
    assert set(loaded) <= {"http://127.0.0.1:9/img.jpg"}


def test_home_names_each_language_in_itself(site: Path) -> None:
    tree = page(site, "index.html")
    links = [(a.get("href"), a.get("lang"), a.text) for a in tree.iter("a") if a.get("hreflang")]
    assert links == [("es/index.html", "es", "español"), ("ca/index.html", "ca", "català")]


def test_links_to_sources_are_nofollow_when_the_setting_asks(tmp_path: Path) -> None:
    from site_samples import LANGUAGES, sample_stories

    from newsrelay.publish import StaticSite

    def credit_rel(nofollow: bool) -> list[str | None]:
        site = StaticSite(tmp_path, title="Relay", base_url=BASE, nofollow_sources=nofollow)
        site.build(sample_stories(), LANGUAGES)
        doc = lxml.html.fromstring((tmp_path / "es/story/1.html").read_text(encoding="utf-8"))
        return [
            a.get("rel")
            for a in doc.xpath('//p[@class="credit"]/a[starts-with(@href, "http://127.0.0.1:9/")]')
        ]

    assert credit_rel(False) == [None]
    assert credit_rel(True) == ["nofollow noopener"]  # the same folder: the pages are rebuilt
