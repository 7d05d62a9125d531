"""Reporting: status, health, metrics, usage and the recent problems."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select

from newsrelay.model import Decision, EntryStatus, Outcome
from newsrelay.store.db import _iso, utcnow
from newsrelay.store.rows import USAGE_COLUMNS
from newsrelay.store.schema import (
    articles,
    entries,
    events,
    metadata,
    publications,
    sources,
    translations,
    verdicts,
)
from newsrelay.store.translations import TranslationsStore
from newsrelay.store.work import WorkStore

PROBLEMS = (Outcome.FAILED, Outcome.DROPPED, Outcome.HELD)  # listed by ``newsrelay status``
SOURCE_CHANGES = ("updated", "source_gone", "source_retracted")  # ... and these reasons too


class ReportingStore(TranslationsStore, WorkStore):
    """Reporting: status, health, metrics, usage and the recent problems (it reads every part
    of the store, the held translations and the leases included)."""

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
        ``days`` days (with the model, where the engine has several): translations, characters
        and tokens in and out, segments sent and recalled from the memory, seconds."""
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
        keys = [sources.c.name.label("source"), translations.c.engine, translations.c.model, *by]
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
                "item": row.url
                or row.source
                or " ".join(str(part) for part in (row.item_type, row.item_id) if part is not None),
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
