"""What is due in each stage, and the leases that let several workers share it.

Each stage's work is a list of items named by a string: a source, entry, article or translation
id, or ``article:language`` for a translation to make. ``claim_due`` finds the items of a stage
that are due (in their state, and with no failure that makes them wait) and no live lease holds,
and takes a lease on them for one worker: an upsert that takes only a free or expired lease, so
of two workers claiming at once each item goes to one. A lease held by a process of this
machine that no longer exists (killed) is free at once; another machine's expires. On PostgreSQL
the candidate rows are read ``FOR UPDATE SKIP LOCKED`` so that claimers do not queue behind each
other. A unit writes its
result guarded by the state it expects, so even an item whose lease expired mid-work (a worker
paused for longer than the lease) is written once.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, exists, or_, select

from newsrelay.model import EntryStatus
from newsrelay.store.db import dialect_insert
from newsrelay.store.lock import holder_gone
from newsrelay.store.schema import (
    articles,
    entries,
    failures,
    leases,
    sources,
    stories,
    translations,
    verdicts,
)

__all__ = ["STAGES", "claim", "due", "leased", "leased_items", "release", "waiting"]

STAGES = ("poll", "fetch", "extract", "dedupe", "translate", "check")


def due(
    conn: Connection,
    stage: str,
    now: datetime,
    *,
    limit: int,
    max_attempts: int,
    languages: Sequence[str] = (),
    unwanted: Mapping[str, Collection[int]] | None = None,
    among: Collection[int] | None = None,
    scheduled: bool = True,
    only: Collection[str] | None = None,
    takeover: str | None = None,
    worker: str | None = None,
) -> list[str]:
    """Up to ``limit`` items of ``stage`` due at ``now`` that no live lease holds, oldest
    first. ``among`` limits poll to these sources (the configured ones not paused), which are
    due when their next poll time has come (``scheduled``) or else at once; ``languages`` are
    the languages translation makes, but not for the sources ``unwanted`` names for a
    language (those that set their own languages); ``only`` limits the items to these, and
    the leases of ``takeover`` and of ``worker`` itself (a task tried again) do not count."""
    _clear(conn, stage, now)
    live = conn.execute(select(leases.c.item, leases.c.worker).where(leases.c.stage == stage))
    held = {item for item, holder in live if holder not in (takeover, worker)}
    want = limit + len(held)
    if stage == "translate":
        articles_of = None if only is None else {int(item.split(":")[0]) for item in only}
        found = _translations_missing(conn, now, languages, unwanted or {}, max_attempts, want,
                                      articles_of)  # fmt: skip
    else:
        query = _QUERIES[stage](now, max_attempts).limit(want)
        if only is not None:
            query = query.where(query.selected_columns[0].in_([int(item) for item in only]))
        if stage in ("fetch", "extract") and only is None:  # a worker taking over its items
            query = query.with_for_update(skip_locked=True)  # waits for them instead
        if stage == "poll":
            query = query.where(sources.c.id.in_(list(among or ())))
            if scheduled:
                query = query.where(
                    or_(sources.c.next_poll_at.is_(None), sources.c.next_poll_at <= now)
                )
        found = [str(item) for item in conn.execute(query).scalars()]
    return [item for item in found if item not in held and (only is None or item in only)][:limit]


def claim(
    conn: Connection, stage: str, items: Sequence[str], worker: str, now: datetime,
    lease: timedelta, takeover: str | None = None,
) -> list[str]:  # fmt: skip
    """Take a lease on each of ``items`` not held by another worker's live lease (``takeover``'s
    excepted: a dispatcher's, whose items this worker now works on); return those taken."""
    if not items:
        return []
    upsert = dialect_insert(conn, leases).values(
        [{"stage": stage, "item": item, "worker": worker, "until": now + lease} for item in items]
    )
    held = conn.execute(select(leases.c.worker).where(
        leases.c.stage == stage, leases.c.item.in_(list(items)))).scalars()  # fmt: skip
    gone = sorted({holder for holder in held if holder_gone(holder) or holder == takeover})
    upsert = upsert.on_conflict_do_update(
        index_elements=[leases.c.stage, leases.c.item],
        set_={"worker": upsert.excluded.worker, "until": upsert.excluded.until},
        where=or_(leases.c.until < now, leases.c.worker == upsert.excluded.worker,
                  leases.c.worker.in_(gone)),
    ).returning(leases.c.item)  # fmt: skip
    taken = set(conn.execute(upsert).scalars())
    return [item for item in items if item in taken]


def leased(conn: Connection, now: datetime, worker: str | None = None) -> dict[str, int]:
    """Live leases per stage (of ``worker``, or of every worker still alive)."""
    query = select(leases.c.stage, leases.c.worker).where(leases.c.until >= now)
    if worker is not None:
        query = query.where(leases.c.worker == worker)
    counts: dict[str, int] = {}
    for stage, holder in conn.execute(query):
        if not holder_gone(holder):
            counts[stage] = counts.get(stage, 0) + 1
    return counts


def leased_items(conn: Connection, stage: str, now: datetime) -> set[str]:
    """The items of ``stage`` under a live lease of a worker still alive."""
    query = select(leases.c.item, leases.c.worker).where(
        leases.c.stage == stage, leases.c.until >= now
    )
    return {item for item, holder in conn.execute(query) if not holder_gone(holder)}


def release(conn: Connection, stage: str, items: Sequence[str], worker: str) -> None:
    """Give back ``worker``'s leases on ``items``."""
    mine = (leases.c.stage == stage, leases.c.item.in_(list(items)), leases.c.worker == worker)
    conn.execute(delete(leases).where(*mine))


def _clear(conn: Connection, stage: str, now: datetime) -> None:
    """Delete the leases of ``stage`` that expired or whose holder died."""
    holders = conn.execute(select(leases.c.worker).where(leases.c.stage == stage)).scalars()
    gone = sorted({holder for holder in holders if holder_gone(holder)})
    conn.execute(delete(leases).where(
        leases.c.stage == stage, or_(leases.c.until < now, leases.c.worker.in_(gone))))  # fmt: skip


def waiting(stage: str, item_type: str, item_id: Any, now: datetime, max_attempts: int) -> Any:
    """A failure of the item that makes it wait: its retry time has not come, or it failed
    ``max_attempts`` times (then it is left for a person)."""
    return exists().where(
        failures.c.stage == stage, failures.c.item_type == item_type,
        failures.c.item_id == item_id,
        or_(failures.c.next_attempt_at > now, failures.c.attempts >= max_attempts),
    )  # fmt: skip


def _poll(now: datetime, max_attempts: int) -> Any:
    return select(sources.c.id).order_by(
        sources.c.next_poll_at.is_not(None), sources.c.next_poll_at, sources.c.id
    )


def _fetch(now: datetime, max_attempts: int) -> Any:
    retry = and_(
        entries.c.status == EntryStatus.FAILED.value, entries.c.attempts < max_attempts,
        or_(entries.c.next_attempt_at.is_(None), entries.c.next_attempt_at <= now),
    )  # fmt: skip
    return (
        select(entries.c.id)
        .where(or_(entries.c.status == EntryStatus.PENDING.value, retry))
        .order_by(entries.c.id)
    )


def _extract(now: datetime, max_attempts: int) -> Any:
    return (
        select(entries.c.id)
        .where(entries.c.status == EntryStatus.FETCHED.value)
        .order_by(entries.c.id)
    )


def _dedupe(now: datetime, max_attempts: int) -> Any:
    return (
        select(articles.c.id)
        .join(entries, entries.c.id == articles.c.entry_id)
        .where(entries.c.status == EntryStatus.EXTRACTED.value, articles.c.signature.is_(None))
        .where(~waiting("dedupe", "article", articles.c.id, now, max_attempts))
        .order_by(articles.c.id)
    )


def _check(now: datetime, max_attempts: int) -> Any:
    return (
        select(translations.c.id)
        .where(translations.c.id.not_in(select(verdicts.c.translation_id)))
        .where(~waiting("check", "translation", translations.c.id, now, max_attempts))
        .order_by(translations.c.id)
    )


def _translations_missing(
    conn: Connection, now: datetime, languages: Sequence[str],
    unwanted: Mapping[str, Collection[int]], max_attempts: int, limit: int,
    only: Collection[int] | None,
) -> list[str]:  # fmt: skip
    """``article:language`` for the representative articles that lack a translation into one
    of ``languages`` (but not into their own language), the oldest articles first."""
    found: list[tuple[int, str]] = []
    for language in languages:
        done = select(translations.c.article_id).where(translations.c.language == language)
        query = (
            select(articles.c.id)
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .join(stories, stories.c.article_id == articles.c.id)
            .where(entries.c.status == EntryStatus.EXTRACTED.value)
            .where(sources.c.language != language, articles.c.id.not_in(done))
            .where(~waiting("translate", f"article:{language}", articles.c.id, now, max_attempts))
            .order_by(articles.c.id)
            .limit(limit)
        )
        if only is not None:
            query = query.where(articles.c.id.in_(list(only)))
        if unwanted.get(language):
            query = query.where(sources.c.id.not_in(list(unwanted[language])))
        found += [(article_id, language) for article_id in conn.execute(query).scalars()]
    return [f"{article_id}:{language}" for article_id, language in sorted(found)[:limit]]


_QUERIES = {"poll": _poll, "fetch": _fetch, "extract": _extract, "dedupe": _dedupe,
            "check": _check}  # fmt: skip
