"""Incremental builds: a new or changed story rewrites only the files that show it, atomically;
files the site no longer has are removed; a theme's templates replace the built-in ones."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from publish_samples import links, story

from conftest import WriteSettings
from newsrelay import Store, run_once
from newsrelay.errors import NotConfigured
from newsrelay.model import StoryView
from newsrelay.publish import StaticSite
from newsrelay.publish.indexes import PAGE_SIZE

SOURCES = ("Wire A", "Wire B")


def many(count: int) -> list[StoryView]:
    """``count`` stories, story 0 the newest, spread over two sources, two sections and tags."""
    return [
        story(n, "es", f"Noticia {n}", age=timedelta(minutes=n + 1), source=SOURCES[n % 2],
              section=("Economy", "Sport")[n % 2], tags=(f"t{n % 3}",))
        for n in range(count)
    ]  # fmt: skip


def files(folder: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime) of every file; an atomic rewrite replaces the inode."""
    return {
        str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def changes(folder: Path, build: object) -> set[str]:
    before = files(folder)
    assert callable(build)
    build()
    after = files(folder)
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def site(tmp_path: Path, theme: Path | None = None) -> StaticSite:
    return StaticSite(tmp_path, title="Relay", base_url="http://127.0.0.1:8080/", theme=theme)


def test_adding_a_story_rewrites_only_the_files_that_show_it(tmp_path: Path) -> None:
    stories = many(5 * PAGE_SIZE + 3)
    site(tmp_path).build(stories, ["es"])
    new = story(1000, "es", "Última hora", source="Wire B", section="Sport", tags=("t1", "t9"))

    changed = changes(tmp_path, lambda: site(tmp_path).build([*stories, new], ["es"]))

    feeds = {"feed.xml", "atom.xml", "feed.json"}
    assert changed == {
        "es/story/1000.html",
        "es/index.html", *{f"es/{f}" for f in feeds},
        "es/source/wire-b/index.html", *{f"es/source/wire-b/{f}" for f in feeds},
        "es/section/sport/index.html",
        "es/tag/t1/index.html", "es/tag/t9/index.html",
        "sitemap-es.xml", "news-sitemap.xml", ".newsrelay-manifest.json",
    }  # fmt: skip
    assert links(tmp_path / "es/index.html")[0] == "story/1000.html"
    assert not list(tmp_path.rglob("*.tmp"))


def test_a_build_with_nothing_new_writes_nothing(tmp_path: Path) -> None:
    stories = many(30)
    site(tmp_path).build(stories, ["es"])
    assert changes(tmp_path, lambda: site(tmp_path).build(stories, ["es"])) == set()
    (tmp_path / "es/tag/t2/index.html").unlink()  # a file lost is written again
    assert site(tmp_path).build(stories, ["es"]) == ["es/tag/t2/index.html"]


def test_updating_a_story_rewrites_the_pages_that_show_it(tmp_path: Path) -> None:
    stories = many(3 * PAGE_SIZE)
    site(tmp_path).build(stories, ["es"])
    oldest = stories[-1]  # on page-1 of the language; its source's 30 stories fit in a feed
    stories[-1] = replace(oldest, title="Noticia corregida")

    changed = changes(tmp_path, lambda: site(tmp_path).build(stories, ["es"]))

    assert changed == {
        "es/story/59.html", "es/page-1.html", "es/source/wire-b/index.html",
        *{f"es/source/wire-b/{f}" for f in ("feed.xml", "atom.xml", "feed.json")},
        "es/section/sport/index.html", "es/tag/t2/index.html", "sitemap-es.xml",
        "news-sitemap.xml", ".newsrelay-manifest.json",
    }  # fmt: skip
    assert "Noticia corregida" in (tmp_path / "es/page-1.html").read_text()


def test_a_new_archive_page_relinks_the_one_before(tmp_path: Path) -> None:
    stories = many(2 * PAGE_SIZE - 1)  # index.html holds all 39
    site(tmp_path).build(stories, ["es"])
    assert not (tmp_path / "es/page-1.html").exists()
    site(tmp_path).build([*stories, story(1000, "es", "Nueva")], ["es"])
    assert len(links(tmp_path / "es/index.html")) == PAGE_SIZE
    assert links(tmp_path / "es/page-1.html") == [f"story/{n}.html" for n in range(19, 39)]


def test_stale_pages_are_removed(tmp_path: Path) -> None:
    stories = many(3 * PAGE_SIZE)
    site(tmp_path).build(stories, ["es"])
    assert (tmp_path / "es/page-2.html").exists() and (tmp_path / "es/tag/t2").exists()

    kept = [s for s in stories[: PAGE_SIZE + 5] if "t2" not in s.meta.tags]
    site(tmp_path).build(kept, ["es"])

    assert not (tmp_path / "es/page-1.html").exists() and not (tmp_path / "es/page-2.html").exists()
    assert not (tmp_path / "es/tag/t2").exists()  # the folder too, once empty
    assert not (tmp_path / f"es/story/{stories[-1].story_id}.html").exists()
    assert len(links(tmp_path / "es/index.html")) == len(kept)


def test_a_site_built_before_manifests_loses_its_old_pages(tmp_path: Path) -> None:
    (tmp_path / "es").mkdir()
    (tmp_path / "es/page-7.html").write_text("an old numbering")
    (tmp_path / "about.html").write_text("the publisher's own page")
    site(tmp_path).build(many(3), ["es"])
    assert not (tmp_path / "es/page-7.html").exists()
    assert (tmp_path / "about.html").exists()


def test_a_theme_replaces_templates_by_name(tmp_path: Path) -> None:
    theme = tmp_path / "theme"
    theme.mkdir()
    (theme / "index.html").write_text(
        '{% extends "base.html" %}{% block main %}<h1 class="themed">{{ heading }}</h1>'
        '{% for s in stories %}<a href="{{ s.href }}">{{ s.title }}</a>{% endfor %}'
        "{% endblock %}"
    )
    output = tmp_path / "site"
    stories = many(3)
    site(output, theme).build(stories, ["es"])
    assert '<h1 class="themed">Últimas noticias</h1>' in (output / "es/index.html").read_text()
    assert '<h1 class="themed">' not in (output / "es/story/0.html").read_text()  # built-in

    (theme / "index.html").write_text('{% extends "base.html" %}{% block main %}v2{% endblock %}')
    changed = changes(output, lambda: site(output, theme).build(stories, ["es"]))
    assert "es/index.html" in changed and "es/story/0.html" in changed  # a new look: all files
    assert "v2" in (output / "es/tag/t0/index.html").read_text()


def test_a_missing_theme_is_named_at_start(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured, match=r"site\.theme: .*nowhere"):
        site(tmp_path, tmp_path / "nowhere")


def test_the_theme_setting_is_a_folder_beside_the_config(write_settings: WriteSettings) -> None:
    settings = write_settings([], {"site.theme": "theme"})
    theme = settings.root / "theme"
    theme.mkdir()
    (theme / "redirect.html").write_text("<p>{{ site_title }}, themed</p>\n")  # one language
    store = Store.open(settings.store_url)
    run_once(settings, store)  # no sources: the publish stage builds the empty site
    store.close()
    assert (settings.output_dir / "index.html").read_text() == "<p>newsrelay, themed</p>\n"
