"""A local HTTP server for tests, on 127.0.0.1, with named failure routes.

Routes are registered per test (``server.route(path, body=..., status=..., headers=...)``); the
failure routes below are always there. Every request is recorded with its headers.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answer 304 when the request carries it


@dataclass
class Request:
    path: str
    headers: dict[str, str]


class MockServer:
    """Serves registered routes and the named failure routes."""

    def __init__(self, port: int = 0) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.hits: dict[str, int] = {}
        self.in_flight = 0
        self.most_in_flight = 0
        self.httpd = _QuietServer(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, body: str | bytes = b"", **kwargs: object) -> str:
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = Route(data, **kwargs)  # type: ignore[arg-type]
        return self.url(path)

    def paths(self) -> list[str]:
        return [r.path for r in self.requests]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                with server.lock:
                    server.requests.append(Request(self.path, dict(self.headers.items())))
                    server.hits[self.path] = server.hits.get(self.path, 0) + 1
                    hits = server.hits[self.path]
                route = server.routes.get(self.path)
                if route is None:
                    name = self.path.strip("/").split("/")[0]
                    special = getattr(self, f"route_{name}", None)
                    if special is None:
                        self.reply(404, b"not found")
                    else:
                        special(hits)
                    return
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.reply(304, b"", {"ETag": route.etag})
                    return
                headers = dict(route.headers)
                if route.etag:
                    headers["ETag"] = route.etag
                self.reply(route.status, route.body, headers)

            def reply(
                self, status: int, body: bytes, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                headers = headers or {}
                headers.setdefault("Content-Type", "text/html; charset=utf-8")
                for key, value in headers.items():
                    self.send_header(key, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)

            # named failure routes -------------------------------------------------------

            def route_slow(self, hits: int) -> None:
                time.sleep(3)
                self.reply(200, b"<html><body><p>late</p></body></html>")

            def route_pause(self, hits: int) -> None:  # counts requests in flight at once
                with server.lock:
                    server.in_flight += 1
                    server.most_in_flight = max(server.most_in_flight, server.in_flight)
                time.sleep(0.2)
                with server.lock:
                    server.in_flight -= 1
                self.reply(200, b"<p>done</p>")

            def route_status(self, hits: int) -> None:  # /status/503
                self.reply(int(self.path.rsplit("/", 1)[-1]), b"error page")

            def route_flaky(self, hits: int) -> None:  # 500 once, then a page
                if hits == 1:
                    self.reply(500, b"oops")
                else:
                    self.reply(200, ARTICLE_HTML.encode())

            def route_throttled(self, hits: int) -> None:  # 429 with Retry-After once
                if hits == 1:
                    self.reply(429, b"slow down", {"Retry-After": "1"})
                else:
                    self.reply(200, ARTICLE_HTML.encode())

            def route_loop(self, hits: int) -> None:
                self.send_response(302)
                self.send_header("Location", self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def route_huge(self, hits: int) -> None:  # 50 MB, streamed without a length
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Connection", "close")
                self.end_headers()
                chunk = b"<p>" + b"x" * 65530 + b"</p>"
                try:
                    for _ in range(50 * 16):
                        self.wfile.write(chunk)
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

            def route_truncated(self, hits: int) -> None:  # promises more than it sends
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", "100000")
                self.end_headers()
                self.wfile.write(b"<html><body><p>cut short")
                self.close_connection = True

            def route_latin1(self, hits: int) -> None:  # says UTF-8, is Latin-1
                body = ARTICLE_HTML.replace("Lakeside", "Lakeside café").encode("latin-1")
                self.reply(200, body, {"Content-Type": "text/html; charset=utf-8"})

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        pass  # clients that hang up early (size caps, timeouts) are expected here


ARTICLE_HTML = """<!doctype html><html lang="en"><head><title>Harbour reopens after repairs</title>
<meta name="author" content="Test Writer"></head><body><nav><a href="/">Home</a></nav><article>
<h1>Harbour reopens after repairs</h1>
<p>The harbour of Lakeside reopened on Monday after three months of repairs to its northern wall, the port authority said in a statement.</p>
<p>Fishing boats returned to their moorings in the morning, and the ferry to the islands will run again from Wednesday, with four crossings a day.</p>
<p>The repairs cost 2 million dollars and were paid for by the regional government.</p>
</article><footer>Footer text</footer></body></html>"""


def article_page(title: str, paragraphs: list[str], lang: str = "en") -> str:
    """A news page with navigation and a footer around the given story."""
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>'
        f'</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav><article>'
        f"<h1>{title}</h1>{body}</article><footer>© Test Gazette</footer></body></html>"
    )


def rss(items: list[tuple[str, str]], title: str = "Test feed") -> str:
    """An RSS 2.0 feed of (title, link) items."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Mon, 23 Nov 2026 10:00:00 +0000</pubDate></item>"
        for t, link in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{title}</title>'
        f"<link>http://127.0.0.1/</link><description>d</description>{entries}</channel></rss>"
    )


# A wire story, a copy of it with the usual edits, and a distinct report on the same topic.
WIRE = [
    "The regional parliament approved on Tuesday a law that will make buses free for everyone under eighteen from the first of September.",
    "The measure will cost about twelve million euros a year and will be paid from the transport budget, the minister for mobility said.",
    "Opposition parties supported the law but asked the government to publish a study of its effect on traffic in the larger towns.",
    "Bus companies said they would need more drivers and asked for two months to prepare their timetables for the new passengers.",
    "Student groups, which had collected forty thousand signatures for the measure, celebrated the vote outside the parliament building.",
]
COPY = [
    "Young people will ride buses for free from September, after lawmakers backed the plan in a vote on Tuesday.",  # rewritten lead
    *WIRE[1:],
    "Our newsroom will follow how the new rules work in practice over the coming months.",  # added
]
SAME_TOPIC = [
    "Bus drivers in the northern valleys warned on Tuesday that the free travel law would fill their vehicles at school times.",
    "The drivers' union said its members already worked long shifts and that the routes to the mountain villages had too few buses.",
    "A spokesman for the regional government said new vehicles would be bought before the start of the school year.",
    "Parents in the valley towns said they welcomed the law but feared that children would have to stand on long journeys.",
]
