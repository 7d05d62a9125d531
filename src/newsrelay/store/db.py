"""The store's engine, transactions and error mapping, shared by every part of the store."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Self

from alembic.util.exc import CommandError as AlembicError
from sqlalchemy import Connection, Engine, Table, create_engine, event, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError, SQLAlchemyError

from newsrelay.errors import NotConfigured, StoreError
from newsrelay.model import Outcome
from newsrelay.store import migrate
from newsrelay.store.lock import RunLock
from newsrelay.store.schema import events

log = logging.getLogger("newsrelay.store")
MIGRATION_LOCK = 0x6E657773  # PostgreSQL advisory lock held while a store is migrated


def utcnow() -> datetime:
    """The current time in UTC, without tzinfo (as stored)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Database:
    """The connection to a store, its transactions and how its errors reach newsrelay: a
    SQLAlchemy error becomes a StoreError here, at this boundary."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str) -> Self:
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


def dialect_insert(conn: Connection, table: Table) -> Any:
    """An INSERT of the connection's dialect, which has ``on_conflict_do_update`` on SQLite and
    PostgreSQL alike."""
    return (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(table)
