"""Quantities in a message: which slot each number belongs to (unit, rate, money, context), ranges, corrections."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass

from consultant.nlu import lexicon as lx
from consultant.nlu.numbers import NumberMatch, find_numbers
from consultant.nlu.text import BARE_CONFIDENCE, INT_SLOTS, SlotUpdate, evidence_of

# What follows a number that is not an answer to "how many / how much": durations, people, percentages, sizes.
NOT_A_COUNT = re.compile(r"^\s*(?:%|/\s*\d|(?:percent|x|times|years?|months?|weeks?|days?|hours?|people|engineers|staff|"
                         r"stars?|points?|ratings?|score|out of|team|languages|countries|models?|gb|mb|tb|pages?|sites?|"
                         r"employees|seats|agents|offices|stores|trucks|categories|classes|intents|queues|buckets|"
                         r"labels|tables|columns|fields|languages)\b)")


REFERS_BACK = re.compile(r"^\s*(?:of (?:those|these|them|the|our)\s+)?(?:[a-z'-]+\s+){0,2}?(?:(?P<examples>examples|"
                         r"conversations|pairs|transcripts|letters|tickets|records|notes|replies|samples|labels|"
                         r"documents|emails|listings|scorecards|invoices)|(?P<volume>queries|requests|questions|calls|"
                         r"searches|sessions))\b")


OUT_OF_RANGE = 10**18  # above every slot's maximum, still a 64-bit integer the checkpointer can store


@dataclass
class _Candidate:
    slot: str
    value: float
    number: NumberMatch
    confidence: float
    negated: bool
    end: int = 0


def _classify_number(t: str, n: NumberMatch, pending: str | None, numbers: list[NumberMatch],
                     index: int) -> _Candidate | None:
    after, before = t[n.end:n.end + 60], t[max(0, n.start - 40):n.start]
    negated = bool(lx.NEGATED_BEFORE.search(before))

    def cand(slot: str, value: float, confidence: float = 0.9) -> _Candidate:
        return _Candidate(slot, value, n, confidence, negated)

    # A number whose unit comes after the next number: "1-2 seconds", "a second or two", "4k-6k tokens".
    nxt = numbers[index + 1] if index + 1 < len(numbers) else None
    if nxt is not None and lx.RANGE_JOIN.match(t[n.end:nxt.start]) and not lx.TIME_UNIT.match(after):
        return None  # the upper bound carries the unit and speaks for the range
    prev = numbers[index - 1] if index > 0 else None
    joined_unit = None
    gap = t[prev.end:n.start] if prev is not None else ""
    unit_between = re.match(r"^\s*-?\s*(?:of\s+)?(ms|msec|s|secs?|seconds?|mins?|minutes?)\s+(?:or|to|-)\s*$", gap)
    if prev is not None and unit_between and not lx.TIME_UNIT.match(after):
        joined_unit = unit_between.group(1)  # "a second or two": two of the same unit
    elif prev is not None and lx.RANGE_JOIN.match(gap):
        joined = lx.TIME_UNIT.match(t[prev.end:prev.end + 20])
        if joined and not lx.TIME_UNIT.match(after):
            joined_unit = joined.group(1)

    # money
    clause = t[max(t.rfind(c, 0, n.start) for c in ".;!?") + 1:n.end + 80].split(".")[0]
    if lx.PAST_SYSTEM.search(clause):
        return None  # "our old vendor answered in 250ms": a fact about another system, not a requirement
    if not n.from_article and (lx.MONEY_BEFORE.search(before) or lx.MONEY_AFTER.match(after)):
        if lx.NOT_BUDGET_AFTER.match(after) or lx.NOT_BUDGET_BEFORE.search(before):
            return None  # "$2M ARR", "we raised $4M", "our cloud bill is $15k": money, not this budget
        sentence = t[max(t.rfind(c, 0, n.start) for c in ".;!?") + 1:n.end + 60]
        if re.match(r"^[^.;!?]{0,40}?(?:not (?:mine|ours|for this|the budget)|none of (?:that|it) is for)", after):
            return None  # "$180k a month, but that's not mine"
        if lx.RECURRING_AFTER.match(after) and not lx.UPFRONT_WORDS.search(sentence):
            return None  # "$15k a month": a running cost
        if pending != "upfront_budget_usd" and not (lx.BUDGET_WORDS.search(sentence) or lx.UPFRONT_WORDS.search(sentence)):
            return None  # a sum of money in passing ("closed $4.3M last year") is not the upfront budget
        if lx.RECURRING_AFTER.match(after) and not lx.BUDGET_WORDS.search(before + after):
            return None  # "$0.01 per query", "$2k a month": a running cost, not the upfront budget
        return cand("upfront_budget_usd", n.value)
    # time -> latency (but not "every 5 minutes", "1000 tokens a second")
    unit_match = lx.TIME_UNIT.match(after)
    unit = unit_match.group(1) if unit_match else joined_unit
    if unit:
        if re.search(r"(?:every|each|per|/)\s*$", before) and not n.from_article:
            return None
        if n.from_article and (not (lx.LATENCY_ARTICLE_CUE.search(before) or
                                    re.match(r"^\s*\w+\s+(?:or so|or two|end[- ]to[- ]end|e2e|is fine|is ok|max)", after))
                               or re.search(rf"(?:{lx.RATE_NOUNS})\s*$", before)):
            return None
        if re.search(r"^\s*\S*\s*(?:ago|later|window|long (?:video|audio|clip))", after[len(unit_match.group(0)) if unit_match else 0:]):
            return None
        if re.search(rf"(?:{lx.RATE_NOUNS})\s*(?:a|per|/|each)?\s*$", before) and not n.from_article:
            return None
        clause = t[max(t.rfind(c, 0, n.start) for c in ".;!?") + 1:n.end + 60]
        if unit.startswith("min") and pending != "latency_budget_ms" and not lx.LATENCY_WORDS.search(clause.replace(unit, "")):
            return None  # "exec here, 2 min": minutes are a latency only when the talk is of responses
        value = n.value * lx.TIME_FACTOR.get(unit, 1)
        if n.from_article and re.search(r"half\s*$", before):
            value /= 2  # "half a second"
        if unit in ("s", "sec", "secs", "second", "seconds") and n.value > 60 and unit == "s" and "ms" in after[:4]:
            value = n.value
        return cand("latency_budget_ms", value) if value > 0 else None
    if n.from_article:
        return None
    if re.match(r"^-(?!ish\b|tok)[a-z]+", after):
        return None  # "60-word labels", "a 3-year contract": a compound adjective, not a count
    if n.text == "one" and not re.fullmatch(r"\W*(?:just |only )?one\W*", t):
        return None  # "one queue label per ticket": a word, not a figure
    if n.text in ("one", "a", "an") and (re.search(r"(?:which|this|that|no|any|some|every|each|the)\s*$", before) or
                                          re.match(r"^\s*(?:of|another|more|thing|way|option|day)\b", after)):
        return None  # "which one?", "one of them": words, not figures
    # tokens -> retrieval context (not throughput "1000 tokens a second" or volume "50M tokens a month")
    tok = lx.TOKENS_UNIT.match(after)
    if tok and re.match(r"^\W{0,3}chunks?\b", tok.group("rest")):
        return None  # "1k-token chunks": the chunk size, not the prompt (see retrieved_context)
    if tok:
        if lx.TOKEN_RATE.match(tok.group("rest")) or re.match(r"^\s*(?:context )?window", tok.group("rest")):
            return None
        value = n.value * (1000 if re.match(r"^\s*-?\s*k\b", after) and n.value < 1000 else 1)
        return cand("context_tokens", value)
    # volume: "15 QPS", "500 rpm"
    abbreviation = lx.RATE_ABBREVIATION.match(after)
    if abbreviation:
        per_month = {"sec": 2_592_000, "min": 43_200, "hour": 720, "day": 30}[abbreviation.lastgroup or "day"]
        volume = cand("monthly_queries", n.value * per_month, 0.9)
        volume.end = n.end + abbreviation.end()
        return volume
    # volume: a count per period
    period = lx.PERIOD.match(after)
    noun = lx.VOLUME_NOUN.match(after)
    if period and not lx.EXAMPLES_UNIT.match(after):
        key = period.group("unit") or period.group("slash") or period.group("adverb") or ""
        factor = lx.PERIOD_FACTOR.get(key, lx.PERIOD_FACTOR.get({"day": "day", "week": "week", "month": "month",
                                                                  "year": "year"}.get(key, key), None))
        if factor is None:
            factor = {"d": 30, "wk": 52 / 12, "mo": 1, "yr": 1 / 12}.get(key)
        if factor is not None and (noun or pending == "monthly_queries" or n.value >= 100):
            # a sizeable count per period is a volume, whatever was asked ("2 million a month")
            volume = cand("monthly_queries", n.value * factor, 0.9 if noun else 0.75)
            volume.end = n.end + period.end()
            return volume
    # labeled examples ("45 of them, that's what we'd train on")
    if lx.TRAIN_ON_AFTER.match(after) and not NOT_A_COUNT.match(after):
        return cand("labeled_examples", n.value)
    if (lx.EXAMPLES_UNIT.match(after) or lx.EXAMPLES_BEFORE.search(before)) and not (period and noun):
        return cand("labeled_examples", n.value)
    if noun and pending == "monthly_queries" and not lx.POPULATION.match(after):
        return cand("monthly_queries", n.value, 0.8)  # "~200k MAU" counts people, not queries
    clause_start = max(t.rfind(c, 0, n.start) for c in ".;!?") + 1
    if lx.BUDGET_WORDS.search(t[max(clause_start, n.start - 60):n.start]) and n.value >= 100 and \
            not re.match(r"^\s*(?:%|percent|people|users|staff|engineers|examples|labell?ed|tokens)", after):
        return cand("upfront_budget_usd", n.value, 0.8)
    # a bare number answers the pending question
    if pending in INT_SLOTS and not NOT_A_COUNT.match(after):
        nxt_n = numbers[index + 1] if index + 1 < len(numbers) else None
        if nxt_n is not None and re.match(r"^\s*(?:[a-z]+\s*){0,2},?\s*(?:not|instead of|rather than)\s*\$?~?\s*$",
                                          t[n.end:nxt_n.start]):
            return None  # "6k total, not 20k": a correction of whichever slot held 20k, settled below
        value = n.value
        if pending == "latency_budget_ms" and value < 20:
            value *= 1000  # "2" to "how many milliseconds?" is almost surely seconds
        if pending == "context_tokens" and re.match(r"^\s*(?:pages?)\b", after):
            return None
        return cand(pending, value, BARE_CONFIDENCE)
    if lx.BUDGET_WORDS.search(before[-25:]) and n.value >= 100:
        return cand("upfront_budget_usd", n.value, 0.75)
    return None


_TOP_K = re.compile(r"\btop[- ]?k\s*(?:=|of)?\s*(?P<k>\d{1,3})\s*(?:of|x|×|chunks? of|results? of)?\s*~?(?P<size>\d+(?:\.\d+)?)"
                    r"\s*(?P<scale>k)?[- ]?(?:tokens?|tok)\b|\b(?P<k2>\d{1,3})\s*chunks?\s*(?:of|x|×|at)\s*~?"
                    r"(?P<size2>\d+(?:\.\d+)?)\s*(?P<scale2>k)?[- ]?(?:tokens?|tok)\b")


def retrieved_context(t: str) -> tuple[int, int, int] | None:
    """"top-k 12 of 1k-token chunks" -> (12,000 tokens, start, end): the prompt carries k chunks."""
    m = _TOP_K.search(t)
    if m is None:
        return None
    k = int(m.group("k") or m.group("k2"))
    size = float(m.group("size") or m.group("size2")) * (1000 if (m.group("scale") or m.group("scale2")) else 1)
    return int(k * size), m.start(), m.end()


def numeric_updates(text: str, t: str, pending: str | None, current: Mapping[str, object]) -> list[SlotUpdate]:
    numbers = find_numbers(t)
    candidates = [c for i, n in enumerate(numbers) if (c := _classify_number(t, n, pending, numbers, i))]
    # "500k not 50k": a bare number next to a negated one corrects the slot the negated one belongs to
    replaces = re.compile(r"^\s*(?:[a-z]+\s*){0,2},?\s*(?:not|instead of|rather than)\s*\$?~?\s*$")
    for i, n in enumerate(numbers):
        if n.from_article or any(c.number is n for c in candidates):
            continue
        nxt = numbers[i + 1] if i + 1 < len(numbers) else None
        if nxt is None or not replaces.match(t[n.end:nxt.start]):
            continue
        negated = next((c for c in candidates if c.number is nxt and c.negated), None)
        held = next((slot for slot, v in current.items() if isinstance(v, int | float) and not isinstance(v, bool)
                     and v and abs(v - nxt.value) <= 0.1 * v), None)
        if negated is not None and negated.confidence != BARE_CONFIDENCE:
            # "500k not 50k a day": the correction takes the unit and period of the number it replaces
            factor = negated.value / nxt.value if nxt.value else 1
            candidates.append(_Candidate(negated.slot, n.value * factor, n, 0.85, False))
        elif held or negated is not None or pending in INT_SLOTS:
            # "6k total, not 20k": whichever slot held 20k
            target = held or (negated.slot if negated is not None else pending)
            assert target is not None
            candidates.append(_Candidate(target, n.value, n, 0.85, False))
    for c in candidates:
        i = numbers.index(c.number)
        low = numbers[i - 1] if i > 0 else None
        if low is None or not lx.RANGE_JOIN.match(t[low.end:c.number.start]) or any(x.number is low for x in candidates):
            continue
        digits = re.match(r"[\d.,]+", c.number.text)
        raw = float(digits.group(0).replace(",", "")) if digits else c.number.value
        scale = c.number.value / raw if raw else 1
        low_value = low.value * scale if re.fullmatch(r"[\d.,]+", low.text.strip()) and low.value < raw else low.value
        if c.slot != "latency_budget_ms" and 0 < low_value < c.number.value:
            c.value *= (low_value + c.number.value) / 2 / c.number.value  # "10-15k a day": 12.5k a day
    explicit = sorted((c for c in candidates if not c.negated), key=lambda c: c.number.start)
    for n in numbers:
        own = next((c for c in candidates if c.number is n), None)
        if own is not None and own.confidence != BARE_CONFIDENCE:
            continue
        before = [c for c in explicit if c.number.end <= n.start and c is not own]
        gap = t[before[-1].number.end:n.start] if before else ""
        corrected = (lx.CORRECTION_BETWEEN.search(gap) and len(gap) <= 200) or \
            (lx.CORRECTION_BETWEEN.search(t[:n.start]) and len(gap) <= 120)
        replaced = lx.NEGATED_BEFORE.search(t[max(0, n.start - 40):n.start])  # "not 20k" is the old value
        if not re.search(r"\d", n.text) and n.value < 100:
            continue  # "... looking at one region": a small word number is not a corrected figure
        if NOT_A_COUNT.match(t[n.end:n.end + 20]):
            continue  # "... for two years": a duration, not a corrected figure
        if before and not n.from_article and not replaced and corrected:
            prior = before[-1]  # "500 labelled examples - actually only about 60 are usable"
            factor = prior.value / prior.number.value if prior.number.value else 1
            if own is not None:
                candidates.remove(own)
            candidates.append(_Candidate(prior.slot, n.value * factor, n, 0.85, False))
    if lx.CORRECTION_BETWEEN.search(t) and not [c for c in candidates if not c.negated]:
        # "scratch that - only about 60 of those conversations are usable": the figure refers back to a slot
        for n in numbers:
            noun = REFERS_BACK.match(t[n.end:n.end + 60])
            if n.from_article:
                continue
            if noun is None:
                if not re.match(r"^\s*of (?:those|these|them)\b", t[n.end:n.end + 20]):
                    continue
                # "only about 50 of those are clean": the countable slot we already hold
                slot = "labeled_examples" if current.get("labeled_examples") is not None else "monthly_queries"
                if current.get(slot) is not None:
                    candidates.append(_Candidate(slot, n.value, n, 0.8, False))
                    break
                continue
            slot = "monthly_queries" if noun.group("volume") else "labeled_examples"
            if current.get(slot) is not None:
                candidates.append(_Candidate(slot, n.value, n, 0.8, False))
                break
    chunks = retrieved_context(t)
    if chunks is not None:
        # "5 chunks of ~800 tokens": the prompt carries all of them, whatever single figure was read inside
        value, start, end = chunks
        candidates = [c for c in candidates if not (c.slot == "context_tokens" and
                                                    (start <= c.number.start < end or c.confidence == BARE_CONFIDENCE))]
        first = next((n for n in numbers if start <= n.start < end), None)
        if first is not None:
            candidates.append(_Candidate("context_tokens", value, first, 0.85, False, end))
    by_slot: dict[str, _Candidate] = {}
    for c in sorted(candidates, key=lambda c: c.number.start):
        if c.negated:
            continue
        if c.slot in by_slot and c.confidence == BARE_CONFIDENCE:
            continue  # a second bare number ("40,000 lines from our last two games") is not the answer
        earlier = by_slot.get(c.slot)
        words = t[earlier.number.end:c.number.start].split() if earlier is not None else []
        if earlier is not None and c.slot == "latency_budget_ms" and words and lx.RANGE_JOIN.match(words[-1]):
            by_slot[c.slot] = c if c.value >= earlier.value else earlier  # a latency range: the upper bound counts
            continue
        had = current.get(c.slot)
        if earlier is not None and isinstance(had, int | float) and had and \
                abs(c.value - had) <= 0.1 * had < abs(earlier.value - had):
            continue  # "the $50k was cut, we now have $5k": the figure we already had is the old one
        if earlier is not None and isinstance(had, int | float) and had and abs(earlier.value - had) <= 0.1 * had:
            by_slot[c.slot] = c
            continue
        contrast = earlier is not None and re.search(r"\b(?:but|however|though|whereas)\b",
                                                     t[earlier.number.end:c.number.start])
        if earlier is not None and earlier.confidence != BARE_CONFIDENCE and not contrast and \
                not lx.CORRECTION_BETWEEN.search(t[:c.number.start]):
            continue  # two figures for one slot without a correction: the first is the answer
        by_slot[c.slot] = c  # a correction wins: "50k - sorry, 500k"
    out = []
    for slot, c in by_slot.items():
        # "1e308 queries a day", a 5,000-digit figure: kept as "beyond any bound" so the reply can say so
        value = int(round(c.value)) if math.isfinite(c.value) and c.value < OUT_OF_RANGE else OUT_OF_RANGE
        if slot == "latency_budget_ms" and value <= 0:
            continue
        out.append(SlotUpdate(slot, max(value, 0), c.confidence, "rules", evidence_of(text, c.number.start, c.number.end),
                              c.number.start, c.end or c.number.end))
    return out
