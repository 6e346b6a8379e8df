"""Latency: a duration that is the target for the system's response time, in milliseconds."""

from __future__ import annotations

import re

from consultant.nlu import confidence as level
from consultant.nlu import derive
from consultant.nlu.lexicon import hits
from consultant.nlu.readers.context import Context
from consultant.nlu.reading import Candidate, as_int, prefer
from consultant.nlu.text import sentence_bounds
from consultant.nlu.vocabulary import VOCABULARY as V

SLOT = "latency_budget_ms"
BARE_SECONDS_BELOW = 20  # a bare "2" to "how fast must it answer?" means seconds; "250" means milliseconds
# a duration of something else: "a 15-minute call", "a 2-hour shift", "30 seconds of audio"
WINDOW_BEFORE = re.compile(r"\b(?:last|past|previous|next|first|prior)\s*$")
WINDOW_OF = re.compile(r"^\s*(?:worth\s+)?of\b")
OTHER_DURATION = re.compile(r"^\W*(?:long )?(?:call|calls|meeting|video|clip|session|shift|drive|audio|recording|"
                            r"conversation|window|ago|later|delay between|of audio|of video|of speech|per patient|"
                            r"per (?:day|week)|to write|writing|to read|reading|spend|spent|"
                            # "the cabins take 7 minutes to the top": a trip, not a response
                            r"to (?:the (?:top|bottom|summit|station|airport|site)|get (?:there|up|down|home)|reach|arrive)|"
                            r"(?:ride|drive|walk|trip|journey|flight|commute))\b")


PIPELINE_BEFORE = re.compile(rf"(?<![a-z])(?:{V.pipeline_words})(?![a-z])[^.;,]{{0,30}}$")
SERVICE_METRIC_BEFORE = re.compile(rf"(?<![a-z])(?:{V.service_metrics})(?![a-z])[^.;,]{{0,24}}$")
# how long something takes today, not the target: "spends 20 minutes", "resolves in 30 seconds what used to take"
MEASURED_BEFORE = re.compile(r"(?:spend|spends|takes? (?:us|them|people)|for|in the last|"
                             r"(?<!anything )(?<!everything )over|resolves? in|resolved in|"
                             r"i'?ve (?:only )?got|i (?:only )?have|we'?ve (?:only )?got|i'?m free for|"
                             r"handles? (?:it|them) in|handled in|finish(?:es)? in|done in|used to take|takes? today|"
                             # "Legal looked at it in about five minutes": how long a person's task took
                             r"(?:looked at|reviewed|read|checked|went through|signed (?:it )?off|approved|wrote|did)"
                             r"(?: it| them| this| that)? (?:in|within)(?: about| around| roughly| ~)?)"
                             r"\s*$")
# "must be done in 150 ms", "has to finish in 2 s": a requirement, not how long something took
REQUIRED_BEFORE = re.compile(r"\b(?:must|has to|have to|needs? to|should|shall|got to|gotta|is to)\s+(?:\w+\s+){0,2}$")


def _measured(ctx: Context, start: int) -> bool:
    said = MEASURED_BEFORE.search(ctx.t[max(0, start - 24):start])
    return said is not None and REQUIRED_BEFORE.search(ctx.t[max(0, start - 24 - 30):max(0, start - 24) + said.start()]) is None


# "the vendor's demo hit 400 ms and that's what we need": a measured figure taken as the target
ADOPTED_AFTER = re.compile(r"^[^.;]{0,12}?\b(?:and |so |which )?(?:that'?s|that is|is) (?:exactly |just )?(?:what we (?:need|want)|"
                           r"our (?:target|goal|bar)|the (?:target|goal|bar) for us|good enough for us)\b")
LEFT_FOR_ANSWER = re.compile(r"(?:\b(?:whatever'?s left|what'?s left|what remains|the remaining|remainder|leaves?|leaving)\b"
                             r"(?!\s+(?:of|from)\b)"
                             r"|\b(?:answer|model|llm|response|reply|generation|inference)(?: itself| part| step)? (?:gets|has|is left "
                             r"with|can have|keeps)\b)[^.;]{0,30}$")
TOO_SLOW = re.compile(r"^[\w'\s]{0,12}?[,;:)-]*\s*(?:which (?:was|is) |that'?s |still |way |far |much |also )*"
                      r"(?:too slow|too long|not fast enough|not good enough|unacceptable|awful|useless|a dealbreaker)")
WISH_AFTER = re.compile(r"^[^.;]{0,15}?\b(?:would be|'d be|is|would)\s+(?:really |very |so )?(?:great|nice|ideal|lovely|"
                        r"awesome|perfect|a bonus|a plus|a dream|amazing)\b")
OTHER_UNIT = re.compile(r"\btokens?\b|\bqueries\b|\brequests\b|\bexamples\b|\$|\bdollars?\b|\beuros?\b")


def read(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    answering = ctx.answers(SLOT)
    for m in ctx.mentions:
        if m.kind != "duration" or m.negated:
            continue
        if (m.when == "current" or (m.when != "target" and ctx.of_the_past(m.start, m.end))) and \
                not ADOPTED_AFTER.match(ctx.t[m.end:m.end + 50]):
            continue  # "it currently takes 4 s", "the pilot answered in 2.4 seconds": not the target
        if m.when != "target" and ctx.of_an_existing_system(m.start) and not ADOPTED_AFTER.match(ctx.t[m.end:m.end + 50]):
            continue  # "We run a RAG assistant over our spec sheets ..., p95 of 900 ms": today's system, measured
        if OTHER_DURATION.match(ctx.t[m.end:m.end + 30]) or _measured(ctx, m.start):
            continue
        if WINDOW_BEFORE.search(ctx.t[max(0, m.start - 20):m.start]) and WINDOW_OF.match(ctx.t[m.end:m.end + 12]):
            continue  # "a handover note from the last 12 hours of alerts": a window of data, not a wait
        if SERVICE_METRIC_BEFORE.search(ctx.t[max(0, m.start - 40):m.start]):
            continue  # "average speed to answer is 41 seconds": how long people take today (vocabulary service_metrics)
        if PIPELINE_BEFORE.search(ctx.t[max(0, m.start - 40):m.start]):
            continue  # "our data freshness SLA is 1 hour": how fresh the data is (vocabulary pipeline_words)
        in_ms = re.search(r"ms|msec|millis", m.period or "") is not None  # milliseconds are response times
        if not answering and not in_ms and not ctx.near(V.latency_words, m.start):
            continue
        value = m.high if m.high is not None else m.value  # a range's upper end is the budget
        confidence = level.STATED if ctx.near(V.latency_words, m.start) else level.ANSWER
        if m.figure.decimal_reading is not None and m.high is None:
            # "1.500 s": 1,500 s or 1.5 s? read the thousands way, confirmed with both readings as choices
            out.append(Candidate(SLOT, as_int(value), min(confidence, level.WEAK), ctx.quote(m.start, m.end),
                                 "mention.duration.dotted", m.start, m.end, alternatives=((SLOT, as_int(value / 1000)),)))
            continue
        out.append(Candidate(SLOT, as_int(value), confidence, ctx.quote(m.start, m.end), "mention.duration",
                             m.start, m.end, when=m.when))
    out = derive.time_left(ctx, ctx.precise_over_vague(out))  # "A few seconds. Say 4."; "... gets whatever is left"
    # "Two seconds is fine. If we ever did a voice version it would need to be under a quarter of a second": not now
    out = prefer(out, lambda c: not ctx.hypothetical(c.start, c.end))
    # "the vendor promised 'under one second', still too slow ... 300 milliseconds is the limit": a figure the user
    # rejects is not the budget
    out = prefer(out, lambda c: not TOO_SLOW.match(ctx.t[c.end:c.end + 50]))
    # "the acknowledgement goes out in about 5 seconds ... the sorting has to happen within a minute": of several
    # durations, the ones said as a requirement are the budget; the others describe something
    # "Under half a second would be great; 0.4 seconds is what the app team gave me as the target": a wish gives way to
    # a figure stated as the requirement
    out = prefer(out, lambda c: not WISH_AFTER.match(ctx.t[c.end:c.end + 40]))
    out = prefer(out, lambda c: c.when == "target")
    # "The whole turn must fit in 800 ms; speech recognition takes 300 of that and TTS 200, so the answer itself gets
    # whatever's left: 300 ms": of a budget split up, the share left for the answer
    out = prefer(out, lambda c: LEFT_FOR_ANSWER.search(ctx.t[sentence_bounds(ctx.t, c.start)[0]:c.start]) is not None)
    for hit in hits("phrases", ctx.t, ctx.clauses, ctx.pending) if not out else []:  # a figure beats a phrase
        if hit.slot == SLOT and hit.affirmed:
            confidence = level.ANSWER if answering else level.CUE
            out.append(Candidate(SLOT, int(hit.entry.value or 0), confidence, ctx.quote(hit.start, hit.end),
                                 hit.entry.id, hit.start, hit.end))
    if answering and not out:
        out += _bare_answer(ctx)
    return out


def _bare_answer(ctx: Context) -> list[Candidate]:
    """"2" or "250" in answer to the latency question."""
    for m in ctx.mentions:
        if m.kind == "bare" and not m.negated and not m.figure.from_article and m.value > 0:
            if re.search(r"[kmb]|thousand|million", m.text):
                return []  # "20k" is not a response time: leave it to the confirmation
            if OTHER_UNIT.search(ctx.sentence(m.start)):
                continue  # "how many tokens ... estimated around 8,000": a figure of another kind
            if re.match(r"\s+(?!(?:ms|msec|millis|milliseconds?|seconds?|secs?)\b)[a-z]{3,}s\b", ctx.t[m.end:m.end + 20]) or \
                    any(o.kind == "rate" and ctx.sentence(o.start) == ctx.sentence(m.start) for o in ctx.mentions):
                continue  # "Across all 30 storefronts it'll be about 5 million a month": a count, beside a volume
            value = m.value * 1000 if m.value < BARE_SECONDS_BELOW else m.value
            return [Candidate(SLOT, as_int(value), level.ANSWER, ctx.quote(m.start, m.end), "mention.bare",
                              m.start, m.end)]
    return []
