"""The run lock: a lease in the store, taken once, renewed, and taken over when its holder died."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import insert, select, update

from newsrelay import Store
from newsrelay.errors import Locked
from newsrelay.store.lock import HOST, RunLock, _now
from newsrelay.store.schema import locks


@pytest.fixture
def store(store_url: str) -> Store:
    return Store.open(store_url)


def holder_row(store: Store) -> str | None:
    with store.engine.begin() as conn:
        return conn.execute(select(locks.c.holder)).scalar()


def test_a_held_lock_refuses_a_second_holder_and_is_released(store: Store) -> None:
    first, second = store.run_lock(), store.run_lock()
    with first.held():
        assert holder_row(store) == first.holder
        with pytest.raises(Locked, match="has held the store's run lock since"):
            second.acquire(wait=0.2)
    assert holder_row(store) is None
    with second.held():
        assert holder_row(store) == second.holder


def test_a_lock_left_by_a_dead_process_of_this_host_is_taken_over(store: Store) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    with store.engine.begin() as conn:
        conn.execute(insert(locks).values(name="run", holder=f"{HOST}:{dead}:x",
                                          acquired_at=_now(), renewed_at=_now()))  # fmt: skip
    with store.run_lock().held():
        assert holder_row(store) != f"{HOST}:{dead}:x"


def test_a_lock_of_another_machine_expires_when_no_longer_renewed(store: Store) -> None:
    lock = RunLock(store.engine, ttl=timedelta(minutes=2))
    with store.engine.begin() as conn:
        conn.execute(insert(locks).values(name="run", holder="elsewhere:1:x",
                                          acquired_at=_now(), renewed_at=_now()))  # fmt: skip
    with pytest.raises(Locked):
        lock.acquire()
    with store.engine.begin() as conn:
        conn.execute(update(locks).values(renewed_at=_now() - timedelta(minutes=3)))
    with lock.held():
        assert holder_row(store) == lock.holder


def test_the_holder_renews_its_lease(store: Store) -> None:
    lock = RunLock(store.engine, ttl=timedelta(seconds=0.4))
    with lock.held():
        with store.engine.begin() as conn:
            before = conn.execute(select(locks.c.renewed_at)).scalar()
        time.sleep(0.5)
        with store.engine.begin() as conn:
            assert conn.execute(select(locks.c.renewed_at)).scalar() > before
