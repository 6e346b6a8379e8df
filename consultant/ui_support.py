"""What the Streamlit page shows, computed without Streamlit: views of turns, slots, charts and exports."""

from __future__ import annotations

import contextlib
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlparse

import pandas as pd

from consultant.api import MAX_THREAD_ID, Consultant, Turn
from consultant.config import Settings
from consultant.errors import ConsultantError, ProfileValidationError
from consultant.exports import profile_json, slug
from consultant.profile import SLOTS, Profile, SlotValue, make_profile
from consultant.prompts import GREETING, WHY_IT_MATTERS
from consultant.safety import escape_text, sanitize_markdown
from consultant.scoring import recommend
from consultant.words import LABELS as LABEL_TITLES
from consultant.words import OPTIONS as OPTION_TITLES
from consultant.words import money, show_value

log = logging.getLogger(__name__)
T = TypeVar("T")

UNKNOWN = "unknown"  # the selectbox option that clears an enum slot
FAVOURS_ORDER = ["rag", "fine_tuning", "hybrid", "rag_prototype", "neutral"]
EXTRACTORS = {"rules": "read from your words", "embedding": "matched by meaning", "llm": "extracted by the LLM",
              "user_edit": "edited by you", "default": "default", "chosen": "chosen from the options"}
# A trailing "Sources" list in a message: the page shows the same citations as expandable cards instead.
_SOURCES_BLOCK = re.compile(r"\n*(?:\*\*Sources\*\*|Sources:)\n(?:\[\d+\][^\n]*(?:\n|$))+")


# --- text -------------------------------------------------------------------------------------------------
def escape_dollars(text: str) -> str:
    """`$` escaped so Streamlit's Markdown does not read budgets like "$8k-$60k" as LaTeX."""
    return str(text).replace("\\$", "$").replace("$", "\\$")


def md(text: str) -> str:
    """Markdown the page may render: sanitised (no remote images, unsafe links or HTML), `$` kept literal."""
    return escape_dollars(sanitize_markdown(str(text)))


def as_typed(text: str) -> str:
    """A user's own words, shown exactly as typed: every Markdown character is inert."""
    return escape_text(str(text))


def strip_sources(message: str) -> str:
    """The message without its trailing sources list (rendered as cards under it)."""
    return _SOURCES_BLOCK.sub("\n\n", message).strip()


def mode_label(settings: Settings) -> str:
    """'Offline' or the LLM endpoint host and model; never the key."""
    if not settings.llm_enabled:
        return "Offline"
    host = urlparse(settings.openai_base_url).netloc if settings.openai_base_url else "api.openai.com"
    return f"LLM: {host or settings.openai_base_url} · {settings.consultant_model}"


def mode_line(settings: Settings) -> str:
    """The mode indicator as Markdown (endpoint and model in a code span, so no character is read as markup)."""
    if not settings.llm_enabled:
        return ":material/cloud_off: **Offline mode**: rules and local retrieval, no LLM calls"
    return f":material/cloud: **LLM mode**: `{mode_label(settings).removeprefix('LLM: ').replace('`', '')}`"


def friendly_error(action: str, exc: BaseException) -> str:
    """A plain sentence for the error banner (the details go to the log)."""
    if isinstance(exc, ProfileValidationError):
        return f"That value can't be used: {exc}."
    if isinstance(exc, ConsultantError):
        return f"Sorry, I couldn't {action}: {exc}."
    return f"Sorry, something went wrong while I tried to {action}. Your consultation so far is safe; please try again."


def attempt(action: str, fn: Callable[..., T], *args: Any) -> tuple[T | None, str | None]:
    """Run `fn(*args)`: (result, None), or (None, a friendly sentence) when it raises."""
    try:
        return fn(*args), None
    except Exception as exc:  # the page shows a banner, never a traceback
        log.exception("UI action failed: %s", action)
        return None, friendly_error(action, exc)


# --- sessions ---------------------------------------------------------------------------------------------
def new_thread_id() -> str:
    return f"ui-{uuid.uuid4().hex[:12]}"


def valid_thread_id(value: Any) -> str | None:
    """The thread id from the URL when it is usable, else None."""
    text = str(value or "").strip()
    if not text or len(text) > MAX_THREAD_ID or not text.isprintable():
        return None
    return text


def thread_title(thread: dict[str, Any]) -> str:
    """A past consultation as one line: the feature, the outcome in words, the date ("… · RAG · 6 Dec")."""
    title = thread.get("title") or "(no message yet)"
    title = title if len(title) <= 48 else title[:47].rstrip() + "…"
    outcome = str(thread.get("outcome") or "in progress").split(":")[0]
    when = str(thread.get("updated_at") or "")[:10]
    if when:
        from datetime import date

        with contextlib.suppress(ValueError):
            day = date.fromisoformat(when)
            when = f"{day.day} {day:%b}"
    return " · ".join(p for p in (title, outcome, when) if p)


# --- chat -------------------------------------------------------------------------------------------------
def transcript(consultant: Consultant, thread_id: str) -> list[dict[str, Any]]:
    """The chat as shown: the greeting, then the stored transcript."""
    return [{"role": "assistant", "content": GREETING, "citations": []}, *consultant.history(thread_id)]


def citation_cards(citations: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """(title, body) per cited source, numbered like the message's [n] markers."""
    cards = []
    for i, c in enumerate(citations, 1):
        heading = str(c.get("heading", ""))
        section = heading.split(" > ")[-1]
        body = f"**Source file:** `{c.get('source', '')}`  \n**Section:** {heading.replace(' > ', ' › ')}"
        if isinstance(c.get("score"), int | float):
            body += f"  \n**Relevance:** {c['score']:.2f}"
        cards.append((f"[{i}] {c.get('source', '')} › {section}", body))
    return cards


# --- the decision profile ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class SlotView:
    """One row of the profile panel."""

    slot: str
    label: str
    value: SlotValue
    shown: str
    options: tuple[str, ...]  # enum slots: UNKNOWN first; empty for integer slots
    minimum: int | None
    quote: str | None
    source: str | None
    confidence: float | None
    why: str | None  # for unknown slots
    asking: bool


def slot_views(turn: Turn | None) -> list[SlotView]:
    """Every slot with its value, where it came from, and why it matters when unknown."""
    values = turn.profile if turn else {}
    provenance = turn.provenance if turn else {}
    views = []
    for slot, spec in SLOTS.items():
        value = values.get(slot)
        prov = provenance.get(slot) or {}
        quote = " ".join(str(prov.get("source_message") or "").split()) or None
        if quote and len(quote) > 160:
            quote = quote[:159].rstrip() + "…"
        views.append(SlotView(
            slot=slot, label=spec.label, value=value, shown=show_value(slot, value),
            options=(UNKNOWN, *spec.values) if spec.is_enum else (), minimum=spec.minimum,
            quote=quote if prov.get("extractor") != "user_edit" else None,
            source=EXTRACTORS.get(str(prov.get("extractor")), str(prov.get("extractor"))) if prov else None,
            confidence=float(prov["confidence"]) if prov.get("confidence") is not None else None,
            why=WHY_IT_MATTERS[slot] if value is None else None,
            asking=bool(turn and turn.pending_slot == slot)))
    return views


def option_label(option: str) -> str:
    return "— unknown —" if option == UNKNOWN else option.replace("_", " ")


def widget_value(view: SlotView) -> SlotValue:
    """The value a slot's widget shows."""
    if view.options:
        return view.value if view.value is not None else UNKNOWN
    return view.value


def slot_value(slot: str, raw: Any) -> SlotValue:
    """A widget's value as a slot value (None clears it)."""
    if raw is None or raw == UNKNOWN or raw == "":
        return None
    return str(raw) if SLOTS[slot].is_enum else int(raw)


# --- the recommendation card ------------------------------------------------------------------------------
def profile_of(turn: Turn | None) -> Profile:
    """The Profile behind a turn (values and provenance)."""
    if turn is None:
        return make_profile({})
    return Profile.model_validate({**turn.profile, "provenance": turn.provenance})


def card_recommendation(consultant: Consultant, turn: Turn | None) -> tuple[dict[str, Any] | None, bool]:
    """(recommendation, preliminary): the agent's, else a live draft once anything is known, else None."""
    if turn is None:
        return None, False
    if turn.recommendation:
        return turn.recommendation, False
    if not any(v is not None for v in turn.profile.values()):
        return None, False
    return recommend(make_profile(dict(turn.profile)), consultant.table).to_dict(), True


def label_title(label: str) -> str:
    return LABEL_TITLES.get(label, label)


def edited_in_panel(turn: Turn | None) -> bool:
    return bool(turn and any(p.get("extractor") == "user_edit" for p in turn.provenance.values()))


def contributions_frame(rec: dict[str, Any]) -> pd.DataFrame:
    """One row per known dimension: strength (0-1) and the option it favours."""
    rows = rec.get("contributions") or []
    dims = [str(c["dimension"]) for c in rows]
    out = []
    for c in rows:
        name = str(c["dimension"])
        name = name[:1].upper() + name[1:]
        if dims.count(str(c["dimension"])) > 1:
            name += f" ({SLOTS[c['slot']].label.lower()})"
        out.append({"dimension": name, "strength": float(c["strength"]), "favours": str(c["favours"]),
                    "value": show_value(c["slot"], c["value"]), "reason": str(c["reason"])})
    return pd.DataFrame(out, columns=["dimension", "strength", "favours", "value", "reason"])


def cost_frame(rec: dict[str, Any]) -> pd.DataFrame:
    """Long format: month, option, cumulative USD."""
    options = (rec.get("costs") or {}).get("options") or {}
    rows = [{"month": m, "option": OPTION_TITLES.get(name, name), "cumulative_usd": float(usd)}
            for name, opt in options.items() for m, usd in enumerate(opt.get("cumulative_usd") or [], 1)]
    return pd.DataFrame(rows, columns=["month", "option", "cumulative_usd"])


def contributions_table(rec: dict[str, Any]) -> pd.DataFrame:
    """The contributions chart's numbers as a table (its text alternative): one row per dimension."""
    frame = contributions_frame(rec)
    return pd.DataFrame({"Dimension": frame["dimension"], "Value": frame["value"],
                         "Favours": [option_title(f) for f in frame["favours"]],
                         "Pull (0-1)": [f"{v:.2f}" for v in frame["strength"]]}).map(md)


def contributions_alt(rec: dict[str, Any]) -> str:
    """A one-sentence description of the contributions chart for screen readers."""
    frame = contributions_frame(rec)
    parts = [f"{row.dimension} favours {option_title(row.favours)} ({row.strength:.2f})"
             for row in frame.itertuples()]
    return "Bar chart of how strongly each known dimension pulls, 0 to 1: " + "; ".join(parts) + "."


def cost_table(rec: dict[str, Any]) -> pd.DataFrame:
    """The cost chart's numbers as a table (its text alternative): cumulative USD per month and option."""
    frame = cost_frame(rec)
    if frame.empty:
        return pd.DataFrame()
    wide = frame.pivot(index="month", columns="option", values="cumulative_usd")
    wide = wide[list(dict.fromkeys(frame["option"]))]  # the options in the chart's order
    table = wide.map(lambda usd: escape_dollars(money(usd))).reset_index()
    table.columns = ["Month", *wide.columns]
    return table.astype(str)


def cost_alt(rec: dict[str, Any]) -> str:
    """A one-sentence description of the cost chart for screen readers."""
    frame = cost_frame(rec)
    totals = frame.groupby("option", sort=False)["cumulative_usd"].last()
    return ("Line chart of cumulative cost per option over 12 months; after 12 months: "
            + ", ".join(f"{option} {money(usd)}" for option, usd in totals.items()) + ".")


def option_title(favours: str) -> str:
    """'rag' -> 'RAG': an option as the page names it ('neutral' stays as is)."""
    return OPTION_TITLES.get(favours, LABEL_TITLES.get(favours, favours.replace("_", " ")))


def cost_needs_log_scale(frame: pd.DataFrame) -> bool:
    """True when one option dwarfs another (a linear axis would flatten the cheaper lines)."""
    if frame.empty:
        return False
    totals = frame.groupby("option")["cumulative_usd"].max()
    return bool(totals.min() > 0 and totals.max() / totals.min() > 20)


def break_even_sentence(rec: dict[str, Any]) -> str:
    month = (rec.get("costs") or {}).get("break_even_month")
    if month:
        return f"Fine-tuning breaks even with RAG in month {month}."
    return "Fine-tuning does not break even with RAG within 12 months."


def cost_totals(rec: dict[str, Any]) -> list[str]:
    """One Markdown line per option: its 12-month total and its cost per 1,000 queries."""
    options = (rec.get("costs") or {}).get("options") or {}
    return [f"**{OPTION_TITLES.get(n, n)}**: {money(o['twelve_month_usd'])} over 12 months "
            f"({money(o['per_query_usd'] * 1000)} per 1,000 queries)" for n, o in options.items()]


def assumption_lines(rec: dict[str, Any]) -> list[str]:
    return [f"{SLOTS[a['slot']].label}: {a['assumed']}" if a.get("slot") in SLOTS else str(a.get("assumed"))
            for a in rec.get("assumptions") or []]


# --- exports ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Export:
    label: str
    data: str
    file_name: str
    mime: str


def exports(consultant: Consultant, thread_id: str, turn: Turn | None) -> list[Export]:
    """The ADR (Markdown), the profile + recommendation (JSON) and the eval scenario (YAML)."""
    users = [m["content"] for m in consultant.history(thread_id) if m["role"] == "user"]
    name = slug(users[0] if users else thread_id, 40)
    return [
        Export("ADR (Markdown)", consultant.export_adr(thread_id), f"adr-{name}.md", "text/markdown"),
        Export("Profile + recommendation (JSON)", profile_json(profile_of(turn), consultant.table),
               f"profile-{name}.json", "application/json"),
        Export("Eval scenario (YAML)", consultant.export_scenario(thread_id), f"scenario-{name}.yaml",
               "application/x-yaml"),
    ]
