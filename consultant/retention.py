"""Retention: keep the last N checkpoints of a consultation, and delete whole consultations nobody touched for a while.

Every turn and every edit writes a new checkpoint with the whole state (SQLite keeps it in one row; Postgres
keeps changed channel values as blobs). Nothing in the consultant reads an older checkpoint than the latest
(a failed turn rolls back to the one before it, which is still the latest when no turn succeeded since), so
older ones only serve LangGraph's time travel. Both savers are handled with their own tables
(`checkpoints`, `writes` / `checkpoint_writes`, and Postgres' `checkpoint_blobs`); any other checkpointer is
left alone.

Checkpoint ids are uuid6 strings: time-ordered, so comparing the ids as strings compares their times, and the
id of an instant (`cutoff_id`) splits a thread's checkpoints into older and newer without reading them.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

log = logging.getLogger(__name__)

#: 100-ns intervals between the Gregorian epoch (1582-10-15) and the Unix epoch: uuid6 counts from the former.
_GREGORIAN_OFFSET = 0x01B21DD213814000
_DURATION = re.compile(r"^\s*(\d{1,6})\s*([smhdw])\s*$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_duration(text: str) -> timedelta:
    """"30d", "12h", "2w", "90m", "45s" -> a timedelta; ValueError saying what is expected otherwise."""
    match = _DURATION.match(str(text or ""))
    if not match:
        raise ValueError(f"'{text}' is not a duration: use a whole number and a unit, e.g. 30d, 12h, 2w, 90m")
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def cutoff_id(when: datetime) -> str:
    """The smallest uuid6 checkpoint id of the instant `when`: every checkpoint written before it sorts lower."""
    stamp = int(when.timestamp() * 10_000_000) + _GREGORIAN_OFFSET
    value = ((stamp >> 12) & 0xFFFFFFFFFFFF) << 80 | (stamp & 0x0FFF) << 64 | 6 << 76
    return str(uuid.UUID(int=value))


def checkpoint_time(checkpoint_id: str) -> datetime:
    """When a uuid6 checkpoint id was made (the inverse of `cutoff_id`, to 100 ns)."""
    value = uuid.UUID(checkpoint_id).int
    stamp = ((value >> 80) & 0xFFFFFFFFFFFF) << 12 | (value >> 64) & 0x0FFF
    return datetime.fromtimestamp((stamp - _GREGORIAN_OFFSET) / 10_000_000, UTC)


def _kind(saver: Any) -> str | None:
    from langgraph.checkpoint.sqlite import SqliteSaver

    if isinstance(saver, SqliteSaver):
        return "sqlite"
    try:
        from langgraph.checkpoint.postgres import PostgresSaver
    except ImportError:
        return None
    return "postgres" if isinstance(saver, PostgresSaver) else None


def _first(row: Any) -> Any:
    return next(iter(row.values())) if isinstance(row, dict) else row[0]


# --- keep the last N -------------------------------------------------------------------------------------------
_SQLITE_KEEP = (
    "DELETE FROM writes WHERE thread_id = ? AND checkpoint_ns = '' AND checkpoint_id < ?",
    "DELETE FROM checkpoints WHERE thread_id = ? AND checkpoint_ns = '' AND checkpoint_id < ?",
)
_PG_DELETE_WRITES = ("DELETE FROM checkpoint_writes WHERE thread_id = %s AND checkpoint_ns = '' "
                     "AND checkpoint_id < %s")
_PG_DELETE_CHECKPOINTS = ("DELETE FROM checkpoints WHERE thread_id = %s AND checkpoint_ns = '' AND checkpoint_id < %s "
                          "RETURNING checkpoint -> 'channel_versions' AS versions")
_PG_REFERENCED = """
SELECT DISTINCT v.key AS channel, v.value AS version FROM checkpoints c
CROSS JOIN LATERAL jsonb_each_text(c.checkpoint -> 'channel_versions') AS v
WHERE c.thread_id = %s AND c.checkpoint_ns = ''
"""
_PG_DELETE_BLOBS = ("DELETE FROM checkpoint_blobs WHERE thread_id = %s AND checkpoint_ns = '' AND channel = %s "
                    "AND version = ANY(%s)")
_NTH_NEWEST = ("SELECT checkpoint_id FROM checkpoints WHERE thread_id = {p} AND checkpoint_ns = '' "
               "ORDER BY checkpoint_id DESC LIMIT 1 OFFSET {p}")
_UNPARENT = "UPDATE checkpoints SET parent_checkpoint_id = NULL WHERE thread_id = {p} AND checkpoint_id = {p}"


def keep_last(saver: Any, thread_id: str, keep: int) -> int:
    """Delete all but the newest `keep` checkpoints of the thread (with their pending writes and, on Postgres,
    the blobs no kept checkpoint refers to); the oldest kept one loses its parent link. Returns how many
    checkpoints were deleted (0 for a checkpointer this module does not know). Call it under the thread's lock."""
    if keep < 1:
        raise ValueError("keep at least the latest checkpoint")
    kind = _kind(saver)
    if kind == "sqlite":
        return _keep_last_sqlite(saver, thread_id, keep)
    if kind == "postgres":
        return _keep_last_postgres(saver, thread_id, keep)
    return 0


def _keep_last_sqlite(saver: Any, thread_id: str, keep: int) -> int:
    with saver.cursor(transaction=True) as cur:
        cur.execute(_NTH_NEWEST.format(p="?"), (thread_id, keep - 1))
        row = cur.fetchone()
        if row is None:
            return 0
        oldest_kept = row[0]
        cur.execute(_SQLITE_KEEP[0], (thread_id, oldest_kept))
        cur.execute(_SQLITE_KEEP[1], (thread_id, oldest_kept))
        deleted = int(cur.rowcount or 0)
        if deleted:
            cur.execute(_UNPARENT.format(p="?"), (thread_id, oldest_kept))
        return deleted


@contextmanager
def _pg_connection(saver: Any) -> Iterator[Any]:
    """A connection of the saver: one from its pool, or its single connection under the saver's own lock."""
    import psycopg

    if isinstance(saver.conn, psycopg.Connection):
        with saver.lock:
            yield saver.conn
    else:
        with saver.conn.connection() as conn:
            yield conn


def _keep_last_postgres(saver: Any, thread_id: str, keep: int) -> int:
    with _pg_connection(saver) as conn, conn.transaction():
        row = conn.execute(_NTH_NEWEST.format(p="%s"), (thread_id, keep - 1)).fetchone()
        if row is None:
            return 0
        oldest_kept = _first(row)
        conn.execute(_PG_DELETE_WRITES, (thread_id, oldest_kept))
        rows = conn.execute(_PG_DELETE_CHECKPOINTS, (thread_id, oldest_kept)).fetchall()
        if not rows:
            return 0
        freed = {(channel, str(version)) for r in rows for channel, version in (_row(r, "versions", 0) or {}).items()}
        referenced = {(_row(r, "channel", 0), _row(r, "version", 1))
                      for r in conn.execute(_PG_REFERENCED, (thread_id,)).fetchall()}
        garbage: dict[str, list[str]] = {}
        for channel, version in freed:
            if (channel, version) not in referenced:
                garbage.setdefault(channel, []).append(version)
        for channel, versions in garbage.items():
            conn.execute(_PG_DELETE_BLOBS, (thread_id, channel, versions))
        conn.execute(_UNPARENT.format(p="%s"), (thread_id, oldest_kept))
        return len(rows)


def _row(row: Any, key: str, index: int) -> Any:
    return row[key] if isinstance(row, dict) else row[index]


# --- delete whole threads ----------------------------------------------------------------------------------------
_STALE = ("SELECT thread_id FROM checkpoints WHERE checkpoint_ns = '' GROUP BY thread_id "
          "HAVING MAX(checkpoint_id) < {p}")


def stale_threads(saver: Any, before: datetime) -> list[str]:
    """Threads whose latest checkpoint was written before `before` (none for an unknown checkpointer)."""
    kind, cutoff = _kind(saver), cutoff_id(before)
    if kind == "sqlite":
        with saver.cursor(transaction=False) as cur:
            cur.execute(_STALE.format(p="?"), (cutoff,))
            return [row[0] for row in cur.fetchall()]
    if kind == "postgres":
        with _pg_connection(saver) as conn:
            return [_first(row) for row in conn.execute(_STALE.format(p="%s"), (cutoff,)).fetchall()]
    return []


def latest_checkpoint_id(saver: Any, thread_id: str) -> str | None:
    """The id of the thread's newest checkpoint (None when it has none)."""
    query = "SELECT MAX(checkpoint_id) FROM checkpoints WHERE thread_id = {p} AND checkpoint_ns = ''"
    kind = _kind(saver)
    if kind == "sqlite":
        with saver.cursor(transaction=False) as cur:
            cur.execute(query.format(p="?"), (thread_id,))
            row = cur.fetchone()
    elif kind == "postgres":
        with _pg_connection(saver) as conn:
            row = conn.execute(query.format(p="%s"), (thread_id,)).fetchone()
    else:
        return None
    return _first(row) if row is not None else None


def delete_threads(saver: Any, thread_ids: Iterable[str]) -> int:
    """Delete each thread entirely (the savers' own `delete_thread`); returns how many were deleted."""
    count = 0
    for thread_id in thread_ids:
        saver.delete_thread(thread_id)
        count += 1
    return count
