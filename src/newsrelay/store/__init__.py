"""Persistence: every stage's result and every transition, in SQLite or PostgreSQL.

A method that moves an item writes the item and its event in one transaction, so a crash leaves
the store either before or after the transition, never between.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from alembic.util.exc import CommandError as AlembicError
from sqlalchemy import Connection, Engine, and_, create_engine, delete, event, func, insert, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError, SQLAlchemyError

from newsrelay.dedupe import story_text
from newsrelay.errors import NotConfigured, NotFound, Stale, StoreError
from newsrelay.markup import block_key
from newsrelay.model import (
    Article,
    Decision,
    DeliveryRecord,
    Entry,
    EntryStatus,
    FeedEntry,
    Finding,
    Metadata,
    Outcome,
    Page,
    Source,
    StoryView,
    TranslatedSegment,
    Translation,
    Usage,
    Verdict,
)
from newsrelay.store import claims, migrate
from newsrelay.store.lock import RunLock
from newsrelay.store.schema import (
    allowed_blocks,
    articles,
    block_sightings,
    deliveries,
    entries,
    events,
    failures,
    metadata,
    pages,
    publications,
    removed_blocks,
    robots,
    segments,
    sources,
    stories,
    translations,
    verdicts,
)

__all__ = ["Store", "metadata", "utcnow"]

log = logging.getLogger(__name__)


PROBLEMS = (Outcome.FAILED, Outcome.DROPPED, Outcome.HELD)  # listed by ``newsrelay status``
SOURCE_CHANGES = ("updated", "source_gone", "source_retracted")  # ... and these reasons too
MIGRATION_LOCK = 0x6E657773  # PostgreSQL advisory lock held while a store is migrated


def utcnow() -> datetime:
    """The current time in UTC, without tzinfo (as stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Store:
    """The database behind a newsrelay site."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect to ``url`` and apply pending migrations."""
        try:
            engine = create_engine(url, **_engine_options(url))
            if engine.dialect.name == "sqlite":
                event.listen(engine, "connect", _sqlite_pragmas)
            with engine.begin() as conn:
                if engine.dialect.name == "postgresql":  # workers starting at once migrate once
                    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
                migrate.upgrade(conn)
        except ModuleNotFoundError as exc:
            raise NotConfigured(
                f"{_redact(url)}: the database driver {exc.name!r} is not installed; "
                "for PostgreSQL: pip install 'newsrelay[postgres]'"
            ) from None
        except SQLAlchemyError as exc:
            raise StoreError(f"{_redact(url)}: cannot open the store: {_first_line(exc)}") from None
        except AlembicError as exc:  # the store was made by a newer newsrelay
            raise StoreError(
                f"{_redact(url)}: the store's schema is newer than this newsrelay "
                f"knows ({exc}); upgrade newsrelay, downgrades are refused"
            ) from None
        return cls(engine)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    def run_lock(self) -> RunLock:
        """The lease that keeps two runs from working on this store at once."""
        return RunLock(self.engine)

    def lock(self, name: str) -> RunLock:
        """The lease named ``name``: work that one worker at a time does (dedupe, the site)."""
        return RunLock(self.engine, name)

    def check_integrity(self) -> None:
        """Raise StoreError when the database file is damaged (SQLite's quick_check)."""
        if self.engine.dialect.name != "sqlite":
            return  # PostgreSQL checks its pages itself and fails the query that meets one
        with self._tx() as conn:
            problems = [row[0] for row in conn.exec_driver_sql("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise StoreError(f"{_redact(str(self.engine.url))}: the store is damaged "
                             f"({problems[0]}); restore it from a backup")  # fmt: skip

    @contextmanager
    def _tx(self) -> Iterator[Connection]:
        try:
            with self.engine.begin() as conn:
                yield conn
        except (OperationalError, DatabaseError) as exc:
            if isinstance(exc, IntegrityError):
                raise
            raise StoreError(f"{_redact(str(self.engine.url))}: {exc.orig}") from exc

    def _log(
        self,
        conn: Connection,
        stage: str,
        item_type: str,
        item_id: int | None,
        outcome: Outcome,
        reason: str | None = None,
        detail: str | None = None,
    ) -> None:
        conn.execute(
            insert(events).values(
                at=utcnow(),
                stage=stage,
                item_type=item_type,
                item_id=item_id,
                outcome=outcome.value,
                reason=reason,
                detail=detail,
            )
        )

    # sources -------------------------------------------------------------------------------

    def sync_sources(self, configured: Sequence[Source]) -> list[Source]:
        """Insert or update the configured sources; return them with their ids."""
        result = []
        with self._tx() as conn:
            for source in configured:
                values = {k: v for k, v in asdict(source).items() if k not in ("id", "paused")}
                values["keep"] = json.dumps(list(source.keep))
                row = conn.execute(
                    select(sources.c.id).where(sources.c.name == source.name)
                ).first()
                if row is None:
                    source_id = conn.execute(insert(sources).values(**values)).inserted_primary_key
                    sid = int(source_id[0]) if source_id else 0
                else:
                    sid = row.id
                    conn.execute(sql_update(sources).where(sources.c.id == sid).values(**values))
                result.append(replace(source, id=sid))
        return result

    def validators(self, source_id: int) -> tuple[str | None, str | None]:
        """The ETag and Last-Modified of a source's last successful poll."""
        with self._tx() as conn:
            row = conn.execute(
                select(sources.c.etag, sources.c.last_modified).where(sources.c.id == source_id)
            ).one()
        return row.etag, row.last_modified

    def record_poll(
        self,
        source_id: int,
        found: Sequence[FeedEntry],
        *,
        etag: str | None,
        last_modified: str | None,
        warnings: Sequence[str] = (),
        rights: str | None = None,
    ) -> tuple[int, int]:
        """Store a successful poll (entries, validators and what the feed states about
        reuse); return (new, changed) counts."""
        now = utcnow()
        new = changed = 0
        with self._tx() as conn:
            for item in found:
                outcome = self._upsert_entry(conn, source_id, item, now)
                new += outcome == "new"
                changed += outcome == "changed"
            conn.execute(
                sql_update(sources)
                .where(sources.c.id == source_id)
                .values(
                    etag=etag,
                    last_modified=last_modified,
                    last_polled_at=now,
                    error_count=0,
                    last_error=None,
                    rights=rights,
                )
            )
            detail = f"{len(found)} entries, {new} new, {changed} changed"
            if warnings:
                detail += "; warnings: " + "; ".join(warnings)
            self._log(conn, "poll", "source", source_id, Outcome.OK, None, detail)
        return new, changed

    def record_poll_unchanged(self, source_id: int) -> None:
        """Store a poll answered 304 Not Modified."""
        with self._tx() as conn:
            conn.execute(
                sql_update(sources)
                .where(sources.c.id == source_id)
                .values(last_polled_at=utcnow(), error_count=0, last_error=None)
            )
            self._log(conn, "poll", "source", source_id, Outcome.SKIPPED, "not_modified")

    def record_poll_failure(self, source_id: int, reason: str, detail: str) -> None:
        """Store a poll that failed; the source keeps its entries and is polled again next run."""
        with self._tx() as conn:
            conn.execute(
                sql_update(sources)
                .where(sources.c.id == source_id)
                .values(
                    last_polled_at=utcnow(),
                    error_count=sources.c.error_count + 1,
                    last_error=f"{reason}: {detail}",
                )
            )
            self._log(conn, "poll", "source", source_id, Outcome.FAILED, reason, detail)

    def _upsert_entry(
        self, conn: Connection, source_id: int, item: FeedEntry, now: datetime
    ) -> str:
        row = conn.execute(
            select(entries.c.id, entries.c.version).where(
                and_(entries.c.source_id == source_id, entries.c.guid == item.guid)
            )
        ).first()
        if row is None:
            conn.execute(
                insert(entries).values(
                    source_id=source_id,
                    guid=item.guid,
                    url=item.url,
                    title=item.title,
                    version=item.version,
                    status=EntryStatus.PENDING.value,
                    attempts=0,
                    created_at=now,
                    updated_at=now,
                )
            )
            return "new"
        if row.version == item.version:
            return "same"
        conn.execute(
            sql_update(entries)
            .where(entries.c.id == row.id)
            .values(
                url=item.url,
                title=item.title,
                version=item.version,
                status=EntryStatus.PENDING.value,
                reason=None,
                detail=None,
                attempts=0,
                next_attempt_at=None,
                updated_at=now,
            )
        )
        self._log(conn, "poll", "entry", row.id, Outcome.OK, "changed", item.url)
        return "changed"

    # work ----------------------------------------------------------------------------------

    def claim_due(
        self,
        stage: str,
        limit: int,
        worker: str,
        *,
        lease: timedelta = timedelta(minutes=10),
        max_attempts: int = 5,
        languages: Sequence[str] = (),
        among: Collection[int] | None = None,
        scheduled: bool = True,
        only: Collection[str] | None = None,
        takeover: str | None = None,
    ) -> list[str]:
        """Lease to ``worker`` up to ``limit`` items of ``stage`` that are due and that no other
        worker holds (but ``takeover``, whose leases this worker takes), of ``only`` when given;
        return them (see ``newsrelay.store.claims``)."""
        now = utcnow()
        with self._tx() as conn:
            items = claims.due(conn, stage, now, limit=limit, max_attempts=max_attempts,
                               languages=languages, among=among, scheduled=scheduled,
                               only=only, takeover=takeover)  # fmt: skip
            return claims.claim(conn, stage, items, worker, now, lease, takeover)

    def leased_items(self, stage: str) -> set[str]:
        """The items of ``stage`` under a live lease."""
        with self._tx() as conn:
            return claims.leased_items(conn, stage, utcnow())

    def leased(self, worker: str | None = None) -> dict[str, int]:
        """Live leases per stage: items being worked on (by ``worker``, or by anyone)."""
        with self._tx() as conn:
            return claims.leased(conn, utcnow(), worker)

    def record_dead_letter(self, stage: str, items: Sequence[str], detail: str) -> None:
        """Record work that a worker gave up on after its retries (``newsrelay status`` lists
        it with the other problems); its items are sent again when their leases expire."""
        with self._tx() as conn:
            for item in items or [""]:
                item_id = int(item.split(":")[0]) if item else None
                self._log(conn, stage, "task", item_id, Outcome.FAILED, "dead_letter",
                          f"{item}: {detail}" if item else detail)  # fmt: skip

    def release(self, stage: str, items: Sequence[str], worker: str) -> None:
        """Give back the leases ``worker`` holds on ``items`` of ``stage``."""
        if items:
            with self._tx() as conn:
                claims.release(conn, stage, items, worker)

    def schedule_poll(self, source_id: int, at: datetime) -> None:
        """Poll a source next at ``at`` (the scheduler's next poll)."""
        with self._tx() as conn:
            conn.execute(
                sql_update(sources).where(sources.c.id == source_id).values(next_poll_at=at)
            )

    # entries -------------------------------------------------------------------------------

    def entries_with_status(self, status: EntryStatus, *, due: bool = False) -> list[Entry]:
        """Entries in ``status``; with ``due``, only those whose retry time has come."""
        query = select(entries).where(entries.c.status == status.value).order_by(entries.c.id)
        if due:
            now = utcnow()
            query = query.where(
                (entries.c.next_attempt_at.is_(None)) | (entries.c.next_attempt_at <= now)
            )
        with self._tx() as conn:
            return [_entry(row) for row in conn.execute(query)]

    def entry(self, entry_id: int) -> Entry:
        """An entry by id."""
        with self._tx() as conn:
            row = conn.execute(select(entries).where(entries.c.id == entry_id)).first()
        if row is None:
            raise NotFound(f"entry {entry_id}: no such entry")
        return _entry(row)

    def save_page(
        self, entry_id: int, page: Page, *, next_check_at: datetime | None = None,
        expected: Collection[EntryStatus] | None = None,
    ) -> None:  # fmt: skip
        """Store the fetched page of an entry and move it on to extraction; once published, the
        page is fetched again from ``next_check_at`` on."""
        values = asdict(page) | {"fetched_at": utcnow(), "next_check_at": next_check_at}
        with self._tx() as conn:
            self._move(conn, entry_id, EntryStatus.FETCHED, expected=expected)
            _replace(conn, pages, entry_id, values)
            self._log(conn, "fetch", "entry", entry_id, Outcome.OK, None, page.url)

    def page(self, entry_id: int) -> Page:
        """The stored page of an entry."""
        with self._tx() as conn:
            row = conn.execute(select(pages).where(pages.c.entry_id == entry_id)).one()
        return _page(row)

    # rechecks of published stories ---------------------------------------------------------

    def rechecks_due(self, *, since: datetime) -> list[tuple[Entry, Page, datetime]]:
        """Published entries whose story was first published after ``since`` and whose page is
        due for another look, with the stored page and the story's first publication."""
        query = (
            select(
                entries, *[c.label(f"p_{c.name}") for c in pages.c],
                stories.c.created_at.label("published_at"),
            )
            .join(pages, pages.c.entry_id == entries.c.id)
            .join(articles, articles.c.entry_id == entries.c.id)
            .join(stories, stories.c.article_id == articles.c.id)
            .where(entries.c.status == EntryStatus.EXTRACTED.value)
            .where(articles.c.id.in_(_published_articles()))
            .where(stories.c.created_at >= since)
            .where(pages.c.next_check_at <= utcnow())
            .order_by(entries.c.id)
        )  # fmt: skip
        with self._tx() as conn:
            rows = conn.execute(query).all()
        return [(_entry(row), _page(row, prefix="p_"), row.published_at) for row in rows]

    def recheck_now(self, *, since: datetime | None = None) -> int:
        """Make every published story (first published after ``since``, when given) due for
        another look on the next run; return how many."""
        due = (
            select(articles.c.entry_id)
            .join(stories, stories.c.article_id == articles.c.id)
            .where(articles.c.id.in_(_published_articles()))
        )
        if since is not None:
            due = due.where(stories.c.created_at >= since)
        with self._tx() as conn:
            return int(
                conn.execute(
                    sql_update(pages)
                    .where(pages.c.entry_id.in_(due))
                    .values(next_check_at=utcnow())
                ).rowcount
            )

    def page_checked(
        self,
        entry_id: int,
        outcome: Outcome,
        reason: str,
        detail: str,
        *,
        next_check_at: datetime,
        page: Page | None = None,
    ) -> None:
        """Record a look at a published entry's page that changes nothing (not modified, the
        same page, or a failure), keeping the newer validators of ``page``; the next look is
        due at ``next_check_at``."""
        values: dict[str, Any] = {"next_check_at": next_check_at}
        if page is not None:
            values |= {"etag": page.etag, "last_modified": page.last_modified}
        with self._tx() as conn:
            conn.execute(sql_update(pages).where(pages.c.entry_id == entry_id).values(**values))
            self._log(conn, "recheck", "entry", entry_id, outcome, reason, detail)

    def page_changed(self, entry_id: int, page: Page, *, next_check_at: datetime) -> None:
        """Store the changed page of a published entry and send it back to extraction (which
        finds whether the article itself changed)."""
        values = asdict(page) | {"fetched_at": utcnow(), "next_check_at": next_check_at}
        with self._tx() as conn:
            _replace(conn, pages, entry_id, values)
            self._move(conn, entry_id, EntryStatus.FETCHED)
            self._log(conn, "recheck", "entry", entry_id, Outcome.OK, "changed", page.url)

    def has_article(self, entry_id: int) -> bool:
        """Whether an entry got as far as an article (and so may be published)."""
        with self._tx() as conn:
            found = conn.execute(select(articles.c.id).where(articles.c.entry_id == entry_id))
            return found.first() is not None

    def remove_entry(self, entry_id: int, stage: str, reason: str, detail: str) -> None:
        """Record that the source removed (``source_gone``) or retracted (``source_retracted``)
        an entry's story: the entry leaves the flow, and the publisher applies the removal
        policy to its pages. The first removal's time is kept."""
        now = utcnow()
        with self._tx() as conn:
            conn.execute(
                sql_update(entries)
                .where(entries.c.id == entry_id)
                .values(
                    status=EntryStatus.REMOVED.value, reason=reason, detail=detail,
                    updated_at=now, removed_at=func.coalesce(entries.c.removed_at, now),
                    removal=reason,
                )
            )  # fmt: skip
            self._log(conn, stage, "entry", entry_id, Outcome.OK, reason, detail)

    def save_article(
        self, entry_id: int, article: Article, *, expected: Collection[EntryStatus] | None = None
    ) -> None:
        """Store an entry's article, replacing an earlier one and everything derived from it,
        with the blocks it lost and the blocks it showed (for learning the source's template).

        An article the same as the stored one leaves everything in place. A changed article
        whose page was fetched again since the last extraction is an update of the source story
        (``updated``: the story's pages say when); the entry is no longer removed either way."""
        values: dict[str, Any] = {
            "title": article.title,
            "body_html": article.body_html,
            "url": article.url,
            "language": article.language,
            "published": article.meta.published,
            "meta": json.dumps(asdict(article.meta)),
            "extracted_at": utcnow(),
            "signature": None,  # signed again by the dedupe stage; its story stays its own
        }
        with self._tx() as conn:
            self._move(conn, entry_id, EntryStatus.EXTRACTED, expected=expected)
            old = conn.execute(select(articles).where(articles.c.entry_id == entry_id)).first()
            reason = self._article_change(conn, entry_id, old, values)
            if reason == "unchanged":
                self._restore(conn, entry_id)
                self._log(conn, "extract", "entry", entry_id, Outcome.SKIPPED, reason,
                          article.title)  # fmt: skip
                return
            if reason == "updated":
                values["updated_at"] = utcnow()
            if old is not None:
                _delete_translations(conn, old.id)
                conn.execute(delete(removed_blocks).where(removed_blocks.c.article_id == old.id))
            article_id = _replace(conn, articles, entry_id, values)
            if article.removed:
                conn.execute(
                    insert(removed_blocks),
                    [{"article_id": article_id, "rule": r.rule, "text": r.text,
                      "block_key": block_key(r.text)} for r in article.removed],
                )  # fmt: skip
            self._record_sightings(conn, entry_id, article)
            self._restore(conn, entry_id)
            self._log(conn, "extract", "entry", entry_id, Outcome.OK, reason, article.title)

    def _article_change(
        self, conn: Connection, entry_id: int, old: Any, values: dict[str, Any]
    ) -> str | None:
        """``unchanged``, ``updated`` (the source changed the story), or ``None`` (a first
        extraction, or one made again from the same page, as after ``removed keep``)."""
        if old is None:
            return None
        new = (values["title"], values["body_html"], values["meta"])
        if (old.title, old.body_html, old.meta) == new:
            return "unchanged"
        fetched = conn.execute(
            select(pages.c.fetched_at).where(pages.c.entry_id == entry_id)
        ).scalar_one_or_none()
        return "updated" if fetched is not None and fetched > old.extracted_at else None

    def _restore(self, conn: Connection, entry_id: int) -> None:
        """An entry extracted again is the source's story again: no longer removed."""
        conn.execute(
            sql_update(entries)
            .where(entries.c.id == entry_id)
            .values(removed_at=None, removal=None)
        )

    def _record_sightings(self, conn: Connection, entry_id: int, article: Article) -> None:
        source_id = conn.execute(
            select(entries.c.source_id).where(entries.c.id == entry_id)
        ).scalar_one()
        keys = {block_key(t) for t in [*article.paragraphs, *(r.text for r in article.removed)]}
        seen = set(
            conn.execute(
                select(block_sightings.c.block_key).where(block_sightings.c.entry_id == entry_id)
            ).scalars()
        )
        now = utcnow()
        rows = [
            {"source_id": source_id, "entry_id": entry_id, "block_key": k, "seen_at": now}
            for k in sorted(keys - seen)
        ]
        if rows:
            conn.execute(insert(block_sightings), rows)

    def template_keys(self, source_id: int, *, min_articles: int, window: int) -> set[str]:
        """Block keys seen in at least ``min_articles`` of the source's last ``window`` articles."""
        recent = (
            select(entries.c.id)
            .join(articles, articles.c.entry_id == entries.c.id)
            .where(entries.c.source_id == source_id)
            .order_by(articles.c.extracted_at.desc(), entries.c.id.desc())
            .limit(window)
            .subquery()
        )
        query = (
            select(block_sightings.c.block_key)
            .where(block_sightings.c.source_id == source_id)
            .where(block_sightings.c.entry_id.in_(select(recent.c.id)))
            .group_by(block_sightings.c.block_key)
            .having(func.count(func.distinct(block_sightings.c.entry_id)) >= min_articles)
        )
        with self._tx() as conn:
            return set(conn.execute(query).scalars())

    def allowed_keys(self, source_id: int) -> set[str]:
        """Block keys an operator allowed for a source."""
        with self._tx() as conn:
            return set(
                conn.execute(
                    select(allowed_blocks.c.block_key).where(
                        allowed_blocks.c.source_id == source_id
                    )
                ).scalars()
            )

    def removed(self, *, source: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Blocks extraction removed, newest first, with their rule, article and source."""
        query = (
            select(
                removed_blocks.c.id,
                removed_blocks.c.rule,
                removed_blocks.c.text,
                entries.c.url,
                sources.c.name.label("source"),
            )
            .join(articles, articles.c.id == removed_blocks.c.article_id)
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .order_by(removed_blocks.c.id.desc())
            .limit(limit)
        )
        if source is not None:
            query = query.where(sources.c.name == source)
        with self._tx() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def keep_block(self, removed_id: int) -> dict[str, Any]:
        """Allow a removed block for its source from now on, and re-extract the articles of the
        source that lost it. Return what was allowed."""
        with self._tx() as conn:
            row = conn.execute(
                select(removed_blocks.c.text, removed_blocks.c.block_key, entries.c.source_id)
                .join(articles, articles.c.id == removed_blocks.c.article_id)
                .join(entries, entries.c.id == articles.c.entry_id)
                .where(removed_blocks.c.id == removed_id)
            ).first()
            if row is None:
                raise NotFound(f"removed block {removed_id}: no such block")
            exists = conn.execute(
                select(allowed_blocks.c.id).where(
                    and_(allowed_blocks.c.source_id == row.source_id,
                         allowed_blocks.c.block_key == row.block_key)
                )
            ).first()  # fmt: skip
            if exists is None:
                conn.execute(
                    insert(allowed_blocks).values(
                        source_id=row.source_id, block_key=row.block_key, text=row.text,
                        created_at=utcnow(),
                    )
                )  # fmt: skip
            affected = (
                select(articles.c.entry_id)
                .join(removed_blocks, removed_blocks.c.article_id == articles.c.id)
                .where(removed_blocks.c.block_key == row.block_key)
            )
            again = conn.execute(
                sql_update(entries)
                .where(entries.c.id.in_(affected))
                .where(entries.c.source_id == row.source_id)
                .values(status=EntryStatus.FETCHED.value, updated_at=utcnow())
            ).rowcount
            self._log(conn, "extract", "source", row.source_id, Outcome.OK, "block_allowed",
                      row.text[:200])  # fmt: skip
        return {"text": row.text, "source_id": row.source_id, "articles_requeued": again}

    def drop_entry(
        self, entry_id: int, stage: str, reason: str, detail: str, *,
        expected: Collection[EntryStatus] | None = None,
    ) -> None:  # fmt: skip
        """Mark an entry as an expected rejection, with its reason code."""
        with self._tx() as conn:
            self._move(conn, entry_id, EntryStatus.DROPPED, reason, detail, expected=expected)
            self._log(conn, stage, "entry", entry_id, Outcome.DROPPED, reason, detail)

    def fail_entry(
        self, entry_id: int, stage: str, reason: str, detail: str, *, retry_in: timedelta,
        expected: Collection[EntryStatus] | None = None,
    ) -> None:  # fmt: skip
        """Mark an entry as failed; it is retried after ``retry_in`` by a later run."""
        with self._tx() as conn:
            self._move(conn, entry_id, EntryStatus.FAILED, reason, detail, expected=expected)
            conn.execute(
                sql_update(entries)
                .where(entries.c.id == entry_id)
                .values(attempts=entries.c.attempts + 1, next_attempt_at=utcnow() + retry_in)
            )
            self._log(conn, stage, "entry", entry_id, Outcome.FAILED, reason, detail)

    def _move(
        self,
        conn: Connection,
        entry_id: int,
        status: EntryStatus,
        reason: str | None = None,
        detail: str | None = None,
        *,
        expected: Collection[EntryStatus] | None = None,
    ) -> None:
        """Move an entry to ``status``; with ``expected``, only from one of those (else raise
        Stale, and the transaction is rolled back)."""
        query = sql_update(entries).where(entries.c.id == entry_id)
        if expected is not None:
            query = query.where(entries.c.status.in_([s.value for s in expected]))
        done = conn.execute(
            query.values(status=status.value, reason=reason, detail=detail, updated_at=utcnow())
        )
        if done.rowcount == 0 and expected is not None:
            raise Stale(f"entry {entry_id} is no longer {' or '.join(map(str, expected))}")

    # stories -------------------------------------------------------------------------------

    def article_to_file(self, article_id: int) -> dict[str, Any]:
        """An article as near-duplicate detection reads it: its text, time and current story."""
        query = (
            select(articles.c.id, articles.c.title, articles.c.body_html,
                   articles.c.extracted_at, articles.c.story_id, articles.c.signature)
            .where(articles.c.id == article_id)
        )  # fmt: skip
        with self._tx() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound(f"article {article_id}: no such article")
        return dict(row._mapping) | {"text": story_text(row.title, row.body_html)}

    def story_of(self, article_id: int) -> int | None:
        """The story an article belongs to."""
        with self._tx() as conn:
            return conn.execute(
                select(articles.c.story_id).where(articles.c.id == article_id)
            ).scalar_one_or_none()

    def signatures_since(self, since: datetime) -> list[tuple[str, bytes, datetime]]:
        """(article id, signature, time) of every signed article since ``since``."""
        query = (
            select(articles.c.id, articles.c.signature, articles.c.signed_at)
            .where(articles.c.signature.is_not(None))
            .where(articles.c.signed_at >= since)
            .order_by(articles.c.signed_at, articles.c.id)
        )
        with self._tx() as conn:
            return [(str(r.id), bytes(r.signature), r.signed_at) for r in conn.execute(query)]

    def article_text(self, article_id: int) -> str | None:
        """The headline and body text of an article, as near-duplicate detection reads it."""
        with self._tx() as conn:
            row = conn.execute(
                select(articles.c.title, articles.c.body_html).where(articles.c.id == article_id)
            ).first()
        return None if row is None else story_text(row.title, row.body_html)

    def file_article(
        self,
        article_id: int,
        signature: bytes,
        when: datetime,
        *,
        story_id: int | None,
        relation: str,
        choose: Callable[[list[dict[str, Any]]], int] | None = None,
    ) -> int:
        """Store an article's signature and file it in a story, in one transaction: in
        ``story_id``'s (a ``duplicate``), in its own story (an ``update`` keeps the one it has),
        or in a new one; then, for a duplicate, make ``choose(members)`` the story's translated
        article (the previous one's translations are withdrawn). Return the story id; raise
        Stale when the article was filed meanwhile."""
        with self._tx() as conn:
            current = conn.execute(
                select(articles.c.story_id).where(articles.c.id == article_id)
            ).scalar_one()
            story_id = story_id or current
            if story_id is None:
                key = conn.execute(
                    insert(stories).values(article_id=article_id, created_at=utcnow())
                ).inserted_primary_key
                story_id = int(key[0]) if key else 0
            done = conn.execute(
                sql_update(articles)
                .where(articles.c.id == article_id, articles.c.signature.is_(None))
                .values(signature=signature, signed_at=when, story_id=story_id)
            )
            if done.rowcount == 0:
                raise Stale(f"article {article_id} was filed meanwhile")
            outcome = Outcome.DROPPED if relation == "duplicate" else Outcome.OK
            self._log(conn, "dedupe", "article", article_id, outcome, relation,
                      f"story {story_id}")  # fmt: skip
            _forget(conn, "dedupe", "article", article_id)
            if choose is not None:
                self._choose(conn, story_id, choose(self._members(conn, story_id)))
        return story_id

    def story_members(self, story_id: int) -> list[dict[str, Any]]:
        """The articles of a story, with the source and time the choice of representative uses."""
        with self._tx() as conn:
            return self._members(conn, story_id)

    def _members(self, conn: Connection, story_id: int) -> list[dict[str, Any]]:
        query = (
            select(articles.c.id, articles.c.signed_at, sources.c.name.label("source"),
                   sources.c.license, sources.c.republish, entries.c.url)
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .where(articles.c.story_id == story_id)
            .order_by(articles.c.signed_at, articles.c.id)
        )  # fmt: skip
        return [dict(row._mapping) for row in conn.execute(query)]

    def representative(self, story_id: int) -> int:
        """The id of the article of a story that is translated and credited."""
        with self._tx() as conn:
            return int(
                conn.execute(
                    select(stories.c.article_id).where(stories.c.id == story_id)
                ).scalar_one()
            )

    def _choose(self, conn: Connection, story_id: int, article_id: int) -> None:
        """Make ``article_id`` the story's translated article; the previous one's translations
        are withdrawn, and the new one is translated next."""
        previous = conn.execute(
            select(stories.c.article_id).where(stories.c.id == story_id)
        ).scalar_one()
        if previous == article_id:
            return
        _delete_translations(conn, previous)
        conn.execute(
            sql_update(stories).where(stories.c.id == story_id).values(article_id=article_id)
        )
        self._log(conn, "dedupe", "story", story_id, Outcome.OK, "representative",
                  f"article {previous} -> {article_id}")  # fmt: skip

    # translations --------------------------------------------------------------------------

    def articles_to_translate(
        self, article_ids: Collection[int]
    ) -> dict[int, tuple[Article, str, str]]:
        """Articles by id, with their source's language and name."""
        query = (
            select(
                articles,
                sources.c.language.label("source_language"),
                sources.c.name.label("source_name"),
            )
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .where(articles.c.id.in_(list(article_ids)))
        )
        with self._tx() as conn:
            rows = conn.execute(query).all()
        return {row.id: (_article(row), row.source_language, row.source_name) for row in rows}

    def save_translation(self, article_id: int, translation: Translation) -> int:
        """Store a translation of an article; return its id."""
        values = asdict(translation)
        usage = values.pop("usage").values()
        values |= {"article_id": article_id, "created_at": utcnow(),
                   "marks": json.dumps(values["marks"], ensure_ascii=False)}  # fmt: skip
        values |= dict(zip(USAGE_COLUMNS, usage, strict=True))
        chosen = select(stories.c.id).where(stories.c.article_id == article_id)
        try:
            with self._tx() as conn:
                if conn.execute(chosen).first() is None:
                    raise Stale(f"article {article_id} is no longer its story's chosen article")
                key = conn.execute(insert(translations).values(**values)).inserted_primary_key
                translation_id = int(key[0]) if key else 0
                _forget(conn, "translate", f"article:{translation.language}", article_id)
                self._log(
                    conn, "translate", "translation", translation_id, Outcome.OK, None,
                    f"article {article_id} -> {translation.language} with {translation.engine}",
                )  # fmt: skip
        except IntegrityError:
            raise Stale(f"article {article_id} was translated into {translation.language} "
                        "meanwhile") from None  # fmt: skip
        return translation_id

    def translation_to_check(self, translation_id: int) -> tuple[Translation, Article, str]:
        """A translation, its source article and the source's name."""
        query = (
            select(
                *[c.label(f"t_{c.name}") for c in translations.c],
                articles,
                sources.c.name.label("source_name"),
            )
            .join(articles, articles.c.id == translations.c.article_id)
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .where(translations.c.id == translation_id)
        )
        with self._tx() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound(f"translation {translation_id}: no such translation")
        return _translation(row), _article(row), row.source_name

    def save_verdict(self, translation_id: int, verdict: Verdict) -> None:
        """Store the checks' verdict on a translation."""
        findings = json.dumps([asdict(f) for f in verdict.findings])
        try:
            self._save_verdict(translation_id, verdict, findings)
        except IntegrityError:
            raise Stale(f"translation {translation_id} was checked meanwhile") from None

    def _save_verdict(self, translation_id: int, verdict: Verdict, findings: str) -> None:
        with self._tx() as conn:
            _forget(conn, "check", "translation", translation_id)
            conn.execute(
                insert(verdicts).values(
                    translation_id=translation_id,
                    decision=verdict.decision.value,
                    findings=findings,
                    created_at=utcnow(),
                )
            )
            reason = verdict.findings[0].kind if verdict.findings else None
            outcome = {
                Decision.PUBLISH: Outcome.OK,
                Decision.HOLD: Outcome.HELD,
                Decision.REJECT: Outcome.DROPPED,
            }[verdict.decision]
            self._log(conn, "check", "translation", translation_id, outcome, reason,
                      verdict.decision.value)  # fmt: skip

    def record_failure(
        self,
        stage: str,
        item_type: str,
        item_id: int,
        reason: str,
        detail: str,
        *,
        retry_in: timedelta,
    ) -> None:
        """Record a failure of ``stage`` on an item that keeps its place; it is tried again
        after ``retry_in`` (see :meth:`failing`)."""
        now = utcnow()
        key = and_(failures.c.stage == stage, failures.c.item_type == item_type,
                   failures.c.item_id == item_id)  # fmt: skip
        with self._tx() as conn:
            values = {"reason": reason, "detail": detail, "failed_at": now,
                      "next_attempt_at": now + retry_in}  # fmt: skip
            done = conn.execute(
                sql_update(failures).where(key).values(attempts=failures.c.attempts + 1, **values)
            )
            if done.rowcount == 0:
                row = {"stage": stage, "item_type": item_type, "item_id": item_id}
                conn.execute(insert(failures).values(attempts=1, **row, **values))
            self._log(conn, stage, item_type, item_id, Outcome.FAILED, reason, detail)

    def failures_waiting(
        self, stage: str, item_type: str, now: datetime, max_attempts: int
    ) -> set[int]:
        """The items of ``stage`` whose failure makes them wait at ``now``."""
        query = select(failures.c.item_id).where(
            failures.c.stage == stage, failures.c.item_type == item_type,
            (failures.c.next_attempt_at > now) | (failures.c.attempts >= max_attempts),
        )  # fmt: skip
        with self._tx() as conn:
            return set(conn.execute(query).scalars())

    def attempts(self, stage: str, item_type: str, item_id: int) -> int:
        """How many times ``stage`` failed on an item since it last went through."""
        query = select(failures.c.attempts).where(
            failures.c.stage == stage, failures.c.item_type == item_type,
            failures.c.item_id == item_id,
        )  # fmt: skip
        with self._tx() as conn:
            return int(conn.execute(query).scalar_one_or_none() or 0)

    def clear_failure(self, stage: str, item_type: str, item_id: int) -> None:
        """Forget the failures of an item that has now gone through ``stage``."""
        with self._tx() as conn:
            _forget(conn, stage, item_type, item_id)

    def held(self, *, monitored: bool = False) -> list[dict[str, Any]]:
        """Translations held for review, oldest first, with their findings' kinds; with
        ``monitored``, instead the checked translations of sources in monitor mode (not
        licensed for republishing: read here, never published), with their decision."""
        query = (
            select(
                translations.c.id, translations.c.language, translations.c.title,
                entries.c.url, verdicts.c.findings, verdicts.c.created_at, verdicts.c.decision,
                sources.c.name.label("source"),
            )
            .join(verdicts, verdicts.c.translation_id == translations.c.id)
            .join(articles, articles.c.id == translations.c.article_id)
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .where(sources.c.republish.is_(False) if monitored
                   else verdicts.c.decision == Decision.HOLD.value)
            .order_by(verdicts.c.created_at, translations.c.id)
        )  # fmt: skip
        with self._tx() as conn:
            rows = conn.execute(query).all()
        return [
            {"id": row.id, "language": row.language, "title": row.title, "url": row.url,
             "source": row.source, "decision": row.decision,
             "kinds": sorted({f["kind"] for f in json.loads(row.findings)}),
             "held_at": row.created_at.isoformat(timespec="seconds")}
            for row in rows
        ]  # fmt: skip

    def translation(self, translation_id: int) -> tuple[Translation, Article]:
        """A translation and its source article."""
        query = (
            select(*[c.label(f"t_{c.name}") for c in translations.c], articles)
            .join(articles, articles.c.id == translations.c.article_id)
            .where(translations.c.id == translation_id)
        )
        with self._tx() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound(f"translation {translation_id}: no such translation")
        return _translation(row), _article(row)

    def review(
        self,
        translation_id: int,
        decision: Decision,
        *,
        title: str | None = None,
        body_html: str | None = None,
    ) -> None:
        """Record a person's decision on a translation, with their edit of it if they made one."""
        with self._tx() as conn:
            found = conn.execute(
                sql_update(verdicts)
                .where(verdicts.c.translation_id == translation_id)
                .values(decision=decision.value, created_at=utcnow())
            ).rowcount
            if not found:
                raise NotFound(f"translation {translation_id}: nothing to review")
            edited = {k: v for k, v in (("title", title), ("body_html", body_html)) if v}
            if edited:
                conn.execute(
                    sql_update(translations)
                    .where(translations.c.id == translation_id)
                    .values(**edited)
                )
            conn.execute(
                delete(publications).where(publications.c.translation_id == translation_id)
            )
            self._log(conn, "review", "translation", translation_id, Outcome.OK,
                      "edited" if edited else None, decision.value)  # fmt: skip

    def verdict(self, translation_id: int) -> Verdict | None:
        """The verdict on a translation, if it was checked."""
        with self._tx() as conn:
            row = conn.execute(
                select(verdicts).where(verdicts.c.translation_id == translation_id)
            ).first()
        if row is None:
            return None
        found = tuple(Finding(**f) for f in json.loads(row.findings))
        return Verdict(Decision(row.decision), found)

    # publications --------------------------------------------------------------------------

    def stories(self, *, language: str | None = None, unpublished: bool = False) -> list[StoryView]:
        """Translations cleared for publishing, newest first; optionally only unpublished ones.
        A source not licensed for republishing (monitor mode) has none: its stories are
        translated and checked for a person to read, never published or pushed."""
        query = (
            select(
                translations.c.id.label("translation_id"),
                translations.c.article_id,
                articles.c.story_id,
                translations.c.language,
                translations.c.title,
                translations.c.body_html,
                translations.c.standfirst,
                translations.c.image_caption,
                translations.c.engine,
                translations.c.source_language,
                translations.c.created_at,
                articles.c.title.label("original_title"),
                entries.c.url.label("original_url"),
                sources.c.name.label("source_name"),
                sources.c.license,
                sources.c.attribution,
                articles.c.meta,
                stories.c.created_at.label("published_at"),
                articles.c.updated_at,
                entries.c.removed_at,
                entries.c.removal,
            )
            .join(articles, articles.c.id == translations.c.article_id)
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .join(stories, stories.c.id == articles.c.story_id)
            .join(verdicts, verdicts.c.translation_id == translations.c.id)
            .where(verdicts.c.decision == Decision.PUBLISH.value, sources.c.republish.is_(True))
            .order_by(translations.c.created_at.desc(), translations.c.id.desc())
        )
        if language is not None:
            query = query.where(translations.c.language == language)
        if unpublished:
            query = query.where(translations.c.id.not_in(select(publications.c.translation_id)))
        with self._tx() as conn:
            rows = conn.execute(query).all()
            also = self._also_reported(
                conn, {row.story_id for row in rows}, {row.article_id for row in rows}
            )
        return [_story_view(row, also.get(row.story_id, ())) for row in rows]

    def _also_reported(
        self, conn: Connection, story_ids: set[int], shown: set[int]
    ) -> dict[int, tuple[tuple[str, str], ...]]:
        rows = conn.execute(
            select(articles.c.story_id, sources.c.name, entries.c.url)
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .where(articles.c.story_id.in_(story_ids))
            .where(articles.c.id.not_in(shown))
            .order_by(articles.c.signed_at, articles.c.id)
        ).all()
        found: dict[int, list[tuple[str, str]]] = {}
        for row in rows:
            found.setdefault(row.story_id, []).append((row.name, row.url))
        return {k: tuple(v) for k, v in found.items()}

    def save_publication(self, translation_id: int, path: str, url: str) -> None:
        """Record that a translation's page was written."""
        with self._tx() as conn:
            conn.execute(
                insert(publications).values(
                    translation_id=translation_id, path=path, url=url, published_at=utcnow()
                )
            )
            self._log(conn, "publish", "translation", translation_id, Outcome.OK, None, path)

    # deliveries to push targets ------------------------------------------------------------

    def deliveries(self, target: str) -> dict[tuple[int, str], DeliveryRecord]:
        """What ``target`` last received of each story, by (story id, language)."""
        with self._tx() as conn:
            rows = conn.execute(select(deliveries).where(deliveries.c.target == target)).all()
        return {
            (row.story_id, row.language): DeliveryRecord(
                target=row.target, story_id=row.story_id, language=row.language,
                remote_id=row.remote_id, state=row.state, version=row.version,
                attempts=row.attempts, next_attempt_at=row.next_attempt_at,
            )
            for row in rows
        }  # fmt: skip

    def save_delivery(
        self, record: DeliveryRecord, *, translation_id: int | None, detail: str = ""
    ) -> None:
        """Record that ``record.target`` received ``record.version`` of a story in a language
        (``record`` carries the state and the target's id); its failures are cleared."""
        now = utcnow()
        with self._tx() as conn:
            row_id = self._delivery_row(conn, record, now)
            conn.execute(
                sql_update(deliveries).where(deliveries.c.id == row_id).values(
                    translation_id=translation_id, remote_id=record.remote_id,
                    state=record.state, version=record.version, attempts=0, reason=None,
                    last_error=None, next_attempt_at=None, delivered_at=now, updated_at=now,
                )
            )  # fmt: skip
            self._log(conn, "push", "story", record.story_id, Outcome.OK, record.state,
                      f"{record.target} {record.language}: {detail}".rstrip(": "))  # fmt: skip

    def fail_delivery(
        self, record: DeliveryRecord, *, translation_id: int | None, reason: str, detail: str,
        retry_in: timedelta,
    ) -> None:  # fmt: skip
        """Record a failed delivery; a run after ``retry_in`` tries again. What the target last
        received stays as it was."""
        now = utcnow()
        with self._tx() as conn:
            row_id = self._delivery_row(conn, record, now)
            conn.execute(
                sql_update(deliveries).where(deliveries.c.id == row_id).values(
                    translation_id=translation_id, attempts=deliveries.c.attempts + 1,
                    reason=reason, last_error=detail, next_attempt_at=now + retry_in,
                    updated_at=now,
                )
            )  # fmt: skip
            self._log(conn, "push", "story", record.story_id, Outcome.FAILED, reason,
                      f"{record.target} {record.language}: {detail}")  # fmt: skip

    def _delivery_row(self, conn: Connection, record: DeliveryRecord, now: datetime) -> int:
        """The id of the delivery row of (target, story, language), inserted when missing."""
        key = (deliveries.c.target == record.target, deliveries.c.story_id == record.story_id,
               deliveries.c.language == record.language)  # fmt: skip
        found = conn.execute(select(deliveries.c.id).where(*key)).scalar_one_or_none()
        if found is not None:
            return int(found)
        inserted = conn.execute(
            insert(deliveries).values(
                target=record.target, story_id=record.story_id, language=record.language,
                attempts=0, created_at=now, updated_at=now,
            )
        ).inserted_primary_key  # fmt: skip
        return int(inserted[0]) if inserted else 0

    # translation memory --------------------------------------------------------------------

    def recall(self, keys: Sequence[str]) -> dict[str, str]:
        """Stored translations of the segments with these keys (those that have one)."""
        found: dict[str, str] = {}
        with self._tx() as conn:
            for start in range(0, len(keys), 500):
                query = select(segments.c.key, segments.c.translation).where(
                    segments.c.key.in_(keys[start : start + 500])
                )
                found.update({row.key: row.translation for row in conn.execute(query)})
        return found

    def remember(self, translated: Sequence[TranslatedSegment]) -> None:
        """Keep translated segments; a key already stored keeps its translation."""
        rows = {item.key: asdict(item) | {"created_at": utcnow()} for item in translated}
        with self._tx() as conn:
            for start in range(0, len(rows), 500):
                batch = list(rows)[start : start + 500]
                have = set(conn.scalars(select(segments.c.key).where(segments.c.key.in_(batch))))
                new = [rows[key] for key in batch if key not in have]
                if new:
                    conn.execute(insert(segments), new)

    def memory_size(self) -> int:
        """How many segments the translation memory holds."""
        with self._tx() as conn:
            return int(conn.execute(select(func.count()).select_from(segments)).scalar_one())

    # robots.txt ----------------------------------------------------------------------------

    def robots_rules(self, origin: str, *, since: datetime) -> str | None:
        """The robots.txt of ``origin`` if it was fetched after ``since``."""
        with self._tx() as conn:
            return conn.execute(
                select(robots.c.rules).where(
                    robots.c.origin == origin, robots.c.fetched_at >= since
                )
            ).scalar_one_or_none()

    def save_robots(self, origin: str, rules: str) -> None:
        """Keep the robots.txt of ``origin``, replacing an older copy."""
        with self._tx() as conn:
            conn.execute(delete(robots).where(robots.c.origin == origin))
            conn.execute(insert(robots).values(origin=origin, rules=rules, fetched_at=utcnow()))

    # reporting -----------------------------------------------------------------------------

    def status_counts(self) -> dict[str, Any]:
        """Counts per stage and language, and the items being worked on per stage, for
        ``newsrelay status``."""
        with self._tx() as conn:
            by_status: dict[str, int] = dict(
                conn.execute(
                    select(entries.c.status, func.count()).group_by(entries.c.status)
                ).all()
            )
            by_verdict = conn.execute(
                select(translations.c.language, verdicts.c.decision, func.count())
                .join(verdicts, verdicts.c.translation_id == translations.c.id, isouter=True)
                .group_by(translations.c.language, verdicts.c.decision)
            ).all()
            published: dict[str, int] = dict(
                conn.execute(
                    select(translations.c.language, func.count())
                    .join(publications, publications.c.translation_id == translations.c.id)
                    .group_by(translations.c.language)
                ).all()
            )
        languages: dict[str, dict[str, int]] = {}
        for language, decision, count in by_verdict:
            counts = languages.setdefault(language, {"translated": 0, "published": 0})
            counts["translated"] += count
            counts[decision or "unchecked"] = count
        for language, count in published.items():
            languages.setdefault(language, {"translated": 0})["published"] = count
        counts = self.row_counts()
        return {"entries": {s.value: by_status.get(s.value, 0) for s in EntryStatus},
                "stories": {"stories": counts["stories"], "articles": counts["articles"]},
                "languages": languages, "working": self.leased()}  # fmt: skip

    def source_health(self) -> list[dict[str, Any]]:
        """Per source: last poll and last good poll, entries in, stories published and held,
        failing since when (the first failure since the last good poll), and the last error;
        times in ISO 8601 with their zone (UTC)."""
        polls = (
            select(events.c.item_id, events.c.outcome, func.max(events.c.at).label("last"),
                   func.min(events.c.at).label("first"))
            .where(events.c.stage == "poll", events.c.item_type == "source")
            .group_by(events.c.item_id, events.c.outcome)
        )  # fmt: skip
        per_entry = (
            select(entries.c.source_id, func.count(func.distinct(entries.c.id)).label("n"))
            .group_by(entries.c.source_id)
        )  # fmt: skip
        story_rows = (
            select(entries.c.source_id, verdicts.c.decision, func.count().label("n"))
            .join(articles, articles.c.entry_id == entries.c.id)
            .join(translations, translations.c.article_id == articles.c.id)
            .join(verdicts, verdicts.c.translation_id == translations.c.id)
            .group_by(entries.c.source_id, verdicts.c.decision)
        )  # fmt: skip
        published_rows = (
            select(entries.c.source_id, func.count().label("n"))
            .join(articles, articles.c.entry_id == entries.c.id)
            .join(translations, translations.c.article_id == articles.c.id)
            .join(publications, publications.c.translation_id == translations.c.id)
            .group_by(entries.c.source_id)
        )  # fmt: skip
        with self._tx() as conn:
            rows = conn.execute(select(sources).order_by(sources.c.name)).all()
            poll = {(r.item_id, r.outcome): r for r in conn.execute(polls)}
            counts: dict[int, int] = {r.source_id: r.n for r in conn.execute(per_entry)}
            decided = {(r.source_id, r.decision): r.n for r in conn.execute(story_rows)}
            published: dict[int, int] = {r.source_id: r.n for r in conn.execute(published_rows)}
            failing: dict[int, tuple[datetime | None, datetime | None]] = {}
            for row in rows:
                good = [poll[k].last for k in ((row.id, "ok"), (row.id, "skipped")) if k in poll]
                since = max(good) if good else None
                query = select(func.min(events.c.at)).where(
                    events.c.stage == "poll", events.c.item_type == "source",
                    events.c.item_id == row.id, events.c.outcome == Outcome.FAILED.value,
                    *( [events.c.at > since] if since else [] ),
                )  # fmt: skip
                failing[row.id] = (since, conn.execute(query).scalar())
        return [
            {"source": row.name, "url": row.url, "republish": row.republish,
             "last_poll": _iso(row.last_polled_at), "last_success": _iso(failing[row.id][0]),
             "failing_since": _iso(failing[row.id][1]) if row.error_count else None,
             "errors_in_a_row": row.error_count, "last_error": row.last_error,
             "entries": counts.get(row.id, 0), "published": published.get(row.id, 0),
             "held": decided.get((row.id, Decision.HOLD.value), 0),
             "license": row.license, "rights": row.rights}
            for row in rows
        ]  # fmt: skip

    def feed_rights(self) -> dict[str, str | None]:
        """What each source's feed last stated about reuse, by source name."""
        with self._tx() as conn:
            rows = conn.execute(select(sources.c.name, sources.c.rights))
            return {r.name: r.rights for r in rows}

    def metrics_snapshot(self) -> dict[str, Any]:
        """What ``newsrelay metrics`` reports: the status counts, per source health, holds by
        finding kind, failures by stage and reason, and the age of the oldest waiting item."""
        failed = (
            select(events.c.stage, events.c.reason, func.count().label("n"))
            .where(events.c.outcome == Outcome.FAILED.value)
            .group_by(events.c.stage, events.c.reason)
        )
        waiting = (
            select(entries.c.status, func.min(entries.c.updated_at).label("oldest"))
            .where(entries.c.status.in_([EntryStatus.PENDING.value, EntryStatus.FETCHED.value]))
            .group_by(entries.c.status)
        )
        with self._tx() as conn:
            failures = {(r.stage, r.reason or "unknown"): r.n for r in conn.execute(failed)}
            oldest = {r.status: r.oldest for r in conn.execute(waiting)}
            usage = [dict(r._mapping) for r in conn.execute(self._usage_query())]
        now = utcnow()
        stage_of = {EntryStatus.PENDING.value: "fetch", EntryStatus.FETCHED.value: "extract"}
        holds: dict[str, int] = {}
        for row in self.held():
            for kind in row["kinds"]:
                holds[kind] = holds.get(kind, 0) + 1
        return self.status_counts() | {
            "sources": self.source_health(),
            "holds_by_kind": holds,
            "failures": failures,
            "queue_ages": {
                stage_of[s]: (now - when).total_seconds() for s, when in oldest.items() if when
            },
            "engine_usage": usage,
        }

    def engine_usage(self, days: int = 7) -> list[dict[str, Any]]:
        """What the engines were asked per source, engine and day (UTC) over the last
        ``days`` days: translations, characters in and out, segments sent and recalled from
        the memory, seconds."""
        day = func.date(translations.c.created_at).label("day")
        since = utcnow() - timedelta(days=days)
        query = (
            self._usage_query(day)
            .where(translations.c.created_at >= since)
            .order_by(day.desc(), "source", "engine")
        )
        with self._tx() as conn:
            return [dict(r._mapping) | {"day": str(r.day)} for r in conn.execute(query)]

    def _usage_query(self, *by: Any) -> Any:
        """Usage sums per source and engine (and whatever else ``by`` groups on)."""
        keys = [sources.c.name.label("source"), translations.c.engine, *by]
        return (
            select(
                *keys,
                func.count().label("translations"),
                *[func.coalesce(func.sum(translations.c[c]), 0).label(c) for c in USAGE_COLUMNS],
            )
            .select_from(translations)
            .join(articles, articles.c.id == translations.c.article_id)
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .group_by(*keys)
        )

    def problems(self, limit: int = 20) -> list[dict[str, Any]]:
        """The newest failures and drops, each with its reason code and the URL concerned."""
        return self._recent_events(events.c.outcome.in_([o.value for o in PROBLEMS]), limit)

    def changes(self, limit: int = 20) -> list[dict[str, Any]]:
        """The newest updates and removals of published stories by their sources."""
        return self._recent_events(events.c.reason.in_(SOURCE_CHANGES), limit)

    def _recent_events(self, condition: Any, limit: int) -> list[dict[str, Any]]:
        """The newest events that meet ``condition``, with the URL or source they concern."""
        query = (
            select(events, entries.c.url, sources.c.name.label("source"))
            .join(
                entries,
                and_(events.c.item_type == "entry", entries.c.id == events.c.item_id),
                isouter=True,
            )
            .join(
                sources,
                and_(events.c.item_type == "source", sources.c.id == events.c.item_id),
                isouter=True,
            )
            .where(condition)
            .order_by(events.c.id.desc())
            .limit(limit)
        )
        with self._tx() as conn:
            rows = conn.execute(query).all()
        return [
            {
                "at": row.at.isoformat(timespec="seconds"),
                "stage": row.stage,
                "outcome": row.outcome,
                "reason": row.reason,
                "item": row.url or row.source or f"{row.item_type} {row.item_id}",
                "detail": row.detail,
            }
            for row in rows
        ]

    def row_counts(self) -> dict[str, int]:
        """Rows per table; tests and ``status --json`` use it to show nothing was duplicated."""
        with self._tx() as conn:
            return {
                t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in metadata.sorted_tables
            }


def _engine_options(url: str) -> dict[str, Any]:
    if url.startswith("sqlite"):
        return {"connect_args": {"timeout": 30}}
    return {"pool_pre_ping": True}


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _iso(when: datetime | None) -> str | None:
    """A stored time (UTC, naive) in ISO 8601 with its zone."""
    return when.replace(tzinfo=UTC).isoformat(timespec="seconds") if when else None


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _redact(url: str) -> str:
    """A database URL without its password, for messages."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "database URL"


def _replace(conn: Connection, table: Any, entry_id: int, values: dict[str, Any]) -> int:
    """Insert or update the row of ``table`` that belongs to ``entry_id``; return its id."""
    found = conn.execute(select(table.c.id).where(table.c.entry_id == entry_id)).first()
    if found is None:
        key = conn.execute(insert(table).values(entry_id=entry_id, **values)).inserted_primary_key
        return int(key[0]) if key else 0
    conn.execute(sql_update(table).where(table.c.id == found.id).values(**values))
    return int(found.id)


def _forget(conn: Connection, stage: str, item_type: str, item_id: int) -> None:
    """Forget the failures of an item that went through ``stage``."""
    conn.execute(delete(failures).where(
        failures.c.stage == stage, failures.c.item_type == item_type,
        failures.c.item_id == item_id,
    ))  # fmt: skip


def _delete_translations(conn: Connection, article_id: int) -> None:
    ids = select(translations.c.id).where(translations.c.article_id == article_id)
    conn.execute(delete(publications).where(publications.c.translation_id.in_(ids)))
    conn.execute(delete(verdicts).where(verdicts.c.translation_id.in_(ids)))
    conn.execute(delete(translations).where(translations.c.article_id == article_id))


def _published_articles() -> Any:
    """The ids of articles with a published translation."""
    return select(translations.c.article_id).join(
        publications, publications.c.translation_id == translations.c.id
    )


def _page(row: Any, prefix: str = "") -> Page:
    def get(name: str) -> Any:
        return getattr(row, prefix + name)

    return Page(get("url"), get("status_code"), get("content_type"), get("html"),
                get("encoding"), get("etag"), get("last_modified"))  # fmt: skip


def _entry(row: Any) -> Entry:
    return Entry(
        id=row.id,
        source_id=row.source_id,
        guid=row.guid,
        url=row.url,
        title=row.title,
        status=EntryStatus(row.status),
        reason=row.reason,
        attempts=row.attempts,
    )


def _metadata(text: str) -> Metadata:
    data: dict[str, Any] = json.loads(text)
    for key in ("authors", "tags"):
        data[key] = tuple(data.get(key, ()))
    return Metadata(**data)


def _article(row: Any) -> Article:
    return Article(
        title=row.title,
        body_html=row.body_html,
        url=row.url,
        language=row.language,
        meta=_metadata(row.meta),
    )


def _story_view(row: Any, also: tuple[tuple[str, str], ...]) -> StoryView:
    """A story row, with the translated standfirst and caption in its metadata."""
    values = row._asdict()
    standfirst, caption = values.pop("standfirst"), values.pop("image_caption")
    meta = _metadata(row.meta)
    translated = standfirst is not None or caption is not None
    if translated:
        meta = replace(meta, standfirst=standfirst, image_caption=caption)
    return StoryView(
        **(values | {"meta": meta, "also_reported_by": also, "translated_meta": translated})
    )


USAGE_COLUMNS = ("chars_in", "chars_out", "segments_sent", "segments_recalled", "engine_seconds")


def _translation(row: Any) -> Translation:
    return Translation(
        language=row.t_language,
        source_language=row.t_source_language,
        engine=row.t_engine,
        title=row.t_title,
        body_html=row.t_body_html,
        standfirst=row.t_standfirst,
        image_caption=row.t_image_caption,
        usage=Usage(*(row._mapping[f"t_{name}"] for name in USAGE_COLUMNS)),
        marks=tuple((int(i), str(w)) for i, w in json.loads(row.t_marks or "[]")),
    )
