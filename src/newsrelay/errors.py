"""Exceptions raised by newsrelay.

Every error newsrelay raises derives from :class:`NewsrelayError`; errors of the libraries it uses
(httpx, SQLAlchemy, tomllib, an engine's process) are mapped to these where they occur::

    NewsrelayError
     ├── ConfigError          a settings file or value is wrong (names the file, key or line)
     ├── NotConfigured        a component cannot run here (missing Apertium pair, missing model)
     ├── StoreError           the database cannot be opened, migrated or written, or is damaged
     │    └── Locked            another run holds the store's run lock
     ├── NotFound             a stored item named on the command line does not exist
     ├── FetchError           a URL could not be fetched; carries a stable reason code
     ├── FeedError            a feed or sitemap could not be parsed at all; carries a reason code
     ├── ExtractError         a page holds no article; carries a reason code
     ├── EngineError          a translation engine failed on a batch
     ├── SignatureError       stored bytes are not a near-duplicate signature
     └── PublishError         a CMS or webhook missed a delivery; carries a reason code
"""

from __future__ import annotations

from datetime import datetime


class NewsrelayError(Exception):
    """Base class of every error newsrelay raises."""


class ConfigError(NewsrelayError):
    """A settings file or value is invalid."""


class NotConfigured(NewsrelayError):
    """A component cannot run with the current settings or installed software."""

    reason = "not_configured"


class StoreError(NewsrelayError):
    """The store cannot be opened, migrated or written."""


class Locked(StoreError):
    """Another ``newsrelay run`` holds the store's run lock."""


class Stale(NewsrelayError):
    """An item moved on while a worker worked on it (another worker wrote it first, or its
    source changed it); the worker's result is not written."""


class NotFound(NewsrelayError):
    """An item named by its id (a translation, a removed block, a source) is not in the store."""


class ReasonError(NewsrelayError):
    """An error with a stable, stored reason code (``http_404``, ``too_large`` ...).

    ``transient`` says whether trying again may succeed (timeouts, refused connections, 5xx,
    429); ``retry_after`` is the server's Retry-After in seconds, when it sent one. Both are
    read by the retry policy (:mod:`newsrelay.retry`).
    """

    def __init__(
        self, reason: str, message: str, *, transient: bool = False,
        retry_after: float | None = None,
    ) -> None:  # fmt: skip
        super().__init__(message)
        self.reason = reason
        self.transient = transient
        self.retry_after = retry_after


class FetchError(ReasonError):
    """A URL could not be fetched."""


class FeedError(ReasonError):
    """A feed or sitemap could not be parsed at all."""


class ExtractError(ReasonError):
    """A page yields no article."""


class EngineError(ReasonError):
    """A translation engine failed on a batch: ``engine_error``, or a precise reason such as
    ``engine_refused`` (a model declined), ``engine_misaligned`` (its answer did not match the
    segments sent) or ``daily_limit`` (its spending limit for the day is reached; ``retry_at``
    says when new work may go to it again)."""

    def __init__(
        self, message: str, *, transient: bool = False, retry_after: float | None = None,
        reason: str = "engine_error", retry_at: datetime | None = None,
    ) -> None:  # fmt: skip
        super().__init__(reason, message, transient=transient, retry_after=retry_after)
        self.retry_at = retry_at


class SignatureError(NewsrelayError):
    """Stored bytes that are not a near-duplicate signature this version can read."""


class PublishError(ReasonError):
    """A story could not be delivered to a publishing target (a CMS, a webhook).

    ``target_down`` says the target itself is failing (unreachable, refusing the credentials,
    answering 5xx after the retries), so no other story is tried against it in this run.
    """

    def __init__(
        self, reason: str, message: str, *, target_down: bool = False, transient: bool = False,
        retry_after: float | None = None,
    ) -> None:  # fmt: skip
        super().__init__(reason, message, transient=transient, retry_after=retry_after)
        self.target_down = target_down
