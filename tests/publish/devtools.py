"""Headless Chromium driven through the DevTools protocol, for the browser tests, and their
fixtures (``chromium``, and ``site_server`` for the folder a test builds the site into).

Chromium is started with a fresh profile and ``--remote-debugging-port=0``; the port it chose is
read from the ``DevToolsActivePort`` file it writes into the profile. Host names other than
127.0.0.1 resolve nowhere, so a page cannot reach the network even by mistake.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
import websocket

START_TIMEOUT = 30.0


class Chromium:
    """One headless Chromium process and a DevTools session on its first page."""

    def __init__(self, profile: Path) -> None:
        binary = shutil.which("chromium")
        if binary is None:
            raise FileNotFoundError("chromium")
        profile.mkdir(parents=True, exist_ok=True)
        self.log = profile.parent / "chromium.log"
        flags = [
            "--headless=new", "--remote-debugging-port=0", f"--user-data-dir={profile}",
            "--no-first-run", "--no-default-browser-check", "--disable-gpu",
            "--disable-extensions", "--disable-background-networking", "--disable-sync",
            "--disable-component-update", "--disable-default-apps", "--mute-audio",
            "--disable-dev-shm-usage",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        ]  # fmt: skip
        if os.geteuid() == 0:
            flags.append("--no-sandbox")  # Chromium refuses to run its sandbox as root
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [binary, *flags, "about:blank"], stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
        try:
            port = self._port(profile / "DevToolsActivePort")
            self.page = DevTools(_page_socket(port))
        except BaseException:
            self.close()
            raise

    def _port(self, active: Path) -> int:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"chromium exited at start-up: {self._log_tail()}")
            lines = active.read_text().splitlines() if active.exists() else []
            if lines and lines[0].isdigit():
                return int(lines[0])
            time.sleep(0.05)
        raise RuntimeError(f"chromium wrote no DevToolsActivePort in time: {self._log_tail()}")

    def _log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-2000:]

    def close(self) -> None:
        """End the DevTools session and the Chromium process group this object started."""
        if getattr(self, "page", None) is not None:
            self.page.close()
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def _page_socket(port: int) -> str:
    """The DevTools WebSocket address of the browser's first page."""
    deadline = time.monotonic() + START_TIMEOUT
    with httpx.Client(trust_env=False, timeout=5.0) as client:
        while time.monotonic() < deadline:
            targets = client.get(f"http://127.0.0.1:{port}/json/list").json()
            pages = [t for t in targets if t.get("type") == "page"]
            if pages:
                return str(pages[0]["webSocketDebuggerUrl"])
            time.sleep(0.05)
    raise RuntimeError("chromium shows no page target")


class DevTools:
    """A DevTools protocol session: commands answered in order, events kept as they come."""

    def __init__(self, url: str) -> None:
        self.socket = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.last_id = 0
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        """Send a command and return its result; events that arrive meanwhile are kept."""
        self.last_id += 1
        self.socket.send(json.dumps({"id": self.last_id, "method": method, "params": params}))
        while True:
            message = self._receive()
            if message.get("id") == self.last_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))

    def wait_for(self, method: str, after: int, timeout: float = 30.0) -> dict[str, Any]:
        """The first event ``method`` among those kept from index ``after`` on."""
        deadline = time.monotonic() + timeout
        while True:
            for event in self.events[after:]:
                if event["method"] == method:
                    return event
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {method} within {timeout}s")
            self._receive()

    def open(self, url: str) -> None:
        """Navigate to ``url`` and wait until the page has loaded."""
        mark = len(self.events)
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired", mark)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page; a thrown error fails the test."""
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression!r} threw: {result['exceptionDetails']}")
        return result["result"].get("value")

    def _receive(self) -> dict[str, Any]:
        message: dict[str, Any] = json.loads(self.socket.recv())
        if "method" in message:
            self.events.append(message)
        return message

    def close(self) -> None:
        self.socket.close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(name="site_server")
def site_server_fixture(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A web server for the folder the site is built into (empty until a test builds it)."""
    folder = tmp_path / "site"
    folder.mkdir()
    httpd = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder))
    )
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/", folder
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(name="chromium")
def chromium_fixture(tmp_path: Path) -> Iterator[Chromium]:
    """Headless Chromium (``make test`` installs Debian's ``chromium``)."""
    try:
        browser = Chromium(tmp_path / "profile")
    except FileNotFoundError:
        pytest.fail("chromium is not installed: run 'make test', which installs it")
    yield browser
    browser.close()
