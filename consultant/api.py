"""Consultant: the embedding API (one object per process, thread-safe, one writer per consultation at a time)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from langgraph.types import Command

from consultant import intake, prompts
from consultant.config import Settings, get_settings
from consultant.costs import CostTable, load_cost_table
from consultant.errors import ConsultantError
from consultant.graph import build_graph
from consultant.guidance import warm_up
from consultant.intake import MAX_MESSAGE_CHARS, clean_message  # noqa: F401  (re-exported: part of the API)
from consultant.locks import PG_KWARGS, AdvisoryLocks, AsyncOrder, FileLocks, TurnLocks
from consultant.nodes import Runtime, load_profile
from consultant.observe import log_turn
from consultant.profile import SLOTS, Profile, SlotValue
from consultant.results import RecommendationResult
from consultant.scoring import recommend

if TYPE_CHECKING:
    from consultant.brief import Brief

log = logging.getLogger(__name__)

MAX_THREAD_ID = 200
#: Connections in the Postgres checkpointer's pool, per process. A turn reads its thread's checkpoint and writes
#: one, each on a pooled connection; with 4, eight concurrent consultations queued for connections (44 turns/s, p95
#: 379 ms in the load figure of `make bench`) where 10 served 63 turns/s, p95 227 ms. The turn locks hold their
#: own pool (consultant/locks.py). N processes open up to N x (10 + 8) connections: size max_connections for it.
CHECKPOINT_POOL_SIZE = 10
# SQLite: how long a connection waits for another process's lock (the default 5 s is too short when several
# processes open the same new database on a loaded machine), and how many times switching it to WAL is retried
SQLITE_BUSY_SECONDS = 30.0
SQLITE_WAL_ATTEMPTS = 8

OWNER_KEY = "owner"  # checkpoint metadata: the browser session (or signed-in user) that started the consultation


def check_thread_id(thread_id: object) -> str:
    """The id, stripped; ConsultantError saying why for anything that cannot name a consultation (empty, too
    long, control or other unprintable characters, not text)."""
    if not isinstance(thread_id, str):
        raise ConsultantError(f"a thread id must be text, got {type(thread_id).__name__}")
    text = thread_id.strip()
    if not text or len(text) > MAX_THREAD_ID:
        raise ConsultantError(f"a thread id must be 1-{MAX_THREAD_ID} characters")
    if not text.isprintable():
        raise ConsultantError("a thread id must not contain control or other unprintable characters")
    return text


@dataclass
class Turn:
    """One exchange: the consultant's reply and the consultation's state after it.

    `profile` is the typed `Profile` (slots as attributes, `.values()` as a dict, provenance and corrections);
    `recommendation` the typed `RecommendationResult` once one is given (None before); both `.model_dump()`.
    """

    message: str
    pending_slot: str | None
    profile: Profile
    recommendation: RecommendationResult | None
    citations: list[dict[str, Any]] = field(default_factory=list)
    provenance: dict[str, dict[str, Any]] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    choices: list[dict[str, Any]] = field(default_factory=list)  # quick replies for the pending question
    stored: bool = True  # False when the message was rejected before reaching the conversation


def _where(url: str) -> str:
    """host:port/dbname of a Postgres URL, never its password."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(url)
    except Exception:
        return "CONSULTANT_CHECKPOINT_URL"
    return f"{parts.get('host', 'localhost')}:{parts.get('port', 5432)}/{parts.get('dbname', '')}"


_THREAD_INDEX_SQL = ("SELECT thread_id, MAX(checkpoint_id) AS latest FROM checkpoints WHERE checkpoint_ns = '' "
                     "GROUP BY thread_id {having} ORDER BY latest DESC LIMIT {p}")
# A thread belongs to an owner when one of its checkpoints says so (every write carries the owner forward).
_OWNED_SQLITE = "HAVING SUM(json_extract(CAST(metadata AS TEXT), '$.owner') = ?) > 0"
_OWNED_POSTGRES = "HAVING bool_or(metadata->>'owner' = %s)"


def _thread_index(saver: Any, limit: int, owner: str | None = None) -> list[str] | None:
    """`_listed_threads` in one query over the saver's own table, for SqliteSaver and PostgresSaver (both keep
    `checkpoints(thread_id, checkpoint_ns, checkpoint_id, metadata)`); None for any other checkpointer."""
    from langgraph.checkpoint.sqlite import SqliteSaver

    if isinstance(saver, SqliteSaver):
        query = _THREAD_INDEX_SQL.format(having=_OWNED_SQLITE if owner else "", p="?")
        with saver.cursor(transaction=False) as cur:
            cur.execute(query, (owner, limit) if owner else (limit,))
            return [row[0] for row in cur.fetchall()]
    try:
        import psycopg
        from langgraph.checkpoint.postgres import PostgresSaver
    except ImportError:
        return None
    if isinstance(saver, PostgresSaver):
        query, conn = _THREAD_INDEX_SQL.format(having=_OWNED_POSTGRES if owner else "", p="%s"), saver.conn
        params = (owner, limit) if owner else (limit,)
        if isinstance(conn, psycopg.Connection):
            with saver.lock:
                rows = conn.execute(query, params).fetchall()
        else:  # a pool
            with conn.connection() as pooled:
                rows = pooled.execute(query, params).fetchall()
        return [row["thread_id"] if isinstance(row, dict) else row[0] for row in rows]
    return None


def _enable_wal(conn: sqlite3.Connection) -> None:
    """Switch the database to WAL. Two processes opening a new database at the same moment can find it locked
    while the other one sets it up ("database is locked"): wait and try again rather than fail to start."""
    for attempt in range(SQLITE_WAL_ATTEMPTS):
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == SQLITE_WAL_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * 2 ** attempt)


class Consultant:
    """`Consultant().reply(thread_id, text)`: offline by default; the LLM path when configured."""

    def __init__(self, settings: Settings | None = None, *, store: Any = None, checkpointer: Any = None,
                 table: CostTable | None = None, llm: Any = None, with_knowledge: bool = True) -> None:
        self.settings = settings or get_settings()
        self.settings.consultant_data_dir.mkdir(parents=True, exist_ok=True)
        self._closers: list[Callable[[], None]] = []  # what close() releases (only what this object opened)
        self._locks = TurnLocks(FileLocks(self.settings.consultant_data_dir / "locks"))
        self._async_order = AsyncOrder()
        if store is None and with_knowledge:
            from consultant.kb.store import open_store

            store = open_store(self.settings)
        self.store = store
        self.table = table or load_cost_table(self.settings.consultant_costs_file)
        if llm is None and self.settings.llm_enabled:
            from consultant.llm import LLM

            llm = LLM(self.settings)
        self.llm = llm
        self.checkpointer = checkpointer or self._make_checkpointer()
        runtime = Runtime(store=store, table=self.table, llm=llm, reader=self.settings.consultant_reader)
        self.graph = build_graph(runtime, self.checkpointer)
        warm_up(store)  # no gc.freeze() here: that is the host process's call (consultant.entry.freeze_heap)

    # --- plumbing -------------------------------------------------------------------------------------
    def _make_checkpointer(self) -> Any:
        """SQLite in the data dir (file locks per thread), or Postgres at CONSULTANT_CHECKPOINT_URL (advisory
        locks per thread); either way the locks serialise the writes of one thread across processes."""
        url = self.settings.consultant_checkpoint_url
        if url:
            return self._postgres_checkpointer(url)
        from langgraph.checkpoint.sqlite import SqliteSaver

        conn = sqlite3.connect(str(self.settings.checkpoint_path), check_same_thread=False, timeout=SQLITE_BUSY_SECONDS)
        _enable_wal(conn)
        conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: safe against app crashes, no fsync per turn
        self._closers.append(conn.close)
        return SqliteSaver(conn)

    def _postgres_checkpointer(self, url: str) -> Any:
        """A PostgresSaver over a checked connection pool (a dropped connection, e.g. after a database restart, is
        replaced on the next use), its tables set up once under an advisory lock, and the per-thread locks."""
        try:
            import psycopg
            from langgraph.checkpoint.postgres import PostgresSaver
            from psycopg.rows import dict_row
            from psycopg_pool import ConnectionPool
        except ImportError as exc:
            raise ConsultantError(
                "CONSULTANT_CHECKPOINT_URL is a Postgres URL, which needs the `postgres` extra: "
                "pip install 'consultant[postgres]' (langgraph-checkpoint-postgres, psycopg, psycopg-pool)") from exc
        try:  # one plain connection first: a wrong URL fails here at once, not after the pool's retries
            psycopg.connect(url, connect_timeout=10).close()
        except psycopg.Error as exc:
            raise ConsultantError(f"Could not connect to the checkpoint database at {_where(url)}: "
                                  f"{' '.join(str(exc).split())}") from exc
        pool: Any = ConnectionPool(url, min_size=1, max_size=CHECKPOINT_POOL_SIZE, check=ConnectionPool.check_connection,
                                   kwargs={**PG_KWARGS, "row_factory": dict_row}, open=True,
                                   name="consultant-checkpoints")
        locks = AdvisoryLocks.open(url)
        try:
            saver = PostgresSaver(pool)
            with locks(AdvisoryLocks.SETUP_KEY):  # two processes starting at once must not both migrate
                saver.setup()
        except BaseException:
            pool.close()
            locks.close()
            raise
        self._closers += [pool.close, locks.close]
        self._locks = TurnLocks(locks)
        return saver

    def close(self) -> None:
        """Release the checkpoint database (the SQLite connection, or the Postgres pools). Idempotent; a
        checkpointer passed in by the caller stays the caller's to close."""
        closers, self._closers = self._closers, []
        for close in reversed(closers):
            try:
                close()
            except Exception:
                log.exception("could not close %r", close)

    def __enter__(self) -> Consultant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _config(thread_id: str, owner: str | None = None) -> dict[str, Any]:
        """The run config; with an owner, every checkpoint the write makes carries it in its metadata."""
        config: dict[str, Any] = {"configurable": {"thread_id": thread_id}}
        if owner:
            config["metadata"] = {OWNER_KEY: owner}
        return config

    def _existing(self, thread_id: object) -> tuple[str, Any]:
        """(id, latest snapshot) of a consultation that exists; ConsultantError for a malformed or unknown id, so
        a write never creates a consultation out of a typo."""
        thread_id = check_thread_id(thread_id)
        snapshot = self.graph.get_state(self._config(thread_id))
        if not (snapshot.values or {}).get("transcript"):
            raise ConsultantError(f"there is no consultation with the id '{thread_id[:60]}' (a consultation "
                                  "starts with its first message)")
        return thread_id, snapshot

    def _write_config(self, snapshot: Any, thread_id: str) -> dict[str, Any]:
        """The config of a state write: the thread's owner carried forward from its latest checkpoint."""
        return self._config(thread_id, (snapshot.metadata or {}).get(OWNER_KEY))

    def owner_of(self, thread_id: str) -> str | None:
        """Who started the consultation (the owner passed to its first `reply`), None when nobody was named."""
        return (self.graph.get_state(self._config(check_thread_id(thread_id))).metadata or {}).get(OWNER_KEY)

    def _values(self, thread_id: str) -> dict[str, Any]:
        return dict(self.graph.get_state(self._config(thread_id)).values or {})

    def _turn_from(self, values: dict[str, Any], message: str | None = None, stored: bool = True,
                   notices: list[str] | None = None) -> Turn:
        profile = load_profile(values.get("profile"))
        reply = values.get("reply") or {}
        return Turn(
            message=message if message is not None else reply.get("message", ""),
            pending_slot=values.get("pending_slot"),
            profile=profile,
            recommendation=(RecommendationResult.model_validate(values["recommendation"])
                            if values.get("recommended") and values.get("recommendation") else None),
            citations=list(reply.get("citations", [])) if message is None else [],
            provenance={k: v.model_dump() for k, v in profile.provenance.items()},
            notices=notices if notices is not None else list(reply.get("notices", [])),
            choices=list(values.get("choices") or []),
            stored=stored,
        )

    # --- the API ------------------------------------------------------------------------------------------
    def reply(self, thread_id: str, text: str, *, owner: str | None = None) -> Turn:
        """Send one user message to a consultation and get the consultant's reply. `owner` (e.g. a browser
        session's token) is recorded when this message starts the consultation; `threads(owner=...)` lists it."""
        started = time.perf_counter()
        thread_id = check_thread_id(thread_id)
        cleaned, problem = intake.check(text, started=True)
        if problem is not None:  # the thread is read only to word the reply (an empty first message reads differently)
            values = self._values(thread_id)
            _, problem = intake.check(text, started=bool(values.get("transcript")))
            log_turn(thread_id, values, values, outcome="rejected", ms=(time.perf_counter() - started) * 1000)
            return self._turn_from(values, stored=False, message=problem)
        with self._locks.hold(thread_id):
            snapshot = self.graph.get_state(self._config(thread_id))
            stored_owner = (snapshot.metadata or {}).get(OWNER_KEY) if snapshot.values else None
            config = self._config(thread_id, stored_owner or owner)
            before = dict(snapshot.values or {})  # under the lock: what this turn starts from
            try:
                if snapshot.next:
                    after = self.graph.invoke(Command(resume=cleaned), config, durability="exit")
                else:
                    after = self.graph.invoke({"incoming": cleaned}, config, durability="exit")
            except Exception:
                log.exception("turn failed on thread %s", thread_id)
                self._roll_back(thread_id, snapshot)
                failed = self._values(thread_id)
                log_turn(thread_id, before, failed, outcome="failed", ms=(time.perf_counter() - started) * 1000)
                return self._turn_from(failed, stored=False, message=prompts.FAILED_TURN_API)
            # The run's final values are the checkpoint it just wrote (one checkpoint per turn): no second read.
            self._after_write(thread_id)
            values = dict(after) if isinstance(after, dict) else self._values(thread_id)
            log_turn(thread_id, before, values, outcome="ok", ms=(time.perf_counter() - started) * 1000)
            return self._turn_from(values)

    async def areply(self, thread_id: str, text: str, *, owner: str | None = None) -> Turn:
        """`reply` for asyncio hosts: the turn runs in a worker thread (`asyncio.to_thread`), so the event loop
        keeps serving other consultations meanwhile. Turns of one thread sent concurrently are taken in the order
        they were sent (an asyncio lock per thread id); the thread and process locks of `reply` still apply."""
        async with self._async_order.hold(str(thread_id or "").strip()):
            return await asyncio.to_thread(self.reply, thread_id, text, owner=owner)

    async def astate(self, thread_id: str) -> Turn | None:
        """`state` without blocking the event loop."""
        return await asyncio.to_thread(self.state, thread_id)

    async def aexport_scenario(self, thread_id: str) -> str:
        return await asyncio.to_thread(self.export_scenario, thread_id)

    async def aexport_adr(self, thread_id: str, *, what_if: bool = False) -> str:
        return await asyncio.to_thread(self.export_adr, thread_id, what_if=what_if)

    def _after_write(self, thread_id: str) -> None:
        """Run under the thread's lock after each successful write: retention (CONSULTANT_KEEP_CHECKPOINTS)."""
        keep = self.settings.consultant_keep_checkpoints
        if keep:
            from consultant.retention import keep_last

            try:
                keep_last(self.checkpointer, thread_id, keep)
            except Exception:  # retention must never fail the turn that was just saved
                log.exception("could not prune the checkpoints of thread %s", thread_id)

    def prune_threads(self, older_than: timedelta) -> list[str]:
        """Delete every consultation not written to for `older_than` (all its checkpoints); returns their ids.
        Each is deleted under its turn lock, after checking again that no turn has touched it meanwhile."""
        from datetime import UTC, datetime

        from consultant.retention import cutoff_id, latest_checkpoint_id, stale_threads

        before = datetime.now(UTC) - older_than
        deleted = []
        for thread_id in stale_threads(self.checkpointer, before):
            with self._locks.hold(thread_id):
                latest = latest_checkpoint_id(self.checkpointer, thread_id)
                if latest is not None and latest < cutoff_id(before):
                    self.checkpointer.delete_thread(thread_id)
                    deleted.append(thread_id)
        return deleted

    def _roll_back(self, thread_id: str, good: Any) -> None:
        """Make the last good checkpoint the thread's state again after a failed turn.

        A run that raises leaves a checkpoint whose next step is the failed node, with the failing message in
        its state: resuming would replay the failure forever. Copying the checkpoint from before the turn (a
        LangGraph fork, the same on every checkpointer) makes it the latest again; a thread whose very first
        turn failed has nothing to go back to and is removed.
        """
        try:
            latest = self.graph.get_state(self._config(thread_id))
            before = (good.config or {}).get("configurable", {}).get("checkpoint_id") if good is not None else None
            after = (latest.config or {}).get("configurable", {}).get("checkpoint_id")
            if before is None:
                if after is not None:
                    self.checkpointer.delete_thread(thread_id)
            elif after != before:
                self.graph.update_state(good.config, None, as_node="__copy__")
        except Exception:  # never let the repair hide the original failure's reply
            log.exception("could not restore thread %s after a failed turn", thread_id)

    def state(self, thread_id: str) -> Turn | None:
        """The consultation as it stands: None for a well-formed id nothing is stored under (reading creates
        nothing), ConsultantError for a malformed one."""
        values = self._values(check_thread_id(thread_id))
        return self._turn_from(values) if values else None

    def history(self, thread_id: str) -> list[dict[str, Any]]:
        """The transcript: [{"role", "content", "citations"?}, ...]."""
        return list(self._values(thread_id).get("transcript", []))

    def edit_slot(self, thread_id: str, slot: str, value: SlotValue) -> Turn:
        """A correction of the user's own answer (recorded as a user edit; the recommendation recomputed).
        To explore a value without changing what the user said, use `what_if`."""
        if slot not in SLOTS:
            raise ConsultantError(f"unknown slot '{slot}'")
        thread_id, _ = self._existing(thread_id)
        with self._locks.hold(thread_id):
            thread_id, snapshot = self._existing(thread_id)
            config = self._write_config(snapshot, thread_id)
            values = dict(snapshot.values)
            profile = load_profile(values.get("profile"))
            from datetime import UTC, datetime

            profile = profile.update(slot, value, source_message="edited in the profile panel", extractor="user_edit",
                                     confidence=1.0, at=datetime.now(UTC).isoformat(timespec="seconds"),
                                     turn=values.get("turn"))
            rec = recommend(profile, self.table)
            declined = [s for s in values.get("declined", []) if s != slot]
            update: dict[str, Any] = {"profile": profile.model_dump(mode="json"), "recommendation": rec.to_dict(),
                                      "declined": declined}
            if values.get("pending_slot") == slot and value is not None:
                update["pending_slot"] = None
            self.graph.update_state(config, update)
            self._after_write(thread_id)
            return self._turn_from(self._values(thread_id))

    # --- the brief, what-if scenarios and exports ------------------------------------------------------------
    def exists(self, thread_id: str) -> bool:
        """Is there a consultation with this id (at least one message)?"""
        return bool(self._values(str(thread_id or "")).get("transcript"))

    def what_if(self, thread_id: str, slot: str, value: SlotValue) -> dict[str, SlotValue]:
        """Set one value of the what-if scenario beside the user's answers (None takes it out of the scenario);
        the answers themselves, the chat and the exported eval scenario are never changed by it."""
        if slot not in SLOTS:
            raise ConsultantError(f"unknown slot '{slot}'")
        thread_id, _ = self._existing(thread_id)
        with self._locks.hold(thread_id):
            thread_id, snapshot = self._existing(thread_id)
            values = dict(snapshot.values)
            answers = load_profile(values.get("profile"))
            scenario = dict(values.get("what_if") or {})
            if value is None or value == getattr(answers, slot):
                scenario.pop(slot, None)
            else:
                answers.with_values(**{slot: value})  # validates: a bad value is a clear error naming the field
                scenario[slot] = value
            self.graph.update_state(self._write_config(snapshot, thread_id), {"what_if": scenario})
            self._after_write(thread_id)
            return scenario

    def reset_what_if(self, thread_id: str) -> None:
        """Back to the user's own answers."""
        thread_id, _ = self._existing(thread_id)
        with self._locks.hold(thread_id):
            thread_id, snapshot = self._existing(thread_id)
            self.graph.update_state(self._write_config(snapshot, thread_id), {"what_if": {}})
            self._after_write(thread_id)

    def set_costs(self, thread_id: str, overrides: dict[str, float]) -> dict[str, float]:
        """Use the team's own prices for this consultation (keys of consultant.costs.ADJUSTABLE); {} restores
        the defaults. A value out of range is a clear error naming the key."""
        clean = {str(k): float(v) for k, v in (overrides or {}).items()}
        self.table.with_overrides(clean)  # validates
        thread_id, _ = self._existing(thread_id)
        with self._locks.hold(thread_id):
            thread_id, snapshot = self._existing(thread_id)
            self.graph.update_state(self._write_config(snapshot, thread_id), {"cost_overrides": clean})
            self._after_write(thread_id)
        return clean

    def costs_of(self, thread_id: str) -> dict[str, float]:
        return dict(self._values(thread_id).get("cost_overrides") or {})

    def scenario(self, thread_id: str) -> dict[str, SlotValue]:
        return dict(self._values(thread_id).get("what_if") or {})

    def brief(self, thread_id: str, *, what_if: bool = False) -> Brief:
        """The decision brief of the user's answers, or of the what-if scenario over them."""
        from consultant import gate
        from consultant.brief import build_brief

        values = self._values(thread_id)
        answers = gate.with_proposals(load_profile(values.get("profile")), list(values.get("proposals") or []),
                                      list(values.get("declined") or []))
        first = next((m["content"] for m in values.get("transcript", []) if m["role"] == "user"), "")
        scenario = dict(values.get("what_if") or {}) if what_if else {}
        profile = answers.assume(**scenario) if scenario else answers
        table = self.table.with_overrides(values.get("cost_overrides"))
        return build_brief(profile, recommend(profile, table), store=self.store, first_message=first,
                           what_if=scenario, said=answers)

    def threads(self, limit: int = 50, *, owner: str | None = None) -> list[dict[str, Any]]:
        """Past consultations, newest first: id, a title from the feature, dates, the outcome in words. With an
        owner, only the consultations that owner started (the UI lists a browser session's own)."""
        from consultant.brief import feature_title
        from consultant.words import LABELS

        try:
            thread_ids = self._latest_threads(limit, owner)
        except Exception:
            log.exception("could not list past consultations")
            return []
        out = []
        for thread_id in thread_ids:
            values = self._values(thread_id)
            first = next((m["content"] for m in values.get("transcript", []) if m["role"] == "user"), "")
            rec = values.get("recommendation") if values.get("recommended") else None
            out.append({"thread_id": thread_id, "title": feature_title(first) if first else "", "first": first[:80],
                        "turns": values.get("turn", 0), "label": rec["label"] if rec else None,
                        "outcome": LABELS[rec["label"]] if rec else "in progress",
                        "started_at": values.get("started_at"), "updated_at": values.get("updated_at")})
        return out

    def _latest_threads(self, limit: int, owner: str | None = None) -> list[str]:
        """Thread ids by their latest checkpoint, newest first: one aggregate query for the two savers this
        package opens, the checkpointer's own `list` for any other."""
        indexed = _thread_index(self.checkpointer, limit, owner)
        return indexed if indexed is not None else self._listed_threads(limit, owner=owner)

    def _listed_threads(self, limit: int, page: int = 200, owner: str | None = None) -> list[str]:
        """Thread ids through `checkpointer.list` (any backend): pages of checkpoints across all threads, newest
        first, until `limit` threads are seen. It reads every checkpoint of those threads (~0.3 s for 50 threads
        of 20 turns), hence the index query above for SQLite and Postgres."""
        latest: dict[str, str] = {}
        owned: set[str] = set()
        before: dict[str, Any] | None = None
        while len(owned if owner else latest) < limit:
            # Materialised page by page: SqliteSaver holds its lock while its `list` generator is suspended.
            batch = list(self.checkpointer.list(None, before=before, limit=page))
            for item in batch:
                configurable = item.config["configurable"]
                if not configurable.get("checkpoint_ns"):  # the root graph, not a subgraph
                    latest.setdefault(configurable["thread_id"], configurable["checkpoint_id"])
                    if owner and (item.metadata or {}).get(OWNER_KEY) == owner:
                        owned.add(configurable["thread_id"])
            if len(batch) < page:
                break
            before = {"configurable": {"checkpoint_id": batch[-1].config["configurable"]["checkpoint_id"]}}
        # Checkpoint ids are time-ordered (uuid6); sorting keeps the order right for savers that list per thread.
        mine = [t for t in latest if t in owned] if owner else list(latest)
        return sorted(mine, key=lambda t: latest[t], reverse=True)[:limit]

    def export_scenario(self, thread_id: str) -> str:
        """The consultation as an eval scenario (script mode) of what the user said, never of a what-if."""
        from consultant.exports import scenario_yaml

        return scenario_yaml(thread_id, self._values(thread_id), self.table)

    def export_adr(self, thread_id: str, *, what_if: bool = False) -> str:
        """An Architecture Decision Record in Markdown (of the what-if scenario when asked, and saying so)."""
        from consultant.brief import render

        return render.adr(self.brief(thread_id, what_if=what_if))

    def export_pdf(self, thread_id: str, *, what_if: bool = False) -> bytes:
        """The brief on one PDF page."""
        from consultant.brief import render

        return render.pdf(self.brief(thread_id, what_if=what_if))
