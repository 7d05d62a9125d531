"""The run lock: a lease row in the store's ``locks`` table, so it works the same on SQLite and
PostgreSQL, and across machines that share one database.

A run takes the lease (an insert, or a compare-and-swap on a lease that is free to take), renews
it every ``ttl / 4`` from a thread while it works, and deletes it when done. A lease is free to
take when its holder stopped renewing it for ``ttl``, or at once when the holder is a process of
this machine that no longer exists (a run killed with SIGKILL does not make the next one wait).
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from newsrelay.errors import Locked
from newsrelay.store.schema import locks

__all__ = ["TTL", "RunLock", "holder_gone", "holder_name"]

log = logging.getLogger(__name__)
HOST = socket.gethostname()
TTL = timedelta(minutes=2)  # a lease not renewed for this long is free to take


class RunLock:
    """The lease named ``name`` on a store; ``with lock.held(wait):`` holds it for a block."""

    def __init__(self, engine: Engine, name: str = "run", ttl: timedelta = TTL):
        self.engine = engine
        self.name = name
        self.ttl = ttl
        self.holder = holder_name()
        self._stop = threading.Event()
        self._renewer: threading.Thread | None = None

    def acquire(self, wait: float = 0) -> None:
        """Take the lease, waiting up to ``wait`` seconds for it; raise Locked if it stays taken."""
        deadline = time.monotonic() + wait
        while not self._try_acquire():
            if time.monotonic() >= deadline:
                raise Locked(self._held_message())
            time.sleep(min(1.0, max(deadline - time.monotonic(), 0.05)))
        self._stop.clear()
        self._renewer = threading.Thread(target=self._renew, name="run-lock", daemon=True)
        self._renewer.start()

    def release(self) -> None:
        """Give the lease back (only if this lock still holds it)."""
        self._stop.set()
        if self._renewer is not None:
            self._renewer.join()
            self._renewer = None
        with self.engine.begin() as conn:
            conn.execute(
                delete(locks).where(locks.c.name == self.name, locks.c.holder == self.holder)
            )

    @contextmanager
    def held(self, wait: float = 0) -> Iterator[RunLock]:
        """Hold the lease for a ``with`` block, waiting up to ``wait`` seconds for it."""
        self.acquire(wait)
        try:
            yield self
        finally:
            self.release()

    def _try_acquire(self) -> bool:
        now = _now()
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(locks).values(name=self.name, holder=self.holder,
                                                  acquired_at=now, renewed_at=now))  # fmt: skip
            return True
        except IntegrityError:  # held, or left by a run that stopped
            pass
        with self.engine.begin() as conn:
            row = conn.execute(select(locks).where(locks.c.name == self.name)).first()
            if row is None or not self._takeable(row.holder, row.renewed_at, now):
                return False  # (None: released meanwhile; the next try inserts)
            log.warning("run lock: taking over from %s, which stopped", row.holder)
            taken = conn.execute(
                update(locks)
                .where(locks.c.name == self.name, locks.c.holder == row.holder)
                .values(holder=self.holder, acquired_at=now, renewed_at=now)
            )
            return taken.rowcount == 1

    def _takeable(self, holder: str, renewed_at: datetime, now: datetime) -> bool:
        return holder_gone(holder) or now - renewed_at > self.ttl

    def _renew(self) -> None:
        while not self._stop.wait(self.ttl.total_seconds() / 4):
            try:
                with self.engine.begin() as conn:
                    conn.execute(update(locks)
                                 .where(locks.c.name == self.name, locks.c.holder == self.holder)
                                 .values(renewed_at=_now()))  # fmt: skip
            except Exception as exc:  # the store is busy or gone; the run's own work will say so
                log.warning("run lock: could not renew: %s", exc)

    def _held_message(self) -> str:
        with self.engine.begin() as conn:
            row = conn.execute(select(locks).where(locks.c.name == self.name)).first()
        if row is None:
            return "another newsrelay run holds the store's run lock"
        since = row.acquired_at.strftime("%Y-%m-%d %H:%M:%S UTC")
        return (f"another newsrelay run ({row.holder.rsplit(':', 1)[0]}) has held the store's run "
                f"lock since {since}; try again when it ends, or pass --wait SECONDS")  # fmt: skip


def holder_name() -> str:
    """A name for this process's leases: host, process id and a random part."""
    return f"{HOST}:{os.getpid()}:{secrets.token_hex(4)}"


def holder_gone(holder: str) -> bool:
    """Whether a lease's holder is a process of this machine that no longer exists."""
    host, _, rest = holder.partition(":")
    pid = rest.partition(":")[0]
    return host == HOST and pid.isdigit() and not _alive(int(pid))


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)  # as the store keeps times


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
