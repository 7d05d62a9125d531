"""The address policy on its own (no connection is attempted), and end to end with loopback only:
127.0.0.1 allowed, 127.0.0.2 and [::1] refused before any connection, on every redirect hop."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from mockserver import MockServer
from newsrelay.config import FetchSettings
from newsrelay.errors import FetchError
from newsrelay.ingest import Fetcher
from newsrelay.ingest.address import AddressPolicy

REFUSED = {
    "127.0.0.1": "loopback", "127.8.9.10": "loopback", "::1": "loopback",
    "10.1.2.3": "private", "172.16.0.1": "private", "192.168.1.1": "private",
    "100.64.0.1": "not public", "169.254.169.254": "link-local", "fe80::1": "link-local",
    "fd00::1": "private", "224.0.0.1": "multicast", "ff02::1": "multicast",
    "0.0.0.0": "unspecified", "::": "unspecified", "240.0.0.1": "private",
    "255.255.255.255": "private", "192.0.2.1": "private", "198.18.0.1": "private",
    "::ffff:127.0.0.1": "loopback", "::ffff:169.254.169.254": "link-local",
    "::127.0.0.1": "loopback", "64:ff9b::a9fe:a9fe": "link-local",
    "2002:7f00:1::": "loopback", "2001:0:4136:e378:8000:63bf:80ff:fffe": "loopback",
}  # fmt: skip
PUBLIC = ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111", "::ffff:93.184.215.14"]


@pytest.mark.parametrize("address", sorted(REFUSED))
def test_non_public_addresses_are_refused(address: str) -> None:
    why = AddressPolicy().refusal(address)
    assert why is not None and REFUSED[address] in why


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_are_allowed(address: str) -> None:
    assert AddressPolicy().refusal(address) is None


def test_allowed_networks_let_exactly_those_through() -> None:
    policy = AddressPolicy(["127.0.0.1", "10.20.0.0/16"])
    assert policy.refusal("127.0.0.1") is None and policy.refusal("10.20.3.4") is None
    assert policy.refusal("127.0.0.2") and policy.refusal("10.21.0.1")
    assert policy.refusal("::ffff:127.0.0.1") is None  # the address it carries is allowed


def test_a_host_name_is_judged_by_what_it_resolves_to() -> None:
    answers = {"rebind.test": ["93.184.215.14", "169.254.169.254"], "inside.test": ["10.0.0.7"]}
    policy = AddressPolicy(resolver=lambda host, port: answers[host])
    assert policy.addresses("rebind.test", 80) == ["93.184.215.14"]  # only the checked one
    with pytest.raises(FetchError) as caught:
        policy.addresses("inside.test", 80)
    assert caught.value.reason == "address_refused" and "10.0.0.7 is private" in str(caught.value)


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://127.0.0.1/x", "gopher://127.0.0.1:70/", "data:text/html,hi"],
)
def test_other_schemes_are_refused(url: str) -> None:
    with (
        Fetcher(FetchSettings(allow_addresses=["127.0.0.1"])) as fetcher,
        pytest.raises(FetchError) as caught,
    ):
        fetcher.get(url)
    assert caught.value.reason == "scheme_refused"


class Listener:
    """A TCP listener on an address that records whether anything connected."""

    def __init__(self, host: str, family: int = socket.AF_INET) -> None:
        self.sock = socket.socket(family)
        self.sock.bind((host, 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.thread.join()
        self.sock.close()


@pytest.fixture
def internal() -> Iterator[Listener]:
    listener = Listener("127.0.0.2")
    yield listener
    listener.close()


def loopback_fetcher() -> Fetcher:
    return Fetcher(FetchSettings(allow_addresses=["127.0.0.1"], delay=0.0, retries=0, timeout=2.0))


def test_a_refused_address_sees_no_connection(internal: Listener) -> None:
    with loopback_fetcher() as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(f"http://127.0.0.2:{internal.port}/feed.xml")
    assert caught.value.reason == "address_refused"
    assert "127.0.0.2 is a loopback address" in str(caught.value)
    time.sleep(0.3)
    assert internal.connections == 0


def test_ipv6_loopback_is_refused_without_connecting() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 here")
    try:
        listener = Listener("::1", socket.AF_INET6)
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        with loopback_fetcher() as fetcher, pytest.raises(FetchError) as caught:
            fetcher.get(f"http://[::1]:{listener.port}/x.html")
        assert caught.value.reason == "address_refused"
        time.sleep(0.3)
        assert listener.connections == 0
    finally:
        listener.close()


def test_a_redirect_to_a_refused_address_is_refused(server: MockServer, internal: Listener) -> None:
    target = f"http://127.0.0.2:{internal.port}/admin"
    url = server.route("/go", status=302, headers={"Location": target})
    server.route("/robots.txt", "")
    with loopback_fetcher() as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(url)
    assert caught.value.reason == "address_refused"
    time.sleep(0.3)
    assert internal.connections == 0 and "/go" in server.paths()


def test_a_slow_loris_server_is_cut_at_the_deadline() -> None:
    drip = socket.socket()
    drip.bind(("127.0.0.1", 0))
    drip.listen()
    stop = threading.Event()

    def serve() -> None:
        conn, _ = drip.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
        while not stop.wait(0.3):  # one header byte at a time, never done
            try:
                conn.sendall(b"X")
            except OSError:
                break
        conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    settings = FetchSettings(allow_addresses=["127.0.0.1"], robots=False, retries=2,
                             timeout=1.0, deadline=2.0)  # fmt: skip
    started = time.monotonic()
    with Fetcher(settings) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.get(f"http://127.0.0.1:{drip.getsockname()[1]}/page")
    elapsed = time.monotonic() - started
    stop.set()
    drip.close()
    assert (caught.value.reason, caught.value.transient) == ("deadline", True)
    assert elapsed < 30  # bounded by the deadline, not by the server (and not retried)
