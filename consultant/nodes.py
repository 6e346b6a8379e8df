"""Graph nodes, one verb each: understand, update_profile, decide, retrieve, respond, listen."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from langgraph.types import interrupt

from consultant import messages as msg
from consultant import prompts
from consultant.costs import CostTable
from consultant.errors import ConsultantError, LLMUnavailable
from consultant.kb.store import KnowledgeStore, Passage
from consultant.nlu import SOFT_SLOTS, Understanding, is_correction
from consultant.nlu import understand as offline_understand
from consultant.nlu.extract import SlotUpdate
from consultant.policy import next_slot
from consultant.profile import Profile
from consultant.scoring import recommend
from consultant.state import State

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    """What nodes need besides the state: the knowledge store, the cost table and (optionally) an LLM."""

    store: KnowledgeStore | None
    table: CostTable
    llm: Any = None  # consultant.llm.LLM when the LLM path is configured


def load_profile(data: dict[str, Any] | None) -> Profile:
    """A Profile from its checkpointed JSON form."""
    return Profile.model_validate(data or {})


def understand(state: State, rt: Runtime) -> dict[str, Any]:
    """Read the user's message: slot updates, hedging, and the conversational move."""
    text = state.get("incoming", "")
    pending = state.get("pending_slot")
    current = load_profile(state.get("profile")).values()
    notices: list[str] = []
    reading: Understanding | None = None
    side_answer = None
    if rt.llm is not None:
        try:
            passages = _search(rt, text, k=2) if "?" in text else []
            reading, side_answer = rt.llm.understand(text, pending, current, passages)
        except LLMUnavailable as exc:
            notices.append(f"The language model was unavailable ({exc}); I answered with the offline engine.")
    if reading is None:
        reading = offline_understand(text, pending, current)
    turn = int(state.get("turn", 0)) + 1
    updates, rejected = _within_bounds(reading.updates)
    return {
        "turn": turn,
        "transcript": [{"role": "user", "content": text, "turn": turn}],
        "understanding": {
            "updates": updates, "rejected": rejected, "intent": reading.intent, "hedged": reading.hedged,
            "side_question": reading.side_question, "side_answer": side_answer,
        },
        "notices": notices,
    }


def _within_bounds(updates: list[SlotUpdate]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Readings the profile can hold, and figures outside any realistic range (reported, never stored)."""
    from consultant.profile import SLOTS

    kept, rejected = [], []
    for u in updates:
        spec = SLOTS.get(u.slot)
        if spec is not None and spec.maximum is not None and isinstance(u.value, int) and u.value > spec.maximum:
            rejected.append({"slot": u.slot, "evidence": u.evidence,
                             "reason": f"{u.slot}: must be at most {spec.maximum:,}"})
        else:
            kept.append(u.__dict__)
    return kept, rejected


def update_profile(state: State, rt: Runtime) -> dict[str, Any]:
    """Apply what was understood, with provenance; invalid values are dropped, never stored."""
    profile = load_profile(state.get("profile"))
    reading = state.get("understanding") or {}
    pending = state.get("pending_slot")
    asks = dict(state.get("asks") or {})
    declined = list(state.get("declined") or [])
    applied = []
    rejected: list[dict[str, Any]] = list(reading.get("rejected") or [])
    when = datetime.now(UTC).isoformat(timespec="seconds")
    # A correction may redefine the need only when it corrects nothing else ("actually it's more about tone");
    # "actually, the catalog updates daily" corrects the change rate, not the need.
    stated = {raw["slot"] for raw in reading.get("updates", [])}
    corrects = is_correction(state.get("incoming", ""))
    correcting = corrects and not (stated - set(SOFT_SLOTS))
    for raw in reading.get("updates", []):
        u = SlotUpdate(**raw)
        prov = profile.provenance.get(u.slot)
        if getattr(profile, u.slot) == u.value and (prov is None or prov.confidence >= u.confidence):
            continue
        known = getattr(profile, u.slot) is not None
        if known and u.slot in SOFT_SLOTS and prov is not None and u.confidence < prov.confidence and not correcting:
            continue  # a weaker reading never replaces a clearer statement of the need
        if known and u.slot != pending and u.extractor != "llm" and not correcting:
            if u.slot in SOFT_SLOTS and u.confidence < 0.9:
                continue  # "the menu changes weekly" answers the change question; it doesn't redefine the need
            if u.confidence < 0.8 and not corrects:
                continue  # a passing, weaker reading never overwrites a stated value
        try:
            profile = profile.update(u.slot, u.value, source_message=u.evidence, extractor=u.extractor,  # type: ignore[arg-type]
                                     confidence=u.confidence, at=when, turn=state.get("turn"))
        except ConsultantError as exc:
            log.info("dropped update %s=%.80r: %s", u.slot, u.value, exc)
            rejected.append({"slot": u.slot, "evidence": u.evidence, "reason": str(exc)})
            continue
        applied.append(raw)
        if u.slot in declined:
            declined.remove(u.slot)
    filled = {u["slot"] for u in applied}
    prov = profile.provenance.get("need")
    doubts_need = re.search(r"know|behav|both|either|which (?:one|it is)|whether", state.get("incoming", "").lower())
    if pending == "need" and reading.get("hedged") and doubts_need and prov is not None and \
            prov.extractor in ("rules", "embedding") and prov.confidence < 0.85 and "need" not in filled:
        # "I can't say whether it's knowledge or behaviour" to our reading of their opening: the guess goes
        profile = profile.update("need", None, source_message=state.get("incoming", ""), extractor="rules",
                                 confidence=0.5, at=when, turn=state.get("turn"))
    if pending and pending not in filled and getattr(profile, pending) is None and reading.get("hedged"):
        declined.append(pending)  # "not sure": leave it open, never loop on it
    return {"profile": profile.model_dump(mode="json"), "asks": asks, "declined": declined,
            "understanding": {**reading, "applied": applied, "rejected": rejected}}


def decide(state: State, rt: Runtime) -> dict[str, Any]:
    """Score the profile and choose the move: ask the next question, or recommend."""
    profile = load_profile(state.get("profile"))
    reading = state.get("understanding") or {}
    intent = reading.get("intent", "answer")
    applied = reading.get("applied", [])
    pending = state.get("pending_slot")
    asks = dict(state.get("asks") or {})
    rec = recommend(profile, rt.table)
    slot = next_slot(profile, asks, list(state.get("declined") or []), rt.table)
    recommended = bool(state.get("recommended"))
    if intent in ("off_topic", "injection") and not applied:
        action = "scope"
    elif intent == "side_question":
        action = "aside"
    elif intent == "recommend_now":
        action = "recommend"
    elif intent in ("greeting", "thanks") and not applied:
        action = "ack"
    elif recommended:
        # after a recommendation: a change updates it; anything else gets a short reply, not a repeat
        action = "recommend" if applied else "clarify"
    elif slot is None:
        action = "recommend"
    elif pending and slot == pending and not applied and not reading.get("hedged"):
        action = "reask"
    else:
        action = "ask"
    open_question = slot
    if action == "recommend":
        slot = None
    if action in ("ask", "reask") and slot:
        asks[slot] = asks.get(slot, 0) + 1
    if action in ("aside", "scope", "clarify", "ack") and recommended:
        slot = None  # after a recommendation, asides don't reopen the interview
    return {"recommendation": rec.to_dict(), "action": action, "next_slot": slot, "asks": asks,
            "next_slot_before": open_question}


MIN_ASIDE_SCORE = 0.25
VAGUE_EXCEPTIONS = re.compile(r"rag|fine[- ]?tun|lora|raft|rank|chunk|embedding|vector|token|hybrid", re.IGNORECASE)


def _search(rt: Runtime, query: str, k: int = 1, dimension: str | None = None) -> list[Passage]:
    """Cited passages, memoised on the store itself (questions repeat across consultations)."""
    if rt.store is None or not query.strip():
        return []
    cache: dict[tuple[str, str | None, int], list[Passage]] = rt.store.__dict__.setdefault("_passage_cache", {})
    key = (query, dimension, k)
    if key not in cache:
        try:
            cache[key] = rt.store.search(query, k=k, dimension=dimension)
        except Exception as exc:  # a broken store must not break the conversation
            log.warning("knowledge search failed: %s", exc)
            return []
        if len(cache) > 512:
            cache.clear()
    return cache[key]


def _question_query(slot: str) -> str:
    return prompts.QUESTIONS[slot] + " " + prompts.WHY_IT_MATTERS[slot]


def _guidance_query(slot: str, favours: str) -> str:
    """The same query for every profile with the same reason: cached, and warmed at start-up."""
    return f"{prompts.WHY_IT_MATTERS[slot]} When {favours.replace('_', ' ')} wins."


def warm_up(rt: Runtime) -> None:
    """Run the searches every consultation needs once, so first turns don't pay for them."""
    from consultant.profile import SLOTS

    for slot in SLOTS:
        _search(rt, _question_query(slot), k=1, dimension=slot)
        for favours in ("rag", "fine_tuning", "hybrid", "rag_prototype"):
            _search(rt, _guidance_query(slot, favours), k=1, dimension=slot)


def retrieve(state: State, rt: Runtime) -> dict[str, Any]:
    """Guidance for this reply: the side question's passages, the next question's, or the recommendation's."""
    action = state.get("action")
    reading = state.get("understanding") or {}
    passages: list[Passage] = []
    if action == "aside":
        question = reading.get("side_question") or state.get("incoming", "")
        content = [w for w in re.findall(r"[a-zA-Z]{3,}", question.lower())
                   if w not in ("what", "why", "how", "does", "that", "this", "the", "mean", "matter", "matters", "about",
                                "and", "you", "can", "explain", "again", "exactly", "here", "there", "why's", "does",
                                "important", "relevant", "tell", "more")]
        if not content and not VAGUE_EXCEPTIONS.search(question):
            # "why does that matter?" is about what we were just discussing
            topic = (prompts.QUESTIONS.get(state.get("pending_slot") or "") or
                     (state.get("recommendation") or {}).get("summary", ""))
            question = f"{question} {topic}"
        found = _search(rt, question, k=2)
        passages = [p for p in found if p.score >= MIN_ASIDE_SCORE]  # weak matches mean we have nothing on it
    slot = state.get("next_slot")
    if action in ("ask", "reask", "aside", "clarify", "ack", "scope") and slot:
        passages += _search(rt, _question_query(slot), k=1, dimension=slot)
    if action == "recommend":
        rec = state.get("recommendation") or {}
        seen = set()
        for c in rec.get("contributions", []):
            if c["favours"] == "neutral" or c["slot"] in seen:
                continue
            seen.add(c["slot"])
            passages += _search(rt, _guidance_query(c["slot"], c["favours"]), k=1, dimension=c["slot"])
        if rec.get("label") == "rag_prototype":
            passages += _search(rt, "prototype RAG first staged plan measure then fine-tune", k=1)
    unique = list({p.chunk_id: p for p in passages}.values())[:5]
    return {"passages": [p.to_dict() for p in unique]}


def respond(state: State, rt: Runtime) -> dict[str, Any]:
    """Compose the reply: acknowledgement, then the question, answer or recommendation, with citations."""
    profile = load_profile(state.get("profile"))
    reading = state.get("understanding") or {}
    action = state.get("action", "ask")
    slot = state.get("next_slot")
    passages = [Passage(**{**p, "dimensions": tuple(p.get("dimensions", ()))}) for p in state.get("passages", [])]
    parts: list[str] = []
    ack = msg.acknowledge(reading.get("applied", []))
    if reading.get("rejected"):
        parts.append(msg.rejected_values(reading["rejected"]))
    if reading.get("intent") == "injection":
        parts.append(prompts.INJECTION_REPLY)
    if ack and action != "recommend":
        parts.append(ack)
    slot_passage = next((p for p in passages if slot and slot in p.dimensions), None)
    cite = passages
    if action == "scope":
        parts.append(prompts.SCOPE_REMINDER if reading.get("intent") != "injection" else "")
    elif action == "aside":
        aside = [p for p in passages if p is not slot_passage]
        parts.append(reading.get("side_answer") or msg.aside_answer(reading.get("side_question") or "", aside))
        cite = aside + ([slot_passage] if slot_passage else [])
    elif action == "ack":
        if reading.get("intent") == "greeting":
            parts.append(prompts.GREETING if state.get("turn", 1) <= 1 else "Hello again!")
        else:
            parts.append(prompts.THANKS)
    elif action == "clarify" and not reading.get("applied") and not reading.get("hedged"):
        parts.append(prompts.NOT_UNDERSTOOD + (" " + prompts.AFTER_RECOMMENDATION if state.get("recommended") else ""))
    elif action == "recommend":
        rec = recommend(profile, rt.table)
        early = reading.get("intent") == "recommend_now" and bool(state.get("next_slot_before"))
        previous = state.get("given_label") if state.get("recommended") else None
        if ack and state.get("recommended"):
            parts.append(ack)
        parts.append(msg.recommendation_message(profile, rec, passages, early=early, previous=previous))
    if reading.get("hedged") and action in ("ask", "clarify") and state.get("pending_slot"):
        parts.append(prompts.DECLINED)
    if action in ("ask", "reask", "aside", "scope", "clarify", "ack") and slot:
        lead = "Back to the interview: " if action in ("aside", "scope") else ""
        number = cite.index(slot_passage) + 1 if slot_passage in cite else 1
        parts.append(lead + msg.question(slot, slot_passage, reask=action == "reask", cite_as=number,
                                         current=getattr(profile, slot)))
    if action != "recommend" and cite:
        shown = [p for p in cite if p is not None]
        parts.append("Sources:\n" + msg.citation_list(shown))
    message = "\n\n".join(p for p in parts if p).strip()
    pending = slot if action != "recommend" else None
    citations = [{"source": p.source, "heading": p.heading, "chunk_id": p.chunk_id, "score": p.score}
                 for p in (passages if action == "recommend" else cite)]
    reply = {"message": message, "pending_slot": pending, "citations": citations,
             "notices": list(state.get("notices") or []), "action": action}
    given = (state.get("recommendation") or {}).get("label") if action == "recommend" else state.get("given_label")
    return {
        "given_label": given,
        "reply": reply,
        "pending_slot": pending,
        "recommended": bool(state.get("recommended")) or action == "recommend",
        "transcript": [{"role": "assistant", "content": message, "citations": citations, "turn": state.get("turn", 0),
                        "pending_slot": pending, "action": action}],
    }


def listen(state: State) -> dict[str, Any]:
    """Wait for the next user message (the one interrupt of a turn)."""
    text = interrupt({"pending_slot": state.get("pending_slot")})
    return {"incoming": str(text), "notices": []}
