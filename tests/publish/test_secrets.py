"""Secrets never leak: a WordPress whose error pages echo the request's headers (Authorization
included) gets a run with -v; the password, and its Basic form, appear nowhere: not in the log,
the events, the store's file, status --json or the site."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mockserver import MockServer, article_page, rss
from newsrelay.config import render_config
from newsrelay.model import Source

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")
PASSWORD = "abcd efgh ijkl mnop qrst uvwx"
STORY = [
    "The ferry to the islands returned to service on Monday after a month of repairs to its engines.",
    "Passengers said they were glad to travel again, and the company added two crossings a day.",
]


@pytest.fixture
def echoing_wordpress() -> Iterator[str]:
    class Echo(BaseHTTPRequestHandler):
        def _echo(self) -> None:
            auth = self.headers.get("Authorization", "")
            body = f"Internal error for {auth}. Your request:\n{self.headers}".encode()
            self.send_response(500)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = _echo

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_an_echoed_password_is_never_kept_or_shown(
    server: MockServer, echoing_wordpress: str, tmp_path: Path
) -> None:
    link = server.route("/n/1.html", article_page("Ferry returns", STORY))
    feed = server.route("/feed.xml", rss([("Ferry returns", link)]))
    (tmp_path / "newsrelay.toml").write_text(render_config([Source(name="Gazette", url=feed)]))
    env = os.environ | {"NEWSRELAY_FETCH_DELAY": "0", "NEWSRELAY_PUBLISH_WORDPRESS_URL": echoing_wordpress,
                        "NEWSRELAY_PUBLISH_WORDPRESS_USER": "editor",
                        "NEWSRELAY_PUBLISH_WORDPRESS_PASSWORD": PASSWORD}  # fmt: skip
    run = subprocess.run([sys.executable, "-m", "newsrelay", "-vv", "run"], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=600)  # fmt: skip
    assert "Internal error" in run.stderr  # the echo was logged, redacted
    status = subprocess.run([sys.executable, "-m", "newsrelay", "status", "--json"], cwd=tmp_path,
                            env=env, capture_output=True, text=True, timeout=600)  # fmt: skip
    assert json.loads(status.stdout)["problems"]
    basic = base64.b64encode(f"editor:{PASSWORD}".encode()).decode()
    places = {"log": run.stderr + run.stdout, "status": status.stdout}
    places |= {str(p): p.read_bytes().decode("utf-8", "replace") for p in tmp_path.rglob("*")
               if p.is_file() and p.name != "newsrelay.toml"}  # fmt: skip
    for name, text in places.items():
        for secret in (PASSWORD, basic, basic[:16]):  # not even the start of one
            at = text.find(secret)
            assert at < 0, (name, text[max(0, at - 300) : at + 40])
