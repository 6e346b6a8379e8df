"""The question policy stops only when no open slot could change the recommendation."""

from __future__ import annotations

import itertools

import pytest

from consultant.costs import default_cost_table
from consultant.policy import REPRESENTATIVES, next_slot, relevance
from consultant.profile import Profile
from consultant.scoring import decide_label


def _labels_reachable(profile: Profile, declined: list[str]) -> set:
    """Every label some answers to the open (not declined) slots could lead to, found by brute force."""
    table = default_cost_table()
    open_slots = [s for s in profile.unknown() if s not in declined]
    return {decide_label(profile.assume(**dict(zip(open_slots, values, strict=True))), table)
            for values in itertools.product(*(REPRESENTATIVES[s] for s in open_slots))}


PROFILES = [
    ({"need": "know_more", "latency_budget_ms": 2_000}, []),  # the cost rule needs three answers at once
    ({"need": "know_more"}, ["latency_budget_ms"]),
    ({"need": "know_more", "auditability": "not_needed", "latency_budget_ms": 2_500}, ["upfront_budget_usd"]),
    ({"need": "behave_differently", "labeled_examples": 5_000}, []),
    ({"need": "know_more", "knowledge_change": "weekly"}, []),
    ({"need": "behave_differently", "knowledge_change": "static", "labeled_examples": 5_000,
      "upfront_budget_usd": 50_000, "auditability": "not_needed"}, []),
]


@pytest.mark.parametrize(("known", "declined"), PROFILES)
def test_the_interview_stops_only_when_nothing_open_could_change_the_label(known, declined) -> None:
    profile = Profile().assume(**known)
    could_change = len(_labels_reachable(profile, declined)) > 1
    assert (next_slot(profile, {}, declined) is not None) == could_change, relevance(profile, declined=declined)


def test_with_a_two_second_budget_it_still_asks_how_often_the_knowledge_changes() -> None:
    """Yearly knowledge, 12,000-token prompts and 3 million queries a month would make it fine-tuning."""
    profile = Profile().assume(need="know_more", latency_budget_ms=2_000)
    assert next_slot(profile, {}, []) == "knowledge_change"
