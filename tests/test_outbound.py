"""Zero outbound traffic offline: an ingest, a consultation and the UI server (with a page loaded and a message
answered) each run in a subprocess under a socket guard, and nothing leaves this machine.

Two guards, because a native library resolves names without Python's socket module:
- Python: a sitecustomize.py on the subprocess's PYTHONPATH wraps socket connect/connect_ex/sendto and the name
  lookups (getaddrinfo, gethostbyname); any attempt at a non-loopback address or a non-local name is written to
  a log file and refused. The log must stay empty.
- The kernel's view, when `strace` is installed: `strace -f -e trace=connect,sendto` over the same process; no
  AF_INET/AF_INET6 connect or sendto may name a non-loopback address (a DNS query is a UDP connect to the
  resolver, so onnxruntime's telemetry lookup shows up here; it fires ~9 s after the model loads, hence the
  processes below stay up for LINGER_S after their work).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.local_servers import free_port, wait_for_http

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
LINGER_S = 14  # onnxruntime's telemetry resolves its host ~9 s after the first InferenceSession

GUARD = r'''
"""Test guard (tests/test_outbound.py): record and refuse every non-loopback connect and non-local name lookup."""
import ipaddress, os, socket, traceback

_LOG = os.environ["CONSULTANT_OUTBOUND_LOG"]
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback", "", "0.0.0.0", "::"}


def _is_local(host):
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = str(host).strip("[]").split("%")[0].lower()
    if host in _LOCAL_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _refuse(kind, target):
    with open(_LOG, "a", encoding="utf-8") as log:
        log.write(f"pid {os.getpid()} {kind} {target!r}\n{''.join(traceback.format_stack(limit=12)[:-2])}\n")
    raise OSError(f"outbound {kind} to {target!r} refused by the test guard")


def _wrap_method(name):
    real = getattr(socket.socket, name)

    def guarded(self, *args):
        address = args[-1] if args else None
        if self.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple) and \
                not _is_local(address[0]):
            _refuse(name, address)
        return real(self, *args)

    setattr(socket.socket, name, guarded)


def _wrap_lookup(name):
    real = getattr(socket, name)

    def guarded(host, *args, **kwargs):
        if not _is_local(host):
            _refuse(name, host)
        return real(host, *args, **kwargs)

    setattr(socket, name, guarded)


for _name in ("connect", "connect_ex", "sendto"):
    _wrap_method(_name)
for _name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex"):
    _wrap_lookup(_name)
'''

INET_CALL = re.compile(r"(connect|sendto)\(.*sa_family=AF_INET6?, sin6?_port=htons\((\d+)\), "
                       r"(?:sin_addr=inet_addr\(\"([^\"]+)\"\)|.*inet_pton\(AF_INET6, \"([^\"]+)\")")


class Guarded:
    """Environment and command wrapper for one guarded subprocess; `.outbound()` lists what it tried."""

    def __init__(self, tmp_path: Path, name: str) -> None:
        self.dir = tmp_path / name
        self.dir.mkdir()
        (self.dir / "sitecustomize.py").write_text(GUARD, "utf-8")
        self.log = self.dir / "outbound.log"
        self.trace = self.dir / "strace.txt"
        self.strace = shutil.which("strace")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CONSULTANT_", "ORT_",
                                                                          "STREAMLIT_", "ANONYMIZED_"))}
        env["PYTHONPATH"] = os.pathsep.join([str(self.dir), str(ROOT)])
        env["CONSULTANT_OUTBOUND_LOG"] = str(self.log)
        env["CONSULTANT_DATA_DIR"] = str(tmp_path / "data")
        env["HOME"] = str(self.dir)  # no developer's ~/.streamlit or credentials
        self.env = env

    def command(self, argv: list[str]) -> list[str]:
        return [self.strace, "-f", "-qq", "-e", "trace=connect,sendto", "-o", str(self.trace), *argv] \
            if self.strace else argv

    def outbound(self) -> list[str]:
        attempts = [self.log.read_text("utf-8")] if self.log.exists() and self.log.read_text("utf-8") else []
        if self.trace.exists():
            for line in self.trace.read_text("utf-8", errors="replace").splitlines():
                match = INET_CALL.search(line)
                if match and not (match.group(3) or match.group(4) or "").startswith(("127.", "::1", "0.0.0.0")):
                    attempts.append(line.strip())
        return attempts


CONSULT_AND_INGEST = """
import sys, time
from consultant.cli import main
assert main(["ingest", sys.argv[1], "--quiet"]) == 0
from consultant import Consultant
c = Consultant()
for text in ["It needs to know our handbook and policy docs.", "weekly", "what is re-ranking?",
             "just give me your recommendation"]:
    c.reply("offline", text)
print(c.state("offline").recommendation.label, flush=True)
assert main(["search", "latency of retrieval", "-k", "2"]) == 0
time.sleep(float(sys.argv[2]))
"""


def test_an_ingest_and_a_consultation_make_no_outbound_connection(tmp_path: Path) -> None:
    notes = tmp_path / "team-notes"
    notes.mkdir()
    (notes / "runbook.md").write_text("# Runbook\n\nOur retrieval index is rebuilt every night from the wiki.\n")
    guard = Guarded(tmp_path, "consult")
    done = subprocess.run(guard.command([sys.executable, "-c", CONSULT_AND_INGEST, str(notes), str(LINGER_S)]),
                          capture_output=True, text=True, timeout=600, env=guard.env, cwd=guard.dir)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "rag" in done.stdout
    assert guard.outbound() == []


def wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    if not wait_for_http(f"{url}/_stcore/health", proc, 90, interval_s=0.3):
        pytest.fail(f"`consultant ui` did not come up on {url}:\n{log.read_text(errors='replace')[-3000:]}")


@pytest.fixture
def guarded_ui(tmp_path: Path) -> Iterator[tuple[str, Guarded]]:
    """`consultant ui --port P` (the flags of consultant/offline.py) under the guard; stopped after the test."""
    guard = Guarded(tmp_path, "ui")
    port = free_port()
    log_path = guard.dir / "ui.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(guard.command([sys.executable, "-m", "consultant", "ui", "--port", str(port)]),
                                env=guard.env, cwd=guard.dir, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        try:
            wait_healthy(url, proc, log_path)
            yield url, guard
        finally:
            os.killpg(proc.pid, 15)  # the session we started: strace, the CLI and its streamlit child
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 9)
                proc.wait()
    output = log_path.read_text(errors="replace")
    assert "External URL" not in output and "Network URL" not in output, output


def test_the_ui_server_makes_no_outbound_connection_while_a_page_is_used(guarded_ui: tuple[str, Guarded]) -> None:
    url, guard = guarded_ui
    with urllib.request.urlopen(url, timeout=10) as response:  # the page itself, whatever the browser
        assert response.status == 200 and b"<html" in response.read().lower()
    if CHROMIUM.exists():
        sync_api = pytest.importorskip("playwright.sync_api")
        from tests.test_browser import CHROMIUM_ARGS

        requested: list[str] = []
        with sync_api.sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            try:
                page = browser.new_page()
                page.on("request", lambda r: requested.append(r.url))
                page.goto(url)
                box = page.get_by_test_id("stChatInputTextArea")
                sync_api.expect(box).to_be_visible(timeout=120_000)  # the first start builds the knowledge base
                box.fill("We want a support assistant over our help center docs")
                box.press("Enter")
                sync_api.expect(page.get_by_test_id("stChatMessage")).to_have_count(3, timeout=60_000)
            finally:
                browser.close()
        outside = [u for u in requested if not u.startswith((url, "data:", "blob:"))]
        assert not outside, f"the page requested non-loopback URLs: {outside[:5]}"
    else:  # without a browser no session runs the app: load the model in the server some other way
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=10) as response:
            assert response.status == 200
    time.sleep(LINGER_S)  # the telemetry window after the embedding model loaded in the server
    assert guard.outbound() == []


def test_the_guard_itself_catches_a_lookup_and_a_connect(tmp_path: Path) -> None:
    """The guard is not a no-op: a script that reaches out is recorded (and refused) on both levels."""
    guard = Guarded(tmp_path, "probe")
    script = ("import socket\n"
              "for call in (lambda: socket.getaddrinfo('example.invalid', 80),\n"
              "             lambda: socket.create_connection(('192.0.2.1', 9), timeout=0.2)):\n"
              "    try: call()\n"
              "    except OSError: pass\n"
              "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
              "try: s.connect(('8.8.8.8', 1))\n"
              "except OSError: pass\n")
    subprocess.run(guard.command([sys.executable, "-c", script]), env=guard.env, timeout=60, check=True)
    found = "\n".join(guard.outbound())
    assert "example.invalid" in found and "192.0.2.1" in found and "8.8.8.8" in found
    if guard.strace:  # the kernel-level guard sees what no Python hook sees (-S: no sitecustomize at all)
        bare = Guarded(tmp_path, "bare")
        udp = "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.connect(('192.0.2.7', 53))\n"
        subprocess.run(bare.command([sys.executable, "-S", "-c", udp]), env=bare.env, timeout=60, check=True)
        assert not bare.log.exists() and any("192.0.2.7" in line for line in bare.outbound())


def test_the_repository_streamlit_config_matches_the_cli_flags() -> None:
    """`streamlit run consultant/ui/app.py` from the repository root gets the same switches as `consultant ui`."""
    import tomllib

    from consultant.offline import streamlit_flags

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    flags = streamlit_flags()
    pairs = dict(zip(flags[::2], flags[1::2], strict=True))
    for section, values in config.items():
        for key, value in values.items():
            assert pairs[f"--{section}.{key}"] == str(value).lower(), (section, key)
