"""The key question: know more, behave differently, or both. Stated needs are taken; needs read only from the
use case are proposed (the consultant confirms them with the three choices)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from consultant.nlu import confidence as level
from consultant.nlu.lexicon import Hit, hits
from consultant.nlu.readers.context import Context
from consultant.nlu.reading import Candidate
from consultant.nlu.text import clause_at, sentence_bounds, sentences
from consultant.nlu.vocabulary import VOCABULARY as V

SLOT = "need"
KNOW, BEHAVE, BOTH = "know_more", "behave_differently", "both"
# in an opening, any affirmed cue of the other side turns a stated need into a proposed "both" (confirmed); in
# an answer to the key question the side the user names is the answer ("it's about behaving differently; the
# facts are in the documents we pass in") unless they add the other half ("also")
STRONG_OTHER_SIDE = 1


@dataclass
class Tally:
    stated: dict[str, int] = field(default_factory=lambda: {KNOW: 0, BEHAVE: 0, BOTH: 0})
    cues: dict[str, int] = field(default_factory=lambda: {KNOW: 0, BEHAVE: 0, BOTH: 0})
    against: dict[str, int] = field(default_factory=lambda: {KNOW: 0, BEHAVE: 0})
    first: dict[str, Hit] = field(default_factory=dict)
    strongest: dict[str, int] = field(default_factory=lambda: {KNOW: 0, BEHAVE: 0, BOTH: 0})  # one cue's weight

    def add(self, hit: Hit) -> None:
        entry = hit.entry
        if entry.against:
            if hit.affirmed:
                self.against[entry.against] += entry.weight
                self.first.setdefault(f"against-{entry.against}", hit)
            return
        value = str(entry.value)
        if not hit.affirmed:
            if value in self.against and (hit.polarity == "negated" or entry.strength == "cue"):
                self.against[value] += 1  # "it doesn't need to act differently", "the tone is fine"
                self.first.setdefault(f"against-{value}", hit)
            return
        (self.stated if entry.strength == "stated" else self.cues)[value] += entry.weight
        if entry.strength != "stated":
            self.strongest[value] = max(self.strongest[value], entry.weight)
        self.first.setdefault(value, hit)

    def side(self, value: str) -> tuple[int, int]:
        """(stated, cue) weight of one side, with evidence against it taken off its cues first."""
        against = self.against.get(value, 0)
        cues = max(0, self.cues[value] - against * 2)
        stated = self.stated[value] if against <= self.stated[value] else 0
        return stated, cues


# "also ...", and a sentence that opens with "and" ("And of course it has to know what's happening"): the
# other half added to what was said before
EARLIER_SYSTEM = re.compile(r"\b(?:the|our|their) (?:last|old|previous|former|earlier|legacy) (?:[\w-]+ )?"
                            r"(?:chatbot|bot|assistant|system|tool|vendor|model|one|pilot|version)\b(?![^.;]{0,40}\b(?:now|but)\b)")
CHANGE_PREDICATE = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:ever |really |actually )?(?:changes?|changed|moves?|moved|"
                              r"evolves?|gets? (?:updated|revised)|is (?:updated|revised))\b")
CHANGE_BEFORE = re.compile(r"\b(?:nobody|no one|no-one|never|nothing)\s+(?:ever\s+)?(?:touches|touched|updates|updated|edits|"
                           r"edited|changes|changed|revises|revised|maintains)\s*$")
ALSO = re.compile(r"\b(?:also|as well as|on top of that|plus|in addition|additionally)\b|^\W*and\b")
FIGURE_KINDS = ("money", "count", "duration", "rate", "tokens", "percent")
# "...follow our structure exactly, and they have to be consistent with the current SOPs": a second obligation
# joined by "and" adds it as much as "also" does
ADDITIVE = re.compile(r"\b(?:also|as well|too|on top|plus|in addition|additionally|not only|both|(?:at|in) (?:the )?same time)\b|"
                      r",? and (?:(?:it|they|the [\w-]+|each [\w-]+|every [\w-]+) )?(?:also )?(?:has|have|must|needs?|should)\b|"
                      r",? and (?:also )?(?:know|be aware of|keep up with|get)\b|"  # "Sound like us, and know who's trading"
                      # "It has to know our medical policies and walk through the criteria in our fixed order"
                      r"\b(?:has|have|needs?) to (?:know|learn|understand) [^.;,]{3,60}? and (?:also )?"
                      r"(?!(?:the|a|an|our|its|their|other|more|all|any)\b)[a-z]+ (?:the|our|each|every|its|their|them|it|"
                      r"in|through|to|by)\b")  # (a verb with its object, not "the taxonomy and placement rules")


def _overlaps(a: Hit, b: Hit) -> bool:
    return a.start < b.end and b.start < a.end


def _same_clause(a: Hit, b: Hit) -> bool:
    return a.clause is not None and a.clause == b.clause


# a third party's view: "Our COO thinks ...", "Underwriting thinks ...", "the ops director says no, ..." (not "I
# think", "we think", nor a view the user then takes: "... and I agree")
REPORTED = re.compile(r"(?<![a-z'])(?!(?:i|we|it|that|this|which|nobody|no one|everyone|everybody)\s)"
                      rf"[a-z][a-z-]*(?:\s+[a-z][a-z-]*){{0,2}}\s+(?:{V.opinion_verbs})"
                      r"\b")
AGREED = re.compile(r"\b(?:i|we) (?:agree|side with|think (?:so|they're right|she's right|he's right))\b")


def reported_spans(t: str) -> list[tuple[int, int]]:
    """From a third party's opinion verb to the end of its sentence: what someone else thinks the need is."""
    out = []
    for m in REPORTED.finditer(t):
        first, last = sentence_bounds(t, m.start())
        if not AGREED.search(t, first, last):
            out.append((m.start(), last))
    return out


def read(ctx: Context) -> list[Candidate]:
    found = hits("need", ctx.t, ctx.clauses, ctx.pending)
    # "it just doesn't know our runbooks": a lack stated outright outranks the same words read as a negated cue
    found = [h for h in found if h.affirmed or not any(o.affirmed and o.entry.value == h.entry.value and
                                                        _overlaps(o, h) for o in found)]
    # "nothing about the style ever changes": the negation is of the change, not of the style
    found = [h for h in found if h.affirmed or not (
        CHANGE_PREDICATE.match(ctx.t[h.end:sentence_bounds(ctx.t, h.start)[1]]) or
        CHANGE_BEFORE.search(ctx.t[sentence_bounds(ctx.t, h.start)[0]:h.start]))]  # "nobody touches the documents"
    # "it can talk like a normal assistant": words read as evidence against a side are not also that side (nor the
    # words in the same clause: "how it sounds is already fine with the voice we use")
    found = [h for h in found if h.entry.against or not any(
        o.affirmed and o.entry.against == h.entry.value and (_overlaps(o, h) or _same_clause(o, h)) for o in found)]
    # "because our regulatory team signs off every answer template ..., every answer must cite the label section":
    # a cue in a sentence that says answers must be traced is said of the audit, not of the behaviour
    required = [h for h in hits("auditability", ctx.t, ctx.clauses)
                if h.affirmed and h.entry.value == "required" and h.entry.strength == "stated"]
    audited = [sentence_bounds(ctx.t, h.start) for h in required]
    found = [h for h in found if h.entry.strength != "cue" or h.entry.value != BEHAVE or
             not any(a <= h.start < b for a, b in audited)]
    # "every suggested code has to point to the line in the official coding guidelines": the documents an answer
    # must point to are named after the requirement, as its object; they say nothing about the need
    cited = [(h.start, sentence_bounds(ctx.t, h.start)[1]) for h in required]
    cited_only = any(h.entry.value == KNOW for h in found) and all(
        h.entry.strength == "cue" and any(a <= h.start < b for a, b in cited) for h in found if h.entry.value == KNOW)
    # "Our data science lead thinks it needs to know our products; the ops director says no, it's the format. The
    # ops director decided: it's about the format": what others think is not the answer; what is decided, or what the
    # user says in their own voice, is
    reported = reported_spans(ctx.t)
    found = [h for h in found if not any(a <= h.start < b for a, b in reported)]
    # "the last chatbot the city bought answered everything in pirate speak": what an earlier system did is a story
    # (in its own clause: "The old bot had no clue about our menu, and it sounded stiff, so it's half and half" says
    # what is missing)
    found = [h for h in found if not _of_an_earlier_system(ctx, h.start)]
    if _alternatives(ctx, found) or (UNDECIDED.search(ctx.t) and not any(h.affirmed and h.entry.strength == "stated"
                                                                         for h in found)):
        return []  # (or "that is exactly the question we have not answered yet; some colleagues talk about ...")
    tally = Tally()
    for hit in found:
        tally.add(hit)
    value, confidence, alternatives = decide(tally, answering=ctx.pending == SLOT)
    joined = _additive_both(ctx, found)
    if joined is None and (value in (KNOW, BEHAVE, None) or confidence <= level.INFERRED):
        joined = _adds_other_half(ctx, found, value)
    if joined is not None and (value in (KNOW, BEHAVE, None) or (value == BOTH and joined > confidence)):
        value, confidence, alternatives = BOTH, joined, ((SLOT, KNOW), (SLOT, BEHAVE))
    elif _adds_to(ctx, value) and ADDITIVE.search(ctx.t) and \
            any(h.affirmed and h.entry.value == value and _added(ctx, h)
                and not any(o.affirmed and o.entry.value == value and o.end <= h.start for o in found)
                for h in found):
        # "it also needs to know the catalog": the other half is implied (but "today's prices, plus advice from
        # our manuals" adds knowledge to knowledge); with the other half held, it is added to it
        value, confidence, alternatives = BOTH, level.ANSWER if ctx.pending == SLOT else level.STATED, ()
    if value is None:
        return []
    if value == KNOW and cited_only:
        # "every suggested code has to point to the line in the official coding guidelines": the documents an answer
        # must point to, named as the requirement's object, hint at the need; they do not state it
        confidence, alternatives = min(confidence, level.INFERRED), ((SLOT, BEHAVE), (SLOT, BOTH))
    if confidence == level.ANSWER and not any(tally.stated.values()) and _answers_something_else(ctx, found):
        # "we have around 1,100 past release notes": a count given while the need was asked answers another
        # question; what its nouns hint about the need is only a proposal
        confidence, alternatives = level.INFERRED, tuple((SLOT, v) for v in (KNOW, BEHAVE, BOTH) if v != value)
    elif ctx.pending != SLOT and (ctx.pending is not None or any(v is not None for v in ctx.current.values())) and \
            not any(tally.stated.values()) and \
            _answers_something_else(ctx):
        # "My QA lead found 350 annotated reports in the archive" while the examples are asked: what its nouns
        # hint about the need is weaker than a proposal made from an answer about the need itself
        confidence = min(confidence, level.WEAK)
    said: Hit | None = tally.first.get(value) or tally.first.get(f"against-{KNOW if value == BEHAVE else BEHAVE}") \
        or next(iter(tally.first.values()), None)
    start, end = (said.start, said.end) if said is not None else (0, len(ctx.t))
    source = said.entry.id if said is not None else "need"
    return [Candidate(SLOT, value, confidence, ctx.quote(start, end), source, start, end, alternatives=alternatives)]


# "that is exactly the question we have not answered yet": nobody has decided what the system should do
UNDECIDED = re.compile(rf"(?<![a-z])(?:{V.undecided_use})(?![a-z])")
# "Plan A is a help bot that answers from our patch notes. Plan B is a caster in the voice of our star
# shoutcaster": two alternatives, each with its own need, and nothing here says which one is built
ALTERNATIVE = re.compile(r"\b(?:plan|option|variant|scenario)\s+([ab12]|one|two)\b")


def _alternatives(ctx: Context, found: list[Hit]) -> bool:
    """Does the message set out alternatives whose needs differ (one clause knows, another behaves)?"""
    if len({m.group(1) for m in ALTERNATIVE.finditer(ctx.t)}) < 2:
        return False
    sides = {(h.entry.value, (h.clause.start, h.clause.end) if h.clause is not None else sentence_bounds(ctx.t, h.start))
             for h in found if h.affirmed and not h.entry.against and h.entry.value in (KNOW, BEHAVE)}
    know = {b for v, b in sides if v == KNOW}
    behave = {b for v, b in sides if v == BEHAVE}
    return bool(know) and bool(behave) and not know & behave


def _adds_to(ctx: Context, value: str | None) -> bool:
    """May "also" add `value` to the other half: in answer to the key question, or with the other half held ("it
    also has to know each supplier's contract" after "it must draft the way our negotiator writes")?"""
    held = ctx.current.get(SLOT)
    return value in (KNOW, BEHAVE) and (ctx.pending == SLOT or (held in (KNOW, BEHAVE) and held != value))


STRONG_CUE = 2  # a cue's weight from which it counts as much as a statement ("the current meta": need.know.dynamic)


def _of_an_earlier_system(ctx: Context, position: int) -> bool:
    clause = clause_at(ctx.clauses, position)
    return clause is not None and EARLIER_SYSTEM.search(ctx.t[clause.start:position]) is not None


def _added(ctx: Context, hit: Hit) -> bool:
    """Is the hit said as an addition ("also", "too" just before it or opening it)? In answer to the key question any
    additive word will do; beside a need held, only "also" before a stated need or a strong cue ("it also has to
    reflect the current meta"), not "the board and the carrier both insisted, and it's in the policy"."""
    window = ctx.t[max(0, hit.start - 30):hit.start + len("also ")]
    if ctx.pending == SLOT:
        return ADDITIVE.search(window) is not None
    return (hit.entry.strength == "stated" or hit.entry.weight >= STRONG_CUE) and ALSO.search(window) is not None


def _additive_both(ctx: Context, found: list[Hit]) -> float | None:
    """"It has to write in our format and also know our products": one sentence adds the second half.

    Both sides affirmed in one sentence that says "also", "as well", "too"...: stated on both sides is a
    reading of "both", and so is one side stated in answer to the key question; otherwise it is proposed and
    confirmed.
    """
    for a, b in sentences(ctx.t):
        if not ADDITIVE.search(ctx.t[a:b]):
            continue
        here = [h for h in found if a <= h.start < b and h.affirmed and not h.entry.against]
        sides = {str(h.entry.value) for h in here}
        if {KNOW, BEHAVE} <= sides:
            stated = {str(h.entry.value) for h in here if h.entry.strength == "stated"}
            if {KNOW, BEHAVE} <= stated:
                return level.STATED
            held = ctx.current.get(SLOT)
            if held in (KNOW, BEHAVE) and ({KNOW, BEHAVE} - {held}) <= stated:
                return level.STATED  # the tone held, then "so it needs that knowledge as well as the tone"
            # "So it's the format and also knowing the current policy", "The voice is the main thing, but it also has
            # to pull this week's promos", said to the key question: one side with the other added to it answers it
            return level.ANSWER if ctx.pending == SLOT else level.INFERRED
    return None


def _adds_other_half(ctx: Context, found: list[Hit], value: str | None) -> float | None:
    """"But every letter also quotes the current rates", "so it also needs to know stuff that changes": one
    side introduced by "also", the other side said elsewhere in the message or already held."""
    other_of = {KNOW: BEHAVE, BEHAVE: KNOW}
    for h in found:
        side = str(h.entry.value)
        if not h.affirmed or h.entry.against or side not in other_of or \
                not ALSO.search(ctx.t[sentence_bounds(ctx.t, h.start)[0]:h.start]):
            continue
        other = other_of[side]
        said_here = any(o.affirmed and not o.entry.against and o.entry.value == other for o in found)
        if said_here:
            return level.ANSWER if ctx.pending == SLOT else level.INFERRED  # an answer to the key question
        if ctx.current.get(SLOT) == other and h.entry.strength == "stated":
            return level.STATED
    return None


def _answers_something_else(ctx: Context, found: Sequence[Hit] = ()) -> bool:
    """A figure, or how often the knowledge changes said in the very sentences its need words sit in ("The
    categories are set once a year in the service catalogue review"): the message answers another question,
    whatever its nouns hint about the need (not "Answers operators' questions from the manuals. Those manuals are
    frozen": the use case, then how often it changes)."""
    if any(m.kind in FIGURE_KINDS and not m.negated for m in ctx.mentions):
        return True
    rates = {sentence_bounds(ctx.t, h.start) for h in hits("knowledge_change", ctx.t, ctx.clauses)
             if h.affirmed and h.entry.strength == "stated"}
    return bool(rates) and bool(found) and all(sentence_bounds(ctx.t, h.start) in rates for h in found)


def decide(tally: Tally, answering: bool) -> tuple[str | None, float, tuple[tuple[str, str], ...]]:
    """(value, confidence, other values to offer) from the evidence of one message."""
    know_s, know_c = tally.side(KNOW)
    behave_s, behave_c = tally.side(BEHAVE)
    both_s, both_c = tally.stated[BOTH], tally.cues[BOTH]
    sure = level.ANSWER if answering else level.STATED
    if both_s or both_c:
        return BOTH, sure, ()
    if know_s and behave_s:
        return BOTH, sure, ()  # "it has to stay in Bram's voice, and it has to know this week's events"
    for stated, other_cues, value, other in ((know_s, behave_c, KNOW, BEHAVE), (behave_s, know_c, BEHAVE, KNOW)):
        if stated:
            if other_cues >= STRONG_OTHER_SIDE and not answering:
                return BOTH, level.INFERRED, ((SLOT, value), (SLOT, other))
            if answering and other_cues >= STRONG_CUE and tally.strongest[other] >= STRONG_CUE:
                # "It must follow our macro structure, and the steps it gives have to match the current release": a
                # stated side, and knowledge of the day beside it (one strong cue, not a few weak ones: "voice and
                # tone are set by our voice platform already"), in answer to the key question: both, confirmed
                return BOTH, level.INFERRED, ((SLOT, value), (SLOT, other))
            return value, sure, ()
    know, behave = know_c, behave_c
    if not know and not behave:
        # only evidence against one side: "it doesn't need to know anything new" -> behave differently
        if tally.against[KNOW] and not tally.against[BEHAVE]:
            return BEHAVE, level.ANSWER if answering else level.INFERRED, ()
        if tally.against[BEHAVE] and not tally.against[KNOW]:
            return KNOW, level.ANSWER if answering else level.INFERRED, ()
        return None, 0.0, ()
    if know and behave and min(know, behave) / max(know, behave) >= 0.5:
        return BOTH, level.INFERRED, ((SLOT, KNOW), (SLOT, BEHAVE))
    value, other = (KNOW, BEHAVE) if know > behave else (BEHAVE, KNOW)
    if answering:
        return value, level.ANSWER, ()
    return value, level.INFERRED, ((SLOT, other), (SLOT, BOTH))
