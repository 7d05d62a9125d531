"""One retry policy for everything newsrelay asks of another server: pages, feeds and
robots.txt, translation engines behind an HTTP API, CMS and webhook deliveries.

Built on tenacity. An attempt that raises an error marked ``transient`` (a timeout, a refused
connection, 429, 5xx) is tried again after a wait that doubles from ``backoff``; a server's
``Retry-After`` (seconds or an HTTP date, RFC 9110 §10.2.3) is honoured when it asks for
longer. A wait beyond ``max_wait`` is not slept in this run: the error is raised at once, so
the item is retried by a later run instead of holding this one. Any other error is raised as
it is, untried.
"""

from __future__ import annotations

import email.utils
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import tenacity

log = logging.getLogger(__name__)
T = TypeVar("T")


def retry_after(value: str | None) -> float | None:
    """Seconds asked for by a ``Retry-After`` header: delay-seconds or an HTTP date; None when
    absent or unreadable."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when.timestamp() - time.time())


def transient(exc: BaseException) -> bool:
    """Whether trying again may succeed: the error says so with ``transient``."""
    return bool(getattr(exc, "transient", False))


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to try again: ``retries`` after the first attempt, waits from
    ``backoff`` seconds doubling, no single wait beyond ``max_wait``."""

    retries: int = 3
    backoff: float = 0.5
    max_wait: float = 60.0

    def call(
        self, attempt: Callable[[], T], what: str,
        retry_if: Callable[[BaseException], bool] = transient,
    ) -> T:  # fmt: skip
        """The result of ``attempt()``, tried again on the errors ``retry_if`` accepts (the
        transient ones); ``what`` names the request in the log line of each retry."""
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(retry_if),
            stop=self._stop,
            wait=self._wait,
            before_sleep=lambda state: log.info(
                "%s: %s; retrying in %.1fs", what, _error(state), state.upcoming_sleep
            ),
            reraise=True,
        )
        return retrying(attempt)

    def _wait(self, state: tenacity.RetryCallState) -> float:
        exponential = self.backoff * 2.0 ** (state.attempt_number - 1)
        asked = getattr(_error(state), "retry_after", None)
        return exponential if asked is None else max(exponential, asked)

    def _stop(self, state: tenacity.RetryCallState) -> bool:
        return state.attempt_number > self.retries or self._wait(state) > self.max_wait


def _error(state: tenacity.RetryCallState) -> BaseException | None:
    return state.outcome.exception() if state.outcome is not None else None
