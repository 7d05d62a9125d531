"""What an engine is sent per day, counted where every worker sees it, and held to the daily
limits (``translate.daily_limit_chars``, ``translate.daily_limit_tokens``).

:class:`Metered` wraps an engine: before each call it reads what the engine was sent today
(UTC) and refuses the call (``daily_limit``, with the next midnight as the time to try again)
when the characters it is about to send would pass the limit, or the tokens spent already
have; after the call it counts the request, its characters and the tokens the API reported.
The count is kept in the store (``engine_spend``), so workers on several machines share one
budget; a call already on its way when another worker reaches the limit is counted, so the
limit can be passed by at most one batch per worker, never by a day's work.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, time, timedelta
from typing import Any, Protocol

from newsrelay.errors import EngineError

__all__ = ["Ledger", "Metered", "next_midnight"]


class Ledger(Protocol):
    """Where spend is counted (the store)."""

    def add_spend(self, day: str, engine: str, *, chars: int, tokens: int) -> None:
        """Count one request with what it cost."""
        ...

    def spend(self, day: str, engine: str) -> tuple[int, int]:
        """Characters and tokens sent to ``engine`` on ``day``."""
        ...


def next_midnight(now: datetime) -> datetime:
    """The start of the next UTC day."""
    return datetime.combine(now.date() + timedelta(days=1), time(), tzinfo=UTC)


class Metered:
    """An engine whose calls are counted, and refused past its daily limits (0: none)."""

    def __init__(self, engine: Any, ledger: Ledger, *, chars: int = 0, tokens: int = 0) -> None:
        self.engine = engine
        self.ledger = ledger
        self.limit_chars = chars
        self.limit_tokens = tokens

    def __getattr__(self, name: str) -> Any:  # name, pairs, version, lexicon, last_marks ...
        return getattr(self.engine, name)

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        """The engine's translation, if today's budget allows it; counted either way it ran."""
        now = datetime.now(UTC)
        day, name = now.date().isoformat(), self.engine.name
        chars = sum(len(s) for s in segments)
        used_chars, used_tokens = self.ledger.spend(day, name)
        over = (self.limit_chars and used_chars + chars > self.limit_chars) or (
            self.limit_tokens and used_tokens >= self.limit_tokens
        )
        if over:
            raise EngineError(
                f"{name}: daily limit reached ({used_chars} characters, {used_tokens} tokens "
                f"sent today; limits {self.limit_chars or 'none'} and "
                f"{self.limit_tokens or 'none'}): new work waits for the next day",
                reason="daily_limit", retry_at=next_midnight(now),
            )  # fmt: skip
        try:
            return list(self.engine.translate(segments, source, target))
        finally:
            tokens_of = getattr(self.engine, "last_tokens", None)
            spent = sum(tokens_of()) if tokens_of is not None else 0
            self.ledger.add_spend(day, name, chars=chars, tokens=spent)

    def close(self) -> None:
        """Close the engine, where it has something to close."""
        close = getattr(self.engine, "close", None)
        if close is not None:
            close()
