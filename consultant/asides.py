"""Side questions about the decision itself, answered from the user's own figures: what an option would cost,
why not another option, what would change the recommendation. Mid-interview they are answered from the live
draft (what is known so far), and say so."""

from __future__ import annotations

import re
from typing import Any

from consultant import gate, words
from consultant.brief import build_brief
from consultant.brief.model import citation_map, cited
from consultant.brief.render import cost_sentence
from consultant.costs import CostTable
from consultant.kb.store import KnowledgeStore, Passage
from consultant.profile import Profile
from consultant.rules import FT_PROMPT_SAVING, run_low
from consultant.scoring import recommend

OPTION_WORDS = (("fine_tuning", r"fine[- ]?tun\w*|train\w*|lora"), ("hybrid", r"hybrid|both"),
                ("rag_prototype", r"prototype"), ("rag", r"\brag\b|retriev\w*"))
WHY_NOT = re.compile(r"\bwhy (?:not|wouldn't|shouldn't|don't|no)\b|\bwhat about\b|\bwhy (?:isn't|is it not)")
WHAT_CHANGES = re.compile(r"what would (?:change|flip|make you change)|what could change|change your (?:mind|recommendation)")
STRATEGY = (("later", r"\blater\b|down the (?:road|line)|\bstart with rag and\b"),
            ("both", r"\bboth\b|\bcombine|\bhybrid"),
            ("enough", r"\benough\b|\bsuffice|end up needing"),
            ("prototype", r"\bprototype|\bpilot\b"))
TOKEN_BILL = re.compile(r"token bill|cut (?:our |the )?(?:cost|bill|spend)|cheaper|save (?:money|cost)|per-?query cost")


def _option(question: str) -> str | None:
    return next((o for o, rx in OPTION_WORDS if re.search(rx, question)), None)


def _draft(profile: Profile, state: dict[str, Any], table: CostTable) -> Any:
    profile = gate.with_proposals(profile, list(state.get("proposals") or []), list(state.get("declined") or []))
    return build_brief(profile, recommend(profile, table))


def _so_far(state: dict[str, Any]) -> str:
    return "" if state.get("recommended") else " (from what you've told me so far)"


def about_the_decision(kind: str, question: str, profile: Profile, state: dict[str, Any], table: CostTable,
                       passages: list[Passage], store: KnowledgeStore | None = None) -> str | None:
    """The answer, or None to let the knowledge base answer (e.g. "why is retraining expensive?")."""
    q = question.lower()
    brief = _draft(profile, state, table)
    option = _option(q)
    if kind == "cost":
        return _cost(q, option, brief, state, table)
    if kind == "time":
        return None  # how long things take is in the knowledge base (cost-of-ownership: time to build)
    if WHAT_CHANGES.search(q):
        changes = "; ".join(c.rstrip(".") for c in brief.changes[:4]) or "nothing a single answer could change"
        still = f" Still open, and able to change it: {' '.join(brief.open_questions)}" if brief.open_questions else ""
        return f"Right now it points to **{brief.headline}**{_so_far(state)}. It would change: {changes}.{still}"
    chosen = next(o for o in brief.options if o.chosen)
    topic = next((name for name, rx in STRATEGY if re.search(rx, q)), None)
    if topic is not None and not WHY_NOT.search(q):
        # "can we fine-tune later?", "is RAG enough?", "could we just do both?": the section that answers it
        found = cited(store, citation_map().get("answers", {}).get(topic))
        if found is not None:
            return f"{found.excerpt} Right now it points to **{brief.headline}**{_so_far(state)}."
    if option is not None and option != brief.label and WHY_NOT.search(q):
        why = next(o.why for o in brief.options if o.option == option)
        return (f"Not {words.LABELS_INLINE[option]}, because {why[:1].lower()}{why[1:]} Right now it points to "
                f"**{brief.headline}**{_so_far(state)}: {chosen.why}")
    if option == brief.label:
        reason = f" {brief.reasons[0].text}" if brief.reasons else ""
        return f"**{brief.headline}**{_so_far(state)}: {chosen.why}{reason}"
    return None


def _cost(q: str, option: str | None, brief: Any, state: dict[str, Any], table: CostTable) -> str | None:
    costs = brief.costs
    high = float(table.get("fine_tuning", "training_run_high_usd"))
    runs = f"One training run costs {words.money(run_low(table))} to {words.money(high)}"
    if "why" in q and option in ("fine_tuning", None) and re.search(r"retrain|train", q):
        return None  # why a run costs that much: the knowledge base explains it
    if TOKEN_BILL.search(q):
        low, top = FT_PROMPT_SAVING
        rows = {r.option: r for r in costs.rows}
        here = ", ".join(f"{r.title} {words.money(r.per_thousand, cents=True)}" for r in rows.values())
        return (f"It can: a fine-tuned model needs no retrieved passages in its prompt, so prompts are shorter and "
                f"cost {low:.0%}-{top:.0%} less per query when retrieval prompts are long. Per 1,000 queries here"
                f"{_so_far(state)}: {here}. {costs.verdict}")
    if option == "rag" or re.search(r"per (?:query|request|call)", q):
        rag = next((r for r in costs.rows if r.option == "rag"), None)
        if rag is not None:
            return (f"RAG costs about {words.money(rag.per_thousand, cents=True)} per 1,000 queries here "
                    f"({words.money(rag.per_thousand / 1000, cents=True)} each): {costs.basis} Over 12 months "
                    f"{words.money(rag.twelve_months)}, including the vector store and pipeline upkeep.")
    lead = f"{runs} (compute, data preparation, evaluation and engineering time). " if option in (
        "fine_tuning", "hybrid", None) else ""
    return f"{lead}Over 12 months{_so_far(state)}: {cost_sentence(brief)} {costs.verdict} {costs.basis}"
