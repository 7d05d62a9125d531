"""Publications on the site, and deliveries to push targets."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection, and_, func, insert, or_, select
from sqlalchemy import update as sql_update

from newsrelay.model import Decision, DeliveryRecord, Outcome, StoryView
from newsrelay.store.db import Database, dialect_insert, utcnow
from newsrelay.store.rows import _story_view
from newsrelay.store.schema import (
    articles,
    deliveries,
    entries,
    publications,
    sources,
    stories,
    story_paths,
    translations,
    verdicts,
)


class PublicationsStore(Database):
    """Publications on the site, and deliveries to push targets."""

    def stories(self, *, language: str | None = None, unpublished: bool = False) -> list[StoryView]:
        """Translations cleared for publishing, newest first; optionally only unpublished ones.
        A source not licensed for republishing (monitor mode) has none: its stories are
        translated and checked for a person to read, never published or pushed."""
        withdrawn_by_editor = and_(  # a live story an editor rejected: see publish.on_removal
            verdicts.c.decision == Decision.REJECT.value,
            verdicts.c.reviewer.is_not(None),
            translations.c.id.in_(select(publications.c.translation_id)),
        )
        query = (
            select(
                translations.c.id.label("translation_id"),
                translations.c.article_id,
                articles.c.story_id,
                translations.c.language,
                translations.c.title,
                translations.c.body_html,
                translations.c.standfirst,
                translations.c.image_caption,
                translations.c.engine,
                translations.c.source_language,
                translations.c.created_at,
                articles.c.title.label("original_title"),
                entries.c.url.label("original_url"),
                sources.c.name.label("source_name"),
                sources.c.license,
                sources.c.attribution,
                articles.c.meta,
                stories.c.created_at.label("published_at"),
                articles.c.updated_at,
                entries.c.removed_at,
                entries.c.removal,
                verdicts.c.decision,
                verdicts.c.reviewer,
                verdicts.c.reviewed_at,
                func.coalesce(story_paths.c.path, "").label("path"),
            )
            .join(articles, articles.c.id == translations.c.article_id)
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .join(stories, stories.c.id == articles.c.story_id)
            .join(verdicts, verdicts.c.translation_id == translations.c.id)
            .outerjoin(
                story_paths,
                and_(
                    story_paths.c.story_id == articles.c.story_id,
                    story_paths.c.language == translations.c.language,
                ),
            )
            .where(sources.c.republish.is_(True))
            .where(or_(verdicts.c.decision == Decision.PUBLISH.value, withdrawn_by_editor))
            .order_by(translations.c.created_at.desc(), translations.c.id.desc())
        )
        if language is not None:
            query = query.where(translations.c.language == language)
        if unpublished:
            query = query.where(translations.c.id.not_in(select(publications.c.translation_id)))
        with self._tx() as conn:
            rows = conn.execute(query).all()
            also = self._also_reported(
                conn, {row.story_id for row in rows}, {row.article_id for row in rows}
            )
        return [_story_view(row, also.get(row.story_id, ())) for row in rows]

    def _also_reported(
        self, conn: Connection, story_ids: set[int], shown: set[int]
    ) -> dict[int, tuple[tuple[str, str], ...]]:
        rows = conn.execute(
            select(articles.c.story_id, sources.c.name, entries.c.url)
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .where(articles.c.story_id.in_(story_ids))
            .where(articles.c.id.not_in(shown))
            .order_by(articles.c.signed_at, articles.c.id)
        ).all()
        found: dict[int, list[tuple[str, str]]] = {}
        for row in rows:
            found.setdefault(row.story_id, []).append((row.name, row.url))
        return {k: tuple(v) for k, v in found.items()}

    def story_paths(self, wanted: dict[tuple[int, str], str]) -> dict[tuple[int, str], str]:
        """Where each story of ``wanted`` has its page in a language, by (story id, language):
        the path stored when it was first published, else the one ``wanted`` proposes, stored
        now. A path another story already has gets the story's id ("...-12.html"); a story
        another process gave a path at the same moment keeps that one."""
        found: dict[tuple[int, str], str] = {}
        if not wanted:
            return found
        with self._tx() as conn:
            candidates = sorted(set(wanted.values()))
            taken = {
                path
                for start in range(0, len(candidates), 500)  # a bounded number of parameters
                for path in conn.execute(select(story_paths.c.path).where(
                    story_paths.c.path.in_(candidates[start : start + 500])
                )).scalars()
            }  # fmt: skip
            for key, path in sorted(wanted.items()):
                if path in taken:
                    path = f"{path.removesuffix('.html')}-{key[0]}.html"
                new = dialect_insert(conn, story_paths).values(
                    story_id=key[0], language=key[1], path=path, created_at=utcnow()
                )
                conn.execute(new.on_conflict_do_nothing())
                found[key] = conn.execute(
                    select(story_paths.c.path).where(
                        story_paths.c.story_id == key[0], story_paths.c.language == key[1]
                    )
                ).scalar_one()
                taken.add(found[key])
        return found

    def save_publication(self, translation_id: int, path: str, url: str) -> None:
        """Record that a translation's page was written."""
        with self._tx() as conn:
            conn.execute(
                insert(publications).values(
                    translation_id=translation_id, path=path, url=url, published_at=utcnow()
                )
            )
            self._log(conn, "publish", "translation", translation_id, Outcome.OK, None, path)

    # deliveries to push targets ------------------------------------------------------------

    def deliveries(self, target: str) -> dict[tuple[int, str], DeliveryRecord]:
        """What ``target`` last received of each story, by (story id, language)."""
        with self._tx() as conn:
            rows = conn.execute(select(deliveries).where(deliveries.c.target == target)).all()
        return {
            (row.story_id, row.language): DeliveryRecord(
                target=row.target, story_id=row.story_id, language=row.language,
                remote_id=row.remote_id, state=row.state, version=row.version,
                attempts=row.attempts, next_attempt_at=row.next_attempt_at,
            )
            for row in rows
        }  # fmt: skip

    def save_delivery(
        self, record: DeliveryRecord, *, translation_id: int | None, detail: str = ""
    ) -> None:
        """Record that ``record.target`` received ``record.version`` of a story in a language
        (``record`` carries the state and the target's id); its failures are cleared."""
        now = utcnow()
        with self._tx() as conn:
            row_id = self._delivery_row(conn, record, now)
            conn.execute(
                sql_update(deliveries).where(deliveries.c.id == row_id).values(
                    translation_id=translation_id, remote_id=record.remote_id,
                    state=record.state, version=record.version, attempts=0, reason=None,
                    last_error=None, next_attempt_at=None, delivered_at=now, updated_at=now,
                )
            )  # fmt: skip
            self._log(conn, "push", "story", record.story_id, Outcome.OK, record.state,
                      f"{record.target} {record.language}: {detail}".rstrip(": "))  # fmt: skip

    def fail_delivery(
        self, record: DeliveryRecord, *, translation_id: int | None, reason: str, detail: str,
        retry_in: timedelta,
    ) -> None:  # fmt: skip
        """Record a failed delivery; a run after ``retry_in`` tries again. What the target last
        received stays as it was."""
        now = utcnow()
        with self._tx() as conn:
            row_id = self._delivery_row(conn, record, now)
            conn.execute(
                sql_update(deliveries).where(deliveries.c.id == row_id).values(
                    translation_id=translation_id, attempts=deliveries.c.attempts + 1,
                    reason=reason, last_error=detail, next_attempt_at=now + retry_in,
                    updated_at=now,
                )
            )  # fmt: skip
            self._log(conn, "push", "story", record.story_id, Outcome.FAILED, reason,
                      f"{record.target} {record.language}: {detail}")  # fmt: skip

    def _delivery_row(self, conn: Connection, record: DeliveryRecord, now: datetime) -> int:
        """The id of the delivery row of (target, story, language), inserted when missing."""
        key = (deliveries.c.target == record.target, deliveries.c.story_id == record.story_id,
               deliveries.c.language == record.language)  # fmt: skip
        found = conn.execute(select(deliveries.c.id).where(*key)).scalar_one_or_none()
        if found is not None:
            return int(found)
        inserted = conn.execute(
            insert(deliveries).values(
                target=record.target, story_id=record.story_id, language=record.language,
                attempts=0, created_at=now, updated_at=now,
            )
        ).inserted_primary_key  # fmt: skip
        return int(inserted[0]) if inserted else 0
