"""Explanations of a recommendation: what each known slot favours and why, what was assumed for the rest."""

from __future__ import annotations

from dataclasses import dataclass

from consultant.costs import CostComparison, CostTable
from consultant.profile import SLOTS, VOLATILE_CHANGES, Profile, SlotValue
from consultant.rules import (
    FT_PROMPT_SAVING,
    LARGE_DATASET,
    LATENCY_FT_MAX_MS,
    LONG_CONTEXT_TOKENS,
    MIN_TRAINING_EXAMPLES,
    Label,
    effective_need,
    run_low,
)
from consultant.words import show_value


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


Reason = tuple[str, float, str]  # (favours, strength, reason)


def _need(p: Profile, table: CostTable, costs: CostComparison) -> Reason | None:
    return {
        "know_more": ("rag", 0.9, "The system needs to know more, not act differently: that is retrieval's job."),
        "behave_differently": ("fine_tuning", 0.9, "The system needs to behave differently, which is what "
                                                   "fine-tuning changes."),
        "both": ("hybrid", 0.9, "The system must both behave differently and know more: a fine-tuned model for "
                                "behaviour with a RAG layer for knowledge."),
    }.get(str(p.need))


def _run_range(table: CostTable) -> str:
    return f"${run_low(table) / 1000:,.0f}k-${float(table.get('fine_tuning', 'training_run_high_usd')) / 1000:,.0f}k"


def _knowledge_change(p: Profile, table: CostTable, costs: CostComparison) -> Reason:
    v = str(p.knowledge_change)
    if v in VOLATILE_CHANGES:
        return ("rag", 0.9 if v != "monthly" else 0.75,
                f"The knowledge changes {v}, more than once a quarter: each change would mean a retraining run "
                f"({_run_range(table)}), while a vector store update is immediate.")
    return ("fine_tuning", 0.4 if v == "quarterly" else 0.6,
            f"The knowledge changes {'only ' if v != 'static' else ''}{fmt(v)}, not more than once a quarter: stable "
            "enough to train in if latency or cost call for it.")


def _output_type(p: Profile, table: CostTable, costs: CostComparison) -> Reason:
    if p.output_type == "factual_answers":
        return ("rag", 0.6, "The output is factual answers, where retrieval with citations wins.")
    return ("fine_tuning", 0.6, f"The output is {fmt(p.output_type)}, a behaviour (format, style, labels or "
                                "reasoning) that fine-tuning teaches reliably.")


def _latency(p: Profile, table: CostTable, costs: CostComparison) -> Reason:
    ms = int(p.latency_budget_ms or 0)
    if ms <= LATENCY_FT_MAX_MS:
        return ("fine_tuning", 0.8, f"A {show_value('latency_budget_ms', ms)} end-to-end budget is within the {LATENCY_FT_MAX_MS} ms line where "
                                    "fine-tuned models, typically 30-60 % faster without retrieval, win.")
    return ("rag", 0.3 if ms < 1000 else 0.5, f"A {show_value('latency_budget_ms', ms)} budget is above {LATENCY_FT_MAX_MS} ms: room for "
                                               "retrieval's extra steps (1-2 s is fine for chat, async and internal tools).")


def _auditability(p: Profile, table: CostTable, costs: CostComparison) -> Reason:
    return {
        "required": ("rag", 1.0, "Answers must be traceable to sources: retrieval cites the passages it used, "
                                 "fine-tuned weights cannot."),
        "preferred": ("rag", 0.3, "Citations are welcome but not mandatory: a small plus for retrieval."),
    }.get(str(p.auditability), ("neutral", 0.0, "Answers need not cite sources, so auditability decides nothing."))


def _volume(p: Profile, table: CostTable, costs: CostComparison) -> Reason:
    base, ft = costs.options[costs.baseline], costs.options["fine_tuning"]
    base_name = "prompting a base model" if costs.baseline == "prompting" else "RAG"
    if not ft.viable:
        return ("rag", 0.5, f"At {p.monthly_queries:,} queries a month, fine-tuning is {ft.note}.")
    where = (f"At {p.monthly_queries:,} queries a month with {costs.context_tokens:,}-token contexts, 12-month cost is "
             f"${ft.total_usd:,.0f} for fine-tuning vs ${base.total_usd:,.0f} for {base_name}")
    if costs.break_even_month is not None and costs.context_tokens >= LONG_CONTEXT_TOKENS:
        return ("fine_tuning", 0.7, f"{where}: shorter prompts pay back the training by month {costs.break_even_month}.")
    if costs.break_even_month is not None:
        return ("neutral", 0.2, f"{where}; with retrieval prompts under {LONG_CONTEXT_TOKENS:,} tokens the saving per "
                                "query is too thin to justify a training pipeline.")
    return ("neutral" if costs.baseline == "prompting" else "rag", 0.5 if costs.baseline == "rag" else 0.0,
            f"{where}: training does not pay for itself in cost within 12 months.")


def _context(p: Profile, table: CostTable, costs: CostComparison) -> Reason | None:
    if (p.context_tokens or 0) < LONG_CONTEXT_TOKENS:
        return None
    return ("fine_tuning", 0.4, f"Retrieval prompts of {p.context_tokens:,} tokens are in the heavy range (from "
                                f"{LONG_CONTEXT_TOKENS:,}) where a fine-tuned model's shorter prompts cut per-query cost by "
                                f"{FT_PROMPT_SAVING[0]:.0%}-{FT_PROMPT_SAVING[1]:.0%}.")


def _examples(p: Profile, table: CostTable, costs: CostComparison) -> Reason:
    n = int(p.labeled_examples or 0)
    if n >= LARGE_DATASET:
        return ("fine_tuning", 0.8, f"{n:,} labeled examples reach the {LARGE_DATASET:,} mark of a genuine fine-tuning asset.")
    if n >= MIN_TRAINING_EXAMPLES:
        return ("fine_tuning", 0.3, f"{n:,} labeled examples are enough to start a fine-tune, though below the "
                                    f"{LARGE_DATASET:,} of a large, stable training set.")
    return ("rag_prototype", 0.8, f"{n:,} labeled examples are not a training set (fewer than {MIN_TRAINING_EXAMPLES}): "
                                  "collect them from a prototype first.")


def _budget(p: Profile, table: CostTable, costs: CostComparison) -> Reason:
    b, low = int(p.upfront_budget_usd or 0), run_low(table)
    if b < low:
        return ("rag", 0.7, f"An upfront budget of ${b:,} is below one training run ({_run_range(table)}).")
    return ("neutral", 0.0, f"An upfront budget of ${b:,} covers at least one training run (from ${low:,.0f}).")


REASONS = {"need": _need, "knowledge_change": _knowledge_change, "output_type": _output_type,
           "latency_budget_ms": _latency, "auditability": _auditability, "monthly_queries": _volume,
           "context_tokens": _context, "labeled_examples": _examples, "upfront_budget_usd": _budget}


def contributions(p: Profile, table: CostTable, costs: CostComparison) -> list[Contribution]:
    """What each known slot favours, how strongly and why (one function per slot, in slot order)."""
    out: list[Contribution] = []
    for slot, reason in REASONS.items():
        value = getattr(p, slot)
        if value is None:
            continue
        said = reason(p, table, costs)
        if said is not None:
            out.append(Contribution(SLOTS[slot].dimension, slot, value, *said))
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
