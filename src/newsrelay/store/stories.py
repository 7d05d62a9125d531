"""Stories: the articles that report one story, and the one translated."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy import update as sql_update

from newsrelay.errors import NotFound, Stale
from newsrelay.markup import story_text
from newsrelay.model import Outcome
from newsrelay.store.db import Database, utcnow
from newsrelay.store.rows import _delete_translations, _forget
from newsrelay.store.schema import articles, entries, sources, stories


class StoriesStore(Database):
    """Stories: the articles that report one story, and the one translated."""

    def article_to_file(self, article_id: int) -> dict[str, Any]:
        """An article as near-duplicate detection reads it: its text, time and current story."""
        query = (
            select(articles.c.id, articles.c.title, articles.c.body_html,
                   articles.c.extracted_at, articles.c.story_id, articles.c.signature)
            .where(articles.c.id == article_id)
        )  # fmt: skip
        with self._tx() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound(f"article {article_id}: no such article")
        return dict(row._mapping) | {"text": story_text(row.title, row.body_html)}

    def story_of(self, article_id: int) -> int | None:
        """The story an article belongs to."""
        with self._tx() as conn:
            return conn.execute(
                select(articles.c.story_id).where(articles.c.id == article_id)
            ).scalar_one_or_none()

    def signatures_since(self, since: datetime) -> list[tuple[str, bytes, datetime]]:
        """(article id, signature, time) of every signed article since ``since``."""
        query = (
            select(articles.c.id, articles.c.signature, articles.c.signed_at)
            .where(articles.c.signature.is_not(None))
            .where(articles.c.signed_at >= since)
            .order_by(articles.c.signed_at, articles.c.id)
        )
        with self._tx() as conn:
            return [(str(r.id), bytes(r.signature), r.signed_at) for r in conn.execute(query)]

    def article_text(self, article_id: int) -> str | None:
        """The headline and body text of an article, as near-duplicate detection reads it."""
        with self._tx() as conn:
            row = conn.execute(
                select(articles.c.title, articles.c.body_html).where(articles.c.id == article_id)
            ).first()
        return None if row is None else story_text(row.title, row.body_html)

    def file_article(
        self,
        article_id: int,
        signature: bytes,
        when: datetime,
        *,
        story_id: int | None,
        relation: str,
        choose: Callable[[list[dict[str, Any]]], int] | None = None,
    ) -> int:
        """Store an article's signature and file it in a story, in one transaction: in
        ``story_id``'s (a ``duplicate``), in its own story (an ``update`` keeps the one it has),
        or in a new one; then, for a duplicate, make ``choose(members)`` the story's translated
        article (the previous one's translations are withdrawn). Return the story id; raise
        Stale when the article was filed meanwhile."""
        with self._tx() as conn:
            current = conn.execute(
                select(articles.c.story_id).where(articles.c.id == article_id)
            ).scalar_one()
            story_id = story_id or current
            if story_id is None:
                key = conn.execute(
                    insert(stories).values(article_id=article_id, created_at=utcnow())
                ).inserted_primary_key
                story_id = int(key[0]) if key else 0
            done = conn.execute(
                sql_update(articles)
                .where(articles.c.id == article_id, articles.c.signature.is_(None))
                .values(signature=signature, signed_at=when, story_id=story_id)
            )
            if done.rowcount == 0:
                raise Stale(f"article {article_id} was filed meanwhile")
            outcome = Outcome.DROPPED if relation == "duplicate" else Outcome.OK
            self._log(conn, "dedupe", "article", article_id, outcome, relation,
                      f"story {story_id}")  # fmt: skip
            _forget(conn, "dedupe", "article", article_id)
            if choose is not None:
                self._choose(conn, story_id, choose(self._members(conn, story_id)))
        return story_id

    def _members(self, conn: Connection, story_id: int) -> list[dict[str, Any]]:
        query = (
            select(articles.c.id, articles.c.signed_at, sources.c.name.label("source"),
                   sources.c.license, sources.c.republish, entries.c.url)
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .where(articles.c.story_id == story_id)
            .order_by(articles.c.signed_at, articles.c.id)
        )  # fmt: skip
        return [dict(row._mapping) for row in conn.execute(query)]

    def _choose(self, conn: Connection, story_id: int, article_id: int) -> None:
        """Make ``article_id`` the story's translated article; the previous one's translations
        are withdrawn, and the new one is translated next."""
        previous = conn.execute(
            select(stories.c.article_id).where(stories.c.id == story_id)
        ).scalar_one()
        if previous == article_id:
            return
        _delete_translations(conn, previous)
        conn.execute(
            sql_update(stories).where(stories.c.id == story_id).values(article_id=article_id)
        )
        self._log(conn, "dedupe", "story", story_id, Outcome.OK, "representative",
                  f"article {previous} -> {article_id}")  # fmt: skip
