"""The one retry policy (newsrelay.retry), shared by the fetcher, the HTTP engines and the
publishers."""

from __future__ import annotations

import email.utils
import time

import pytest

from newsrelay.errors import EngineError, FetchError, PublishError
from newsrelay.retry import RetryPolicy, retry_after


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after("120") == 120.0
    assert retry_after(" 1.5 ") == 1.5
    in_a_minute = email.utils.formatdate(time.time() + 60, usegmt=True)
    assert 58 <= (retry_after(in_a_minute) or 0) <= 60
    assert retry_after("Sun, 06 Nov 1994 08:49:37 GMT") == 0.0  # in the past: now
    assert retry_after("soon") is None
    assert retry_after(None) is None
    assert retry_after("-5") == 0.0


class Attempts:
    """Raises the given errors in turn, then returns "done"."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self) -> str:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "done"


FAST = RetryPolicy(retries=2, backoff=0.001, max_wait=5.0)


@pytest.mark.parametrize(
    "error",
    [
        FetchError("http_503", "x: HTTP 503", transient=True),
        EngineError("deepl: timed out", transient=True),
        PublishError("connect_error", "wordpress: refused", target_down=True, transient=True),
    ],
)
def test_transient_errors_of_every_kind_are_tried_again(error: Exception) -> None:
    attempts = Attempts(error, error)
    assert FAST.call(attempts, "x") == "done"
    assert attempts.calls == 3


def test_the_last_error_is_raised_when_the_retries_are_spent() -> None:
    last = FetchError("http_503", "third", transient=True)
    attempts = Attempts(FetchError("http_503", "first", transient=True),
                        FetchError("http_503", "second", transient=True), last)  # fmt: skip
    with pytest.raises(FetchError) as caught:
        FAST.call(attempts, "x")
    assert caught.value is last
    assert attempts.calls == 3


def test_a_permanent_error_is_not_tried_again() -> None:
    attempts = Attempts(FetchError("http_404", "gone"))
    with pytest.raises(FetchError):
        FAST.call(attempts, "x")
    assert attempts.calls == 1


def test_retry_after_is_honoured_and_a_wait_too_long_gives_up_at_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("INFO", logger="newsrelay.retry")
    attempts = Attempts(EngineError("HTTP 429", transient=True, retry_after=0.2))
    assert FAST.call(attempts, "engine") == "done"
    assert "engine: HTTP 429; retrying in 0.2s" in caplog.text

    attempts = Attempts(PublishError("http_429", "slow down", transient=True, retry_after=3600))
    with pytest.raises(PublishError):
        FAST.call(attempts, "x")
    assert attempts.calls == 1
