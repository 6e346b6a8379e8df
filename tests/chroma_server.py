"""A private `chroma run` on a free loopback port (the test fixture and `make bench` share it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.local_servers import free_port, stop, wait_for_http

START_TIMEOUT_S = 60


def find_chroma() -> str | None:
    """The `chroma` command of this venv (beside the interpreter), else the one on PATH."""
    beside = Path(sys.executable).with_name("chroma")
    return str(beside) if beside.exists() else shutil.which("chroma")


def missing() -> str | None:
    """Why a server can't be started here (None when it can)."""
    if find_chroma() is None:
        return "the `chroma` command is not installed (it comes with the chromadb package, in the venv's bin)"
    return None


class ChromaServer:
    """`start()` (waits for the heartbeat), `stop()`, `url`; data and log under `root`."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.log_path = root / "server.log"
        self.url = ""
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self) -> str:
        exe = find_chroma()
        if exe is None:
            raise RuntimeError(missing())
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        with self.log_path.open("wb") as log:
            self._proc = subprocess.Popen(
                [exe, "run", "--path", str(self.root / "data"), "--host", "127.0.0.1", "--port", str(port)],
                stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
        if wait_for_http(f"{self.url}/api/v2/heartbeat", self._proc, START_TIMEOUT_S):
            return self.url
        tail = self.log_path.read_text(errors="replace")[-2000:]
        self.stop()
        raise RuntimeError(f"`chroma run` did not come up on {self.url}:\n{tail}")

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        stop(proc, timeout_s=15)
