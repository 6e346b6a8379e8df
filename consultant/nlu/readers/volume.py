"""Query volume: a count of model calls per period, normalised to a month."""

from __future__ import annotations

import re
from dataclasses import replace

from consultant.nlu import confidence as level
from consultant.nlu import derive
from consultant.nlu.mentions import (
    LONG_TIME,
    PERIOD_PER_MONTH,
    RATIO_AFTER,
    WORKED_PERIODS,
    WORKING_DAYS_PER_MONTH,
    Mention,
)
from consultant.nlu.numbers import SMALL_NUMBER_WORDS, small_number
from consultant.nlu.readers.context import CORRECTION, PER_INSIDE, Context
from consultant.nlu.reading import Candidate, as_int, prefer
from consultant.nlu.text import said_of_the_past, sentence_bounds
from consultant.nlu.vocabulary import VOCABULARY as V

SLOT = "monthly_queries"
PEAK = re.compile(r"\b(?:peaks?|peaking|spikes?|spiking|bursts?|at (?:the )?(?:peak|busiest|most)|busiest \w+|"
                  r"(?:goes|go|going|rises?|rising|climbs?|jumps?) (?:up )?to)\b[^.;]{0,8}$")
# a volume said of the past, after the figure ("3.1 million a month last year") or before it ("last year it was
# more like 70,000")
PAST_WORDS = r"last (?:year|month|season|winter|summer|spring|autumn|fall)|a year ago|years ago|previously|back then"
PAST_AFTER = re.compile(rf"^\W*(?:\w+\W+){{0,3}}?(?:{PAST_WORDS}|in (?:19|20)\d\d)\b")
TIMES = re.compile(r"\s*times\b")  # "every few minutes" is an interval (how often something changes), not a count
PAST_BEFORE = re.compile(rf"\b(?:{PAST_WORDS}|last quarter|in the past|back in (?:19|20)\d\d)\b")
MONEY_TALK = re.compile(r"\b(?:costs?|costing|salar\w*|budget\w*|spend\w*|spent|pay\w*|revenue|fees?|prices?|priced)\b")
MANY_TIMES = 50  # "3 times a week" is how often something changes; "60,000 times a day" is how often it is called
SURELY_CALLS = 1_000  # "the MES fires it roughly 170,000 times a day": no knowledge changes that often
# "one big review a year", "a release a quarter": fewer than one a month is how often something happens, not a
# volume of queries
MIN_MONTHLY = 1
MEASURED_PERIODS = ("second", "sec", "s", "minute", "min")
"""Rates people measure with decimals ("5.5 rps"): "5.000 rps" may be 5 or 5,000 a second, so it is asked (per day or
month, "50.000 queries" is a count: 50,000)."""


# "about twice what the SharePoint search gets today, which is 20k a month": the volume is a multiple of the figure
MULTIPLE = re.compile(r"\b(twice|double|two times|2x|three times|triple|3x|four times|4x|five times|5x|ten times|10x)"
                      r"\s+(?:what|the|our|as many as|as much as|that of)\b[^.;!?]{0,80}$")
FACTOR = {"twice": 2, "double": 2, "two times": 2, "2x": 2, "three times": 3, "triple": 3, "3x": 3, "four times": 4,
          "4x": 4, "five times": 5, "5x": 5, "ten times": 10, "10x": 10}


def _multiplied(ctx: Context, c: Candidate) -> Candidate:
    said = MULTIPLE.search(ctx.t[sentence_bounds(ctx.t, c.start)[0]:c.start])
    if said is None or not isinstance(c.value, int):
        return c
    return replace(c, value=as_int(c.value * FACTOR[said.group(1)]), when="target",
                   note=f"{said.group(1)} {c.value:,} a month")


GROWTH = re.compile(r"\b(?:documents?|docs|pages?|articles?|records?|rows?|files?|entries|pdfs?|papers?|manuals?|"
                    r"policies|guidelines|sops?|updates?|changes?|releases?|versions?)\b")


# things that appear, go or change at a rate: the knowledge changing, not queries coming in, said after the rate
# ("maybe 40 local partner events a week that come and go") or between the things and their period ("around 400
# listings change every week")
CHURN_VERBS = (r"come and go|comes and goes|(?:get|are|is|gets) (?:added|published|replaced|retired|updated|rotated|"
               r"changed|swapped)|appear|expire|rotate|turn over|change|changes")
CHURN = re.compile(rf"^[^.;]{{0,25}}?\b(?:{CHURN_VERBS})\b")
CHURN_INSIDE = re.compile(rf"\b(?:{CHURN_VERBS})\b")


LOAD_CONDITION = re.compile(r"\b(?:ms|milliseconds?|seconds?|s)\b[^.;]{0,6}\b(?:under|at|with)\s+(?:a\s+)?(?:load of\s+|peak of\s+|"
                            r"sustained\s+)?$")
# "two daily shifts", "three weekly deliveries": a period adjective before a counted noun (a time word or a thing)
COUNTED_AFTER = re.compile(rf"^\s+((?:{LONG_TIME}|{V.count_nouns}|{V.people_nouns}|deliveries|runs|rounds|batches|visits|trips))\b")
# "Two showrooms, around 25 sales staff. Right now it'd be roughly 40,000 questions a month": a bare figure with a
# plural noun after it counts that thing, and gives way to a volume stated with its unit
COUNT_OF_OTHER = re.compile(r"^\s+(?!(?:is|was|has|does|thousands?|millions?|lakhs?|crores?|hundreds?)\b)[a-z]{3,}s\b")


AVERAGE_BEFORE = re.compile(r"\b(?:the average|on average|average of|averages?|typically|in a typical month)\b[^.;]{0,30}$")
TOTAL_AFTER = re.compile(r"^\W*(?:[a-z]+\W+){0,3}?(?:in total|in all|altogether|all told|combined|overall)\b")
OTHER_UNIT = re.compile(r"^\s+(?!(?:a|an|per|each|every|or|to|and|in|of|times|thousand|million|billion|k|m)\b)[a-z]{2,}\s+"
                        r"(?:a|per|each|every)\s+(?:second|minute|hour|shift|day|week|month|quarter|year)\b")


# "100k DAU, and each user asks about 2 questions a day": a rate per person, times the people who use it
PER_PERSON_BEFORE = re.compile(rf"\b(?:each|every|per|the average|an average|a typical)\s+(?:[\w-]+\s+)?"
                               rf"(?:{V.people_nouns}|one|of them|learners?|players?|readers?)\b[^.;]{{0,40}}$|"
                               # "150,000 daily active users, and on average each asks one question a day"
                               r"\beach\s+(?:(?:would|will|might|could|probably|usually|typically)\s+)*(?:asks?|sends?|makes?|"
                               r"submits?|types?|raises?|opens?|uses? it|looks? (?:things )?up|checks?)\b[^.;]{0,20}$|"
                               # "14 caseworkers who look things up in the regulations about 6 times an hour"
                               rf"\b(?:{V.people_nouns})\s+(?:who|that)\s+[^.;]{{0,60}}$")


RATES = ("rate", "frequency")


def _monthly(m: Mention) -> float:
    """A rate's figure a month ("25 times a working day": 25 x 21); a rate mention holds it already."""
    return m.value if m.kind == "rate" else m.value * PERIOD_PER_MONTH.get(m.period, 0)


EACH_NOUN = re.compile(r"\b(?:each|every|per)\s+([a-z]{3,}?)(?:es|s)?\b")


def _per_person(ctx: Context, c: Candidate) -> Candidate:
    """A rate said per person or per unit, times the people or units: "5,000 employees, each asking 3 a week", "40
    stores, each about 300 questions a day", "300 an hour at each of 6 warehouses"."""
    if c.source != "mention.rate" or not isinstance(c.value, int):
        return c
    units = ctx.units_of(c.start, c.end)
    if units is None:
        people = [m for m in ctx.mentions if m.kind == "people" and m.end <= c.start and not m.negated]
        each = PER_PERSON_BEFORE.search(ctx.t[sentence_bounds(ctx.t, c.start)[0]:c.start])
        if each is None:
            return c
        if not people:
            # "Each agent does about four lookups an hour ..., and we have 30 agents": the same people counted after
            named = EACH_NOUN.search(each.group(0))
            people = [m for m in ctx.mentions if m.kind == "people" and m.start >= c.end and not m.negated and
                      named is not None and m.noun.startswith(named.group(1))][:1]
            if not people:
                return c
        units = people[-1]
    rate = next((_monthly(m) for m in ctx.mentions if m.start == c.start and m.kind in RATES), c.value)
    return replace(c, value=as_int(units.value * rate), evidence=ctx.quote(min(units.start, c.start), max(units.end, c.end)),
                   start=min(units.start, c.start), source="mention.rate.per_person")


# "about 21 working days a month", "22 shifts a month", "five days a week": the work calendar a rate per day or per
# shift is multiplied by, in place of the default month (see mentions.WORKING_DAYS_PER_MONTH)
CALENDAR = re.compile(r"^\s*(?:(?:working|work|business|operating|trading|open)\s+)?(?:days?|shifts?)\s+"
                      r"(?:a|per|each|every|in a|in the)\s+(month|week)\b")
CALENDAR_MAX = {"month": 31, "week": 7}


def _calendar(ctx: Context) -> tuple[float, range] | None:
    """(worked days or shifts a month, the span that says so), when the message gives its own work calendar."""
    for m in ctx.mentions:
        said = CALENDAR.match(ctx.t[m.figure.end:m.figure.end + 40])
        if said is not None and 1 <= m.figure.value <= CALENDAR_MAX[said.group(1)]:
            per_month = m.figure.value * (1 if said.group(1) == "month" else PERIOD_PER_MONTH["week"])
            return per_month, range(m.start, m.figure.end + said.end())
    return None


# "four lookups an hour over an eight-hour shift", "open ten hours a day": how many hours a rate per hour runs a day
HOURS_A_DAY = re.compile(rf"\b(?P<n>\d{{1,2}}(?:\.\d)?|{SMALL_NUMBER_WORDS})[- ]hours?[- ](?P<shift>shifts?|days?|workdays?|"
                         rf"working days?)\b|\b(?P<n2>\d{{1,2}}(?:\.\d)?|{SMALL_NUMBER_WORDS}) hours? (?:a|per|each|every) "
                         r"(?P<shift2>day|shift|workday|working day)\b")
HOURLY = ("hour", "hr", "h", "hourly")


def _worked(ctx: Context, c: Candidate, calendar: tuple[float, range] | None) -> Candidate:
    """"Each asks maybe 10 questions a day, about 21 working days a month": a rate per worked day or shift, counted
    over the month the user describes; a rate per hour over the hours worked each day ("four lookups an hour over an
    eight-hour shift, 22 shifts a month": 4 x 8 x 22)."""
    rate = next((m for m in ctx.mentions if m.end == c.end and m.kind in RATES), None)
    if rate is None or not isinstance(c.value, int):
        return c
    per_month = _monthly(rate)
    units = c.value / per_month if per_month else 1  # (the people or sites it was multiplied by)
    times = f" x {units:,g}" if round(units, 6) != 1 else ""
    hours = HOURS_A_DAY.search(ctx.t) if rate.period in HOURLY else None
    if hours is not None:
        said = hours.group("n") or hours.group("n2")
        n = float(said) if said[0].isdigit() else small_number(said)  # ("a 7.5-hour day")
        worked = (hours.group("shift") or hours.group("shift2")) != "day"
        days = calendar[0] if calendar is not None else WORKING_DAYS_PER_MONTH if worked else PERIOD_PER_MONTH["day"]
        if not 1 <= n <= 24:
            return c
        return replace(c, value=as_int(c.value / PERIOD_PER_MONTH[rate.period] * n * days),
                       note=f"{rate.figure.value:,g} an hour x {n:g} hours a day x {days:g} days a month{times}")
    if calendar is None or rate.period not in WORKED_PERIODS:
        return c
    days = calendar[0]
    return replace(c, value=as_int(c.value / PERIOD_PER_MONTH[rate.period] * days),
                   note=f"{rate.figure.value:,g} a {rate.period} over {days:g} worked {rate.period}s a month{times}")


def _said_of_the_past(ctx: Context, c: Candidate) -> bool:
    after = ctx.t[c.end:min(c.end + 30, sentence_bounds(ctx.t, c.start)[1])]
    return PAST_AFTER.match(after) is not None or said_of_the_past(ctx.t, c.start, PAST_BEFORE)


LABELLED = re.compile(r"\b(?:labell?ed|annotated|graded|hand-tagged)\b")
def _volume_named(ctx: Context, position: int) -> bool:
    """Is the volume named in the figure's sentence, or in the sentence just before it ("We get a gazillion
    questions. OK, fine, about 4 million a month")?"""
    first, _ = sentence_bounds(ctx.t, position)
    return ctx.near(V.volume_words, position) or (first > 1 and ctx.near(V.volume_words, first - 2))


def _is_volume_noun(noun: str) -> bool:
    last = noun.split()[-1] if noun else ""
    return bool(re.fullmatch(V.volume_nouns, last))


def read(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    answering = ctx.answers(SLOT) or ctx.corrects_held(SLOT)
    held = isinstance(ctx.current.get(SLOT), int) and not isinstance(ctx.current.get(SLOT), bool)
    volume_said = any(o.kind == "rate" and o.noun and _is_volume_noun(o.noun) and not o.negated for o in ctx.mentions)
    calendar = _calendar(ctx)
    for m in ctx.mentions:
        if m.negated or (calendar is not None and m.start in calendar[1]):
            continue
        if m.kind == "rate":
            if LABELLED.search(ctx.t[max(0, m.start - 30):m.end + 4]):
                continue  # "we've labeled eight voice notes a month", "about 40 labeled cases a week": a training set grows
            if m.value < MIN_MONTHLY or (m.period == "shift" and calendar is None):
                continue  # (how many shifts a month is not said: "60 chats a shift" counts no month)
            if not answering and LOAD_CONDITION.search(ctx.t[max(0, m.start - 30):m.start]):
                continue  # "p95 MUST be < 250 ms under 50 RPS": the load a latency target is measured at
            counted_after = COUNTED_AFTER.match(ctx.t[m.end:m.end + 30])
            if not m.noun and counted_after and not _is_volume_noun(counted_after.group(1)):
                continue  # "25 agents on each of two daily shifts": "daily" describes the shifts counted
            if not answering and (CHURN.match(ctx.t[m.end:m.end + 40]) or CHURN_INSIDE.search(ctx.t[m.figure.end:m.end])):
                continue  # "maybe 40 local partner events a week that come and go": how the knowledge changes
            if m.noun and not _is_volume_noun(m.noun) and not (answering and not GROWTH.search(m.noun)):
                # "we add 500 documents a week" is how fast the knowledge grows; in answer to the volume question,
                # "about 20,000 notes a month" is the volume
                continue
            # "sorry, 500k not 50k a day", "500k a day" after a volume was given: a new figure for the volume held,
            # unless its sentence is about money ("the whole helpline costs about 2 crore a year")
            corrected = held and (CORRECTION.search(ctx.t) is not None or not MONEY_TALK.search(ctx.sentence(m.start)))
            # "Volume is 200,000 questions a month. Wait, no, ... It's 200,000 a day now": the volume said again
            corrected = corrected or CORRECTION.search(ctx.t[:m.start]) is not None and any(
                o.kind == "rate" and o.noun and _is_volume_noun(o.noun) and o.end <= m.start for o in ctx.mentions)
            if not m.noun and not answering and not corrected and not _volume_named(ctx, m.start) and \
                    not volume_said:
                continue  # "each gym resets one or two sectors a week": a period word alone does not make a volume
                # (but "The PoC ran about 40k queries a month. Across all storefronts it'll be about 5 million a
                # month": a bare rate beside a volume said with its noun is one too)
            if not m.noun and not answering and OTHER_UNIT.match(ctx.t[m.figure.end:m.figure.end + 30]):
                continue  # "about 2 million TEU a year": the word after the figure is what is counted
            value = (m.low + m.high) / 2 if m.low is not None and m.high is not None else m.value
            confidence = level.STATED if m.noun else level.ANSWER if answering else level.CUE
            other = m.figure.decimal_reading if m.period in MEASURED_PERIODS and m.low is None else None
            if other is not None:
                # "5.000 rps": read as 5,000 a second, but confirmed with both readings as choices
                out.append(Candidate(SLOT, as_int(value), min(confidence, level.WEAK), ctx.quote(m.start, m.end),
                                     "mention.rate.dotted", m.start, m.end, when=m.when,
                                     alternatives=((SLOT, as_int(value / 1000)),)))
                continue
            # "1.5M queries a month" ... later "500k a day": a later volume replaces the one held (a correction)
            later = held and m.when != "current"
            out.append(Candidate(SLOT, as_int(value), confidence, ctx.quote(m.start, m.end), "mention.rate",
                                 m.start, m.end, when=m.when, correction=later))
        elif m.kind == "frequency" and (times := _times(ctx, m, answering)) is not None:
            out.append(times)
        elif answering and (m.kind == "bare" or (m.kind == "count" and _is_volume_noun(m.noun))) \
                and not m.figure.from_article and not RATIO_AFTER.match(ctx.t[m.end:m.end + 30]):
            # (not "say one lookup per ticket": a ratio to something counted elsewhere)
            # the question asks per month: a bare figure is a monthly volume
            value = (m.low + m.high) / 2 if m.low is not None and m.high is not None else m.value
            out.append(Candidate(SLOT, as_int(value), level.ANSWER, ctx.quote(m.start, m.end), "mention.count",
                                 m.start, m.end, when=m.when))
    # "90,000 tickets a month and roughly a third of them are billing questions. The bot only takes those"
    # "50,000 chat sessions a day, usually two questions per session"
    # "North does about 400 a day, South 350 and West 250"; "3.5 million a month, but the 500,000 from the legacy
    # portal stay on the old system, so only the rest"
    out = derive.rest_of(ctx, out, ("rate",), ("bare", "count", "rate", "people"))
    return derive.per_session(ctx, derive.share(ctx, _narrowed(ctx, derive.summed(ctx, derive.listed_sum(ctx, [
        _worked(ctx, _per_person(ctx, _multiplied(ctx, c)), calendar) for c in ctx.precise_over_vague(out)])), answering)))


def _times(ctx: Context, m: Mention, answering: bool) -> Candidate | None:
    """A count of times a period that is a volume: said per person ("120 editorial staff, and each would ask it about
    25 times a working day"), or too many to be how often anything changes ("the portal would call it roughly 60,000
    times a day")."""
    if m.period not in PERIOD_PER_MONTH or not TIMES.match(ctx.t[m.figure.end:]):
        return None
    if PER_PERSON_BEFORE.search(ctx.t[sentence_bounds(ctx.t, m.start)[0]:m.start]):
        return Candidate(SLOT, as_int(_monthly(m)), level.STATED, ctx.quote(m.start, m.end), "mention.rate",
                         m.start, m.end, when=m.when)
    if m.value >= MANY_TIMES and (answering or ctx.near(V.volume_words, m.start) or m.figure.value >= SURELY_CALLS):
        return Candidate(SLOT, as_int(_monthly(m)), level.ANSWER, ctx.quote(m.start, m.end), "mention.times",
                         m.start, m.end, when=m.when)
    return None


def _narrowed(ctx: Context, out: list[Candidate], answering: bool) -> list[Candidate]:
    """Of the volumes read, the one the assistant will handle (see each rule's example)."""
    # "we spot-check 4 tickets per agent per week": a rate per unit, with the units never counted, is not the whole
    out = [c for c in out if c.source != "mention.rate" or PER_INSIDE.search(ctx.t[c.start:c.end]) is None]
    out = prefer(out, lambda c: not (c.source == "mention.count" and COUNT_OF_OTHER.match(ctx.t[c.end:c.end + 30])))
    out = prefer(out, lambda c: not _said_of_the_past(ctx, c))
    # "The pilot ran about 30k requests a month. At launch it'll be about 2 million a month": beside a figure of an
    # earlier system, the one said of the system to be built
    if any(c.when == "current" or ctx.of_the_past(c.start, c.end) for c in out):
        out = prefer(out, lambda c: ctx.of_the_new(c.start))  # "3.1 million a month last year, 5 million now"
    # "About 600,000 a month today. If the syndication deal lands it'd be 5 million": the figure said without a condition
    out = prefer(out, lambda c: not ctx.hypothetical(c.start, c.end))
    # "an average of 1.5 QPS, with peaks of 25 RPS": the volume is the average, not the peak
    out = prefer(out, lambda c: not PEAK.search(ctx.t[max(0, c.start - 20):c.start]))
    # "about 60k chats a day in July, but the average is around 1.2 million a month": the average
    out = prefer(out, lambda c: AVERAGE_BEFORE.search(ctx.t[sentence_bounds(ctx.t, c.start)[0]:c.start]) is not None)
    # "the planners alone are maybe 20,000 a month, but ... about 5 million queries a month in total": the total
    out = prefer(out, lambda c: TOTAL_AFTER.match(ctx.t[c.end:c.end + 30]) is not None)
    # "10k today, 100k after launch"; not "200,000 a month. Wait, no, that was last year's pilot. It's 200,000 a day
    # now": a figure said after a correction is the answer, whatever its tense
    out = prefer(out, lambda c: c.when != "current" or CORRECTION.search(ctx.t[:c.start]) is not None)
    # "We take roughly 1 million of these questions a month. That's more than our order count, which is about 650,000
    # orders a month", "the 1.1 million is orders. Questions are about 300,000 a month": the business's own count
    # gives way to the questions put to the assistant (vocabulary business_nouns)
    out = prefer(out, lambda c: not _business_count(ctx, c))
    if not answering:
        # "210,000 calls a month, AHT 5 minutes 10, abandonment 8%. We want the IVR to answer baggage questions": a
        # volume read off today's dashboard is the operation's, of which the assistant may take a share; "400,000
        # orders a month at an average of $74": a count of the trade among its business metrics: proposed
        out = [c.weaker(level.INFERRED) if SERVICE_METRIC.search(ctx.sentence(c.start)) or (
            _business_count(ctx, c) and BUSINESS_METRIC.search(ctx.sentence(c.start))) else c for c in out]
    return out


SERVICE_METRIC = re.compile(rf"(?<![a-z])(?:{V.service_metrics})(?![a-z])")
BUSINESS_METRIC = re.compile(rf"(?<![a-z])(?:{V.business_metrics})(?![a-z])")
BUSINESS_NOUN = re.compile(rf"(?:{V.business_nouns})")


def _business_count(ctx: Context, c: Candidate) -> bool:
    """Is the volume a count of the business's own trade ("650,000 orders a month", "the 1.1 million is orders")?"""
    noun = next((m.noun for m in ctx.mentions if m.start == c.start and m.noun), "")
    return bool(noun) and BUSINESS_NOUN.fullmatch(noun.split()[-1]) is not None
