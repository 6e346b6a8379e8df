"""Explanations of a recommendation: what each known slot favours and why, what was assumed for the rest."""

from __future__ import annotations

from dataclasses import dataclass

from consultant.costs import CostComparison, CostTable
from consultant.profile import SLOTS, VOLATILE_CHANGES, Profile, SlotValue
from consultant.rules import (
    LARGE_DATASET,
    LATENCY_FT_MAX_MS,
    LONG_CONTEXT_TOKENS,
    MIN_TRAINING_EXAMPLES,
    Label,
    effective_need,
    run_low,
)


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


def fmt(value: SlotValue) -> str:
    """A slot value as words: 1,000 or "fine tuning"."""
    return f"{value:,}" if isinstance(value, int) else str(value).replace("_", " ")


def contributions(p: Profile, table: CostTable, costs: CostComparison) -> list[Contribution]:
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
                f"The knowledge changes {'only ' if v != 'static' else ''}{fmt(v)}, not more than once a "
                "quarter: stable enough to train in if latency or cost call for it.")
    if p.output_type is not None:
        if p.output_type == "factual_answers":
            add("output_type", "rag", 0.6, "The output is factual answers, where retrieval with citations wins.")
        else:
            add("output_type", "fine_tuning", 0.6, f"The output is {fmt(p.output_type)}, a behaviour "
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
        b, low = p.upfront_budget_usd, run_low(table)
        if b < low:
            add("upfront_budget_usd", "rag", 0.7, f"An upfront budget of ${b:,} is below one training run "
                f"(${low:,.0f}-${table.get('fine_tuning', 'training_run_high_usd'):,.0f}).")
        else:
            add("upfront_budget_usd", "neutral", 0.0, f"An upfront budget of ${b:,} covers at least one training "
                f"run (from ${low:,.0f}).")
    return out


def assumptions(p: Profile, label: Label) -> list[Assumption]:
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
