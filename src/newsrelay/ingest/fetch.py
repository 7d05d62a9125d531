"""The HTTP fetcher: polite, bounded and safe.

Per request: only http and https, and only to addresses the :class:`AddressPolicy` allows
(checked at connection, on every redirect hop); robots.txt is honoured (Protego, RFC 9309); at
most ``per_host`` requests run at once against a host, ``delay`` seconds apart; redirects are
capped; the whole request must end within ``deadline`` seconds; the body is streamed and cut at
``max_bytes`` (decompressed), and refused when it inflates more than ``MAX_RATIO`` times; header
size is bounded by h11 (16 KiB); timeouts, connection failures, 5xx and 429 are retried by the
one retry policy (:mod:`newsrelay.retry`: exponential backoff, Retry-After honoured). Every
failure becomes a :class:`FetchError` with a stable reason code; httpx errors never leak.
"""

from __future__ import annotations

import codecs
import logging
import re
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

import httpcore
import httpx
from charset_normalizer import from_bytes
from protego import Protego

from newsrelay.config import FetchSettings
from newsrelay.errors import ConfigError, FetchError
from newsrelay.ingest.address import AddressPolicy, GuardedBackend, Resolver, deadline, resolve
from newsrelay.retry import RetryPolicy, transient
from newsrelay.retry import retry_after as parse_retry_after
from newsrelay.text import clean_text

log = logging.getLogger(__name__)

MAX_RATIO = 100  # a compressed body may inflate this many times (news HTML: about 5 to 10)
MIN_BOMB = 1_000_000  # ... once it is past this size
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-:.]+)""", re.I)


@dataclass(frozen=True)
class Response:
    """A fetched response: final URL, status, lower-cased headers and the body."""

    url: str
    status_code: int
    headers: dict[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        """The media type, without parameters."""
        return self.headers.get("content-type", "").split(";")[0].strip().lower()


class Spacing(Protocol):
    """Where the next request to each host may start: in this process, or shared by all
    workers (``newsrelay.pipeline.tasks.RedisSpacing``)."""

    def reserve(self, host: str, delay: float) -> float:
        """Book the next start for ``host``, ``delay`` seconds after the one booked before;
        return the seconds to wait for it."""
        ...


class LocalSpacing:
    """The spacing of one process's requests."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.next_start: dict[str, float] = {}

    def reserve(self, host: str, delay: float) -> float:
        """Book the next start for ``host``; return the seconds to wait for it."""
        with self.lock:
            now = time.monotonic()
            start = max(now, self.next_start.get(host, 0.0))
            self.next_start[host] = start + delay
        return start - now


class _HostGate:
    """Limits concurrency and spaces requests for one host."""

    def __init__(self, host: str, per_host: int, delay: float, spacing: Spacing) -> None:
        self.slots = threading.BoundedSemaphore(max(per_host, 1))
        self.host, self.delay, self.spacing = host, delay, spacing

    def __enter__(self) -> None:
        self.slots.acquire()
        time.sleep(max(self.spacing.reserve(self.host, self.delay), 0.0))

    def __exit__(self, *exc: object) -> None:
        self.slots.release()


class RobotsCache(Protocol):
    """Where robots.txt rules are kept between runs (RFC 9309 allows a day)."""

    def get(self, origin: str) -> str | None:
        """The rules of ``origin`` if they are fresh enough, else ``None``."""
        ...

    def put(self, origin: str, rules: str) -> None:
        """Keep the rules of ``origin``."""
        ...


class Fetcher:
    """Fetches URLs for newsrelay; one instance is shared by all threads of a run."""

    def __init__(
        self,
        settings: FetchSettings,
        *,
        transport: httpx.BaseTransport | None = None,
        robots_cache: RobotsCache | None = None,
        resolver: Resolver = resolve,
        spacing: Spacing | None = None,
    ) -> None:
        self.settings = settings
        self.robots_cache = robots_cache
        self.retry = RetryPolicy(settings.retries, settings.backoff, settings.max_retry_after)
        try:
            self.policy = AddressPolicy(settings.allow_addresses, resolver)
        except ValueError as exc:
            raise ConfigError(f"fetch.allow_addresses: {exc}") from None
        limits = httpx.Limits(max_connections=max(settings.workers, settings.per_host))
        self.client = httpx.Client(
            headers={"User-Agent": settings.user_agent},
            timeout=settings.timeout,
            follow_redirects=True,
            max_redirects=settings.max_redirects,
            transport=transport or GuardedTransport(self.policy, limits),
            trust_env=settings.use_env_proxy,
        )
        self.spacing = spacing or LocalSpacing()
        self._gates: dict[str, _HostGate] = {}
        self._gates_lock = threading.Lock()
        self._robots: dict[str, Protego | FetchError] = {}
        self._robots_lock = threading.Lock()

    def close(self) -> None:
        """Close the connection pool."""
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(
        self, url: str, *, etag: str | None = None, last_modified: str | None = None
    ) -> Response:
        """GET ``url`` (conditionally when validators are given); 304 is returned, not raised."""
        self.policy.check_url(url)
        if self.settings.use_env_proxy:  # the proxy connects, so the host is checked here
            parts = urlsplit(url)
            self.policy.addresses(parts.hostname or "", parts.port or 443)
        if self.settings.robots and not self.allowed(url):
            raise FetchError("robots_disallowed", f"{url}: disallowed by robots.txt")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        return self._get_with_retries(url, headers)

    def allowed(self, url: str) -> bool:
        """Whether robots.txt of ``url``'s host lets newsrelay fetch it; raise FetchError
        (transient) when the host's robots.txt cannot be read now."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            robots = self._robots.get(origin)
        if isinstance(robots, FetchError):  # unreachable earlier in this run: not asked again
            raise robots
        if robots is None:
            try:
                robots = self._load_robots(origin)
            except FetchError as exc:
                with self._robots_lock:
                    self._robots[origin] = exc
                raise
            with self._robots_lock:
                self._robots[origin] = robots
        return bool(robots.can_fetch(url, self.settings.user_agent))

    def sitemaps(self, url: str) -> list[str]:
        """The ``Sitemap:`` lines of the robots.txt of ``url``'s host."""
        if not self.allowed(url):
            return []
        parts = urlsplit(url)
        robots = self._robots.get(f"{parts.scheme}://{parts.netloc}")
        return list(robots.sitemaps) if isinstance(robots, Protego) else []

    def _load_robots(self, origin: str) -> Protego:
        """The robots.txt rules of ``origin``, read by Protego (RFC 9309: the longest match
        wins, wildcards and $ anchors; the standard library answers wrong for ``Disallow: /``
        with ``Allow: /news/``)."""
        cached = self.robots_cache.get(origin) if self.robots_cache is not None else None
        if cached is not None:
            return Protego.parse(cached)
        try:
            rules = self._get_with_retries(origin + "/robots.txt", {}).body.decode(
                "utf-8", "replace"
            )
        except FetchError as exc:
            # RFC 9309: a missing robots.txt (4xx) allows everything; an unreachable one (the
            # host down, 5xx) means "not now": the page fails with the robots.txt's own reason,
            # transient, and is tried again by a later run.
            log.info("%s/robots.txt: %s", origin, exc)
            if not exc.reason.startswith("http_4"):
                raise FetchError(exc.reason, f"{exc} (robots.txt: nothing of {origin} is "
                                 "fetched until it answers)", transient=True,
                                 retry_after=exc.retry_after) from None  # fmt: skip
            rules = ""
        if self.robots_cache is not None:
            self.robots_cache.put(origin, rules)
        return Protego.parse(rules)

    def _gate(self, url: str) -> _HostGate:
        host = urlsplit(url).netloc
        with self._gates_lock:
            if host not in self._gates:
                self._gates[host] = _HostGate(
                    host, self.settings.per_host, self.settings.delay, self.spacing
                )
            return self._gates[host]

    def _get_with_retries(self, url: str, headers: dict[str, str]) -> Response:
        def attempt() -> Response:
            with self._gate(url):
                return self._get_once(url, headers)

        return self.retry.call(attempt, url, retry_if=_retry_now)

    def _get_once(self, url: str, headers: dict[str, str]) -> Response:
        ends_at = time.monotonic() + self.settings.deadline
        ends = deadline.set(ends_at)
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                _raise_for_status(response)
                body = _read_capped(response, self.settings.max_bytes)
                return Response(
                    url=str(response.url),
                    status_code=response.status_code,
                    headers={k.lower(): v for k, v in response.headers.items()},
                    body=body,
                )
        except httpx.TimeoutException as exc:
            if time.monotonic() >= ends_at - 0.05:
                raise FetchError("deadline", f"{url}: not done within {self.settings.deadline:g} "
                                 "seconds (fetch.deadline)", transient=True) from None  # fmt: skip
            raise FetchError("timeout", f"{url}: timed out ({exc})", transient=True) from None
        except httpx.TooManyRedirects:
            raise FetchError("redirect_loop", f"{url}: too many redirects") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError("bad_url", f"{url}: not a fetchable URL: {exc}") from None
        except httpx.ConnectError as exc:
            reason, why = _connect_failure(exc)
            raise FetchError(reason, f"{url}: {why}", transient=True) from None
        except httpx.HTTPError as exc:
            raise FetchError("http_error", f"{url}: {exc}", transient=True) from None
        finally:
            deadline.reset(ends)


class GuardedTransport(httpx.HTTPTransport):
    """httpx's transport over a connection pool whose connections go only to addresses the
    policy allowed (:class:`GuardedBackend`)."""

    def __init__(self, policy: AddressPolicy, limits: httpx.Limits) -> None:
        super().__init__(limits=limits)
        # httpx takes no network backend; its pool is rebuilt here with the same settings
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(policy),
        )


def _connect_failure(exc: httpx.ConnectError) -> tuple[str, str]:
    """The reason code of a failed connection (refused, DNS, TLS, unreachable) and its words,
    from the OS error under httpx's."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLError):
            return "tls_error", f"TLS failed: {cause}"
        if isinstance(cause, socket.gaierror):
            return "dns_error", f"the host name could not be resolved: {cause}"
        if isinstance(cause, ConnectionRefusedError):
            return "connection_refused", "connection refused"
        if isinstance(cause, OSError) and cause.errno is not None:
            return "connect_error", f"could not connect: {cause.strerror or cause}"
        cause = cause.__cause__ or cause.__context__
    text = str(exc)
    if "refused" in text.lower():
        return "connection_refused", "connection refused"
    if "name or service" in text.lower() or "nodename" in text.lower():
        return "dns_error", f"the host name could not be resolved: {text}"
    return "connect_error", f"could not connect: {text}"


def _raise_for_status(response: httpx.Response) -> None:
    code = response.status_code
    if code < 400 or code == 304:
        return
    url = str(response.request.url)
    transient = code == 429 or code >= 500
    retry_after = parse_retry_after(response.headers.get("retry-after"))
    raise FetchError(
        f"http_{code}", f"{url}: HTTP {code}", transient=transient, retry_after=retry_after
    )


def _retry_now(exc: BaseException) -> bool:
    """Transient errors are tried again within the run, except a spent deadline: a page that
    drips slower than ``fetch.deadline`` waits for a later run."""
    return transient(exc) and getattr(exc, "reason", "") != "deadline"


def _read_capped(response: httpx.Response, max_bytes: int) -> bytes:
    url = str(response.request.url)
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError("too_large", f"{url}: {declared} bytes declared, limit is {max_bytes}")
    chunks = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError("too_large", f"{url}: body exceeds the limit of {max_bytes} bytes")
        if size > MIN_BOMB and size > MAX_RATIO * max(response.num_bytes_downloaded, 1):
            raise FetchError("compression_bomb", f"{url}: the body inflates more than "
                             f"{MAX_RATIO} times")  # fmt: skip
        chunks.append(chunk)
    return b"".join(chunks)


def decode_page(body: bytes, content_type_header: str) -> tuple[str, str]:
    """Decode an HTML body: BOM, then the declared charset (header, then meta), then detection.

    A declared charset that does not decode the body is ignored, since servers often lie.
    Returns the text, without control characters (``clean_text``), and the encoding used.
    """
    for encoding in _declared_encodings(body, content_type_header):
        try:
            return clean_text(body.decode(encoding)), encoding
        except (LookupError, UnicodeDecodeError):
            continue
    best = from_bytes(body).best()
    if best is not None and best.encoding:
        return clean_text(str(best)), best.encoding
    return clean_text(body.decode("cp1252", "replace")), "cp1252"


def _declared_encodings(body: bytes, header: str) -> list[str]:
    found = []
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16")):
        if body.startswith(bom):
            found.append(name)
    match = re.search(r"charset\s*=\s*[\"']?([\w\-:.]+)", header, re.I)
    if match:
        found.append(match.group(1))
    meta = _META_CHARSET.search(body[:4096])
    if meta:
        found.append(meta.group(1).decode("ascii"))
    found.append("utf-8")
    return found
