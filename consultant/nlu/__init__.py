"""Offline understanding: what a message says about each slot, and what the user wants to do next."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from consultant.nlu import lexicon as lx
from consultant.nlu.extract import SlotUpdate, extract, is_hedge, normalise

__all__ = ["SOFT_SLOTS", "SlotUpdate", "Understanding", "understand"]

# Slots read from the overall gist of a message rather than stated as facts: they are only (re)filled by a
# message that answers their question, states them before they are known, or explicitly corrects them.
SOFT_SLOTS = ("need", "output_type")
CORRECTION = re.compile(r"\b(?:actually|correction|to correct|i meant|we meant|changed? (?:my|our) mind|scratch that|"
                        r"not quite|let me rephrase|on second thought|instead)\b")


@dataclass
class Understanding:
    updates: list[SlotUpdate] = field(default_factory=list)
    intent: str = "answer"  # answer | recommend_now | side_question | off_topic | injection | greeting | thanks
    hedged: bool = False
    side_question: str | None = None


WHICH_ONE = re.compile(r"^\W*(?:so,? )?(?:rag|fine[- ]?tun\w*|ft|a hybrid)\s*(?:or|vs\.?|versus|/)\s*"
                       r"(?:rag|fine[- ]?tun\w*|ft|a hybrid|both)\W*$|which (?:one|approach|option)")


def is_correction(text: str) -> bool:
    t = normalise(text)
    return bool(CORRECTION.search(t) or lx.CORRECTION_BETWEEN.search(t))  # the latter already covers "misread"


def _side_question(text: str) -> str | None:
    t = normalise(text)
    if "?" not in t and not re.match(r"^\s*(?:explain|define|tell me)", t):
        return None
    match = lx.SIDE_QUESTION.search(t)
    if not match:
        return None
    start = match.start()
    while start < len(text) and not text[start].isalpha():
        start += 1
    question = re.sub(r"^(?:btw|by the way|also|wait|quick (?:q|question)|sorry)\b[\s,:;-]*", "", text[start:].strip(),
                      flags=re.IGNORECASE)
    end = question.find("?")
    return question[: end + 1] if end != -1 else question


def understand(text: str, pending: str | None = None, current: Mapping[str, object] | None = None,
               use_embeddings: bool = True) -> Understanding:
    """Read one user message: slot updates (any slot it mentions), hedging, and the conversational move."""
    t = normalise(text)
    result = Understanding()
    if lx.INJECTION.search(text):
        result.intent = "injection"
    updates = extract(text, pending, current)
    hedged = is_hedge(text)
    filled = {u.slot for u in updates}
    if use_embeddings and pending in ("need", "output_type", "auditability") and pending not in filled and not hedged:
        from consultant.nlu.classifier import classify

        guess = classify(pending, text)
        if guess is not None:
            updates.append(SlotUpdate(pending, guess[0], round(min(0.7, guess[1]), 2), "embedding", text.strip()[:160]))
    if hedged:
        # "not sure, maybe weekly": keep facts that were stated, with less confidence; but what the system needs
        # or produces, said inside a hedge ("no idea whether it needs to know stuff"), is not an answer
        updates = [SlotUpdate(u.slot, u.value, min(u.confidence, 0.6), u.extractor, u.evidence, u.position)
                   for u in updates if u.slot not in SOFT_SLOTS]
    result.updates = updates
    result.hedged = hedged and not any(u.slot == pending for u in updates)
    if result.intent == "injection":
        return result
    if lx.RECOMMEND_NOW.search(t) or re.match(r"^\W*(?:so,?\s*)?which one\W*$", t):
        result.intent = "recommend_now"
        return result
    if not updates and lx.OFF_TOPIC.search(t) and not lx.DOMAIN.search(t):
        result.intent = "off_topic"
        return result
    side = _side_question(text)
    if side is None and "?" in t and not updates:
        # "is chunking even relevant for two-page invoices?": the last question of the message, if it is about
        # the domain and is not just the opening ask ("RAG or FT?")
        asked = re.findall(r"[^.!?]*\?", text)
        last = asked[-1].strip() if asked else ""
        if last and lx.DOMAIN.search(normalise(last)) and not WHICH_ONE.search(normalise(last)):
            side = last
    if side is not None:
        result.intent = "side_question"
        result.side_question = side
        # "why does auditability matter?" asks about a slot; it doesn't answer it. What surrounds the question
        # does: "Why does that matter? ...OK, fine - it needs to know more"
        at = normalise(text).find(normalise(side)[:40])
        rest = (text[:at] + " " + text[at + len(side):]).strip() if at >= 0 else ""
        result.updates = extract(rest, pending, current) if len(rest) > 3 else []
        if is_hedge(rest):
            result.updates = [u for u in result.updates if u.slot not in SOFT_SLOTS]
            result.hedged = not any(u.slot == pending for u in result.updates)
        if any(u.slot == pending for u in result.updates):
            result.intent = "answer"  # the question was rhetorical; the rest answers ours
            result.side_question = None
        return result
    if not updates and not hedged:
        if re.match(r"^\s*(?:hi|hello|hey|good (?:morning|afternoon|evening)|howdy)\b[\s!.,]*$", t):
            result.intent = "greeting"
        elif re.match(r"^\s*(?:(?:ok|okay|great|cool|perfect|awesome|nice|super)[,!. ]*)?(?:thanks|thank you|thx|cheers|"
                      r"perfect|awesome|got it|makes sense|understood)\b", t):
            result.intent = "thanks"
        elif lx.OFF_TOPIC.search(t):
            result.intent = "off_topic"
    return result
