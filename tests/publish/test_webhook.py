"""The webhook publisher against a local receiver that verifies the signature: the whole pipeline
runs (real feed, real Apertium) and its push stage POSTs each story version once."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from push_samples import open_store, serve_story, settings_for

from mockserver import MockServer
from newsrelay import Decision, NotConfigured, run_once
from newsrelay.publish.webhook import sign
from sitepages import story_page

pytestmark = pytest.mark.usefixtures("apertium_eng_spa")

SECRET = "s3cret-for-tests"


@dataclass
class Receiver:
    """Answers the first ``fail_first`` POSTs with 503, then 200 to those whose signature is
    right (401 to the others); records every attempt and the verified deliveries."""

    fail_first: int = 1
    always: int | None = None  # answer this status to every POST
    attempts: list[int] = field(default_factory=list)  # the status answered to each POST
    received: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)  # webhook-ids taken: a replay is refused

    def __post_init__(self) -> None:
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}/hook"

    def payloads(self) -> list[dict[str, Any]]:
        return [json.loads(body) for _, body in self.received]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def _answer(self, headers: dict[str, str], body: bytes) -> int:
        if self.always is not None:
            return self.always
        if len(self.attempts) < self.fail_first:
            return 503
        if not readme_verifier()(SECRET.encode(), body, _lower(headers), self.seen):
            return 401
        self.received.append((headers, body))
        return 200

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                status = receiver._answer(dict(self.headers.items()), body)
                receiver.attempts.append(status)
                answer = json.dumps({"id": f"r{len(receiver.attempts)}"}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    hook = Receiver()
    yield hook
    hook.close()


def webhook_settings(tmp_path: Path, feed: str, url: str, secret: str = SECRET) -> Any:
    env = {"NEWSRELAY_PUBLISH_WEBHOOK_SECRET": secret} if secret else {}
    return settings_for(tmp_path, feed, env, **{"publish.webhook_url": url})


def test_a_published_story_is_posted_signed_after_a_503(
    server: MockServer, receiver: Receiver, tmp_path: Path
) -> None:
    settings = webhook_settings(tmp_path, serve_story(server).feed, receiver.url)
    store = open_store(settings)

    report = run_once(settings, store)

    assert report.counts["push"] == {"published": 1}
    assert receiver.attempts == [503, 200]  # retried within the run, with back-off
    [(headers, body)] = receiver.received
    sent = json.loads(body)
    assert _lower(headers)["webhook-timestamp"] == str(sent["sent_at"])
    assert _lower(headers)["webhook-id"] == f"newsrelay:es:1:{sent['version']}"
    assert headers["Content-Type"] == "application/json"
    assert sent["state"] == "published"
    assert (sent["story_id"], sent["language"], sent["id"]) == (1, "es", "newsrelay:es:1")
    page = story_page(settings.output_dir, "es").relative_to(settings.output_dir.resolve())
    assert sent["url"] == settings.site.base_url + str(page)
    assert "traducida automáticamente" in sent["notice"]
    assert sent["notice"] in sent["content_html"] and "CC BY 4.0" in sent["content_html"]
    assert sent["source"]["license"] == "CC BY 4.0"
    assert sent["source"]["url"].endswith("/news/trees.html")
    assert sent["engine"].startswith("apertium")
    assert sent["tags"] == ["Rivers", "Trees"] and sent["section"] == "Environment"
    assert sent["image"].endswith("/img/trees.png")
    assert "árboles" in sent["body_html"]
    [record] = store.deliveries("webhook").values()
    assert (record.state, record.version, record.remote_id) == ("published", sent["version"], "r2")
    store.close()


def test_a_second_run_sends_nothing(server: MockServer, receiver: Receiver, tmp_path: Path) -> None:
    settings = webhook_settings(tmp_path, serve_story(server).feed, receiver.url)
    store = open_store(settings)
    run_once(settings, store)
    attempts = len(receiver.attempts)

    report = run_once(settings, store)

    assert "push" not in report.counts
    assert len(receiver.attempts) == attempts
    store.close()


def test_an_edit_is_sent_as_an_update_and_a_rejection_as_a_withdrawal(
    server: MockServer, receiver: Receiver, tmp_path: Path
) -> None:
    settings = webhook_settings(tmp_path, serve_story(server).feed, receiver.url)
    store = open_store(settings)
    run_once(settings, store)
    [story] = store.stories()

    store.review(
        story.translation_id, Decision.PUBLISH, title="Lakeside plantará árboles junto al río"
    )
    assert run_once(settings, store).counts["push"] == {"updated": 1}
    store.review(story.translation_id, Decision.REJECT)
    assert run_once(settings, store).counts["push"] == {"withdrawn": 1}
    assert run_once(settings, store).counts.get("push") is None  # withdrawn once

    first, update, withdrawal = receiver.payloads()
    assert (
        update["state"] == "updated" and update["title"] == "Lakeside plantará árboles junto al río"
    )
    assert update["version"] != first["version"]
    assert (withdrawal["state"], withdrawal["story_id"], withdrawal["language"]) == (
        "withdrawn",
        1,
        "es",
    )
    assert "title" not in withdrawal  # the story is no longer published: only its ids
    assert withdrawal["reason"] == "not_published"
    store.close()


def test_a_failing_receiver_is_recorded_and_waits_for_a_later_run(
    server: MockServer, receiver: Receiver, tmp_path: Path
) -> None:
    receiver.always = 500
    settings = webhook_settings(tmp_path, serve_story(server).feed, receiver.url)
    store = open_store(settings)

    report = run_once(settings, store)

    assert report.counts["push"] == {"failed": 1}
    assert report.counts["publish"] == {"ok": 1}  # the site does not wait for the webhook
    assert len(receiver.attempts) == 4  # the first try and three retries with back-off
    [record] = store.deliveries("webhook").values()
    assert record.attempts == 1 and record.state is None and record.next_attempt_at is not None
    assert store.problems()[0]["reason"] == "http_500"
    assert run_once(settings, store).counts.get("push") is None  # not due yet
    assert len(receiver.attempts) == 4
    store.close()


def test_a_wrong_secret_is_refused_by_the_receiver(
    server: MockServer, receiver: Receiver, tmp_path: Path
) -> None:
    receiver.fail_first = 0
    settings = webhook_settings(tmp_path, serve_story(server).feed, receiver.url, "wrong")
    store = open_store(settings)

    report = run_once(settings, store)

    assert report.counts["push"] == {"failed": 1}
    assert receiver.attempts == [401] and receiver.received == []
    assert store.problems()[0]["reason"] == "http_401"
    store.close()


def test_a_webhook_without_its_secret_refuses_to_start(
    server: MockServer, receiver: Receiver, tmp_path: Path
) -> None:
    settings = webhook_settings(tmp_path, serve_story(server).feed, receiver.url, secret="")
    store = open_store(settings)
    with pytest.raises(NotConfigured, match="NEWSRELAY_PUBLISH_WEBHOOK_SECRET"):
        run_once(settings, store)
    assert receiver.attempts == []
    store.close()


@pytest.mark.parametrize(("policy", "state"), [("unpublish", "withdrawn"), ("keep", "updated")])
def test_a_story_its_source_removed_follows_the_removal_policy(
    server: MockServer, receiver: Receiver, tmp_path: Path, policy: str, state: str
) -> None:
    served = serve_story(server)
    settings = settings_for(
        tmp_path, served.feed, {"NEWSRELAY_PUBLISH_WEBHOOK_SECRET": SECRET},
        **{"publish.webhook_url": receiver.url, "publish.on_removal": policy},
    )  # fmt: skip
    store = open_store(settings)
    run_once(settings, store)

    server.route("/news/trees.html", "gone", status=404)
    store.recheck_now()
    report = run_once(settings, store)

    assert report.counts["push"] == {state: 1}
    last = receiver.payloads()[-1]
    assert last["state"] == state
    assert ("title" in last) is (policy == "keep")  # a withdrawal carries no content
    if policy == "unpublish":
        assert last["reason"] == "source_gone"
    assert run_once(settings, store).counts.get("push") is None
    store.close()


def readme_verifier() -> Any:
    """The verification code the README gives receivers, run as it is written there."""
    readme = (Path(__file__).parent.parent.parent / "README.md").read_text(encoding="utf-8")
    [code] = [c for c in re.findall(r"```python\n(.*?)```", readme, re.S) if "def verified" in c]
    scope: dict[str, Any] = {}
    exec(code, scope)
    return scope["verified"]


def _lower(headers: dict[str, str]) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def test_a_replayed_or_tampered_delivery_is_refused_by_the_readme_verifier() -> None:
    verified = readme_verifier()
    now = int(time.time())
    body = b'{"id": "newsrelay:es:1"}'
    headers = {"webhook-id": "m1", "webhook-timestamp": str(now),
               "webhook-signature": sign(SECRET, "m1", now, body)}  # fmt: skip
    seen: set[str] = set()
    assert verified(SECRET.encode(), body, headers, seen)
    assert not verified(SECRET.encode(), body, headers, seen)  # the same id again
    old = {**headers, "webhook-id": "m2", "webhook-timestamp": str(now - 3600)}
    old["webhook-signature"] = sign(SECRET, "m2", now - 3600, body)
    assert not verified(SECRET.encode(), body, old, seen)  # signed, but too old
    moved = {**headers, "webhook-id": "m3", "webhook-timestamp": str(now)}
    assert not verified(SECRET.encode(), body, moved, seen)  # id not the signed one
    assert not verified(SECRET.encode(), body + b" ", {**headers, "webhook-id": "m1x"}, seen)


def test_a_whsec_secret_is_its_base64_key() -> None:
    key = b"0123456789abcdef0123456789abcdef"
    secret = "whsec_" + base64.b64encode(key).decode()
    signature = sign(secret, "m1", 1700000000, b"{}")
    expected = hmac.new(key, b"m1.1700000000.{}", hashlib.sha256).digest()
    assert signature == "v1," + base64.b64encode(expected).decode()
