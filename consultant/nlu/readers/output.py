"""Output type: what the system produces; the more specific behaviour wins over "answers questions"."""

from __future__ import annotations

import re
from collections import Counter

from consultant.nlu import confidence as level
from consultant.nlu.lexicon import hits, lexicon
from consultant.nlu.readers.context import Context
from consultant.nlu.reading import Candidate
from consultant.nlu.text import sentence_bounds

SLOT = "output_type"
# an output named as the job ("we want it to classify tickets") is a reading; a word in passing is a proposal
PURPOSE = re.compile(r"\b(?:wants? (?:\w+ ){0,4}to|would like (?:\w+ ){0,4}to|needs? to|has to|have to|must|should|"
                     r"the (?:goal|job|task|point) is|turns? .{0,60} into|produces?|generates?|outputs?|drafts?|writes?|"
                     r"classif\w+|into (?:our|the|a|one of)|automat\w+)\b")


def read(ctx: Context) -> list[Candidate]:
    every = hits("output_type", ctx.t, ctx.clauses, ctx.pending)
    # "we already write to a strict style guide, so tone isn't the problem": a kind of output the same sentence
    # dismisses is not what the system must produce
    dismissed = [(sentence_bounds(ctx.t, h.start), h.entry.value) for h in every if not h.affirmed] + \
        [(sentence_bounds(ctx.t, h.start), "") for h in hits("need", ctx.t, ctx.clauses, ctx.pending)
         if h.affirmed and h.entry.against == "behave_differently"]
    found = [h for h in every if h.affirmed and not any(
        a <= h.start < b and value in (h.entry.value, "") and h.entry.value != "factual_answers"
        for (a, b), value in dismissed)]
    if not found:
        return []
    counts = Counter(str(h.entry.value) for h in found)
    order = lexicon("output_type").priority
    best = max(counts, key=lambda v: (counts[v] + (0.5 if v != "factual_answers" else 0), -order.index(v)))
    hit = next(h for h in found if h.entry.value == best)
    clause = hit.clause.text if hit.clause is not None else ""
    confidence = level.ANSWER if ctx.pending == SLOT else level.CUE if PURPOSE.search(clause) else level.INFERRED
    if ctx.pending != SLOT and len(counts) > 1:
        confidence = min(confidence, level.INFERRED)  # words of two kinds of output: propose, confirm if it matters
    return [Candidate(SLOT, best, confidence, ctx.quote(hit.start, hit.end), hit.entry.id, hit.start, hit.end)]
