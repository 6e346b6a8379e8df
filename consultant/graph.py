"""build_graph(...): the consultation's wiring, nothing else."""

from __future__ import annotations

from functools import partial
from typing import Any

from langgraph.graph import START, StateGraph

from consultant import nodes
from consultant.nodes import Runtime
from consultant.state import InputState, State


def build_graph(runtime: Runtime, checkpointer: Any = None) -> Any:
    """understand -> update_profile -> decide -> retrieve -> respond -> listen (interrupt) -> understand ..."""
    builder = StateGraph(State, input_schema=InputState)
    builder.add_node("understand", partial(nodes.understand, rt=runtime))
    builder.add_node("update_profile", partial(nodes.update_profile, rt=runtime))
    builder.add_node("decide", partial(nodes.decide, rt=runtime))
    builder.add_node("retrieve", partial(nodes.retrieve, rt=runtime))
    builder.add_node("respond", partial(nodes.respond, rt=runtime))
    builder.add_node("listen", nodes.listen)
    builder.add_edge(START, "understand")
    builder.add_edge("understand", "update_profile")
    builder.add_edge("update_profile", "decide")
    builder.add_edge("decide", "retrieve")
    builder.add_edge("retrieve", "respond")
    builder.add_edge("respond", "listen")
    builder.add_edge("listen", "understand")
    return builder.compile(checkpointer=checkpointer)
