"""Hostile inputs against newsrelay's fetcher and parsers, each in a fresh process: a gzip body
that inflates to 10 GB, an endless chunked body, a slow-loris server, 10,000 redirects, billion
laughs in a feed and in a sitemap, a page nested a million levels deep, and a feed of 100,000
entries (past the fetch size cap, so it is parsed directly: what a poll would cost before it
keeps the newest ``poll.max_entries``). Each must be refused or cut within its cap, with a
reason code. The bench prints each outcome, time and peak memory (RSS), and the ratio of the
peak to the same process doing the ordinary thing (fetching and parsing a normal page and feed)
in the same run.

    python bench/hostile.py

Everything runs on 127.0.0.1 (allowed for this bench, and nothing else).
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CASES = ["baseline", "gzip_bomb", "endless", "slow_loris", "redirects", "laughs_feed",
         "laughs_sitemap", "nested_page", "huge_feed"]  # fmt: skip
LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
              for i in range(1, 10))
)  # fmt: skip


def page(paragraphs: int = 12) -> bytes:
    body = "".join(f"<p>Paragraph {i} of an ordinary story, with some forty words in it, "
                   "about the harbour, the council and the weather on the coast this week.</p>"
                   for i in range(paragraphs))  # fmt: skip
    return f"<html><body><article><h1>A story</h1>{body}</article></body></html>".encode()


def feed(items: int) -> bytes:
    entries = "".join(f"<item><title>Story {i}</title><link>http://127.0.0.1/n/{i}.html</link>"
                      f"<guid>n{i}</guid></item>" for i in range(items))  # fmt: skip
    head = '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    return f"{head}{entries}</channel></rss>".encode()


class Hostile(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = self.path
        if path == "/robots.txt":
            return self._send(b"User-agent: *\nAllow: /\n")
        if path == "/page.html":
            return self._send(page(), "text/html")
        if path == "/gzip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            packer = zlib.compressobj(9, zlib.DEFLATED, 31)
            zeros = b"\0" * (1 << 20)
            try:
                for _ in range(10 * 1024):  # 10 GB inflated
                    self._chunk(packer.compress(zeros))
            except OSError:
                return
            return
        if path == "/endless":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            try:
                while True:
                    self._chunk(b"<p>more</p>" * 1000)
            except OSError:
                return
        if path == "/slow":
            try:
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n")
                for _ in range(600):
                    self.wfile.write(b"X")
                    self.wfile.flush()
                    time.sleep(1)
            except OSError:
                return
            return
        if path.startswith("/r/"):
            hop = int(path[3:]) + 1
            self.send_response(302)
            self.send_header("Location", f"/r/{hop}" if hop < 10_000 else "/page.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if path == "/laughs.xml":
            return self._send((LAUGHS + ']><rss version="2.0"><channel><title>&lol9;</title>'
                               "<item><title>&lol9;</title><link>http://127.0.0.1/x</link></item>"
                               "</channel></rss>").encode())  # fmt: skip
        if path == "/laughs-sitemap.xml":
            return self._send((LAUGHS + ']><urlset xmlns="http://www.sitemaps.org/schemas/'
                               'sitemap/0.9"><url><loc>http://127.0.0.1/&lol9;</loc></url>'
                               "</urlset>").encode())  # fmt: skip
        if path == "/nested.html":
            return self._send(b"<html><body>" + b"<i>" * 1_000_000 + b"deep</body></html>",
                              "text/html")  # fmt: skip  # 3 MB: under the size cap, parsed
        if path == "/huge.xml":
            return self._send(feed(100_000))
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _chunk(self, data: bytes) -> None:
        if data:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    def _send(self, body: bytes, kind: str = "application/xml") -> None:
        self.send_response(200)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


class Quiet(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


def case(name: str, base: str) -> dict[str, object]:
    """Run one case in this process (started fresh by main) and report it."""
    from newsrelay.config import FetchSettings
    from newsrelay.errors import NewsrelayError
    from newsrelay.extract import extract_article
    from newsrelay.ingest import Fetcher, decode_page, parse_feed

    settings = FetchSettings(allow_addresses=["127.0.0.1"], delay=0.0, retries=0, deadline=5.0,
                             max_redirects=20)  # fmt: skip
    started = time.perf_counter()
    outcome = "ok"
    try:
        with Fetcher(settings) as fetcher:
            if name == "huge_feed":  # over the fetch cap; its parse, as a sitemap could be
                result = parse_feed(feed(100_000), base + "/huge.xml", max_entries=4 * 500)
                outcome = f"{len(result.entries)} entries parsed (poll keeps the newest 500)"
            elif name == "baseline":
                html, _ = decode_page(fetcher.get(base + "/page.html").body, "text/html")
                extract_article(html, base + "/page.html")
                parse_feed(feed(100), base + "/feed.xml")
            else:
                path = {"gzip_bomb": "/gzip", "endless": "/endless", "slow_loris": "/slow",
                        "redirects": "/r/0", "laughs_feed": "/laughs.xml",
                        "laughs_sitemap": "/laughs-sitemap.xml",
                        "nested_page": "/nested.html"}[name]  # fmt: skip
                response = fetcher.get(base + path)
                if name.startswith("laughs"):
                    result = parse_feed(response.body, base + path)
                    longest = max((len(e.title) + len(e.url) for e in result.entries), default=0)
                    outcome = f"{len(result.entries)} entries read, longest {longest} chars"
                else:
                    html, _ = decode_page(response.body, "text/html")
                    extract_article(html, base + path)
    except NewsrelayError as exc:
        outcome = getattr(exc, "reason", type(exc).__name__)
    except RecursionError:
        outcome = "RecursionError (a crash)"
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MiB (Linux: KiB)
    return {"case": name, "outcome": outcome, "seconds": seconds, "peak_mib": peak}


def main() -> None:
    if len(sys.argv) == 3:  # a case, in its own process
        print(json.dumps(case(sys.argv[1], sys.argv[2])))
        return
    httpd = Quiet(("127.0.0.1", 0), Hostile)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    results = []
    for name in CASES:
        done = subprocess.run([sys.executable, __file__, name, base], capture_output=True,
                              text=True, timeout=900)  # fmt: skip
        if done.returncode != 0:
            results.append({"case": name, "outcome": f"crashed: {done.stderr.strip()[-200:]}",
                            "seconds": 0.0, "peak_mib": 0.0})  # fmt: skip
            continue
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    httpd.shutdown()
    base_row = results[0]
    print(f"{'case':<16} {'outcome':<40} {'seconds':>8} {'peak MiB':>9} {'peak/base':>9}")
    for row in results:
        ratio = float(row["peak_mib"]) / float(base_row["peak_mib"] or 1)  # type: ignore[arg-type]
        print(f"{row['case']:<16} {str(row['outcome'])[:40]:<40} {row['seconds']:>8.2f} "
              f"{row['peak_mib']:>9.0f} {ratio:>9.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
