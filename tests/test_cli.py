"""The command line, run as a user runs it: a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mockserver import MockServer, article_page, rss
from newsrelay import Store
from newsrelay.config import load_settings, render_config
from newsrelay.demo import PROMO_TEXTS, STORIES
from newsrelay.model import Source
from sitepages import story_page

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")


def newsrelay(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "newsrelay", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )


def test_demo_publishes_every_sample_story_without_promos(tmp_path: Path) -> None:
    done = newsrelay("demo", "--output", str(tmp_path / "site"), "--no-serve", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    numbers = sorted((tmp_path / "site/es/story").glob("*.html"))
    assert len(numbers) == len(STORIES)
    pages = [story_page(tmp_path / "site", "es", int(n.stem)) for n in numbers]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert "traducida automáticamente" in html
        leaked = [p for p in PROMO_TEXTS if p.lower() in html.lower()]
        assert not leaked, f"{page.name} carries {leaked}"
    index = (tmp_path / "site/es/index.html").read_text(encoding="utf-8")
    site = (tmp_path / "site/es").resolve()
    assert all(f'href="{page.relative_to(site)}"' in index for page in pages)


def test_init_then_run_then_status(server: MockServer, tmp_path: Path) -> None:
    link = server.route(
        "/news/1.html",
        article_page(
            "Ferry returns",
            [
                "The ferry to the islands returned to service on Monday after a month of repairs to its engines.",
                "Passengers said they were glad to travel again, and the company added two crossings a day.",
            ],
        ),
    )
    feed = server.route("/feed.xml", rss([("Ferry returns", link), ("Gone", server.url("/x"))]))
    assert newsrelay("init", cwd=tmp_path).returncode == 0
    assert newsrelay("init", cwd=tmp_path).returncode == 2  # refuses to overwrite
    config = tmp_path / "newsrelay.toml"
    config.write_text(render_config([Source(name="Gazette", url=feed)]))

    assert newsrelay("run", cwd=tmp_path).returncode == 0
    done = newsrelay("status", "--json", cwd=tmp_path)

    status = json.loads(done.stdout)
    assert status["entries"]["extracted"] == 1
    assert status["entries"]["dropped"] == 1
    assert status["languages"]["es"]["published"] == 1
    assert status["memory_segments"] > 0  # the published story's sentences
    assert [p["reason"] for p in status["problems"]] == ["http_404"]
    assert status["problems"][0]["item"] == server.url("/x")
    assert "http_404" in newsrelay("status", cwd=tmp_path).stdout


def test_malformed_settings_exit_2_naming_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "newsrelay.toml").write_text('[site]\ntitle = "unclosed\n')
    done = newsrelay("status", cwd=tmp_path)
    assert done.returncode == 2
    assert "newsrelay.toml" in done.stderr and "line 2" in done.stderr


def test_translate_text_file_keeps_paragraphs(tmp_path: Path) -> None:
    source = tmp_path / "story.txt"
    source.write_text(
        "The new bridge\n\nThe bridge opened on Monday.\n\nIt cost 3 million dollars.\n"
    )
    done = newsrelay("translate", str(source), "--to", "es", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["title"] == "El puente nuevo"
    assert len(result["paragraphs"]) == 2
    assert "lunes" in result["paragraphs"][0]
    assert result["engine"] == "apertium"


def test_translate_uses_the_glossary_and_the_memory_of_the_configured_store(
    tmp_path: Path,
) -> None:
    source = tmp_path / "story.txt"
    source.write_text("The new bridge\n\nThe bridge opened on Monday.\n")
    assert newsrelay("translate", str(source), "--to", "es", cwd=tmp_path).returncode == 0
    assert not (tmp_path / "newsrelay.db").exists()  # no settings file: no store, no memory
    (tmp_path / "g.toml").write_text('[en-es]\n"Monday" = "dilluns"\n')
    (tmp_path / "newsrelay.toml").write_text('[translate]\nglossary = "g.toml"\n')
    done = newsrelay("translate", str(source), "--to", "es", "--no-memory", cwd=tmp_path)
    assert "dilluns" in done.stdout and not (tmp_path / "newsrelay.db").exists()
    done = newsrelay("translate", str(source), "--to", "es", cwd=tmp_path)
    assert "dilluns" in done.stdout
    store = Store.open(load_settings(tmp_path / "newsrelay.toml").store_url)
    assert store.memory_size() == 2  # the headline and the sentence
    store.close()


def test_translate_url_extracts_first(server: MockServer, tmp_path: Path) -> None:
    url = server.route(
        "/a.html",
        article_page(
            "The market",
            [
                "The weekly market moved to the square by the harbour on Saturday, the city said.",
                "<a href='/more'>Traders</a> said the new place was better for their business and for visitors.",
            ],
        ),
    )
    done = newsrelay("translate", url, "--to", "es", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["title"] == "La lonja"  # Apertium's choice for "the market"
    assert f'href="{server.url("/more")}"' in result["html"]  # the inline link survived


def test_translate_missing_pair_says_so(tmp_path: Path) -> None:
    source = tmp_path / "s.txt"
    source.write_text("Title\n\nBody.\n")
    done = newsrelay("translate", str(source), "--to", "xx", cwd=tmp_path)
    assert done.returncode == 3
    assert "'xx' is not a language code" in done.stderr
    done = newsrelay("translate", str(source), "--to", "fr", cwd=tmp_path)
    assert done.returncode == 3
    assert "cannot translate en->fr" in done.stderr and "apertium-eng-fra" in done.stderr


def test_translate_unreadable_input(server: MockServer, tmp_path: Path) -> None:
    assert (
        newsrelay("translate", str(tmp_path / "nope.html"), "--to", "es", cwd=tmp_path).returncode
        == 2
    )
    done = newsrelay("translate", server.url("/status/404"), "--to", "es", cwd=tmp_path)
    assert done.returncode == 5
    assert "HTTP 404" in done.stderr


def test_extract_json_and_explain(tmp_path: Path) -> None:
    from newsrelay.demo import DemoSite

    page = tmp_path / "bridge.html"
    page.write_text(DemoSite().page("bridge") or "")
    done = newsrelay("extract", str(page), "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["title"].startswith("Lakeside council approves")
    assert result["language"] == "en"
    assert result["meta"]["authors"] == ["Maria Okafor"]
    assert {r["text"] for r in result["removed"]} >= {"JOIN US ON TELEGRAM"}
    assert "TELEGRAM" not in result["text"]
    explained = newsrelay("extract", str(page), "--explain", cwd=tmp_path)
    assert "structure:class=promo" in explained.stderr


def test_removed_list_and_keep(server: MockServer, tmp_path: Path) -> None:
    paragraphs = [
        "The ferry to the islands returned to service on Monday after a month of repairs to its engines.",
        "Read more about the ferry company and its history.",
    ]
    link = server.route("/n/1.html", article_page("Ferry returns", paragraphs))
    (tmp_path / "newsrelay.toml").write_text(
        render_config([Source(name="Gazette", url=server.route("/f.xml", rss([("F", link)])))])
    )
    assert newsrelay("run", cwd=tmp_path).returncode == 0
    listed = json.loads(newsrelay("removed", "list", "--json", cwd=tmp_path).stdout)
    assert [(r["rule"], r["source"]) for r in listed] == [("call_to_action:en", "Gazette")]

    kept = newsrelay("removed", "keep", str(listed[0]["id"]), cwd=tmp_path)
    assert kept.returncode == 0 and "1 articles will be extracted again" in kept.stdout
    assert newsrelay("run", cwd=tmp_path).returncode == 0
    assert json.loads(newsrelay("removed", "list", "--json", cwd=tmp_path).stdout) == []
    assert newsrelay("removed", "keep", "999", cwd=tmp_path).returncode == 6  # not found


def test_check_prints_verdict_and_findings_and_exits_by_verdict(tmp_path: Path) -> None:
    (tmp_path / "en.txt").write_text(
        "Harbour plan\n\nThe council approved a plan worth 7,000 dollars on Monday.\n"
    )
    (tmp_path / "good.txt").write_text(
        "Plan del puerto\n\nEl ayuntamiento aprobó un plan de 7.000 dólares el lunes.\n"
    )
    (tmp_path / "bad.txt").write_text(
        "Plan del puerto\n\nEl ayuntamiento aprobó un plan de 700 dólares el lunes.\n"
    )
    good = newsrelay(
        "check", "en.txt", "good.txt", "--from", "en", "--to", "es", "--json", cwd=tmp_path
    )
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["verdict"] == "publish"
    bad = newsrelay(
        "check", "en.txt", "bad.txt", "--from", "en", "--to", "es", "--json", cwd=tmp_path
    )
    result = json.loads(bad.stdout)
    assert bad.returncode == 1
    assert result["verdict"] == "hold"
    # the source's 7,000 is missing, and the translation's 700 is in no form in the source
    assert [(f["kind"], f["source"] or f["translation"], f["paragraph"])
            for f in result["findings"]] == [("numbers", "7,000", 1), ("numbers", "700", 1)]  # fmt: skip


def test_lint_flags_residue_by_line(tmp_path: Path) -> None:
    text = "Titular\nUn párrafo de la noticia con datos del pleno municipal.\nÚNETE A NOSOTROS EN TELEGRAM\nOtro párrafo con más datos del pleno.\n"
    (tmp_path / "story.txt").write_text(text)
    done = newsrelay("lint", "story.txt", "--lang", "es", "--json", cwd=tmp_path)
    assert done.returncode == 1
    assert [(f["paragraph"], f["translation"]) for f in json.loads(done.stdout)["findings"]] == [
        (3, "ÚNETE A NOSOTROS EN TELEGRAM")
    ]
    (tmp_path / "clean.txt").write_text("Titular\nUn párrafo.\n")
    assert newsrelay("lint", "clean.txt", "--lang", "es", cwd=tmp_path).returncode == 0


def test_review_list_show_edit_approve_reject(server: MockServer, tmp_path: Path) -> None:
    from newsrelay import Store, load_settings, run_once
    from newsrelay.model import Decision

    class LosesLastParagraph:
        name, accepts_markup = "lossy", True

        def pairs(self) -> set[tuple[str, str]]:
            return {("en", "es")}

        def translate(self, segments: list[str], source: str, target: str) -> list[str]:
            last = ("The repairs should", "The pool will")  # each article's last paragraph
            return ["" if segment.startswith(last) else segment for segment in segments]

    first = [
        "The town hall will close for repairs in January, the mayor told residents on Monday.",
        "Its services move to the public library on River Street until the work is finished.",
        "The repairs should take about four months and cost the city 800,000 dollars.",
    ]
    second = [
        "The swimming pool on Park Road reopened on Saturday after its roof was replaced.",
        "Swimmers queued from seven in the morning, and the first lane opened at eight.",
        "The pool will stay open until ten in the evening during the school holidays.",
    ]
    links = [
        server.route(f"/n/{i}.html", article_page(f"Hall {i}", text))
        for i, text in ((1, first), (2, second))
    ]
    config = tmp_path / "newsrelay.toml"
    config.write_text(
        render_config(
            [Source(name="G", url=server.route("/f.xml", rss([("A", links[0]), ("B", links[1])])))]
        )
    )
    settings = load_settings(config)
    store = Store.open(settings.store_url)
    run_once(settings, store, engine=LosesLastParagraph())
    store.close()

    held = json.loads(newsrelay("review", "list", "--json", cwd=tmp_path).stdout)
    assert len(held) == 2 and all("paragraph_count" in h["kinds"] for h in held)
    first, second = held[0]["id"], held[1]["id"]
    shown = json.loads(newsrelay("review", "show", str(first), "--json", cwd=tmp_path).stdout)
    assert shown["decision"] == "hold" and len(shown["source"]) == 4

    (tmp_path / "fixed.txt").write_text("El ayuntamiento cierra\n\nUno.\n\nDos.\n\nTres.\n")
    assert newsrelay("review", "edit", str(first), "fixed.txt", cwd=tmp_path).returncode == 0
    assert newsrelay("review", "reject", str(second), cwd=tmp_path).returncode == 0
    assert json.loads(newsrelay("review", "list", "--json", cwd=tmp_path).stdout) == []
    assert newsrelay("run", cwd=tmp_path).returncode == 0

    store = Store.open(settings.store_url)
    [story] = store.stories(language="es")
    assert (story.title, story.body_html) == (
        "El ayuntamiento cierra",
        "<p>Uno.</p><p>Dos.</p><p>Tres.</p>",
    )
    assert store.verdict(second) is not None and store.verdict(second).decision is Decision.REJECT  # type: ignore[union-attr]
    store.close()
    assert newsrelay("review", "approve", "999", cwd=tmp_path).returncode == 6  # not found


def test_dedupe_explain(tmp_path: Path) -> None:
    from mockserver import COPY, SAME_TOPIC, WIRE

    for name, paragraphs in (("wire", WIRE), ("copy", COPY), ("other", SAME_TOPIC)):
        (tmp_path / f"{name}.txt").write_text("Headline\n\n" + "\n\n".join(paragraphs))
    same = newsrelay("dedupe", "explain", "wire.txt", "copy.txt", "--json", cwd=tmp_path)
    assert same.returncode == 0, same.stderr
    result = json.loads(same.stdout)
    assert result["same_story"] is True and result["reasons"]
    other = json.loads(
        newsrelay("dedupe", "explain", "wire.txt", "other.txt", "--json", cwd=tmp_path).stdout
    )
    assert other["same_story"] is False
    assert (
        "different stories"
        in newsrelay("dedupe", "explain", "wire.txt", "other.txt", cwd=tmp_path).stdout
    )


def test_engines_list(tmp_path: Path) -> None:
    done = newsrelay("engines", "list", "--json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    [apertium] = [e for e in json.loads(done.stdout) if e["engine"] == "apertium"]
    assert apertium["available"] and "en->es" in apertium["pairs"]
