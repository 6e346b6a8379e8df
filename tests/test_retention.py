"""Retention: CONSULTANT_KEEP_CHECKPOINTS keeps the newest N checkpoints of a consultation (SQLite and Postgres)
without changing what it shows, and `consultant prune-threads --older-than` deletes whole idle consultations."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from consultant import Consultant
from consultant.config import Settings
from consultant.retention import checkpoint_time, cutoff_id, keep_last, parse_duration
from tests.pg_cluster import Cluster

ROOT = Path(__file__).resolve().parents[1]
MESSAGES = ["We want a support assistant that answers questions from our help center docs", "Know more",
            "Policies change every week", "About 20,000 queries a day", "answers within 2 seconds are fine",
            "no citations needed", "what is a token?", "we have 500 labeled examples", "budget is $50k",
            "prompts carry about 3000 tokens", "what would fine-tuning cost?", "thanks"]
FAILED = "Something went wrong"


def open_consultant(data_dir: Path, url: str | None = None, keep: int | None = None) -> Consultant:
    return Consultant(Settings(consultant_data_dir=data_dir, consultant_checkpoint_url=url,
                               consultant_keep_checkpoints=keep), with_knowledge=False)


def count(consultant: Consultant, table: str, thread_id: str | None = None) -> int:
    """Rows of a checkpointer table (of one thread, or all), on SQLite or Postgres."""
    where = " WHERE thread_id = {p}" if thread_id else ""
    conn = consultant.checkpointer.conn
    if hasattr(conn, "connection") and not hasattr(conn, "cursor"):  # a psycopg pool
        with conn.connection() as c:
            row = c.execute(f"SELECT COUNT(*) AS n FROM {table}" + where.format(p="%s"),
                            (thread_id,) if thread_id else ()).fetchone()
            return int(row["n"] if isinstance(row, dict) else row[0])
    with consultant.checkpointer.cursor(transaction=False) as cur:
        cur.execute(f"SELECT COUNT(*) FROM {table}" + where.format(p="?"), (thread_id,) if thread_id else ())
        return int(cur.fetchone()[0])


def shown(consultant: Consultant, thread_id: str) -> dict[str, Any]:
    """Everything a person sees of a consultation."""
    state = consultant.state(thread_id)
    assert state is not None
    history = [{k: v for k, v in m.items() if k != "at"} for m in consultant.history(thread_id)]  # not the times
    return {"history": history, "profile": state.profile.values(), "pending": state.pending_slot,
            "recommendation": state.recommendation.label if state.recommendation else None, "message": state.message,
            "what_if": consultant.scenario(thread_id)}


def converse(consultant: Consultant, thread_id: str, messages: list[str]) -> None:
    for text in messages:
        assert FAILED not in consultant.reply(thread_id, text).message


def test_uuid6_cutoffs_match_the_checkpoint_ids_langgraph_writes(tmp_path: Path) -> None:
    before = datetime.now(UTC)
    with open_consultant(tmp_path) as consultant:
        consultant.reply("t", MESSAGES[0])
        latest = consultant.graph.get_state({"configurable": {"thread_id": "t"}}).config["configurable"]["checkpoint_id"]
    after = datetime.now(UTC)
    assert cutoff_id(before - timedelta(milliseconds=1)) < latest < cutoff_id(after + timedelta(milliseconds=1))
    assert abs(checkpoint_time(latest) - before) < timedelta(seconds=30)
    assert parse_duration("30d") == timedelta(days=30) and parse_duration("12h") == timedelta(hours=12)
    for bad in ["", "30", "d30", "thirty days", "-5d", "1.5d", "30y"]:
        with pytest.raises(ValueError, match="not a duration"):
            parse_duration(bad)


def retention_case(tmp_path: Path, url_all: str | None = None, url_kept: str | None = None) -> dict[str, int]:
    """The same consultation with and without retention (two databases): the same conversation, far fewer rows."""
    keep = 3
    with open_consultant(tmp_path / "all", url_all) as everything, \
            open_consultant(tmp_path / "kept", url_kept, keep) as kept:
        for c in (everything, kept):
            converse(c, "t", MESSAGES)
            c.edit_slot("t", "latency_budget_ms", 1500)
            c.what_if("t", "knowledge_change", "yearly")
        assert shown(kept, "t") == shown(everything, "t")
        total, left = count(everything, "checkpoints", "t"), count(kept, "checkpoints", "t")
        assert left == keep < total
        # A failed turn still rolls back to the last good checkpoint, and the next turn works.
        import consultant.nodes as nodes

        real = nodes.read
        nodes.read = lambda *a, **k: 1 / 0  # type: ignore[assignment]
        try:
            assert not kept.reply("t", "it changes every day").stored
        finally:
            nodes.read = real  # type: ignore[assignment]
        assert shown(kept, "t")["history"] == shown(everything, "t")["history"]
        converse(kept, "t", ["it changes every day"])
        converse(everything, "t", ["it changes every day"])
        assert shown(kept, "t") == shown(everything, "t")
        assert count(kept, "checkpoints", "t") == keep
        return {"checkpoints_all": total, "checkpoints_kept": left}


def test_keep_checkpoints_on_sqlite_keeps_n_and_changes_nothing_shown(tmp_path: Path) -> None:
    figures = retention_case(tmp_path)
    with open_consultant(tmp_path / "kept", keep=3) as kept:
        assert count(kept, "writes", "t") <= count(kept, "checkpoints", "t") * 20  # only the kept ones' writes
    print(figures)


@pytest.mark.slow
def test_keep_checkpoints_on_postgres_keeps_n_and_its_blobs(pg_cluster: Cluster, tmp_path: Path) -> None:
    pg_url = pg_cluster.create_database()
    retention_case(tmp_path, pg_cluster.create_database(), pg_url)
    with open_consultant(tmp_path / "kept", pg_url, keep=3) as kept:
        # Every blob left is one a kept checkpoint refers to (the rest were freed with their checkpoints).
        with kept.checkpointer.conn.connection() as conn:
            orphans = conn.execute("""
                SELECT COUNT(*) AS n FROM checkpoint_blobs b WHERE b.thread_id = 't' AND NOT EXISTS (
                    SELECT 1 FROM checkpoints c WHERE c.thread_id = b.thread_id AND c.checkpoint_ns = b.checkpoint_ns
                    AND c.checkpoint -> 'channel_versions' ->> b.channel = b.version)""").fetchone()
        assert orphans["n"] == 0


def test_keep_last_leaves_other_threads_alone_and_is_idempotent(tmp_path: Path) -> None:
    with open_consultant(tmp_path) as consultant:
        converse(consultant, "a", MESSAGES[:5])
        converse(consultant, "b", MESSAGES[:5])
        before_b = count(consultant, "checkpoints", "b")
        removed = keep_last(consultant.checkpointer, "a", 2)
        assert removed == before_b - 2 and count(consultant, "checkpoints", "a") == 2
        assert keep_last(consultant.checkpointer, "a", 2) == 0
        assert count(consultant, "checkpoints", "b") == before_b
        assert keep_last(consultant.checkpointer, "nobody", 2) == 0
        converse(consultant, "a", ["Policies change every week"])  # the pruned thread goes on


def child_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CONSULTANT_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["CONSULTANT_DATA_DIR"] = str(data_dir)
    return env


CUT_SECONDS = 6  # idle longer than this is pruned
IDLE_SECONDS = CUT_SECONDS + 2.5  # how long the idle consultation sits untouched before the busy one is written


def test_prune_threads_deletes_idle_consultations_only(tmp_path: Path) -> None:
    with open_consultant(tmp_path) as consultant:
        converse(consultant, "idle", MESSAGES[:3])
        # the margin covers the CLI's start-up on a loaded 2-core machine (with 2 s, a busy run once saw "busy" age
        # past the cut before the command read it)
        time.sleep(IDLE_SECONDS)
        converse(consultant, "busy", MESSAGES[:2])
        assert consultant.prune_threads(timedelta(hours=1)) == []
    prune = [sys.executable, "-m", "consultant", "prune-threads", "--older-than", f"{CUT_SECONDS}s"]
    done = subprocess.run(prune, capture_output=True, text=True, timeout=120, env=child_env(tmp_path), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "deleted 1 consultation" in done.stdout
    with open_consultant(tmp_path) as consultant:
        assert consultant.state("idle") is None and consultant.state("busy") is not None
        assert count(consultant, "checkpoints", "idle") == 0 and count(consultant, "writes", "idle") == 0
        assert [t["thread_id"] for t in consultant.threads()] == ["busy"]
    bad = subprocess.run([*prune[:-1], "a month"], capture_output=True, text=True, timeout=120,
                         env=child_env(tmp_path), cwd=tmp_path)
    assert bad.returncode == 2 and "not a duration" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.slow
def test_prune_threads_on_postgres(pg_url: str, tmp_path: Path) -> None:
    with open_consultant(tmp_path, pg_url) as consultant:
        converse(consultant, "idle", MESSAGES[:3])
        time.sleep(2.5)
        converse(consultant, "busy", MESSAGES[:2])
        assert consultant.prune_threads(timedelta(seconds=2)) == ["idle"]
        assert consultant.state("idle") is None and consultant.state("busy") is not None
        assert count(consultant, "checkpoint_blobs", "idle") == 0 and count(consultant, "checkpoints", "idle") == 0
