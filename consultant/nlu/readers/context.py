"""What every reader gets: the message, its working copy, clauses, typed mentions and the pending question."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property

from consultant.nlu.mentions import Mention, find_mentions, inherit_units
from consultant.nlu.reading import Candidate, prefer
from consultant.nlu.text import Clause, clauses, evidence_of, sentence_bounds
from consultant.nlu.vocabulary import VOCABULARY as V

CORRECTION = re.compile(rf"(?<![a-z])(?:{V.correction_markers})(?![a-z])")  # "sorry", "I mean", "correction:"


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

    def near(self, pattern: str, position: int) -> bool:
        """Does the sentence around `position` match `pattern` (a regex over lower-cased words)?"""
        return re.search(rf"(?<![a-z])(?:{pattern})(?![a-z])", self.sentence(position)) is not None

    def quote(self, start: int, end: int) -> str:
        return evidence_of(self.text, start, end)

    def precise_over_vague(self, found: list[Candidate]) -> list[Candidate]:
        """"Low millions a month - call it 3 million": a figure said exactly outranks a vague magnitude beside it."""
        vague = {m.start for m in self.mentions if m.figure.vague}
        return prefer(found, lambda c: c.start not in vague)
