"""The ``openai`` engine: a large language model behind an OpenAI-compatible chat-completions API
(OpenAI, Azure-style base addresses, Ollama's ``/v1``, llama.cpp's server, vLLM, LM Studio), or
Ollama's own ``/api/chat`` (``translate.openai_api = "ollama"``).

Sentences go in numbered batches (``translate.openai_batch_segments``) and must come back
aligned: as a JSON object that a JSON schema describes (``response_format``, Ollama's
``format``), or, for servers without structured output, as numbered tags (``<s1>…</s1>``).
Every answer is verified before it is used, and nothing is guessed:

- a batch whose ids or count do not match, or whose answer lost a placeholder (a hidden name),
  an inline tag or a link, is split in two and each half asked again, down to one sentence,
  which then fails (``engine_misaligned``);
- reasoning (``<think>…</think>``, or a ``</think>`` without its opening tag) is taken off, and
  so is commentary around a translation ("Here is the translation:", "Note: …"); a sentence
  that is still commentary counts as misaligned;
- a refusal ("I'm sorry, I can't …") is asked once more, then fails (``engine_refused``);
- a ``finish_reason`` other than ``stop`` fails: ``length``, like an error that the context is
  too long, splits the batch; any other (``content_filter``) fails it (``engine_refused``);
- 429 and 5xx are retried by the one retry policy (Retry-After honoured), a refused key says so
  (``not_configured``).

A failure fails the story's translation, with its reason: an error text or a refusal never
becomes a translation. With ``translate.openai_logprobs`` the engine asks for the tokens'
log-probabilities and gives each sentence a confidence (the mean probability of its tokens),
which the ``low_confidence`` check reads; without them it gives none.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from babel import Locale

from newsrelay.config import Settings
from newsrelay.errors import EngineError, NotConfigured
from newsrelay.retry import retry_after
from newsrelay.translate import batches
from newsrelay.translate.http import RETRY, HttpEngine
from newsrelay.translate.segment import TAG

__all__ = ["DEFAULT_PROMPT", "OpenAIEngine", "parse_answer"]

DEFAULT_PROMPT = """\
You are a professional news translator. Translate each numbered segment of a news story from \
{source_name} into {target_name}, on its own, the way a careful {target_name}-language newsroom \
would publish it.

Rules:
- Keep the meaning exactly: every number, date, name and negation.
- Keep every HTML tag exactly as it is (with its attributes), around the words it surrounds.
- Keep every token of the form QX<number>Q exactly as it is: it stands for a name.
- Never translate these names: {keep}.
- Answer with the translations only: no notes, explanations or comments."""
PLACEHOLDER = re.compile(r"QX\d+Q")
THINK = re.compile(r"<think>.*?</think>", re.S | re.I)
LEAD = re.compile(
    r"^\s*(?:(?:sure|certainly|of course)[,!.]?\s*)?(?:here(?:'s| is| are) (?:the |your |my )?"
    r"translations?[^:\n]*:|translations?:|translated text:)\s*",
    re.I,
)
TRAIL = re.compile(r"\s*\(?\b(?:note|notes|explanation|translator's note)s?\s*:.*$", re.I | re.S)
REFUSAL = re.compile(
    r"^\W*(?:I'm sorry|I am sorry|sorry, (?:but )?I|I (?:can't|cannot|can not|won't|will not|"
    r"am unable|'m unable|am not able)|as an AI\b|I apologi[sz]e)",
    re.I,
)
CONTEXT = re.compile(r"context.{0,20}(?:length|window|size)|too many tokens|too long", re.I)
TAGGED = re.compile(r"<s(\d+)>(.*?)</s\1>", re.S)


class Misaligned(EngineError):
    """The answer does not match the segments asked for."""

    def __init__(self, message: str) -> None:
        super().__init__(message, reason="engine_misaligned")


class TooLong(EngineError):
    """The batch (or its answer) does not fit the model's context."""

    def __init__(self, message: str) -> None:
        super().__init__(message, reason="engine_too_long")


class Refused(EngineError):
    """The model declined to translate."""

    def __init__(self, message: str) -> None:
        super().__init__(message, reason="engine_refused")


@dataclass
class Reply:
    """A model's answer: its text, why it stopped, the tokens it counted, and the
    log-probability of each token it chose (with the token's text), when asked for."""

    content: str = ""
    finish: str | None = None
    tokens_in: int = 0
    tokens_out: int = 0
    logprobs: list[tuple[str, float]] = field(default_factory=list)


class OpenAIEngine(HttpEngine):
    """A large language model over an OpenAI-compatible API, or Ollama's own."""

    name = "openai"
    accepts_markup = True

    def __init__(self, settings: Settings) -> None:
        config = settings.translate
        if not config.openai_url or not config.openai_model:
            raise NotConfigured(
                "openai: set translate.openai_url (the API's base address) and "
                "translate.openai_model"
            )
        self.model = config.openai_model
        self.key = config.openai_key
        self.api = config.openai_api
        self.stream = config.openai_stream
        self.tagged = config.openai_format == "tagged"
        self.logprobs = config.openai_logprobs and self.api == "chat"
        self.temperature = config.openai_temperature
        self.batch_segments = max(config.openai_batch_segments, 1)
        self.prompts = settings.root / config.openai_prompts if config.openai_prompts else None
        self.keep: Sequence[str] = config.keep
        super().__init__(config.openai_url, config.batch_chars, timeout=300.0)
        self._scores: list[float | None] = []
        self._tokens = [0, 0]

    def headers(self) -> dict[str, str]:
        """The key, where one is set (local servers take none): as Azure's ``api-key`` header
        for an Azure-style address (one with ``?api-version=``), else as a bearer token."""
        if not self.key:
            return super().headers()
        if "api-version=" in urlsplit(self.base_url).query:
            return super().headers() | {"api-key": self.key}
        return super().headers() | {"Authorization": f"Bearer {self.key}"}

    def pairs(self) -> set[tuple[str, str]]:
        """Any two languages CLDR names: the model is asked in words."""
        return {(a, b) for a in _LANGUAGES for b in _LANGUAGES if a != b}

    def version(self, source: str, target: str) -> str:
        """The model and the prompt (the memory keys on them: a new prompt translates anew)."""
        digest = hashlib.sha256(self.prompt(source, target).encode()).hexdigest()[:12]
        return f"{self.model}#{digest}"

    def prompt(self, source: str, target: str) -> str:
        """The system prompt for a pair: ``SOURCE-TARGET.txt`` or ``default.txt`` of
        ``translate.openai_prompts``, else the shipped one."""
        template = DEFAULT_PROMPT
        for name in (f"{source}-{target}.txt", "default.txt"):
            if self.prompts is not None and (self.prompts / name).is_file():
                template = (self.prompts / name).read_text(encoding="utf-8")
                break
        return template.format(
            source_name=_english_name(source), target_name=_english_name(target),
            keep=", ".join(self.keep) or "(none)", source=source, target=target,
        )  # fmt: skip

    def translate(self, segments: Sequence[str], source: str, target: str) -> list[str]:
        """Translate the segments, a numbered batch a request; each answer verified."""
        self._scores, self._tokens = [], [0, 0]
        translated: list[str] = []
        for batch in batches(segments, self.batch_chars, self.batch_segments):
            answers, scores = self._aligned(list(batch), source, target)
            translated += answers
            self._scores += scores
        return translated

    def last_scores(self) -> list[float | None]:
        """The confidence in each segment of the last call (None without log-probabilities)."""
        return list(self._scores)

    def last_tokens(self) -> tuple[int, int]:
        """The tokens the API counted for the last call: prompt and completion."""
        return self._tokens[0], self._tokens[1]

    def _aligned(
        self, batch: list[str], source: str, target: str, *, refused: bool = False
    ) -> tuple[list[str], list[float | None]]:
        """A batch's answers; one that does not match, or does not fit, is split in two."""
        try:
            reply = self._ask(batch, source, target)
            return parse_answer(reply, batch, tagged=self.tagged)
        except (Misaligned, TooLong):
            if len(batch) == 1:
                raise
            half = len(batch) // 2
            first = self._aligned(batch[:half], source, target)
            second = self._aligned(batch[half:], source, target)
            return first[0] + second[0], first[1] + second[1]
        except Refused:
            if refused:
                raise
            return self._aligned(batch, source, target, refused=True)  # asked once more

    def _ask(self, batch: list[str], source: str, target: str) -> Reply:
        """One request for one batch."""
        messages = [
            {"role": "system", "content": self.prompt(source, target)},
            {"role": "user", "content": _numbered(batch, tagged=self.tagged)},
        ]
        if self.api == "ollama":
            body: dict[str, Any] = {"model": self.model, "messages": messages,
                                    "stream": self.stream,
                                    "options": {"temperature": self.temperature}}  # fmt: skip
            if not self.tagged:
                body["format"] = _schema(len(batch))
            reply = self._post("/api/chat", body, _ollama_lines if self.stream else _ollama)
        else:
            body = {"model": self.model, "messages": messages, "temperature": self.temperature,
                    "stream": self.stream}  # fmt: skip
            if not self.tagged:
                schema = {"name": "translations", "strict": True, "schema": _schema(len(batch))}
                body["response_format"] = {"type": "json_schema", "json_schema": schema}
            if self.stream:
                body["stream_options"] = {"include_usage": True}
            if self.logprobs:
                body["logprobs"] = True
            reply = self._post("/chat/completions", body, _sse if self.stream else _chat)
        self._tokens[0] += reply.tokens_in
        self._tokens[1] += reply.tokens_out
        if reply.finish == "length":
            raise TooLong(f"{self.name}: the answer was cut at the model's length limit")
        if reply.finish not in (None, "stop"):
            raise Refused(f"{self.name}: the model stopped with {reply.finish!r}")
        return reply

    def _post(self, path: str, body: dict[str, Any], read: Callable[[Any], Reply]) -> Reply:
        """POST and read the answer (streamed or not), retried on 429, 5xx and lost
        connections by the one retry policy."""
        url = _join(self.base_url, path)

        def attempt() -> Reply:
            try:
                with self.client.stream("POST", url, json=body) as response:
                    if response.status_code >= 400:
                        response.read()
                        self._refuse(url, response)
                    return read(response) if self.stream else read(_json(response, url))
            except httpx.HTTPError as exc:
                raise EngineError(f"{self.name}: {url}: {exc}", transient=True) from None

        return RETRY.call(attempt, f"{self.name}: {url}")

    def _refuse(self, url: str, response: httpx.Response) -> None:
        """Raise what an answer other than 2xx means."""
        code, text = response.status_code, response.text[:300]
        if code in (401, 403):
            raise NotConfigured(f"{self.name}: {url} refused the key (HTTP {code})")
        if code in (400, 413) and CONTEXT.search(text):
            raise TooLong(f"{self.name}: {url}: HTTP {code}: the batch does not fit the model")
        raise EngineError(
            f"{self.name}: {url}: HTTP {code}: {text}",
            transient=code == 429 or code >= 500,
            retry_after=retry_after(response.headers.get("retry-after")),
        )


def parse_answer(
    reply: Reply, batch: Sequence[str], *, tagged: bool
) -> tuple[list[str], list[float | None]]:
    """The translation of each segment of ``batch`` in a model's answer, with its confidence;
    raise Misaligned or Refused when the answer is not one translation per segment."""
    content = _without_reasoning(reply.content)
    spans = _tagged(content) if tagged else _from_json(content)
    if sorted(spans) != list(range(1, len(batch) + 1)):
        if REFUSAL.search(content.strip()):
            raise Refused(f"the model declined: {content.strip()[:120]!r}")
        raise Misaligned(f"{len(batch)} segments asked for, ids {sorted(spans)[:10]} came back")
    answers, scores = [], []
    for index, segment in enumerate(batch, 1):
        text, where = spans[index]
        answer = _without_commentary(text)
        if REFUSAL.search(answer) and not REFUSAL.search(segment):
            raise Refused(f"the model declined segment {index}: {answer[:120]!r}")
        _verify(segment, answer, index)
        answers.append(answer)
        scores.append(_confidence(reply.logprobs, where, content, reply.content))
    return answers, scores


def _verify(segment: str, answer: str, index: int) -> None:
    """Every placeholder, tag and link of the segment is in its answer, as often."""
    if not answer.strip() and segment.strip():
        raise Misaligned(f"segment {index} came back empty")
    for pattern in (PLACEHOLDER, TAG):
        ours = sorted(m.group() for m in pattern.finditer(segment))
        theirs = sorted(m.group() for m in pattern.finditer(answer))
        if ours != theirs:
            raise Misaligned(f"segment {index} came back without {set(ours) - set(theirs) or ours}"
                             f" or with more")  # fmt: skip


def _without_reasoning(content: str) -> str:
    """The answer without the model's reasoning: ``<think>…</think>`` blocks, all before a
    ``</think>`` whose opening tag the server ate, and an unclosed ``<think>`` to the end."""
    content = THINK.sub("", content)
    if "</think>" in content.lower():
        content = content[content.lower().rindex("</think>") + len("</think>") :]
    if "<think>" in content.lower():
        content = content[: content.lower().index("<think>")]
    return content.strip()


def _without_commentary(text: str) -> str:
    """A segment's answer without what a model says around a translation."""
    text = LEAD.sub("", text.strip())
    return TRAIL.sub("", text).strip()


def _tagged(content: str) -> dict[int, tuple[str, tuple[int, int]]]:
    """``<sN>…</sN>`` answers by N, with where each is in the content (text outside the tags
    is commentary and is not read)."""
    found: dict[int, tuple[str, tuple[int, int]]] = {}
    for match in TAGGED.finditer(content):
        if int(match.group(1)) in found:
            return {}  # an id twice: not one answer per segment
        found[int(match.group(1))] = (match.group(2), match.span(2))
    return found


def _from_json(content: str) -> dict[int, tuple[str, tuple[int, int]]]:
    """``{"translations": [{"id": N, "text": …}]}`` answers by N (a fenced block is read too)."""
    fenced = re.search(r"```(?:json)?\s*(.*?)```", content, re.S)
    raw = fenced.group(1) if fenced else content
    try:
        items = json.loads(raw)["translations"]
        pairs = [(int(item["id"]), str(item["text"])) for item in items]
    except (ValueError, KeyError, TypeError):
        return {}
    if len({i for i, _ in pairs}) != len(pairs):
        return {}
    found, cursor = {}, 0
    for index, text in pairs:
        encoded = json.dumps(text, ensure_ascii=False)[1:-1]
        start = content.find(encoded, cursor)
        where = (start, start + len(encoded)) if start >= 0 else (-1, -1)
        cursor = max(cursor, where[1])
        found[index] = (text, where)
    return found


def _confidence(
    logprobs: list[tuple[str, float]], where: tuple[int, int], content: str, raw: str
) -> float | None:
    """The mean probability of the tokens that wrote ``content[where]`` (None without
    log-probabilities, or when the tokens cannot be placed)."""
    if not logprobs or where[0] < 0:
        return None
    offset = raw.find(content)  # reasoning taken off the front moves the answer
    if offset < 0:
        return None
    start, end = where[0] + offset, where[1] + offset
    position, chosen = 0, []
    for token, logprob in logprobs:
        if position < end and position + len(token) > start:
            chosen.append(logprob)
        position += len(token)
    return math.exp(sum(chosen) / len(chosen)) if chosen else None


def _numbered(batch: Sequence[str], *, tagged: bool) -> str:
    """The user message: the segments with their numbers."""
    if tagged:
        lines = "\n".join(f"<s{i}>{text}</s{i}>" for i, text in enumerate(batch, 1))
        return ("Translate each segment. Answer with the same numbered tags, one translation "
                f"in each, and nothing else.\n\n{lines}")  # fmt: skip
    segments = [{"id": i, "text": text} for i, text in enumerate(batch, 1)]
    return ('Translate each segment. Answer with JSON: {"translations": [{"id": 1, "text": '
            '"..."}, ...]}, one item per segment, same ids.\n\n'
            + json.dumps({"segments": segments}, ensure_ascii=False))  # fmt: skip


def _schema(count: int) -> dict[str, Any]:
    """The JSON schema of an answer of ``count`` translations."""
    item = {"type": "object", "additionalProperties": False, "required": ["id", "text"],
            "properties": {"id": {"type": "integer"}, "text": {"type": "string"}}}  # fmt: skip
    return {"type": "object", "additionalProperties": False, "required": ["translations"],
            "properties": {"translations": {"type": "array", "items": item,
                                            "minItems": count, "maxItems": count}}}  # fmt: skip


def _join(base: str, path: str) -> str:
    """``path`` after the base address's path, its query kept (Azure-style addresses:
    ``https://NAME.openai.azure.com/openai/deployments/MODEL?api-version=2024-06-01``)."""
    parts = urlsplit(base)
    return urlunsplit(parts._replace(path=parts.path.rstrip("/") + path))


def _json(response: httpx.Response, url: str) -> Any:
    response.read()
    try:
        return response.json()
    except ValueError:
        raise EngineError(
            f"openai: {url}: the answer is not JSON: {response.text[:120]!r}"
        ) from None


def _chat(answer: Any) -> Reply:
    """A chat-completions answer."""
    try:
        choice = answer["choices"][0]
        content = choice["message"].get("content") or ""
    except (KeyError, IndexError, TypeError, AttributeError):
        raise EngineError(f"openai: unexpected answer {str(answer)[:200]}") from None
    usage = answer.get("usage") or {}
    tokens = ((choice.get("logprobs") or {}).get("content")) or []
    chosen = [(str(t.get("token", "")), float(t.get("logprob", 0.0))) for t in tokens]
    return Reply(content, choice.get("finish_reason"), int(usage.get("prompt_tokens") or 0),
                 int(usage.get("completion_tokens") or 0), chosen)  # fmt: skip


def _sse(response: httpx.Response) -> Reply:
    """A streamed chat-completions answer: ``data:`` events, then ``data: [DONE]``."""
    reply = Reply()
    pieces = []
    for line in response.iter_lines():
        if not line.startswith("data:"):
            continue
        data = line[5:].strip()
        if data == "[DONE]":
            break
        try:
            event = json.loads(data)
        except ValueError:
            raise EngineError(f"openai: unreadable event {data[:120]!r}") from None
        if event.get("error"):
            raise EngineError(f"openai: the stream failed: {str(event['error'])[:200]}")
        usage = event.get("usage") or {}
        reply.tokens_in += int(usage.get("prompt_tokens") or 0)
        reply.tokens_out += int(usage.get("completion_tokens") or 0)
        for choice in event.get("choices") or []:
            pieces.append((choice.get("delta") or {}).get("content") or "")
            reply.finish = choice.get("finish_reason") or reply.finish
            for token in (choice.get("logprobs") or {}).get("content") or []:
                reply.logprobs.append((str(token.get("token", "")), float(token["logprob"])))
    reply.content = "".join(pieces)
    return reply


def _ollama(answer: Any) -> Reply:
    """An answer of Ollama's ``/api/chat``."""
    if not isinstance(answer, dict) or not isinstance(answer.get("message"), dict):
        raise EngineError(f"openai: unexpected answer {str(answer)[:200]}")
    counts = int(answer.get("prompt_eval_count") or 0), int(answer.get("eval_count") or 0)
    return Reply(str(answer["message"].get("content") or ""), answer.get("done_reason"), *counts)


def _ollama_lines(response: httpx.Response) -> Reply:
    """A streamed answer of Ollama's ``/api/chat``: one JSON object a line, the last ``done``."""
    reply = Reply()
    pieces = []
    for line in response.iter_lines():
        if not line.strip():
            continue
        try:
            part = _ollama(json.loads(line))
        except ValueError:
            raise EngineError(f"openai: unreadable line {line[:120]!r}") from None
        pieces.append(part.content)
        reply.finish = part.finish or reply.finish
        reply.tokens_in += part.tokens_in
        reply.tokens_out += part.tokens_out
    reply.content = "".join(pieces)
    return reply


def _english_name(code: str) -> str:
    try:
        return str(Locale.parse(code).get_display_name("en"))
    except (ValueError, TypeError):
        return code


_LANGUAGES = sorted(
    str(code) for code in Locale("en").languages if len(str(code)) == 2 and str(code).isalpha()
)  # the ISO 639-1 codes CLDR names
