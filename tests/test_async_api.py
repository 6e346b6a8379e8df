"""`await consultant.areply(...)`: eight consultations at once on one event loop keep every transcript complete
and in order, turns of one thread sent together are taken in the order they were sent, and the event loop is
free while a turn runs."""

from __future__ import annotations

import asyncio
import threading
import uuid

import pytest

from consultant import Consultant

CONSULTATIONS = 8
SCRIPT = [
    "We want a support assistant that answers questions from our help center.",
    "It mostly needs to know our policies; its tone is fine.",
    "Policies change every week or two.",
    "what is re-ranking?",
    "actually they change monthly",
    "thanks",
]


@pytest.fixture(scope="module")
def consultant() -> Consultant:
    return Consultant()  # the session's data dir (tests/conftest.py), with the built-in knowledge


def said(consultant: Consultant, thread_id: str) -> list[str]:
    return [m["content"] for m in consultant.history(thread_id) if m["role"] == "user"]


def test_eight_concurrent_consultations_keep_complete_ordered_transcripts(consultant: Consultant) -> None:
    threads = [f"async-{n}-{uuid.uuid4().hex[:8]}" for n in range(CONSULTATIONS)]
    scripts = {t: [f"{text} (consultation {n})" if i == 0 else text for i, text in enumerate(SCRIPT)]
               for n, t in enumerate(threads)}

    async def consult(thread_id: str) -> list[str]:
        replies = []
        for text in scripts[thread_id]:
            turn = await consultant.areply(thread_id, text)
            assert turn.stored, turn.message
            replies.append(turn.message)
        return replies

    async def main() -> list[list[str]]:
        return await asyncio.gather(*(consult(t) for t in threads))

    replies = asyncio.run(main())
    for thread_id, got in zip(threads, replies, strict=True):
        history = consultant.history(thread_id)
        assert [m["role"] for m in history] == ["user", "assistant"] * len(SCRIPT)
        assert said(consultant, thread_id) == scripts[thread_id]  # each its own messages, none lost, in order
        assert [m["content"] for m in history if m["role"] == "assistant"] == got
        state = consultant.state(thread_id)
        assert state is not None and state.recommendation is not None
        assert state.profile.knowledge_change == "monthly"  # the correction, applied after the weekly answer


def test_turns_of_one_thread_sent_together_are_taken_in_the_order_sent(consultant: Consultant) -> None:
    thread_id = f"async-one-{uuid.uuid4().hex[:8]}"
    messages = [SCRIPT[0]] + [f"note {n:02d}: nothing else to add" for n in range(9)]

    async def main() -> None:
        await asyncio.gather(*(consultant.areply(thread_id, text) for text in messages))

    asyncio.run(main())
    assert said(consultant, thread_id) == messages
    assert len(consultant.history(thread_id)) == 2 * len(messages)


def test_the_event_loop_keeps_running_while_a_turn_waits(consultant: Consultant) -> None:
    """A turn that must wait (its thread's lock is held elsewhere for a second) leaves the loop serving others."""
    thread_id = f"async-wait-{uuid.uuid4().hex[:8]}"
    held, release = threading.Event(), threading.Event()

    def other_writer() -> None:  # another writer of this thread holds its lock for a second
        with consultant._locks.hold(thread_id):
            held.set()
            release.wait(5)

    threading.Thread(target=other_writer, daemon=True).start()
    held.wait(5)
    threading.Timer(1.0, release.set).start()

    async def main() -> int:
        task = asyncio.create_task(consultant.areply(thread_id, SCRIPT[0]))
        ticks = 0
        while not task.done():
            await asyncio.sleep(0.05)
            ticks += 1
        assert (await task).stored
        return ticks

    ticks = asyncio.run(main())
    assert ticks >= 10  # ~20 ticks of 50 ms while the turn waited; a turn blocking the loop would allow 1
    assert said(consultant, thread_id) == [SCRIPT[0]]


def test_the_async_lock_table_holds_only_ids_in_use(consultant: Consultant) -> None:
    async def main() -> None:
        await asyncio.gather(*(consultant.areply(f"async-table-{i}-{uuid.uuid4().hex[:6]}", SCRIPT[0]) for i in range(5)))

    asyncio.run(main())
    assert len(consultant._async_order) == 0
