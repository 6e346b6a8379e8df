"""The upfront budget: money for this project before launch, in its own currency and converted to US dollars
at a stated rate (lexicon/vocabulary.yaml `usd_per_unit`); a conversion near the $8,000 line is confirmed."""

from __future__ import annotations

import re
from dataclasses import replace

from consultant.nlu import confidence as level
from consultant.nlu import derive
from consultant.nlu.lexicon import hits
from consultant.nlu.mentions import Mention
from consultant.nlu.readers.context import Context
from consultant.nlu.reading import Candidate, as_int, prefer
from consultant.nlu.text import sentence_bounds
from consultant.nlu.vocabulary import VOCABULARY as V

SLOT = "upfront_budget_usd"
RUN_LOW_USD = 8_000  # the framework's cheapest training run (costs.toml training_run_low_usd)
# how an amount is written back to the user; a currency without a symbol of its own is written with its code
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CAD": "C$", "AUD": "A$", "BRL": "R$", "ZAR": "R",
           "NZD": "NZ$", "SGD": "S$", "HKD": "HK$", "KES": "KSh ", "PHP": "₱"}
UNNAMED = "mention.money.unnamed"  # money said with nothing naming it the budget: only ever proposed, never assumed
UNNAMED_FLOOR = 1_000  # below this, money said without a budget word is a price or an order value, not proposed
# A converted figure within this share of one training run's cost could fall either side of it at another
# exchange rate: it is confirmed in dollars before it decides anything.
CONFIRM_NEAR_RUN = 0.2


# a sentence that opens by naming its topic ("Money: the PTA raised $7,999", "Budget - 20k") is about the budget
TOPIC_LABEL = re.compile(r"^\W*(?:money|budget|funding|funds|spend|cash|costs?)\s*(?:[:=—–-]|\.\.\.|\?)")


def _labelled(ctx: Context, m: Mention) -> bool:
    return TOPIC_LABEL.match(ctx.sentence(m.start)) is not None


def _not_budget(ctx: Context, m: Mention) -> bool:
    first, last = sentence_bounds(ctx.t, m.start, m.end)
    if _labelled(ctx, m):
        return False
    before = ctx.t[max(first, m.start - 50):m.start]  # the words before it in its own sentence
    after = ctx.t[m.end:min(m.end + 40, last)]  # and the words after it, in its sentence
    if re.search(rf"(?<![a-z])(?:{V.not_budget_words})(?![a-z])\W*(?:\w+\W+){{0,3}}?(?:about|around|roughly|~|nearly|over|"
                 r"almost|of)?\s*[$€£¥₹]?\s*$", before):
        return True  # "we raised $4M", "a vendor quote of 180k"
    if POOL_BEFORE.search(ctx.t[max(first, m.start - 70):m.start]):
        return True  # "$8,000 ... not a cent more, out of a total marketing tech budget of around 250k": the pool
    if DISOWNED.search(ctx.t[m.end:last]):
        return True  # "Our agency put $30k into the pitch, but that's our cost, not the project budget"
    return re.match(rf"^\W*(?:\w+\W+){{0,2}}?(?:{V.not_budget_words})(?![a-z])", after) is not None and \
        not re.search(r"upfront|up front|before launch|one[- ]off|build", ctx.sentence(m.start))


POOL_BEFORE = re.compile(r"\b(?:out of|from|part of) (?:a|an|the|our|their) (?:total|overall|whole|entire|wider|annual|"
                         r"yearly|company-wide)\b[^.;$€£¥₹\d]{0,45}$")
# the rest of an amount's sentence saying it belongs to someone or something else
DISOWNED = re.compile(r"\b(?:not (?:the|this|their|the client's|the customer's) (?:project(?:'s)? |client(?:'s)? )?budget|"
                      r"(?:ours|mine|our own),? not (?:theirs|the client's|the customer's|for this)|"
                      r"(?:that's|that is|it's|which is) (?:our|my) (?:own )?(?:cost|money|spend)\b)")


# a line drawn, not the amount: "$7,999 - anything from $8,000 up needs a capex request", "approved as a sub-$8k line
# item", "anything at $8,000 or above needs board sign-off", "the purchase limit without a tender is $8,000". Beside
# a figure said plainly, the bound is not the budget.
BOUND_AFTER = re.compile(r"^\s*(?:k\b\s*)?(?:(?:or|and) (?:above|more|over|higher|greater|up(?:wards)?|beyond|less|"
                         r"below|under)\b|\+|up\b(?!\s*-?\s*front)|(?:[a-z-]+ )?(?:line|limit|threshold|ceiling|cutoff|cut-off)\b|"
                         r"(?:dollars? |bucks? |euros? |pounds? )?(?:under|over|short|below|above)\b)")  # "$1 under"
BOUND_BEFORE = re.compile(r"(?:\bsub-?|<|\b(?:under|below|over|above|beyond|exceeding|more than|less than|at least|north of|"
                          r"from|anything (?:at|of)|(?:threshold|limit|cap|ceiling|cut-?off|line)"
                          r"(?: (?:of|for|set by|without|before|on|under) (?:the |our |a |an )?[a-z-]+)?(?: is| of| at)?|"
                          r"kicks? in (?:at|above|over)|(?:applies|apply|starts?) (?:at|from|above))\s*"
                          r"(?:the |an? |our )?)[$€£¥₹]?\s*$")


PRICE_BEFORE = re.compile(r"\b(?:run|runs|training|retraining|licen[cs]es?|subscriptions?|seats?|gpus?|vendors?|quotes?|"
                          r"tools?|platforms?|services?|consultants?|agency|agencies|model|models)\s+(?:\w+\s+)?"
                          r"(?:costs?|is priced at|goes for|runs? (?:at|about|around))\s*(?:about |around |roughly |~)?"
                          r"[$€£¥₹]?\s*$")
OUT_OF_REACH = re.compile(r"^[^.;]{0,24}?\b(?:way |far |well )?(?:beyond|above|out of reach for|more than) "
                          r"(?:us|our (?:budget|means|reach)|what we (?:have|can))\b")
# "Our ceiling is $7,999": our own cap is the budget, not a line drawn by someone else
OUR_CAP = re.compile(r"\b(?:our|my|the budget|spending|spend)\s+(?:[a-z-]+\s+)?(?:ceiling|cap|limit)\s*(?:is|of|at)?\s*[$€£¥₹]?\s*$")


def _threshold(ctx: Context, c: Candidate) -> bool:
    before = ctx.t[max(0, c.start - 40):c.start]
    return BOUND_AFTER.match(ctx.t[c.end:c.end + 24]) is not None or \
        (BOUND_BEFORE.search(before) is not None and OUR_CAP.search(before) is None)


# a share of the budget, not the budget: "$45,000 in total - 9 warehouses, so about $5k a site", "$2k per team"
SHARE_AFTER = re.compile(r"^\s*(?:k\b\s*)?(?:(?:(?:a|an|per|for each|for every)\s+|/\s*)"
                         r"(?!(?:day|week|month|quarter|year)s?\b)[a-z]{3,}|each\b|apiece\b)")


def _share(ctx: Context, c: Candidate) -> bool:
    return SHARE_AFTER.match(ctx.t[c.end:c.end + 24]) is not None


INDIAN_SCALE = re.compile(r"\b(?:lakhs?|lacs?|crores?)\b")
BESIDE = re.compile(r"(?:budget|spend|afford|funding|set aside|can put|could put)")


def _budget_beside(ctx: Context, m: Mention) -> bool:
    """A bare figure is a budget only right next to the word ("a 60k budget", "budget is 15k")."""
    return BESIDE.search(ctx.t[max(0, m.start - 28):m.start]) is not None or \
        re.match(r"^\s*(?:k\s*)?(?:budget|to spend|for (?:the )?(?:build|pilot|project))\b", ctx.t[m.end:m.end + 24]) is not None


OTHER_UNITS = ("duration", "tokens", "rate", "count", "people", "percent")


def money_text(amount: float, currency: str) -> str:
    sign = SYMBOLS.get(currency, currency + " ")
    return f"{sign}{amount:,.0f}"


def read(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    answering = ctx.answers(SLOT) or ctx.corrects_held(SLOT)  # "She cut it. We have seven and a half thousand, not ten"
    allowances: set[int] = set()  # amounts a month, times the months to launch
    for m in ctx.mentions:
        if m.negated or m.figure.from_article:
            continue
        if m.kind == "money":
            to_launch = _to_launch(ctx, m)
            if to_launch is not None:
                allowances.add(m.start)
            elif _not_budget(ctx, m):
                continue
            elif not (answering or ctx.near(V.budget_words, m.start) or _labelled(ctx, m)):
                if m.value < UNNAMED_FLOOR:
                    continue  # "an average order of $74": a price, not a project's money
                # "The owners give us only 7,500 dollars for begin": an amount of money with nothing saying what it
                # is for is most often the budget, but only the user can say so: asked, not stored
                out.append(replace(_candidate(ctx, m, m.currency, level.WEAK), source=UNNAMED))
                continue
            out.append(_candidate(ctx, m, m.currency, level.STATED if not answering else level.ANSWER, times=to_launch))
        elif m.kind == "bare" and (answering or _budget_beside(ctx, m)):
            if _not_budget(ctx, m) or m.value < 100 and not re.search(r"[km]|thousand|million", m.text):
                continue
            if any(o.kind in OTHER_UNITS and o.figure.value == m.figure.value for o in ctx.mentions):
                continue  # "a hard 300 ms budget at p99. 300 is the ceiling": the figure said again, with its unit

            # "3 lakh", "1.5 crore": Indian magnitude words name rupees; any other bare figure is taken as dollars
            currency = "INR" if INDIAN_SCALE.search(m.text) else "USD"
            out.append(_candidate(ctx, m, currency, level.ANSWER if answering else level.CUE, assumed=currency == "USD"))
    for hit in hits("phrases", ctx.t, ctx.clauses, ctx.pending):
        if hit.slot == SLOT and hit.affirmed:
            out.append(Candidate(SLOT, 0, level.STATED, ctx.quote(hit.start, hit.end), hit.entry.id, hit.start, hit.end))
    # money nothing names is a fallback: beside money said to be the budget it is how the amount was arrived at
    # ("Budget is $12k. No wait, procurement cut it to $6,500", the correction read on its own)
    out = prefer(out, lambda c: c.source != UNNAMED)
    out = prefer(out, lambda c: c.start in allowances or not _recurring(ctx, c))
    # "IT is contributing $5,000 and the support ops team $3,000, and that's the whole build budget" (not "another
    # $20k if the pilot works", nor what an earlier attempt cost)
    out = derive.summed(ctx, out, lambda c: not _conditional(ctx, c) and not ctx.of_the_past(c.start, c.end) and
                        not _threshold(ctx, c) and not _share(ctx, c))
    # "The total envelope is $150k, mostly opex over three years. What I can spend before go-live is $5k of capex":
    # the amount said of the time before launch is the upfront budget
    out = prefer(out, lambda c: UPFRONT.search(_said_of(ctx, c)) is not None)
    # "We have 100 past bulletins ... Budget is roughly $120k": a figure with its currency outranks a bare one
    out = prefer(out, lambda c: c.source != "mention.bare" or
                 any(o.value == c.value for o in out if o.source != "mention.bare"))  # "... fit in the 6,500"
    out = prefer(out, lambda c: not _threshold(ctx, c) and not _share(ctx, c))
    # "$3,000 of grant money. I read a retraining run costs $8,000-$60,000, which is way beyond us": the price of
    # something, or a figure said to be out of reach, beside the amount they have
    out = prefer(out, lambda c: not PRICE_BEFORE.search(ctx.t[max(0, c.start - 60):c.start]) and
                 not OUT_OF_REACH.match(ctx.t[c.end:c.end + 40]))
    # "$5k now, another $20k if the pilot works": money that depends on something yet to happen gives way to money
    # that is there
    out = prefer(out, lambda c: not _conditional(ctx, c))
    # "The pilot cost $1,500. For the real build we have $7,999": what an earlier attempt cost gives way
    out = ctx.strictly_under(prefer(out, lambda c: not ctx.of_the_past(c.start, c.end)))
    out = derive.share(ctx, out)  # "a quarter of our $32,000 is for the upfront build"
    out = derive.rest_of(ctx, out, ("money",), ("money",))  # "$12,000, but $3,000 already went on the pilot: the rest"
    # "Anything over $10k needs the CFO", "$25k and above goes to the board": a line someone else's approval starts
    # at, said alone, is no budget of theirs; it is asked about, not stored
    return [c.weaker(level.WEAK) if _approval_line(ctx, c) else c for c in out]


APPROVAL_BEFORE = re.compile(r"\banything (?:at|of|over|above|beyond|more than|north of|exceeding)\s*[$€£¥₹]?\s*$")
APPROVAL_AFTER = re.compile(r"^[^.;]{0,24}?\b(?:needs?|requires?|goes to|must go to|triggers?|has to go to)\s+(?:the\s+|a\s+)?"
                            r"(?:board|cfo|ceo|vp|director|approval|sign-?off|procurement|tender|po|finance|committee)\b")


def _approval_line(ctx: Context, c: Candidate) -> bool:
    return APPROVAL_BEFORE.search(ctx.t[max(0, c.start - 30):c.start]) is not None or \
        (BOUND_AFTER.match(ctx.t[c.end:c.end + 24]) is not None and APPROVAL_AFTER.match(ctx.t[c.end:c.end + 60]) is not None)


# "$80,000 up front. The org's annual budget is around $5 million", "$40k upfront and $10k a month after launch": a
# running budget is not the upfront one
RECURRING_BEFORE = re.compile(r"\b(?:annual|yearly|running|operating|opex)\b[^.;,]{0,24}$")
RECURRING_AFTER = re.compile(r"^\s*(?:k\b\s*)?(?:a|per|each|every)\s+(?:year|month|quarter|week)\b|"
                             r"^\s*(?:k\b\s*)?(?:annually|yearly|monthly|/\s*(?:y(?:ea)?r|mo(?:nth)?))\b")


CONDITION_AFTER = re.compile(r"^[^.;]{0,50}?\b(?:if (?:the|our|we|it|they|this|that|all)\b|once (?:the|we|it|our|they)\b|"
                             r"(?:provided|assuming|depending on|contingent on|subject to|conditional on)\b|"
                             r"after (?:the |our |a )?(?:pilot|series|raise|round|fundraise|funding|approval|board|vote)\b|"
                             r"(?:isn't|is not|not|aren't|are not) (?:yet )?(?:guaranteed|confirmed|approved|secured|certain)\b)")
CONDITION_BEFORE = re.compile(r"\b(?:might get|could get|may get|if (?:the|our|we|it|they)\b[^.;,]{0,60}?,?)\s*(?:[\w']+\s+){0,2}?"
                              r"[$€£¥₹]?\s*$")  # (not "maybe $60k for this": a hedge, not a condition)


def _conditional(ctx: Context, c: Candidate) -> bool:
    """An amount that depends on something yet to happen ("another $20k if the pilot works", "$50k after our Series
    A, not guaranteed"): not money the team can spend before launch when money without a condition is said too.

    Not `Context.hypothetical` (which volumes and latencies use): a condition after an amount reaches only as far as
    the next amount here ("$5k now, another $20k if the pilot works": the "if" is the $20k's), and an event money
    waits for ("once the grant comes through") is a condition on money, while a volume said "once we launch" is the
    target."""
    _, last = sentence_bounds(ctx.t, c.start)
    following = min((m.start for m in ctx.mentions if m.kind == "money" and c.end <= m.start < last), default=last)
    return CONDITION_BEFORE.search(ctx.t[max(0, c.start - 80):c.start]) is not None or \
        CONDITION_AFTER.match(ctx.t[c.end:following]) is not None


# (not "capex": "Total capex this year is about $2 million ... the assistant gets $50k" names the company's)
UPFRONT = re.compile(r"\b(?:upfront|up[- ]front|before (?:the )?(?:launch|go-?live|going live|we launch|we go live|release|"
                     r"rollout)|one[- ](?:off|time)|to build|build budget|for (?:the|this) (?:build|project|pilot))\b")


def _said_of(ctx: Context, c: Candidate) -> str:
    """The words said of one amount: its sentence, from the amount before it to the amount after it."""
    first, last = sentence_bounds(ctx.t, c.start)
    before = max((m.end for m in ctx.mentions if m.kind == "money" and first <= m.end <= c.start), default=first)
    after = min((m.start for m in ctx.mentions if m.kind == "money" and c.end <= m.start < last), default=last)
    return ctx.t[before:after]


# "$2,000 a month ..., launch is ten months out, and that allowance is all we can spend before launch": a monthly
# allowance times the months to launch is what can be spent before it (not "$3k a month after launch")
PER_PERIOD = re.compile(r"^\s*(?:k\b\s*)?(?:a|per|each|every|/)\s*(month|week)\b")
AFTER_LAUNCH = re.compile(r"\b(?:after (?:the )?(?:launch|go-?live|release|rollout)|once (?:we're |we are |it's |it is )?"
                          r"(?:live|launched)|to run it|running|to operate)\b")
TO_LAUNCH_BEFORE = re.compile(r"\b(?:launch|go-?live|release|rollout)\b[^.;,]{0,24}?\b(?:is|in|'s)\s+(?:about\s+|roughly\s+)?$")
TO_LAUNCH_AFTER = re.compile(r"^\s*(?:out|away|off|to go|(?:until|till|before|to|ahead of) (?:the )?(?:launch|go-?live|"
                             r"release|rollout|we launch|we go live)|of (?:build|building|development))\b")

# "$2,000 a month for the first three months to build it": the months the allowance runs for, said right after it
FOR_THE_MONTHS = re.compile(r"^\s*(?:k\b\s*)?(?:a|per|each|every|/)\s*(?:month|week)\s*,?\s+(?:for|over|during|across)\s+"
                            r"(?:the\s+)?(?:first\s+|next\s+|coming\s+)?$")

# "It's a 12-week pilot at $550 a week": the weeks or months it runs, said before the allowance
RUNS_FOR_BEFORE = re.compile(r"^\s*-?\s*(?:months?|weeks?)\s+(?:[\w-]+\s+){0,2}?(?:at|for|costing|of|paying|with)\s*[$€£]?\s*$")


def _to_launch(ctx: Context, m: Mention) -> tuple[float, str] | None:
    """The number of periods to launch an allowance "a month" is given for, and their name; None if it is not one."""
    period = PER_PERIOD.match(ctx.t[m.end:m.end + 16])
    # (in answer to the budget question, "$1,800 a month for four months" needs no word for "upfront")
    if period is None or (UPFRONT.search(ctx.t) is None and ctx.pending != SLOT) or \
            AFTER_LAUNCH.search(ctx.t[m.end:m.end + 40]):
        return None
    for o in ctx.mentions:
        unit = re.match(r"\s*-?\s*(months?|weeks?)\b", ctx.t[o.figure.end:o.end + 1])
        if o.kind not in ("frequency", "duration") or unit is None or not unit.group(1).startswith(period.group(1)):
            continue
        if TO_LAUNCH_BEFORE.search(ctx.t[max(0, o.start - 40):o.start]) or \
                TO_LAUNCH_AFTER.match(ctx.t[o.figure.end + unit.end():o.end + 40]) or \
                FOR_THE_MONTHS.match(ctx.t[m.end:o.start]) or \
                (o.end <= m.start and RUNS_FOR_BEFORE.match(ctx.t[o.figure.end:m.start])):
            return o.figure.value, unit.group(1)
    return None


def _recurring(ctx: Context, c: Candidate) -> bool:
    first, _ = sentence_bounds(ctx.t, c.start)
    return RECURRING_BEFORE.search(ctx.t[first:c.start]) is not None or \
        RECURRING_AFTER.match(ctx.t[c.end:c.end + 20]) is not None


def _candidate(ctx: Context, m: Mention, currency: str, confidence: float, assumed: bool = False,
               times: tuple[float, str] | None = None) -> Candidate:
    amount = m.low if m.low is not None else m.value  # "50-80k": the money that is surely there
    said = f"{money_text(amount, currency)} a {times[1].rstrip('s')} × {times[0]:g} {times[1]} to launch" if times else ""
    amount *= times[0] if times else 1
    rate = V.usd_per_unit.get(currency)
    if rate is None:
        return Candidate(SLOT, as_int(amount), level.WEAK, ctx.quote(m.start, m.end), "mention.money", m.start,
                         m.end, note=f"{money_text(amount, currency)} in US dollars?")
    usd = as_int(amount * rate)
    note = ""
    if currency != "USD":
        note = f"{money_text(amount, currency)} ≈ ${usd:,} at {rate:g} $ per {SYMBOLS.get(currency, currency).strip()}"
        if abs(usd - RUN_LOW_USD) <= CONFIRM_NEAR_RUN * RUN_LOW_USD:
            confidence = level.WEAK  # close to one training run: the exchange rate could decide, so ask
    elif assumed:
        note = "assumed US dollars"
    note = "; ".join(n for n in (said, note) if n)
    return Candidate(SLOT, usd, confidence, ctx.quote(m.start, m.end), "mention.money" if not assumed else "mention.bare",
                     m.start, m.end, note=note)
