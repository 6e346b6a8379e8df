"""The decision brief: what a recommendation says, once, for every medium.

`build_brief` turns a profile and its recommendation into a `Brief`: a headline in plain words, the reasons
(each tied to the user's words and to the knowledge passage that supports it), assumptions, what would change
it, the costs with the assumptions behind every figure, the options considered, the plan, open questions and
sources. Renderers (chat, UI, ADR, PDF, terminal) only lay it out; none of them computes or words a fact.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

from consultant import words
from consultant.profile import SLOTS, Profile, SlotValue
from consultant.scoring import Recommendation

if TYPE_CHECKING:
    from consultant.kb.store import KnowledgeStore, Passage

TITLE_CHARS = 72  # a feature title fits one line of a document list
QUOTE_CHARS = 140  # the user's words quoted beside a reason, cut at a word boundary
EXCERPT_CHARS = 420  # the supporting passage shown with a reason; the whole passage opens on demand


@dataclass(frozen=True)
class Evidence:
    """A knowledge passage that supports a reason (or the decision), with its text."""

    title: str  # the section heading as a reader sees it
    document: str  # the document title
    source: str  # file name
    chunk_id: str
    stance: str
    excerpt: str
    text: str


@dataclass(frozen=True)
class Reason:
    slot: str
    dimension: str
    question: str
    value: str
    points_to: str  # label value
    points_to_words: str
    strength: float
    text: str
    quote: str | None
    evidence: Evidence | None


@dataclass(frozen=True)
class ProfileRow:
    slot: str
    question: str
    said: str  # what the user said (their answer), "not known yet" when unknown
    quote: str | None
    what_if: str | None  # the what-if value when a scenario changes this slot


@dataclass(frozen=True)
class CostRow:
    option: str
    title: str
    twelve_months: float
    per_thousand: float
    training_runs: float
    viable: bool
    note: str


@dataclass(frozen=True)
class Costs:
    rows: list[CostRow]
    verdict: str  # the break-even sentence, said once
    basis: str  # volume and context the figures are computed at
    assumptions: list[str]  # every assumption behind a figure: prices, run cost, what was assumed
    monthly: list[dict[str, Any]]  # [{"month", "option", "cumulative_usd"}] for charts and their tables


@dataclass(frozen=True)
class OptionConsidered:
    option: str
    title: str
    chosen: bool
    why: str


@dataclass(frozen=True)
class Brief:
    title: str  # the feature, in the user's words ("" when there is no conversation)
    label: str
    headline: str
    confidence: float
    summary: str
    reasons: list[Reason]
    assumptions: list[str]
    changes: list[str]
    plan: list[str]
    costs: Costs
    options: list[OptionConsidered]
    open_questions: list[str]
    rows: list[ProfileRow]
    sources: list[Evidence]
    what_if: dict[str, SlotValue] = field(default_factory=dict)

    @property
    def decision_line(self) -> str:
        return f"{self.headline} · {self.confidence:.0%} confident"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- citations ------------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def citation_map() -> dict[str, Any]:
    """consultant/kb/citations.yaml: which knowledge section backs each (slot, option) reason and each label."""
    text = resources.files("consultant.kb").joinpath("citations.yaml").read_text("utf-8")
    return dict(yaml.safe_load(text))


def _evidence(passage: Passage) -> Evidence:
    heading = passage.heading.split(" > ")
    text = passage.text.strip()
    return Evidence(title=heading[-1], document=heading[0], source=passage.source, chunk_id=passage.chunk_id,
                    stance=passage.stance, excerpt=_clip(" ".join(text.split()), EXCERPT_CHARS), text=text)


def cited(store: KnowledgeStore | None, entry: dict[str, str] | None) -> Evidence | None:
    """The stored passage of a cited section, or None (no store, or the section is not ingested)."""
    if store is None or not entry:
        return None
    try:
        passage = store.section(entry["file"], entry["section"])
    except Exception:  # a broken store costs the citation, never the brief
        return None
    return _evidence(passage) if passage is not None else None


def reason_citation(slot: str, points_to: str) -> dict[str, str] | None:
    return (citation_map().get("reasons", {}).get(slot) or {}).get(points_to)


# --- text helpers ---------------------------------------------------------------------------------------------
def _clip(text: str, limit: int) -> str:
    """Shorten at a word boundary, never mid-word."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:-") + "…"


_WANT = re.compile(r"\b(?:we|i)(?:'d| would)? (?:want|need|would like|are looking for|'re looking for|plan|are planning|"
                   r"are building|'re building|are thinking about)(?: to (?:build|create|add|have|get|make|use))?\s+"
                   r"(?P<what>[^.!?\n]+)", re.IGNORECASE)


def feature_title(first_message: str) -> str:
    """The feature in the user's words: "We want a bot that answers adjusters' questions" -> "A bot that answers
    adjusters' questions"; falls back to the first sentence."""
    text = " ".join(str(first_message or "").split())
    if not text:
        return ""
    m = _WANT.search(text)
    what = m.group("what") if m else re.split(r"(?<=[.!?])\s", text)[0]
    what = re.sub(r"^(?:to |an? |the )?", lambda g: g.group(0) if g.group(0).strip() in ("a", "an", "the") else "",
                  what.strip(), count=1)
    what = what.rstrip(" ,;:-")
    return _clip(what[:1].upper() + what[1:], TITLE_CHARS) if what else ""


def _quote(profile: Profile, slot: str) -> str | None:
    prov = profile.provenance.get(slot)
    if prov is None or prov.extractor in ("user_edit", "default") or not prov.source_message:
        return None
    return _clip(prov.source_message, QUOTE_CHARS)


def shown(profile: Profile, slot: str) -> str:
    """A value as the user gave it: an amount in their currency keeps it ("€60,000 ≈ $64,800")."""
    value = getattr(profile, slot)
    prov = profile.provenance.get(slot)
    if slot == "upfront_budget_usd" and prov is not None and prov.note and "≈" in prov.note:
        return prov.note.split(" at ")[0]
    return words.show_value(slot, value)


# --- the parts ------------------------------------------------------------------------------------------------
def _reasons(profile: Profile, rec: Recommendation, store: KnowledgeStore | None) -> list[Reason]:
    out = []
    for c in rec.contributions:
        if c.favours == "neutral":
            continue
        out.append(Reason(slot=c.slot, dimension=c.dimension, question=SLOTS[c.slot].question,
                          value=shown(profile, c.slot), points_to=c.favours,
                          points_to_words=words.FAVOURS.get(c.favours, c.favours), strength=c.strength,
                          text=c.reason, quote=_quote(profile, c.slot),
                          evidence=cited(store, reason_citation(c.slot, c.favours))))
    return sorted(out, key=lambda r: -r.strength)


def _changes(profile: Profile, rec: Recommendation, limit: int = 6) -> list[str]:
    """What would change it, in human terms, nearest first (one per slot and outcome)."""
    out = []
    for f in rec.flips:
        phrase = words.change_phrase(f.slot, f.value, getattr(profile, f.slot))
        line = f"{phrase[:1].upper()}{phrase[1:]}: {words.LABELS_INLINE[f.label.value]}."
        if line not in out:
            out.append(line)
    return out[:limit]


def _costs(rec: Recommendation) -> Costs:
    c = rec.costs
    rows = [CostRow(option=name, title=words.OPTIONS[name], twelve_months=c.options[name].total_usd,
                    per_thousand=c.options[name].per_query_usd * 1000, training_runs=c.options[name].training_runs,
                    viable=c.options[name].viable, note=c.options[name].note) for name in c.shown]
    base = words.OPTIONS[c.baseline].split(" (")[0].lower().replace("rag", "RAG")
    ft = c.options["fine_tuning"]
    if not ft.viable:
        verdict = f"Fine-tuning is {ft.note}."
    elif c.break_even_month is not None:
        verdict = f"Fine-tuning costs less than {base} from month {c.break_even_month} on."
    else:
        verdict = f"Fine-tuning does not cost less than {base} within 12 months."
    basis = (f"At {c.monthly_queries:,} queries a month, with {c.context_tokens:,} tokens of retrieved text in "
             "each RAG prompt.")
    monthly = [{"month": m, "option": words.OPTIONS[name], "cumulative_usd": usd}
               for name in c.shown for m, usd in enumerate(c.options[name].cumulative_usd, 1)]
    return Costs(rows, verdict, basis, [*c.assumptions, *c.prices], monthly)


# Why an option was not chosen: by the rule that decided (the scorer's rule ids), else the option's general case.
WHY_NOT_BY_RULE = {
    "fine_tuning": {
        "auditability_required": "fine-tuned weights cannot show which source an answer came from",
        "volatile_knowledge": "the knowledge changes faster than a model can sensibly be retrained",
        "budget_below_training_run": "the budget does not cover one training run",
        "stable_knowledge_no_driver": "there is no latency or cost reason to train the knowledge in; retrieval "
                                      "stays current and can cite its sources",
        "need_unknown": "it is not yet clear that the problem is behaviour rather than knowledge",
        "no_training_data": "there is no training set yet",
        "behaviour_with_attribution": "on its own it could not cite the sources its answers rest on",
        "behaviour_with_current_knowledge": "on its own its knowledge would be out of date between training runs",
    },
    "rag": {
        "stable_knowledge_latency": "retrieval's extra steps do not fit the response-time budget",
        "stable_knowledge_cost": "at this volume its long prompts cost more than training the knowledge in",
    },
}
WHY_NOT = {
    "rag": "retrieval supplies knowledge but cannot change how the model writes, formats or reasons",
    "fine_tuning": "it would freeze the knowledge into the weights, without citations",
    "hybrid": "it means building and running two systems, worth it only when both a new behaviour and current "
              "or citable knowledge are needed",
    "rag_prototype": "the key facts are known well enough to decide now",
}


def _options(profile: Profile, rec: Recommendation) -> list[OptionConsidered]:
    chosen = rec.label.value
    out = [OptionConsidered(chosen, words.LABELS[chosen], True, rec.summary)]
    for option in ("rag", "fine_tuning", "hybrid", "rag_prototype"):
        if option == chosen:
            continue
        why = WHY_NOT_BY_RULE.get(option, {}).get(rec.rule, WHY_NOT[option])
        flip = next((f for f in rec.flips if f.label.value == option), None)
        when = f" It would be the choice {words.change_phrase(flip.slot, flip.value, getattr(profile, flip.slot))}." \
            if flip is not None else ""
        out.append(OptionConsidered(option, words.LABELS[option], False, f"{why[:1].upper()}{why[1:]}.{when}"))
    return out


def build_brief(profile: Profile, rec: Recommendation, *, store: KnowledgeStore | None = None,
                first_message: str = "", what_if: dict[str, SlotValue] | None = None,
                said: Profile | None = None) -> Brief:
    """The brief for `profile` (the user's answers, or a what-if of them). With `what_if`, `said` is the profile
    as the user gave it, so rows show both and nothing of the scenario is mistaken for their words."""
    what_if = dict(what_if or {})
    answers = said or profile
    rows = [ProfileRow(slot, spec.question, shown(answers, slot), _quote(answers, slot),
                       words.show_value(slot, what_if[slot]) if slot in what_if else None)
            for slot, spec in SLOTS.items()]
    assumed = [f"{SLOTS[a.slot].label}: {a.assumed}" for a in rec.assumptions]
    reasons = _reasons(profile, rec, store)
    sources = list({r.evidence.chunk_id: r.evidence for r in reasons if r.evidence}.values())
    label_source = cited(store, citation_map().get("labels", {}).get(rec.label.value))
    if label_source is not None and label_source.chunk_id not in {s.chunk_id for s in sources}:
        sources.append(label_source)
    return Brief(
        title=feature_title(first_message), label=rec.label.value, headline=words.LABELS[rec.label.value],
        confidence=rec.confidence, summary=rec.summary, reasons=reasons, assumptions=assumed,
        changes=_changes(profile, rec), plan=list(rec.plan), costs=_costs(rec), options=_options(profile, rec),
        open_questions=[SLOTS[s].question for s in profile.unknown() if s in {f.slot for f in rec.flips}],
        rows=rows, sources=sources,
        what_if=what_if,
    )
