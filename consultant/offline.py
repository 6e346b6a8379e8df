"""Zero outbound traffic: every switch that keeps a library from calling home, in one place.

Measured on this machine with `strace -f -e trace=connect,sendto` (see tests/test_outbound.py):
- onnxruntime (1.32 on Linux) ships Microsoft's 1DS telemetry and resolves `mobile.events.data.microsoft.com`
  some seconds after the first InferenceSession. `onnxruntime.disable_telemetry_events()` does not stop it;
  the environment variable `ORT_DISABLE_TELEMETRY=1` does, but only when it is set before onnxruntime is
  imported (the library reads it when it loads). Hence `quiet_environment()` runs on `import consultant`.
- Chroma's product telemetry: `anonymized_telemetry=False` in its client settings (consultant/kb/store.py);
  `ANONYMIZED_TELEMETRY=False` covers a `chroma run` server started from the same environment.
- Streamlit: usage statistics (`browser.gatherUsageStats`), and its address discovery: without
  `server.address` set it connects a UDP socket to 8.8.8.8 and fetches https://checkip.amazonaws.com, both to
  print "Network/External URL" and to check the Origin of requests. `STREAMLIT_FLAGS` below binds it to
  loopback and sets both; the page icon is a local file (a `:material/...:` icon would load an SVG from
  fonts.gstatic.com) and the theme uses Streamlit's bundled fonts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

#: Environment of every process the consultant runs or starts. setdefault: an operator may still opt in.
QUIET_ENV: Mapping[str, str] = {
    "ORT_DISABLE_TELEMETRY": "1",
    "ANONYMIZED_TELEMETRY": "False",
    "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
    "LANGGRAPH_CLI_NO_ANALYTICS": "1",
    "HF_HUB_OFFLINE": "1",
}

#: The address the UI binds to unless told otherwise: this machine only.
LOOPBACK = "127.0.0.1"


def quiet_environment() -> None:
    """Set QUIET_ENV in this process (values already set are kept)."""
    for key, value in QUIET_ENV.items():
        os.environ.setdefault(key, value)


def streamlit_flags(host: str = LOOPBACK, port: int = 8501) -> list[str]:
    """`streamlit run` options: headless, bound to `host`, no usage statistics, no address discovery (an
    explicit server.address and browser.serverAddress), no file watcher threads polling the source tree."""
    return ["--server.headless", "true", "--server.address", host, "--server.port", str(port),
            "--browser.gatherUsageStats", "false", "--browser.serverAddress", host,
            "--server.fileWatcherType", "none"]
