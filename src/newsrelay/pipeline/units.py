"""Units of work: each stage's work on one item, named by its id.

A unit loads its item from the store, calls the stage's pure function (``parse_feed``,
``extract_article``, ``translate_articles``, ``check_translation`` ...) and writes the result with
its event in one transaction, guarded by the state the item was claimed in (a result that finds
the item moved on is not written: ``stale``). ``attempt`` is the one wrapper of every unit: an
expected rejection is the unit's own outcome (``dropped`` with its reason), anything that raises
fails that item alone, with its reason and traceback, and a retry time that doubles with each
attempt. The local executor (``newsrelay.pipeline.run_once``) and the Celery tasks
(``newsrelay.pipeline.tasks``) run the same units over the ids the store hands out
(``Store.claim_due``).

Dedupe and translation take their items in batches: dedupe holds the store's ``dedupe`` lease
while it files a batch (one consumer at a time, whichever worker: a story reported by two
sources at once becomes one story), and translation sends a batch of articles to the engine in
one call.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property, partial
from typing import Any, cast
from urllib.parse import urlsplit

from newsrelay.check import Policy, check_translation
from newsrelay.config import Settings
from newsrelay.dedupe import DedupeIndex, Signature
from newsrelay.dedupe.choose import representative
from newsrelay.errors import (
    ExtractError,
    FeedError,
    FetchError,
    NotConfigured,
    NotFound,
    Stale,
    StoreError,
)
from newsrelay.extract import extract_article, retraction_of
from newsrelay.ingest import Fetcher, Response, decode_page, parse_feed
from newsrelay.model import (
    Article,
    Entry,
    EntryStatus,
    FeedEntry,
    FeedResult,
    Page,
    Source,
    Translation,
    Verdict,
)
from newsrelay.publish.targets import Publisher, load_publishers
from newsrelay.store import Store, utcnow
from newsrelay.store.lock import holder_name
from newsrelay.translate import (
    Engine,
    cannot_translate,
    missing_pairs,
    start_engine,
    translate_articles,
    translate_batches,
)
from newsrelay.translate.budget import Metered
from newsrelay.translate.glossary import Glossary, load_glossary

__all__ = ["UNITS", "Deps", "StoredRobots", "attempt", "unwanted_languages", "verdict_of"]

log = logging.getLogger(__name__)
HTML_TYPES = {"text/html", "application/xhtml+xml", ""}  # "": servers that send no type
MAX_SITEMAPS = 50  # children followed from one sitemap index
GONE = {"http_404", "http_410"}  # a published story's page answering these was removed
RECHECK_FIRST = timedelta(minutes=15)  # a new story's page is looked at again after this
FETCHABLE = (EntryStatus.PENDING, EntryStatus.FAILED)  # what fetch claims
EXTRACTABLE = (EntryStatus.FETCHED,)
BATCH_ARTICLES = 16  # articles of one source and pair sent to the engine in one call
DEDUPE_WAIT = 60.0  # seconds a worker waits for the dedupe lease another holds


@dataclass
class Deps:
    """What the units of one process share: settings, the store, and the long-lived clients
    (fetcher, engine, push targets), opened once and closed together."""

    settings: Settings
    store: Store
    fetcher: Fetcher
    engine: Engine  # translate.engine's (or the one the caller gave)
    glossary: Glossary
    sources: dict[int, Source]
    engines: dict[str, Engine] = field(default_factory=dict)  # every engine a chain names
    publishers: list[Publisher] = field(default_factory=list)
    worker: str = field(default_factory=holder_name)
    _closing: list[Callable[[], None]] = field(default_factory=list)

    @classmethod
    def open(
        cls, settings: Settings, store: Store, *, fetcher: Fetcher | None = None,
        engine: Engine | None = None,
    ) -> Deps:  # fmt: skip
        """Sync the configured sources into the store and open what the units need; a fetcher
        or engine passed in stays the caller's to close."""
        sources = store.sync_sources(settings.sources)
        closing: list[Callable[[], None]] = []
        try:
            engines = _start_engines(settings, store, sources, engine, closing)
        except BaseException:
            for close in reversed(closing):
                close()
            raise
        if fetcher is None:
            fetcher = Fetcher(settings.fetch, robots_cache=StoredRobots(store))
            closing.append(fetcher.close)
        glossary = load_glossary(settings.glossary_path) if settings.glossary_path else Glossary()
        deps = cls(settings, store, fetcher, engines[_primary(settings, engine)], glossary,
                   {s.id: s for s in sources if s.id is not None}, engines,
                   _closing=closing)  # fmt: skip
        try:  # a half-configured push target refuses, with the reason
            deps.publishers = load_publishers(settings, fetcher.get)
        except BaseException:
            deps.close()
            raise
        closing.extend(p.close for p in deps.publishers)
        return deps

    def closes(self, *close: Callable[[], None]) -> None:
        """Close these too, last, when the units are done."""
        self._closing[:0] = close

    def close(self) -> None:
        """Close what ``open`` opened."""
        for close in reversed(self._closing):
            close()
        self._closing.clear()

    def chain(self, source_name: str, source: str, target: str) -> list[Engine]:
        """The engines that translate a source's stories from ``source`` into ``target``, in
        the order they are tried: the source's engine (or translate.engine), then
        translate.fallback, each only if it can translate the pair."""
        found = self.source(source_name)
        names = _chain_names(self.settings, found.engine if found else "", self.engine)
        return [self.engines[n] for n in names if (source, target) in self.engines[n].pairs()]

    def source(self, name: str) -> Source | None:
        """The configured source named ``name``."""
        return next((s for s in self.sources.values() if s.name == name), None)

    def keep(self, source_name: str) -> list[str]:
        """Names never to translate for a source: the site's and the source's own."""
        source = self.source(source_name)
        return [*self.settings.translate.keep, *(source.keep if source else ())]

    @cached_property
    def policy(self) -> Policy:
        """The checks' policy."""
        return Policy.from_settings(self.settings.check)

    def retry_in(self, attempts: int) -> timedelta:
        """The wait before the next try of an item that failed ``attempts`` times before."""
        return timedelta(minutes=self.settings.fetch.retry_minutes * 2 ** min(attempts, 16))


def unwanted_languages(settings: Settings, sources: Iterable[Source]) -> dict[str, list[int]]:
    """For each site language, the sources whose own ``languages`` leave it out."""
    return {
        language: [s.id for s in sources if s.id is not None and s.languages
                   and language not in s.languages]
        for language in settings.site.languages
    }  # fmt: skip


def _primary(settings: Settings, given: Engine | None) -> str:
    return given.name if given is not None else settings.translate.engine


def _chain_names(settings: Settings, own: str, given: Engine | None) -> list[str]:
    """The engine names a source's chain tries, first to last, each once."""
    first = own or _primary(settings, given)
    return list(dict.fromkeys([first, *settings.translate.fallback]))


def _start_engines(
    settings: Settings, store: Store, sources: Sequence[Source], given: Engine | None,
    closing: list[Callable[[], None]],
) -> dict[str, Engine]:  # fmt: skip
    """Start every engine a source's chain names (the one ``given`` stays the caller's to
    close), each counted and held to its daily limits; NotConfigured when one cannot start,
    or when no engine of a source's chain can translate one of its pairs."""
    config = settings.translate
    names = {n for s in sources for n in _chain_names(settings, s.engine, given)}
    names |= set(_chain_names(settings, "", given))
    engines: dict[str, Engine] = {}
    for name in sorted(names):
        if given is not None and name == given.name:
            engine = given
        else:
            engine = start_engine(settings, name)
            close = getattr(engine, "close", None)
            if close is not None:
                closing.append(close)
        engines[name] = cast(Engine, Metered(
            engine, store, chars=config.daily_limit_chars.get(name, 0),
            tokens=config.daily_limit_tokens.get(name, 0),
        ))  # fmt: skip
    for source in sources:
        chain = [engines[n] for n in _chain_names(settings, source.engine, given)]
        for target in source.languages or settings.site.languages:
            pair = [(source.language, target)]
            if not any(not missing_pairs(engine, pair) for engine in chain):
                raise NotConfigured(f"source {source.name}: {cannot_translate(chain[0], pair)}")
    return engines


Outcome = str  # what a unit did with its item: "ok", "dropped", "failed", "stale", "new" ...
Done = tuple[str, Outcome]


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


# the wrapper ---------------------------------------------------------------------------------


def attempt(deps: Deps, stage: str, item: str, work: Callable[[], Outcome]) -> Outcome:
    """Run one unit's work on ``item``; a failure fails the item alone (recorded, with a retry
    time), a result the item outgrew is not written, and only the store failing stops the
    caller."""
    try:
        return work()
    except Stale as exc:
        log.info("%s %s: %s", stage, item, exc)
        return "stale"
    except NotFound as exc:  # the item went away (a changed page replaced its article)
        log.info("%s %s: %s", stage, item, exc)
        return "stale"
    except StoreError:
        raise
    except Exception as exc:
        fail(deps, stage, item, exc)
        return "failed"


def fail(deps: Deps, stage: str, item: str, error: BaseException) -> None:
    """Record that ``stage`` failed on ``item``: on the source, on the entry (which is fetched
    again when its retry time comes), or as a failure of the article or translation."""
    reason, detail = _reason(error), str(error) or repr(error)
    store = deps.store
    if stage == "poll":
        source = deps.sources[int(item)]
        _log_failure(f"source {source.name}", stage, error)
        store.record_poll_failure(int(item), reason, detail)
    elif stage in ("fetch", "extract"):
        entry = store.entry(int(item))
        _log_failure(f"entry {entry.id} ({entry.url})", stage, error)
        store.fail_entry(entry.id, stage, reason, detail, retry_in=deps.retry_in(entry.attempts),
                         expected=FETCHABLE if stage == "fetch" else EXTRACTABLE)  # fmt: skip
    else:
        item_type, item_id = _failure_key(stage, item)
        _log_failure(f"{item_type} {item}", stage, error)
        retry_in = deps.retry_in(store.attempts(stage, item_type, item_id))
        retry_at = getattr(error, "retry_at", None)  # an engine's daily limit: its next day
        if retry_at is not None:  # not the item's fault: no attempt of its is spent
            retry_in = max(retry_at - datetime.now(UTC), timedelta(0))
        store.record_failure(stage, item_type, item_id, reason, detail, retry_in=retry_in,
                             counted=retry_at is None)  # fmt: skip


def _failure_key(stage: str, item: str) -> tuple[str, int]:
    """How a failure of a dedupe, translate, check or publish item is filed."""
    if stage == "translate":
        article_id, language = item.split(":")
        return f"article:{language}", int(article_id)
    return ("article" if stage == "dedupe" else "translation"), int(item)


def _reason(error: BaseException) -> str:
    """The stored reason code of a failure: the error's own, else ``internal_error``."""
    return getattr(error, "reason", None) or "internal_error"


def _log_failure(what: str, stage: str, error: BaseException) -> None:
    """An expected failure (it has a reason code) in one line; anything else with its
    traceback."""
    extra = {"stage": stage, "reason": _reason(error), "item": what}
    if _reason(error) == "internal_error":
        trace = "".join(traceback.format_exception(error))
        log.error("%s: %s failed:\n%s", what, stage, trace, extra=extra)
    else:
        log.warning("%s: %s failed: %s", what, stage, error, extra=extra)


# poll ----------------------------------------------------------------------------------------


def poll(deps: Deps, item: str) -> Outcome:
    """Poll one source with a conditional GET; store its new and changed entries; return
    ``ok`` or ``not_modified``. The scheduler polls it again after ``poll.interval_minutes``."""
    source = deps.sources[int(item)]
    assert source.id is not None
    minutes = source.poll_minutes or deps.settings.poll.interval_minutes
    deps.store.schedule_poll(source.id, utcnow() + timedelta(minutes=minutes))
    store, fetcher = deps.store, deps.fetcher
    etag, last_modified = store.validators(source.id)
    response = fetcher.get(source.url, etag=etag, last_modified=last_modified)
    if response.status_code == 304:
        store.record_poll_unchanged(source.id)
        return "not_modified"
    if response.content_type == "text/html" and is_home(source.url):
        result = FeedResult(sitemaps=fetcher.sitemaps(source.url))  # a site: its sitemaps
        if not result.sitemaps:
            raise FeedError("no_feed", f"{source.url}: a web page, and its robots.txt names no "
                            "sitemap; give the feed's or the sitemap's address")  # fmt: skip
    else:
        result = _parse(deps.settings, response.body, response.url)
    for child in result.sitemaps[:MAX_SITEMAPS]:
        try:
            found = _parse(deps.settings, fetcher.get(child).body, child)
        except (FetchError, FeedError) as exc:
            result.warnings.append(f"sitemap {child} skipped: {exc}")
            continue
        result.entries += found.entries
        result.warnings += found.warnings
    cap = deps.settings.poll.max_entries
    if len(result.entries) > cap:
        result.warnings.append(f"{len(result.entries)} entries; the newest {cap} taken")
        result.entries = sorted(result.entries, key=_entry_time, reverse=True)[:cap]
    for warning in result.warnings:
        log.warning("source %s: %s", source.name, warning)
    new, changed = store.record_poll(
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


def _parse(settings: Settings, body: bytes, url: str) -> FeedResult:
    max_age = timedelta(days=settings.poll.sitemap_max_age_days)
    # feeds list their newest first as a rule; four times the cap are read so that the newest
    # are found even in one that does not, and the newest of those are kept
    return parse_feed(body, url, sitemap_max_age=max_age,
                      max_entries=4 * settings.poll.max_entries)  # fmt: skip


def is_home(url: str) -> bool:
    """Whether ``url`` is a site's home page."""
    return urlsplit(url).path in ("", "/")


# fetch ---------------------------------------------------------------------------------------


def fetch(deps: Deps, item: str) -> Outcome:
    """Fetch the page of one pending (or failed, due) entry: ``ok``; ``dropped`` when it is not
    a usable page for good (a 404, not HTML, refused by robots.txt ...); ``gone`` when the page
    of a published story is now 404 or 410 (its story is removed)."""
    store = deps.store
    entry = store.entry(int(item))
    try:
        page = fetch_page(deps.fetcher, entry)
    except FetchError as exc:
        if exc.reason in GONE and store.has_article(entry.id):
            store.remove_entry(entry.id, "fetch", "source_gone", str(exc))
            return "gone"
        if not exc.transient:
            store.drop_entry(entry.id, "fetch", exc.reason, str(exc), expected=FETCHABLE)
            return "dropped"
        raise
    store.save_page(entry.id, page, next_check_at=utcnow() + RECHECK_FIRST, expected=FETCHABLE)
    return "ok"


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


# extract -------------------------------------------------------------------------------------


def extract(deps: Deps, item: str) -> Outcome:
    """Extract the article of one fetched page, with what the source's pages taught; a page
    its publisher marks as retracted removes the story made of it (``retracted``) or drops a
    new entry (``dropped``)."""
    store, settings = deps.store, deps.settings.extract
    entry = store.entry(int(item))
    page = store.page(entry.id)
    marker = retraction_of(page.html)
    if marker is not None:
        detail = f"{page.url}: {marker}"
        if store.has_article(entry.id):
            store.remove_entry(entry.id, "extract", "source_retracted", detail)
            return "retracted"
        store.drop_entry(entry.id, "extract", "source_retracted", detail, expected=EXTRACTABLE)
        return "dropped"
    try:
        article = extract_article(
            page.html,
            page.url,
            template=store.template_keys(
                entry.source_id, min_articles=settings.template_min_articles,
                window=settings.template_window,
            ),
            keep=store.allowed_keys(entry.source_id),
        )  # fmt: skip
    except ExtractError as exc:
        store.drop_entry(entry.id, "extract", exc.reason, str(exc), expected=EXTRACTABLE)
        return "dropped"
    store.save_article(entry.id, article, expected=EXTRACTABLE)
    return "ok"


# dedupe --------------------------------------------------------------------------------------


def dedupe(deps: Deps, items: Sequence[str]) -> Iterator[Done]:
    """File each article in a story (the story it repeats, or its own) and choose which article
    of the story is translated; ``new``, ``duplicate`` or ``update``. The batch holds the
    store's ``dedupe`` lease, so articles are filed one at a time across all workers."""
    if not items:
        return
    window = timedelta(days=deps.settings.dedupe.window_days)
    with deps.store.lock("dedupe").held(wait=DEDUPE_WAIT):
        now = datetime.now(UTC)
        index = DedupeIndex.from_rows(
            deps.store.signatures_since((now - window).replace(tzinfo=None)),
            window=window,
            now=now,
            texts=lambda key: deps.store.article_text(int(key)),
        )
        for item in items:
            yield item, attempt(deps, "dedupe", item, partial(_file, deps, index, int(item)))


def _file(deps: Deps, index: DedupeIndex, article_id: int) -> Outcome:
    store, settings = deps.store, deps.settings.dedupe
    row = store.article_to_file(article_id)
    if row["signature"] is not None:
        raise Stale(f"article {article_id} was filed meanwhile")
    signature, when, key = Signature.of_text(row["text"]), row["extracted_at"], str(article_id)
    if row["story_id"] is not None:  # extracted again: the same entry, changed
        store.file_article(article_id, signature.to_bytes(), when, story_id=None,
                           relation="update")  # fmt: skip
        index.add(key, signature, when)
        return "update"
    found = index.match(signature, when=when, text=row["text"])
    story = store.story_of(int(found.key)) if found else None
    relation = "duplicate" if story is not None else "new"

    def choose(members: list[dict[str, Any]]) -> int:
        return representative(members, settings.choose, settings.preferred_sources)

    story_id = store.file_article(article_id, signature.to_bytes(), when, story_id=story,
                                  relation=relation, choose=choose if story else None)  # fmt: skip
    index.add(key, signature, when)
    if story is not None:
        log.info("article %s repeats story %s", article_id, story_id)
    return relation


# translate -----------------------------------------------------------------------------------


def translate(deps: Deps, items: Sequence[str]) -> Iterator[Done]:
    """Translate each ``article:language``, the articles of one source and language pair a
    batch at a time, with the engine working on one batch while the next is prepared; a batch
    the engine fails on is taken one article at a time, so that only the bad one fails."""
    wanted = [(int(a), lang) for a, lang in (item.split(":") for item in items)]
    loaded = deps.store.articles_to_translate({a for a, _ in wanted})
    groups: dict[tuple[str, str, str], list[tuple[int, Article]]] = {}
    for article_id, language in wanted:
        if article_id not in loaded:
            yield f"{article_id}:{language}", "stale"
            continue
        article, source_language, name = loaded[article_id]
        groups.setdefault((name, source_language, language), []).append((article_id, article))
    memory = deps.store if deps.settings.translate.memory else None
    for (name, source_language, language), group in groups.items():
        options: dict[str, Any] = {
            "source": source_language, "target": language, "memory": memory,
            "keep": deps.keep(name), "forced": deps.glossary.terms(source_language, language),
        }  # fmt: skip
        chain = deps.chain(name, source_language, language)
        if not chain:  # the settings changed since the run started: no engine has the pair
            error = NotConfigured(f"no engine of source {name}'s chain translates "
                                  f"{source_language}->{language}")  # fmt: skip
            for article_id, _ in group:
                item = f"{article_id}:{language}"
                yield item, attempt(deps, "translate", item, _raise(error))
            continue
        batches = [group[i : i + BATCH_ARTICLES] for i in range(0, len(group), BATCH_ARTICLES)]
        articles = [[article for _, article in batch] for batch in batches]
        for batch, (_, result) in zip(
            batches, translate_batches(chain[0], articles, **options), strict=True
        ):
            for (article_id, _), translation in _one_by_one(chain, batch, result, options):
                item = f"{article_id}:{language}"
                if isinstance(translation, BaseException):
                    yield item, attempt(deps, "translate", item, _raise(translation))
                    continue
                yield item, attempt(deps, "translate", item,
                                    _saver(deps, article_id, translation))  # fmt: skip


def _one_by_one(
    chain: Sequence[Engine], batch: list[tuple[int, Article]], result: Any,
    options: dict[str, Any],
) -> Iterable[tuple[tuple[int, Article], Any]]:  # fmt: skip
    """The batch's translations; when the first engine failed the batch, each article's
    translation on its own by the first engine of the chain that succeeds, or the error of
    the last one tried."""
    if isinstance(result, list):
        yield from zip(batch, result, strict=True)
        return
    for article_id, article in batch:
        error: Exception = result
        for index, engine in enumerate(chain):
            try:
                [translation] = translate_articles(engine, [article], **options)
            except StoreError:
                raise
            except Exception as exc:
                error = exc
                continue
            if index:
                log.info("article %s: translated by %s after %s failed: %s", article_id,
                         engine.name, chain[0].name, result)  # fmt: skip
            yield (article_id, article), translation
            break
        else:
            yield (article_id, article), error


def _raise(error: BaseException) -> Callable[[], Outcome]:
    def work() -> Outcome:
        raise error

    return work


def _saver(deps: Deps, article_id: int, translation: Any) -> Callable[[], Outcome]:
    def work() -> Outcome:
        deps.store.save_translation(article_id, translation)
        return "ok"

    return work


# check ---------------------------------------------------------------------------------------


def check(deps: Deps, item: str) -> Outcome:
    """Check one translation and store the verdict: ``publish``, ``hold`` or ``reject``."""
    translation, article, source_name = deps.store.translation_to_check(int(item))
    verdict = verdict_of(deps, translation, article, source_name)
    deps.store.save_verdict(int(item), verdict)
    return verdict.decision.value


def verdict_of(deps: Deps, translation: Translation, article: Article, source_name: str) -> Verdict:
    """The checks' verdict on a translation of a source's article (a person's edit is checked
    the same way as the engine's translation, names and all)."""
    source = deps.source(source_name)
    return check_translation(
        article, translation, policy=deps.policy, engine=deps.engine,
        keep=deps.keep(source_name),
        forced=deps.glossary.terms(translation.source_language, translation.language),
        license=source.license if source else "",
        feed_rights=deps.store.feed_rights().get(source_name),
    )  # fmt: skip


# the units -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One stage's unit: ``one`` works on an item, ``many`` on a batch; ``threads`` when its
    work is mostly waiting on the network."""

    one: Callable[[Deps, str], Outcome] | None = None
    many: Callable[[Deps, Sequence[str]], Iterator[Done]] | None = None
    threads: bool = False

    def run(self, deps: Deps, stage: str, items: Sequence[str]) -> Iterator[Done]:
        """The outcome of each item, in the order they end."""
        if self.many is not None:
            yield from self.many(deps, items)
            return
        one = self.one
        assert one is not None

        def work(item: str) -> Outcome:
            return attempt(deps, stage, item, lambda: one(deps, item))

        if not self.threads or len(items) < 2:
            for item in items:
                yield item, work(item)
            return
        with ThreadPoolExecutor(max_workers=deps.settings.fetch.workers) as pool:
            futures = {pool.submit(work, item): item for item in items}
            for future in as_completed(futures):
                yield futures[future], future.result()


UNITS: dict[str, Unit] = {
    "poll": Unit(one=poll),  # in order: a story's earliest source is the first polled
    "fetch": Unit(one=fetch, threads=True),
    "extract": Unit(one=extract),
    "dedupe": Unit(many=dedupe),
    "translate": Unit(many=translate),
    "check": Unit(one=check),
}
