"""The structural checks and the policy, alone and inside a run."""

from __future__ import annotations

from collections.abc import Sequence

from conftest import WriteSettings
from mockserver import MockServer, article_page, rss
from newsrelay import Store, run_once
from newsrelay.check import check_translation
from newsrelay.model import Article, Decision, Source, Translation

ARTICLE = Article(title="T", body_html="<p>One.</p><p>Two.</p>")


def translation(body: str, title: str = "T") -> Translation:
    return Translation("es", "en", "test", title, body)


def test_faithful_structure_is_published() -> None:
    verdict = check_translation(ARTICLE, translation("<p>Uno.</p><p>Dos.</p>"))
    assert (verdict.decision, verdict.findings) == (Decision.PUBLISH, ())


def test_lost_paragraph_is_held() -> None:
    verdict = check_translation(ARTICLE, translation("<p>Uno.</p>"))
    assert verdict.decision is Decision.HOLD
    assert [f.kind for f in verdict.findings] == ["paragraph_count"]


def test_empty_output_is_rejected() -> None:
    verdict = check_translation(ARTICLE, translation("", title=""))
    assert verdict.decision is Decision.REJECT


class DroppingEngine:
    """A third-party-style engine that loses the last segment's text."""

    name = "dropping"
    accepts_markup = True

    def pairs(self) -> set[tuple[str, str]]:
        return {("en", "es")}

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        return [*segments[:-1], ""]


def test_held_story_is_not_published_and_is_listed(
    server: MockServer, write_settings: WriteSettings
) -> None:
    paragraphs = [
        "The town hall will close for repairs in January, the mayor told residents on Monday.",
        "Its services move to the public library on River Street until the work is finished.",
        "The repairs should take about four months and cost the city 800,000 dollars.",
    ]
    link = server.route("/n.html", article_page("Town hall closes", paragraphs))
    settings = write_settings([Source(name="G", url=server.route("/f.xml", rss([("T", link)])))])
    store = Store.open(settings.store_url)

    run_once(settings, store, engine=DroppingEngine())

    assert store.row_counts()["publications"] == 0
    assert not (settings.output_dir / "es/story").exists()
    assert store.status_counts()["languages"]["es"]["hold"] == 1
    assert [p["outcome"] for p in store.problems()] == ["held"]
    store.close()
