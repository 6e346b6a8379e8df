"""The Streamlit chat page: render only; every decision and computation comes from consultant/."""

from __future__ import annotations

import json
from functools import partial
from typing import Any

import altair as alt
import streamlit as st

from consultant import ui_support as ui
from consultant.api import Consultant, Turn
from consultant.assets import ui_dir
from consultant.config import get_settings
from consultant.entry import freeze_heap, start

OPTION_COLOURS = {"RAG": "#1f77b4", "Fine-tuning": "#d62728", "Hybrid": "#9467bd"}
FAVOUR_COLOURS = {"RAG": "#1f77b4", "Fine-tuning": "#d62728", "Hybrid": "#9467bd", "RAG prototype": "#2ca02c"}
ERROR_KEY = "_ui_error"
QUICK_REPLY_KEY = "_quick_reply"
KNOWN_THREADS_KEY = "_known_threads"  # ids this session created (stored from their first message) or found stored
RECOMMENDATION_ANCHOR = "recommendation"
OWNER_KEY = "_owner"  # this browser's owner token (or the signed-in user): the sidebar lists its consultations only
OWNER_COOKIE = "consultant_owner"
OWNER_COOKIE_MAX_AGE_S = 400 * 24 * 3600  # browsers cap cookie lifetimes at 400 days

STATIC = ui_dir() / "static"
ICON = STATIC / "icon.png"  # served by Streamlit itself: no font or CDN fetch
A11Y_CSS = STATIC / "a11y.css"  # caption contrast, bold profile labels, visually hidden helpers
A11Y_JS = STATIC / "a11y.js"  # the conversation as a live region; the chat box focused on load and after replies
start()  # the UI's own process: .env in the working folder, CONSULTANT_LOG_LEVEL (idempotent across reruns)
st.set_page_config(page_title="Architecture consultant", page_icon=str(ICON), layout="wide")


@st.cache_resource(show_spinner="Opening the consultant (the very first start builds its knowledge base)…")
def load_consultant(data_dir: str, endpoint: str, model: str) -> Consultant:
    """One Consultant per process and configuration (the arguments only key the cache); the process serves it
    alone, so its long-lived objects leave the garbage collector's reach."""
    consultant = Consultant(get_settings())
    freeze_heap()
    return consultant


# --- callbacks (run before the page, so the page shows their effect) ---------------------------------------
def start_new() -> None:
    st.query_params["thread"] = remember(ui.new_thread_id())


def remember(thread_id: str) -> str:
    """Mark a thread as known to this session: a new one has no checkpoint until its first message."""
    st.session_state.setdefault(KNOWN_THREADS_KEY, set()).add(thread_id)
    return thread_id


def signed_in_user() -> str | None:
    """The signed-in user's id when Streamlit's OIDC login is configured (an [auth] section in secrets)."""
    try:
        if not st.user.is_logged_in:
            return None
    except Exception:  # no secrets, no auth: nobody signs in
        return None
    return str(st.user.get("sub") or st.user.get("email") or "") or None


def login_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all
        return False


def session_owner() -> str:
    """Who this page is for: the signed-in user, else this browser's owner token (from its cookie, or new)."""
    user = signed_in_user()
    if user:
        return f"user:{user}"
    owner = st.session_state.get(OWNER_KEY)
    if owner is None:
        owner = ui.valid_owner_token(st.context.cookies.get(OWNER_COOKIE)) or ui.new_owner_token()
        st.session_state[OWNER_KEY] = owner
    return str(owner)


def keep_owner_cookie(owner: str) -> None:
    """Store a new owner token in the browser, so a refresh or a new tab of this browser lists the same
    consultations (a link shared with someone else carries the thread, never the token)."""
    if owner.startswith("user:") or st.context.cookies.get(OWNER_COOKIE) == owner:
        return
    with st.container(key="owner_cookie"):
        st.html(ui.owner_cookie_script(OWNER_COOKIE, owner, OWNER_COOKIE_MAX_AGE_S), unsafe_allow_javascript=True)


def open_thread(thread_id: str) -> None:
    st.query_params["thread"] = thread_id


def quick_reply(label: str) -> None:
    st.session_state[QUICK_REPLY_KEY] = label  # sent as the next message, exactly as the choice reads


def what_if(consultant: Consultant, thread_id: str, slot: str, key: str) -> None:
    """A profile widget changed: explore that value as a what-if beside the user's answers (never over them)."""
    value = ui.slot_value(slot, st.session_state.get(key))
    _, error = ui.attempt("try that value", consultant.what_if, thread_id, slot, value)
    if error:
        st.session_state[ERROR_KEY] = error


def reset_what_if(consultant: Consultant, thread_id: str) -> None:
    _, error = ui.attempt("go back to your answers", consultant.reset_what_if, thread_id)
    if error:
        st.session_state[ERROR_KEY] = error


def set_price(consultant: Consultant, thread_id: str, key: str, widget: str) -> None:
    """One of the cost assumptions changed: the team's own price, for this consultation."""
    prices = {**consultant.costs_of(thread_id), key: float(st.session_state.get(widget) or 0)}
    _, error = ui.attempt("use that price", consultant.set_costs, thread_id, prices)
    if error:
        st.session_state[ERROR_KEY] = error


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
    if login_configured():
        if signed_in_user():
            st.button("Sign out", icon=":material/logout:", on_click=st.logout, width="stretch")
        else:
            st.button("Sign in to see your consultations everywhere", icon=":material/login:", on_click=st.login,
                      width="stretch")
    threads, error = ui.attempt("list past consultations", partial(consultant.threads, owner=session_owner()))
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
            turn, error = ui.attempt("answer that message", partial(consultant.reply, owner=session_owner()),
                                     thread_id, prompt)
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


def contributions_chart(brief: Any) -> alt.Chart | None:
    frame = ui.contributions_frame(brief)
    if frame.empty:
        return None
    present = [f for f in FAVOUR_COLOURS if f in set(frame["favours"])]  # same colour per option, every time
    return alt.Chart(frame).mark_bar().encode(
        x=alt.X("strength:Q", scale=alt.Scale(domain=[0, 1]), title="strength of the pull"),
        y=alt.Y("dimension:N", sort=None, title=None),
        color=alt.Color("favours:N", title="points to", legend=alt.Legend(orient="bottom", columns=3),
                        scale=alt.Scale(domain=present, range=[FAVOUR_COLOURS[f] for f in present])),
        tooltip=["dimension", "value", "reason"],
    ).properties(height=alt.Step(26))


def cost_chart(brief: Any) -> alt.Chart | None:
    """Cumulative cost per viable option on a linear axis with round, readable ticks ($20k, $40k...)."""
    frame = ui.cost_frame(brief)
    if frame.empty:
        return None
    return alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("month:O", title="month", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cumulative_usd:Q", scale=alt.Scale(zero=True, nice=True),
                axis=alt.Axis(format="$~s", tickCount=5), title="cumulative cost (USD)"),
        color=alt.Color("option:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=list(OPTION_COLOURS), range=list(OPTION_COLOURS.values()))),
        tooltip=["option", "month", alt.Tooltip("cumulative_usd:Q", format="$,.0f", title="cumulative")],
    )


def render_what_if(consultant: Consultant, thread_id: str, view: ui.BriefView) -> None:
    """The scenario beside the answers: both outcomes, the values it changes, and a way back."""
    assert view.what_if is not None
    with st.container(border=True, key="what_if"):
        st.markdown("**What-if scenario** (your answers are unchanged)")
        said, scenario = st.columns(2)
        said.metric("Your answers", view.answers.headline, f"{view.answers.confidence:.0%} confident",
                    delta_color="off")
        scenario.metric("What-if", view.what_if.headline, f"{view.what_if.confidence:.0%} confident",
                        delta_color="off")
        st.table([{"Question": q, "You said": ui.as_typed(a), "What-if": ui.as_typed(b)} for q, a, b in view.changed],
                 hide_index=True)
        st.button("Back to my answers", on_click=reset_what_if, args=(consultant, thread_id),
                  icon=":material/undo:", key="reset_what_if")


def render_recommendation(consultant: Consultant, thread_id: str, turn: Turn | None) -> bool:
    """The living brief (a live draft while questions are open); False when there is none yet."""
    st.header("Recommendation", anchor=RECOMMENDATION_ANCHOR)
    view, error = ui.attempt("prepare the brief", ui.brief_view, consultant, thread_id, turn)
    if error:
        st.error(error)
        return False
    if view is None:
        st.info("Your recommendation appears here as soon as I know something about the feature.",
                icon=":material/lightbulb:")
        return False
    if view.what_if is not None:
        render_what_if(consultant, thread_id, view)
    brief = view.shown
    with st.container(border=True, key="brief"):
        if view.preliminary:
            st.markdown(":orange-badge[Preliminary] A live draft from what I know so far; my recommendation "
                        "follows once the key questions are answered.")
        st.subheader(brief.headline, anchor=False)
        st.markdown(f"**{brief.confidence:.0%} confident**" + (" · for the what-if scenario" if view.what_if else ""))
        st.progress(float(brief.confidence))
        st.markdown(ui.md(brief.summary))
        render_reasons(brief)
        if brief.assumptions:
            st.markdown("**Assumed, because you haven't said**")
            st.markdown(ui.md("\n".join(f"- {a}" for a in brief.assumptions)))
        if brief.changes:
            st.markdown("**What would change it**")
            st.markdown(ui.md("\n".join(f"- {c}" for c in brief.changes)))
        if brief.plan:
            with st.expander("Staged plan"):
                st.markdown(ui.md("\n".join(f"{i}. {s}" for i, s in enumerate(brief.plan, 1))))
        render_costs(consultant, thread_id, brief)
        if brief.open_questions:
            st.markdown("**Open questions that could still change it**")
            st.markdown(ui.md("\n".join(f"- {q}" for q in brief.open_questions)))
    render_exports(consultant, thread_id, turn)
    return True


def render_reasons(brief: Any) -> None:
    if not brief.reasons:
        return
    st.markdown("**Why**")
    for r in brief.reasons:
        st.markdown(ui.reason_line(r))
        if r.evidence is not None:
            with st.expander(ui.md(f"Source: {r.evidence.document} › {r.evidence.title}"),
                             icon=":material/description:"):
                st.markdown(ui.md(r.evidence.text))
    chart = contributions_chart(brief)
    if chart is not None:
        st.caption("How strongly each known dimension pulls, and towards what")
        chart_with_table(chart, ui.contributions_alt(brief), ui.contributions_table(brief))


def render_costs(consultant: Consultant, thread_id: str, brief: Any) -> None:
    st.markdown("**Cost over 12 months**")
    st.markdown(ui.md(f"**{brief.costs.verdict}**\n\n" + "\n".join(f"- {line}" for line in ui.cost_lines(brief))))
    chart = cost_chart(brief)
    if chart is not None:
        st.caption("Cumulative cost per option, month by month")
        chart_with_table(chart, ui.cost_alt(brief), ui.cost_table(brief), height=260)
    st.caption(ui.md(brief.costs.basis))
    with st.expander("The assumptions behind these figures (change them for your case)", icon=":material/tune:"):
        st.markdown(ui.md("\n".join(f"- {a}" for a in brief.costs.assumptions)))
        for item in ui.cost_inputs(consultant, thread_id):
            widget = f"price::{thread_id}::{item.key}"
            st.session_state[widget] = item.value
            st.number_input(item.label, min_value=item.minimum, max_value=item.maximum, key=widget,
                            format="%.2f", on_change=set_price, args=(consultant, thread_id, item.key, widget))


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
    st.caption("What I understood, and from which of your words. Change a value to explore a what-if: your "
               "answers stay as you gave them, and the card shows both.")
    scenario = consultant.scenario(thread_id)
    if scenario:
        st.button("Back to my answers", on_click=reset_what_if, args=(consultant, thread_id), icon=":material/undo:",
                  key="reset_what_if_panel")
    for view in ui.slot_views(turn):
        key = f"slot::{thread_id}::{view.slot}"
        trying = view.slot in scenario
        st.session_state[key] = ui.widget_value(view, scenario.get(view.slot)) if trying else ui.widget_value(view)
        # Plain text: a widget label is also its aria-label, where "**" would be read out (bold comes from CSS).
        label = view.label + (" (asking now)" if view.asking else "") + (" (what-if)" if trying else "")
        args = (consultant, thread_id, view.slot, key)
        if view.options:
            st.selectbox(label, view.options, format_func=ui.option_label, key=key, on_change=what_if, args=args)
        else:
            st.number_input(label, min_value=view.minimum, step=1, key=key, placeholder="unknown",
                            on_change=what_if, args=args)
        if trying:
            st.caption(f"What-if. You said: {ui.as_typed(view.shown)}")
        elif view.value is None:
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
    keep_owner_cookie(session_owner())


try:
    main()
except Exception:  # a last resort: a plain sentence, never a traceback
    ui.log.exception("the page failed")
    st.error("Sorry, this page ran into a problem. Your consultations are safe; please reload the page.")
