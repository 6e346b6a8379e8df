"""A fake OpenAI chat-completions server on 127.0.0.1: model profiles, scripted readings and faults.

The only fake of the project (tests and `consultant eval --llm PROFILE` use it). Each request is answered by
the next scripted behaviour (`enqueue`), else by the server's model profile (`consultant.evaluation.model_profiles`).
A profile can also be picked per request by URL path: `http://127.0.0.1:PORT/eager/v1` serves the eager model
whatever the server's default (`fake.url_for("eager")`). `accepts` limits the structured-output methods the
server understands, as real servers do (llama-server rejects forced tool calls): other requests get a 400.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from consultant.evaluation.model_profiles import (
    PROFILES,
    Fault,
    Responder,
    complete,
    method_of,
    null_reading,
    schema_of,
)

ALL_METHODS = ("json_schema", "json_object", "function_calling")


class FakeOpenAI:
    """`with FakeOpenAI() as fake:` serves `fake.base_url`; `enqueue()` readings or Faults, read `fake.requests`."""

    def __init__(self, responder: Responder | str = null_reading, accepts: Sequence[str] = ALL_METHODS) -> None:
        self.responder: Responder = PROFILES[responder] if isinstance(responder, str) else responder
        self.accepts = tuple(accepts)
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self.profiles_used: list[str] = []  # the URL-path profile of each request ("" for the default)
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

    def url_for(self, profile: str) -> str:
        """The base URL that serves one model profile (see `model_profiles.PROFILES`)."""
        if profile not in PROFILES:
            raise ValueError(f"unknown model profile {profile!r}; one of {', '.join(PROFILES)}")
        return self.base_url.removesuffix("/v1") + f"/{profile}/v1"

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
    def _next(self, body: dict[str, Any], profile: str) -> dict[str, Any] | Fault:
        with self._lock:
            self.requests.append(body)
            self.profiles_used.append(profile)
            if self._script:
                return self._script.popleft()
        return (PROFILES[profile] if profile else self.responder)(body)

    def answer(self, body: dict[str, Any], profile: str = "") -> tuple[int, dict[str, Any], float]:
        """(status, JSON body, seconds to hang first) for one chat-completions request."""
        method = method_of(body)
        if method != "plain" and method not in self.accepts:
            with self._lock:
                self.requests.append(body)
                self.profiles_used.append(profile)
            return 400, {"error": {"message": f"{method} is not supported by this server",
                                   "type": "invalid_request_error"}}, 0.0
        behaviour = self._next(body, profile)
        fault = behaviour if isinstance(behaviour, Fault) else Fault()
        if fault.status != 200:
            kind = "rate_limit_exceeded" if fault.status == 429 else "server_error"
            return fault.status, {"error": {"message": f"scripted {fault.status}", "type": kind}}, fault.hang_s
        if fault.refusal is not None:
            refusal: dict[str, Any] = {"role": "assistant", "content": None, "refusal": fault.refusal}
            return 200, self._completion(body, refusal, "stop", ""), fault.hang_s
        text = fault.content
        if text is None:
            reading = behaviour if isinstance(behaviour, dict) else {}
            text = json.dumps(complete(reading, schema_of(body)))
        message: dict[str, Any] = {"role": "assistant", "content": text, "refusal": None}
        finish = fault.finish_reason
        if method == "function_calling":
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


def _route(path: str) -> str | None:
    """The profile a request path asks for: "" for /v1/chat/completions, the name for /NAME/v1/..., else None."""
    parts = [p for p in path.split("?", 1)[0].split("/") if p]
    if parts == ["v1", "chat", "completions"]:
        return ""
    if len(parts) == 4 and parts[1:] == ["v1", "chat", "completions"] and parts[0] in PROFILES:
        return parts[0]
    return None


def _handler(fake: FakeOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            profile = _route(self.path)
            if profile is None:
                return self._send(404, {"error": {"message": f"no route {self.path}"}})
            body = json.loads(raw or b"{}")
            with fake._lock:
                fake.headers.append({k.lower(): v for k, v in self.headers.items()})
            status, payload, hang_s = fake.answer(body, profile)
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


def serve(responder: Responder | str = null_reading) -> Iterator[FakeOpenAI]:
    """Generator for a pytest fixture: `fake_openai = pytest.fixture(serve)`."""
    with FakeOpenAI(responder) as fake:
        yield fake
