"""Table definitions. Migrations under ``migrations/versions`` create the same schema; a test
compares them. Only portable types and SQL: SQLite and PostgreSQL both run it."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("url", Text, nullable=False),
    Column("language", String(16), nullable=False),
    Column("license", Text, nullable=False),
    Column("attribution", Text, nullable=False),
    Column("republish", Boolean, nullable=False),
    Column("keep", Text, nullable=False, default="[]"),  # JSON list of names never translated
    Column("etag", Text),
    Column("last_modified", Text),
    Column("last_polled_at", DateTime),
    Column("error_count", Integer, nullable=False, default=0),
    Column("last_error", Text),
    Column("rights", Text),  # what the feed last stated about reuse
    Column("next_poll_at", DateTime),  # when the scheduler polls the source next
)

entries = Table(
    "entries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("guid", String(2000), nullable=False),
    Column("url", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("version", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("reason", String(64)),
    Column("detail", Text),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_at", DateTime),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    # the source removed (404/410) or retracted the story after it was published: when and why
    Column("removed_at", DateTime),
    Column("removal", String(32)),
    UniqueConstraint("source_id", "guid", name="uq_entries_source_guid"),
    Index("ix_entries_status", "status"),
)

pages = Table(
    "pages",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entry_id", Integer, ForeignKey("entries.id"), nullable=False, unique=True),
    Column("url", Text, nullable=False),
    Column("status_code", Integer, nullable=False),
    Column("content_type", Text, nullable=False),
    Column("encoding", String(64), nullable=False),
    Column("html", Text, nullable=False),
    Column("fetched_at", DateTime, nullable=False),
    # a published story's page is fetched again (conditionally) to catch updates and removals
    Column("etag", Text),
    Column("last_modified", Text),
    Column("next_check_at", DateTime),
)

articles = Table(
    "articles",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("entry_id", Integer, ForeignKey("entries.id"), nullable=False, unique=True),
    Column("title", Text, nullable=False),
    Column("body_html", Text, nullable=False),
    Column("url", Text),
    Column("language", String(16)),
    Column("published", String(64)),
    Column("meta", Text, nullable=False),  # JSON of model.Metadata
    Column("extracted_at", DateTime, nullable=False),
    Column("updated_at", DateTime),  # when a change of the source page changed the article
    # near-duplicate detection: the signature (see newsrelay.dedupe), its time, and the story
    Column("signature", LargeBinary),
    Column("signed_at", DateTime),
    Column("story_id", Integer, ForeignKey("stories.id")),
    Index("ix_articles_signed_at", "signed_at"),
)

# A story: the articles that report it (one per source), and the one that is translated.
stories = Table(
    "stories",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, nullable=False),  # the representative article
    Column("created_at", DateTime, nullable=False),
)

# Blocks extraction took out of an article, with the rule: an operator reviews and undoes them.
removed_blocks = Table(
    "removed_blocks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("rule", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("block_key", String(16), nullable=False),
    Index("ix_removed_blocks_article", "article_id"),
)

# Which article of a source showed which block: blocks a source repeats are its template.
block_sightings = Table(
    "block_sightings",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("entry_id", Integer, ForeignKey("entries.id"), nullable=False),
    Column("block_key", String(16), nullable=False),
    Column("seen_at", DateTime, nullable=False),
    UniqueConstraint("source_id", "entry_id", "block_key", name="uq_block_sightings"),
    Index("ix_block_sightings_source_key", "source_id", "block_key"),
)

# Blocks an operator said to keep for a source, whatever the rules say.
allowed_blocks = Table(
    "allowed_blocks",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("source_id", Integer, ForeignKey("sources.id"), nullable=False),
    Column("block_key", String(16), nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("source_id", "block_key", name="uq_allowed_blocks"),
)

translations = Table(
    "translations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("article_id", Integer, ForeignKey("articles.id"), nullable=False),
    Column("language", String(16), nullable=False),
    Column("source_language", String(16), nullable=False),
    Column("engine", String(100), nullable=False),
    Column("title", Text, nullable=False),
    Column("body_html", Text, nullable=False),
    Column("standfirst", Text),
    Column("image_caption", Text),
    Column("created_at", DateTime, nullable=False),
    # what the engine was asked (model.Usage)
    Column("chars_in", Integer, nullable=False, server_default="0"),
    Column("chars_out", Integer, nullable=False, server_default="0"),
    Column("segments_sent", Integer, nullable=False, server_default="0"),
    Column("segments_recalled", Integer, nullable=False, server_default="0"),
    Column("engine_seconds", Float, nullable=False, server_default="0"),
    Column("marks", Text, nullable=False, server_default="[]"),  # JSON: what the engine marked
    Column("tokens_in", Integer, nullable=False, server_default="0"),
    Column("tokens_out", Integer, nullable=False, server_default="0"),
    Column("model", String(200), nullable=False, server_default=""),
    Column("scores", Text, nullable=False, server_default="[]"),  # JSON: confidence by sentence
    UniqueConstraint("article_id", "language", name="uq_translations_article_language"),
)

verdicts = Table(
    "verdicts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("translation_id", Integer, ForeignKey("translations.id"), nullable=False, unique=True),
    Column("decision", String(16), nullable=False),
    Column("findings", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
    # a person's review: who, when, and the reason they gave (a rejection's)
    Column("reviewer", String(100)),
    Column("reviewed_at", DateTime),
    Column("note", Text),
)

# Where each story's page lives in each language, fixed when it is first published (its
# headline in the reader's words, "es/2026/12/01/huelga-portuaria-termina.html"): stable across
# updates, and one address per page.
story_paths = Table(
    "story_paths",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("story_id", Integer, ForeignKey("stories.id"), nullable=False),
    Column("language", String(16), nullable=False),
    Column("path", Text, nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("story_id", "language", name="uq_story_paths_story_language"),
)

publications = Table(
    "publications",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("translation_id", Integer, ForeignKey("translations.id"), nullable=False, unique=True),
    Column("path", Text, nullable=False),
    Column("url", Text, nullable=False),
    Column("published_at", DateTime, nullable=False),
)

# What each push target (WordPress, a webhook) last received of a story in one language: the
# version delivered, the target's own id for it, and the failures since (retried with back-off).
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("target", String(64), nullable=False),
    Column("story_id", Integer, ForeignKey("stories.id"), nullable=False),
    Column("language", String(16), nullable=False),
    Column("translation_id", Integer),  # the translation last sent (translations are replaced)
    Column("remote_id", String(200)),
    Column("state", String(16)),  # published, updated or withdrawn, as last delivered
    Column("version", String(64)),  # digest of what was last delivered
    Column("attempts", Integer, nullable=False, default=0),  # failures since the last delivery
    Column("reason", String(64)),
    Column("last_error", Text),
    Column("next_attempt_at", DateTime),
    Column("delivered_at", DateTime),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    UniqueConstraint("target", "story_id", "language", name="uq_deliveries_target_story"),
)

events = Table(
    "events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("stage", String(32), nullable=False),
    Column("item_type", String(32), nullable=False),
    Column("item_id", Integer),
    Column("outcome", String(16), nullable=False),
    Column("reason", String(64)),
    Column("detail", Text),
    Index("ix_events_at", "at"),
)

# robots.txt of each origin, kept for a day between runs.
robots = Table(
    "robots",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("origin", String(500), nullable=False, unique=True),
    Column("rules", Text, nullable=False),
    Column("fetched_at", DateTime, nullable=False),
)

# The translation memory: an engine's output for one source segment, keyed by a hash of the
# engine and its data or model version, the language pair and the segment as sent.
segments = Table(
    "segments",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("engine", String(200), nullable=False),
    Column("source_language", String(16), nullable=False),
    Column("target_language", String(16), nullable=False),
    Column("source", Text, nullable=False),
    Column("translation", Text, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

# Leases: ``run`` is held by the one ``newsrelay run`` working on this store, renewed while it
# works, so a run on another machine waits, and a lease whose holder died expires.
locks = Table(
    "locks",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(200), nullable=False),  # host:pid:random
    Column("acquired_at", DateTime, nullable=False),
    Column("renewed_at", DateTime, nullable=False),
)

# Items of the article and translation stages (dedupe, translate, check) that failed: tried again
# after ``next_attempt_at``, doubling, until ``attempts`` reaches the limit; then left for a
# person (``newsrelay status``). Entries keep their own attempts (poll, fetch, extract).
failures = Table(
    "failures",
    metadata,
    Column("stage", String(32), primary_key=True),
    Column("item_type", String(32), primary_key=True),
    Column("item_id", Integer, primary_key=True),
    Column("attempts", Integer, nullable=False),
    Column("reason", String(64), nullable=False),
    Column("detail", Text, nullable=False),
    Column("failed_at", DateTime, nullable=False),
    Column("next_attempt_at", DateTime, nullable=False),
)

# Items a worker is working on: ``item`` (an id, or ``article:language`` for translation) of
# ``stage`` is ``worker``'s until ``until``; a worker that dies leaves a lease that expires, and
# the item is claimed again. A unit's result is written guarded by the item's state, so an item
# whose lease expired while it was being worked on is not written twice.
leases = Table(
    "leases",
    metadata,
    Column("stage", String(16), primary_key=True),
    Column("item", String(64), primary_key=True),
    Column("worker", String(200), nullable=False),
    Column("until", DateTime, nullable=False),
)

# What each engine was sent per day (UTC), counted as it is sent, by every worker: the daily
# limits (translate.daily_limit_chars, translate.daily_limit_tokens) are held against it.
engine_spend = Table(
    "engine_spend",
    metadata,
    Column("day", String(10), primary_key=True),
    Column("engine", String(100), primary_key=True),
    Column("requests", Integer, nullable=False, server_default="0"),
    Column("chars", Integer, nullable=False, server_default="0"),
    Column("tokens", Integer, nullable=False, server_default="0"),
)


# The desk (newsrelay.web): the people who review, their sessions (a key kept only as its hash,
# with the session's CSRF token), API tokens (hashed too), and the audit log of every action.
users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("role", String(16), nullable=False),  # editor or admin
    Column("password_hash", Text, nullable=False),  # argon2id
    Column("created_at", DateTime, nullable=False),
)

desk_sessions = Table(
    "desk_sessions",
    metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("csrf", String(64), nullable=False),
    Column("expires_at", DateTime, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("name", String(100), nullable=False),
    Column("scope", String(16), nullable=False),  # read or write
    Column("created_at", DateTime, nullable=False),
)

audit = Table(
    "audit",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime, nullable=False),
    Column("who", String(100), nullable=False),
    Column("action", String(32), nullable=False),
    Column("item", String(100), nullable=False),
    Column("before", Text),
    Column("after", Text),
)
