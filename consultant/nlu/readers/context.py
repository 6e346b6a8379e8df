"""What every reader gets: the message, its working copy, clauses, typed mentions and the pending question."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

from consultant.nlu.mentions import Mention, find_mentions, inherit_units
from consultant.nlu.numbers import JUST_UNDER, ROUND_FROM
from consultant.nlu.reading import Candidate, prefer
from consultant.nlu.text import Clause, clauses, evidence_of, said_of_the_past, sentence_bounds
from consultant.nlu.vocabulary import VOCABULARY as V
from consultant.profile import SLOTS

CORRECTION = re.compile(rf"(?<![a-z])(?:{V.correction_markers})(?![a-z])")  # "sorry", "I mean", "correction:"

PAST_BEFORE = re.compile(rf"(?<![a-z])(?:{V.past_markers})(?![a-z])")
PAST_AFTER = re.compile(rf"^\W*(?:\w+\W+){{0,3}}?(?<!from )(?<!since )(?<!of )(?:{V.past_after})(?![a-z])")  # (not "reports
# from last year that we can use": where they came from, not when the count was)
# a strict upper bound said right before a figure ("fewer than 100", "under $8k"): see Context.strictly_under
STRICT_BELOW = re.compile(r"(?<!\bno )(?<!\bnot )\b(?:under|below|less than|fewer than|short of|shy of)\s*(?:about\s+)?[$€£¥₹]?\s*$")
HYPOTHETICAL_BEFORE = re.compile(rf"(?<![a-z])(?:{V.hypothetical_markers})(?![a-z])")
HYPOTHETICAL_AFTER = re.compile(rf"^[^.;]{{0,50}}?(?<![a-z])(?:if (?:the|our|we|it|they|a|an)|{V.hypothetical_after})(?![a-z])")
EXISTING_SYSTEM = re.compile(rf"(?<![a-z])(?:{V.existing_system})(?![a-z])")
GOES_ON = re.compile(r"^\W*(?:it|its|it's|they|their|they're|that|this)\b")  # a sentence that goes on about the last one's subject
NEW_SYSTEM = re.compile(r"\b(?:production|at launch|after launch|the new (?:system|one|app|version|line|product|setup)|"
                        r"once (?:we're |we are |it's |it is )?live|go-?live|will|'ll|rollout|roll-out)\b")
# A figure said for each of several units ("40 stores, each about 300 questions a day"): see Context.units_of
UNIT_KINDS = ("bare", "people")  # not a count of things ("2,000 examples, and each took 3 reviewers")
MIN_UNITS, MAX_UNITS = 2, 100_000  # "each of our 6 desks", "12,000 stores"; not "each of the 2 million users"
UNITS_REACH = 40  # how far after a figure "at each of 6 warehouses" may come
TYPICALLY = r"(?:(?:on average|typically|usually|roughly|normally),?\s+)?"  # "..., on average each asks ..."
EACH_AFTER_UNITS = re.compile(r"^\s*(?:(?:[a-z-]+\s+){0,3}?[a-z-]+)?\s*[,;:—–-]?\s*(?:and\s+|where\s+|with\s+)?"
                              + TYPICALLY + r"(?:each|every one)(?:\s+(?:one|of them|of those))?\b(?![^.;!?]{0,12}\bother\b)")
# "60 FTEs times about 70 queries per shift": the units multiplied out loud
TIMES_AFTER_UNITS = re.compile(r"^\s*(?:[a-z-]+\s+){0,2}?(?:times|x|×|\*|multiplied by)\s")
# "900 FTEs across the three sites, each does around 80 lookups a shift": the units where the people are, not who
# does the work
LOCATED_IN = re.compile(r"^\s+(?:across|at|in|over|from|between|spread (?:over|across))\s+(?:the|our|its|their|all)?\s*$")
# "1,400 crew members; on average each asks maybe 10 questions a day": a sentence that opens with "each" goes on with
# the units of the one before
# "12 call centers, and each one would send it ...": the things counted, then "each one" (not "ask a couple of
# questions each, we estimate ...")
EACH_ONE_AFTER = re.compile(r"^\s*(?:[a-z-]+\s+){0,2}?[a-z-]+\s*,?\s*(?:and\s+)?(?:each|every) (?:one|of them)\b")
EACH_OPENS = re.compile(rf"^\W*(?:and\s+|so\s+)?{TYPICALLY}each\b")
EACH_AFTER_FIGURE = re.compile(r"^\s*(?:[a-z-]+\s+){0,3}?(?:each|apiece|a piece|per (?:team|person|head|site|store))\b")
# "200 a day per clinic, maybe a bit more, and we have about 800 clinics": the unit named after "per", then counted
PER_NAMED = re.compile(r"^\s*(?:per|a|each|for each|in each|at each|for every|every)\s+([a-z]{3,}?)(?:es|s)?\b")
PER_NAMED_REACH = 80
EACH_INSIDE = re.compile(r"\beach\s+(?:per|a|every)\b")
PER_INSIDE = re.compile(r"\bper\s+(?!(?:day|week|month|year|hour|minute|second|shift|quarter|fortnight|annum|sec|min|hr|"
                        r"business day|working day|workday|weekday)s?\b)([a-z]{3,}?)(?:es|s)?\b")
EACH_NAMED_BEFORE = re.compile(r"\beach\s+([a-z]{3,}?)(?:es|s)?\s+(?:has|have|had|gets?|got|sees?|saw|does|did|handles?|"
                               r"produces?|wrote|writes?)\b[^.;!?\d]{0,30}$")
EACH_OF = re.compile(r"\b(?:each|every one|every single one) of (?:our|the|their|its|those|these|all)?\s*(?:\w+\s+)?$|"
                     r"^[^.;!?\d]{0,30}?\b(?:at|in|for|across|from|per|on)?\s*(?:each|every one) of "
                     r"(?:our|the|their|its|those|these|all)?\s*$")


CORRECTED_WITHIN = 0.1  # a corrected figure within a tenth of the one held is a correction of it
# "We have seven and a half thousand, not ten" ($10,000 held): the figure taken back, said without its thousands
SHORTHAND = (1_000, 1_000_000)
SHORTHAND_SLOTS = ("upfront_budget_usd",)  # money is what people shorten so ("not 4.000": 4,000 examples held is no "4")
SHORTHAND_FIGURE = re.compile(r"[a-z -]+|\d{1,3}")  # "ten", "10": a small figure without separators or decimals
FIGURE_SLOTS = tuple(name for name, spec in SLOTS.items() if not spec.is_enum)  # the slots that hold a number


@dataclass
class Context:
    text: str  # the message as stored (typos fixed)
    t: str  # working copy: lower-cased, same length; question sentences blanked out
    pending: str | None = None
    current: Mapping[str, object] = field(default_factory=dict)

    @cached_property
    def clauses(self) -> list[Clause]:
        return clauses(self.t)

    @cached_property
    def mentions(self) -> list[Mention]:
        return inherit_units(self.t, find_mentions(self.t))

    def sentence(self, position: int) -> str:
        """The sentence of the working copy around a position."""
        first, last = sentence_bounds(self.t, position)
        return self.t[first:last]

    def near_held(self, slot: str) -> list[Mention]:
        """The figures within a tenth of the number held for `slot`, or taking it back in shorthand ("not ten" for
        $10,000 held); none when no number is held."""
        held = self.current.get(slot)
        if not isinstance(held, int) or isinstance(held, bool) or not held:
            return []
        return [m for m in self.mentions if abs(m.figure.value - held) <= CORRECTED_WITHIN * held or
                (slot in SHORTHAND_SLOTS and m.negated and SHORTHAND_FIGURE.fullmatch(m.text) is not None and
                 any(abs(m.figure.value * scale - held) <= CORRECTED_WITHIN * held for scale in SHORTHAND))]

    def corrects_held(self, slot: str) -> bool:
        """"Correction: 2 million is per year. Per month it's more like 170k" (a volume held), "Correction: I just
        counted and it's 99" (100 examples held): a correction that names the held figure again, or one within a
        tenth of it, answers that slot's question."""
        return CORRECTION.search(self.t) is not None and bool(self.near_held(slot))

    def answers(self, slot: str) -> bool:
        """Are the message's bare figures an answer to `slot`'s question? They are when it was asked, unless they
        take back the figure held for another slot ("She cut it. We have seven and a half thousand, not ten" while
        the examples are asked, $10,000 held)."""
        return self.pending == slot and not any(self.corrects_held(other) for other in FIGURE_SLOTS if other != slot)

    def near(self, pattern: str, position: int) -> bool:
        """Does the sentence around `position` match `pattern` (a regex over lower-cased words)?"""
        return re.search(rf"(?<![a-z])(?:{pattern})(?![a-z])", self.sentence(position)) is not None

    def quote(self, start: int, end: int) -> str:
        return evidence_of(self.text, start, end)

    def units_of(self, start: int, end: int) -> Mention | None:
        """The units a figure is said per, when it is said for each of them: "120 depots, and each fires about 1,500
        lookups a day", "Each of our 6 desks has about 300 recaps", "300 an hour at each of 6 warehouses". The
        figure times the units is the whole; None when the figure is a whole already."""
        first, last = sentence_bounds(self.t, start)
        if first and EACH_OPENS.match(self.t[first:start]):
            first = sentence_bounds(self.t, first - 1)[0]
        for unit in self.mentions:
            if not first <= unit.start < last or unit.start == start or unit.negated or \
                    unit.kind not in (*UNIT_KINDS, "count") or not MIN_UNITS <= unit.value <= MAX_UNITS:
                continue
            named = self._named_unit(first, start, end, unit)
            if unit.kind == "count" and not named and not (unit.end <= start and
                                                           EACH_ONE_AFTER.match(self.t[unit.end:start])):
                continue  # a count of things is a unit only when named as one ("per plant ... 12 plants", "12 call
                # centers, and each one would send it about 100,000 questions a month")
            linked: bool
            if unit.end <= start:
                between = self.t[unit.end:start]
                linked = bool(EACH_AFTER_UNITS.match(between) or TIMES_AFTER_UNITS.match(between) or
                              EACH_OF.search(self.t[max(first, unit.start - 16):unit.start])
                              or EACH_AFTER_FIGURE.match(self.t[end:last])  # "3 regional teams, 33 labelled each"
                              or EACH_INSIDE.search(self.t[start:end]))  # "60,000 lifts, 3 fault events each per day"
                if self._per_the_unit(start, end, last, unit):
                    return unit  # (named: whatever else is said in between)
            else:
                between = self.t[end:unit.start]
                linked = (len(between) <= UNITS_REACH and EACH_OF.search(between) is not None) or named
            inside = (min(unit.end, end), max(unit.start, start))  # the words between the two, not their units
            if linked and not any(inside[0] <= m.start < inside[1] and m.kind != "word" for m in self.mentions):
                return self._head_of(unit, first)
        return None

    def _head_of(self, unit: Mention, first: int) -> Mention:
        """"900 FTEs across the three sites, each ...": the people the located units hang on."""
        head = [m for m in self.mentions if first <= m.start and m.end <= unit.start and m.kind in UNIT_KINDS]
        if head and LOCATED_IN.match(self.t[head[-1].end:unit.start]) and MIN_UNITS <= head[-1].value <= MAX_UNITS:
            return head[-1]
        return unit

    def _per_the_unit(self, start: int, end: int, last: int, unit: Mention) -> bool:
        """"60,000 connected elevators ... 3 fault events per elevator per day": the figure said per the unit
        counted before it (the unit's own words, within three after its figure)."""
        per = PER_INSIDE.search(self.t[start:min(last, end + 20)])
        words = re.findall(r"[a-z]+", self.t[unit.figure.end:unit.figure.end + 30])[:3]
        return per is not None and any(w.startswith(per.group(1)) for w in words)

    def _named_unit(self, first: int, start: int, end: int, unit: Mention) -> bool:
        """"200 a day per clinic, maybe a bit more, and we have about 800 clinics", "each plant has roughly 300
        reports, and we have 12 plants": the unit named beside the figure, then counted after it."""
        if unit.start < end or unit.start - end > PER_NAMED_REACH:
            return False
        word = unit.noun.split()[-1] if unit.noun else next(iter(re.findall(r"^\s+([a-z]+)", self.t[unit.end:unit.end + 20])), "")
        named = PER_NAMED.match(self.t[end:unit.start]) or EACH_NAMED_BEFORE.search(self.t[first:start])
        return named is not None and bool(word) and word.startswith(named.group(1))

    def of_the_past(self, start: int, end: int) -> bool:
        """Is the figure at t[start:end] said of an earlier system or time ("the pilot had 60", "60 examples last
        year")? See vocabulary.yaml `past_markers`."""
        after = self.t[end:min(end + 40, sentence_bounds(self.t, start)[1])]
        return PAST_AFTER.match(after) is not None or said_of_the_past(self.t, start, PAST_BEFORE)

    def hypothetical(self, start: int, end: int) -> bool:
        """Is the figure at t[start:end] said under a condition that does not hold yet ("If the syndication deal lands
        it'd be 5 million", "worst case 1.2 million", "if we ever did a voice version it would need to be under 250
        ms")? See vocabulary.yaml `hypothetical_markers`."""
        first, last = sentence_bounds(self.t, start)
        return HYPOTHETICAL_BEFORE.search(self.t[first:start]) is not None or \
            HYPOTHETICAL_AFTER.match(self.t[end:last]) is not None

    def of_an_existing_system(self, start: int) -> bool:
        """Is the figure at `start` said of a system the user already runs ("We run a RAG assistant ...: p95 of 900
        ms", "We've had a RAG bot for a year. It indexes 12,000 articles, p95 is around 1.4 seconds")? See
        vocabulary.yaml `existing_system`."""
        first, _ = sentence_bounds(self.t, start)
        if EXISTING_SYSTEM.search(self.t[first:start]) is not None:
            return True
        return first > 1 and GOES_ON.match(self.t[first:start]) is not None and \
            EXISTING_SYSTEM.search(self.t[sentence_bounds(self.t, first - 2)[0]:first]) is not None

    def of_the_new(self, start: int) -> bool:
        """Is the figure at `start` said of the system to be built ("production prompts will be about 10,000 tokens",
        "at launch we expect 1.5 million a month")?"""
        return NEW_SYSTEM.search(self.t[sentence_bounds(self.t, start)[0]:start]) is not None

    def strictly_under(self, found: list[Candidate]) -> list[Candidate]:
        """"Fewer than a hundred examples we'd trust", "we have under $8,000": at most one less than the figure
        said (99 is below the 100-example line; the bound itself is not). Figures under ten are units ("under 2
        seconds") and stay as said."""
        return [replace(c, value=c.value - 1) if isinstance(c.value, int) and c.value >= ROUND_FROM and
                STRICT_BELOW.search(self.t[max(0, c.start - 20):c.start]) and
                not JUST_UNDER.search(self.t[max(0, c.start - 24):c.start]) else c  # (one less already)
                for c in found]

    def precise_over_vague(self, found: list[Candidate]) -> list[Candidate]:
        """"Low millions a month - call it 3 million": a figure said exactly outranks a vague magnitude beside it."""
        vague = {m.start for m in self.mentions if m.figure.vague}
        return prefer(found, lambda c: c.start not in vague)
