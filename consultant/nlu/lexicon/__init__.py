"""The lexicon as data: lexicon/*.yaml entries (id, slot, value, patterns, examples, counter-examples), validated
by pydantic, compiled once, and matched clause by clause with their polarity.

An entry's id travels with every reading it produces (into the slot's provenance), so a misreading names the
rule that made it, and every example and counter-example of every entry is a test (tests/test_lexicon.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

from consultant.nlu.polarity import Polarity, negated_inside, polarity
from consultant.nlu.text import Clause, clause_at, sentence_bounds

Strength = Literal["stated", "cue"]
LEXICONS = ("need", "knowledge_change", "auditability", "output_type", "phrases", "intents")


class Entry(BaseModel):
    """One way of saying one thing."""

    model_config = ConfigDict(extra="forbid")

    id: str
    value: str | int | None = Field(default=None, description="The value an affirmed match gives.")
    against: str | None = Field(default=None, description="An affirmed match is evidence against this value.")
    slot: str | None = Field(default=None, description="Overrides the file's slot (phrases.yaml).")
    strength: Strength = "cue"
    weight: int = Field(default=1, ge=1, le=3, description="How much one match counts against other cues.")
    patterns: list[str]
    requires: str | None = Field(default=None, description="Outside an answer, the sentence must match this too.")
    unless: str | None = Field(default=None, description="A match in a sentence that also matches this is void.")
    answer_only: bool = Field(default=False, description="Only counts as an answer to this slot's question.")
    negation_inside: bool = Field(default=False, description="The patterns spell out a negation on purpose "
                                  "(\"doesn't change\"); otherwise a negation inside a match negates it.")
    examples: list[str] = Field(min_length=1)
    counter_examples: list[str] = Field(default_factory=list)

    @field_validator("patterns", "requires", "unless")
    @classmethod
    def _compiles(cls, value: list[str] | str | None) -> list[str] | str | None:
        for pattern in [value] if isinstance(value, str) else value or []:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"pattern {pattern!r} does not compile: {exc}") from None
        return value

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(r"(?<![a-z0-9])(?:" + "|".join(f"(?:{p})" for p in self.patterns) + r")(?![a-z0-9])")

    @cached_property
    def requires_rx(self) -> re.Pattern[str] | None:
        return re.compile(self.requires) if self.requires else None

    @cached_property
    def unless_rx(self) -> re.Pattern[str] | None:
        return re.compile(self.unless) if self.unless else None


class Lexicon(BaseModel):
    """One file: a slot (or a family of phrases), an optional sentence context, and its entries."""

    model_config = ConfigDict(extra="forbid")

    slot: str
    context: str | None = Field(default=None, description="Outside an answer, the sentence must mention this.")
    not_before: str | None = Field(default=None, description="A match followed by this is void ('quarterly "
                                   "business review' is a meeting, not a change rate).")
    context_ends_at_list: bool = Field(default=False, description="The context is looked for before a list the cue "
                                       "introduces ('the operator writes the log: releases, levels, gate movements').")
    priority: list[str] = Field(default_factory=list)
    examples_as_answers: bool = Field(default=False, description="The entries' examples are replies to the slot's "
                                      "own question (tests read them that way).")
    entries: list[Entry]

    @cached_property
    def context_rx(self) -> re.Pattern[str] | None:
        if not self.context:
            return None
        words = [w.strip() for w in self.context.split(" | ") if w.strip()]
        return re.compile(r"(?<![a-z])(?:" + "|".join(w.replace("\n", " ") for w in words) + ")")

    @cached_property
    def not_before_rx(self) -> re.Pattern[str] | None:
        return re.compile(self.not_before) if self.not_before else None


@dataclass(frozen=True)
class Hit:
    """An entry matched in a message: where, in which clause, with which polarity."""

    entry: Entry
    slot: str
    start: int
    end: int
    clause: Clause | None
    polarity: Polarity

    @property
    def affirmed(self) -> bool:
        return self.polarity == "affirmed"


@cache
def lexicon(name: str) -> Lexicon:
    text = resources.files("consultant.nlu.lexicon").joinpath(f"{name}.yaml").read_text("utf-8")
    return Lexicon.model_validate(yaml.safe_load(text))


def _before_a_list(t: str, start: int, end: int) -> str:
    """The cue's sentence up to a list it introduces ("Every day the operator writes the log: releases, levels, gate
    movements"): the items of what is written are not words about the knowledge changing."""
    first, last = sentence_bounds(t, start)
    colon = t.find(": ", end, last)
    return t[first:colon if colon >= 0 else last]


def _sentence(t: str, start: int) -> str:
    first, last = sentence_bounds(t, start)
    return t[first:last]


# a compound whose first half says what kind ("short-answer questions", "multiple-choice", "free-text answers"): the
# second half is no verb or noun of its own ("answer questions" is not read in "short-answer questions")
MODIFIER_COMPOUND = re.compile(r"\b(?:short|long|multiple|single|open|free|true|false|fill-in|self|semi|non)-$")


def hits(name: str, t: str, clauses: list[Clause], pending: str | None = None) -> list[Hit]:
    """Every entry of lexicon `name` matched in working copy `t`, in order, questions and masks left to callers."""
    lex = lexicon(name)
    out: list[Hit] = []
    for entry in lex.entries:
        slot = entry.slot or lex.slot
        answering = pending == slot
        if entry.answer_only and not answering:
            continue
        for m in entry.regex.finditer(t):
            if MODIFIER_COMPOUND.search(t, max(0, m.start() - 12), m.start()):
                continue  # "short-answer questions", "free-text answers": the second half of a compound modifier
            sentence = _sentence(t, m.start())
            if entry.unless_rx is not None and entry.unless_rx.search(sentence):
                continue
            if not answering and entry.requires_rx is not None and not entry.requires_rx.search(sentence):
                continue
            if not answering and lex.context_rx is not None and not lex.context_rx.search(
                    _before_a_list(t, m.start(), m.end()) if lex.context_ends_at_list else sentence):
                continue
            if lex.not_before_rx is not None and lex.not_before_rx.match(t[m.end():m.end() + 40]):
                continue
            clause = clause_at(clauses, m.start())
            said = polarity(t, clause, m.start(), m.end())
            if said == "affirmed" and not entry.negation_inside and negated_inside(m.group(0)):
                said = "negated"  # "it is not mandatory" read by "is ... mandatory"
            out.append(Hit(entry, slot, m.start(), m.end(), clause, said))
    return sorted(out, key=lambda h: h.start)
