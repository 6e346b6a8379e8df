"""The framework's decision rules: which label a profile gets, and by which rule (pure, deterministic)."""

from __future__ import annotations

from enum import StrEnum

from consultant.costs import CostTable, compare_costs
from consultant.profile import VOLATILE_CHANGES, Profile

LATENCY_FT_MAX_MS = 300  # the framework's "sub-300ms": a budget of 300 ms or less favours fine-tuning
LARGE_DATASET = 100_000  # 100k+ stable, high-quality labeled examples: a genuine fine-tuning asset
LONG_CONTEXT_TOKENS = 6_000  # the framework's heavy retrieval prompts: 6,000-12,000 tokens
MIN_TRAINING_EXAMPLES = 100  # below this there is no training set to speak of: prototype first
FT_PROMPT_SAVING = (0.40, 0.70)  # the framework: a fine-tuned model's shorter prompts cost 40-70 % less per query
BEHAVIOUR_OUTPUTS = frozenset({"structured_output", "style_or_tone", "classification", "reasoning_pattern"})


class Label(StrEnum):
    RAG = "rag"
    FINE_TUNING = "fine_tuning"
    HYBRID = "hybrid"
    RAG_PROTOTYPE = "rag_prototype"


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
        _COST_DRIVER_MEMO[key] = compare_costs(p, table, need="know_more").break_even_month is not None
    return _COST_DRIVER_MEMO[key]


def _decide(p: Profile, table: CostTable) -> tuple[Label, str, str]:
    """(label, rule id, one-sentence summary) for a profile."""
    need = effective_need(p)
    budget_short = p.upfront_budget_usd is not None and p.upfront_budget_usd < run_low(table)
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


def run_low(table: CostTable) -> float:
    return float(table.get("fine_tuning", "training_run_low_usd"))
