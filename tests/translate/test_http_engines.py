"""LibreTranslate and DeepL engines against local servers that speak their documented APIs."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from newsrelay.config import load_settings
from newsrelay.errors import ConfigError, NotConfigured
from newsrelay.model import Article
from newsrelay.translate import load_engine, translate_article


class FakeApi:
    """LibreTranslate (/languages, /translate) and DeepL (/v2/languages, /v2/translate) on
    127.0.0.1; "translates" by tagging each segment, answers 429 to the first translate call."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, dict[str, object], dict[str, str]]] = []
        self.throttled = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                path = urlsplit(self.path)
                server.calls.append((path.path, parse_qs(path.query), dict(self.headers)))
                if path.path == "/languages":
                    self.reply(200, [{"code": "en", "name": "English", "targets": ["es", "fr"]}])
                elif path.path == "/v2/languages" and not server.refuse(self):
                    kind = parse_qs(path.query).get("type", ["source"])[0]
                    names = ["EN"] if kind == "source" else ["ES", "EN-GB"]
                    self.reply(200, [{"language": n, "name": n} for n in names])

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.calls.append((self.path, body, dict(self.headers)))
                if not server.throttled:
                    server.throttled = True
                    self.reply(429, {"error": "slow down"}, {"Retry-After": "1"})
                elif self.path == "/translate":
                    self.reply(
                        200, {"translatedText": [f"[{body['target']}] {q}" for q in body["q"]]}
                    )
                elif self.path == "/v2/translate" and not server.refuse(self):
                    texts = [{"detected_source_language": "EN", "text": f"[{body['target_lang']}] {t}"}
                             for t in body["text"]]  # fmt: skip
                    self.reply(200, {"translations": texts})

            def reply(
                self, status: int, data: object, headers: dict[str, str] | None = None
            ) -> None:
                raw = json.dumps(data).encode()
                self.send_response(status)
                for key, value in {"Content-Type": "application/json", **(headers or {})}.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def refuse(self, handler: BaseHTTPRequestHandler) -> bool:
        if handler.headers.get("Authorization") == "DeepL-Auth-Key right-key":
            return False
        handler.reply(403, {"message": "Wrong key"})  # type: ignore[attr-defined]
        return True

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"


@pytest.fixture
def api() -> Iterator[FakeApi]:
    fake = FakeApi()
    yield fake
    fake.httpd.shutdown()
    fake.httpd.server_close()


ARTICLE = Article(
    title="The bridge",
    body_html='<p>The <a href="http://127.0.0.1/b">bridge</a> opened.</p><p>It cost money.</p>',
)


def settings(tmp_path: Path, environ: dict[str, str], **overrides: object):  # type: ignore[no-untyped-def]
    return load_settings(tmp_path / "none.toml", environ=environ, overrides=overrides)


def test_libretranslate_batches_backs_off_and_keeps_markup(tmp_path: Path, api: FakeApi) -> None:
    config = settings(tmp_path, {"NEWSRELAY_TRANSLATE_LIBRETRANSLATE_KEY": "k1"},
                      **{"translate.engine": "libretranslate", "translate.libretranslate_url": api.url,
                         "translate.batch_chars": 40})  # fmt: skip
    engine = load_engine(config, [("en", "es")])
    result = translate_article(engine, ARTICLE, "en", "es")
    assert result.title == "[es] The bridge"
    assert '<a href="http://127.0.0.1/b" rel="noopener noreferrer">bridge</a>' in result.body_html
    posts = [body for path, body, _ in api.calls if path == "/translate"]
    assert len(posts) >= 3  # one refused with 429, then more than one batch of at most 40 chars
    assert all(body["api_key"] == "k1" and body["format"] == "html" for body in posts)  # type: ignore[index]


def test_libretranslate_missing_pair_and_missing_url(tmp_path: Path, api: FakeApi) -> None:
    config = settings(tmp_path, {}, **{"translate.engine": "libretranslate",
                                       "translate.libretranslate_url": api.url})  # fmt: skip
    with pytest.raises(NotConfigured, match="cannot translate en->de"):
        load_engine(config, [("en", "de")])
    with pytest.raises(NotConfigured, match="libretranslate_url"):
        load_engine(settings(tmp_path, {}, **{"translate.engine": "libretranslate"}))


def test_deepl_sends_the_key_in_a_header(tmp_path: Path, api: FakeApi) -> None:
    env = {"NEWSRELAY_TRANSLATE_DEEPL_KEY": "right-key"}
    config = settings(
        tmp_path, env, **{"translate.engine": "deepl", "translate.deepl_url": api.url}
    )
    engine = load_engine(config, [("en", "es")])
    assert engine.translate(["Hello.", "<b>Bye</b>."], "en", "es") == [
        "[ES] Hello.",
        "[ES] <b>Bye</b>.",
    ]
    translate_posts = [c for c in api.calls if c[0] == "/v2/translate"]
    assert all(
        headers["Authorization"] == "DeepL-Auth-Key right-key" for _, _, headers in translate_posts
    )


def test_deepl_without_a_key_or_with_a_wrong_one(tmp_path: Path, api: FakeApi) -> None:
    with pytest.raises(NotConfigured, match="NEWSRELAY_TRANSLATE_DEEPL_KEY"):
        load_engine(settings(tmp_path, {}, **{"translate.engine": "deepl"}))
    env = {"NEWSRELAY_TRANSLATE_DEEPL_KEY": "wrong"}
    config = settings(
        tmp_path, env, **{"translate.engine": "deepl", "translate.deepl_url": api.url}
    )
    with pytest.raises(NotConfigured, match="refused the key"):
        load_engine(config, [("en", "es")])


def test_keys_are_secrets(tmp_path: Path) -> None:
    (tmp_path / "newsrelay.toml").write_text('[translate]\ndeepl_key = "in-clear"\n')
    with pytest.raises(ConfigError, match=r"translate\.deepl_key is a secret"):
        load_settings(tmp_path / "newsrelay.toml", environ={})
    (tmp_path / "key").write_text("from-file\n")
    loaded = load_settings(tmp_path / "none.toml",
                           environ={"NEWSRELAY_TRANSLATE_DEEPL_KEY_FILE": str(tmp_path / "key")})  # fmt: skip
    assert loaded.translate.deepl_key == "from-file"
