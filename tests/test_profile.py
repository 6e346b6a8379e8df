"""The profile: validation with clear messages, provenance, correction history."""

import pytest

from consultant.errors import ProfileValidationError
from consultant.profile import SLOT_NAMES, Profile, make_profile


def test_profile_has_the_nine_contract_slots():
    assert SLOT_NAMES == ("need", "knowledge_change", "output_type", "latency_budget_ms", "auditability",
                          "monthly_queries", "context_tokens", "labeled_examples", "upfront_budget_usd")
    assert Profile().values() == dict.fromkeys(SLOT_NAMES)


@pytest.mark.parametrize(("data", "field"), [
    ({"latency_budget_ms": 0}, "latency_budget_ms"),
    ({"monthly_queries": -5}, "monthly_queries"),
    ({"labeled_examples": -1}, "labeled_examples"),
    ({"upfront_budget_usd": -100}, "upfront_budget_usd"),
    ({"need": "know_less"}, "need"),
    ({"knowledge_change": "hourly"}, "knowledge_change"),
    ({"context_tokens": "lots"}, "context_tokens"),
    ({"monthly_queries": True}, "monthly_queries"),
    ({"latency_budget_ms": 12.5}, "latency_budget_ms"),
    ({"colour": "blue"}, "colour"),
])
def test_out_of_range_or_wrong_values_are_rejected_naming_the_field(data, field):
    with pytest.raises(ProfileValidationError) as err:
        make_profile(data)
    assert field in str(err.value)


def test_update_records_provenance_and_a_correction():
    p = Profile().update("knowledge_change", "quarterly", source_message="every quarter",
                         extractor="rules", confidence=0.9, at="turn 1", turn=1)
    assert p.provenance["knowledge_change"].source_message == "every quarter"
    assert p.history == []
    p = p.update("knowledge_change", "weekly", source_message="actually weekly now",
                 extractor="rules", confidence=0.9, at="turn 2", turn=2)
    assert p.knowledge_change == "weekly"
    assert p.provenance["knowledge_change"].source_message == "actually weekly now"
    assert [(c.old, c.new, c.at) for c in p.history] == [("quarterly", "weekly", "turn 2")]


def test_update_rejects_invalid_values_and_keeps_the_old_profile():
    p = Profile(latency_budget_ms=500)
    with pytest.raises(ProfileValidationError, match="latency_budget_ms"):
        p.update("latency_budget_ms", 0, source_message="0", extractor="rules", confidence=1, at="t")
    assert p.latency_budget_ms == 500
