"""Numbers in common locales, messages in other languages, and corrections that stick: through the reader and the
public API (multi-turn consultations on the real graph, store and checkpointer)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from consultant import prompts
from consultant.api import Consultant, Turn
from consultant.nlu import intent, read
from consultant.nlu.numbers import find_figures
from consultant.nlu.text import working_copy

LANGUAGES = intent.languages()


@pytest.fixture(scope="module")
def consultant() -> Iterator[Consultant]:
    with Consultant() as c:
        yield c


def talk(consultant: Consultant, *messages: str) -> Turn:
    thread = f"loc-{uuid.uuid4().hex[:10]}"
    turn = None
    for message in messages:
        turn = consultant.reply(thread, message)
    assert turn is not None
    return turn


# --- the language lexicon ------------------------------------------------------------------------------
@pytest.mark.parametrize("text", LANGUAGES.examples)
def test_language_examples_are_another_language(text: str) -> None:
    assert intent.other_language(text)


@pytest.mark.parametrize("text", LANGUAGES.counter_examples)
def test_language_counter_examples_are_read(text: str) -> None:
    assert not intent.other_language(text)


@pytest.mark.parametrize("text", [
    "Wir haben etwa 50.000 Anfragen pro Tag und die Richtlinien ändern sich jede Woche",
    "Nous avons environ 50.000 requêtes par jour",
    "Necesitamos que el asistente cite las fuentes para los auditores",
])
def test_a_message_in_another_language_gets_the_english_reply_and_no_reading(consultant: Consultant, text: str) -> None:
    turn = talk(consultant, "We want a support assistant over our help center.", text)
    assert prompts.OTHER_LANGUAGE in turn.message
    assert turn.profile.monthly_queries is None and turn.profile.knowledge_change is None


# --- numbers in common locales -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "value"), [("50.000 Anfragen", 50_000), ("50.000 queries", 50_000),
                                             ("1,5 Mio. Anfragen", 1_500_000), ("1.5M", 1_500_000),
                                             ("1.234.567", 1_234_567), ("1.500,5", 1500.5), ("1,5", 1.5)])
def test_figures_in_common_locales(text: str, value: float) -> None:
    assert [f.value for f in find_figures(working_copy(text))][:1] == [value]


def test_a_thousands_dot_is_ambiguous_only_when_written_alone() -> None:
    assert find_figures("5.000")[0].decimal_reading == 5.0
    assert find_figures("1.5")[0].decimal_reading is None
    assert find_figures("1.500.000")[0].decimal_reading is None
    assert find_figures("1.500 mio")[0].decimal_reading is None  # a scale reads the dot as a decimal point


def test_a_count_with_a_thousands_dot_is_stored(consultant: Consultant) -> None:
    turn = talk(consultant, "We want a support assistant over our help center. We get 50.000 queries a day.")
    assert turn.profile.monthly_queries == 1_500_000
    turn = talk(consultant, "We want a support assistant over our help center. Roughly 1,5 Mio. queries a month.")
    assert turn.profile.monthly_queries == 1_500_000


MANUAL = ("Q&A assistant that answers questions from our product manual. It needs to know the manual.",
          "the manual changes once a year", "prompts carry about 8000 tokens", "2 seconds")


@pytest.mark.parametrize("said", ["5.000 rps", "we see 5.000 requests per second"])
def test_a_per_second_rate_with_a_thousands_dot_is_asked_with_both_readings(consultant: Consultant, said: str) -> None:
    reading = read(said, "monthly_queries")
    assert [c.value for c in reading.candidates] == [5_000 * 2_592_000]
    assert reading.candidates[0].alternatives == (("monthly_queries", 5 * 2_592_000),)
    turn = talk(consultant, *MANUAL, said)
    assert turn.profile.monthly_queries is None  # not stored before the user picks
    assert {c["value"] for c in turn.choices} >= {5_000 * 2_592_000, 5 * 2_592_000}
    thread = f"loc-{uuid.uuid4().hex[:10]}"
    for message in (*MANUAL, said):
        consultant.reply(thread, message)
    picked = next(i for i, c in enumerate(turn.choices, 1) if c["value"] == 5 * 2_592_000)
    assert consultant.reply(thread, str(picked)).profile.monthly_queries == 5 * 2_592_000


# --- corrections that stick -----------------------------------------------------------------------------------
DOCS = "A Q&A assistant over our internal engineering docs. It needs to know the docs."


def test_actually_weekly_not_yearly_replaces_yearly(consultant: Consultant) -> None:
    turn = talk(consultant, DOCS, "we run it yearly", "actually it's weekly, not yearly")
    assert turn.profile.knowledge_change == "weekly"
    assert turn.provenance["knowledge_change"]["source_message"].startswith("actually it's weekly")


@pytest.mark.parametrize("later", ["500k a day", "sorry, 500k a day"])
def test_a_later_volume_replaces_the_earlier_one(consultant: Consultant, later: str) -> None:
    turn = talk(consultant, *MANUAL, "about 1.5M queries a month", later)
    assert turn.profile.monthly_queries == 15_000_000


@pytest.mark.parametrize("said", ["no budget at all", "zero, no budget", "there's no budget at all for this"])
def test_no_budget_at_all_is_zero_not_unknown(consultant: Consultant, said: str) -> None:
    turn = talk(consultant, *MANUAL, "1.5M queries a month", "not needed", said)
    assert turn.profile.upfront_budget_usd == 0


@pytest.mark.parametrize("said", ["about 50k users", "we have 12,000 employees", "around 800 staff use it",
                                  "our 3,000 employees use it daily"])
def test_people_are_never_queries_nor_latency(consultant: Consultant, said: str) -> None:
    for asked in (MANUAL[:3], MANUAL):  # while the latency question is open, and while the volume question is
        turn = talk(consultant, *asked, said)
        assert turn.profile.monthly_queries is None
        assert turn.profile.latency_budget_ms in (None, 2000)


def test_a_code_switched_message_is_read_in_its_english_parts_and_says_so(consultant: Consultant) -> None:
    turn = talk(consultant, "We want a support assistant over our help center.",
                "Que sepa más: los manuales. El comportamiento del modelo nos vale tal cual. Know more.")
    assert prompts.ENGLISH_PARTS in turn.message and turn.profile.need == "know_more"
    assert "manuales" not in turn.message  # only the English part is quoted back


def test_a_figure_with_its_unit_answers_the_question_asked_in_any_language(consultant: Consultant) -> None:
    thread = f"t-{__import__('uuid').uuid4().hex[:8]}"
    consultant.reply(thread, "We want a voice assistant over our car manual; it needs to know the manual.")
    turn = consultant.reply(thread, "It never changes.")
    while turn.pending_slot not in (None, "latency_budget_ms"):
        turn = consultant.reply(thread, "I'm not sure.")
    if turn.pending_slot == "latency_budget_ms":
        turn = consultant.reply(thread, "Con 0,3 segundos vamos bien.")
        assert turn.profile.latency_budget_ms == 300 and prompts.ENGLISH_PARTS in turn.message
    else:
        pytest.fail("the latency question was never asked")
