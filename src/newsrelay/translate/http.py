"""Engines behind an HTTP API: LibreTranslate and DeepL.

Both send segments in batches (at most ``translate.batch_chars`` characters a request, markup
passed as HTML), retry timeouts, connection failures, 429 and 5xx by the one retry policy
(:mod:`newsrelay.retry`: exponential backoff, Retry-After honoured), check that every segment came
back, and say at start-up when their address or key is missing. Keys come from the environment
(``NEWSRELAY_TRANSLATE_DEEPL_KEY`` or a ``..._FILE``), never from the settings file.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import Any

import httpx

from newsrelay.config import Settings
from newsrelay.errors import EngineError, NotConfigured
from newsrelay.retry import RetryPolicy, retry_after
from newsrelay.translate import batches

# a longer wait than max_wait fails the batch; the article is retried by a later run
RETRY = RetryPolicy(retries=4, backoff=0.5, max_wait=60.0)


class HttpEngine:
    """What LibreTranslate and DeepL share: batching, back-off, the segment count check."""

    name = "http"
    accepts_markup = True

    def __init__(self, base_url: str, batch_chars: int, timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.batch_chars = batch_chars
        self.client = httpx.Client(timeout=timeout, headers=self.headers())

    def headers(self) -> dict[str, str]:
        """Headers sent with every request."""
        return {"User-Agent": "newsrelay/0.1"}

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        """Translate all segments, a batch at a time."""
        translated: list[str] = []
        for batch in batches(segments, self.batch_chars):
            result = self.translate_batch(batch, source, target)
            if len(result) != len(batch):
                raise EngineError(f"{self.name}: {len(batch)} segments sent, {len(result)} back")
            translated += result
        return translated

    def translate_batch(self, batch: list[str], source: str, target: str) -> list[str]:
        """Translate one batch (one request)."""
        raise NotImplementedError

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        """Send a request (retried on timeouts, refused connections, 429 and 5xx); return the
        JSON answer."""
        url = self.base_url + path
        response = RETRY.call(lambda: self._send(method, url, **kwargs), f"{self.name}: {url}")
        try:
            return response.json()
        except ValueError:
            raise EngineError(f"{self.name}: {url}: the answer is not JSON") from None

    def _send(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        """One request; an answer other than 2xx raises (transient for 429 and 5xx)."""
        try:
            response = self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise EngineError(f"{self.name}: {url}: {exc}", transient=True) from None
        code = response.status_code
        if code in (401, 403):
            raise NotConfigured(f"{self.name}: {url} refused the key (HTTP {code})")
        if code >= 400:
            raise EngineError(
                f"{self.name}: {url}: HTTP {code}: {response.text[:200]}",
                transient=code == 429 or code >= 500,
                retry_after=retry_after(response.headers.get("retry-after")),
            )
        return response


class LibreTranslateEngine(HttpEngine):
    """A LibreTranslate server (``translate.libretranslate_url``)."""

    name = "libretranslate"

    def __init__(self, settings: Settings) -> None:
        config = settings.translate
        if not config.libretranslate_url:
            raise NotConfigured(
                "libretranslate: set translate.libretranslate_url (the server's address)"
            )
        self.key = config.libretranslate_key
        super().__init__(config.libretranslate_url, config.batch_chars)

    @cached_property
    def _pairs(self) -> set[tuple[str, str]]:
        languages = self.request("GET", "/languages")
        return {(item["code"], target) for item in languages for target in item.get("targets", [])}

    def pairs(self) -> set[tuple[str, str]]:
        """The pairs the server offers."""
        return self._pairs

    def translate_batch(self, batch: list[str], source: str, target: str) -> list[str]:
        """POST /translate with the batch as a list of HTML segments."""
        body = {"q": batch, "source": source, "target": target, "format": "html"}
        if self.key:
            body["api_key"] = self.key
        answer = self.request("POST", "/translate", json=body)
        texts = answer.get("translatedText") if isinstance(answer, dict) else None
        if not isinstance(texts, list):
            raise EngineError(f"libretranslate: unexpected answer {str(answer)[:200]}")
        return [str(t) for t in texts]


class DeepLEngine(HttpEngine):
    """The DeepL API (``translate.deepl_url``, key in ``NEWSRELAY_TRANSLATE_DEEPL_KEY``)."""

    name = "deepl"

    def __init__(self, settings: Settings) -> None:
        config = settings.translate
        if not config.deepl_key:
            raise NotConfigured(
                "deepl: set NEWSRELAY_TRANSLATE_DEEPL_KEY (or NEWSRELAY_TRANSLATE_DEEPL_KEY_FILE)"
            )
        self.key = config.deepl_key
        super().__init__(config.deepl_url, config.batch_chars)

    def headers(self) -> dict[str, str]:
        """DeepL authenticates with a header."""
        return super().headers() | {"Authorization": f"DeepL-Auth-Key {self.key}"}

    @cached_property
    def _pairs(self) -> set[tuple[str, str]]:
        sources = self.request("GET", "/v2/languages", params={"type": "source"})
        targets = self.request("GET", "/v2/languages", params={"type": "target"})
        short = {t["language"].split("-")[0].lower() for t in targets}
        return {(s["language"].lower(), t) for s in sources for t in short}

    def pairs(self) -> set[tuple[str, str]]:
        """Every source language to every target language DeepL lists."""
        return self._pairs

    def translate_batch(self, batch: list[str], source: str, target: str) -> list[str]:
        """POST /v2/translate with the batch, HTML tags handled by DeepL."""
        body = {"text": batch, "source_lang": source.upper(), "target_lang": target.upper(),
                "tag_handling": "html"}  # fmt: skip
        answer = self.request("POST", "/v2/translate", json=body)
        items = answer.get("translations") if isinstance(answer, dict) else None
        if not isinstance(items, list):
            raise EngineError(f"deepl: unexpected answer {str(answer)[:200]}")
        return [str(item.get("text", "")) for item in items]
