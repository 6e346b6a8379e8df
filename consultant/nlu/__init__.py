"""Offline understanding: typed mentions, lexicon entries with per-clause polarity, one small reader per kind of
thing a message can say, and an evidence gate (confidence levels) the agent applies before it stores anything.

`read(text, pending, current, choices)` -> Reading: candidates per slot, the user's move, their question.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any, Literal

from consultant.nlu import confidence as level
from consultant.nlu import intent as moves
from consultant.nlu.ideas import IDEA, other_idea_spans
from consultant.nlu.lexicon import hits
from consultant.nlu.readers import audit, change, examples, latency, money, need, output, tokens, volume
from consultant.nlu.readers.context import CORRECTION, Context
from consultant.nlu.reading import Candidate, Reading, as_int, prefer
from consultant.nlu.text import (
    DEICTIC,
    clause_at,
    fix_typos,
    is_echo,
    sentence_bounds,
    sentences,
    working_copy,
)
from consultant.nlu.vocabulary import VOCABULARY as V

__all__ = ["Candidate", "Reading", "moves", "read", "working_copy"]

READERS = (need, change, audit, output, latency, volume, tokens, examples, money)
NUMBER_READERS = (latency, volume, tokens, examples, money)
# A number reader may say which of its figures it would not take ("2,000 raw chat logs" is no training set):
# `rejects(ctx, start, end)`. A figure that corrects another must pass the same test as one read directly.
REJECTS = {module.SLOT: module.rejects for module in NUMBER_READERS if hasattr(module, "rejects")}
ReaderKind = Literal["rules", "learned", "both"]
LEARNED_ANSWER = 0.7  # a learned answer to the slot's own question at this probability is taken as an answer
LEARNED_PROPOSAL = 0.5  # from here up it is proposed (confirmed with choices when it matters)
FIRM = re.compile(r"\b(?:what i (?:can tell you|can say|do know|know for sure|am sure of|'m sure of)|"
                  r"(?:but|though) i (?:can tell you|can say|do know|know for sure)|i do know|"
                  r"what i'?m (?:sure|certain) (?:of|about)|"
                  # "Skip that for now - let me give you the constraint that matters: ... 300 ms"
                  r"let me (?:give|tell) you|here'?s what (?:i|we) (?:know|have|can)|what (?:does |really )?matters? (?:is|here))\b")
# "only about 60 of those are usable", "Only 80 have the transcript saved next to the sheet"
REFERS_BACK = re.compile(r"^\s*(?:of (?:those|these|them|the \w+)|are (?:usable|good|clean|any good)|"
                         r"(?:have|had|has|come|came) (?:with )?(?:the|a|an|their|its|any|proper|real|usable|clean)\b)")
# "Wait - actually most of those came from a partner school. Our own are more like 60": the count restated
RESTATED = re.compile(r"\b(?:more like|closer to|nearer to|nearer|really only|really just|in fact|"
                      # "... one more turned up, so it's exactly 100"
                      r"so (?:it'?s|we have|we'?ve got|there are)(?: exactly| now| actually)?|which makes it|making it|"
                      r"that makes it)\s*(?:about |around |~)?$")


def _blank(t: str, spans: list[tuple[int, int]]) -> str:
    """The working copy with some spans blanked out (same length): questions are never read as answers, nor the
    clauses a speaker sets aside ("..., but that's their project")."""
    chars = list(t)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


def _unfigured(t: str, spans: list[tuple[int, int]]) -> str:
    """The figures blanked out of questions quoted as examples ("asking things like 'which of our Sancerres are
    under $25'"): their words still say what users ask about, their figures are no fact about the project."""
    for a, b in spans:
        t = t[:a] + re.sub(r"[^\s.?!]", " ", t[a:b]) + t[b:]
    return t


def _typed(c: Candidate) -> bool:
    """Read from a figure with its unit or from a phrase, not from a bare number."""
    return c.source != "mention.bare"


def _parenthetical(t: str, c: Candidate) -> bool:
    """Inside brackets: an aside about something else ("(the frame budget is 16 ms, a different thing)")."""
    return t.rfind("(", 0, c.start) > t.rfind(")", 0, c.start)


def _close(a: object, b: object) -> bool:
    if isinstance(a, int) and isinstance(b, int) and not isinstance(a, bool):
        return abs(a - b) <= 0.1 * max(abs(a), abs(b), 1)
    return a == b


ROUNDING = 1.1  # figures within 10 % of each other in one message are one amount said twice, rounded
# ... unless they fall either side of a line the rules draw ($7,999 vs $8,000, 99 vs 100 examples, 300 vs 301 ms):
# then they decide differently and are asked about. Each is the first value on the far side of the rule's line
# (rules.MIN_TRAINING_EXAMPLES, rules.LATENCY_FT_MAX_MS + 1, the cheapest training run); tests/test_nlu.py checks
# they agree with the rules.
DECISION_LINES = {"upfront_budget_usd": money.RUN_LOW_USD, "labeled_examples": 100, "latency_budget_ms": 301}


def _straddles(slot: str, low: int, high: int) -> bool:
    line = DECISION_LINES.get(slot)
    return line is not None and low < line <= high


MAYBE_BEFORE = re.compile(r"\b(?:maybe|perhaps|possibly|potentially|(?:could|might) (?:be|go|stretch)(?: to)?)\s+"
                          r"(?:up to\s+|about\s+|around\s+)?[$€£¥₹]?\s*$")


def _wondered_after(c: Candidate, found: list[Candidate], t: str) -> bool:
    """"$3,000, maybe $3,500 if I skip the team dinner": a figure wondered about after one said plainly in the same
    sentence gives way to it (not "Payroll costs $400,000. Maybe $6,000 could go to this", nor a change rate)."""
    return isinstance(c.value, int) and not isinstance(c.value, bool) and \
        MAYBE_BEFORE.search(t[max(0, c.start - 20):c.start]) is not None and \
        any(o.start < c.start and sentence_bounds(t, o.start) == sentence_bounds(t, c.start) for o in found)


def _resolve(slot: str, found: list[Candidate], t: str, held: object = None) -> Candidate:
    """One reading per slot.

    A correction wins ("50k - sorry, 500k"); then a value said more than once; then the target over today's
    figure, the surer reading, figures with their unit over bare numbers, statements over asides in brackets,
    and for the change rate the most volatile part. A tie of different values is an ambiguity the consultant asks about.
    """
    if len({c.value for c in found}) == 1:
        return max(found, key=lambda c: c.confidence)
    fresh = [c for c in found if not _close(c.value, held)] if held is not None else found
    if fresh and len(fresh) < len(found):
        found = fresh  # "the $50k was cut, we now have $5k": the figure we already hold is the old one
        if len({c.value for c in found}) == 1:
            return replace(max(found, key=lambda c: c.confidence), correction=True)
    concluded = _concluded(found, t)
    if concluded is not None:
        # "120 - wait, no, they threw out 20 duplicates, so it's exactly 100": a conclusion after a correction is
        # its result; the figures on the way are how it got there
        return replace(concluded, correction=any(c.correction for c in found) or concluded.correction)
    # "Sorry, I said 12k at our kickoff, but that was with the untrimmed table; ... it's about 10,000": the figure
    # the user quotes from before is the one being taken back
    found = prefer(found, lambda c: TAKEN_BACK.search(t[max(0, c.start - 30):c.start]) is None)
    ordered = sorted(found, key=lambda c: c.start)
    corrected_to = None
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.value != later.value and CORRECTION.search(t[earlier.end:later.start]) and \
                not (isinstance(earlier.value, int) and any(c.value == earlier.value and c.start > later.start
                                                            for c in ordered)):
            # (not "50k on average. Well - more like 30k off term and 80k at exams, but 50k is the average to plan
            # on": a figure said again after the one that seemed to correct it stands)
            corrected_to = later  # "Monthly - no, quarterly - actually no, monthly is right": the last one
    if corrected_to is not None:
        return replace(corrected_to, correction=True)
    corrected = _after_correction(found, t)
    if corrected is not None:
        return corrected
    settled = _wish_then_limit(found, t) or _hope_then_actual(found, t) or _this_one(found, t) or \
        _concluded(found, t) or _our_part(found, t)
    if settled is not None:
        return settled
    said = Counter(value for _, value in {(c.start, c.value) for c in found})  # one figure read twice is said once
    most = max(said.values())
    numeric = all(isinstance(c.value, int) and not isinstance(c.value, bool) for c in found)
    if numeric and most > 1 and list(said.values()).count(most) == 1:
        # "$7,999 ... there's $8,000 left ... it's $7,999", "99. We had 100 pairs, one was a duplicate, so 99"
        found = [c for c in found if said[c.value] == most]
    best = max(c.confidence for c in found if c.when != "current") if any(c.when != "current" for c in found) \
        else max(c.confidence for c in found)
    for keep in (lambda c: c.when != "current", lambda c: c.confidence == best, _typed,
                 lambda c: not _parenthetical(t, c)):
        kept = [c for c in found if keep(c)]
        found = kept or found
    found = prefer(found, lambda c: not _wondered_after(c, found, t))
    if slot == "knowledge_change":
        return _change_rate(found, t)
    if len({c.value for c in found}) == 1:
        return found[0]
    values = [c.value for c in found if isinstance(c.value, int) and not isinstance(c.value, bool)]
    if len(values) == len(found) and min(values) > 0 and max(values) <= ROUNDING * min(values) and \
            not _straddles(slot, min(values), max(values)):
        return found[0]  # "110k, so north of 100k": the same amount said again, rounded
    first = found[0]
    others = tuple(dict.fromkeys((slot, c.value) for c in found[1:] if c.value != first.value))
    return replace(first, confidence=min(first.confidence, level.WEAK), alternatives=others)


TAKEN_BACK = re.compile(r"\b(?:i|we) (?:said|told (?:you|them|him|her|(?:your|the|our|my) [\w-]+)|mentioned|wrote|quoted|"
                        r"gave you|first heard|first said)\s*['\"]?\s*"  # ("I said 'under a second' at the kickoff")
                        r"(?:about |around |roughly |~|under |below |less than |within )?[$€£]?$")
THIS_ONE = re.compile(rf"\W*(?:(?:but|and|so|now)\W+)?(?:{V.this_project_words})(?![a-z])")
WISH = re.compile(r"\b(?:would be (?:great|nice|ideal|lovely|better|amazing)|ideally|in an ideal world|dream)\b")
LIMIT = re.compile(r"\bbut\b[^.;!?]{0,60}?(?:is|are|would be|'s) (?:fine|ok|okay|acceptable|the limit|the max(?:imum)?)"
                   r"|\bbut\b[^.;!?]{0,20}?\b(?:max|maximum|at most|tops)\b")


NOW_AFTER_BUT = re.compile(r"\bbut\s+(?:now|nowadays|these days|since|starting|from (?:now|this|next|today|the start of this))\b")


def _change_rate(found: list[Candidate], t: str) -> Candidate:
    """Of several change rates in one message: the part the user narrows it to ("prices change daily, but the
    assistant doesn't deal with prices, just the quarterly rules"); two set against each other by "but" in one
    sentence are asked about, the one after "but" offered first; otherwise the most volatile part decides."""
    narrowed = prefer(found, lambda c: NARROWED.search(t[max(0, c.start - 16):c.start]) is not None or
                      _summed_up(t, c) or MATTERS.match(t[c.end:c.end + 40]) is not None)
    if len(narrowed) < len(found):
        return change.most_volatile(narrowed)
    ordered = sorted(found, key=lambda c: c.start)
    final = ordered[-1]
    before = [c for c in ordered[:-1] if c.value != final.value]
    again = any(c.value == final.value for c in ordered[:-1])  # "...change roughly every week. SOPs twice a year,
    # but the tariff data is weekly": the rate said first and said again after "but" is the answer
    if before and sentence_bounds(t, before[-1].start)[0] == sentence_bounds(t, final.start)[0] and \
            re.search(r"\bbut\b", t[before[-1].end:final.start]):
        if again or NOW_AFTER_BUT.search(t[before[-1].end:final.start]):
            return final  # (or "Before, we changed them each quarter, but from this season ... every month")
        return replace(final, confidence=min(final.confidence, level.WEAK),
                       alternatives=tuple(dict.fromkeys((final.slot, c.value) for c in before)))
    return change.most_volatile(found)


def _this_one(found: list[Candidate], t: str) -> Candidate | None:
    """"Our CRM licence is $210k a year. For this, $30k.": of several figures, the one in the sentence that opens
    by naming this project (vocabulary `this_project_words`) is this project's."""
    framed = []
    for c in found:
        if THIS_ONE.match(t[sentence_bounds(t, c.start)[0]:c.start]):
            framed.append(c)
    return framed[0] if len({c.value for c in framed}) == 1 and len(framed) < len(found) else None


# "... someone once proposed monthly reviews. In practice the material we'd rely on changes about once a year"
SUMMED_UP = re.compile(r"^\W*(?:in practice|in reality|realistically|effectively|in short|bottom line|all in all|"
                       r"overall|so in the end|in the end)\b")
SUMMED_UP_SHORT = re.compile(r"^\W*so\b")  # "... but the mapping only changes at the quarterly review. So quarterly."
SHORT_SUM_WORDS = 4


def _summed_up(t: str, c: Candidate) -> bool:
    first, last = sentence_bounds(t, c.start)
    colon = t.find(":", c.start, last)
    last = colon if colon >= 0 else last  # "So monthly: the desk pushes updates on the first of each month"
    return SUMMED_UP.match(t[first:c.start]) is not None or \
        (SUMMED_UP_SHORT.match(t[first:c.start]) is not None and len(t[first:last].split()) <= SHORT_SUM_WORDS)


# "There's also the annual review, but it's the weekly trickle that matters": the one the user says counts
MATTERS = re.compile(r"^[\w -]{0,30}?\b(?:that|which|is what|are what) (?:really |actually |mostly )?(?:matters?|counts?)\b")
NARROWED = re.compile(r"\b(?:just|only|merely|solely)\s+(?:the\s+|our\s+|its\s+)?$")
CONCLUSION = re.compile(r"\b(?:so (?:it'?s|that'?s|we have|we've got|there are|really|now)|which leaves|leaving|"
                        r"let'?s say|let us say|call it|put it at|settle on|we'll go with|go with|(?:we'?ve |we have )?set it at|"
                        r"capped (?:it|us|that)(?: just| right)?(?: under| below| at)?:?|(?<=[,;.!–—-] )say|(?<=[,;–—-])say|^say|"
                        r"that (?:makes|leaves)|in the end|all told|net of that|"
                        # "..., so realistically it's $7,500", "so there's about $6,500 left", "so really we've got 99"
                        r"so\b(?! far| much| many| that| long| called)[^.,;:!?\d$€£¥₹]{0,30}?)\s*(?:about|around|roughly|exactly|just|"
                        r"only|~)?\s*[$€£¥₹]?\s*$")


SO_RIGHT_BEFORE = re.compile(r"(?:^|[,;–—-])\s*so\s*$")


# "50k DAU asking one question a day, so ~1.5M a month", "if each gets 40 questions that's 12,000 a month": a bare
# "so" / "that's" concludes only a figure said with its unit ("which is a few times a year" is a rephrasing)
UNIT_CONCLUSION = re.compile(r"\b(?:so|that'?s|that is|which is|which makes|making)\s*(?:about|around|roughly|exactly|"
                             r"just|only|~)?\s*[$€£¥₹]?\s*$")
WITH_UNIT = ("mention.rate", "mention.money", "mention.duration")


def _concluded(found: list[Candidate], t: str) -> Candidate | None:
    """"I told my boss 120, but Priya deleted the ones that broke the style guide, so it's ninety-nine": the figure
    a "so it's" / "which leaves" concludes with is the answer; the figures before it are how it got there."""
    ordered = sorted(found, key=lambda c: c.start)
    if len({c.value for c in found}) < 2:
        return None
    while ordered:
        last = ordered[-1]
        said_before = t[max(0, last.start - 30):last.start]
        # a figure ("so realistically it's $7,500"), or a value right after "so" ("It's the scholarship bit it
        # needs, so monthly"); not a phrase read as a figure ("It runs in batch overnight, so latency doesn't matter")
        # nor a restatement ("renegotiated once a year, so the content is pretty stable")
        if (last.source.startswith(("mention.", "correction.")) or
                isinstance(last.value, str) and SO_RIGHT_BEFORE.search(said_before)) and (
                CONCLUSION.search(said_before) or last.source in WITH_UNIT and UNIT_CONCLUSION.search(said_before)):
            return last
        if isinstance(last.value, str) or last.value not in {c.value for c in ordered[:-1]}:
            return None
        ordered = ordered[:-1]  # "..., so really we've got 99. Which sounds like more when you say 130": said again
    return None


OUR_PART = re.compile(r"\b(?:the part|our part|our share|our slice|our cut|what we (?:can|get to|may) (?:spend|use)|"
                      r"we (?:can|get to|may) (?:spend|use)|of which|available to us|for (?:us|our team))\b[^.;!?]{0,50}$")


def _our_part(found: list[Candidate], t: str) -> Candidate | None:
    """"The innovation pool is $50,000 in total, but four teams share it, and the part we can spend before launch
    is $6,000": the share named as ours is the figure, the pool it comes from is not."""
    ours = [c for c in found if OUR_PART.search(t[sentence_bounds(t, c.start)[0]:c.start])]
    return ours[0] if len({c.value for c in ours}) == 1 and len(ours) < len(found) else None


def _wish_then_limit(found: list[Candidate], t: str) -> Candidate | None:
    """"Under a second would be great, but 2 seconds is fine": the wish before "but" is not the budget."""
    ordered = sorted(found, key=lambda c: c.start)
    for wish, limit in zip(ordered, ordered[1:], strict=False):
        if wish.value != limit.value and WISH.search(t[wish.start:limit.start]) and LIMIT.search(t[wish.start:limit.end + 30]):
            return limit
    return None


HOPED = re.compile(r"\b(?:hoping for|hoped for|hoping to get|asked for|requested|pitched for|put in for|wanted)\s+"
                   r"(?:about\s+|around\s+)?[$€£¥₹]?\s*$")


def _hope_then_actual(found: list[Candidate], t: str) -> Candidate | None:
    """"I was hoping for fifteen grand, but finance came back: 5,000 pounds for this phase": what was hoped for is
    not what was given."""
    ordered = sorted(found, key=lambda c: c.start)
    for hoped, actual in zip(ordered, ordered[1:], strict=False):
        if hoped.value != actual.value and HOPED.search(t[max(0, hoped.start - 30):hoped.start]) and \
                re.search(r"\bbut\b", t[hoped.end:actual.start]):
            return actual
    return None


def _after_correction(found: list[Candidate], t: str) -> Candidate | None:
    """"We have 6,000 examples. No - sorry, 6,000 is all the replies we sent. The validated ones are about 60":
    after the last correction marker that follows a figure, the one value not said before it is the answer."""
    first = min(c.start for c in found)
    cut = max((m.end() for m in CORRECTION.finditer(t) if m.start() > first), default=None)
    if cut is None:
        return None
    before = {c.value for c in found if c.start < cut}
    new = [c for c in found if c.start >= cut and c.value not in before]
    if not before or len({c.value for c in new}) != 1:
        return None
    return replace(max(new, key=lambda c: c.confidence), correction=True)


CORRECTED_REACH = 120
"""How far after a figure its correction may come: "99 fully annotated NDAs - actually, correction: the paralegal
finished one more yesterday, so it's 100 now" (the reason for the change said in between)."""


def _corrected_figures(ctx: Context, candidates: list[Candidate]) -> list[Candidate]:
    """"800 labeled contracts - sorry, 80, not 800": a figure after a correction marker (bare, or of the same kind)
    replaces the figure read just before it, in the same slot and the same unit."""
    out = []
    for c in candidates:
        own = next((m for m in ctx.mentions if m.start == c.start), None)
        if own is None or not isinstance(c.value, int) or not own.figure.value:
            continue
        factor = c.value / own.figure.value
        for m in ctx.mentions:
            if m.start < c.end or m.kind not in ("bare", own.kind) or m.negated or m.figure.from_article or \
                    (m.when == "current" and m.kind != "bare"):
                continue  # "within 2 s. Actually, correction, make that 5 s": a bare figure or one of the same kind;
                # not "300 ms. Actually our prototype needs 1.8 seconds", today's system
            if m.figure.value == own.figure.value:
                continue  # "oh wait, the 90 are template types; we have about 2,000": the old figure named again
            if c.slot in REJECTS and REJECTS[c.slot](ctx, m.start, m.end):
                continue  # "wait, let me be precise: we have 2,000 raw chat logs, but only 60 are reviewed"
            gap = ctx.t[c.end:m.start]
            typed_between = any(c.end <= o.start < m.start and o.kind not in ("bare", "word", "year", "version", "id")
                                and o.figure.value != own.figure.value
                                for o in ctx.mentions)  # a year in between ("before the 2023 batch") is no value
            if len(gap) <= CORRECTED_REACH and CORRECTION.search(gap) and not typed_between:
                # a figure with its own unit keeps it ("300 ms. Actually, 1.8 seconds"); a bare one takes the old unit
                value = m.value if m.kind == own.kind and m.kind != "bare" else m.figure.value * factor
                out.append(replace(c, value=as_int(value), start=m.start, end=m.end,
                                   evidence=ctx.quote(m.start, m.end), source="correction.figure", correction=True))
            break
    return out


NOT_HELD = re.compile(r"^\s*(?:[a-z]+\s*){0,2},?\s*(?:not|instead of|rather than)\s*(?:\$|~|about)?\s*$")


# "Correction on the examples: I was thinking of raw notes. The ones actually labeled - only about 80": a correction
# that names what it corrects; the count it then gives is that slot's, whatever noun it comes with
NAMED_CORRECTION = re.compile(r"\b(?:correction|to correct|correcting)\s+(?:on|to|about|for|re:?|regarding)\s+"
                              r"(?:the\s+|my\s+|our\s+|what i said about\s+(?:the\s+)?)?([a-z-]+(?:\s+[a-z-]+)?)")
NAMED_SLOTS = ("labeled_examples", "context_tokens")  # counts without a period (a volume's would be a guess)


def _named_slot(t: str) -> tuple[str | None, int, int]:
    """The slot a correction names ("Correction on the volume: ...") and the span naming it; (None, 0, 0) if none."""
    named = NAMED_CORRECTION.search(t)
    return (moves.topic_of(named.group(1)), named.start(), named.end()) if named is not None else (None, 0, 0)


def _named_correction(ctx: Context, candidates: list[Candidate]) -> Candidate | None:
    slot, named_start, named_end = _named_slot(ctx.t)
    if slot not in NAMED_SLOTS or any(c.slot == slot for c in candidates):
        return None
    taken = {c.start for c in candidates}
    figures = [m for m in ctx.mentions if m.start > named_end and m.kind in ("bare", "count") and m.start not in taken]
    if not figures:
        return None
    m = figures[-1]  # the figure the correction lands on: "I was thinking of the 5,000 raw notes ... only about 80"
    return Candidate(str(slot), as_int(m.value), level.STATED, ctx.quote(named_start, m.end), "correction.named", m.start,
                     m.end, correction=True)


def _replaces_held(ctx: Context, current: Mapping[str, object]) -> list[Candidate]:
    """"We now have 6k total, not 20k": a bare figure set against a value we hold corrects that value's slot."""
    out = []
    for figure, old in zip(ctx.mentions, ctx.mentions[1:], strict=False):
        dollars = figure.kind == old.kind == "money" and figure.currency == old.currency == "USD"
        if (figure.kind != "bare" and not dollars) or not NOT_HELD.match(ctx.t[figure.end:old.start]):
            continue
        # ("It's $6,500 now, not $12,000": an amount set against the budget we hold)
        held = next((slot for slot, value in current.items() if isinstance(value, int) and not isinstance(value, bool)
                     and value and _close(value, int(old.figure.value)) and (not dollars or slot == money.SLOT)), None)
        if held is not None:
            out.append(Candidate(held, as_int(figure.figure.value), level.STATED, ctx.quote(figure.start, old.end),
                                 "correction.held", figure.start, figure.end, correction=True))
    return out


ENUM_SLOTS = {"need": need, "knowledge_change": change, "auditability": audit, "output_type": output}
HEDGED_OPENING = re.compile(r"\b(?:basically|mostly|pretty much|almost|practically|more or less|largely|essentially|"
                            r"kind of|sort of|mainly)\b")
SHORT_ANSWER_WORDS = 5  # "Not needed." "Behaviour, mostly." "Monthly, roughly.": an answer said first and short


def _opening_answer(ctx: Context, pending: str | None) -> Candidate | None:
    """"Not needed. The driver can't read citations anyway, and legal said the disclaimer is enough": a short
    answer said first answers the question asked; what follows explains it and does not outvote it."""
    module = ENUM_SLOTS.get(pending or "")
    spans = sentences(ctx.t)
    if module is None or len(spans) < 2 or CORRECTION.search(ctx.t):
        return None
    a, b = spans[0]
    if len(ctx.t[a:b].split()) > SHORT_ANSWER_WORDS or HEDGED_OPENING.search(ctx.t[a:b]):
        return None  # "basically frozen. we add one season's worth every june": a hedge the rest qualifies
    if ctx.t[a:b].rstrip().endswith(":"):
        return None  # "Filled in your template:": a preface to what follows, not a short answer
    first = Context(ctx.text[:b], ctx.t[:b], pending, ctx.current)
    said = [c for c in module.read(first) if c.slot == pending and c.confidence >= level.ANSWER]
    if len(said) != 1:
        return None
    if pending == change.SLOT and len(ctx.t[a:said[0].start].split()) > 1 and \
            change.most_volatile(module.read(ctx) + said).value != said[0].value:
        # "ATA chapters never change. Our internal code list gets revised once a quarter": the first sentence says how
        # often one part changes, not how often it all does (not "Once a year. ... Prices change daily, but prices
        # aren't part of this", a verdict explained)
        return None
    qualified = getattr(module, "QUALIFIED_BY", {}).get(said[0].value)
    if qualified is not None and any(c.value == qualified and c.confidence >= level.ANSWER for c in module.read(ctx)):
        return None  # "No hard audit requirement. Nice if it shows which recap it used": qualified, not outvoted
    return said[0]


def _one_slot_per_figure(candidates: list[Candidate], pending: str | None) -> list[Candidate]:
    """One figure fills one slot: the surer reading wins ("only about 80 were verified by a human" is a count of
    examples even while latency is asked), and on a tie the slot being asked."""
    numeric = [c for c in candidates if isinstance(c.value, int) and not isinstance(c.value, bool) and c.end > c.start]
    dropped: set[int] = set()
    for c in numeric:
        rivals = [o for o in numeric if o is not c and o.start == c.start and o.end == c.end]
        if rivals and id(c) not in dropped:
            group = [c, *rivals]
            best = max(o.confidence for o in group)
            keep = next((o for o in group if o.slot == pending and o.confidence == best), None) or \
                max(group, key=lambda o: o.confidence)
            dropped.update(id(o) for o in group if o is not keep)
    return [c for c in candidates if id(c) not in dropped]


OPEN_ENDED = ("need", "output_type")  # slots whose answer is a judgement, not a fact


def _hedged_sentences(t: str) -> list[tuple[int, int]]:
    """The stretches a "not sure" covers: its sentence, up to a firm "but I do know this:" inside it."""
    out = []
    for h in hits("intents", t, []):
        if h.entry.value == "hedge":
            first, last = sentence_bounds(t, h.start, h.end)
            firm = FIRM.search(t, h.end, last)
            before = sentence_bounds(t, first - 2)[0] if first > 1 else first
            if NOW_DOUBTED.match(t[first:h.start]) and BELIEVED.search(t[before:first]):
                first = before  # "At the pilot we were sure it was a knowledge problem; now I'm not so sure"
            while (options := OPTION_ASKED.search(t, 0, first)) is not None:
                first = options.start(1)  # "Route it? Reply? We haven't decided.": the options wondered about
            out.append((first, firm.start() if firm is not None else last))
    spans = sentences(t)
    if len(out) > 1 and spans and out[0][0] <= spans[0][0] and max(b for _, b in out) >= spans[-1][1]:
        # "I genuinely don't know. ... I've heard both 'hardly ever' and 'all the time'. I'd rather not guess.": what
        # is said between a shrug that opens and one that closes the message is thinking aloud
        out.append((0, len(t)))
    return out


DROPPED = re.compile(r"^\W*(?:(?:but|and|so)\s+)?(?:we'?ve|we have|we|i'?ve|i)\s+(?:since\s+|now\s+|already\s+)?"
                     r"(?:dropped|abandoned|scrapped|shelved|ditched|gave up on|given up on|moved on from)\s+(?:that|this)"
                     r"(?:\s+(?:idea|plan|approach|requirement|part|thought|notion))?\b"
                     r"|^\W*(?:that(?:'s| is)|that idea is|this is)\s+(?:off the table|dead|gone|no longer (?:needed|the plan))\b")


NOT_THIS_IDEA = re.compile(rf"(?<![a-z])(?:{V.not_this_idea})")
NOT_DOING_THAT = re.compile(rf"(?<![a-z])(?:{V.not_doing_that})")
REFERS_TO_LAST = re.compile(r"^\W*(?:that(?:'s| is| was)|this is|which is|those are)\b")


def _dropped_sentences(t: str) -> list[tuple[int, int]]:
    """"When we ran the pilot we thought we'd have to fine-tune it so it sounds like our announcer. We've dropped that
    idea": the sentence before a "we've dropped that" is what the user no longer wants. And a sentence said of an
    idea set aside ("Player-support rules change weekly, but that's the other idea"; "The rewriter only had 40
    examples. That's partly why we dropped it") tells nothing about the one being decided."""
    spans = sentences(t)
    out = [spans[i - 1] for i in range(1, len(spans)) if DROPPED.match(t[spans[i][0]:spans[i][1]])]
    for i, (a, b) in enumerate(spans):
        if NOT_THIS_IDEA.search(t, a, b) or (NOT_DOING_THAT.search(t, a, b) and IDEA.search(t, a, b)):
            out.append((a, b))
            if i and REFERS_TO_LAST.match(t[a:b]):
                out.append(spans[i - 1])
    return out


OPTION_ASKED = re.compile(r"(?:^|[.!?;:]\s*)([^.!?;:\n]{1,30}\?)\s*$")  # a short option asked just before a shrug
# a belief the user held, then doubted in the sentence after it: the doubt covers the belief
BELIEVED = re.compile(r"\b(?:we|i) (?:were|was) (?:so |very |pretty )?(?:sure|certain|convinced)|\b(?:we|i) (?:thought|believed|"
                      r"assumed)|\bat first\b|\boriginally\b")
NOW_DOUBTED = re.compile(r"^\W*(?:(?:but|and)\s+)?(?:now|these days|today|since then)\b")


def _refers_back(ctx: Context, current: Mapping[str, object], found: Mapping[str, list[Candidate]]) -> Candidate | None:
    """"only about 60 of those are usable": a figure that corrects the count we already hold; and "Correction -
    ... We now have 900 adjudicated cases", a count of examples in a correction while we hold one."""
    corrects = CORRECTION.search(ctx.t) is not None
    if not corrects and not re.search(r"\bonly\b", ctx.t):
        return None
    counted = {c.start for c in found.get("labeled_examples", [])}  # (not "20,000 tickets, none of them labelled")
    for m in ctx.mentions:
        examples_again = corrects and m.kind == "count" and current.get("labeled_examples") is not None and \
            m.start in counted and re.fullmatch(V.example_nouns, m.noun.split()[-1]) is not None
        if m.kind in ("bare", "count") and (REFERS_BACK.match(ctx.t[m.end:m.end + 30]) or examples_again or
                                            RESTATED.search(ctx.t[max(0, m.start - 24):m.start])):
            slot = "labeled_examples" if current.get("labeled_examples") is not None else "monthly_queries"
            slot = _named_slot(ctx.t)[0] or slot  # "Correction on the volume: more like 40 thousand"
            if slot in REJECTS and REJECTS[slot](ctx, m.start, m.end):
                continue  # "Correction: 21 of those turned out to be duplicates, so it's 99": the 21 taken out
            held = current.get(slot)
            if held is not None and (not _close(as_int(m.value), held) or
                                     isinstance(held, int) and _straddles(slot, *sorted((as_int(m.value), held)))):
                # (not the held figure said back: "the notes say 50 example scripts - that's 50 script files")
                return Candidate(slot, as_int(m.value), level.CUE, ctx.quote(m.start, m.end), "correction.refers_back",
                                 m.start, m.end, correction=True)
    return None


OTHER_PARTY = re.compile(rf"(?<![a-z])(?:{V.other_parties})(?![a-z])")
# the user's own words inside a phrase naming someone else ("one of our competitors", "a utility we're compared with")
OTHER_OF_OURS = re.compile(r"\b(?:one of )?our (?:main |biggest |closest |big |largest )?(?:competitors?|rivals?|competition)\b|"
                           r"\b(?:competitors?|rivals?) of ours\b|\b(?:that |which |who )?we(?:'re| are| get| were) "
                           r"(?:compared|benchmarked|measured) (?:with|to|against)\b")
OWN = re.compile(r"\b(?:we|we're|we've|we'd|we'll|i|i'm|i've|us|ours|our own)\b")
NUMERIC_SLOTS = frozenset(module.SLOT for module in NUMBER_READERS)


def _said_of_another(ctx: Context, start: int) -> bool:
    """Is the figure at `start` said in a clause about someone else (a competitor, a vendor's demo, a benchmark; vocabulary
    `other_parties`) with no "we" / "I" of the user's own in it?"""
    clause = clause_at(ctx.clauses, start)
    if clause is None or OTHER_PARTY.search(clause.text) is None:
        return False
    return OWN.search(OTHER_OF_OURS.sub(" ", clause.text)) is None


def _theirs_weaker(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """"Intercom's bot handles 50k chats a month for one of our competitors": someone else's figure (for one slot) is
    not the user's. Beside one of their own it is dropped; alone it is only proposed (the consultant asks)."""
    theirs = [c for c in found if c.end > c.start and _said_of_another(ctx, c.start)]
    if not theirs:
        return found
    if len(theirs) < len(found):
        return [c for c in found if c not in theirs]
    return [c.weaker(level.WEAK) for c in found]


TAKE_BACK = re.compile(r"^\W*(?:no|nope|nah)\W+(?:wait|sorry|actually|hang on|hold on|scratch that|my bad|i mean|"
                       r"i mixed|i got (?:that|it) wrong|that'?s wrong)\b")
BARE_VERDICT = re.compile(r"(?:no|nope|nah|yes|yeah|yep)")


def _no_of_a_correction(candidates: list[Candidate], t: str, pending: str | None) -> list[Candidate]:
    """"No - since March the ministry publishes updates monthly. Quarterly was the old schedule": a bare "no" whose
    sentence goes on to correct another slot says no to what we held, not to the question asked."""
    corrected = [c for c in candidates if c.correction and c.slot != pending]
    return [c for c in candidates if not (
        c.slot == pending and BARE_VERDICT.fullmatch(t[c.start:c.end]) and
        any(sentence_bounds(t, o.start) == sentence_bounds(t, c.start) for o in corrected))]


def _learned(ctx: Context, found: dict[str, list[Candidate]], reader: ReaderKind, hedged: bool) -> list[Candidate]:
    """Enum readings from the learned model: in place of the rules ("learned"), or where they found nothing
    ("both": the slot being asked, and the need of an opening)."""
    from consultant.nlu import learned

    # where the rules found words for a slot and set them aside ("I'd have told you it's about knowledge", "tone:
    # whatever"), the learned reader does not read them back in
    wanted = [s for s in learned.SLOTS if reader == "learned" or not (found.get(s) or hits(s, ctx.t, ctx.clauses))]
    if reader == "both":
        wanted = [s for s in wanted if s == ctx.pending or (s == "need" and ctx.pending is None)]
        # "Latency: the panel must answer within 250 ms" while citations are asked: a message the rules read as a
        # plain statement about another slot does not also answer the one asked
        # (or corrects another slot: "no - since this year the regulator publishes guidance monthly")
        elsewhere = any(c.confidence >= level.STATED or c.correction
                        for slot, cs in found.items() if slot != ctx.pending for c in cs)
        wanted = [s for s in wanted if not (s == ctx.pending and elsewhere)]
    # "Answers are factual: which light means what" while the change rate is asked: the rules read the message as
    # about another slot, so a guess at the slot asked is only proposed (confirmed if it matters), never stored
    # (not a need cue: the nouns of any use case hint at one, "They're old books, nobody's writing new editions")
    about_another = any(c.confidence >= level.INFERRED for slot, cs in found.items()
                        if slot not in (ctx.pending, "need") for c in cs)
    out = []
    text = " ".join(ctx.t.split())
    for slot in wanted if text and not hedged else []:
        guess = learned.predict(slot, text)
        if guess is None or guess[0] == learned.NONE or guess[1] < LEARNED_PROPOSAL:
            continue
        answering = slot == ctx.pending
        confidence = level.ANSWER if answering and guess[1] >= LEARNED_ANSWER and not about_another else \
            level.INFERRED if guess[1] >= LEARNED_ANSWER else level.WEAK
        out.append(Candidate(slot, guess[0], confidence, ctx.quote(0, len(ctx.t)), f"learned.{slot}",
                             0, len(ctx.t), extractor="embedding"))
    return out


def _own_questions(t: str, asked: list[tuple[int, int]], pending: str | None,
                   topics: list[tuple[int, int]]) -> tuple[list[tuple[int, int]], str | None]:
    """"How many examples do we have? Um, forty", "Labeled examples? Zero.": a question the user answers at once is
    not one for the consultant, and what follows answers it (unless its words name two topics)."""
    own = moves.own_questions(t, asked, pending, topics)
    if not own:
        # "whats a lot of queries? we do like 200k a day": the question is answered, and what follows it is said
        # about the one topic it names (a shrug after it is left to _hedges_about)
        last = asked[-1] if asked else None
        after = t[last[1]:] if last is not None else ""
        named = moves.topics_of(t[last[0]:last[1]]) if last is not None and after.strip(" .?!\n") and \
            not _hedged_sentences(after) else []
        return asked, named[0] if len(named) == 1 else pending
    named = moves.topics_of(t[own[0][0]:own[0][1]])
    return [span for span in asked if span not in own], named[0] if len(named) == 1 else pending


def read(text: str, pending: str | None = None, current: Mapping[str, object] | None = None,
         choices: Sequence[dict[str, Any]] | None = None, reader: ReaderKind = "both") -> Reading:
    """Read one user message (see the module docstring). `reader` picks the rules, the learned model or both
    for the enum slots (numbers are always read by the rules)."""
    return _read(text, pending, current or {}, choices, reader, check_language=True)


UNIT_SOURCES = ("mention.duration", "mention.money", "mention.rate", "mention.rate.per_person", "mention.times",
                "mention.tokens")
"""Readings of a figure with its unit: they mean the same in any language ("1,5 segundos", "R$ 500 mil")."""


def _another_language(text: str, cleaned: str, pending: str | None, current: Mapping[str, object],
                      choices: Sequence[dict[str, Any]] | None, reader: ReaderKind) -> Reading:
    """A message mostly in another language. Its English parts are read ("Es muss mehr wissen, nämlich das Handbuch.
    Know more, ganz klar."); when they say nothing, a figure with its unit that answers the question asked ("Con 1,5
    segundos vamos sobrados") is taken; otherwise the user is asked to write in English, never guessed at."""
    english = moves.english_parts(cleaned)
    if re.search(r"[a-z0-9]", english.lower()):
        partial = _read(english, pending, current, choices, reader, check_language=False)
        if (partial.candidates or partial.hedged or partial.hedged_about) and partial.intent in ("answer", "choice"):
            partial.english_parts_only = True
            partial.candidates = [replace(c, evidence=_without_gaps(c.evidence)) for c in partial.candidates]
            return partial
    whole = _read(text, pending, current, choices, reader, check_language=False)
    figures = [c for c in whole.candidates if c.slot == pending and c.source in UNIT_SOURCES]
    if figures:
        return Reading(candidates=figures, english_parts_only=True)
    return Reading(intent="other_language")


def _read(text: str, pending: str | None, current: Mapping[str, object], choices: Sequence[dict[str, Any]] | None,
          reader: ReaderKind, check_language: bool) -> Reading:
    cleaned = fix_typos(text)
    t = moves.local_scales(working_copy(cleaned))
    reading = Reading()
    if moves.is_instruction(t, text):
        reading.intent = "instruction"
        return reading  # an instruction is answered as such and never read for slots
    chosen = moves.match_choice(t, choices or [])
    if chosen is not None:
        return _chosen(reading, chosen, text)
    if check_language and moves.other_language(cleaned):
        return _another_language(text, cleaned, pending, current, choices, reader)
    asked = moves.question_spans(t)
    # (not "Budget?" alone, which asks; nor "behave differently? it's tagging": the need's own words are its answer)
    topics = moves.topic_questions(t)
    answered = [span for span in topics if t[span[1]:].strip(" .?!\n") and moves.topic_of(t[span[0]:span[1]]) != "need"]
    statements = _unfigured(_blank(t, asked + answered + moves.aside_spans(t) + _dropped_sentences(t) +
                                   other_idea_spans(t)), moves.quoted_samples(t))
    asked, pending = _own_questions(t, asked, pending, topics)
    ctx = Context(cleaned, statements, pending, current)
    found: dict[str, list[Candidate]] = {}
    for module in READERS if reader != "learned" else NUMBER_READERS:
        for c in module.read(ctx):
            found.setdefault(c.slot, []).append(c)
    if reader != "rules":
        for c in _learned(ctx, found, reader, bool(_hedged_sentences(statements))):
            found.setdefault(c.slot, []).append(c)
    for c in _corrected_figures(ctx, [c for cs in found.values() for c in cs]):
        found[c.slot].append(c)
    for c in _replaces_held(ctx, current):
        # the corrected slot takes the figure; no other slot may read the same words
        found = {slot: [o for o in cs if not (o.start == c.start and slot != c.slot)] for slot, cs in found.items()}
        found = {slot: cs for slot, cs in found.items() if cs}
        found.setdefault(c.slot, []).append(c)
    opening = _opening_answer(ctx, pending)
    if opening is not None:
        found[opening.slot] = [opening]
    hedges = _hedged_sentences(statements)
    # "Ballpark 60. Could be 50, could be 70": the figure said outright outranks those said inside a hedge
    found = {slot: prefer(cs, lambda c: not any(a <= c.start < b for a, b in hedges)) for slot, cs in found.items()}
    found = {slot: _theirs_weaker(ctx, cs) if slot in NUMERIC_SLOTS else cs for slot, cs in found.items()}
    candidates = _one_slot_per_figure([_resolve(slot, cs, statements, current.get(slot))
                                       for slot, cs in found.items()], pending)
    candidates = _no_of_a_correction(candidates, statements, pending)
    taken_back = TAKE_BACK.match(statements)
    if taken_back is not None:
        # "No wait, I mixed that up. $40k a month is what we pay the BPO": the "no" takes back what the user said
        # before; it answers no question
        candidates = [c for c in candidates if not (c.slot in ENUM_SLOTS and c.start < taken_back.end())]
    back = _named_correction(ctx, candidates) or _refers_back(ctx, current, found)
    if back is not None and back.slot not in {c.slot for c in candidates if c.slot != back.slot}:
        candidates = [c for c in candidates if c.slot != back.slot] + [back]
    if hedges:
        # "not sure, maybe weekly": a fact said inside a hedge is a proposal; the need said inside one is nothing
        candidates = [c.weaker(level.HEDGED_CAP) if any(a <= c.start < b for a, b in hedges) else c
                      for c in candidates if not (c.slot in ("need", "output_type") and
                                                  any(a <= c.start < b for a, b in hedges))]
    if hedges and hedges[0][0] <= len(statements) - len(statements.lstrip()) :
        # "I'm not sure. I don't really know what it would be doing - letters, triage...": an answer that opens
        # by saying it does not know is that; the nouns after it are thinking aloud
        # ... but in a list of "key: value" lines the hedge is one line's ("- need: not sure\n- output: JSON")
        line_end = statements.find("\n", hedges[0][0])
        line_end = len(statements) if line_end < 0 else line_end
        # ... and "Honestly I can't say. What I can tell you is what it produces: ... a classification thing":
        # what follows a firm "what I can tell you is" is said for sure
        firm = FIRM.search(statements, hedges[0][1])
        line_end = min(line_end, firm.start()) if firm is not None else line_end
        # "I don't really know what the difference is. Know more, behave different... I'm not sure.": the options
        # named back between two shrugs are not a choice, however plainly they are worded
        shrugs_last = len(hedges) > 1 and hedges[-1][1] >= len(statements.rstrip(" .!?\n")) and firm is None
        # (what is firm answers the question asked, unless it names another: "what I can tell you is what it produces")
        elsewhere = firm is not None and moves.topic_of(statements[firm.end():firm.end() + 40]) not in (None, pending)
        candidates = [c for c in candidates if c.slot not in OPEN_ENDED or
                      (c.confidence >= level.STATED and not shrugs_last) or
                      (c.start >= line_end and (c.slot != pending or not elsewhere) and not shrugs_last)]
    reading.candidates = candidates
    reading.corrects = bool(CORRECTION.search(statements))
    reading.hedged = bool(hedges) and not any(c.slot == pending and c.applies for c in candidates)
    said_back = [span for span in asked if _said_back_and_shrugged(t, span)]
    _move(reading, t, statements, [span for span in asked if span not in said_back])
    _hedges_about(reading, statements, hedges, pending, current, [t[a:b] for a, b in said_back])
    return reading


KNOWN = re.compile(r"\b(?:i|we) (?:only |do |just |certainly )?know\b|\b(?:i|we) can tell you\b|what (?:i|we) (?:do )?know is")


def _unknown_part(sentence: str) -> str:
    """"You tell me - I only know what it should output": what the user says they do know is not what the shrug is
    about."""
    known = KNOWN.search(sentence)
    return sentence[:known.start()] if known is not None else sentence


def _hedges_about(reading: Reading, t: str, hedges: list[tuple[int, int]], pending: str | None,
                  current: Mapping[str, object], said_back: list[str]) -> None:
    """What a "not sure" is about: the slot its own sentence names ("I can't tell you whether it has to know
    more or behave differently"), else the one the user's question just named ("how often do products change?
    honestly no idea"), else the question asked."""
    asked = next((moves.topic_of(q) for q in [reading.question or "", *said_back] if q), None)
    about = {moves.topic_of(_unknown_part(t[a:b])) or asked or pending for a, b in hedges}
    others = tuple(sorted(s for s in about if s is not None and s != pending and current.get(s) is None))
    if others:
        reading.hedged_about = others
        reading.hedged = pending in about and not any(c.slot == pending and c.applies for c in reading.candidates)


def _without_gaps(evidence: str) -> str:
    """A quote from a message read in its English parts: the blanked stretches shown as one ellipsis."""
    return re.sub(r"(?:\s*[—–,:;.-]?\s{3,})+", " … ", evidence).strip(" .,;:—–-…") or evidence


def _said_back_and_shrugged(t: str, span: tuple[int, int]) -> bool:
    """"how often the rules change? dunno tbh": a question about the user's own facts, said back and followed by a
    shrug, is the user saying they cannot answer it; nothing was asked of the consultant (a "why"/"what is" question
    followed by a shrug is still a question)."""
    question = t[span[0]:span[1]]
    return (moves.question_kind(question) == "general" and
            (moves.topic_of(question) is not None or ECHOED.match(question) is not None) and
            bool(_hedged_sentences(t[span[1]:])))


# "What exactly it does? That's what we're hoping to figure out": a question in the word order of a statement (no
# auxiliary before its subject) echoes the one asked; it asks nothing
ECHOED = re.compile(r"^\W*(?:so\s+)?(?:what|how|which)\s+(?:exactly\s+|precisely\s+|much\s+|many\s+|often\s+)?"
                    r"(?:it|they|the\s+[\w-]+|we|our\s+[\w-]+)\s+(?!(?:is|are|was|were|do|does|did|can|could|would|will|should)\s+"
                    r"(?:it|they|we|you)\b)[\w'-]+\s*\??\s*$")


def _chosen(reading: Reading, choice: dict[str, Any], text: str) -> Reading:
    reading.intent = "choice"
    if choice.get("slot") and choice.get("value") is not None:
        reading.candidates = [Candidate(str(choice["slot"]), choice["value"], level.CHOSEN, text.strip()[:160],
                                        "choice", extractor="chosen")]
    else:
        reading.hedged = True  # "not sure" offered as a choice
    return reading


# "What would you pick - is that 'knowing more'? I don't know how to answer that one": help with the question asked,
# not a request to stop and recommend (it is answered, and the question put again)
PICK_FOR_ME = re.compile(r"\bwhat would you (?:pick|choose|say|go with)\b|\bdecide for (?:me|us)\b|\byou (?:pick|choose)\b")
ABOUT_THE_OPTIONS = re.compile(r"\bknow(?:ing)? more\b|\bbehav\w*|\b(?:those|these|the|your) two\b|\bwhich of\b|"
                               r"\bhow to answer\b|\b(?:that|this) (?:one|question)\b|\bwhich (?:box|bucket|option) it\b")


def _move(reading: Reading, t: str, statements: str, asked: list[tuple[int, int]]) -> None:
    """The user's move: a question, the recommendation now, a greeting, thanks, off-topic, or an answer."""
    said = moves.intents(statements)
    whole = moves.intents(t)
    if asked and reading.candidates:
        # "Knowledge or behaviour? Half and half, I'd say": a question said back and answered in the same breath
        asked = [(a, b) for a, b in asked if not is_echo(t[a:b])]
    if asked:
        # every question of the message, in order ("why is retraining so expensive? isn't it just a script?")
        question = " ".join(t[a:b].strip() for a, b in asked)
        before = [span for span in sentences(t) if span[1] <= asked[0][0]]
        if before and DEICTIC.match(question):
            question = f"{t[before[-1][0]:before[-1][1]].strip()} {question}"  # "you mentioned chunking. what's that?"
        reading.question = question
        reading.question_kind = moves.question_kind(question)
    if PICK_FOR_ME.search(t) and ABOUT_THE_OPTIONS.search(t):
        reading.question = reading.question_kind = None  # (a shrug at the question: it is left open, see above)
        return
    if "recommend_now" in whole:
        reading.intent = "recommend_now"
        reading.question = None
        return
    if reading.candidates:
        return
    if "off_topic" in whole and not reading.candidates:
        reading.intent = "off_topic"
    elif asked:
        reading.intent = "question"
    elif "greeting" in said:
        reading.intent = "greeting"
    elif "thanks" in said:
        reading.intent = "thanks"
    elif "off_topic" in said:
        reading.intent = "off_topic"
