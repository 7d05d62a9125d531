"""Sources: the configured feeds and sitemaps, their validators and polls."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, replace
from datetime import datetime

from sqlalchemy import Connection, select
from sqlalchemy import update as sql_update

from newsrelay.model import EntryStatus, FeedEntry, Outcome, Source
from newsrelay.store.db import Database, dialect_insert, utcnow
from newsrelay.store.schema import entries, sources

# what the settings say of a source that the store does not keep (read from them at each start)
CONFIG_ONLY = ("id", "paused", "engine", "languages", "poll_minutes")


class SourcesStore(Database):
    """Sources: the configured feeds and sitemaps, their validators and polls."""

    def sync_sources(self, configured: Sequence[Source]) -> list[Source]:
        """Insert or update the configured sources; return them with their ids."""
        result = []
        with self._tx() as conn:  # an upsert: workers starting at once sync the same sources
            for source in configured:
                values = {k: v for k, v in asdict(source).items() if k not in CONFIG_ONLY}
                values["keep"] = json.dumps(list(source.keep))
                upsert = dialect_insert(conn, sources).values(**values)
                upsert = upsert.on_conflict_do_update(
                    index_elements=[sources.c.name],
                    set_={name: upsert.excluded[name] for name in values if name != "name"},
                ).returning(sources.c.id)
                result.append(replace(source, id=int(conn.execute(upsert).scalar_one())))
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
        """Store one feed item: ``new``, ``changed`` (its link, title or date changed: it goes
        through again) or ``same``; an insert that yields to one made at the same moment."""
        fresh = dialect_insert(conn, entries).values(
            source_id=source_id, guid=item.guid, url=item.url, title=item.title,
            version=item.version, status=EntryStatus.PENDING.value, attempts=0,
            created_at=now, updated_at=now,
        )  # fmt: skip
        key = [entries.c.source_id, entries.c.guid]
        added = conn.execute(
            fresh.on_conflict_do_nothing(index_elements=key).returning(entries.c.id)
        )
        if added.first() is not None:
            return "new"
        changed = conn.execute(
            sql_update(entries)
            .where(entries.c.source_id == source_id, entries.c.guid == item.guid,
                   entries.c.version != item.version)
            .values(url=item.url, title=item.title, version=item.version,
                    status=EntryStatus.PENDING.value, reason=None, detail=None, attempts=0,
                    next_attempt_at=None, updated_at=now)
            .returning(entries.c.id)
        ).first()  # fmt: skip
        if changed is None:
            return "same"
        self._log(conn, "poll", "entry", changed.id, Outcome.OK, "changed", item.url)
        return "changed"
