"""A fake OpenAI chat-completions server on 127.0.0.1: scripted readings and faults, every request recorded."""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Fault:
    """One scripted misbehaviour: an HTTP status, a hang, or raw (broken) content in place of the reading."""

    status: int = 200
    hang_s: float = 0.0
    content: str | None = None
    finish_reason: str = "stop"
    refusal: str | None = None

    @classmethod
    def http(cls, status: int) -> Fault:
        return cls(status=status)

    @classmethod
    def hang(cls, seconds: float) -> Fault:
        return cls(hang_s=seconds)

    @classmethod
    def invalid_json(cls) -> Fault:
        return cls(content='{"need": "know_more", intent: answer')

    @classmethod
    def refused(cls, why: str = "I can't help with that.") -> Fault:
        return cls(refusal=why)

    @classmethod
    def truncated(cls, reading: dict[str, Any] | None = None) -> Fault:
        text = json.dumps(reading or {"need": "know_more", "intent": "answer", "hedged": False})
        return cls(content=text[: len(text) // 2], finish_reason="length")


def null_reading(body: dict[str, Any]) -> dict[str, Any]:
    """The default answer: nothing understood, the user simply answered."""
    return {"intent": "answer", "hedged": False}


def user_message(body: dict[str, Any]) -> str:
    """The user's words inside the <<< >>> delimiters of the last user message of a request."""
    content = next(m["content"] for m in reversed(body["messages"]) if m["role"] == "user")
    return content.split("<<<", 1)[-1].split(">>>", 1)[0].strip()


def _schema(body: dict[str, Any]) -> dict[str, Any]:
    if "response_format" in body:
        return dict(body["response_format"]["json_schema"]["schema"])
    return dict(body["tools"][0]["function"]["parameters"]) if body.get("tools") else {}


def complete(reading: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """Every property of the requested schema present (null, false or []), as a strict server answers."""
    out = dict(reading)
    for name, spec in schema.get("properties", {}).items():
        kinds = {spec.get("type")} | {s.get("type") for s in spec.get("anyOf", [])}
        out.setdefault(name, False if kinds == {"boolean"} else [] if kinds == {"array"} else None)
    return out


class FakeOpenAI:
    """`with FakeOpenAI() as fake:` serves `fake.base_url`; `enqueue()` readings or Faults, read `fake.requests`."""

    def __init__(self, responder: Responder = null_reading) -> None:
        self.responder = responder
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._script: deque[dict[str, Any] | Fault] = deque()
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    def enqueue(self, *behaviours: dict[str, Any] | Fault) -> None:
        """Answer the next requests with these, in order; then fall back to the responder."""
        with self._lock:
            self._script.extend(behaviours)

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the fake first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def start(self) -> FakeOpenAI:
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="fake-openai",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases hanging handlers
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- answering ------------------------------------------------------------------------------------------
    def _next(self, body: dict[str, Any]) -> dict[str, Any] | Fault:
        with self._lock:
            self.requests.append(body)
            if self._script:
                return self._script.popleft()
        return self.responder(body)

    def answer(self, body: dict[str, Any]) -> tuple[int, dict[str, Any], float]:
        """(status, JSON body, seconds to hang first) for one chat-completions request."""
        behaviour = self._next(body)
        fault = behaviour if isinstance(behaviour, Fault) else Fault()
        if fault.status != 200:
            kind = "rate_limit_exceeded" if fault.status == 429 else "server_error"
            return fault.status, {"error": {"message": f"scripted {fault.status}", "type": kind}}, fault.hang_s
        text = fault.content
        if fault.refusal is not None:
            message = {"role": "assistant", "content": None, "refusal": fault.refusal}
            return 200, self._completion(body, message, "stop", ""), fault.hang_s
        if text is None:
            reading = behaviour if isinstance(behaviour, dict) else {}
            text = json.dumps(complete(reading, _schema(body)))
        message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
        finish = fault.finish_reason
        if body.get("tools"):
            name = body["tools"][0]["function"]["name"]
            message["content"] = None
            message["tool_calls"] = [{"id": "call_1", "type": "function",
                                      "function": {"name": name, "arguments": text}}]
            finish = "tool_calls" if finish == "stop" else finish
        return 200, self._completion(body, message, finish, text), fault.hang_s

    def _completion(self, body: dict[str, Any], message: dict[str, Any], finish: str, text: str) -> dict[str, Any]:
        prompt_chars = len(json.dumps(body))
        return {
            "id": f"chatcmpl-{len(self.requests)}", "object": "chat.completion", "created": 0,
            "model": body.get("model", "fake"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
            "usage": {"prompt_tokens": prompt_chars // 4, "completion_tokens": len(text) // 4,
                      "total_tokens": (prompt_chars + len(text)) // 4},
        }


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if self.path.rstrip("/") != "/v1/chat/completions":
                return self._send(404, {"error": {"message": f"no route {self.path}"}})
            body = json.loads(raw or b"{}")
            with fake._lock:
                fake.headers.append({k.lower(): v for k, v in self.headers.items()})
            status, payload, hang_s = fake.answer(body)
            if hang_s and fake._stopping.wait(hang_s):
                return
            self._send(status, payload)

        def _send(self, status: int, payload: dict[str, Any]) -> None:
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:
                pass  # the client gave up (a timeout test): nothing to answer

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            return

    return Handler


def serve(responder: Responder = null_reading) -> Iterator[FakeOpenAI]:
    """Generator for a pytest fixture: `fake_openai = pytest.fixture(serve)`."""
    with FakeOpenAI(responder) as fake:
        yield fake
