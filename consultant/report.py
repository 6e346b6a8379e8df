"""Plain-text and Markdown renderings of a recommendation, shared by the CLI, the agent and the UI."""

from __future__ import annotations

from consultant.scoring import Recommendation

LABEL_TITLES = {
    "rag": "RAG (retrieval-augmented generation)",
    "fine_tuning": "Fine-tuning",
    "hybrid": "Hybrid: a fine-tuned model with a RAG layer",
    "rag_prototype": "Start with a RAG prototype",
}
OPTION_TITLES = {"rag": "RAG", "fine_tuning": "Fine-tuning", "hybrid": "Hybrid"}


def money(value: float) -> str:
    return f"${value:,.0f}"


def cost_lines(rec: Recommendation) -> list[str]:
    costs = rec.costs
    lines = [f"12-month cost of ownership at {costs.monthly_queries:,} queries/month, "
             f"{costs.context_tokens:,}-token retrieval context:"]
    for name, option in costs.options.items():
        lines.append(f"  {OPTION_TITLES[name]:<12} {money(option.total_usd):>12}   "
                     f"(${option.per_query_usd * 1000:,.2f} per 1k queries, {option.training_runs:g} training runs)")
    if costs.break_even_month is not None:
        lines.append(f"  Fine-tuning breaks even with RAG in month {costs.break_even_month}.")
    else:
        lines.append("  Fine-tuning does not break even with RAG within 12 months.")
    lines += [f"  (assumed: {a})" for a in costs.assumptions]
    return lines


def render_text(rec: Recommendation) -> str:
    """The recommendation as terminal text."""
    lines = [f"Recommendation: {rec.label.value}  ({LABEL_TITLES[rec.label.value]})",
             f"Confidence: {rec.confidence:.0%}", "", rec.summary, "", "Reasons by dimension:"]
    lines += [f"  [{c.dimension}] favours {c.favours} ({c.strength:.1f}): {c.reason}" for c in rec.contributions]
    if rec.assumptions:
        lines += ["", "Assumed for unknown slots:"] + [f"  {a.slot}: {a.assumed}" for a in rec.assumptions]
    if rec.flips:
        lines += ["", "What would change it:"] + [f"  {f.description}" for f in rec.flips]
    if rec.plan:
        lines += ["", "Staged plan:"] + [f"  {step}" for step in rec.plan]
    lines += [""] + cost_lines(rec)
    return "\n".join(lines)
