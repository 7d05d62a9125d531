"""The site in the reader's language: for every language newsrelay has interface text for, no
interface string of a built site is left in English, and every page with versions in other
languages links them by their own names."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import lxml.html
import pytest
from publish_samples import story

from conftest import WriteSettings
from mockserver import MockServer, article_page, rss
from newsrelay import Store, run_once
from newsrelay.model import Metadata, Source
from newsrelay.publish import StaticSite
from newsrelay.publish.strings import LANGUAGES, table, written

BODY = "<p>⁂ ⁂ ⁂</p>"  # story text in no language: whatever English a page shows is the site's
PLACEHOLDER = re.compile(r"\{[a-z_]+\}")


def build(folder: Path, language: str) -> StaticSite:
    meta = Metadata(authors=("Ana Ruiz",), published="2026-11-27T08:30:00+01:00",
                    updated="2026-11-29T08:30:00+01:00", section="⁂", tags=("⁂⁂",))  # fmt: skip
    stories = [
        replace(story(i, language, f"⁂ {i}"), body_html=BODY, meta=meta, attribution="")
        for i in range(1, 45)  # more than a page: the older/newer links
    ]
    when = datetime(2026, 11, 30, 9, 0)
    stories[0] = replace(stories[0], removed_at=when, removal="source_retracted")  # a note
    stories[1] = replace(stories[1], reviewed=True)
    withdrawn = [replace(stories[2], removed_at=when, removal=how)
                 for how in ("source_gone", "editor_withdrew")]  # fmt: skip
    site = StaticSite(folder, title="Relay", base_url="http://127.0.0.1:8080/", on_removal="keep")
    site.build(stories, [language])
    for gone in withdrawn:  # tombstones, as a site that unpublishes leaves them
        StaticSite(folder / gone.removal, title="Relay", base_url="http://127.0.0.1:8080/",
                   on_removal="unpublish").build([gone], [language])  # fmt: skip
    return site


def visible_text(page: Path, language: str) -> str:
    """What a reader of ``language`` sees and hears on a page: its text and its labels, less
    what is marked as another language (the source's title, its license)."""
    tree = lxml.html.fromstring(page.read_bytes())
    for element in tree.xpath("//script|//style|//*[@lang][not(self::html)]"):
        if element.tag in ("script", "style") or element.get("lang") != language:
            element.drop_tree()
    labels = tree.xpath("//@aria-label|//@alt|//@title|//meta[@name='description']/@content")
    return " ".join([tree.text_content(), *labels])


def english_fragments(language: str) -> set[str]:
    """The pieces of English interface text (between placeholders) a page of ``language`` must
    not show: all but words the two languages share ("Source" in French, "Tag" in Italian)."""
    own = " ".join(table(language).values()).casefold()
    fragments = {f.strip(" :.,()").casefold() for value in table("en").values()
                 for f in PLACEHOLDER.split(value)}  # fmt: skip
    return {f for f in fragments if len(f) >= 4 and f not in own}


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_no_interface_string_is_left_in_english(tmp_path: Path, language: str) -> None:
    build(tmp_path, language)
    pages = list(tmp_path.rglob("*.html"))
    assert len(pages) > 40
    fragments = english_fragments(language)
    for page in pages:
        text = visible_text(page, language).casefold()
        left = sorted(f for f in fragments if f in text)
        assert not left, (page.relative_to(tmp_path), left)


@pytest.mark.usefixtures("apertium_spa_ast")
def test_a_language_without_written_interface_text_gets_the_engines_translation(
    server: MockServer, write_settings: WriteSettings
) -> None:
    # Asturian: Apertium has Spanish into Asturian, so the site's labels are translated from
    # the Spanish written for newsrelay, and the English story goes through Spanish
    assert not written("ast")
    text = [
        "The city council approved a plan on Tuesday to plant 2,000 trees along the river.",
        "The mayor said the trees would protect the banks from floods in the winter.",
    ]
    link = server.route("/news/1.html", article_page("Trees for the river", text))
    feed = server.route("/feed.xml", rss([("Trees", link)]))
    settings = write_settings([Source(name="Gazette", url=feed)], {"site.languages": ["ast"]})
    store = Store.open(settings.store_url)
    report = run_once(settings, store)
    store.close()
    assert report.counts["publish"] == {"ok": 1}, report.counts
    strings = table("ast")
    assert strings.keys() == table("en").keys()
    assert strings["source"] == "Fonte" and strings["latest"] != table("es")["latest"]
    english = english_fragments("es")  # what English the Spanish text does not share
    pages = list(settings.output_dir.rglob("*.html"))
    for page in pages:
        shown = visible_text(page, "ast").casefold()
        assert not sorted(f for f in english if f in shown), page
    story = next(p for p in pages if "foi traducida automáticamente" in p.read_text())
    assert "persona." in story.read_text()  # Apertium's "persona ." closed up


def test_every_language_has_every_interface_string() -> None:
    english = table("en")
    for language in LANGUAGES:
        own = table(language)
        assert own.keys() == english.keys(), language
        for key, value in own.items():
            assert set(PLACEHOLDER.findall(value)) == set(PLACEHOLDER.findall(english[key])), (
                language, key,
            )  # fmt: skip


def test_a_story_and_a_front_page_link_their_other_languages_by_their_own_names(
    tmp_path: Path,
) -> None:
    stories = [story(1, "es", "Árboles para el río"), story(1, "ca", "Arbres per al riu")]
    StaticSite(tmp_path, title="Relay", base_url="http://127.0.0.1:8080/").build(
        stories, ["es", "ca"]
    )
    page = lxml.html.fromstring((tmp_path / "es/story/1.html").read_bytes())
    (switcher,) = page.xpath("//nav[@class='langs']")
    assert switcher.get("aria-label") == "También en"
    (link,) = switcher.xpath(".//a")
    assert (link.text, link.get("lang"), link.get("href")) == (
        "Català",
        "ca",
        "../../ca/story/1.html",
    )
    assert (tmp_path / "es/story" / link.get("href")).resolve() == (tmp_path / "ca/story/1.html")
    front = lxml.html.fromstring((tmp_path / "ca/index.html").read_bytes())
    assert [(a.text, a.get("href")) for a in front.xpath("//nav[@class='langs']//a")] == [
        ("Español", "../es/index.html")
    ]
    about = lxml.html.fromstring((tmp_path / "ca/about.html").read_bytes())
    assert [(a.text, a.get("href")) for a in about.xpath("//nav[@class='langs']//a")] == [
        ("Español", "../es/about.html")
    ]


def test_a_story_address_is_its_headline_in_the_readers_words() -> None:
    spanish = story(4, "es", "Árboles para el río: el ayuntamiento aprueba el plan")
    assert StaticSite.new_path(spanish).endswith(
        "/arboles-para-el-rio-el-ayuntamiento-aprueba-el.html"
    )
    russian = story(5, "ru", "Город сажает деревья")
    path = StaticSite.new_path(russian)
    assert path.startswith("ru/") and path.endswith("/gorod-sazhaet-derevia.html"), path
    assert re.fullmatch(r"es/\d{4}/\d\d/\d\d/[a-z0-9-]+\.html", StaticSite.new_path(spanish))


@pytest.mark.parametrize(
    ("logo", "on_story", "on_front"),
    [("images/logo.png", "../../images/logo.png", "../images/logo.png"),
     ("https://cdn.example.org/logo.svg", "https://cdn.example.org/logo.svg",
      "https://cdn.example.org/logo.svg")],
)  # fmt: skip
def test_the_masthead_shows_the_sites_logo_from_any_page(
    tmp_path: Path, logo: str, on_story: str, on_front: str
) -> None:
    site = StaticSite(tmp_path, title="Relay", base_url="http://127.0.0.1:8080/", logo=logo)
    site.build([story(1, "es", "Árboles para el río")], ["es"])
    for page, src in (("es/story/1.html", on_story), ("es/index.html", on_front)):
        [image] = lxml.html.parse(str(tmp_path / page)).xpath("//a[@class='brand']/img")
        assert (image.get("src"), image.get("alt")) == (src, "")  # the name follows it
