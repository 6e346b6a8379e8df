"""What the processes the consultant owns do when they start: the `consultant` command and the Streamlit UI.

Library code does none of this. A program that embeds `Consultant()` keeps its own environment (no `.env` is
read for it), its own logging configuration (the package only creates loggers) and its own garbage collector
(no `gc.freeze()`): it may call `freeze_heap()` itself once its long-lived objects exist.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path

from consultant.config import Settings, get_settings, read_env_file

ENV_FILE = Path(".env")  # the dotenv file the CLI and UI read, in the working folder (see .env.example)
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
PACKAGE_LOGGER = "consultant"  # every module logs under it (consultant.api, consultant.turn, ...)


def start(env_file: Path | None = ENV_FILE) -> Settings:
    """Read the dotenv file (if present) into the settings and apply CONSULTANT_LOG_LEVEL. Idempotent: the UI
    calls it on every rerun of its script."""
    read_env_file(env_file if env_file is not None and env_file.is_file() else None)
    settings = get_settings()
    configure_logging(settings.consultant_log_level)
    return settings


def configure_logging(level: str) -> None:
    """Log to stderr at WARNING for other libraries, at `level` for the consultant's own loggers."""
    logging.basicConfig(level=logging.WARNING, format=LOG_FORMAT)  # a no-op when the root already has handlers
    logging.getLogger(PACKAGE_LOGGER).setLevel(level)


def freeze_heap() -> None:
    """Move everything allocated so far out of the cyclic garbage collector's reach.

    The models, clients and tables a `Consultant` loads live as long as the process; left in the collector's
    generations, its full passes add ~40 ms pauses to random turns. Worth it in a process that exists to serve
    the consultant (the CLI's `chat`, the UI, a dedicated server) after the `Consultant` is built; a host
    program decides for itself, since it freezes the host's objects too.
    """
    gc.collect()
    gc.freeze()
