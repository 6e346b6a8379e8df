"""What the Streamlit page shows, computed without Streamlit: views of turns, slots, charts and exports."""

from __future__ import annotations

import contextlib
import logging
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlparse

import pandas as pd

from consultant.api import Consultant, Turn, check_thread_id
from consultant.brief import Brief
from consultant.brief.render import cost_sentence
from consultant.config import Settings
from consultant.errors import ConsultantError, ProfileValidationError
from consultant.exports import profile_json, slug
from consultant.profile import SLOTS, Profile, SlotValue, make_profile
from consultant.prompts import GREETING, WHY_IT_MATTERS
from consultant.safety import escape_text, sanitize_markdown
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
#: Random bytes in a consultation's id. The id in the link is the only key to a consultation someone else
#: started, so it must be unguessable: 128 bits from `secrets` (a uuid4 cut to 12 hex digits had 48).
THREAD_ID_BYTES = 16
#: Random bytes in a browser session's owner token (kept in a cookie; lists the consultations it started).
OWNER_TOKEN_BYTES = 24
_OWNER_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def new_thread_id() -> str:
    return f"ui-{secrets.token_urlsafe(THREAD_ID_BYTES)}"


def valid_thread_id(value: Any) -> str | None:
    """The thread id from the URL when it is usable, else None."""
    try:
        return check_thread_id(str(value or ""))
    except ConsultantError:
        return None


def new_owner_token() -> str:
    return secrets.token_urlsafe(OWNER_TOKEN_BYTES)


def valid_owner_token(value: Any) -> str | None:
    """An owner token read back from a cookie, when it has the shape `new_owner_token` gives."""
    text = str(value or "")
    return text if _OWNER_TOKEN.fullmatch(text) else None


def owner_cookie_script(name: str, token: str, max_age_s: int) -> str:
    """The one line of script that keeps the owner token in a first-party cookie (no server round trip)."""
    return (f"<script>document.cookie = {name!r} + '=' + {token!r} + "
            f"'; path=/; max-age={int(max_age_s)}; SameSite=Strict';</script>")


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
    """(title, body) per cited source, numbered like the message's [n] markers: the passage itself, readable."""
    cards = []
    for i, c in enumerate(citations, 1):
        heading = str(c.get("heading", "")).split(" > ")
        title = f"[{i}] {heading[0]} › {heading[-1]}" if len(heading) > 1 else f"[{i}] {heading[0]}"
        cards.append((title, str(c.get("text") or "").strip() or heading[-1]))
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
    values = turn.profile.values() if turn else {}
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


def widget_value(view: SlotView, what_if: SlotValue = None) -> SlotValue:
    """The value a slot's widget shows: the what-if value when the scenario changes the slot, else the answer."""
    value = what_if if what_if is not None else view.value
    if view.options:
        return value if value is not None else UNKNOWN
    return value


def slot_value(slot: str, raw: Any) -> SlotValue:
    """A widget's value as a slot value (None clears it)."""
    if raw is None or raw == UNKNOWN or raw == "":
        return None
    return str(raw) if SLOTS[slot].is_enum else int(raw)


# --- the recommendation card ------------------------------------------------------------------------------
def profile_of(turn: Turn | None) -> Profile:
    """The Profile behind a turn (values and provenance)."""
    return turn.profile if turn is not None else make_profile({})


@dataclass(frozen=True)
class BriefView:
    """What the card shows: the brief of the user's answers, and of the what-if scenario when there is one."""

    answers: Brief
    what_if: Brief | None
    preliminary: bool  # no recommendation given yet: a live draft of what is known so far

    @property
    def shown(self) -> Brief:
        return self.what_if or self.answers

    @property
    def changed(self) -> list[tuple[str, str, str]]:
        """(question, what the user said, the what-if value) for each slot the scenario changes."""
        return [(r.question, r.said, r.what_if) for r in (self.what_if.rows if self.what_if else []) if r.what_if]


def brief_view(consultant: Consultant, thread_id: str, turn: Turn | None) -> BriefView | None:
    """The card's content, or None before anything about the feature is known."""
    if turn is None or (not any(v is not None for v in turn.profile.values()) and not consultant.scenario(thread_id)):
        return None
    answers = consultant.brief(thread_id)
    what_if = consultant.brief(thread_id, what_if=True) if consultant.scenario(thread_id) else None
    return BriefView(answers, what_if, preliminary=turn.recommendation is None)


def label_of_headline(headline: str) -> str:
    """'Fine-tuning' -> 'fine_tuning' (the page shows words; tests and exports need the label)."""
    return next((label for label, words in LABEL_TITLES.items() if words == headline), headline)


def reason_line(r: Any) -> str:
    """A reason as Markdown: the rule's words (sanitised) and the user's own words (inert, as typed)."""
    said = f" You said: “{as_typed(r.quote)}”." if r.quote else ""
    return f"- {md(r.text)}{said}"


def contributions_frame(brief: Brief) -> pd.DataFrame:
    """One row per reason: its strength (0-1) and the option it points to."""
    out = []
    for r in brief.reasons:
        name = r.dimension[:1].upper() + r.dimension[1:]
        if [x.dimension for x in brief.reasons].count(r.dimension) > 1:
            name += f" ({SLOTS[r.slot].label.lower()})"
        out.append({"dimension": name, "strength": float(r.strength), "favours": option_title(r.points_to),
                    "value": r.value, "reason": r.text})
    return pd.DataFrame(out, columns=["dimension", "strength", "favours", "value", "reason"])


def contributions_table(brief: Brief) -> pd.DataFrame:
    """The contributions chart's numbers as a table (its text alternative): one row per dimension."""
    frame = contributions_frame(brief)
    return pd.DataFrame({"Dimension": frame["dimension"], "Value": frame["value"],
                         "Points to": list(frame["favours"]),
                         "Pull (0-1)": [f"{v:.2f}" for v in frame["strength"]]}).map(md)


def contributions_alt(brief: Brief) -> str:
    """A one-sentence description of the contributions chart for screen readers."""
    frame = contributions_frame(brief)
    parts = [f"{row.dimension} points to {row.favours} ({row.strength:.2f})"
             for row in frame.itertuples()]
    return "Bar chart of how strongly each known dimension pulls, 0 to 1: " + "; ".join(parts) + "."


def cost_frame(brief: Brief) -> pd.DataFrame:
    """Long format for the chart: month, option, cumulative USD (options that are not viable are left out)."""
    viable = {r.title for r in brief.costs.rows if r.viable}
    rows = [m for m in brief.costs.monthly if m["option"] in viable]
    return pd.DataFrame(rows, columns=["month", "option", "cumulative_usd"])


def cost_table(brief: Brief) -> pd.DataFrame:
    """The cost chart's numbers as a table (its text alternative): cumulative USD per month and option."""
    frame = cost_frame(brief)
    if frame.empty:
        return pd.DataFrame()
    wide = frame.pivot(index="month", columns="option", values="cumulative_usd")
    wide = wide[list(dict.fromkeys(frame["option"]))]  # the options in the chart's order
    table = wide.map(lambda usd: escape_dollars(money(usd))).reset_index()
    table.columns = ["Month", *wide.columns]
    return table.astype(str)


def cost_alt(brief: Brief) -> str:
    """A one-sentence description of the cost chart for screen readers."""
    return "Line chart of cumulative cost per option over 12 months; after 12 months: " + cost_sentence(brief)


def cost_lines(brief: Brief) -> list[str]:
    """One Markdown line per option: 12 months, and the price per 1,000 queries in cents."""
    return [f"**{r.title}**: " + (f"{money(r.twelve_months)} over 12 months ({money(r.per_thousand, cents=True)} "
                                  f"per 1,000 queries)" if r.viable else r.note)
            for r in brief.costs.rows]


def option_title(favours: str) -> str:
    """'rag' -> 'RAG': an option as the page names it ('rag_prototype' -> 'RAG prototype')."""
    return OPTION_TITLES.get(favours, "RAG prototype" if favours == "rag_prototype" else favours.replace("_", " "))


@dataclass(frozen=True)
class CostInput:
    key: str
    label: str
    value: float
    minimum: float
    maximum: float


def cost_inputs(consultant: Consultant, thread_id: str) -> list[CostInput]:
    """The price assumptions the team can set for this consultation, with their current values."""
    from consultant.costs import ADJUSTABLE

    table = consultant.table.with_overrides(consultant.costs_of(thread_id))
    out = []
    for key, (label, low, high) in ADJUSTABLE.items():
        section, name = key.split(".")
        out.append(CostInput(key, label, float(table.data[section][name]), low, high))
    return out


# --- exports ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Export:
    label: str
    data: str | bytes
    file_name: str
    mime: str


def exports(consultant: Consultant, thread_id: str, turn: Turn | None) -> list[Export]:
    """The ADR (Markdown) and the brief (PDF) of the user's answers (and of the what-if when there is one), the
    profile + recommendation (JSON) and the eval scenario (YAML, always what the user said)."""
    users = [m["content"] for m in consultant.history(thread_id) if m["role"] == "user"]
    name = slug(users[0] if users else thread_id, 40)
    scenario = [Export("ADR of the what-if (Markdown)", consultant.export_adr(thread_id, what_if=True),
                       f"adr-what-if-{name}.md", "text/markdown")] if consultant.scenario(thread_id) else []
    return [
        Export("ADR (Markdown)", consultant.export_adr(thread_id), f"adr-{name}.md", "text/markdown"),
        Export("Brief (PDF)", consultant.export_pdf(thread_id), f"brief-{name}.pdf",  # type: ignore[arg-type]
               "application/pdf"),
        *scenario,
        Export("Profile + recommendation (JSON)", profile_json(profile_of(turn), consultant.table),
               f"profile-{name}.json", "application/json"),
        Export("Eval scenario (YAML)", consultant.export_scenario(thread_id), f"scenario-{name}.yaml",
               "application/x-yaml"),
    ]
