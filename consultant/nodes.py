"""Graph nodes, one verb each: understand, update_profile, decide, retrieve, respond, listen."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from langchain_core.messages import AIMessage, HumanMessage
from langgraph.types import interrupt

from consultant import gate, guidance, intake, prompts
from consultant import messages as msg
from consultant.brief import Brief, build_brief, render
from consultant.costs import CostTable
from consultant.errors import LLMUnavailable
from consultant.kb.store import KnowledgeStore, Passage
from consultant.merge import reader_of_candidate
from consultant.nlu import moves, read, working_copy
from consultant.nlu.reading import Candidate, Reading
from consultant.policy import MAX_ASKS, MAX_UNCOUNTED, next_slot, pick_proposal, questions_left
from consultant.profile import Profile
from consultant.scoring import Recommendation, recommend
from consultant.state import Action, State

if TYPE_CHECKING:
    from consultant.llm import LLMTurn  # the LLM module loads langchain: only for the type

log = logging.getLogger(__name__)


class Reader(Protocol):
    """The LLM seam: one message read by the model beside the offline reader (`LLMTurn`: the merged `Reading`, the
    checked side answer when there was one, what was dropped); raises `LLMUnavailable` when the model can't be
    used (the turn then reads offline). `consultant.llm.LLM` implements it; tests script it."""

    def read(self, text: str, pending: str | None, current: Mapping[str, object], passages: Sequence[Passage],
             choices: Sequence[dict[str, object]] = (), reader: str = "both") -> LLMTurn: ...


@dataclass
class Runtime:
    """What nodes need besides the state: the knowledge store, the cost table and (optionally) an LLM."""

    store: KnowledgeStore | None
    table: CostTable
    llm: Reader | None = None  # consultant.llm.LLM when the LLM path is configured
    reader: str = "both"  # the offline reader of enum slots: rules | learned | both


def table_of(state: State, rt: Runtime) -> CostTable:
    """The cost table of this consultation: the configured one with the user's own prices, if they set any."""
    return rt.table.with_overrides(state.get("cost_overrides"))


def load_profile(data: dict[str, Any] | None) -> Profile:
    """A Profile from its checkpointed JSON form."""
    return Profile.model_validate(data or {})


def _reading_dict(reading: Reading, side_answer: str | None, dropped: dict[str, int] | None = None) -> dict[str, Any]:
    return {"candidates": [c.to_dict() for c in reading.candidates], "intent": reading.intent,
            "hedged": reading.hedged, "hedged_about": reading.hedged_about, "question": reading.question,
            "question_kind": reading.question_kind, "english_parts_only": reading.english_parts_only,
            "corrects": reading.corrects, "side_answer": side_answer, "llm_dropped": dict(dropped or {})}


def _reading_from(data: dict[str, Any]) -> Reading:
    return Reading(candidates=[Candidate.from_dict(c) for c in data.get("candidates", [])],
                   intent=data.get("intent", "answer"), hedged=bool(data.get("hedged")),
                   hedged_about=tuple(data.get("hedged_about") or ()), question=data.get("question"),
                   question_kind=data.get("question_kind"), corrects=bool(data.get("corrects")),
                   english_parts_only=bool(data.get("english_parts_only")))


def receive(state: State) -> dict[str, Any]:
    """The message checks every entry point shares (consultant.intake): a message that can't be read gets a
    reply saying why, and nothing else changes; a chat client's message becomes the turn's `incoming` text."""
    text = state.get("incoming")
    messages = state.get("messages") or []
    if not text and messages and getattr(messages[-1], "type", "") == "human":
        text = intake.message_text(messages[-1])
    cleaned, problem = intake.check(text, started=bool(state.get("transcript")))
    if problem is not None:
        reply = {"message": problem, "pending_slot": state.get("pending_slot"), "citations": [],
                 "choices": state.get("choices") or [], "notices": [], "action": "rejected"}
        return {"incoming": "", "rejected": True, "reply": reply, "messages": [AIMessage(content=problem)]}
    return {"incoming": cleaned, "rejected": False}


def after_receive(state: State) -> str:
    return "listen" if state.get("rejected") else "understand"


def _said_in_messages(state: State, text: str) -> bool:
    """A chat client already put the user's message in `messages`: don't add it twice."""
    messages = state.get("messages") or []
    return bool(messages) and getattr(messages[-1], "type", "") == "human" and \
        intake.clean_message(intake.message_text(messages[-1])) == text


def understand(state: State, rt: Runtime) -> dict[str, Any]:
    """Read the user's message: candidate values, the user's move, and any question they asked."""
    text = state.get("incoming", "")
    pending = state.get("pending_slot")
    current = load_profile(state.get("profile")).values()
    notices: list[str] = []
    reading: Reading | None = None
    side_answer = None
    path = "offline"  # which reader read this message (the turn log's `path`)
    dropped: dict[str, int] = {}
    if rt.llm is not None:
        try:
            passages = guidance.search(rt.store, text, k=2) if "?" in text else []
            read_by_both = rt.llm.read(text, pending, current, passages, state.get("choices") or [], reader=rt.reader)
            reading, side_answer, dropped = read_by_both.reading, read_by_both.side_answer, read_by_both.dropped
            path = "llm"
        except LLMUnavailable as exc:
            notices.append(f"The language model was unavailable ({exc}); I answered with the offline engine.")
    if reading is None:
        reading = read(text, pending, current, state.get("choices") or [], reader=rt.reader)  # type: ignore[arg-type]
    if state.get("armed") and reading.intent != "choice":
        reading = Reading(intent="instruction")  # the second half of "remember my next message": never read
    armed = reading.intent == "instruction" and moves.arms_next(working_copy(text))
    turn = int(state.get("turn", 0)) + 1
    now = datetime.now(UTC).isoformat(timespec="seconds")
    said = [] if _said_in_messages(state, text) else [HumanMessage(content=text, id=f"user-{turn}")]
    return {"turn": turn, "transcript": [{"role": "user", "content": text, "turn": turn, "at": now}],
            "messages": said,
            "understanding": {**_reading_dict(reading, side_answer, dropped), "path": path}, "notices": notices,
            "armed": armed,
            "started_at": state.get("started_at") or now, "updated_at": now}


def update_profile(state: State, rt: Runtime) -> dict[str, Any]:
    """Apply what was understood through the evidence gate: strong readings stored, weak ones proposed."""
    understanding = state.get("understanding") or {}
    reading = _reading_from(understanding)
    asks = dict(state.get("asks") or {})
    result = gate.apply(load_profile(state.get("profile")), reading, text=state.get("incoming", ""),
                        pending=state.get("pending_slot"), proposals=list(state.get("proposals") or []),
                        confirming=state.get("confirming"), turn=state.get("turn"),
                        when=datetime.now(UTC).isoformat(timespec="seconds"))
    declined = [s for s in (state.get("declined") or []) if s not in {c.slot for c in result.applied}]
    declined += [s for s in result.declined if s not in declined]
    for slot in result.refused:
        asks[f"confirm:{slot}"] = asks.get(f"confirm:{slot}", 0) + 1
    return {"profile": result.profile.model_dump(mode="json"), "asks": asks, "declined": declined,
            "proposals": result.proposals,
            "understanding": {**understanding, "applied": [c.to_dict() for c in result.applied],
                              "rejected": result.rejected}}


def _move(intent: str, applied: bool, recommended: bool) -> Action | None:
    """The move a message asks for by itself, before the interview's own next step is considered."""
    if intent == "instruction":
        return "instruction"
    if intent == "other_language":
        return "language"
    if intent == "question":
        return "aside"
    if intent == "recommend_now":
        return "recommend"
    if intent in ("greeting", "thanks") and not applied:
        return "ack"
    if intent == "off_topic" and not applied:
        return "scope"
    if recommended:
        return "recommend" if applied else "clarify"  # after a recommendation: a change updates it
    return None


ASIDES: tuple[Action, ...] = ("aside", "scope", "clarify", "ack", "instruction", "language")  # answer, then resume
UNCOUNTED = ("instruction", "language")
"""Moves that say nothing about the project: the open question is put again without using up its asks, so a
run of injected instructions (or a message in another language) can never make the interview give up on a slot."""
UNCOUNTED_KEY = "uncounted:"


def decide(state: State, rt: Runtime) -> dict[str, Any]:
    """Score the profile and choose the move: confirm a weak reading, ask the next question, or recommend."""
    profile = load_profile(state.get("profile"))
    reading = state.get("understanding") or {}
    applied = bool(reading.get("applied"))
    pending = state.get("pending_slot")
    asks = dict(state.get("asks") or {})
    declined = list(state.get("declined") or [])
    recommended = bool(state.get("recommended"))
    slot = next_slot(profile, asks, declined, table_of(state, rt))
    proposal = pick_proposal(profile, list(state.get("proposals") or []), asks, declined, table_of(state, rt))
    confirming = None
    intent = str(reading.get("intent", "answer"))
    if intent == "recommend_now" and not asks and not recommended and not profile.known():
        # "We're looking at AI for our ops team. What should we build?" as the opening: that is the consultation's
        # question, not a request to skip it; the interview starts
        intent = "answer"
    action: Action | None = _move(intent, applied, recommended)
    if action is None:
        if proposal is not None:
            action, slot, confirming = "confirm", str(proposal["slot"]), proposal
            asks[f"confirm:{slot}"] = asks.get(f"confirm:{slot}", 0) + 1
            asks[slot] = asks.get(slot, 0) + 1  # a confirmation is a question about that slot too
        elif slot is None:
            action = "recommend"
        elif pending and slot == pending and not applied and not reading.get("hedged") and \
                not reading.get("hedged_about"):
            action = "reask"
        else:
            action = "ask"
    open_question = slot
    if action == "recommend":
        slot = None
        profile = gate.with_proposals(profile, list(state.get("proposals") or []), declined)
    rec = recommend(profile, table_of(state, rt))
    if action in ("ask", "reask") and slot:
        asks[slot] = asks.get(slot, 0) + 1
    if action in ASIDES:
        # an instruction or another language doesn't use up the open question's asks, a few times per slot
        uncounted = f"{UNCOUNTED_KEY}{pending}" if action in UNCOUNTED and \
            asks.get(f"{UNCOUNTED_KEY}{pending}", 0) < MAX_UNCOUNTED else None
        if recommended:
            slot = None  # after a recommendation, asides don't reopen the interview
        elif pending and getattr(profile, pending, None) is None and (uncounted or asks.get(pending, 0) < MAX_ASKS):
            slot = pending  # answer the aside, then put the same question again (once more at most)
            counter = uncounted or pending
            asks[counter] = asks.get(counter, 0) + 1
            previous = state.get("confirming") or {}
            confirming = previous if previous.get("slot") == pending else None
        elif pending and getattr(profile, pending, None) is None:
            declined = declined + [pending]  # asked enough: leave it open rather than loop
            slot = next_slot(profile, asks, declined, table_of(state, rt))
    return {"recommendation": rec.to_dict(), "action": action, "next_slot": slot, "asks": asks,
            "next_slot_before": open_question, "confirming": confirming, "declined": declined}


def retrieve(state: State, rt: Runtime) -> dict[str, Any]:
    """Guidance for this reply: the side question's passages, the next question's, or the recommendation's."""
    action = state.get("action")
    reading = state.get("understanding") or {}
    passages: list[Passage] = []
    slot = state.get("next_slot")
    if action == "aside":
        passages += guidance.for_question(rt.store, reading.get("question") or state.get("incoming", ""),
                                          reading.get("question_kind"), state.get("pending_slot"),
                                          state.get("recommendation"))
    if action in ("ask", "reask", "confirm", "aside", "clarify", "ack", "scope", "instruction", "language") and slot:
        passages += guidance.for_slot(rt.store, slot)
    unique = list({p.chunk_id: p for p in passages}.values())[:5]
    return {"passages": [p.to_dict() for p in unique]}


FIXED_REPLIES = {"instruction": prompts.INSTRUCTION_REPLY, "language": prompts.OTHER_LANGUAGE,
                 "scope": prompts.SCOPE_REMINDER}


def _answer(state: State, rt: Runtime, profile: Profile, passages: list[Passage], slot_passage: Passage | None,
            ack: str, outcome: Outcome | None) -> tuple[list[str], list[Passage]]:
    """The body of the reply for this move, and the passages it cites."""
    action = state.get("action", "ask")
    reading = state.get("understanding") or {}
    if action in FIXED_REPLIES:
        return [FIXED_REPLIES[action]], passages
    if action == "aside":
        aside = [p for p in passages if p is not slot_passage]
        return [msg.aside(reading, aside, profile, dict(state), table_of(state, rt), rt.store)], aside + ([slot_passage] if slot_passage else [])
    if action == "ack":
        if reading.get("intent") == "greeting":
            return [prompts.GREETING if state.get("turn", 1) <= 1 else "Hello again!"], passages
        return [prompts.THANKS], passages
    if action == "clarify" and not reading.get("applied") and not reading.get("hedged"):
        return [prompts.NOT_UNDERSTOOD + (" " + prompts.AFTER_RECOMMENDATION if state.get("recommended") else "")], \
            passages
    if action == "recommend" and outcome is not None:
        return [_recommendation(state, profile, ack, outcome)], passages
    return [], passages


def _first_message(state: State) -> str:
    return next((m["content"] for m in state.get("transcript") or [] if m.get("role") == "user"), "")


@dataclass(frozen=True)
class Outcome:
    """A recommendation turn's scoring, done once: the recommendation and the brief built on it."""

    recommendation: Recommendation
    brief: Brief


def outcome_of(state: State, rt: Runtime, profile: Profile) -> Outcome:
    """The recommendation and brief of the consultation's current answers (unconfirmed proposals stand in,
    marked as assumed): one `recommend()` and one brief for the whole reply."""
    assumed = gate.with_proposals(profile, list(state.get("proposals") or []), list(state.get("declined") or []))
    rec = recommend(assumed, table_of(state, rt))
    return Outcome(rec, build_brief(assumed, rec, store=rt.store, first_message=_first_message(state)))


def _recommendation(state: State, profile: Profile, ack: str, outcome: Outcome) -> str:
    """The first recommendation in full; after it, only what changed."""
    if state.get("recommended"):
        return render.update(state.get("given"), outcome.brief, ack)
    reading = state.get("understanding") or {}
    early = reading.get("intent") == "recommend_now" and bool(state.get("next_slot_before"))
    settled = not any(getattr(profile, f.slot) is None for f in outcome.recommendation.flips)
    return render.chat(outcome.brief, "early" if early else "settled" if settled else "open")


def _question(state: State, rt: Runtime, profile: Profile, cite: list[Passage],
              slot_passage: Passage | None) -> tuple[str, list[dict[str, Any]]]:
    """The question that ends the reply (a confirmation, or the next interview question), with its choices."""
    action, slot = state.get("action", "ask"), state.get("next_slot")
    asks = state.get("asks") or {}
    confirming = state.get("confirming")
    if slot and confirming and confirming.get("slot") == slot:
        text, choices = msg.confirmation(confirming, profile)
        return ("Back to my question: " if action != "confirm" else "") + text, choices
    if action in ("ask", "reask", *ASIDES) and slot:
        lead = "Back to the interview: " if action in ASIDES else ""
        number = cite.index(slot_passage) + 1 if slot_passage in cite else 1
        reworded = action == "reask" or asks.get(slot, 0) > 1
        left = questions_left(profile, asks, list(state.get("declined") or []), table_of(state, rt))
        text, choices = msg.question(slot, slot_passage, reask=reworded, cite_as=number, asked=_asked(asks), left=left,
                                     unclear=action == "reask")
        return lead + text, choices
    return "", []


def respond(state: State, rt: Runtime) -> dict[str, Any]:
    """Compose the reply: acknowledgement, then the confirmation, question, answer or recommendation."""
    profile = load_profile(state.get("profile"))
    reading = state.get("understanding") or {}
    action = state.get("action", "ask")
    slot = state.get("next_slot")
    passages = [Passage(**{**p, "dimensions": tuple(p.get("dimensions", ()))}) for p in state.get("passages", [])]
    parts: list[str] = []
    ack = msg.acknowledge(reading.get("applied", []))
    if reading.get("question") and reading.get("intent") == "answer" and action != "recommend":
        parts.append(msg.aside(reading, [], profile, dict(state), table_of(state, rt), rt.store))  # "...about 15k. Is that a lot?"
    if reading.get("english_parts_only"):
        # what the English parts said is noted below; when they settled nothing, the user is asked for English
        parts.append(prompts.ENGLISH_PARTS if reading.get("applied") else prompts.OTHER_LANGUAGE)
    if reading.get("rejected"):
        parts.append(msg.rejected_values(reading["rejected"]))
    if ack and action != "recommend":
        parts.append(ack)
    slot_passage = next((p for p in passages if slot and slot in p.dimensions), None)
    outcome = outcome_of(state, rt, profile) if action == "recommend" else None
    body, cite = _answer(state, rt, profile, passages, slot_passage, ack, outcome)
    parts += body
    if reading.get("hedged") and action in ("ask", "confirm", "recommend") and state.get("pending_slot"):
        parts.append(prompts.DECLINED)
    elif reading.get("hedged_about") and not reading.get("applied") and action in ("ask", "confirm", "recommend"):
        parts.append(msg.declined_other(list(reading["hedged_about"])))
    question, choices = _question(state, rt, profile, cite, slot_passage)
    parts.append(question)
    if action != "recommend" and cite:
        parts.append("Sources:\n" + msg.citation_list([p for p in cite if p is not None]))
    message = "\n\n".join(p for p in parts if p).strip()
    pending = slot if action != "recommend" else None
    if outcome is not None:
        citations = render.citations(outcome.brief)
    else:
        citations = [{"source": p.source, "heading": p.heading, "chunk_id": p.chunk_id, "score": p.score,
                      "text": p.text, "stance": p.stance} for p in cite]
    reply = {"message": message, "pending_slot": pending, "citations": citations, "choices": choices,
             "notices": list(state.get("notices") or []), "action": action}
    given = (state.get("recommendation") or {}).get("label") if action == "recommend" else state.get("given_label")
    given_rec = {k: (state.get("recommendation") or {}).get(k) for k in ("label", "confidence")} \
        if action == "recommend" else state.get("given")
    return {
        "given_label": given,
        "given": given_rec,
        "reply": reply,
        "pending_slot": pending,
        "choices": choices,
        "recommended": bool(state.get("recommended")) or action == "recommend",
        "messages": [AIMessage(content=message, id=f"consultant-{state.get('turn', 0)}")],
        "transcript": [{"role": "assistant", "content": message, "citations": citations, "turn": state.get("turn", 0),
                        "pending_slot": pending, "action": action, "choices": choices,
                        "readers": readers_of_turn(reading)}],
    }


def readers_of_turn(understanding: dict[str, Any]) -> dict[str, Any]:
    """The per-turn log of who read what: per applied slot offline / llm / both / confirmed, the model's values
    held for confirmation, and those it dropped (by reason)."""
    applied = {c["slot"]: reader_of_candidate(Candidate.from_dict(c)) for c in understanding.get("applied") or []}
    held = {c["slot"]: "to_confirm" for c in understanding.get("candidates") or []
            if c["slot"] not in applied and (c.get("extractor") == "llm" or "|llm" in str(c.get("source")))}
    return {"slots": {**held, **applied}, "llm_dropped": dict(understanding.get("llm_dropped") or {})}


def _asked(asks: dict[str, int]) -> int:
    """How many interview questions have been asked so far (a confirmation counts once)."""
    return sum(n for key, n in asks.items() if not key.startswith(("confirm:", UNCOUNTED_KEY)))


def listen(state: State) -> dict[str, Any]:
    """Wait for the next user message (the one interrupt of a turn): text, or a chat message."""
    answer = interrupt({"pending_slot": state.get("pending_slot"), "choices": state.get("choices") or [],
                        "message": (state.get("reply") or {}).get("message", "")})
    return {"incoming": intake.message_text(answer), "notices": [], "rejected": False}
