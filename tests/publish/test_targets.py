"""Push targets: the registry, the body a CMS receives, and what the push stage plans to send."""

from __future__ import annotations

from datetime import datetime, timedelta
from importlib.metadata import entry_points

from newsrelay.model import DeliveryRecord, Metadata, StoryView
from newsrelay.pipeline import plan_deliveries
from newsrelay.publish.targets import PUBLISHER_GROUP, story_html, story_version

NOW = datetime(2026, 11, 27, 12, 0)


def story(**changes: object) -> StoryView:
    fields: dict[str, object] = dict(
        translation_id=7, article_id=3, story_id=5, language="es", title="Árboles",
        body_html="<p>Texto <script>x</script>del río.</p>", engine="apertium",
        source_language="en", original_title="Trees", original_url="https://example.org/trees",
        source_name="Gazette", license="CC BY 4.0", attribution="From the Gazette.",
        meta=Metadata(authors=("Ann Writer",)), created_at=NOW,
    )  # fmt: skip
    return StoryView(**(fields | changes))  # type: ignore[arg-type]


def url_of(view: StoryView) -> str:
    return f"https://site.example/{view.language}/story/{view.story_id}.html"


def record(**changes: object) -> DeliveryRecord:
    fields: dict[str, object] = {"target": "t", "story_id": 5, "language": "es"}
    return DeliveryRecord(**(fields | changes))  # type: ignore[arg-type]


def test_the_built_in_publishers_register_through_the_entry_point_group() -> None:
    assert {e.name for e in entry_points(group=PUBLISHER_GROUP)} >= {"webhook", "wordpress"}


def test_the_cms_body_carries_what_the_story_page_shows() -> None:
    body = story_html(story())
    assert "traducida automáticamente del inglés con apertium" in body
    assert "Por Ann Writer, para Gazette" in body
    assert '<a href="https://example.org/trees">Gazette — Trees</a>' in body
    assert "CC BY 4.0" in body and "From the Gazette." in body
    assert "<script>" not in body  # sanitized, as on the site


def test_the_version_ignores_the_row_behind_the_story_but_not_its_text() -> None:
    first = story_version(story(), "u")
    assert story_version(story(translation_id=8, created_at=NOW + timedelta(1)), "u") == first
    assert story_version(story(title="Otros árboles"), "u") != first
    assert story_version(story(), "v") != first


def test_plans_first_deliveries_updates_and_nothing_for_what_was_delivered() -> None:
    views = [story(), story(story_id=6)]
    delivered = {(5, "es"): record(state="published", version=story_version(views[0], url_of(views[0])))}  # fmt: skip

    planned = plan_deliveries(views, delivered, url_of, unpublish=True, now=NOW)

    assert [(d.story_id, d.state.value) for d, _, _ in planned] == [(6, "published")]
    changed = [story(title="Nuevo"), views[1]]
    planned = plan_deliveries(changed, delivered, url_of, unpublish=True, now=NOW)
    assert [(d.story_id, d.state.value) for d, _, _ in planned] == [
        (5, "updated"), (6, "published")
    ]  # fmt: skip


def test_a_failed_delivery_waits_for_its_retry_time() -> None:
    waiting = {(5, "es"): record(attempts=2, next_attempt_at=NOW + timedelta(minutes=5))}
    assert plan_deliveries([story()], waiting, url_of, unpublish=True, now=NOW) == []
    later = NOW + timedelta(minutes=6)
    [(delivery, _, _)] = plan_deliveries([story()], waiting, url_of, unpublish=True, now=later)
    assert delivery.state.value == "published"  # it never reached the target


def test_withdrawals_go_only_to_targets_that_had_the_story() -> None:
    removed = story(removed_at=NOW, removal="source_retracted")
    assert plan_deliveries([removed], {}, url_of, unpublish=True, now=NOW) == []
    had = {(5, "es"): record(state="published", version="v1", remote_id="42")}
    [(delivery, _, _)] = plan_deliveries([removed], had, url_of, unpublish=True, now=NOW)
    assert (delivery.state.value, delivery.remote_id) == ("withdrawn", "42")
    [(kept, _, _)] = plan_deliveries([removed], had, url_of, unpublish=False, now=NOW)
    assert kept.state.value == "updated"  # publish.on_removal = "keep": shown with its note
    [(gone, _, _)] = plan_deliveries([], had, url_of, unpublish=True, now=NOW)
    assert (gone.state.value, gone.story) == ("withdrawn", None)
    withdrawn = {(5, "es"): record(state="withdrawn", version="withdrawn:v1")}
    assert plan_deliveries([], withdrawn, url_of, unpublish=True, now=NOW) == []
