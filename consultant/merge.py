"""The LLM as a second reader, never the only one: two readings of a message become one, slot by slot.

The offline reader reads every message. A value from the model counts only with a quote that supports it
(`consultant.nlu.evidence`); then, per slot:
- both readers agree: kept as the offline reader holds it (decided by **both**); agreement never makes a reading
  stronger than the words are (a need guessed from the use case is still confirmed when it matters);
- only the model read it: applied with its quote (**llm**) when the offline reader, reading the quote as an answer
  to that slot's question, finds the same value; when it would change the recommendation, or the quote does not
  speak to the slot, it is a proposal the consultant confirms with the user when it matters (**confirmed** once
  they say yes), never stored or assumed without that yes;
- they disagree: if the two values lead to different recommendations, one proposal with both choices
  (confirmed by the user); otherwise the offline reading stands (**offline**).
Dropped model values are counted by reason: unquoted, not_in_message, instruction, figure_missing,
contradicted, out_of_range, injection (the model itself called the message an injection); and the model values
held for confirmation: unconfirmed (model only) and disagreed.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from consultant.costs import default_cost_table
from consultant.errors import ProfileValidationError
from consultant.nlu import confidence as level
from consultant.nlu.evidence import corroborated, support
from consultant.nlu.reading import Candidate, Reading
from consultant.profile import SLOT_NAMES, Profile, make_profile
from consultant.rules import decide_label

if TYPE_CHECKING:
    from consultant.llm import TurnReading

Reader = Literal["offline", "llm", "both", "confirmed", "user", "assumed"]
READERS: tuple[Reader, ...] = ("offline", "llm", "both", "confirmed", "user", "assumed")
LLM_ONLY = "llm"  # Candidate.source of a value only the model read
BOTH = "+llm"  # suffix of Candidate.source when both readers read the same value
DISAGREED = "|llm"  # suffix when they read different values (a proposal with both choices)


def decided_by(extractor: str | None, rule: str | None, confidence: float) -> Reader:
    """Which reader decided a stored value, from its provenance (extractor, rule, confidence)."""
    rule = rule or ""
    if extractor == "user_edit":
        return "user"
    if extractor == "default":
        return "assumed"
    if confidence >= level.CONFIRMED and (extractor == "llm" or DISAGREED in rule):
        return "confirmed"  # a model reading (or a disagreement) the user confirmed
    if extractor == "llm":
        return "both" if rule.endswith(BOTH) else "llm"
    return "offline"


def reader_of(provenance: Mapping[str, Any]) -> Reader:
    """`decided_by` for a provenance dict (Turn.provenance[slot], a checkpointed profile)."""
    return decided_by(provenance.get("extractor"), provenance.get("rule"), float(provenance.get("confidence") or 0))


def reader_of_candidate(c: Candidate) -> Reader:
    return decided_by(c.extractor, c.source, c.confidence)


def _label(profile: Profile, **values: Any) -> str:
    return str(decide_label(profile.assume(**values), default_cost_table()))


def merge(offline: Reading, reading: TurnReading, text: str, pending: str | None,
          current: Mapping[str, object] | None = None) -> tuple[Reading, Counter[str]]:
    """One reading from the offline reader's and the model's (see the module docstring); dropped values counted."""
    quotes: dict[str, str] = {str(q.slot): q.words for q in reading.quotes}
    by_slot = {c.slot: c for c in offline.candidates}
    dropped: Counter[str] = Counter()
    merged: dict[str, Candidate] = dict(by_slot)
    try:
        held = make_profile({k: v for k, v in (current or {}).items() if v is not None})
    except ProfileValidationError:
        held = Profile()
    base = held.assume(**{c.slot: c.value for c in offline.candidates if c.applies})
    for slot in SLOT_NAMES:
        value = getattr(reading, slot)
        if value is None:
            continue
        if reading.intent == "injection":
            dropped["injection"] += 1  # the model itself saw an attempt to steer it: nothing it read counts
            continue
        try:
            make_profile({slot: value})
        except ProfileValidationError:
            dropped["out_of_range"] += 1  # the offline reader reports figures like that itself
            continue
        quote = quotes.get(slot, "")
        verdict = support(text, quote, slot, value, pending)
        if verdict != "supported":
            dropped[verdict] += 1
            continue
        own = by_slot.get(slot)
        confidence = level.ANSWER if slot == pending else level.STATED
        if reading.hedged:
            confidence = min(confidence, level.HEDGED_CAP)
        evidence = quote.strip()[:160]
        if own is None:
            if _label(base, **{slot: value}) != _label(base) or not corroborated(quote, slot, value):
                # only the model read it, and it would change the recommendation, or nothing in the quote speaks to
                # the slot for the offline reader: a proposal the consultant confirms when it matters
                dropped["unconfirmed"] += 1
                confidence = level.WEAK  # below INFERRED: never assumed without a yes (gate.with_proposals)
            merged[slot] = Candidate(slot, value, confidence, evidence, LLM_ONLY, extractor="llm")
        elif own.value == value:
            # agreement marks the reading as both readers', at the offline reader's confidence: how directly the
            # words say it does not change because a second reader agrees (a use-case guess stays a guess)
            merged[slot] = Candidate(**{**own.__dict__, "source": f"{own.source}{BOTH}", "extractor": "llm"})
        elif _label(base, **{slot: own.value}) != _label(base, **{slot: value}):
            dropped["disagreed"] += 1
            merged[slot] = Candidate(**{**own.__dict__, "confidence": min(own.confidence, level.WEAK),
                                        "alternatives": ((slot, value),), "source": f"{own.source}{DISAGREED}"})
        else:
            dropped["disagreed_same_label"] += 1  # the offline reading stands: the choice would not change anything
    out = Reading(candidates=list(merged.values()), intent=offline.intent, hedged=offline.hedged,
                  hedged_about=offline.hedged_about,
                  question=offline.question, question_kind=offline.question_kind, rejected=offline.rejected,
                  corrects=offline.corrects)
    if out.intent == "answer" and reading.intent == "side_question" and not out.candidates:
        out.intent, out.question = "question", text.strip()
    return out, dropped
