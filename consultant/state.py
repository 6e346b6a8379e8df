"""Graph state: what a consultation keeps between turns (plain JSON-able data, checkpointed in SQLite)."""

from __future__ import annotations

import operator
from typing import Annotated, Any, Literal, TypedDict

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages

from consultant.profile import SlotName

#: The move a turn makes (`nodes.decide`): ask / re-ask / confirm a weak reading / recommend, or one of the asides
#: that answer and then resume the interview (`nodes.ASIDES`).
Action = Literal["ask", "reask", "confirm", "recommend", "aside", "scope", "clarify", "ack", "instruction", "language"]
#: What a reply reports: the move, or that the message was not read ("rejected") or a node failed ("failed").
ReplyAction = Action | Literal["rejected", "failed"]


class InputState(TypedDict, total=False):
    """What a caller sends in: one user message, as `incoming` text or as a chat message (LangGraph clients)."""

    incoming: str
    messages: Annotated[list[AnyMessage], add_messages]


class State(InputState, total=False):
    """The whole consultation."""

    transcript: Annotated[list[dict[str, Any]], operator.add]  # {"role", "content", "citations"?, "turn"}
    profile: dict[str, Any]  # Profile.model_dump(mode="json")
    turn: int
    pending_slot: SlotName | None
    asks: dict[str, int]
    declined: list[str]
    understanding: dict[str, Any]  # this turn's reading of the message
    action: Action
    next_slot: SlotName | None
    recommendation: dict[str, Any] | None
    recommended: bool
    given_label: str | None  # the label of the last recommendation given
    given: dict[str, Any] | None  # {"label", "confidence"} of the last recommendation given (for updates)
    next_slot_before: SlotName | None  # the question that was still open when this turn's move was chosen
    proposals: list[dict[str, Any]]  # weak readings awaiting confirmation (Candidate dicts)
    confirming: dict[str, Any] | None  # the proposal the pending question confirms
    choices: list[dict[str, Any]]  # quick replies offered with the pending question: {"label", "slot", "value"}
    passages: list[dict[str, Any]]
    notices: list[str]
    started_at: str  # ISO time of the first message
    updated_at: str  # ISO time of the latest message
    what_if: dict[str, Any]
    cost_overrides: dict[str, float]  # the user's own prices (consultant.costs.ADJUSTABLE keys)  # a what-if scenario beside the user's answers: slot -> value (never in `profile`)
    reply: dict[str, Any]
    armed: bool  # the last message was an instruction reaching forward ("remember my next message"): read none of the next
    rejected: bool  # this turn's message was not read (empty or too long): nothing else changed
    failed: bool  # a node of this turn failed (served graph only): a safe reply was given instead
    messages: Annotated[list[AnyMessage], add_messages]  # the chat as LangGraph clients show it  # {"message", "pending_slot", "citations", "notices"}
