"""Polarity per clause, one mechanism for every slot: is a cue affirmed, negated or waved off?

Triggers come from lexicon/polarity.yaml. A trigger before a cue (within `window` words of its clause) or
right after it (within a few words) negates or dismisses it; the clause boundary (sentence break, comma,
contrast word) ends the scope, so "not X but Y" negates X only.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from consultant.nlu.text import Clause, sentence_bounds

Polarity = Literal["affirmed", "negated", "dismissed"]
NOUN_PHRASE_WORDS = 3  # a cue this short is a noun phrase: an adjective inside it modifies its last word
POST_WINDOW_WORDS = 5  # "the tone, honestly, is fine": a few words may sit between a cue and its dismissal
# ... where a phrase saying "as it comes" counts as one word: "the tone it uses out of the box is fine"
WINDOW_FILLER = r"(?:out of the box|by default|as it is|right now|at the moment|for now)\W+"


def _trigger(word: str) -> str:
    """One trigger as a regex: spaces match any run of whitespace, and a leading "not" its contracted forms too."""
    if word.startswith("not "):
        return r"(?:not|[a-z]+n't)\s+" + _trigger(word[4:])
    return re.escape(word).replace(r"\ ", r"\s+")


class TriggerClass(BaseModel):
    model_config = ConfigDict(extra="forbid")

    words: str
    window: int = 0
    examples: list[str] = Field(default_factory=list)

    def alternation(self) -> str:
        """The words as one regex alternation, longest first. A trigger written with "not" ("not a concern") also
        matches its contracted forms ("isn't a concern", "wasn't a priority", "aren't relevant")."""
        words = [w.strip() for w in self.words.split(" | ") if w.strip()]
        return "|".join(_trigger(w) for w in sorted(words, key=len, reverse=True))


class Complaint(TriggerClass):
    """Who fails and how ("it just doesn't"), and the verbs after which a negation stays a negation."""

    subjects: str
    not_before: str
    subjectless: str  # the failings a terse writer opens a sentence with, the subject left out
    knows_but_not: str  # "it knows our products, but not this week's prices": the verb the "but not" leaves out

    def pattern(self) -> str:
        subjects = TriggerClass(words=self.subjects).alternation()
        not_before = TriggerClass(words=self.not_before).alternation()
        subjectless = TriggerClass(words=self.subjectless).alternation()
        return rf"(?:\b(?:{subjects})\s+(?:{self.alternation()})|(?:^|(?<=[.!?;]\s))\s*(?:{subjectless}))" \
               rf"(?!\s+(?:to\s+)?(?:{not_before})\b)(?![a-z])"

    def elided_pattern(self) -> str:
        """The clause before an elliptical "but not": a subject that knows or has something."""
        subjects = TriggerClass(words=self.subjects).alternation()
        verbs = TriggerClass(words=self.knows_but_not).alternation()
        return rf"\b(?:{subjects})\s+(?:already\s+|mostly\s+|mainly\s+|probably\s+)?(?:{verbs})(?![a-z])[^.;!?]*$"


class Triggers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pre_negation: TriggerClass
    negation_heading: TriggerClass
    post_negation: TriggerClass
    pre_dismissal: TriggerClass
    free_relative: TriggerClass
    modifier_dismissal: TriggerClass
    pre_hypothetical: TriggerClass
    post_dismissal: TriggerClass
    refer_back_dismissal: TriggerClass
    pseudo_negation: TriggerClass
    right_after_dismissal: TriggerClass
    alone_after_dismissal: TriggerClass
    verdict_subject: TriggerClass
    complaint: Complaint


@lru_cache(maxsize=1)
def triggers() -> Triggers:
    text = resources.files("consultant.nlu.lexicon").joinpath("polarity.yaml").read_text("utf-8")
    return Triggers.model_validate(yaml.safe_load(text))


# a subject of its own between a cue and a verdict ("... the catalog the tone doesn't matter"; see _verdict_of_another)
NEW_SUBJECT = r"(?<![a-z])(?:the|its|our|their|your|his|her)\s+(?:[\w'-]+\s+)?"


@lru_cache(maxsize=1)
def _compiled() -> dict[str, re.Pattern[str]]:
    tr = triggers()
    boundary = r"(?<![a-z'])"
    return {
        "pre_neg": re.compile(rf"(?:{boundary}(?:{tr.pre_negation.alternation()})|n't)(?![a-z])"),
        "post_neg": re.compile(rf"^\W*(?:[\w']+\W+){{0,{POST_WINDOW_WORDS}}}?(?:{tr.post_negation.alternation()})(?![a-z])"),
        "pre_dis": re.compile(boundary + rf"(?:{tr.pre_dismissal.alternation()})(?![a-z])"),
        # (also "whatever the current patch's meta is," : the cue's clause closes with its own verb)
        "free_relative": re.compile(rf"^\s*(?:{tr.free_relative.alternation()})(?![a-z])|"
                                    r"^(?:'s)?(?:\s+[\w-]+){0,2}\s+(?:is|are)\s*(?:[,.;!?]|$)"),
        "hypothetical": re.compile(boundary + rf"(?:{tr.pre_hypothetical.alternation()})(?![a-z])"),
        "modifier_dis": re.compile(rf"(?<!our )(?<!their )(?<!your )(?<!my )(?<!its )(?<!his )(?<!her )(?<![a-z'])"
                                   rf"(?:{tr.modifier_dismissal.alternation()})(?![a-z])"),
        "post_dis": re.compile(rf"^\W*(?:{WINDOW_FILLER}|[\w']+\W+){{0,{POST_WINDOW_WORDS}}}?(?:{tr.post_dismissal.alternation()})(?![a-z])"),
        "post_dis_subject": re.compile(rf"^\W*((?:{WINDOW_FILLER}|[\w']+\W+){{0,{POST_WINDOW_WORDS}}}?)(?:{tr.post_dismissal.alternation()})(?![a-z])"),
        "verdict_subject": re.compile(rf"(?<![a-z])(?:{tr.verdict_subject.alternation()})(?![a-z])"),
        "verdict_of_another": re.compile(NEW_SUBJECT + rf"(?:{tr.verdict_subject.alternation()})(?![a-z])"),
        "pseudo": re.compile(boundary + rf"(?:{tr.pseudo_negation.alternation()})(?![a-z])"),
        "right_after": re.compile(rf"^\s*[:?!,\-–—]+\s*(?:(?:{tr.right_after_dismissal.alternation()})(?![a-z])|"
                                  rf"(?:{tr.alone_after_dismissal.alternation()})\s*(?:[,.;!]|$))"),
        "heading": re.compile(rf"(?:{tr.negation_heading.alternation()})"),
        "complaint": re.compile(tr.complaint.pattern()),
        "knows_before": re.compile(tr.complaint.elided_pattern()),
        "refer_back": re.compile(rf"^[^.;!?]{{0,80}}?[,;]\s*(?:{tr.refer_back_dismissal.alternation()})(?![a-z])"),
        "negation_inside": re.compile(rf"(?:{boundary}(?:not|no|never|nobody|nothing|none|without)|n't)(?![a-z])"),
    }


OR_BEFORE = re.compile(r"\bor\s+(?:\S+\s+)?$")


def _last_words(text: str, n: int) -> str:
    words = list(re.finditer(r"\S+", text))
    return text[words[-n].start():] if len(words) >= n else text


def polarity(t: str, clause: Clause | None, start: int, end: int) -> Polarity:
    """The polarity of the cue at t[start:end] inside `clause` (the whole text when no clause is given)."""
    lo, hi = (clause.start, clause.end) if clause is not None else (0, len(t))
    rx = _compiled()
    cleaned = rx["pseudo"].sub(" ", _without_complaints(t, lo, start, hi))
    window = triggers().pre_negation.window
    # (a negation reaches across "or" to the second option: "it doesn't need to sound special or produce any fancy
    # format" negates the format too)
    if re.search(r"\bor\b", _last_words(cleaned, window + 1)):
        window *= 2
    before_clean = _last_words(cleaned, window + 1)
    after = t[end:hi]
    if rx["pre_dis"].search(_last_words(t[lo:start], 4)) and not rx["free_relative"].match(t[end:hi]):
        return "dismissed"  # "we don't care about the tone": the dismissal, not the "don't" in it
    # (the second of two options shares the first one's scope: "ask if it needs to know more or behave differently")
    reach = (triggers().pre_hypothetical.window + 1) * (2 if OR_BEFORE.search(t[lo:start]) else 1)
    if rx["hypothetical"].search(_last_words(t[lo:start], reach)):
        return "dismissed"  # "I wondered whether we needed it to talk like a vet"
    if rx["modifier_dis"].search(_last_words(t[lo:start], triggers().modifier_dismissal.window + 1)):
        return "dismissed"  # "standard tone is fine", not "our standard format"
    words = t[start:end].split()
    if 2 <= len(words) <= NOUN_PHRASE_WORDS and rx["modifier_dis"].fullmatch(words[-2]) is not None:
        return "dismissed"  # a short cue that holds the adjective itself: "the standard voice", "a generic tone"
    post_neg, post_dis = rx["post_neg"].match(after), rx["post_dis"].match(after)
    if _negated_before(before_clean) or (post_neg is not None and not _verdict_of_another(after[:post_neg.end()])):
        return "negated"
    if not _whatever_it_says(t, end) and (
            (post_dis is not None and not _verdict_of_another(after[:post_dis.end()])) or
            rx["refer_back"].match(t[end:]) or rx["right_after"].match(after)):
        return "dismissed"
    rest = t[hi:_sentence_end(t, hi)]
    if clause is not None and len(clause.text.split()) <= 3 and not _whatever_it_says(t, hi) and (
            rx["right_after"].match(rest) or _waved_off_after(rest, clause.text)):
        return "dismissed"  # "Tone, whatever, standard is fine": a topic named alone, waved off after the comma
    return "affirmed"


def _verdict_of_another(window: str) -> bool:
    """The words between a cue and a verdict after it name a topic of their own as its subject: "it needs to know the
    catalog the tone doesn't matter" (dictated, unpunctuated) waves off the tone, not the need to know. A topic
    listed bare shares the verdict ("tone, format - whatever")."""
    return _compiled()["verdict_of_another"].search(window) is not None


def _waved_off_after(rest: str, topic: str) -> bool:
    """The clause after a topic named alone waves it off ("Tone, whatever, standard is fine"), unless the
    verdict has a topic of its own for subject ("facts only, tone is fine": the tone is what is fine, the facts are
    asked for; see polarity.yaml `verdict_subject`), unless the topics are listed bare ("Format, tone - whatever")."""
    verdict = _compiled()["post_dis"].match(rest)
    if verdict is None:
        return False
    subject = _compiled()["post_dis_subject"].match(rest)
    if subject is None or _compiled()["verdict_subject"].search(subject.group(1)) is None:
        return True
    # "Format, tone - whatever": topics listed bare, waved off together
    return _compiled()["verdict_subject"].fullmatch(re.sub(r"^\W*(?:the\s+)?|\W*$", "", topic)) is not None


def _whatever_it_says(t: str, end: int) -> bool:
    """"Factual answers - whatever the manual says": "whatever X says" names what the answer holds, not a shrug."""
    words = triggers().free_relative.alternation()
    return re.match(rf"^\s*[:?!,\-–—]*\s*whatever\s+(?:[\w'-]+\s+){{1,4}}?(?:{words})(?![a-z])", t[end:end + 80]) is not None


def _negated_before(before: str) -> bool:
    """A negation before the cue, whose scope a colon ends ("not facts: label clauses the way our associates
    would") unless what stands between them is a heading ("Not needed: citations")."""
    rx = _compiled()
    last = max(rx["pre_neg"].finditer(before), key=lambda m: m.start(), default=None)
    if last is None:
        return False
    colon = re.search(r":\s", before[last.end():])
    return colon is None or rx["heading"].fullmatch(before[last.end():last.end() + colon.start()].strip()) is not None


def _without_complaints(t: str, lo: int, start: int, hi: int) -> str:
    """t[lo:start] with "it just doesn't" blanked out; the verb after it (seen up to `hi`) decides."""
    prefix = t[lo:start]
    for m in _compiled()["complaint"].finditer(t, lo, hi):
        if m.end() <= start:
            a, b = m.start() - lo, m.end() - lo
            prefix = prefix[:a] + " " * (b - a) + prefix[b:]
    elided = BUT_NOT.match(prefix)
    if elided is not None and _compiled()["knows_before"].search(t[sentence_bounds(t, lo)[0]:lo]):
        # "it already knows our products but not this week's prices": it does not know them, a failing
        prefix = prefix[:elided.start(1)] + " " * len(elided.group(1)) + prefix[elided.end(1):]
    return prefix


BUT_NOT = re.compile(r"^\W*(?:but|though|except)\s+(not)\b")


def _sentence_end(t: str, start: int) -> int:
    ends = [i for i in (t.find(c, start) for c in ".;!?\n") if i != -1]
    return min(ends, default=len(t))


def negated_inside(matched: str) -> bool:
    """A negation inside the matched words themselves ("it is not mandatory" matched by "is ... mandatory")."""
    return _compiled()["negation_inside"].search(rx_clean(matched)) is not None


def rx_clean(text: str) -> str:
    return _compiled()["pseudo"].sub(" ", text)
