"""Persistence: every stage's result and every transition, in SQLite or PostgreSQL.

A method that moves an item writes the item and its event in one transaction, so a crash leaves
the store either before or after the transition, never between.
"""

from __future__ import annotations

from newsrelay.store.db import utcnow
from newsrelay.store.desk import DeskStore
from newsrelay.store.entries import EntriesStore
from newsrelay.store.memory import MemoryStore
from newsrelay.store.publications import PublicationsStore
from newsrelay.store.reporting import ReportingStore
from newsrelay.store.schema import metadata
from newsrelay.store.sources import SourcesStore
from newsrelay.store.stories import StoriesStore

__all__ = ["Store", "metadata", "utcnow"]


class Store(
    SourcesStore, EntriesStore, StoriesStore, PublicationsStore, MemoryStore, ReportingStore,
    DeskStore,
):  # fmt: skip
    """The database behind a newsrelay site: one façade over the store's parts, each in a
    module of its own over the engine and transactions of ``newsrelay.store.db`` (reporting
    brings the translations and the work)."""
