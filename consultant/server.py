"""The graph the LangGraph Agent Server serves (`langgraph.json` points at `graph` here): the same consultation as
the Python API, compiled without a checkpointer (the server brings its own persistence) and guarded, so a failing
node answers with a safe reply instead of ending the run.

Start a client run with `{"messages": [{"role": "user", "content": "..."}]}` (or `{"incoming": "..."}`); each
turn ends in an interrupt that waits for the next message: resume it with `Command(resume="...")`, or send the
next message as new input. `messages` holds the conversation for chat clients (Agent Chat UI, LangGraph Studio).

Why a module-level graph and not a factory: the Agent Server calls a graph factory on every request (each run,
each state read) inside its event loop, where opening the knowledge store is a blocking call the dev server
refuses ("Blocking call to os.mkdir"). The module itself is imported once, at start-up, in a worker thread: the
store is opened and warmed there, once per server process.
"""

from __future__ import annotations

from typing import Any

from consultant.graph import build_graph
from consultant.nodes import Runtime


def make_graph() -> Any:
    """The served graph: knowledge store, cost table and (if configured) the LLM, from the same settings as every
    other entry point (CONSULTANT_* and OPENAI_* variables)."""
    from consultant.config import get_settings
    from consultant.costs import load_cost_table
    from consultant.guidance import warm_up
    from consultant.kb.store import open_store

    settings = get_settings()
    store = open_store(settings)
    llm = None
    if settings.llm_enabled:
        from consultant.llm import LLM

        llm = LLM(settings)
    warm_up(store)
    runtime = Runtime(store=store, table=load_cost_table(settings.consultant_costs_file), llm=llm,
                      reader=settings.consultant_reader)
    return build_graph(runtime, checkpointer=None, guard=True)


graph = make_graph()
