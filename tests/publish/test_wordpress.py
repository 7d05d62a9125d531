"""The WordPress publisher against a real WordPress (Debian's package, PHP's built-in server and
MariaDB, started once for the session by ``tests/wordpress.py``): the whole pipeline runs and its
push stage creates, updates and unpublishes posts over the REST API."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from push_samples import SECTION, TAGS, open_store, serve_story, settings_for

from mockserver import MockServer
from newsrelay import Decision, NotConfigured, Settings, Store, run_once
from wordpress import PACKAGES, WordPress, WordPressServer, missing

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")

SLUG = "newsrelay-1-es"


@pytest.fixture(scope="session")
def wordpress_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WordPress]:
    """A WordPress for the whole session (``make test`` installs its Debian packages)."""
    lacking = missing()
    if lacking:
        pytest.fail(f"WordPress cannot run here: apt-get install {lacking} ({PACKAGES})")
    server = WordPressServer(tmp_path_factory.mktemp("wordpress"))
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def wordpress(wordpress_site: WordPress) -> WordPress:
    """The session's WordPress, emptied of the posts, media and terms earlier tests made."""
    wordpress_site.reset()
    return wordpress_site


def wordpress_settings(tmp_path: Path, feed: str, wp: WordPress, password: str = "") -> Settings:
    env = {"NEWSRELAY_PUBLISH_WORDPRESS_PASSWORD": password or wp.password}
    return settings_for(tmp_path, feed, env, **{"publish.wordpress_url": wp.url,
                                                "publish.wordpress_user": wp.user})  # fmt: skip


def posts(wp: WordPress, **params: Any) -> list[dict[str, Any]]:
    with wp.api() as api:
        answer = api.get("/posts", params={"status": "any", "context": "edit"} | params)
    answer.raise_for_status()
    return list(answer.json())


def get(wp: WordPress, path: str) -> Any:
    with wp.api() as api:
        answer = api.get(path, params={"context": "edit", "per_page": 100})
    answer.raise_for_status()
    return answer.json()


def pushed(tmp_path: Path, server: MockServer, wp: WordPress) -> tuple[Settings, Store]:
    settings = wordpress_settings(tmp_path, serve_story(server).feed, wp)
    store = open_store(settings)
    assert run_once(settings, store).counts["push"] == {"published": 1}
    return settings, store


def test_a_story_becomes_a_post_with_its_image_category_and_tags(
    server: MockServer, wordpress: WordPress, tmp_path: Path
) -> None:
    _, store = pushed(tmp_path, server, wordpress)

    [post] = posts(wordpress)
    [story] = store.stories()
    assert (post["slug"], post["status"]) == (SLUG, "publish")
    assert post["title"]["raw"] == story.title
    content = post["content"]["raw"]
    assert "traducida automáticamente" in content  # the notice, as the story page shows it
    assert f'href="{story.original_url}"' in content
    assert "CC BY 4.0" in content and "Republished from the Gazette" in content
    assert "apertium" in content and "árboles" in content
    assert "Por Ann Writer, para Gazette" in content
    media = get(wordpress, f"/media/{post['featured_media']}")
    assert media["mime_type"] == "image/png"
    assert "árboles" in media["alt_text"]  # the caption, translated
    categories = [get(wordpress, f"/categories/{i}")["name"] for i in post["categories"]]
    tags = sorted(html.unescape(get(wordpress, f"/tags/{i}")["name"]) for i in post["tags"])
    assert categories == [SECTION] and tags == sorted(TAGS)
    [record] = store.deliveries("wordpress").values()
    assert record.remote_id == str(post["id"]) and record.state == "published"
    store.close()


def test_a_second_run_creates_nothing(
    server: MockServer, wordpress: WordPress, tmp_path: Path
) -> None:
    settings, store = pushed(tmp_path, server, wordpress)
    image_requests = server.hits.get("/img/trees.png", 0)

    report = run_once(settings, store)

    assert "push" not in report.counts
    assert len(posts(wordpress)) == 1
    assert len(get(wordpress, "/media")) == 1
    assert server.hits.get("/img/trees.png", 0) == image_requests
    store.close()


def test_an_edit_updates_the_same_post(
    server: MockServer, wordpress: WordPress, tmp_path: Path
) -> None:
    settings, store = pushed(tmp_path, server, wordpress)
    [before] = posts(wordpress)
    [story] = store.stories()

    store.review(story.translation_id, Decision.PUBLISH, title="Lakeside plantará árboles",
                 body_html="<p>Texto corregido por una persona.</p>")  # fmt: skip
    report = run_once(settings, store)

    assert report.counts["push"] == {"updated": 1}
    [after] = posts(wordpress)
    assert after["id"] == before["id"]
    assert after["title"]["raw"] == "Lakeside plantará árboles"
    assert "Texto corregido por una persona." in after["content"]["raw"]
    assert after["featured_media"] == before["featured_media"]  # the image is not sent again
    assert len(get(wordpress, "/media")) == 1
    store.close()


def test_a_withdrawn_story_goes_back_to_draft_and_returns(
    server: MockServer, wordpress: WordPress, tmp_path: Path
) -> None:
    settings, store = pushed(tmp_path, server, wordpress)
    [story] = store.stories()

    store.review(story.translation_id, Decision.REJECT)
    assert run_once(settings, store).counts["push"] == {"withdrawn": 1}
    [post] = posts(wordpress)
    assert post["status"] == "draft" and post["slug"] == SLUG
    assert posts(wordpress, status="publish") == []

    store.review(story.translation_id, Decision.PUBLISH)
    assert run_once(settings, store).counts["push"] == {"published": 1}
    [again] = posts(wordpress)
    assert (again["id"], again["status"]) == (post["id"], "publish")
    store.close()


def test_a_story_its_source_removed_goes_back_to_draft(
    server: MockServer, wordpress: WordPress, tmp_path: Path
) -> None:
    settings, store = pushed(tmp_path, server, wordpress)  # publish.on_removal = "unpublish"

    server.route("/news/trees.html", "gone", status=410)
    store.recheck_now()

    assert run_once(settings, store).counts["push"] == {"withdrawn": 1}
    [post] = posts(wordpress)
    assert post["status"] == "draft"
    store.close()


def test_a_run_that_lost_its_record_finds_the_post_by_its_slug(
    server: MockServer, wordpress: WordPress, tmp_path: Path
) -> None:
    """As after a crash between creating the post and recording it: a store that knows nothing
    of the post updates it instead of making a second one."""
    pushed(tmp_path / "first", server, wordpress)[1].close()
    [post] = posts(wordpress)

    _, store = pushed(tmp_path / "second", server, wordpress)

    assert [p["id"] for p in posts(wordpress)] == [post["id"]]
    assert len(get(wordpress, "/media")) == 1  # the image is found by its slug too
    store.close()


def test_a_refused_password_is_recorded_and_retried_later(
    server: MockServer, wordpress: WordPress, tmp_path: Path
) -> None:
    settings = wordpress_settings(tmp_path, serve_story(server).feed, wordpress, "nope nope")
    store = open_store(settings)

    report = run_once(settings, store)

    assert report.counts["push"] == {"failed": 1}
    assert report.counts["publish"] == {"ok": 1}
    [record] = store.deliveries("wordpress").values()
    assert record.attempts == 1 and record.remote_id is None and record.next_attempt_at
    assert store.problems()[0]["reason"] == "unauthorized"
    assert posts(wordpress) == []
    store.close()


def test_an_address_without_a_password_refuses_to_start(tmp_path: Path) -> None:
    settings = settings_for(tmp_path, "http://127.0.0.1:9/feed.xml", {},
                            **{"publish.wordpress_url": "http://127.0.0.1:9"})  # fmt: skip
    store = open_store(settings)
    with pytest.raises(NotConfigured, match="NEWSRELAY_PUBLISH_WORDPRESS_PASSWORD"):
        run_once(settings, store)
    store.close()
