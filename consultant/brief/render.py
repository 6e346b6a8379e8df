"""Renderers of the brief, one per medium: chat Markdown, the update after it, the ADR, terminal text, a PDF.

They lay out what `Brief` says and add no facts: every figure, threshold and sentence of substance comes from
the model (and through it from the rules, the cost table and the knowledge base).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from consultant import words
from consultant.brief.model import Brief, Evidence, _clip
from consultant.safety import sanitize_markdown

UNTITLED = "AI feature"  # a document needs a title even when the feature was never described
MAX_CHAT_REASONS = 4  # the chat says the strongest reasons; the brief panel and the ADR carry all of them
MAX_CHAT_CHANGES = 3

LEADS = {
    "early": "You asked for it now, so some of this rests on assumptions (listed below).",
    "open": "That's as far as we can get with what's known today; the brief says what would change it.",
    "settled": "That's enough to decide: nothing else you could tell me would change the recommendation.",
}
CHAT_FOOTER = "_The full brief (costs, options, plan, exports) is beside the chat. Ask about any of it, or correct me._"


def _source_numbers(brief: Brief) -> dict[str, int]:
    return {s.chunk_id: i for i, s in enumerate(brief.sources, 1)}


def _cite(evidence: Evidence | None, numbers: dict[str, int]) -> str:
    return f" [{numbers[evidence.chunk_id]}]" if evidence is not None and evidence.chunk_id in numbers else ""


def source_line(evidence: Evidence) -> str:
    return f"{evidence.document} › {evidence.title}"


def citations(brief: Brief) -> list[dict[str, Any]]:
    """The brief's sources as the citations of a reply (numbered like its [n] markers)."""
    return [{"source": s.source, "heading": f"{s.document} > {s.title}", "chunk_id": s.chunk_id, "score": 1.0,
             "text": s.text, "stance": s.stance, "title": s.title, "document": s.document} for s in brief.sources]


# --- chat ---------------------------------------------------------------------------------------------------
def chat(brief: Brief, lead: str) -> str:
    """The first recommendation in the chat: the decision, the strongest reasons with the user's words and
    their sources, what would change it, the cost verdict."""
    numbers = _source_numbers(brief)
    parts = [LEADS.get(lead, lead), "", f"### {brief.headline} · {brief.confidence:.0%} confident", "", brief.summary]
    if brief.reasons:
        parts += ["", "**Why**"]
        for r in brief.reasons[:MAX_CHAT_REASONS]:
            said = f" You said: “{r.quote}”." if r.quote else ""
            parts.append(f"- {r.text}{said}{_cite(r.evidence, numbers)}")
    if brief.assumptions:
        parts += ["", "**Assumed, because you haven't said**"] + [f"- {a}" for a in brief.assumptions]
    if brief.changes:
        parts += ["", "**What would change it**"] + [f"- {c}" for c in brief.changes[:MAX_CHAT_CHANGES]]
    if brief.plan:
        parts += ["", "**Staged plan**"] + [f"{i}. {step}" for i, step in enumerate(brief.plan, 1)]
    parts += ["", f"**Cost over 12 months:** {cost_sentence(brief)} {brief.costs.verdict}"]
    if brief.sources:
        parts += ["", "**Sources**"] + [f"[{i}] {source_line(s)}" for i, s in enumerate(brief.sources, 1)]
    parts += ["", CHAT_FOOTER]
    return "\n".join(parts)


def cost_sentence(brief: Brief) -> str:
    """"RAG $29,231, Fine-tuning not viable, Hybrid $61,609." in the order the brief compares them."""
    items = [f"{row.title} {'not viable' if not row.viable else words.money(row.twelve_months)}"
             for row in brief.costs.rows]
    return ", ".join(items) + "."


def update(before: dict[str, Any] | None, after: Brief, noted: str) -> str:
    """A reply after the recommendation: only what changed ("Noted ... Still fine-tuning, 90 % confident")."""
    parts = [noted] if noted else []
    old_label = (before or {}).get("label")
    old_conf = (before or {}).get("confidence")
    now = f"**{after.headline}** · {after.confidence:.0%} confident"
    if old_label is None:
        parts.append(f"The recommendation is {now}.")
    elif old_label == after.label:
        moved = "" if old_conf is None or abs(float(old_conf) - after.confidence) < 0.005 else \
            f" (was {float(old_conf):.0%})"
        parts.append(f"Still {now}{moved}.")
    else:
        parts.append(f"That changes the recommendation: **{words.LABELS[old_label]}** → {now}. {after.summary}")
        if after.reasons:
            parts.append(f"Now the strongest reason: {after.reasons[0].text}")
    parts.append("The brief beside the chat is updated.")
    return "\n\n".join(parts)


# --- ADR ----------------------------------------------------------------------------------------------------
def adr(brief: Brief, *, date: str | None = None) -> str:
    """An Architecture Decision Record you could paste into a wiki (Markdown, sanitised)."""
    date = date or str(datetime.now(UTC).date())
    numbers = _source_numbers(brief)
    short = words.LABELS[brief.label].split(":")[0]
    title = brief.title or UNTITLED
    lines = [f"# {title}: {short}", "",
             "| | |", "|---|---|", "| Status | Proposed |", f"| Date | {date} |", "| Deciders | _to fill in_ |",
             f"| Confidence | {brief.confidence:.0%} |", "", "## Context", "",
             f"The feature: {title}. What the team said, dimension by dimension:", "",
             "| Question | Answer | In their words |", "|---|---|---|"]
    for row in brief.rows:
        quote = _cell(f"“{row.quote}”") if row.quote else ""
        lines.append(f"| {row.question} | {_cell(row.said)} | {quote} |")
    if brief.what_if:
        changed = ", ".join(f"{r.question.rstrip('?').lower()}: {r.what_if}" for r in brief.rows if r.what_if)
        lines += ["", f"> **What-if scenario.** This record describes a scenario, not only the team's answers: "
                      f"{changed}."]
    lines += ["", "## Options considered", ""]
    for o in brief.options:
        lines.append(f"- **{o.title}**{' (chosen)' if o.chosen else ''}: {o.why}")
    lines += ["", "## Decision", "", f"**{brief.headline}.** {brief.summary}", "", "Reasons:", ""]
    for r in brief.reasons:
        said = f" (“{r.quote}”)" if r.quote else ""
        lines.append(f"- {r.text}{said}{_cite(r.evidence, numbers)}")
    if not brief.reasons:
        lines.append("- No dimension is known yet.")
    lines += ["", "## Consequences", ""] + [f"- {c}" for c in CONSEQUENCES[brief.label]]
    lines += ["", "## Cost over 12 months", "", *cost_table(brief), "", brief.costs.verdict, "",
              f"{brief.costs.basis} Assumptions behind every figure:", ""]
    lines += [f"- {a}" for a in brief.costs.assumptions]
    if brief.assumptions:
        lines += ["", "## Assumptions", ""] + [f"- {a}" for a in brief.assumptions]
    if brief.changes:
        lines += ["", "## What would change this decision", ""] + [f"- {c}" for c in brief.changes]
    if brief.plan:
        lines += ["", "## Staged plan", ""] + [f"{i}. {s}" for i, s in enumerate(brief.plan, 1)]
    lines += ["", "## Open questions", ""] + ([f"- {q}" for q in brief.open_questions] or ["- None."])
    lines += ["", "## Sources", ""] + ([f"{i}. {source_line(s)}" for i, s in enumerate(brief.sources, 1)]
                                       or ["- None cited."])
    return sanitize_markdown("\n".join(lines)) + "\n"  # the user's words must not become markup


def _cell(text: str) -> str:
    return str(text).replace("|", "/").replace("\n", " ")


def cost_table(brief: Brief) -> list[str]:
    rows = brief.costs.rows
    out = ["| | " + " | ".join(r.title for r in rows) + " |", "|---|" + "---|" * len(rows),
           "| 12 months | " + " | ".join(words.money(r.twelve_months) if r.viable else "not viable" for r in rows) + " |",
           "| per 1,000 queries | " + " | ".join(words.money(r.per_thousand, cents=True) for r in rows) + " |",
           "| training runs | " + " | ".join(f"{r.training_runs:g}" for r in rows) + " |"]
    return out


CONSEQUENCES = {
    "rag": ["The running cost sits in retrieval: the vector store, embeddings and pipeline upkeep.",
            "Knowledge updates take effect at once: re-index, no retraining.",
            "Every answer can show the passages it came from.",
            "Retrieval quality needs real work: chunking, the embedding model, ranking and re-ranking."],
    "fine_tuning": ["An upfront training cost and a retraining pipeline to maintain.",
                    "Shorter prompts: lower cost per query and faster answers at scale.",
                    "Answers cannot be traced to documents.",
                    "A change of knowledge needs a new training run."],
    "hybrid": ["Two systems to build and evaluate: a fine-tuned model and a retrieval layer.",
               "Train or evaluate the fine-tuned model with retrieved context, or retrieval can hurt it.",
               "The behaviour stays stable while the knowledge stays current and citable."],
    "rag_prototype": ["Start small: a RAG prototype, measured with real users.",
                      "Revisit this decision with the evidence the prototype produces."],
}


# --- terminal -----------------------------------------------------------------------------------------------
def text(brief: Brief) -> str:
    """The brief as terminal text (`consultant recommend`)."""
    lines = ([brief.title] if brief.title else []) + [
        f"Recommendation: {brief.headline} ({brief.confidence:.0%} confident)", "", brief.summary, ""]
    if brief.reasons:
        lines.append("Why:")
        lines += [f"  - {r.text}" + (f" (source: {source_line(r.evidence)})" if r.evidence else "")
                  for r in brief.reasons]
    if brief.assumptions:
        lines += ["", "Assumed, because not said:"] + [f"  - {a}" for a in brief.assumptions]
    if brief.changes:
        lines += ["", "What would change it:"] + [f"  - {c}" for c in brief.changes]
    if brief.plan:
        lines += ["", "Staged plan:"] + [f"  {i}. {s}" for i, s in enumerate(brief.plan, 1)]
    lines += ["", "Cost over 12 months:"]
    for row in brief.costs.rows:
        total = words.money(row.twelve_months) if row.viable else "not viable"
        lines.append(f"  {row.title:<22} {total:>12}   ({words.money(row.per_thousand, cents=True)} per 1,000 "
                     f"queries, {row.training_runs:g} training runs)")
    lines += [f"  {brief.costs.verdict}", f"  {brief.costs.basis}"] + [f"  (assumed: {a})" for a in brief.costs.assumptions]
    return "\n".join(lines)


# --- PDF ----------------------------------------------------------------------------------------------------
_LATIN = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "≈": "~",
                        "€": "EUR ", "→": "->", "›": ">", "·": "-", "\u00a0": " "})


def _latin(value: str) -> str:
    """The PDF's built-in fonts cover Latin-1 only: typographic marks become their plain forms."""
    return str(value).translate(_LATIN).encode("latin-1", "replace").decode("latin-1")


def pdf(brief: Brief, *, date: str | None = None) -> bytes:
    """A one-page PDF of the brief (headline, reasons, costs, what would change it, sources)."""
    from fpdf import FPDF

    date = date or str(datetime.now(UTC).date())
    doc = FPDF(format="A4")
    doc.set_auto_page_break(auto=True, margin=12)
    doc.set_margins(14, 12, 14)
    doc.add_page()
    doc.set_title(_latin(f"{brief.title or UNTITLED}: {brief.headline}"))
    width = doc.w - doc.l_margin - doc.r_margin

    def para(value: str, size: float = 9, style: str = "", gap: float = 1) -> None:
        doc.set_font("Helvetica", style, size)
        doc.multi_cell(width, size * 0.48, _latin(value), new_x="LMARGIN", new_y="NEXT")
        doc.ln(gap)

    para(brief.title or UNTITLED, 14, "B")
    para(f"Recommendation: {brief.headline} - {brief.confidence:.0%} confident - {date}", 11, "B", 2)
    para(brief.summary, 9, "", 2)
    para("Why", 10, "B")
    for r in brief.reasons[:5]:
        para(f"- {_clip(r.text, 230)}" + (f" ({source_line(r.evidence)})" if r.evidence else ""), 8.5)
    if brief.changes:
        para("What would change it", 10, "B")
        for c in brief.changes[:4]:
            para(f"- {c}", 8.5)
    para("Cost over 12 months", 10, "B")
    for row in brief.costs.rows:
        total = words.money(row.twelve_months) if row.viable else "not viable"
        para(f"- {row.title}: {total} ({words.money(row.per_thousand, cents=True)} per 1,000 queries)", 8.5)
    para(brief.costs.verdict + " " + brief.costs.basis, 8.5, "I", 1)
    if brief.assumptions:
        para("Assumed: " + "; ".join(brief.assumptions[:4]), 8, "I", 1)
    if brief.sources:
        para("Sources: " + "; ".join(source_line(s) for s in brief.sources[:6]), 7.5, "", 0)
    return bytes(doc.output())
