"""recommend(profile) -> Recommendation: the framework's rules, deterministic and explainable.

Pure: no I/O, no LLM, no clock. The only input besides the profile is the cost table, loaded once per
process (its template token counts come from tiktoken) or passed in explicitly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from consultant.costs import CostComparison, CostTable, compare_costs, default_cost_table
from consultant.explain import Assumption, Contribution, assumptions, contributions, fmt
from consultant.profile import CHANGE_ORDER, SLOTS, Profile, SlotValue
from consultant.rules import (
    BEHAVIOUR_OUTPUTS,
    LARGE_DATASET,
    LATENCY_FT_MAX_MS,
    LONG_CONTEXT_TOKENS,
    MIN_TRAINING_EXAMPLES,
    Label,
    _decide,
    decide_label,
    effective_need,
)

__all__ = ["BEHAVIOUR_OUTPUTS", "LARGE_DATASET", "LATENCY_FT_MAX_MS", "LONG_CONTEXT_TOKENS", "MIN_TRAINING_EXAMPLES",
           "Assumption", "Contribution", "Flip", "Label", "Recommendation", "decide_label", "effective_need",
           "find_flips", "recommend"]


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
        "baseline": costs.baseline,
        "shown": costs.shown,
        "assumptions": costs.assumptions,
        "prices": costs.prices,
        "options": {
            name: {"per_query_usd": round(o.per_query_usd, 6), "twelve_month_usd": o.total_usd,
                   "training_runs": o.training_runs, "cumulative_usd": o.cumulative_usd, "viable": o.viable,
                   "note": o.note}
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
        "need": lambda v: f"the system needed to {fmt(v)}" if v != "both" else "it needed to both behave differently and know more",
        "knowledge_change": lambda v: f"the knowledge changed {fmt(v)}" if v != "static" else "the knowledge were static",
        "output_type": lambda v: f"the output were {fmt(v)}",
        "latency_budget_ms": lambda v: f"the latency budget were {v:,} ms",
        "auditability": lambda v: f"auditability were {fmt(v)}",
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


_MEMO: dict[tuple[str, tuple[SlotValue, ...]], Recommendation] = {}


def recommend(profile: Profile, table: CostTable | None = None) -> Recommendation:
    """The recommendation for a profile: label, confidence, reasons per dimension, assumptions, flips.

    Depends on the slot values alone (never on provenance), so results are memoised per values and cost table.
    """
    table = table or default_cost_table()
    key = (table.fingerprint, tuple(profile.values().values()))
    cached = _MEMO.get(key)
    if cached is not None:
        return cached
    label, rule, summary = _decide(profile, table)
    costs = compare_costs(profile, table, need=effective_need(profile))
    flips = find_flips(profile, label, table)
    rec = Recommendation(
        label=label,
        confidence=_confidence(profile, label, rule, flips),
        rule=rule,
        summary=summary,
        contributions=contributions(profile, table, costs),
        assumptions=assumptions(profile, label),
        flips=flips,
        costs=costs,
        plan=list(PROTOTYPE_PLAN) if label == Label.RAG_PROTOTYPE else [],
    )
    if len(_MEMO) > 4096:
        _MEMO.clear()
    _MEMO[key] = rec
    return rec
