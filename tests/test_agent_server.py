"""The LangGraph Agent Server: a real `langgraph dev` (in-memory) on a free loopback port, driven through
`langgraph-sdk` the way a chat client would: a whole consultation with an interrupt per question, resumed with
`command={"resume": ...}`; the `messages` channel; the message checks inside the graph (empty and oversize
messages get the safe reply, the consultation is kept); and, when `strace` is available, no connection
leaving the machine from the server process tree.

The server runs in a temporary folder with a copy of the repository's `langgraph.json` whose graph paths are
made absolute: its in-memory persistence (`.langgraph_api/`) stays there, never in the repository, and the
graph the test serves is the one the repository's configuration names.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from consultant import intake
from consultant.nodes import load_profile
from consultant.scoring import recommend
from tests.local_servers import free_port, wait_for_http

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
START_TIMEOUT_S = 120  # the server builds the knowledge store (first start) and imports the graph before /ok
OPENING = "We want a support assistant that answers questions from our help center."
PERSONA = {  # the simulated user's answer per pending slot (CONTRACT section 3, persona mode)
    "need": "It mostly needs to know our policies; its tone is fine.",
    "knowledge_change": "Policies change every week or two.",
    "latency_budget_ms": "A second or two is fine, it's chat.",
    "auditability": "Citations would be nice but are not required.",
}
NOT_SURE = "I'm not sure."
MAX_TURNS = 12
#: Variables that keep the server's process tree on the machine: CLI analytics, the CLI's version check
#: against PyPI, LangSmith tracing, Chroma's telemetry (onnxruntime's is switched off by `import consultant`).
OFFLINE_ENV = {"LANGGRAPH_CLI_NO_ANALYTICS": "1", "LANGGRAPH_NO_VERSION_CHECK": "true",
               "LANGSMITH_TRACING": "false", "LANGCHAIN_TRACING_V2": "false", "ANONYMIZED_TELEMETRY": "False"}


@dataclass
class Server:
    url: str
    log: Path
    trace: Path | None
    started: float  # time.monotonic() when the server was launched


def _langgraph_exe() -> str | None:
    beside = Path(sys.executable).with_name("langgraph")
    return str(beside) if beside.exists() else shutil.which("langgraph")


def _strace() -> str | None:
    """`strace` when it can trace here (containers may forbid ptrace)."""
    exe = shutil.which("strace")
    if exe is None:
        return None
    done = subprocess.run([exe, "-f", "-qq", "-e", "trace=connect", "-o", os.devnull, "true"], capture_output=True)
    return exe if done.returncode == 0 else None


def _served_config(root: Path) -> Path:
    """The repository's langgraph.json with its graph paths made absolute, written into `root`."""
    config = json.loads((REPO / "langgraph.json").read_text())
    for name, spec in config["graphs"].items():
        path, _, variable = spec.partition(":")
        config["graphs"][name] = f"{(REPO / path).resolve()}:{variable}"
    target = root / "langgraph.json"
    target.write_text(json.dumps(config))
    return target


def _wait_ok(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    if not wait_for_http(f"{url}/ok", proc, START_TIMEOUT_S, interval_s=0.5):
        pytest.fail(f"`langgraph dev` did not come up on {url} (exit {proc.poll()}):\n"
                    f"{log.read_text(errors='replace')[-3000:]}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server's whole process group (the CLI, uvicorn and their workers)."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.fixture(scope="module")
def agent_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    exe = _langgraph_exe()
    try:
        import langgraph_api  # noqa: F401
        import langgraph_sdk  # noqa: F401
    except ImportError:
        exe = None
    if exe is None:
        pytest.skip("the `server` extra is not installed (pip install -e '.[server]': langgraph-cli[inmem], langgraph-sdk)")
    root = tmp_path_factory.mktemp("agent-server")
    config = _served_config(root)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("OPENAI_", "CONSULTANT_", "LANGSMITH_", "LANGCHAIN_"))}
    env.update(OFFLINE_ENV, CONSULTANT_DATA_DIR=str(root / "data"),
               PYTHONPATH=os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    cmd = [exe, "dev", "--config", str(config), "--no-browser", "--host", "127.0.0.1", "--port", str(port),
           "--no-reload"]
    strace = _strace()
    trace = root / "connect.trace" if strace else None
    if strace and trace:
        cmd = [strace, "-f", "-qq", "-e", "trace=connect", "-o", str(trace), *cmd]
    log_path = root / "server.log"
    with log_path.open("wb") as log:
        started = time.monotonic()
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            _wait_ok(url, proc, log_path)
            yield Server(url=url, log=log_path, trace=trace, started=started)
        finally:
            _stop(proc)


def _pending(client: Any, thread_id: str) -> dict[str, Any] | None:
    """The interrupt the thread waits on (its value: pending_slot, choices, message), or None."""
    state = client.threads.get_state(thread_id)
    for task in state.get("tasks") or []:
        for item in task.get("interrupts") or []:
            return dict(item["value"])
    return None


def _values(client: Any, thread_id: str) -> dict[str, Any]:
    return dict(client.threads.get_state(thread_id)["values"])


def _outbound(trace: Path) -> list[str]:
    """connect() calls of the traced process tree to anything but loopback (unix sockets are local)."""
    out = []
    for line in trace.read_text(errors="replace").splitlines():
        if "connect(" not in line:
            continue
        v4 = re.search(r'sin_addr=inet_addr\("([\d.]+)"\)', line)
        v6 = re.search(r'inet_pton\(AF_INET6, "([^"]+)"', line)
        if (v4 and not v4.group(1).startswith("127.")) or (v6 and v6.group(1) not in ("::1", "::ffff:127.0.0.1")):
            out.append(line.strip())
    return out


def test_a_consultation_through_the_agent_server(agent_server: Server) -> None:
    from langgraph_sdk import get_sync_client

    client = get_sync_client(url=agent_server.url)
    thread_id = client.threads.create()["thread_id"]
    sent = [OPENING]
    client.runs.wait(thread_id, "consultant", input={"messages": [{"role": "user", "content": OPENING}]})
    for _ in range(MAX_TURNS):
        waiting = _pending(client, thread_id)
        assert waiting is not None, "every turn ends waiting for the next message"
        values = _values(client, thread_id)
        if values.get("recommended") and not waiting.get("pending_slot"):
            break
        answer = PERSONA.get(waiting.get("pending_slot") or "", NOT_SURE)
        sent.append(answer)
        client.runs.wait(thread_id, "consultant", command={"resume": answer})
    else:
        pytest.fail(f"no recommendation after {MAX_TURNS} turns")

    values = _values(client, thread_id)
    profile = load_profile(values["profile"])
    assert values["recommended"] is True
    assert values["recommendation"]["label"] == recommend(profile).label == "rag"
    assert (profile.need, profile.knowledge_change) == ("know_more", "weekly")
    # The messages channel holds the conversation as chat clients show it: each user message once, in order,
    # each followed by the consultant's reply (the same text the transcript keeps).
    messages = values["messages"]
    assert [m["type"] for m in messages] == ["human", "ai"] * len(sent)
    assert [m["content"] for m in messages if m["type"] == "human"] == sent
    replies = [m["content"] for m in values["transcript"] if m["role"] == "assistant"]
    assert [m["content"] for m in messages if m["type"] == "ai"] == replies
    assert messages[-1]["content"] == values["reply"]["message"] == _pending(client, thread_id)["message"]

    # Messages that can't be read get the safe reply from inside the graph; nothing else changes.
    for text, expected in (("   ", intake.EMPTY_LATER),
                           ("x" * (intake.MAX_MESSAGE_CHARS + 1),
                            intake.TOO_LONG.format(length=intake.MAX_MESSAGE_CHARS + 1, limit=intake.MAX_MESSAGE_CHARS))):
        before = _values(client, thread_id)
        after = client.runs.wait(thread_id, "consultant", command={"resume": text})
        assert after["reply"]["message"] == expected
        assert (after["messages"][-1]["type"], after["messages"][-1]["content"]) == ("ai", expected)
        assert len(after["messages"]) == len(before["messages"]) + 1
        for key in ("profile", "transcript", "turn", "recommendation", "pending_slot"):
            assert after[key] == before[key], key
        assert _pending(client, thread_id) is not None, "still waiting for the next message"
    assert client.threads.get(thread_id)["status"] == "interrupted"  # not "error"

    # A chat client may send the next message as new input instead of resuming: same consultation, said once.
    correction = "actually the policies change monthly now"
    client.runs.wait(thread_id, "consultant", input={"messages": [{"role": "user", "content": correction}]})
    values = _values(client, thread_id)
    assert load_profile(values["profile"]).knowledge_change == "monthly"
    assert [m["type"] for m in values["messages"][-2:]] == ["human", "ai"]
    assert [m["content"] for m in values["messages"]].count(correction) == 1
    assert values["transcript"][-2]["content"] == correction

    log = agent_server.log.read_text(errors="replace")
    assert "Blocking call" not in log and "Traceback" not in log, log[-3000:]


def test_the_server_process_tree_stays_on_the_machine(agent_server: Server) -> None:
    """Runs after the consultation above (same module-scoped server): every connect() it made was loopback."""
    if agent_server.trace is None:
        pytest.skip("strace is not available here to watch the server's connections")
    # onnxruntime's telemetry fired ~10 s after the first session: give it the time to show up if it were on.
    time.sleep(max(0.0, 15 - (time.monotonic() - agent_server.started)))
    assert _outbound(agent_server.trace) == []
