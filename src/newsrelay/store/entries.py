"""Entries: each story a feed listed, its page, its article, and the rechecks of published
ones."""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, select
from sqlalchemy import update as sql_update

from newsrelay.errors import NotFound, Stale
from newsrelay.markup import block_key
from newsrelay.model import Article, Entry, EntryStatus, Outcome, Page
from newsrelay.store.db import Database, utcnow
from newsrelay.store.rows import _delete_translations, _entry, _page, _published_articles, _replace
from newsrelay.store.schema import (
    allowed_blocks,
    articles,
    block_sightings,
    entries,
    pages,
    removed_blocks,
    sources,
    stories,
)


class EntriesStore(Database):
    """Entries: each story a feed listed, its page, its article, and the rechecks of published
    ones."""

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
