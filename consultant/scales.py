"""What counts as a lot: the figures that matter for each slot, taken from the rules and the cost model."""

from __future__ import annotations

from consultant.costs import CostTable, default_cost_table
from consultant.profile import Profile
from consultant.rules import (
    LARGE_DATASET,
    LATENCY_FT_MAX_MS,
    LONG_CONTEXT_TOKENS,
    MIN_TRAINING_EXAMPLES,
    Label,
    decide_label,
    run_low,
)

PROMPT_SIZES = (6_000, 8_000, 12_000)


def _rounded(n: int) -> str:
    """A threshold the way people say it: "about 590,000"."""
    digits = max(0, len(str(n)) - 2)
    return f"{round(n / 10**digits) * 10**digits:,}"


_PAYBACK: dict[tuple[str, int, str], int | None] = {}


def payback_volume(table: CostTable, context_tokens: int, knowledge_change: str = "yearly") -> int | None:
    """The monthly volume from which stable knowledge is cheaper fine-tuned, for a prompt size and change rate."""
    key = (table.fingerprint, context_tokens, knowledge_change)
    if key not in _PAYBACK:
        _PAYBACK[key] = _search_payback(table, context_tokens, knowledge_change)
    return _PAYBACK[key]


def _search_payback(table: CostTable, context_tokens: int, knowledge_change: str) -> int | None:
    base = Profile(need="know_more", knowledge_change=knowledge_change, context_tokens=context_tokens)  # type: ignore[arg-type]
    lo, hi = 1, 10**10
    if decide_label(base.assume(monthly_queries=hi), table) != Label.FINE_TUNING:
        return None
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if decide_label(base.assume(monthly_queries=mid), table) == Label.FINE_TUNING:
            hi = mid
        else:
            lo = mid
    return hi


def scale_answer(slot: str, table: CostTable | None = None) -> str:
    table = table or default_cost_table()
    if slot == "monthly_queries":
        points = [(n, payback_volume(table, n)) for n in PROMPT_SIZES]
        listed = ", ".join(f"about {_rounded(v)} a month at {n:,}-token prompts" for n, v in points if v)
        return ("Volume only matters for cost, and only when retrieval prompts are long. With knowledge that changes "
                f"at most once a year, fine-tuning pays back its training within 12 months from {listed}; below that "
                "RAG stays cheaper. Knowledge that changes more often needs far more volume, because every change "
                "means another training run.")
    if slot == "labeled_examples":
        return (f"Fewer than {MIN_TRAINING_EXAMPLES} good examples is not a training set yet: prototype first and "
                f"collect them. A few hundred to a few thousand can teach a format or a tone. {LARGE_DATASET:,} or "
                "more stable, high-quality examples are a genuine fine-tuning asset.")
    if slot == "latency_budget_ms":
        return (f"The line is about {LATENCY_FT_MAX_MS} ms end to end: at or below it, retrieval's extra steps "
                "(embedding the question, searching, a longer prompt) don't fit and a fine-tuned model wins; 1-2 "
                "seconds is comfortable for chat, internal tools and async work.")
    if slot == "context_tokens":
        return (f"A few retrieved passages are about 1,500-2,500 tokens per prompt. From about {LONG_CONTEXT_TOKENS:,} "
                "tokens (heavy retrieval over long documents) the prompt itself becomes a real cost at volume.")
    if slot == "upfront_budget_usd":
        low = run_low(table)
        high = float(table.get("fine_tuning", "training_run_high_usd"))
        return (f"One fine-tuning cycle including engineering costs roughly ${low:,.0f}-${high:,.0f}; a budget below "
                f"about ${low / 1000:,.0f}k rules fine-tuning out for now, while a RAG prototype can start for less.")
    if slot == "knowledge_change":
        return ("The line is once a quarter: knowledge that changes more often than that (monthly, weekly, daily) "
                "would mean a retraining run each time, so retrieval wins; quarterly or slower is stable enough to "
                "train in when latency or cost call for it.")
    return "That one has no single threshold: it works together with the other answers."
