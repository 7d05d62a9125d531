"""The translation memory, what the engines were sent each day, and the robots.txt rules kept
between runs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime

from sqlalchemy import func, select

from newsrelay.model import TranslatedSegment
from newsrelay.store.db import Database, dialect_insert, utcnow
from newsrelay.store.schema import engine_spend, robots, segments


class MemoryStore(Database):
    """The translation memory, what the engines were sent each day, and the robots.txt rules
    kept between runs."""

    def add_spend(self, day: str, engine: str, *, chars: int, tokens: int) -> None:
        """Count one request to ``engine`` on ``day`` (UTC, ISO) with what it cost (an
        increment, so workers counting at once lose nothing)."""
        with self._tx() as conn:
            new = dialect_insert(conn, engine_spend).values(
                day=day, engine=engine, requests=1, chars=chars, tokens=tokens
            )
            conn.execute(new.on_conflict_do_update(
                index_elements=[engine_spend.c.day, engine_spend.c.engine],
                set_={"requests": engine_spend.c.requests + 1,
                      "chars": engine_spend.c.chars + chars,
                      "tokens": engine_spend.c.tokens + tokens},
            ))  # fmt: skip

    def spend(self, day: str, engine: str) -> tuple[int, int]:
        """The characters and tokens ``engine`` was sent on ``day``."""
        query = select(engine_spend.c.chars, engine_spend.c.tokens).where(
            engine_spend.c.day == day, engine_spend.c.engine == engine
        )
        with self._tx() as conn:
            row = conn.execute(query).first()
        return (int(row.chars), int(row.tokens)) if row else (0, 0)

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
        """Keep translated segments; a key already stored keeps its translation (also when
        another worker stores it at the same moment)."""
        rows = list(
            {item.key: asdict(item) | {"created_at": utcnow()} for item in translated}.values()
        )
        if not rows:
            return
        with self._tx() as conn:  # one statement, compiled once, over all the rows
            new = dialect_insert(conn, segments).on_conflict_do_nothing(
                index_elements=[segments.c.key]
            )
            conn.execute(new, rows)

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
            new = dialect_insert(conn, robots).values(
                origin=origin, rules=rules, fetched_at=utcnow()
            )
            conn.execute(new.on_conflict_do_update(
                index_elements=[robots.c.origin],
                set_={"rules": new.excluded.rules, "fetched_at": new.excluded.fetched_at},
            ))  # fmt: skip
