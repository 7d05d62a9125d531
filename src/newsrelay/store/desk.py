"""What the desk keeps: the people who review and their roles, their sessions, API tokens, the
audit log of every action, and the dashboard's figures."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError

from newsrelay.errors import ConfigError, NotFound
from newsrelay.store.db import Database, utcnow
from newsrelay.store.schema import (
    api_tokens,
    articles,
    audit,
    desk_sessions,
    entries,
    events,
    failures,
    publications,
    sources,
    translations,
    users,
    verdicts,
)

ROLES = ("editor", "admin")
SCOPES = ("read", "write")


class DeskStore(Database):
    """People, sessions, tokens, the audit log and the dashboard."""

    def add_user(self, name: str, role: str, password_hash: str) -> int:
        """Add a person who may log in to the desk; ConfigError if the name is taken."""
        if role not in ROLES:
            raise ConfigError(f"role {role!r}: expected one of {', '.join(ROLES)}")
        try:
            with self._tx() as conn:
                key = conn.execute(insert(users).values(
                    name=name, role=role, password_hash=password_hash, created_at=utcnow()
                )).inserted_primary_key  # fmt: skip
        except IntegrityError:
            raise ConfigError(f"user {name!r} exists already") from None
        return int(key[0]) if key else 0

    def user(self, name: str) -> dict[str, Any] | None:
        """A person by name: id, name, role and password hash."""
        with self._tx() as conn:
            row = conn.execute(select(users).where(users.c.name == name)).first()
        return dict(row._mapping) if row else None

    def set_password(self, name: str, password_hash: str) -> None:
        """Store a person's new password hash (argon2 parameters changed, or a new password)."""
        with self._tx() as conn:
            conn.execute(users.update().where(users.c.name == name)
                         .values(password_hash=password_hash))  # fmt: skip

    def open_session(self, user_id: int, key_hash: str, csrf: str, expires_at: datetime) -> None:
        """Keep a new session (its key only as a hash)."""
        with self._tx() as conn:
            conn.execute(delete(desk_sessions).where(desk_sessions.c.expires_at < utcnow()))
            conn.execute(insert(desk_sessions).values(
                key_hash=key_hash, user_id=user_id, csrf=csrf, expires_at=expires_at
            ))  # fmt: skip

    def session(self, key_hash: str) -> dict[str, Any] | None:
        """The live session of a key's hash, with its person's name and role."""
        query = (
            select(desk_sessions.c.csrf, users.c.name, users.c.role)
            .join(users, users.c.id == desk_sessions.c.user_id)
            .where(desk_sessions.c.key_hash == key_hash,
                   desk_sessions.c.expires_at > utcnow())
        )  # fmt: skip
        with self._tx() as conn:
            row = conn.execute(query).first()
        return dict(row._mapping) if row else None

    def close_session(self, key_hash: str) -> None:
        """End a session (logging out)."""
        with self._tx() as conn:
            conn.execute(delete(desk_sessions).where(desk_sessions.c.key_hash == key_hash))

    def add_token(self, name: str, scope: str, key_hash: str) -> None:
        """Keep an API token (only its hash)."""
        if scope not in SCOPES:
            raise ConfigError(f"scope {scope!r}: expected one of {', '.join(SCOPES)}")
        with self._tx() as conn:
            conn.execute(insert(api_tokens).values(
                key_hash=key_hash, name=name, scope=scope, created_at=utcnow()
            ))  # fmt: skip

    def token(self, key_hash: str) -> dict[str, Any] | None:
        """An API token's name and scope, by the hash of its key."""
        with self._tx() as conn:
            row = conn.execute(select(api_tokens.c.name, api_tokens.c.scope)
                               .where(api_tokens.c.key_hash == key_hash)).first()  # fmt: skip
        return dict(row._mapping) if row else None

    def record_action(
        self, who: str, action: str, item: str, *, before: str | None = None,
        after: str | None = None,
    ) -> None:  # fmt: skip
        """Add a line to the audit log: who did what to which item, and what it was before
        and after."""
        with self._tx() as conn:
            conn.execute(insert(audit).values(at=utcnow(), who=who, action=action, item=item,
                                              before=before, after=after))  # fmt: skip

    def actions(self, limit: int = 100, item: str | None = None) -> list[dict[str, Any]]:
        """The newest lines of the audit log (of one item, when given)."""
        query = select(audit).order_by(audit.c.id.desc()).limit(limit)
        if item is not None:
            query = query.where(audit.c.item == item)
        with self._tx() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def source_id(self, name: str) -> int:
        """A source's id by name; NotFound if there is none."""
        with self._tx() as conn:
            found = conn.execute(select(sources.c.id).where(sources.c.name == name)).scalar()
        if found is None:
            raise NotFound(f"source {name!r} is not in the store")
        return int(found)

    def recent_fetches(self, name: str, limit: int = 20) -> list[dict[str, Any]]:
        """The newest fetches and extractions of a source's pages: when, outcome, reason, URL."""
        query = (
            select(events.c.at, events.c.stage, events.c.outcome, events.c.reason, entries.c.url)
            .join(entries, entries.c.id == events.c.item_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .where(events.c.item_type == "entry", events.c.stage.in_(["fetch", "extract"]),
                   sources.c.name == name)
            .order_by(events.c.id.desc())
            .limit(limit)
        )  # fmt: skip
        with self._tx() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    def dashboard(self, since: datetime) -> dict[str, Any]:
        """Per source and language since ``since``: stories in (and pages that failed to be
        fetched or extracted), published, held, rejected, and translations that failed (to
        be made, checked or published); failures by stage; the most frequent finding kinds;
        the delay from the source's publication to newsrelay's (median and 95th percentile, in
        minutes)."""
        counts: dict[tuple[str, str], Counter[str]] = {}
        kinds: Counter[str] = Counter()
        delays: list[float] = []
        verdict_rows = (
            select(sources.c.name, translations.c.language, verdicts.c.decision,
                   verdicts.c.findings, verdicts.c.reviewer, entries.c.created_at.label("seen"),
                   articles.c.meta, publications.c.published_at)
            .join(translations, translations.c.id == verdicts.c.translation_id)
            .join(articles, articles.c.id == translations.c.article_id)
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .join(publications, publications.c.translation_id == translations.c.id,
                  isouter=True)
            .where(verdicts.c.created_at >= since)
        )  # fmt: skip
        arrived = (
            select(sources.c.name, func.count())
            .join(entries, entries.c.source_id == sources.c.id)
            .where(entries.c.created_at >= since)
            .group_by(sources.c.name)
        )
        failed = (
            select(failures.c.stage, func.count())
            .where(failures.c.failed_at >= since)
            .group_by(failures.c.stage)
        )
        # a translation that could not be made ("article:es") or checked or published
        translation_failures = (
            select(sources.c.name, failures.c.item_type, translations.c.language)
            .select_from(failures)
            .join(translations, and_(failures.c.item_type == "translation",
                                     translations.c.id == failures.c.item_id), isouter=True)
            .join(articles, articles.c.id == func.coalesce(translations.c.article_id,
                                                           failures.c.item_id))
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .where(failures.c.failed_at >= since,
                   or_(failures.c.item_type == "translation",
                       failures.c.item_type.like("article:%")))
        )  # fmt: skip
        pages_failed = (
            select(sources.c.name, func.count())
            .join(entries, entries.c.source_id == sources.c.id)
            .where(entries.c.status == "failed", entries.c.updated_at >= since)
            .group_by(sources.c.name)
        )
        with self._tx() as conn:
            for row in conn.execute(verdict_rows):
                tally = counts.setdefault((row.name, row.language), Counter())
                tally[_state(row.decision, row.published_at, row.reviewer)] += 1
                kinds.update({f["kind"] for f in json.loads(row.findings)})
                if row.published_at is not None:
                    since_source = row.published_at - _source_time(row.meta, row.seen)
                    delays.append(since_source.total_seconds() / 60)
            for name, item_type, language in conn.execute(translation_failures):
                language = language or item_type.partition(":")[2]
                counts.setdefault((name, language), Counter())["failed"] += 1
            stories_in: dict[str, int] = {r[0]: int(r[1]) for r in conn.execute(arrived)}
            failed_pages: dict[str, int] = {r[0]: int(r[1]) for r in conn.execute(pages_failed)}
            failed_by_stage: dict[str, int] = {r[0]: int(r[1]) for r in conn.execute(failed)}
        return {
            "rows": [
                {
                    "source": s,
                    "language": lang,
                    "in": stories_in.get(s, 0),
                    "pages_failed": failed_pages.get(s, 0),
                    **dict(c),
                }
                for (s, lang), c in sorted(counts.items())
            ],
            "stories_in": stories_in,
            "failed": failed_by_stage,
            "kinds": kinds.most_common(10),
            "delay_median": statistics.median(delays) if delays else None,
            "delay_p95": _percentile(delays, 0.95),
        }


def _state(decision: str, published_at: datetime | None, reviewer: str | None) -> str:
    if decision == "publish":
        return "published" if published_at else "cleared"
    if decision == "reject":
        return "rejected"
    return "held"


def _source_time(meta: str | None, seen: datetime) -> datetime:
    """When the source published a story (its page's date, as naive UTC), else when newsrelay
    first saw it."""
    published = json.loads(meta or "{}").get("published")
    try:
        when = datetime.fromisoformat(published) if published else None
    except ValueError:
        when = None
    if when is None:
        return seen
    return when.astimezone(UTC).replace(tzinfo=None) if when.tzinfo else when


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]
