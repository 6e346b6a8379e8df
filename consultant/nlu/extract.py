"""Rule-based slot extraction: every slot a message mentions, using the pending question as context."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from consultant.nlu import lexicon as lx
from consultant.nlu.numbers import NumberMatch, find_numbers

BARE_CONFIDENCE = 0.74  # a number with no unit, read as the answer to the pending question
INT_SLOTS = ("latency_budget_ms", "monthly_queries", "context_tokens", "labeled_examples", "upfront_budget_usd")


@dataclass(frozen=True)
class SlotUpdate:
    slot: str
    value: str | int
    confidence: float
    extractor: str
    evidence: str
    position: int = 0
    end: int = 0  # where the words that gave the value end (0: unknown)


_HALVES = re.compile(r"\b(?:(?P<n>\d+|one|a|an) (?P<u>second|sec|minute|min|hour)s? and a half|"
                     r"(?P<n2>\d+|one|two|three) and a half (?P<u2>seconds?|secs?|minutes?|mins?|hours?))\b")
_WORDS = {"a": "1", "an": "1", "one": "1", "two": "2", "three": "3"}


def _halves(match: re.Match[str]) -> str:
    """"a second and a half" -> "1.5 seconds", padded to the same length so positions still line up."""
    n, unit = (match.group("n"), match.group("u")) if match.group("n") else (match.group("n2"), match.group("u2"))
    unit = unit.rstrip("s")
    out = f"{_WORDS.get(n, n)}.5 {unit}s"
    return out.ljust(len(match.group(0)))[: len(match.group(0))]


_VOCABULARY = ("daily", "weekly", "monthly", "quarterly", "yearly", "annually", "biweekly", "fortnightly", "latency",
               "citations", "auditability", "auditable", "regulator", "regulated", "labelled", "budget", "milliseconds",
               "knowledge", "behaviour", "classification", "structured", "thousand", "million")


@lru_cache(maxsize=4096)
def _spelling(word: str) -> str:
    from difflib import get_close_matches

    if len(word) < 6 or word in _VOCABULARY:
        return word
    match = get_close_matches(word, _VOCABULARY, n=1, cutoff=0.84)
    if not match or match[0].startswith(word[:-1]) or word.startswith(match[0][:-1]):
        return word  # "second"/"seconds", "labeled"/"labelled": variants, not typos
    return match[0]


def fix_typos(text: str) -> str:
    """"qaurterly" -> "quarterly", "lantency" -> "latency": a small vocabulary the rules depend on."""
    return re.sub(r"[A-Za-z]{6,}", lambda m: m.group(0) if m.group(0).lower() == _spelling(m.group(0).lower())
                  else _spelling(m.group(0).lower()), text)


def normalise(text: str) -> str:
    """Lower-cased text with typographic quotes and dashes unified; same length as the input."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
    text = text.replace("\u2013", "-").replace("\u2014", "-").replace("\u00a0", " ")
    return _HALVES.sub(_halves, text.lower())


def evidence_of(original: str, start: int, end: int) -> str:
    """The clause around a match, as the user wrote it (for read-backs and provenance)."""
    left = max(original.rfind(sep, 0, start) for sep in (".", "!", "?", ";", "\n"))
    rights = [i for i in (original.find(sep, end) for sep in (".", "!", "?", ";", "\n")) if i != -1]
    # "0.4 s" has a dot inside: only split on a dot followed by whitespace
    while left > 0 and original[left] == "." and left + 1 < len(original) and original[left + 1].isdigit():
        left = max(original.rfind(sep, 0, left) for sep in (".", "!", "?", ";", "\n"))
    right = min([r for r in rights if not (original[r] == "." and r + 1 < len(original) and original[r + 1].isdigit())],
                default=len(original))
    clause = original[left + 1:right].strip(" ,-")
    if len(clause) > 160:
        lo, hi = max(0, start - 70), min(len(original), end + 70)
        while lo > 0 and not original[lo - 1].isspace():
            lo -= 1
        while hi < len(original) and not original[hi].isspace():
            hi += 1
        clause = ("…" if lo > 0 else "") + original[lo:hi].strip() + ("…" if hi < len(original) else "")
    return clause


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
    if prev is not None and lx.RANGE_JOIN.match(t[prev.end:n.start]):
        joined = lx.TIME_UNIT.match(t[prev.end:prev.end + 20])
        if joined and not lx.TIME_UNIT.match(after):
            joined_unit = joined.group(1)  # "a second or two": two of the same unit

    # money
    if lx.MONEY_BEFORE.search(before) or lx.MONEY_AFTER.match(after):
        if lx.RECURRING_AFTER.match(after) and not lx.BUDGET_WORDS.search(before + after):
            return None  # "$0.01 per query", "$2k a month": a running cost, not the upfront budget
        return cand("upfront_budget_usd", n.value)
    # time -> latency (but not "every 5 minutes", "1000 tokens a second")
    unit_match = lx.TIME_UNIT.match(after)
    unit = unit_match.group(1) if unit_match else joined_unit
    if unit:
        if re.search(r"(?:every|each|per|/)\s*$", before) and not n.from_article:
            return None
        if n.from_article and (not lx.LATENCY_ARTICLE_CUE.search(before)
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
    # tokens -> retrieval context (not throughput "1000 tokens a second" or volume "50M tokens a month")
    tok = lx.TOKENS_UNIT.match(after)
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
    # labeled examples
    if (lx.EXAMPLES_UNIT.match(after) or lx.EXAMPLES_BEFORE.search(before)) and not (period and noun):
        return cand("labeled_examples", n.value)
    if noun and pending == "monthly_queries":
        return cand("monthly_queries", n.value, 0.8)
    clause_start = max(t.rfind(c, 0, n.start) for c in ".;!?") + 1
    if lx.BUDGET_WORDS.search(t[max(clause_start, n.start - 60):n.start]) and n.value >= 100 and \
            not re.match(r"^\s*(?:%|percent|people|users|staff|engineers|examples|labell?ed|tokens)", after):
        return cand("upfront_budget_usd", n.value, 0.8)
    # a bare number answers the pending question
    if pending in INT_SLOTS and not re.match(r"^\s*(?:%|/\s*\d|(?:percent|x|times|years?|months?|weeks?|days?|people|"
                                             r"engineers|stars?|points?|ratings?|score|out of|team|languages|countries|"
                                             r"models?|gb|mb|tb|pages?)\b)", after):
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


def _numeric_updates(text: str, t: str, pending: str | None, current: Mapping[str, object]) -> list[SlotUpdate]:
    numbers = find_numbers(t)
    candidates = [c for i, n in enumerate(numbers) if (c := _classify_number(t, n, pending, numbers, i))]
    # "500k not 50k": a bare number next to a negated one corrects the slot the negated one belongs to
    replaces = re.compile(r"^\s*(?:[a-z]+\s*){0,2},?\s*(?:not|instead of|rather than)\s*\$?~?\s*$")
    for i, n in enumerate(numbers):
        if any(c.number is n for c in candidates):
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
        corrected = lx.CORRECTION_BETWEEN.search(gap) or (lx.CORRECTION_BETWEEN.search(t[:n.start]) and len(gap) <= 120)
        replaced = lx.NEGATED_BEFORE.search(t[max(0, n.start - 40):n.start])  # "not 20k" is the old value
        if before and not n.from_article and not replaced and len(gap) <= 120 and corrected:
            prior = before[-1]  # "500 labelled examples - actually only about 60 are usable"
            factor = prior.value / prior.number.value if prior.number.value else 1
            if own is not None:
                candidates.remove(own)
            candidates.append(_Candidate(prior.slot, n.value * factor, n, 0.85, False))
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
        if earlier is not None and earlier.confidence != BARE_CONFIDENCE and \
                not lx.CORRECTION_BETWEEN.search(t[:c.number.start]):
            continue  # two figures for one slot without a correction: the first is the answer
        by_slot[c.slot] = c  # a correction wins: "50k - sorry, 500k"
    out = []
    for slot, c in by_slot.items():
        value = int(round(c.value))
        if slot == "latency_budget_ms" and value <= 0:
            continue
        out.append(SlotUpdate(slot, max(value, 0), c.confidence, "rules", evidence_of(text, c.number.start, c.number.end),
                              c.number.start, c.end or c.number.end))
    return out


def _last_match(patterns: list[tuple[str, re.Pattern[str]]], t: str) -> list[tuple[str, re.Match[str]]]:
    found = [(value, m) for value, rx in patterns for m in rx.finditer(t)]
    return sorted(found, key=lambda vm: vm[1].start())


def _negated(t: str, m: re.Match[str], fine_after: bool = True) -> bool:
    """Negated ("not about tone") or waved off ("the tone is fine") within its clause."""
    before = t[max(0, m.start() - 40):m.start()]
    clause_start = max(before.rfind(c) for c in ".,;!?") + 1
    if lx.NEGATION.search(before[clause_start:]):
        return True
    return fine_after and bool(lx.FINE_AFTER.match(t[m.end():m.end() + 50]))


def _change_update(text: str, t: str, pending: str | None, masked: str) -> SlotUpdate | None:
    matches = _last_match(lx.CHANGE_PATTERNS, masked)
    # drop overlapping weaker matches ("every two weeks" also contains "every ... week")
    chosen: list[tuple[str, re.Match[str]]] = []
    for value, m in matches:
        if chosen and m.start() < chosen[-1][1].end():
            if m.end() - m.start() > chosen[-1][1].end() - chosen[-1][1].start():
                chosen[-1] = (value, m)
            continue
        chosen.append((value, m))
    rejected = {value for value, m in chosen
                if re.search(r"\bnot\s*(?:even\s*)?$|\bno longer\s*$|\binstead of\s*$|\brather than\s*$",
                             masked[max(0, m.start() - 25):m.start()])}
    valid = []
    for value, m in chosen:
        if value in rejected:
            continue  # "monthly, not quarterly ... the quarterly thing was the board review"
        if value == "static" and m.group(0) in ("never", "stable", "locked", "settled", "archive") and pending != "knowledge_change":
            window = masked[max(0, m.start() - 60):m.end() + 60]
            if not re.search(r"chang|updat|content|knowledge|docs|data|corpus|catalog|rules|polic", window):
                continue
        before = masked[max(0, m.start() - 25):m.start()]
        if re.search(r"\bnot\s*(?:even\s*)?$|\bno longer\s*$|\binstead of\s*$|\brather than\s*$", before):
            continue
        if pending != "knowledge_change":
            window = masked[max(0, m.start() - 80):m.end() + 60]
            if not lx.CHANGE_CONTEXT.search(window):
                continue
        valid.append((value, m))
    valid = [(v, m) for v, m in valid
             if not (v == "static" and re.match(r"\s*(?:how|the way|its|the model|the tone|the style|the behaviou?r)",
                                                masked[m.end():m.end() + 20]))]
    if not valid:
        return None
    from consultant.profile import CHANGE_ORDER

    if len({v for v, _ in valid}) > 1 and not lx.CORRECTION_BETWEEN.search(masked):
        # "new devices land each quarter; otherwise the manuals don't change": the knowledge changes as often as
        # its most volatile part
        value, m = min(valid, key=lambda vm: CHANGE_ORDER.index(vm[0]))
    else:
        value, m = valid[-1]
    return SlotUpdate("knowledge_change", value, 0.9 if pending == "knowledge_change" else 0.8,
                      "rules", evidence_of(text, m.start(), m.end()), m.start())


def _audit_update(text: str, t: str, pending: str | None) -> SlotUpdate | None:
    hits: list[tuple[int, str, re.Match[str]]] = []
    for m in lx.AUDIT_NOT_NEEDED.finditer(t):
        weak = m.group(0) in ("irrelevant",) or re.match(r"not (?:\w+ )?(?:needed|necessary|important|required|a priority|"
                                                          r"relevant)|(?:don't|do not) (?:really )?care", m.group(0))
        hits.append((m.start(), "not_needed_weak" if weak else "not_needed", m))
    for m in lx.AUDIT_REQUIRED.finditer(t):
        if any(h[2].start() <= m.start() < h[2].end() for h in hits):
            continue
        clause = t[max(t.rfind(c, 0, m.start()) for c in ".;!?:") + 1:m.end() + 80].split(".")[0]
        if m.group(0).startswith("audit") and pending != "auditability" and not re.search(
                r"trail|trace|source|cite|citation|evidence|prove|show|answers?|responses?|output|want|need|require|"
                r"check|ask|every|each|must|traceab|defensib", clause.replace(m.group(0), "")):
            continue  # "after every monthly safety audit" names an event, not a need for attribution
        ambiguous = m.group(0) in ("sec", "cms", "ema", "pci", "gdpr", "liable", "liability", "content")
        if ambiguous and pending != "auditability" and not re.search(r"cite|source|trace|audit|regulat|complian", t):
            continue
        if lx.AUDIT_METAPHOR.search(t[max(0, m.start() - 20):m.end()]):
            continue  # "the compiler is the auditor"
        value = "not_needed_neg" if _negated(t, m) or lx.AUDIT_NEGATED_AFTER.match(t[m.end():m.end() + 60]) else "required"
        clause = t[max(t.rfind(".", 0, m.start()), t.rfind(";", 0, m.start())) + 1:m.end() + 80].split(".")[0]
        if value == "required" and lx.AUDIT_PREFERRED.search(clause):
            value = "preferred"  # "audit-wise it's nice to have"
        hits.append((m.start(), value, m))
    for m in lx.AUDIT_PREFERRED.finditer(t):
        if pending == "auditability" or re.search(r"cit|source|referenc|trace|link", t[max(0, m.start() - 60):m.end() + 60]):
            if m.group(0) in ("prefer", "preferred", "optional", "appreciate") and pending != "auditability" and \
                    not re.search(r"cit|source", t[max(0, m.start() - 40):m.end() + 40]):
                continue
            hits.append((m.start(), "preferred", m))
    if not hits and pending == "auditability":
        if lx.YES.match(t):
            return SlotUpdate("auditability", "required", 0.8, "rules", text.strip()[:160])
        if lx.NO.match(t):
            return SlotUpdate("auditability", "not_needed", 0.8, "rules", text.strip()[:160])
        if re.search(r"\b(?:cit(?:e|ation)s?|sources?|references?)\b", t) and not lx.HEDGE.search(t):
            return SlotUpdate("auditability", "preferred" if re.search(r"\b(?:maybe|would|could|some)\b", t) else "required",
                              0.6, "rules", text.strip()[:160])
    if not hits:
        return None
    # strongest statement wins: an explicit requirement outranks a preference; a later negation wins
    # an explicit statement outranks one read through a negation, which outranks a preference
    rank = {"required": 3, "not_needed": 3, "not_needed_neg": 2.5, "preferred": 2, "not_needed_weak": 1}
    hits.sort(key=lambda h: (rank[h[1]], h[0]))
    start, value, m = hits[-1]
    if value.startswith("not_needed"):
        turn = re.search(r"\b(?:but|though|although|however)\b", t[m.end():])
        later = [h for h in hits if h[1] == "preferred" and turn and h[0] > m.end() + turn.start()]
        if later:
            start, value, m = later[-1]  # "not required, but it'd be nice to show the source"
    value = "not_needed" if value.startswith("not_needed") else value
    return SlotUpdate("auditability", value, 0.85, "rules", evidence_of(text, m.start(), m.end()), start)


def _cue_score(rx: re.Pattern[str], t: str) -> tuple[float, int, int]:
    score, neg, first = 0.0, 0, -1
    for m in rx.finditer(t):
        if lx.PROVIDED_AFTER.match(t[m.end():m.end() + 60]):
            continue  # "the facts come from the client intake": input, not knowledge
        if _negated(t, m):
            neg += 1
            continue
        score += 1
        first = m.start() if first < 0 else first
    return score, neg, first


def _need_update(text: str, t: str, pending: str | None) -> SlotUpdate | None:
    know, know_neg, k_at = _cue_score(lx.KNOW_CUES, t)
    behave, behave_neg, b_at = _cue_score(lx.BEHAVE_CUES, t)
    explicit_both = bool(lx.BOTH_CUES.search(t)) and (
        pending == "need" or re.search(r"(?:^|[.;!?,]\s*)\W*(?:so,?\s*|i think,?\s*|honestly,?\s*|really,?\s*)?both\b", t) is not None)
    for phrase, side in ((r"\bbehave differently\b", "behave"), (r"\bknow more\b", "know")):
        m = re.search(phrase, t)
        if m and not _negated(t, m):
            know, behave = (know + 2, behave) if side == "know" else (know, behave + 2)
    mostly = re.search(r"\b(?:mostly|mainly|primarily|mostly about|really about|it's (?:all )?about|more about)\b\s+(?:\w+\s+){0,3}?"
                       r"(?P<what>know|knowledge|facts|information|content|docs|behav|tone|format|style|voice|how it)", t)
    if mostly:
        what = mostly.group("what")
        if what.startswith(("know", "fact", "info", "content", "doc")):
            know += 2
        else:
            behave += 2
    both_and = re.search(r"\bboth\b[^.;]{0,100}\band\b", t)
    if both_and and know and behave:
        explicit_both = True  # "an assistant that both knows the amendments and writes in our format"
    if explicit_both:
        return SlotUpdate("need", "both", 0.9, "rules", text.strip()[:160])
    if lx.STRONG_NO_KNOW.search(t) and not lx.STRONG_NO_BEHAVE.search(t):
        know, know_neg = 0, know_neg + 1  # "it doesn't need to know anything beyond the ticket"
    elif lx.STRONG_NO_BEHAVE.search(t) and not lx.STRONG_NO_KNOW.search(t):
        behave, behave_neg = 0, behave_neg + 1
    if pending == "need" and re.search(r"\b(?:also|too|as well|additionally|on top)\b", t) and know and behave:
        return SlotUpdate("need", "both", 0.9, "rules", text.strip()[:160])
    if know_neg and not know and behave:
        return SlotUpdate("need", "behave_differently", 0.85, "rules", text.strip()[:160])
    if behave_neg and not behave and know:
        return SlotUpdate("need", "know_more", 0.85, "rules", text.strip()[:160])
    if not know and not behave:
        return None
    if know and behave and min(know, behave) / max(know, behave) >= 0.5 and min(know, behave) >= 1 and not mostly:
        at = min(p for p in (k_at, b_at) if p >= 0)
        return SlotUpdate("need", "both", 0.65, "rules", evidence_of(text, at, at + 1), at)
    value, at = ("know_more", k_at) if know > behave else ("behave_differently", b_at)
    # one-sided and repeated: clear; mixed or single cue: tentative (the policy confirms it)
    confidence = 0.9 if pending == "need" else (0.85 if max(know, behave) >= 2 and min(know, behave) == 0 else 0.65)
    return SlotUpdate("need", value, confidence, "rules", evidence_of(text, max(at, 0), max(at, 0) + 1), max(at, 0))


def _confirm_need(text: str, t: str, pending: str | None, current: Mapping[str, object]) -> SlotUpdate | None:
    """A yes/no to "it mainly needs to know more - right?" confirms or flips the tentative reading."""
    value = current.get("need")
    if pending != "need" or value is None:
        return None
    if lx.YES.match(t) or re.match(r"^\W*(?:right|exactly|spot on|that's (?:right|it|correct)|correct|yep)\b", t):
        return SlotUpdate("need", str(value), 0.95, "rules", text.strip()[:160])
    if lx.NO.match(t) and value in ("know_more", "behave_differently"):
        flipped = "behave_differently" if value == "know_more" else "know_more"
        return SlotUpdate("need", flipped, 0.8, "rules", text.strip()[:160])
    return None


def _output_update(text: str, t: str, pending: str | None) -> SlotUpdate | None:
    scores: dict[str, tuple[int, int]] = {}
    for value, rx in lx.OUTPUT_PATTERNS:
        hits = [m for m in rx.finditer(t) if not _negated(t, m) and not lx.PROVIDED_AFTER.match(t[m.end():m.end() + 60])]
        if hits:
            scores[value] = (len(hits), hits[0].start())
    if not scores:
        return None
    # behaviour outputs are more specific than "answers questions" when both appear
    order = ["structured_output", "classification", "reasoning_pattern", "style_or_tone", "factual_answers"]
    best = max(scores, key=lambda v: (scores[v][0] + (0.5 if v != "factual_answers" else 0), -order.index(v)))
    at = scores[best][1]
    return SlotUpdate("output_type", best, 0.75, "rules", evidence_of(text, at, at + 1), at)


def _latency_phrase(text: str, t: str, pending: str | None) -> SlotUpdate | None:
    slow = lx.LATENCY_SLOW.search(t)
    about_latency = slow and (pending == "latency_budget_ms" or lx.LATENCY_WORDS.search(t) or
                              re.search(r"batch|overnight|async", slow.group(0)))
    if slow and about_latency and not _negated(t, slow, fine_after=False):
        return SlotUpdate("latency_budget_ms", 60_000, 0.7, "rules", evidence_of(text, slow.start(), slow.end()))
    fast = lx.LATENCY_FAST.search(t)
    if fast and pending == "latency_budget_ms" and not _negated(t, fast, fine_after=False):
        return SlotUpdate("latency_budget_ms", 300, 0.6, "rules", evidence_of(text, fast.start(), fast.end()))
    if pending == "latency_budget_ms" and re.search(r"\b(?:doesn't|does not|don't|not) (?:really )?matter|not (?:a|an) "
                                                    r"(?:issue|concern|constraint)|not critical|whatever", t):
        return SlotUpdate("latency_budget_ms", 10_000, 0.6, "rules", text.strip()[:160])
    return None


def _zero_examples(text: str, t: str, pending: str | None) -> SlotUpdate | None:
    m = re.search(r"\b(?:no|zero|none|nothing|not any|(?:don't|do not|doesn't) have(?: any)?|haven't got(?: any)?)\s+"
                  r"(?:\w+\s+){0,2}?(?:labell?ed|annotated|training|examples?|data(?:set)?|samples?|pairs?)", t)
    if m and not re.search(r"\bno\s+(?:\w+\s+){0,2}?(?:need|idea)", m.group(0)):
        return SlotUpdate("labeled_examples", 0, 0.85, "rules", evidence_of(text, m.start(), m.end()), m.start())
    if pending == "labeled_examples" and (lx.NO.match(t) or re.match(r"^\W*(?:zero|0)\b", t)):
        return SlotUpdate("labeled_examples", 0, 0.8, "rules", text.strip()[:160])
    if pending == "labeled_examples" and re.search(r"\ba (?:handful|few)\b(?! (?:hundred|thousand))", t):
        return SlotUpdate("labeled_examples", 20, 0.6, "rules", text.strip()[:160])
    return None


def extract(text: str, pending: str | None = None, current: Mapping[str, object] | None = None) -> list[SlotUpdate]:
    """Every slot value the message states, as rules read it (later statements win within a message)."""
    text = fix_typos(text)
    t = normalise(text)
    current = current or {}
    updates = _numeric_updates(text, t, pending, current)
    # frequencies that belong to a volume ("50k queries daily") are masked before reading change rates
    masked = t
    for u in updates:
        if u.slot == "monthly_queries":
            masked = masked[:u.position] + " " * (u.end - u.position) + masked[u.end:]
    found = {u.slot for u in updates}
    need = _need_update(text, t, pending)
    if need is None or pending == "need" and need.confidence < 0.9:
        need = _confirm_need(text, t, pending, current) or need
    earlier = current.get("need")
    if need is not None and earlier not in (None, need.value) and need.value != "both" and \
            re.search(r"\b(?:also|too|as well|additionally|on top of that)\b", t):
        need = SlotUpdate("need", "both", 0.9, "rules", need.evidence, need.position)  # "it ALSO needs to know X"
    readings = [_change_update(text, t, pending, masked), need] + [
        fn(text, t, pending) for fn in (_audit_update, _output_update, _latency_phrase, _zero_examples)]
    for reading in readings:
        if reading is not None and reading.slot not in found:
            updates.append(reading)
            found.add(reading.slot)
    return updates


def is_hedge(text: str) -> bool:
    return bool(lx.HEDGE.search(normalise(text)))
