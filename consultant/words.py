"""How values read to a person: labels, options, slot values, money and thresholds (one home for each).

Every renderer (chat, UI, ADR, PDF, terminal) and every reply takes its words from here, so "fine_tuning"
never reaches a reader and a threshold is phrased the way people say it ("about 100 labeled examples").
"""

from __future__ import annotations

from consultant.profile import SlotValue

LABELS = {
    "rag": "RAG",
    "fine_tuning": "Fine-tuning",
    "hybrid": "Hybrid: a fine-tuned model with retrieval",
    "rag_prototype": "Start with a RAG prototype",
}
# the label inside a sentence ("this would be fine-tuning")
LABELS_INLINE = {"rag": "RAG", "fine_tuning": "fine-tuning", "hybrid": "a hybrid (fine-tuned model with retrieval)",
                 "rag_prototype": "a RAG prototype first"}
OPTIONS = {"rag": "RAG", "fine_tuning": "Fine-tuning", "hybrid": "Hybrid", "prompting": "Prompting (few-shot)"}
FAVOURS = {"rag": "points to RAG", "fine_tuning": "points to fine-tuning", "hybrid": "points to a hybrid",
           "rag_prototype": "points to a prototype first", "neutral": "decides nothing"}
VALUES = {
    "know_more": "know more", "behave_differently": "behave differently", "both": "both",
    "daily": "daily", "weekly": "weekly", "monthly": "monthly", "quarterly": "quarterly", "yearly": "yearly",
    "static": "hardly ever (static)", "factual_answers": "factual answers", "structured_output":
    "structured output (JSON, forms)", "style_or_tone": "text in a particular style or tone",
    "classification": "a classification", "reasoning_pattern": "a reasoning pattern",
    "required": "required", "preferred": "nice to have", "not_needed": "not needed",
}


def money(value: float, cents: bool = False) -> str:
    """$1,234 (or $1.34 when cents matter: per-query and per-1,000-query prices)."""
    return f"${value:,.2f}" if cents else f"${value:,.0f}"


def _rounded(value: float, thousands_from: float) -> str:
    """1.2M, 170k, 950: millions with one decimal, thousands from `thousands_from` up, else the whole number."""
    if value >= 1_000_000:
        return f"{value / 1_000_000:,.1f}M".replace(".0M", "M")
    if value >= thousands_from:
        return f"{value / 1_000:,.0f}k"
    return f"{value:,.0f}"


def short_money(value: float) -> str:
    """$8k, $1.2M: an amount as people say it."""
    return "$" + _rounded(value, thousands_from=1_000)


def count(value: float) -> str:
    """6M, 170k, 9,500: a count as people say it (exact below 10,000)."""
    return _rounded(value, thousands_from=10_000)


def show_value(slot: str, value: SlotValue) -> str:
    """A slot value as a person reads it."""
    if value is None:
        return "not known yet"
    if slot == "latency_budget_ms":
        v = int(value)
        return f"{v / 1000:g} s" if v >= 1000 else f"{v} ms"
    if slot == "monthly_queries":
        return f"{int(value):,} queries a month"
    if slot == "context_tokens":
        return f"{int(value):,} tokens"
    if slot == "labeled_examples":
        return f"{int(value):,} examples"
    if slot == "upfront_budget_usd":
        return money(int(value))
    return VALUES.get(str(value), str(value).replace("_", " "))


def about(value: int) -> str:
    """A threshold rounded the way people say it: 99 -> "about 100", 7,999 -> "about 8,000"."""
    if value < 10:
        return str(value)
    digits = len(str(value)) - 1
    step = 10 ** max(digits - 1, 0)
    rounded = round(value / step) * step
    return f"about {rounded:,}"


def _above(new: int, old: int | None) -> bool:
    return old is not None and new > old


def change_phrase(slot: str, value: SlotValue, current: SlotValue) -> str:
    """One single-slot change as a condition in human terms ("with fewer than about 100 labeled examples")."""
    if slot in ("need", "knowledge_change", "output_type", "auditability"):
        return {
            "need": lambda v: ("if it needed both to behave differently and to know more" if v == "both" else
                               f"if it needed to {VALUES[str(v)]}"),
            "knowledge_change": lambda v: ("if the knowledge hardly ever changed" if v == "static" else
                                           f"if the knowledge changed {v}"),
            "output_type": lambda v: f"if the output were {VALUES[str(v)]}",
            "auditability": lambda v: ("if answers had to cite their sources" if v == "required" else
                                       "if citations were only nice to have" if v == "preferred" else
                                       "if answers did not need to cite sources"),
        }[slot](value)
    v = int(value or 0)
    old = int(current) if isinstance(current, int) else None
    up = _above(v, old) if old is not None else None
    if slot == "latency_budget_ms":
        return (f"if answers had to come within {show_value(slot, v)}" if up is False or (up is None and v <= 300)
                else f"if answers could take {show_value(slot, v)} or more")
    if slot == "labeled_examples":
        if v == 0:
            return "if there were no labeled examples"
        return (f"with fewer than {about(v + 1)} labeled examples" if up is False or (up is None and v % 10 == 9)
                else f"with {about(v)} or more labeled examples")
    if slot == "upfront_budget_usd":
        return (f"with a budget under {about(v + 1).replace('about ', 'about $')}" if up is False or
                (up is None and v % 10 == 9) else f"with a budget of {about(v).replace('about ', 'about $')} or more")
    if slot == "monthly_queries":
        return f"at about {count(v)} queries a month"
    if slot == "context_tokens":
        return f"if retrieval put about {count(v)} tokens into each prompt"
    return f"if {slot} were {v}"
