"""Labeled examples: a count of things the team could train on."""

from __future__ import annotations

import re

from consultant.nlu import confidence as level
from consultant.nlu import derive
from consultant.nlu.lexicon import hits
from consultant.nlu.readers.context import CORRECTION, Context
from consultant.nlu.reading import Candidate, as_int, prefer
from consultant.nlu.text import clause_at, sentence_bounds
from consultant.nlu.vocabulary import VOCABULARY as V

SLOT = "labeled_examples"


# a sentence that opens by naming its topic answers about that topic
TOPIC_LABEL = re.compile(r"^\W*(?:labell?ed |training )?(?:examples?|training (?:data|set)|labels|labell?ed data)\s*[:=—–-]")


def _training_words(ctx: Context, start: int, end: int, bare: bool = False) -> bool:
    """Words that make a count a training set ("labelled", "approved", "we could train on"), in the count's clause
    or the figure-free clause after it ("50 are clean, properly labeled examples"); "60 per carrier" is not one."""
    if TOPIC_LABEL.match(ctx.sentence(start)):
        return True  # "Examples: I counted last night, we have 99 tasting notes"
    text = _said_of(ctx, start, end)
    words = [m.group(0) for m in re.finditer(rf"(?<![a-z])(?:{V.example_words})(?![a-z])", text)]
    if bare:
        # "80k, approved by the GM" while the budget is asked: a word that also approves budgets decides nothing
        words = [w for w in words if not re.fullmatch(rf"(?:{V.budget_words})", w)]
    return bool(words)


AFTERTHOUGHT_WORDS = 3  # "..., like sixty", "..., about 400 of them"


def _said_of(ctx: Context, start: int, end: int) -> str:
    """The count's clause and the figure-free clause after it in the same sentence ("300,000 emails, none of them
    tagged"; "50 are clean, properly labeled examples"): what is said about that count."""
    index = next((i for i, c in enumerate(ctx.clauses) if c.start <= start < c.end), None)
    text = _clause_of(ctx, start, end)
    if index is not None and index > 0 and len(text.split()) <= AFTERTHOUGHT_WORDS:
        # "Rewritten SOPs we actually have, like sixty": a figure added after its topic, in a clause of its own
        before = ctx.clauses[index - 1]
        if before.sentence == ctx.clauses[index].sentence and \
                not any(before.start <= m.start < before.end for m in ctx.mentions):
            text = before.text + " " + text
    if index is not None and index + 1 < len(ctx.clauses):
        following = ctx.clauses[index + 1]
        if following.sentence == ctx.clauses[index].sentence and \
                not any(following.start <= m.start < following.end for m in ctx.mentions):
            text += " " + following.text
    return text


def _clause_of(ctx: Context, start: int, end: int) -> str:
    clause = clause_at(ctx.clauses, start)
    return ctx.t[clause.start:clause.end] if clause is not None else ctx.t[max(0, start - 60):end + 60]


def _clause_start(ctx: Context, start: int) -> int:
    """Where the clause holding `start` begins ("we wanted to label 500 | but got through 240")."""
    clause = clause_at(ctx.clauses, start)
    return clause.start if clause is not None else sentence_bounds(ctx.t, start)[0]


def rejects(ctx: Context, start: int, end: int) -> bool:
    """A count its own clause rules out as a training set ("2,000 raw chat logs", "reviewed by two analysts"); not
    "only about 60 are usable, the rest are junk", where the junk is the rest."""
    unusable = re.search(rf"(?<![a-z])(?:{V.unusable_words})(?![a-z])", _clause_of(ctx, start, end))
    # (and "21 of those turned out to be duplicates": the count taken out)
    return unusable is not None or _not_a_total(ctx, start, end) or WERE_REMOVED.match(ctx.t[end:end + 40]) is not None


# the other items of a count, after those said to be usable ("only 99 passed review, the rest are discarded")
THE_OTHERS = re.compile(r"\b(?:the rest|the others|all the others|the remainder|everything else)\b")


def _unusable(ctx: Context, start: int, end: int) -> bool:
    """"the 5,000 are raw chat logs", "300,000 emails, none of them tagged": words said of the count that say it is
    not a training set; "min train examples: 500" in a pasted config is a requirement, not what they have."""
    if MIN_KEY.search(ctx.t[max(0, start - 40):start]) or WERE_REMOVED.match(ctx.t[end:end + 40]):
        return True  # (and "ten were duplicates": the count taken out)
    if AGE_BEFORE.search(ctx.t[max(0, start - 24):start]) or AGE_AFTER.match(ctx.t[end:end + 14]):
        return True  # "the broker who signs is my dad. He's 71": an age
    key = LINE_KEY.search(ctx.t[max(0, start - 40):start]) if re.match(r"\s*(?:[.,;]|\n|$)", ctx.t[end:end + 2]) else None
    if key is not None and not re.search(rf"(?<![a-z])(?:{V.example_words}|{V.example_nouns}|{NEUTRAL_KEYS})(?![a-z])",
                                         key.group(1)):
        return True  # "epochs: 4" on a line of its own: the figure is its key's, whatever was asked
    _, last = sentence_bounds(ctx.t, start, end)
    following = min((m.start for m in ctx.mentions if m.start >= end), default=last)
    said = _said_of(ctx, start, end) + " " + ctx.t[end:min(last, following)]  # "..., but most are junk, so they don't count"
    said = THE_OTHERS.split(said)[0]  # "only 99 passed review, the rest are discarded": said of the others
    return re.search(rf"(?<![a-z])(?:{V.unusable_words})(?![a-z])", said) is not None


def read(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    answering = ctx.answers(SLOT)
    per_unit: set[int] = set()
    for m in ctx.mentions:
        if m.negated or m.kind not in ("count", "bare") or m.figure.from_article:
            continue
        if not answering and re.fullmatch(r"[a-z -]+", m.text) and m.value < 20:
            continue  # "checked by two reviewers": a small word number in passing is not a training set
        if m.kind == "bare" and m.value < 20 and re.fullmatch(r"[a-z -]+", m.text) and re.match(r"\s+[a-z]{3,}s\b", ctx.t[m.end:m.end + 20]):
            continue  # "I conflated two things": a number word counting something else
        if m.kind == "count" and re.fullmatch(V.volume_nouns, m.noun.split()[-1]) and _per_period(ctx, m.end):
            continue
        if _unusable(ctx, m.start, m.end):
            continue  # "another couple of million unlabelled recordings", "the 300 experiments were throwaway"
        if _not_a_total(ctx, m.start, m.end) and m.low is None and ctx.units_of(m.start, m.end) is None:
            continue  # "checked by two senior handlers", "twenty more were approved", "dozens of questions each"
            # (not a range: "somewhere between 85 and 95 properly labelled notes")
        if _training_words(ctx, m.start, m.end, bare=m.kind == "bare" and ctx.pending == "upfront_budget_usd"):
            confidence = level.STATED if answering or not m.figure.vague else level.WEAK  # "dozens of": ask
        elif answering:
            confidence = level.ANSWER
        elif m.kind == "count" and re.fullmatch(V.example_nouns, m.noun.split()[-1]):
            confidence = level.WEAK  # "20,000 past reports": a corpus, or a training set? confirm if it matters
        else:
            continue
        value = (m.low + m.high) / 2 if m.low is not None and m.high is not None else m.value
        units = ctx.units_of(m.start, m.end)
        if units is not None:  # "Each of our 6 desks has about 300 published recaps": 1,800 in all
            per_unit.add(units.start)
            value *= units.value
        out.append(Candidate(SLOT, as_int(value), confidence, ctx.quote(m.start, m.end), f"mention.{m.kind}",
                             m.start, m.end))
    out = [c for c in out if c.start not in per_unit]  # the units are not the count
    for hit in hits("phrases", ctx.t, ctx.clauses, ctx.pending):
        if hit.slot == SLOT and hit.affirmed:
            out.append(Candidate(SLOT, 0, level.STATED if not hit.entry.answer_only else level.ANSWER,
                                 ctx.quote(hit.start, hit.end), hit.entry.id, hit.start, hit.end))
    out = _share_of_total(ctx, out)
    counted = [c for c in out if c.value and c.confidence >= level.STATED]
    if counted:
        # "80,000 tickets, none of them labelled. Our lead tagged 150 of them": "none of them" says the pool is
        # unlabelled; the count said outright is the training set
        out = [c for c in out if c.value or not POOL.search(ctx.t[c.start:c.end + 12])]
    out = _subset(ctx, ctx.precise_over_vague(out))  # "a few dozen pairs, maybe 30": the figure said outright over the one implied
    # "maybe eighty, ninety? Definitely under a hundred": a bound beside the figures said plainly is not the count
    out = prefer(out, lambda c: not BOUND_BEFORE.search(ctx.t[max(0, c.start - 24):c.start]))
    out = _worked_out(ctx, out)
    # "99. Partner labeled 100, one dropped as a duplicate": a count some were then taken out of is how the
    # answer was reached, not the answer
    out = prefer(out, lambda c: c.source.endswith(".derived") or
                 not REMOVED_AFTER.search(ctx.t[c.end:sentence_bounds(ctx.t, c.end)[1]]))
    out = _then_and_now(ctx, out, answering)
    # "they got through exactly 100 ... The other 1,900 I wouldn't trust": the remainder is what is left over
    out = prefer(out, lambda c: not REMAINDER_BEFORE.search(ctx.t[max(0, c.start - 24):c.start]))
    # "Labeled: none yet. SMEs will label in Q3 (target 500)": what is planned is not what they have
    out = prefer(out, lambda c: not PLANNED.search(ctx.t[_clause_start(ctx, c.start):c.start]))
    out = ctx.strictly_under(out)
    stated = [c for c in out if c.confidence >= level.STATED]
    return out if answering else stated or out  # an answer's bare figures compete (see nlu._resolve)


def _corrected_count(ctx: Context) -> list[Candidate]:
    """"Correction: I just counted in the repo and it's 99" while 100 examples are held (and something else is asked):
    a correction that gives a figure within a tenth of the held count, and nothing else read, corrects it."""
    if ctx.pending == SLOT or not ctx.corrects_held(SLOT):
        return []
    held = ctx.current.get(SLOT)
    near = [m for m in ctx.near_held(SLOT) if m.kind in ("bare", "count") and not m.negated and m.figure.value != held]
    return [Candidate(SLOT, as_int(m.value), level.ANSWER, ctx.quote(m.start, m.end), f"mention.{m.kind}", m.start,
                      m.end, correction=True) for m in near[-1:]]


def _worked_out(ctx: Context, out: list[Candidate]) -> list[Candidate]:
    """Counts the user leaves to work out (see nlu/derive.py): "we had 150 approved memos and threw out 49" (101),
    "we've labeled eight voice notes a month for the past twelve months" (96)."""
    out = derive.taken_out(ctx, out) if out else _corrected_count(ctx)  # (or "Correction: ... it's 99")
    grown = derive.accumulated(ctx)
    return out if grown is None else [c for c in out if not grown.start <= c.start < grown.end] + [grown]


def _then_and_now(ctx: Context, out: list[Candidate], answering: bool) -> list[Candidate]:
    """"The pilot had 60. The team has now signed off about 5,000": beside a count said of now, one said of an
    earlier system or time is how it was (not "the QA team graded 70 summaries last quarter": they still have them).
    "Last year we fine-tuned on 60 examples and it was bad", said in passing, is asked about, not stored."""
    past = {(c.start, c.end) for c in out if ctx.of_the_past(c.start, c.end)}  # looked up once per candidate
    if any(SAID_NOW.search(ctx.t[_clause_start(ctx, c.start):c.start]) for c in out):
        return prefer(out, lambda c: (c.start, c.end) not in past)
    if not answering:
        return [c.weaker(level.WEAK) if (c.start, c.end) in past else c for c in out]
    past_values = {c.value for c in out if (c.start, c.end) in past}
    if any(c.source.startswith("mention") and c.value not in past_values and (c.start, c.end) not in past for c in out):
        # "99 - we had 100, but one was a duplicate": a figure said of now over one said of before (but "none
        # labeled... well, the QA team graded 70 last quarter" keeps its 70)
        return prefer(out, lambda c: (c.start, c.end) not in past)
    return out


SAID_NOW = re.compile(r"\b(?:now|since|since then|today|currently|these days|at the moment|so far|to date|"
                      r"(?:for|in|with) the new)\b")
BOUND_BEFORE = re.compile(r"\b(?:under|below|less than|fewer than|short of|at most|no more than|over|more than|"
                          r"at least|above)\s*(?:about\s+|around\s+)?$")
PLANNED = re.compile(r"\b(?:will|going to|plan(?:s|ned)? to|aim(?:ing|ed)? (?:for|to)|target(?:ing)?|goal|hop(?:e|ed) to|"
                     r"(?:meant|wanted|intended) to|by (?:q[1-4]|"
                     r"next|the end of))\b")
_SOME = r"(?:one|two|three|four|five|a few|some|several|a couple|a handful|\d[\d,]*)"
_TAKEN_OUT = r"(?:dropped|removed|eliminated|discarded|deleted|excluded|rejected|thrown out|thrown away|binned|cut|pulled|withdrawn|scrapped)"
REMOVED_AFTER = re.compile(rf"\b{_SOME}\s+(?:of (?:them|those)\s+)?(?:was |were |got |has been |have been )?{_TAKEN_OUT}\b|"
                           rf"\b(?:dropped|removed|eliminated|discarded|deleted|excluded|rejected|threw out|threw away|took out|binned|cut)\s+"
                           rf"{_SOME}\b|\bthrew\s+{_SOME}\s+(?:of (?:them|those)\s+)?(?:out|away)\b")
POOL = re.compile(r"\b(?:none|no one|not one) of (?:them|those|these|which|it)\b")
# the people who did it ("by two analysts"); an increment ("QA signed off another ten")
NOT_A_TOTAL_BEFORE = re.compile(r"\b(?:by|from|between|among|with|another|a further|an extra|an additional)\s*$")
NOT_A_TOTAL_AFTER = re.compile(r"^\s*(?:more|additional|extra|new ones|others)\b|^[\w\s-]{0,30}?\s(?:each|apiece)\b")


def _not_a_total(ctx: Context, start: int, end: int) -> bool:
    """A figure that is not the size of a training set: who did the work ("reviewed by two analysts"), an
    increment ("twenty more were approved yesterday") or a per-item quantity ("dozens of questions each")."""
    return NOT_A_TOTAL_BEFORE.search(ctx.t[max(0, start - 12):start]) is not None or \
        NOT_A_TOTAL_AFTER.match(ctx.t[end:end + 40].split(".")[0]) is not None


# "only about a sixth were labelled", "about 4 % have scores we trust", "one in ten is usable": a share of a total
DENOMINATORS = {"half": 2, "third": 3, "quarter": 4, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
                "ninth": 9, "tenth": 10}
SHARE = re.compile(r"\b(?:(?:a|one)\s+(third|quarter|fourth|fifth|sixth|seventh|eighth|ninth|tenth)|(half))"
                   r"(?!\s+(?:of\s+)?an?\s)(?=\s+(?:of\s+(?:them|those|these|it|that|the\s+[\w-]+)\s+)?"
                   r"(?:are|were|is|was|have|has|had|got|passed|made|carry|come|came|[a-z]+ed)\b)")
MIN_TOTAL = 10
OF_TOTAL = re.compile(r"^\s*(?:%|percent|per cent)?\s*of\s+(?:the|our|those|these|all)?\s*(?=\d)")
SHARE_AS = re.compile(r"^\s*(?:%|percent|per cent)?\s*(?:of\s+(?:them|those|these|the\s+[\w-]+)\s+)?as\b")
DONE_BEFORE = re.compile(r"\b[a-z]+ed\s+(?:about\s+|around\s+|roughly\s+|some\s+|~)?$")


def _share_of_total(ctx: Context, out: list[Candidate]) -> list[Candidate]:
    """"2,000 graded essays, but only about 4 % have the double-marked scores we trust" -> 80; "500 is the total
    number of reports. Only about a sixth were actually labelled" -> 83. The share is the training set when its
    clause says what makes it one; the total is the count said before it, or the count we hold."""
    shares = [(m.start, m.end, m.value / 100) for m in ctx.mentions if m.kind == "percent" and 0 < m.value < 100 and
              re.match(r"^\s*(?:%|percent|per cent)?\s*(?:of\s+(?:them|those|these|the\s+[\w-]+)\s+)?"
                       r"(?:are|were|is|was|have|has|had|got|passed|made|carry)\b", ctx.t[m.figure.end:m.end + 30]) or
              # "managers marked roughly 60% as good examples": the share as the object of what was done to them
              (m.kind == "percent" and 0 < m.value < 100 and SHARE_AS.match(ctx.t[m.figure.end:m.end + 30]) and
               DONE_BEFORE.search(ctx.t[max(0, m.start - 24):m.start]))]
    shares += [(m.start(), m.end(), 1 / DENOMINATORS[m.group(1) or m.group(2)]) for m in SHARE.finditer(ctx.t)]
    # "About 10 % of the 3,000 claims are labelled": the share of a total said right after it
    shares += [(m.start, m.end, m.value / 100) for m in ctx.mentions if m.kind == "percent" and 0 < m.value < 100 and
               OF_TOTAL.match(ctx.t[m.figure.end:m.figure.end + 30])]
    for start, end, part in shares:
        if not _training_words(ctx, start, end):
            continue
        of_total = OF_TOTAL.match(ctx.t[end:end + 30])
        before = [m for m in ctx.mentions if (m.end <= start or of_total and m.start == end + of_total.end()) and
                  m.kind in ("count", "bare") and m.value >= MIN_TOTAL and not m.negated]
        held = ctx.current.get(SLOT)
        total = before[-1].value if before else held if isinstance(held, int) and held >= MIN_TOTAL else None
        if total is None:
            continue
        share = Candidate(SLOT, as_int(total * part), level.STATED, ctx.quote(start, end), "mention.share", start, end,
                          correction=not before or CORRECTION.search(ctx.t) is not None)
        return [c for c in out if c.value != as_int(total)] + [share]
    return out


AGE_BEFORE = re.compile(r"\b(?:he|she|they|who)(?:'s| is| was| are| were| turned| turns)\s+(?:about |nearly |almost |over |only )?$|"
                        r"\baged\s+$")
AGE_AFTER = re.compile(r"^\s*(?:years? old|yo\b|-year-old)")
LINE_KEY = re.compile(r"(?:^|\n)\s*[-*]?\s*([a-z][a-z ()]{1,30}?)\s*[:=]\s*$")
NEUTRAL_KEYS = r"total|count|number|amount|approx\w*|roughly|about|estimate|answer|so far|currently|today|now|current|overall"
WERE_REMOVED = re.compile(rf"^\s*(?:of (?:them|those)\s+)?(?:were|was|are|got|turned out to be|proved to be|turned out|"
                          rf"are actually|were actually)\s+(?:\w+\s+)?(?:duplicates?|dupes|junk|"
                          rf"{_TAKEN_OUT})\b")
MIN_KEY = re.compile(r"\b(?:min|minimum|max|maximum)\b[a-z ]{0,30}[:=]\s*$")
REMAINDER_BEFORE = re.compile(r"\b(?:the|those)\s+(?:other|remaining|leftover)\s+(?:about\s+|around\s+|roughly\s+|~)?$")
ONLY_BEFORE = re.compile(r"\bonly\s+(?:about\s+|around\s+|roughly\s+|some\s+|~)?$")
# "... about 140 different dishes. But the ones she actually approved as 'that's me': 99": the ones picked out
THE_ONES_BEFORE = re.compile(r"\bthe (?:[\w-]+ )?ones\b[^.;:!?]{0,80}?(?::|—|–|-|\bare|\bcome to)\s*"
                             r"(?:about\s+|around\s+|exactly\s+|just\s+|only\s+|~)?$")


def _subset(ctx: Context, out: list[Candidate]) -> list[Candidate]:
    """"40,000 summaries, but only about 1,200 have a finished report": the part introduced by "only" is the
    training set; the larger count before it in the same sentence is the raw pool. A count of "the ones" that
    pass ("the ones she approved: 99") picks them out of any larger count said before it."""
    for c in out:
        only = ONLY_BEFORE.search(ctx.t[max(0, c.start - 24):c.start]) is not None
        if only or THE_ONES_BEFORE.search(ctx.t[max(0, c.start - 120):c.start]):
            sentence = ctx.sentence(c.start)
            pool = [o for o in out if o is not c and o.start < c.start and (ctx.sentence(o.start) == sentence or
                                                                            not only)
                    and isinstance(o.value, int) and isinstance(c.value, int) and o.value > c.value]
            if pool:
                return [o for o in out if o not in pool]
    return out


def _per_period(ctx: Context, end: int) -> bool:
    return re.match(r"^\s*(?:a|an|per|each|every|/)\s*(?:day|week|month|year|hour|second)", ctx.t[end:end + 16]) is not None
