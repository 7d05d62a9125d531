"""The sweeps: stages that look at many items at once, run by one worker at a time.

**recheck** looks again, conditionally, at the pages of published stories that are due;
**publish** brings the static site up to date with every story cleared for publishing (only the
files that show a new or changed story are written), then records the publications; **push**
delivers each story the site shows to every push target once per version. The local executor
runs them after the units; under Celery they are periodic tasks that hold a lease of the store
while they run.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import replace
from datetime import datetime, timedelta

from newsrelay.errors import FetchError, Locked, NewsrelayError, PublishError
from newsrelay.ingest import Fetcher
from newsrelay.model import Article, DeliveryRecord, Entry, Outcome, Page, StoryView
from newsrelay.pipeline.report import Tally
from newsrelay.pipeline.units import GONE, RECHECK_FIRST, Deps, attempt, is_home, page_of
from newsrelay.publish import ImageMirror, StaticSite
from newsrelay.publish.strings import (
    LANGUAGES,
    PLACEHOLDER,
    base_language,
    table,
    translated,
    use_translated,
    written,
)
from newsrelay.publish.targets import Delivery, DeliveryState, Publisher, story_version
from newsrelay.store import utcnow
from newsrelay.translate import translate_articles

__all__ = ["SWEEPS", "next_check", "plan_deliveries", "run_sweep"]

log = logging.getLogger(__name__)
RECHECK_SHARE = 4  # then after a quarter of the story's age,
RECHECK_MOST = timedelta(days=1)  # and at least once a day while within publish.recheck_days


# recheck -------------------------------------------------------------------------------------


def recheck_stories(deps: Deps, tally: Tally) -> None:
    """Look again, conditionally, at the pages of published stories that are due for it: a
    changed page goes back to extraction, a page gone (404, 410, or a redirect to the home page)
    removes its story (``source_gone``)."""
    now = utcnow()
    days = deps.settings.publish.recheck_days
    due = deps.store.rechecks_due(since=now - timedelta(days=days)) if days > 0 else []
    stored = {entry.id: (page, published) for entry, page, published in due}
    tally.start(len(due))

    def look(entry: Entry) -> tuple[Entry, tuple[str, Page] | BaseException]:
        try:
            return entry, recheck_page(deps.fetcher, entry, stored[entry.id][0])
        except Exception as exc:
            return entry, exc

    with ThreadPoolExecutor(max_workers=deps.settings.fetch.workers) as pool:
        for future in as_completed([pool.submit(look, entry) for entry, _, _ in due]):
            entry, result = future.result()
            next_at = next_check(stored[entry.id][1], now)
            tally.done(_store_recheck(deps, entry, result, next_at))


def recheck_page(fetcher: Fetcher, entry: Entry, stored: Page) -> tuple[str, Page]:
    """Fetch a published entry's page again with the stored validators; return
    ``not_modified`` (with the stored page), ``unchanged`` (the same HTML), ``changed``, or
    ``gone`` (redirected to the site's home page), with the page. Raise FetchError."""
    response = fetcher.get(entry.url, etag=stored.etag, last_modified=stored.last_modified)
    if response.status_code == 304:
        return "not_modified", stored
    page = page_of(entry.url, response)
    if is_home(page.url) and not is_home(stored.url):
        return "gone", page
    return ("unchanged" if page.html == stored.html else "changed"), page


def next_check(published: datetime, now: datetime) -> datetime:
    """When a published story's page is looked at next: after a quarter of the story's age,
    at least 15 minutes and at most a day from ``now``."""
    wait = min(max((now - published) / RECHECK_SHARE, RECHECK_FIRST), RECHECK_MOST)
    return now + wait


def _store_recheck(
    deps: Deps, entry: Entry, result: tuple[str, Page] | BaseException, next_at: datetime
) -> str:
    store = deps.store
    if isinstance(result, tuple):
        outcome, page = result
        if outcome == "changed":
            store.page_changed(entry.id, page, next_check_at=next_at)
        elif outcome == "gone":
            detail = f"{entry.url}: redirected to {page.url}"
            store.remove_entry(entry.id, "recheck", "source_gone", detail)
        else:
            store.page_checked(entry.id, Outcome.SKIPPED, outcome, entry.url,
                               next_check_at=next_at, page=page)  # fmt: skip
        return outcome
    if isinstance(result, FetchError) and result.reason in GONE:
        store.remove_entry(entry.id, "recheck", "source_gone", str(result))
        return "gone"
    reason = getattr(result, "reason", None) or "internal_error"
    log.warning("entry %s (%s): recheck failed: %s", entry.id, entry.url, result,
                extra={"stage": "recheck", "reason": reason})  # fmt: skip
    store.page_checked(entry.id, Outcome.FAILED, reason, str(result) or repr(result),
                       next_check_at=next_at)  # fmt: skip
    return "failed"


# publish -------------------------------------------------------------------------------------


def publish_stories(deps: Deps, tally: Tally) -> None:
    """Bring the site up to date with every story cleared for publishing (only the files that
    show a new or changed story are written; the new stories' lead images are copied in first
    under ``site.images = "mirror"``), then record the new publications (so a crash between
    them only repeats work)."""
    settings, store = deps.settings, deps.store
    site = StaticSite.from_settings(settings)
    interface_text(deps, settings.site.languages)
    new = {s.translation_id for s in store.stories(unpublished=True)}
    tally.start(len(new))
    stories = store.stories()
    # each page's address, fixed the first time the story is published in its language
    paths = store.story_paths({(s.story_id, s.language): site.new_path(s)
                               for s in stories if not s.path})  # fmt: skip
    stories = [s if s.path else replace(s, path=paths[s.story_id, s.language]) for s in stories]
    stories = translated_labels(deps, stories)
    todo = [s for s in stories if s.translation_id in new]
    if settings.site.images == "mirror":  # only the new stories' images are fetched
        mirror = ImageMirror(site.output, site.url, deps.fetcher.get)
        stories = mirror.apply(stories, publishing={s.translation_id for s in todo})
    held_back = _rehearse(deps, site, stories, {s.translation_id for s in todo})
    written = site.build([s for s in stories if s.translation_id not in held_back],
                         settings.site.languages)  # fmt: skip
    log.info("site %s: %d files written", settings.output_dir, len(written))
    for story in todo:
        if story.translation_id in held_back:
            tally.done(held_back[story.translation_id])
            continue
        path = site.story_path(story)
        store.save_publication(story.translation_id, path, site.url(path))
        tally.done("ok")


def translated_labels(deps: Deps, stories: Sequence[StoryView]) -> list[StoryView]:
    """The stories with their section and tag names in the reader's language, each name
    translated once through the translation memory and the engine (as a headline of its own:
    the keep list and the glossary apply), so that the site's sections read "Economía". A name
    written as a proper name ("Theresa May", "UK") stays as the source has it, and so does every
    name of a pair the engine cannot translate now (it is said why)."""
    memory = deps.store if deps.settings.translate.memory else None
    wanted: dict[tuple[str, str], set[str]] = {}
    for story in stories:
        for name in (story.meta.section, *story.meta.tags):
            if name and story.source_language != story.language and _common_name(name):
                wanted.setdefault((story.source_language, story.language), set()).add(name)
    found: dict[tuple[str, str, str], str] = {}
    for (source, target), names in sorted(wanted.items()):
        ordered = sorted(names)
        try:
            labels = [Article(title=name, body_html="") for name in ordered]
            done = translate_articles(deps.engine, labels, source, target, memory=memory)
        except NewsrelayError as exc:
            log.warning("section and tag names %s->%s left as the source has them: %s",
                        source, target, exc)  # fmt: skip
            continue
        found |= {(source, target, n): t.title or n for n, t in zip(ordered, done, strict=True)}
    shown = []
    for story in stories:
        pair = (story.source_language, story.language)
        section, tags = story.meta.section, story.meta.tags
        given = {n: found[(*pair, n)] for n in (section, *tags) if n and (*pair, n) in found}
        if given:
            meta = replace(story.meta, section=given.get(section or "", section),
                           tags=tuple(given.get(t, t) for t in tags))  # fmt: skip
            story = replace(story, meta=meta, translated_labels=frozenset(given.values()))
        shown.append(story)
    return shown


def interface_text(deps: Deps, languages: Sequence[str]) -> None:
    """Interface text for each reader language newsrelay has none written for: the site's engine
    translates a written one (English, or one it translates directly rather than through a
    pivot, as Apertium's Spanish into Asturian), once per process and through the translation
    memory, with the placeholders kept; a string whose placeholders did not come back whole
    stays in English. A language the engine cannot reach keeps English, with a warning."""
    memory = deps.store if deps.settings.translate.memory else None
    for language in languages:
        if written(language) or translated(language):
            continue
        target, pairs = base_language(language), deps.engine.pairs()
        sources = [s for s in LANGUAGES if (s, target) in pairs]
        if not sources:
            log.warning("site.languages: no interface text for %r, and %s cannot translate it "
                        "from %s; its pages' labels and notices are in English", language,
                        deps.engine.name, ", ".join(LANGUAGES))  # fmt: skip
            continue
        via = getattr(deps.engine, "via", lambda source, target: None)  # a pivot, for Apertium
        source = min(sources, key=lambda s: (via(s, target) is not None, s != "en", s))
        strings = table(source)
        keys = sorted(strings)
        placeholders = sorted({p for value in strings.values() for p in PLACEHOLDER.findall(value)})
        labels = [Article(title=strings[key], body_html="") for key in keys]
        try:
            done = translate_articles(deps.engine, labels, source, target, keep=placeholders,
                                      memory=memory)  # fmt: skip
        except NewsrelayError as exc:
            log.warning("site.languages: interface text for %r left in English: %s", language, exc)
            continue
        kept = {
            key: t.title
            for key, t in zip(keys, done, strict=True)
            if t.title
            and sorted(PLACEHOLDER.findall(t.title)) == sorted(PLACEHOLDER.findall(strings[key]))
        }
        use_translated(language, kept)
        log.info("site.languages: interface text for %r translated from %r by %s (%d of %d "
                 "strings)", language, source, deps.engine.name, len(kept), len(keys))  # fmt: skip


def _common_name(name: str) -> bool:
    """Whether a section or tag name is common words ("Business", "climate change"), not a
    proper name: no capital after its first letter."""
    return len(name) > 1 and name[1:] == name[1:].lower()


def _rehearse(
    deps: Deps, site: StaticSite, stories: Sequence[StoryView], new: set[int]
) -> dict[int, str]:
    """The new stories that cannot be published now, by translation id: ``failed`` or
    ``waiting`` (for the retry time of an earlier failure). Each new story's page and feed item
    are rendered first, and one that raises (a theme's template, a value no template expected)
    fails alone, with back-off, while the site is built without it."""
    now, held_back = utcnow(), {}
    waiting = deps.store.failures_waiting("publish", "translation", now,
                                          deps.settings.fetch.max_attempts)  # fmt: skip
    for story in stories:
        if story.translation_id not in new:
            continue
        if story.translation_id in waiting:
            held_back[story.translation_id] = "waiting"
            continue

        def render(story: StoryView = story) -> str:
            site.rehearse(story)
            deps.store.clear_failure("publish", "translation", story.translation_id)
            return "ok"

        if attempt(deps, "publish", str(story.translation_id), render) == "failed":
            held_back[story.translation_id] = "failed"
    return held_back


# push ----------------------------------------------------------------------------------------

PUSH_RETRY_FIRST = timedelta(minutes=5)  # a failed delivery is tried again after this,
PUSH_RETRY_MOST = timedelta(days=1)  # doubling on each failure up to this
Planned = tuple[Delivery, DeliveryRecord | None, int | None]  # with the last record, translation


def push_stories(deps: Deps, tally: Tally) -> None:
    """Deliver every story the site shows to each push target once per version: new stories as
    ``published``, changed ones as ``updated``, and as ``withdrawn`` those the site stopped
    showing (removed at the source under ``publish.on_removal = "unpublish"``, or no longer
    cleared for publishing)."""
    if not deps.publishers:
        return
    site = StaticSite.from_settings(deps.settings)
    interface_text(deps, deps.settings.site.languages)
    stories = deps.store.stories()
    unpublish = deps.settings.publish.on_removal == "unpublish"
    plans = [
        (publisher, plan_deliveries(stories, deps.store.deliveries(publisher.name),
                                    lambda s: site.url(site.story_path(s)), unpublish=unpublish))
        for publisher in deps.publishers
    ]  # fmt: skip
    tally.start(sum(len(todo) for _, todo in plans))
    for publisher, todo in plans:
        push_to(deps, tally, publisher, todo)


def plan_deliveries(
    stories: list[StoryView],
    delivered: dict[tuple[int, str], DeliveryRecord],
    url_of: Callable[[StoryView], str],
    *,
    unpublish: bool,
    now: datetime | None = None,
) -> list[Planned]:
    """What one target must receive: each story in each language whose version it lacks, and a
    withdrawal for each it received that the site no longer shows; failed deliveries wait for
    their retry time."""
    now = now or utcnow()
    planned: list[Planned] = []
    shown: set[tuple[int, str]] = set()
    for story in stories:
        key = (story.story_id, story.language)
        if key in shown:
            continue
        shown.add(key)
        record = delivered.get(key)
        url = url_of(story)
        if story.removed_at is not None and unpublish:
            delivery = _withdrawal(record, story, url)
        else:
            fresh = record is None or record.state in (None, DeliveryState.WITHDRAWN)
            state = DeliveryState.PUBLISHED if fresh else DeliveryState.UPDATED
            delivery = Delivery(story.story_id, story.language, state,
                                story_version(story, url), story, url,
                                record.remote_id if record else None)  # fmt: skip
        if delivery is not None and _due(delivery, record, now):
            planned.append((delivery, record, story.translation_id))
    for key, record in delivered.items():
        delivery = None if key in shown else _withdrawal(record, None, None)
        if delivery is not None and _due(delivery, record, now):
            planned.append((delivery, record, None))
    return planned


def _withdrawal(
    record: DeliveryRecord | None, story: StoryView | None, url: str | None
) -> Delivery | None:
    """A withdrawal for a target that was sent the story (or tried to be); None when it never
    was, or already had the withdrawal."""
    if record is None or record.state == DeliveryState.WITHDRAWN:
        return None
    version = f"withdrawn:{record.version or ''}"
    return Delivery(record.story_id, record.language, DeliveryState.WITHDRAWN, version, story,
                    url, record.remote_id)  # fmt: skip


def _due(delivery: Delivery, record: DeliveryRecord | None, now: datetime) -> bool:
    """Whether a delivery is to be sent now: the target lacks this version, and no failure
    makes it wait."""
    if record is None:
        return True
    if record.version == delivery.version:
        return False
    return record.attempts == 0 or record.next_attempt_at is None or record.next_attempt_at <= now


def push_to(deps: Deps, tally: Tally, publisher: Publisher, todo: list[Planned]) -> None:
    """Send the planned deliveries to one target, recording each; when the target itself fails
    (unreachable, refusing the credentials), the rest wait for the next run."""
    for done, (delivery, record, translation_id) in enumerate(todo):
        base = record or DeliveryRecord(publisher.name, delivery.story_id, delivery.language)
        try:
            remote_id = publisher.deliver(delivery)
        except Exception as exc:
            _fail_delivery(deps, base, translation_id, exc)
            tally.done("failed")
            if isinstance(exc, PublishError) and exc.target_down:
                log.warning("%s: %d deliveries left for the next run", publisher.name,
                            len(todo) - done - 1)  # fmt: skip
                for _ in todo[done + 1 :]:
                    tally.done("deferred")
                return
            continue
        sent = replace(base, remote_id=remote_id or base.remote_id,
                       state=delivery.state.value, version=delivery.version)  # fmt: skip
        deps.store.save_delivery(sent, translation_id=translation_id, detail=remote_id or "")
        log.info("story %s (%s): %s to %s", delivery.story_id, delivery.language,
                 delivery.state.value, publisher.name)  # fmt: skip
        tally.done(delivery.state.value)


def _fail_delivery(
    deps: Deps, record: DeliveryRecord, translation_id: int | None, error: BaseException
) -> None:
    reason = getattr(error, "reason", "internal_error")
    where = f"story {record.story_id} ({record.language}) to {record.target}"
    if reason == "internal_error":
        log.error("%s failed:\n%s", where, "".join(traceback.format_exception(error)))
    else:
        log.warning("%s failed: %s", where, error)
    retry_in = min(PUSH_RETRY_FIRST * 2 ** min(record.attempts, 10), PUSH_RETRY_MOST)
    deps.store.fail_delivery(record, translation_id=translation_id, reason=reason,
                            detail=str(error) or repr(error), retry_in=retry_in)  # fmt: skip


SWEEPS: dict[str, Callable[[Deps, Tally], None]] = {
    "recheck": recheck_stories,
    "publish": publish_stories,
    "push": push_stories,
}


def run_sweep(
    deps: Deps, stage: str, wait: float = 0, tally: Tally | None = None
) -> dict[str, int]:
    """Run one sweep under the store's lease of its name (so that the local executor, the
    Celery workers and the desk never build the site at once), waiting up to ``wait`` seconds
    for it; nothing when another keeps holding it."""
    tally = tally or Tally(stage)
    try:
        with deps.store.lock(stage).held(wait=wait):
            SWEEPS[stage](deps, tally)
    except Locked:
        return {"running elsewhere": 1}
    return tally.report.counts.get(stage, {})
