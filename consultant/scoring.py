"""recommend(profile) -> Recommendation: the framework's rules, deterministic and explainable.

Pure: no I/O, no LLM, no clock. The only input besides the profile is the cost table, loaded once per
process (its template token counts come from tiktoken) or passed in explicitly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from consultant.costs import CostComparison, CostTable, compare_costs, default_cost_table
from consultant.profile import CHANGE_ORDER, SLOTS, VOLATILE_CHANGES, Profile, SlotValue

LATENCY_FT_MAX_MS = 300  # the framework's "sub-300ms": a budget of 300 ms or less favours fine-tuning
LARGE_DATASET = 100_000  # 100k+ stable, high-quality labeled examples: a genuine fine-tuning asset
LONG_CONTEXT_TOKENS = 6_000  # the framework's heavy retrieval prompts: 6,000-12,000 tokens
MIN_TRAINING_EXAMPLES = 100  # below this there is no training set to speak of: prototype first
BEHAVIOUR_OUTPUTS = frozenset({"structured_output", "style_or_tone", "classification", "reasoning_pattern"})


class Label(StrEnum):
    RAG = "rag"
    FINE_TUNING = "fine_tuning"
    HYBRID = "hybrid"
    RAG_PROTOTYPE = "rag_prototype"


@dataclass(frozen=True)
class Contribution:
    """What one known slot says: which option it favours, how strongly (0..1) and why."""

    dimension: str
    slot: str
    value: SlotValue
    favours: str  # a Label value, or "neutral"
    strength: float
    reason: str


@dataclass(frozen=True)
class Assumption:
    slot: str
    assumed: str


@dataclass(frozen=True)
class Flip:
    """A single-slot change that would change the label."""

    slot: str
    value: SlotValue
    label: Label
    description: str


@dataclass(frozen=True)
class Recommendation:
    label: Label
    confidence: float
    rule: str
    summary: str
    contributions: list[Contribution]
    assumptions: list[Assumption]
    flips: list[Flip]
    costs: CostComparison
    plan: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        reasons = " ".join(c.reason for c in self.contributions if c.favours != "neutral")
        return f"{self.summary} {reasons}".strip()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready view (CLI, API, UI exports)."""
        return {
            "label": self.label.value,
            "confidence": self.confidence,
            "rule": self.rule,
            "summary": self.summary,
            "explanation": self.explanation,
            "contributions": [c.__dict__ for c in self.contributions],
            "assumptions": [a.__dict__ for a in self.assumptions],
            "flips": [{**f.__dict__, "label": f.label.value} for f in self.flips],
            "plan": self.plan,
            "costs": cost_summary(self.costs),
        }


def cost_summary(costs: CostComparison) -> dict[str, Any]:
    return {
        "monthly_queries": costs.monthly_queries,
        "context_tokens": costs.context_tokens,
        "break_even_month": costs.break_even_month,
        "assumptions": costs.assumptions,
        "options": {
            name: {"per_query_usd": round(o.per_query_usd, 6), "twelve_month_usd": o.total_usd,
                   "training_runs": o.training_runs, "cumulative_usd": o.cumulative_usd}
            for name, o in costs.options.items()
        },
    }


PROTOTYPE_PLAN = [
    "Stage 1 - prototype: build a small RAG system over your real documents in 2-4 weeks; it is cheap "
    "to start, quick to change and easy to roll back.",
    "Stage 2 - measure: run it with real users and log which questions fail, end-to-end latency, cost "
    "per query and what the model gets wrong (missing facts, or the wrong format, tone or reasoning).",
    "Stage 3 - decide on evidence: if failures are missing or stale knowledge, improve retrieval; if they "
    "are behaviour, fine-tune on the examples you collected (a fine-tuned model with the RAG layer kept "
    "is the hybrid).",
]


# --- the decision rules ---------------------------------------------------------------------------------

def effective_need(p: Profile) -> str | None:
    """The key question's answer; when unanswered, inferred from the output type."""
    if p.need is not None:
        return p.need
    if p.output_type == "factual_answers":
        return "know_more"
    if p.output_type in BEHAVIOUR_OUTPUTS:
        return "behave_differently"
    return None


_COST_DRIVER_MEMO: dict[tuple[str, int, int | None, str | None], bool] = {}


def _cost_driver(p: Profile, table: CostTable) -> bool:
    """Long retrieval prompts at a volume where fine-tuning pays back within 12 months (memoised).

    The framework's cost case is the long-context one (6k-12k-token retrieval prompts): with short prompts the
    per-query saving is a thin margin on a price table, not a reason to take on a training pipeline.
    """
    if p.monthly_queries is None or p.context_tokens is None or p.context_tokens < LONG_CONTEXT_TOKENS:
        return False
    key = (table.fingerprint, p.monthly_queries, p.context_tokens, p.knowledge_change)
    if key not in _COST_DRIVER_MEMO:
        if len(_COST_DRIVER_MEMO) > 50_000:
            _COST_DRIVER_MEMO.clear()
        _COST_DRIVER_MEMO[key] = compare_costs(p, table).break_even_month is not None
    return _COST_DRIVER_MEMO[key]


def _decide(p: Profile, table: CostTable) -> tuple[Label, str, str]:
    """(label, rule id, one-sentence summary) for a profile."""
    need = effective_need(p)
    budget_short = p.upfront_budget_usd is not None and p.upfront_budget_usd < _run_low(table)
    stable = p.knowledge_change is not None and p.knowledge_change not in VOLATILE_CHANGES
    if need is None:
        return (Label.RAG_PROTOTYPE, "need_unknown",
                "It is not yet clear whether the system must know more or behave differently, so start with "
                "a RAG prototype and let production evidence decide.")
    if need == "know_more":
        if p.auditability == "required":
            return (Label.RAG, "auditability_required",
                    "Answers must be traceable to their sources, and only retrieval gives that.")
        if not stable:
            return (Label.RAG, "volatile_knowledge",
                    "The system needs to know more, and that knowledge changes more than once a quarter "
                    "(or how often is not yet known), so retrieval keeps it current without retraining.")
        if budget_short:
            return (Label.RAG, "budget_below_training_run",
                    "The knowledge is stable, but the upfront budget does not cover one training run.")
        if p.latency_budget_ms is not None and p.latency_budget_ms <= LATENCY_FT_MAX_MS:
            return (Label.FINE_TUNING, "stable_knowledge_latency",
                    "The knowledge is stable and the latency budget is within 300 ms, where retrieval's "
                    "extra steps do not fit; fine-tune the knowledge in.")
        if _cost_driver(p, table):
            return (Label.FINE_TUNING, "stable_knowledge_cost",
                    "The knowledge is stable and, at this volume, fine-tuning's shorter prompts pay back its "
                    "training cost within 12 months.")
        return (Label.RAG, "stable_knowledge_no_driver",
                "The knowledge is stable, but there is no latency or cost reason strong enough to fine-tune "
                "it in, so retrieval is the cheaper, auditable default.")
    # behave_differently or both: the fine-tuning family
    if p.labeled_examples is not None and p.labeled_examples < MIN_TRAINING_EXAMPLES:
        return (Label.RAG_PROTOTYPE, "no_training_data",
                "The system must behave differently, but there is no training set yet: prototype first and "
                "collect the examples a fine-tune needs.")
    if budget_short:
        return (Label.RAG_PROTOTYPE, "budget_below_training_run",
                "The behaviour calls for fine-tuning, but the upfront budget does not cover one training run: "
                "prototype first and fine-tune once it is funded by evidence.")
    dynamic = p.knowledge_change in VOLATILE_CHANGES or (need == "both" and p.knowledge_change is None)
    if p.auditability == "required":
        return (Label.HYBRID, "behaviour_with_attribution",
                "The behaviour needs fine-tuning, and answers must cite their sources, which needs a RAG layer.")
    if dynamic:
        return (Label.HYBRID, "behaviour_with_current_knowledge",
                "The behaviour needs fine-tuning, and the knowledge it uses changes too often to train in, "
                "so a RAG layer supplies it.")
    return (Label.FINE_TUNING, "behave_differently",
            "The system must behave differently (format, tone, classification or reasoning), which is what "
            "fine-tuning changes.")


def decide_label(p: Profile, table: CostTable) -> Label:
    """The label alone (what the question policy explores)."""
    return _decide(p, table)[0]


def _run_low(table: CostTable) -> float:
    return float(table.get("fine_tuning", "training_run_low_usd"))


# --- explanation ----------------------------------------------------------------------------------------

def _fmt(value: SlotValue) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value).replace("_", " ")


def _contributions(p: Profile, table: CostTable, costs: CostComparison) -> list[Contribution]:
    out: list[Contribution] = []

    def add(slot: str, favours: str, strength: float, reason: str) -> None:
        out.append(Contribution(SLOTS[slot].dimension, slot, getattr(p, slot), favours, strength, reason))

    if p.need == "know_more":
        add("need", "rag", 0.9, "The system needs to know more, not act differently: that is retrieval's job.")
    elif p.need == "behave_differently":
        add("need", "fine_tuning", 0.9, "The system needs to behave differently, which is what fine-tuning changes.")
    elif p.need == "both":
        add("need", "hybrid", 0.9, "The system must both behave differently and know more: a fine-tuned model "
            "for behaviour with a RAG layer for knowledge.")
    if p.knowledge_change is not None:
        v = p.knowledge_change
        if v in VOLATILE_CHANGES:
            add("knowledge_change", "rag", 0.9 if v != "monthly" else 0.75,
                f"The knowledge changes {v}, more than once a quarter: each change would mean a retraining "
                "run ($8k-$60k), while a vector store update is immediate.")
        else:
            add("knowledge_change", "fine_tuning", 0.4 if v == "quarterly" else 0.6,
                f"The knowledge changes {'only ' if v != 'static' else ''}{_fmt(v)}, not more than once a "
                "quarter: stable enough to train in if latency or cost call for it.")
    if p.output_type is not None:
        if p.output_type == "factual_answers":
            add("output_type", "rag", 0.6, "The output is factual answers, where retrieval with citations wins.")
        else:
            add("output_type", "fine_tuning", 0.6, f"The output is {_fmt(p.output_type)}, a behaviour "
                "(format, style, labels or reasoning) that fine-tuning teaches reliably.")
    if p.latency_budget_ms is not None:
        ms = p.latency_budget_ms
        if ms <= LATENCY_FT_MAX_MS:
            add("latency_budget_ms", "fine_tuning", 0.8, f"A {ms:,} ms end-to-end budget is within the 300 ms "
                "line where fine-tuned models, typically 30-60 % faster without retrieval, win.")
        else:
            add("latency_budget_ms", "rag", 0.3 if ms < 1000 else 0.5, f"A {ms:,} ms budget is above 300 ms: "
                "room for retrieval's extra steps (1-2 s is fine for chat, async and internal tools).")
    if p.auditability is not None:
        if p.auditability == "required":
            add("auditability", "rag", 1.0, "Answers must be traceable to sources: retrieval cites the passages "
                "it used, fine-tuned weights cannot.")
        elif p.auditability == "preferred":
            add("auditability", "rag", 0.3, "Citations are welcome but not mandatory: a small plus for retrieval.")
        else:
            add("auditability", "neutral", 0.0, "Answers need not cite sources, so auditability decides nothing.")
    if p.monthly_queries is not None:
        rag, ft = costs.options["rag"], costs.options["fine_tuning"]
        where = (f"At {p.monthly_queries:,} queries a month with {costs.context_tokens:,}-token contexts, "
                 f"12-month cost is ${ft.total_usd:,.0f} for fine-tuning vs ${rag.total_usd:,.0f} for RAG")
        long_prompts = costs.context_tokens >= LONG_CONTEXT_TOKENS
        if costs.break_even_month is not None and long_prompts:
            add("monthly_queries", "fine_tuning", 0.7,
                f"{where}: shorter prompts pay back the training by month {costs.break_even_month}.")
        elif costs.break_even_month is not None:
            add("monthly_queries", "neutral", 0.2,
                f"{where}; with retrieval prompts under 6,000 tokens the saving per query is too thin to justify a "
                "training pipeline.")
        else:
            add("monthly_queries", "rag", 0.5, f"{where}: training does not pay back within 12 months.")
    if p.context_tokens is not None and p.context_tokens >= 6000:
        add("context_tokens", "fine_tuning", 0.4, f"Retrieval prompts of {p.context_tokens:,} tokens are in the "
            "6k-12k range where a fine-tuned model's shorter prompts cut per-query cost by 40-70 %.")
    if p.labeled_examples is not None:
        n = p.labeled_examples
        if n >= LARGE_DATASET:
            add("labeled_examples", "fine_tuning", 0.8, f"{n:,} labeled examples reach the 100,000 mark of a "
                "genuine fine-tuning asset.")
        elif n >= MIN_TRAINING_EXAMPLES:
            add("labeled_examples", "fine_tuning", 0.3, f"{n:,} labeled examples are enough to start a "
                "fine-tune, though below the 100,000 of a large, stable training set.")
        else:
            add("labeled_examples", "rag_prototype", 0.8, f"{n:,} labeled examples are not a training set "
                f"(fewer than {MIN_TRAINING_EXAMPLES}): collect them from a prototype first.")
    if p.upfront_budget_usd is not None:
        b, low = p.upfront_budget_usd, _run_low(table)
        if b < low:
            add("upfront_budget_usd", "rag", 0.7, f"An upfront budget of ${b:,} is below one training run "
                f"(${low:,.0f}-${table.get('fine_tuning', 'training_run_high_usd'):,.0f}).")
        else:
            add("upfront_budget_usd", "neutral", 0.0, f"An upfront budget of ${b:,} covers at least one training "
                f"run (from ${low:,.0f}).")
    return out


def _assumptions(p: Profile, label: Label) -> list[Assumption]:
    assumed = {
        "need": "not yet known whether it must know more or behave differently",
        "knowledge_change": ("changes more than once a quarter (the safe default: retrieval absorbs change)"
                             if effective_need(p) != "behave_differently" else
                             "stable: the task is about behaviour, not changing knowledge"),
        "output_type": "follows from the need",
        "latency_budget_ms": "no hard real-time constraint (more than 300 ms end to end)",
        "auditability": "not required",
        "monthly_queries": "no volume-driven cost case for fine-tuning",
        "context_tokens": "about 2,000 tokens of retrieved context per query",
        "labeled_examples": "enough examples (100+) to fine-tune if needed",
        "upfront_budget_usd": "covers at least one training run ($8,000)",
    }
    return [Assumption(slot, assumed[slot]) for slot in p.unknown()]


# --- flips ----------------------------------------------------------------------------------------------

def _int_candidates(slot: str, current: int | None) -> list[int]:
    fixed = {
        "latency_budget_ms": [200, 300, 301, 1000, 2000],
        "labeled_examples": [0, 99, 100, 1_000, 99_999, 100_000],
        "upfront_budget_usd": [5_000, 7_999, 8_000, 50_000],
        "monthly_queries": [10**k for k in range(3, 10)] + [3 * 10**k for k in range(3, 9)],
        "context_tokens": [500, 2_000, 6_000, 8_000, 12_000, 20_000, 50_000],
    }[slot]
    return sorted(set(fixed) - {current} if current is not None else set(fixed))


def _threshold(p: Profile, slot: str, lo: int, hi: int, label: Label, table: CostTable) -> int | None:
    """Smallest round value in (lo, hi] that changes the label (cost effects are monotonic)."""
    if _decide(p.assume(**{slot: hi}), table)[0] == label:
        return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if _decide(p.assume(**{slot: mid}), table)[0] == label:
            lo = mid
        else:
            hi = mid
    digits = max(0, len(str(hi)) - 2)  # round up to two significant figures: still past the threshold
    return -(-hi // 10**digits) * 10**digits


def _describe_flip(slot: str, value: SlotValue, current: SlotValue) -> str:
    words = {
        "need": lambda v: f"the system needed to {_fmt(v)}" if v != "both" else "it needed to both behave differently and know more",
        "knowledge_change": lambda v: f"the knowledge changed {_fmt(v)}" if v != "static" else "the knowledge were static",
        "output_type": lambda v: f"the output were {_fmt(v)}",
        "latency_budget_ms": lambda v: f"the latency budget were {v:,} ms",
        "auditability": lambda v: f"auditability were {_fmt(v)}",
        "monthly_queries": lambda v: f"volume were {v:,} queries a month",
        "context_tokens": lambda v: f"retrieval prompts carried {v:,} tokens",
        "labeled_examples": lambda v: f"you had {v:,} labeled examples",
        "upfront_budget_usd": lambda v: f"the upfront budget were ${v:,}",
    }
    return "if " + words[slot](value)


# Where an unknown slot is measured from when choosing the "smallest" change: a typical value.
_REFERENCE: dict[str, SlotValue] = {
    "knowledge_change": "quarterly", "latency_budget_ms": 2000, "monthly_queries": 10_000,
    "context_tokens": 2_000, "labeled_examples": 10_000, "upfront_budget_usd": 50_000,
}


def _closeness(slot: str, value: SlotValue, current: SlotValue) -> float:
    current = current if current is not None else _REFERENCE.get(slot)
    if current is None:
        return 0.0
    if isinstance(value, int) and isinstance(current, int):
        return abs(math.log10(value + 1) - math.log10(current + 1))
    if slot == "knowledge_change":
        return abs(CHANGE_ORDER.index(str(value)) - CHANGE_ORDER.index(str(current)))
    return 1.0


def find_flips(p: Profile, label: Label, table: CostTable) -> list[Flip]:
    """For each slot and each other label it can reach, the closest single value that reaches it."""
    flips: list[Flip] = []
    for slot, spec in SLOTS.items():
        current = getattr(p, slot)
        if spec.is_enum:
            candidates: list[SlotValue] = [v for v in spec.values if v != current]
        else:
            candidates = list(_int_candidates(slot, current))
            if slot in ("monthly_queries", "context_tokens"):
                start = current if current is not None else 0
                t = _threshold(p, slot, start, 10**10 if slot == "monthly_queries" else 200_000, label, table)
                if t is not None:
                    candidates.append(t)
        best: dict[Label, tuple[float, SlotValue]] = {}
        for value in candidates:
            new_label = _decide(p.assume(**{slot: value}), table)[0]
            if new_label == label:
                continue
            distance = _closeness(slot, value, current)
            if new_label not in best or distance < best[new_label][0]:
                best[new_label] = (distance, value)
        for new_label, (_, value) in sorted(best.items(), key=lambda kv: kv[0].value):
            flips.append(Flip(slot, value, new_label,
                              f"{_describe_flip(slot, value, current)}, this would be {new_label.value}"))
    return flips


def _confidence(p: Profile, label: Label, rule: str, flips: list[Flip]) -> float:
    base = {
        "need_unknown": 0.5, "auditability_required": 0.9, "volatile_knowledge": 0.85,
        "budget_below_training_run": 0.7, "stable_knowledge_latency": 0.75, "stable_knowledge_cost": 0.7,
        "stable_knowledge_no_driver": 0.65, "no_training_data": 0.7, "behaviour_with_attribution": 0.8,
        "behaviour_with_current_knowledge": 0.8, "behave_differently": 0.8,
    }[rule]
    if rule == "volatile_knowledge" and p.knowledge_change is None:
        base = 0.6
    open_slots = {f.slot for f in flips if getattr(p, f.slot) is None}
    score = base - 0.05 * min(len(open_slots), 5)
    ft_family = label in (Label.FINE_TUNING, Label.HYBRID)
    if p.labeled_examples is not None and p.labeled_examples >= LARGE_DATASET and ft_family:
        score += 0.05
    if p.need is not None and p.output_type is not None:
        agrees = (p.output_type == "factual_answers") == (p.need == "know_more")
        score += 0.05 if agrees else -0.05
    return round(min(0.95, max(0.3, score)), 2)


def recommend(profile: Profile, table: CostTable | None = None) -> Recommendation:
    """The recommendation for a profile: label, confidence, reasons per dimension, assumptions, flips."""
    table = table or default_cost_table()
    label, rule, summary = _decide(profile, table)
    costs = compare_costs(profile, table)
    flips = find_flips(profile, label, table)
    return Recommendation(
        label=label,
        confidence=_confidence(profile, label, rule, flips),
        rule=rule,
        summary=summary,
        contributions=_contributions(profile, table, costs),
        assumptions=_assumptions(profile, label),
        flips=flips,
        costs=costs,
        plan=list(PROTOTYPE_PLAN) if label == Label.RAG_PROTOTYPE else [],
    )
