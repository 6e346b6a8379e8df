"""Which knowledge-base passages a reply cites: for a question, for a side question, for a recommendation."""

from __future__ import annotations

import logging
import re
from typing import Any

from consultant import prompts
from consultant.kb.store import KnowledgeStore, Passage

log = logging.getLogger(__name__)

MIN_ASIDE_SCORE = 0.25  # below this similarity a side question has no material in the knowledge base
STOPWORDS = frozenset(["what", "why", "how", "does", "do", "that", "this", "the", "mean", "matter", "matters", "about", "and", "you", "can", "explain", "again", "exactly", "here", "there", "why's", "important", "relevant", "tell", "more", "is", "are", "a", "an", "of", "to", "in", "it", "for", "by"])


def search(store: KnowledgeStore | None, query: str, k: int = 1, dimension: str | None = None) -> list[Passage]:
    """Cited passages (the store caches them until its collection changes); none from a broken store."""
    if store is None or not query.strip():
        return []
    try:
        return store.search(query, k=k, dimension=dimension)
    except Exception as exc:  # a broken store must not break the conversation
        log.warning("knowledge search failed: %s", exc)
        return []


def question_query(slot: str) -> str:
    return prompts.QUESTIONS[slot] + " " + prompts.WHY_IT_MATTERS[slot]


def guidance_query(slot: str, favours: str) -> str:
    """The same query for every profile with the same reason: cached, and warmed at start-up."""
    return f"{prompts.WHY_IT_MATTERS[slot]} When {favours.replace('_', ' ')} wins."


def warm_up(store: KnowledgeStore | None) -> None:
    """Run the searches every consultation needs once, so first turns don't pay for them."""
    from consultant.profile import SLOTS

    for slot in SLOTS:
        search(store, question_query(slot), k=1, dimension=slot)
        for favours in ("rag", "fine_tuning", "hybrid", "rag_prototype"):
            search(store, guidance_query(slot, favours), k=1, dimension=slot)


def for_slot(store: KnowledgeStore | None, slot: str) -> list[Passage]:
    return search(store, question_query(slot), k=1, dimension=slot)


def for_question(store: KnowledgeStore | None, question: str, kind: str | None, pending: str | None,
                 recommendation: dict[str, Any] | None) -> list[Passage]:
    """Passages for a side question; a vague one ("why does that matter?") borrows the topic in discussion."""
    content = [w for w in re.findall(r"[a-zA-Z]{3,}", question.lower()) if w not in STOPWORDS]
    if not content or kind == "why":
        topic = prompts.QUESTIONS.get(pending or "") or (recommendation or {}).get("summary", "")
        question = f"{question} {topic}"
    found = search(store, question, k=2)
    return [p for p in found if p.score >= MIN_ASIDE_SCORE]


def for_recommendation(store: KnowledgeStore | None, rec: dict[str, Any]) -> list[Passage]:
    passages: list[Passage] = []
    seen: set[str] = set()
    for c in rec.get("contributions", []):
        if c["favours"] == "neutral" or c["slot"] in seen:
            continue
        seen.add(c["slot"])
        passages += search(store, guidance_query(c["slot"], c["favours"]), k=1, dimension=c["slot"])
    if rec.get("label") == "rag_prototype":
        passages += search(store, "prototype RAG first staged plan measure then fine-tune", k=1)
    return passages
