"""Translations: what the engine made, the checks' verdicts, reviews, and failures retried."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import asdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy import update as sql_update
from sqlalchemy.exc import IntegrityError

from newsrelay.errors import NotFound, Stale
from newsrelay.model import Article, Decision, Finding, Outcome, Translation, Verdict
from newsrelay.store.db import Database, dialect_insert, utcnow
from newsrelay.store.rows import USAGE_COLUMNS, _article, _forget, _translation
from newsrelay.store.schema import (
    articles,
    entries,
    failures,
    publications,
    sources,
    stories,
    translations,
    verdicts,
)


class TranslationsStore(Database):
    """Translations: what the engine made, the checks' verdicts, reviews, and failures retried."""

    def articles_to_translate(
        self, article_ids: Collection[int]
    ) -> dict[int, tuple[Article, str, str]]:
        """Articles by id, with their source's language and name."""
        query = (
            select(
                articles,
                sources.c.language.label("source_language"),
                sources.c.name.label("source_name"),
            )
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .where(articles.c.id.in_(list(article_ids)))
        )
        with self._tx() as conn:
            rows = conn.execute(query).all()
        return {row.id: (_article(row), row.source_language, row.source_name) for row in rows}

    def save_translation(self, article_id: int, translation: Translation) -> int:
        """Store a translation of an article; return its id."""
        values = asdict(translation)
        usage = values.pop("usage").values()
        values |= {"article_id": article_id, "created_at": utcnow(),
                   "marks": json.dumps(values["marks"], ensure_ascii=False),
                   "scores": json.dumps(values["scores"])}  # fmt: skip
        values |= dict(zip(USAGE_COLUMNS, usage, strict=True))
        chosen = select(stories.c.id).where(stories.c.article_id == article_id)
        try:
            with self._tx() as conn:
                if conn.execute(chosen).first() is None:
                    raise Stale(f"article {article_id} is no longer its story's chosen article")
                key = conn.execute(insert(translations).values(**values)).inserted_primary_key
                translation_id = int(key[0]) if key else 0
                _forget(conn, "translate", f"article:{translation.language}", article_id)
                self._log(
                    conn, "translate", "translation", translation_id, Outcome.OK, None,
                    f"article {article_id} -> {translation.language} with {translation.engine}",
                )  # fmt: skip
        except IntegrityError:
            raise Stale(f"article {article_id} was translated into {translation.language} "
                        "meanwhile") from None  # fmt: skip
        return translation_id

    def translation_to_check(self, translation_id: int) -> tuple[Translation, Article, str]:
        """A translation, its source article and the source's name."""
        query = (
            select(
                *[c.label(f"t_{c.name}") for c in translations.c],
                articles,
                sources.c.name.label("source_name"),
            )
            .join(articles, articles.c.id == translations.c.article_id)
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .where(translations.c.id == translation_id)
        )
        with self._tx() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound(f"translation {translation_id}: no such translation")
        return _translation(row), _article(row), row.source_name

    def save_verdict(self, translation_id: int, verdict: Verdict) -> None:
        """Store the checks' verdict on a translation."""
        findings = json.dumps([asdict(f) for f in verdict.findings])
        try:
            self._save_verdict(translation_id, verdict, findings)
        except IntegrityError:
            raise Stale(f"translation {translation_id} was checked meanwhile") from None

    def _save_verdict(self, translation_id: int, verdict: Verdict, findings: str) -> None:
        with self._tx() as conn:
            _forget(conn, "check", "translation", translation_id)
            conn.execute(
                insert(verdicts).values(
                    translation_id=translation_id,
                    decision=verdict.decision.value,
                    findings=findings,
                    created_at=utcnow(),
                )
            )
            reason = verdict.findings[0].kind if verdict.findings else None
            outcome = {
                Decision.PUBLISH: Outcome.OK,
                Decision.HOLD: Outcome.HELD,
                Decision.REJECT: Outcome.DROPPED,
            }[verdict.decision]
            self._log(conn, "check", "translation", translation_id, outcome, reason,
                      verdict.decision.value)  # fmt: skip

    def record_failure(
        self,
        stage: str,
        item_type: str,
        item_id: int,
        reason: str,
        detail: str,
        *,
        retry_in: timedelta,
        counted: bool = True,
    ) -> None:
        """Record a failure of ``stage`` on an item that keeps its place; it is tried again
        after ``retry_in`` (see :meth:`failures_waiting`). A failure that is not the item's
        fault (an engine's daily limit) is not ``counted`` among its attempts."""
        now = utcnow()
        step = int(counted)
        with self._tx() as conn:
            values = {"reason": reason, "detail": detail, "failed_at": now,
                      "next_attempt_at": now + retry_in}  # fmt: skip
            row = {"stage": stage, "item_type": item_type, "item_id": item_id}
            new = dialect_insert(conn, failures).values(attempts=step, **row, **values)
            conn.execute(new.on_conflict_do_update(
                index_elements=[failures.c.stage, failures.c.item_type, failures.c.item_id],
                set_={"attempts": failures.c.attempts + step, **values},
            ))  # fmt: skip
            self._log(conn, stage, item_type, item_id, Outcome.FAILED, reason, detail)

    def failures_waiting(
        self, stage: str, item_type: str, now: datetime, max_attempts: int
    ) -> set[int]:
        """The items of ``stage`` whose failure makes them wait at ``now``."""
        query = select(failures.c.item_id).where(
            failures.c.stage == stage, failures.c.item_type == item_type,
            (failures.c.next_attempt_at > now) | (failures.c.attempts >= max_attempts),
        )  # fmt: skip
        with self._tx() as conn:
            return set(conn.execute(query).scalars())

    def attempts(self, stage: str, item_type: str, item_id: int) -> int:
        """How many times ``stage`` failed on an item since it last went through."""
        query = select(failures.c.attempts).where(
            failures.c.stage == stage, failures.c.item_type == item_type,
            failures.c.item_id == item_id,
        )  # fmt: skip
        with self._tx() as conn:
            return int(conn.execute(query).scalar_one_or_none() or 0)

    def clear_failure(self, stage: str, item_type: str, item_id: int) -> None:
        """Forget the failures of an item that has now gone through ``stage``."""
        with self._tx() as conn:
            _forget(conn, stage, item_type, item_id)

    def held(
        self, *, monitored: bool = False, source: str | None = None,
        language: str | None = None, kind: str | None = None, newest_first: bool = False,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:  # fmt: skip
        """Translations held for review, oldest first (or newest), with their findings' kinds,
        of one source, language or finding kind when given; with ``monitored``, instead the
        checked translations of sources in monitor mode (not licensed for republishing: read
        here, never published), with their decision."""
        query = (
            select(
                translations.c.id, translations.c.language, translations.c.title,
                entries.c.url, verdicts.c.findings, verdicts.c.created_at, verdicts.c.decision,
                sources.c.name.label("source"),
            )
            .join(verdicts, verdicts.c.translation_id == translations.c.id)
            .join(articles, articles.c.id == translations.c.article_id)
            .join(entries, entries.c.id == articles.c.entry_id)
            .join(sources, sources.c.id == entries.c.source_id)
            .where(sources.c.republish.is_(False) if monitored
                   else verdicts.c.decision == Decision.HOLD.value)
            .order_by(*((verdicts.c.created_at.desc(), translations.c.id.desc()) if newest_first
                        else (verdicts.c.created_at, translations.c.id)))
            .limit(limit)
        )  # fmt: skip
        if source:
            query = query.where(sources.c.name == source)
        if language:
            query = query.where(translations.c.language == language)
        if kind:  # the findings are JSON as json.dumps writes it
            query = query.where(verdicts.c.findings.contains(json.dumps({"kind": kind})[1:-1]))
        with self._tx() as conn:
            rows = conn.execute(query).all()
        return [
            {"id": row.id, "language": row.language, "title": row.title, "url": row.url,
             "source": row.source, "decision": row.decision,
             "kinds": sorted({f["kind"] for f in json.loads(row.findings)}),
             "held_at": row.created_at.isoformat(timespec="seconds")}
            for row in rows
        ]  # fmt: skip

    def translation(self, translation_id: int) -> tuple[Translation, Article]:
        """A translation and its source article."""
        translation, article, _ = self.translation_to_check(translation_id)
        return translation, article

    def review(
        self,
        translation_id: int,
        decision: Decision,
        *,
        title: str | None = None,
        body_html: str | None = None,
        reviewer: str | None = None,
        note: str | None = None,
        findings: Sequence[Finding] | None = None,
    ) -> None:
        """Record a person's decision on a translation, with their edit of it if they made one
        (and the findings of the checks run again on it). Approved, it is published again with
        the edit and the reviewed notice; rejected after it went live, it stays published to be
        withdrawn as ``publish.on_removal`` says, never silently deleted."""
        values: dict[str, Any] = {"decision": decision.value, "created_at": utcnow(),
                                  "reviewer": reviewer, "note": note,
                                  "reviewed_at": utcnow() if reviewer else None}  # fmt: skip
        if findings is not None:
            values["findings"] = json.dumps([asdict(f) for f in findings], ensure_ascii=False)
        with self._tx() as conn:
            found = conn.execute(
                sql_update(verdicts)
                .where(verdicts.c.translation_id == translation_id)
                .values(**values)
            ).rowcount
            if not found:
                raise NotFound(f"translation {translation_id}: nothing to review")
            edited = {k: v for k, v in (("title", title), ("body_html", body_html)) if v}
            if edited:
                conn.execute(
                    sql_update(translations)
                    .where(translations.c.id == translation_id)
                    .values(**edited)
                )
            if decision is Decision.PUBLISH:
                conn.execute(
                    delete(publications).where(publications.c.translation_id == translation_id)
                )
            said = f"{decision.value} by {reviewer}" if reviewer else decision.value
            self._log(conn, "review", "translation", translation_id, Outcome.OK,
                      "edited" if edited else None, said)  # fmt: skip

    def review_state(self, translation_id: int) -> dict[str, Any]:
        """A translation's verdict as a person left it: decision, reviewer, when, note, and
        whether it is published."""
        query = (
            select(verdicts.c.decision, verdicts.c.reviewer, verdicts.c.reviewed_at,
                   verdicts.c.note, publications.c.url)
            .select_from(verdicts)
            .join(publications, publications.c.translation_id == verdicts.c.translation_id,
                  isouter=True)
            .where(verdicts.c.translation_id == translation_id)
        )  # fmt: skip
        with self._tx() as conn:
            row = conn.execute(query).first()
        if row is None:
            raise NotFound(f"translation {translation_id} was not checked")
        return dict(row._mapping)

    def verdict(self, translation_id: int) -> Verdict | None:
        """The verdict on a translation, if it was checked."""
        with self._tx() as conn:
            row = conn.execute(
                select(verdicts).where(verdicts.c.translation_id == translation_id)
            ).first()
        if row is None:
            return None
        found = tuple(Finding(**f) for f in json.loads(row.findings))
        return Verdict(Decision(row.decision), found)
