"""A local stand-in for a large language model server, on 127.0.0.1: OpenAI's chat-completions
wire protocol (``/v1/chat/completions``, streamed as server-sent events or not) and Ollama's
own (``/api/chat``, streamed as JSON lines or not).

It reads the numbered segments newsrelay sends (JSON or ``<sN>`` tags), translates each with
``translate`` (by default real Apertium, so that what it answers passes newsrelay's checks), and
answers in the format asked for, with token counts and, when asked, log-probabilities. Each
request takes the next behaviour of ``script`` (then ``good``), to play a failure mode:

    good, think, think_unclosed, commentary, misaligned, refusal, length, rate_limited,
    server_error, context_length, bad_key, error_text
"""

from __future__ import annotations

import json
import re
import subprocess
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

TAGGED = re.compile(r"<s(\d+)>(.*?)</s\1>", re.S)


def apertium(text: str) -> str:
    """Real Apertium, English into Spanish, keeping inline HTML."""
    done = subprocess.run(["apertium", "-u", "-f", "html", "eng-spa"], input=text,
                          capture_output=True, text=True, check=True)  # fmt: skip
    return done.stdout.strip()


class LLMServer:
    """The server; ``requests`` records each body it was sent."""

    def __init__(self, translate: Callable[[str], str] = apertium) -> None:
        self.translate = translate
        self.script: list[str] = []
        self.requests: list[dict[str, Any]] = []
        self.segments_seen: list[str] = []
        self.paths: list[str] = []
        self.headers: list[dict[str, str]] = []  # lower-case names
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def next_behaviour(self, body: dict[str, Any]) -> str:
        with self.lock:
            self.requests.append(body)
            return self.script.pop(0) if self.script else "good"

    def answer(self, body: dict[str, Any], behaviour: str) -> tuple[str, str]:
        """The content the model writes, and its finish reason."""
        user = body["messages"][-1]["content"]
        tagged = "<s1>" in user
        if tagged:
            segments = {int(i): t for i, t in TAGGED.findall(user)}
        else:
            found = json.loads(user[user.index('{"segments"') :])["segments"]
            segments = {item["id"]: item["text"] for item in found}
        with self.lock:
            self.segments_seen += segments.values()
        out = {i: self.translate(t) for i, t in segments.items()}
        if behaviour == "misaligned" and len(out) > 1:
            out.pop(max(out))
        if behaviour == "misaligned" and len(out) == 1:
            out = {i + 1: t for i, t in out.items()}
        if behaviour == "commentary":
            out = {i: f"Here is the translation: {t} (Note: a literal rendering.)"
                   for i, t in out.items()}  # fmt: skip
        if behaviour == "refusal":
            return "I'm sorry, but I can't help with translating this content.", "stop"
        if tagged:
            content = "\n".join(f"<s{i}>{t}</s{i}>" for i, t in out.items())
        else:
            items = [{"id": i, "text": t} for i, t in out.items()]
            content = json.dumps({"translations": items}, ensure_ascii=False)
        if behaviour == "commentary" and tagged:
            content = "Sure! Here are the translations:\n" + content + "\nLet me know if..."
        if behaviour == "think":
            content = "<think>The user wants Spanish. Keep QX tokens.</think>\n" + content
        if behaviour == "think_unclosed":  # a server that eats the opening tag
            content = "The user wants Spanish; I keep the tags.\n</think>\n" + content
        if behaviour == "length":
            return content[: len(content) // 2], "length"
        return content, "stop"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                server.paths.append(self.path)
                server.headers.append({k.lower(): v for k, v in self.headers.items()})
                behaviour = server.next_behaviour(body)
                if behaviour == "rate_limited":
                    return self._error(429, "Rate limit reached", {"Retry-After": "1"})
                if behaviour == "server_error":
                    return self._error(500, "The server had an error")
                if behaviour == "bad_key":
                    return self._error(401, "Incorrect API key provided")
                if behaviour == "context_length":
                    return self._error(400, "This model's maximum context length is 40 tokens",
                                       code="context_length_exceeded")  # fmt: skip
                if behaviour == "error_text":  # an error, sent as if it were an answer
                    content, finish = '{"error": "upstream timeout, try again"}', "stop"
                else:
                    content, finish = server.answer(body, behaviour)
                if self.path.startswith("/api/chat"):
                    self._ollama(body, content, finish)
                else:
                    self._chat(body, content, finish)

            def _error(self, status: int, message: str, headers: dict[str, str] | None = None,
                       code: str | None = None) -> None:  # fmt: skip
                data = json.dumps({"error": {"message": message, "code": code}}).encode()
                self.send_response(status)
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _send(self, data: bytes, kind: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _chat(self, body: dict[str, Any], content: str, finish: str) -> None:
                usage = {"prompt_tokens": len(json.dumps(body["messages"])) // 4,
                         "completion_tokens": len(content) // 4}  # fmt: skip
                # one token a word (with its spaces), each sure but the unsure words ("QUIZÁ")
                words = re.findall(r"\S+\s*|\s+", content)
                logprobs = [{"token": w, "logprob": -3.0 if "QUIZÁ" in w else -0.01}
                            for w in words]  # fmt: skip
                if not body.get("stream"):
                    choice: dict[str, Any] = {
                        "index": 0,
                        "finish_reason": finish,
                        "message": {"role": "assistant", "content": content},
                    }
                    if body.get("logprobs"):
                        choice["logprobs"] = {"content": logprobs}
                    answer = {
                        "id": "chatcmpl-1",
                        "object": "chat.completion",
                        "model": body["model"],
                        "choices": [choice],
                        "usage": usage,
                    }
                    return self._send(json.dumps(answer).encode(), "application/json")
                events = []
                for index, word in enumerate(words):
                    delta: dict[str, Any] = {"index": 0, "delta": {"content": word},
                                             "finish_reason": None}  # fmt: skip
                    if body.get("logprobs"):
                        delta["logprobs"] = {"content": [logprobs[index]]}
                    events.append({"object": "chat.completion.chunk", "choices": [delta]})
                events.append({"choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
                events.append({"choices": [], "usage": usage})
                text = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
                self._send(text.encode(), "text/event-stream")

            def _ollama(self, body: dict[str, Any], content: str, finish: str) -> None:
                counts = {"prompt_eval_count": len(json.dumps(body["messages"])) // 4,
                          "eval_count": len(content) // 4}  # fmt: skip
                final = {"model": body["model"], "done": True, "done_reason": finish, **counts,
                         "message": {"role": "assistant", "content": "" if body.get("stream")
                                     else content}}  # fmt: skip
                if not body.get("stream"):
                    return self._send(json.dumps(final).encode(), "application/json")
                lines = [{"model": body["model"], "done": False,
                          "message": {"role": "assistant", "content": piece}}
                         for piece in re.findall(r"\S+\s*|\s+", content)]  # fmt: skip
                text = "".join(json.dumps(x) + "\n" for x in [*lines, final])
                self._send(text.encode(), "application/x-ndjson")

        return Handler
