"""Figures the user leaves for the consultant to work out.

- a share of an amount set aside for this: "The project has $40,000 for the year, but only 15% of that is for the
  upfront build" -> $6,000; "The upfront pot is $45,000, split evenly across three workstreams, and this is one of
  them" -> $15,000; "about 90,000 tickets a month and roughly a third of them are billing questions. The bot only
  takes those" -> 30,000 a month;
- what is left of a count after some were taken out: "We had 150 approved memos and threw out 49" -> 101;
- what is left of a time budget after the other steps: "the whole voice turn must finish in 1.2 seconds. Speech
  recognition takes 520 ms and speech synthesis 379 ms, and the language model gets whatever is left" -> 301 ms;
- a labelling rate over the time it has run: "we've labeled eight voice notes a month for the past twelve months"
  -> 96 examples ("about 50 line items a day ... for 40 working days" -> 2,000);
- an amount less a part that went elsewhere, when the rest is said to be this system's: "We had $12,000, but $3,000
  already went on the pilot, so what's left is what we have" -> $9,000 (a volume the same way);
- two amounts added up: "IT is contributing $5,000 and the support ops team $3,000, and that's the whole build
  budget" -> $8,000; "... On top of that, 250,000 reader questions a month";
- the parts of a volume listed by site: "North does about 400 a day, South 350 and West 250" (or "700,000 from North
  America, 450,000 from Europe ...").

Only the phrasings above are worked out: a share needs the words that set it aside for this system ("is for",
"goes to", "the bot only takes those"), a remainder the words that say what is left. The figure a reader found is
replaced by the derived one, with the arithmetic in its note, so the read-back shows it and the user can correct
it. When the user says the result too ("... threw out 31, so 99"), the result said is the one read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from consultant.nlu import confidence as level
from consultant.nlu.numbers import SMALL_NUMBER_WORDS, small_number
from consultant.nlu.readers.context import Context
from consultant.nlu.reading import Candidate, as_int
from consultant.nlu.text import sentence_bounds

FRACTIONS = {"half": 1 / 2, "a half": 1 / 2, "one half": 1 / 2, "a third": 1 / 3, "one third": 1 / 3,
             "two thirds": 2 / 3, "a quarter": 1 / 4, "one quarter": 1 / 4, "three quarters": 3 / 4,
             "a fifth": 1 / 5, "one fifth": 1 / 5, "a tenth": 1 / 10, "one tenth": 1 / 10}
_SHARE = (r"(?:(?P<pct>\d{1,2}(?:\.\d+)?)\s*(?:%|percent|per cent)|(?P<frac>" + "|".join(sorted(FRACTIONS, key=len,
                                                                                          reverse=True)) + r"))")
# "15% of that", "a quarter of it", "30% of the total", "35% is for the model work" (after "Of our $20,000 budget,")
SHARE_OF = re.compile(rf"(?<![\w.$])(?:roughly |about |around |only |just |maybe )?{_SHARE}"
                      r"(?:\s+of\s+(?:it|that|this|them|those|these|the (?:total|budget|pot|money|amount|sum|lot)|"
                      r"(?:the|our|that|this) [\w-]+(?: [\w-]+)?))?(?=\s)")
# the share is this system's: set aside for it, or what the bot takes
FOR_THIS = re.compile(r"^[^.;]{0,40}?\b(?:is|are|goes|go|will go|would go|could go|can go|is earmarked|is set aside|is "
                      r"allocated|is reserved|is budgeted|earmarked|set aside|allocated)\s+(?:for|to|towards|on)\s+"
                      r"(?:the |this |our |an? )?(?:[\w-]+ )?(?:upfront|up-front|build|model|assistant|bot|chatbot|ai|project|"
                      r"this|it|fine-?tun\w*|training|development|dev|pilot|prototype|tool|feature|llm|work|copilot|agent)\b")
BOT_TAKES = re.compile(r"\b(?:(?:the|an?) (?:bot|assistant|model|system|tool)(?: that| which| to)?|it|this|we)\s+"
                       r"(?:would\s+|will\s+)?(?:only\s+)?"
                       r"(?:takes?|handles?|answers?|gets?|covers?|deals? with)\s+(?:only\s+)?(?:those|them|these|that "
                       r"(?:share|part|slice)|those ones)\b")
SPLIT = re.compile(rf"\bsplit\s+(?:evenly\s+|equally\s+)?(?:across|between|among|into|over)\s+(?P<n>\d|{SMALL_NUMBER_WORDS})"
                   r"\s+[\w-]+[^.;]{0,40}?\b(?:this is|this one is|we(?:'re| are)|ours is|this project is) one of them\b")
# "... threw out 49", "150 turned out to be mislabeled and we dropped them", "but 30 were duplicates"
TAKEN_OUT = re.compile(r"\b(?:threw out|thrown out|removed|dropped|deleted|discarded|excluded|rejected|binned|cut|lost)\s+"
                       r"(?:about\s+|around\s+|roughly\s+)?(?P<a>\d[\d,]*)\b|"
                       r"\b(?P<b>\d[\d,]*)\s+(?:of (?:them|those|these)\s+)?(?:were|was|turned out to be|turned out|are|proved)"
                       r"\s+(?:\w+\s+){0,2}?(?:duplicates?|dupes|mislabell?ed|wrong|junk|unusable|bad|broken|outdated|"
                       r"invalid|corrupt|off-template)\b|"
                       # "30 of those failed our QA review", "20 of them are near-duplicates we'll throw out", "2,000 of
                       # those have missing codes, so we'd leave them out"
                       r"\b(?P<c>\d[\d,]*)\s+of (?:them|those|these)\b[^.;]{0,60}?\b(?:fail(?:ed|s)?|throw (?:them |it )?out|"
                       r"leave (?:them |it )?out|left out|drop(?:ped)?|discard(?:ed)?|exclude[ds]?|near-duplicates?|"
                       r"duplicates?|dupes|unusable|invalid|broken|corrupt)\b")
# a time budget and what is left of it for the answer
WHOLE = re.compile(r"\b(?:whole|total|entire|overall|full|end[- ]to[- ]end|budget|all in)\b")
REST = re.compile(r"\b(?:gets?|has|keeps?|is left with|takes?|can have|can use|uses?)\s+(?:whatever'?s|what'?s|what is|"
                  r"whatever is)\s+left\b|\b(?:gets?|has|keeps?|takes?)\s+the\s+(?:rest|remainder)\b|"
                  # "so what's left is for the answer itself"
                  r"\b(?:whatever'?s|what'?s|what is|whatever is|the rest|the remainder)\s+(?:left\s+)?(?:over\s+)?"
                  r"(?:is|goes)\s+(?:for|to)\b")
OF_BUDGET_IS = re.compile(r"^\s*(?:ms|milliseconds?)?\s*(?:of (?:it|that|this))\s+(?:is|are|goes (?:to|on)|is taken by|"
                          r"is eaten by)\b")
PART = re.compile(r"(?<![\w.,])(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<unit>ms|milliseconds?|s\b|sec\w*|seconds?)?")


def share(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """A share of the amount read (money, or a volume), set aside for this system: the amount replaced by it."""
    if not found:
        return found
    for m in SHARE_OF.finditer(ctx.t):
        part = float(m.group("pct")) / 100 if m.group("pct") else FRACTIONS[m.group("frac")]
        first = sentence_bounds(ctx.t, m.start())[0]
        ours = FOR_THIS.match(ctx.t[m.end():m.end() + 60]) is not None or \
            BOT_TAKES.search(ctx.t[m.end():m.end() + 120]) is not None
        if not ours or not 0 < part < 1:
            continue
        # the amount: the one the share is "of" ("a quarter of our $32,000"), else the last before it (this
        # sentence or the one before: "$40,000 for the year, but only 15% of that")
        before_first = sentence_bounds(ctx.t, first - 2)[0] if first > 1 else first
        base = next((c for c in found if m.start() < c.start <= m.end() + 2), None) or \
            next((c for c in reversed(found) if before_first <= c.start < m.start()), None)
        if base is None or not isinstance(base.value, int):
            continue
        return [_derived(base, base.value * part, f"{m.group(0).strip()} of {base.value:,}", m.end())
                if c is base else c for c in found]
    split = SPLIT.search(ctx.t)
    if split is not None:
        n = small_number(split.group("n"))
        base = next((c for c in reversed(found) if c.start < split.start() and isinstance(c.value, int)), None)
        if base is not None and isinstance(base.value, int) and n > 1:
            whole = base.value
            return [_derived(base, whole / n, f"{whole:,} split {n} ways", split.end()) if c is base else c
                    for c in found]
    return found


def taken_out(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """"We had 150 approved memos and threw out 49": the count left (unless the user says it: "so 101"). The count
    taken from is the one said last before the removal ("exactly 100 labeled. (We had 140 but threw out 40.)": the
    100 is said, the 140 is how they got there)."""
    for out in TAKEN_OUT.finditer(ctx.t):
        removed = float((out.group("a") or out.group("b") or out.group("c")).replace(",", ""))
        first = sentence_bounds(ctx.t, out.start())[0]
        before = [m for m in ctx.mentions if m.kind in ("count", "bare") and m.end <= out.start() and
                  (m.start >= first or ctx.t[m.end:out.start()].count(".") <= 1)]
        if not before:
            continue
        last = before[-1]
        base = next((c for c in found if c.start == last.start and isinstance(c.value, int)), None)
        if base is None or not isinstance(base.value, int) or any(o.start > out.end() for o in found) or \
                not 0 < removed < base.value:
            return found  # the count taken from is no candidate, or the result is said outright
        return [_derived(base, base.value - removed, f"{base.value:,} less {removed:,.0f}", out.end())] + \
            [o for o in found if o is not base and not (out.start() <= o.start < out.end())]
    return found


# "We had $12,000, but $3,000 already went on the pilot, so what's left is what we have"; "3.5 million questions a
# month in total, but the 500,000 from the legacy portal stay on the old system, so only the rest would go to the
# assistant": an amount, a smaller one taken from it, and the words that say the rest is what counts
THE_REST = re.compile(r"\b(?:what'?s left|what is left|whatever'?s left|whatever is left|the rest|the remainder|"
                      r"what remains|whatever remains|(?:is |are )?left over|(?:we'?re|we are) left with)\b")

# what the part says happened to it: spent, set aside, kept elsewhere
TAKEN_BY = re.compile(r"\b(?:went|goes|go(?!-)|going|spent|earmarked|set aside|committed|reserved|allocated|used|paid|stays?|"
                      r"handled|routed|excluded|taken|eaten|is for|are for|belongs?)\b")

# the rest said to be this system's: "so what's left is what we have", "so only the rest would go to the assistant"
SO_BEFORE = re.compile(r"\bso\s+(?:only\s+)?$")
OURS_AFTER = re.compile(r"^\s*(?:is|are|would be|will be)\s+(?:what (?:we|i) (?:have|get|can (?:spend|use))|ours|(?:for|what) (?:the|this|our) "
                        r"(?:build|project|assistant|bot|model|system|tool))\b|^\s*(?:would|will|could|can)?\s*(?:go|goes|come|comes)\s+"
                        r"(?:to|through)\s+(?:the|our|this)\s+(?:assistant|bot|model|system|tool|build|project)\b")


def rest_of(ctx: Context, found: list[Candidate], whole_kinds: tuple[str, ...], part_kinds: tuple[str, ...]) -> list[Candidate]:
    """An amount less a part said after it, when the message then says the rest is what this system gets; the
    candidates read from either figure give way to the difference (unless the rest is said outright)."""
    rest = THE_REST.search(ctx.t)
    if rest is None or any(m.start > rest.end() and m.kind in whole_kinds for m in ctx.mentions) or not (
            SO_BEFORE.search(ctx.t[max(0, rest.start() - 12):rest.start()]) or OURS_AFTER.match(ctx.t[rest.end():])):
        return found  # (not "$250k in total, of which $100k is capex before go-live; the rest is opex")
    wholes = [m for m in ctx.mentions if m.kind in whole_kinds and m.end <= rest.start() and not m.negated]
    for whole in wholes:
        parts = [m for m in ctx.mentions if m.kind in part_kinds and whole.end <= m.start < rest.start() and
                 0 < m.figure.value < whole.figure.value and ctx.t[whole.end:m.start].count(".") <= 1]
        base = next((c for c in found if c.start in (whole.start, *(p.start for p in parts))), None)
        if not parts or base is None or ctx.t[parts[0].end:rest.start()].count(".") > 1 or \
                TAKEN_BY.search(ctx.t, parts[0].start, rest.start()) is None:
            continue
        part = parts[0]
        factor = whole.value / whole.figure.value if whole.figure.value else 1  # (a rate a day, normalised)
        value = (whole.figure.value - part.figure.value) * factor
        derived = replace(base, value=as_int(value), note=f"{whole.figure.value:,g} less {part.figure.value:,g}",
                          source=f"{base.source}.derived", start=whole.start, end=max(base.end, rest.end()),
                          evidence=ctx.quote(whole.start, rest.end()))
        return [derived] + [c for c in found if c is not base and c.start not in (whole.start, part.start)]
    return found


def time_left(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """A whole time budget with the other steps' shares taken out, and the answer gets what is left."""
    rest = REST.search(ctx.t)
    for c in found:
        # (the whole is named as such, or is the first time said before the parts when the rest is said to go to the
        # answer: "within one second ... recognition eats 480 ms of that ..., so the answer gets what's left")
        if not isinstance(c.value, int) or not (WHOLE.search(ctx.sentence(c.start)) or
                                                (rest is not None and c is min(found, key=lambda o: o.start))):
            continue
        of_it = OF_BUDGET_IS.match(ctx.t[c.end:c.end + 4]) is None and \
            any(OF_BUDGET_IS.match(ctx.t[p.end():p.end() + 30]) for p in PART.finditer(ctx.t, c.end, c.end + 120))
        if rest is None and not of_it:
            continue
        stop = rest.start() if rest is not None and rest.start() > c.end else min(len(ctx.t), c.end + 160)
        if rest is not None and PART.search(ctx.t, rest.end(), min(len(ctx.t), rest.end() + 12)):
            return found  # "... so the answer itself gets whatever's left: 300 ms": said outright
        parts = [ms for p in PART.finditer(ctx.t, c.end, stop) if (ms := _ms(p, c)) is not None]
        if not parts or sum(parts) >= c.value:
            continue
        # the parts taken out are not the budget ("eat 800 ms of it")
        return [_derived(c, c.value - sum(parts), f"{c.value:,} ms less " + " and ".join(f"{p:,.0f}" for p in parts),
                         c.end)] + [o for o in found if o is not c and not c.end <= o.start < stop]
    return found


def _ms(part: re.Match[str], whole: Candidate) -> float | None:
    """A part of a budget in milliseconds ("520 ms", "another 400", "0.3 s"); None for a figure that is no time."""
    value = float(part.group("n").replace(",", ""))
    unit = part.group("unit") or ""
    if unit.startswith("s"):
        value *= 1000
    if not unit and not (10 <= value < (whole.value if isinstance(whole.value, int) else 0)):
        return None
    return value


def _derived(c: Candidate, value: float, how: str, end: int) -> Candidate:
    return replace(c, value=as_int(value), note=how, source=f"{c.source}.derived", end=max(c.end, end))


# "we've labeled eight voice notes a month for the past twelve months", "collecting for two weeks now, about 40
# labeled cases a week": a rate of labelling over the time it has run
LABELLED_RATE = re.compile(r"\b(?:labell?(?:ed|s)?|annotated?|graded|tag(?:s|ged)?|collect(?:ed|ing))\b")
OVER = re.compile(rf"\bfor (?:the )?(?:past |last )?(?P<n>\d{{1,3}}|{SMALL_NUMBER_WORDS}) (?P<unit>weeks?|months?|"
                  r"(?:working |business )?days?)\b|"
                  rf"\b(?P<n2>\d{{1,3}}|{SMALL_NUMBER_WORDS}) (?P<unit2>weeks?|months?|(?:working |business )?days?) now\b")
WEEKS_PER_MONTH = 52 / 12


def accumulated(ctx: Context) -> Candidate | None:
    """A labelling rate times how long it has run: the examples collected so far."""
    for m in ctx.mentions:
        if m.kind != "rate" or m.period not in ("day", "week", "month") or not LABELLED_RATE.search(ctx.sentence(m.start)):
            continue
        first, last = sentence_bounds(ctx.t, m.start)
        over = OVER.search(ctx.t, first, last)
        if over is None:
            continue
        n = small_number(over.group("n") or over.group("n2"))
        unit = (over.group("unit") or over.group("unit2")).rstrip("s")
        if (unit.endswith("day")) != (m.period == "day"):
            continue  # (a rate a day over weeks: not worked out)
        per_unit = m.figure.value if unit.endswith(m.period) else \
            m.figure.value * WEEKS_PER_MONTH if m.period == "week" else m.figure.value / WEEKS_PER_MONTH
        start, end = min(m.start, over.start()), max(m.end, over.end())
        return Candidate("labeled_examples", as_int(per_unit * n), level.STATED, ctx.quote(start, end), "derived.accumulated",
                         start, end, note=f"{m.figure.value:g} a {m.period} for {n} {unit}s")
    return None


# "North does about 400 a day, South 350 and West 250": the parts of a volume listed by site or team after the first
# (a capitalised name, or a word for a site); not days, months or seasons, whose figures are not parts of one whole
PLACE_NOUNS = r"(?:site|depot|store|shop|office|branch|team|region|plant|clinic|warehouse|desk|hub|campus|unit|line|country)s?"
NOT_A_PART = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|january|february|march|april|may|june|july|august|"
                        r"september|october|november|december|spring|summer|autumn|fall|winter|weekends?|weekdays?|peak|"
                        r"today|tomorrow|now|then|next|last|this|q[1-4]", re.IGNORECASE)
LISTED_PART = re.compile(r"\s*(?:,|;|,?\s+and|,?\s+plus)\s+(?:the\s+)?(?P<name>[A-Z][\w'&-]*(?:\s+[A-Z][\w'&-]*){0,2}"
                         rf"(?:\s+{PLACE_NOUNS})?|[a-z][\w-]*\s+{PLACE_NOUNS})\s+(?:(?:does|did|gets|got|handles|sees|sends|is at|at|with|about|"
                         r"around|roughly|maybe|another|more like)\s+)*(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?!\.\d)(?![\d,]*\s*(?:%|percent|ms\b|seconds?|"
                         r"minutes?|hours?|people|agents|staff|users|[$€£]))(?=[\s,.;]|$)")
# "700,000 questions a month from North America, 450,000 from Europe and 250,000 from Asia-Pacific": the name after
PLACE_AFTER = r"\s+(?:from|in|at|for|out of)\s+(?:the\s+)?(?P<place>[A-Z][\w'&-]*(?:[\s-]+[A-Z][\w'&-]*){0,2})"
LISTED_PART_FROM = re.compile(r"\s*(?:,|;|,?\s+and|,?\s+plus)\s+(?:another\s+|about\s+|around\s+|roughly\s+)?"
                              r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)(?!\.\d)" + PLACE_AFTER)
FIRST_PLACE = re.compile(PLACE_AFTER)
# (then "so about 1,000 a day in total": the sum said outright is read as said)
PART_RANGE = 20  # a part within 20 times either way of the first one is of the same kind


def listed_sum(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """A volume given for one site or team, then bare figures for the others in the same sentence: the sum."""
    for c in found:
        m = next((m for m in ctx.mentions if m.start == c.start and m.kind == "rate"), None)
        if m is None or not isinstance(c.value, int) or m.low is not None or not m.figure.value:
            continue
        first_place = FIRST_PLACE.match(ctx.text, m.end)
        position, parts = first_place.end() if first_place else m.end, []
        listed = LISTED_PART_FROM if first_place else LISTED_PART
        while (item := listed.match(ctx.text, position)) is not None and not NOT_A_PART.fullmatch(
                (item.group("place") if first_place else item.group("name")).split()[0]):
            part = float(item.group("n").replace(",", ""))
            if not m.figure.value / PART_RANGE <= part <= m.figure.value * PART_RANGE:
                break  # "300 tickets a day, Jira 9": a figure of another size is something else (a version)
            parts.append(part)
            position = item.end()
        if not parts:
            continue
        factor = m.value / m.figure.value  # (a day or a week, normalised to a month)
        total = m.figure.value + sum(parts)
        how = " + ".join(f"{v:,g}" for v in [m.figure.value, *parts]) + f" a {m.period}"
        return [_derived(o, total * factor, how, position) if o is c else o for o in found]
    return found


# "IT is contributing $5,000 and the support ops team $3,000, and that's the whole build budget"; "120 staff, each
# about 25 a working day ... On top of that, the web team estimates 250,000 reader questions a month": two amounts
# the user adds up (unless the total is said too)
ADD_ON = re.compile(r"\b(?:on top of (?:that|this|those|it)|in addition|additionally|plus|as well as|besides|and another)\b|\+")
SUM_AFTER = re.compile(r"^[^.;]{0,40}?\b(?:that'?s (?:the|our) (?:whole|total|entire|full)|together|combined|in total|all told|"
                       r"altogether|between (?:them|the two|us)|in all)\b")

IS_THE_TOTAL = re.compile(r"^\W*(?:[a-z]+\W+){0,3}?(?:in total|in all|altogether|all told|combined|overall)\b")


def summed(ctx: Context, found: list[Candidate], addable: Callable[[Candidate], bool] = lambda c: True) -> list[Candidate]:
    """Two amounts of one slot joined by words that add them ("on top of that", "+", "..., and that's the whole
    budget"): their sum. `addable` leaves out amounts that are not there to add ("another $20k if the pilot works")."""
    amounts = sorted(((c, c.value) for c in found if isinstance(c.value, int) and not isinstance(c.value, bool)
                      and addable(c)), key=lambda pair: pair[0].start)
    for (a, x), (b, y) in zip(amounts, amounts[1:], strict=False):
        if any(c.value == x + y for c in found) or b.start < a.end:
            return found  # the total is said outright
        same = ctx.sentence(a.start) == ctx.sentence(b.start)
        if IS_THE_TOTAL.match(ctx.t[b.end:b.end + 40]):
            return found  # "20,000 a month, but ... about 5 million a month in total": the second is the total
        if ADD_ON.search(ctx.t, a.end, b.start) or (same and SUM_AFTER.match(ctx.t[b.end:]) is not None):
            return [_derived(a, x + y, f"{x:,} + {y:,}", b.end)] + [c for c in found if c is not a and c is not b]
    return found


# "about 50,000 chat sessions a day, usually two questions per session": the questions in each session
PER_SESSION = re.compile(rf"\b(?:usually |typically |about |around |roughly |on average )?(?P<k>\d{{1,2}}|{SMALL_NUMBER_WORDS}|one) "
                         r"(?:questions?|quer(?:y|ies)|requests?|lookups?|messages?|prompts?) (?:per|a|each|every|in each) "
                         r"(?P<unit>sessions?|visits?|calls?|chats?|conversations?|users?|visitors?)\b")


def per_session(ctx: Context, found: list[Candidate]) -> list[Candidate]:
    """A volume of sessions (visits, calls) times the questions asked in each."""
    for c in found:
        m = next((m for m in ctx.mentions if m.start == c.start and m.kind == "rate"), None)
        if m is None or not isinstance(c.value, int) or not m.noun:
            continue
        said = PER_SESSION.search(ctx.t, c.end, sentence_bounds(ctx.t, c.start)[1])
        if said is None or not m.noun.split()[-1].startswith(said.group("unit").rstrip("s")[:4]):
            continue
        k = 1 if said.group("k") == "one" else small_number(said.group("k"))
        return [_derived(c, c.value * k, f"{c.value:,} {m.noun} a month x {k}", said.end()) if o is c else o
                for o in found]
    return found
