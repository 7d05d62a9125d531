"""The fetcher against the local server: limits, retries, robots.txt, conditional GET."""

from __future__ import annotations

import email.utils
import logging
import re
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from mockserver import MockServer
from newsrelay.config import FetchSettings
from newsrelay.errors import FetchError
from newsrelay.ingest import Fetcher, decode_page


def fetcher(**changes: object) -> Fetcher:
    settings = FetchSettings(
        allow_addresses=["127.0.0.1"], delay=0.0, backoff=0.01, timeout=1.0, max_bytes=100_000
    )
    return Fetcher(FetchSettings(**{**settings.__dict__, **changes}))


def reason(f: Fetcher, url: str) -> str:
    with pytest.raises(FetchError) as caught:
        f.get(url)
    return caught.value.reason


def test_user_agent_names_newsrelay(server: MockServer) -> None:
    url = server.route("/page", "<p>hi</p>")
    with fetcher() as f:
        f.get(url)
    assert server.requests[-1].headers["User-Agent"].startswith("newsrelay/")


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/status/404", "http_404"),
        ("/status/410", "http_410"),
        ("/loop", "redirect_loop"),
        ("/huge", "too_large"),
        ("/slow", "timeout"),
        ("/truncated", "http_error"),
    ],
)
def test_failures_have_reason_codes(server: MockServer, path: str, expected: str) -> None:
    with fetcher(retries=0) as f:
        assert reason(f, server.url(path)) == expected


def test_declared_length_over_the_cap_is_refused_unread(server: MockServer) -> None:
    url = server.route("/big", b"x" * 200_000)
    with fetcher() as f:
        assert reason(f, url) == "too_large"


def test_5xx_is_retried_then_succeeds(server: MockServer) -> None:
    with fetcher(retries=2) as f:
        response = f.get(server.url("/flaky"))
    assert response.status_code == 200
    assert server.hits["/flaky"] == 2


def test_5xx_gives_up_after_the_retries(server: MockServer) -> None:
    with fetcher(retries=2) as f, pytest.raises(FetchError) as caught:
        f.get(server.url("/status/503"))
    error = caught.value
    assert (error.reason, error.transient) == ("http_503", True)
    assert server.hits["/status/503"] == 3


def test_429_waits_for_retry_after(server: MockServer, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="newsrelay.retry")
    with fetcher(retries=1) as f:  # backoff is 0.01 s, so the wait can only come from the server
        f.get(server.url("/throttled"))
    assert server.hits["/throttled"] == 2
    assert "HTTP 429; retrying in 1.0s" in caplog.text


def test_retry_after_beyond_the_limit_is_left_for_a_later_run(server: MockServer) -> None:
    server.route("/busy", "slow down", status=429, headers={"Retry-After": "3600"})
    with fetcher(retries=3) as f, pytest.raises(FetchError) as caught:
        f.get(server.url("/busy"))
    error = caught.value
    assert (error.reason, error.transient, error.retry_after) == ("http_429", True, 3600.0)
    assert server.hits["/busy"] == 1


def test_robots_txt_is_honoured(server: MockServer) -> None:
    server.route(
        "/robots.txt",
        "User-agent: *\nDisallow: /private/\n",
        headers={"Content-Type": "text/plain"},
    )
    server.route("/private/page", "<p>secret</p>")
    with fetcher() as f:
        assert reason(f, server.url("/private/page")) == "robots_disallowed"
        assert f.allowed(server.url("/public"))
    assert "/private/page" not in server.paths()


def test_robots_txt_that_errors_means_not_now(server: MockServer) -> None:
    server.route("/robots.txt", "down", status=503)
    with fetcher(retries=0) as f:
        with pytest.raises(FetchError) as caught:
            f.get(server.url("/anything"))
        assert (caught.value.reason, caught.value.transient) == ("http_503", True)
        with pytest.raises(FetchError):  # not asked again in the same run
            f.get(server.url("/other"))
    assert server.paths().count("/robots.txt") == 1
    assert "/anything" not in server.paths()


def test_a_host_that_refuses_connections_is_a_transient_failure() -> None:
    with socket.socket() as sock:  # a port nothing listens on: bound, never listening
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        with fetcher(retries=0, robots=True) as f, pytest.raises(FetchError) as caught:
            f.get(f"http://127.0.0.1:{port}/story.html")
    error = caught.value
    assert (error.reason, error.transient) == ("connection_refused", True)
    assert "connection refused" in str(error) and "robots_disallowed" not in str(error)


def test_conditional_get_returns_304(server: MockServer) -> None:
    url = server.route("/feed", "<rss/>", etag='"abc"')
    with fetcher() as f:
        first = f.get(url)
        second = f.get(url, etag=first.headers["etag"])
    assert (first.status_code, second.status_code) == (200, 304)


def test_per_host_concurrency_is_capped(server: MockServer) -> None:
    with fetcher(per_host=2, robots=False) as f, ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: f.get(server.url("/pause")), range(6)))
    assert server.hits["/pause"] == 6
    assert server.most_in_flight == 2


def test_decoding_prefers_what_decodes() -> None:
    text = "<p>Le café de la gare a rouvert à Noël, après des mois de travaux très coûteux.</p>"
    assert decode_page(text.encode("latin-1"), "text/html; charset=utf-8")[0] == text
    meta = '<meta charset="windows-1252"><p>naïve</p>'.encode("cp1252")
    assert decode_page(meta, "text/html") == (
        '<meta charset="windows-1252"><p>naïve</p>',
        "windows-1252",
    )
    assert decode_page("<p>ok</p>".encode("utf-8-sig"), "")[1] == "utf-8-sig"


class DictRobots(dict[str, str]):
    def put(self, origin: str, rules: str) -> None:
        self[origin] = rules


def test_robots_txt_is_kept_between_fetchers(server: MockServer) -> None:
    server.route("/robots.txt", "User-agent: *\nDisallow: /private/\n")
    server.route("/page", "<p>hi</p>")
    cache = DictRobots()
    for _ in range(2):
        with Fetcher(
            FetchSettings(allow_addresses=["127.0.0.1"], delay=0.0), robots_cache=cache
        ) as f:
            f.get(server.url("/page"))
            assert not f.allowed(server.url("/private/x"))
    assert server.hits["/robots.txt"] == 1
    assert cache == {server.base: "User-agent: *\nDisallow: /private/\n"}


def test_unreachable_robots_txt_is_not_kept(server: MockServer) -> None:
    server.route("/robots.txt", "down", status=503)
    cache = DictRobots()
    with (
        Fetcher(
            FetchSettings(allow_addresses=["127.0.0.1"], delay=0.0, retries=0), robots_cache=cache
        ) as f,
        pytest.raises(FetchError),
    ):
        f.allowed(server.url("/page"))
    assert cache == {}


def test_robots_txt_longest_match_wins(server: MockServer) -> None:
    server.route(
        "/robots.txt", "User-agent: *\nDisallow: /\nAllow: /news/\nDisallow: /news/*.pdf$\n"
    )
    with fetcher() as f:
        assert f.allowed(server.url("/news/story.html"))
        assert not f.allowed(server.url("/about"))
        assert not f.allowed(server.url("/news/report.pdf"))


def test_retry_after_as_an_http_date_is_honoured(
    server: MockServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="newsrelay.retry")
    soon = email.utils.formatdate(time.time() + 2, usegmt=True)
    server.route("/dated", "slow down", status=429, headers={"Retry-After": soon})
    with fetcher(retries=1) as f, pytest.raises(FetchError):
        f.get(server.url("/dated"))
    assert server.hits["/dated"] == 2
    waits = [float(w) for w in re.findall(r"retrying in ([\d.]+)s", caplog.text)]
    assert len(waits) == 1 and waits[0] >= 0.5  # the date's, not the 0.01 s backoff
