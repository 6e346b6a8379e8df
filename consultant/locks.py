"""Turn locks: one state write at a time per consultation, across threads and across processes.

Every write to a consultation (a turn, a slot edit, a what-if value, the team's prices) reads the latest
checkpoint, computes, and writes a new one. Two writers on one thread at once both start from the same
checkpoint and the later write silently drops the other's message. `TurnLocks.hold(thread_id)` serialises
them in two layers, taken in this order and released in reverse:

1. an in-process `threading.Lock` per thread id (cheap; threads of one process queue here first, so each
   process waits on the cross-process lock with at most one connection or file handle per thread id);
2. a cross-process lock that every process sharing the checkpoints agrees on:
   - SQLite: `fcntl.flock` on `<data dir>/locks/<sha1 of the thread id>.lock` (`FileLocks`). The lock
     files are tiny and left in place: deleting one while another process waits on it would let a third
     process lock a new file of the same name.
   - PostgreSQL: `pg_advisory_lock(hashtextextended(thread_id, 0))` on a connection of a dedicated pool
     (`AdvisoryLocks`), unlocked before the connection goes back to the pool. The lock lives in the
     database session, so a process that dies mid-turn releases it; a database restart mid-turn releases
     it too (the turn itself then fails and is rolled back by the caller).

Reads (state, history, briefs) take no lock: a checkpoint is written atomically by the savers.

`AsyncOrder.hold(thread_id)` is the asyncio layer in front of them (`Consultant.areply`): turns of one thread
sent concurrently by coroutines queue on an `asyncio.Lock` (first come, first served) instead of each taking a
worker thread to block on the `threading.Lock` (which is not fair, so they could also run out of order).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import threading
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager, asynccontextmanager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from consultant.errors import ConsultantError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: only the in-process lock
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)

Across = Callable[[str], AbstractContextManager[Any]]

#: Postgres connection settings shared by the checkpointer's pool and the lock pool (STACK.md recipe).
PG_KWARGS: dict[str, Any] = {"autocommit": True, "prepare_threshold": 0}
UNREACHABLE = ("The checkpoint database can't be reached right now, so nothing was changed. "
               "Please try again in a moment.")


class _Entry:
    """An in-process lock and how many holders (and waiters) use it right now."""

    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.users = 0


class TurnLocks:
    """`with locks.hold(thread_id): ...` - the in-process lock, then the cross-process one (if any).

    The table of in-process locks holds only the thread ids someone holds or waits for: an entry is dropped when
    its last user leaves, so a long-running server that saw a million consultations keeps no million locks.
    """

    def __init__(self, across: Across | None = None) -> None:
        self._across = across
        self._local: dict[str, _Entry] = {}
        self._guard = threading.Lock()

    def __len__(self) -> int:
        """How many thread ids have an in-process lock right now (held or waited for)."""
        with self._guard:
            return len(self._local)

    def local(self, thread_id: str) -> threading.Lock:
        """The in-process lock of an id in use; for an id nobody holds, a fresh unheld lock (not stored)."""
        with self._guard:
            entry = self._local.get(thread_id)
        return entry.lock if entry is not None else threading.Lock()

    @contextmanager
    def hold(self, thread_id: str) -> Iterator[None]:
        with self._guard:
            entry = self._local.get(thread_id)
            if entry is None:
                entry = self._local[thread_id] = _Entry()
            entry.users += 1
        try:
            with entry.lock, (self._across(thread_id) if self._across else nullcontext()):
                yield
        finally:
            with self._guard:
                entry.users -= 1
                if entry.users == 0:
                    del self._local[thread_id]


class AsyncOrder:
    """`async with order.hold(thread_id): ...` - one asyncio lock per thread id and event loop (an asyncio lock
    belongs to one loop; a host may run several, e.g. one per thread or one per `asyncio.run`)."""

    def __init__(self) -> None:
        # per loop: thread id -> [lock, users]; an entry is dropped when its last user leaves (like TurnLocks)
        self._locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, list[Any]]] = \
            weakref.WeakKeyDictionary()
        self._guard = threading.Lock()

    def __len__(self) -> int:
        """How many thread ids have an asyncio lock right now, over every loop (held or waited for)."""
        with self._guard:
            return sum(len(table) for table in self._locks.values())

    @asynccontextmanager
    async def hold(self, thread_id: str) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        with self._guard:
            table = self._locks.setdefault(loop, {})
            entry = table.setdefault(thread_id, [asyncio.Lock(), 0])
            entry[1] += 1
        try:
            async with entry[0]:
                yield
        finally:
            with self._guard:
                entry[1] -= 1
                if entry[1] == 0:
                    del table[thread_id]


class FileLocks:
    """Cross-process lock per thread id for the SQLite checkpointer: an exclusive `flock` on a lock file."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)

    def path(self, thread_id: str) -> Path:
        return self.directory / f"{hashlib.sha1(thread_id.encode('utf-8')).hexdigest()}.lock"

    @contextmanager
    def __call__(self, thread_id: str) -> Iterator[None]:
        if fcntl is None:  # pragma: no cover
            yield
            return
        with self.path(thread_id).open("a+b") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)  # blocks until the other process's turn is over
            try:
                yield
            finally:
                fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class AdvisoryLocks:
    """Cross-process lock per thread id for the Postgres checkpointer: a session advisory lock held on a
    connection of its own pool (never the checkpointer's, so a turn holding the lock can always write)."""

    SETUP_KEY = "consultant:checkpointer-setup"

    def __init__(self, pool: Any) -> None:
        self.pool = pool

    @classmethod
    def open(cls, url: str, *, max_size: int = 8) -> AdvisoryLocks:
        from psycopg_pool import ConnectionPool

        return cls(ConnectionPool(url, min_size=1, max_size=max_size, check=ConnectionPool.check_connection,
                                  kwargs=dict(PG_KWARGS), open=True, name="consultant-locks"))

    @contextmanager
    def __call__(self, key: str) -> Iterator[None]:
        from psycopg import Error as PgError
        from psycopg_pool import PoolTimeout

        try:
            conn = self.pool.getconn()
        except PoolTimeout as exc:
            raise ConsultantError(UNREACHABLE) from exc
        try:
            try:
                conn.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", (key,))
            except PgError as exc:
                raise ConsultantError(UNREACHABLE) from exc
            try:
                yield
            finally:
                try:
                    conn.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", (key,))
                except PgError:
                    # The session is gone (a restart) and the server dropped its locks with it. Close the
                    # connection anyway so the pool never hands out a session that might still hold one.
                    log.warning("could not release the advisory lock of %r; dropping its connection", key)
                    conn.close()
        finally:
            self.pool.putconn(conn)  # a broken or closed connection is discarded and replaced by the pool

    def close(self) -> None:
        self.pool.close()
