"""Consultations belong to someone: ids are checked, writes never create a consultation, each owner lists its
own, and the per-thread lock table does not grow with the number of consultations."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from consultant import Consultant
from consultant.config import Settings
from consultant.errors import ConsultantError
from consultant.locks import FileLocks, TurnLocks
from consultant.ui_support import new_owner_token, new_thread_id, valid_owner_token, valid_thread_id

MALFORMED = ["", "   ", "x" * 201, "tab\there", "new\nline", "nul\x00byte", "bell\x07", "\u200b\u2028"]


@pytest.fixture
def consultant(tmp_path: Path) -> Iterator[Consultant]:
    with Consultant(Settings(consultant_data_dir=tmp_path), with_knowledge=False) as c:
        yield c


def checkpoints(consultant: Consultant) -> int:
    with consultant.checkpointer.cursor(transaction=False) as cur:
        cur.execute("SELECT COUNT(*) FROM checkpoints")
        return int(cur.fetchone()[0])


@pytest.mark.parametrize("thread_id", MALFORMED + [None, 42])
def test_malformed_ids_are_refused_with_the_reason_by_every_call(consultant: Consultant, thread_id: object) -> None:
    calls = [lambda: consultant.reply(thread_id, "hello"),  # type: ignore[arg-type]
             lambda: consultant.state(thread_id),  # type: ignore[arg-type]
             lambda: consultant.edit_slot(thread_id, "need", "know_more"),  # type: ignore[arg-type]
             lambda: consultant.what_if(thread_id, "need", "both"),  # type: ignore[arg-type]
             lambda: consultant.reset_what_if(thread_id),  # type: ignore[arg-type]
             lambda: consultant.set_costs(thread_id, {})]  # type: ignore[arg-type]
    for call in calls:
        with pytest.raises(ConsultantError, match="thread id"):
            call()
    assert checkpoints(consultant) == 0


@pytest.mark.parametrize("write", ["edit_slot", "what_if", "reset_what_if", "set_costs"])
def test_a_write_to_an_unknown_id_is_refused_and_creates_nothing(consultant: Consultant, write: str) -> None:
    args = {"edit_slot": ("need", "know_more"), "what_if": ("need", "both"), "reset_what_if": (),
            "set_costs": ({"prices.input_per_mtok": 1.0},)}[write]
    with pytest.raises(ConsultantError, match="no consultation with the id 'ui-never-started'"):
        getattr(consultant, write)("ui-never-started", *args)
    assert consultant.state("ui-never-started") is None
    assert checkpoints(consultant) == 0
    assert consultant.threads() == []


def test_writes_to_an_existing_consultation_still_work(consultant: Consultant) -> None:
    consultant.reply("t1", "We want a support bot over our help center docs")
    assert consultant.edit_slot("t1", "knowledge_change", "weekly").profile.knowledge_change == "weekly"
    assert consultant.what_if("t1", "latency_budget_ms", 200) == {"latency_budget_ms": 200}
    consultant.reset_what_if("t1")
    assert consultant.set_costs("t1", {"prices.input_per_mtok": 1.0}) == {"prices.input_per_mtok": 1.0}


def test_each_owner_lists_only_the_consultations_it_started(consultant: Consultant) -> None:
    alice, bob = new_owner_token(), new_owner_token()
    consultant.reply("a1", "We want a support bot over our help center docs", owner=alice)
    consultant.reply("b1", "We need a classifier for support tickets", owner=bob)
    consultant.reply("a2", "An assistant for our sales playbooks", owner=alice)
    consultant.reply("anon", "A chatbot over release notes")  # the library API without an owner
    # Bob holds the link to a1 and writes to it: it stays Alice's (the owner is carried forward, never taken).
    consultant.reply("a1", "Policies change every week", owner=bob)
    consultant.edit_slot("a1", "latency_budget_ms", 2000)
    consultant.what_if("a1", "need", "both")

    assert [t["thread_id"] for t in consultant.threads(owner=alice)] == ["a1", "a2"]
    assert [t["thread_id"] for t in consultant.threads(owner=bob)] == ["b1"]
    assert [t["thread_id"] for t in consultant.threads(owner=new_owner_token())] == []
    assert {t["thread_id"] for t in consultant.threads()} == {"a1", "a2", "b1", "anon"}  # no owner: all (CLI, admin)
    assert consultant.owner_of("a1") == alice and consultant.owner_of("anon") is None


def test_the_generic_listing_path_filters_by_owner_too(consultant: Consultant) -> None:
    alice = new_owner_token()
    consultant.reply("a1", "We want a support bot over our help center docs", owner=alice)
    consultant.reply("b1", "We need a classifier for support tickets", owner=new_owner_token())
    assert consultant._listed_threads(10, owner=alice) == ["a1"]  # any other checkpointer goes this way


def test_ui_ids_and_owner_tokens_are_unguessable_and_checked() -> None:
    ids = {new_thread_id() for _ in range(1000)}
    assert len(ids) == 1000 and all(i.startswith("ui-") and len(i) == 3 + 22 for i in ids)  # 16 random bytes
    assert valid_thread_id(" ui-abc ") == "ui-abc" and valid_thread_id("x" * 201) is None
    assert valid_thread_id("a\nb") is None
    token = new_owner_token()
    assert valid_owner_token(token) == token
    for bad in ["", "short", token + "'; alert(1)", "x" * 65, None]:
        assert valid_owner_token(bad) is None


def test_the_lock_table_keeps_only_ids_in_use(tmp_path: Path) -> None:
    locks = TurnLocks(FileLocks(tmp_path / "locks"))
    for n in range(2000):
        with locks.hold(f"thread-{n}"):
            assert len(locks) == 1
    assert len(locks) == 0

    # Under contention the entry lives while anyone holds or waits for it, and still serialises them.
    inside, most, guard = 0, 0, threading.Lock()

    def worker() -> None:
        nonlocal inside, most
        for _ in range(50):
            with locks.hold("busy"):
                with guard:
                    inside += 1
                    most = max(most, inside)
                with guard:
                    inside -= 1

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most == 1 and len(locks) == 0


def test_a_consultant_serving_many_threads_keeps_no_locks_after(consultant: Consultant) -> None:
    for n in range(30):
        consultant.reply(f"t{n}", "We want a support bot over our help center docs")
    assert len(consultant._locks) == 0
