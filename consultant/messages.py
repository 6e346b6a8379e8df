"""The consultant's replies, composed from the profile, the scorer's output and retrieved passages (Markdown)."""

from __future__ import annotations

from typing import Any

from consultant import nlu, prompts
from consultant.kb.store import Passage
from consultant.profile import SLOTS, Profile, SlotValue
from consultant.prompts import QUESTIONS, REASK, REASK_PREFIX, WHY_IT_MATTERS
from consultant.words import show_value


def _clip(text: str, limit: int) -> str:
    """Shorten at a word boundary."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def citation_list(passages: list[Passage], start: int = 1) -> str:
    return "\n".join(f"[{i}] {p.source} › {p.heading.split(' > ')[-1]}" for i, p in enumerate(passages, start))


def acknowledge(updates: list[dict[str, Any]]) -> str:
    if not updates:
        return ""
    parts = []
    for u in updates:
        quote = u.get("evidence") or ""
        quote = f" (“{quote}”)" if quote and len(quote) <= 120 else ""
        parts.append(f"{SLOTS[u['slot']].label.lower()}: **{show_value(u['slot'], u['value'])}**{quote}")
    return "Noted " + "; ".join(parts) + "."


def declined_other(slots: list[str]) -> str:
    """"how often do the rules change? dunno": a shrug about another question than the one asked, acknowledged."""
    return prompts.DECLINED_OTHER.format(what=" and ".join(SLOTS[s].label.lower() for s in slots))


def rejected_values(rejected: list[dict[str, Any]]) -> str:
    """Figures read from the message that no real project could have: said plainly, never stored."""
    parts = [f"{SLOTS[r['slot']].label.lower()} (“{_clip(r.get('evidence') or '', 80)}”)" for r in rejected]
    return ("I couldn't use a figure for " + "; ".join(parts) + ": it is outside any realistic range, so I "
            "left it out. A rough, realistic estimate is plenty.")


def choices_for(slot: str) -> list[dict[str, Any]]:
    """Quick replies for an enum question: each a label to click or type (or its number)."""
    return [{"label": label, "slot": slot if value is not None else None, "value": value}
            for label, value in prompts.CHOICES.get(slot, [])]


def choice_line(choices: list[dict[str, Any]]) -> str:
    """The choices in the message text too, numbered, for the terminal and for screen readers."""
    return "Reply with a number or in your own words: " + " · ".join(f"{i}. {c['label']}"
                                                                        for i, c in enumerate(choices, 1))


def question(slot: str, passage: Passage | None, reask: bool = False, cite_as: int = 1, asked: int = 0,
             left: int = 0, unclear: bool = False) -> tuple[str, list[dict[str, Any]]]:
    """An interview question (reworded with examples when asked again), why it matters, and its choices.
    "I didn't catch a clear answer" leads it only when the last message was meant as its answer (`unclear`), not
    when it comes back after a side question or a shrug about another question."""
    why = WHY_IT_MATTERS[slot] + (f" [{cite_as}]" if passage else "")
    text = ((REASK_PREFIX if unclear else "") + REASK[slot]) if reask else QUESTIONS[slot]
    choices = choices_for(slot)
    progress = f"Question {asked} of about {asked + max(left - 1, 0)}. " if asked >= 1 and left >= 1 else ""
    lines = [f"{progress}{text}"]
    if choices:
        lines.append(choice_line(choices))
    lines.append(f"_Why it matters: {why}_")
    return "\n\n".join(lines), choices


_PROPOSAL_WORDS = {
    "need": {"know_more": "it mainly needs to **know more**: facts from your documents or data",
             "behave_differently": "it mainly needs to **behave differently**: a format, tone, labels or a way of reasoning",
             "both": "it needs **both**: a particular behaviour *and* knowledge from your own data"},
}


def _option_label(slot: str, value: SlotValue) -> str:
    for label, v in prompts.CHOICES.get(slot, []):
        if v == value:
            return label
    return f"{SLOTS[slot].label}: {show_value(slot, value)}"


def confirmation(proposal: dict[str, Any], profile: Profile) -> tuple[str, list[dict[str, Any]]]:
    """Confirm a weak reading before relying on it, with the choices spelled out."""
    slot, value = str(proposal["slot"]), proposal["value"]
    quote = proposal.get("evidence") or ""
    said = f" (from “{_clip(quote, 90)}”)" if quote else ""
    if slot == "need" and proposal.get("recheck"):
        if profile.knowledge_change is None:
            text = prompts.RECHECK_NEED_UNKNOWN
        else:
            text = prompts.RECHECK_NEED.format(change=show_value("knowledge_change", profile.knowledge_change),
                                               quote=_clip(quote, 90))
        choices = choices_for("need")
        return f"{text}\n\n{choice_line(choices)}", choices
    if slot == "need":
        text = (f"It sounds like {_PROPOSAL_WORDS['need'][str(value)]}{said}. Is that right, or is it something else? "
                "This decides between retrieval and fine-tuning, so I'd rather ask than guess.")
        choices = choices_for("need")
        return f"{text}\n\n{choice_line(choices)}", choices
    options = [(slot, value)] + [(str(s), v) for s, v in proposal.get("alternatives", [])]
    choices = [{"label": _option_label(s, v), "slot": s, "value": v} for s, v in options]
    if len(options) == 1:
        note = proposal.get("note") or ""
        described = note or f"{SLOTS[slot].label.lower()}: {show_value(slot, value)}"
        text = prompts.CONFIRM_PROPOSAL.format(proposal=f"I read {described}{said}.")
        choices = [{"label": "Yes", "slot": slot, "value": value}] + choices_for(slot) or \
            [{"label": "Yes", "slot": slot, "value": value}]
        choices = choices[:1] + [c for c in choices[1:] if c["value"] != value]
        if len(choices) == 1:
            choices.append({"label": "No", "slot": None, "value": None})
    else:
        listed = " or ".join(f"**{c['label']}**" for c in choices)
        text = prompts.CONFIRM_CHOICES.format(options=listed) + said
        choices.append({"label": prompts.NEITHER, "slot": None, "value": None})
    return f"{text}\n\n{choice_line(choices)}", choices


def read_back(profile: Profile) -> str:
    lines = ["**What I understood** (correct anything that's off and I'll update the recommendation):"]
    for slot, spec in SLOTS.items():
        value = getattr(profile, slot)
        if value is None:
            continue
        prov = profile.provenance.get(slot)
        said = ""
        if prov is not None and prov.extractor == "user_edit":
            said = " (edited in the profile panel)"
        elif prov is not None and prov.source_message:
            said = f" (from “{_clip(prov.source_message, 120)}”)"
        lines.append(f"- {spec.label}: **{show_value(slot, value)}**{said}")
    unknown = [SLOTS[s].label.lower() for s in profile.unknown()]
    if unknown:
        lines.append(f"- Not known yet: {', '.join(unknown)}")
    return "\n".join(lines)


def _slot_of(question_text: str, pending: str | None) -> str | None:
    return nlu.moves.topic_of(question_text) or pending


def aside(reading: dict[str, Any], passages: list[Passage], profile: Profile, state: dict[str, Any],
          table: Any, store: Any = None) -> str:
    """Answer the user's own question: why we ask, what a word means, what counts as a lot, what it would cost
    or take, what the recommendation rests on, or from the sources."""
    from consultant.glossary import define
    from consultant.scales import scale_answer

    if reading.get("side_answer"):
        return str(reading["side_answer"])
    question_text = str(reading.get("question") or state.get("incoming") or "")
    kind = reading.get("question_kind")
    pending = state.get("pending_slot")
    # "why would speed change the architecture?": the question's own topic, else the one asked
    why_of = _slot_of(question_text, pending) if kind == "why" else None
    if why_of is not None:
        return f"I ask because {WHY_IT_MATTERS[why_of][0].lower()}{WHY_IT_MATTERS[why_of][1:]}"
    term = define(question_text) if kind in ("define", "why") or (kind == "general" and _names_a_term(question_text)) \
        else None
    if term is not None:
        return f"**{term.name}**: {term.short}"
    if kind == "scale":
        slot = _slot_of(question_text, pending)
        if slot is not None:
            return scale_answer(slot, table)
    if kind in ("cost", "time", "about_recommendation"):
        from consultant.asides import about_the_decision

        answer = about_the_decision(kind, question_text, profile, state, table, passages, store)
        if answer:
            return answer
    return aside_answer(question_text, passages)


def _names_a_term(question: str) -> bool:
    """A bare term asked about ("rag = ?", "ELI5 vector store", "LoRA??"): a few words, no verb of its own."""
    import re

    words = re.findall(r"[a-z0-9]+", question.lower())
    return len([w for w in words if w not in ("eli5", "what", "whats", "is", "a", "an", "the", "s")]) <= 3


def aside_answer(question_text: str, passages: list[Passage]) -> str:
    """A side question answered from the best passage (its Markdown kept: tables and lists stay readable)."""
    if not passages:
        return ("I don't have material on that in my knowledge base. I can explain RAG, fine-tuning, hybrids and the "
                "dimensions behind the choice (data volatility, output type, latency, cost, auditability).")
    blocks = [b.strip() for b in passages[0].text.split("\n\n") if b.strip()]
    excerpt: list[str] = []
    for block in blocks:
        if excerpt and sum(len(b) for b in excerpt) + len(block) > 900:
            break
        excerpt.append(block)
    text = "\n\n".join(excerpt)
    if len(text) > 1200:
        text = " ".join(_sentences(text)[:4])
    return f"{text} [1]"


def _sentences(text: str) -> list[str]:
    import re

    flat = re.sub(r"\s*\n\s*[-*]\s+", "; ", text.strip())
    flat = re.sub(r"\s+", " ", flat)
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z(\"“])", flat) if s]
