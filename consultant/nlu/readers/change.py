"""How often the knowledge changes: phrases from lexicon/knowledge_change.yaml and figures mapped by interval."""

from __future__ import annotations

import re

from consultant.nlu import confidence as level
from consultant.nlu.lexicon import Hit, hits, lexicon
from consultant.nlu.mentions import Mention
from consultant.nlu.readers.context import CORRECTION, Context
from consultant.nlu.readers.volume import MIN_MONTHLY, _is_volume_noun
from consultant.nlu.reading import Candidate, prefer
from consultant.nlu.text import clause_at, said_of_the_past, sentence_bounds
from consultant.nlu.vocabulary import VOCABULARY as V

SLOT = "knowledge_change"
VOLATILITY = ("daily", "weekly", "monthly", "quarterly", "yearly", "static")
# (longest interval in days, value): "every 6 weeks" is 42 days -> monthly (more than once a quarter)
BY_INTERVAL = ((2, "daily"), (15, "weekly"), (62, "monthly"), (100, "quarterly"), (3 * 365, "yearly"))
DAYS = {"minute": 1 / 1440, "minutes": 1 / 1440, "hour": 1 / 24, "hours": 1 / 24, "day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30, "quarter": 91, "quarters": 91,
        "year": 365, "years": 365, "decade": 3650, "decades": 3650}


def by_interval(days: float) -> str:
    for limit, value in BY_INTERVAL:
        if days <= limit:
            return value
    return "static"


def _volume_spans(ctx: Context) -> list[tuple[int, int]]:
    """Spans of query volumes ("50k questions daily"): their period words say nothing about change."""
    return [(m.start, m.end) for m in ctx.mentions if m.kind in ("rate", "people") and m.value >= MIN_MONTHLY
            and (not m.noun or _is_volume_noun(m.noun) or m.kind == "people")]


RATE_CONTRAST = re.compile(r"\bnot (?:every )?(?:daily|weekly|monthly|quarterly|yearly|annually|(?:a|each|per) "
                           r"(?:day|week|month|quarter|year))\b")
# a rate said of the past is how it was, not how it is ("Years ago it was monthly and that was chaos")
PAST = re.compile(r"\b(?:years ago|a while ago|long ago|used to|previously|formerly|back then|in the past|originally|"
                  r"at first|in the early days|before that|until (?:last|recently)|back in (?:19|20)\d\d|"
                  # an earlier system: "On the old line the manual changed monthly", "The pilot ran on a frozen snapshot"
                  r"(?:on|in|for|with) the (?:old|previous|legacy) (?:[a-z-]+ )?(?:line|system|app|platform|version|"
                  r"bot|model|process|tool|setup|site|portal|software|workflow|pipeline|scheme|regime|product|release)|"
                  r"the pilot|our pilot|the poc|our poc|"
                  # an attempt that failed: "We tried monthly once and it was chaos"
                  r"(?:we|they|i) (?:once |briefly )?(?:tried|attempted|experimented with))\b")  # (not "they meet in the old honey house")
# "... publishes guidance monthly. Quarterly was the old cycle", "weekly is no longer true": a rate said, after it,
# to belong to the past
PAST_AFTER = re.compile(r"^\W*(?:(?:was|were)\s+(?:the\s+|our\s+|their\s+|an?\s+)?(?:old|previous|former|original|earlier|"
                        r"past|legacy|before|last year|until)\b|(?:is|'s)\s+(?:no longer|not any\s?more)\b|used to be\b)")


def _of_the_past(ctx: Context, start: int, end: int) -> bool:
    return said_of_the_past(ctx.t, start, PAST) or PAST_AFTER.match(ctx.t[end:end + 40]) is not None


def _superseded(ctx: Context, found: list[Hit]) -> bool:
    """The rate we hold is said to be how it was, beside another said now (`found`: the message read as an answer):
    the message corrects it."""
    held = ctx.current.get(SLOT)
    return held is not None and any(str(h.entry.value) == held and _of_the_past(ctx, h.start, h.end) for h in found) \
        and any(str(h.entry.value) != held and not _of_the_past(ctx, h.start, h.end) for h in found)


SHRUG = re.compile(r"\b(?:i|we) (?:don't|do not|really don't) know\b|\bno idea\b|\bnot sure\b|\bhaven't (?:found|checked)")
# "Stable; we revisit it about once a year": a short first answer the rest of the message makes precise
QUALIFIED_BY = {"static": "yearly"}
PER = {"day": 1, "week": 7, "month": 30, "quarter": 91, "year": 365}


# "revised once per accreditation cycle, and our cycle is seven years", "on a three-year review cycle"
CYCLE_BEFORE = re.compile(r"\b(?:cycle|rotation)\s+(?:is|of|lasts|runs)\s*(?:about\s+|roughly\s+|around\s+)?$")
CYCLE_AFTER = re.compile(r"^\s*(?:[a-z-]+\s+)?(?:cycle|rotation)\b")


def _cycle(ctx: Context, m: Mention, unit_end: int) -> bool:
    return CYCLE_BEFORE.search(ctx.t[max(0, m.start - 30):m.start]) is not None or \
        CYCLE_AFTER.match(ctx.t[unit_end:unit_end + 30]) is not None


def _frequency(ctx: Context, m: Mention) -> Candidate | None:
    """"every 6 weeks", "every 2 years" -> a value by interval; "a couple times a month" -> the period / N."""
    after = ctx.t[m.start + len(m.text):m.end + 1]
    # ("a cron job every 15 minutes upserts the products table": more often than daily is daily)
    unit = re.match(r"\s*-?\s*(minutes?|hours?|days?|weeks?|months?|quarters?|years?|decades?)\b", after)
    times = re.match(r"\s*times\s+(?:a|per|each|every)\s+(day|week|month|quarter|year)", ctx.t[m.start + len(m.text):])
    if times and m.figure.value > 0:
        days = PER[times.group(1)] / m.figure.value
    elif unit is not None and (re.search(r"(?:every|each|once|twice)\s*$", ctx.t[max(0, m.start - 12):m.start]) or
                               _cycle(ctx, m, m.start + len(m.text) + unit.end())):
        days = m.figure.value * DAYS[unit.group(1)]
    else:
        return None
    if ctx.pending != SLOT:
        context = lexicon("knowledge_change").context_rx
        if context is not None and not context.search(ctx.sentence(m.start)):
            return None
    confidence = level.ANSWER if ctx.pending == SLOT else level.CUE
    return Candidate(SLOT, by_interval(days), confidence, ctx.quote(m.start, m.end), "mention.frequency", m.start, m.end)


# "four menus a year", "two releases a year": fewer new versions than one a month is an interval; more ("a handful
# get updated each month", "60 producers every year") counts items, and the period word says the rate
MAX_RELEASES_PER_MONTH = 1
DAYS_PER_MONTH = 30


def _releases(ctx: Context, m: Mention) -> Candidate | None:
    """"Four menus a year, that's the rhythm": a few new versions per period, in answer to the change question,
    is an interval (365 / 4 days -> quarterly)."""
    if ctx.pending != SLOT or not 0 < m.value < MAX_RELEASES_PER_MONTH or m.figure.vague or \
            (m.noun and _is_volume_noun(m.noun)):
        return None
    return Candidate(SLOT, by_interval(DAYS_PER_MONTH / m.value), level.ANSWER, ctx.quote(m.start, m.end),
                     "mention.releases", m.start, m.end)


def read(ctx: Context) -> list[Candidate]:
    volumes = _volume_spans(ctx)
    out: list[Candidate] = []
    # "they now push bulletins every week, not yearly": setting one rate against another answers the question
    # and "Actually, no, sorry - ... So it's daily, really": a correction while a change rate is held is about it
    found = hits("knowledge_change", ctx.t, ctx.clauses, ctx.pending)
    held_elsewhere = ctx.pending != SLOT and ctx.current.get(SLOT) is not None
    as_answer = hits("knowledge_change", ctx.t, ctx.clauses, SLOT) if held_elsewhere else None
    correcting = as_answer is not None and (RATE_CONTRAST.search(ctx.t) is not None or
                                            CORRECTION.search(ctx.t) is not None or _superseded(ctx, as_answer))
    if as_answer is not None and correcting:
        # ... when it names a rate: "No, sorry, I've just looked in the folder" corrects something else
        correcting = any(not h.entry.answer_only for h in as_answer) or any(
            m.kind in ("frequency", "rate") for m in ctx.mentions)
    answering = ctx.pending == SLOT or correcting or _corrected_here(ctx, found)
    if answering and ctx.pending != SLOT:  # read as an answer: answer-only entries count
        found = as_answer if as_answer is not None else hits("knowledge_change", ctx.t, ctx.clauses, SLOT)
        # ... but not a bare "no", which answers the question that was asked
        found = [h for h in found if not (h.entry.answer_only and re.fullmatch(r"no|nope|nah", ctx.t[h.start:h.end]))]
    for hit in found:
        if not hit.affirmed or any(a <= hit.start < b for a, b in volumes):
            continue  # "not monthly", "50k questions daily"
        if not answering and hit.clause is not None and ARRIVALS.search(hit.clause.text):
            continue  # "hundreds of items land in the inbox every hour": work coming in (vocabulary arrival_words)
        if _security_cadence(ctx, hit.start):
            continue  # "we rotate keys every 90 days": a deployment policy (vocabulary security_cadence)
        confidence = level.ANSWER if answering else level.CUE
        if hit.entry.strength == "cue" and not hit.entry.answer_only:
            confidence = level.CUE if answering else level.INFERRED  # "constantly": a figure of speech
        if not answering and ctx.of_an_existing_system(hit.start):
            # "We pay an outside vendor for a customs-answer tool ... and they update its content quarterly": how
            # often today's tool is updated, which may lag the knowledge itself: proposed, not stored
            confidence = min(confidence, level.INFERRED)
        out.append(Candidate(SLOT, str(hit.entry.value), confidence, ctx.quote(hit.start, hit.end), hit.entry.id,
                             hit.start, hit.end, correction=correcting))
    for m in ctx.mentions:
        if m.negated or any(c.start <= m.start < c.end for c in out):
            continue
        if _security_cadence(ctx, m.start):
            continue
        candidate = _frequency(ctx, m) if m.kind == "frequency" else _releases(ctx, m) if m.kind == "rate" else None
        if candidate is not None:
            out.append(candidate)
    past = {(c.start, c.end) for c in out if _of_the_past(ctx, c.start, c.end)}
    if not answering or SHRUG.search(ctx.t):
        # "The pilot ran on a frozen snapshot of the rules", in passing or beside "I don't know": how an earlier
        # system was, not how often the knowledge changes now
        out = [c for c in out if (c.start, c.end) not in past]
    else:
        out = prefer(out, lambda c: (c.start, c.end) not in past)  # "years ago it was monthly; now it's quarterly"
    # "changes at every release, and we release monthly": the release's own rate, said after it, is the rate
    out = [c for c in out if not (c.source.endswith(".cadence") and any(
        o.start > c.end and not o.source.endswith(".cadence") and ctx.sentence(o.start) == ctx.sentence(c.start)
        for o in out))]
    # "We refresh the library once a year with a big seasonal drop": a vague rate word gives way to a precise rate
    # said in the same sentence
    out = prefer(out, lambda c: c.source not in VAGUE_RATES or not any(
        o.source not in VAGUE_RATES and ctx.sentence(o.start) == ctx.sentence(c.start) for o in out))
    # "more often than quarterly but less than weekly - about once a month": the bounds give way to the rate
    out = prefer(out, lambda c: not RATE_BOUND.search(ctx.t[max(0, c.start - 28):c.start]))
    # "It's static. Our own SOPs get a light review every couple of years, but that doesn't touch the report": a rate
    # the user sets aside as not bearing on what the system relies on
    out = prefer(out, lambda c: not SET_ASIDE_AFTER.search(ctx.t[c.end:sentence_bounds(ctx.t, c.start)[1]]))
    return _form_gives_way(ctx, out)


ARRIVALS = re.compile(rf"(?<![a-z])(?:{V.arrival_words})(?![a-z])")
SECURITY_CADENCE = re.compile(rf"(?<![a-z])(?:{V.security_cadence})(?![a-z])")
SECURITY_VERB = re.compile(rf"(?<![a-z])(?:{V.security_cadence_verbs})(?![a-z])")


def _security_cadence(ctx: Context, position: int) -> bool:
    """Is the period at `position` said of keys, logs or backups rotated, retained or renewed on a schedule ("our
    encryption keys, which security rotates monthly", "logs are retained for 30 days")? Its clause names one and
    what is done to it (not "the alert logs it reads are new every day": logs that are the knowledge)."""
    clause = clause_at(ctx.clauses, position)
    text = clause.text if clause is not None else ctx.sentence(position)
    if clause is not None and RELATIVE_OPENS.match(text):  # "... our encryption keys, which security rotates monthly"
        text = ctx.t[sentence_bounds(ctx.t, position)[0]:clause.end]
    return SECURITY_CADENCE.search(text) is not None and SECURITY_VERB.search(text) is not None


RELATIVE_OPENS = re.compile(r"^\W*(?:which|that|who|whose)\b")
VAGUE_RATES = frozenset({"change.seasonal"})
"""Lexicon entries whose rate is a guess at a period ("seasonal": four seasons, two fashion drops or one ski season)."""
SET_ASIDE_AFTER = re.compile(r"\bbut (?:that|this|it|those|these|they) (?:doesn't|does not|don't|do not|won't|wouldn't|"
                             r"never) (?:touch|affect|change|matter (?:for|to)|apply to|feed into|go into|reach)\b")
RATE_BOUND = re.compile(r"\b(?:more often than|less often than|less than|more than|faster than|slower than|rarer than|"
                        r"not as often as|as often as|at (?:most|least))\s*(?:once\s+)?(?:a\s+|every\s+)?$")
FORM = re.compile(rf"(?<![a-z])(?:{V.form_words})(?![a-z])")


def _of_the_form(ctx: Context, c: Candidate) -> bool:
    clause = clause_at(ctx.clauses, c.start)
    return clause is not None and FORM.search(ctx.t[clause.start:c.start]) is not None


def _form_gives_way(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """"The log format itself hasn't changed in years, but the information it reads is new every day": the output's
    form being stable does not make the knowledge stable; a rate said of the form gives way to a faster one said
    of anything else (and "the style guide is revised yearly, nothing else moves" keeps its yearly)."""
    others = [VOLATILITY.index(str(c.value)) for c in found if not _of_the_form(ctx, c)]
    if not others:
        return found
    return [c for c in found if not _of_the_form(ctx, c) or VOLATILITY.index(str(c.value)) <= min(others)]


def _corrected_here(ctx: Context, found: list[Hit]) -> bool:
    """"The waiver matrix changes quarterly. Actually no - sorry, they push a new one monthly now. Monthly.": a rate
    said, then corrected in the same message, makes what follows the correction an answer about the rate too."""
    marker = CORRECTION.search(ctx.t)
    return marker is not None and any(h.affirmed and h.end <= marker.start() for h in found)


def most_volatile(candidates: list[Candidate]) -> Candidate:
    """Knowledge changes as often as its most volatile part ("manuals are stable, new models each quarter")."""
    return min(candidates, key=lambda c: VOLATILITY.index(str(c.value)))

