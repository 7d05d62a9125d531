"""Which addresses newsrelay may connect to: the fetcher's defence against SSRF.

A feed or a page names URLs that newsrelay then fetches; a hostile one names the cloud metadata
service, the router, or a database on the loopback. Only public unicast addresses are allowed:
loopback, private, shared, link-local, multicast, reserved, unspecified and documentation
ranges are refused, in IPv4 and IPv6, and an IPv6 address that carries an IPv4 one (mapped,
compatible, NAT64, 6to4, Teredo) is judged by the address it carries. ``fetch.allow_addresses``
lets addresses or networks through (the demo and the tests allow 127.0.0.1 and nothing else).

The host is resolved once, each address is checked, and the connection goes to an address that
was checked (:class:`GuardedBackend`), so a DNS answer that changes between the check and the
connection (DNS rebinding) cannot slip through; every redirect opens its own checked
connection. A total deadline per request is enforced on every read, so a server that drips one
byte at a time cannot hold a worker.
"""

from __future__ import annotations

import contextvars
import ipaddress
import socket
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import httpcore

from newsrelay.errors import FetchError

__all__ = ["AddressPolicy", "GuardedBackend", "deadline", "resolve"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]
SCHEMES = ("http", "https")
# Ranges that ipaddress does not count as private but that are no place to fetch news from
_NOT_PUBLIC = [ipaddress.ip_network(n) for n in ("100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15")]
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_COMPATIBLE = ipaddress.ip_network("::/96")

# When the request in this thread must be done (time.monotonic()); None: no deadline
deadline: contextvars.ContextVar[float | None] = contextvars.ContextVar("deadline", default=None)


def resolve(host: str, port: int) -> list[str]:
    """The addresses ``host`` resolves to (the system resolver)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class AddressPolicy:
    """Public unicast addresses, and the networks of ``allow``."""

    def __init__(self, allow: Iterable[str] = (), resolver: Resolver = resolve) -> None:
        self.allow: list[IPNetwork] = [ipaddress.ip_network(a, strict=False) for a in allow]
        self.resolver = resolver

    def refusal(self, address: str) -> str | None:
        """Why newsrelay must not connect to ``address``, or None when it may."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if any(ip in network for network in self.allow if network.version == ip.version):
            return None
        carried = _carried_ipv4(ip)
        if carried is not None:
            reason = self.refusal(str(carried))
            return None if reason is None else f"{ip} carries {carried}: {reason}"
        return _kind(ip)

    def addresses(self, host: str, port: int) -> list[str]:
        """The allowed addresses of ``host``; raise FetchError when it has none."""
        try:
            literal = ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
            found = [str(literal)]
        except ValueError:
            try:
                found = self.resolver(host, port)
            except (OSError, UnicodeError) as exc:
                raise FetchError("dns_error", f"{host}: the host name could not be resolved: "
                                 f"{exc}", transient=True) from None  # fmt: skip
        refusals = {address: self.refusal(address) for address in found}
        allowed = [address for address, why in refusals.items() if why is None]
        if not allowed:
            why = "; ".join(f"{a} is {r}" for a, r in refusals.items()) or "no address"
            raise FetchError("address_refused", f"{host}: not fetched, {why} (a setting, "
                             "fetch.allow_addresses, can allow it)")  # fmt: skip
        return allowed

    def check_url(self, url: str) -> None:
        """Raise FetchError for a URL newsrelay must not fetch: not http(s), or without a host
        (its addresses are checked when connecting, by :class:`GuardedBackend`)."""
        try:
            parts = urlsplit(url)
            host = parts.hostname
        except ValueError as exc:
            raise FetchError("bad_url", f"{url}: not a fetchable URL: {exc}") from None
        if parts.scheme.lower() not in SCHEMES:
            raise FetchError("scheme_refused", f"{url}: only http and https URLs are fetched")
        if not host:
            raise FetchError("bad_url", f"{url}: no host")


def _carried_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries (mapped, compatible, NAT64, 6to4, Teredo)."""
    if not isinstance(ip, ipaddress.IPv6Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64 or (ip in _COMPATIBLE and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _kind(ip: IPAddress) -> str | None:
    """The kind of a non-public address, or None for a public unicast one."""
    checks = [
        (ip.is_unspecified, "unspecified"),
        (ip.is_loopback, "a loopback address"),
        (ip.is_link_local, "link-local (cloud metadata lives there)"),
        (ip.is_multicast, "multicast"),
        (ip.is_private, "private"),
        (ip.is_reserved, "reserved"),
        (any(ip in n for n in _NOT_PUBLIC if n.version == ip.version), "not public"),
        (not ip.is_global, "not public"),
    ]
    return next((kind for hit, kind in checks if hit), None)


class GuardedBackend(httpcore.SyncBackend):
    """httpcore's network backend, connecting only to addresses the policy allows (resolved
    once, here), with every read bounded by the request's deadline."""

    def __init__(self, policy: AddressPolicy) -> None:
        self.policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        """Connect to the first allowed address of ``host`` that answers."""
        error: Exception | None = None
        for address in self.policy.addresses(host, port):
            try:
                stream = super().connect_tcp(address, port, _bounded(timeout), local_address,
                                             socket_options)  # fmt: skip
            except httpcore.ConnectError as exc:
                error = exc
                continue
            return DeadlineStream(stream)
        assert error is not None
        raise error

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        """Unix sockets are not for fetching the web."""
        raise FetchError("address_refused", "unix sockets are not fetched")


class DeadlineStream(httpcore.NetworkStream):
    """A connection whose reads and writes stop at the request's deadline."""

    def __init__(self, stream: httpcore.NetworkStream) -> None:
        self.stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        """Read, within the time the request has left."""
        return self.stream.read(max_bytes, _bounded(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        """Write, within the time the request has left."""
        self.stream.write(buffer, _bounded(timeout))

    def close(self) -> None:
        """Close the connection."""
        self.stream.close()

    def start_tls(
        self,
        ssl_context: Any,
        server_hostname: str | None = None,
        timeout: float | None = None,
    ) -> httpcore.NetworkStream:
        """TLS over this connection, still bounded by the deadline."""
        return DeadlineStream(
            self.stream.start_tls(ssl_context, server_hostname, _bounded(timeout))
        )

    def get_extra_info(self, info: str) -> Any:
        """What the connection says of itself (the socket, the TLS object ...)."""
        return self.stream.get_extra_info(info)


def _bounded(timeout: float | None) -> float | None:
    """``timeout``, shortened to what the current request has left; ReadTimeout once it has
    none."""
    ends = deadline.get()
    if ends is None:
        return timeout
    left = ends - time.monotonic()
    if left <= 0:
        raise httpcore.ReadTimeout("the request's total deadline passed")
    return left if timeout is None else min(timeout, left)
