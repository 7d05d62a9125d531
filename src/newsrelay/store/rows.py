"""Rows to model objects and back, and the writes several parts of the store share."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy import update as sql_update

from newsrelay.model import (
    Article,
    Decision,
    Entry,
    EntryStatus,
    Metadata,
    Page,
    StoryView,
    Translation,
    Usage,
)
from newsrelay.store.schema import failures, publications, translations, verdicts


def _replace(conn: Connection, table: Any, entry_id: int, values: dict[str, Any]) -> int:
    """Insert or update the row of ``table`` that belongs to ``entry_id``; return its id."""
    found = conn.execute(select(table.c.id).where(table.c.entry_id == entry_id)).first()
    if found is None:
        key = conn.execute(insert(table).values(entry_id=entry_id, **values)).inserted_primary_key
        return int(key[0]) if key else 0
    conn.execute(sql_update(table).where(table.c.id == found.id).values(**values))
    return int(found.id)


def _forget(conn: Connection, stage: str, item_type: str, item_id: int) -> None:
    """Forget the failures of an item that went through ``stage``."""
    conn.execute(delete(failures).where(
        failures.c.stage == stage, failures.c.item_type == item_type,
        failures.c.item_id == item_id,
    ))  # fmt: skip


def _delete_translations(conn: Connection, article_id: int) -> None:
    ids = select(translations.c.id).where(translations.c.article_id == article_id)
    conn.execute(delete(publications).where(publications.c.translation_id.in_(ids)))
    conn.execute(delete(verdicts).where(verdicts.c.translation_id.in_(ids)))
    conn.execute(delete(translations).where(translations.c.article_id == article_id))


def _published_articles() -> Any:
    """The ids of articles with a published translation."""
    return select(translations.c.article_id).join(
        publications, publications.c.translation_id == translations.c.id
    )


def _page(row: Any, prefix: str = "") -> Page:
    def get(name: str) -> Any:
        return getattr(row, prefix + name)

    return Page(get("url"), get("status_code"), get("content_type"), get("html"),
                get("encoding"), get("etag"), get("last_modified"))  # fmt: skip


def _entry(row: Any) -> Entry:
    return Entry(
        id=row.id,
        source_id=row.source_id,
        guid=row.guid,
        url=row.url,
        title=row.title,
        status=EntryStatus(row.status),
        reason=row.reason,
        attempts=row.attempts,
    )


def _metadata(text: str) -> Metadata:
    data: dict[str, Any] = json.loads(text)
    for key in ("authors", "tags"):
        data[key] = tuple(data.get(key, ()))
    return Metadata(**data)


def _article(row: Any) -> Article:
    return Article(
        title=row.title,
        body_html=row.body_html,
        url=row.url,
        language=row.language,
        meta=_metadata(row.meta),
    )


def _story_view(row: Any, also: tuple[tuple[str, str], ...]) -> StoryView:
    """A story row, with the translated standfirst and caption in its metadata."""
    values = row._asdict()
    standfirst, caption = values.pop("standfirst"), values.pop("image_caption")
    decision, reviewer = values.pop("decision"), values.pop("reviewer")
    reviewed_at = values.pop("reviewed_at")
    values["reviewed"] = reviewer is not None
    if decision == Decision.REJECT.value:  # a live story its editors withdrew
        values |= {"removed_at": reviewed_at, "removal": "editor_withdrew"}
    meta = _metadata(row.meta)
    translated = standfirst is not None or caption is not None
    if translated:
        meta = replace(meta, standfirst=standfirst, image_caption=caption)
    return StoryView(
        **(values | {"meta": meta, "also_reported_by": also, "translated_meta": translated})
    )


USAGE_COLUMNS = ("chars_in", "chars_out", "segments_sent", "segments_recalled", "engine_seconds",
                 "tokens_in", "tokens_out")  # fmt: skip


def _translation(row: Any) -> Translation:
    return Translation(
        language=row.t_language,
        source_language=row.t_source_language,
        engine=row.t_engine,
        title=row.t_title,
        body_html=row.t_body_html,
        standfirst=row.t_standfirst,
        image_caption=row.t_image_caption,
        usage=Usage(*(row._mapping[f"t_{name}"] for name in USAGE_COLUMNS)),
        marks=tuple((int(i), str(w)) for i, w in json.loads(row.t_marks or "[]")),
        model=row.t_model,
        scores=tuple((int(i), float(c)) for i, c in json.loads(row.t_scores or "[]")),
    )
