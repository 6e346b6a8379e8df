"""The Streamlit chat page: render only; every decision and computation comes from consultant/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import altair as alt
import streamlit as st

from consultant import ui_support as ui
from consultant.api import Consultant, Turn
from consultant.config import get_settings

OPTION_COLOURS = {"RAG": "#1f77b4", "Fine-tuning": "#d62728", "Hybrid": "#9467bd"}
FAVOUR_COLOURS = {"rag": "#1f77b4", "fine_tuning": "#d62728", "hybrid": "#9467bd", "rag_prototype": "#2ca02c",
                  "neutral": "#9e9e9e"}
ERROR_KEY = "_ui_error"
QUICK_REPLY_KEY = "_quick_reply"
KNOWN_THREADS_KEY = "_known_threads"  # ids this session created (stored from their first message) or found stored
RECOMMENDATION_ANCHOR = "recommendation"

STATIC = Path(__file__).resolve().parent / "static"
ICON = STATIC / "icon.png"  # served by Streamlit itself: no font or CDN fetch
A11Y_CSS = STATIC / "a11y.css"  # caption contrast, bold profile labels, visually hidden helpers
A11Y_JS = STATIC / "a11y.js"  # the conversation as a live region; the chat box focused on load and after replies
st.set_page_config(page_title="Architecture consultant", page_icon=str(ICON), layout="wide")


@st.cache_resource(show_spinner="Opening the consultant (the very first start builds its knowledge base)…")
def load_consultant(data_dir: str, endpoint: str, model: str) -> Consultant:
    """One Consultant per process and configuration (the arguments only key the cache)."""
    return Consultant(get_settings())


# --- callbacks (run before the page, so the page shows their effect) ---------------------------------------
def start_new() -> None:
    st.query_params["thread"] = remember(ui.new_thread_id())


def remember(thread_id: str) -> str:
    """Mark a thread as known to this session: a new one has no checkpoint until its first message."""
    st.session_state.setdefault(KNOWN_THREADS_KEY, set()).add(thread_id)
    return thread_id


def open_thread(thread_id: str) -> None:
    st.query_params["thread"] = thread_id


def quick_reply(label: str) -> None:
    st.session_state[QUICK_REPLY_KEY] = label  # sent as the next message, exactly as the choice reads


def edit_slot(consultant: Consultant, thread_id: str, slot: str, key: str) -> None:
    value = ui.slot_value(slot, st.session_state.get(key))
    _, error = ui.attempt("update that value", consultant.edit_slot, thread_id, slot, value)
    if error:
        st.session_state[ERROR_KEY] = error


# --- pieces of the page ----------------------------------------------------------------------------------
def current_thread(consultant: Consultant) -> str | None:
    """The consultation in the URL; None (after saying so) when a well-formed link points at nothing stored."""
    raw = st.query_params.get("thread")
    thread_id = ui.valid_thread_id(raw)
    if thread_id is None:
        if raw:
            st.warning("That consultation link isn't valid, so I started a new consultation.")
        thread_id = remember(ui.new_thread_id())
        st.query_params["thread"] = thread_id
        return thread_id
    if thread_id in st.session_state.get(KNOWN_THREADS_KEY, set()):
        return thread_id
    turn, error = ui.attempt("open this consultation", consultant.state, thread_id)
    if error:
        st.error(error)
        return thread_id
    if turn is None:
        render_not_found()
        return None
    return remember(thread_id)


def render_not_found() -> None:
    """A link to a consultation that has no checkpoint: say so, offer a new one (never open an empty one)."""
    with st.container(border=True):
        st.header("No consultation with that link was found", anchor=False)
        st.markdown("The link may be mistyped or shortened, or its consultation was never started (a consultation "
                    "is saved once its first message is sent). Any past consultations are listed in the sidebar.")
        st.button("Start a new consultation", icon=":material/add:", type="primary", on_click=start_new,
                  key="not-found-new")


def render_sessions(consultant: Consultant, thread_id: str | None) -> None:
    st.button("New consultation", icon=":material/add:", type="primary", on_click=start_new, width="stretch")
    threads, error = ui.attempt("list past consultations", consultant.threads)
    if error:
        st.error(error)
    past = [t for t in threads or [] if t["thread_id"] != thread_id]
    if past:
        with st.expander(f"Past consultations ({len(past)})", icon=":material/history:"):
            for t in past[:20]:
                st.button(ui.as_typed(ui.thread_title(t)), key=f"open::{t['thread_id']}", type="tertiary",
                          on_click=open_thread, args=(t["thread_id"],), width="stretch")


def render_body(content: str, citations: list[dict[str, Any]], role: str = "assistant") -> None:
    if role == "user":
        st.markdown(ui.as_typed(content))  # the user's words as typed: nothing in them is markup
        return
    st.markdown(ui.md(ui.strip_sources(content) if citations else content))
    for title, body in ui.citation_cards(citations):
        with st.expander(ui.md(title), icon=":material/description:"):
            st.markdown(ui.md(body))


def render_chat(consultant: Consultant, thread_id: str, prompt: str | None) -> int:
    """The conversation; returns how many messages it shows (a new reply changes the count)."""
    messages, error = ui.attempt("load this consultation", ui.transcript, consultant, thread_id)
    if error:
        st.error(error)
    for m in messages or []:
        with st.chat_message(m["role"]):
            render_body(m["content"], m.get("citations") or [], m["role"])
    if not prompt:
        last = (messages or [{}])[-1]
        if last.get("role") == "assistant" and last.get("choices"):
            render_choices(last["choices"], key=f"{thread_id}-{len(messages or [])}")
        return len(messages or [])
    with st.chat_message("user"):
        st.markdown(ui.as_typed(prompt))
    with st.chat_message("assistant"):
        with st.spinner("Thinking…"):
            turn, error = ui.attempt("answer that message", consultant.reply, thread_id, prompt)
        if error or turn is None:
            st.error(error)
            return len(messages or []) + 2
        render_body(turn.message, turn.citations)
        for notice in turn.notices:
            st.caption(ui.md(notice))
    if turn.choices:
        render_choices(turn.choices, key=f"{thread_id}-{len(messages or []) + 2}")
    return len(messages or []) + 2


def render_choices(choices: list[dict[str, Any]], key: str) -> None:
    """Quick replies under the question: one click sends the choice (typing works just as well)."""
    with st.container(horizontal=True, key=f"choices-{key}"):
        for i, choice in enumerate(choices):
            st.button(ui.as_typed(str(choice["label"])), key=f"choice-{key}-{i}", on_click=quick_reply,
                      args=(str(choice["label"]),), type="secondary")


def chart_with_table(chart: alt.Chart, alt_text: str, table: Any, **kwargs: Any) -> None:
    """A chart with its text alternative: a description for screen readers, the same numbers as a table."""
    st.altair_chart(chart.properties(description=alt_text), width="stretch", **kwargs)
    with st.expander("The same numbers as a table", icon=":material/table:"):
        st.table(table, hide_index=True)


def contributions_chart(rec: dict[str, Any]) -> alt.Chart | None:
    frame = ui.contributions_frame(rec)
    if frame.empty:
        return None
    present = [f for f in FAVOUR_COLOURS if f in set(frame["favours"])]  # same colour per option, every time
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("strength:Q", scale=alt.Scale(domain=[0, 1]), title="strength of the pull"),
        y=alt.Y("dimension:N", sort=None, title=None),
        color=alt.Color("favours:N", title="favours", legend=alt.Legend(orient="bottom", columns=3),
                        scale=alt.Scale(domain=present, range=[FAVOUR_COLOURS[f] for f in present])),
        tooltip=["dimension", "value", "favours", "reason"],
    ).properties(height=alt.Step(26))


def cost_chart(rec: dict[str, Any]) -> alt.Chart | None:
    frame = ui.cost_frame(rec)
    if frame.empty:
        return None
    log_scale = ui.cost_needs_log_scale(frame)
    y_scale = alt.Scale(type="log") if log_scale else alt.Scale(zero=True)
    return alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("month:O", title="month", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cumulative_usd:Q", scale=y_scale, axis=alt.Axis(format="$,.0f"),
                title="USD, log scale" if log_scale else "USD"),
        color=alt.Color("option:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=list(OPTION_COLOURS), range=list(OPTION_COLOURS.values()))),
        tooltip=["option", "month", alt.Tooltip("cumulative_usd:Q", format="$,.0f", title="cumulative")],
    )


def render_recommendation(consultant: Consultant, thread_id: str, turn: Turn | None) -> bool:
    """The recommendation card (a live draft while questions are open); False when there is none yet."""
    st.header("Recommendation", anchor=RECOMMENDATION_ANCHOR)
    rec, preliminary = ui.card_recommendation(consultant, turn)
    if rec is None:
        st.info("Your recommendation appears here as soon as I know something about the feature.",
                icon=":material/lightbulb:")
        return False
    label = rec["label"]
    with st.container(border=True):
        if preliminary:
            st.markdown(":orange-badge[Preliminary] A live draft from what I know so far; my recommendation "
                        "follows once the key questions are answered.")
        st.markdown(f"### {ui.label_title(label)}")
        st.markdown(f"Decision: `{label}` · confidence **{rec['confidence']:.0%}**")
        st.progress(float(rec["confidence"]))
        st.markdown(ui.md(rec["summary"]))
        if ui.edited_in_panel(turn):
            st.caption("Includes your what-if edits from the decision profile.")
        chart = contributions_chart(rec)
        if chart is not None:
            st.markdown("**Why: what each known dimension favours**")
            chart_with_table(chart, ui.contributions_alt(rec), ui.contributions_table(rec))
        if assumptions := ui.assumption_lines(rec):
            st.markdown("**Assumed, because you haven't said**")
            st.markdown(ui.md("\n".join(f"- {line}" for line in assumptions)))
        if rec.get("flips"):
            st.markdown("**What would change it**")
            st.markdown(ui.md("\n".join(f"- {f['description']}" for f in rec["flips"][:6])))
        if rec.get("plan"):
            with st.expander("Staged plan"):
                st.markdown(ui.md("\n".join(f"{i}. {s}" for i, s in enumerate(rec["plan"], 1))))
        st.markdown("**12-month cost of ownership**")
        chart = cost_chart(rec)
        if chart is not None:
            st.caption("Cumulative cost per option, month by month")
            chart_with_table(chart, ui.cost_alt(rec), ui.cost_table(rec), height=280)
        totals = "\n".join(f"- {line}" for line in ui.cost_totals(rec))
        st.markdown(ui.md(f"**{ui.break_even_sentence(rec)}**\n\n{totals}"))
    render_exports(consultant, thread_id, turn)
    return True


def render_exports(consultant: Consultant, thread_id: str, turn: Turn | None) -> None:
    files, error = ui.attempt("prepare the exports", ui.exports, consultant, thread_id, turn)
    if error:
        st.error(error)
        return
    st.markdown("**Export**")
    with st.container(horizontal=True):
        for f in files or []:
            st.download_button(f.label, data=f.data, file_name=f.file_name, mime=f.mime, on_click="ignore",
                               icon=":material/download:", key=f"export::{f.file_name}")


def render_profile(consultant: Consultant, thread_id: str, turn: Turn | None) -> None:
    st.header("Decision profile", anchor=False)
    st.caption("What I understood, and from which of your words. Change a value to see what would change "
               "(what-if): the recommendation updates at once, no chat turn needed.")
    for view in ui.slot_views(turn):
        key = f"slot::{thread_id}::{view.slot}"
        st.session_state[key] = ui.widget_value(view)  # the stored value wins over a stale widget
        # Plain text: a widget label is also its aria-label, where "**" would be read out (bold comes from CSS).
        label = view.label + (" (asking now)" if view.asking else "")
        args = (consultant, thread_id, view.slot, key)
        if view.options:
            st.selectbox(label, view.options, format_func=ui.option_label, key=key, on_change=edit_slot,
                         args=args)
        else:
            st.number_input(label, min_value=view.minimum, step=1, key=key, placeholder="unknown",
                            on_change=edit_slot, args=args)
        if view.value is None:
            st.caption(ui.md(f"Why it matters: {view.why}"))
        elif view.quote:
            st.caption(f"“{ui.as_typed(view.quote)}” · {view.source}, confidence {view.confidence:.0%}")
        else:
            st.caption(f"{view.source}")


def render_accessibility(focus: str) -> None:
    """The page's small script (ui/static/a11y.js): the conversation as a live region, the chat box focused.
    `focus` changes when the chat box should take the focus again (a new reply, another consultation)."""
    script = A11Y_JS.read_text("utf-8").replace("__CONFIG__", json.dumps({"focus": focus}))
    with st.container(key="a11y_script"):
        st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)  # our own static code only


def main() -> None:
    settings = get_settings()
    st.html(A11Y_CSS)
    consultant, error = ui.attempt("start the consultant", load_consultant, str(settings.consultant_data_dir),
                                   settings.openai_base_url or "", settings.consultant_model)
    st.title("Architecture consultant for AI teams")
    st.caption("Describe the AI feature you're planning: I'll ask a few questions and recommend RAG, fine-tuning, "
               "a hybrid or a RAG prototype, with the reasons, the costs and my sources.")
    st.caption(ui.mode_line(settings))
    if error or consultant is None:
        st.error(error)
        return
    thread_id = current_thread(consultant)
    if thread_id is None:
        with st.sidebar, st.container(key="sessions"):
            render_sessions(consultant, None)
        return
    jump = st.empty()  # filled once we know whether there is a recommendation to jump to
    if message := st.session_state.pop(ERROR_KEY, None):
        st.error(message)
    prompt = st.chat_input("Describe your AI feature, or answer my question…", submit_mode="disable") or \
        st.session_state.pop(QUICK_REPLY_KEY, None)
    chat, panel = st.columns([3, 2], gap="large")
    with chat:
        with st.container(key="sr_only_conversation"):
            st.header("Conversation", anchor=False)
        with st.container(key="chat_log"):  # a live region (a11y.js): replies are read out
            shown = render_chat(consultant, thread_id, prompt)
    turn, error = ui.attempt("load this consultation", consultant.state, thread_id)
    if error:
        st.error(error)
    with panel:
        card = render_recommendation(consultant, thread_id, turn)
    if card:  # one tap from the top to the card: on a phone the columns stack and the card sits below the chat
        jump.markdown(f"[Jump to the recommendation](#{RECOMMENDATION_ANCHOR})")
    with st.sidebar:
        with st.container(key="sessions"):
            render_sessions(consultant, thread_id)
        with st.container(key="profile"):
            render_profile(consultant, thread_id, turn)
        st.caption(f"Consultation `{thread_id}` lives in the page address: bookmark or share the link to "
                   "come back to it.")
    render_accessibility(f"{thread_id}:{shown}")


try:
    main()
except Exception:  # a last resort: a plain sentence, never a traceback
    ui.log.exception("the page failed")
    st.error("Sorry, this page ran into a problem. Your consultations are safe; please reload the page.")
