"""Typed mentions: every figure in a message gets a kind before it means anything (Duckling's idea).

A model name, a version, a year, an id, a phone number, a percentage, a count of people or of categories is
typed as such and can never become a slot value. Money keeps its currency; durations become milliseconds;
counts per period become counts per month; a range keeps both ends; and each mention says whether it
describes today's system ("it currently takes 4 s") or the target ("it has to take under 1 s").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from consultant.nlu.numbers import Figure, find_figures
from consultant.nlu.text import sentence_bounds
from consultant.nlu.vocabulary import VOCABULARY as V

Kind = Literal["money", "duration", "frequency", "rate", "tokens", "count", "people", "categories", "percent",
               "year", "version", "id", "word", "bare"]
When = Literal["current", "target", ""]

WORKING_DAYS_PER_MONTH = 21
"""A working day, and a person's shift ("each agent handles 45 tickets a shift": one shift a working day), unless the
message gives its own calendar ("22 shifts a month": see readers/volume.py `_calendar`)."""
WORKED_PERIODS = ("business day", "working day", "workday", "weekday", "shift", "day")
"""Periods a work calendar ("21 working days a month") counts: a rate said per one of them is per worked day."""
PERIOD_PER_MONTH = {"second": 2_592_000, "sec": 2_592_000, "s": 2_592_000, "minute": 43_200, "min": 43_200,
                    "hour": 720, "hr": 720, "h": 720, "day": 30, "d": 30, "week": 52 / 12, "wk": 52 / 12,
                    "month": 1, "mo": 1, "quarter": 1 / 3, "year": 1 / 12, "yr": 1 / 12, "annum": 1 / 12,
                    "daily": 30, "weekly": 52 / 12, "monthly": 1, "quarterly": 1 / 3, "yearly": 1 / 12,
                    "annually": 1 / 12, "hourly": 720, "nightly": 30, "business day": WORKING_DAYS_PER_MONTH,
                    "working day": WORKING_DAYS_PER_MONTH, "workday": WORKING_DAYS_PER_MONTH,
                    "weekday": WORKING_DAYS_PER_MONTH, "fortnight": 52 / 24, "fortnightly": 52 / 24,
                    "shift": WORKING_DAYS_PER_MONTH}
TIME_MS = {"ms": 1, "msec": 1, "msecs": 1, "millis": 1, "millisecond": 1, "milliseconds": 1, "s": 1000, "sec": 1000,
           "secs": 1000, "second": 1000, "seconds": 1000, "sek": 1000, "sekunden": 1000, "segundos": 1000,
           "min": 60_000, "mins": 60_000, "minute": 60_000, "minutes": 60_000, "h": 3_600_000, "hr": 3_600_000,
           "hrs": 3_600_000, "hour": 3_600_000, "hours": 3_600_000}
LONG_TIME = r"days?|weeks?|months?|years?|decades?|quarters?|seasons?|semesters?|terms?|shifts?|sprints?"
RATE_ABBREVIATIONS = {"rps": "second", "qps": "second", "tps": "second", "req/s": "second", "requests/s": "second",
                      "rpm": "minute", "qpm": "minute", "req/min": "minute", "rph": "hour", "req/h": "hour",
                      "rpd": "day", "req/day": "day"}


@dataclass(frozen=True)
class Mention:
    """A figure with its kind, its value in base units, its span (figure and unit words) and its context."""

    kind: Kind
    value: float  # money: in `currency`; duration: ms; rate: per month; tokens; counts
    start: int
    end: int
    figure: Figure
    currency: str = ""  # ISO code for money
    noun: str = ""  # what is counted ("queries", "examples", "users", "categories")
    period: str = ""  # for rates and frequencies: the period word as written
    when: When = ""
    negated: bool = False  # "not 50k", "instead of 2 s": the value being replaced
    low: float | None = None  # range ends in base units
    high: float | None = None

    @property
    def approx(self) -> bool:
        return self.figure.approx

    @property
    def text(self) -> str:
        return self.figure.text


_NOUNS = "|".join((V.count_nouns, V.people_nouns, V.category_nouns))
# words glued to a figure by a hyphen that qualify the quantity ("sub-300 ms", "mid-40s"), not a code's letters
_QUANTITY_PREFIXES = "sub|under|over|about|around|approx|ca|up|low|high|mid|top|pre|non|multi|single|double"
# Spans that are identifiers, whatever digits they hold: phone numbers, dates, clock times, codes like ABC-123 or D5520-114.
_ID_SPANS = re.compile(r"\+\d[\d\s()/-]{6,}\d|\(\d{2,5}\)\s*\d[\d\s-]{4,}\d|\b\d{3}[-.]\d{3,4}[-.]\d{4}\b|"
                       r"\b\d{3}-\d{4}\b|\b(?:19|20)\d\d-\d\d-\d\d\b|\b\d{1,2}/\d{1,2}/\d{2,4}\b|"
                       r"\b\d{1,2}:\d\d\b|\b\d{1,2}\s*[ap]\.?m\.?(?![a-z])|\b(?!(?:" + _QUANTITY_PREFIXES + r")-)[a-z]{2,}-\d+\b|#\s*\d+|"
                       # a code of letters and digits joined to more by a hyphen: "drawing D5520-114", "part AB12-7"
                       r"\b[a-z]{1,4}\d+(?:[-/][a-z0-9]+)+\b")
_PHRASE_ENDS = frozenset(["our", "the", "a", "an", "their", "his", "her", "its", "my", "your", "that", "which", "who", "we", "they", "you", "i", "it", "this", "these", "those", "and", "or", "but", "to", "from", "for", "with", "by", "at", "in", "on", "of", "where", "when", "whose", "whom", "while", "since", "because", "as", "if",
                           "across", "among", "per", "via", "through", "throughout", "within", "between", "all", "each", "every", "into"])
_NOT_A_PREFIX = re.compile(rf"(?:{_QUANTITY_PREFIXES})-$")


# a word of a noun phrase: "engineer-draft/published", but not the "/month" of "questions/month"
_WORD = r"[a-z][a-z'&-]*(?:/(?!(?:s|sec|second|min|minute|h|hr|hour|d|day|wk|week|mo|month|yr|year|quarter)\b)[a-z'&-]+)*"


# a past-tense verb right after a plural of people: "letters customers approved" (not "14 claims offices")
ACTED = re.compile(r"^\s+(?:[a-z]+ed|wrote|sent|made|gave|did|built|signed|drew|took|read)\b")


def _noun_after(t: str, end: int) -> tuple[str, int]:
    """The counted noun right after a figure: the head of a short noun phrase ("14 claims offices" -> offices,
    "5,000 engineer-draft/published pairs" -> pairs), or ("", end)."""
    m = re.match(rf"^\s*(?:-\s*)?((?:{_WORD})(?:\s+{_WORD}){{0,3}})", t[end:])
    if not m or re.match(r"\s+[-–—]+\s", t[end:end + 4]):  # "Exactly 100 - our analysts verified them": a new clause
        return "", end
    words = list(re.finditer(_WORD, m.group(1)))
    stop = next((i for i, w in enumerate(words) if i and w.group(0) in _PHRASE_ENDS), len(words))
    words = words[:stop]  # "7,500 replies our best agents wrote": the phrase ends before "our"
    offset = end + m.start(1)
    people = next((w for w in words if w.group(0).endswith("s") and re.fullmatch(V.people_nouns, w.group(0))), None)
    counted = next((w for w in words if re.fullmatch(V.count_nouns, w.group(0))), None)
    if people is not None and counted is None and people.start() > 0 and \
            ACTED.match(t[offset + people.end():offset + people.end() + 16]):
        # "500 scorecards recruiters filled in properly": a plural thing, then the people who did something to it
        first = words[0]
        if first.start() < people.start() and re.fullmatch(r"[a-z-]{4,}s", first.group(0)):
            return m.group(1)[:first.end()], offset + first.end()
    if people is not None and (counted is None or people.start() < counted.start()):
        # "12 editors approves every summary", "two duty managers labeled reports": a plural of people said first
        # is what is counted; the words after it are what they do (a singular one is a modifier: "500 customer
        # emails")
        return m.group(1)[:people.end()], offset + people.end()
    for last in range(len(words) - 1, -1, -1):
        if re.fullmatch(rf"(?:{_NOUNS})", words[last].group(0)):
            if last and re.fullmatch(r"(?:of|with|from|for|per|in|at|by|and|or|that|which|to)", words[last - 1].group(0)):
                continue  # "50 of those conversations" is not "50 conversations" here; "5 pages of manuals"
            if counted is not None and counted.start() < words[last].start() and counted.group(0).endswith("s") \
                    and re.fullmatch(V.people_nouns, words[last].group(0)) and \
                    ACTED.match(t[offset + words[last].end():offset + words[last].end() + 16]):
                # "450 offer letters customers approved": two plurals in a row; the people after the counted
                # things are who did something to them
                return m.group(1)[:counted.end()], offset + counted.end()
            return m.group(1)[:words[last].end()], offset + words[last].end()
    return "", end


def _is_id(t: str, f: Figure) -> bool:
    """Inside a phone number, a date, a clock time or a code like ABC-123, or named as an id ("order 558213")."""
    if any(m.start() <= f.start < m.end() for m in _ID_SPANS.finditer(t)):
        return True
    before = t[max(0, f.start - 24):f.start]
    if re.search(rf"\b(?:{V.numbered_words})\s*#?\s*$", before):
        return True  # "criterion 2b met", "section 4": a number naming an item, whatever its size
    return bool(re.search(rf"\b(?:{V.id_words})\s*(?:number|no\.?|#|id)?\s*:?\s*$", before)) and f.value >= 100 and \
        not re.match(rf"^\s*(?:{V.count_nouns})\b", t[f.end:f.end + 12])


def _is_name(t: str, f: Figure) -> bool:
    """A model name, version, product code or id: "GPT-4o", "Llama 3.1 8B", "v2", "iOS 17", "8D", "#4821"."""
    before, after = t[max(0, f.start - 24):f.start], t[f.end:f.end + 12]
    if re.search(r"[a-z]-$", before) and not _NOT_A_PREFIX.search(before):
        return True  # "gpt-4", "covid-19"
    if re.match(r"^[a-z]", after) and not re.match(rf"^(?:{V.glued_units})\b", after):
        return True  # glued letters: "4o", "8d", "h100", "3.5-turbo"
    if re.search(r"[0-9.]\s*b$", f.text) and re.match(r"^\s*-?\s*(?:param|parameter|model|llm|base|instruct)", after):
        return True  # "a 7B model": parameters, not a count
    if re.search(rf"(?<![a-z])(?:{V.model_words})[\s-]*(?:\d+(?:\.\d+)*[\s-]*)?$", before):
        return True  # "gpt-4", "llama 3.1 8b", "version 2", "python 3.11"
    if re.search(r"(?:#|\bno\.|\bnr\.?|\bref\.?|\bid\b|\bext\.?|\+)\s*$", before) or re.match(r"^-\d", after):
        return True  # "#4821", "ticket no. 12", "+49 30 ...", "555-0199"
    if re.fullmatch(r"\d{1,3}(?:\.\d{3}){2,}", f.text):
        return False  # "5.000.000": five million with thousands dots, not a version
    return bool(re.fullmatch(r"\d+(?:\.\d+){2,}", f.text) or re.fullmatch(r"0\d{3,}", f.text))  # "3.1.4", "0049"


def _is_year(t: str, f: Figure) -> bool:
    if re.fullmatch(r"[1-9]0", f.text) and re.match(r"^'?s\b", t[f.end:f.end + 3]) and \
            re.search(r"\b(?:their|his|her|the|our|my|your|early|late|mid|mid-)\s*'?$", t[max(0, f.start - 8):f.start]):
        return True  # "many are in their 70s", "since the late 90s": an age or a decade, not 70 seconds
    if re.fullmatch(r"(?:19|20)\d0", f.text) and re.match(r"^'?s\b", t[f.end:f.end + 3]):
        return True  # "the 1960s": a decade
    if not re.fullmatch(r"(?:19|20)\d\d", f.text) or f.is_range:
        return bool(re.fullmatch(r"(?:19|20)\d0s|'\d0s", t[f.start:f.end + 1].strip()))
    after = t[f.end:f.end + 25]  # "2024 examples", "2000 ms" are figures, not years
    return not re.match(rf"^\s*(?:{V.count_nouns}|{'|'.join(TIME_MS)}|tokens?|dollars?|usd|euros?)\b", after)


# a verb right before the figure that reports a measurement when today's system is its subject
MEASURING_VERB = re.compile(r"\b(?:needs|takes|took|is taking|runs|ran|sits|averages|clocks)\s+(?:about |around |roughly |"
                            r"~|like |almost |nearly |over |up to )?$")


LIMIT_AFTER = re.compile(r"^[\w\s-]{0,30}?(?:\b(?:is|'s|as|will be) (?:(?:the|our|a|an) )?(?:hard |absolute |strict )?|"
                         r"\s*[,;:(—–-]\s*(?:(?:the|our|a|an) )?(?:hard|absolute|strict) )"
                         r"(?:limit|target|max(?:imum)?|ceiling|cap|requirement|budget|red line)\b")
# a specification is a requirement, whoever wrote it: "the earpiece vendor's spec says 250 ms end to end"
# (not "our product spec sheets": the specifications of what is sold)
SPEC = re.compile(r"(?<!product )\b(?:spec|specs|specification)\b(?!\s+sheets?)|\b(?:sla|slo|contract|contractually|tender|rfp)\b")
# a period said at the head of a sentence, before the count: "Daily we get ...", "Every month we see ..."
PERIOD_FIRST = re.compile(r"^\W*(?:(daily|weekly|monthly)|(?:every|each|per|a|in a|on an? (?:[a-z]+ )?)"
                          r"\s*(day|week|month))\b[^.;,]{0,40}$")  # "On a calm day it's about 160,000 calls"
SO_BEFORE = re.compile(r"(?:^|[,;–—-])\s*(?:so|say|let'?s say|call it)\s*(?:about|around|roughly|~)?\s*$")
LIMIT_BEFORE = re.compile(r"\b(?:anything|everything) (?:over|above|more than|beyond|longer than|slower than|past)\s*$|"
                          # "the screen feels broken if an answer takes more than a quarter of a second"
                          r"\b(?:if|when|once|whenever) (?:an? |the |it |each |every )?(?:[\w-]+ ){0,2}?(?:takes?|needs?|is|gets?) "
                          r"(?:more|longer|slower) than\s*$")


def _when(t: str, f: Figure) -> When:
    """Does the clause around a figure describe today's system or the target? The nearest marker decides."""
    clause = re.split(r"\.\.\.|…", t[sentence_bounds(t, f.start)[0]:f.start])[-1]  # "the vendor did say... no, it is"
    if LIMIT_BEFORE.search(clause) or LIMIT_AFTER.match(t[f.end:f.end + 50]):
        # "we tested a demo: anything over 250 milliseconds and people start jabbing the screen", "we measured it
        # with the presenters: 300 milliseconds end to end is the limit"
        return "target"
    if SPEC.search(clause) or SO_BEFORE.search(clause):
        return "target"  # "... The CTO decides, so 200 ms": what the user concludes with is the requirement
    current = [m.end() for m in re.finditer(rf"\b(?:{V.current_markers})\b", clause)]
    target = [m.end() for m in re.finditer(rf"\b(?:{V.target_markers})\b", clause)]
    if current and (not target or current[-1] > target[-1]):
        return "current"
    if current and MEASURING_VERB.search(clause) and not re.search(r"\b(?:new|next|future|target|to)\b",
                                                                    clause[current[-1]:]):
        return "current"  # "our prototype needs 1.8 seconds": today's system is the subject of "needs"
    after = t[f.end:f.end + 40].split(".")[0]
    if not target and re.search(rf"\b(?:{V.current_after})\b", after):
        return "current"  # "4 seconds today"
    return "target" if target else ""


_SIGNS = "|".join(re.escape(sign) for sign in sorted(V.classes["currency_words"].signs, key=len, reverse=True))


def _money(t: str, f: Figure) -> tuple[str, int] | None:
    """(currency, end of the mention) when a currency sign or word is attached to the figure."""
    before, after = t[max(0, f.start - 6):f.start], t[f.end:f.end + 32]  # " new zealand dollars"
    sign = re.search(rf"(?<![a-z])({_SIGNS})\s*~?\s*$", before)
    if sign:
        return V.currency_codes[sign.group(1)], f.end
    word = re.match(rf"^\s*(?:k\s*)?({V.currency_words})(?![a-z])", after)
    if word:
        return V.currency_codes[word.group(1)], f.end + word.end()
    stop = "." if f.value >= 100 else ""  # "Five grand. Pounds." (not "we'll get 10. Pounds.": 10 of what was said before)
    named = re.match(rf"^\s*(?:k|grand)?\s*(?:only|just|in total|total)?\s*(?:,?\s*in|[-–—,(:{stop}]|,?\s*that'?s)\s*"
                     rf"({V.currency_words})(?![a-z])", after)
    if named:
        # "four grand, in pounds", "20k in euros", "forty grand - pounds", "Five grand. Pounds."
        return V.currency_codes[named.group(1)], f.end
    slang = re.match(r"^\s*(?:grand|bucks)\b", after)
    if slang or f.text.endswith("grand"):
        return "USD", f.end + (slang.end() if slang else 0)  # "5 grand", "20 bucks": American dollars
    return None


def _duration(t: str, f: Figure) -> tuple[str, float, int] | None:
    """(kind, ms or days, end): "300 ms" -> duration; "every 2 weeks", "for 3 years" -> frequency / not latency."""
    after = t[f.end:f.end + 20]
    units = "|".join(sorted(TIME_MS, key=len, reverse=True))
    unit = re.match(rf"^\s*-?\s*(?:of\s+)?({units})(?![a-z])", after)
    if unit:
        return "duration", f.value * TIME_MS[unit.group(1)], f.end + unit.end()
    inside = re.search(rf"\b({units})\s+or\b", f.text) if f.is_range else None
    if inside:
        return "duration", f.value * TIME_MS[inside.group(1)], f.end  # "a second or two"
    long = re.match(rf"^\s*-?\s*({LONG_TIME})\b", after)
    if long:
        return "frequency", f.value, f.end + long.end()
    return None


DURATION_VERB = re.compile(r"\b(?:spent|spend|spends|took|take|takes|taking|over|within|after|during|last|lasted)"
                           r"\s+(?:a|an|one|the)?\s*$")


FOREIGN_PERIODS = {k.lower(): v for k, v in V.classes["foreign_periods"].map.items()}
# "2 millones de consultas al mes": the counted word (in any language) then the period in another language
FOREIGN_PERIOD = re.compile(r"^\s*(?:de\s+)?(?:[^\W\d_]+\s+){0,2}?(" +
                            "|".join(re.escape(k).replace(r"\ ", r"\s+") for k in sorted(FOREIGN_PERIODS, key=len, reverse=True))
                            + r")(?![^\W\d_])")


def _rate(t: str, f: Figure, noun_end: int) -> tuple[str, float, int] | None:
    """(period word, per-month factor, end) for "50k a day", "1.2M/month", "20 rps", "50k daily"."""
    after = t[noun_end:noun_end + 40]
    abbreviation = re.match(r"^\s*(rps|qps|tps|rpm|qpm|rph|rpd|req/s|requests/s|req/min|req/h|req/day)\b", after)
    if abbreviation:
        period = RATE_ABBREVIATIONS[abbreviation.group(1)]
        return period, PERIOD_PER_MONTH[period], noun_end + abbreviation.end()
    m = re.match(r"^\s*(?:(?:of\s+)?(?:[a-z']+\s+){0,3}?)?(?:(?:a|an|per|each|every|in a|in the|in one|on a (?:busy|typical|normal|good) )"
                 r"\s*(business day|working day|workday|weekday|second|sec|minute|min|hour|hr|day|shift|fortnight|week|month|quarter|"
                 r"year|annum)\b"
                 r"|(?:req|reqs|requests?|queries|calls|q)?\s*/\s*(second|sec|s|minute|min|hour|hr|h|day|d|week|wk|month|mo|year|yr)\b"
                 r"|(daily|weekly|fortnightly|monthly|quarterly|yearly|annually|hourly|nightly)\b"
                 r"|by (day|week|month|year)\b)", after)  # "40,000 fault events by day" (not "by HR")
    if not m or DURATION_VERB.search(after[:m.start(1) if m.group(1) else m.end()]):
        return None  # "two seniors spent a week picking them": how long something took, not a rate
    period = m.group(1) or m.group(2) or m.group(3) or m.group(4)
    weekdays = WEEKDAYS_ONLY.match(t[noun_end + m.end():noun_end + m.end() + 30])
    if period in ("day", "d", "daily") and weekdays is not None:
        # "roughly 1,000 a day on weekdays, next to nothing at weekends": working days, not thirty a month
        return "weekday", PERIOD_PER_MONTH["weekday"], noun_end + m.end() + weekdays.end()
    return period, PERIOD_PER_MONTH[period], noun_end + m.end()


WEEKDAYS_ONLY = re.compile(r"^\s*,?\s*(?:on|during|across|over)?\s*(?:weekdays|workdays|working days|business days|the working week|"
                           r"the work week|mon(?:day)?\s*(?:-|–|to|through|thru)\s*fri(?:day)?)\b")


def _kind_of_noun(noun: str) -> Kind:
    last = noun.split()[-1] if noun else ""
    if re.fullmatch(V.people_nouns, last):
        return "people"
    if re.fullmatch(V.category_nouns, last) or re.fullmatch(V.category_nouns, " ".join(noun.split()[-2:])):
        return "categories"
    return "count"


_PERCENT = re.compile(r"^\s*(?:%|percent\b|per cent\b|pct\b|pp\b)")
# "3 times a year", "25 times a working day", "6 times an hour"
_TIMES_A = re.compile(r"^\s*times\s+(?:a|an|per|each|every)\s+((?:working |business |work )?"
                      r"(?:day|week|month|quarter|year|hour|shift|weekday|workday))\b")
_RATIO = re.compile(r"^\s*(?:-\s*)?(?:times\b|x\b|fold\b|times (?:more|less|faster|slower|cheaper))")
# "QA rated 5 out of 5", "scored 4/5": both figures are a score (not "60 out of 100 are labelled")
_SCORED = r"\b(?:rated|rating|scored|scores?|graded|grades?|stars?|ranked|marked)\b[^.;]{0,20}?"
_SCORE_BEFORE = re.compile(rf"{_SCORED}(?:\d+\s*(?:out of|/)\s*)?$")
_SCORE_SCALE = re.compile(r"^\s*(?:out of|/)\s*(?:5|10|100)\b|(?<=out of )(?:5|10|100)$")
_NEGATED = re.compile(r"(?:\bnot|\bno longer|\binstead of|\brather than|\bisn't|\bwasn't)\s*(?:(?<=of )the\s+|(?<=than )the\s+)?"
                      r"(?:\$|~|about)?\s*$|"  # ("instead of the 5 calls per agent we do now")
                      r"\b(?:don't|do not|doesn't|does not) need (?:anything |it )?(?:under|below|faster than|within|sub-?)\s*$")
# ("we don't need anything under 300 ms - a second is fine": a bound waved off, not the budget)
_EVERY = re.compile(r"(?:\bevery|\beach|\bper|/|\bonce|\btwice)\s*$")
PERIOD_ADJECTIVE = re.compile(r"(daily|weekly|fortnightly|monthly|quarterly|yearly|hourly|nightly)\s")
# the year a count is a total of: "40 million queries next year", "10M requests over the first 12 months"
YEAR_TOTAL = re.compile(r"^\s*(?:(?:over|in|during|across|for|throughout)\s+(?:the\s+)?(?:next|coming|first|whole|entire)\s+"
                        r"(?:year|12\s+months|twelve\s+months)|(?:next|this)\s+year|in\s+(?:fy\s*)?20\d\d)\b")
LEVEL_BEFORE = re.compile(r"\b(?:hit|hits|reach|reaches|be at|grow to|get to|up to|scale to|ramp to)\s+(?:about\s+|around\s+|~)?$")
# "classify them into 9 labels", "sorted into 14 codes": the size of a label set, not a count of examples
INTO = re.compile(r"\b(?:into|in(?:to)? one of|among)\s*(?:about|around|roughly)?\s*$")
SORTED_INTO = V.label_set_nouns
TEAM_OF = re.compile(rf"\b(?:{V.team_nouns})\s+of\s+(?:about|around|roughly|~)?\s*$")
_TOKENS = re.compile(r"^\s*-?\s*(?:k\s*)?(?:[a-z-]+\s+)?(?:tokens?|toks?)\b")


class _Maker:
    """Builds the mentions of one figure: the same span, range ends and context whatever the kind."""

    def __init__(self, t: str, f: Figure) -> None:
        self.t, self.f = t, f
        self.negated = bool(_NEGATED.search(t[max(0, f.start - 40):f.start]))

    def __call__(self, kind: Kind, value: float, end: int, **kw: object) -> Mention:
        f = self.f
        scale = value / f.value if f.value else 1.0
        low = f.low * scale if f.low is not None else None
        high = f.high * scale if f.high is not None else None
        return Mention(kind, value, f.start, end, f, when=_when(self.t, f), negated=self.negated, low=low, high=high,
                       **kw)  # type: ignore[arg-type]


def _not_a_quantity(t: str, f: Figure, make: _Maker) -> Mention | None:
    """Percentages, ratios, money, ids, names and years: figures that are never a count of anything."""
    after = t[f.end:f.end + 12]
    if _PERCENT.match(after):
        return make("percent", f.value, f.end)
    times = _TIMES_A.match(t[f.end:f.end + 30])
    if times:
        return make("frequency", f.value, f.end, period=times.group(1))  # "3 times a year"
    before = t[max(0, f.start - 40):f.start]
    if _RATIO.match(after) or _SCORE_BEFORE.search(before) and (
            _SCORE_SCALE.match(after) or _SCORE_SCALE.search(before + f.text)):
        return make("percent", f.value, f.end)  # "3x faster", "rated 5 out of 5": a ratio or a score, never a count  # "checked two times", "3x faster": a ratio, never a count
    money = _money(t, f)
    if money is not None:
        return make("money", f.value, money[1], currency=money[0])
    if f.from_article:
        return None
    if _is_id(t, f):
        return make("id", f.value, f.end)
    if _is_name(t, f):
        return make("version", f.value, f.end)
    if _is_year(t, f):
        return make("year", f.value, f.end)
    return None


def _counted(t: str, f: Figure, make: _Maker) -> Mention:
    """Tokens, rates, counts of things, people or categories, or a bare figure."""
    if f.text == "one" and not re.match(rf"^\s*(?:[a-z-]+\s+){{0,2}}?(?:{_NOUNS}|{'|'.join(TIME_MS)}|tokens?)\b",
                                        t[f.end:f.end + 40]) and t.strip(" .!?") != "one":
        return make("word", f.value, f.end)  # "which one", "one of them", "the one thing": a word, not a figure
    tokens = _TOKENS.match(t[f.end:f.end + 30])
    if tokens:
        return make("tokens", f.value, f.end + tokens.end(), noun="tokens")
    if re.match(r"-(?!(?:odd|something|plus|ish|some|strong|thousand|hundred|million)\b)[a-z]{3,}\b(?!\s*(?:a|per|each|every)\s)",
                t[f.end:f.end + 20]):
        return make("word", f.value, f.end)  # "the 12-section memo", "a 30-page voice bible": a modifier, not a count
    if TEAM_OF.search(t[max(0, f.start - 30):f.start]):
        return make("people", f.value, f.end, noun="team")  # "our AP team of 14 codes invoices": a team's size
    foreign = FOREIGN_PERIOD.match(t[f.end:f.end + 50])
    if foreign is not None:
        # "50.000 Anfragen pro Tag", "300 mil por mês": a rate said in another language (what is counted unread)
        period = FOREIGN_PERIODS[re.sub(r"\s+", " ", foreign.group(1))]
        return make("rate", f.value * PERIOD_PER_MONTH[period], f.end + foreign.end(), period=period)
    noun, noun_end = _noun_after(t, f.end)
    rate = _rate(t, f, noun_end)
    year = YEAR_TOTAL.match(t[noun_end:noun_end + 40]) if rate is None and noun else None
    if year is not None and re.fullmatch(V.volume_nouns, noun.split()[-1]) and \
            not LEVEL_BEFORE.search(t[max(0, f.start - 24):f.start]):
        # "40 million queries next year": a year's total (not "we'll hit 600k next year", a level reached)
        return make("rate", f.value * PERIOD_PER_MONTH["year"], noun_end + year.end(), noun=noun, period="year")
    if rate is not None:
        period, factor, end = rate
        kind: Kind = "people" if noun and _kind_of_noun(noun) == "people" else "rate"
        return make(kind, f.value * factor, end, noun=noun, period=period)
    adjective = PERIOD_ADJECTIVE.match(noun)
    if adjective is not None and re.fullmatch(V.volume_nouns, noun.split()[-1]):
        # "about 50k daily queries": the period said as an adjective of what is counted
        period = adjective.group(1)
        return make("rate", f.value * PERIOD_PER_MONTH[period], noun_end, noun=noun, period=period)
    lead = PERIOD_FIRST.search(t[sentence_bounds(t, f.start)[0]:f.start])
    if lead is not None and noun and re.fullmatch(V.volume_nouns, noun.split()[-1]):
        # "Daily we are getting around 160,000 calls": the period said first
        period = next(p for p in lead.groups() if p)
        return make("rate", f.value * PERIOD_PER_MONTH[period], noun_end, noun=noun, period=period)
    one_of = re.search(r"\bone of\s*(?:our|the|their|these|those|its|your|my)?\s*$", t[max(0, f.start - 20):f.start]) or \
        (INTO.search(t[max(0, f.start - 20):f.start]) and re.fullmatch(SORTED_INTO, noun.split()[-1] if noun else ""))
    if noun and not one_of:  # ("one of 12 labels": the size of a label set, whatever the noun)
        return make(_kind_of_noun(noun), f.value, noun_end, noun=noun)
    if one_of or re.search(rf"\b(?:{V.category_nouns})\s*(?:of|:)?\s*$", t[max(0, f.start - 20):f.start]):
        return make("categories", f.value, noun_end if noun else f.end, noun=noun)
    return make("bare", f.value, f.end)


def _type(t: str, f: Figure) -> Mention:
    make = _Maker(t, f)
    typed = _not_a_quantity(t, f, make)
    if typed is not None:
        return typed
    duration = _duration(t, f)
    if duration is not None:
        timed, value, end = duration
        if _EVERY.search(t[max(0, f.start - 10):f.start]):
            timed = "frequency"  # "every 5 minutes", "every 2 weeks"
        return make("duration" if timed == "duration" else "frequency", value, end, period=t[f.end:end].strip())
    if f.from_article:
        return make("bare", f.value, f.end)
    return _counted(t, f, make)


def find_mentions(t: str) -> list[Mention]:
    """Every figure of a working copy, typed, in order."""
    return [_type(t, f) for f in find_figures(t)]


# a key that names its unit, then the figure: "p95 latency ms: 800", "budget (usd) = 12000", "context tokens: 6000"
KEYED_UNIT = re.compile(r"(?<![a-z])(ms|msec|milliseconds?|secs?|seconds?|usd|tokens)\)?\s*[:=]\s*$")


def _keyed(t: str, m: Mention) -> Mention:
    key = KEYED_UNIT.search(t[max(0, m.start - 24):m.start])
    if m.kind != "bare" or key is None:
        return m
    unit = key.group(1)
    if unit == "usd":
        return Mention("money", m.figure.value, m.start, m.end, m.figure, currency="USD", when=m.when)
    if unit == "tokens":
        return Mention("tokens", m.figure.value, m.start, m.end, m.figure, noun="tokens", when=m.when)
    ms = TIME_MS["ms" if unit.startswith(("ms", "mil")) else "seconds"]
    return Mention("duration", m.figure.value * ms, m.start, m.end, m.figure, when=m.when)


def inherit_units(t: str, mentions: list[Mention]) -> list[Mention]:
    """"500k, not 50k a day": a bare figure right before a negated, typed one takes its kind and unit; a figure
    after a key that names its unit ("p95 latency ms: 800") is in that unit."""
    out = [_keyed(t, m) for m in mentions]
    mentions = list(out)
    for i, (bare, old) in enumerate(zip(mentions, mentions[1:], strict=False)):
        gap = t[bare.end:old.start]
        if bare.kind == "bare" and old.negated and old.kind != "bare" and \
                re.fullmatch(r"\s*,?\s*(?:not|instead of|rather than)\s*(?:\$|~|about)?\s*", gap):
            factor = old.value / old.figure.value if old.figure.value else 1.0
            out[i] = Mention(old.kind, bare.figure.value * factor, bare.start, bare.end, bare.figure,
                             currency=old.currency, noun=old.noun, period=old.period, when=bare.when)
    for i, (said, again) in enumerate(zip(mentions, mentions[1:], strict=False), start=1):
        # "low millions a month - call it 3 million questions": the figure restated takes the first one's period
        if said.kind in ("rate", "duration") and again.kind in ("bare", "count", "people") and not again.period and \
                RESTATED.fullmatch(t[said.end:again.start]) and not RATIO_AFTER.match(t[again.end:again.end + 30]):
            factor = said.value / said.figure.value if said.figure.value else 1.0
            out[i] = Mention(said.kind, again.figure.value * factor, again.start, again.end, again.figure,
                             noun=again.noun, period=said.period, when=again.when)
    return out


# "45 tickets a shift, say one lookup per ticket": a ratio to the thing counted before, not the figure said again
RATIO_AFTER = re.compile(r"^\s*(?:per|for each|for every|each)\s+(?!(?:day|week|month|year|hour|minute|second|shift)s?\b)[a-z]")
RESTATED = re.compile(r"\W*(?:call it|say|let's say|i'd say|so|i\.e\.?|that's|or|which is|meaning|make it|make that)\s*"
                      r"(?:about|around|roughly|~|approx\.?|approximately)?\s*")
