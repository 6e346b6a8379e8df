"""build_graph(...): the consultation's wiring, nothing else."""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from langchain_core.messages import AIMessage
from langgraph.graph import START, StateGraph

from consultant import nodes
from consultant.nodes import Runtime
from consultant.prompts import FAILED_TURN
from consultant.state import InputState, State

log = logging.getLogger(__name__)


def build_graph(runtime: Runtime, checkpointer: Any = None, *, guard: bool = False) -> Any:
    """receive -> understand -> update_profile -> decide -> retrieve -> respond -> listen (interrupt) -> receive.

    A message that can't be read (empty, too long) goes from receive straight back to listen with a reply.
    `guard`: a node that fails answers with a safe reply and waits for the next message instead of ending the
    run (the served graph, which has no caller to roll the turn back; the Python API rolls back instead).
    """
    builder = StateGraph(State, input_schema=InputState)
    wrap = _guarded if guard else (lambda name, fn: fn)
    builder.add_node("receive", nodes.receive)
    for name, fn in (("understand", nodes.understand), ("update_profile", nodes.update_profile),
                     ("decide", nodes.decide), ("retrieve", nodes.retrieve), ("respond", nodes.respond)):
        builder.add_node(name, wrap(name, partial(fn, rt=runtime)))
    builder.add_node("listen", nodes.listen)
    builder.add_edge(START, "receive")
    builder.add_conditional_edges("receive", nodes.after_receive, ["understand", "listen"])
    for a, b in (("understand", "update_profile"), ("update_profile", "decide"), ("decide", "retrieve"),
                 ("retrieve", "respond")):
        if guard:
            builder.add_conditional_edges(a, partial(_next_unless_failed, next_node=b), [b, "listen"])
        else:
            builder.add_edge(a, b)
    builder.add_edge("respond", "listen")
    builder.add_edge("listen", "receive")
    return builder.compile(checkpointer=checkpointer)


def _guarded(name: str, fn: Any) -> Any:
    def node(state: State) -> dict[str, Any]:
        try:
            return dict(fn(state), failed=False)
        except Exception:
            log.exception("node %s failed; answering with a safe reply", name)
            reply = {"message": FAILED_TURN, "pending_slot": state.get("pending_slot"), "citations": [],
                     "choices": state.get("choices") or [], "notices": [], "action": "failed"}
            return {"failed": True, "reply": reply, "messages": [AIMessage(content=FAILED_TURN)]}
    return node


def _next_unless_failed(state: State, next_node: str) -> str:
    return "listen" if state.get("failed") else next_node
