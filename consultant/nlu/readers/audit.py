"""Auditability: must answers be traceable to sources? Required, preferred (nice to have) or not needed."""

from __future__ import annotations

import re

from consultant.nlu import confidence as level
from consultant.nlu.lexicon import Hit, hits
from consultant.nlu.readers.context import CORRECTION, Context
from consultant.nlu.reading import Candidate, prefer
from consultant.nlu.text import clause_at

SLOT = "auditability"
CONTRAST = re.compile(r"\b(?:but|though|although|however|yet|whereas)\b")
NAMES_IT = re.compile(r"\b(?:citations?|cite[sd]?|sources?|references?|footnotes?|links?|provenance|attribution|"
                      r"trace\w*|traceab\w*|audit\w*|which (?:document|passage|page|section)|(?:pulled|came|comes|taken) from)\b")
RANK = {"required": 3, "preferred": 2, "not_needed": 1}  # when nothing else settles it, the stronger claim
# a short "no" said first, then "nice if it shows the source": the second sentence qualifies the first
QUALIFIED_BY = {"not_needed": "preferred"}


# a verdict said of something else: "the writing style doesn't matter", "speed isn't important"
OTHER_SUBJECT = re.compile(r"\b(?:style|tone|format\w*|voice|wording|writing|prose|speed|latency|cost|price|budget|"
                           r"volume|language|grammar|layout|persona)\b")


def _said_of_something_else(ctx: Context, hit: Hit) -> bool:
    clause = clause_at(ctx.clauses, hit.start)
    if hit.entry.answer_only and clause is not None and NAMES_IT.search(ctx.sentence(hit.start)) is None and \
            any(clause.start <= h.start < clause.end for h in hits("knowledge_change", ctx.t, ctx.clauses)):
        return True  # "since this year the regulator publishes guidance monthly": the regulator says how often
    before = ctx.t[clause.start if clause is not None else 0:hit.start]
    return OTHER_SUBJECT.search(before) is not None and NAMES_IT.search(ctx.sentence(hit.start)) is None


REQUIREMENT_DENIED = re.compile(r"not (?:\w+ )?(?:required|mandatory|essential|a must|compulsory|necessary|needed)|"
                                r"(?:nobody|no ?one) (?:\w+ )?(?:audits?|checks?|mandates?|requires?)")
# keeping records is not attributing answers: "We log everything for our own records ... that's standard for a
# regulated utility" says nothing about sources, whatever the industry
RECORD_KEEPING = re.compile(r"\b(?:logs?|logged|logging|retain\w*|retention|archiv\w*|for (?:our|their|its) (?:own )?records|"
                            r"record[- ]keeping|kept for \w+ (?:years|months))\b")


def _keeps_records_only(ctx: Context) -> bool:
    """The message talks of keeping records and names no sources: its industry words ("regulated") answer nothing."""
    return RECORD_KEEPING.search(ctx.t) is not None and NAMES_IT.search(ctx.t) is None


QUALIFIER = re.compile(r"(?:if|where|when) possible|ideally|preferably")
QUALIFIER_REACH = 12  # characters between a figure and the qualifier after it ("200 ms if possible")


def _qualifies_a_figure(ctx: Context, hit: Hit) -> bool:
    """"it should answer within two hundred milliseconds if possible and nobody needs citations": a qualifier right
    after a figure is said of the figure (dictated run-on messages put it in the same clause as the citations)."""
    return QUALIFIER.fullmatch(ctx.t[hit.start:hit.end]) is not None and any(
        m.kind not in ("bare", "word", "id", "year", "version") and 0 <= hit.start - m.end <= QUALIFIER_REACH
        for m in ctx.mentions)


TOPIC_THEN_VERDICT = re.compile(r"^\s*(?:is|are|would be|will be|'s|isn't|is not|aren't)\b")
VERDICT_REACH = 30  # characters from the topic to its verdict ("... is nice", "... would be a bonus")


def read(ctx: Context) -> list[Candidate]:
    records_only = _keeps_records_only(ctx)
    found = [h for h in hits("auditability", ctx.t, ctx.clauses, ctx.pending) if h.affirmed
             and not _said_of_something_else(ctx, h) and not (records_only and h.entry.answer_only)
             and not _qualifies_a_figure(ctx, h)]
    # "citing the section is nice but not required": the topic named as the subject of a verdict is no requirement
    found = [h for h in found if not (h.entry.value == "required" and TOPIC_THEN_VERDICT.match(ctx.t[h.end:h.end + 16]) and
                                      any(o.entry.value != h.entry.value and h.end < o.start <= h.end + VERDICT_REACH
                                          for o in found))]
    if not found:
        return []
    corrections = [m.end() for m in CORRECTION.finditer(ctx.t) if m.start() > found[0].start and
                   not any(h.start <= m.start() < h.end for h in found)]  # (not the "- no" of "Auditability - no")
    if corrections:
        # "Auditability is required - I beg your pardon, I should correct myself. ... preferred rather than required"
        found = prefer(found, lambda h: h.start >= corrections[0])
    if any(h.entry.value == "preferred" for h in found):
        # "Citations would be nice, but the analysts check anyway; not required", "it's not that we don't want
        # links, but they're not required - nobody audits them": a wish beside a denial of the requirement is a
        # wish (not "No, we don't need citations ... this is only a convenience")
        found = prefer(found, lambda h: not (h.entry.value == "not_needed" and
                                             REQUIREMENT_DENIED.fullmatch(ctx.t[h.start:h.end]) is not None))
    contrasts = [m.end() for m in CONTRAST.finditer(ctx.t)]
    if contrasts:
        last = contrasts[-1]
        after = [h for h in found if h.start >= last]
        if any(h.entry.strength == "stated" for h in after) and len({str(h.entry.value) for h in found}) > 1:
            # "citations would be nice, but legal says they're mandatory"; a bare cue after the contrast ("...,
            # but legal hasn't said it's required") does not overturn the verdict before it
            found = after
    stated = [h for h in found if h.entry.strength == "stated"] or found
    if len({str(h.entry.value) for h in stated}) > 1:
        # "we don't need citations or source links. The bulletins are the official record; this is only a
        # convenience": a verdict that names what is traced outranks one said of something else
        stated = prefer(stated, lambda h: NAMES_IT.search(ctx.sentence(h.start)) is not None)
    best = max(stated, key=lambda h: (RANK[str(h.entry.value)], -h.start))
    confidence = level.ANSWER if ctx.pending == SLOT else level.STATED
    return [Candidate(SLOT, str(best.entry.value), confidence, ctx.quote(best.start, best.end), best.entry.id,
                      best.start, best.end)]
