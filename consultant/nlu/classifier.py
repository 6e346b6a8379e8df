"""Embedding classifiers: the fallback for enum slots when no rule fires on an answer to that slot's question."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

PROTOTYPES: dict[str, dict[str, list[str]]] = {
    "need": {
        "know_more": [
            "it needs to answer questions using our documents and policies",
            "the model has to know facts about our products that it was never trained on",
            "look up the right information in our knowledge base",
            "it should be aware of our internal content and the latest updates",
            "mostly knowledge, it needs to know what is in our docs",
        ],
        "behave_differently": [
            "it has to write in our brand voice and tone",
            "it must always produce output in our exact format",
            "classify and route incoming requests into categories",
            "follow our reasoning steps and house style consistently",
            "it needs to act differently, not know more",
            "the model should use our jargon and respond the way our experts do",
        ],
        "both": [
            "it needs both: our style and up to date knowledge",
            "a bit of both, the format matters and it must know our current data",
            "it has to sound like us and also know the latest policies",
        ],
    },
    "output_type": {
        "factual_answers": ["answers to questions with facts from documents", "look up information and answer",
                            "question answering over our knowledge base"],
        "structured_output": ["json output following a schema", "extract fields into a structured record",
                              "fill in a fixed template format"],
        "style_or_tone": ["text written in our brand voice", "rewrite copy in a particular tone and style",
                          "marketing copy that sounds like us"],
        "classification": ["a label or category for each item", "route tickets to the right team",
                           "tag messages with intent or sentiment"],
        "reasoning_pattern": ["step by step analysis following our methodology", "a diagnosis that follows our checklist",
                              "an assessment reasoning the way our experts do"],
    },
    "auditability": {
        "required": ["every answer must be traceable to its source document", "we are regulated and must show sources",
                     "auditors need to see where the answer came from"],
        "preferred": ["citations would be nice but are not mandatory", "showing sources would help users trust it"],
        "not_needed": ["nobody needs the sources", "traceability does not matter for this", "no citations needed"],
    },
}
MIN_SIMILARITY = 0.40
MIN_MARGIN = 0.04


@lru_cache(maxsize=1)
def _prototype_vectors() -> dict[str, dict[str, np.ndarray]]:
    from consultant.embeddings import get_embedder

    embedder = get_embedder()
    return {slot: {label: embedder.embed(texts) for label, texts in classes.items()}
            for slot, classes in PROTOTYPES.items()}


def classify(slot: str, text: str) -> tuple[str, float] | None:
    """(value, similarity) when the message is clearly closest to one value of `slot`, else None."""
    if slot not in PROTOTYPES or not text.strip():
        return None
    from consultant.embeddings import get_embedder

    vector = get_embedder().embed([text[:1000]])[0]
    scores = sorted(((float(np.max(vecs @ vector)), label) for label, vecs in _prototype_vectors()[slot].items()),
                    reverse=True)
    (best, label), (second, _) = scores[0], scores[1]
    if best >= MIN_SIMILARITY and best - second >= MIN_MARGIN:
        return label, best
    return None
