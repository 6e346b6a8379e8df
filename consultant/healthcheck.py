"""`consultant healthz` / `consultant.health()`: are the knowledge store and the checkpointer reachable?

For the served modes (the UI behind a load balancer, N app processes on Postgres and a Chroma server): one
call, a yes or no and a one-line reason, nothing written to either store and nothing embedded.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass

from consultant.config import Settings, get_settings

PG_CONNECT_TIMEOUT_S = 5  # a health probe must answer before the orchestrator's own timeout (often 10 s)


@dataclass(frozen=True)
class Health:
    ok: bool
    reason: str  # one line: what was checked, or what is wrong

    def __bool__(self) -> bool:
        return self.ok


def check_knowledge(settings: Settings) -> Health:
    """The Chroma store (embedded or server) opens and holds documents."""
    from consultant.kb.store import make_client

    where = settings.consultant_chroma_url or str(settings.chroma_dir)
    try:
        client = make_client(settings)
        client.heartbeat()
        from consultant.kb.store import COLLECTION

        names = {getattr(c, "name", c) for c in client.list_collections()}
        count = int(client.get_collection(COLLECTION).count()) if COLLECTION in names else 0
    except Exception as exc:
        return Health(False, f"knowledge store at {where} unreachable: {' '.join(str(exc).split())[:200]}")
    if count == 0:
        return Health(False, f"knowledge store at {where} is empty (run `consultant ingest`)")
    return Health(True, f"knowledge store at {where}: {count} chunks")


def check_checkpointer(settings: Settings) -> Health:
    """The checkpoint database answers: Postgres at CONSULTANT_CHECKPOINT_URL, else SQLite in the data dir."""
    url = settings.consultant_checkpoint_url
    if url:
        from consultant.api import _where

        try:
            import psycopg
        except ImportError:
            return Health(False, "CONSULTANT_CHECKPOINT_URL needs the `postgres` extra (psycopg is not installed)")
        try:
            with psycopg.connect(url, connect_timeout=PG_CONNECT_TIMEOUT_S) as conn:
                conn.execute("SELECT 1").fetchone()
        except psycopg.Error as exc:
            return Health(False, f"checkpoint database at {_where(url)} unreachable: {' '.join(str(exc).split())[:200]}")
        return Health(True, f"checkpoint database at {_where(url)}")
    path = settings.checkpoint_path
    if not path.exists():
        folder = settings.consultant_data_dir
        if folder.is_dir() and not os.access(folder, os.W_OK):
            return Health(False, f"data dir {folder} is not writable")
        return Health(True, f"checkpoints at {path} (created by the first consultation)")
    try:
        db = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=5)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            db.close()
    except sqlite3.Error as exc:
        return Health(False, f"checkpoints at {path} unreadable: {exc}")
    return Health(True, f"checkpoints at {path}")


def health(settings: Settings | None = None) -> Health:
    """Both checks; the first failure's reason, or both places when healthy."""
    settings = settings or get_settings()
    checks = [check_knowledge(settings), check_checkpointer(settings)]
    failed = [c for c in checks if not c.ok]
    if failed:
        return Health(False, "; ".join(c.reason for c in failed))
    return Health(True, "ok: " + "; ".join(c.reason for c in checks))
