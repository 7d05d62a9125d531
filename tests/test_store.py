"""The store: migrations build exactly the declared schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from newsrelay import Store
from newsrelay.store import metadata


def test_migrations_match_the_declared_schema(store_url: str) -> None:
    store = Store.open(store_url)
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    store.close()
    assert diff == []


def test_opening_twice_is_harmless(store_url: str) -> None:
    Store.open(store_url).close()
    store = Store.open(store_url)
    assert store.row_counts()["entries"] == 0
    store.close()
