"""Work: the due items of each stage, and the leases workers hold on them."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy import update as sql_update

from newsrelay.model import Outcome
from newsrelay.store import claims
from newsrelay.store.db import Database, utcnow
from newsrelay.store.lock import TTL, holder_gone
from newsrelay.store.schema import locks, sources

DEAD_LETTER_ITEMS = {"poll": "source", "fetch": "entry", "extract": "entry", "dedupe": "article",
                     "translate": "article", "check": "translation"}  # fmt: skip


class WorkStore(Database):
    """Work: the due items of each stage, and the leases workers hold on them."""

    def claim_due(
        self,
        stage: str,
        limit: int,
        worker: str,
        *,
        lease: timedelta = timedelta(minutes=10),
        max_attempts: int = 5,
        languages: Sequence[str] = (),
        unwanted: Mapping[str, Collection[int]] | None = None,
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
                               languages=languages, unwanted=unwanted, among=among,
                               scheduled=scheduled,
                               only=only, takeover=takeover, worker=worker)  # fmt: skip
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
        kind = DEAD_LETTER_ITEMS.get(stage, "sweep")
        with self._tx() as conn:
            for item in items or [""]:
                item_id = int(item.split(":")[0]) if item else None
                self._log(conn, stage, kind, item_id, Outcome.FAILED, "dead_letter",
                          f"{item}: {detail}" if item else detail)  # fmt: skip

    def running(self, names: Sequence[str]) -> set[str]:
        """Which of the store's leases named ``names`` (sweeps, dedupe) are held now by a
        holder still alive."""
        query = select(locks.c.name, locks.c.holder, locks.c.renewed_at).where(
            locks.c.name.in_(list(names)), locks.c.renewed_at >= utcnow() - TTL
        )
        with self._tx() as conn:
            return {row.name for row in conn.execute(query) if not holder_gone(row.holder)}

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
