"""The one place that sequences the stages. One pass over all sources runs, in order:

1. **poll** every source that is not paused (conditional GET; sitemap indexes are followed, and a
   site's home page through its robots.txt ``Sitemap:`` lines); new or changed entries are
   stored as ``pending``, the newest ``poll.max_entries`` of a feed;
2. **recheck** the pages of published stories younger than ``publish.recheck_days`` whose next
   look is due (conditional GET with the page's ETag and Last-Modified): a changed page goes back
   to ``fetched`` (so the steps below re-extract, re-translate, re-check and republish it), a page
   gone (404, 410, or a redirect to the home page) removes its story (``source_gone``);
3. **fetch** pending entries, and failed ones whose retry time has come, in parallel threads (a
   published story whose page is now 404 or 410 is removed, as in step 2);
4. **extract** the article of every fetched page; a page marked as retracted (JSON-LD
   ``creativeWorkStatus`` ``Retracted`` or ``Withdrawn``) removes its story
   (``source_retracted``), and a changed article of a re-fetched page is an update (``updated``);
5. **dedupe**: file every new article in a story (the story it repeats, or its own) and choose
   which article of the story is translated and credited;
6. **translate** the chosen article of every story into each configured language it lacks;
7. **check** every new translation and store the verdict;
8. **publish** translations cleared for publishing (never those of a source in monitor mode,
   ``republish = false``, which stop at the check for a person to read): the site's files that
   show a new or changed story (its page, its indexes, feeds and sitemaps), with the new
   stories' lead images copied into the site first when ``site.images`` is ``mirror``, then the
   publication records (so a crash between them only repeats work); removed stories follow
   ``publish.on_removal``;
9. **push** every story the site shows to each configured target (WordPress, a webhook) once per
   version, as published, updated or withdrawn, recording each delivery (the target's id, the
   version) or its failure (reason code, next try with back-off) per target, story and language.

Each step reads what the previous one stored and stores its own result together with an event, in
one transaction per item, so a run killed at any point resumes where it stopped. Whatever goes
wrong with one item is recorded on it with its reason code (and tried again later, with back-off)
and the run goes on with the others; a step that cannot run at all is reported in the run's
``stage_errors`` and the steps after it still run.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit

from newsrelay.check import Policy, check_translation
from newsrelay.config import Settings
from newsrelay.dedupe import DedupeIndex, Signature
from newsrelay.dedupe.choose import representative
from newsrelay.errors import ExtractError, FeedError, FetchError, PublishError, StoreError
from newsrelay.extract import extract_article, retraction_of
from newsrelay.ingest import Fetcher, Response, decode_page, parse_feed
from newsrelay.model import (
    Article,
    DeliveryRecord,
    Entry,
    EntryStatus,
    FeedEntry,
    FeedResult,
    Outcome,
    Page,
    Source,
    StoryView,
    Translation,
)
from newsrelay.publish import ImageMirror, StaticSite
from newsrelay.publish.targets import (
    Delivery,
    DeliveryState,
    Publisher,
    load_publishers,
    story_version,
)
from newsrelay.store import Store, utcnow
from newsrelay.translate import Engine, load_engine, translate_articles, translate_batches
from newsrelay.translate.glossary import Glossary, load_glossary

__all__ = ["Progress", "RunReport", "run_once"]

log = logging.getLogger(__name__)
HTML_TYPES = {"text/html", "application/xhtml+xml", ""}  # "": servers that send no type
MAX_SITEMAPS = 50  # children followed from one sitemap index
GONE = {"http_404", "http_410"}  # a published story's page answering these was removed
RECHECK_FIRST = timedelta(minutes=15)  # a new story's page is looked at again after this,
RECHECK_SHARE = 4  # then after a quarter of the story's age,
RECHECK_MOST = timedelta(days=1)  # and at least once a day while within publish.recheck_days
T = TypeVar("T")


class Progress:
    """Receives progress; the CLI shows it as bars. The base class shows nothing."""

    def stage(self, name: str, total: int) -> None:
        """A stage starts with ``total`` items."""

    def advance(self) -> None:
        """One item of the current stage is done."""


@dataclass
class RunReport:
    """What one pass did, per stage."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    stage_errors: dict[str, str] = field(default_factory=dict)  # stages that could not run

    @property
    def outage(self) -> bool:
        """Whether the run did not work: every source polled failed, or a stage could not run."""
        polls = {k: n for k, n in self.counts.get("poll", {}).items() if k != "paused"}
        every_source_failed = bool(polls) and polls.get("failed", 0) == sum(polls.values())
        return every_source_failed or bool(self.stage_errors)

    def add(self, stage: str, outcome: str) -> None:
        """Count one item of ``stage`` that ended with ``outcome``."""
        stage_counts = self.counts.setdefault(stage, {})
        stage_counts[outcome] = stage_counts.get(outcome, 0) + 1


@dataclass
class Context:
    """What the stages of one run share."""

    settings: Settings
    store: Store
    fetcher: Fetcher
    engine: Engine
    progress: Progress
    report: RunReport
    glossary: Glossary
    publishers: list[Publisher] = field(default_factory=list)  # push targets (WordPress ...)


def run_once(
    settings: Settings,
    store: Store,
    *,
    fetcher: Fetcher | None = None,
    engine: Engine | None = None,
    progress: Progress | None = None,
) -> RunReport:
    """Run every stage once over all configured sources."""
    sources = store.sync_sources(settings.sources)
    pairs = sorted({(s.language, lang) for s in sources for lang in settings.site.languages})
    engine = engine or load_engine(settings, pairs)
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(settings.fetch, robots_cache=StoredRobots(store))
    glossary = load_glossary(settings.glossary_path) if settings.glossary_path else Glossary()
    ctx = Context(settings, store, fetcher, engine, progress or Progress(), RunReport(), glossary)
    try:
        ctx.publishers = load_publishers(settings, fetcher.get)  # a half-configured one refuses
        for name, stage in STAGES:
            started = datetime.now(UTC)
            try:
                stage(ctx, sources)
            except StoreError:
                raise  # the store itself fails: no other stage can work either
            except Exception as exc:  # the stage as a whole (not one item) could not run
                log.error("%s stage could not run:\n%s", name, _traceback(exc),
                          extra={"stage": name, "reason": _reason(exc)})  # fmt: skip
                ctx.report.stage_errors[name] = f"{_reason(exc)}: {exc}"
            ctx.report.seconds[name] = (datetime.now(UTC) - started).total_seconds()
    finally:
        for publisher in ctx.publishers:
            publisher.close()
        if own_fetcher:
            fetcher.close()
    return ctx.report


class StoredRobots:
    """robots.txt rules kept in the store for a day, so a run with nothing new asks only for
    the feeds."""

    def __init__(self, store: Store, max_age: timedelta = timedelta(hours=24)) -> None:
        self.store = store
        self.max_age = max_age

    def get(self, origin: str) -> str | None:
        """The rules of ``origin`` fetched within ``max_age``."""
        return self.store.robots_rules(origin, since=utcnow() - self.max_age)

    def put(self, origin: str, rules: str) -> None:
        """Keep the rules of ``origin``."""
        self.store.save_robots(origin, rules)


# poll ----------------------------------------------------------------------------------------


def poll_sources(ctx: Context, sources: list[Source]) -> None:
    """Poll every source; store new and changed entries."""
    ctx.progress.stage("poll", len(sources))
    for source in sources:
        assert source.id is not None
        if source.paused:
            ctx.report.add("poll", "paused")
            ctx.progress.advance()
            continue
        try:
            outcome = poll_source(ctx, source)
        except StoreError:
            raise
        except Exception as exc:  # a bad feed fails its source only, with its reason
            _log_failure(f"source {source.name}", "poll", exc)
            ctx.store.record_poll_failure(source.id, _reason(exc), _detail(exc))
            outcome = "failed"
        ctx.report.add("poll", outcome)
        ctx.progress.advance()


def poll_source(ctx: Context, source: Source) -> str:
    """Poll one source with a conditional GET; return ``ok`` or ``not_modified``."""
    assert source.id is not None
    etag, last_modified = ctx.store.validators(source.id)
    response = ctx.fetcher.get(source.url, etag=etag, last_modified=last_modified)
    if response.status_code == 304:
        ctx.store.record_poll_unchanged(source.id)
        return "not_modified"
    if response.content_type == "text/html" and _is_home(source.url):
        result = FeedResult(sitemaps=ctx.fetcher.sitemaps(source.url))  # a site: its sitemaps
        if not result.sitemaps:
            raise FeedError("no_feed", f"{source.url}: a web page, and its robots.txt names no "
                            "sitemap; give the feed's or the sitemap's address")  # fmt: skip
    else:
        result = _parse(ctx, response.body, response.url)
    for child in result.sitemaps[:MAX_SITEMAPS]:
        try:
            found = _parse(ctx, ctx.fetcher.get(child).body, child)
        except (FetchError, FeedError) as exc:
            result.warnings.append(f"sitemap {child} skipped: {exc}")
            continue
        result.entries += found.entries
        result.warnings += found.warnings
    cap = ctx.settings.poll.max_entries
    if len(result.entries) > cap:
        result.warnings.append(f"{len(result.entries)} entries; the newest {cap} taken")
        result.entries = sorted(result.entries, key=_entry_time, reverse=True)[:cap]
    for warning in result.warnings:
        log.warning("source %s: %s", source.name, warning)
    new, changed = ctx.store.record_poll(
        source.id,
        result.entries,
        etag=response.headers.get("etag"),
        last_modified=response.headers.get("last-modified"),
        warnings=result.warnings,
        rights=result.rights,
    )
    log.info("source %s: %d new, %d changed entries", source.name, new, changed)
    return "ok"


def _entry_time(entry: FeedEntry) -> datetime:
    return entry.updated or entry.published or datetime.min.replace(tzinfo=UTC)


def _parse(ctx: Context, body: bytes, url: str) -> FeedResult:
    max_age = timedelta(days=ctx.settings.poll.sitemap_max_age_days)
    # feeds list their newest first as a rule; four times the cap are read so that the newest
    # are found even in one that does not, and the newest of those are kept
    return parse_feed(body, url, sitemap_max_age=max_age,
                      max_entries=4 * ctx.settings.poll.max_entries)  # fmt: skip


# recheck -------------------------------------------------------------------------------------


def recheck_stories(ctx: Context, sources: list[Source]) -> None:
    """Look again, conditionally, at the pages of published stories that are due for it."""
    now = utcnow()
    since = now - timedelta(days=ctx.settings.publish.recheck_days)
    due = ctx.store.rechecks_due(since=since) if ctx.settings.publish.recheck_days > 0 else []
    stored = {entry.id: (page, published) for entry, page, published in due}
    ctx.progress.stage("recheck", len(due))
    work = [entry for entry, _, _ in due]

    def look(entry: Entry) -> tuple[str, Page]:
        return recheck_page(ctx.fetcher, entry, stored[entry.id][0])

    for entry, result in _parallel(ctx, work, look):
        _, published = stored[entry.id]
        outcome = _store_recheck(ctx, entry, result, next_check(published, now))
        ctx.report.add("recheck", outcome)
        ctx.progress.advance()


def recheck_page(fetcher: Fetcher, entry: Entry, stored: Page) -> tuple[str, Page]:
    """Fetch a published entry's page again with the stored validators; return
    ``not_modified`` (with the stored page), ``unchanged`` (the same HTML), ``changed``, or
    ``gone`` (redirected to the site's home page), with the page. Raise FetchError."""
    response = fetcher.get(entry.url, etag=stored.etag, last_modified=stored.last_modified)
    if response.status_code == 304:
        return "not_modified", stored
    page = page_of(entry.url, response)
    if _is_home(page.url) and not _is_home(stored.url):
        return "gone", page
    return ("unchanged" if page.html == stored.html else "changed"), page


def next_check(published: datetime, now: datetime) -> datetime:
    """When a published story's page is looked at next: after a quarter of the story's age,
    at least 15 minutes and at most a day from ``now``."""
    wait = min(max((now - published) / RECHECK_SHARE, RECHECK_FIRST), RECHECK_MOST)
    return now + wait


def _store_recheck(
    ctx: Context, entry: Entry, result: tuple[str, Page] | BaseException, next_at: datetime
) -> str:
    if isinstance(result, tuple):
        outcome, page = result
        if outcome == "changed":
            ctx.store.page_changed(entry.id, page, next_check_at=next_at)
        elif outcome == "gone":
            detail = f"{entry.url}: redirected to {page.url}"
            ctx.store.remove_entry(entry.id, "recheck", "source_gone", detail)
        else:
            ctx.store.page_checked(entry.id, Outcome.SKIPPED, outcome, entry.url,
                                   next_check_at=next_at, page=page)  # fmt: skip
        return outcome
    if isinstance(result, FetchError) and result.reason in GONE:
        ctx.store.remove_entry(entry.id, "recheck", "source_gone", str(result))
        return "gone"
    _log_failure(f"entry {entry.id} ({entry.url})", "recheck", result)
    ctx.store.page_checked(entry.id, Outcome.FAILED, _reason(result), _detail(result),
                           next_check_at=next_at)  # fmt: skip
    return "failed"


def _is_home(url: str) -> bool:
    return urlsplit(url).path in ("", "/")


# fetch ---------------------------------------------------------------------------------------


def fetch_entries(ctx: Context, sources: list[Source]) -> None:
    """Fetch the page of every pending entry, and of failed ones due for a retry (of every
    source: one not licensed for republishing is monitored, translated but never published)."""
    todo = ctx.store.entries_with_status(EntryStatus.PENDING)
    retries = ctx.store.entries_with_status(EntryStatus.FAILED, due=True)
    todo += [e for e in retries if e.attempts < ctx.settings.fetch.max_attempts]
    todo = sorted(todo, key=lambda e: e.id)
    if len(todo) > ctx.settings.fetch.max_pages_per_run:
        log.info("fetch: %d pages due, %d fetched in this run", len(todo),
                 ctx.settings.fetch.max_pages_per_run)  # fmt: skip
        todo = todo[: ctx.settings.fetch.max_pages_per_run]
    ctx.progress.stage("fetch", len(todo))
    for entry, result in _parallel(ctx, todo, lambda e: fetch_page(ctx.fetcher, e)):
        _store_fetch(ctx, entry, result)
        ctx.progress.advance()


def fetch_page(fetcher: Fetcher, entry: Entry) -> Page:
    """Fetch and decode the page of an entry; raise FetchError when it is not a usable page."""
    return page_of(entry.url, fetcher.get(entry.url))


def page_of(url: str, response: Response) -> Page:
    """Decode a fetched page, with its validators; raise FetchError when it is not a web page."""
    if response.content_type not in HTML_TYPES:
        raise FetchError("not_html", f"{url}: {response.content_type} is not a web page")
    html, encoding = decode_page(response.body, response.headers.get("content-type", ""))
    return Page(response.url, response.status_code, response.content_type, html, encoding,
                response.headers.get("etag"), response.headers.get("last-modified"))  # fmt: skip


def _store_fetch(ctx: Context, entry: Entry, result: Page | BaseException) -> None:
    if isinstance(result, Page):
        ctx.store.save_page(entry.id, result, next_check_at=utcnow() + RECHECK_FIRST)
        ctx.report.add("fetch", "ok")
    elif (isinstance(result, FetchError) and result.reason in GONE
          and ctx.store.has_article(entry.id)):  # fmt: skip
        ctx.store.remove_entry(entry.id, "fetch", "source_gone", str(result))
        ctx.report.add("fetch", "gone")
    elif isinstance(result, FetchError) and not result.transient:
        ctx.store.drop_entry(entry.id, "fetch", result.reason, str(result))
        ctx.report.add("fetch", "dropped")
    else:
        _fail(ctx, entry, "fetch", result)


def _fail(ctx: Context, entry: Entry, stage: str, error: BaseException) -> None:
    if isinstance(error, StoreError):
        raise error
    _log_failure(f"entry {entry.id} ({entry.url})", stage, error)
    retry_in = _retry_in(ctx.settings, entry.attempts)
    ctx.store.fail_entry(entry.id, stage, _reason(error), _detail(error), retry_in=retry_in)
    ctx.report.add(stage, "failed")


def _retry_in(settings: Settings, attempts: int) -> timedelta:
    return timedelta(minutes=settings.fetch.retry_minutes * 2 ** min(attempts, 16))


def _reason(error: BaseException) -> str:
    """The stored reason code of a failure: the error's own, else ``internal_error``."""
    return getattr(error, "reason", None) or "internal_error"


def _detail(error: BaseException) -> str:
    return str(error) or repr(error)


def _traceback(error: BaseException) -> str:
    return "".join(traceback.format_exception(error))


def _log_failure(what: str, stage: str, error: BaseException) -> None:
    """An expected failure (it has a reason code) in one line; anything else with its
    traceback."""
    extra = {"stage": stage, "reason": _reason(error), "item": what}
    if _reason(error) == "internal_error":
        log.error("%s: %s failed:\n%s", what, stage, _traceback(error), extra=extra)
    else:
        log.warning("%s: %s failed: %s", what, stage, error, extra=extra)


class Retries:
    """The failures of one stage on articles or translations: which items are due to be tried
    again (with back-off, up to ``fetch.max_attempts``), and the recording of each outcome."""

    def __init__(self, ctx: Context, stage: str, item_type: str) -> None:
        self.ctx, self.stage, self.item_type = ctx, stage, item_type
        self.failing = ctx.store.failing(stage, item_type)
        self.now = utcnow()

    def due(self, item_id: int) -> bool:
        """Whether the item is tried in this run."""
        if item_id not in self.failing:
            return True
        attempts, next_at = self.failing[item_id]
        return attempts < self.ctx.settings.fetch.max_attempts and next_at <= self.now

    def failed(self, item_id: int, what: str, error: BaseException) -> None:
        """Record that the item failed; it waits for its next try."""
        if isinstance(error, StoreError):
            raise error
        _log_failure(what, self.stage, error)
        retry_in = _retry_in(self.ctx.settings, self.failing.get(item_id, (0, self.now))[0])
        self.ctx.store.record_failure(self.stage, self.item_type, item_id, _reason(error),
                                      _detail(error), retry_in=retry_in)  # fmt: skip
        self.ctx.report.add(self.stage, "failed")

    def succeeded(self, item_id: int) -> None:
        """Forget the item's earlier failures."""
        if item_id in self.failing:
            self.ctx.store.clear_failure(self.stage, self.item_type, item_id)


def _parallel(
    ctx: Context, items: list[Entry], work: Callable[[Entry], T]
) -> Iterable[tuple[Entry, T | BaseException]]:
    """Run ``work`` on each item in threads; yield results in the calling thread as they end."""
    if not items:
        return
    with ThreadPoolExecutor(max_workers=ctx.settings.fetch.workers) as pool:
        futures = {pool.submit(work, item): item for item in items}
        for future in as_completed(futures):
            error = future.exception()
            yield futures[future], error if error is not None else future.result()


# extract -------------------------------------------------------------------------------------


def extract_entries(ctx: Context, sources: list[Source]) -> None:
    """Extract the article of every fetched page, with what each source's pages taught."""
    todo = ctx.store.entries_with_status(EntryStatus.FETCHED)
    ctx.progress.stage("extract", len(todo))
    for entry in todo:
        try:
            page = ctx.store.page(entry.id)
            marker = retraction_of(page.html)
            if marker is not None:
                ctx.report.add("extract", _retract(ctx, entry, f"{page.url}: {marker}"))
                ctx.progress.advance()
                continue
            article = extract_article(
                page.html,
                page.url,
                template=ctx.store.template_keys(
                    entry.source_id,
                    min_articles=ctx.settings.extract.template_min_articles,
                    window=ctx.settings.extract.template_window,
                ),
                keep=ctx.store.allowed_keys(entry.source_id),
            )
        except ExtractError as exc:
            ctx.store.drop_entry(entry.id, "extract", exc.reason, str(exc))
            ctx.report.add("extract", "dropped")
        except Exception as exc:
            _fail(ctx, entry, "extract", exc)
        else:
            ctx.store.save_article(entry.id, article)
            ctx.report.add("extract", "ok")
        ctx.progress.advance()


def _retract(ctx: Context, entry: Entry, detail: str) -> str:
    """A page its publisher marks as retracted: a story already made of it is removed, a new
    entry is dropped."""
    if ctx.store.has_article(entry.id):
        ctx.store.remove_entry(entry.id, "extract", "source_retracted", detail)
        return "retracted"
    ctx.store.drop_entry(entry.id, "extract", "source_retracted", detail)
    return "dropped"


# dedupe --------------------------------------------------------------------------------------


def dedupe_articles(ctx: Context, sources: list[Source]) -> None:
    """Put every new article in a story: the story it repeats, or a story of its own."""
    todo = ctx.store.articles_unsigned()
    ctx.progress.stage("dedupe", len(todo))
    if not todo:
        return
    window = timedelta(days=ctx.settings.dedupe.window_days)
    now = datetime.now(UTC)
    index = DedupeIndex.from_rows(
        ctx.store.signatures_since((now - window).replace(tzinfo=None)),
        window=window,
        now=now,
        texts=lambda key: ctx.store.article_text(int(key)),
    )
    retries = Retries(ctx, "dedupe", "article")
    for row in todo:
        if retries.due(row["id"]):
            try:
                ctx.report.add("dedupe", dedupe_article(ctx, index, row))
            except Exception as exc:
                retries.failed(row["id"], f"article {row['id']}", exc)
            else:
                retries.succeeded(row["id"])
        ctx.progress.advance()


def dedupe_article(ctx: Context, index: DedupeIndex, row: dict[str, Any]) -> str:
    """Sign one article and file it in a story; return ``new``, ``duplicate`` or ``update``."""
    signature, when, key = Signature.of_text(row["text"]), row["extracted_at"], str(row["id"])
    if row["story_id"] is not None:  # extracted again: the same entry, changed
        ctx.store.sign_article(row["id"], signature.to_bytes(), when, story_id=None,
                               relation="update")  # fmt: skip
        index.add(key, signature, when)
        return "update"
    found = index.match(signature, when=when, text=row["text"])
    story = ctx.store.story_of(int(found.key)) if found else None
    relation = "duplicate" if story is not None else "new"
    story_id = ctx.store.sign_article(row["id"], signature.to_bytes(), when, story_id=story,
                                      relation=relation)  # fmt: skip
    index.add(key, signature, when)
    if story is not None:
        settings = ctx.settings.dedupe
        chosen = representative(
            ctx.store.story_members(story_id), settings.choose, settings.preferred_sources
        )
        ctx.store.choose_representative(story_id, chosen)
        log.info("article %s (%s) repeats story %s", row["id"], row["source"], story_id)
    return relation


# translate -----------------------------------------------------------------------------------


BATCH_ARTICLES = 16  # articles of one source and pair sent to the engine in one call


def translate_stories(ctx: Context, sources: list[Source]) -> None:
    """Translate every article into each configured language it lacks, a batch at a time."""
    keep = _keep_lists(ctx.settings, sources)
    memory = ctx.store if ctx.settings.translate.memory else None
    groups: dict[tuple[str, str, str], list[tuple[int, Article]]] = {}
    for language in ctx.settings.site.languages:
        for article_id, article, source_language, name in ctx.store.articles_missing(language):
            if source_language != language:
                groups.setdefault((name, source_language, language), []).append(
                    (article_id, article)
                )
    retries = {
        lang: Retries(ctx, "translate", f"article:{lang}") for lang in ctx.settings.site.languages
    }
    for key, group in groups.items():
        groups[key] = [(i, a) for i, a in group if retries[key[2]].due(i)]
    ctx.progress.stage("translate", sum(len(group) for group in groups.values()))
    for (name, source_language, language), group in groups.items():
        options: dict[str, Any] = {
            "source": source_language, "target": language, "memory": memory,
            "keep": keep.get(name, ctx.settings.translate.keep),
            "forced": ctx.glossary.terms(source_language, language),
        }  # fmt: skip
        batches = [group[i : i + BATCH_ARTICLES] for i in range(0, len(group), BATCH_ARTICLES)]
        articles = [[article for _, article in batch] for batch in batches]
        results = translate_batches(ctx.engine, articles, **options)
        for batch, (_, result) in zip(batches, results, strict=True):
            if isinstance(result, list):
                _save_translations(ctx, retries[language], batch, result)
                continue
            for article_id, article in batch:  # find the article the engine failed on
                try:
                    translation = translate_articles(ctx.engine, [article], **options)
                except Exception as exc:
                    retries[language].failed(article_id, f"article {article_id} ({article.url}) "
                                             f"-> {language}", exc)  # fmt: skip
                    ctx.progress.advance()
                else:
                    _save_translations(ctx, retries[language], [(article_id, article)],
                                       translation)  # fmt: skip


def _save_translations(
    ctx: Context, retries: Retries, batch: list[tuple[int, Article]],
    translations: list[Translation],
) -> None:  # fmt: skip
    for (article_id, _), translation in zip(batch, translations, strict=True):
        ctx.store.save_translation(article_id, translation)
        retries.succeeded(article_id)
        ctx.report.add("translate", "ok")
        ctx.progress.advance()


def _keep_lists(settings: Settings, sources: list[Source]) -> dict[str, list[str]]:
    """Names never to translate, by source: the site's and the source's own."""
    return {source.name: [*settings.translate.keep, *source.keep] for source in sources}


# check ---------------------------------------------------------------------------------------


def check_translations(ctx: Context, sources: list[Source]) -> None:
    """Check every translation that has no verdict yet."""
    todo = ctx.store.translations_unchecked()
    ctx.progress.stage("check", len(todo))
    policy = Policy.from_settings(ctx.settings.check)
    keep = _keep_lists(ctx.settings, sources)
    licenses = {s.name: s.license for s in sources}
    feed_rights = ctx.store.feed_rights()
    retries = Retries(ctx, "check", "translation")
    for translation_id, translation, article, source_name in todo:
        if retries.due(translation_id):
            try:
                verdict = check_translation(
                    article, translation, policy=policy, engine=ctx.engine,
                    keep=keep.get(source_name, ctx.settings.translate.keep),
                    forced=ctx.glossary.terms(translation.source_language, translation.language),
                    license=licenses.get(source_name, ""), feed_rights=feed_rights.get(source_name),
                )  # fmt: skip
            except Exception as exc:
                retries.failed(translation_id, f"translation {translation_id}", exc)
            else:
                ctx.store.save_verdict(translation_id, verdict)
                retries.succeeded(translation_id)
                ctx.report.add("check", verdict.decision.value)
        ctx.progress.advance()


# publish -------------------------------------------------------------------------------------


def publish_stories(ctx: Context, sources: list[Source]) -> None:
    """Bring the site up to date with every story cleared for publishing (only the files that
    show a new or changed story are written), then record the new publications."""
    site_settings = ctx.settings.site
    site = StaticSite.from_settings(ctx.settings)
    todo = ctx.store.stories(unpublished=True)
    ctx.progress.stage("publish", len(todo))
    stories = ctx.store.stories()
    if site_settings.images == "mirror":  # only the new stories' images are fetched
        mirror = ImageMirror(site.output, site.url, ctx.fetcher.get)
        stories = mirror.apply(stories, publishing={s.translation_id for s in todo})
    failed = _rehearse(ctx, site, stories, {s.translation_id for s in todo})
    written = site.build([s for s in stories if s.translation_id not in failed],
                         site_settings.languages)  # fmt: skip
    log.info("site %s: %d files written", ctx.settings.output_dir, len(written))
    for story in todo:
        if story.translation_id not in failed:
            path = site.story_path(story)
            ctx.store.save_publication(story.translation_id, path, site.url(path))
            ctx.report.add("publish", "ok")
        ctx.progress.advance()


def _rehearse(
    ctx: Context, site: StaticSite, stories: Sequence[StoryView], new: set[int]
) -> set[int]:
    """The translation ids of the new stories that cannot be published now: each new story's
    page and feed item are rendered first, and one that raises (a theme's template, a value
    no template expected) fails alone, with back-off, while the site is built without it."""
    retries = Retries(ctx, "publish", "translation")
    failed = set()
    for story in stories:
        if story.translation_id not in new:
            continue
        if not retries.due(story.translation_id):
            failed.add(story.translation_id)
            continue
        try:
            site.rehearse(story)
        except Exception as exc:
            retries.failed(story.translation_id, f"story {story.story_id}", exc)
            failed.add(story.translation_id)
        else:
            retries.succeeded(story.translation_id)
    return failed


# push ----------------------------------------------------------------------------------------

PUSH_RETRY_FIRST = timedelta(minutes=5)  # a failed delivery is tried again after this,
PUSH_RETRY_MOST = timedelta(days=1)  # doubling on each failure up to this
Planned = tuple[Delivery, DeliveryRecord | None, int | None]  # with the last record, translation


def push_stories(ctx: Context, sources: list[Source]) -> None:
    """Deliver every story the site shows to each push target once per version: new stories as
    ``published``, changed ones as ``updated``, and as ``withdrawn`` those the site stopped
    showing (removed at the source under ``publish.on_removal = "unpublish"``, or no longer
    cleared for publishing)."""
    if not ctx.publishers:
        return
    site = StaticSite.from_settings(ctx.settings)
    stories = ctx.store.stories()
    unpublish = ctx.settings.publish.on_removal == "unpublish"
    plans = [
        (publisher, plan_deliveries(stories, ctx.store.deliveries(publisher.name),
                                    lambda s: site.url(site.story_path(s)), unpublish=unpublish))
        for publisher in ctx.publishers
    ]  # fmt: skip
    ctx.progress.stage("push", sum(len(todo) for _, todo in plans))
    for publisher, todo in plans:
        push_to(ctx, publisher, todo)


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


def push_to(ctx: Context, publisher: Publisher, todo: list[Planned]) -> None:
    """Send the planned deliveries to one target, recording each; when the target itself fails
    (unreachable, refusing the credentials), the rest wait for the next run."""
    for done, (delivery, record, translation_id) in enumerate(todo):
        base = record or DeliveryRecord(publisher.name, delivery.story_id, delivery.language)
        try:
            remote_id = publisher.deliver(delivery)
        except Exception as exc:
            _fail_delivery(ctx, base, translation_id, exc)
            ctx.progress.advance()
            if isinstance(exc, PublishError) and exc.target_down:
                log.warning("%s: %d deliveries left for the next run", publisher.name,
                            len(todo) - done - 1)  # fmt: skip
                for _ in todo[done + 1 :]:
                    ctx.report.add("push", "deferred")
                    ctx.progress.advance()
                return
            continue
        sent = replace(base, remote_id=remote_id or base.remote_id,
                       state=delivery.state.value, version=delivery.version)  # fmt: skip
        ctx.store.save_delivery(sent, translation_id=translation_id, detail=remote_id or "")
        log.info("story %s (%s): %s to %s", delivery.story_id, delivery.language,
                 delivery.state.value, publisher.name)  # fmt: skip
        ctx.report.add("push", delivery.state.value)
        ctx.progress.advance()


def _fail_delivery(
    ctx: Context, record: DeliveryRecord, translation_id: int | None, error: BaseException
) -> None:
    reason = getattr(error, "reason", "internal_error")
    where = f"story {record.story_id} ({record.language}) to {record.target}"
    if reason == "internal_error":
        log.error("%s failed:\n%s", where, "".join(traceback.format_exception(error)))
    else:
        log.warning("%s failed: %s", where, error)
    retry_in = min(PUSH_RETRY_FIRST * 2 ** min(record.attempts, 10), PUSH_RETRY_MOST)
    ctx.store.fail_delivery(record, translation_id=translation_id, reason=reason,
                            detail=str(error) or repr(error), retry_in=retry_in)  # fmt: skip
    ctx.report.add("push", "failed")


STAGES: list[tuple[str, Callable[[Context, list[Source]], None]]] = [
    ("poll", poll_sources),
    ("recheck", recheck_stories),
    ("fetch", fetch_entries),
    ("extract", extract_entries),
    ("dedupe", dedupe_articles),
    ("translate", translate_stories),
    ("check", check_translations),
    ("publish", publish_stories),
    ("push", push_stories),
]
