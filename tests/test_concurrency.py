"""Two processes writing one consultation at once: every message kept, in each process's order (SQLite and Postgres)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from consultant import Consultant
from consultant.config import Settings
from consultant.locks import FileLocks, TurnLocks

ROOT = Path(__file__).resolve().parents[1]
THREAD = "shared-thread"
TURNS = 20

# One writer process: builds its Consultant, says "ready", waits for "go" so both start together, then sends
# TURNS messages to the same thread. argv: data dir, checkpoint URL ("" for SQLite), process name, "nolock"?
WRITER = """
import sys
from consultant import Consultant
from consultant.config import Settings
from consultant.locks import TurnLocks
data_dir, url, name, mode, turns = sys.argv[1], sys.argv[2] or None, sys.argv[3], sys.argv[4], int(sys.argv[5])
consultant = Consultant(Settings(consultant_data_dir=data_dir, consultant_checkpoint_url=url), with_knowledge=False)
if mode == "nolock":  # for measuring what the cross-process lock prevents; never used by the assertions
    consultant._locks = TurnLocks()
print("ready", flush=True)
sys.stdin.readline()
for n in range(turns):
    consultant.reply(sys.argv[6], f"process {name} message {n:02d}")
consultant.close()
print("done", flush=True)
"""


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "CONSULTANT_"))}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env


def run_writers(data_dir: Path, url: str | None, *, mode: str = "lock", turns: int = TURNS,
                thread: str = THREAD) -> float:
    """Two writer processes on one thread, released together; the seconds their turns took."""
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(data_dir), url or "", name, mode, str(turns), thread],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=data_dir, env=child_env())
             for name in ("A", "B")]
    try:
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready", proc.communicate()[1][-3000:]
        started = time.perf_counter()
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        for proc in procs:
            _, err = proc.communicate(timeout=180)
            assert proc.returncode == 0, err[-3000:]
        return time.perf_counter() - started
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def kept(data_dir: Path, url: str | None, thread: str = THREAD) -> list[str]:
    with Consultant(Settings(consultant_data_dir=data_dir, consultant_checkpoint_url=url),
                    with_knowledge=False) as consultant:
        return [m["content"] for m in consultant.history(thread) if m["role"] == "user"]


def assert_all_kept_in_order(messages: list[str]) -> None:
    for name in ("A", "B"):
        mine = [m for m in messages if m.startswith(f"process {name} ")]
        assert mine == [f"process {name} message {n:02d}" for n in range(TURNS)], mine
    assert len(messages) == 2 * TURNS


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_two_processes_writing_one_thread_keep_every_message_in_order(
        backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue("pg_url") if backend == "postgres" else None
    if url:  # tables created once up front, so both writers time only their turns
        Consultant(Settings(consultant_data_dir=tmp_path, consultant_checkpoint_url=url), with_knowledge=False).close()
    seconds = run_writers(tmp_path, url)
    messages = kept(tmp_path, url)
    assert_all_kept_in_order(messages)
    print(f"\n{backend}: {len(messages)} of {2 * TURNS} user messages kept, 2 x {TURNS} turns in {seconds:.2f} s")


def test_a_file_lock_excludes_another_holder_of_the_same_thread_only(tmp_path: Path) -> None:
    locks = FileLocks(tmp_path / "locks")
    entered = threading.Event()

    def second_holder() -> None:
        with locks("t-1"):
            entered.set()

    with locks("t-1"):
        # flock is per open file: another thread opening the file waits exactly like another process would.
        waiter = threading.Thread(target=second_holder)
        waiter.start()
        with locks("t-2"):  # another thread id is never blocked
            pass
        assert not entered.wait(0.3)
    assert entered.wait(5)
    waiter.join(5)
    assert locks.path("t-1") != locks.path("t-2") and locks.path("t-1").parent == tmp_path / "locks"


def test_turn_locks_take_the_in_process_lock_then_the_cross_process_one(tmp_path: Path) -> None:
    taken: list[str] = []

    class Across:
        def __call__(self, thread_id: str) -> Across:
            self.thread_id = thread_id
            return self

        def __enter__(self) -> None:
            taken.append(f"across {self.thread_id} (local held: {locks.local(self.thread_id).locked()})")

        def __exit__(self, *exc: object) -> None:
            taken.append("across released")

    locks = TurnLocks(Across())
    with locks.hold("t-1"):
        taken.append("turn")
    assert taken == ["across t-1 (local held: True)", "turn", "across released"]
    assert not locks.local("t-1").locked()


OPENER = """
import sys
from consultant import Consultant
from consultant.config import Settings
sys.stdin.readline()
Consultant(Settings(consultant_data_dir=sys.argv[1]), with_knowledge=False).close()
print("opened", flush=True)
"""


def test_processes_opening_a_new_sqlite_database_at_the_same_moment_all_start(tmp_path: Path) -> None:
    """A new database is set up by whichever process gets there first; the others wait for its lock ("database is
    locked" once made a process fail to start)."""
    procs = [subprocess.Popen([sys.executable, "-c", OPENER, str(tmp_path)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path, env=child_env())
             for _ in range(6)]
    time.sleep(3)  # let every interpreter import and block on stdin, so the opens really overlap
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = [proc.communicate(timeout=120) for proc in procs]
    assert [proc.returncode for proc in procs] == [0] * 6, [err[-2000:] for _, err in results]
    assert all(out.strip() == "opened" for out, _ in results)
