"""The Postgres checkpointer on a real private cluster: a consultation outlives a database restart and its process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from consultant import Consultant
from consultant.config import Settings
from consultant.errors import ConsultantError
from consultant.locks import AdvisoryLocks
from tests.pg_cluster import Cluster

ROOT = Path(__file__).resolve().parents[1]
THREAD = "pg-restart-1"
BEFORE = ["We want a support assistant that answers questions from our help center docs", "Know more"]
AFTER = ["Policies change every week", "About 20,000 queries a day, answers within 2 seconds are fine"]
LATER = "Answers must cite their sources"
THREAD_KEYS = ["thread_id", "title", "first", "turns", "label", "outcome", "started_at", "updated_at"]

# A second process: the same database, a different data dir; one more turn, then the transcript and the list.
RESUME = """
import json, sys
from consultant import Consultant
from consultant.config import Settings
settings = Settings(consultant_data_dir=sys.argv[1], consultant_checkpoint_url=sys.argv[2])
with Consultant(settings, with_knowledge=False) as consultant:
    turn = consultant.reply(sys.argv[3], sys.argv[4])
    print(json.dumps({"stored": turn.stored, "history": consultant.history(sys.argv[3]),
                      "threads": [t["thread_id"] for t in consultant.threads()]}))
"""


def consultant_on(url: str, data_dir: Path) -> Consultant:
    return Consultant(Settings(consultant_data_dir=data_dir, consultant_checkpoint_url=url), with_knowledge=False)


def user_messages(history: list[dict[str, object]]) -> list[object]:
    return [m["content"] for m in history if m["role"] == "user"]


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CONSULTANT_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def test_a_consultation_survives_a_postgres_restart_in_this_process_and_in_a_new_one(
        pg_cluster: Cluster, pg_url: str, tmp_path: Path) -> None:
    with consultant_on(pg_url, tmp_path / "a") as consultant:
        for text in BEFORE:
            assert consultant.reply(THREAD, text).stored

        started = time.perf_counter()
        pg_cluster.restart()  # every session of both pools is cut
        restarted = time.perf_counter() - started

        started = time.perf_counter()
        turns = [consultant.reply(THREAD, text) for text in AFTER]
        first_after = time.perf_counter() - started
        assert all(t.stored for t in turns), [t.message for t in turns]
        assert turns[-1].profile.knowledge_change == "weekly"
        assert turns[-1].profile.monthly_queries == 600_000
        assert user_messages(consultant.history(THREAD)) == BEFORE + AFTER

    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", RESUME, str(tmp_path / "b"), pg_url, THREAD, LATER],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path, env=child_env())
    assert done.returncode == 0, done.stderr[-3000:]
    resumed = json.loads(done.stdout.strip().splitlines()[-1])
    new_process = time.perf_counter() - started
    assert resumed["stored"]
    assert user_messages(resumed["history"]) == BEFORE + AFTER + [LATER]
    assert len(resumed["history"]) == 2 * len(BEFORE + AFTER + [LATER])  # every reply is there too
    assert resumed["threads"] == [THREAD]

    with consultant_on(pg_url, tmp_path / "c") as consultant:
        (listed,) = consultant.threads()
        assert list(listed) == THREAD_KEYS
        assert listed["thread_id"] == THREAD and listed["turns"] == 5
        assert listed["first"] == BEFORE[0][:80] and listed["title"]
        assert listed["label"] == "rag" and listed["outcome"] == "RAG"
        assert listed["started_at"] <= listed["updated_at"]
    print(f"\npg restart {restarted:.2f} s; 2 turns after it {first_after:.2f} s; new process resumed in "
          f"{new_process:.2f} s with {len(resumed['history'])} messages")


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_past_consultations_are_listed_newest_first_from_the_checkpointer(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("pg_url") if backend == "postgres" else None
    settings = Settings(consultant_data_dir=tmp_path, consultant_checkpoint_url=url)
    with Consultant(settings, with_knowledge=False) as consultant:
        for thread in ("older", "middle", "newest"):
            consultant.reply(thread, "We want a bot that answers from our contracts")
        consultant.reply("older", "Know more")  # a new turn makes it the latest
        consultant.what_if("middle", "knowledge_change", "daily")  # so does any state write
        listed = consultant.threads()
        assert [t["thread_id"] for t in listed] == ["middle", "older", "newest"]
        assert all(list(t) == THREAD_KEYS for t in listed)
        assert [t["turns"] for t in listed] == [1, 2, 1]
        # The aggregate query agrees with the checkpointer's own listing (the path any other saver takes).
        assert consultant._latest_threads(50) == consultant._listed_threads(50) == ["middle", "older", "newest"]
        assert consultant._listed_threads(2, page=1) == ["middle", "older"]


def test_a_postgres_url_without_the_extra_names_the_extra(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "langgraph.checkpoint.postgres", None)  # as if not installed
    with pytest.raises(ConsultantError, match=r"consultant\[postgres\]"):
        consultant_on("postgresql://postgres@127.0.0.1:1/none", tmp_path)


def test_an_unreachable_database_is_a_clear_error_without_the_password(tmp_path: Path) -> None:
    from tests.local_servers import free_port

    url = f"postgresql://someone:s3cret@127.0.0.1:{free_port()}/consultations"
    with pytest.raises(ConsultantError, match="Could not connect to the checkpoint database") as caught:
        consultant_on(url, tmp_path)
    assert "s3cret" not in str(caught.value) and "/consultations" in str(caught.value)


def test_an_advisory_lock_held_across_a_restart_is_released_and_the_next_one_works(
        pg_cluster: Cluster, pg_url: str) -> None:
    import psycopg

    locks = AdvisoryLocks.open(pg_url)
    try:
        with locks("t-1"):
            with psycopg.connect(pg_url, autocommit=True) as other:  # another session can't take it meanwhile
                assert other.execute("SELECT pg_try_advisory_lock(hashtextextended('t-1', 0))").fetchone() == (False,)
            pg_cluster.restart()  # the session holding it is cut: the server dropped the lock with it
        with locks("t-1"), psycopg.connect(pg_url, autocommit=True) as other:
            assert other.execute("SELECT pg_try_advisory_lock(hashtextextended('t-1', 0))").fetchone() == (False,)
        with psycopg.connect(pg_url, autocommit=True) as other:  # released on the way out
            assert other.execute("SELECT pg_try_advisory_lock(hashtextextended('t-1', 0))").fetchone() == (True,)
    finally:
        locks.close()
